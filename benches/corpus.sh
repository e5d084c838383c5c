# Shared by benches/build.sh and benches/watch.sh (sourced, not run): with N and WORK set,
# generates the N-page corpus of ../shared/bench/gen_corpus.py in $WORK/corpus-$N (once per
# N), builds the release binary, and sets HERE (the repository), CORPUS and BIN.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GEN="${GEN_CORPUS:-$HERE/../shared/bench/gen_corpus.py}"
[ -f "$GEN" ] || GEN=/work/shared/bench/gen_corpus.py
CORPUS="$WORK/corpus-$N"
if [ ! -f "$CORPUS/site/site.yaml" ]; then
  echo "generating $N pages in $CORPUS"
  python3 "$GEN" "$N" "$CORPUS"
fi
(cd "$HERE" && cargo build --release --quiet)
BIN="$HERE/target/release/site"
