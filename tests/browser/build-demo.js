'use strict';
// Assembles the demo site the suite runs against until the real templates land:
// tests/browser/fixtures/demo/ + themes/default/static/ → tests/browser/out/demo/
// (the same copy the build makes: static files go to the output root).
// Run: node tests/browser/build-demo.js && SITE_PUBLIC=tests/browser/out/demo node --test tests/browser/

const fs = require('node:fs');
const path = require('node:path');

const repo = path.join(__dirname, '..', '..');
const out = path.join(__dirname, 'out', 'demo');
fs.rmSync(out, { recursive: true, force: true });
fs.cpSync(path.join(__dirname, 'fixtures', 'demo'), out, { recursive: true });
fs.cpSync(path.join(repo, 'themes', 'default', 'static'), out, { recursive: true });
console.log(out);
