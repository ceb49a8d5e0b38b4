// First-layer filter grid (ConvNetJS style): every filter normalised by its own
// min/max, upscaled nearest-neighbour, all drawn into one canvas.

/**
 * shape = [nOut, nIn, kH, kW]; data = Float32Array in that order. nIn == 3 draws
 * RGB tiles; otherwise one grey tile per (filter, input channel).
 */
export function drawFilterGrid(canvas, shape, data, maxWidth, maxHeight = 960, maxTile = 64) {
  const [nOut, nIn, kH, kW] = shape;
  const rgb = nIn === 3;
  const tiles = rgb ? nOut : nOut * nIn;
  const { scale, gap, cols, rows } = gridLayout(tiles, kH, kW, maxWidth, maxHeight, maxTile);
  const tw = kW * scale, th = kH * scale;
  canvas.width = cols * (tw + gap) - gap;
  canvas.height = rows * (th + gap) - gap;
  canvas.dataset.tile = String(tw);
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(canvas.width, canvas.height);
  const px = img.data;
  for (let i = 3; i < px.length; i += 4) px[i] = 0;  // gaps stay transparent
  const per = nIn * kH * kW, plane = kH * kW;

  for (let t = 0; t < tiles; t++) {
    const o = rgb ? t : Math.floor(t / nIn);
    const c = rgb ? 0 : t % nIn;
    let lo = Infinity, hi = -Infinity;          // this filter's own range
    const base = o * per;
    for (let i = 0; i < per; i++) {
      const v = data[base + i];
      if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
    }
    const span = hi > lo ? hi - lo : 1;
    const ox = (t % cols) * (tw + gap), oy = Math.floor(t / cols) * (th + gap);
    for (let y = 0; y < kH; y++) {
      for (let x = 0; x < kW; x++) {
        let r, g, b;
        if (rgb) {
          r = norm(data[base + y * kW + x], lo, span);
          g = norm(data[base + plane + y * kW + x], lo, span);
          b = norm(data[base + 2 * plane + y * kW + x], lo, span);
        } else {
          r = g = b = norm(data[base + c * plane + y * kW + x], lo, span);
        }
        const nonfinite = r < 0;                 // NaN weights show as red, never as a colour
        for (let dy = 0; dy < scale; dy++) {
          let p = ((oy + y * scale + dy) * canvas.width + ox + x * scale) * 4;
          for (let dx = 0; dx < scale; dx++, p += 4) {
            px[p] = nonfinite ? 255 : r; px[p + 1] = nonfinite ? 0 : g; px[p + 2] = nonfinite ? 0 : b; px[p + 3] = 255;
          }
        }
      }
    }
  }
  ctx.putImageData(img, 0, 0);
  return { cols, rows, tw, th, gap, tiles, rgb, nIn };
}

/** The weights of one tile (filter o, or its input channel c for grey tiles) as a [1, n, kH, kW] filter. */
export function tileOf(shape, data, t) {
  const [, nIn, kH, kW] = shape;
  const rgb = nIn === 3;
  const o = rgb ? t : Math.floor(t / nIn), c = rgb ? 0 : t % nIn;
  const plane = kH * kW, per = nIn * plane;
  const sub = rgb ? data.slice(o * per, (o + 1) * per) : data.slice(o * per + c * plane, o * per + (c + 1) * plane);
  return { shape: [1, rgb ? 3 : 1, kH, kW], data: sub, filter: o, channel: rgb ? null : c };
}

function norm(v, lo, span) {
  return Number.isFinite(v) ? Math.round(255 * (v - lo) / span) : -1;
}

/**
 * Integer nearest-neighbour scale: the largest that keeps a tile at most maxTile px (a 5x5 filter at 60 px,
 * a 28x28 mlp unit at 56 px), fits the width and keeps the grid under maxHeight; never below 1.
 * Tiles are kept apart by a visible gap (about a tenth of a tile), so neighbours never read as one image.
 */
export function gridLayout(tiles, kH, kW, maxWidth, maxHeight, maxTile = 64) {
  const k = Math.max(kH, kW);
  let scale = Math.max(1, Math.floor(maxTile / k));
  for (;; scale--) {
    const gap = Math.max(2, Math.min(6, Math.round(scale * k / 10)));
    const cols = Math.max(1, Math.min(tiles, Math.floor((maxWidth + gap) / (kW * scale + gap))));
    const rows = Math.ceil(tiles / cols);
    const fits = kW * scale <= maxWidth && rows * (kH * scale + gap) - gap <= maxHeight;
    // same rows, evened out: 8 filters as 4 + 4 rather than 5 + 3
    if (fits || scale === 1) return { scale, gap, cols: Math.ceil(tiles / rows), rows };
  }
}
