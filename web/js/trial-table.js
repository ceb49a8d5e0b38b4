// The sweep page's trial table: sortable by any column (header buttons: Tab, then Enter or
// Space, as on the runs page), filtered by the parallel-coordinates brushes, and virtualised:
// only the rows in view exist in the DOM, so 10,000 trials cost ~30 rows.

import { h, mount, setText } from './dom.js';
import { fmtNum, fmtInt } from './format.js';

const ROW_H = 30;
const OVERSCAN = 8;

export class TrialTable {
  constructor({ onSelect }) {
    this.onSelect = onSelect;
    this.selected = new Set();   // run ids
    this.sort = { key: 'value', dir: 'best' };
    this.scroll = h('div.trial-scroll#trial-scroll', { on: { scroll: () => this.renderSoon() } });
    this.count = h('span.small#trial-count', { 'aria-live': 'polite' });
    this.el = h('div.trial-table', this.scroll);
    this.orderVersion = -1;
  }

  /** set: a built TrialSet; mask: 1 = passes the brushes. */
  setData(set, mask) {
    this.set = set;
    this.mask = mask;
    if (this.orderVersion !== set.version || this.orderSort !== this.sortKey()) this.reorder();
    this.refilter();
    if (!this.table || this.tableParams !== set.axes.length) this.build();
    this.render();
  }

  sortKey() {
    return this.sort.key + ':' + this.sort.dir;
  }

  reorder() {
    const set = this.set, { key, dir } = this.sort;
    let idx;
    if (key === 'value') {
      idx = set.rankBest();
      const ranked = new Set(idx);
      for (let i = 0; i < set.size; i++) if (!ranked.has(i)) idx.push(i);   // running and queued last
      if (dir === 'worst') idx.reverse();
    } else {
      const get = key === 'n' ? (t) => t.n : key === 'status' ? (t) => t.status : key === 'epochs' ? (t) => t.epochs ?? -1
        : (t) => sortable((t.values || {})[key.slice(2)]);
      idx = set.trials.map((_, i) => i);
      const sign = dir === 'asc' ? 1 : -1;
      idx.sort((a, b) => {
        const x = get(set.trials[a]), y = get(set.trials[b]);
        const c = x < y ? -1 : x > y ? 1 : 0;
        return sign * c || set.trials[a].n - set.trials[b].n;
      });
    }
    this.order = Int32Array.from(idx);
    this.orderVersion = set.version;
    this.orderSort = this.sortKey();
  }

  refilter() {
    const out = new Int32Array(this.order.length);
    let k = 0;
    for (let j = 0; j < this.order.length; j++) if (this.mask[this.order[j]]) out[k++] = this.order[j];
    this.view = out.subarray(0, k);
    setText(this.count, k === this.set.size ? fmtInt(k) + ' trials' : fmtInt(k) + ' of ' + fmtInt(this.set.size) + ' trials match the brushes');
  }

  columns() {
    return [
      { key: 'n', label: '#' },
      { key: 'status', label: 'status' },
      { key: 'value', label: this.set.metric.tag },
      { key: 'epochs', label: 'epochs' },
      ...this.set.axes.map((a) => ({ key: 'p:' + a.key, label: a.label })),
    ];
  }

  build() {
    this.tableParams = this.set.axes.length;
    this.tbody = h('tbody#trial-rows');
    this.thead = h('thead');
    this.table = h('table.trials#trial-table', { 'aria-rowcount': String(this.set.size + 1) }, this.thead, this.tbody);
    mount(this.scroll, this.table);
    this.drawHeader();
  }

  drawHeader() {
    const th = (c) => {
      const active = this.sort.key === c.key;
      const dir = this.sort.dir;
      const asc = dir === 'asc' || (c.key === 'value' && dir === (this.set.goalMax ? 'worst' : 'best'));
      return h('th', { class: 'sortable' + (active ? (asc ? ' asc' : ' desc') : ''), 'aria-sort': active ? (asc ? 'ascending' : 'descending') : 'none', title: c.label },
        h('button.sort', { type: 'button', dataset: { sort: c.key }, on: { click: () => this.sortBy(c.key) } }, c.label));
    };
    mount(this.thead, h('tr', h('th.col-pick', h('span.visually-hidden', 'select')), this.columns().map(th), h('th', 'run')));
  }

  sortBy(key) {
    const cur = this.sort;
    if (cur.key === key) cur.dir = key === 'value' ? (cur.dir === 'best' ? 'worst' : 'best') : (cur.dir === 'asc' ? 'desc' : 'asc');
    else this.sort = { key, dir: key === 'value' ? 'best' : key === 'n' || key === 'status' ? 'asc' : 'desc' };
    this.reorder();
    this.refilter();
    this.drawHeader();
    this.scroll.scrollTop = 0;
    this.render();
    const btn = this.thead.querySelector('button[data-sort="' + CSS.escape(key) + '"]');
    if (btn) btn.focus();   // keyboard users keep their place after the header is redrawn
  }

  renderSoon() {
    if (this.raf) return;
    this.raf = requestAnimationFrame(() => { this.raf = 0; this.render(); });
  }

  render() {
    if (!this.tbody) return;
    const total = this.view.length;
    const top = this.scroll.scrollTop, height = this.scroll.clientHeight || 420;
    const first = Math.max(0, Math.floor(top / ROW_H) - OVERSCAN);
    const last = Math.min(total, Math.ceil((top + height) / ROW_H) + OVERSCAN);
    const rows = [];
    const cols = this.columns().length + 2;
    rows.push(h('tr.spacer', { 'aria-hidden': 'true' }, h('td', { colspan: cols, style: { height: first * ROW_H + 'px', padding: 0, border: 0 } })));
    for (let j = first; j < last; j++) rows.push(this.row(this.view[j], j));
    rows.push(h('tr.spacer', { 'aria-hidden': 'true' }, h('td', { colspan: cols, style: { height: (total - last) * ROW_H + 'px', padding: 0, border: 0 } })));
    if (!total) rows.push(h('tr', h('td.empty-row', { colspan: cols }, this.set.size ? 'No trial matches the brushes (double-click the plot to clear them).' : 'No trials yet.')));
    mount(this.tbody, rows);
  }

  row(i, j) {
    const t = this.set.trials[i];
    const id = t.run;
    const box = h('input', { type: 'checkbox', checked: !!id && this.selected.has(id), disabled: !id, 'aria-label': 'select trial ' + t.n,
      on: { change: () => { box.checked ? this.selected.add(id) : this.selected.delete(id); this.onSelect(this.selected); } } });
    const v = this.set.value[i];
    return h('tr', { dataset: { n: String(t.n), status: t.status, run: id || '' }, class: i === this.set.bestIndex ? 'best' : null, 'aria-rowindex': String(j + 2) },
      h('td.col-pick', box),
      h('td.num', String(t.n)),
      h('td', h('span', { class: 'status status-' + t.status, title: t.reason || '' }, t.status)),
      h('td.num.value', v === v ? fmtNum(v) : (t.status === 'running' || t.status === 'queued' ? '…' : 'worst')),
      h('td.num', t.epochs == null ? '–' : String(t.epochs)),
      this.set.axes.map((a) => h('td.num', fmtValue((t.values || {})[a.key]))),
      h('td.small', id ? h('a', { href: '#/run/' + encodeURIComponent(id), title: t.reason || id }, id) : 'not started'));
  }
}

function fmtValue(v) {
  if (v === undefined) return '–';
  if (typeof v === 'number') return fmtNum(v, 3);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function sortable(v) {
  return typeof v === 'number' ? v : v === undefined ? '' : JSON.stringify(v);
}
