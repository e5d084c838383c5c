'use strict';
// A tiny static file server for the browser suite (no dependency).
// Serves one folder on 127.0.0.1: index.html for folders (with a redirect from
// /dir to /dir/), 404.html with status 404 for misses, correct content types, and
// the `Content-Security-Policy: default-src 'self'` header the theme must work under.
//
// As a module: `const { serve } = require('./serve'); const s = await serve(dir); s.url; await s.close();`
// From the shell: `node tests/browser/serve.js public [port]`

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.pdf': 'application/pdf',
};

const CSP = "default-src 'self'";

function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

// Resolves a URL path to a file inside root, or null. Never leaves root.
function resolve(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.join(root, path.normalize(decoded));
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

function send(res, status, file, method, extraHeaders = {}) {
  fs.readFile(file, (err, body) => {
    if (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('read error');
      return;
    }
    res.writeHead(status, {
      'Content-Type': contentType(file),
      'Content-Length': body.length,
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
      ...extraHeaders,
    });
    res.end(method === 'HEAD' ? undefined : body);
  });
}

function handler(root) {
  return (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    const notFound = () => {
      const page = path.join(root, '404.html');
      if (fs.existsSync(page)) send(res, 404, page, req.method);
      else {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('404');
      }
    };
    const file = resolve(root, url.pathname);
    if (!file) return notFound();
    fs.stat(file, (err, st) => {
      if (err) return notFound();
      if (st.isDirectory()) {
        if (!url.pathname.endsWith('/')) {
          res.writeHead(301, { Location: url.pathname + '/' + url.search });
          res.end();
          return;
        }
        const index = path.join(file, 'index.html');
        return fs.existsSync(index) ? send(res, 200, index, req.method) : notFound();
      }
      send(res, 200, file, req.method);
    });
  };
}

// Starts a server on 127.0.0.1 (port 0 = any free port). Resolves to {url, port, close}.
function serve(dir, port = 0) {
  const root = path.resolve(dir);
  const server = http.createServer(handler(root));
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const actual = server.address().port;
      ok({
        url: `http://127.0.0.1:${actual}`,
        port: actual,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

module.exports = { serve, contentType };

if (require.main === module) {
  const dir = process.argv[2] || 'public';
  const port = Number(process.argv[3] || 8080);
  serve(dir, port).then((s) => console.log(`serving ${path.resolve(dir)} at ${s.url}/`));
}
