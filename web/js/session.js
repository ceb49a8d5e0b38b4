// Who is using the dashboard (docs/auth.md): GET /api/session at start, the login page when the
// server asks for one (a 401 anywhere), the name and a logout in the top bar. On a loopback server
// without tokens the server says auth_required: false and none of this shows.

import { h, mount } from './dom.js';
import { request, ApiError } from './api.js';

export const session = { name: null, role: null, via: null, authRequired: false };

const RANK = { viewer: 1, editor: 2, admin: 3 };

/** True when the logged-in role is at least `role` (the server checks again: this only hides buttons). */
export function can(role) {
  return (RANK[session.role] || 0) >= RANK[role];
}

export async function loadSession() {
  try {
    const s = await request('GET', '/api/session');
    Object.assign(session, { name: s.name, role: s.role, via: s.via, authRequired: !!s.auth_required });
  } catch (e) {
    // an old server without /api/session, or unreachable: behave as before (pages show their own errors)
    Object.assign(session, { name: null, role: null, via: null, authRequired: false });
  }
  showWho();
  return session;
}

/** True when the login page must be shown instead of any other. */
export function needsLogin() {
  return session.authRequired && !session.name;
}

/** The top bar: who, their role, Logout; the Admin link for admins; data-role on <body> hides write buttons (css/auth.css). */
export function showWho() {
  document.body.dataset.role = session.name || !session.authRequired ? (session.role || 'admin') : 'none';
  const bar = document.getElementById('who');
  const admin = document.querySelector('nav a[data-route="admin"]');
  if (admin) admin.hidden = !can('admin');
  if (!bar) return;
  if (!session.authRequired || !session.name) {
    mount(bar);
    return;
  }
  mount(bar, h('span#who-name', { title: 'signed in ' + (session.via === 'proxy' ? 'by your proxy' : 'with a token') }, session.name),
    h('span.role-badge#who-role', session.role),
    session.via === 'session' ? h('button#logout', { type: 'button', on: { click: logout } }, 'Log out') : null);
}

async function logout() {
  try { await request('POST', '/api/logout', {}); } catch (e) { /* the cookie is cleared either way */ }
  location.reload();
}

/** The login page: one token, once; then the page the user wanted. */
export function loginPage(root, onDone) {
  document.title = 'trainwatch · sign in';
  const input = h('input#login-token', { type: 'password', autocomplete: 'current-password', placeholder: 'tw_…', 'aria-label': 'token', size: 50 });
  const msg = h('p.form-error#login-error');
  const submit = h('button.primary#login-submit', { type: 'submit' }, 'Sign in');
  const form = h('form.login-form', { on: { submit: async (ev) => {
    ev.preventDefault();
    msg.textContent = '';
    submit.disabled = true;
    try {
      await request('POST', '/api/login', { token: input.value.trim() });
      input.value = '';
      await loadSession();
      onDone();
    } catch (e) {
      msg.textContent = e instanceof ApiError && e.status === 401 ? 'That token is not valid (unknown or revoked).'
        : e instanceof ApiError && e.status === 429 ? 'Too many failed attempts from this address: wait a minute and try again.'
        : (e.message || String(e));
      submit.disabled = false;
      input.focus();
    }
  } } },
  h('h2', 'Sign in to trainwatch'),
  h('p.small', 'Paste the token an admin gave you (', h('code', 'token create NAME --role viewer|editor|admin'), '). It is sent once; the browser keeps a session cookie, not the token.'),
  h('label', 'Token ', input), h('div.form-actions', submit), msg);
  mount(root, h('section.login-page#login-page', form));
  input.focus();
  return () => {};
}
