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
    if (!r.images) { mount(images, h('p.small', 'Not an image dataset.')); return; }
    mount(images,
      h('h4', 'fixed by the ensemble (best member ' + r.images.best_member + ' wrong, ensemble right)'), gallery(r.images.fixed, r.images.shape, '.fixed'),
      h('h4', 'not fixed (both wrong)'), gallery(r.images.not_fixed, r.images.shape, '.not-fixed'));
  }

  async function remove() {
    if (!confirm('Delete this ensemble? A running evaluation is stopped; its member runs stay.')) return;
    try { await ensembleApi.remove(id); location.hash = '#/ensembles'; } catch (e) { setText(message, e.message); }
  }

  load();
  return () => { disposed = true; clearTimeout(timer); };
}

/** val_acc against members averaged: a small SVG line with a dot per size. */
function curveSvg(points, best) {
  const NS = 'http://www.w3.org/2000/svg';
  const w = 420, hgt = 160, pad = 34;
  const ys = points.map((p) => p.val_acc);
  const lo = Math.min(...ys, best) - 0.01, hi = Math.max(...ys, best) + 0.01;
  const x = (i) => pad + (points.length === 1 ? 0 : (i * (w - 2 * pad)) / (points.length - 1));
  const y = (v) => hgt - pad / 2 - ((v - lo) / (hi - lo || 1)) * (hgt - pad);
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 ' + w + ' ' + hgt);
  svg.setAttribute('class', 'ensemble-curve');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'ensemble val_acc as members are added: ' + ys.map((v) => fmtPct(v)).join(', '));
  const el = (name, attrs, text) => {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text != null) e.textContent = text;
    svg.appendChild(e);
    return e;
  };
  el('line', { x1: pad, x2: w - pad, y1: y(best), y2: y(best), stroke: '#999', 'stroke-dasharray': '4 3' });
  el('text', { x: w - pad, y: y(best) - 4, 'text-anchor': 'end', 'font-size': 10, fill: '#666' }, 'best member');
  el('polyline', { points: points.map((p, i) => x(i) + ',' + y(p.val_acc)).join(' '), fill: 'none', stroke: '#0072b2', 'stroke-width': 2 });
  points.forEach((p, i) => {
    el('circle', { cx: x(i), cy: y(p.val_acc), r: 3, fill: '#0072b2' }).appendChild(document.createElementNS(NS, 'title')).textContent =
      p.members + ' members (+' + p.added + '): ' + fmtPct(p.val_acc);
    el('text', { x: x(i), y: hgt - 2, 'text-anchor': 'middle', 'font-size': 10, fill: '#666' }, String(p.members));
  });
  el('text', { x: 2, y: y(hi - 0.01) + 4, 'font-size': 10, fill: '#666' }, fmtPct(hi - 0.01));
  el('text', { x: 2, y: y(lo + 0.01), 'font-size': 10, fill: '#666' }, fmtPct(lo + 0.01));
  return svg;
}

/** 28x28 grey images, upscaled nearest-neighbour, each with its label and the predictions. */
function gallery(examples, shape, cls) {
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
    return h('figure.example', c, h('figcaption.small', '#' + e.index + ' label ' + e.label + ' · ensemble ' + e.ensemble
      + ' · best ' + e.best_member + ' · ' + e.members_right + ' right'));
  }));
}
