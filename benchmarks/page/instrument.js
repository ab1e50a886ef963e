// Installed in every page before its own scripts (benchmarks/page/targets.py fills in
// __SELECTORS__).  Keeps window.__bench up to date: marks (ms since navigation start):
// editorVisible, editorTyped, ready, error; timeline: [ms, phase, text] of the status line;
// run: the current run's pressed (the keydown/click event's timeStamp), firstOutput,
// plotDecoded, and the timeline of its status.
(() => {
  if (window.top !== window) return;
  const S = __SELECTORS__;
  const bench = (window.__bench = { marks: {}, timeline: [] });
  const seen = new WeakSet();
  const now = () => performance.now();
  const markOnce = (name) => { if (bench.marks[name] === undefined) bench.marks[name] = now(); };
  bench.arm = () => {
    const output = document.querySelector(S.output);
    for (const img of output ? output.querySelectorAll("img") : []) seen.add(img);
    bench.run = { timeline: [], sawEmpty: false };
  };
  bench.run = { timeline: [], sawEmpty: false };
  let lastStatus = "";
  let lastRunStatus = "";
  function check() {
    const editor = document.querySelector(S.editor);
    if (editor) {
      markOnce("editorVisible");
      if (bench.marks.editorTyped === undefined) {
        const text = editor.value ?? editor.textContent;
        if (text.includes(S.marker)) markOnce("editorTyped");
      }
    }
    const status = document.querySelector(S.status);
    if (status) {
      const key = `${status.dataset.phase}|${status.textContent}`;
      if (key !== lastStatus) {
        lastStatus = key;
        bench.timeline.push([now(), status.dataset.phase, status.textContent]);
      }
      if (status.dataset.phase === "ready") markOnce("ready");
      if (status.dataset.phase === "error") markOnce("error");
    }
    const run = bench.run;
    if (run.pressed === undefined) return;
    const runStatus = document.querySelector(S.runStatus);
    if (runStatus && runStatus.textContent !== lastRunStatus) {
      lastRunStatus = runStatus.textContent;
      run.timeline.push([now(), lastRunStatus]);
    }
    const output = document.querySelector(S.output);
    if (!output) return;
    if (output.textContent.trim() === "") run.sawEmpty = true;
    else if (run.sawEmpty && run.firstOutput === undefined) run.firstOutput = now();
    for (const img of output.querySelectorAll("img")) {
      if (seen.has(img)) continue;
      seen.add(img);
      img.decode().then(
        () => { if (run.plotDecoded === undefined) run.plotDecoded = now(); },
        () => { run.plotError = true; },
      );
    }
  }
  function press(event) {
    const run = bench.run;
    if (run.pressed !== undefined) return;
    run.pressed = event.timeStamp;
    lastRunStatus = "";
    setTimeout(check, 0);
  }
  addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) press(event);
  }, true);
  addEventListener("click", (event) => {
    if (event.target.closest && event.target.closest(S.run)) press(event);
  }, true);
  addEventListener("input", check, true);
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, characterData: true, attributes: true,
  });
})();
