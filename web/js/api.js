// The one data-access module: every REST call and WebSocket of the dashboard
// goes through here (TensorBoard's habit), so pages never build URLs themselves.

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || ('HTTP ' + status));
    this.status = status;
    this.errors = (body && Array.isArray(body.errors)) ? body.errors : [];
  }
}

export async function request(method, path, body) {
  const init = { method, headers: { Accept: 'application/json' } };
  // the server refuses any unsafe request that is not JSON (a cross-site form cannot send that), bodiless DELETE included
  if (method !== 'GET') init.headers['Content-Type'] = 'application/json';
  if (body !== undefined) init.body = JSON.stringify(body);
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, { error: 'server unreachable' });
  }
  const type = res.headers.get('content-type') || '';
  const data = type.includes('json') ? await res.json().catch(() => null) : await res.text();
  // a 401 anywhere (no session, an expired one, a revoked token) brings up the login page (js/session.js, app.js)
  if (res.status === 401 && path !== '/api/login') window.dispatchEvent(new CustomEvent('tw:login-needed'));
  if (!res.ok) throw new ApiError(res.status, typeof data === 'object' ? data : { error: String(data).slice(0, 200) || res.statusText });
  return data;
}

const enc = encodeURIComponent;
const run = (id) => '/api/runs/' + enc(id);

export const api = {
  listRuns: () => request('GET', '/api/runs'),
  getRun: (id) => request('GET', run(id)),
  createRun: (config) => request('POST', '/api/runs', config),
  stopRun: (id) => request('POST', run(id) + '/stop', {}),
  resumeRun: (id) => request('POST', run(id) + '/resume', {}),
  /** {runs_bytes, free_bytes, total_bytes, low, warn_below_bytes, refuse_below_bytes} */
  disk: () => request('GET', '/api/disk'),
  deleteRun: (id) => request('DELETE', run(id)),
  runCheck: (id, kind) => request('POST', run(id) + '/checks/' + enc(kind), {}),
  /** text/plain: the end of the trainer's own output. */
  log: (id) => request('GET', run(id) + '/log'),
  /** {tag, seq, total, step[], last[], min[], max[], nonfinite[]}; from/to optional (inclusive steps). */
  scalars: (id, tag, points, from, to) => {
    let q = '?tag=' + enc(tag) + '&points=' + points;
    if (from != null) q += '&from=' + Math.floor(from);
    if (to != null) q += '&to=' + Math.ceil(to);
    return request('GET', run(id) + '/scalars' + q);
  },
  /** {step[], t[]}: wall-clock ms at sampled steps, for time x axes (docs/api.md). */
  clock: (id, points) => request('GET', run(id) + '/clock?points=' + points),
  /** {step, steps[], shape[nOut,nIn,kH,kW], data: Float32Array} */
  filters: async (id, step) => {
    const d = await request('GET', run(id) + '/filters?step=' + (step == null ? 'latest' : enc(step)));
    d.data = decodeFloats(d.data);
    return d;
  },
};

/** base64 of little-endian float32 -> Float32Array. */
export function decodeFloats(b64) {
  const bin = atob(b64 || '');
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(bytes.length >> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/**
 * A WebSocket that comes back. States: 'connecting' | 'live' | 'reconnecting' | 'closed'.
 * Tracks the last seq it handed to onMessage and resumes with ?after=SEQ, so a
 * lost connection or a server restart leaves no gap. `resync` (or a 4008 close
 * it cannot resume from) calls onResync(), which reloads over REST and returns
 * the seq to resume after.
 */
export class LiveSocket {
  constructor(path, { after = null, onMessage, onState = () => {}, onResync = null } = {}) {
    this.path = path;
    this.lastSeq = after;
    this.onMessage = onMessage;
    this.onState = onState;
    this.onResync = onResync;
    this.delay = 500;
    this.closed = false;
    this.ws = null;
    this.connect();
  }

  url() {
    const proto = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const q = this.lastSeq != null && this.onResync ? '?after=' + this.lastSeq : '';
    return proto + location.host + this.path + q;
  }

  connect() {
    if (this.closed) return;
    this.onState(this.ws ? 'reconnecting' : 'connecting');
    const ws = new WebSocket(this.url());
    this.ws = ws;
    ws.onopen = () => { this.delay = 500; this.onState('live'); };
    ws.onmessage = (ev) => this.receive(ev.data);
    ws.onclose = (ev) => {
      if (this.ws !== ws || this.closed) return;
      const m = /after=(\d+)/.exec(ev.reason || '');
      if (ev.code === 4008 && m && this.lastSeq == null) this.lastSeq = Number(m[1]);
      this.onState('reconnecting');
      this.timer = setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 4000);
    };
  }

  receive(text) {
    const t0 = performance.now();
    this.handle(text);
    stats.msgMs += performance.now() - t0;
    stats.msgs++;
  }

  handle(text) {
    let msg;
    try { msg = JSON.parse(text); } catch { return; }
    if (msg.type === 'resync') { this.resync(); return; }
    if (msg.type !== 'hello' && msg.type !== 'error' && typeof msg.seq === 'number') {
      // a scalars batch at or below what we hold is a replay; other messages (a status the server
      // wrote, a check result from its own file) may carry the stream's current seq and still be news
      if (msg.type === 'scalars' && this.lastSeq != null && msg.seq <= this.lastSeq && this.onResync) return;
      this.lastSeq = this.lastSeq == null ? msg.seq : Math.max(this.lastSeq, msg.seq);
    }
    this.onMessage(msg);
  }

  async resync() {
    const ws = this.ws;
    this.ws = null;
    ws.onclose = null;
    ws.close();
    this.onState('reconnecting');
    try {
      const seq = await this.onResync();
      this.lastSeq = seq;
    } catch { /* keep the old seq; the next attempt resyncs again if needed */ }
    this.ws = ws;
    this.connect();
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    if (this.ws) { this.ws.onclose = null; this.ws.close(); }
    this.onState('closed');
  }
}

/** Time spent handling live messages and drawing, for the benchmarks (docs/benchmarks.md). */
export const stats = { msgs: 0, msgMs: 0, frames: 0, drawMs: 0 };
window.twStats = stats;

export const runLivePath = (id) => run(id) + '/live';
export const listLivePath = '/api/live';
