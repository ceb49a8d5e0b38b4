// Runs page: every run live, sortable and filterable, the New-run form, and the
// one-click demo for an empty dashboard.

import { h, mount, setText } from '../dom.js';
import { api, LiveSocket, listLivePath } from '../api.js';
import { fmtNum, fmtPct, fmtTime, fmtInt, fmtDuration, FINAL } from '../format.js';
import { normalizeRun, progressOf, RateTracker } from '../runs-model.js';
import { DEMO_CONFIG } from '../config-fields.js';
import { RunForm } from '../run-form.js';

const COLUMNS = [
  { key: 'name', label: 'name' },
  { key: 'status', label: 'status' },
  { key: 'step', label: 'progress' },
  { key: 'loss', label: 'loss' },
  { key: 'valAcc', label: 'val_acc' },
  { key: 'bestValAcc', label: 'best val_acc @ step' },
  { key: 'created', label: 'created' },
];

export function runsPage(root, params) {
  const state = { runs: [], sort: 'created', desc: true, filter: params.get('q') || '', selected: new Set(), loaded: false };
  const form = new RunForm({ onCreated: (id) => { location.hash = '#/run/' + encodeURIComponent(id); } });
  const filterInput = h('input.filter', { type: 'search', placeholder: 'filter by name', value: state.filter,
    on: { input: () => { state.filter = filterInput.value; draw(); } } });
  const compareBtn = h('button#compare-selected', { on: { click: () => {
    location.hash = '#/compare?ids=' + [...state.selected].map(encodeURIComponent).join(',');
  } } }, 'Compare selected');
  const newBtn = h('button.primary#new-run', { on: { click: () => form.toggle() } }, 'New run');
  const message = h('div.page-message');
  const body = h('div.runs-body');
  mount(root,
    h('div.toolbar', h('h2', 'Runs'), filterInput, h('span.spacer'), compareBtn, newBtn),
    form.el, message, body);

  async function refresh() {
    try {
      state.runs = (await api.listRuns()).map(normalizeRun);
      state.loaded = true;
      setText(message, '');
    } catch (e) {
      setText(message, 'Could not load runs: ' + e.message);
    }
    draw();
  }

  let timer = null;
  const refreshSoon = () => { if (!timer) timer = setTimeout(() => { timer = null; refresh(); }, 400); };
  const live = new LiveSocket(listLivePath, {
    onMessage: (msg) => {
      if (mergeLive(state.runs, msg)) { state.loaded = true; draw(); } else refreshSoon();
    },
    onState: (s) => { if (s === 'live') refreshSoon(); },   // after a reconnect: catch up over REST
  });

  function draw() {
    compareBtn.disabled = state.selected.size < 2;
    if (!state.loaded) return;
    if (!state.runs.length) { mount(body, emptyState()); return; }
    const f = state.filter.trim().toLowerCase();
    const rows = state.runs.filter((r) => !f || String(r.name).toLowerCase().includes(f));
    rows.sort((a, b) => compare(a[state.sort], b[state.sort]) * (state.desc ? -1 : 1));
    mount(body, h('table.runs#runs-table',
      h('thead', h('tr', h('th', ''), COLUMNS.map((c) => h('th.sortable', {
        class: state.sort === c.key ? (state.desc ? 'sortable desc' : 'sortable asc') : 'sortable',
        on: { click: () => { state.desc = state.sort === c.key ? !state.desc : c.key !== 'name'; state.sort = c.key; draw(); } },
      }, c.label)), h('th', ''))),
      h('tbody', rows.map(row))));
  }

  // the list rows carry no planned total: ask each unfinished run's detail once (few runs are live at a time)
  const totals = new Map();
  const rates = new RateTracker();
  function totalOf(r) {
    if (totals.has(r.id)) return totals.get(r.id);
    totals.set(r.id, null);
    api.getRun(r.id).then((d) => { totals.set(r.id, d.progress.total); if (d.progress.total) draw(); }).catch(() => {});
    return null;
  }

  function row(r) {
    if (!FINAL.has(r.status)) {
      if (!r.totalSteps) r.totalSteps = totalOf(r);
      if (r.status === 'running') rates.observe(r);
    }
    const box = h('input', { type: 'checkbox', checked: state.selected.has(r.id), title: 'select for compare',
      on: { change: () => { box.checked ? state.selected.add(r.id) : state.selected.delete(r.id); compareBtn.disabled = state.selected.size < 2; } } });
    return h('tr', { dataset: { id: r.id } },
      h('td', box),
      h('td.name', h('a', { href: '#/run/' + encodeURIComponent(r.id) }, r.name)),
      h('td.status-cell', h('span', { class: 'status status-' + r.status, title: r.reason || '' }, r.status),
        r.reason && r.status !== 'finished' ? h('div.reason.small', r.reason) : null),
      progressCell(r),
      h('td.num', fmtNum(r.loss)),
      h('td.num', fmtPct(r.valAcc)),
      h('td.num', r.bestValAcc != null ? fmtPct(r.bestValAcc) + ' @ ' + fmtInt(r.bestStep) : '–'),
      h('td.small', fmtTime(r.created)),
      h('td.actions',
        h('button', { on: { click: () => form.cloneFrom(r.id) } }, 'Clone'),
        FINAL.has(r.status) ? null : h('button.stop', { on: { click: () => act(() => api.stopRun(r.id)) } }, 'Stop'),
        FINAL.has(r.status) ? h('button.danger', { on: { click: () => {
          if (confirm('Delete run "' + r.name + '" and all its data?')) act(() => api.deleteRun(r.id));
        } } }, 'Delete') : null));
  }

  /** Bar and percent while a run has a planned total, plus the ETA while it runs; the step it stopped at otherwise. */
  function progressCell(r) {
    if (r.status === 'queued') return h('td.progress-cell', h('span.small', r.totalSteps ? fmtInt(r.totalSteps) + ' steps planned' : 'waiting for a slot'));
    const p = progressOf(r);
    const steps = r.step == null ? '' : 'step ' + fmtInt(r.step) + (r.totalSteps ? ' / ' + fmtInt(r.totalSteps) : '');
    if (p == null) return h('td.progress-cell', h('span.small', r.step == null ? '' : (FINAL.has(r.status) ? 'ended at ' : '') + steps));
    let line = (p * 100).toFixed(p < 0.1 ? 1 : 0) + '%';
    if (r.status === 'running') {
      const rate = rates.stepsPerSec(r.id);
      const eta = rate && r.totalSteps && r.step != null ? (r.totalSteps - r.step - 1) / rate : null;
      line += ' · ETA ' + (eta != null ? fmtDuration(eta) : '…');
    } else if (r.status === 'finished') line = r.step != null ? '100% · ' + fmtInt(r.step + 1) + ' steps' : '100%';
    return h('td.progress-cell', { dataset: { percent: (p * 100).toFixed(1) } },
      h('div.progress-line', h('div.bar', h('div.fill', { style: { width: (p * 100).toFixed(1) + '%' } })), h('span.pct', line)),
      r.status === 'finished' ? null : h('div.small', steps));
  }

  async function act(fn) {
    try { await fn(); } catch (e) { setText(message, e.message); }
    refresh();
  }

  function emptyState() {
    const status = h('p.small');
    return h('div.empty#empty-state',
      h('h3', 'No runs yet'),
      h('p', 'Start a demo: a small CNN learning generated shapes with Adam. Curves and first-layer filters appear within seconds.'),
      h('button.primary#demo-run', { on: { click: async (ev) => {
        ev.target.disabled = true;
        try {
          const res = await api.createRun(DEMO_CONFIG);
          location.hash = '#/run/' + encodeURIComponent(res.id);
        } catch (e) { setText(status, e.message); ev.target.disabled = false; }
      } } }, 'Start demo run'),
      status,
      h('p.small', 'Or configure your own with "New run".'));
  }

  refresh();
  if (params.get('clone')) form.cloneFrom(params.get('clone'));   // #/?clone=ID and #/?new=1 open the form
  else if (params.has('new')) form.toggle(true);
  return () => { live.close(); clearTimeout(timer); };
}

function compare(a, b) {
  if (a == null) return b == null ? 0 : -1;
  if (b == null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return (Number.isNaN(a) ? -Infinity : a) - (Number.isNaN(b) ? -Infinity : b);
  return String(a).localeCompare(String(b));
}

/** Applies an /api/live message (hello with every row, run = one new or changed row, removed); returns whether anything changed. */
function mergeLive(runs, msg) {
  if (msg.type === 'hello' && Array.isArray(msg.runs)) {
    runs.splice(0, runs.length, ...msg.runs.map(normalizeRun));
    return true;
  }
  if ((msg.type === 'removed' || msg.type === 'deleted') && msg.id) {
    const i = runs.findIndex((r) => r.id === msg.id);
    if (i >= 0) runs.splice(i, 1);
    return i >= 0;
  }
  const item = msg.run || (msg.type === 'run' ? msg : null);
  if (!item || !item.id) return false;
  const n = normalizeRun(item);
  const i = runs.findIndex((r) => r.id === n.id);
  if (i >= 0) runs[i] = Object.assign(runs[i], n);
  else runs.push(n);
  return true;
}
