// The one script of every page with cells (loaded `async`, so it may run before the page
// is fully parsed).  Python takes seconds to load and the editors a fraction of one, so
// the worker is started first, then the page's own module (the lesson or the full editor;
// <link rel="modulepreload"> has already fetched it and CodeMirror) takes over once the
// document is parsed.  Meanwhile the lesson's code boxes already take typing, and their
// run keys are held for the cells to run.

import { holdRunKeys, startPython } from "./common.js";

startPython();
holdRunKeys();

if (document.readyState === "loading") {
  await new Promise((resolve) => document.addEventListener("DOMContentLoaded", resolve, { once: true }));
}
if (document.documentElement.dataset.page === "playground") await import("./playground.js");
else await import("./lesson.js");
