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
    updated: r.updated ?? null,
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
 * Steps per second of a running run over its last minute of sightings (updated, step), once they
 * span 2 s; until then the caller's fallback (the detail's examples/s over the batch size).
 */
export class RateTracker {
  constructor() { this.seen = new Map(); }

  observe(run, now = Date.now()) {
    if (run.step == null) return;
    const t = run.updated ?? now;
    const list = this.seen.get(run.id) || [];
    const last = list[list.length - 1];
    if (last && (t <= last.t || run.step < last.step)) return;
    list.push({ t, step: run.step });
    while (list.length > 2 && t - list[1].t >= 60_000) list.shift();
    this.seen.set(run.id, list);
  }

  stepsPerSec(id, fallback) {
    const list = this.seen.get(id) || [];
    const a = list[0], b = list[list.length - 1];
    if (a && b.t - a.t >= 2000 && b.step > a.step) return (b.step - a.step) * 1000 / (b.t - a.t);
    return fallback ?? null;
  }
}
