// A run's team tags on its page: chips that link to the filtered run list, × to remove,
// and a small box to add one (POST /api/runs/{id}/tags). Refusals say which tag and why.

import { h, mount, setText } from './dom.js';
import { teamApi, problemOf } from './team-api.js';

export class TagEditor {
  constructor(runId) {
    this.runId = runId;
    this.tags = [];
    this.chips = h('span.run-tags#run-tags');
    this.input = h('input#tag-input', { type: 'text', size: 12, maxlength: 40, placeholder: 'add tag', 'aria-label': 'add a tag',
      on: { keydown: (e) => { if (e.key === 'Enter') this.add(); } } });
    this.button = h('button#add-tag', { type: 'button', on: { click: () => this.add() } }, '+');
    this.msg = h('span.small.tag-error#tag-error', { role: 'alert' });
    this.el = h('div.tag-row', h('span.small.tag-label', 'tags'), this.chips, h('span.tag-add.write', this.input, this.button), this.msg);
    this.draw();
  }

  async load() {
    try { this.tags = (await teamApi.tags(this.runId)).tags; this.draw(); } catch (e) { setText(this.msg, problemOf(e)); }
  }

  async add() {
    const tags = this.input.value.split(/[\s,]+/).filter(Boolean);
    if (!tags.length) return;
    await this.change({ add: tags });
    if (!this.msg.textContent) this.input.value = '';
  }

  async change(what) {
    try {
      this.tags = (await teamApi.changeTags(this.runId, what)).tags;
      setText(this.msg, '');
      this.draw();
    } catch (e) { setText(this.msg, problemOf(e)); }
  }

  draw() {
    mount(this.chips, this.tags.map((t) => h('span.run-tag', { dataset: { tag: t } },
      h('a', { href: '#/?tag=' + encodeURIComponent(t), title: 'runs tagged ' + t }, t),
      h('button.tag-remove.write', { type: 'button', 'aria-label': 'remove tag ' + t, on: { click: () => this.change({ remove: [t] }) } }, '×'))));
  }
}
