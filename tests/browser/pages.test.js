'use strict';
// Browser suite: one page of each type, at 360×740 and 1280×800, in Debian's chromium.
// Run: SITE_PUBLIC=public node --test tests/browser/
// What each page must pass is in docs/theme.md ("What the browser suite checks").

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { serve } = require('./serve');
const { SITE, discoverPages, pickPages } = require('./site');
const { launch, openContext, load, axe, overflow, screenshot, VIEWPORTS } = require('./browser');

const BUDGET = 50 * 1024; // HTML+CSS+JS per page, uncompressed, search index and images aside
const PREFS = 'site-prefs';

const siteExists = fs.existsSync(SITE) && fs.statSync(SITE).isDirectory();
const picks = siteExists ? pickPages(discoverPages()) : [];
const pathOf = (type) => (picks.find((p) => p.type === type) || {}).path || null;

let browser;
let server;
before(async () => {
  if (!siteExists) return;
  server = await serve(SITE);
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});

const url = (p) => server.url + p;

// Computed sizes that the 字号 and 长者模式 checks read.
function sizes(page) {
  return page.evaluate(() => {
    const px = (v) => parseFloat(v);
    const html = getComputedStyle(document.documentElement);
    const body = getComputedStyle(document.body);
    const p = document.querySelector('main p') || document.querySelector('main') || document.body;
    const ps = getComputedStyle(p);
    return {
      root: px(html.fontSize),
      body: px(body.fontSize),
      lineHeight: px(body.lineHeight) / px(body.fontSize),
      para: px(ps.fontSize),
      paraLineHeight: px(ps.lineHeight) / px(ps.fontSize),
    };
  });
}

// Controls and stand-alone links smaller than 48 × 48 CSS px. A link inside a sentence is
// exempt (WCAG's inline exception); a checkbox or radio is measured by its label.
function smallTargets(page) {
  return page.evaluate(() => {
    const name = (e) => `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''} "${(e.textContent || e.value || e.getAttribute('aria-label') || '').trim().slice(0, 20)}"`;
    const blockOf = (e) => {
      let p = e.parentElement;
      while (p && getComputedStyle(p).display.startsWith('inline')) p = p.parentElement;
      return p;
    };
    const text = (e) => (e.textContent || '').replace(/\s+/g, '');
    const small = [];
    for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
      const cs = getComputedStyle(el);
      let r = el.getBoundingClientRect();
      if (!r.width || !r.height || cs.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
      if (el.tagName === 'A' && cs.display === 'inline') {
        const block = blockOf(el);
        if (block && text(block).length > text(el).length) continue;
      }
      if (el.matches('input[type=checkbox], input[type=radio]') && el.labels && el.labels[0]) {
        r = el.labels[0].getBoundingClientRect();
      }
      if (r.width < 47.5 || r.height < 47.5) small.push(`${name(el)} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return small;
  });
}

function checkLoad(record, expectStatus = 200) {
  assert.equal(record.status, expectStatus, `HTTP status ${record.status}`);
  assert.deepEqual(record.failed, [], 'same-site requests that failed');
  assert.deepEqual(record.errors, [], 'script errors');
  assert.deepEqual(record.csp, [], "Content-Security-Policy default-src 'self' violations (inline script/style?)");
}

async function withPrefs(context, prefs) {
  await context.addInitScript(([key, value]) => {
    if (!sessionStorage.getItem('prefs-set')) {
      localStorage.setItem(key, value);
      sessionStorage.setItem('prefs-set', '1');
    }
  }, [PREFS, JSON.stringify(prefs)]);
}

describe('site folder', () => {
  it(`${SITE} has been built`, () => {
    assert.ok(siteExists, `no site at ${SITE}: build it, or set SITE_PUBLIC`);
  });
  it('page types found', (t) => {
    for (const p of picks) t.diagnostic(`${p.type}: ${p.path || 'none'}`);
  });
});

for (const pick of picks) {
  if (!pick.path) {
    if (pick.required) {
      it(`${pick.type}: a page of this type exists`, () => assert.fail(`no ${pick.type} page in ${SITE}`));
    } else {
      it(`${pick.type}: skipped, the site has no ${pick.type} page yet`, { skip: `no ${pick.type} page in the site yet` }, () => {});
    }
    continue;
  }
  const shot = pick.type;
  describe(`${pick.type} ${pick.path}`, () => {
    for (const vp of VIEWPORTS) {
      it(`at ${vp.name}`, async (t) => {
        const context = await openContext(browser, { viewport: vp });
        try {
          const { page, record } = await load(context, url(pick.path));
          await t.test('loads without errors, CSP violations or failed requests', () => checkLoad(record));
          await t.test('no request leaves 127.0.0.1', () => assert.deepEqual(context.offsite, []));
          await t.test(`HTML+CSS+JS ≤ ${BUDGET} bytes`, (tt) => {
            tt.diagnostic(`${record.weight} bytes: ${record.parts.join(', ')}`);
            assert.ok(record.weight <= BUDGET, `${record.weight} bytes > ${BUDGET}: ${record.parts.join(', ')}`);
          });
          await t.test('lang="zh-CN" and exactly one visible h1', async () => {
            const r = await page.evaluate(() => ({
              lang: document.documentElement.getAttribute('lang'),
              h1: [...document.querySelectorAll('h1')].map((h) => !!(h.offsetWidth || h.offsetHeight)),
            }));
            assert.equal(r.lang, 'zh-CN');
            assert.deepEqual(r.h1, [true]);
          });
          await t.test('no horizontal overflow', async () => assert.equal(await overflow(page), null));
          await t.test('axe-core WCAG 2.1 A+AA: 0 violations', async () => assert.deepEqual(await axe(page), []));
          await screenshot(page, `${shot}-${vp.name}`);
          await t.test('skip link is the first stop and moves focus to the main content', async () => {
            await page.evaluate(() => window.scrollTo(0, 0));
            await page.keyboard.press('Tab');
            const link = await page.evaluate(() => {
              const a = document.activeElement;
              const r = a.getBoundingClientRect();
              return {
                tag: a.tagName, href: a.getAttribute('href'),
                visible: r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight,
              };
            });
            assert.equal(link.tag, 'A', 'first Tab stop is not a link');
            assert.match(link.href || '', /^#./, 'first Tab stop is not an in-page link');
            assert.ok(link.visible, 'skip link not visible when focused');
            await page.keyboard.press('Enter');
            const moved = await page.evaluate((id) => {
              const target = document.getElementById(id);
              return !!target && (document.activeElement === target || target.contains(document.activeElement));
            }, link.href.slice(1));
            assert.ok(moved, `focus did not move to ${link.href}`);
          });
        } finally {
          await context.close();
        }
      });
    }

    it('长者模式 at 360x740: ≥ 18 px, line height ≥ 1.5, 48 px targets, AA contrast; with 大 no overflow', async (t) => {
      const context = await openContext(browser, { viewport: VIEWPORTS[0] });
      try {
        await withPrefs(context, { elder: true });
        const { page, record } = await load(context, url(pick.path));
        checkLoad(record);
        const s = await sizes(page);
        await t.test('base size ≥ 18 px and line height ≥ 1.5', () => {
          assert.ok(s.root >= 18 && s.body >= 18, `root ${s.root}px, body ${s.body}px`);
          assert.ok(s.lineHeight >= 1.5 && s.paraLineHeight >= 1.5, `line height ${s.lineHeight}, ${s.paraLineHeight}`);
        });
        await t.test('controls and stand-alone links ≥ 48 × 48 px', async () => assert.deepEqual(await smallTargets(page), []));
        await t.test('axe-core: 0 violations', async () => assert.deepEqual(await axe(page), []));
        await page.evaluate((key) => localStorage.setItem(key, JSON.stringify({ elder: true, font: 'large' })), PREFS);
        await page.reload({ waitUntil: 'load' });
        await t.test('with 大 too: no horizontal overflow', async () => assert.equal(await overflow(page), null));
        if (['home', 'task', 'responsibilities', 'targets'].includes(pick.type)) await screenshot(page, `${shot}-360x740-elder-large`);
      } finally {
        await context.close();
      }
    });

    it('dark colour scheme at 360x740: axe-core 0 violations, also in 长者模式', async (t) => {
      const context = await openContext(browser, { viewport: VIEWPORTS[0], colorScheme: 'dark' });
      try {
        const { page, record } = await load(context, url(pick.path));
        checkLoad(record);
        await t.test('dark', async () => assert.deepEqual(await axe(page), []));
        if (['home', 'task'].includes(pick.type)) await screenshot(page, `${shot}-360x740-dark`);
        await page.evaluate((key) => localStorage.setItem(key, JSON.stringify({ elder: true })), PREFS);
        await page.reload({ waitUntil: 'load' });
        await t.test('dark + 长者模式', async () => assert.deepEqual(await axe(page), []));
      } finally {
        await context.close();
      }
    });
  });
}

describe('字号 and 长者模式', () => {
  const home = pathOf('home');
  const task = pathOf('task');
  const skip = !(home && task) && 'needs a home page and a task page';

  // Records, when <body> is first created, what prefs.js put on <html>: proof that the saved
  // setting applies before the first paint rather than after a deferred script.
  const recordEarly = () => {
    new MutationObserver((_, obs) => {
      if (!document.body) return;
      const h = document.documentElement;
      window.__atBody = { font: h.getAttribute('data-font'), elder: h.hasAttribute('data-elder') };
      obs.disconnect();
    }).observe(document, { childList: true, subtree: true });
  };
  const pressed = (page) => page.evaluate(() => Object.fromEntries(
    [...document.querySelectorAll('[data-font-size], [data-elder-toggle]')]
      .map((b) => [b.getAttribute('data-font-size') || 'elder', b.getAttribute('aria-pressed')]),
  ));

  it('大/中/小 are real buttons that change the computed size and persist across pages', { skip }, async () => {
    const context = await openContext(browser, { viewport: VIEWPORTS[1] });
    try {
      await context.addInitScript(recordEarly);
      const { page, record } = await load(context, url(home));
      checkLoad(record);
      const large = page.locator('button[data-font-size="large"]').first();
      const medium = page.locator('button[data-font-size="medium"]').first();
      const small = page.locator('button[data-font-size="small"]').first();
      for (const b of [large, medium, small]) assert.ok(await b.isVisible(), '字号 button not visible');
      assert.equal(await large.textContent(), '大');
      assert.equal(await medium.textContent(), '中');
      assert.equal(await small.textContent(), '小');
      const m = await sizes(page);
      assert.deepEqual(await pressed(page), { large: 'false', medium: 'true', small: 'false', elder: 'false' });

      await large.click();
      const l = await sizes(page);
      assert.ok(l.root > m.root && l.para > m.para, `大 ${l.root}/${l.para}px not above 中 ${m.root}/${m.para}px`);
      assert.ok(l.root >= 18, `大 is ${l.root}px, should reach 18px`);
      assert.deepEqual(await pressed(page), { large: 'true', medium: 'false', small: 'false', elder: 'false' });

      await small.click();
      const s = await sizes(page);
      assert.ok(s.root < m.root && s.para < m.para, `小 ${s.root}px not below 中 ${m.root}px`);
      await medium.click();
      assert.equal((await sizes(page)).root, m.root, '中 does not return to the default');

      await large.click();
      await page.goto(url(task), { waitUntil: 'load' });
      assert.deepEqual(await page.evaluate(() => window.__atBody), { font: 'large', elder: false }, 'not applied before <body>');
      assert.equal((await sizes(page)).root, l.root, '大 not kept on the next page');
      assert.equal((await pressed(page)).large, 'true');

      // Keyboard use: the buttons work with Enter.
      await page.focus('button[data-font-size="medium"]');
      await page.keyboard.press('Enter');
      assert.equal((await sizes(page)).root, m.root, 'Enter on 中 did not work');

      await page.evaluate((key) => localStorage.setItem(key, '{broken'), PREFS);
      await page.reload({ waitUntil: 'load' });
      assert.equal((await sizes(page)).root, m.root, 'corrupt storage should fall back to 中');
      assert.deepEqual(record.errors, []);
    } finally {
      await context.close();
    }
  });

  it('长者模式 toggles, raises the base size to ≥ 18 px and persists across pages', { skip }, async () => {
    const context = await openContext(browser, { viewport: VIEWPORTS[0] });
    try {
      await context.addInitScript(recordEarly);
      const { page } = await load(context, url(home));
      const m = await sizes(page);
      const toggle = page.locator('button[data-elder-toggle]').first();
      assert.ok(await toggle.isVisible(), '长者模式 button not visible');
      await toggle.click();
      const e = await sizes(page);
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      assert.ok(e.root >= 18 && e.body >= 18 && e.root > m.root, `长者模式 base ${e.root}px`);
      assert.ok(e.lineHeight >= 1.5, `line height ${e.lineHeight}`);
      await page.goto(url(task), { waitUntil: 'load' });
      assert.deepEqual(await page.evaluate(() => window.__atBody), { font: null, elder: true }, 'not applied before <body>');
      assert.ok((await sizes(page)).root >= 18);
      await page.locator('button[data-elder-toggle]').first().click();
      assert.equal((await sizes(page)).root, m.root, 'turning 长者模式 off does not restore the size');
      assert.equal(await page.locator('button[data-elder-toggle]').first().getAttribute('aria-pressed'), 'false');
    } finally {
      await context.close();
    }
  });
});

describe('progressive, print and motion', () => {
  const home = pathOf('home');
  const task = pathOf('task');

  for (const p of [home, task].filter(Boolean)) {
    it(`readable without JavaScript: ${p}`, async () => {
      const context = await openContext(browser, { viewport: VIEWPORTS[0], javaScriptEnabled: false });
      try {
        const { page, record } = await load(context, url(p));
        checkLoad(record);
        assert.ok(await page.locator('h1').isVisible(), 'h1 not visible');
        assert.ok(await page.locator('main').isVisible(), 'main not visible');
        assert.equal(await overflow(page), null);
        const deadButtons = await page.locator('[data-font-size], [data-elder-toggle]').evaluateAll(
          (els) => els.filter((e) => e.getClientRects().length > 0).length,
        );
        assert.equal(deadButtons, 0, '字号/长者模式 buttons shown although they cannot work without JS');
        const search = page.locator('form[role="search"], search form').first();
        assert.equal(await search.getAttribute('action'), '/search/', 'header search form must GET /search/');
      } finally {
        await context.close();
      }
    });
  }

  it('a missing URL gets the 404 page with status 404', { skip: !pathOf('404') && 'no /404.html yet' }, async () => {
    const context = await openContext(browser, { viewport: VIEWPORTS[0] });
    try {
      const { page, record } = await load(context, url('/no/such/page/'));
      assert.equal(record.status, 404);
      assert.equal(await page.locator('h1').count(), 1);
      assert.deepEqual(record.failed, [], 'the 404 page must use root-relative asset paths');
    } finally {
      await context.close();
    }
  });

  it('print: no navigation, link targets printed', { skip: !task && 'no task page' }, async () => {
    const context = await openContext(browser, { viewport: VIEWPORTS[1] });
    try {
      const { page } = await load(context, url(task));
      await page.emulateMedia({ media: 'print' });
      const r = await page.evaluate(() => {
        const shown = (sel) => [...document.querySelectorAll(sel)].some((e) => e.getClientRects().length > 0);
        const a = document.querySelector('main a[href]:not([href^="#"])');
        return {
          nav: shown('.site-nav, .breadcrumb, .site-search, .a11y-tools, .skip-link'),
          href: a && a.getAttribute('href'),
          after: a && getComputedStyle(a, '::after').content,
        };
      });
      assert.equal(r.nav, false, 'navigation is printed');
      assert.ok(r.href, 'task page has no link in main to check');
      assert.ok(r.after.includes(r.href), `link target not printed: ::after is ${r.after}`);
      await screenshot(page, 'task-print');
      await page.pdf({ path: require('node:path').join(__dirname, 'out', 'task.pdf'), format: 'A4' });
    } finally {
      await context.close();
    }
  });

  it('prefers-reduced-motion: nothing animates or scrolls smoothly', { skip: !home && 'no home page' }, async () => {
    const context = await openContext(browser, { viewport: VIEWPORTS[0], reducedMotion: 'reduce' });
    try {
      const { page } = await load(context, url(home));
      await page.focus('main a[href], main button, a[href]');
      const r = await page.evaluate(() => ({
        animations: document.getAnimations().length,
        scroll: getComputedStyle(document.documentElement).scrollBehavior,
      }));
      assert.deepEqual(r, { animations: 0, scroll: 'auto' });
    } finally {
      await context.close();
    }
  });
});
