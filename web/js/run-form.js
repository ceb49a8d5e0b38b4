// The New-run form: every config key, only the ones that apply are shown and
// sent, and each server error appears next to the field it names.

import { h, mount, setText } from './dom.js';
import { api } from './api.js';
import { FIELDS, getPath, setPath, parseValue, effective } from './config-fields.js';

export class RunForm {
  constructor({ onCreated }) {
    this.onCreated = onCreated;
    this.inputs = new Map();
    this.errors = new Map();
    this.rows = new Map();
    this.general = h('div.form-error#form-error');
    this.submit = h('button.primary#start-run', { type: 'submit' }, 'Start run');
    const groups = new Map();
    for (const f of FIELDS) {
      const input = f.kind === 'select'
        ? h('select', { name: f.path }, f.options.map((o) => h('option', { value: o, selected: o === f.value }, o || '(default)')))
        : h('input', { name: f.path, type: 'text', value: f.value ?? '' });
      input.dataset.field = f.path;
      // a default is shown as the field's value (readable, not a faint placeholder) until the user types;
      // such a field is still left out of the request, so a dataset-dependent default follows the dataset
      if (f.kind !== 'select' && f.path !== 'name' && f.placeholder) input.dataset.auto = '1';
      input.addEventListener('input', () => { delete input.dataset.auto; });
      input.addEventListener('change', () => { if (input.dataset.auto && input.value !== this.defaultOf(f)) delete input.dataset.auto; this.applyWhen(); });
      const err = h('div.field-error', { dataset: { field: f.path } });
      const row = h('label.field', h('span.label', f.label), input, err);
      this.inputs.set(f.path, input);
      this.errors.set(f.path, err);
      this.rows.set(f.path, row);
      if (!groups.has(f.group)) groups.set(f.group, []);
      groups.get(f.group).push(row);
    }
    this.el = h('form.run-form#run-form', { hidden: true, on: { submit: (e) => { e.preventDefault(); this.send(); } } },
      h('div.form-grid', [...groups].map(([g, rows]) => h('fieldset', h('legend', g), rows))),
      h('div.form-actions', this.general, h('button', { type: 'button', on: { click: () => this.toggle(false) } }, 'Cancel'), this.submit));
    this.applyWhen();
  }

  toggle(show = this.el.hidden) {
    this.el.hidden = !show;
    if (show) this.inputs.get('name').focus();
  }

  values() {
    const v = {};
    for (const [path, input] of this.inputs) v[path] = input.value;
    return v;
  }

  applyWhen() {
    const v = this.values();
    const eff = effective(v);
    for (const f of FIELDS) {
      this.rows.get(f.path).hidden = f.when ? !f.when(v) : false;
      const input = this.inputs.get(f.path);
      if (f.kind === 'select' && input.options[0].value === '') input.options[0].textContent = 'default (' + (eff[f.path] || '') + ')';
      if (f.placeholder) input.placeholder = typeof f.placeholder === 'function' ? f.placeholder(v) : f.placeholder;
      if (input.dataset.auto) input.value = this.defaultOf(f, v);
      input.title = f.placeholder ? 'default: ' + input.placeholder : '';
    }
  }

  /** The default a field shows: its placeholder's leading value ("64 (comma separated)" -> "64"). */
  defaultOf(f, v = this.values()) {
    const p = typeof f.placeholder === 'function' ? f.placeholder(v) : f.placeholder;
    return String(p || '').split(/\s/)[0];
  }

  config() {
    const v = this.values();
    const cfg = {};
    for (const f of FIELDS) {
      if (f.when && !f.when(v)) continue;
      if (v[f.path].trim() === '' || this.inputs.get(f.path).dataset.auto) continue;   // blank or shown default: the server's default
      setPath(cfg, f.path, parseValue(f.kind, v[f.path]));
    }
    return cfg;
  }

  async send() {
    this.clearErrors();
    this.submit.disabled = true;
    try {
      const res = await api.createRun(this.config());
      this.toggle(false);
      this.onCreated(res.id);
    } catch (e) {
      this.showErrors(e);
    } finally {
      this.submit.disabled = false;
    }
  }

  clearErrors() {
    for (const el of this.errors.values()) setText(el, '');
    for (const input of this.inputs.values()) input.classList.remove('invalid');
    setText(this.general, '');
  }

  showErrors(e) {
    const unplaced = [];
    for (const fe of e.errors || []) {
      const key = this.errors.has(fe.field) ? fe.field : parentOf(fe.field);
      const el = this.errors.get(key);
      if (el && !this.rows.get(key).hidden) {
        setText(el, (el.textContent ? el.textContent + '; ' : '') + fe.message);
        this.inputs.get(key).classList.add('invalid');
      } else unplaced.push((fe.field ? fe.field + ': ' : '') + fe.message);
    }
    if (!e.errors?.length) unplaced.push(e.message);
    setText(this.general, unplaced.join('; '));
  }

  async cloneFrom(id) {
    this.clearErrors();
    try {
      const run = await api.getRun(id);
      const cfg = run.config || run;
      for (const f of FIELDS) {
        const v = getPath(cfg, f.path);
        if (v === undefined) continue;
        const input = this.inputs.get(f.path);
        input.value = Array.isArray(v) ? v.join(', ') : String(v);
        delete input.dataset.auto;
      }
      this.inputs.get('name').value = (cfg.name || 'run').slice(0, 94) + '-clone';
      this.applyWhen();
      this.toggle(true);
      this.el.scrollIntoView({ block: 'nearest' });
    } catch (e) {
      setText(this.general, 'Could not load that run: ' + e.message);
      this.toggle(true);
    }
  }
}

/** "model.hidden[1]" -> "model.hidden". */
function parentOf(path) {
  return path ? path.replace(/\[\d+\]$/, '') : path;
}
