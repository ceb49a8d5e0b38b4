// First-layer filters with a scrubber over the stored snapshots; follows the
// newest snapshot live unless the user scrubbed back.

import { h, setText } from './dom.js';
import { api } from './api.js';
import { drawFilterGrid, tileOf } from './charts/filters.js';
import { fmtInt } from './format.js';

export class FilterPanel {
  constructor(runId) {
    this.runId = runId;
    this.steps = [];
    this.follow = true;
    this.loading = false;
    this.pending = null;
    this.canvas = h('canvas.filter-grid#filter-grid', { hidden: true, role: 'img', 'aria-label': 'first-layer filters; click one to enlarge',
      on: { click: (e) => this.pick(e) } });
    this.label = h('span.small');
    this.slider = h('input#filter-scrubber', { type: 'range', min: 0, max: 0, value: 0, 'aria-label': 'filter snapshot step', on: { input: () => this.scrub() } });
    this.diffBox = h('input#filter-diff', { type: 'checkbox', on: { change: () => this.redraw() } });
    this.big = h('canvas.filter-big#filter-big', { hidden: true, role: 'img' });
    this.bigLabel = h('div.small');
    this.picked = null;
    this.msg = h('p.small');
    this.note = h('span.chart-note', 'each scaled to its own min/max');
    this.scrubber = h('div.scrubber', { hidden: true }, this.slider, this.label);
    this.diffLabel = h('label.small.filter-diff', { hidden: true }, this.diffBox, ' difference from step 0');
    this.el = h('section.chart-box.filters#filters', h('h3', 'First-layer weights', this.note),
      this.scrubber, this.diffLabel, this.canvas, h('div.filter-zoom', this.big, this.bigLabel), this.msg);
    this.images = true;
  }

  /** Only image datasets record first-layer snapshots: for the others the panel is one line, with no canvas or scrubber. */
  setDataset(dataset) {
    this.images = dataset !== 'spiral';
    if (this.images) return;
    this.el.classList.add('no-filters');
    setText(this.note, 'none: ' + dataset + ' is not image data');
    this.canvas.hidden = true;
    this.scrubber.hidden = true;
    setText(this.msg, '');
  }

  /** step: a snapshot to open on (from a shared link), else the newest, followed live. */
  async load(step = null) {
    if (!this.images) return;
    if (step != null) this.follow = false;
    await this.show(step);
  }

  /** The step a shared link should reopen: null while following the newest snapshot. */
  pinnedStep() { return this.follow ? null : this.shown ?? null; }

  scrub() {
    const i = Number(this.slider.value);
    this.follow = i === this.steps.length - 1;
    this.show(this.steps[i]);
  }

  /** A live `filters` notice: a new snapshot exists at `step`. */
  added(step) {
    if (!this.images) return;
    if (step != null && !this.steps.includes(step)) this.steps.push(step);
    this.updateSlider(this.shown);
    if (this.follow) this.show(null);
  }

  /** Fetches one snapshot (null = latest); a newer request replaces one still waiting. */
  async show(step) {
    if (this.loading) { this.pending = { step }; return; }
    this.loading = true;
    try {
      const f = await api.filters(this.runId, step);
      if (Array.isArray(f.steps)) this.steps = f.steps.slice();
      this.shown = f.step;
      if (this.onChange) this.onChange();
      this.current = f;
      this.updateSlider(f.step);
      await this.redraw();
      this.canvas.dataset.step = f.step;
      this.canvas.hidden = false;
      this.scrubber.hidden = false;
      this.diffLabel.hidden = false;
      setText(this.msg, '');
      this.el.hidden = false;
    } catch (e) {
      if (e.status === 404 && !this.steps.length) setText(this.msg, 'No snapshot yet.');
      else setText(this.msg, 'Could not load filters: ' + e.message);
    } finally {
      this.loading = false;
      const p = this.pending;
      this.pending = null;
      if (p) this.show(p.step);
    }
  }

  /** The snapshot as weights or, when asked, as its change since the first snapshot. */
  shownData() {
    const f = this.current;
    if (!this.diffBox.checked || !this.base || this.base.data.length !== f.data.length) return f.data;
    const d = new Float32Array(f.data.length);
    for (let i = 0; i < d.length; i++) d[i] = f.data[i] - this.base.data[i];
    return d;
  }

  async redraw() {
    const f = this.current;
    if (!f) return;
    if (this.diffBox.checked && !this.base && this.steps.length) {
      try { this.base = await api.filters(this.runId, this.steps[0]); } catch { this.base = null; }
    }
    this.layout = drawFilterGrid(this.canvas, f.shape, this.shownData(), Math.max(200, this.el.clientWidth - 24));
    setText(this.note, this.diffBox.checked ? 'change since step ' + fmtInt(this.steps[0]) + ', each scaled to its own min/max' : 'each scaled to its own min/max');
    if (this.picked != null) this.enlarge(this.picked);
  }

  /** A click on a tile shows it large below the grid (a second click on it hides it). */
  pick(e) {
    const L = this.layout;
    if (!L) return;
    const r = this.canvas.getBoundingClientRect();
    const x = (e.clientX - r.left) * this.canvas.width / r.width, y = (e.clientY - r.top) * this.canvas.height / r.height;
    const col = Math.floor(x / (L.tw + L.gap)), row = Math.floor(y / (L.th + L.gap));
    const t = row * L.cols + col;
    if (col >= L.cols || t >= L.tiles || t === this.picked) { this.picked = null; this.big.hidden = true; setText(this.bigLabel, ''); return; }
    this.picked = t;
    this.enlarge(t);
  }

  enlarge(t) {
    const f = this.current;
    const one = tileOf(f.shape, this.shownData(), t);
    drawFilterGrid(this.big, one.shape, one.data, 240, 240, 240);
    this.big.hidden = false;
    this.big.setAttribute('aria-label', 'filter ' + (one.filter + 1) + (one.channel != null ? ', input channel ' + (one.channel + 1) : ''));
    setText(this.bigLabel, 'filter ' + (one.filter + 1) + (one.channel != null && f.shape[1] > 1 ? ' · channel ' + (one.channel + 1) : '') + ' at step ' + fmtInt(f.step));
  }

  updateSlider(step) {
    this.slider.max = Math.max(0, this.steps.length - 1);
    const i = this.steps.indexOf(step);
    if (i >= 0) this.slider.value = i;
    setText(this.label, step == null ? 'no snapshot yet' :
      'step ' + fmtInt(step) + ' · snapshot ' + (i + 1) + ' of ' + this.steps.length + (this.follow ? ' (following live)' : ''));
  }
}
