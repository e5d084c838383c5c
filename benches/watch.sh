#!/usr/bin/env bash
# Edit-to-disk latency of `site build --watch` on the synthetic corpus of
# ../shared/bench/gen_corpus.py, next to the full build time.
#
#   benches/watch.sh [N] [EDITS] [WORKDIR]     (defaults: N=10000, EDITS=30, WORKDIR=/tmp/site-bench)
#
# Generates an N-page site (once per N, shared with benches/build.sh), copies it so the
# edits never touch the shared corpus, builds the release binary, times a full `site build`,
# then starts `site build --watch` and, EDITS times, saves one page the way editors do
# (write a temporary file, rename it over the page) with a new paragraph at its end, and
# measures the time from the rename to the page's rebuilt file on disk containing the new
# text (polled every 0.5 ms), and to the end of the rebuild (its summary line: the whole
# output is settled and live reload fires). Then the same for title edits (the page shows
# in its section's listing and its neighbours' links). Target at N=10000: median <= 100 ms
# to the page on disk.
set -euo pipefail

N="${1:-10000}"
EDITS="${2:-30}"
WORK="${3:-/tmp/site-bench}"
. "$(dirname "$0")/corpus.sh"
SITE="$WORK/watch-$N/site"
OUT="$WORK/watch-$N/public"
rm -rf "$WORK/watch-$N"
mkdir -p "$WORK/watch-$N"
cp -r "$CORPUS/site" "$SITE"

echo "machine: $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "full build ($N pages):"
/usr/bin/time -f "  wall %e s, user %U s, sys %S s, peak RSS %M KB" \
  "$BIN" build --root "$SITE" --out "$OUT"

python3 - "$BIN" "$SITE" "$OUT" "$EDITS" <<'PY'
import os, re, statistics, subprocess, sys, threading, time

bin_, site, out, edits = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
content = os.path.join(site, "content")
pages = sorted(
    os.path.join(d, f)
    for d, _, fs in os.walk(content)
    for f in fs
    if f.endswith(".md") and f != "_index.md"
)
proc = subprocess.Popen([bin_, "build", "--watch", "--root", site, "--out", out],
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
built = []
cond = threading.Condition()

def reader():
    for line in proc.stdout:
        m = re.match(r"built (.*) in (\d+) ms", line)
        if m:
            with cond:
                built.append((m.group(1), int(m.group(2)), time.perf_counter()))
                cond.notify_all()
        elif line.strip() and not line.startswith(("watching", "changed")):
            sys.stderr.write("  site: " + line)

threading.Thread(target=reader, daemon=True).start()

def wait_builds(n, timeout=300):
    end = time.time() + timeout
    with cond:
        while len(built) < n:
            if not cond.wait(timeout=max(0, end - time.time())):
                raise SystemExit("timed out waiting for a build")

wait_builds(1)
print(f"watch: first (full) build {built[0][1]} ms")

def save(path, text):
    tmp = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".swp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, path)

def output_of(path):
    rel = os.path.relpath(path, content)[:-3]
    return os.path.join(out, rel, "index.html")

def run(kind, count):
    lat, reported, summaries, settled = [], [], [], []
    step = max(1, len(pages) // count)
    for i in range(count):
        page = pages[(i * step + 7) % len(pages)]
        with open(page, encoding="utf-8") as f:
            text = f.read()
        marker = f"基准编辑{kind}{i}号"
        if kind == "body":
            new = text.rstrip("\n") + f"\n\n{marker}。\n"
        else:
            new = re.sub(r'^title: .*$', f'title: "{marker}"', text, count=1, flags=re.M)
        target = output_of(page)
        n = len(built)
        time.sleep(0.3)
        t0 = time.perf_counter()
        save(page, new)
        while True:
            try:
                with open(target, encoding="utf-8") as f:
                    if marker in f.read():
                        break
            except FileNotFoundError:
                pass
            if time.perf_counter() - t0 > 60:
                raise SystemExit(f"{target} never showed the edit")
            time.sleep(0.0005)
        lat.append((time.perf_counter() - t0) * 1000)
        wait_builds(n + 1)
        settled.append((built[-1][2] - t0) * 1000)
        reported.append(built[-1][1])
        summaries.append(built[-1][0])
    lat.sort()
    print(f"{kind} edits ({count}): save -> rebuilt file on disk: median {statistics.median(lat):.1f} ms, "
          f"p90 {lat[int(len(lat) * 0.9) - 1]:.1f} ms, min {lat[0]:.1f}, max {lat[-1]:.1f}; "
          f"rebuild as reported by site: median {statistics.median(reported):.0f} ms")
    settled.sort()
    print(f"  save -> whole output settled (the build's summary line, when live reload fires): "
          f"median {statistics.median(settled):.1f} ms, p90 {settled[int(len(settled) * 0.9) - 1]:.1f} ms, "
          f"max {settled[-1]:.1f} ms")
    print(f"  e.g. {summaries[len(summaries) // 2]}")

try:
    run("body", edits)
    run("title", max(5, edits // 3))
finally:
    proc.terminate()
    proc.wait(timeout=30)
PY
