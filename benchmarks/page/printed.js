// Printed-then-pause latency: when does a printed line reach the page?  The learner's code
// prints "<marker><ms>", its clock (Python's time.time(), Date.now() in the worker) at the
// print; this function, evaluated with the output's selector and the marker, watches the
// output and keeps Date.now() at the first moment the line is in the page:
// window.__printed = {printedAt, shownAt} (ms since the epoch; page and worker read the
// same clock).
({ output: selector, marker }) => {
  const output = document.querySelector(selector);
  const state = (window.__printed = {});
  const pattern = new RegExp(`${marker}(\\d+(?:\\.\\d+)?)`);
  const look = () => {
    const found = pattern.exec(output.textContent);
    if (!found) return;
    state.shownAt = Date.now();
    state.printedAt = Number(found[1]);
    observer.disconnect();
  };
  const observer = new MutationObserver(look);
  observer.observe(output, { subtree: true, childList: true, characterData: true });
}
