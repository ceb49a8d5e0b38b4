// Sweep page (#/sweep/ID): a sweep's trials live over /api/sweeps/{id}/live. Parallel
// coordinates whose brushes filter the table and every other chart, metric vs each
// parameter, best-so-far, the best trials' curves overlaid, edge-of-range warnings, and
// stop / refine / open best / compare. Everything large is drawn on canvas from columns
// (sweep-model.js) and the table is virtualised, so 10,000 trials stay smooth.

import { copyLinkButton } from '../team-api.js';
import { h, mount, setText } from '../dom.js';
import { api, LiveSocket } from '../api.js';
import { sweepApi, sweepLivePath } from '../sweep-api.js';
import { TrialSet } from '../sweep-model.js';
import { ParCoords } from '../charts/parcoords.js';
import { ParamScatter, BestSoFar, CurveOverlay } from '../charts/sweep-plots.js';
import { TrialTable } from '../trial-table.js';
import { fmtNum, fmtInt, fmtTime } from '../format.js';
import { replaceViewUrl } from '../view-url.js';

const CURVES_TOP = 20;          // the overlay shows the best visible trials, the selected and the running ones
const CURVE_POINTS = 100;
const FETCHES_AT_ONCE = 4;
const REDRAW_MS = 250;          // live changes are coalesced: at most 4 redraws a second

export const sweepStats = { firstRenderMs: null, sinceNavigationMs: null, lastUpdateMs: null, updates: [] };
window.twSweepStats = sweepStats;

export function sweepPage(root, id, params = new URLSearchParams()) {
  const t0 = performance.now();
  const st = { detail: null, set: null, mask: new Uint8Array(0), curves: new Map(), fetching: new Set(), closed: false, dirty: false };
  const title = h('h2.run-name#sweep-name', id);
  const state = h('span.status#sweep-state', '…');
  const liveBadge = h('span.live-indicator#live-state', 'connecting');
  const info = h('div.small#sweep-info');
  const counts = h('div.sweep-counts#sweep-counts');
  const bestLink = h('a.button#open-best', { href: '#', 'aria-disabled': 'true' }, 'Open best trial');
  const compareBtn = h('button#compare-trials', { disabled: true, on: { click: () => compare() } }, 'Compare selected');
  const pickBest = h('button#select-best', { title: 'select the 5 best trials that match the brushes', on: { click: () => selectBest(5) } }, 'Select best 5');
  const refineTrials = h('input#refine-trials', { type: 'number', min: 1, max: 10000, placeholder: 'trials', 'aria-label': 'trials of the refined sweep (blank: as many as this one)', style: { width: '6em' } });
  const refineBtn = h('button.primary#refine-sweep', { title: 'a new sweep with each range narrowed around the best trials', on: { click: () => refine() } }, 'Refine');
  const stopBtn = h('button.danger#stop-sweep', { hidden: true, on: { click: () => stop() } }, 'Stop sweep');
  const runsLink = h('a#sweep-runs', { href: '#/?sweep=' + encodeURIComponent(id) }, 'trials in the runs list');
  const message = h('div.page-message#sweep-message');
  const warnings = h('ul.sweep-warnings#sweep-warnings', { hidden: true });
  const brushList = h('div.brush-list#brush-list', { 'aria-live': 'polite' });
  const plotsBox = h('div.scatter-grid#scatter-grid');
  const wideBox = h('div.sweep-wide');

  const parcoords = new ParCoords({ onBrush: () => update('brush') });
  const table = new TrialTable({ onSelect: () => drawButtons() });
  const best = new BestSoFar();
  let curves = null;
  let scatters = [];

  mount(root,
    h('div.toolbar', h('a.back', { href: '#/sweeps' }, '← sweeps'), title, state, liveBadge, h('span.spacer'),
      copyLinkButton(), bestLink, pickBest, compareBtn, refineTrials, refineBtn, stopBtn),
    h('div.run-header.sweep-header', info, counts, h('div.small', runsLink)),
    message, warnings,
    h('section.chart-box.parcoords-box',
      h('h3', 'Parallel coordinates', h('span.chart-note', 'drag along an axis to filter; click an axis to clear it, double-click to clear all')),
      brushList, parcoords.el),
    h('section.panel.trials-box', h('div.trials-head', h('h3', 'Trials'), table.count), table.el),
    wideBox,
    h('section.chart-box', h('h3', 'Metric vs each parameter'), plotsBox));

  function load(detail) {
    st.detail = detail;
    if (!st.set) st.set = new TrialSet(detail); else st.set.reset(detail);
    st.set.build();
    if (!curves) curves = new CurveOverlay(detail.metric?.tag || 'metric');
    if (!wideBox.firstChild) mount(wideBox, h('section.chart-box', best.el), h('section.chart-box', curves.el));
    scatters = st.set.axes.map((a, k) => new ParamScatter(k, st.set.metric.tag + ' vs ' + a.label + (a.log ? ' (log)' : '')));
    mount(plotsBox, scatters.map((s) => s.el));
    summary(detail);
    if (!st.brushesRestored) restoreBrushes();
    update('load');
    if (st.firstLoad == null) {
      // since the route was entered (fetch + parse + build + draw) and since the document's navigation began
      st.firstLoad = performance.now() - t0;
      sweepStats.firstRenderMs = st.firstLoad;
      sweepStats.sinceNavigationMs = performance.now();
    }
  }

  function summary(s) {
    st.summary = s;
    document.title = (s.name || id) + ' · sweep · trainwatch';
    setText(title, s.name || id);
    setText(state, s.state);
    state.className = 'status status-' + (s.state === 'failed' ? 'failed' : s.state === 'finished' ? 'finished' : s.state === 'stopped' ? 'stopped' : 'running');
    state.title = s.reason || '';
    const es = s.early_stop && s.early_stop !== 'none' ? ' · early stop ' + s.early_stop : '';
    const parts = [s.method + ' search', s.metric.tag + ' (' + s.metric.goal + ')' + es, fmtInt(plannedTrials(s)) + ' trials, ' + s.parallel + ' at a time', 'created ' + fmtTime(s.created)];
    mount(info, parts.join(' · '), s.parent ? [' · refined from ', h('a#sweep-parent', { href: '#/sweep/' + encodeURIComponent(s.parent) }, s.parent)] : null,
      s.reason ? h('div.reason', s.reason) : null);
    const c = s.counts || {};
    mount(counts, Object.entries(c).filter(([, n]) => n).map(([k, n]) => h('span', { class: 'status status-' + k, dataset: { status: k } }, k + ' ' + fmtInt(n))),
      s.best ? h('span.best-line#sweep-best', 'best ' + s.metric.tag + ' ' + fmtNum(Number(s.best.value)) + ' (trial ' + s.best.trial + ')') : h('span.small', 'no finished trial yet'));
    stopBtn.hidden = s.state !== 'running';
    if (s.best && s.best.run) { bestLink.href = '#/run/' + encodeURIComponent(s.best.run); bestLink.removeAttribute('aria-disabled'); }
    else { bestLink.href = '#/sweep/' + encodeURIComponent(id); bestLink.setAttribute('aria-disabled', 'true'); }
    if (st.detail && s !== st.detail) { const { trials, ...rest } = s; Object.assign(st.detail, rest); }
  }

  function drawWarnings(list) {
    warnings.hidden = !list.length;
    mount(warnings, list.map((w) => {
      const wider = widened(w);
      return h('li.sweep-warning', { dataset: { path: w.path } }, h('strong', 'Widen the range? '), w.message, ' ',
        wider ? h('button.widen', { type: 'button', title: 'a refined sweep (the other ranges narrowed around the best trials) with this range widened',
          on: { click: () => refine({ parameters: { [w.path]: wider } }) } }, 'Refine with ' + w.path + ' in [' + fmtNum(wider.min, 3) + ', ' + fmtNum(wider.max, 3) + ']') : null);
    }));
  }

  /** The warned parameter with its range widened on the warned side: x10 on a log axis, half the width on a linear one. */
  function widened(w) {
    const p = (st.detail.params || []).find((x) => x.path === w.path);
    if (!p || p.min == null || p.max == null) return null;
    let min = Number(p.min), max = Number(p.max);
    if (p.log) { if (w.side === 'high') max *= 10; else min /= 10; }
    else {
      const half = (max - min) / 2;
      if (w.side === 'high') max += half; else min = min >= 0 ? Math.max(0, min - half) : min - half;
    }
    if (p.distribution.startsWith('int')) { min = Math.max(p.distribution === 'int_log_uniform' ? 1 : -Infinity, Math.floor(min)); max = Math.ceil(max); }
    if (min === Number(p.min) && max === Number(p.max)) return null;
    return { distribution: p.distribution, min, max };
  }

  /** Recomputes the brush mask and redraws everything from the columns. */
  function update(why) {
    if (!st.set || st.closed) return;
    const t = performance.now();
    const parts = sweepStats.parts = {};
    let mark = t;
    const lap = (name) => { const now = performance.now(); parts[name] = now - mark; mark = now; };
    const set = st.set;
    set.build();
    st.mask = set.filter(parcoords.brushes, st.mask);
    lap('filter');
    const brushed = parcoords.brushes.size > 0;
    parcoords.setData(set, st.mask, (st.detail.warnings || []));
    parcoords.draw();
    lap('parcoords');
    table.setData(set, st.mask);
    lap('table');
    const width = wideBox.firstChild ? wideBox.firstChild.clientWidth - 22 : 600;
    for (const s of scatters) s.draw(set, st.mask, brushed);
    lap('scatters');
    best.draw(set, st.mask, brushed, width);
    lap('best');
    const rows = curveRows();
    curves.draw(set, rows, st.curves, width);
    lap('curves');
    drawBrushes();
    drawButtons();
    const warnKey = JSON.stringify(st.detail.warnings || []);   // redrawn only when they change (not on every brush)
    if (warnKey !== st.warnKey) { drawWarnings(st.detail.warnings || []); st.warnKey = warnKey; }
    const ms = performance.now() - t;
    sweepStats.lastUpdateMs = ms;
    if (why === 'brush') { sweepStats.updates.push(ms); if (sweepStats.updates.length > 1000) sweepStats.updates.shift(); }
    fetchCurves(rows);
  }

  function redrawSoon() {
    if (st.dirty) return;
    st.dirty = true;
    st.timer = setTimeout(() => { st.dirty = false; update('live'); }, REDRAW_MS);
  }

  /**
   * The brushes live in the URL (b.AXIS=T0,T1 in axis units [0, 1], AXIS the parameter's path or __metric),
   * so a copied link reopens the same selection for a teammate.
   */
  function restoreBrushes() {
    st.brushesRestored = true;
    const keys = st.set.allAxes.map((a) => a.key);
    for (const [k, v] of params) {
      if (!k.startsWith('b.')) continue;
      const a = keys.indexOf(k.slice(2));
      const r = v.split(',').map(Number);
      if (a >= 0 && r.length === 2 && r.every((x) => Number.isFinite(x) && x >= 0 && x <= 1)) parcoords.brushes.set(a, [Math.min(...r), Math.max(...r)]);
    }
  }

  function syncUrl() {
    if (!st.set || st.closed) return;
    const q = new URLSearchParams();
    for (const [a, [t0, t1]] of parcoords.brushes) q.set('b.' + st.set.allAxes[a].key, +t0.toFixed(4) + ',' + +t1.toFixed(4));
    const hash = '#/sweep/' + encodeURIComponent(id) + (q.toString() ? '?' + q.toString().replace(/%2C/g, ',') : '');
    replaceViewUrl(hash);
  }

  function drawBrushes() {
    syncUrl();
    const set = st.set;
    const chips = [...parcoords.brushes].map(([a, [t0, t1]]) => {
      const axis = set.allAxes[a];
      const range = axis.kind === 'cat'
        ? axis.cats.filter((c, i) => { const p = (i + 0.5) / axis.cats.length; return p >= t0 && p <= t1; }).join(', ') || 'nothing'
        : fmtNum(axis.value(t0), 3) + ' – ' + fmtNum(axis.value(t1), 3);
      return h('span.brush-chip', { dataset: { axis: axis.key } }, axis.label + ': ' + range + ' ',
        h('button', { type: 'button', 'aria-label': 'clear the brush on ' + axis.label, on: { click: () => parcoords.brush(a, null) } }, '×'));
    });
    mount(brushList, chips.length ? chips : null, chips.length > 1 ? h('button#clear-brushes', { type: 'button', on: { click: () => parcoords.clear() } }, 'clear all') : null);
  }

  function drawButtons() {
    const n = table.selected.size;
    compareBtn.disabled = n < 2;
    setText(compareBtn, n ? 'Compare selected (' + n + ')' : 'Compare selected');
  }

  /** Best visible trials (by the ranking), then selected ones, then running ones. */
  function curveRows() {
    const set = st.set;
    const rows = new Set(set.topIn(st.mask, CURVES_TOP));
    for (const run of table.selected) { const i = set.byKey.get(run); if (i != null && st.mask[i]) rows.add(i); }
    for (let i = 0; i < set.size && rows.size < CURVES_TOP * 2; i++) if (st.mask[i] && set.trials[i].status === 'running') rows.add(i);
    return [...rows];
  }

  /** Loads each shown trial's curve once (again when its status changed: a running curve grows). */
  function fetchCurves(rows) {
    const tag = st.set.metric.tag;
    // only trials whose metric exists yet (a value): a queued or just-started run has no such curve to ask for
    const want = rows.map((i) => st.set.trials[i]).filter((t) => t.value != null).filter((t) => {
      const have = st.curves.get(t.run);
      return !st.fetching.has(t.run) && (!have || have.status !== t.status || (t.status === 'running' && Date.now() - have.at > 5000));
    });
    for (const t of want) {
      if (st.fetching.size >= FETCHES_AT_ONCE) { setTimeout(() => { if (!st.closed) redrawSoon(); }, 300); break; }
      st.fetching.add(t.run);
      api.scalars(t.run, tag, CURVE_POINTS).then((s) => {
        st.curves.set(t.run, { step: s.step, last: s.last.map((v) => (typeof v === 'number' ? v : Number(v))), status: t.status, at: Date.now() });
      }, () => {
        st.curves.set(t.run, { step: [], last: [], status: t.status, at: Date.now() });   // no such tag yet: try again when it changes
      }).finally(() => { st.fetching.delete(t.run); if (!st.closed) redrawSoon(); });
    }
  }

  function selectBest(k) {
    const set = st.set;
    table.selected.clear();
    for (const i of set.topIn(st.mask, k)) table.selected.add(set.trials[i].run);
    update('select');
  }

  function compare() {
    const ids = [...table.selected];
    location.hash = '#/compare?ids=' + ids.map(encodeURIComponent).join(',') + '&tag=' + encodeURIComponent(st.set.metric.tag);
  }

  async function refine(extra = {}) {
    refineBtn.disabled = true;
    setText(message, '');
    const body = { ...extra };
    if (refineTrials.value.trim()) body.trials = Number(refineTrials.value);
    try {
      const res = await sweepApi.refine(id, body);
      location.hash = '#/sweep/' + encodeURIComponent(res.id);
    } catch (e) {
      setText(message, 'Could not refine: ' + e.message + (e.errors.length ? ' (' + e.errors.map((x) => x.field + ': ' + x.message).join('; ') + ')' : ''));
      refineTrials.classList.toggle('invalid', e.errors.some((x) => x.field === 'trials'));
    } finally {
      refineBtn.disabled = false;
    }
  }

  async function stop() {
    if (!confirm('Stop this sweep? No new trial starts and running trials are stopped.')) return;
    try { summary(await sweepApi.stop(id)); } catch (e) { setText(message, 'Could not stop: ' + e.message); }
  }

  let live = null, checked = false;
  const connect = () => new LiveSocket(sweepLivePath(id), {
    onMessage: (msg) => {
      // the first message (and the first after a reconnect) is the whole sweep, its trials as columns
      if (msg.type === 'sweep' && msg.sweep && msg.trials) {
        const detail = fromColumns(msg);
        if (!st.set) load(detail);
        else { st.set.reset(detail); st.detail = detail; summary(detail); redrawSoon(); }
      } else if (msg.type === 'trial' && msg.trial && st.set) { st.set.upsert(msg.trial); redrawSoon(); }
      else if (msg.type === 'summary' && msg.sweep) {
        summary(msg.sweep);
        if (msg.sweep.warnings && st.detail) st.detail.warnings = msg.sweep.warnings;
        redrawSoon();
      } else if (msg.type === 'error') setText(message, msg.error);
    },
    onState: (s) => {
      setText(liveBadge, s);
      liveBadge.className = 'live-indicator state-' + s;
      if (s === 'reconnecting' && !st.set && !checked) whyNot();
    },
  });

  // The socket alone loads the page (the data comes once). When it cannot connect before any
  // data came, REST says why: a 404 ends it with a message, anything else keeps it retrying.
  async function whyNot() {
    checked = true;
    try {
      const d = await sweepApi.get(id);
      if (!st.set && !st.closed) load(d);
    } catch (e) {
      setText(message, e.status === 404 ? 'No sweep ' + id + ' (deleted, or never made).' : 'Could not load the sweep: ' + e.message);
      if (e.status === 404 || e.status === 400) { if (live) live.close(); setText(liveBadge, 'closed'); liveBadge.className = 'live-indicator state-closed'; }
    }
  }
  live = connect();
  const onResize = () => redrawSoon();
  window.addEventListener('resize', onResize);
  // for the browser tests and the benchmark: brush an axis by index in [0, 1] units
  window.twSweep = {
    brush: (a, range) => parcoords.brush(a, range),
    clear: () => parcoords.clear(),
    size: () => (st.set ? st.set.size : 0),
    visible: () => table.view ? table.view.length : 0,
    axes: () => (st.set ? st.set.allAxes.map((a) => a.key) : []),
    // the brushes in axis units by axis key (a shareable URL keeps them): see ParCoords.brushState
    brushes: () => parcoords.brushState(),
    setBrushes: (state) => parcoords.setBrushState(state),
  };
  return () => {
    st.closed = true;
    if (live) live.close();
    clearTimeout(st.timer);
    window.removeEventListener('resize', onResize);
    delete window.twSweep;
  };
}

/** The live socket's first message (docs/api.md) as a detail whose trials are objects, as GET /api/sweeps/{id} gives. */
export function fromColumns(msg) {
  const c = msg.trials, size = c.n.length, paths = Object.keys(c.values || {});
  const trials = new Array(size);
  for (let i = 0; i < size; i++) {
    const values = {};
    for (const p of paths) { const v = c.values[p][i]; if (v != null) values[p] = v; }
    trials[i] = { n: c.n[i], run: c.run[i], status: c.status[i], values, value: c.value[i], epochs: c.epochs[i], reason: c.reason[i], retry_of: c.retry_of[i] };
  }
  return { ...msg.sweep, spec: msg.spec, params: msg.params, warnings: msg.warnings, trials };
}

/** The planned trial count: a summary's `trials`; in the detail `trials` is the list, and the count is the spec's. */
export function plannedTrials(s) {
  if (!Array.isArray(s.trials)) return s.trials;
  return s.spec && typeof s.spec.trials === 'number' ? s.spec.trials : s.trials.length;
}
