#!/usr/bin/env bash
# Build benchmark: chorus vs Hugo on the same generated corpus.
#
#   bench/build.sh              # 1 000 and 10 000 pages
#   bench/build.sh 1000         # only 1 000 pages
#   CHORUS=/path/to/chorus bench/build.sh 1000 10000
#
# Environment:
#   CHORUS       chorus binary (default: target/release/chorus, built with
#                `cargo build --release` if missing)
#   HUGO         hugo binary (default: hugo from PATH, Debian's `hugo` package)
#   RUNS         hyperfine runs per command (default 5); WARMUP (default 1)
#   RSS_RUNS     /usr/bin/time -v runs per tool, best kept (default 3)
#   SEED         corpus seed (default 42)
#   KEEP_CORPUS  set to 1 to keep the temporary directory (path printed at the end)
#
# Writes bench/results/build-<N>.md for each N and bench/results/build.md with
# all N of this run; the combined table is also printed on stdout.
# Exit status: 0 when both tools were measured, 3 when chorus could not be
# built or run (Hugo is still measured and reported), 1 on other errors.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
RESULTS="$BENCH_DIR/results"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-1}"
RSS_RUNS="${RSS_RUNS:-3}"
SEED="${SEED:-42}"
HUGO="${HUGO:-hugo}"
CHORUS_DEFAULT="$REPO/target/release/chorus"
CHORUS="${CHORUS:-$CHORUS_DEFAULT}"

if [ "$#" -gt 0 ]; then SIZES=("$@"); else SIZES=(1000 10000); fi

log() { printf '%s\n' "$*" >&2; }
die() { log "bench/build.sh: error: $*"; exit 1; }

for n in "${SIZES[@]}"; do
  [[ "$n" =~ ^[0-9]+$ && "$n" -gt 0 ]] || die "page count must be a positive integer, got '$n'"
done

# ---------------------------------------------------------------- tools
command -v "$HUGO" >/dev/null || die "hugo not found (apt-get install -y hugo)"
command -v hyperfine >/dev/null || die "hyperfine not found (apt-get install -y hyperfine)"
[ -x /usr/bin/time ] || die "/usr/bin/time not found (apt-get install -y time)"
command -v python3 >/dev/null || die "python3 not found"

CHORUS_OK=1
CHORUS_WHY=""
if [ ! -x "$CHORUS" ] && [ "$CHORUS" = "$CHORUS_DEFAULT" ]; then
  if command -v cargo >/dev/null; then
    if pgrep -x cargo >/dev/null; then
      log "bench: $CHORUS missing and another cargo is running; cargo build --release will wait for its lock"
    fi
    log "bench: $CHORUS missing, running cargo build --release"
    if ! (cd "$REPO" && cargo build --release --bin chorus >&2); then
      CHORUS_OK=0
      CHORUS_WHY="cargo build --release failed"
    fi
  else
    CHORUS_OK=0
    CHORUS_WHY="$CHORUS does not exist and cargo is not installed"
  fi
fi
if [ "$CHORUS_OK" = 1 ] && [ ! -x "$CHORUS" ]; then
  CHORUS_OK=0
  CHORUS_WHY="$CHORUS does not exist or is not executable"
fi
if [ "$CHORUS_OK" = 1 ] && ! "$CHORUS" build --help 2>/dev/null | grep -q -- '--root'; then
  CHORUS_OK=0
  CHORUS_WHY="'$CHORUS build --help' does not list --root (the build command is not implemented yet?)"
fi
if [ "$CHORUS_OK" = 0 ]; then
  log ""
  log "bench: WARNING: chorus is not available: $CHORUS_WHY."
  log "bench: measuring Hugo only; chorus rows will read n/a (set CHORUS=/path/to/chorus to use another binary)."
  log ""
fi

# ---------------------------------------------------------------- machine
HUGO_VERSION="$("$HUGO" version 2>/dev/null | head -n1)"
CHORUS_VERSION="n/a"
if [ "$CHORUS_OK" = 1 ]; then
  CHORUS_VERSION="$("$CHORUS" --version 2>/dev/null | head -n1 || true)"
  CHORUS_VERSION="${CHORUS_VERSION:-unknown}"
fi
CPU_MODEL="$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
MEM_GIB="$(awk '/^MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo 2>/dev/null)"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
BUSY="$(pgrep -c -x 'rustc|cargo|hugo' 2>/dev/null || true)"
MACHINE="$(cat <<EOF
- date: $(date -u +%Y-%m-%dT%H:%MZ)
- machine: $(nproc) CPUs, ${CPU_MODEL:-unknown CPU}, ${MEM_GIB:-?} GiB RAM, $(uname -sr)
- load average at start: ${LOAD:-?}
- hugo: $HUGO_VERSION (\`--minify\`)
- chorus: $CHORUS_VERSION (\`$(basename "$CHORUS") build --root … --quiet\`, minifies by default)
- $(hyperfine --version): --warmup $WARMUP --runs $RUNS; peak RSS: best of $RSS_RUNS runs of \`/usr/bin/time -v\`
EOF
)"
if awk -v l="${LOAD%% *}" -v n="$(nproc)" 'BEGIN { exit !(l + 0 >= n / 2) }'; then
  log "bench: WARNING: load average ${LOAD%% *} on $(nproc) CPUs: the machine is not idle, timings will be noisy"
  MACHINE="$MACHINE
- WARNING: the machine was not idle at start (load average ${LOAD%% *} on $(nproc) CPUs)"
fi
if [ "${BUSY:-0}" -gt 0 ]; then
  log "bench: WARNING: $BUSY rustc/cargo/hugo process(es) already running: timings will be noisy"
  MACHINE="$MACHINE
- WARNING: $BUSY rustc/cargo/hugo process(es) were running during the benchmark; timings are noisy"
fi

# ---------------------------------------------------------------- work dir
WORK="$(mktemp -d "${TMPDIR:-/tmp}/chorus-bench.XXXXXX")"
cleanup() {
  if [ "${KEEP_CORPUS:-0}" = 1 ]; then log "bench: corpus kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
export HUGO_CACHEDIR="$WORK/hugo-cache"
mkdir -p "$RESULTS"

q() { printf '%q' "$1"; }

# peak RSS in KiB of a command (best of RSS_RUNS), output dirs removed before each run
peak_rss() {
  local best="" i kb
  for ((i = 0; i < RSS_RUNS; i++)); do
    rm -rf "$CH_OUT" "$HU_OUT"
    if ! /usr/bin/time -v -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/rss-stderr.txt"; then
      log "bench: command failed under /usr/bin/time: $*"; tail -n 20 "$WORK/rss-stderr.txt" >&2
      echo ""; return
    fi
    kb="$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$WORK/time.txt")"
    if [ -z "$best" ] || [ "$kb" -lt "$best" ]; then best="$kb"; fi
  done
  echo "$best"
}

ROWS_FILES=()
STATUS=0
[ "$CHORUS_OK" = 1 ] || STATUS=3

for N in "${SIZES[@]}"; do
  DIR="$WORK/n$N"
  log "bench: ===== $N pages ====="
  python3 "$BENCH_DIR/gen_corpus.py" --pages "$N" --out "$DIR" --seed "$SEED"
  CH_SRC="$DIR/chorus"; CH_OUT="$CH_SRC/public"
  HU_SRC="$DIR/hugo";   HU_OUT="$DIR/hugo-out"
  CH_CMD="$(q "$CHORUS") build --root $(q "$CH_SRC") --quiet"
  HU_CMD="$(q "$HUGO") --source $(q "$HU_SRC") --destination $(q "$HU_OUT") --minify --quiet"
  CLEAN="$(q "$CH_OUT") $(q "$HU_OUT")"

  # one checked build of each first: clear errors instead of a hyperfine failure
  ch_ok="$CHORUS_OK"
  if [ "$ch_ok" = 1 ]; then
    rm -rf "$CH_OUT"
    if ! "$CHORUS" build --root "$CH_SRC" --quiet >"$WORK/chorus.log" 2>&1; then
      log "bench: WARNING: chorus failed to build the $N-page corpus; last lines:"
      tail -n 30 "$WORK/chorus.log" >&2
      ch_ok=0; STATUS=3
      CHORUS_WHY="${CHORUS_WHY:+$CHORUS_WHY; }chorus build failed on the $N-page corpus (see the log above)"
    fi
  fi
  rm -rf "$HU_OUT"
  if ! "$HUGO" --source "$HU_SRC" --destination "$HU_OUT" --minify --quiet >"$WORK/hugo.log" 2>&1; then
    tail -n 30 "$WORK/hugo.log" >&2
    die "hugo failed to build the $N-page corpus"
  fi
  HU_HTML="$(find "$HU_OUT" -name '*.html' | wc -l)"
  CH_HTML="n/a"
  [ "$ch_ok" = 1 ] && CH_HTML="$(find "$CH_OUT" -name '*.html' | wc -l)"

  HF=(hyperfine --warmup "$WARMUP" --runs "$RUNS" --prepare "rm -rf $CLEAN"
      --export-json "$WORK/hf-$N.json" --export-markdown "$WORK/hf-$N.md")
  if [ "$ch_ok" = 1 ]; then HF+=(-n chorus "$CH_CMD"); fi
  HF+=(-n hugo "$HU_CMD")
  "${HF[@]}" >&2

  CH_RSS=""
  if [ "$ch_ok" = 1 ]; then
    log "bench: peak RSS of chorus (best of $RSS_RUNS)"
    CH_RSS="$(peak_rss "$CHORUS" build --root "$CH_SRC" --quiet)"
  fi
  log "bench: peak RSS of hugo (best of $RSS_RUNS)"
  HU_RSS="$(peak_rss "$HUGO" --source "$HU_SRC" --destination "$HU_OUT" --minify --quiet)"

  python3 - "$WORK/hf-$N.json" "$N" "${CH_RSS:-}" "${HU_RSS:-}" "$CH_HTML" "$HU_HTML" \
      >"$WORK/rows-$N.md" <<'PY'
import json, sys
path, n, ch_rss, hu_rss, ch_html, hu_html = sys.argv[1:7]
res = {r["command"]: r for r in json.load(open(path))["results"]}
def t(name):
    r = res.get(name)
    return None if r is None else (r["mean"], r["stddev"] or 0.0, r["user"] + r["system"])
def mib(kb):
    return float(kb) / 1024 if kb else None
rows = []
vals = {}
for name, kb in (("chorus", ch_rss), ("hugo", hu_rss)):
    tm, rss = t(name), mib(kb)
    vals[name] = (tm, rss)
    ts = f"{tm[0]:.3f} ± {tm[1]:.3f}" if tm else "n/a"
    rs = f"{rss:.1f}" if rss else "n/a"
    cpu = f"{tm[2]:.2f}" if tm else "n/a"
    rows.append(f"| {n} | {name} | {ts} | {rs} | {cpu} |")
(ct, cr), (ht, hr) = vals["chorus"], vals["hugo"]
tr = f"**{ct[0] / ht[0]:.2f}×**" if ct and ht else "n/a"
rr = f"**{cr / hr:.2f}×**" if cr and hr else "n/a"
cr_ = f"{ct[2] / ht[2]:.2f}×" if ct and ht else "n/a"
rows.append(f"| {n} | chorus/hugo | {tr} | {rr} | {cr_} |")
print("\n".join(rows))
print(f"<!-- html files written: chorus {ch_html}, hugo {hu_html} -->")
PY
  ROWS_FILES+=("$WORK/rows-$N.md")

  {
    echo "# Build benchmark: $N pages"
    echo
    echo "$MACHINE"
    echo "- corpus: \`bench/gen_corpus.py --pages $N --seed $SEED\` ($(find "$CH_SRC/content" -name '*.md' | wc -l) Markdown files); HTML files written: chorus $CH_HTML, hugo $HU_HTML"
    echo
    echo "| pages | tool | wall time (s), mean ± σ | peak RSS (MiB) | CPU time, user+sys (s) |"
    echo "|---|---|---|---|---|"
    grep -v '^<!--' "$WORK/rows-$N.md"
    echo
    echo "Ratios below 1 mean chorus is faster / uses less memory. CPU time (hyperfine's mean user+system) is less sensitive than wall time to other load on the machine."
    [ "$ch_ok" = 1 ] || echo "chorus was not measured: $CHORUS_WHY."
    echo
    echo "## hyperfine"
    echo
    cat "$WORK/hf-$N.md"
  } >"$RESULTS/build-$N.md"
  log "bench: wrote $RESULTS/build-$N.md"
done

{
  echo "# Build benchmark: chorus vs Hugo"
  echo
  echo "$MACHINE"
  echo
  echo "| pages | tool | wall time (s), mean ± σ | peak RSS (MiB) | CPU time, user+sys (s) |"
  echo "|---|---|---|---|---|"
  for f in "${ROWS_FILES[@]}"; do grep -v '^<!--' "$f"; done
  echo
  echo "Ratios below 1 mean chorus is faster / uses less memory. CPU time (hyperfine's mean user+system) is less sensitive than wall time to other load on the machine."
  [ -z "$CHORUS_WHY" ] || echo "chorus was not measured: $CHORUS_WHY."
  echo "Per-size details (hyperfine min/max, HTML file counts): \`bench/results/build-<N>.md\`."
} >"$RESULTS/build.md"

echo
cat "$RESULTS/build.md"
exit "$STATUS"
