// The sweep routes (docs/sweeps.md, docs/api.md), beside api.js's run calls.
import { request } from './api.js';

const enc = encodeURIComponent;
const sweep = (id) => '/api/sweeps/' + enc(id);

export const sweepApi = {
  /** {sweeps: [summary...]}, newest first. */
  list: () => request('GET', '/api/sweeps'),
  /** The summary plus spec, params, trials, warnings. */
  get: (id) => request('GET', sweep(id)),
  /** 201 a summary; 400 {errors: [{field, message}]} naming each bad field. */
  create: (spec) => request('POST', '/api/sweeps', spec),
  stop: (id) => request('POST', sweep(id) + '/stop', {}),
  /** body {} or {trials, name} -> the new sweep's summary (its parent is id). */
  refine: (id, body = {}) => request('POST', sweep(id) + '/refine', body),
  remove: (id, runs = false) => request('DELETE', sweep(id) + (runs ? '?runs=true' : '')),
};

export const sweepLivePath = (id) => sweep(id) + '/live';
/** The sweep list, live: {type: sweeps} on connect, then summary / deleted messages. */
export const sweepListLivePath = '/api/sweeps/live';
