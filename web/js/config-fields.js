// Every run-config key of docs/config.md, with where it applies. Blank fields are
// left out of the request so the server's documented default applies.

export const DEMO_CONFIG = {
  name: 'demo-shapes-adam', dataset: 'shapes',
  model: { type: 'cnn', filters: 8, kernel: 5, hidden: [64] },
  optimizer: { type: 'adam', lr: 0.001 },
  schedule: { type: 'step', factor: 0.5, every: 2, unit: 'epoch' },
  l2: 0.0001, dropout: 0.0, batchSize: 64, epochs: 3, seed: 42,
  trainSize: 6000, valSize: 1000, evalEvery: 50, filtersEvery: 25,
};

/** Blank selects and fields take the server's defaults, which depend on the dataset (docs/config.md). */
export function effective(v) {
  const spiral = v.dataset === 'spiral';
  const out = Object.assign({}, v);
  if (!out['model.type']) out['model.type'] = spiral ? 'mlp' : 'cnn';
  if (!out['optimizer.type']) out['optimizer.type'] = spiral ? 'sgd' : 'adam';
  if (!out['schedule.type']) out['schedule.type'] = 'constant';
  if (!out['schedule.unit']) out['schedule.unit'] = 'epoch';
  return out;
}

const opt = (...types) => (c) => types.includes(effective(c)['optimizer.type']);
const sched = (...types) => (c) => types.includes(effective(c)['schedule.type']);
const images = (c) => c.dataset !== 'spiral';
const bySet = (spiral, img) => (c) => (c.dataset === 'spiral' ? spiral : img);

/** kind: text | select | int | float | list; when(values) says whether the key applies; placeholder shows the default. */
export const FIELDS = [
  { group: 'Run', path: 'name', label: 'name', kind: 'text', placeholder: (c) => { const e = effective(c); return `${c.dataset}-${e['model.type']}-${e['optimizer.type']}`; } },
  { group: 'Run', path: 'dataset', label: 'dataset', kind: 'select', options: ['spiral', 'shapes', 'mnist', 'fashion-mnist'], value: 'shapes' },
  { group: 'Model', path: 'model.type', label: 'model', kind: 'select', options: ['', 'mlp', 'cnn'] },
  { group: 'Model', path: 'model.filters', label: 'conv filters', kind: 'int', placeholder: '8', when: (c) => effective(c)['model.type'] === 'cnn' },
  { group: 'Model', path: 'model.kernel', label: 'kernel size', kind: 'int', placeholder: '5', when: (c) => effective(c)['model.type'] === 'cnn' },
  { group: 'Model', path: 'model.hidden', label: 'hidden sizes', kind: 'list', placeholder: (c) => (effective(c)['model.type'] === 'cnn' ? '64' : '100') + ' (comma separated)' },
  { group: 'Optimizer', path: 'optimizer.type', label: 'optimizer', kind: 'select', options: ['', 'sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'lbfgs'] },
  { group: 'Optimizer', path: 'optimizer.lr', label: 'learning rate', kind: 'float', placeholder: (c) => {
    const t = effective(c)['optimizer.type'];
    return c.dataset === 'spiral' && t === 'sgd' ? '1.0' : t === 'adam' || t === 'rmsprop' ? '0.001' : t === 'lbfgs' ? '1.0' : '0.01';
  } },
  { group: 'Optimizer', path: 'optimizer.momentum', label: 'momentum', kind: 'float', placeholder: '0.9', when: opt('momentum', 'nesterov') },
  { group: 'Optimizer', path: 'optimizer.beta1', label: 'beta1', kind: 'float', placeholder: '0.9', when: opt('adam') },
  { group: 'Optimizer', path: 'optimizer.beta2', label: 'beta2', kind: 'float', placeholder: '0.999', when: opt('adam') },
  { group: 'Optimizer', path: 'optimizer.eps', label: 'eps', kind: 'float', placeholder: (c) => (effective(c)['optimizer.type'] === 'adagrad' ? '1e-6' : '1e-8'), when: opt('adagrad', 'rmsprop', 'adam') },
  { group: 'Optimizer', path: 'optimizer.decay', label: 'decay rate', kind: 'float', placeholder: '0.99', when: opt('rmsprop') },
  { group: 'Schedule', path: 'schedule.type', label: 'lr schedule', kind: 'select', options: ['', 'constant', 'step', 'exponential', 'inverse', 'plateau'] },
  { group: 'Schedule', path: 'schedule.factor', label: 'factor', kind: 'float', placeholder: '0.5', when: sched('step', 'plateau') },
  { group: 'Schedule', path: 'schedule.every', label: 'every', kind: 'int', placeholder: '1', when: sched('step') },
  { group: 'Schedule', path: 'schedule.gamma', label: 'gamma', kind: 'float', placeholder: (c) => (effective(c)['schedule.type'] === 'inverse' ? '0.1' : '0.95'), when: sched('exponential', 'inverse') },
  { group: 'Schedule', path: 'schedule.power', label: 'power', kind: 'float', placeholder: '1.0', when: sched('inverse') },
  { group: 'Schedule', path: 'schedule.unit', label: 'unit', kind: 'select', options: ['', 'epoch', 'iteration'], when: sched('step', 'exponential', 'inverse') },
  { group: 'Schedule', path: 'schedule.patience', label: 'patience (evals)', kind: 'int', placeholder: '3', when: sched('plateau') },
  { group: 'Schedule', path: 'schedule.minLr', label: 'min lr', kind: 'float', placeholder: '1e-6', when: sched('plateau') },
  { group: 'Training', path: 'l2', label: 'l2', kind: 'float', placeholder: bySet('1e-3', '1e-4') },
  { group: 'Training', path: 'dropout', label: 'dropout', kind: 'float', placeholder: '0.0' },
  { group: 'Training', path: 'batchSize', label: 'batch size', kind: 'int', placeholder: bySet('300', '64') },
  { group: 'Training', path: 'epochs', label: 'epochs', kind: 'int', placeholder: bySet('2000', '3') },
  { group: 'Training', path: 'maxIterations', label: 'max iterations', kind: 'int', placeholder: '0 = all epochs' },
  { group: 'Training', path: 'stopOnDivergence.evaluations', label: 'stop after exploded evals', kind: 'int', placeholder: 'off' },
  { group: 'Training', path: 'seed', label: 'seed', kind: 'int', placeholder: '42' },
  { group: 'Data', path: 'trainSize', label: 'train size', kind: 'int', placeholder: bySet('300', '6000') },
  { group: 'Data', path: 'valSize', label: 'val size', kind: 'int', placeholder: bySet('150', '1000') },
  { group: 'Data', path: 'evalEvery', label: 'eval every (steps)', kind: 'int', placeholder: '50' },
  { group: 'Data', path: 'filtersEvery', label: 'filters every (steps)', kind: 'int', placeholder: '25', when: images },
];

export function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

export function setPath(obj, path, v) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys[keys.length - 1]] = v;
}

/** Form text -> JSON value. Unparseable text goes as typed, so the server names the problem. */
export function parseValue(kind, text) {
  const t = text.trim();
  if (kind === 'text' || kind === 'select') return t;
  if (kind === 'list') {
    const parts = t.split(/[,\s]+/).filter(Boolean);
    return parts.every((p) => /^-?\d+$/.test(p)) ? parts.map(Number) : t;
  }
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : t;
}
