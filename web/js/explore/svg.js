// Small SVG and layout helpers shared by the explore widgets (drag-line.js, contour-panel.js)
// and the gradient-descent animation (descent-animation.js, descent-charts.js).

const SVG_NS = "http://www.w3.org/2000/svg";

export function svg(name, attributes = {}, parent = null) {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (parent) parent.append(element);
  return element;
}

export function html(name, className, parent, text) {
  const element = document.createElement(name);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  if (parent) parent.append(element);
  return element;
}

/** A linear map from the interval `domain` onto `range`, with its inverse as `.invert`. */
export function scale([d0, d1], [r0, r1]) {
  const map = (value) => r0 + ((value - d0) / (d1 - d0)) * (r1 - r0);
  map.invert = (pixel) => d0 + ((pixel - r0) / (r1 - r0)) * (d1 - d0);
  return map;
}

export const clamp = (value, lo, hi) => Math.min(hi, Math.max(lo, value));

/** The pointer's position in the SVG's own coordinates (its viewBox), at any size on screen. */
export function pointerIn(root, event) {
  const point = root.createSVGPoint();
  point.x = event.clientX;
  point.y = event.clientY;
  return point.matrixTransform(root.getScreenCTM().inverse());
}

/**
 * Call `move(event)` while a pointer (mouse, pen or finger) drags `handle`, then `end()`.
 * The pointer is captured, so the drag goes on outside the handle; touch-action: none in
 * the CSS keeps a finger's drag from scrolling the page.
 */
export function draggable(handle, { start = () => {}, move, end = () => {} }) {
  handle.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    try {
      handle.setPointerCapture(event.pointerId);
    } catch {
      // (a pointer the browser no longer knows: the drag still follows it over the handle)
    }
    start(event);
    move(event);
    const onMove = (moved) => move(moved);
    const onUp = () => {
      handle.removeEventListener("pointermove", onMove);
      handle.removeEventListener("pointerup", onUp);
      handle.removeEventListener("pointercancel", onUp);
      end();
    };
    handle.addEventListener("pointermove", onMove);
    handle.addEventListener("pointerup", onUp);
    handle.addEventListener("pointercancel", onUp);
  });
}

/**
 * Calls `speak(text)` at most once per `ms`, with the latest text: a screen reader hears
 * where a drag or a held arrow key ended up, not every step on the way.
 */
export function throttledAnnouncer(region, ms = 700) {
  let timer = 0;
  let latest = "";
  return (text) => {
    latest = text;
    if (timer) return;
    timer = setTimeout(() => {
      timer = 0;
      region.textContent = latest;
    }, ms);
  };
}

/** A number with `digits` decimals and a real minus sign. */
export function fixed(value, digits) {
  return value.toFixed(digits).replace("-", "−");
}
