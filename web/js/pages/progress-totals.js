// The one script of a page without Python (the examples index): beside each link to a page
// that has exercises, the learner's progress there ("1 of 3 exercises solved"), read from
// this browser (progress.js) and the build's catalog (snippets.json).  Without a catalog
// (offline before it was saved, say) the page is as the build wrote it.

import { loadCatalog } from "../examples.js";
import { ExerciseProgress, countText } from "../progress.js";

const catalog = await loadCatalog(new URL("snippets.json", document.baseURI));
const progress = new ExerciseProgress();
let solved = 0;
let total = 0;
for (const page of catalog.pages) {
  if (!page.exercises?.length) continue;
  const link = [...document.querySelectorAll("main a[href]")].find((a) => a.getAttribute("href") === page.name);
  if (!link) continue;
  const count = progress.count(page.exercises);
  solved += count.solved;
  total += count.total;
  const badge = document.createElement("span");
  badge.className = "exercise-totals";
  badge.dataset.page = page.name;
  badge.dataset.solved = String(count.solved);
  badge.textContent = ` (${countText(count)})`;
  link.after(badge);
}
if (total) {
  const line = document.createElement("p");
  line.className = "exercise-totals-all";
  line.textContent = `Your exercises, in this browser: ${countText({ solved, total })} in all.`;
  document.querySelector("main h1")?.after(line);
}
document.body.dataset.progress = "ready";
