// Sweeps page (#/sweeps): every sweep, newest first, with its progress and best value
// (live over /api/sweeps/live: the list on connect, then a summary per change and a
// deleted message; no polling), the New-sweep form (#/sweeps?new=1, or #/sweeps?from=RUN
// to start from a run's config) and delete.

import { h, mount, setText } from '../dom.js';
import { LiveSocket } from '../api.js';
import { sweepApi, sweepListLivePath } from '../sweep-api.js';
import { SweepForm } from '../sweep-form.js';
import { fmtNum, fmtInt, fmtTime } from '../format.js';

const REDRAW_MS = 250;   // changes are coalesced: at most 4 redraws a second
const ENDED = ['finished', 'pruned', 'failed', 'diverged', 'stopped', 'interrupted'];

export function sweepsPage(root, params) {
  let timer = null, closed = false, live = null;
  const byId = new Map();
  const form = new SweepForm({ onCreated: (id) => { location.hash = '#/sweep/' + encodeURIComponent(id); } });
  const message = h('div.page-message');
  const liveBadge = h('span.live-indicator#sweeps-live', 'connecting');
  const body = h('div.runs-body#sweeps-body');
  mount(root,
    h('div.toolbar', h('h2', 'Sweeps'), h('span.small', 'hyperparameter searches: every trial is a run'), liveBadge, h('span.spacer'),
      h('button.primary#new-sweep', { on: { click: () => form.toggle() } }, 'New sweep')),
    form.el, message, body);

  function redrawSoon() {
    if (timer) return;
    timer = setTimeout(() => { timer = null; if (!closed) draw([...byId.values()].sort((a, b) => b.created - a.created || (b.id > a.id ? 1 : -1))); }, REDRAW_MS);
  }

  live = new LiveSocket(sweepListLivePath, {
    onMessage: (msg) => {
      if (msg.type === 'sweeps') {
        byId.clear();
        for (const s of msg.sweeps || []) byId.set(s.id, s);
        clearTimeout(timer); timer = null;
        draw(msg.sweeps || []);
        setText(message, '');
      } else if (msg.type === 'summary' && msg.sweep) { byId.set(msg.sweep.id, msg.sweep); redrawSoon(); }
      else if (msg.type === 'deleted') { byId.delete(msg.id); redrawSoon(); }
      else if (msg.type === 'error') setText(message, msg.error);
    },
    onState: (st) => { setText(liveBadge, st); liveBadge.className = 'live-indicator state-' + st; },
  });

  function draw(sweeps) {
    if (!sweeps.length) {
      mount(body, h('div.empty#no-sweeps', h('h3', 'No sweeps yet'),
        h('p', 'A sweep searches a run config\'s hyperparameters (grid, random or TPE), stops hopeless trials early and shows what it learned.'),
        h('button.primary.write', { on: { click: () => form.toggle(true) } }, 'New sweep')));
      return;
    }
    mount(body, h('table.runs#sweeps-table',
      h('thead', h('tr', ['name', 'state', 'method', 'metric', 'progress', 'best', 'created', ''].map((c) => h('th', c)))),
      h('tbody', sweeps.map(row))));
  }

  function row(s) {
    const c = s.counts || {};
    const ended = ENDED.reduce((a, k) => a + (c[k] || 0), 0);
    const p = s.trials ? Math.min(1, ended / s.trials) : 0;
    return h('tr', { dataset: { id: s.id, state: s.state } },
      h('td.name', h('a', { href: '#/sweep/' + encodeURIComponent(s.id) }, s.name), s.parent ? h('div.small', 'refined from ', h('a', { href: '#/sweep/' + encodeURIComponent(s.parent) }, s.parent)) : null),
      h('td', h('span', { class: 'status status-' + (s.state === 'running' ? 'running' : s.state === 'finished' ? 'finished' : s.state === 'failed' ? 'failed' : 'stopped'), title: s.reason || '' }, s.state)),
      h('td', s.method + (s.early_stop && s.early_stop !== 'none' ? ' + ' + s.early_stop : '')),
      h('td', s.metric.tag + ' (' + s.metric.goal + ')'),
      h('td.progress-cell', h('div.progress-line', h('div.bar', h('div.fill', { style: { width: (p * 100).toFixed(1) + '%' } })),
        h('span.pct', fmtInt(ended) + ' / ' + fmtInt(s.trials))),
        h('div.small', ['running', 'pruned', 'failed', 'diverged'].filter((k) => c[k]).map((k) => c[k] + ' ' + k).join(' · '))),
      h('td.num', s.best ? fmtNum(Number(s.best.value)) + ' (trial ' + s.best.trial + ')' : '–'),
      h('td.small', fmtTime(s.created)),
      h('td.actions', s.state === 'running'
        ? h('button.stop', { on: { click: () => act(() => sweepApi.stop(s.id)) } }, 'Stop')
        : h('button.danger', { on: { click: () => {
          // the trial runs stay (their curves are the evidence); the runs page deletes them by sweep filter
          if (confirm('Delete sweep "' + s.name + '"? Its trial runs are kept: delete them from the runs list filtered by this sweep.')) act(() => sweepApi.remove(s.id));
        } } }, 'Delete')));
  }

  /** Applies the answer at once (the socket says the same a moment later). */
  async function act(fn) {
    try {
      const r = await fn();
      if (r && r.deleted) byId.delete(r.deleted); else if (r && r.id && r.state) byId.set(r.id, r);
      redrawSoon();
    } catch (e) { setText(message, e.message); }
  }

  if (params.get('from')) form.startFrom(params.get('from'));
  else if (params.has('new')) form.toggle(true);
  return () => { closed = true; clearTimeout(timer); if (live) live.close(); };
}
