// The run list's routes (GET /api/runs pages, archive, bulk delete), beside api.js's per-run calls.
import { request } from './api.js';

const enc = encodeURIComponent;

/** Query keys the list understands; empty values are left out so the URL stays short. */
export const LIST_KEYS = ['q', 'status', 'sort', 'order', 'archived', 'sweep', 'tag', 'owner'];

/** One page: {runs: [...], next_cursor, total, counts: {status: n}, indexing}. */
export function listPage(filters = {}, { limit = 100, cursor = null } = {}) {
  const q = new URLSearchParams();
  for (const k of LIST_KEYS) if (filters[k] != null && filters[k] !== '') q.set(k, filters[k]);
  q.set('limit', String(limit));
  if (cursor) q.set('cursor', cursor);
  return request('GET', '/api/runs?' + q.toString());
}

export const archiveRun = (id) => request('POST', '/api/runs/' + enc(id) + '/archive', {});
export const unarchiveRun = (id) => request('POST', '/api/runs/' + enc(id) + '/unarchive', {});

/** {dry_run, deleted: [ids], freed_bytes, skipped: [{id, reason}]}; give ids or a filter object. */
export function deleteRuns({ ids = null, filter = null, dryRun = false }) {
  const body = ids ? { ids } : { filter };
  body.dry_run = dryRun;
  return request('POST', '/api/runs/delete', body);
}
