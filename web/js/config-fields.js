// Every run-config key of DESIGN.md, with where it applies. Blank fields are
// left out of the request so the server's documented default applies.

export const DEMO_CONFIG = {
  name: 'demo-shapes-adam', dataset: 'shapes',
  model: { type: 'cnn', filters: 8, kernel: 5, hidden: [64] },
  optimizer: { type: 'adam', lr: 0.001 },
  schedule: { type: 'step', factor: 0.5, every: 2, unit: 'epoch' },
  l2: 0.0001, dropout: 0.0, batchSize: 64, epochs: 3, seed: 42,
  trainSize: 6000, valSize: 1000, evalEvery: 50, filtersEvery: 25,
};

const opt = (...types) => (c) => types.includes(c['optimizer.type']);
const sched = (...types) => (c) => types.includes(c['schedule.type']);

/** kind: text | select | int | float | list; when(values) says whether the key applies. */
export const FIELDS = [
  { group: 'Run', path: 'name', label: 'name', kind: 'text', value: 'shapes-adam' },
  { group: 'Run', path: 'dataset', label: 'dataset', kind: 'select', options: ['spiral', 'shapes', 'mnist', 'fashion-mnist'], value: 'shapes' },
  { group: 'Model', path: 'model.type', label: 'model', kind: 'select', options: ['mlp', 'cnn'], value: 'cnn' },
  { group: 'Model', path: 'model.filters', label: 'conv filters', kind: 'int', value: 8, when: (c) => c['model.type'] === 'cnn' },
  { group: 'Model', path: 'model.kernel', label: 'kernel size', kind: 'int', value: 5, when: (c) => c['model.type'] === 'cnn' },
  { group: 'Model', path: 'model.hidden', label: 'hidden sizes', kind: 'list', value: '64', hint: 'comma separated, e.g. 100, 50' },
  { group: 'Optimizer', path: 'optimizer.type', label: 'optimizer', kind: 'select', options: ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'lbfgs'], value: 'adam' },
  { group: 'Optimizer', path: 'optimizer.lr', label: 'learning rate', kind: 'float', value: 0.001 },
  { group: 'Optimizer', path: 'optimizer.momentum', label: 'momentum', kind: 'float', value: '', placeholder: '0.9', when: opt('momentum', 'nesterov') },
  { group: 'Optimizer', path: 'optimizer.beta1', label: 'beta1', kind: 'float', value: '', placeholder: '0.9', when: opt('adam') },
  { group: 'Optimizer', path: 'optimizer.beta2', label: 'beta2', kind: 'float', value: '', placeholder: '0.999', when: opt('adam') },
  { group: 'Optimizer', path: 'optimizer.eps', label: 'eps', kind: 'float', value: '', placeholder: '1e-8', when: opt('adagrad', 'rmsprop', 'adam') },
  { group: 'Optimizer', path: 'optimizer.decay', label: 'decay rate', kind: 'float', value: '', placeholder: '0.99', when: opt('rmsprop') },
  { group: 'Schedule', path: 'schedule.type', label: 'lr schedule', kind: 'select', options: ['constant', 'step', 'exponential', 'inverse', 'plateau'], value: 'step' },
  { group: 'Schedule', path: 'schedule.factor', label: 'factor', kind: 'float', value: 0.5, when: sched('step', 'plateau') },
  { group: 'Schedule', path: 'schedule.every', label: 'every', kind: 'int', value: 2, when: sched('step') },
  { group: 'Schedule', path: 'schedule.gamma', label: 'gamma', kind: 'float', value: '', when: sched('exponential', 'inverse') },
  { group: 'Schedule', path: 'schedule.power', label: 'power', kind: 'float', value: '', when: sched('inverse') },
  { group: 'Schedule', path: 'schedule.unit', label: 'unit', kind: 'select', options: ['epoch', 'iteration'], value: 'epoch', when: sched('step', 'exponential', 'inverse') },
  { group: 'Schedule', path: 'schedule.patience', label: 'patience (evals)', kind: 'int', value: '', when: sched('plateau') },
  { group: 'Schedule', path: 'schedule.minLr', label: 'min lr', kind: 'float', value: '', when: sched('plateau') },
  { group: 'Training', path: 'l2', label: 'l2', kind: 'float', value: 0.0001 },
  { group: 'Training', path: 'dropout', label: 'dropout', kind: 'float', value: 0 },
  { group: 'Training', path: 'batchSize', label: 'batch size', kind: 'int', value: 64 },
  { group: 'Training', path: 'epochs', label: 'epochs', kind: 'int', value: 3 },
  { group: 'Training', path: 'maxIterations', label: 'max iterations', kind: 'int', value: '', placeholder: '0 = no cap' },
  { group: 'Training', path: 'seed', label: 'seed', kind: 'int', value: 42 },
  { group: 'Data', path: 'trainSize', label: 'train size', kind: 'int', value: 6000 },
  { group: 'Data', path: 'valSize', label: 'val size', kind: 'int', value: 1000 },
  { group: 'Data', path: 'evalEvery', label: 'eval every (steps)', kind: 'int', value: 50 },
  { group: 'Data', path: 'filtersEvery', label: 'filters every (steps)', kind: 'int', value: 25 },
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
