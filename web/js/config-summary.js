// One line that says what a run is, plus the step arithmetic behind progress and epoch lines.

import { fmtNum } from './format.js';

export function configSummary(c) {
  if (!c || !c.dataset) return '';
  const m = c.model || {}, o = c.optimizer || {}, s = c.schedule || {};
  const hidden = Array.isArray(m.hidden) ? '[' + m.hidden.join(',') + ']' : '';
  const model = m.type === 'cnn' ? `cnn ${m.filters ?? '?'}×${m.kernel ?? '?'}×${m.kernel ?? '?'} → ${hidden}` : `mlp ${hidden}`;
  const sched = !s.type || s.type === 'constant' ? 'constant lr'
    : s.type === 'step' ? `step ×${s.factor} every ${s.every} ${s.unit || ''}`
    : s.type === 'plateau' ? `plateau ×${s.factor}` : `${s.type} γ=${s.gamma}`;
  return [c.dataset, model, `${o.type} lr ${fmtNum(o.lr)}`, sched, `l2 ${fmtNum(c.l2)}`,
    c.dropout ? `dropout ${c.dropout}` : null, `batch ${c.batchSize}`, `${c.epochs} epochs`, `seed ${c.seed}`]
    .filter(Boolean).join(' · ');
}

export function stepsPerEpoch(c) {
  if (!c || !c.trainSize || !c.batchSize) return null;
  return Math.ceil(c.trainSize / c.batchSize);
}

export function totalSteps(c) {
  const spe = stepsPerEpoch(c);
  if (!spe || !c.epochs) return null;
  const n = spe * c.epochs;
  return c.maxIterations > 0 ? Math.min(n, c.maxIterations) : n;
}
