// Ensembles list (#/ensembles) and one ensemble's results (#/ensemble/ID): members and
// ensemble table, the members-added curve, and for image data validation images the
// ensemble fixed (or not). Polls every 2 s while an ensemble is waiting, queued or running.

import { h, mount, setText } from '../dom.js';
import { ensembleApi } from '../ensemble-api.js';
import { fmtNum, fmtPct, fmtTime } from '../format.js';

const ACTIVE = new Set(['waiting', 'queued', 'running']);
const POLL_MS = 2000;

export function ensemblesPage(root) {
  const body = h('tbody');
  const message = h('div.page-message');
  let timer = 0, disposed = false;
  mount(root,
    h('div.toolbar', h('a.back', { href: '#/' }, '← runs'), h('h2', 'Ensembles')),
    h('p.small', 'Make one with "repeat with N seeds" on a run page or "ensemble selected" on the compare page.'),
    message,
    h('table.ensembles#ensemble-list',
      h('thead', h('tr', ['name', 'status', 'source', 'members', 'dataset', 'ensemble val_acc', 'members\u2019 mean', 'best member', 'created']
        .map((t) => h('th', t)))),
      body));

  async function load() {
    try {
      const list = await ensembleApi.list();
      if (disposed) return;
      setText(message, list.length ? '' : 'No ensembles yet.');
      mount(body, list.map((e) => h('tr', { dataset: { id: e.id } },
        h('td', h('a', { href: '#/ensemble/' + encodeURIComponent(e.id) }, e.name)),
        h('td', h('span.status.status-' + e.status, e.status), e.reason ? h('span.reason.small', ' ' + e.reason) : null),
        h('td', e.kind), h('td.num', String(e.members)), h('td', e.dataset || ''),
        h('td.num', fmtPct(e.val_acc)), h('td.num', fmtPct(e.mean_member_val_acc)), h('td.num', fmtPct(e.best_member_val_acc)),
        h('td.small', fmtTime(e.created)))));
      if (list.some((e) => ACTIVE.has(e.status))) timer = setTimeout(load, POLL_MS);
    } catch (e) {
      setText(message, e.message);
    }
  }
  load();
  return () => { disposed = true; clearTimeout(timer); };
}

export function ensemblePage(root, id) {
  const title = h('h2', id);
  const statusEl = h('span.status#ensemble-status');
  const reasonEl = h('span.reason');
  const membersEl = h('div#ensemble-members');
  const table = h('div#ensemble-table');
  const curve = h('div#ensemble-curve');
  const images = h('div#ensemble-images');
  const note = h('p.small');
  const message = h('div.page-message');
  const deleteBtn = h('button.danger#delete-ensemble', { on: { click: () => remove() } }, 'Delete');
  let timer = 0, disposed = false;
  mount(root,
    h('div.toolbar', h('a.back', { href: '#/ensembles' }, '← ensembles'), title, statusEl, reasonEl, h('span.spacer'), deleteBtn),
    message, membersEl,
    h('section.panel', h('h3', 'Members and ensemble'), table, note),
    h('section.panel', h('h3', 'Members added in order of their own val_acc'), curve),
    h('section.panel#ensemble-images-panel', h('h3', 'Validation images the best member got wrong'), images));

  async function load() {
    let e;
    try {
      e = await ensembleApi.get(id);
    } catch (err) {
      setText(message, err.message);
      return;
    }
    if (disposed) return;
    document.title = e.name + ' · trainwatch';
    setText(title, e.name);
    setText(statusEl, e.status);
    statusEl.className = 'status status-' + e.status;
    setText(reasonEl, e.reason ? ' ' + e.reason : '');
    if (e.status === 'waiting' || !e.result) {
      mount(membersEl, h('p.small', e.status === 'waiting' ? 'Waiting for the member runs to finish: ' : 'Members: ',
        e.members.map((m, i) => [i ? ', ' : '', h('a', { href: '#/run/' + encodeURIComponent(m.run) }, m.run), ' (' + m.checkpoint + ', ' + m.run_status + ')'])));
    } else mount(membersEl);
    if (e.result) render(e.result);
    if (ACTIVE.has(e.status)) timer = setTimeout(load, POLL_MS);
  }

  function render(r) {
    const test = r.test_examples > 0;
    const head = ['member', 'checkpoint', 'seed', 'val_acc', 'val_loss'].concat(test ? ['test_acc', 'test_loss'] : []);
    const row = (cells, cls) => h('tr' + (cls || ''), cells.map((c) => h('td', c)));
    const scores = (s) => [fmtPct(s.val_acc), fmtNum(s.val_loss)].concat(test ? [fmtPct(s.test_acc), fmtNum(s.test_loss)] : []);
    mount(table, h('table.ensemble-result#ensemble-result',
      h('thead', h('tr', head.map((t) => h('th', t)))),
      h('tbody',
        r.members.map((m) => row([h('a', { href: '#/run/' + encodeURIComponent(m.run) }, m.name || m.run), m.checkpoint, String(m.seed)].concat(scores(m)))),
        row(['ensemble (mean of softmax)', '', ''].concat(scores(r.ensemble)), '.ensemble-row'),
        r.averaged ? row(['averaged parameters', '', ''].concat(scores(r.averaged)), '.averaged-row') : null)));
    setText(note, 'members\u2019 mean val_acc ' + fmtPct(r.mean_member_val_acc) + ', best ' + fmtPct(r.best_member_val_acc)
      + ' · disagreement ' + fmtPct(r.disagreement) + ' · ' + r.val_examples + ' validation examples' + (test ? ', ' + r.test_examples + ' test' : '')
      + (r.averaged_note && !r.averaged ? ' · averaged parameters ' + r.averaged_note : '')
      + ' · ' + Math.round(r.examples_per_sec) + ' member-examples/s');
    mount(curve, curveSvg(r.curve, r.best_member_val_acc));
    const names = new Map(r.members.map((m) => [m.run + ':' + m.checkpoint, (m.name || m.run) + ' (' + m.checkpoint + ')']));
    if (!r.images) { mount(images, h('p.small', 'Not an image dataset.')); return; }
    mount(images,
      h('p.small', 'Best member: ' + (names.get(r.images.best_member) || r.images.best_member)
        + '. Each image: its label, the ensemble\u2019s and the best member\u2019s prediction, and how many of the ' + r.members.length + ' members got it right.'),
      h('h4', 'fixed by the ensemble (best member wrong, ensemble right)'), gallery(r.images.fixed, r.images.shape, '.fixed', r.members.length),
      h('h4', 'not fixed (both wrong)'), gallery(r.images.not_fixed, r.images.shape, '.not-fixed', r.members.length));
  }

  async function remove() {
    if (!confirm('Delete this ensemble? A running evaluation is stopped; its member runs stay.')) return;
    try { await ensembleApi.remove(id); location.hash = '#/ensembles'; } catch (e) { setText(message, e.message); }
  }

  load();
  return () => { disposed = true; clearTimeout(timer); };
}

/**
 * Accuracy against the number of members averaged (added best first): the ensemble's val_acc (dots),
 * its test_acc where there is a test split (dashed), and the best single member's val_acc (grey line).
 */
function curveSvg(points, best) {
  const NS = 'http://www.w3.org/2000/svg';
  const w = 640, hgt = 240, left = 56, right = 110, top = 14, bottom = 40;
  const hasTest = points.some((p) => p.test_acc != null);
  const ys = points.map((p) => p.val_acc).concat(hasTest ? points.map((p) => p.test_acc).filter((v) => v != null) : [], [best]);
  const span = Math.max(...ys) - Math.min(...ys);
  const lo = Math.min(...ys) - Math.max(span * 0.15, 0.002), hi = Math.max(...ys) + Math.max(span * 0.15, 0.002);
  const x = (i) => left + (points.length === 1 ? (w - left - right) / 2 : (i * (w - left - right)) / (points.length - 1));
  const y = (v) => top + (1 - (v - lo) / (hi - lo)) * (hgt - top - bottom);
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 ' + w + ' ' + hgt);
  svg.setAttribute('class', 'ensemble-curve');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'ensemble val_acc as members are added: ' + points.map((p) => fmtPct(p.val_acc)).join(', '));
  const el = (name, attrs, text) => {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text != null) e.textContent = text;
    svg.appendChild(e);
    return e;
  };
  // axes with about four rounded ticks
  const step = niceStep((hi - lo) / 4);
  for (let t = Math.ceil(lo / step) * step; t <= hi; t += step) {
    el('line', { x1: left, x2: w - right, y1: y(t), y2: y(t), stroke: '#eee' });
    el('text', { x: left - 6, y: y(t) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#666' }, (t * 100).toFixed(step < 0.001 ? 2 : 1) + '%');
  }
  el('line', { x1: left, x2: left, y1: top, y2: hgt - bottom, stroke: '#999' });
  el('line', { x1: left, x2: w - right, y1: hgt - bottom, y2: hgt - bottom, stroke: '#999' });
  points.forEach((p, i) => el('text', { x: x(i), y: hgt - bottom + 16, 'text-anchor': 'middle', 'font-size': 11, fill: '#666' }, String(p.members)));
  el('text', { x: (left + w - right) / 2, y: hgt - 6, 'text-anchor': 'middle', 'font-size': 11, fill: '#444' }, 'members averaged (best val_acc first)');
  // the best single member, the ensemble's test and validation accuracy
  el('line', { x1: left, x2: w - right, y1: y(best), y2: y(best), stroke: '#999', 'stroke-dasharray': '4 3' });
  const lastVal = points[points.length - 1].val_acc;
  el('text', { x: w - right - 4, y: lastVal < best ? y(best) - 5 : y(best) + 14, 'text-anchor': 'end', 'font-size': 11, fill: '#666' },
    'best single member ' + fmtPct(best));
  if (hasTest) {
    const tp = points.map((p, i) => [i, p.test_acc]).filter(([, v]) => v != null);
    el('polyline', { points: tp.map(([i, v]) => x(i) + ',' + y(v)).join(' '), fill: 'none', stroke: '#e69f00', 'stroke-width': 2, 'stroke-dasharray': '6 3' });
    const [li, lv] = tp[tp.length - 1];
    el('text', { x: x(li) + 8, y: y(lv) + 4, 'font-size': 11, fill: '#b07800' }, 'test_acc');
  }
  el('polyline', { points: points.map((p, i) => x(i) + ',' + y(p.val_acc)).join(' '), fill: 'none', stroke: '#0072b2', 'stroke-width': 2 });
  points.forEach((p, i) => {
    el('circle', { cx: x(i), cy: y(p.val_acc), r: 3.5, fill: '#0072b2' }).appendChild(document.createElementNS(NS, 'title')).textContent =
      p.members + ' members (+' + p.added + '): val_acc ' + fmtPct(p.val_acc) + (p.test_acc != null ? ', test_acc ' + fmtPct(p.test_acc) : '');
  });
  const last = points[points.length - 1];
  el('text', { x: x(points.length - 1) + 8, y: y(last.val_acc) + (hasTest && last.test_acc != null && Math.abs(y(last.test_acc) - y(last.val_acc)) < 12 ? -6 : 4),
    'font-size': 11, fill: '#0072b2' }, 'val_acc');
  return svg;
}

/** 1, 2 or 5 times a power of ten, at least {@code raw}. */
function niceStep(raw) {
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= raw);
}

/** 28x28 grey images, upscaled nearest-neighbour, each with its label and the predictions. */
function gallery(examples, shape, cls, k) {
  if (!examples.length) return h('p.small', 'none among the validation examples');
  const side = shape[shape.length - 1], rows = shape[shape.length - 2];
  return h('div.gallery' + cls, examples.map((e) => {
    const c = h('canvas', { width: side, height: rows, style: { width: side * 3 + 'px', height: rows * 3 + 'px', imageRendering: 'pixelated' } });
    const ctx = c.getContext('2d');
    const img = ctx.createImageData(side, rows);
    const px = atob(e.pixels);
    for (let i = 0; i < side * rows; i++) {
      const v = px.charCodeAt(i);
      img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    return h('figure.example', { title: 'validation example #' + e.index }, c,
      h('figcaption.small', h('b', 'label ' + e.label), h('br'), 'ensemble ' + e.ensemble + ' · best ' + e.best_member, h('br'),
        e.members_right + '/' + k + ' members right'));
  }));
}
