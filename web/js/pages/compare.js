// Compare page (#/compare?ids=a,b&tag=loss&x=step): several runs overlaid on one
// tag, each run's whole line whatever its length, one colour and dash per run,
// drag to zoom (refetched at full resolution), and the config keys in which
// the runs differ. The URL is the state: editing or pasting it re-draws.

import { h, mount, setText } from '../dom.js';
import { api } from '../api.js';
import { TagSeries, POINTS, align, project, plottable, smooth } from '../series.js';
import { makeChart, runStyle } from '../charts/chart.js';
import { ensembleApi } from '../ensemble-api.js';
import { X_MODES, xAxis, mapper, mapSteps } from '../charts/x-axis.js';
import { RunPicker } from '../run-picker.js';
import { stepsPerEpoch } from '../config-summary.js';
import { fmtNum } from '../format.js';
import { teamApi, copyLinkButton } from '../team-api.js';
import { replaceViewUrl } from '../view-url.js';

const COMMON_TAGS = ['loss', 'val_loss', 'train_acc', 'val_acc', 'examples_per_sec'];

function readParams(params) {
  return {
    ids: (params.get('ids') || '').split(',').filter(Boolean),
    tag: params.get('tag') || 'loss',
    smoothing: clamp(Number(params.get('smooth') ?? 0.6)),
    log: params.get('log') === '1',
    x: X_MODES.some((m) => m.id === params.get('x')) ? params.get('x') : 'step',
  };
}

function clamp(v) { return Number.isFinite(v) ? Math.min(0.999, Math.max(0, v)) : 0.6; }

export function comparePage(root, params) {
  const st = Object.assign(readParams(params), {
    runs: [], details: new Map(), series: new Map(), clocks: new Map(), chart: null, zoom: null, gen: 0,
  });
  const picker = h('div');
  const tagSelect = h('select#compare-tag', { 'aria-label': 'tag', on: { change: () => { st.tag = tagSelect.value; st.zoom = null; update(true); } } });
  const xSelect = h('select#compare-x', { 'aria-label': 'x axis', on: { change: () => { st.x = xSelect.value; st.zoom = null; update(true); } } },
    X_MODES.map((m) => h('option', { value: m.id }, m.label)));
  const slider = h('input#compare-smoothing', { type: 'range', min: 0, max: 0.999, step: 0.001, value: st.smoothing, 'aria-label': 'smoothing',
    on: { input: () => { st.smoothing = Number(slider.value); setText(sliderVal, slider.value); draw(); } } });
  const sliderVal = h('span.small.num-readout', String(st.smoothing));
  const logToggle = h('input#compare-log', { type: 'checkbox', checked: st.log, on: { change: () => { st.log = logToggle.checked; rebuild(); } } });
  const resetZoom = h('button#compare-reset-zoom', { on: { click: () => unzoom() } }, 'Reset zoom');
  const plot = h('div.plot#compare-chart');
  const note = h('span.chart-note');
  const diff = h('div#config-diff');
  const message = h('div.page-message');
  // the selected runs' final checkpoints as one ensemble (POST /api/ensembles), then its results page
  const ensembleBtn = h('button#ensemble-selected', { title: 'average the predictions of the selected runs (final checkpoints)', on: { click: async () => {
    ensembleBtn.disabled = true;
    try {
      const made = await ensembleApi.create({ members: st.ids });
      location.hash = '#/ensemble/' + encodeURIComponent(made.id);
    } catch (e) { setText(message, e.message); }
    ensembleBtn.disabled = false;
  } } }, 'Ensemble selected');
  // what the chart shows, at full resolution: every point of the shown tag of every shown run, one CSV
  const exportBtn = h('button#compare-export', { title: 'every point of the shown tag for each run (full resolution, NaN kept), as one CSV',
    on: { click: () => exportShown() } }, 'Export CSV');
  mount(root,
    h('div.toolbar', h('a.back', { href: '#/' }, '← runs'), h('h2', 'Compare runs'), h('span.spacer'), exportBtn, copyLinkButton(), ensembleBtn),
    message,
    h('div.compare-layout',
      h('section.panel', h('h3', 'Runs'), picker),
      h('div.compare-main',
        h('div.controls', h('label', 'tag ', tagSelect), h('label', 'x ', xSelect), h('label', 'smoothing ', slider, sliderVal),
          h('label', logToggle, ' log-y'), h('span.small', 'drag to zoom, double-click to reset'), resetZoom),
        h('section.chart-box', h('h3', 'Overlay', note), plot),
        h('section.panel', h('h3', 'Config differences'), diff))));

  function syncUrl() {
    const q = new URLSearchParams({ ids: st.ids.join(','), tag: st.tag, smooth: String(st.smoothing) });
    if (st.log) q.set('log', '1');
    if (st.x !== 'step') q.set('x', st.x);
    const hash = '#/compare?' + q.toString().replace(/%2C/g, ',');
    replaceViewUrl(hash);
  }

  async function exportShown() {
    exportBtn.disabled = true;
    const quote = (v) => (/[",\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v);
    const out = ['run,name,step,t,' + st.tag];
    const missing = [];
    try {
      for (const id of st.ids) {
        const res = await fetch(teamApi.exportUrl(id, 'csv', st.tag));
        if (res.status === 404) { missing.push(id); continue; }   // this run never wrote the tag: the chart shows nothing for it either
        if (!res.ok) throw new Error(id + ': HTTP ' + res.status);
        const name = (st.details.get(id) || {}).name || id;
        const prefix = quote(id) + ',' + quote(name) + ',';
        for (const line of (await res.text()).split('\n').slice(1)) if (line) out.push(prefix + line);
      }
      const url = URL.createObjectURL(new Blob([out.join('\n') + '\n'], { type: 'text/csv' }));
      const a = h('a', { href: url, download: 'compare-' + st.tag.replace(/\//g, '_') + '.csv' });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setText(message, missing.length ? 'Exported; without ' + missing.join(', ') + ' (no ' + st.tag + ')' : '');
    } catch (e) { setText(message, 'Export failed: ' + e.message); }
    exportBtn.disabled = false;
  }

  /** A new URL in the same tab (edited, pasted, back/forward): adopt it without a reload. */
  function follow(params) {
    const next = readParams(params);
    const same = next.ids.join(',') === st.ids.join(',') && next.tag === st.tag && next.x === st.x;
    const redraw = next.log !== st.log;
    Object.assign(st, next);
    slider.value = st.smoothing; setText(sliderVal, String(st.smoothing));
    logToggle.checked = st.log;
    xSelect.value = st.x;
    if (st.picker) { st.picker.ids = [...st.ids]; st.picker.loadChosen().then(() => st.picker.draw()); }
    if (!same) { st.zoom = null; update(true); } else if (redraw) rebuild(); else draw();
  }

  async function init() {
    // runs are found by a search on the server (run-picker.js): thousands of runs never load here
    st.picker = new RunPicker({ selected: st.ids, onChange: (ids) => { st.ids = ids; update(true); } });
    mount(picker, st.picker.el);
    xSelect.value = st.x;
    update(true);
  }

  /** Fetches what the state needs (details, one series per run, clocks for time axes) and redraws. */
  async function update(refetch) {
    syncUrl();
    if (!refetch) { draw(); return; }
    const gen = ++st.gen;   // a slower, older fetch must not overwrite a newer one
    await Promise.all(st.ids.filter((id) => !st.details.has(id)).map(async (id) => {
      try { st.details.set(id, await api.getRun(id)); } catch (e) { setText(message, id + ': ' + e.message); }
    }));
    if (gen !== st.gen) return;
    fillTags();
    const series = new Map();
    await Promise.all(st.ids.map(async (id) => {
      const s = await fetchSeries(id);
      if (s) series.set(id, s);
      if (needsClock() && !st.clocks.has(id)) st.clocks.set(id, await api.clock(id, POINTS).catch(() => null));
    }));
    if (gen !== st.gen) return;
    st.series = series;
    drawDiff();
    rebuild();
  }

  /** One run's line: the overview, or the zoomed step range at full resolution. Tags a run lacks are no line, not an error. */
  async function fetchSeries(id) {
    const d = st.details.get(id);
    if (d && Array.isArray(d.tags) && !d.tags.includes(st.tag)) return null;
    try {
      const z = st.zoom && st.zoom.steps.get(id);
      return TagSeries.from(await api.scalars(id, st.tag, POINTS, z ? z[0] : undefined, z ? z[1] : undefined));
    } catch { return null; }
  }

  const needsClock = () => st.x === 'relative' || st.x === 'wall';

  function fillTags() {
    const tags = new Set(COMMON_TAGS);
    for (const d of st.details.values()) for (const t of d.tags) tags.add(t);
    tags.add(st.tag);
    mount(tagSelect, [...tags].sort().map((t) => h('option', { value: t, selected: t === st.tag }, t)));
  }

  const nameOf = (id) => st.details.get(id)?.name ?? id; // the run's detail may still be on its way
  const mapOf = (id) => mapper(st.x, { spe: stepsPerEpoch(st.details.get(id)?.config), clock: st.clocks.get(id) });

  function rebuild() {
    if (st.chart) st.chart.destroy();
    plot.replaceChildren();
    st.chart = makeChart({
      el: plot, height: 360, log: st.log, x: xAxis(st.x), label: st.tag + ' of ' + st.ids.length + ' runs against ' + st.x,
      series: st.ids.map((id, i) => Object.assign({ label: nameOf(id), width: 2 }, runStyle(i))),
      onZoom: (from, to) => zoomTo(from, to),
      onReset: () => unzoom(),
    });
    draw();
  }

  function draw() {
    syncUrl();
    if (!st.chart) return;
    const list = st.ids.map((id) => st.series.get(id) || null);
    const maps = st.ids.map((id) => mapOf(id));
    const xs = list.map((s, i) => s && maps[i] ? mapSteps(s.step, maps[i]) : null);
    const { x, idx } = align(list, xs);
    const w = st.tag.startsWith('val_') ? 0 : st.smoothing;
    const cols = [x].concat(list.map((s, i) => s && xs[i] ? project(smooth(plottable(s.last, st.log), w), idx[i], x.length) : new Array(x.length).fill(undefined)));
    st.chart.setData(cols, !st.zoom);
    if (st.zoom) st.chart.setScale('x', { min: st.zoom.from, max: st.zoom.to });
    plot.dataset.runs = list.filter((s, i) => s && s.length && xs[i]).length;   // runs that drew a line
    plot.dataset.points = x.length;
    plot.dataset.zoomed = st.zoom ? '1' : '';
    const missing = st.ids.filter((id, i) => list[i] && !maps[i]).map(nameOf);
    const absent = st.ids.filter((id, i) => !list[i] && st.details.has(id)).map(nameOf);
    setText(note, [st.zoom ? 'zoomed (double-click to reset)' : '',
      missing.length ? 'no ' + st.x + ' axis for ' + missing.join(', ') : '',
      absent.length ? 'no ' + st.tag + ' yet: ' + absent.join(', ') : ''].filter(Boolean).join(' · '));
  }

  /** Drag-zoom: each run's step range under the selection, refetched at full resolution. */
  async function zoomTo(from, to) {
    if (!(to > from)) return;
    const steps = new Map();
    for (const id of st.ids) {
      const m = mapOf(id);
      if (m) steps.set(id, [Math.max(0, Math.floor(m.from(from))), Math.ceil(m.from(to))]);
    }
    st.zoom = { from, to, steps };
    const gen = ++st.gen;
    const series = new Map();
    await Promise.all(st.ids.map(async (id) => { const s = await fetchSeries(id); if (s) series.set(id, s); }));
    if (gen !== st.gen) return;
    st.series = series;
    draw();
  }

  function unzoom() {
    if (!st.zoom) return;
    st.zoom = null;
    update(true);
  }

  function drawDiff() {
    // the name always differs and is already each column's heading
    const cfgs = st.ids.map((id) => { const c = flatten(st.details.get(id)?.config || {}); delete c.name; return c; });
    const keys = [...new Set(cfgs.flatMap((c) => Object.keys(c)))].sort()
      .filter((k) => new Set(cfgs.map((c) => JSON.stringify(c[k]))).size > 1);
    if (st.ids.length < 2) { mount(diff, h('p.small', 'Pick two or more runs.')); return; }
    if (!keys.length) { mount(diff, h('p.small', 'The configs are identical.')); return; }
    mount(diff, h('table.diff',
      h('thead', h('tr', h('th', 'key'), st.ids.map((id, i) => h('th', h('span.swatch', { style: { background: runStyle(i).stroke } }), nameOf(id))))),
      h('tbody', keys.map((k) => h('tr', h('td', k), cfgs.map((c) => h('td', show(c[k]))))))));
  }

  // running runs keep growing: refetch their lines every few seconds (the compare view has no socket per run)
  const timer = setInterval(async () => {
    if (st.zoom) return;
    const running = st.ids.filter((id) => ['running', 'queued'].includes(st.details.get(id)?.status));
    if (!running.length) return;
    const gen = st.gen;
    await Promise.all(running.map(async (id) => {
      try {
        st.details.set(id, await api.getRun(id));
        const s = await fetchSeries(id);
        if (s && gen === st.gen) st.series.set(id, s);
        if (needsClock()) st.clocks.set(id, await api.clock(id, POINTS).catch(() => st.clocks.get(id)));
      } catch { /* keep the old line */ }
    }));
    if (gen === st.gen) draw();
  }, 3000);

  init();
  const cleanup = () => { clearInterval(timer); st.gen++; if (st.chart) st.chart.destroy(); };
  cleanup.follow = follow;
  return cleanup;
}

function flatten(o, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? prefix + '.' + k : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, out);
    else out[key] = v;
  }
  return out;
}

function show(v) {
  if (v === undefined) return '–';
  if (Array.isArray(v)) return '[' + v.join(', ') + ']';
  return typeof v === 'number' ? fmtNum(v) : String(v);
}
