// One run-list entry, whatever spelling the list route uses for its fields.
import { num } from './format.js';

export function normalizeRun(r) {
  const latest = r.latest || r.values || {};
  const best = r.best || r.bestValAcc || r.best_val_acc;
  return {
    id: r.id,
    name: r.name ?? r.config?.name ?? r.id,
    status: r.status?.status ?? r.status ?? 'queued',
    reason: r.reason ?? r.status?.reason ?? '',
    step: nonNegative(r.step ?? r.progress?.step),
    totalSteps: r.totalSteps ?? r.total_steps ?? r.total ?? r.progress?.totalSteps ?? r.progress?.total ?? null,
    created: r.created ?? r.createdMs ?? r.created_ms ?? null,
    loss: num(r.loss ?? r.latest_loss ?? r.latestLoss ?? latest.loss),
    valAcc: num(r.val_acc ?? r.valAcc ?? latest.val_acc),
    bestValAcc: num(typeof best === 'object' && best ? (best.value ?? best.val_acc) : (best ?? r.best_val_acc_value)),
    bestStep: (typeof best === 'object' && best ? best.step : null) ?? r.best_val_acc_step ?? r.bestValAccStep ?? r.best_step ?? null,
    dataset: r.dataset ?? r.config?.dataset,
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
