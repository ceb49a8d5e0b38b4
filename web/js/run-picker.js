// Picks runs for the compare page by searching the server's run list (GET /api/runs?q=),
// so a team with thousands of runs finds them by name instead of scrolling. The chosen
// runs stay listed on top whatever the search shows.

import { h, mount, setText } from './dom.js';
import { api } from './api.js';
import { listPage } from './run-list-api.js';
import { normalizeRun } from './runs-model.js';

export class RunPicker {
  /** selected: ids already chosen; onChange(ids) after every tick or untick. */
  constructor({ selected = [], onChange = () => {} }) {
    this.ids = [...selected];
    this.known = new Map();   // id -> normalized run, for the chosen ones and the last results
    this.onChange = onChange;
    this.results = [];
    this.total = 0;
    this.gen = 0;
    this.search = h('input#picker-search', { type: 'search', placeholder: 'search runs by name', 'aria-label': 'search runs to compare',
      on: { input: () => { clearTimeout(this.timer); this.timer = setTimeout(() => this.find(), 200); } } });
    this.note = h('div.small.picker-note');
    this.list = h('div.picker-list');
    this.el = h('div.run-picker', this.search, this.note, this.list);
    this.loadChosen().then(() => this.find());
  }

  /** The chosen runs' rows (names and statuses), read once each. */
  async loadChosen() {
    await Promise.all(this.ids.filter((id) => !this.known.has(id)).map(async (id) => {
      try {
        const d = await api.getRun(id);
        this.known.set(id, normalizeRun({ ...d, step: d.progress?.step, total_steps: d.progress?.total }));
      } catch { /* deleted: shown by id */ }
    }));
  }

  async find() {
    const gen = ++this.gen;
    try {
      const page = await listPage({ q: this.search.value.trim(), archived: 'all' }, { limit: 50 });
      if (gen !== this.gen) return;
      this.results = page.runs.map(normalizeRun);
      this.total = page.total;
      for (const r of this.results) this.known.set(r.id, r);
      setText(this.note, this.total > this.results.length ? 'showing ' + this.results.length + ' of ' + this.total + ': search to narrow' : '');
    } catch (e) {
      setText(this.note, e.message);
    }
    this.draw();
  }

  draw() {
    const shown = [...this.ids, ...this.results.map((r) => r.id).filter((id) => !this.ids.includes(id))];
    mount(this.list, shown.length ? shown.map((id) => this.pick(id)) : h('p.small', 'No runs.'));
  }

  pick(id) {
    const r = this.known.get(id) || { id, name: id, status: '', reason: '' };
    const box = h('input', { type: 'checkbox', checked: this.ids.includes(id), dataset: { id },
      on: { change: () => {
        this.ids = box.checked ? this.ids.concat(id) : this.ids.filter((x) => x !== id);
        this.onChange(this.ids);
      } } });
    return h('label.pick', { dataset: { status: r.status } }, box, ' ', r.name, ' ',
      r.status ? h('span', { class: 'status status-' + r.status, title: r.reason || '' }, r.status) : null,
      r.reason && r.status !== 'finished' ? h('div.reason', r.reason) : null);
  }
}
