#!/usr/bin/env bash
# Full-build benchmark on the synthetic corpus of ../shared/bench/gen_corpus.py.
#
#   benches/build.sh [N] [WORKDIR]      (defaults: N=10000, WORKDIR=/tmp/site-bench)
#
# Generates an N-page site (once per N), builds the release binary, then times:
#   1. a first build into an empty output folder,
#   2. a rebuild over it (written into a new folder: there is no output before last yet),
#   3. two more rebuilds, the steady state: each rewrites the output before last, kept
#      beside the output as .<name>.site-prev, where unchanged files are left as they are,
#   4. `site check` (everything but writing),
# each with wall time, CPU time and peak RSS from /usr/bin/time. Targets at N=10000 on the
# 2-core machine: full build <= 3.3 s (>= 3000 pages/s), peak RSS <= 300 MB.
#
# ext4 without a journal (this machine's disk) passes over the inodes freed in the last one
# to six minutes each time it creates a file: right after a large delete, creating a
# site's 36,000 files and folders takes twice as long. So the outputs of the last run are
# moved aside at the start and deleted at the end, and a run that starts within six
# minutes of that delete waits until they are over.
set -euo pipefail

N="${1:-10000}"
WORK="${2:-/tmp/site-bench}"
. "$(dirname "$0")/corpus.sh"
SITE="$CORPUS/site"
OUT="$WORK/public-$N"
TIME=(/usr/bin/time -f "  wall %e s, user %U s, sys %S s, peak RSS %M KB")

PREV="$(dirname "$OUT")/.$(basename "$OUT").site-prev"
TRASH="$WORK/trash"
DELETED="$WORK/.deleted"
if [ -f "$DELETED" ]; then
  wait_s=$((370 - $(date +%s) + $(stat -c %Y "$DELETED")))
  if [ "$wait_s" -gt 0 ]; then
    echo "waiting $wait_s s: the last run deleted its outputs less than six minutes ago"
    sleep "$wait_s"
  fi
fi
mkdir -p "$TRASH"
for old in "$OUT" "$PREV"; do
  if [ -e "$old" ]; then mv "$old" "$TRASH/$(basename "$old").$$"; fi
done

echo "machine: $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "first build ($N pages, empty output):"
"${TIME[@]}" "$BIN" build --root "$SITE" --out "$OUT" -v
echo "rebuild over the previous output:"
"${TIME[@]}" "$BIN" build --root "$SITE" --out "$OUT" -v
for i in 1 2; do
  echo "rebuild $i, rewriting the output before last:"
  "${TIME[@]}" "$BIN" build --root "$SITE" --out "$OUT" -v
done
echo "check (no output):"
"${TIME[@]}" "$BIN" check --root "$SITE" -v

echo "deleting the outputs of the last run"
rm -rf "$TRASH"
touch "$DELETED"
