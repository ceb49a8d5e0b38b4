// Every view keeps its state in the address bar (a copied URL reopens it). Pages rewrite the hash
// in place with history.replaceState: no navigation, no hashchange, no history entry.

const pathOf = (hash) => hash.replace(/^#/, '').split('?')[0] || '/';

/**
 * Puts a page's own state into the address bar, but only while the address bar still shows that
 * page: a late update from a page the user has just left (a live push before its cleanup ran) must
 * not pull the hash back between the navigation and the router reading it.
 */
export function replaceViewUrl(hash) {
  if (location.hash === hash || pathOf(location.hash) !== pathOf(hash)) return;
  history.replaceState(null, '', hash);
}
