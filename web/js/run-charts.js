// The run page's charts: one store of TagSeries, four uPlot charts fed from it,
// at most one redraw per animation frame, zoom that fetches full resolution.

import { h, mount } from './dom.js';
import { api, stats } from './api.js';
import { TagSeries, POINTS, align, project, plottable, smooth } from './series.js';
import { makeChart, markersPlugin, ratioBandPlugin, PALETTE, DASHES } from './charts/chart.js';
import { xAxis, mapper, mapSteps } from './charts/x-axis.js';
import { severityOf } from './alerts.js';

const SMOOTHED = new Set(['loss', 'train_acc']);

export const CHARTS = [
  { id: 'loss', title: 'Loss', wants: (t) => t === 'loss' || t === 'val_loss' || t === 'reg_loss' || t === 'val_loss_avg', logToggle: true },
  { id: 'acc', title: 'Accuracy: train vs validation', wants: (t) => t === 'train_acc' || t === 'val_acc' || t === 'val_acc_avg' },
  { id: 'ratio', title: 'Update ratio ||ΔW|| / ||W|| per layer (target\u00a01e\u20113)', wants: (t) => t.startsWith('update_ratio/'), log: true },
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
    this.onView = null;            // told when the zoom changes (the page keeps it in the URL)
    this.smoothing = 0.6;
    this.logLoss = false;
    this.alerts = [];
    this.stepsPerEpoch = null;
    this.xMode = 'step';
    this.totalLoss = false;        // false: the loss chart draws the data loss (loss - reg_loss), comparable with val_loss
    this.clock = null;             // {step[], t[]} wall-clock anchors for the time axes
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
  setXMode(mode) { this.xMode = mode; this.zoom = null; for (const id of [...this.charts.keys()]) this.destroy(id); this.markAll(); }

  /** step -> x of the chosen axis (identity for steps); null while that axis has nothing to go on. */
  xMap() { return mapper(this.xMode, { spe: this.stepsPerEpoch, clock: this.clock }); }

  /** Live records carry their wall time: the newest one extends the clock the time axes read. */
  tick(step, t) {
    if (!this.clock) return;
    const c = this.clock, n = c.step.length;
    if (!n || step > c.step[n - 1]) { c.step.push(step); c.t.push(t); }
  }

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

  source() { return this.view(this.zoom ? this.zoom.series : this.series); }

  setTotalLoss(on) { this.totalLoss = on; this.markAll(); }

  /**
   * `loss` includes the l2 term, val_loss does not: drawn side by side the validation loss looks
   * far lower than it is. Unless the total is asked for, `loss` is replaced by loss - reg_loss.
   */
  view(src) {
    if (this.totalLoss) return src;
    const loss = src.get('loss'), reg = src.get('reg_loss');
    if (!loss || !reg || !reg.length) return src;
    const c = this.dataCache;
    if (c && c.loss === loss && c.reg === reg && c.n === loss.length && c.m === reg.length && c.last === loss.lastStep()) {
      const out = new Map(src); out.set('loss', c.series); return out;
    }
    const series = dataLoss(loss, reg);
    this.dataCache = { loss, reg, n: loss.length, m: reg.length, last: loss.lastStep(), series };
    const out = new Map(src);
    out.set('loss', series);
    return out;
  }

  lossName() { return this.totalLoss || !this.series.has('reg_loss') ? 'loss' : 'data loss'; }

  draw(def) {
    const src = this.source();
    const tags = [...this.series.keys()].filter(def.wants).sort(tagOrder);
    const { box, plot, note } = this.boxes.get(def.id);
    box.hidden = tags.length === 0;
    if (!tags.length) return;
    const layout = this.layout(def, tags, src);
    const key = layout.map((l) => l.tag + ':' + l.kind).join('|') + (def.id === 'loss' ? this.logLoss + this.lossName() : '') + this.xMode;
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
    box.dataset.lastStep = Math.max(-1, ...tags.map((t) => src.get(t)?.lastStep() ?? -1));
    box.dataset.xMode = this.xMode;
    box.dataset.drawn = (Number(box.dataset.drawn) || 0) + 1;
    box.dataset.maxGap = this.xMode === 'step' ? maxGap(data[0]) : '';
    if (!box.dataset.firstDrawMs && data[0].length) box.dataset.firstDrawMs = performance.now().toFixed(1);
    if (this.zoom) c.u.setScale('x', { min: this.zoom.x[0], max: this.zoom.x[1] });
    const down = tags.some((t) => src.get(t)?.downsampled);
    const nf = tags.reduce((n, t) => n + (src.get(t)?.nonfinite.reduce((a, b) => a + b, 0) || 0), 0);
    note.textContent = [down ? 'downsampled: band = min/max' : '', nf ? nf + ' non-finite (▼)' : '', this.zoom ? 'zoomed (double-click to reset)' : '',
      def.id === 'loss' && this.lossName() === 'data loss' ? 'data loss = loss − reg_loss, as val_loss' : '',
      def.id === 'lr' && tags.length > 1 && sameLines(tags.map((t) => src.get(t))) ? 'all ' + tags.length + ' layers share one lr (lines overlap)' : '']
      .filter(Boolean).join(' · ');
    note.classList.toggle('warn', nf > 0);
  }

  /** Which uPlot series a chart has: per tag raw/smoothed/band edges, or one line per layer. */
  layout(def, tags, src) {
    const out = [];
    let colour = 0;
    for (const tag of tags) {
      const k = colour;
      const col = tag === 'val_loss' || tag === 'val_acc' ? VAL_COLOUR : tag.endsWith('_avg') ? AVG_COLOUR : tag === 'reg_loss' ? '#7f7f7f' : PALETTE[colour++ % PALETTE.length];
      if (SMOOTHED.has(tag)) {
        out.push({ tag, kind: 'max', col }, { tag, kind: 'min', col });
        out.push({ tag, kind: 'raw', col }, { tag, kind: 'smooth', col });
      } else if (tag.startsWith('val_')) out.push({ tag, kind: 'points', col });
      else out.push({ tag, kind: 'line', col, dash: def.id === 'lr' ? DASHES[k % DASHES.length] : undefined });   // flat lr lines that coincide stay told apart
    }
    return out;
  }

  create(def, layout, el, log) {
    const series = layout.map((l) => {
      const short = l.tag.replace(/^(update_ratio|lr)\//, '');
      const name = l.tag === 'loss' ? this.lossName() : l.tag;
      switch (l.kind) {
        case 'max': case 'min': return { label: l.tag + ' ' + l.kind, stroke: 'transparent', width: 0, hideLegend: true };
        case 'raw': return { label: name + ' raw', stroke: fade(l.col, 0.35), width: 1 };
        case 'smooth': return { label: name + ' smoothed', stroke: l.col, width: 2 };
        case 'points': return { label: l.tag, stroke: l.col, width: 1.5, points: { show: sparse, size: 5, fill: l.col } };
        default: return { label: l.tag === 'reg_loss' ? 'reg_loss' : short, stroke: l.col, width: 1.5, dash: l.tag === 'reg_loss' ? [4, 4] : l.dash };
      }
    });
    const bands = [];
    layout.forEach((l, i) => { if (l.kind === 'max') bands.push({ series: [i + 1, i + 2], fill: fade(l.col, 0.15) }); });
    const plugins = [markersPlugin(() => this.marks(def, layout))];
    if (def.id === 'ratio') plugins.unshift(ratioBandPlugin());
    return makeChart({
      el, series, bands, log, plugins, syncKey: 'run-' + this.runId, height: 230,
      x: xAxis(this.xMode), label: def.title + ' against ' + this.xMode,
      range: def.id === 'acc' ? (u, min, max) => [Math.min(0, min ?? 0), Math.max(1, max ?? 1)] : undefined,
      logRange: def.id === 'ratio' ? [1e-5, 1e-1] : undefined,
      onZoom: (from, to) => this.zoomTo(from, to),
      onReset: () => this.resetZoom(),
    });
  }

  data(layout, src, log) {
    const tags = [...new Set(layout.map((l) => l.tag))];
    const list = tags.map((t) => src.get(t) || null);
    const m = this.xMap();
    const { x, idx } = align(list, list.map((s) => s && m ? (this.xMode === 'step' ? s.step : mapSteps(s.step, m)) : null));
    const n = x.length;
    const cols = [x];
    const cache = new Map();
    for (const l of layout) {
      const s = src.get(l.tag);
      const map = idx[tags.indexOf(l.tag)];
      if (!s) { cols.push(new Array(n).fill(undefined)); continue; }
      if (!cache.has(l.tag)) cache.set(l.tag, plottable(s.last, log));
      let v;
      switch (l.kind) {
        case 'max': v = s.downsampled ? plottable(s.max, log) : new Array(s.length).fill(undefined); break;
        case 'min': v = s.downsampled ? plottable(s.min, log) : new Array(s.length).fill(undefined); break;
        case 'smooth': v = smooth(cache.get(l.tag), this.smoothing); break;
        default: v = cache.get(l.tag);
      }
      cols.push(project(v, map, n));
    }
    return cols;
  }

  marks(def, layout) {
    const src = this.source();
    const m = this.xMap();
    if (!m) return {};
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
      .map((a) => ({ step: m.to(a.step), text: a.message + (a.advice ? ' — ' + a.advice : ''), severity: severityOf(a) }));
    return { epochs: epochs.map(m.to), nonfinite: nonfinite.map(m.to), alerts };
  }

  /** from/to are x values of the current axis; the fetch is by step. */
  async zoomTo(x0, x1) {
    const m = this.xMap();
    if (!m) return;
    const from = Math.max(0, Math.floor(m.from(x0))), to = Math.ceil(m.from(x1));
    if (to - from < 2) return;
    const tags = this.tags();
    const res = await Promise.all(tags.map((t) => api.scalars(this.runId, t, POINTS, from, to).catch(() => null)));
    const series = new Map();
    res.forEach((r, i) => { if (r) { const s = TagSeries.from(r); s.tag = tags[i]; series.set(tags[i], s); } });
    this.zoom = { from, to, x: [x0, x1], series };
    this.markAll();
    if (this.onView) this.onView();
  }

  resetZoom() {
    if (!this.zoom) return;
    this.zoom = null;
    this.markAll();
    if (this.onView) this.onView();
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
/** True when every series holds the same values at the same steps (lines drawn on top of each other). */
function sameLines(list) {
  const a = list[0];
  return list.every((s) => s && s.length === a.length && s.last.every((v, i) => v === a.last[i] && s.step[i] === a.step[i]));
}

/** Markers on evaluation points only while they are far enough apart to read as points (not a thick band). */
function sparse(u, si, i0, i1) {
  const ys = u.data[si];
  let n = 0;
  for (let i = i0; i <= i1; i++) if (ys[i] != null && ++n > u.bbox.width / devicePixelRatio / 8) return false;
  return true;
}

function dataLoss(loss, reg) {
  const out = new TagSeries('loss');
  out.downsampled = loss.downsampled;
  let j = 0;
  for (let i = 0; i < loss.length; i++) {
    const st = loss.step[i];
    while (j + 1 < reg.length && reg.step[j + 1] <= st) j++;   // reg_loss at this step, or the newest before it
    const r = reg.step[j] <= st ? reg.last[j] : null;
    const sub = (v) => v == null || r == null || !Number.isFinite(r) ? (v == null || Number.isFinite(v) ? null : v) : v - r;
    out.step.push(st);
    out.last.push(sub(loss.last[i]));
    out.min.push(sub(loss.min[i]));
    out.max.push(sub(loss.max[i]));
    out.nonfinite.push(loss.nonfinite[i]);
  }
  return out;
}

function maxGap(x) {
  let g = 0;
  for (let i = 1; i < x.length; i++) g = Math.max(g, x[i] - x[i - 1]);
  return g;
}

function tagOrder(a, b) {
  const rank = (t) => (t === 'loss' || t === 'train_acc' ? 0 : t.startsWith('val_') ? 2 : 1);
  return rank(a) - rank(b) || a.localeCompare(b);
}

const VAL_COLOUR = '#d55e00';   // vermillion: apart from every training colour, also under deuteranopia
const AVG_COLOUR = '#009e73';   // bluish green: the Polyak average's val_loss_avg / val_acc_avg beside val_*

function fade(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})`;
}
