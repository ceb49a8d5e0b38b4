// The sweep page's small canvas charts: metric vs each parameter (small multiples),
// best-so-far vs trial number, and every trial's metric curve overlaid. Points and lines
// are batched by colour bin (one path per bin), so 10,000 trials are a few dozen fills.

import { Axis, COLORS, NO_VALUE, groupBin, groupFaded } from '../sweep-model.js';

const PAD = { left: 48, right: 10, top: 22, bottom: 34 };
const MISSING_ROW = 5;   // no value (failed): a row of points just under the frame, above the tick labels

/** A canvas sized to its box (device pixels), with a plot frame and the axis drawing helpers. */
class Frame {
  constructor({ id, title, width, height, cls = '' }) {
    this.title = title;
    this.fixedWidth = width;
    this.height = height;
    this.canvas = document.createElement('canvas');
    if (id) this.canvas.id = id;
    this.canvas.className = 'sweep-canvas ' + cls;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', title);
  }

  begin(width) {
    const w = this.fixedWidth || Math.max(240, width || 600);
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(this.height * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(this.height * dpr);
      this.canvas.style.width = w + 'px';
      this.canvas.style.height = this.height + 'px';
    }
    this.w = w;
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, this.height);
    this.x0 = PAD.left; this.x1 = w - PAD.right; this.y0 = PAD.top; this.y1 = this.height - PAD.bottom;
    return ctx;
  }

  px(t) { return this.x0 + t * (this.x1 - this.x0); }
  py(t) { return this.y1 - t * (this.y1 - this.y0); }

  axes(ctx, xAxis, yAxis) {
    ctx.strokeStyle = '#d1d5db';
    ctx.lineWidth = 1;
    ctx.strokeRect(this.x0, this.y0, this.x1 - this.x0, this.y1 - this.y0);
    ctx.font = '10px system-ui, sans-serif';
    ctx.fillStyle = '#4b5563';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const xt = xAxis.ticks();
    const every = Math.max(1, Math.ceil(xt.length * 46 / (this.x1 - this.x0)));
    xt.forEach((tk, k) => {
      if (tk.t < -1e-9 || tk.t > 1 + 1e-9) return;
      const x = this.px(tk.t);
      ctx.beginPath(); ctx.moveTo(x, this.y1); ctx.lineTo(x, this.y1 + 9); ctx.stroke();
      if (k % every === 0) ctx.fillText(tk.label.length > 9 ? tk.label.slice(0, 8) + '…' : tk.label, x, this.y1 + 11);
    });
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const tk of yAxis.ticks()) {
      if (tk.t < -1e-9 || tk.t > 1 + 1e-9) continue;
      const y = this.py(tk.t);
      ctx.beginPath(); ctx.moveTo(this.x0 - 3, y); ctx.lineTo(this.x0, y); ctx.stroke();
      ctx.fillText(tk.label, this.x0 - 5, y);
    }
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.fillStyle = '#111827';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    ctx.fillText(this.title, this.x0, this.y0 - 7);
  }
}

/** Deterministic jitter inside a categorical slot, so equal values do not hide each other. */
function jitter(i) {
  return (((i * 2654435761) >>> 0) % 1000) / 1000 - 0.5;
}

/** Metric vs one parameter. */
export class ParamScatter {
  constructor(axisIndex, title) {
    this.a = axisIndex;
    this.frame = new Frame({ title, width: 250, height: 190, cls: 'scatter' });
    this.el = this.frame.canvas;
    this.el.dataset.axis = String(axisIndex);
  }

  draw(set, mask, brushed) {
    const f = this.frame, ctx = f.begin();
    const axis = set.allAxes[this.a], xs = set.cols[this.a], ys = set.cols[set.cols.length - 1];
    const slot = axis.kind === 'cat' ? 0.6 / axis.cats.length : 0;
    const pos = (i) => {
      const xt = xs[i], yt = ys[i];
      if (xt !== xt) return false;
      P.x = f.px(slot ? xt + slot * jitter(i) : xt);
      P.y = yt === yt ? f.py(yt) : f.y1 + MISSING_ROW;
      return true;
    };
    staticLayer(f, set, brushed, (g) => f.axes(g, axis, set.metricAxis), pos);
    drawPoints(f, ctx, set, mask, pos);
  }
}

/** Where pos(i) puts trial i (CSS pixels); it returns false for a trial that has no place. */
const P = { x: 0, y: 0 };
const RGB = COLORS.map((c) => c.match(/\d+/g).map(Number));
const NO_VALUE_RGB = [200, 40, 40];
const POINT = 3;   // CSS pixels

/**
 * Points per drawing group (pruned ones faded, no-value ones red), best on top, written straight
 * into the pixels of the cached static layer: 10,000 points x 9 pixels blended in a typed array
 * and one putImageData cost about a millisecond, where 10,000 canvas rects cost several.
 */
function drawPoints(frame, ctx, set, mask, pos) {
  const W = frame.canvas.width, H = frame.canvas.height, dpr = window.devicePixelRatio || 1;
  if (!frame.img || frame.img.width !== W || frame.img.height !== H) frame.img = ctx.createImageData(W, H);
  const px = frame.img.data;
  px.set(frame.layerPixels);
  const s = Math.max(2, Math.round(POINT * dpr)), half = s / 2;
  let r = 0, g = 0, b = 0, a = 0;
  set.eachGroup(mask, (grp) => {
    [r, g, b] = grp === 0 ? NO_VALUE_RGB : RGB[groupBin(grp)];
    a = grp === 0 ? 0.5 : groupFaded(grp) ? 0.3 : 0.85;
  }, (i) => {
    if (!pos(i)) return;
    const x0 = Math.max(0, Math.round(P.x * dpr - half)), y0 = Math.max(0, Math.round(P.y * dpr - half));
    const x1 = Math.min(W, x0 + s), y1 = Math.min(H, y0 + s);
    for (let y = y0; y < y1; y++) {
      for (let k = (y * W + x0) * 4, end = (y * W + x1) * 4; k < end; k += 4) {
        px[k] += (r - px[k]) * a;
        px[k + 1] += (g - px[k + 1]) * a;
        px[k + 2] += (b - px[k + 2]) * a;
        px[k + 3] = 255;
      }
    }
  }, () => {});
  ctx.putImageData(frame.img, 0, 0);
}

/**
 * The layer a brush does not change: a white ground, the frame, its ticks and (when brushed)
 * every trial as a light grey point under the kept ones. Drawn once per data change and size,
 * and kept as pixels the points are then written into.
 */
function staticLayer(frame, set, brushed, drawAxes, pos) {
  const key = set.builds + ':' + brushed + ':' + frame.canvas.width + 'x' + frame.canvas.height + ':' + (frame.extraKey || '');
  if (frame.layerKey === key) return;
  const bg = frame.layer || document.createElement('canvas');
  bg.width = frame.canvas.width;
  bg.height = frame.canvas.height;
  const g = bg.getContext('2d', { willReadFrequently: true });
  const dpr = window.devicePixelRatio || 1;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.fillStyle = '#fff';
  g.fillRect(0, 0, frame.w, frame.height);
  drawAxes(g);
  if (brushed) {
    g.fillStyle = 'rgba(150,150,150,0.25)';
    g.beginPath();
    for (let i = 0; i < set.size; i++) if (pos(i)) g.rect(P.x - POINT / 2, P.y - POINT / 2, POINT, POINT);
    g.fill();
  }
  frame.layer = bg;
  frame.layerPixels = g.getImageData(0, 0, bg.width, bg.height).data;
  frame.layerKey = key;
}

/** Each trial's value by trial number, and the best finished value so far as a step line. */
export class BestSoFar {
  constructor() {
    this.frame = new Frame({ id: 'best-so-far', title: 'best so far vs trial number', height: 250 });
    this.el = this.frame.canvas;
  }

  draw(set, mask, brushed, width) {
    const f = this.frame, ctx = f.begin(width);
    let maxN = 1;
    for (const t of set.trials) if (t.n > maxN) maxN = t.n;
    const xAxis = new Axis({ key: 'n', label: 'trial', kind: 'num', lo: 0, hi: maxN });
    xAxis.ticks = intTicks(xAxis);
    const ys = set.cols[set.cols.length - 1];
    const pos = (i) => {
      const yt = ys[i];
      P.x = f.px(set.trials[i].n / maxN);
      P.y = yt === yt ? f.py(yt) : f.y1 + MISSING_ROW;
      return true;
    };
    staticLayer(f, set, brushed, (g) => f.axes(g, xAxis, set.metricAxis), pos);
    drawPoints(f, ctx, set, mask, pos);
    const m = set.metricAxis;
    ctx.strokeStyle = '#111827';
    ctx.lineWidth = 2;
    ctx.beginPath();
    let started = false, lastY = 0;
    for (const p of set.best) {
      if (p.best !== p.best) continue;
      const x = f.px(p.n / maxN), y = f.py((p.best - m.lo) / (m.hi - m.lo));
      if (!started) { ctx.moveTo(x, y); started = true; } else { ctx.lineTo(x, lastY); ctx.lineTo(x, y); }
      lastY = y;
    }
    if (started) { ctx.lineTo(f.x1, lastY); ctx.stroke(); }
  }
}

function intTicks(axis) {
  return () => axis.constructor.prototype.ticks.call(axis).filter((t) => Number.isInteger(Number(t.label)) || /e/.test(t.label));
}

/** Every loaded trial's metric curve (step on x), coloured like its trial, pruned ones faded. */
export class CurveOverlay {
  constructor(tag) {
    this.frame = new Frame({ id: 'curves', title: tag + ' of the best and selected trials, by step', height: 250 });
    this.el = this.frame.canvas;
  }

  /** curves: Map run id -> {step[], last[]}; rows: trial indices to draw (their curves loaded). */
  draw(set, rows, curves, width) {
    const f = this.frame, ctx = f.begin(width);
    let xMax = 1, lo = Infinity, hi = -Infinity;
    for (const i of rows) {
      const c = curves.get(set.trials[i].run);
      if (!c) continue;
      for (let k = 0; k < c.step.length; k++) {
        const v = c.last[k];
        if (typeof v !== 'number' || !Number.isFinite(v)) continue;
        if (c.step[k] > xMax) xMax = c.step[k];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (lo === Infinity) { lo = set.metricAxis.lo; hi = set.metricAxis.hi; }
    if (lo === hi) { lo -= 0.5; hi += 0.5; }
    const xAxis = new Axis({ key: 'step', label: 'step', kind: 'num', lo: 0, hi: xMax });
    const yAxis = new Axis({ key: 'v', label: '', kind: 'num', lo, hi });
    f.axes(ctx, xAxis, yAxis);
    ctx.lineWidth = 1.25;
    // pruned first and faded, the rest on top; the best trial last and thicker
    const order = [...rows].sort((a, b) => set.pruned[b] - set.pruned[a] || (a === set.bestIndex) - (b === set.bestIndex));
    for (const i of order) {
      const c = curves.get(set.trials[i].run);
      if (!c || !c.step.length) continue;
      const bin = set.color[i];
      ctx.strokeStyle = bin === NO_VALUE ? '#c82828' : COLORS[bin];
      ctx.globalAlpha = set.pruned[i] ? 0.3 : 0.9;
      ctx.lineWidth = i === set.bestIndex ? 2.5 : 1.25;
      ctx.beginPath();
      let pen = false;
      for (let k = 0; k < c.step.length; k++) {
        const v = c.last[k];
        if (typeof v !== 'number' || !Number.isFinite(v)) { pen = false; continue; }
        const x = f.px(c.step[k] / xMax), y = f.py((v - lo) / (hi - lo));
        if (pen) ctx.lineTo(x, y); else { ctx.moveTo(x, y); pen = true; }
      }
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
  }
}
