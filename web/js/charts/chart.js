// A thin layer over uPlot: the options every dashboard chart shares (step x
// axis, synced crosshair, drag-to-zoom handed to the page), plus the marker
// plugins (epoch boundaries, non-finite values, alerts, the update-ratio band).

import uPlot from '../../vendor/uplot/uPlot.esm.js';
import { fmtNum } from '../format.js';

/**
 * Okabe-Ito's colour-blind-safe palette (blue, orange, bluish green, reddish purple,
 * sky blue, vermillion, yellow-brown, grey): momentum, adam and rmsprop stay apart
 * under deuteranopia, where the old category10 turned them one olive.
 */
export const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#a08400', '#666666'];

/** Dash patterns: a second cue beside colour, so lines stay apart in greyscale too. */
export const DASHES = [undefined, [8, 4], [2, 3], [10, 3, 2, 3], [4, 4], [1, 2]];

/**
 * The k-th run's line: the palette's colours first (a dash on a noisy curve reads as a broken
 * line), then the same colours again with a dash, so the 9th run is not the 1st one's twin.
 */
export function runStyle(k) {
  const round = Math.floor(k / PALETTE.length);
  return { stroke: PALETTE[k % PALETTE.length], dash: round ? DASHES[1 + (round - 1) % (DASHES.length - 1)] : undefined };
}

/**
 * opts: {el, series: [{label, stroke, width, dash, fill, points, hidden}], bands, log,
 * syncKey, onZoom(from, to), onReset(), plugins, height, label, x: {name, label, values, incrs}}
 *
 * Data convention (series.js `project`): `undefined` = this series has no sample
 * at that x (another series does): the line runs straight across; `null` = a
 * missing or non-finite value: the line breaks from the sample before it to the
 * sample after it.
 */
export function makeChart(o) {
  const width = Math.max(200, o.el.clientWidth || 600);
  const x = o.x || STEP_AXIS;
  const yScale = Object.assign({ auto: true },
    o.log ? { distr: 3, log: 10, range: logRange(o.logRange) } : {},
    !o.log && o.range ? { range: o.range } : {});
  const yAxis = { stroke: '#555', grid: { stroke: '#eee' }, size: 64, values: (u, vals) => vals.map((v) => v == null ? '' : fmtNum(v, 3)) };
  // uPlot's own log splits loop forever below 1e-32 (RangeError: Invalid array length): decades of our own
  if (o.log) Object.assign(yAxis, { splits: logSplits, filter: (u, splits) => splits });
  const u = new uPlot({
    width,
    height: o.height || 240,
    scales: { x: { time: false }, y: yScale },
    axes: [
      { stroke: '#555', grid: { stroke: '#eee' }, incrs: x.incrs, values: (u, vals) => vals.map((v) => v == null ? '' : x.values(v)) },
      yAxis,
    ],
    series: [{ label: x.name || 'step', value: (u, v) => v == null ? '–' : x.values(v, true) }].concat(o.series.map((s) => ({
      label: s.label,
      stroke: s.stroke,
      width: s.width ?? 1.5,
      dash: s.dash,
      fill: s.fill,
      spanGaps: !!s.spanGaps,
      gaps: sampleGaps,
      points: s.points || { show: false },
      value: (u, v) => fmtNum(v),
    }))),
    bands: o.bands,
    legend: { live: true },
    cursor: {
      sync: o.syncKey ? { key: o.syncKey } : undefined,
      drag: { x: !!o.onZoom, y: false, setScale: false },
      points: { size: 6 },
      // hover shows every series at ITS nearest sample (in pixels), not only those sampled under the cursor
      hover: { prox: 1e7 },
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
  o.el.uplot = u;   // what a browser test reads: the chart's own data and paths
  u.root.setAttribute('role', 'img');
  if (o.label) u.root.setAttribute('aria-label', o.label);
  const unfit = fitWidth(u, o.el);
  const destroy = u.destroy.bind(u);
  u.destroy = () => { unfit(); if (o.el.uplot === u) o.el.uplot = null; destroy(); };
  return u;
}

/**
 * Where a series' line is cut. uPlot would cut from the x just before a null
 * to the x just after it, and in a joined x those are often another series'
 * samples: the cut then misses most of the segment. A real gap runs from this
 * series' previous sample to its next one; `undefined` (not sampled) never cuts.
 */
export function sampleGaps(u, sidx, idx0, idx1) {
  const xs = u.data[0], ys = u.data[sidx];
  const px = (i) => Math.round(u.valToPos(xs[i], 'x', true));
  const gaps = [];
  let prev = -1;
  for (let i = idx0; i <= idx1; i++) {
    const v = ys[i];
    if (v === undefined) continue;
    if (v !== null) { prev = i; continue; }
    let j = i + 1;
    while (j <= idx1 && ys[j] == null) j++;   // over further nulls and unsampled x alike
    const fr = px(prev >= 0 ? prev : i), to = px(j <= idx1 ? j : idx1);
    if (to > fr) {
      const g = gaps[gaps.length - 1];
      if (g && g[1] >= fr) g[1] = Math.max(g[1], to); else gaps.push([fr, to]);
    }
    i = j - 1;
  }
  return gaps;
}

/**
 * A log range snapped to decades around the finite positive data, whatever its
 * span (1e-46..1e3 included), and always covering `guide` (the update-ratio band).
 * uPlot hands over [Infinity, -Infinity] when no value is positive.
 */
export function logRange(guide) {
  return (u, min, max) => {
    let a = Number.isFinite(min) && min > 0 ? min : null, b = Number.isFinite(max) && max > 0 ? max : null;
    if (guide) { a = Math.min(a ?? guide[0], guide[0]); b = Math.max(b ?? guide[1], guide[1]); }
    if (a == null && b == null) { a = 0.1; b = 10; }
    a = a ?? b / 10; b = b ?? a * 10;
    const lo = Math.floor(Math.log10(a)), hi = Math.max(lo + 1, Math.ceil(Math.log10(b)));
    return [Number('1e' + lo), Number('1e' + hi)];
  };
}

/** Decade ticks, thinned to about 8 labels; 2 and 5 added when the range spans few decades. */
function logSplits(u, axisIdx, min, max) {
  const lo = Math.ceil(Math.log10(min) - 1e-9), hi = Math.floor(Math.log10(max) + 1e-9);
  const n = hi - lo + 1, stride = Math.max(1, Math.ceil(n / 8));
  const out = [];
  for (let e = lo; e <= hi; e += stride) {
    out.push(Number('1e' + e));
    if (n <= 3 && e < hi) out.push(Number('2e' + e), Number('5e' + e));
  }
  return out;
}

function emptyData(n) {
  return [[]].concat(Array.from({ length: n }, () => []));
}

/** Steps are whole numbers: tick spacing 1, 2, 5, 10, 20, 50, ... */
const STEP_INCRS = [];
for (let m = 1; m <= 1e12; m *= 10) STEP_INCRS.push(m, 2 * m, 5 * m);

export const STEP_AXIS = { name: 'step', incrs: STEP_INCRS, values: (v, legend) => legend ? String(Math.round(v)) : stepLabel(v) };

export function stepLabel(v) {
  if (v == null) return '';
  const a = Math.abs(v);
  // trailing zeros go only after a decimal point: 200k stays 200k (not "2k"), 1.50M reads 1.5M
  const short = (x) => x.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  if (a >= 1e6) return short(v / 1e6) + 'M';
  if (a >= 1e4) return short(v / 1e3) + 'k';
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
    el.title = (a.severity ? a.severity + ': ' : '') + a.text;
    el.className = 'alert-marker sev-' + (a.severity || 'warning');
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
