// Search benchmark in headless Chromium: our SiteSearch against Pagefind, side by side.
//
//   node tests/browser/search-bench.mjs SITE_DIR [--js /js/search.js] [--runs 5] [--json OUT]
//                                       [--bytes-only]   (a site without the seed pages)
//
// SITE_DIR is a built site (HTML pages with lang="zh-CN", search/ index, search.js).
// Pagefind (npm `pagefind`) indexes the same HTML pages into SITE_DIR/pagefind/.
// A small static server on 127.0.0.1 serves the site and gzips text types (html, js, json,
// css) as ordinary hosts do; binary files are sent as they are. For each engine it reports,
// over tests/search/queries.json (expected page by URL path as published):
//   recall@1, recall@5, MRR, queries without results,
//   p95 latency per query after first load (in-page performance.now, 5 runs per query),
//   bytes transferred before the first answer (cold cache, everything but the HTML page,
//   including requests made by workers: encoded body + response headers), median and max.
// Our engine's top-10 URLs are also compared with tests/search/eval.mjs's Node run of the
// same script ("agree"), so the two harnesses cannot drift apart silently.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const site = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
if (!site) { console.error('usage: search-bench.mjs SITE_DIR [--js /js/search.js] [--runs 5] [--json OUT]'); process.exit(2); }
const jsUrl = opt('--js', '/js/search.js');
const runs = Number(opt('--runs', 5));
const queries = JSON.parse(fs.readFileSync(path.join(here, '../search/queries.json'), 'utf8'));

// ---- expected URLs
const known = new Set();
for (const f of fs.readdirSync(path.join(site, 'search/m'))) {
  for (const m of JSON.parse(fs.readFileSync(path.join(site, 'search/m', f), 'utf8'))) known.add(m.u);
}
const bytesOnly = args.includes('--bytes-only'); // any site: downloads and latency only
for (const q of queries) {
  q.want = known.has(q.expect) ? q.expect : '';
  if (!q.want && !bytesOnly) { console.error(`no page at ${q.expect} in the index`); process.exit(1); }
}
const normUrl = (u) => { u = new URL(u, 'http://x').pathname.replace(/index\.html$/, ''); return u.endsWith('/') ? u : u + '/'; };

// ---- Pagefind index of the same pages
const pagefind = await import('pagefind');
const { index } = await pagefind.createIndex({ forceLanguage: 'zh-cn' });
const added = await index.addDirectory({ path: site });
await index.writeFiles({ outputPath: path.join(site, 'pagefind') });
await pagefind.close();

// ---- static server
const BENCH = {
  '/__bench/ours.html': `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>bench</title></head><body><script src="${jsUrl}" data-base="/"></script></body></html>`,
  '/__bench/pagefind.html': `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>bench</title></head><body><script src="/__bench/pagefind-run.js"></script></body></html>`,
  '/__bench/pagefind-run.js': `window.pfQuery = async function (q, limit) {
    const pf = await import('/pagefind/pagefind.js');
    const s = await pf.search(q);
    const data = await Promise.all(s.results.slice(0, limit).map((r) => r.data()));
    return data.map((d) => ({ url: d.url, title: d.meta.title, excerpt: d.excerpt }));
  };`,
};
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.json': 'application/json', '.css': 'text/css', '.wasm': 'application/wasm' };
const server = http.createServer((req, res) => {
  const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let body = BENCH[p];
  let ext = path.extname(p);
  if (body == null) {
    let file = path.join(site, p);
    if (!file.startsWith(path.resolve(site))) { res.writeHead(403); return res.end(); }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) { file = path.join(file, 'index.html'); ext = '.html'; }
    if (!fs.existsSync(file)) { res.writeHead(404); return res.end(); }
    body = fs.readFileSync(file);
  }
  const type = TYPES[ext] || 'application/octet-stream';
  const headers = { 'content-type': type, 'cache-control': 'max-age=3600' };
  if (/gzip/.test(req.headers['accept-encoding'] || '') && /text|json|javascript/.test(type)) {
    body = zlib.gzipSync(body, { level: 6 });
    headers['content-encoding'] = 'gzip';
  }
  res.writeHead(200, headers);
  res.end(body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const engines = {
  ours: { page: '/__bench/ours.html' },
  pagefind: { page: '/__bench/pagefind.html' },
};
// In-page: run query q n times (timing each), return the last results and the times.
const inPage = async ({ engine, q, n }) => {
  const run = engine === 'ours' ? () => window.SiteSearch.query(q, { limit: 10 }) : () => window.pfQuery(q, 10);
  const times = [];
  let res = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    res = await run();
    times.push(performance.now() - t0);
  }
  return { res, times };
};

async function cold(engine, q) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const pending = [];
  const seen = [];
  // Playwright reports requests of the page and of its workers (Pagefind searches in one).
  ctx.on('requestfinished', (req) => {
    if (/\/__bench\/[a-z]+\.html$/.test(req.url())) return; // the page itself
    pending.push(req.sizes().then((s) => { seen.push([req.url(), s.responseBodySize + s.responseHeadersSize]); }));
  });
  await page.goto(origin + engines[engine].page);
  await page.evaluate(inPage, { engine, q, n: 1 });
  await page.waitForTimeout(50);
  await Promise.all(pending);
  await ctx.close();
  return { bytes: seen.reduce((a, x) => a + x[1], 0), files: seen.length, seen };
}

async function warm(engine) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(origin + engines[engine].page);
  const out = [];
  for (const q of queries) {
    await page.evaluate(inPage, { engine, q: q.q, n: 1 }); // first load of its files
    const { res, times } = await page.evaluate(inPage, { engine, q: q.q, n: runs });
    out.push({ q: q.q, urls: res.map((r) => normUrl(r.url)), titles: res.map((r) => r.title), times });
  }
  await ctx.close();
  return out;
}

function summarize(engine, results, colds) {
  let r1 = 0, r5 = 0, mrr = 0, empty = 0;
  const misses = [];
  results.forEach((r, i) => {
    const rank = queries[i].want ? r.urls.indexOf(normUrl(queries[i].want)) + 1 : 0;
    if (!r.urls.length) empty++;
    if (rank === 1) r1++; else misses.push(`${queries[i].q} → ${queries[i].title} (rank ${rank || '-'}; got ${r.titles[0] || 'nothing'})`);
    if (rank >= 1 && rank <= 5) r5++;
    if (rank >= 1) mrr += 1 / rank;
  });
  const times = results.flatMap((r) => r.times).sort((a, b) => a - b);
  const p95 = times[Math.ceil(0.95 * times.length) - 1];
  const b = colds.map((c) => c.bytes).sort((x, y) => x - y);
  const n = queries.length;
  return { engine, queries: n, recall1: r1 / n, recall5: r5 / n, mrr: mrr / n, empty, p95_ms: p95,
    first_answer_bytes_median: b[b.length >> 1], first_answer_bytes_max: b[b.length - 1], misses };
}

const report = {};
for (const engine of Object.keys(engines)) {
  const results = await warm(engine);
  const colds = [];
  for (const q of queries) colds.push(await cold(engine, q.q));
  report[engine] = summarize(engine, results, colds);
  report[engine].results = results;
}
await browser.close();
server.close();

// ---- agreement of the browser run with the Node run of the same script
const { execFileSync } = await import('node:child_process');
let agree = null;
try {
  const nodeRun = JSON.parse(execFileSync('node', [path.join(here, '../search/eval.mjs'), site, '--js', path.join(site, jsUrl), '--dump', ...(bytesOnly ? ['--bytes-only'] : [])], { encoding: 'utf8', maxBuffer: 1 << 24 }).split('\n').filter((l) => l.startsWith('DUMP '))[0].slice(5));
  agree = report.ours.results.filter((r, i) => JSON.stringify(r.urls) === JSON.stringify(nodeRun[i].map(normUrl))).length;
} catch (e) { agree = `not checked (${e.message.split('\n')[0]})`; }

const kb = (b) => (b / 1024).toFixed(1) + ' KB';
const row = (label, f) => `${label.padEnd(34)}${f(report.ours).padStart(12)}${f(report.pagefind).padStart(12)}`;
console.log(`site ${site}: ${added.page_count} pages indexed by Pagefind, ${queries.length} queries`);
console.log(row('', (r) => r.engine));
console.log(row('recall@1', (r) => r.recall1.toFixed(3)));
console.log(row('recall@5', (r) => r.recall5.toFixed(3)));
console.log(row('MRR', (r) => r.mrr.toFixed(3)));
console.log(row('queries without results', (r) => String(r.empty)));
console.log(row('p95 latency after first load', (r) => r.p95_ms.toFixed(2) + ' ms'));
console.log(row('first answer, median transferred', (r) => kb(r.first_answer_bytes_median)));
console.log(row('first answer, max transferred', (r) => kb(r.first_answer_bytes_max)));
console.log(`ours: browser and Node agree on top-10 URLs for ${agree} of ${queries.length} queries`);
if (!bytesOnly) for (const e of ['ours', 'pagefind']) for (const m of report[e].misses) console.log(`  ${e} miss: ${m}`);
const jsonOut = opt('--json', null);
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ ours: { ...report.ours, results: undefined }, pagefind: { ...report.pagefind, results: undefined }, agree }, null, 1));
