// Runs the query set through search.js in Node (no browser) against a built site.
//
//   node tests/search/eval.mjs SITE_DIR [--verbose] [--min-recall1 X] [--min-recall5 X]
//
// SITE_DIR holds search/ (the index) and js/search.js, or pass --js PATH. Expected pages
// are named by URL path in tests/search/queries.json (`expect`, as published on the real
// site, `title` for the reader); a site published under a sub-path is matched by the end
// of the URL.
// --bytes-only measures downloads and latency on any site (e.g. the gen_corpus one).
// Exits 1 when a --min-* threshold is not met or a query has no result.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const site = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--') && args[i - 1] !== '--verbose' && args[i - 1] !== '--dump' && args[i - 1] !== '--bytes-only'));
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
if (!site) { console.error('usage: eval.mjs SITE_DIR [--verbose] [--js PATH] [--min-recall1 X] [--min-recall5 X]'); process.exit(2); }
const jsPath = opt('--js', fs.existsSync(path.join(site, 'js/search.js')) ? path.join(site, 'js/search.js') : path.join(here, '../../themes/default/static/js/search.js'));

export function loadSearch(siteDir, js, counter = { bytes: 0, gzip: 0, files: 0 }) {
  const ctx = { TextEncoder, TextDecoder, console, Promise, Map, Set, Math, URLSearchParams };
  ctx.globalThis = ctx;
  vm.createContext(ctx);
  vm.runInContext(fs.readFileSync(js, 'utf8'), ctx, { filename: js });
  ctx.SiteSearch.configure({
    base: '/',
    fetch: async (url) => {
      const file = path.join(siteDir, url.replace(/\?.*$/, ''));
      const bytes = fs.readFileSync(file);
      counter.bytes += bytes.length;
      // What a host serving the precompressed copies sends (the file itself when it has none).
      counter.gzip += fs.existsSync(file + '.gz') ? fs.statSync(file + '.gz').size : bytes.length;
      counter.files += 1;
      return { ok: true, status: 200, json: async () => JSON.parse(bytes.toString('utf8')), arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) };
    },
  });
  return ctx.SiteSearch;
}

export function titleIndex(siteDir) {
  const dir = path.join(siteDir, 'search/m');
  const byTitle = new Map();
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.json')) continue; // precompressed copies
    for (const m of JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) {
      if (!byTitle.has(m.t)) byTitle.set(m.t, m.u);
    }
  }
  return byTitle;
}

const queries = JSON.parse(fs.readFileSync(path.join(here, 'queries.json'), 'utf8'));
const SiteSearch = loadSearch(site, jsPath);
const byTitle = titleIndex(site);
let r1 = 0, r5 = 0, mrr = 0, empty = 0;
const times = [];
const lines = [];
const dump = [];
const known = new Set(byTitle.values());
for (const { q, expect, type } of queries) {
  const want = expect;
  if (!known.has(want) && !args.includes('--bytes-only')) { console.error(`no page at ${expect} in the index (query ${q})`); process.exit(1); }
  await SiteSearch.query(q, { limit: 10 }); // warm the file cache: time the ranking only
  const t0 = process.hrtime.bigint();
  const res = await SiteSearch.query(q, { limit: 10 });
  times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  dump.push(res.map((r) => r.url));
  const rank = res.findIndex((r) => r.url === want) + 1;
  if (!res.length) empty++;
  if (rank === 1) r1++;
  if (rank >= 1 && rank <= 5) r5++;
  if (rank >= 1) mrr += 1 / rank;
  if (rank !== 1 || args.includes('--verbose')) {
    lines.push(`${rank === 1 ? 'ok ' : 'MISS'} [${type}] ${q} → want ${expect} (rank ${rank || '-'}); got ${res.slice(0, 3).map((r) => r.title).join(' | ')}`);
    if (args.includes('--verbose') && res[0]) lines.push(`     ${res[0].excerpt}`);
  }
}
// Cold start: bytes a first query downloads (raw, uncompressed), search.js included.
const jsBytes = fs.statSync(jsPath).size;
const jsGzip = fs.existsSync(jsPath + '.gz') ? fs.statSync(jsPath + '.gz').size : jsBytes;
const cold = [];
for (const { q } of queries) {
  const counter = { bytes: 0, gzip: 0, files: 0 };
  const fresh = loadSearch(site, jsPath, counter);
  await fresh.query(q, { limit: 10 });
  cold.push([jsBytes + counter.bytes, counter.files + 1, q, jsGzip + counter.gzip]);
}
const kb = (b) => (b / 1024).toFixed(1) + ' KB';
const report = (i, what) => {
  cold.sort((a, b) => a[i] - b[i]);
  const worst = cold[cold.length - 1];
  console.log(`first-query download (${what}, JS included): median ${kb(cold[cold.length >> 1][i])}, max ${kb(worst[i])} (${worst[2]}, ${worst[1]} files)`);
};
report(3, `gzip copies where written, JS ${kb(jsGzip)}`);
report(0, `raw, JS ${kb(jsBytes)}`);
times.sort((a, b) => a - b);
if (args.includes('--dump')) console.log('DUMP ' + JSON.stringify(dump));
const n = queries.length;
const p95 = times[Math.min(n - 1, Math.ceil(0.95 * n) - 1)];
console.log(lines.join('\n'));
console.log(`queries ${n}  recall@1 ${(r1 / n).toFixed(3)}  recall@5 ${(r5 / n).toFixed(3)}  MRR ${(mrr / n).toFixed(3)}  empty ${empty}  p95 ${p95.toFixed(2)} ms (node, warm)`);
const min1 = Number(opt('--min-recall1', 0)), min5 = Number(opt('--min-recall5', 0));
if (args.includes('--bytes-only')) process.exit(0);
if (r1 / n < min1 || r5 / n < min5 || empty > 0) process.exit(1);
