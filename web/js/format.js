// Number and time formatting shared by the pages.

export function fmtNum(v, digits = 4) {
  if (v == null) return '–';
  if (typeof v === 'string') return v;            // "NaN", "Infinity" from the server
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(2).replace(/\.?0+e/, 'e');
  return Number(v.toPrecision(digits)).toString();
}

export function fmtPct(v) {
  if (v == null) return '–';
  const n = Number(v);
  return Number.isFinite(n) ? (n * 100).toFixed(1) + '%' : String(v);
}

export function fmtInt(v) {
  return v == null ? '–' : Math.round(v).toLocaleString('en-US');
}

export function fmtDuration(sec) {
  if (sec == null || !Number.isFinite(sec) || sec < 0) return '–';
  if (sec < 60) return Math.round(sec) + 's';
  if (sec < 3600) return Math.floor(sec / 60) + 'm ' + Math.round(sec % 60) + 's';
  if (sec < 86400) return Math.floor(sec / 3600) + 'h ' + Math.round((sec % 3600) / 60) + 'm';
  return Math.floor(sec / 86400) + 'd ' + Math.round((sec % 86400) / 3600) + 'h';
}

export function fmtTime(ms) {
  if (ms == null) return '–';
  const d = new Date(typeof ms === 'number' ? ms : Date.parse(ms));
  return isNaN(d) ? String(ms) : d.toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'short' });
}

/** Wire value -> number: null stays null, "NaN"/"Infinity"/"-Infinity" become the numbers. */
export function num(v) {
  if (v == null) return null;
  return typeof v === 'number' ? v : Number(v);
}

export const FINAL = new Set(['finished', 'pruned', 'failed', 'diverged', 'stopped', 'interrupted']);
