// A draggable divider between two panes (the WAI-ARIA "window splitter" pattern): drag it
// with the mouse or a finger, or focus it and use ←/→ (Shift for bigger steps), Home, End;
// Enter puts it back in the middle.  It sets the CSS variable --editor-share (a percentage)
// on `container`; the stylesheet sizes the panes from it.  The choice is remembered.

const STEP = 5;
const BIG_STEP = 15;

export class Splitter {
  /**
   * container: the element whose width is shared; handle: the divider element;
   * controls: the id of the pane it resizes; storage: a SafeStorage (or null).
   */
  constructor({ container, handle, controls, storage = null, key = "layout:editor-share", min = 20, max = 80 }) {
    Object.assign(this, { container, handle, storage, key, min, max });
    handle.setAttribute("role", "separator");
    handle.setAttribute("aria-orientation", "vertical");
    handle.setAttribute("aria-label", "Resize the editor and the output");
    handle.setAttribute("aria-valuemin", String(min));
    handle.setAttribute("aria-valuemax", String(max));
    if (controls) handle.setAttribute("aria-controls", controls);
    handle.tabIndex = 0;
    handle.title = "Drag, or focus and use ← →, to resize the editor and the output";
    const saved = Number(storage?.get(key));
    this.set(Number.isFinite(saved) && saved > 0 ? saved : 50, { save: false });

    handle.addEventListener("pointerdown", (event) => this.startDrag(event));
    handle.addEventListener("keydown", (event) => this.onKey(event));
  }

  /** Give the editor `percent` of the width (clamped to [min, max]). */
  set(percent, { save = true } = {}) {
    this.value = Math.round(Math.min(this.max, Math.max(this.min, percent)) * 10) / 10;
    this.container.style.setProperty("--editor-share", `${this.value}%`);
    this.handle.setAttribute("aria-valuenow", String(Math.round(this.value)));
    this.handle.setAttribute("aria-valuetext", `editor ${Math.round(this.value)}% of the width`);
    if (save) this.storage?.set(this.key, this.value);
  }

  startDrag(event) {
    if (event.button !== 0) return;
    event.preventDefault();
    this.handle.setPointerCapture(event.pointerId);
    this.handle.focus();
    this.container.classList.add("is-resizing");
    const move = (e) => {
      const box = this.container.getBoundingClientRect();
      if (box.width > 0) this.set(((e.clientX - box.left) / box.width) * 100, { save: false });
    };
    const end = () => {
      this.handle.removeEventListener("pointermove", move);
      this.handle.removeEventListener("pointerup", end);
      this.handle.removeEventListener("pointercancel", end);
      this.container.classList.remove("is-resizing");
      this.set(this.value);
    };
    this.handle.addEventListener("pointermove", move);
    this.handle.addEventListener("pointerup", end);
    this.handle.addEventListener("pointercancel", end);
  }

  onKey(event) {
    const step = event.shiftKey ? BIG_STEP : STEP;
    const moves = {
      ArrowLeft: this.value - step,
      ArrowRight: this.value + step,
      Home: this.min,
      End: this.max,
      Enter: 50,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    this.set(moves[event.key]);
  }
}
