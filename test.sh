#!/usr/bin/env bash
# Runs every test of `site` on a fresh Debian machine: installs what the tests need
# (chromium and CJK fonts from apt, npm packages from package-lock.json), checks formatting
# and lints, runs `cargo test`, builds the real site and runs the browser suite on it.
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need_apt+=(fonts-noto-cjk)
command -v java >/dev/null || need_apt+=(default-jre-headless)
# tests/nginx.rs: the production setup of docs/deploy.md.
[ -x /usr/sbin/nginx ] || need_apt+=(nginx)
[ -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || need_apt+=(libnginx-mod-http-brotli-static)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ -f package-lock.json ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --quiet -- -D warnings

echo "== cargo test"
# The nginx test must not skip itself in CI.
SITE_REQUIRE_NGINX=1 cargo test --quiet 2>&1

echo "== build the real site"
out=target/browser-public
cargo run --quiet -- build --out "$out"

if [ -d tests/browser ]; then
  echo "== browser suite"
  SITE_PUBLIC="$out" node --test --test-concurrency=1 tests/browser/
fi
