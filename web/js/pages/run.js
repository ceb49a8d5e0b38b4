// Run page (#/run/ID): header, live charts, filters, checks, alerts, log.

import { h, mount, setText } from '../dom.js';
import { api, LiveSocket, runLivePath } from '../api.js';
import { fmtNum, fmtInt, fmtDuration, fmtPct, FINAL, num } from '../format.js';
import { RunCharts } from '../run-charts.js';
import { FilterPanel } from '../filter-panel.js';
import { ChecksPanel } from '../checks-panel.js';
import { configSummary, stepsPerEpoch, totalSteps } from '../config-summary.js';

export function runPage(root, id) {
  const charts = new RunCharts(id);
  const filters = new FilterPanel(id);
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
  const alertList = h('ul.alerts#alert-list');
  const logBox = h('pre.log#trainer-log');
  const logPanel = h('section.panel#log-panel', { hidden: true }, h('h3', 'Trainer log'), logBox);
  const message = h('div.page-message');

  const slider = h('input#smoothing', { type: 'range', min: 0, max: 0.999, step: 0.001, value: charts.smoothing });
  const sliderVal = h('span.small', String(charts.smoothing));
  slider.addEventListener('input', () => { charts.setSmoothing(Number(slider.value)); setText(sliderVal, slider.value); });
  const logToggle = h('input#log-y', { type: 'checkbox', on: { change: () => charts.setLogLoss(logToggle.checked) } });
  const resetZoom = h('button', { on: { click: () => charts.resetZoom() } }, 'Reset zoom');
  const logBtn = h('button', { on: { click: () => showLog(true) } }, 'Trainer log');

  mount(root,
    h('div.run-header',
      h('div.title-row', h('a.back', { href: '#/' }, '← runs'), title, statusEl, reasonEl, h('span.spacer'), indicator),
      h('div.progress-row', h('div.bar.wide', bar), progressText),
      stats, summary),
    message,
    h('div.controls',
      h('label', 'smoothing ', slider, sliderVal),
      h('label', logToggle, ' log-y (loss)'),
      h('span.small', 'drag on a chart to zoom (fetches full resolution)'), resetZoom,
      h('span.spacer'),
      h('a', { href: '#/compare?ids=' + encodeURIComponent(id) }, 'compare…'), logBtn),
    h('div.run-body',
      charts.el,
      h('div.side', filters.el, checks.el, h('section.panel#alerts', h('h3', 'Alerts'), alertList))),
    logPanel);

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
    header();
    return run;
  }

  const COMMON = ['loss', 'reg_loss', 'train_acc', 'val_loss', 'val_acc'];
  async function loadAll() {
    // the common tags load while the detail (which names the layer tags) is still on its way
    const detail = api.getRun(id);
    const pending = charts.fetch(COMMON);
    const run = await reloadDetail(detail);
    const tags = run.tags;
    for (const [t, p] of charts.fetch(tags.filter((t) => !COMMON.includes(t)))) pending.set(t, p);
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
    if (['failed', 'diverged', 'interrupted'].includes(st.status)) showLog(false);
  }

  function setAlerts(alerts) {
    st.alerts = alerts;
    charts.setAlerts(st.alerts);
    mount(alertList, st.alerts.length ? st.alerts.map((a) => h('li', { class: 'alert alert-' + a.kind },
      h('b', 'step ' + fmtInt(a.step) + ': '), a.message, a.advice ? h('div.advice', 'Try: ' + a.advice) : null))
      : h('li.small', 'None so far.'));
  }

  // a finished run's page says "ended" whatever its socket is doing: nothing more will stream
  function setIndicator(s) {
    if (s === 'closed') return;
    const liveState = FINAL.has(st.status) ? 'ended' : s;
    indicator.hidden = false;
    indicator.className = 'live-indicator state-' + liveState;
    setText(indicator, liveState);
  }

  function header() {
    const step = st.step;
    const p = st.total && step != null ? Math.min(1, (step + 1) / st.total) : (st.status === 'finished' ? 1 : 0);
    bar.style.width = (p * 100).toFixed(1) + '%';
    setText(progressText, step == null ? 'no steps yet' : 'step ' + fmtInt(step) + (st.total ? ' / ' + fmtInt(st.total) + ' (' + (p * 100).toFixed(1) + '%)' : ''));
    const eps = num(st.latest.examples_per_sec);
    const lastOf = (tag) => { const s = charts.series.get(tag); return s && s.length ? s.last[s.length - 1] : num(st.latest[tag]); };
    const rate = stepRate();
    const eta = !FINAL.has(st.status) && st.total && step != null && rate > 0 ? (st.total - step - 1) / rate : null;
    mount(stats,
      stat('loss', fmtNum(lastOf('loss'))),
      stat('train_acc', fmtPct(lastOf('train_acc'))),
      stat('val_acc', fmtPct(lastOf('val_acc'))),
      stat('examples/s', eps != null ? fmtInt(eps) : '–'),
      stat('ETA', FINAL.has(st.status) ? '–' : fmtDuration(eta)));
  }

  function stepRate() {
    const r = st.rate;
    if (r.length < 2) return null;
    const a = r[0], b = r[r.length - 1];
    return b.t > a.t ? (b.step - a.step) / ((b.t - a.t) / 1000) : null;
  }

  async function showLog(force) {
    if (st.logShown && !force) return;
    st.logShown = true;
    logPanel.hidden = false;
    try { setText(logBox, (await api.log(id)) || '(empty)'); } catch (e) { setText(logBox, 'No log: ' + e.message); }
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
          if (t.length) { st.rate.push({ t: t[t.length - 1], step: steps[steps.length - 1] }); if (st.rate.length > 30) st.rate.shift(); }
        }
        for (const [tag, vals] of Object.entries(msg.values || {})) {
          for (let i = vals.length - 1; i >= 0; i--) if (vals[i] != null) { st.latest[tag] = vals[i]; break; }
        }
        if (!headerFrame) headerFrame = requestAnimationFrame(() => { headerFrame = 0; header(); });
        break;
      }
      case 'filters': filters.added(msg.step); break;
      case 'status': setStatus(msg.status, msg.reason); header();
        if (FINAL.has(st.status)) reloadDetail().catch(() => {});
        break;
      case 'alert':
        if (!st.alerts.some((b) => b.seq === msg.seq)) setAlerts(st.alerts.concat([msg]));
        break;
      // the message IS the check ({type, seq?, t, check, outcome, summary, details}); msg.check is its name
      case 'check': checks.add(msg); break;
      case 'error': setText(message, msg.error); break;
    }
  }

  let live = null;
  loadAll().then((seq) => {
    if (st.disposed) return;
    live = new LiveSocket(runLivePath(id), {
      after: seq,
      onMessage,
      onState: setIndicator,
      onResync: () => loadAll(),
    });
    filters.load();
  }).catch((e) => {
    setText(message, e.status === 404 ? 'No such run: ' + id : 'Could not load run: ' + e.message);
    setIndicator('ended');
  });

  return () => {
    st.disposed = true;
    if (live) live.close();
    charts.dispose();
    checks.dispose();
    cancelAnimationFrame(headerFrame);
  };
}

function stat(label, value) {
  return h('div.stat', h('div.stat-label', label), h('div.stat-value', value));
}
