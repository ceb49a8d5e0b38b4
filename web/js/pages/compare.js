// Compare page (#/compare?ids=a,b&tag=loss): several runs overlaid on one tag,
// one colour per run, and the config keys in which they differ.

import { h, mount, setText } from '../dom.js';
import { api } from '../api.js';
import { TagSeries, POINTS, align, project, plottable, smooth } from '../series.js';
import { makeChart, PALETTE } from '../charts/chart.js';
import { RunPicker } from '../run-picker.js';
import { fmtNum } from '../format.js';

const COMMON_TAGS = ['loss', 'val_loss', 'train_acc', 'val_acc', 'examples_per_sec'];

export function comparePage(root, params) {
  const st = {
    ids: (params.get('ids') || '').split(',').filter(Boolean),
    tag: params.get('tag') || 'loss',
    smoothing: Number(params.get('smooth') ?? 0.6),
    log: params.get('log') === '1',
    runs: [], details: new Map(), series: new Map(), chart: null,
  };
  const picker = h('div');
  const tagSelect = h('select#compare-tag', { on: { change: () => { st.tag = tagSelect.value; update(true); } } });
  const slider = h('input', { type: 'range', min: 0, max: 0.999, step: 0.001, value: st.smoothing,
    on: { input: () => { st.smoothing = Number(slider.value); update(false); } } });
  const logToggle = h('input', { type: 'checkbox', checked: st.log, on: { change: () => { st.log = logToggle.checked; rebuild(); } } });
  const plot = h('div.plot#compare-chart');
  const diff = h('div#config-diff');
  const message = h('div.page-message');
  mount(root,
    h('div.toolbar', h('a.back', { href: '#/' }, '← runs'), h('h2', 'Compare runs')),
    message,
    h('div.compare-layout',
      h('section.panel', h('h3', 'Runs'), picker),
      h('div.compare-main',
        h('div.controls', h('label', 'tag ', tagSelect), h('label', 'smoothing ', slider), h('label', logToggle, ' log-y')),
        h('section.chart-box', plot),
        h('section.panel', h('h3', 'Config differences'), diff))));

  function syncUrl() {
    const q = new URLSearchParams({ ids: st.ids.join(','), tag: st.tag, smooth: String(st.smoothing) });
    if (st.log) q.set('log', '1');
    history.replaceState(null, '', '#/compare?' + q.toString().replace(/%2C/g, ','));
  }

  async function init() {
    // runs are found by a search on the server (run-picker.js): thousands of runs never load here
    mount(picker, new RunPicker({ selected: st.ids, onChange: (ids) => { st.ids = ids; update(true); } }).el);
    update(true);
  }

  async function update(refetch) {
    syncUrl();
    if (refetch) {
      await Promise.all(st.ids.filter((id) => !st.details.has(id)).map(async (id) => {
        try { st.details.set(id, await api.getRun(id)); } catch (e) { setText(message, id + ': ' + e.message); }
      }));
      fillTags();
      st.series = new Map();
      await Promise.all(st.ids.map(async (id) => {
        try { st.series.set(id, TagSeries.from(await api.scalars(id, st.tag, POINTS))); } catch { /* run lacks this tag */ }
      }));
      drawDiff();
      rebuild();
    } else draw();
  }

  function fillTags() {
    const tags = new Set(COMMON_TAGS);
    for (const d of st.details.values()) for (const t of d.tags) tags.add(t);
    tags.add(st.tag);
    mount(tagSelect, [...tags].sort().map((t) => h('option', { value: t, selected: t === st.tag }, t)));
  }

  const nameOf = (id) => st.details.get(id)?.name ?? id; // the run's detail may still be on its way

  function rebuild() {
    if (st.chart) st.chart.destroy();
    plot.replaceChildren();
    st.chart = makeChart({
      el: plot, height: 360, log: st.log,
      series: st.ids.map((id, i) => ({ label: nameOf(id), stroke: PALETTE[i % PALETTE.length], width: 2, spanGaps: st.tag.startsWith('val_') })),
    });
    draw();
  }

  function draw() {
    syncUrl();
    if (!st.chart) return;
    const list = st.ids.map((id) => st.series.get(id) || null);
    if (!list.some(Boolean)) { st.chart.setData([[]].concat(st.ids.map(() => []))); return; }
    const { x, idx } = align(list);
    const cols = [x].concat(list.map((s, i) => s ? project(smooth(plottable(s.last, st.log), st.tag.startsWith('val_') ? 0 : st.smoothing), idx[i], x.length) : new Array(x.length).fill(null)));
    st.chart.setData(cols);
    plot.dataset.runs = list.filter((s) => s && s.length).length;   // runs that drew a line
    plot.dataset.points = x.length;
  }

  function drawDiff() {
    const cfgs = st.ids.map((id) => flatten(st.details.get(id)?.config || {}));
    const keys = [...new Set(cfgs.flatMap((c) => Object.keys(c)))].sort()
      .filter((k) => new Set(cfgs.map((c) => JSON.stringify(c[k]))).size > 1);
    if (st.ids.length < 2) { mount(diff, h('p.small', 'Pick two or more runs.')); return; }
    if (!keys.length) { mount(diff, h('p.small', 'The configs are identical.')); return; }
    mount(diff, h('table.diff',
      h('thead', h('tr', h('th', 'key'), st.ids.map((id, i) => h('th', h('span.swatch', { style: { background: PALETTE[i % PALETTE.length] } }), nameOf(id))))),
      h('tbody', keys.map((k) => h('tr', h('td', k), cfgs.map((c) => h('td', show(c[k]))))))));
  }

  // running runs keep growing: refetch their lines every few seconds (the compare view has no socket per run)
  const timer = setInterval(async () => {
    const running = st.ids.filter((id) => ['running', 'queued'].includes(st.details.get(id)?.status));
    if (!running.length) return;
    await Promise.all(running.map(async (id) => {
      try {
        st.details.set(id, await api.getRun(id));
        st.series.set(id, TagSeries.from(await api.scalars(id, st.tag, POINTS)));
      } catch { /* keep the old line */ }
    }));
    draw();
  }, 3000);

  init();
  return () => { clearInterval(timer); if (st.chart) st.chart.destroy(); };
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
