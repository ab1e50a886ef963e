// The engine smoke test's visit of the lesson page, the same in every browser: each
// driver (Playwright, puppeteer-core, Selenium) calls this function in the page with a
// timeout in milliseconds and gets back what happened, as plain JSON, or { error }.
//   1. wait until Python is ready (status line);
//   2. Run the main snippet: its printed table and its plot (the image decoded);
//   3. Run `while True: pass`, press Stop: how the run ended;
//   4. put EDITED_CODE in the editor (the driver then clicks "Open in full editor").
async (timeoutMs, editedCode) => {
  const started = performance.now();
  const until = async (what, test) => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const value = test();
      if (value) return value;
      if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const seconds = () => Number(((performance.now() - started) / 1000).toFixed(2));
  const line = document.querySelector("#python-status");
  const result = { engine: navigator.userAgent };
  try {
    // Only "ready" ends this wait: a start slower than the stall limit shows "error" for a
    // while, then becomes ready all the same.
    await until("Python", () => line.dataset.phase === "ready");
    result.python = { phase: line.dataset.phase, text: line.textContent, at: seconds() };
    result.sharedMemory = globalThis.labPython.interruptBuffer !== null;

    const root = document.querySelector(".cell[data-cell-id='main']");
    const main = globalThis.labCells.find((cell) => cell.cellId === "main");
    const status = () => root.querySelector(".cell-status").textContent;
    const output = () => root.querySelector(".cell-output").innerText;
    const finished = () => !root.classList.contains("is-running") && status();

    root.querySelector("button.run").click();
    await until("the main snippet", finished);
    const image = root.querySelector(".cell-output img");
    let plot = null;
    if (image) {
      await image.decode();
      plot = { width: image.naturalWidth, height: image.naturalHeight, alt: image.alt };
    }
    result.main = { status: status(), output: output(), plot, at: seconds() };

    main.editor.setCode("print('looping', flush=True)\nwhile True:\n    pass");
    root.querySelector("button.run").click();
    await until("the loop", () => root.classList.contains("is-running") && output().includes("looping"));
    const pressed = performance.now();
    root.querySelector("button.stop").click();
    await until("Stop", finished);
    result.stop = {
      status: status(),
      notices: [...root.querySelectorAll(".out-notice")].map((notice) => notice.innerText),
      ms: Math.round(performance.now() - pressed),
    };
    main.editor.setCode(editedCode);
  } catch (error) {
    result.error = `${error.message ?? error} (the status line says "${line?.textContent}")`;
  }
  return result;
}
