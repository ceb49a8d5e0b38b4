// #/admin: tokens (list, create, revoke) and the audit log, for admins (docs/auth.md).
// The server refuses these routes to anyone else; the nav link shows only for admins.

import { h, mount } from '../dom.js';
import { request } from '../api.js';
import { fmtTime } from '../format.js';
import { session } from '../session.js';

const enc = encodeURIComponent;

export function adminPage(root) {
  document.title = 'trainwatch · admin';
  const msg = h('p.page-message#admin-message');
  const tokenRows = h('tbody');
  const auditRows = h('tbody');
  const name = h('input#token-name', { placeholder: 'name, e.g. alice or ci-bot', 'aria-label': 'token name', size: 24 });
  const role = h('select#token-role', { 'aria-label': 'role' }, ['viewer', 'editor', 'admin'].map((r) => h('option', { value: r }, r)));
  const secretBox = h('div#new-token-secret', { hidden: true });
  let alive = true;

  async function loadTokens() {
    const d = await request('GET', '/api/tokens');
    mount(tokenRows, d.tokens.length ? d.tokens.map((t) => h('tr', { dataset: { name: t.name } },
      h('td', t.name), h('td', h('span.role-badge', t.role)), h('td.small', fmtTime(t.created)), h('td.small', t.created_by || ''),
      h('td.actions', h('button.danger', { type: 'button', on: { click: () => revoke(t.name) } }, 'Revoke')))) :
      h('tr', h('td', { colspan: 5 }, 'No tokens: this server is open to everyone who can reach it on loopback. Creating the first token turns on sign-in.')));
  }

  async function loadAudit() {
    const d = await request('GET', '/api/audit?limit=200');
    mount(auditRows, d.entries.map((e) => h('tr',
      h('td.small', fmtTime(e.t)), h('td', e.who), h('td', h('code', e.action)), h('td', e.target || ''),
      h('td', { class: e.status >= 400 ? 'status-bad' : null }, String(e.status)), h('td.small', e.address || ''))));
  }

  async function refresh() {
    try {
      await Promise.all([loadTokens(), loadAudit()]);
    } catch (e) {
      if (alive) msg.textContent = e.message;
    }
  }

  async function create(ev) {
    ev.preventDefault();
    msg.textContent = '';
    try {
      const t = await request('POST', '/api/tokens', { name: name.value.trim(), role: role.value });
      name.value = '';
      mount(secretBox, h('p', 'Token ', h('b', t.name), ' (' + t.role + '): copy it now, it is not shown again.'), h('div.secret#new-token-value', t.token));
      secretBox.hidden = false;
      await refresh();
    } catch (e) {
      msg.textContent = e.message;
    }
  }

  async function revoke(n) {
    if (!confirm('Revoke token "' + n + '"? Its sessions end at once.')) return;
    try {
      await request('DELETE', '/api/tokens/' + enc(n));
      await refresh();
    } catch (e) {
      msg.textContent = e.message;
    }
  }

  mount(root, h('div.admin-page#admin-page',
    h('div.title-row', h('h2', 'Admin'), h('span.small', 'signed in as ' + (session.name || 'local'))),
    msg,
    h('section#tokens-panel', h('h3', 'Tokens'),
      h('form.new-token', { on: { submit: create } }, name, role, h('button.primary#create-token', { type: 'submit' }, 'Create token')),
      secretBox,
      h('table#token-table', h('thead', h('tr', h('th', 'Name'), h('th', 'Role'), h('th', 'Created'), h('th', 'By'), h('th', ''))), tokenRows)),
    h('section#audit-panel', h('h3', 'Audit log (newest first)'),
      h('table#audit-table', h('thead', h('tr', h('th', 'Time'), h('th', 'Who'), h('th', 'Action'), h('th', 'Target'), h('th', 'Status'), h('th', 'Address'))), auditRows))));
  refresh();
  return () => { alive = false; };
}
