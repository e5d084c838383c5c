// Behaviour of the /search/ page in headless Chromium: results for ?q=, typing, keyboard,
// filters, history (Back returns to the previous query and filter), no script errors.
//
//   node tests/browser/search-page.mjs SITE_DIR
//
// SITE_DIR is a built site whose /search/ page is the theme's search.html and whose
// content is the seed plan (queries below name its pages). Exits 1 on the first failure.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';

const site = process.argv[2];
if (!site) { console.error('usage: search-page.mjs SITE_DIR'); process.exit(2); }
const server = http.createServer((req, res) => {
  let file = path.join(site, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
  if (!file.startsWith(path.resolve(site)) || !fs.existsSync(file)) { res.writeHead(404); return res.end(); }
  const type = file.endsWith('.html') ? 'text/html; charset=utf-8' : file.endsWith('.js') ? 'text/javascript' : file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
  res.writeHead(200, { 'content-type': type, 'content-security-policy': "default-src 'self'" });
  res.end(fs.readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
page.on('console', (m) => { if (m.type() === 'error' && !/favicon|404/.test(m.text())) errors.push(m.text()); });
const first = () => page.textContent('#search-results li h2');
const count = () => page.$$eval('#search-results li', (l) => l.length);
const settle = () => page.waitForTimeout(500);

try {
  // without a query: the full page list is shown
  await page.goto(origin + '/search/');
  assert.equal(await page.$eval('#search-all', (e) => e.hidden), false);
  assert.ok((await page.$$eval('#search-all li', (l) => l.length)) > 10);

  // ?q= runs the query; the list of all pages steps aside; excerpt has <mark>
  await page.goto(origin + '/search/?q=' + encodeURIComponent('科技馆'));
  await page.waitForSelector('#search-results li');
  assert.equal(await first(), '完善现代科技馆体系');
  assert.equal(await page.$eval('#search-all', (e) => e.hidden), true);
  assert.match(await page.innerHTML('#search-results li .search-result-excerpt'), /<mark>科技馆<\/mark>/);
  assert.match(await page.textContent('#search-status'), /找到 \d+ 个结果/);

  // typing a new query updates results and the URL (a new history entry)
  const before = await page.evaluate(() => history.length);
  await page.fill('#search-q', '老人');
  await settle();
  assert.equal(await first(), '老年人科学素质提升行动');
  assert.equal(new URL(page.url()).searchParams.get('q'), '老人');
  assert.equal(await page.evaluate(() => history.length), before + 1);

  // keyboard: ArrowDown from the box focuses the first result, ArrowUp goes back, "/" focuses the box
  await page.focus('#search-q');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), '老年人科学素质提升行动');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');
  await page.focus('#search-results a');
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');

  // filters narrow the results and go into the URL
  const all = await count();
  await page.selectOption('#search-kind', 'task');
  assert.ok((await count()) < all);
  assert.equal(new URL(page.url()).searchParams.get('kind'), 'task');
  assert.ok(await page.$$eval('#search-results li', (l) => l.length > 0));

  // Back: first the filter goes, then the previous query comes back
  await page.goBack();
  await settle();
  assert.equal(await page.inputValue('#search-kind'), '');
  assert.equal(await count(), all);
  await page.goBack();
  await settle();
  assert.equal(await page.inputValue('#search-q'), '科技馆');
  assert.equal(await first(), '完善现代科技馆体系');

  // a query with no match says so
  await page.fill('#search-q', 'zzzzqqq');
  await settle();
  assert.equal(await count(), 0);
  assert.match(await page.textContent('#search-status'), /没有找到/);

  assert.deepEqual(errors, []);
  console.log('search page: all checks passed');
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
} finally {
  await browser.close();
  server.close();
}
