// One run-list entry (GET /api/runs, /api/live): the server's snake_case record, in the names the page uses.
import { num } from './format.js';

export function normalizeRun(r) {
  return {
    id: r.id,
    name: r.name || r.id,
    status: r.status,
    reason: r.reason || '',
    step: nonNegative(r.step),
    totalSteps: r.total_steps ?? null,
    created: r.created ?? null,
    loss: num(r.loss),
    valAcc: num(r.val_acc),
    bestValAcc: num(r.best_val_acc),
    bestStep: r.best_val_acc_step ?? null,
    dataset: r.dataset,
    archived: !!r.archived,
    diskBytes: r.disk_bytes ?? 0,
    sweep: r.sweep || null,
    owner: r.owner || null,
    tags: Array.isArray(r.tags) ? r.tags : [],
    remote: r.remote || null,
  };
}

/** "remote · gpu-box-3" and, for its tooltip, who sent it from where: a run sent through the ingest API. */
export function remoteLabel(remote) {
  if (!remote) return null;
  const from = [remote.client, remote.host ? 'on ' + remote.host : '', remote.address ? '(' + remote.address + ')' : ''].filter(Boolean).join(' ');
  return { text: 'remote' + (remote.host ? ' · ' + remote.host : ''), title: 'trained elsewhere, sent through the ingest API' + (from ? ': ' + from : '') };
}

export function progressOf(run) {
  if (run.totalSteps && run.step != null) return Math.min(1, (run.step + 1) / run.totalSteps);
  if (run.status === 'finished') return 1;
  return null;
}

/** 1.2 GB, 340 MB, 12 KB: how much disk a deletion gives back. */
export function fmtBytes(n) {
  if (!n) return '0 B';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
  return (i === 0 ? String(n) : n.toFixed(n < 10 ? 1 : 0)) + ' ' + units[i];
}

/** The list's filter and sort as they live in the URL hash (#/?q=adam&status=running&sort=name&order=asc&sweep=ID&tag=baseline). */
export function filtersFromParams(params) {
  return {
    q: params.get('q') || '',
    status: params.get('status') || '',
    sort: params.get('sort') || 'created',
    order: params.get('order') || '',
    archived: params.get('archived') || '',
    sweep: params.get('sweep') || '',
    owner: params.get('owner') || '',
    tag: params.get('tag') || '',
  };
}

export function hashOf(filters) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  if (q.get('sort') === 'created' && !q.get('order')) q.delete('sort');
  const s = q.toString().replace(/%2C/g, ',');
  return '#/' + (s ? '?' + s : '');
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
