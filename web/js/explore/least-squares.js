// The loss of a line through the lesson's points, for the widgets that run in the page
// (no Python round trip: every number here is recomputed within one frame of a drag).
//
//   L(w₀, w₁) = Σᵢ (yᵢ − (w₁xᵢ + w₀))²     the sum of squared residuals (section 1's loss)
//
// Expanded, L needs only six sums of the data, so it costs the same for 100 points or a
// million:  L = Σy² − 2w₀Σy − 2w₁Σxy + n·w₀² + 2w₀w₁Σx + w₁²Σx².

/** The sums L needs, computed once per data set. */
export function sums(x, y) {
  const s = { n: x.length, x: 0, y: 0, xx: 0, xy: 0, yy: 0 };
  for (let i = 0; i < x.length; i += 1) {
    s.x += x[i];
    s.y += y[i];
    s.xx += x[i] * x[i];
    s.xy += x[i] * y[i];
    s.yy += y[i] * y[i];
  }
  return s;
}

/** L(w₀, w₁) from the sums: the sum of squared residuals of y = w₁x + w₀. */
export function lossFromSums(s, w0, w1) {
  return s.yy - 2 * w0 * s.y - 2 * w1 * s.xy + s.n * w0 * w0 + 2 * w0 * w1 * s.x + w1 * w1 * s.xx;
}

/** L(w₀, w₁) the direct way, one residual at a time (as the lesson's `loss` cell does). */
export function sumOfSquares(x, y, w0, w1) {
  let total = 0;
  for (let i = 0; i < x.length; i += 1) {
    const residual = y[i] - (w1 * x[i] + w0);
    total += residual * residual;
  }
  return total;
}

/**
 * The least-squares line: slope = Σ(x − x̄)(y − ȳ) / Σ(x − x̄)², and the line passes
 * through (x̄, ȳ).  Centring first keeps the digits (the same formula as the lesson's cell).
 */
export function leastSquares(x, y) {
  const n = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i += 1) {
    meanX += x[i] / n;
    meanY += y[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i += 1) {
    sxy += (x[i] - meanX) * (y[i] - meanY);
    sxx += (x[i] - meanX) ** 2;
  }
  const w1 = sxy / sxx;
  return { w0: meanY - w1 * meanX, w1 };
}

/** L on a grid of nw0 × nw1 weights over [w0Lo, w0Hi] × [w1Lo, w1Hi], row by row (w₁ rows). */
export function lossGrid(x, y, [w0Lo, w0Hi], [w1Lo, w1Hi], nw0 = 60, nw1 = 60) {
  const s = sums(x, y);
  const w0s = Array.from({ length: nw0 }, (_, i) => w0Lo + ((w0Hi - w0Lo) * i) / (nw0 - 1));
  const w1s = Array.from({ length: nw1 }, (_, j) => w1Lo + ((w1Hi - w1Lo) * j) / (nw1 - 1));
  const values = new Float64Array(nw0 * nw1);
  for (let j = 0; j < nw1; j += 1) {
    for (let i = 0; i < nw0; i += 1) values[j * nw0 + i] = lossFromSums(s, w0s[i], w1s[j]);
  }
  return { w0s, w1s, values };
}

/**
 * The contour L = level as line segments [[w₀, w₁], [w₀, w₁]] (marching squares: in each
 * grid cell, where the level crosses an edge, found by linear interpolation along it).
 */
export function contourLines({ w0s, w1s, values }, level) {
  const nw0 = w0s.length;
  const segments = [];
  const at = (i, j) => values[j * nw0 + i];
  const cross = (i0, j0, i1, j1) => {
    const a = at(i0, j0);
    const b = at(i1, j1);
    const t = (level - a) / (b - a);
    return [w0s[i0] + (w0s[i1] - w0s[i0]) * t, w1s[j0] + (w1s[j1] - w1s[j0]) * t];
  };
  for (let j = 0; j + 1 < w1s.length; j += 1) {
    for (let i = 0; i + 1 < nw0; i += 1) {
      // the cell's corners counter-clockwise from (i, j); its edges: bottom, right, top, left
      const corners = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1]];
      const points = [];
      for (let k = 0; k < 4; k += 1) {
        const [ia, ja] = corners[k];
        const [ib, jb] = corners[(k + 1) % 4];
        if ((at(ia, ja) < level) !== (at(ib, jb) < level)) points.push(cross(ia, ja, ib, jb));
      }
      if (points.length === 2) segments.push(points);
      else if (points.length === 4) segments.push([points[0], points[1]], [points[2], points[3]]);
    }
  }
  return segments;
}
