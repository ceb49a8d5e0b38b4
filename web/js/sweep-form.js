// The New-sweep form: the spec of docs/sweeps.md as a guided form (a row per searched
// parameter) or as JSON, both sent as the same spec. The base run config can come from an
// existing run. Each server error appears next to the field it names
// (`parameters.optimizer.lr.min` beside that row's min), the rest above the buttons.

import { h, mount, setText } from './dom.js';
import { api } from './api.js';
import { listPage } from './run-list-api.js';
import { sweepApi } from './sweep-api.js';
import { FIELDS } from './config-fields.js';

const DISTRIBUTIONS = ['log_uniform', 'uniform', 'int_log_uniform', 'int_uniform', 'values', 'grid'];
const CATEGORICAL = new Set(['values', 'grid']);
const NUMERIC_PATHS = FIELDS.filter((f) => f.kind === 'float' || f.kind === 'int' || f.kind === 'list' || f.kind === 'select')
  .map((f) => f.path).filter((p) => !['name', 'dataset', 'epochs', 'seed', 'trainSize', 'valSize', 'evalEvery', 'filtersEvery', 'maxIterations'].includes(p) && !p.startsWith('stopOnDivergence'));

export const DEFAULT_SPEC = {
  name: 'spiral-lr-l2',
  base: { dataset: 'spiral', epochs: 20 },
  method: 'tpe',
  metric: { tag: 'val_acc', goal: 'max' },
  parameters: {
    'optimizer.lr': { distribution: 'log_uniform', min: 1e-3, max: 10 },
    l2: { distribution: 'log_uniform', min: 1e-6, max: 1e-1 },
  },
  trials: 20, parallel: 2, seed: 1,
  earlyStop: { type: 'asha', minEpochs: 1, reductionFactor: 3 },
};

export class SweepForm {
  constructor({ onCreated }) {
    this.onCreated = onCreated;
    this.errs = new Map();
    this.inputs = new Map();
    this.rows = [];
    const field = (key, label, input, hint) => {
      input.dataset.field = key;
      this.inputs.set(key, input);
      const err = h('div.field-error', { dataset: { field: key } });
      this.errs.set(key, err);
      return h('label.field', { dataset: { key } }, h('span.label', label), input, hint ? h('div.field-hint.small', hint) : null, err);
    };
    const select = (opts) => h('select', opts.map((o) => h('option', { value: o }, o)));
    this.general = h('div.form-error#sweep-form-error');
    this.submit = h('button.primary#start-sweep', { type: 'submit' }, 'Start sweep');
    this.paramRows = h('div.param-rows#param-rows');
    this.paramsErr = h('div.field-error', { dataset: { field: 'parameters' } });
    this.errs.set('parameters', this.paramsErr);
    this.baseText = h('textarea.base-config#sweep-base', { rows: 7, spellcheck: 'false', 'aria-label': 'base run config (JSON)' });
    this.baseErr = h('div.field-error', { dataset: { field: 'base' } });
    this.errs.set('base', this.baseErr);
    this.fromRun = h('input#sweep-from-run', { type: 'text', list: 'sweep-run-ids', placeholder: 'run id', 'aria-label': 'start from the config of run' });
    this.runIds = h('datalist#sweep-run-ids');
    this.jsonText = h('textarea.spec-json#sweep-json', { rows: 18, spellcheck: 'false', 'aria-label': 'sweep spec (JSON)' });
    this.jsonErr = h('div.field-error', { dataset: { field: 'json' } });
    this.guided = h('div.sweep-guided');
    this.jsonBox = h('div.sweep-json', { hidden: true }, this.jsonText, this.jsonErr);
    this.modeBtn = h('button#sweep-json-mode', { type: 'button', on: { click: () => this.toggleJson() } }, 'Edit as JSON');
    const esType = select(['none', 'asha']);
    esType.addEventListener('change', () => this.applyWhen());
    this.ashaRows = [
      field('earlyStop.minEpochs', 'min epochs', h('input', { type: 'text', value: '1' }), 'first rung'),
      field('earlyStop.reductionFactor', 'reduction factor', h('input', { type: 'text', value: '3' }), 'keep the best 1/η at each rung'),
    ];
    mount(this.guided,
      h('div.form-grid',
        h('fieldset', h('legend', 'Sweep'),
          field('name', 'name', h('input', { type: 'text' })),
          field('method', 'method', select(['tpe', 'random', 'grid']), 'tpe: Bayesian; grid: every combination of values'),
          field('metric.tag', 'metric', select(['val_acc', 'val_loss', 'train_acc', 'loss'])),
          field('metric.goal', 'goal', select(['max', 'min']))),
        h('fieldset', h('legend', 'Budget'),
          field('trials', 'trials', h('input', { type: 'text' }), 'grid: blank = every combination'),
          field('parallel', 'at once', h('input', { type: 'text' })),
          field('seed', 'seed', h('input', { type: 'text' })),
          field('retries', 'retries', h('input', { type: 'text', placeholder: '1' }), 'an interrupted trial runs again this often')),
        h('fieldset', h('legend', 'Early stopping'), field('earlyStop.type', 'type', esType, 'asha stops hopeless trials at epoch rungs'), this.ashaRows),
        h('fieldset.base-fieldset', h('legend', 'Base run config'),
          h('div.from-run', this.fromRun, this.runIds, h('button#sweep-load-run', { type: 'button', on: { click: () => this.loadRun(this.fromRun.value.trim()) } }, 'Use this run\'s config')),
          this.baseText, this.baseErr)),
      h('fieldset.params-fieldset', h('legend', 'Searched parameters'),
        h('div.param-head.small', h('span', 'config path'), h('span', 'distribution'), h('span', 'min'), h('span', 'max'), h('span', 'values (JSON list)'), h('span')),
        this.paramRows, this.paramsErr,
        h('datalist#sweep-paths', NUMERIC_PATHS.map((p) => h('option', { value: p }))),
        h('button#add-param', { type: 'button', on: { click: () => this.addRow('', { distribution: 'log_uniform' }, true) } }, '+ parameter')));
    this.el = h('form.run-form.sweep-form#sweep-form', { hidden: true, novalidate: true, on: { submit: (e) => { e.preventDefault(); this.send(); } } },
      h('div.sweep-form-head', h('h3', 'New sweep'), h('span.spacer'), this.modeBtn),
      this.guided, this.jsonBox,
      h('div.form-actions', this.general, h('button', { type: 'button', on: { click: () => this.toggle(false) } }, 'Cancel'), this.submit));
    this.fill(DEFAULT_SPEC);
  }

  toggle(show = this.el.hidden) {
    this.el.hidden = !show;
    if (show) {
      this.inputs.get('name').focus();
      listPage({ sort: 'created' }, { limit: 50 }).then((p) => mount(this.runIds, p.runs.map((r) => h('option', { value: r.id }, r.name))), () => {});
    }
  }

  applyWhen() {
    const asha = this.inputs.get('earlyStop.type').value === 'asha';
    for (const r of this.ashaRows) r.hidden = !asha;
  }

  /** Puts a spec into the guided fields (what the JSON editor hands back, and the defaults). */
  fill(spec) {
    const set = (k, v) => { if (this.inputs.has(k)) this.inputs.get(k).value = v == null ? '' : String(v); };
    set('name', spec.name);
    set('method', spec.method || 'tpe');
    set('metric.tag', spec.metric?.tag || 'val_acc');
    set('metric.goal', spec.metric?.goal || 'max');
    set('trials', spec.trials);
    set('parallel', spec.parallel);
    set('seed', spec.seed);
    set('retries', spec.retries);
    set('earlyStop.type', spec.earlyStop?.type || 'none');
    set('earlyStop.minEpochs', spec.earlyStop?.minEpochs ?? 1);
    set('earlyStop.reductionFactor', spec.earlyStop?.reductionFactor ?? 3);
    this.baseText.value = JSON.stringify(spec.base || {}, null, 2);
    this.rows = [];
    mount(this.paramRows);
    for (const [path, p] of Object.entries(spec.parameters || {})) this.addRow(path, p);
    this.applyWhen();
  }

  addRow(path, p, focus = false) {
    const dist = h('select', { 'aria-label': 'distribution' }, DISTRIBUTIONS.map((d) => h('option', { value: d }, d)));
    dist.value = p.distribution || (p.values ? 'values' : p.grid ? 'grid' : 'log_uniform');
    const row = {
      path: h('input.param-path', { type: 'text', value: path, list: 'sweep-paths', placeholder: 'optimizer.lr', 'aria-label': 'config path' }),
      dist,
      min: h('input', { type: 'text', value: p.min ?? '', 'aria-label': 'min' }),
      max: h('input', { type: 'text', value: p.max ?? '', 'aria-label': 'max' }),
      values: h('input', { type: 'text', value: p.values || p.grid ? JSON.stringify(p.values || p.grid) : '', placeholder: '[[50], [100], [200, 100]]', 'aria-label': 'values' }),
      err: h('div.field-error.param-error'),
    };
    const remove = h('button', { type: 'button', 'aria-label': 'remove this parameter', on: { click: () => { this.rows = this.rows.filter((r) => r !== row); row.el.remove(); } } }, '×');
    row.el = h('div.param-row', row.path, row.dist, row.min, row.max, row.values, remove, row.err);
    const applyKind = () => {
      const cat = CATEGORICAL.has(row.dist.value);
      row.min.disabled = row.max.disabled = cat;
      row.values.disabled = !cat;
    };
    row.dist.addEventListener('change', applyKind);
    applyKind();
    this.rows.push(row);
    this.paramRows.appendChild(row.el);
    if (focus) row.path.focus();
  }

  toggleJson() {
    const toJson = this.jsonBox.hidden;
    this.clearErrors();
    if (toJson) {
      const { spec } = this.spec();
      this.jsonText.value = JSON.stringify(spec, null, 2);
    } else {
      const spec = this.parseJson();
      if (!spec) return;
      this.fill(spec);
    }
    this.jsonBox.hidden = !toJson;
    this.guided.hidden = toJson;
    setText(this.modeBtn, toJson ? 'Edit as form' : 'Edit as JSON');
  }

  parseJson() {
    try {
      const spec = JSON.parse(this.jsonText.value);
      if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new Error('the spec must be a JSON object');
      return spec;
    } catch (e) {
      setText(this.jsonErr, 'not valid JSON: ' + e.message);
      this.jsonText.classList.add('invalid');
      return null;
    }
  }

  /** The spec as the guided fields say, plus the problems found before sending (unparseable JSON). */
  spec() {
    const problems = [];
    const text = (k) => this.inputs.get(k).value.trim();
    const number = (t) => (t !== '' && Number.isFinite(Number(t)) ? Number(t) : t);
    const spec = { name: text('name'), method: text('method'), metric: { tag: text('metric.tag'), goal: text('metric.goal') } };
    try { spec.base = JSON.parse(this.baseText.value || '{}'); } catch (e) { problems.push({ field: 'base', message: 'not valid JSON: ' + e.message }); spec.base = {}; }
    spec.parameters = {};
    for (const r of this.rows) {
      const path = r.path.value.trim();
      if (!path) continue;
      const d = r.dist.value;
      let p;
      if (CATEGORICAL.has(d)) {
        let values = r.values.value.trim();
        try { values = JSON.parse(values); } catch { problems.push({ field: 'parameters.' + path + '.values', message: 'a JSON list, e.g. [0.1, 0.5] or [[50], [100]]' }); }
        p = d === 'values' ? { values } : { grid: values };
      } else p = { distribution: d, min: number(r.min.value.trim()), max: number(r.max.value.trim()) };
      spec.parameters[path] = p;
    }
    for (const k of ['trials', 'parallel', 'seed', 'retries']) if (text(k) !== '') spec[k] = number(text(k));
    const es = text('earlyStop.type');
    spec.earlyStop = es === 'asha' ? { type: 'asha', minEpochs: number(text('earlyStop.minEpochs')), reductionFactor: number(text('earlyStop.reductionFactor')) } : { type: es };
    return { spec, problems };
  }

  async loadRun(id) {
    if (!id) { this.place([{ field: 'base', message: 'give a run id to start from' }]); return; }
    try {
      const run = await api.getRun(id);
      const cfg = Object.assign({}, run.config || {});
      delete cfg.name;
      this.baseText.value = JSON.stringify(cfg, null, 2);
      if (!this.inputs.get('name').value) this.inputs.get('name').value = (run.name || id) + '-sweep';
      setText(this.baseErr, '');
    } catch (e) {
      this.place([{ field: 'base', message: 'could not load run ' + id + ': ' + e.message }]);
    }
  }

  /** Starts from a run's config (#/sweeps?from=RUN). */
  async startFrom(id) {
    this.toggle(true);
    this.fromRun.value = id;
    await this.loadRun(id);
  }

  async send() {
    this.clearErrors();
    let spec, problems = [];
    if (!this.jsonBox.hidden) { spec = this.parseJson(); if (!spec) return; } else ({ spec, problems } = this.spec());
    if (problems.length) { this.place(problems); return; }
    this.submit.disabled = true;
    try {
      const res = await sweepApi.create(spec);
      this.toggle(false);
      this.onCreated(res.id);
    } catch (e) {
      this.place(e.errors && e.errors.length ? e.errors : [{ field: '', message: e.message }]);
    } finally {
      this.submit.disabled = false;
    }
  }

  clearErrors() {
    for (const el of this.errs.values()) setText(el, '');
    for (const r of this.rows) setText(r.err, '');
    for (const el of this.el.querySelectorAll('.invalid')) el.classList.remove('invalid');
    setText(this.jsonErr, '');
    setText(this.general, '');
  }

  /** Puts each error beside the field it names; in JSON mode they are listed with their field. */
  place(errors) {
    const unplaced = [];
    const json = !this.jsonBox.hidden;
    for (const fe of errors) {
      const f = fe.field || '';
      const target = json ? null : this.target(f);
      if (target) {
        setText(target.err, (target.err.textContent ? target.err.textContent + '; ' : '') + (target.prefix || '') + fe.message);
        if (target.input) target.input.classList.add('invalid');
      } else unplaced.push((f ? f + ': ' : '') + fe.message);
    }
    if (json) setText(this.jsonErr, unplaced.join('\n'));
    else setText(this.general, unplaced.join('; '));
    const first = this.el.querySelector('.invalid');
    if (first) first.focus();
  }

  target(f) {
    if (this.errs.has(f)) return { err: this.errs.get(f), input: this.inputs.get(f) || (f === 'base' ? this.baseText : null) };
    if (f === 'metric' || f === 'earlyStop') return { err: this.errs.get(f + (f === 'metric' ? '.tag' : '.type')), input: this.inputs.get(f + (f === 'metric' ? '.tag' : '.type')) };
    if (f.startsWith('base.') || f.startsWith('base[')) return { err: this.baseErr, input: this.baseText, prefix: f.slice(5) + ': ' };
    if (f.startsWith('parameters.')) {
      const rest = f.slice('parameters.'.length);
      // the longest row path that the field starts with: "optimizer.lr.min" -> row optimizer.lr, key min
      const row = this.rows.filter((r) => { const p = r.path.value.trim(); return p && (rest === p || rest.startsWith(p + '.') || rest.startsWith(p + '[')); })
        .sort((a, b) => b.path.value.length - a.path.value.length)[0];
      if (row) {
        const key = rest.slice(row.path.value.trim().length + 1).replace(/\[\d+\]$/, '');
        const input = { min: row.min, max: row.max, values: row.values, grid: row.values, distribution: row.dist }[key] || row.path;
        return { err: row.err, input, prefix: key ? key + ': ' : '' };
      }
    }
    return null;
  }
}
