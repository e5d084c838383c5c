'use strict';
// Every HTML file of the built site: the Nu Html Checker reports 0 errors, and the markup
// rules a `Content-Security-Policy: default-src 'self'` and the SPEC need: lang="zh-CN",
// exactly one <h1>, no inline <script>, no <style>, no style="" and no on*="" attributes.
// Run: SITE_PUBLIC=public node --test tests/browser/

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { SITE, htmlFiles } = require('./site');

const VNU = path.join(path.dirname(require.resolve('vnu-jar')), 'build', 'dist', 'vnu.jar');
const files = fs.existsSync(SITE) ? htmlFiles() : [];
const rel = (f) => '/' + path.relative(SITE, f).split(path.sep).join('/');

// Runs vnu once per batch of files; returns Map(file → [error lines]).
function nuErrors(list) {
  const errors = new Map(list.map((f) => [f, []]));
  for (let i = 0; i < list.length; i += 500) {
    const batch = list.slice(i, i + 500);
    const r = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', ...batch], {
      encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
    });
    if (r.error) throw new Error(`could not run java -jar ${VNU}: ${r.error.message}`);
    let out;
    try {
      out = JSON.parse(r.stderr || r.stdout);
    } catch {
      throw new Error(`vnu gave no JSON (exit ${r.status}): ${(r.stderr || '').slice(0, 2000)}`);
    }
    for (const m of out.messages) {
      if (m.type !== 'error' && m.subType !== 'fatal') continue;
      const file = m.url ? decodeURIComponent(new URL(m.url).pathname) : null;
      const line = `${m.lastLine || '?'}:${m.firstColumn || m.lastColumn || '?'} ${m.message}` +
        (m.extract ? ` [${m.extract.replace(/\s+/g, ' ').trim().slice(0, 120)}]` : '');
      if (file && errors.has(file)) errors.get(file).push(line);
      else errors.set(file || 'vnu', [...(errors.get(file || 'vnu') || []), line]);
    }
  }
  return errors;
}

// Markup rules checked on the source (before any script runs).
function markupProblems(html) {
  const problems = [];
  const tags = html.replace(/<!--[\s\S]*?-->/g, '');
  if (!/<html\s[^>]*lang="zh-CN"/.test(tags)) problems.push('<html> lacks lang="zh-CN"');
  const h1 = (tags.match(/<h1[\s>]/g) || []).length;
  if (h1 !== 1) problems.push(`${h1} <h1> elements, want exactly 1`);
  for (const m of tags.matchAll(/<script\b([^>]*)>/gi)) {
    if (!/\ssrc=/i.test(m[1])) problems.push(`inline script: ${m[0]}`);
  }
  if (/<style[\s>]/i.test(tags)) problems.push('<style> element');
  for (const m of tags.matchAll(/<[a-zA-Z][^>]*?\s(style|on[a-z]+)\s*=/g)) problems.push(`${m[1]}="" attribute: ${m[0].slice(0, 80)}`);
  if (/href\s*=\s*["']?\s*javascript:/i.test(tags)) problems.push('javascript: URL');
  return problems;
}

describe('every HTML file', () => {
  it(`${SITE} has HTML files`, () => assert.ok(files.length > 0, `no HTML files under ${SITE}`));

  it('markup: lang="zh-CN", one h1, no inline scripts or styles', async (t) => {
    for (const f of files) {
      await t.test(rel(f), () => assert.deepEqual(markupProblems(fs.readFileSync(f, 'utf8')), []));
    }
  });

  it('Nu Html Checker: 0 errors', { skip: files.length === 0 && 'no files' }, async (t) => {
    const errors = nuErrors(files);
    for (const [f, list] of errors) {
      await t.test(f === 'vnu' ? 'vnu' : rel(f), () => assert.deepEqual(list, []));
    }
  });
});

module.exports = { markupProblems };
