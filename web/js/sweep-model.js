// A sweep's trials as columns (docs/sweeps.md detail): one Float32Array per axis holding each
// trial's position on that axis in [0, 1] (NaN = no value), so the parallel coordinates, the
// scatters and the table's filter all read the same numbers and a brush is one pass over
// typed arrays, whatever the trial count.

import { num } from './format.js';

export const COLOR_BINS = 24;
/** Drawing groups: 0 = no value, 1..24 pruned by colour bin, 25..48 the rest by colour bin. */
export const GROUPS = 1 + 2 * 24;
export const groupBin = (g) => (g === 0 ? NO_VALUE : (g - 1) % COLOR_BINS);
export const groupFaded = (g) => g >= 1 && g <= COLOR_BINS;
export const NO_VALUE = 255;
/** Ended without a usable value: counted as the worst, shown as such. */
export const BAD = new Set(['failed', 'diverged', 'interrupted']);
export const ENDED = new Set(['finished', 'pruned', 'failed', 'diverged', 'stopped', 'interrupted']);

/** One axis: a parameter (numeric, maybe log, or categorical) or the metric. */
export class Axis {
  constructor({ key, label, kind, log = false, lo = 0, hi = 1, cats = null, param = null }) {
    Object.assign(this, { key, label, kind, log, lo, hi, cats, param });
    this.catIndex = cats ? new Map(cats.map((c, i) => [c, i])) : null;
  }

  /** A raw value -> [0, 1] on this axis (NaN when it has none). */
  pos(v) {
    if (this.kind === 'cat') {
      const i = this.catIndex.get(catKey(v));
      return i == null ? NaN : (i + 0.5) / this.cats.length;
    }
    const x = num(v);
    if (x == null || !Number.isFinite(x) || (this.log && x <= 0)) return NaN;
    const s = this.log ? Math.log10(x) : x;
    return this.hi === this.lo ? 0.5 : (s - this.lo) / (this.hi - this.lo);
  }

  /** [0, 1] -> the raw value (numeric axes). */
  value(t) {
    const s = this.lo + t * (this.hi - this.lo);
    return this.log ? Math.pow(10, s) : s;
  }

  /** Tick positions and labels: decades on log axes, ~5 round steps on linear ones, every category. */
  ticks() {
    if (this.kind === 'cat') return this.cats.map((c, i) => ({ t: (i + 0.5) / this.cats.length, label: c }));
    if (this.hi === this.lo) return [{ t: 0.5, label: fmtTick(this.value(0.5)) }];
    const out = [];
    if (this.log) {
      const span = this.hi - this.lo;
      const step = Math.max(1, Math.ceil(span / 6));
      for (let d = Math.ceil(this.lo); d <= Math.floor(this.hi); d += step) out.push({ t: (d - this.lo) / span, label: fmtTick(Math.pow(10, d)) });
      if (out.length < 2) { out.length = 0; out.push({ t: 0, label: fmtTick(this.value(0)) }, { t: 1, label: fmtTick(this.value(1)) }); }
      return out;
    }
    const span = this.hi - this.lo;
    const raw = span / 5;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) || raw;
    for (let v = Math.ceil(this.lo / step) * step; v <= this.hi + step * 1e-9; v += step) out.push({ t: (v - this.lo) / span, label: fmtTick(v) });
    return out;
  }
}

export function catKey(v) {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function fmtTick(v) {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-2) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

/** Every trial of one sweep, kept in columns; upserts from the live socket mark the columns stale. */
export class TrialSet {
  constructor(detail) {
    this.reset(detail);
  }

  reset(detail) {
    this.params = detail.params || [];
    this.metric = detail.metric || { tag: 'val_acc', goal: 'max' };
    this.goalMax = this.metric.goal !== 'min';
    this.trials = [];
    this.byKey = new Map();
    for (const t of detail.trials || []) this.upsert(t, false);
    this.stale = true;
    this.version = (this.version || 0) + 1;
  }

  /** A trial is keyed by its run id: a retried trial keeps its number under a new run. */
  upsert(t, bump = true) {
    const key = t.run || ('n' + t.n);
    const i = this.byKey.get(key);
    if (i == null) { this.byKey.set(key, this.trials.length); this.trials.push(t); } else this.trials[i] = t;
    this.stale = true;
    if (bump) this.version++;
  }

  get size() { return this.trials.length; }

  /** Builds axes and columns once per change (a few ms at 10,000 trials). */
  build() {
    if (!this.stale) return;
    const n = this.trials.length;
    const value = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const t = this.trials[i];
      const v = num(t.value);
      value[i] = v != null && Number.isFinite(v) && !BAD.has(t.status) ? v : NaN;
    }
    this.value = value;
    this.axes = this.params.map((p) => paramAxis(p, this.trials));
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) if (value[i] === value[i]) { if (value[i] < lo) lo = value[i]; if (value[i] > hi) hi = value[i]; }
    if (lo === Infinity) { lo = 0; hi = 1; }
    if (lo === hi) { lo -= 0.5; hi += 0.5; }
    this.metricAxis = new Axis({ key: '__metric', label: this.metric.tag + (this.goalMax ? ' (max)' : ' (min)'), kind: 'num', lo, hi });
    this.allAxes = [...this.axes, this.metricAxis];
    this.cols = this.allAxes.map((a, k) => {
      const col = new Float32Array(n);
      if (a === this.metricAxis) for (let i = 0; i < n; i++) col[i] = (value[i] - lo) / (hi - lo);
      else for (let i = 0; i < n; i++) col[i] = a.pos((this.trials[i].values || {})[a.key]);
      return col;
    });
    // colour = how good, 0 worst .. 1 best, in the goal's direction
    const color = new Uint8Array(n);
    const mcol = this.cols[this.cols.length - 1];
    for (let i = 0; i < n; i++) {
      const t = mcol[i];
      color[i] = t === t ? Math.round((this.goalMax ? t : 1 - t) * (COLOR_BINS - 1)) : NO_VALUE;
    }
    this.color = color;
    this.pruned = Uint8Array.from(this.trials, (t) => (t.status === 'pruned' ? 1 : 0));
    this.groupTrials();
    this.builds = (this.builds || 0) + 1;
    this.ranked = this.rankBest();
    this.bestIndex = this.ranked[0] ?? -1;
    this.best = this.bestSoFar();
    this.stale = false;
  }

  /**
   * Trial indices grouped by how they are drawn: no value first (underneath), then pruned
   * (faded) by colour bin, then the rest by colour bin, worst to best (best on top). A chart
   * walks each group once and strokes or fills it as one path.
   */
  groupTrials() {
    const n = this.trials.length, G = GROUPS;
    const key = new Uint8Array(n), start = new Int32Array(G + 1);
    for (let i = 0; i < n; i++) {
      const c = this.color[i];
      key[i] = c === NO_VALUE ? 0 : 1 + c + (this.pruned[i] ? 0 : COLOR_BINS);
      start[key[i] + 1]++;
    }
    for (let g = 0; g < G; g++) start[g + 1] += start[g];
    const order = new Int32Array(n), fill = start.slice(0, G);
    for (let i = 0; i < n; i++) order[fill[key[i]]++] = i;
    this.groupOrder = order;
    this.groupStart = start;
  }

  /** Calls begin(group) then item(i) for every trial of the group in the mask, then end(group); groups in drawing order. */
  eachGroup(mask, begin, item, end) {
    const order = this.groupOrder, start = this.groupStart;
    for (let g = 0; g < GROUPS; g++) {
      if (start[g] === start[g + 1]) continue;
      begin(g);
      for (let k = start[g]; k < start[g + 1]; k++) { const i = order[k]; if (mask[i]) item(i); }
      end(g);
    }
  }

  /** The best trials among those in the mask, best first (from the ranking made once per change). */
  topIn(mask, k) {
    const out = [];
    for (const i of this.ranked) { if (mask[i] && this.trials[i].run) { out.push(i); if (out.length >= k) break; } }
    return out;
  }

  /** Trial indices best first: finished by value, then pruned by how far they got, then the rest. */
  rankBest(indices = null) {
    const idx = indices ? Array.from(indices) : this.trials.map((_, i) => i);
    const v = this.value, dir = this.goalMax ? -1 : 1;
    const tier = (i) => (v[i] !== v[i] ? 3 : this.trials[i].status === 'finished' ? 0 : this.trials[i].status === 'pruned' ? 2 : 1);
    return idx.filter((i) => v[i] === v[i] && this.trials[i].status === 'finished').sort((a, b) => dir * (v[a] - v[b]) || this.trials[a].n - this.trials[b].n)
      .concat(idx.filter((i) => tier(i) === 1 || tier(i) === 2).sort((a, b) => tier(a) - tier(b) || (this.trials[b].epochs || 0) - (this.trials[a].epochs || 0) || dir * (v[a] - v[b])));
  }

  /**
   * brushes: Map axisIndex -> [t0, t1]. Fills and returns mask (1 = passes every brush).
   * One pass per brushed axis over its Float32Array: well under a millisecond at 10,000 trials.
   */
  filter(brushes, mask = new Uint8Array(this.trials.length)) {
    const n = this.trials.length;
    if (mask.length !== n) mask = new Uint8Array(n);
    mask.fill(1);
    for (const [a, [t0, t1]] of brushes) {
      const col = this.cols[a];
      if (!col) continue;
      for (let i = 0; i < n; i++) { const t = col[i]; if (!(t >= t0 && t <= t1)) mask[i] = 0; }
    }
    return mask;
  }

  /** Best finished value after each trial, by trial number: [{n, value, best}]. */
  bestSoFar() {
    const order = this.trials.map((_, i) => i).sort((a, b) => this.trials[a].n - this.trials[b].n);
    let best = NaN;
    return order.map((i) => {
      const v = this.value[i];
      if (v === v && this.trials[i].status === 'finished' && (best !== best || (this.goalMax ? v > best : v < best))) best = v;
      return { i, n: this.trials[i].n, best };
    });
  }
}

function paramAxis(p, trials) {
  const label = p.path;
  if (p.distribution === 'values' || (p.values && p.min == null)) {
    const cats = (p.values || []).map(catKey);
    for (const t of trials) {   // a value the spec does not list (a refined sweep's parent) still gets a slot
      const v = (t.values || {})[p.path];
      if (v !== undefined && !cats.includes(catKey(v))) cats.push(catKey(v));
    }
    return new Axis({ key: p.path, label, kind: 'cat', cats, param: p });
  }
  const log = !!p.log;
  let lo = num(p.min), hi = num(p.max);
  for (const t of trials) {
    const v = num((t.values || {})[p.path]);
    if (v == null || !Number.isFinite(v) || (log && v <= 0)) continue;
    if (lo == null || v < lo) lo = v;
    if (hi == null || v > hi) hi = v;
  }
  if (lo == null) { lo = log ? 1 : 0; hi = log ? 10 : 1; }
  if (log) { lo = Math.log10(lo); hi = Math.log10(hi); }
  return new Axis({ key: p.path, label, kind: 'num', log, lo, hi, param: p });
}

/** viridis at COLOR_BINS steps (0 = worst, dark purple; 1 = best, yellow). */
export const COLORS = (() => {
  const stops = [[68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37]];
  const out = [];
  for (let b = 0; b < COLOR_BINS; b++) {
    const x = b / (COLOR_BINS - 1) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
    const c = stops[i].map((s, k) => Math.round(s + f * (stops[i + 1][k] - s)));
    out.push('rgb(' + c.join(',') + ')');
  }
  return out;
})();
