// Numbers for people on the charts: round tick values and their labels, shared by the
// explore widgets (drag-line.js, contour-panel.js) and the gradient-descent animation.

/** A number for people: 4 significant digits, exponent form when very large or small. */
export function formatNumber(value) {
  if (!Number.isFinite(value)) return value > 0 ? "∞" : value < 0 ? "−∞" : "not a number";
  const size = Math.abs(value);
  if (size !== 0 && (size >= 1e5 || size < 1e-3)) {
    const [mantissa, exponent] = value.toExponential(2).split("e");
    return `${mantissa.replace("-", "−")}×10${superscript(Number(exponent))}`;
  }
  return String(Number(value.toPrecision(4))).replace("-", "−");
}

function superscript(n) {
  const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  return (n < 0 ? "⁻" : "") + String(Math.abs(n)).split("").map((d) => digits[d]).join("");
}

/** A tick label on the log-scale loss axis, at 10^d: short enough for the margin. */
export function decadeLabel(d) {
  return Number.isInteger(d) && Math.abs(d) > 2 ? `10${superscript(d)}` : formatNumber(10 ** d);
}

/** The line's equation, written the way the lesson writes it. */
export function equation(w0, w1) {
  const sign = w0 < 0 ? "−" : "+";
  return `y = ${formatNumber(w1)}x ${sign} ${formatNumber(Math.abs(w0))}`;
}

/** Round tick values: steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(lo, hi, target = 5) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : Number(t.toPrecision(12)));
  }
  return ticks;
}
