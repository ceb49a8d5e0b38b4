// Disk use: a run's bytes on its page, and runs/ total + free space on the runs page,
// warning before the disk runs out (the server says when: `low` in GET /api/disk).

import { h, setText } from './dom.js';
import { api } from './api.js';

export function fmtBytes(n) {
  if (n == null || !(n >= 0)) return '–';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? String(n) : n.toFixed(n < 10 ? 1 : 0)) + ' ' + units[i];
}

/** `runs/ 1.2 GB · 40 GB free of 100 GB`, with a warning class and text when space is low. */
export class DiskLine {
  constructor() {
    this.el = h('span.disk-line.small#disk-line');
  }

  async refresh() {
    try {
      const d = await api.disk();
      const free = fmtBytes(d.free_bytes) + ' free' + (d.total_bytes > 0 ? ' of ' + fmtBytes(d.total_bytes) : '');
      this.el.className = 'disk-line small' + (d.low ? ' disk-low' : '');
      setText(this.el, 'runs/ ' + fmtBytes(d.runs_bytes) + ' · ' + free
        + (d.low ? ' — disk almost full: new runs are refused below ' + fmtBytes(d.refuse_below_bytes) : ''));
    } catch (e) {
      setText(this.el, '');
    }
  }
}
