// Notes, tags and exports of a run (docs/api.md "Notes, tags and export"), beside api.js's per-run calls.
import { request } from './api.js';

const run = (id) => '/api/runs/' + encodeURIComponent(id);

export const teamApi = {
  /** {id, notes: [{n, author, t, text}]} */
  notes: (id) => request('GET', run(id) + '/notes'),
  /** the note: {n, author, t, text} */
  addNote: (id, text) => request('POST', run(id) + '/notes', { text }),
  /** {id, tags: [...]} */
  tags: (id) => request('GET', run(id) + '/tags'),
  changeTags: (id, { add = [], remove = [] }) => request('POST', run(id) + '/tags', { add, remove }),
  /** A download link: every point of every tag (or one), csv or jsonl. */
  exportUrl: (id, format, tag) => run(id) + '/export?format=' + format + (tag ? '&tag=' + encodeURIComponent(tag) : ''),
};

/** The field a 4xx names, for messages such as "text: must not be empty". */
export function problemOf(e) {
  const p = e.errors && e.errors[0];
  return p && p.field ? p.field + ': ' + p.message : e.message;
}

/** Copies the page's URL (the view, as the hash holds it) and says so on the button for a moment. */
export function copyLinkButton(id = 'copy-link') {
  const btn = document.createElement('button');
  btn.id = id;
  btn.type = 'button';
  btn.title = 'copy a link that reopens this view (zoom, smoothing, axes, filters) for a teammate';
  btn.textContent = 'Copy link';
  btn.addEventListener('click', async () => {
    const url = location.href;
    window.twCopiedLink = url;   // the browser tests read what was copied here (headless clipboards need permissions)
    let ok = false;
    try { await navigator.clipboard.writeText(url); ok = true; } catch { ok = fallbackCopy(url); }
    btn.textContent = ok ? 'Link copied' : 'Copy: ' + url;
    setTimeout(() => { btn.textContent = 'Copy link'; }, 2000);
  });
  return btn;
}

function fallbackCopy(text) {
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch { ok = false; }
  ta.remove();
  return ok;
}
