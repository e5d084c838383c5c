'use strict';
// Browser helpers for the suite: Debian's chromium driven by playwright-core, every request
// outside 127.0.0.1 blocked and recorded, axe-core injected from node_modules.

const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const VIEWPORTS = [
  { name: '360x740', width: 360, height: 740 },
  { name: '1280x800', width: 1280, height: 800 },
];
const SCREENSHOTS = path.join(__dirname, 'out', 'screenshots');

function launch() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium`);
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

// A fresh context whose requests may only go to the test server. `offsite` collects
// every URL that tried to leave; those requests are aborted.
async function openContext(browser, options = {}) {
  const context = await browser.newContext({ serviceWorkers: 'block', ...options });
  context.offsite = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1') {
      return route.continue();
    }
    context.offsite.push(url.href);
    return route.abort('blockedbyclient');
  });
  return context;
}

// Opens url in a new page and records what the page did while loading:
// bytes of HTML+CSS+JS, failed same-site requests, script errors, CSP violations.
async function load(context, url) {
  const page = await context.newPage();
  const record = { weight: 0, parts: [], failed: [], errors: [], csp: [] };
  const bodies = [];
  page.on('response', (res) => {
    const type = res.request().resourceType();
    if (res.status() >= 400 && res.url() !== url) record.failed.push(`${res.status()} ${res.url()}`);
    if (['document', 'stylesheet', 'script'].includes(type) && res.status() < 300) {
      bodies.push(res.body().then((b) => {
        record.weight += b.length;
        record.parts.push(`${type} ${new URL(res.url()).pathname} ${b.length}`);
      }, () => {}));
    }
  });
  page.on('requestfailed', (req) => {
    if (new URL(req.url()).hostname === '127.0.0.1') record.failed.push(`failed ${req.url()}`);
  });
  page.on('pageerror', (err) => record.errors.push(String(err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) record.csp.push(msg.text());
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  await Promise.all(bodies);
  record.parts.sort();
  record.status = response ? response.status() : 0;
  return { page, record };
}

// Runs axe-core (WCAG 2.1 A and AA) and returns its violations, one line each.
async function axe(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    AXE_TAGS,
  );
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}; ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}` +
      (v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : '') +
      (v.nodes[0] && v.nodes[0].failureSummary ? ` [${v.nodes[0].failureSummary.replace(/\s+/g, ' ')}]` : ''),
  );
}

async function overflow(page) {
  return page.evaluate(() => {
    const se = document.scrollingElement;
    if (se.scrollWidth <= window.innerWidth) return null;
    // Name the widest culprits to make the failure actionable.
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .filter((e) => !e.closest('.table-scroll') || e.matches('.table-scroll'))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''} right=${Math.round(e.getBoundingClientRect().right)}`);
    return `scrollWidth ${se.scrollWidth} > innerWidth ${window.innerWidth}: ${wide.join('; ')}`;
  });
}

async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

module.exports = { launch, openContext, load, axe, overflow, screenshot, VIEWPORTS, SCREENSHOTS };
