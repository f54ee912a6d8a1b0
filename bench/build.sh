#!/usr/bin/env bash
# Build benchmark: chorus vs Zola vs Hugo on the same generated corpus, each
# with its search index on and off where it has one.
#
#   bench/build.sh              # 1 000 and 10 000 pages
#   bench/build.sh 1000         # only 1 000 pages
#   ZOLA_SRC=/path/to/zola bench/build.sh 1000 10000
#
# Environment:
#   CHORUS       chorus binary (default: target/release/chorus, built with
#                `cargo build --release` if missing)
#   HUGO         hugo binary (default: hugo from PATH, Debian's `hugo` package)
#   ZOLA_SRC     a checkout of Zola's repository (https://github.com/getzola/zola,
#                e.g. tag v0.22.1), built here with `cargo build --release --locked`
#                (Zola is not on crates.io); or ZOLA, a zola binary. Without
#                either, the Zola rows read n/a.
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
ZOLA="${ZOLA:-}"

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

ZOLA_WHY=""
if [ -z "$ZOLA" ] && [ -n "${ZOLA_SRC:-}" ]; then
  log "bench: building Zola in $ZOLA_SRC (cargo build --release --locked)"
  if (cd "$ZOLA_SRC" && cargo build --release --locked >&2); then
    ZOLA="$ZOLA_SRC/target/release/zola"
  else
    ZOLA_WHY="cargo build in $ZOLA_SRC failed"
  fi
fi
if [ -z "$ZOLA" ] && [ -z "$ZOLA_WHY" ]; then ZOLA_WHY="set ZOLA_SRC to a checkout of Zola (or ZOLA to its binary)"; fi
if [ -n "$ZOLA" ] && ! "$ZOLA" --version >/dev/null 2>&1; then ZOLA_WHY="$ZOLA does not run"; ZOLA=""; fi
[ -z "$ZOLA_WHY" ] || log "bench: Zola is not measured: $ZOLA_WHY"

# ---------------------------------------------------------------- machine
HUGO_VERSION="$("$HUGO" version 2>/dev/null | head -n1)"
ZOLA_VERSION="n/a"
[ -z "$ZOLA" ] || ZOLA_VERSION="$("$ZOLA" --version 2>/dev/null | head -n1)"
CHORUS_VERSION="n/a"
if [ "$CHORUS_OK" = 1 ]; then
  CHORUS_VERSION="$("$CHORUS" --version 2>/dev/null | head -n1 || true)"
  CHORUS_VERSION="${CHORUS_VERSION:-unknown}"
fi
CPU_MODEL="$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
MEM_GIB="$(awk '/^MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo 2>/dev/null)"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
BUSY="$(pgrep -c -x 'rustc|cargo|hugo|zola' 2>/dev/null || true)"
MACHINE="$(cat <<EOF
- date: $(date -u +%Y-%m-%dT%H:%MZ)
- machine: $(nproc) CPUs, ${CPU_MODEL:-unknown CPU}, ${MEM_GIB:-?} GiB RAM, $(uname -sr)
- load average at start: ${LOAD:-?}
- hugo: $HUGO_VERSION (\`--minify\`, no search index)
- zola: $ZOLA_VERSION (\`zola --root … [--config config-nosearch.toml] build --output-dir …\`, \`minify_html = true\`)
- chorus: $CHORUS_VERSION (\`$(basename "$CHORUS") build --root … --quiet\`, minifies by default; search off: \`build.search: false\`)
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
    rm -rf $CLEAN_DIRS
    if ! /usr/bin/time -v -o "$WORK/time.txt" bash -c "$1" >/dev/null 2>"$WORK/rss-stderr.txt"; then
      log "bench: command failed under /usr/bin/time: $1"; tail -n 20 "$WORK/rss-stderr.txt" >&2
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
  # The same hub with its search index off.
  cp -r "$DIR/chorus" "$DIR/chorus-nosearch"
  printf 'build:\n  search: false\n' >>"$DIR/chorus-nosearch/hub.yaml"

  NAMES=(); CMDS=(); OUTS=()
  add() { NAMES+=("$1"); CMDS+=("$2"); OUTS+=("$3"); }
  if [ "$CHORUS_OK" = 1 ]; then
    add chorus "$(q "$CHORUS") build --root $(q "$DIR/chorus") --quiet" "$DIR/chorus/public"
    add chorus-nosearch "$(q "$CHORUS") build --root $(q "$DIR/chorus-nosearch") --quiet" "$DIR/chorus-nosearch/public"
  fi
  if [ -n "$ZOLA" ]; then
    add zola "$(q "$ZOLA") --root $(q "$DIR/zola") build --output-dir $(q "$DIR/zola-out") --force >/dev/null" "$DIR/zola-out"
    add zola-nosearch "$(q "$ZOLA") --root $(q "$DIR/zola") --config config-nosearch.toml build --output-dir $(q "$DIR/zola-nosearch-out") --force >/dev/null" "$DIR/zola-nosearch-out"
  fi
  add hugo "$(q "$HUGO") --source $(q "$DIR/hugo") --destination $(q "$DIR/hugo-out") --minify --quiet" "$DIR/hugo-out"
  CLEAN_DIRS=""
  for o in "${OUTS[@]}"; do CLEAN_DIRS="$CLEAN_DIRS $(q "$o")"; done

  # one checked build of each first: clear errors instead of a hyperfine failure
  OK_NAMES=(); OK_CMDS=(); OK_OUTS=()
  for i in "${!NAMES[@]}"; do
    rm -rf "${OUTS[$i]}"
    if bash -c "${CMDS[$i]}" >"$WORK/${NAMES[$i]}.log" 2>&1; then
      OK_NAMES+=("${NAMES[$i]}"); OK_CMDS+=("${CMDS[$i]}"); OK_OUTS+=("${OUTS[$i]}")
    else
      log "bench: WARNING: ${NAMES[$i]} failed to build the $N-page corpus; last lines:"
      tail -n 30 "$WORK/${NAMES[$i]}.log" >&2
      STATUS=3
    fi
  done

  # What a search downloads: chorus loads its language's metadata, the chunk of
  # the word index a word falls in and the fragments of the results it shows;
  # Zola's elasticlunr loads the whole index of the language.
  SIZES_MD="$WORK/sizes-$N.md"
  python3 - "$DIR" >"$SIZES_MD" <<'PY'
import glob, os, sys
d = sys.argv[1]
def size(paths): return sum(os.path.getsize(p) for p in paths)
out = []
pf = os.path.join(d, "chorus/public/pagefind")
if os.path.isdir(pf):
    files = [p for p in glob.glob(pf + "/**", recursive=True) if os.path.isfile(p)]
    meta = glob.glob(pf + "/pagefind.fr_*.pf_meta")
    chunks = glob.glob(pf + "/index/fr_*.pf_index")
    frags = glob.glob(pf + "/fragment/fr_*.pf_fragment")
    runtime = [pf + "/pagefind.js", pf + "/pagefind-worker.js", pf + "/wasm.fr.pagefind"]
    if meta and chunks and frags:
        one = size(meta) + size(chunks) / len(chunks) + 20 * size(frags) / len(frags)
        out.append(f"- chorus index: {size(files) / 1e6:.1f} MB in {len(files)} files; a one-word French search with 20 results downloads "
                   f"{one / 1e3:.0f} KB (metadata {size(meta) / 1e3:.0f} KB, one of {len(chunks)} word-index chunks {size(chunks) / len(chunks) / 1e3:.1f} KB on average, "
                   f"20 fragments {20 * size(frags) / len(frags) / 1e3:.0f} KB), plus Pagefind's script and WebAssembly once ({size(runtime) / 1e3:.0f} KB)")
zo = os.path.join(d, "zola-out")
if os.path.isdir(zo):
    idx = glob.glob(zo + "/search_index.*.js")
    per = ", ".join(f"{os.path.basename(p)} {os.path.getsize(p) / 1e6:.1f} MB" for p in sorted(idx))
    lunr = glob.glob(zo + "/elasticlunr.min.js")
    out.append(f"- Zola index: {per}; a search downloads its language's whole file, plus elasticlunr.min.js ({size(lunr) / 1e3:.0f} KB)")
print("\n".join(out))
PY

  HF=(hyperfine --warmup "$WARMUP" --runs "$RUNS" --prepare "rm -rf $CLEAN_DIRS"
      --export-json "$WORK/hf-$N.json" --export-markdown "$WORK/hf-$N.md")
  for i in "${!OK_NAMES[@]}"; do HF+=(-n "${OK_NAMES[$i]}" "${OK_CMDS[$i]}"); done
  "${HF[@]}" >&2

  RSS_ARGS=()
  for i in "${!OK_NAMES[@]}"; do
    log "bench: peak RSS of ${OK_NAMES[$i]} (best of $RSS_RUNS)"
    RSS_ARGS+=("${OK_NAMES[$i]}=$(peak_rss "${OK_CMDS[$i]}")")
  done

  python3 - "$WORK/hf-$N.json" "$N" "${RSS_ARGS[@]}" >"$WORK/rows-$N.md" <<'PY'
import json, sys
path, n, *rss_args = sys.argv[1:]
res = {r["command"]: r for r in json.load(open(path))["results"]}
rss = {k: (float(v) / 1024 if v else None) for k, v in (a.split("=", 1) for a in rss_args)}
label = {
    "chorus": "chorus, search on", "chorus-nosearch": "chorus, search off",
    "zola": "Zola, search on", "zola-nosearch": "Zola, search off", "hugo": "Hugo (no search)",
}
def vals(name):
    r = res.get(name)
    return None if r is None else (r["mean"], r["stddev"] or 0.0, r["user"] + r["system"], rss.get(name))
rows = []
for name in ("chorus", "chorus-nosearch", "zola", "zola-nosearch", "hugo"):
    v = vals(name)
    if v is None:
        rows.append(f"| {n} | {label[name]} | n/a | n/a | n/a |")
        continue
    rs = f"{v[3]:.1f}" if v[3] else "n/a"
    rows.append(f"| {n} | {label[name]} | {v[0]:.3f} ± {v[1]:.3f} | {rs} | {v[2]:.2f} |")
def ratio(a, b, what):
    x, y = vals(a), vals(b)
    if not x or not y:
        return f"| {n} | {what} | n/a | n/a | n/a |"
    r = f"**{x[3] / y[3]:.2f}×**" if x[3] and y[3] else "n/a"
    return f"| {n} | {what} | **{x[0] / y[0]:.2f}×** | {r} | {x[2] / y[2]:.2f}× |"
rows.append(ratio("chorus", "zola", "chorus/Zola, search on"))
rows.append(ratio("chorus-nosearch", "zola-nosearch", "chorus/Zola, search off"))
rows.append(ratio("chorus", "zola-nosearch", "chorus with search / Zola without"))
rows.append(ratio("chorus-nosearch", "hugo", "chorus/Hugo, no search"))
print("\n".join(rows))
PY
  ROWS_FILES+=("$WORK/rows-$N.md")

  {
    echo "# Build benchmark: $N pages"
    echo
    echo "$MACHINE"
    echo "- corpus: \`bench/gen_corpus.py --pages $N --seed $SEED\` ($(find "$DIR/chorus/content" -name '*.md' | wc -l) Markdown files)"
    cat "$SIZES_MD"
    echo
    echo "| pages | build | wall time (s), mean ± σ | peak RSS (MiB) | CPU time, user+sys (s) |"
    echo "|---|---|---|---|---|"
    cat "$WORK/rows-$N.md"
    echo
    echo "Ratios below 1 mean chorus is faster / uses less memory. CPU time (hyperfine's mean user+system) is less sensitive than wall time to other load on the machine."
    [ -z "$ZOLA_WHY" ] || echo "Zola was not measured: $ZOLA_WHY."
    [ "$CHORUS_OK" = 1 ] || echo "chorus was not measured: $CHORUS_WHY."
    echo
    echo "## hyperfine"
    echo
    cat "$WORK/hf-$N.md"
  } >"$RESULTS/build-$N.md"
  log "bench: wrote $RESULTS/build-$N.md"
done

{
  echo "# Build benchmark: chorus vs Zola vs Hugo"
  echo
  echo "$MACHINE"
  for N in "${SIZES[@]}"; do cat "$WORK/sizes-$N.md"; done
  echo
  echo "| pages | build | wall time (s), mean ± σ | peak RSS (MiB) | CPU time, user+sys (s) |"
  echo "|---|---|---|---|---|"
  for f in "${ROWS_FILES[@]}"; do cat "$f"; done
  echo
  echo "Ratios below 1 mean chorus is faster / uses less memory. CPU time (hyperfine's mean user+system) is less sensitive than wall time to other load on the machine."
  [ -z "$ZOLA_WHY" ] || echo "Zola was not measured: $ZOLA_WHY."
  [ -z "$CHORUS_WHY" ] || echo "chorus was not measured: $CHORUS_WHY."
  echo "Per-size details (hyperfine min/max): \`bench/results/build-<N>.md\`."
} >"$RESULTS/build.md"

echo
cat "$RESULTS/build.md"
exit "$STATUS"
