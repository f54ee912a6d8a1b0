#!/usr/bin/env bash
# Click-tracker benchmark: `chorus track` on SQLite and on PostgreSQL against
# nginx answering `return 302`, with wrk, on the same machine, in the same run.
#
#   bench/tracker.sh
#   DURATION=30 bench/tracker.sh
#   BACKENDS=sqlite bench/tracker.sh
#   BACKENDS="sqlite sqlite-normal postgres" bench/tracker.sh
#   ROUNDS=5 bench/tracker.sh
#
# Environment:
#   DURATION     seconds of each measured wrk run (default 15)
#   ROUNDS       rounds (default 3): each round measures nginx, then every
#                backend, each afresh; the report gives the median of the
#                rounds, and each backend's req/s ratio to nginx is the median
#                of its per-round ratios (a shared VM's speed drifts by half
#                between runs minutes apart: one round is not enough)
#   WARMUP       seconds of the warm-up wrk run before it (default 3)
#   CONNECTIONS  wrk connections (default 64); THREADS wrk threads (default 2)
#   TRACKER_VISITORS  distinct visitors per wrk thread (default 65536), each an
#                `X-Forwarded-For` address the tracker takes with --trust-proxy
#   BACKENDS     tracker backends to measure, in order (default "sqlite postgres");
#                sqlite-normal is SQLite with CHORUS_SQLITE_SYNC=normal (each
#                commit reaches the OS before its 302, without an fsync: safe
#                from a crash of the tracker, not from a power cut)
#   CHORUS       chorus binary (default target/release/chorus, built with
#                `cargo build --release` when missing)
#   BUILD        set to 1 to run `cargo build --release` first even when the
#                binary exists (a stale binary is what the run would measure)
#   LINKS        a links.json to use instead of building the sample hub
#   PG_URL_BASE  PostgreSQL server (default postgres://postgres@127.0.0.1:5432);
#                the database PG_DB (default chorus_bench) is created on it for
#                the run and dropped at the end
#   NGINX        nginx binary (default: nginx from PATH or /usr/sbin/nginx)
#   KEEP_WORK    set to 1 to keep the temporary directory (logs, wrk outputs)
#
# Missing tools are installed with apt-get (Debian's wrk, nginx-light, sqlite3,
# postgresql-client, curl) when running as root.
#
# Writes bench/results/tracker.md (also printed on stdout).
# Exit status: 0 when nginx and every backend were measured and every click
# answered was found stored; 3 when `chorus track` is not available (nginx is
# still measured and reported); 1 on other errors (a tracker that does not
# start, dies or does not stop within 10 s of SIGTERM, a backend that cannot
# be reached, clicks missing from the database after their 302). Missing a
# performance target does not change the exit status: the table marks it.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
RESULTS="$BENCH_DIR/results"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-3}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
BACKENDS="${BACKENDS:-sqlite postgres}"
CHORUS_DEFAULT="$REPO/target/release/chorus"
CHORUS="${CHORUS:-$CHORUS_DEFAULT}"
PG_URL_BASE="${PG_URL_BASE:-postgres://postgres@127.0.0.1:5432}"
PG_DB="${PG_DB:-chorus_bench}"
# The tracker wants an admin secret of at least 16 characters; the benchmark never uses it.
export CHORUS_ADMIN_TOKEN="${CHORUS_ADMIN_TOKEN:-bench-token-not-a-secret-0123456789}"

log() { printf '%s\n' "$*" >&2; }
die() { log "bench/tracker.sh: error: $*"; exit 1; }

ROUNDS="${ROUNDS:-3}"
for v in DURATION WARMUP CONNECTIONS THREADS ROUNDS; do
  [[ "${!v}" =~ ^[0-9]+$ && "${!v}" -gt 0 ]] || die "$v must be a positive integer, got '${!v}'"
done
for b in $BACKENDS; do
  case "$b" in sqlite|sqlite-normal|postgres) ;; *) die "unknown backend '$b' in BACKENDS (sqlite, sqlite-normal, postgres)" ;; esac
done

# ---------------------------------------------------------------- tools
# Debian packages only; the list of what is missing is installed in one go.
want_postgres=0
case " $BACKENDS " in *" postgres "*) want_postgres=1 ;; esac
missing=()
command -v wrk >/dev/null || missing+=(wrk)
if [ -z "${NGINX:-}" ]; then
  NGINX="$(command -v nginx 2>/dev/null || true)"
  [ -n "$NGINX" ] || { [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx; } || true
  [ -n "$NGINX" ] || missing+=(nginx-light)
fi
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v curl >/dev/null || missing+=(curl)
if [ "$want_postgres" = 1 ]; then command -v psql >/dev/null || missing+=(postgresql-client); fi
if [ "${#missing[@]}" -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing tools: ${missing[*]} (apt-get install -y ${missing[*]})"
  log "bench: installing ${missing[*]} (Debian packages)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2; then
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
  fi
  if [ -z "${NGINX:-}" ]; then NGINX="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"; fi
fi
[ -x "$NGINX" ] || die "nginx not found at '$NGINX' (apt-get install -y nginx-light)"
command -v wrk >/dev/null || die "wrk not found (apt-get install -y wrk)"
command -v python3 >/dev/null || die "python3 not found"

# ---------------------------------------------------------------- work dir
WORK="$(mktemp -d "${TMPDIR:-/tmp}/chorus-tracker-bench.XXXXXX")"
NGINX_PID=""
TRACKER_PID=""
PG_CREATED=0
cleanup() {
  local pid
  for pid in "$TRACKER_PID" "$NGINX_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  if [ "$PG_CREATED" = 1 ]; then
    psql -q "$PG_URL_BASE/postgres" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 \
      || log "bench: could not drop database $PG_DB"
  fi
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "bench: work files kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$RESULTS"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL PID SECONDS: until URL answers 200, while PID lives.
wait_http() {
  local url="$1" pid="$2" secs="$3" i
  for i in $(seq $((secs * 10))); do
    kill -0 "$pid" 2>/dev/null || return 1
    if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

# Peak resident memory (VmHWM) of the given processes, summed, in KiB.
peak_rss_kib() {
  local total=0 pid v
  for pid in "$@"; do
    v="$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)"
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

load1() { cut -d' ' -f1 /proc/loadavg; }

# CPU time (user + system, all threads) of the given processes, summed, in clock ticks.
cpu_ticks() {
  local total=0 pid v
  for pid in "$@"; do
    v="$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || true)"
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"

# field NAME FILE: a value of the BENCH line tracker.lua prints.
field() { sed -n "s/^BENCH .*\\b$1=\\([0-9.]*\\).*/\\1/p" "$2" | tail -n1; }

# run_wrk NAME PORT: warm-up then the measured run; the outputs are kept in WORK.
run_wrk() {
  local name="$1" port="$2"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" -s "$BENCH_DIR/tracker.lua" \
    "http://127.0.0.1:$port" >"$WORK/wrk-$name-warmup.txt" 2>&1 \
    || { log "bench: $name: the warm-up wrk run failed:"; cat "$WORK/wrk-$name-warmup.txt" >&2; return 1; }
  sleep 0.5
  # What happens between the warm-up and the run (the count of stored clicks) is done by the caller.
  return 0
}
# measure_wrk NAME PORT PID...: the measured run; the CPU time the given
# processes used during it is kept per request.
measure_wrk() {
  local name="$1" port="$2" ticks
  shift 2
  LOAD_AT["$name"]="$(load1)"
  ticks="$(cpu_ticks "$@")"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$BENCH_DIR/tracker.lua" \
    "http://127.0.0.1:$port" >"$WORK/wrk-$name.txt" 2>&1 \
    || { log "bench: $name: wrk failed:"; cat "$WORK/wrk-$name.txt" >&2; return 1; }
  ticks=$(( $(cpu_ticks "$@") - ticks ))
  grep -q '^BENCH ' "$WORK/wrk-$name.txt" || { log "bench: $name: no BENCH line in wrk's output:"; cat "$WORK/wrk-$name.txt" >&2; return 1; }
  sed 's/^/    /' "$WORK/wrk-$name.txt" | grep -v '^    BENCH ' >&2
  local f="$WORK/wrk-$name.txt" sockerr
  RPS["$name"]="$(field rps "$f")"
  P50["$name"]="$(field p50_us "$f")"
  P99["$name"]="$(field p99_us "$f")"
  REQS["$name"]="$(field requests "$f")"
  BAD["$name"]="$(field non_2xx_3xx "$f")"
  sockerr=$(( $(field connect "$f") + $(field read "$f") + $(field write "$f") + $(field timeout "$f") ))
  SOCKERR["$name"]="$sockerr"
  OK["$name"]=$(( ${REQS[$name]} - ${BAD[$name]} ))
  CPU_US["$name"]="$(awk -v t="$ticks" -v hz="$CLK_TCK" -v n="${REQS[$name]}" 'BEGIN { if (n > 0) printf "%.1f", t * 1e6 / hz / n; else print "n/a" }')"
}

declare -A RPS P50 P99 REQS BAD SOCKERR OK RSS_KIB STORED FINAL LOAD_AT STATUS NOTE CPU_US RATIO

# ---------------------------------------------------------------- machine
CPU_MODEL="$(grep -m1 '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
MEM_GIB="$(awk '/^MemTotal/ {printf "%.1f", $2/1048576}' /proc/meminfo 2>/dev/null)"
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
BUSY="$(pgrep -c -x 'rustc|cargo' 2>/dev/null || true)"
NGINX_VERSION="$("$NGINX" -v 2>&1 | head -n1)"
WRK_VERSION="$({ wrk -v 2>&1 || true; } | head -n1 | sed 's/ Copyright.*//')"
SQLITE_VERSION="$(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || true)"
START_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
WARNINGS=()
if awk -v l="${LOAD_START%% *}" 'BEGIN { exit !(l + 0 > 1) }'; then
  WARNINGS+=("WARNING: load average at start ${LOAD_START%% *} (> 1) on $(nproc) CPUs: the machine was not idle, numbers are noisy")
fi
if [ "${BUSY:-0}" -gt 0 ]; then
  WARNINGS+=("WARNING: $BUSY rustc/cargo process(es) were running at start: numbers are noisy")
fi
for w in "${WARNINGS[@]}"; do log "bench: $w"; done

# ---------------------------------------------------------------- chorus
TRACKER_OK=1
TRACKER_WHY=""
if [ "$CHORUS" = "$CHORUS_DEFAULT" ] && { [ ! -x "$CHORUS" ] || [ "${BUILD:-0}" = 1 ]; }; then
  if command -v cargo >/dev/null; then
    if pgrep -x cargo >/dev/null; then log "bench: another cargo is running; cargo build --release will wait for its lock"; fi
    log "bench: running cargo build --release"
    if ! (cd "$REPO" && cargo build --release --bin chorus >&2); then
      TRACKER_OK=0; TRACKER_WHY="cargo build --release failed"
    fi
  else
    TRACKER_OK=0; TRACKER_WHY="$CHORUS does not exist and cargo is not installed"
  fi
fi
if [ "$TRACKER_OK" = 1 ] && [ ! -x "$CHORUS" ]; then
  TRACKER_OK=0; TRACKER_WHY="$CHORUS does not exist or is not executable"
fi
if [ "$TRACKER_OK" = 1 ] && ! "$CHORUS" track --help 2>/dev/null | grep -q -- '--listen'; then
  TRACKER_OK=0; TRACKER_WHY="'$(basename "$CHORUS") track --help' fails or does not list --listen: the tracker is not in this binary (not implemented yet, or a stale build: BUILD=1 rebuilds)"
fi
CHORUS_VERSION="n/a"
[ "$TRACKER_OK" = 1 ] && CHORUS_VERSION="$("$CHORUS" --version 2>/dev/null | head -n1 || echo unknown)"

# The links: the sample hub's links.json (or LINKS), and its codes for wrk.
CODES="$WORK/codes.txt"
: >"$CODES"
LINKS_FILE=""
if [ "$TRACKER_OK" = 1 ]; then
  if [ -n "${LINKS:-}" ]; then
    LINKS_FILE="$LINKS"
  else
    log "bench: building the sample hub ($REPO) for its links.json"
    if "$CHORUS" build --root "$REPO" --output "$WORK/site" --quiet >"$WORK/hub-build.log" 2>&1; then
      LINKS_FILE="$WORK/site/_chorus/links.json"
    else
      tail -n 20 "$WORK/hub-build.log" >&2
      TRACKER_OK=0; TRACKER_WHY="'chorus build --root $REPO' failed, so there is no links.json (LINKS=path/to/links.json uses another)"
    fi
  fi
fi
if [ "$TRACKER_OK" = 1 ]; then
  if ! python3 - "$LINKS_FILE" "$CODES" <<'EOF' >&2
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    links = json.load(f)["links"]
codes = [l["code"] for l in links if l.get("code")]
if not codes:
    sys.exit("no link codes in " + sys.argv[1])
with open(sys.argv[2], "w") as f:
    f.write("\n".join(codes) + "\n")
print(f"bench: {len(codes)} short codes from {sys.argv[1]}")
EOF
  then
    TRACKER_OK=0; TRACKER_WHY="cannot read the link codes of $LINKS_FILE"
  fi
fi
[ -s "$CODES" ] || echo abc >"$CODES"
export TRACKER_CODES="$CODES"
CODE_COUNT="$(grep -c . "$CODES")"
FIRST_CODE="$(head -n1 "$CODES")"

if [ "$TRACKER_OK" = 0 ]; then
  log ""
  log "bench: WARNING: the tracker cannot be measured: $TRACKER_WHY."
  log "bench: measuring nginx only; the tracker rows will read n/a."
  log ""
fi

EXIT=0

# ---------------------------------------------------------------- nginx
run_nginx() {  # one measured nginx run, afresh
  NGINX_DIR="$WORK/nginx"
  rm -rf "$NGINX_DIR"
  mkdir -p "$NGINX_DIR"
  NGINX_PORT="$(free_port)"
  sed -e "s|@DIR@|$NGINX_DIR|g" -e "s|@PORT@|$NGINX_PORT|g" "$BENCH_DIR/tracker-nginx.conf" >"$NGINX_DIR/nginx.conf"
  "$NGINX" -t -q -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log" \
    || die "nginx rejects the generated configuration $NGINX_DIR/nginx.conf"
  log "bench: nginx on 127.0.0.1:$NGINX_PORT"
  "$NGINX" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log" >"$NGINX_DIR/stdout.log" 2>&1 &
  NGINX_PID=$!
  if ! wait_http "http://127.0.0.1:$NGINX_PORT/healthz" "$NGINX_PID" 10; then
    cat "$NGINX_DIR/error.log" >&2 2>/dev/null || true
    die "nginx did not start"
  fi
  local loc
  loc="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$NGINX_PORT/c/abc")"
  [ "$loc" = "302 https://example.com/" ] || die "nginx answers GET /c/abc with '$loc', not a 302 to https://example.com/"
  log "bench: nginx: warm-up ${WARMUP}s, then wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency"
  run_wrk nginx "$NGINX_PORT" || die "wrk failed against nginx"
  NGINX_WORKERS="$(pgrep -P "$NGINX_PID" | tr '\n' ' ')"
  # shellcheck disable=SC2086
  measure_wrk nginx "$NGINX_PORT" "$NGINX_PID" $NGINX_WORKERS || die "wrk failed against nginx"
  # shellcheck disable=SC2086
  RSS_KIB[nginx]="$(peak_rss_kib "$NGINX_PID" $NGINX_WORKERS)"
  STATUS[nginx]=ok
  kill -TERM "$NGINX_PID" 2>/dev/null || true
  wait "$NGINX_PID" 2>/dev/null || true
  NGINX_PID=""
}

# ---------------------------------------------------------------- tracker
# Rows of clicks plus the hourly counts of the clicks past their visitor's
# allowance (README, "Flood allowance"): wrk is TRACKER_VISITORS visitors
# (tracker.lua), so a long run's later clicks may be counted, not stored one by one.
COUNT_CLICKS_SQL='SELECT (SELECT count(*) FROM clicks) + (SELECT COALESCE(SUM(clicks), 0) FROM click_counts)'
count_clicks() {  # count_clicks BACKEND DATABASE
  case "$1" in
    sqlite|sqlite-normal) sqlite3 -cmd '.timeout 10000' "$2" "$COUNT_CLICKS_SQL" ;;
    postgres) psql -qAt "$2" -c "$COUNT_CLICKS_SQL" ;;
  esac
}

run_tracker() {  # run_tracker BACKEND
  local b="$1" db port pid before after final rc loc
  case "$b" in
    sqlite|sqlite-normal)
      db="$WORK/clicks-$b.sqlite"
      rm -f "$db" "$db-wal" "$db-shm"
      ;;
    postgres)
      if ! psql -q "$PG_URL_BASE/postgres" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" -c "CREATE DATABASE $PG_DB" >"$WORK/pg-create.log" 2>&1; then
        cat "$WORK/pg-create.log" >&2
        NOTE[$b]="PostgreSQL at $PG_URL_BASE cannot be reached or the database cannot be created"
        return 1
      fi
      PG_CREATED=1
      db="$PG_URL_BASE/$PG_DB"
      ;;
  esac
  port="$(free_port)"
  log ""
  log "bench: tracker ($b) on 127.0.0.1:$port, --database $db"
  local sync=full
  [ "$b" = sqlite-normal ] && sync=normal
  CHORUS_SQLITE_SYNC="$sync" "$CHORUS" track --listen "127.0.0.1:$port" --database "$db" --links "$LINKS_FILE" --trust-proxy >"$WORK/tracker-$b.log" 2>&1 &
  pid=$!
  TRACKER_PID=$pid
  if ! wait_http "http://127.0.0.1:$port/healthz" "$pid" 30; then
    tail -n 30 "$WORK/tracker-$b.log" >&2
    if kill -0 "$pid" 2>/dev/null; then
      NOTE[$b]="the tracker did not answer /healthz with 200 within 30 s"
    else
      rc=0; wait "$pid" 2>/dev/null || rc=$?
      TRACKER_PID=""
      NOTE[$b]="the tracker exited (status $rc) before answering /healthz: $(sed -e 's/\x1b\[[0-9;]*m//g' -e 's/^[[:space:]x|]*//' "$WORK/tracker-$b.log" | grep -m1 . | cut -c1-200)"
    fi
    return 1
  fi
  loc="$(curl -s -o /dev/null -A 'Mozilla/5.0 (bench check)' -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$port/c/$FIRST_CODE")"
  log "bench: GET /c/$FIRST_CODE -> $loc"
  case "$loc" in 302\ http*) ;; *) NOTE[$b]="GET /c/$FIRST_CODE answered '$loc', not a 302 to the link's URL"; return 1 ;; esac
  log "bench: $b: warm-up ${WARMUP}s, then wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency"
  run_wrk "$b" "$port" || { NOTE[$b]="wrk failed during the warm-up"; return 1; }
  kill -0 "$pid" 2>/dev/null || { tail -n 30 "$WORK/tracker-$b.log" >&2; NOTE[$b]="the tracker died during the warm-up"; return 1; }
  before="$(count_clicks "$b" "$db")" || { NOTE[$b]="cannot count the clicks table"; return 1; }
  # The server's CPU: the tracker's, plus PostgreSQL's processes for that backend.
  local servers=("$pid")
  if [ "$b" = postgres ]; then mapfile -t -O 1 servers < <(pgrep -x postgres || true); fi
  measure_wrk "$b" "$port" "${servers[@]}" || { NOTE[$b]="wrk failed"; return 1; }
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -n 30 "$WORK/tracker-$b.log" >&2
    NOTE[$b]="the tracker died during the run"
    return 1
  fi
  RSS_KIB[$b]="$(peak_rss_kib "$pid")"
  # Counted while the tracker still runs: a click answered with a 302 must already be committed.
  after="$(count_clicks "$b" "$db")" || { NOTE[$b]="cannot count the clicks table"; return 1; }
  STORED[$b]=$((after - before))
  kill -TERM "$pid" 2>/dev/null || true
  rc=0
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "bench: $b: the tracker did not stop within 10 s of SIGTERM; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    NOTE[$b]="did not stop within 10 s of SIGTERM (killed; the count after stopping is then the count after SIGKILL)"
    STOP_FAILED=1
  fi
  wait "$pid" 2>/dev/null || rc=$?
  TRACKER_PID=""
  [ "$rc" = 0 ] || log "bench: $b: the tracker exited with status $rc after SIGTERM"
  final="$(count_clicks "$b" "$db" 2>/dev/null || echo "$after")"
  FINAL[$b]=$((final - before))
  log "bench: $b: clicks stored during the run: ${STORED[$b]} (after SIGTERM: ${FINAL[$b]}); wrk: ${REQS[$b]} requests, ${OK[$b]} answered 2xx/3xx, ${BAD[$b]} other statuses, ${SOCKERR[$b]} socket errors"
  if [ "${STORED[$b]}" -lt "${OK[$b]}" ]; then
    log "bench: $b: ERROR: ${OK[$b]} clicks answered but only ${STORED[$b]} stored when wrk ended"
    STATUS[$b]=short
  else
    STATUS[$b]=ok
  fi
  if [ "$b" = postgres ]; then
    psql -q "$PG_URL_BASE/postgres" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 && PG_CREATED=0
  fi
  return 0
}

# ---------------------------------------------------------------- rounds
# Each round's figures, kept for the medians: space-separated lists per server.
declare -A L_RPS L_P50 L_P99 L_CPU L_RATIO ROUND_LINE
declare -A T_STORED T_OK T_BAD T_SOCKERR MAX_RSS SHORT
record() {  # record NAME: the figures of the run just measured
  local n="$1"
  L_RPS[$n]+="${RPS[$n]} "; L_P50[$n]+="${P50[$n]} "; L_P99[$n]+="${P99[$n]} "; L_CPU[$n]+="${CPU_US[$n]} "
  [ "${RSS_KIB[$n]}" -gt "${MAX_RSS[$n]:-0}" ] && MAX_RSS[$n]="${RSS_KIB[$n]}"
  T_BAD[$n]=$(( ${T_BAD[$n]:-0} + BAD[$n] )); T_SOCKERR[$n]=$(( ${T_SOCKERR[$n]:-0} + SOCKERR[$n] ))
  if [ "$n" != nginx ]; then
    L_RATIO[$n]+="$(awk -v a="${RPS[$n]}" -v b="${RPS[nginx]}" 'BEGIN { printf "%.4f", a / b }') "
    T_STORED[$n]=$(( ${T_STORED[$n]:-0} + STORED[$n] )); T_OK[$n]=$(( ${T_OK[$n]:-0} + OK[$n] ))
  fi
}
pct() {  # pct A B: A as a percentage of B
  awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.0f %%", 100 * a / b }'
}
median() {  # median "v1 v2 ...": the median (the mean of the middle two for an even count)
  tr ' ' '\n' <<<"$1" | grep . | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

TRACKER_EXIT=0
STOP_FAILED=0
for b in $BACKENDS; do
  if [ "$TRACKER_OK" = 0 ]; then STATUS[$b]=na; NOTE[$b]="$TRACKER_WHY"; fi
done
for round in $(seq "$ROUNDS"); do
  log ""
  log "bench: ---- round $round of $ROUNDS"
  run_nginx
  record nginx
  ROUND_LINE[$round]="nginx $(printf '%.0f' "${RPS[nginx]}") req/s"
  for b in $BACKENDS; do
    case "${STATUS[$b]:-}" in na|failed) continue ;; esac
    if run_tracker "$b"; then
      record "$b"
      [ "${STATUS[$b]}" = ok ] || { SHORT[$b]=1; TRACKER_EXIT=1; }
      ROUND_LINE[$round]+=", $b $(printf '%.0f' "${RPS[$b]}") ($(pct "${RPS[$b]}" "${RPS[nginx]}"))"
    else
      STATUS[$b]=failed
      log "bench: $b: FAILED: ${NOTE[$b]}"
      TRACKER_EXIT=1
      if [ -n "$TRACKER_PID" ]; then
        kill -TERM "$TRACKER_PID" 2>/dev/null || true
        wait "$TRACKER_PID" 2>/dev/null || true
        TRACKER_PID=""
      fi
    fi
  done
done

# The medians (RSS: the largest; clicks and errors: summed over the rounds).
for n in nginx $BACKENDS; do
  case "${STATUS[$n]:-}" in na|failed) continue ;; esac
  RPS[$n]="$(median "${L_RPS[$n]}")"; P50[$n]="$(median "${L_P50[$n]}")"; P99[$n]="$(median "${L_P99[$n]}")"
  CPU_US[$n]="$(median "${L_CPU[$n]}")"; RSS_KIB[$n]="${MAX_RSS[$n]}"; BAD[$n]="${T_BAD[$n]}"; SOCKERR[$n]="${T_SOCKERR[$n]}"
  if [ "$n" != nginx ]; then
    RATIO[$n]="$(median "${L_RATIO[$n]}")"; STORED[$n]="${T_STORED[$n]}"; OK[$n]="${T_OK[$n]}"
    if [ "${SHORT[$n]:-0}" = 1 ]; then STATUS[$n]=short; else STATUS[$n]=ok; fi
  fi
done
if [ "$TRACKER_OK" = 0 ]; then EXIT=3; elif [ "$TRACKER_EXIT" != 0 ] || [ "$STOP_FAILED" != 0 ]; then EXIT=1; fi

# ---------------------------------------------------------------- report
ms() { awk -v u="$1" 'BEGIN { printf "%.2f ms", u / 1000 }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f×", a / b }'; }
vs_nginx() { if [ "$1" = nginx ]; then echo "100 %"; else awk -v r="${RATIO[$1]}" 'BEGIN { printf "%.0f %%", 100 * r }'; fi; }
mark() { if awk "BEGIN { exit !($1) }"; then echo "✅"; else echo "❌"; fi; }
int() { printf "%.0f" "$1"; }

row() {  # row NAME LABEL
  local n="$1" label="$2"
  if [ "${STATUS[$n]:-na}" = na ] || [ "${STATUS[$n]}" = failed ]; then
    echo "| $label | n/a | n/a | n/a | n/a | n/a | n/a | n/a | n/a |"
    return
  fi
  local stored="—" errs
  errs="${BAD[$n]} status, ${SOCKERR[$n]} socket"
  if [ "$n" != nginx ]; then stored="${STORED[$n]} / ${OK[$n]}"; fi
  echo "| $label | $(int "${RPS[$n]}") | $(ms "${P50[$n]}") | $(ms "${P99[$n]}") | ${CPU_US[$n]} µs | $(mib "${RSS_KIB[$n]}") | $stored | $errs | $(vs_nginx "$n") |"
}
target_row() {  # target_row NAME LABEL
  local n="$1" label="$2"
  if [ "${STATUS[$n]:-na}" = na ] || [ "${STATUS[$n]}" = failed ]; then
    echo "| $label | n/a | n/a | n/a | n/a | n/a | n/a | n/a |"
    return
  fi
  local durable
  if [ "${STATUS[$n]}" = ok ]; then durable="✅ ${STORED[$n]} ≥ ${OK[$n]}"; else durable="❌ ${STORED[$n]} < ${OK[$n]}"; fi
  echo "| $label | $(vs_nginx "$n") $(mark "${RATIO[$n]} >= 0.8") | $(ratio "${P50[$n]}" "${P50[nginx]}") | $(ms "${P99[$n]}") $(mark "${P99[$n]} < 10000") | $(ratio "${P99[$n]}" "${P99[nginx]}") | $(mib "${RSS_KIB[$n]}") MiB $(mark "${RSS_KIB[$n]} * 1024 < 50000000") | $(ratio "${RSS_KIB[$n]}" "${RSS_KIB[nginx]}") | $durable |"
}

label() { case "$1" in sqlite) echo "chorus track, SQLite" ;; sqlite-normal) echo "chorus track, SQLite, no fsync (\`CHORUS_SQLITE_SYNC=normal\`)" ;; postgres) echo "chorus track, PostgreSQL" ;; nginx) echo "nginx \`return 302\`" ;; esac; }

REPORT="$WORK/tracker.md"
{
  echo "# Click tracker: \`chorus track\` vs nginx \`return 302\`"
  echo
  echo "\`wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency -s bench/tracker.lua\` against \`GET /c/{code}\`"
  if [ "$TRACKER_OK" = 1 ]; then
    echo "(the $CODE_COUNT short codes of the sample hub's links.json in turn, a browser's User-Agent, redirects not followed),"
  else
    echo "(\`/c/abc\` only, as there was no links.json; a browser's User-Agent, redirects not followed),"
  fi
  echo "after a ${WARMUP} s warm-up, one server at a time, on the same machine in the same run: $ROUNDS rounds of nginx then each backend,"
  echo "medians shown (req/s vs nginx: the median of the per-round ratios)."
  echo
  echo "| server | req/s | p50 | p99 | server CPU / request | peak RSS (MiB) | clicks stored / 2xx-3xx answers | errors | req/s vs nginx |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|"
  row nginx "$(label nginx)"
  for b in $BACKENDS; do row "$b" "$(label "$b")"; done
  echo
  echo "Against the targets (≥ 80 % of nginx's req/s with every click committed before its 302, p99 < 10 ms, RSS < 50 MB, read as 50 000 000 bytes):"
  echo
  echo "| backend | req/s vs nginx (≥ 80 %) | p50 vs nginx | p99 (< 10 ms) | p99 vs nginx | RSS (< 50 MB = 47.7 MiB) | RSS vs nginx | every click stored |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|"
  for b in $BACKENDS; do target_row "$b" "$(label "$b")"; done
  echo
  notes=0
  for b in $BACKENDS; do
    if [ -n "${NOTE[$b]:-}" ]; then echo "- **$(label "$b")**: ${NOTE[$b]}"; notes=1; fi
  done
  [ "$notes" = 0 ] || echo
  echo "Rounds (req/s):"
  echo
  for r in $(seq "$ROUNDS"); do echo "- round $r: ${ROUND_LINE[$r]:-n/a}"; done
  echo
  echo "Notes:"
  echo
  echo "- req/s, p50 and p99 are wrk's (its latency percentiles, \`--latency\`); errors are answers other than 2xx/3xx, and socket errors."
  echo "- server CPU / request: user + system CPU time the server used during the measured run, divided by the requests (nginx: master + worker;"
  echo "  the tracker: all its threads, plus the PostgreSQL server's processes for that backend); wrk's own CPU is not in it."
  echo "- peak RSS is VmHWM from /proc at the end of the run (nginx: master + worker summed)."
  echo "- clicks stored: rows added to \`clicks\` between the end of the warm-up and the end of the run, counted before the tracker is stopped;"
  echo "  wrk does not count the requests still in flight when it stops, so stored ≥ answered is what durability means here."
  echo "- nginx: Debian's nginx-light, \`worker_processes 1\`, access_log off, keep-alive never closed (\`bench/tracker-nginx.conf\`)."
  echo "- the 1-minute load when each run started includes the benchmark's own earlier runs; the load at start is the other work on the machine."
  echo
  echo "Machine and run:"
  echo
  echo "- date: $START_DATE"
  echo "- machine: $(nproc) CPUs, ${CPU_MODEL:-unknown CPU}, ${MEM_GIB:-?} GiB RAM, $(uname -sr)"
  echo "- load average at start: $LOAD_START; 1-minute load when each measured run started: nginx ${LOAD_AT[nginx]:-?}$(for b in $BACKENDS; do printf ', %s %s' "$b" "${LOAD_AT[$b]:-n/a}"; done)"
  for w in "${WARNINGS[@]}"; do echo "- $w"; done
  echo "- $NGINX_VERSION; $WRK_VERSION; sqlite3 CLI $SQLITE_VERSION$( [ "$want_postgres" = 1 ] && printf '; PostgreSQL server %s' "$(psql -qAt "$PG_URL_BASE/postgres" -c 'SHOW server_version' 2>/dev/null || echo '?')")"
  echo "- chorus: $CHORUS_VERSION"
} >"$REPORT"
cp "$REPORT" "$RESULTS/tracker.md"
echo
cat "$REPORT"
log ""
log "bench: written $RESULTS/tracker.md"
if [ "$EXIT" = 3 ]; then
  log "bench: the tracker was not measured: $TRACKER_WHY (exit 3)"
fi
exit "$EXIT"
