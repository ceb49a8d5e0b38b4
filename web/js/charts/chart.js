// A thin layer over uPlot: the options every dashboard chart shares (step x
// axis, synced crosshair, drag-to-zoom handed to the page), plus the marker
// plugins (epoch boundaries, non-finite values, alerts, the update-ratio band).

import uPlot from '../../vendor/uplot/uPlot.esm.js';
import { fmtNum } from '../format.js';

export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b',
  '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/**
 * opts: {el, series: [{label, stroke, width, dash, fill, points, hidden}], bands, log,
 * syncKey, onZoom(from, to), onReset(), plugins, height}
 */
export function makeChart(o) {
  const width = Math.max(200, o.el.clientWidth || 600);
  const u = new uPlot({
    width,
    height: o.height || 240,
    scales: { x: { time: false }, y: Object.assign({ auto: true }, o.log ? { distr: 3, log: 10 } : {}, o.range ? { range: o.range } : {}, o.logRange ? { range: logRange(o.logRange) } : {}) },
    axes: [
      { stroke: '#555', grid: { stroke: '#eee' }, incrs: STEP_INCRS, values: (u, vals) => vals.map(stepLabel) },
      { stroke: '#555', grid: { stroke: '#eee' }, size: 64, values: (u, vals) => vals.map((v) => v == null ? '' : fmtNum(v, 3)) },
    ],
    series: [{ label: 'step', value: (u, v) => v == null ? '–' : stepLabel(v) }].concat(o.series.map((s) => ({
      label: s.label,
      stroke: s.stroke,
      width: s.width ?? 1.5,
      dash: s.dash,
      fill: s.fill,
      spanGaps: !!s.spanGaps,
      points: s.points || { show: false },
      value: (u, v) => fmtNum(v),
    }))),
    bands: o.bands,
    legend: { live: true },
    cursor: {
      sync: o.syncKey ? { key: o.syncKey } : undefined,
      drag: { x: !!o.onZoom, y: false, setScale: false },
      points: { size: 6 },
    },
    plugins: o.plugins || [],
    hooks: {
      setSelect: [(u) => {
        if (!o.onZoom || u.select.width < 4) return;
        const from = u.posToVal(u.select.left, 'x'), to = u.posToVal(u.select.left + u.select.width, 'x');
        u.setSelect({ left: 0, width: 0, top: 0, height: 0 }, false);
        o.onZoom(from, to);
      }],
      ready: [(u) => {
        if (o.onReset) u.over.addEventListener('dblclick', () => o.onReset());
        o.series.forEach((s, i) => {  // helper series (band edges) stay out of the legend
          if (s.hideLegend) u.root.querySelectorAll('.u-legend .u-series')[i + 1].style.display = 'none';
        });
      }],
    },
  }, emptyData(o.series.length), o.el);
  const unfit = fitWidth(u, o.el);
  const destroy = u.destroy.bind(u);
  u.destroy = () => { unfit(); destroy(); };
  return u;
}

/** A log range that always shows [lo, hi] (the update-ratio guide band) and snaps to decades. */
function logRange([lo, hi]) {
  return (u, min, max) => {
    const a = Math.min(min ?? lo, lo), b = Math.max(max ?? hi, hi);
    return [Math.pow(10, Math.floor(Math.log10(a))), Math.pow(10, Math.ceil(Math.log10(b)))];
  };
}

function emptyData(n) {
  return [[]].concat(Array.from({ length: n }, () => []));
}

/** Steps are whole numbers: tick spacing 1, 2, 5, 10, 20, 50, ... */
const STEP_INCRS = [];
for (let m = 1; m <= 1e12; m *= 10) STEP_INCRS.push(m, 2 * m, 5 * m);

function stepLabel(v) {
  if (v == null) return '';
  const a = Math.abs(v);
  if (a >= 1e6) return (v / 1e6).toPrecision(3).replace(/\.?0+$/, '') + 'M';
  if (a >= 1e4) return (v / 1e3).toPrecision(3).replace(/\.?0+$/, '') + 'k';
  return String(Math.round(v));
}

/** Keeps a chart as wide as its box (boxes change width as other charts appear). */
export function fitWidth(u, el) {
  let frame = 0;
  const ro = new ResizeObserver(() => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const w = el.clientWidth;
      if (w > 0 && Math.abs(w - u.width) > 2) u.setSize({ width: w, height: u.height });
    });
  });
  ro.observe(el);
  return () => { ro.disconnect(); cancelAnimationFrame(frame); };
}

/**
 * Canvas + DOM markers. getMarks() -> {epochs: step[], nonfinite: step[], alerts: [{step, text}]}.
 * Alerts are DOM elements (.alert-marker) so a user can hover them for the message.
 */
export function markersPlugin(getMarks) {
  let layer;
  return {
    hooks: {
      init: (u) => {
        layer = document.createElement('div');
        layer.className = 'marker-layer';
        u.over.appendChild(layer);
      },
      draw: (u) => {
        const m = getMarks();
        const ctx = u.ctx, { left, top, width, height } = u.bbox;
        const xmin = u.scales.x.min, xmax = u.scales.x.max;
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top, width, height);
        ctx.clip();
        const epochs = (m.epochs || []).filter((s) => s > xmin && s < xmax);
        if (epochs.length && epochs.length < 60) {
          ctx.strokeStyle = 'rgba(0,0,0,0.18)';
          ctx.setLineDash([3 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.lineWidth = devicePixelRatio;
          ctx.beginPath();
          for (const s of epochs) {
            const x = Math.round(u.valToPos(s, 'x', true)) + 0.5;
            ctx.moveTo(x, top);
            ctx.lineTo(x, top + height);
          }
          ctx.stroke();
          ctx.setLineDash([]);
        }
        ctx.fillStyle = '#d62728';
        const sz = 5 * devicePixelRatio;
        for (const s of m.nonfinite || []) {   // a red triangle on the top edge per non-finite bucket
          if (s < xmin || s > xmax) continue;
          const x = u.valToPos(s, 'x', true);
          ctx.beginPath();
          ctx.moveTo(x - sz, top);
          ctx.lineTo(x + sz, top);
          ctx.lineTo(x, top + sz * 1.6);
          ctx.fill();
        }
        ctx.restore();
        placeAlerts(u, layer, m.alerts || [], xmin, xmax);
      },
    },
  };
}

function placeAlerts(u, layer, alerts, xmin, xmax) {
  while (layer.children.length < alerts.length) {
    const el = document.createElement('div');
    el.className = 'alert-marker';
    el.appendChild(document.createElement('span'));
    layer.appendChild(el);
  }
  while (layer.children.length > alerts.length) layer.lastChild.remove();
  alerts.forEach((a, i) => {
    const el = layer.children[i];
    const visible = a.step >= xmin && a.step <= xmax;
    el.style.display = visible ? '' : 'none';
    if (!visible) return;
    el.style.left = u.valToPos(a.step, 'x') + 'px';
    el.title = a.text;
    el.dataset.step = a.step;
    el.firstChild.textContent = '!';
  });
}

/** The update-ratio guide: [1e-4, 1e-2] shaded, 1e-3 drawn as a line. */
export function ratioBandPlugin() {
  return {
    hooks: {
      drawClear: (u) => {
        const ctx = u.ctx, { left, top, width, height } = u.bbox;
        const y = (v) => u.valToPos(v, 'y', true);
        const y1 = Math.max(top, Math.min(top + height, y(1e-2)));
        const y4 = Math.max(top, Math.min(top + height, y(1e-4)));
        ctx.save();
        ctx.fillStyle = 'rgba(44,160,44,0.10)';
        ctx.fillRect(left, y1, width, y4 - y1);
        const y3 = y(1e-3);
        if (y3 >= top && y3 <= top + height) {
          ctx.strokeStyle = 'rgba(44,160,44,0.8)';
          ctx.lineWidth = devicePixelRatio;
          ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(left, y3);
          ctx.lineTo(left + width, y3);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}
