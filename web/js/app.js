// Hash router: #/ runs, #/run/ID?smooth=&log=&zoom=&fstep=, #/compare?ids=a,b&tag=loss, #/sweeps, #/sweep/ID?b.AXIS=T0,T1, #/ensembles, #/ensemble/ID (every view has a shareable URL).

import { runsPage } from './pages/runs.js';
import { runPage } from './pages/run.js';
import { comparePage } from './pages/compare.js';
import { sweepsPage } from './pages/sweeps.js';
import { sweepPage } from './pages/sweep.js';
import { ensemblesPage, ensemblePage } from './pages/ensembles.js';
import { adminPage } from './pages/admin.js';
import { session, loadSession, needsLogin, loginPage } from './session.js';

const root = document.getElementById('page');
let cleanup = null;

function route() {
  if (cleanup) { cleanup(); cleanup = null; }
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  document.title = 'trainwatch';
  root.replaceChildren();
  if (needsLogin()) cleanup = loginPage(root, route);
  else if (parts[0] === 'admin') cleanup = adminPage(root);
  else if (parts[0] === 'run' && parts[1]) cleanup = runPage(root, parts[1], params);
  else if (parts[0] === 'compare') cleanup = comparePage(root, params);
  else if (parts[0] === 'sweep' && parts[1]) cleanup = sweepPage(root, parts[1], params);
  else if (parts[0] === 'sweeps') cleanup = sweepsPage(root, params);
  else if (parts[0] === 'ensembles') cleanup = ensemblesPage(root);
  else if (parts[0] === 'ensemble' && parts[1]) cleanup = ensemblePage(root, parts[1]);
  else cleanup = runsPage(root, params);
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.route === ({ ensemble: 'ensembles', sweep: 'sweeps' }[parts[0]] || parts[0] || 'runs'));
}

let lastPath = null;
window.addEventListener('hashchange', () => {
  // a new query on the compare page (an edited or pasted link) is handed to the page, which redraws in place
  const path = location.hash.split('?')[0];
  if (path === lastPath && path.startsWith('#/compare') && cleanup && cleanup.follow) {
    cleanup.follow(new URLSearchParams(location.hash.split('?')[1] || ''));
    return;
  }
  lastPath = path;
  route();
});
// the server asked for a login (401): show the login page once, in place of whatever page this is
window.addEventListener('tw:login-needed', () => {
  if (document.getElementById('login-page')) return;
  session.name = null;
  session.authRequired = true;
  route();
});
lastPath = location.hash.split('?')[0];
await loadSession();
route();
