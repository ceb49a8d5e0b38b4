// Runs page: the run list as pages from the server (search, status, sort and archived
// filters answered by GET /api/runs, kept in the URL hash), more rows as you scroll, live
// changes from /api/live, housekeeping (archive, delete a selection or every match), the
// New-run form, and the one-click demo for an empty dashboard.

import { h, mount, setText } from '../dom.js';
import { api, LiveSocket, listLivePath } from '../api.js';
import { listPage, archiveRun, unarchiveRun, deleteRuns } from '../run-list-api.js';
import { fmtNum, fmtPct, fmtTime, fmtInt, fmtDuration, FINAL } from '../format.js';
import { normalizeRun, remoteLabel, progressOf, RateTracker, fmtBytes, filtersFromParams, hashOf } from '../runs-model.js';
import { DEMO_CONFIG } from '../config-fields.js';
import { RunForm } from '../run-form.js';
import { DiskLine } from '../disk.js';
import { replaceViewUrl } from '../view-url.js';

const PAGE = 100;
const STATUSES = ['queued', 'running', 'finished', 'pruned', 'failed', 'diverged', 'stopped', 'interrupted'];
// key = the server's sort name; cls = the cell class that hides a column on narrow screens
const COLUMNS = [
  { key: 'name', label: 'name' },
  { key: 'status', label: 'status' },
  { key: 'step', label: 'progress' },
  { key: 'loss', label: 'loss', cls: 'col-loss' },
  { key: 'val_acc', label: 'val_acc', cls: 'col-val' },
  { key: 'best_val_acc', label: 'best val_acc @ step' },
  { key: 'created', label: 'created', cls: 'col-created' },
];
const ASC_FIRST = new Set(['name', 'status']);

export function runsPage(root, params) {
  const f = filtersFromParams(params);
  const st = { rows: [], byId: new Map(), cursor: null, total: 0, counts: {}, loading: false, loaded: false, selected: new Set(), gen: 0 };
  const form = new RunForm({ onCreated: (id) => { location.hash = '#/run/' + encodeURIComponent(id); } });
  const search = h('input.filter#runs-search', { type: 'search', placeholder: 'search names', value: f.q, 'aria-label': 'search runs by name',
    on: { input: () => { f.q = search.value.trim(); reloadSoon(250); } } });
  const chips = h('div.status-chips#status-chips', { role: 'group', 'aria-label': 'filter by status' });
  const tagBox = h('input.filter#runs-tag', { type: 'search', placeholder: 'tag', value: f.tag, 'aria-label': 'show runs with this tag', style: { width: '9em' },
    on: { input: () => { f.tag = tagBox.value.trim(); reloadSoon(250); } } });
  const archivedSel = h('select#runs-archived', { 'aria-label': 'archived runs', on: { change: () => { f.archived = archivedSel.value; reload(); } } },
    h('option', { value: '', selected: !f.archived }, 'hide archived'),
    h('option', { value: 'true', selected: f.archived === 'true' }, 'archived only'),
    h('option', { value: 'all', selected: f.archived === 'all' }, 'all runs'));
  const compareBtn = h('button#compare-selected', { on: { click: () => {
    location.hash = '#/compare?ids=' + [...st.selected].map(encodeURIComponent).join(',');
  } } }, 'Compare');
  const archiveBtn = h('button#archive-selected', { on: { click: () => archiveSelected() } }, 'Archive');
  const deleteBtn = h('button.danger#delete-selected', { on: { click: () => deleteSelection({ ids: [...st.selected] }) } }, 'Delete');
  const deleteMatching = h('button.danger#delete-matching', { on: { click: () => deleteSelection({ filter: serverFilter() }) } }, 'Delete all matching…');
  const newBtn = h('button.primary#new-run', { on: { click: () => form.toggle() } }, 'New run');
  const summary = h('span.small#runs-summary', { 'aria-live': 'polite' });
  const message = h('div.page-message');
  const body = h('div.runs-body');
  const sentinel = h('div.runs-more#runs-more');
  const disk = new DiskLine();
  // kept by reference: a late refresh after the page was left must not look it up in another page's DOM
  const selectionCount = h('span.small#selection-count');
  mount(root,
    h('div.toolbar.runs-toolbar', h('h2', 'Runs'), search, tagBox, archivedSel, summary, disk.el, h('span.spacer'), newBtn),
    chips,
    h('div.toolbar.selection-bar', selectionCount, compareBtn, archiveBtn, deleteBtn, h('span.spacer'), deleteMatching),
    form.el, message, body, sentinel);

  const rates = new RateTracker();
  const serverFilter = () => ({ q: f.q, status: f.status, archived: f.archived || 'false', sweep: f.sweep, tag: f.tag, owner: f.owner });
  const query = () => ({ ...serverFilter(), sort: f.sort, order: f.order || (ASC_FIRST.has(f.sort) ? 'asc' : 'desc') });

  /** Loads the first rows again (at least as many as are shown, so live updates keep the scroll position). */
  async function reload(keep = false) {
    const gen = ++st.gen;
    st.reloading = true;   // more() waits: its cursor belongs to the rows this replaces
    disk.refresh();
    replaceViewUrl(hashOf(f));
    const want = keep ? Math.min(1000, Math.max(PAGE, st.rows.length)) : PAGE;
    try {
      const page = await listPage(query(), { limit: want });
      if (gen !== st.gen) return;   // a newer search went out meanwhile
      st.rows = page.runs.map(normalizeRun);
      st.cursor = page.next_cursor;
      st.total = page.total;
      st.counts = page.counts || {};
      st.indexing = page.indexing;
      st.loaded = true;
      setText(message, '');
    } catch (e) {
      if (gen === st.gen) setText(message, 'Could not load runs: ' + e.message);
    }
    if (gen !== st.gen) return;   // the newer reload draws
    st.reloading = false;
    draw();
    if (st.indexing) reloadSoon(1000, true);   // the server is still reading run directories: the list fills in
    // the observer only reports changes: a reader already at the bottom (whose page of rows a reload replaced) would wait forever
    if (st.loaded && isVisible(sentinel)) more();
  }

  async function more() {
    if (st.loading || st.reloading || !st.cursor) return;
    st.loading = true;
    const gen = st.gen;
    try {
      const page = await listPage(query(), { limit: PAGE * 2, cursor: st.cursor });
      if (gen === st.gen) {   // else a reload went out meanwhile: its rows stand, and the bottom is checked again below
        const fresh = page.runs.map(normalizeRun).filter((r) => !st.byId.has(r.id));
        st.rows.push(...fresh);
        st.cursor = page.next_cursor;
        st.total = page.total;
        appendRows(fresh);
      }
    } catch (e) {
      setText(message, 'Could not load more runs: ' + e.message);
      return;   // the next scroll tries again, not a loop of failing requests
    } finally {
      st.loading = false;
    }
    if (isVisible(sentinel)) more();
  }

  let timer = null;
  /** keep: a live change, so reload as many rows as are shown; a new search or filter starts from one page. */
  function reloadSoon(ms = 120, keep = false) {
    clearTimeout(timer);
    timer = setTimeout(() => reload(keep), ms);
  }

  const live = new LiveSocket(listLivePath, {
    onMessage: (msg) => {
      // most changes are drawn from the message itself; only what can move rows asks the server again
      if (msg.type === 'run' && msg.run) {
        const run = normalizeRun(msg.run);
        if (st.byId.has(run.id) && staysPut(run)) updateRow(run);
        else if (!st.byId.has(run.id) && isNewest(run)) insertFirst(run);
        else reloadSoon(120, true);
      } else if (msg.type === 'removed') {
        if (st.byId.has(msg.id)) removeRow(msg.id);
        else reloadSoon(120, true);
      } else if (msg.type === 'counts' || msg.type === 'hello') {
        if (unfiltered()) { st.counts = msg.counts || {}; st.total = msg.total; drawChips(); drawSummary(); drawSelection(); }
        else reloadSoon(120, true);
      }
    },
    onState: (s) => { if (s === 'live' && st.loaded) reloadSoon(120, true); },   // after a reconnect: catch up over REST
  });

  /** The default view: every run but archived ones, so /api/live's counts are this list's counts. */
  function unfiltered() {
    return !f.q && !f.status && !f.archived && !f.sweep && !f.tag && !f.owner;
  }

  /** A change that cannot move the row or take it out of the filter is drawn in place. */
  function staysPut(run) {
    const old = st.byId.get(run.id)?.run;
    if (!old || old.archived !== run.archived) return false;
    if (f.status && old.status !== run.status) return false;
    if (f.tag && !run.tags.includes(f.tag)) return false;   // untagged: it leaves this filtered list
    return f.sort === 'created' || f.sort === 'name' || (f.sort === 'status' && old.status === run.status);
  }

  /** A run just created goes on top of the default newest-first view without a request. */
  function isNewest(run) {
    const top = st.rows[0];
    return unfiltered() && f.sort === 'created' && !f.order && !run.archived && (!top || run.created > top.created || (run.created === top.created && run.id > top.id));
  }

  function insertFirst(run) {
    const tbody = body.querySelector('#runs-rows');
    if (!tbody) { reloadSoon(120, true); return; }
    st.rows.unshift(run);
    const tr = row(run);
    st.byId.set(run.id, { run, tr });
    tbody.prepend(tr);
    drawSummary();
  }

  function removeRow(id) {
    const cur = st.byId.get(id);
    st.byId.delete(id);
    st.rows = st.rows.filter((r) => r.id !== id);
    st.selected.delete(id);
    cur.tr.remove();
    if (!st.rows.length) reloadSoon(120, true);
    drawSummary();
    drawSelection();
  }

  const observer = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) more(); }, { rootMargin: '400px' });
  observer.observe(sentinel);

  function draw() {
    drawChips();
    drawSelection();
    if (!st.loaded) return;
    const filtered = f.q || f.status || f.archived || f.sweep || f.tag || f.owner;
    drawSummary();
    if (!st.rows.length) {
      st.byId.clear();
      mount(body, filtered ? h('p.empty#no-match', 'No runs match.') : emptyState());
      return;
    }
    st.byId.clear();
    const tbody = h('tbody#runs-rows');
    mount(body, h('table.runs#runs-table',
      h('thead', h('tr', h('th.col-pick', h('span.visually-hidden', 'select')), COLUMNS.map(header), h('th', h('span.visually-hidden', 'actions')))),
      tbody));
    appendRows(st.rows, tbody);
  }

  function header(c) {
    const active = f.sort === c.key;
    const dir = f.order || (ASC_FIRST.has(f.sort) ? 'asc' : 'desc');
    return h('th', { class: [c.cls, 'sortable', active ? dir : ''].filter(Boolean).join(' '), 'aria-sort': active ? (dir === 'asc' ? 'ascending' : 'descending') : 'none' },
      h('button.sort', { type: 'button', dataset: { sort: c.key }, on: { click: () => {
        if (active) f.order = dir === 'asc' ? 'desc' : 'asc';
        else { f.sort = c.key; f.order = ''; }
        reload();
      } } }, c.label));
  }

  function appendRows(rows, tbody = body.querySelector('#runs-rows')) {
    if (!tbody) { draw(); return; }
    for (const r of rows) {
      const tr = row(r);
      st.byId.set(r.id, { run: r, tr });
      tbody.appendChild(tr);
    }
    drawSummary();
  }

  function drawSummary() {
    setText(summary, st.total === 0 ? '' : (st.indexing ? 'still reading run directories… ' : '') + fmtInt(st.rows.length) + ' of ' + fmtInt(st.total));
  }

  function updateRow(r) {
    const cur = st.byId.get(r.id);
    const i = st.rows.findIndex((x) => x.id === r.id);
    if (i >= 0) st.rows[i] = r;
    const tr = row(r);
    cur.tr.replaceWith(tr);
    st.byId.set(r.id, { run: r, tr });
  }

  function drawChips() {
    const all = Object.values(st.counts).reduce((a, b) => a + b, 0);
    const chip = (value, label, n) => h('button.chip', { type: 'button', 'aria-pressed': String(f.status === value), dataset: { status: value || 'all' },
      on: { click: () => { f.status = f.status === value ? '' : value; reload(); } } }, label + ' ', h('span.count', fmtInt(n)));
    const sweepChip = f.sweep ? h('span.chip.sweep-filter#sweep-filter', 'trials of sweep ', h('a', { href: '#/sweep/' + encodeURIComponent(f.sweep) }, f.sweep), ' ',
      h('button', { type: 'button', 'aria-label': 'show every run, not only this sweep\'s', on: { click: () => { f.sweep = ''; reload(); } } }, '×')) : null;
    const ownerChip = f.owner ? h('span.chip.owner-filter#owner-filter', 'started by ', h('b', f.owner), ' ',
      h('button', { type: 'button', 'aria-label': 'show everyone\'s runs', on: { click: () => { f.owner = ''; reload(); } } }, '×')) : null;
    const tagChip = f.tag ? h('span.chip.tag-filter#tag-filter', 'tagged ', h('strong', f.tag), ' ',
      h('button', { type: 'button', 'aria-label': 'show runs with any tag', on: { click: () => { f.tag = ''; tagBox.value = ''; reload(); } } }, '×')) : null;
    mount(chips, sweepChip, tagChip, ownerChip, chip('', 'all', all), STATUSES.filter((s) => st.counts[s] || f.status === s).map((s) => chip(s, s, st.counts[s] || 0)));
  }

  function drawSelection() {
    const n = st.selected.size;
    setText(selectionCount, n ? n + ' selected' : 'select runs to compare, archive or delete');
    compareBtn.disabled = n < 2;
    archiveBtn.disabled = n === 0;
    deleteBtn.disabled = n === 0;
    deleteMatching.hidden = !(f.q || f.status || f.archived || f.sweep || f.tag || f.owner) || st.total === 0;
    if (!deleteMatching.hidden) setText(deleteMatching, 'Delete all ' + fmtInt(st.total) + ' matching…');
  }

  function remoteTag(remote) {
    const l = remoteLabel(remote);
    return l ? h('span.tag-remote', { title: l.title }, l.text) : null;
  }

  function row(r) {
    if (r.status === 'running') rates.observe(r);
    const box = h('input', { type: 'checkbox', checked: st.selected.has(r.id), 'aria-label': 'select ' + r.name,
      on: { change: () => { box.checked ? st.selected.add(r.id) : st.selected.delete(r.id); drawSelection(); } } });
    const final = FINAL.has(r.status);
    return h('tr', { dataset: { id: r.id, status: r.status }, class: r.archived ? 'archived' : null },
      h('td.col-pick', box),
      h('td.name', { title: r.name }, h('a', { href: '#/run/' + encodeURIComponent(r.id) }, r.name), r.archived ? h('span.tag-archived', 'archived') : null,
        r.sweep ? h('a.tag-sweep', { href: '#/sweep/' + encodeURIComponent(r.sweep), title: 'a trial of sweep ' + r.sweep }, 'sweep') : null,
        remoteTag(r.remote),
        r.owner ? h('a.tag-owner', { href: hashOf({ ...f, owner: r.owner }), title: 'started by ' + r.owner + ': show only their runs' }, r.owner) : null,
        r.tags.length ? h('div.row-tags', r.tags.map((t) => h('button.list-tag', { type: 'button', dataset: { tag: t }, title: 'show only runs tagged ' + t,
          on: { click: () => { f.tag = t; tagBox.value = t; reload(); } } }, t))) : null),
      h('td.status-cell', h('span', { class: 'status status-' + r.status, title: r.reason || '' }, r.status),
        r.reason && r.status !== 'finished' ? h('div.reason.small', { title: r.reason }, r.reason) : null),
      progressCell(r),
      h('td.num.col-loss', fmtNum(r.loss)),
      h('td.num.col-val', fmtPct(r.valAcc)),
      h('td.num', r.bestValAcc != null ? fmtPct(r.bestValAcc) + ' @ ' + fmtInt(r.bestStep) : '–'),
      h('td.small.col-created', fmtTime(r.created)),
      h('td.actions',
        h('button', { on: { click: () => form.cloneFrom(r.id) } }, 'Clone'),
        final ? null : h('button.stop', { on: { click: () => { if (confirm('Stop run "' + r.name + '"?')) act(() => api.stopRun(r.id)); } } }, 'Stop'),
        final && !r.archived ? h('button.archive', { title: 'hide from the list (kept on disk)', on: { click: () => act(() => archiveRun(r.id)) } }, 'Archive') : null,
        r.archived ? h('button.unarchive', { on: { click: () => act(() => unarchiveRun(r.id)) } }, 'Restore') : null,
        final ? h('button.danger', { on: { click: () => {
          if (confirm('Delete run "' + r.name + '" and all its data? ' + fmtBytes(r.diskBytes) + ' of disk comes back.')) act(() => api.deleteRun(r.id));
        } } }, 'Delete') : null));
  }

  /** Bar and percent while a run has a planned total, plus the ETA while it runs; the step it stopped at otherwise. */
  function progressCell(r) {
    if (r.status === 'queued') return h('td.progress-cell', h('span.small', r.totalSteps ? fmtInt(r.totalSteps) + ' steps planned' : 'waiting for a slot'));
    const p = progressOf(r);
    // one convention with the run page: completed steps (last 0-based step + 1) out of planned
    const steps = r.step == null ? '' : fmtInt(r.step + 1) + (r.totalSteps ? ' / ' + fmtInt(r.totalSteps) : '') + ' steps';
    if (p == null) return h('td.progress-cell', h('span.small', r.step == null ? '' : (FINAL.has(r.status) ? 'ended after ' : '') + steps));
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

  async function archiveSelected() {
    const ids = [...st.selected];
    for (const id of ids) {
      try { await archiveRun(id); st.selected.delete(id); } catch (e) { setText(message, id + ': ' + e.message); }
    }
    reload();
  }

  /** Asks the server what would go (dry run), says how much disk comes back, then deletes. */
  async function deleteSelection(what) {
    try {
      const plan = await deleteRuns({ ...what, dryRun: true });
      const n = plan.deleted.length;
      const skipped = plan.skipped.length ? '\n' + plan.skipped.length + ' live run(s) will be left alone.' : '';
      if (n === 0) { setText(message, 'Nothing to delete.' + skipped); return; }
      if (!confirm('Delete ' + fmtInt(n) + ' run' + (n === 1 ? '' : 's') + ' and all their data? ' + fmtBytes(plan.freed_bytes) + ' of disk comes back.' + skipped)) return;
      const done = await deleteRuns({ ids: plan.deleted });
      for (const id of done.deleted) st.selected.delete(id);
      setText(message, '');
      if (done.skipped.length) setText(message, done.skipped.map((s) => s.id + ' ' + s.reason).join('; '));
    } catch (e) {
      setText(message, e.message);
    }
    reload();
  }

  async function act(fn) {
    try { await fn(); } catch (e) { setText(message, e.message); }
    reload();
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

  reload();
  if (params.get('clone')) form.cloneFrom(params.get('clone'));   // #/?clone=ID and #/?new=1 open the form
  else if (params.has('new')) form.toggle(true);
  return () => { live.close(); clearTimeout(timer); observer.disconnect(); };
}

function isVisible(el) {
  const r = el.getBoundingClientRect();
  return r.top < innerHeight + 400;
}
