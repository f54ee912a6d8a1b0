#!/usr/bin/env bash
# How chorus's build grows with the hub: wall time and peak RSS of one build,
# search index on, of the benchmark corpus at each size.
#
#   bench/memory.sh                    # 1 000, 10 000 and 50 000 pages
#   bench/memory.sh 1000 5000
#   CHORUS=/path/to/chorus bench/memory.sh
#
# Writes bench/results/memory.md and prints it. Memory that grows no faster than
# the pages shows as a flat (or falling) "KiB per page" column.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
CHORUS="${CHORUS:-$REPO/target/release/chorus}"
SEED="${SEED:-42}"
if [ "$#" -gt 0 ]; then SIZES=("$@"); else SIZES=(1000 10000 50000); fi
[ -x "$CHORUS" ] || (cd "$REPO" && cargo build --release --bin chorus >&2)
[ -x /usr/bin/time ] || { echo "bench/memory.sh: /usr/bin/time not found (apt-get install -y time)" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/chorus-memory.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
ROWS=()
for N in "${SIZES[@]}"; do
  python3 "$BENCH_DIR/gen_corpus.py" --pages "$N" --out "$WORK/n$N" --seed "$SEED" >&2
  /usr/bin/time -v -o "$WORK/time.txt" "$CHORUS" -v build --root "$WORK/n$N/chorus" >"$WORK/build.txt"
  KB="$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$WORK/time.txt")"
  WALL="$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$WORK/time.txt")"
  INDEX="$(grep 'search index:' "$WORK/build.txt" | sed 's/^ *search index: //')"
  FILES="$(find "$WORK/n$N/chorus/content" -name '*.md' | wc -l)"
  ROWS+=("| $N | $FILES | $WALL | $((KB / 1024)) | $((KB / FILES)) | $INDEX |")
  rm -rf "$WORK/n$N"
done
{
  echo "# chorus build: time and memory by hub size"
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) CPUs, $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); $("$CHORUS" --version)"
  echo "- \`bench/memory.sh ${SIZES[*]}\`: one \`chorus build\` per size (search on), \`/usr/bin/time -v\`"
  echo
  echo "| pages | Markdown files | wall time (m:ss) | peak RSS (MiB) | KiB per file | search index |"
  echo "|--:|--:|--:|--:|--:|---|"
  printf '%s\n' "${ROWS[@]}"
} >"$BENCH_DIR/results/memory.md"
cat "$BENCH_DIR/results/memory.md"
