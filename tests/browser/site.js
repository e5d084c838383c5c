'use strict';
// What the browser suite knows about the built site: where it is, which pages it has,
// and which page stands for each page type.

const fs = require('node:fs');
const path = require('node:path');

const SITE = path.resolve(process.env.SITE_PUBLIC || 'public');

// Every page of the site as a URL path: each index.html ("/a/b/") plus top-level *.html ("/404.html").
function discoverPages(root = SITE) {
  const pages = [];
  const walk = (dir, url) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      if (e.isDirectory()) walk(path.join(dir, e.name), url + e.name + '/');
      else if (e.name === 'index.html') pages.push(url);
      else if (url === '/' && e.name.endsWith('.html')) pages.push('/' + e.name);
    }
  };
  walk(root, '/');
  return pages.sort();
}

// Every HTML file of the site (for the Nu Html Checker).
function htmlFiles(root = SITE) {
  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) files.push(p);
    }
  };
  walk(root);
  return files.sort();
}

function fileOf(urlPath, root = SITE) {
  return urlPath.endsWith('/') ? path.join(root, urlPath, 'index.html') : path.join(root, urlPath);
}

// The page kind a template declares on <body data-kind="..."> (see docs/theme.md), if any.
function declaredKind(urlPath, root = SITE) {
  try {
    const head = fs.readFileSync(fileOf(urlPath, root), 'utf8').slice(0, 20000);
    const m = /<body[^>]*\sdata-kind="([^"]+)"/.exec(head);
    return m ? m[1] : null;
  } catch {
    return null;
  }
}

const SPECIAL = /^\/(overview|responsibilities|targets|units|audiences|search|data)\//;

function parentOf(p) {
  return p.replace(/[^/]+\/$/, '');
}

// Picks one page per type. Fixed paths for the generated pages; for sections and tasks the
// body's data-kind when templates declare it, else the tree: a task is a leaf page whose
// parent page is not the home page, and that parent is the section.
function pickPages(pages, root = SITE) {
  const has = (p) => pages.includes(p);
  const first = (re) => pages.find((p) => re.test(p)) || null;
  const content = pages.filter((p) => p !== '/' && p.endsWith('/') && !SPECIAL.test(p));
  const kinds = new Map(content.map((p) => [p, declaredKind(p, root)]));
  const byKind = (...ks) => content.find((p) => ks.includes(kinds.get(p))) || null;
  let task = byKind('task');
  let section = byKind('action', 'project', 'section');
  if (!task) {
    task = content.find((p) => !content.some((q) => q !== p && q.startsWith(p)) && parentOf(p) !== '/' && has(parentOf(p))) || null;
  }
  if (!section && task) section = parentOf(task);
  return [
    { type: 'home', path: has('/') ? '/' : null, required: true },
    { type: 'overview', path: has('/overview/') ? '/overview/' : null },
    { type: 'responsibilities', path: has('/responsibilities/') ? '/responsibilities/' : null },
    { type: 'targets', path: has('/targets/') ? '/targets/' : null },
    { type: 'units', path: has('/units/') ? '/units/' : null },
    { type: 'unit', path: first(/^\/units\/[^/]+\/$/) },
    { type: 'audience', path: first(/^\/audiences\/[^/]+\/$/) },
    { type: 'search', path: has('/search/') ? '/search/' : null },
    { type: 'section', path: section },
    { type: 'task', path: task, required: true },
    { type: '404', path: has('/404.html') ? '/404.html' : null },
  ];
}

module.exports = { SITE, discoverPages, htmlFiles, pickPages, declaredKind, fileOf };
