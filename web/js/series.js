// Client-side series: what the scalars route returned plus live points, kept
// at screen resolution. Buckets carry min/max/last and a non-finite count, so
// re-bucketing never hides a spike.

import { num } from './format.js';

export const POINTS = 1500;   // per chart line; 1000-2000 keeps a 1M-step run fast

export class TagSeries {
  constructor(tag) {
    this.tag = tag;
    this.step = [];
    this.last = [];
    this.min = [];
    this.max = [];
    this.nonfinite = [];
    this.downsampled = false;
    this.seq = -1;
  }

  /** From a scalars response (values may be numbers, null or "NaN"/"Infinity" strings). */
  static from(r) {
    const s = new TagSeries(r.tag);
    s.seq = r.seq;
    s.step = Array.from(r.step);
    s.last = r.last.map(num);
    s.min = r.min.map(num);
    s.max = r.max.map(num);
    s.nonfinite = Array.from(r.nonfinite);
    for (let i = 0; i < s.last.length; i++) {
      // a bucket whose newest value is NaN still counts it even if the server's count says 0
      if (s.last[i] != null && !Number.isFinite(s.last[i]) && !s.nonfinite[i]) s.nonfinite[i] = 1;
    }
    s.downsampled = r.total != null && r.total > s.step.length;
    return s;
  }

  get length() { return this.step.length; }
  lastStep() { return this.step.length ? this.step[this.step.length - 1] : -1; }

  /** Appends one live value (number, NaN or Infinity). Steps at or before the newest are already here. */
  append(step, v) {
    if (step <= this.lastStep()) return false;
    const finite = Number.isFinite(v);
    this.step.push(step);
    this.last.push(v);
    this.min.push(finite ? v : null);
    this.max.push(finite ? v : null);
    this.nonfinite.push(finite ? 0 : 1);
    if (this.step.length > POINTS * 2) this.rebucket(POINTS);
    return true;
  }

  /** Merges neighbours into about `points` equal-width step buckets (never splits an existing one). */
  rebucket(points) {
    const n = this.step.length;
    const first = this.step[0], width = Math.max(1, (this.lastStep() - first + 1) / points);
    let w = 0;
    for (let r = 0; r < n; r++) {
      const b = Math.floor((this.step[r] - first) / width);
      if (w > 0 && Math.floor((this.step[w - 1] - first) / width) === b) {
        const o = w - 1;
        this.step[o] = this.step[r];
        this.last[o] = this.last[r];
        this.min[o] = minN(this.min[o], this.min[r]);
        this.max[o] = maxN(this.max[o], this.max[r]);
        this.nonfinite[o] += this.nonfinite[r];
      } else {
        this.step[w] = this.step[r]; this.last[w] = this.last[r];
        this.min[w] = this.min[r]; this.max[w] = this.max[r]; this.nonfinite[w] = this.nonfinite[r];
        w++;
      }
    }
    for (const a of [this.step, this.last, this.min, this.max, this.nonfinite]) a.length = w;
    this.downsampled = true;
  }
}

function minN(a, b) { return a == null ? b : b == null ? a : Math.min(a, b); }
function maxN(a, b) { return a == null ? b : b == null ? a : Math.max(a, b); }

/**
 * Aligns several series on one x array (uPlot wants a shared x). `xs[k]` is
 * series k's own x values, ascending (its steps, or epochs/times derived from
 * them), or null. Returns {x, idx} where idx[k][i] is the index into series k
 * of x[i], or -1; idx[k] === null means series k's x is the whole x.
 */
export function align(list, xs = list.map((s) => s && s.step)) {
  const live = [];
  list.forEach((s, k) => { if (s && xs[k]) live.push(k); });
  if (live.length && live.every((k) => sameX(xs[k], xs[live[0]]))) {
    return { x: Array.from(xs[live[0]]), idx: list.map((s, k) => live.includes(k) ? null : -1) };
  }
  const set = new Set();
  for (const k of live) for (const v of xs[k]) set.add(v);
  const x = Float64Array.from(set).sort();
  const pos = new Map();
  for (let i = 0; i < x.length; i++) pos.set(x[i], i);
  const idx = list.map((s, k) => {
    const a = new Int32Array(x.length).fill(-1);
    if (live.includes(k)) for (let j = 0; j < xs[k].length; j++) a[pos.get(xs[k][j])] = j;
    return a;
  });
  return { x: Array.from(x), idx };
}

function sameX(a, b) {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Values of one series laid onto an aligned x. Where the series has no sample
 * the value is `undefined` ("not sampled here": uPlot draws straight across it);
 * `null` stays `null` (a missing or non-finite value: a real break in the line).
 */
export function project(values, map, n) {
  if (map === null) return values;
  if (map === -1 || !values) return new Array(n).fill(undefined);
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = map[i] >= 0 ? values[map[i]] : undefined;
  return out;
}

/** Non-finite values become gaps (uPlot draws NaN badly); log axes also need > 0. */
export function plottable(values, log) {
  const out = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v == null || !Number.isFinite(v) || (log && v <= 0) ? null : v;
  }
  return out;
}

/** TensorBoard's debiased exponential moving average; non-finite points stay gaps. */
export function smooth(values, weight) {
  if (!weight) return values;
  const out = new Array(values.length);
  let last = 0, n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v == null || !Number.isFinite(v)) { out[i] = null; continue; }
    last = last * weight + (1 - weight) * v;
    n++;
    out[i] = last / (1 - Math.pow(weight, n));
  }
  return out;
}
