// /api/ensembles (docs/api.md "Ensembles"): the ensemble pages and buttons call only these.

import { request } from './api.js';

const one = (id) => '/api/ensembles/' + encodeURIComponent(id);

export const ensembleApi = {
  list: () => request('GET', '/api/ensembles'),
  get: (id) => request('GET', one(id)),
  /** body: {members: ["RUN[:CHECKPOINT]"]} | {run, last} | {sweep, top} | {seeds, run|config}; -> {id, status, members, runs} */
  create: (body) => request('POST', '/api/ensembles', body),
  remove: (id) => request('DELETE', one(id)),
  log: (id) => request('GET', one(id) + '/log'),
};
