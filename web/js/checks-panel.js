// Sanity checks recorded with the run, and buttons for the lab's overfit and
// gradient checks (each runs in its own process; its result lands here).

import { h, mount, setText } from './dom.js';
import { api } from './api.js';
import { fmtNum } from './format.js';

export class ChecksPanel {
  constructor(runId, reload) {
    this.runId = runId;
    this.reload = reload;
    this.checks = [];
    this.waiting = new Map();   // kind -> signature of the result that was there when it started
    this.table = h('div.checks-table');
    this.msg = h('span.small');
    this.buttons = ['overfit', 'gradients'].map((kind) => h('button', {
      id: 'check-' + kind,
      on: { click: () => this.start(kind) },
    }, kind === 'overfit' ? 'Overfit 20 examples' : 'Gradient check'));
    this.el = h('section.panel#checks', h('h3', 'Sanity checks'), this.table, h('div.check-actions', this.buttons, this.msg));
    this.render();
  }

  /** A remote run whose config is its client's own has nothing these checks could train: no buttons, and why. */
  setTrainable(trainable) {
    this.untrainable = !trainable;
    for (const b of this.buttons) b.hidden = this.untrainable;
    if (this.untrainable) setText(this.msg, "this run's config came from its own client, not a trainwatch config: the overfit and gradient checks have no model to train");
  }

  set(checks) {
    this.checks = (checks || []).map(normalize);
    this.settle();
    this.render();
    if (!this.timer && this.checks.some(pending)) this.poll();
  }

  add(check) {
    const c = normalize(check);
    this.checks = this.checks.filter((x) => x.check !== c.check).concat(c);
    this.settle();
    this.render();
  }

  /** A check stops waiting once a result different from the one before it started shows up. */
  settle() {
    for (const c of this.checks) if (this.waiting.has(c.check) && this.waiting.get(c.check) !== c.sig) this.waiting.delete(c.check);
    if (!this.waiting.size && !this.untrainable) setText(this.msg, '');   // "check started" is done saying once its result is here
  }

  async start(kind) {
    this.waiting.set(kind, this.checks.find((c) => c.check === kind)?.sig ?? null);
    this.render();
    try {
      await api.runCheck(this.runId, kind);
      setText(this.msg, kind + ' check started; its result appears here');
      this.poll();
    } catch (e) {
      this.waiting.delete(kind);
      setText(this.msg, e.message);
      this.render();
    }
  }

  /** Results come live too; polling covers servers that only store them. */
  poll() {
    clearTimeout(this.timer);
    if (!this.waiting.size && !this.checks.some(pending)) return;
    this.timer = setTimeout(async () => {
      this.timer = null;
      try { await this.reload(); } catch { /* next round */ }
      this.poll();
    }, 2000);
  }

  render() {
    for (const b of this.buttons) b.disabled = this.waiting.has(b.id.slice(6));
    if (!this.checks.length && !this.waiting.size) { mount(this.table, h('p.small', 'No check results yet.')); return; }
    mount(this.table, h('table.checks',
      h('tbody', this.checks.map((c) => h('tr', { dataset: { check: c.check } },
        h('td', c.check),
        h('td', h('span', { class: 'outcome outcome-' + c.outcome }, c.outcome)),
        h('td', c.summary, details(c.details)))),
      [...this.waiting.keys()].map((k) =>
        h('tr', h('td', k), h('td', h('span.outcome', 'running…')), h('td', ''))))));
  }

  dispose() { clearTimeout(this.timer); }
}

/** Not settled yet: running, or (a check's Kubernetes Job) still waiting for its pod. */
function pending(c) { return c.outcome === 'running' || c.outcome === 'queued'; }

/** A check as the run's detail and the live `check` message carry it: {seq?, t, check, outcome, summary, details}. */
function normalize(c) {
  // details is the check's own object, or its raw text when a check wrote something that is not JSON
  const details = typeof c.details === 'string' ? { details: c.details } : c.details;
  const sig = (c.seq === undefined ? '' : String(c.seq)) + '/' + c.t + '/' + c.summary;
  return { sig, check: c.check, outcome: c.outcome, summary: c.summary, details };
}

function details(d) {
  const entries = d && typeof d === 'object' ? Object.entries(d).filter(([, v]) => typeof v !== 'object' || v === null) : [];
  if (!entries.length) return null;
  return h('div.details.small', entries.map(([k, v]) => k + ' = ' + (typeof v === 'number' ? fmtNum(v) : v)).join(' · '));
}
