// The x axis a chart is read against: step, epoch (loss is usually plotted per
// epoch), time since the run started, or wall-clock time. Steps are what the
// data carries; the other axes map each run's steps through that run's own
// steps per epoch or its clock (step -> wall time anchors from the server).

import { STEP_AXIS, stepLabel } from './chart.js';
import { fmtDuration } from '../format.js';

export const X_MODES = [
  { id: 'step', label: 'step' },
  { id: 'epoch', label: 'epoch' },
  { id: 'relative', label: 'time since start' },
  { id: 'wall', label: 'wall time' },
];

/** Axis options for makeChart's `x`. */
export function xAxis(mode) {
  switch (mode) {
    case 'epoch': return { name: 'epoch', values: (v, legend) => legend ? String(Math.round(v * 100) / 100) : v >= 1e4 ? stepLabel(v) : String(Number(v.toPrecision(4))) };
    case 'relative': return { name: 'time', values: (v) => fmtDuration(v) === '–' ? '0s' : fmtDuration(v), incrs: TIME_INCRS };
    case 'wall': return { name: 'wall time', values: (v, legend) => clock(v, legend) };
    default: return STEP_AXIS;
  }
}

const TIME_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400, 172800, 604800];

function clock(ms, full) {
  const d = new Date(ms);
  if (isNaN(d)) return '';
  return full ? d.toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' })
    : d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/**
 * One run's step -> x mapping. ctx: {spe: steps per epoch, clock: {step[], t[]} anchors (ascending)}.
 * Returns null when the mode cannot be drawn for this run (no clock yet, no epoch size).
 */
export function mapper(mode, ctx) {
  if (mode === 'epoch') return ctx.spe > 0 ? { to: (s) => s / ctx.spe, from: (x) => x * ctx.spe } : null;
  if (mode === 'relative' || mode === 'wall') {
    const c = ctx.clock;
    if (!c || !c.step || !c.step.length) return null;
    const t0 = mode === 'relative' ? c.t[0] : 0, scale = mode === 'relative' ? 1000 : 1;
    return {
      to: (s) => (interp(c.step, c.t, s) - t0) / scale,
      from: (x) => interp(c.t, c.step, x * scale + t0),
    };
  }
  return { to: (s) => s, from: (x) => x };
}

/** Piecewise-linear lookup of x in ascending xs -> ys; flat beyond the ends (extended by the newest anchor). */
export function interp(xs, ys, x) {
  const n = xs.length;
  if (x <= xs[0]) return ys[0];
  if (x >= xs[n - 1]) return ys[n - 1];
  let lo = 0, hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid; else hi = mid;
  }
  const f = xs[hi] === xs[lo] ? 0 : (x - xs[lo]) / (xs[hi] - xs[lo]);
  return ys[lo] + f * (ys[hi] - ys[lo]);
}

/** Maps an ascending step array; keeps it strictly ascending (equal times would merge two samples). */
export function mapSteps(steps, m) {
  const out = new Array(steps.length);
  let prev = -Infinity;
  for (let i = 0; i < steps.length; i++) {
    let v = m.to(steps[i]);
    if (!(v > prev)) v = prev + Math.abs(prev) * 1e-12 + 1e-9;
    out[i] = prev = v;
  }
  return out;
}
