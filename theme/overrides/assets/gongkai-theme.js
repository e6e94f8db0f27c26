/* The storage helpers that mkdocs-material 9.8.1 writes inline at the top of every page
 * (partials/javascripts/base.html), here as a file: the Content-Security-Policy allows scripts from
 * the site only. __md_scope is the site's root, given by the script element. */
__md_scope = new URL(document.currentScript.getAttribute("data-md-scope") || ".", location),
__md_hash = e => [...e].reduce(((e, _) => (e << 5) - e + _.charCodeAt(0)), 0),
__md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e)),
__md_set = (e, _, t = localStorage, a = __md_scope) => { try { t.setItem(a.pathname + "." + e, JSON.stringify(_)) } catch (e) {} };
