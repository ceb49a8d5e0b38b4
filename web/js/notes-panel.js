// A run's notes: the list (oldest first, author and time), a box to add one, and live
// notes from other sessions (the run socket's `note` messages), kept once each by `n`.
// The form has class `write`: a viewer does not see it (css/auth.css).

import { h, mount, setText } from './dom.js';
import { teamApi, problemOf } from './team-api.js';
import { fmtTime } from './format.js';

const MAX = 2000;

export class NotesPanel {
  constructor(runId) {
    this.runId = runId;
    this.notes = new Map();   // n -> note
    this.list = h('ol.notes#notes-list', { 'aria-live': 'polite' });
    this.text = h('textarea#note-text', { rows: 2, maxlength: MAX, placeholder: 'add a note for the team (plain text)', 'aria-label': 'note text',
      on: { input: () => this.count(), keydown: (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) this.add(); } } });
    this.counter = h('span.small.note-count');
    this.button = h('button#add-note', { type: 'button', on: { click: () => this.add() } }, 'Add note');
    this.msg = h('div.small.note-error#note-error', { role: 'alert' });
    this.el = h('section.panel#notes', h('h3', 'Notes'), this.list,
      h('div.note-form.write', this.text, h('div.note-actions', this.counter, this.button)), this.msg);
    this.draw();
  }

  async load() {
    try {
      const res = await teamApi.notes(this.runId);
      for (const n of res.notes) this.notes.set(n.n, n);
      this.draw();
    } catch (e) { setText(this.msg, 'Could not load notes: ' + problemOf(e)); }
  }

  /** A live `note` message (or our own POST's answer): drawn once whatever the order they arrive in. */
  added(note) {
    if (note == null || note.n == null || this.notes.has(note.n)) return;
    this.notes.set(note.n, note);
    this.draw();
  }

  async add() {
    const text = this.text.value.trim();
    if (!text) { setText(this.msg, 'Write something first.'); return; }
    this.button.disabled = true;
    try {
      this.added(await teamApi.addNote(this.runId, text));
      this.text.value = '';
      setText(this.msg, '');
      this.count();
    } catch (e) { setText(this.msg, problemOf(e)); }
    this.button.disabled = false;
  }

  count() {
    const n = this.text.value.length;
    setText(this.counter, n > MAX * 0.8 ? n + ' / ' + MAX : '');
  }

  draw() {
    const notes = [...this.notes.values()].sort((a, b) => a.n - b.n);
    if (!notes.length) { mount(this.list, h('li.small.empty-note', 'No notes yet.')); return; }
    mount(this.list, notes.map((n) => h('li.note', { dataset: { n: n.n } },
      h('div.note-meta.small', h('strong.note-author', n.author), ' · ', h('time', { datetime: new Date(n.t).toISOString() }, fmtTime(n.t))),
      h('div.note-text', n.text))));
  }
}
