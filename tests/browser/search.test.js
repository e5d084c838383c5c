'use strict';
// Search on the built site, in Debian's chromium: every query of tests/search/queries.json
// through window.SiteSearch.query, and the /search/ page's behaviour.
// Run: SITE_PUBLIC=public node --test tests/browser/   (test.sh builds the real site first)
//
// Asserts, on the real content: recall@5 ≥ 0.97, recall@1 ≥ 0.90, no query without a
// result, p95 ≤ 5 ms per query after the first load (in-page performance.now), and at most
// 60 KB downloaded before the first answer (search.js + manifest + shards + page data,
// bytes as sent by tests/browser/serve.js, which does not compress: uncompressed bytes, the
// production setup writes no precompressed files). Prints the figures.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { serve } = require('./serve');
const { SITE } = require('./site');
const { launch, openContext } = require('./browser');

const QUERIES = JSON.parse(fs.readFileSync(path.join(__dirname, '../search/queries.json'), 'utf8'));
const MIN_RECALL5 = 0.97;
const MIN_RECALL1 = 0.9;
const MAX_P95_MS = 5;
const MAX_FIRST_ANSWER = 60 * 1024;
const RUNS = 5; // timed runs per query, after one untimed run that loads its files
const LIMIT = 10;

const hasIndex = fs.existsSync(path.join(SITE, 'search/manifest.json'));

let browser;
let server;
before(async () => {
  if (!hasIndex) return;
  server = await serve(SITE);
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});

// The search page, loaded, with SiteSearch ready; `sent` records every search request.
async function searchPage(context) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const sent = [];
  page.on('requestfinished', (req) => {
    const p = new URL(req.url()).pathname;
    if (/\/search\/.+|\/js\/search\.js$/.test(p)) sent.push(req.sizes().then((s) => [p, s.responseBodySize]));
  });
  await page.goto(server.url + '/search/', { waitUntil: 'load' });
  await page.waitForFunction(() => window.SiteSearch && typeof window.SiteSearch.query === 'function');
  const base = await page.$eval('script[data-base]', (s) => s.getAttribute('data-base'));
  return { page, errors, sent, base };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;

describe('search', { skip: hasIndex ? false : `no search index in ${SITE} (build the site first)` }, () => {
  it(`answers the ${QUERIES.length} queries of tests/search/queries.json well, fast and small`, async () => {
    assert.ok(QUERIES.length >= 40, 'at least 40 queries');
    const context = await openContext(browser);
    const { page, errors, sent, base } = await searchPage(context);
    const want = (q) => base + q.expect.replace(/^\//, '');

    // Warm: each query once (loads its files), then RUNS timed runs.
    const results = [];
    const times = [];
    for (const q of QUERIES) {
      const r = await page.evaluate(async ({ q, limit, runs }) => {
        await window.SiteSearch.query(q, { limit });
        const t = [];
        let res = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          res = await window.SiteSearch.query(q, { limit });
          t.push(performance.now() - t0);
        }
        return { urls: res.map((x) => new URL(x.url, location.href).pathname), titles: res.map((x) => x.title), t };
      }, { q: q.q, limit: LIMIT, runs: RUNS });
      results.push(r);
      times.push(...r.t);
    }

    // Cold: what a first query downloads. SiteSearch forgets its files; the server sends no
    // cache validators, so every file is fetched again. search.js counts once, as sent.
    const jsBytes = (await Promise.all(sent)).filter(([p]) => p.endsWith('/js/search.js')).map(([, n]) => n)[0];
    assert.ok(jsBytes > 0, 'search.js was downloaded');
    const cold = [];
    for (const q of QUERIES) {
      sent.length = 0;
      await page.evaluate(async ({ q, limit }) => {
        window.SiteSearch.configure({});
        await window.SiteSearch.query(q, { limit });
      }, { q: q.q, limit: LIMIT });
      await page.waitForTimeout(10);
      const files = await Promise.all(sent);
      cold.push({ q: q.q, bytes: jsBytes + files.reduce((a, [, n]) => a + n, 0), files: files.length + 1 });
    }
    await context.close();

    let r1 = 0;
    let r5 = 0;
    let mrr = 0;
    const empty = [];
    const misses = [];
    QUERIES.forEach((q, i) => {
      const rank = results[i].urls.indexOf(want(q)) + 1;
      if (!results[i].urls.length) empty.push(q.q);
      if (rank === 1) r1++;
      else misses.push(`${q.q} [${q.type}] → ${q.title} ${q.expect}: rank ${rank || '-'}, first ${results[i].titles[0] || 'nothing'}`);
      if (rank >= 1 && rank <= 5) r5++;
      if (rank >= 1) mrr += 1 / rank;
    });
    const n = QUERIES.length;
    times.sort((a, b) => a - b);
    cold.sort((a, b) => a.bytes - b.bytes);
    const p95 = pct(times, 0.95);
    const worst = cold[cold.length - 1];
    console.log(`search: ${n} queries  recall@1 ${(r1 / n).toFixed(3)}  recall@5 ${(r5 / n).toFixed(3)}  MRR ${(mrr / n).toFixed(3)}  without result ${empty.length}`);
    console.log(`search: latency after first load p50 ${pct(times, 0.5).toFixed(2)} ms  p95 ${p95.toFixed(2)} ms  max ${times[times.length - 1].toFixed(2)} ms`);
    console.log(`search: first answer (uncompressed, search.js ${kb(jsBytes)} included) median ${kb(cold[cold.length >> 1].bytes)}  max ${kb(worst.bytes)} (${worst.q}, ${worst.files} files)`);
    for (const m of misses) console.log(`  not first: ${m}`);

    assert.deepEqual(errors, [], 'no script errors');
    assert.deepEqual(empty, [], 'every query finds something');
    assert.ok(r5 / n >= MIN_RECALL5, `recall@5 ${(r5 / n).toFixed(3)} < ${MIN_RECALL5}`);
    assert.ok(r1 / n >= MIN_RECALL1, `recall@1 ${(r1 / n).toFixed(3)} < ${MIN_RECALL1}`);
    assert.ok(p95 <= MAX_P95_MS, `p95 ${p95.toFixed(2)} ms > ${MAX_P95_MS} ms`);
    assert.ok(worst.bytes <= MAX_FIRST_ANSWER, `first answer to "${worst.q}" downloads ${kb(worst.bytes)} > ${kb(MAX_FIRST_ANSWER)}`);
  });

  it('the /search/ page: ?q= results with <mark>, typing, keyboard, filters, Back', async () => {
    const context = await openContext(browser);
    const { page, errors } = await searchPage(context);
    const first = () => page.textContent('#search-results li h2');
    const count = () => page.$$eval('#search-results li', (l) => l.length);
    const settle = () => page.waitForTimeout(400);
    // Without a query: every page is listed (the no-JavaScript fallback stays visible).
    assert.equal(await page.$eval('#search-all', (e) => e.hidden), false);
    assert.ok((await page.$$eval('#search-all li', (l) => l.length)) > 10);

    await page.goto(server.url + '/search/?q=' + encodeURIComponent('科技馆'));
    await page.waitForSelector('#search-results li');
    assert.equal(await first(), '完善现代科技馆体系');
    assert.equal(await page.$eval('#search-all', (e) => e.hidden), true);
    assert.match(await page.innerHTML('#search-results li .search-result-excerpt'), /<mark>科技馆<\/mark>/);
    assert.match(await page.textContent('#search-status'), /找到 \d+ 个结果/);

    const before = await page.evaluate(() => history.length);
    await page.fill('#search-q', '老人');
    await settle();
    assert.equal(await first(), '老年人科学素质提升行动');
    assert.equal(new URL(page.url()).searchParams.get('q'), '老人');
    assert.equal(await page.evaluate(() => history.length), before + 1);

    await page.focus('#search-q');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), '老年人科学素质提升行动');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');

    const all = await count();
    await page.selectOption('#search-kind', 'task');
    assert.ok((await count()) < all && (await count()) > 0);
    assert.equal(new URL(page.url()).searchParams.get('kind'), 'task');
    await page.goBack();
    await settle();
    assert.equal(await page.inputValue('#search-kind'), '');
    await page.goBack();
    await settle();
    assert.equal(await page.inputValue('#search-q'), '科技馆');
    assert.equal(await first(), '完善现代科技馆体系');

    await page.fill('#search-q', 'zzzzqqq');
    await settle();
    assert.equal(await count(), 0);
    assert.match(await page.textContent('#search-status'), /没有找到/);
    assert.deepEqual(errors, []);
    assert.deepEqual(context.offsite, [], 'nothing requested from another host');
    await context.close();
  });
});
