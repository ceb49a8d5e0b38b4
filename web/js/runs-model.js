// One run-list row (GET /api/runs, /api/live; docs/api.md) as the runs page uses it.
import { num } from './format.js';

export function normalizeRun(r) {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    reason: r.reason,
    step: nonNegative(r.step),
    totalSteps: null, // the list row has none: the runs page fills it from the run's detail (progress.total)
    created: r.created,
    loss: num(r.loss),
    valAcc: num(r.val_acc),
    bestValAcc: num(r.best_val_acc),
    bestStep: r.best_val_acc_step,
    dataset: r.dataset,
  };
}

export function progressOf(run) {
  if (run.totalSteps && run.step != null) return Math.min(1, (run.step + 1) / run.totalSteps);
  if (run.status === 'finished') return 1;
  return null;
}

function nonNegative(v) {
  return v == null || v < 0 ? null : v;
}

/**
 * Steps per second of a running run, measured from when this page saw its steps (the list's
 * `updated` is the last status change, not the last step) over the last minute, once the
 * sightings span 2 s. examples/s would mislead: it leaves out evaluation and snapshots.
 */
export class RateTracker {
  constructor() { this.seen = new Map(); }

  observe(run, now = Date.now()) {
    if (run.step == null) return;
    const list = this.seen.get(run.id) || [];
    const last = list[list.length - 1];
    if (last && run.step <= last.step) return;
    list.push({ t: now, step: run.step });
    while (list.length > 2 && now - list[1].t >= 60_000) list.shift();
    this.seen.set(run.id, list);
  }

  stepsPerSec(id) {
    const list = this.seen.get(id) || [];
    const a = list[0], b = list[list.length - 1];
    return a && b.t - a.t >= 2000 && b.step > a.step ? (b.step - a.step) * 1000 / (b.t - a.t) : null;
  }
}
