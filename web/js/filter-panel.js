// First-layer filters with a scrubber over the stored snapshots; follows the
// newest snapshot live unless the user scrubbed back.

import { h, setText } from './dom.js';
import { api } from './api.js';
import { drawFilterGrid } from './charts/filters.js';
import { fmtInt } from './format.js';

export class FilterPanel {
  constructor(runId) {
    this.runId = runId;
    this.steps = [];
    this.follow = true;
    this.loading = false;
    this.pending = null;
    this.canvas = h('canvas.filter-grid#filter-grid', { hidden: true });
    this.label = h('span.small');
    this.slider = h('input#filter-scrubber', { type: 'range', min: 0, max: 0, value: 0, on: { input: () => this.scrub() } });
    this.msg = h('p.small');
    this.note = h('span.chart-note', 'each scaled to its own min/max');
    this.scrubber = h('div.scrubber', { hidden: true }, this.slider, this.label);
    this.el = h('section.chart-box.filters#filters', h('h3', 'First-layer weights', this.note),
      this.scrubber, this.canvas, this.msg);
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

  async load() { if (this.images) await this.show(null); }

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
      this.updateSlider(f.step);
      drawFilterGrid(this.canvas, f.shape, f.data, Math.max(200, this.el.clientWidth - 24));
      this.canvas.dataset.step = f.step;
      this.canvas.hidden = false;
      this.scrubber.hidden = false;
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

  updateSlider(step) {
    this.slider.max = Math.max(0, this.steps.length - 1);
    const i = this.steps.indexOf(step);
    if (i >= 0) this.slider.value = i;
    setText(this.label, step == null ? 'no snapshot yet' :
      'step ' + fmtInt(step) + ' · snapshot ' + (i + 1) + ' of ' + this.steps.length + (this.follow ? ' (following live)' : ''));
  }
}
