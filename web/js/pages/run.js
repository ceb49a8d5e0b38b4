// Run page (#/run/ID): header, live charts, filters, checks, alerts, log.

import { h, mount, setText } from '../dom.js';
import { api, LiveSocket, runLivePath } from '../api.js';
import { fmtNum, fmtInt, fmtDuration, fmtPct, FINAL, num } from '../format.js';
import { RunCharts } from '../run-charts.js';
import { FilterPanel } from '../filter-panel.js';
import { ChecksPanel } from '../checks-panel.js';
import { configSummary, stepsPerEpoch, totalSteps } from '../config-summary.js';
import { fmtBytes } from '../disk.js';
import { X_MODES } from '../charts/x-axis.js';
import { alertList as renderAlerts } from '../alerts.js';
import { normalizeRun, remoteLabel } from '../runs-model.js';
import { listPage } from '../run-list-api.js';
import { ensembleApi } from '../ensemble-api.js';
import { NotesPanel } from '../notes-panel.js';
import { TagEditor } from '../tag-editor.js';
import { teamApi, copyLinkButton } from '../team-api.js';
import { replaceViewUrl } from '../view-url.js';

export function runPage(root, id, params = new URLSearchParams()) {
  const charts = new RunCharts(id);
  // smoothing, log-y and the x axis live in the URL: a reload or a shared link keeps them
  const sm = Number(params.get('smooth'));
  if (params.has('smooth') && Number.isFinite(sm)) charts.smoothing = Math.min(0.999, Math.max(0, sm));
  charts.logLoss = params.get('log') === '1';
  charts.totalLoss = params.get('total') === '1';
  if (X_MODES.some((m) => m.id === params.get('x'))) charts.xMode = params.get('x');
  const filters = new FilterPanel(id);
  const notes = new NotesPanel(id);
  const tagEditor = new TagEditor(id);
  // a shared link may carry a zoom (x values of its axis: zoom=X0,X1) and a filter snapshot step (fstep=N)
  const zoomParam = (params.get('zoom') || '').split(',').map(Number);
  const wantZoom = zoomParam.length === 2 && zoomParam.every(Number.isFinite) && zoomParam[1] > zoomParam[0] ? zoomParam : null;
  const fstep = params.has('fstep') && Number.isFinite(Number(params.get('fstep'))) ? Number(params.get('fstep')) : null;
  charts.onView = () => syncUrl();
  filters.onChange = () => syncUrl();
  const st = { run: null, status: 'queued', reason: '', step: null, total: null, alerts: [], rate: [], latest: {}, logShown: false, disposed: false };
  const checks = new ChecksPanel(id, () => reloadDetail());

  const title = h('h2.run-name');
  const statusEl = h('span.status');
  const reasonEl = h('span.reason');
  const indicator = h('span.live-indicator#live-indicator', { hidden: true });   // shown once the run's status is known
  const bar = h('div.fill');
  const progressText = h('span.small');
  const stats = h('div.stats');
  const summary = h('div.config-summary.small');
  const alertList = h('ul.alerts#alert-list', { 'aria-live': 'polite' });
  const logBox = h('pre.log#trainer-log');
  const hideInfo = h('input#log-hide-info', { type: 'checkbox', checked: true, on: { change: () => renderLog() } });
  const logNote = h('span.chart-note');
  const logPanel = h('section.panel#log-panel', { hidden: true },
    h('div.log-head', h('h3', 'Trainer log', logNote), h('label.small', hideInfo, ' hide INFO lines'),
      h('button', { on: { click: () => { logPanel.hidden = true; clearInterval(st.logTimer); st.logTimer = 0; } } }, 'Close')),
    logBox);
  const message = h('div.page-message');
  const waiting = h('div.waiting#queued-note', { hidden: true });

  const slider = h('input#smoothing', { type: 'range', min: 0, max: 0.999, step: 0.001, value: charts.smoothing, 'aria-label': 'smoothing' });
  const sliderVal = h('span.small.num-readout', String(charts.smoothing));
  slider.addEventListener('input', () => { charts.setSmoothing(Number(slider.value)); setText(sliderVal, slider.value); syncUrl(); });
  const logToggle = h('input#log-y', { type: 'checkbox', checked: charts.logLoss, on: { change: () => { charts.setLogLoss(logToggle.checked); syncUrl(); } } });
  const totalToggle = h('input#total-loss', { type: 'checkbox', checked: charts.totalLoss,
    on: { change: () => { charts.setTotalLoss(totalToggle.checked); syncUrl(); } } });
  const xSelect = h('select#x-axis', { 'aria-label': 'x axis', on: { change: () => setX(xSelect.value) } },
    X_MODES.map((m) => h('option', { value: m.id, selected: m.id === charts.xMode }, m.label)));
  const stopBtn = h('button#stop-run', { hidden: true, on: { click: () => stopRun() } }, 'Stop');
  const cloneBtn = h('a.button#clone-run', { href: '#/?clone=' + encodeURIComponent(id) }, 'Clone');
  const deleteBtn = h('button.danger#delete-run', { hidden: true, on: { click: () => deleteRun() } }, 'Delete…');
  const resetZoom = h('button', { on: { click: () => charts.resetZoom() } }, 'Reset zoom');
  const logBtn = h('button#show-log', { on: { click: () => showLog(true, true) } }, 'Trainer log');
  // full-fidelity downloads: every step of every tag, straight from the log (docs/export.md)
  const exportLinks = h('span.export-links#export-links', 'export ',
    h('a#export-csv', { href: teamApi.exportUrl(id, 'csv'), download: '' }, 'CSV'), ' · ',
    h('a#export-jsonl', { href: teamApi.exportUrl(id, 'jsonl'), download: '' }, 'JSON lines'));
  // an interrupted or stopped run continues from its newest checkpoint (POST /api/runs/{id}/resume)
  const resumeBtn = h('button.primary#resume-run', { hidden: true, on: { click: async () => {
    resumeBtn.disabled = true;
    try { await api.resumeRun(id); setText(message, ''); await reloadDetail(); } catch (e) { setText(message, e.message); }
    resumeBtn.disabled = false;
  } } }, 'Resume');
  const resumedEl = h('span.resumed.small#resumed-at');
  const remoteEl = h('span.tag-remote#remote-origin', { hidden: true });
  // "repeat with N seeds": N new runs of this config differing only in seed, then an ensemble of them (POST /api/ensembles)
  const seedsInput = h('input#seeds-count', { type: 'number', min: 2, max: 20, value: 5, 'aria-label': 'number of seeds', style: { width: '3.5em' } });
  const seedsBtn = h('button#repeat-seeds', { title: 'start N runs of this config that differ only in seed, then evaluate their ensemble',
    on: { click: async () => {
      seedsBtn.disabled = true;
      try {
        const made = await ensembleApi.create({ seeds: Number(seedsInput.value), run: id });
        location.hash = '#/ensemble/' + encodeURIComponent(made.id);
      } catch (e) { setText(message, e.message); }
      seedsBtn.disabled = false;
    } } }, 'Repeat with seeds');
  const seedsAction = h('span.seeds-action#seeds-action', seedsInput, seedsBtn);

  mount(root,
    h('div.run-header',
      h('div.title-row', h('a.back', { href: '#/' }, '← runs'), title, remoteEl, statusEl, reasonEl, resumedEl, resumeBtn, h('span.spacer'), indicator,
        h('span.run-actions', cloneBtn, seedsAction, stopBtn)),
      tagEditor.el,
      h('div.progress-row', h('div.bar.wide', bar), progressText),
      stats, summary),
    message,
    h('div.controls',
      h('label', 'smoothing ', slider, sliderVal),
      h('label', logToggle, ' log-y (loss)'),
      h('label', { title: 'loss as optimized, l2 term included; unticked the chart shows loss − reg_loss, comparable with val_loss' }, totalToggle, ' total loss (with l2)'),
      h('label', 'x ', xSelect),
      h('span.small', 'drag on a chart to zoom (fetches full resolution)'), resetZoom,
      h('span.spacer'),
      h('a', { href: '#/compare?ids=' + encodeURIComponent(id) }, 'compare…'), exportLinks, copyLinkButton(), logBtn),
    waiting,
    h('div.run-body',
      charts.el,
      h('div.side', notes.el, filters.el, checks.el, h('section.panel#alerts', h('h3', 'Alerts'), alertList))),
    logPanel,
    h('div.danger-zone', deleteBtn));

  function syncUrl() {
    const q = new URLSearchParams();
    if (charts.smoothing !== 0.6) q.set('smooth', String(charts.smoothing));
    if (charts.logLoss) q.set('log', '1');
    if (charts.totalLoss) q.set('total', '1');
    if (charts.xMode !== 'step') q.set('x', charts.xMode);
    if (charts.zoom) q.set('zoom', charts.zoom.x.map((v) => String(+v.toFixed(3))).join(','));
    else if (wantZoom && !st.zoomApplied) q.set('zoom', wantZoom.join(','));   // not drawn yet: keep what the link asked for
    const pinned = filters.pinnedStep() ?? (st.filtersShown ? null : fstep);
    if (pinned != null) q.set('fstep', String(pinned));
    const hash = '#/run/' + encodeURIComponent(id) + (q.toString() ? '?' + q : '');
    replaceViewUrl(hash);
  }

  async function setX(mode) {
    if ((mode === 'relative' || mode === 'wall') && !charts.clock) {
      try { charts.clock = await api.clock(id, 1000); } catch (e) { setText(message, 'No clock for time axes: ' + e.message); return; }
    }
    charts.setXMode(mode);
    syncUrl();
  }

  /** A queued run's page says it is waiting, its place in line and what it waits for, not blank charts under "live". */
  async function explainQueue() {
    setText(waiting, 'Queued: waiting for a free slot.');
    let queued, running;
    try {
      const [q, r] = await Promise.all([listPage({ status: 'queued', sort: 'created', order: 'asc' }, { limit: 1000 }),
        listPage({ status: 'running' }, { limit: 1000 })]);
      queued = q.runs.map(normalizeRun);
      running = r.runs.map(normalizeRun);
    } catch { return; }
    if (st.status !== 'queued') return;
    const place = queued.findIndex((r) => r.id === id) + 1;
    setText(waiting, 'Queued' + (place ? ': number ' + place + ' of ' + queued.length + ' in line' : '') + '. '
      + (running.length ? running.length + (running.length === 1 ? ' run is' : ' runs are') + ' using the parallel slots (serve --max-parallel): '
        + running.slice(0, 3).map((r) => r.name).join(', ') + (running.length > 3 ? '…' : '') + '. ' : '')
      + 'It starts by itself when a slot frees; the charts fill in then.');
  }

  async function stopRun() {
    if (!confirm('Stop run "' + (st.run?.name ?? id) + '"? It ends as "stopped" at its current step.')) return;
    stopBtn.disabled = true;
    try { await api.stopRun(id); setText(stopBtn, 'Stopping…'); } catch (e) { stopBtn.disabled = false; setText(message, e.message); }
  }

  async function deleteRun() {
    if (!confirm('Delete run "' + (st.run?.name ?? id) + '" and all its data? This cannot be undone.')) return;
    try { await api.deleteRun(id); location.hash = '#/'; } catch (e) { setText(message, e.message); }
  }

  async function reloadDetail(pending) {
    const run = await (pending || api.getRun(id));
    st.run = run;
    const cfg = run.config || {};
    setText(title, run.name);
    document.title = run.name + ' · trainwatch';
    setText(summary, configSummary(cfg));
    if (cfg.dataset) filters.setDataset(cfg.dataset);
    setStatus(run.status, run.reason);
    st.total = run.progress.total ?? totalSteps(cfg);
    charts.stepsPerEpoch = stepsPerEpoch(cfg);
    st.step = run.progress.step;
    st.latest = Object.assign({}, run.latest, st.latest);
    setAlerts(run.alerts);
    checks.set(run.checks);
    checks.setTrainable(run.trainable !== false);
    // a remote run with its client's own config (a PyTorch loop's) cannot be cloned or repeated by trainwatch's trainer
    cloneBtn.hidden = run.trainable === false;
    seedsAction.hidden = run.trainable === false;
    setText(resumedEl, run.resumed_at.length ? 'resumed at step ' + run.resumed_at.map(fmtInt).join(', ') : '');
    const remote = remoteLabel(run.remote);
    remoteEl.hidden = !remote;
    setText(remoteEl, remote ? remote.text : '');
    remoteEl.title = remote ? remote.title : '';
    header();
    return run;
  }

  async function loadAll() {
    // the detail names the tags this run has written: fetching only those keeps a young run's page free of 404s
    const run = await reloadDetail(api.getRun(id));
    const pending = charts.fetch(run.tags);
    if ((charts.xMode === 'relative' || charts.xMode === 'wall') && !charts.clock) charts.clock = await api.clock(id, 1000).catch(() => null);
    const seq = await charts.load(pending);
    const last = Math.max(-1, ...[...charts.series.values()].map((s) => s.lastStep()));
    if (last >= 0) st.step = Math.max(st.step ?? 0, last);
    header();
    // resume after the OLDEST snapshot: a status or alert logged between the detail and the scalars
    // fetches would otherwise be skipped (replayed scalars are dropped by step, alerts by seq)
    return seq != null ? Math.min(seq, run.seq) : run.seq;
  }

  function setStatus(status, reason) {
    if (status) st.status = status;
    st.reason = reason;
    statusEl.className = 'status status-' + st.status;
    setText(statusEl, st.status);
    setText(reasonEl, st.reason || '');
    if (FINAL.has(st.status)) setIndicator('ended');
    else if (st.sock) setIndicator(st.sock);   // queued -> running while connected: the badge turns "live"
    // destructive actions sit apart: Stop by the title while it runs, Delete at the foot once it ended
    stopBtn.hidden = !(st.status === 'running' || st.status === 'queued');
    deleteBtn.hidden = !FINAL.has(st.status) || st.deleted;
    resumeBtn.hidden = !['interrupted', 'stopped'].includes(st.status) || st.deleted;
    waiting.hidden = st.status !== 'queued';
    if (st.status === 'queued') explainQueue();
    if (['failed', 'diverged', 'interrupted'].includes(st.status) && st.run?.has_log) showLog(false);
  }

  function setAlerts(alerts) {
    st.alerts = alerts;
    charts.setAlerts(st.alerts);
    renderAlerts(alertList, st.alerts);
  }

  // a finished run's page says "ended" whatever its socket is doing: nothing more will stream
  function setIndicator(s) {
    if (s === 'closed') return;
    st.sock = s;
    const liveState = FINAL.has(st.status) ? 'ended' : st.status === 'queued' && s === 'live' ? 'queued' : s;
    indicator.hidden = false;
    indicator.className = 'live-indicator state-' + liveState;
    setText(indicator, liveState);
  }

  function header() {
    const step = st.step;
    const p = st.total && step != null ? Math.min(1, (step + 1) / st.total) : (st.status === 'finished' ? 1 : 0);
    bar.style.width = (p * 100).toFixed(1) + '%';
    // one convention everywhere: completed steps (last 0-based step + 1) out of planned
    setText(progressText, step == null ? 'no steps yet' : fmtInt(step + 1) + (st.total ? ' / ' + fmtInt(st.total) : '') + ' steps'
      + (st.total ? ' (' + (p * 100).toFixed(1) + '%)' : ''));
    const eps = num(st.latest.examples_per_sec);
    const lastOf = (tag) => { const s = charts.series.get(tag); return s && s.length ? s.last[s.length - 1] : num(st.latest[tag]); };
    const rate = stepRate();
    const eta = !FINAL.has(st.status) && st.total && step != null && rate > 0 ? (st.total - step - 1) / rate : null;
    mount(stats,
      stat('loss', fmtNum(lastOf('loss'))),
      stat('train_acc', fmtPct(lastOf('train_acc'))),
      stat('val_acc', fmtPct(lastOf('val_acc'))),
      stat('examples/s', eps != null ? fmtInt(eps) : '–'),
      stat('ETA', FINAL.has(st.status) ? '–' : fmtDuration(eta)),
      stat('disk', fmtBytes(st.run?.disk_bytes)));
  }

  function stepRate() {
    const r = st.rate;
    if (r.length < 2) return null;
    const a = r[0], b = r[r.length - 1];
    return b.t > a.t ? (b.step - a.step) / ((b.t - a.t) / 1000) : null;
  }

  /** Opens the trainer log; while the run is live it is re-read every 2 s and stays scrolled to its end. */
  async function showLog(force, scroll) {
    if (st.logShown && !force) return;
    st.logShown = true;
    logPanel.hidden = false;
    if (st.run && st.run.has_log === false) { st.logText = null; setText(logBox, 'No trainer log: this run was not started by this server.'); }
    else await fetchLog();
    if (scroll) logPanel.scrollIntoView({ block: 'start', behavior: 'smooth' });
    if (!st.logTimer && !FINAL.has(st.status) && st.run?.has_log !== false) {
      st.logTimer = setInterval(() => { if (FINAL.has(st.status)) { clearInterval(st.logTimer); st.logTimer = 0; } fetchLog(); }, 2000);
    }
  }

  async function fetchLog() {
    try { st.logText = (await api.log(id)) || ''; } catch (e) { st.logText = null; setText(logBox, 'No log: ' + e.message); return; }
    renderLog();
  }

  function renderLog() {
    if (st.logText == null) return;
    const lines = st.logText.split('\n');
    const shown = hideInfo.checked ? lines.filter((l) => !/\bINFO\b/.test(l)) : lines;
    const atEnd = logBox.scrollTop + logBox.clientHeight >= logBox.scrollHeight - 4;
    setText(logBox, shown.join('\n') || '(empty)');
    setText(logNote, (lines.length - shown.length) ? (lines.length - shown.length) + ' INFO lines hidden' : '');
    if (atEnd) logBox.scrollTop = logBox.scrollHeight;   // follow the tail unless the reader scrolled up
  }

  let headerFrame = 0;
  function onMessage(msg) {
    switch (msg.type) {
      case 'hello': setStatus(msg.status, msg.reason); break;
      case 'scalars': {
        charts.append(msg);
        const steps = msg.step || [];
        if (steps.length) {
          st.step = Math.max(st.step ?? 0, steps[steps.length - 1]);
          const t = msg.t || [];
          if (t.length) {
            st.rate.push({ t: t[t.length - 1], step: steps[steps.length - 1] }); if (st.rate.length > 30) st.rate.shift();
            charts.tick(steps[steps.length - 1], t[t.length - 1]);
          }
        }
        for (const [tag, vals] of Object.entries(msg.values || {})) {
          for (let i = vals.length - 1; i >= 0; i--) if (vals[i] != null) { st.latest[tag] = vals[i]; break; }
        }
        if (!headerFrame) headerFrame = requestAnimationFrame(() => { headerFrame = 0; header(); });
        break;
      }
      case 'filters': filters.added(msg.step); break;
      case 'status': {
        const before = st.status;
        setStatus(msg.status, msg.reason); header();
        // a resumed run superseded the steps after its checkpoint: reload the charts, not just the header
        if (st.status === 'running' && ['queued', 'interrupted', 'stopped'].includes(before) && st.run?.resumed_at?.length) loadAll().catch(() => {});
        else if (FINAL.has(st.status) || st.status === 'running') reloadDetail().catch(() => {});
        break;
      }
      case 'alert':
        if (!st.alerts.some((b) => b.seq === msg.seq)) setAlerts(st.alerts.concat([msg]));
        break;
      // the message IS the check ({type, seq?, t, check, outcome, summary, details}); msg.check is its name
      case 'check': checks.add(msg); break;
      case 'note': notes.added(msg); break;
      case 'error': setText(message, msg.error); break;
    }
  }

  let live = null;
  loadAll().then(async (seq) => {
    if (st.disposed) return;
    tagEditor.load();
    live = new LiveSocket(runLivePath(id), {
      after: seq,
      onMessage,
      // on each (re)connect: notes added before the socket joined (or while it was down) come over REST; notes carry no seq
      onState: (s) => { setIndicator(s); if (s === 'live') notes.load(); },
      onResync: () => loadAll(),
    });
    if (st.run?.filter_steps !== 0) filters.load(fstep).finally(() => { st.filtersShown = true; });   // none yet: the live `filters` notice brings the first
    if (wantZoom) { await charts.zoomTo(wantZoom[0], wantZoom[1]); st.zoomApplied = true; syncUrl(); }
  }).catch((e) => {
    setText(message, e.status === 404 ? 'No such run: ' + id : 'Could not load run: ' + e.message);
    if (e.status === 404) { st.deleted = true; cloneBtn.hidden = true; stopBtn.hidden = true; deleteBtn.hidden = true; }
    setIndicator('ended');
  });

  return () => {
    st.disposed = true;
    if (live) live.close();
    charts.dispose();
    checks.dispose();
    cancelAnimationFrame(headerFrame);
    clearInterval(st.logTimer);
  };
}

function stat(label, value) {
  return h('div.stat', h('div.stat-label', label), h('div.stat-value', value));
}
