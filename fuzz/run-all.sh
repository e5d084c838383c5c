#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) one after another, at low priority, on a
# working corpus in fuzz/corpus-raw/<target>/ started from the committed seeds. Crashes land
# in fuzz/artifacts/<target>/. See docs/fuzzing.md.
set -uo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(front_matter import markdown search_tokenize)
export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
  mkdir -p "corpus-raw/$t"
  cp -n corpus/"$t"/* "corpus-raw/$t/" 2>/dev/null || true
  echo "== $t for ${seconds}s"
  nice -n 10 cargo fuzz run -s none -a "$t" "corpus-raw/$t" -- \
    -max_total_time="$seconds" -max_len=16384 -timeout=20 -rss_limit_mb=2048 \
    -print_final_stats=1
  echo "== $t exit $?"
done
