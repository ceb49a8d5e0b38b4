// The run page's alert list: most severe first, newest first within a level,
// so the one that matters ("loss became NaN") is on top, never scrolled away.

import { h, mount } from './dom.js';
import { fmtInt } from './format.js';

const RANK = { critical: 0, warning: 1, info: 2 };

/** The server says how severe an alert is; runs recorded before it did get a level from their kind. */
export function severityOf(a) {
  if (a.severity in RANK) return a.severity;
  if (a.kind === 'nonfinite' || a.kind === 'loss_exploding' || a.kind === 'diverged') return 'critical';
  if (a.kind === 'update_ratio_high' || a.kind === 'overfitting') return 'warning';
  return 'info';
}

export function sortAlerts(alerts) {
  return alerts.slice().sort((a, b) => RANK[severityOf(a)] - RANK[severityOf(b)] || b.step - a.step || (b.seq ?? 0) - (a.seq ?? 0));
}

export function alertList(ul, alerts) {
  if (!alerts.length) { mount(ul, h('li.small', 'None so far.')); return; }
  mount(ul, sortAlerts(alerts).map((a) => {
    const sev = severityOf(a);
    return h('li', { class: 'alert alert-' + a.kind + ' sev-' + sev, dataset: { severity: sev, step: a.step } },
      h('span.sev-badge', sev), ' ', h('b', 'step ' + fmtInt(a.step) + ': '), a.message,
      a.advice ? h('div.advice', 'Try: ' + a.advice) : null);
  }));
}
