'use strict';
// The 责任清单 filter in a real browser: choosing a unit shows exactly the tasks that name it
// (as lead or responsible unit, or through 各成员单位) and only its column; the choice is
// kept in the address. Expected rows come from the site's own open data (/data/tasks.json).
// Run: SITE_PUBLIC=public node --test tests/browser/

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { serve } = require('./serve');
const { SITE } = require('./site');
const { launch, openContext } = require('./browser');

const matrixFile = path.join(SITE, 'responsibilities', 'index.html');
const present = fs.existsSync(matrixFile);

let browser;
let server;
before(async () => {
  if (!present) return;
  server = await serve(SITE);
  browser = await launch();
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
});

// The tasks of the open data that concern a unit, by title.
function expectedTitles(unitName) {
  const data = JSON.parse(fs.readFileSync(path.join(SITE, 'data', 'tasks.json'), 'utf8'));
  return data.tasks
    .filter((t) => t.lead_units.includes(unitName) || t.units.includes(unitName) ||
      (t.placeholders || []).length > 0)
    .map((t) => t.title)
    .sort();
}

describe('责任清单 filter', { skip: present ? false : 'no /responsibilities/ page' }, () => {
  it('shows only the chosen unit\'s tasks and column, and keeps it in the address', async () => {
    const context = await openContext(browser, { viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(server.url + '/responsibilities/');
    const select = page.locator('#unit-filter');
    await select.waitFor();
    const all = await page.locator('table.matrix tbody tr').count();

    // A unit that leads tasks: 市教育体育局.
    const option = await page.locator('#unit-filter option', { hasText: '教体局' }).first();
    const slug = await option.getAttribute('value');
    await select.selectOption(slug);
    const shown = await page.evaluate(() => Array.from(document.querySelectorAll('table.matrix tbody tr'))
      .filter((tr) => tr.offsetParent !== null)
      .map((tr) => tr.querySelector('th a').textContent.replace(/^\S+\s/, ''))
      .sort());
    assert.deepEqual(shown, expectedTitles('市教育体育局'));
    assert.ok(shown.length > 0 && shown.length < all, `${shown.length} of ${all} rows shown`);

    // Only the task column and the unit's column are visible in each shown table.
    const widths = await page.evaluate(() => Array.from(document.querySelectorAll('table.matrix'))
      .filter((t) => t.offsetParent !== null)
      .map((t) => Array.from(t.querySelectorAll('thead th')).filter((th) => th.offsetParent !== null).length));
    assert.ok(widths.length > 0);
    for (const w of widths) assert.ok(w <= 2, `visible header cells: ${w}`);
    assert.equal(new URL(page.url()).searchParams.get('unit'), slug);
    assert.match(await page.locator('.filter-status').textContent(), /共\d+项任务/);

    // Back to every unit.
    await select.selectOption('');
    assert.equal(await page.evaluate(() => Array.from(document.querySelectorAll('table.matrix tbody tr'))
      .filter((tr) => tr.offsetParent !== null).length), all);
    await context.close();
  });
});
