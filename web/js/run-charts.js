// The run page's charts: one store of TagSeries, four uPlot charts fed from it,
// at most one redraw per animation frame, zoom that fetches full resolution.

import { h, mount } from './dom.js';
import { api, stats } from './api.js';
import { TagSeries, POINTS, align, project, plottable, smooth } from './series.js';
import { makeChart, markersPlugin, ratioBandPlugin, PALETTE } from './charts/chart.js';

const SMOOTHED = new Set(['loss', 'train_acc']);

export const CHARTS = [
  { id: 'loss', title: 'Loss', wants: (t) => t === 'loss' || t === 'val_loss' || t === 'reg_loss', logToggle: true },
  { id: 'acc', title: 'Accuracy: train vs validation', wants: (t) => t === 'train_acc' || t === 'val_acc' },
  { id: 'ratio', title: 'Update ratio ||ΔW|| / ||W|| per layer (target 1e-3)', wants: (t) => t.startsWith('update_ratio/'), log: true },
  { id: 'lr', title: 'Learning rate per layer', wants: (t) => t.startsWith('lr/'), log: true },
];

export function chartForAlert(a) {
  const tag = a.tag || '';
  if (tag.startsWith('update_ratio/')) return 'ratio';
  if (tag.startsWith('lr/')) return 'lr';
  if (tag === 'train_acc' || tag === 'val_acc' || a.kind === 'overfitting') return 'acc';
  return 'loss';
}

export class RunCharts {
  constructor(runId) {
    this.runId = runId;
    this.series = new Map();       // tag -> TagSeries (the overview, grows live)
    this.zoom = null;              // {from, to, series: Map} while zoomed
    this.smoothing = 0.6;
    this.logLoss = false;
    this.alerts = [];
    this.stepsPerEpoch = null;
    this.charts = new Map();       // id -> {u, layout, el, tagsKey}
    this.dirty = new Set();
    this.frame = 0;
    this.el = h('div.charts');
    this.boxes = new Map();
    for (const c of CHARTS) {
      const plot = h('div.plot');
      const note = h('span.chart-note');
      const box = h('section.chart-box', { id: 'chart-' + c.id, dataset: { chart: c.id } }, h('h3', c.title, note), plot);
      this.boxes.set(c.id, { box, plot, note });
      this.el.appendChild(box);
    }
  }

  tags() { return [...this.series.keys()]; }

  /** Starts fetching tags at screen resolution: tag -> promise of a scalars response (or null). */
  fetch(tags) {
    const out = new Map();
    for (const t of tags) if (CHARTS.some((c) => c.wants(t))) out.set(t, api.scalars(this.runId, t, POINTS).catch(() => null));
    return out;
  }

  /** Replaces the overview with fetched series; returns the smallest seq they reflect. */
  async load(pending) {
    let seq = null;
    const series = new Map();
    for (const [tag, p] of pending) {
      const r = await p;
      if (!r || !r.step || !r.step.length) continue;   // a tag this run never wrote
      const s = TagSeries.from(r);
      s.tag = tag;
      series.set(tag, s);
      if (typeof r.seq === 'number') seq = seq == null ? r.seq : Math.min(seq, r.seq);
    }
    this.series = series;
    this.markAll();
    return seq;
  }

  /** A live columnar batch: {step[], values: {tag: []}}. */
  append(msg) {
    const steps = msg.step || [];
    for (const [tag, vals] of Object.entries(msg.values || {})) {
      if (!CHARTS.some((c) => c.wants(tag))) continue;
      let s = this.series.get(tag);
      if (!s) { s = new TagSeries(tag); this.series.set(tag, s); }
      let added = false;
      for (let i = 0; i < steps.length; i++) {
        const v = vals[i];
        if (v === null || v === undefined) continue;
        added = s.append(steps[i], typeof v === 'number' ? v : Number(v)) || added;
      }
      if (added) this.markFor(tag);
    }
  }

  setAlerts(alerts) { this.alerts = alerts; this.markAll(); }
  setSmoothing(w) { this.smoothing = w; this.markAll(); }
  setLogLoss(on) { this.logLoss = on; this.destroy('loss'); this.markAll(); }

  markFor(tag) {
    for (const c of CHARTS) if (c.wants(tag)) this.dirty.add(c.id);
    this.schedule();
  }

  markAll() { for (const c of CHARTS) this.dirty.add(c.id); this.schedule(); }

  /** One redraw per animation frame, however many batches arrived. */
  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      const t0 = performance.now();
      this.frame = 0;
      const ids = [...this.dirty];
      this.dirty.clear();
      for (const id of ids) this.draw(CHARTS.find((c) => c.id === id));
      stats.drawMs += performance.now() - t0;
      stats.frames++;
    });
  }

  source() { return this.zoom ? this.zoom.series : this.series; }

  draw(def) {
    const src = this.source();
    const tags = [...this.series.keys()].filter(def.wants).sort(tagOrder);
    const { box, plot, note } = this.boxes.get(def.id);
    box.hidden = tags.length === 0;
    if (!tags.length) return;
    const layout = this.layout(def, tags, src);
    const key = layout.map((l) => l.tag + ':' + l.kind).join('|') + (def.id === 'loss' ? this.logLoss : '');
    let c = this.charts.get(def.id);
    if (!c || c.key !== key) {
      if (c) c.u.destroy();
      const log = def.log || (def.logToggle && this.logLoss);
      c = { key, layout, el: plot, def, u: this.create(def, layout, plot, log), log };
      this.charts.set(def.id, c);
    }
    const data = this.data(c.layout, src, c.log);
    c.u.setData(data, !this.zoom);
    box.dataset.points = data[0].length;        // what a reader (or a browser test) can check
    box.dataset.lastStep = data[0].length ? data[0][data[0].length - 1] : '';
    box.dataset.drawn = (Number(box.dataset.drawn) || 0) + 1;
    box.dataset.maxGap = maxGap(data[0]);
    if (!box.dataset.firstDrawMs && data[0].length) box.dataset.firstDrawMs = performance.now().toFixed(1);
    if (this.zoom) c.u.setScale('x', { min: this.zoom.from, max: this.zoom.to });
    const down = tags.some((t) => src.get(t)?.downsampled);
    const nf = tags.reduce((n, t) => n + (src.get(t)?.nonfinite.reduce((a, b) => a + b, 0) || 0), 0);
    note.textContent = [down ? 'downsampled: band = min/max' : '', nf ? nf + ' non-finite (▼)' : '', this.zoom ? 'zoomed (double-click to reset)' : '']
      .filter(Boolean).join(' · ');
    note.classList.toggle('warn', nf > 0);
  }

  /** Which uPlot series a chart has: per tag raw/smoothed/band edges, or one line per layer. */
  layout(def, tags, src) {
    const out = [];
    let colour = 0;
    for (const tag of tags) {
      const col = tag === 'val_loss' || tag === 'val_acc' ? '#d62728' : tag === 'reg_loss' ? '#7f7f7f' : PALETTE[colour++ % PALETTE.length];
      if (SMOOTHED.has(tag)) {
        out.push({ tag, kind: 'max', col }, { tag, kind: 'min', col });
        out.push({ tag, kind: 'raw', col }, { tag, kind: 'smooth', col });
      } else if (tag.startsWith('val_')) out.push({ tag, kind: 'points', col });
      else out.push({ tag, kind: 'line', col });
    }
    return out;
  }

  create(def, layout, el, log) {
    const series = layout.map((l) => {
      const short = l.tag.replace(/^(update_ratio|lr)\//, '');
      switch (l.kind) {
        case 'max': case 'min': return { label: l.tag + ' ' + l.kind, stroke: 'transparent', width: 0, hideLegend: true };
        case 'raw': return { label: l.tag + ' raw', stroke: fade(l.col, 0.35), width: 1 };
        case 'smooth': return { label: l.tag + ' smoothed', stroke: l.col, width: 2 };
        case 'points': return { label: l.tag, stroke: l.col, width: 1.5, spanGaps: true, points: { show: true, size: 5, fill: l.col } };
        default: return { label: l.tag === 'reg_loss' ? 'reg_loss' : short, stroke: l.col, width: 1.5, dash: l.tag === 'reg_loss' ? [4, 4] : undefined };
      }
    });
    const bands = [];
    layout.forEach((l, i) => { if (l.kind === 'max') bands.push({ series: [i + 1, i + 2], fill: fade(l.col, 0.15) }); });
    const plugins = [markersPlugin(() => this.marks(def, layout))];
    if (def.id === 'ratio') plugins.unshift(ratioBandPlugin());
    return makeChart({
      el, series, bands, log, plugins, syncKey: 'run-' + this.runId, height: 230,
      range: def.id === 'acc' ? (u, min, max) => [Math.min(0, min ?? 0), Math.max(1, max ?? 1)] : undefined,
      logRange: def.id === 'ratio' ? [1e-5, 1e-1] : undefined,
      onZoom: (from, to) => this.zoomTo(from, to),
      onReset: () => this.resetZoom(),
    });
  }

  data(layout, src, log) {
    const tags = [...new Set(layout.map((l) => l.tag))];
    const { x, idx } = align(tags.map((t) => src.get(t)));
    const n = x.length;
    const cols = [x];
    const cache = new Map();
    for (const l of layout) {
      const s = src.get(l.tag);
      const map = idx[tags.indexOf(l.tag)];
      if (!s) { cols.push(new Array(n).fill(null)); continue; }
      if (!cache.has(l.tag)) cache.set(l.tag, plottable(s.last, log));
      let v;
      switch (l.kind) {
        case 'max': v = s.downsampled ? plottable(s.max, log) : new Array(s.length).fill(null); break;
        case 'min': v = s.downsampled ? plottable(s.min, log) : new Array(s.length).fill(null); break;
        case 'smooth': v = smooth(cache.get(l.tag), this.smoothing); break;
        default: v = cache.get(l.tag);
      }
      cols.push(project(v, map, n));
    }
    return cols;
  }

  marks(def, layout) {
    const src = this.source();
    const nonfinite = [];
    for (const tag of new Set(layout.map((l) => l.tag))) {
      const s = src.get(tag);
      if (s) for (let i = 0; i < s.length; i++) if (s.nonfinite[i] > 0) nonfinite.push(s.step[i]);
    }
    const epochs = [];
    const spe = this.stepsPerEpoch;
    const last = Math.max(0, ...[...src.values()].map((s) => s.lastStep()));
    if (spe > 0 && last / spe < 500) for (let e = spe; e <= last; e += spe) epochs.push(e);
    const alerts = this.alerts.filter((a) => chartForAlert(a) === def.id)
      .map((a) => ({ step: a.step, text: a.message + (a.advice ? ' — ' + a.advice : '') }));
    return { epochs, nonfinite, alerts };
  }

  async zoomTo(from, to) {
    from = Math.max(0, Math.floor(from));
    to = Math.ceil(to);
    if (to - from < 2) return;
    const tags = this.tags();
    const res = await Promise.all(tags.map((t) => api.scalars(this.runId, t, POINTS, from, to).catch(() => null)));
    const series = new Map();
    res.forEach((r, i) => { if (r) { const s = TagSeries.from(r); s.tag = tags[i]; series.set(tags[i], s); } });
    this.zoom = { from, to, series };
    this.markAll();
  }

  resetZoom() {
    if (!this.zoom) return;
    this.zoom = null;
    this.markAll();
  }

  destroy(id) {
    const c = this.charts.get(id);
    if (c) { c.u.destroy(); this.charts.delete(id); }
  }

  dispose() {
    cancelAnimationFrame(this.frame);
    for (const id of [...this.charts.keys()]) this.destroy(id);
  }
}

/** Widest step distance between neighbouring points: a lost stretch of a run shows up here. */
function maxGap(x) {
  let g = 0;
  for (let i = 1; i < x.length; i++) g = Math.max(g, x[i] - x[i - 1]);
  return g;
}

function tagOrder(a, b) {
  const rank = (t) => (t === 'loss' || t === 'train_acc' ? 0 : t.startsWith('val_') ? 2 : 1);
  return rank(a) - rank(b) || a.localeCompare(b);
}

function fade(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})`;
}
