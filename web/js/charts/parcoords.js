// Parallel coordinates on one canvas: an axis per parameter (log axes in decades, categorical
// axes with a slot per value) and the metric axis last; each trial one polyline coloured by
// how good its metric is. Lines are batched by colour (one path per colour bin), so 10,000
// trials are about 30 strokes. Drag along an axis to brush it (the page filters everything
// else by the brushes), click an axis to clear its brush, double-click to clear them all.

import { COLORS, groupBin, groupFaded } from '../sweep-model.js';

const PAD = { left: 56, right: 70, top: 44, bottom: 36 };
const MISSING_GAP = 16;   // no value (a failed trial's metric): drawn just below the axis
const GRAB = 16;

export class ParCoords {
  constructor({ onBrush, height = 320 }) {
    this.onBrush = onBrush;
    this.height = height;
    this.brushes = new Map();   // axis index -> [t0, t1]
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'parcoords-canvas';
    this.canvas.id = 'parcoords';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'parallel coordinates: drag along an axis to filter trials, double-click to clear');
    this.el = document.createElement('div');
    this.el.className = 'parcoords';
    this.el.appendChild(this.canvas);
    this.drag = null;
    this.canvas.addEventListener('pointerdown', (e) => this.down(e));
    this.canvas.addEventListener('pointermove', (e) => this.move(e));
    this.canvas.addEventListener('pointerup', (e) => this.up(e));
    this.canvas.addEventListener('dblclick', () => this.clear());
  }

  /** set: a built TrialSet; mask: 1 = inside every brush; warnings: [{path, side}]. */
  setData(set, mask, warnings = []) {
    this.set = set;
    this.mask = mask;
    this.warnings = warnings;
  }

  layout() {
    const w = Math.max(320, this.el.clientWidth || 800);
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(this.height * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(this.height * dpr);
      this.canvas.style.width = w + 'px';
      this.canvas.style.height = this.height + 'px';
    }
    this.w = w;
    this.dpr = dpr;
    const n = this.set ? this.set.allAxes.length : 2;
    this.xs = [];
    for (let a = 0; a < n; a++) this.xs.push(PAD.left + (n === 1 ? 0 : a * (w - PAD.left - PAD.right) / (n - 1)));
    this.y0 = PAD.top;
    this.y1 = this.height - PAD.bottom;
  }

  y(t) {
    return t === t ? this.y1 - t * (this.y1 - this.y0) : this.y1 + MISSING_GAP;
  }

  draw() {
    if (!this.set) return;
    this.layout();
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.w, this.height);
    const set = this.set, n = set.size, mask = this.mask;
    let shown = 0;
    for (let i = 0; i < n; i++) shown += mask[i];
    // brushed out: every line in grey, drawn once per data change and size, then copied
    if (this.brushes.size > 0) ctx.drawImage(this.background(), 0, 0, this.w, this.height);
    // the more lines, the fainter each: 10,000 opaque lines are one blot
    const alpha = Math.min(0.9, Math.max(0.06, 15 / Math.sqrt(shown + 1)));
    ctx.lineWidth = 1;
    set.eachGroup(mask, (g) => {
      if (g === 0) { ctx.strokeStyle = '#c82828'; ctx.globalAlpha = Math.min(0.6, alpha * 1.5); ctx.setLineDash([3, 3]); }
      else { ctx.strokeStyle = COLORS[groupBin(g)]; ctx.globalAlpha = groupFaded(g) ? alpha * 0.35 : alpha; }
      ctx.beginPath();
    }, (i) => this.line(ctx, i), (g) => { ctx.stroke(); if (g === 0) ctx.setLineDash([]); });
    ctx.globalAlpha = 1;
    const best = set.bestIndex;
    if (best >= 0 && mask[best]) {
      ctx.lineWidth = 4; ctx.strokeStyle = '#fff'; ctx.beginPath(); this.line(ctx, best); ctx.stroke();
      ctx.lineWidth = 2; ctx.strokeStyle = '#111827'; ctx.beginPath(); this.line(ctx, best); ctx.stroke();
    }
    this.drawAxes(ctx);
  }

  line(ctx, i) {
    const cols = this.set.cols, xs = this.xs, span = this.y1 - this.y0, y1 = this.y1, miss = this.y1 + MISSING_GAP;
    for (let a = 0; a < cols.length; a++) {
      const t = cols[a][i];
      const y = t === t ? y1 - t * span : miss;
      if (a === 0) ctx.moveTo(xs[a], y); else ctx.lineTo(xs[a], y);
    }
  }

  background() {
    const key = this.set.builds + ':' + this.canvas.width + 'x' + this.canvas.height;
    if (this.bgKey === key) return this.bg;
    const bg = this.bg || document.createElement('canvas');
    bg.width = this.canvas.width;
    bg.height = this.canvas.height;
    const ctx = bg.getContext('2d');
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, this.w, this.height);
    ctx.strokeStyle = 'rgba(120,120,120,' + Math.min(0.3, Math.max(0.05, 3 / Math.sqrt(this.set.size + 1))) + ')';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let i = 0; i < this.set.size; i++) this.line(ctx, i);
    ctx.stroke();
    this.bg = bg;
    this.bgKey = key;
    return bg;
  }

  drawAxes(ctx) {
    const axes = this.set.allAxes;
    ctx.font = '11px system-ui, sans-serif';
    ctx.lineWidth = 1;
    axes.forEach((axis, a) => {
      const x = this.xs[a];
      ctx.strokeStyle = '#374151';
      ctx.beginPath(); ctx.moveTo(x, this.y0); ctx.lineTo(x, this.y1); ctx.stroke();
      ctx.fillStyle = '#374151';
      ctx.textAlign = 'right';
      ctx.textBaseline = 'middle';
      for (const tk of axis.ticks()) {
        const y = this.y(tk.t);
        ctx.beginPath(); ctx.moveTo(x - 4, y); ctx.lineTo(x, y); ctx.stroke();
        ctx.fillText(clipText(ctx, tk.label, a === 0 ? PAD.left - 8 : 76), x - 6, y);
      }
      ctx.textAlign = 'center';
      ctx.textBaseline = 'alphabetic';
      ctx.font = '600 12px system-ui, sans-serif';
      ctx.fillStyle = '#111827';
      const room = a === 0 || a === axes.length - 1 ? 110 : Math.max(60, (this.xs[1] - this.xs[0]) - 8);
      ctx.fillText(clipText(ctx, axis.label, room), Math.min(Math.max(x, room / 2), this.w - room / 2), this.y0 - 24);
      ctx.font = '11px system-ui, sans-serif';
      ctx.fillStyle = '#6b7280';
      ctx.fillText(axis.kind === 'cat' ? 'categorical' : axis.log ? 'log' : axis.key === '__metric' ? 'metric' : 'linear', x, this.y0 - 10);
      if (axis.key === '__metric') {
        // the colour scale is the metric axis itself: a bar beside it, worst to best
        for (let k = 0; k < COLORS.length; k++) {
          const t0 = k / COLORS.length, t1 = (k + 1) / COLORS.length;
          const c = this.set.goalMax ? k : COLORS.length - 1 - k;
          ctx.fillStyle = COLORS[c];
          ctx.fillRect(x + 3, this.y(t1), 5, this.y(t0) - this.y(t1) + 0.5);
        }
      }
      const b = this.brushes.get(a);
      if (b) {
        ctx.fillStyle = 'rgba(37,99,235,0.18)';
        ctx.strokeStyle = '#2563eb';
        const top = this.y(b[1]), bot = this.y(b[0]);
        ctx.fillRect(x - 8, top, 16, bot - top);
        ctx.strokeRect(x - 8, top, 16, bot - top);
      }
      for (const w of this.warnings || []) {
        if (w.path !== axis.key) continue;
        const y = w.side === 'high' ? this.y0 : this.y1;
        ctx.fillStyle = '#d97706';
        ctx.beginPath();
        ctx.moveTo(x + 6, y); ctx.lineTo(x + 14, y - 5); ctx.lineTo(x + 14, y + 5); ctx.closePath(); ctx.fill();
      }
    });
    ctx.fillStyle = '#9ca3af';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText('no value', 4, this.y1 + MISSING_GAP);
  }

  axisAt(px) {
    let best = -1, d = GRAB;
    this.xs.forEach((x, a) => { if (Math.abs(px - x) < d) { d = Math.abs(px - x); best = a; } });
    return best;
  }

  tAt(py) {
    return Math.min(1, Math.max(0, (this.y1 - py) / (this.y1 - this.y0)));
  }

  point(e) {
    const r = this.canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  }

  down(e) {
    if (!this.set) return;
    const p = this.point(e);
    const a = this.axisAt(p.x);
    if (a < 0) return;
    this.canvas.setPointerCapture?.(e.pointerId);
    this.drag = { a, from: this.tAt(p.y), fromY: p.y, moved: false };
    e.preventDefault();
  }

  move(e) {
    const p = this.point(e);
    if (!this.drag) { this.canvas.style.cursor = this.axisAt(p.x) >= 0 ? 'ns-resize' : 'default'; return; }
    if (Math.abs(p.y - this.drag.fromY) < 3 && !this.drag.moved) return;
    this.drag.moved = true;
    const t = this.tAt(p.y);
    this.brushes.set(this.drag.a, [Math.min(t, this.drag.from), Math.max(t, this.drag.from)]);
    this.changed();
  }

  up() {
    if (!this.drag) return;
    if (!this.drag.moved) { this.brushes.delete(this.drag.a); this.changed(true); }   // a click on an axis clears its brush
    else this.changed(true);
    this.drag = null;
  }

  /** Sets one brush in axis units [0, 1] (also the tests' and the benchmark's way in); null clears it. */
  brush(a, range) {
    if (range) this.brushes.set(a, [Math.min(...range), Math.max(...range)]); else this.brushes.delete(a);
    this.changed(true);
  }

  clear() {
    this.brushes.clear();
    this.changed(true);
  }

  /**
   * The brushes in the axes' own units, keyed by axis key, for a shareable URL: a numeric axis
   * gives [low, high] values (not positions, so it survives axes that rescale as trials come),
   * a categorical one the list of its chosen categories: {"optimizer.lr": [0.01, 0.3], "model.hidden": ["[50]"]}.
   */
  brushState() {
    const out = {};
    if (!this.set) return out;
    for (const [a, [t0, t1]] of this.brushes) {
      const axis = this.set.allAxes[a];
      if (!axis) continue;
      out[axis.key] = axis.kind === 'cat'
        ? axis.cats.filter((c, i) => { const p = (i + 0.5) / axis.cats.length; return p >= t0 && p <= t1; })
        : [axis.value(t0), axis.value(t1)];
    }
    return out;
  }

  /** Replaces every brush from brushState()'s shape (unknown axes and malformed ranges are skipped); redraws once. */
  setBrushState(state) {
    this.brushes.clear();
    for (const [key, range] of Object.entries(state || {})) {
      const a = this.set ? this.set.allAxes.findIndex((x) => x.key === key) : -1;
      if (a < 0 || !Array.isArray(range) || !range.length) continue;
      const axis = this.set.allAxes[a];
      let ts;
      if (axis.kind === 'cat') {
        const idx = range.map((c) => axis.catIndex.get(String(c))).filter((i) => i != null);
        if (!idx.length) continue;
        const n = axis.cats.length;
        ts = [Math.min(...idx) / n, (Math.max(...idx) + 1) / n];
      } else {
        if (range.length !== 2) continue;
        ts = range.map((v) => axis.pos(v)).filter((t) => t === t);
        if (ts.length !== 2) continue;
      }
      this.brushes.set(a, [Math.max(0, Math.min(...ts)), Math.min(1, Math.max(...ts))]);
    }
    this.changed(true);
  }

  changed(now = false) {
    if (now) { cancelAnimationFrame(this.raf); this.raf = 0; this.onBrush(this.brushes); return; }
    if (this.raf) return;
    this.raf = requestAnimationFrame(() => { this.raf = 0; this.onBrush(this.brushes); });
  }
}

function clipText(ctx, s, max) {
  if (ctx.measureText(s).width <= max) return s;
  let t = s;
  while (t.length > 1 && ctx.measureText(t + '…').width > max) t = t.slice(0, -1);
  return t + '…';
}
