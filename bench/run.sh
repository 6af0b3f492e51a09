#!/usr/bin/env bash
# The benchmark: 1,000,000 synthetic cases over the 34 provinces, then HTTP load with wrk
# against the release server, on SQLite and on PostgreSQL. Results go to stdout; the figures
# of record are written down in bench/RESULTS.md.
#
# Before the measured loads, each engine's run measures the server's own ceiling, GET
# /health/live under the same wrk settings (threads, connections, duration) as the loads, and
# every load is reported beside it as a ratio, so that runs on different machines compare. The
# server's resident memory is sampled before and during each load. At the end one markdown
# table per engine is printed, ready for RESULTS.md (bench/wrk_report.py makes it).
#
#   bash bench/run.sh              # both engines, 1,000,000 cases, release build (of record)
#   CASES=100000 ENGINES=sqlite bash bench/run.sh
#   TGPL=$CARGO_TARGET_DIR/debug/tgpl CASES=2000 DURATION=3s bash bench/run.sh   # smoke run
#
# Settings: TGPL (a binary to use instead of building the release one), CASES, ENGINES,
# DURATION, LOADS (`all`; `statistics` for the statistical forms alone; `reporting` for the
# completeness view and the ranking alone; `portal` for the portal's dossier intake with the
# feed read beside it), THREADS (wrk
# threads), READ_CONNECTIONS (single-case reads) and CONNECTIONS (the
# other loads), POOL (database pool), PORT, BENCH_DB (the PostgreSQL database, dropped and
# created), PG_ADMIN, PG_SOCKET_DIR, RESULTS_FILE (where the figures
# are kept, as JSON lines; emptied at the start of each run).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tgpl-target}"
CASES="${CASES:-1000000}"
ENGINES="${ENGINES:-sqlite postgres}"
PG_ADMIN="${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_SOCKET_DIR="${PG_SOCKET_DIR:-/var/run/postgresql}"
BENCH_DB="${BENCH_DB:-tgpl_bench}"
DURATION="${DURATION:-20s}"
LOADS="${LOADS:-all}"
THREADS="${THREADS:-2}"
READ_CONNECTIONS="${READ_CONNECTIONS:-64}"
CONNECTIONS="${CONNECTIONS:-16}"
PORT="${PORT:-18181}"
URL="http://127.0.0.1:$PORT"
WORK="$(mktemp -d)"
RESULTS_FILE="${RESULTS_FILE:-$WORK/results.jsonl}"
: > "$RESULTS_FILE"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
if [ -z "${TGPL:-}" ]; then
  cargo build --release -p tgpl-api
  TGPL="$CARGO_TARGET_DIR/release/tgpl"
else
  echo "== using $TGPL, not a fresh release build: figures of a smoke run, not of record"
fi
export TGPL_JWT_SECRET="benchmark-secret-benchmark-secret-0123"
export RUST_LOG=warn

# rss_kib PID: the resident memory (VmRSS) of process PID in KiB, into $rss; empty when the
# process is gone. Reads /proc with builtins only, so that sampling costs no process start.
rss_kib() {
  local key value rest
  rss=
  while read -r key value rest; do
    if [ "$key" = VmRSS: ]; then rss=$value; break; fi
  done 2>/dev/null < "/proc/$1/status" || true
}

# sample_peak_rss PID FILE: reads the resident memory of PID every 100 ms until FILE.stop
# exists or the process ends, then writes the peak (KiB) to FILE.
sample_peak_rss() {
  local peak=0 rss
  while [ ! -e "$2.stop" ]; do
    rss_kib "$1"
    [ -n "$rss" ] || break
    if [ "$rss" -gt "$peak" ]; then peak=$rss; fi
    sleep 0.1
  done
  if [ "$peak" -gt 0 ]; then echo "$peak"; fi > "$2"
}

# measure NAME CONNECTIONS SCRIPT [wrk_report.py record options, e.g. --aim-rps 1000]
# Runs wrk with SCRIPT against the server ($server) while sampling its resident memory, and
# records the figures under NAME for $engine. Variables for the script (BENCH_PATH, ...) are
# given as assignments before the call.
measure() {
  local name=$1 connections=$2 script=$3 idle rss sampler
  shift 3
  rss_kib "$server"; idle=$rss
  rm -f "$WORK/peak" "$WORK/peak.stop"
  sample_peak_rss "$server" "$WORK/peak" & sampler=$!
  wrk -t"$THREADS" -c"$connections" -d"$DURATION" --latency -s "$script" "$URL" > "$WORK/wrk.out" 2>&1 || true
  touch "$WORK/peak.stop"; wait "$sampler" || true
  python3 bench/wrk_report.py record "$RESULTS_FILE" --engine "$engine" --name "$name" \
    --threads "$THREADS" --connections "$connections" --duration "$DURATION" \
    --idle-kib "$idle" --peak-kib "$(cat "$WORK/peak" 2>/dev/null)" "$@" < "$WORK/wrk.out"
}

for engine in $ENGINES; do
  echo "== $engine: $CASES cases"
  if [ "$engine" = sqlite ]; then
    export DATABASE_URL="sqlite://$WORK/bench.db"
  else
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $BENCH_DB" -qc "CREATE DATABASE $BENCH_DB"
    # A server on the same host as its database reaches it over the Unix socket when there is
    # one, as a deployment would: it costs a third less than TCP over loopback per query.
    if [ -S "$PG_SOCKET_DIR/.s.PGSQL.5432" ]; then
      export DATABASE_URL="postgres://postgres@/$BENCH_DB?host=$PG_SOCKET_DIR"
    else
      export DATABASE_URL="${PG_ADMIN%/*}/$BENCH_DB"
    fi
  fi
  echo "   database: $DATABASE_URL"
  export TGPL_ATTACHMENTS_DIR="$WORK/attachments"
  export TGPL_DB_POOL_SIZE="${POOL:-16}"
  /usr/bin/time -f "generated in %e s" "$TGPL" generate-bench-data --cases "$CASES"
  # A reader of the whole country's figures: an administrator of the Agency's data centre.
  TGPL_ADMIN_PASSWORD=Bench-2026-tgpl "$TGPL" create-admin --username bench.admin >/dev/null
  if [ "$engine" = postgres ]; then
    # As after any bulk load: vacuum (until then counts cannot be answered from the indexes
    # alone), fresh statistics, and a checkpoint, so that neither autovacuum nor the flush of
    # what the load dirtied runs during the measurements. Not on SQLite: after ANALYZE the
    # bundled SQLite keeps STAT4 samples, with which it prepares a statement again whenever
    # its parameters change, which halves single-case reads.
    psql "${PG_ADMIN%/*}/$BENCH_DB" -qc "VACUUM ANALYZE" -qc "CHECKPOINT"
  fi
  "$TGPL" serve --bind "127.0.0.1:$PORT" & server=$!
  for _ in $(seq 50); do curl -sf "$URL/health/ready" >/dev/null && break; sleep 0.2; done
  token=$(curl -s -X POST "$URL/api/v1/auth/token" \
    -d grant_type=password -d username=bench.ha-noi -d password=Bench-2026-tgpl | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  export BENCH_TOKEN="$token"
  org=$(curl -s "$URL/api/v1/me" -H "Authorization: Bearer $token" | sed -E 's/.*"organization":\{"id":"([^"]+)".*/\1/')
  # Case ids of the centre, for random reads.
  : > "$WORK/cases.txt"
  for page in 1 2 3 4 5 6 7 8 9 10; do
    curl -s "$URL/api/v1/cases?page_size=100&page=$page" -H "Authorization: Bearer $token" \
      | grep -o '"id":"[^"]*","code"' | sed -E 's/"id":"([^"]+)".*/\1/' >> "$WORK/cases.txt" || true
  done
  export BENCH_CASES="$WORK/cases.txt"
  if [ "$LOADS" = all ]; then
    # The ceiling: the cheapest request the server answers (no database, no authorization,
    # though it carries the same token header), once for each connection count used below.
    for connections in $(printf '%s\n' "$READ_CONNECTIONS" "$CONNECTIONS" | sort -nu); do
      echo "-- ceiling: GET /health/live, $connections connections"
      BENCH_PATH=/health/live measure "GET /health/live" "$connections" bench/get_path.lua --ceiling
    done
    echo "-- single-case reads, $READ_CONNECTIONS connections"
    measure "authenticated single-case reads" "$READ_CONNECTIONS" bench/read_case.lua \
      --aim-rps 12000 --aim-errors 0
    echo "-- filtered list page"
    BENCH_PATH="/api/v1/cases?state=in_progress&field=criminal&form=litigation&page_size=20" \
      measure "filtered list page (state, field, form)" "$CONNECTIONS" bench/get_path.lua --aim-p99-ms 50
    echo "-- recipient name search, diacritics ignored"
    BENCH_PATH="/api/v1/recipients?q=nguyen%20van%20an&page_size=20" \
      measure "recipient name search without diacritics" "$CONNECTIONS" bench/get_path.lua --aim-p99-ms 100
    echo "-- case creation with its audit"
    recipient=$(curl -s "$URL/api/v1/recipients?page_size=1" -H "Authorization: Bearer $token" | sed -E 's/.*"items":\[\{"id":"([^"]+)".*/\1/')
    BENCH_ORG="$org" BENCH_RECIPIENT="$recipient" \
      measure "case creation with its history and audit" "$CONNECTIONS" bench/create_case.lua --aim-rps 1000
    echo "-- case acceptance, moving the statistics' tallies"
    # Each case is accepted once: enough received cases for the load's shorter duration
    # (STEP_DURATION, 2 s: the centre of the benchmark account has about 6,000), so that none
    # runs out (an error would show it).
    : > "$WORK/received.txt"
    for page in $(seq 1 800); do
      before=$(wc -l < "$WORK/received.txt")
      curl -s "$URL/api/v1/cases?state=received&page_size=100&page=$page" -H "Authorization: Bearer $token" \
        | grep -o '"id":"[^"]*","code"' | sed -E 's/"id":"([^"]+)".*/\1/' >> "$WORK/received.txt" || true
      [ "$(wc -l < "$WORK/received.txt")" -gt "$before" ] || break
    done
    echo "   $(wc -l < "$WORK/received.txt") received cases to accept"
    BENCH_RECEIVED="$WORK/received.txt" THREADS="$THREADS" DURATION="${STEP_DURATION:-2s}" \
      measure "case acceptance with its tallies" "$CONNECTIONS" bench/accept_case.lua --aim-errors 0
  fi
  agency_token=$(curl -s -X POST "$URL/api/v1/auth/token" \
    -d grant_type=password -d username=bench.admin -d password=Bench-2026-tgpl | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  agency=$(curl -s "$URL/api/v1/me" -H "Authorization: Bearer $agency_token" | sed -E 's/.*"organization":\{"id":"([^"]+)".*/\1/')
  if [ "$LOADS" = all ] || [ "$LOADS" = reporting ]; then
    echo "-- reporting: the Agency's completeness view and the ranking of provinces"
    python3 bench/reporting.py "$URL" Bench-2026-tgpl "$agency_token" "${STAT_RUNS:-30}" \
      | tee "$WORK/reporting-$engine.md"
  fi
  if [ "$LOADS" = all ] || [ "$LOADS" = portal ]; then
    if [ "$LOADS" = portal ]; then
      echo "-- ceiling: GET /health/live, $CONNECTIONS connections"
      BENCH_PATH=/health/live measure "GET /health/live" "$CONNECTIONS" bench/get_path.lua --ceiling
    fi
    # The portal files dossiers, one in five a retry, while it follows the feed as it would;
    # the follower checks that the feed had no gap and no dossier was filed twice.
    echo "-- portal: dossier intake with 20% retries, the feed read beside it"
    read -r portal_token portal_org portal_procedure feed_head \
      < <(python3 bench/portal.py setup "$URL" "$agency_token")
    rm -f "$WORK/follow.stop"
    python3 bench/portal.py follow "$URL" "$portal_token" "$feed_head" "$WORK/follow.stop" \
      "$WORK/feed-$engine.md" & follower=$!
    BENCH_PORTAL_TOKEN="$portal_token" BENCH_ORG="$portal_org" BENCH_PROCEDURE="$portal_procedure" \
      BENCH_RUN="$(date +%s)" measure "dossier intake, 20% retries" "$CONNECTIONS" \
      bench/submit_dossier.lua --aim-rps 500 --aim-errors 0
    grep '^intake:' "$WORK/wrk.out" | tee "$WORK/intake-$engine.md"
    touch "$WORK/follow.stop"
    wait "$follower" || echo "   the feed check FAILED"
  fi
  if [ "$LOADS" = all ] || [ "$LOADS" = statistics ]; then
  echo "-- national statistical forms: tallies, the server's recount, and a SQL recount"
  python3 bench/national_forms.py "$URL" "$agency_token" "$agency" "$DATABASE_URL" "${STAT_RUNS:-30}" \
    | tee "$WORK/statistics-$engine.md"
  fi
  kill $server; wait $server 2>/dev/null || true
done

echo
echo "== Summary (req/s ÷ ceiling: the load's throughput over GET /health/live's at the same"
echo "   connections; p99 ÷ ceiling p99 likewise; aims met in bold)"
for engine in $ENGINES; do
  echo
  if [ "$LOADS" = all ] || [ "$LOADS" = portal ]; then
    python3 bench/wrk_report.py table "$RESULTS_FILE" "$engine"
  fi
  if [ -f "$WORK/feed-$engine.md" ]; then
    echo
    echo "Portal intake ($engine): $(cat "$WORK/intake-$engine.md")"
    echo
    cat "$WORK/feed-$engine.md"
  fi
  if [ -f "$WORK/statistics-$engine.md" ]; then
    echo
    echo "National statistical forms ($engine, one request at a time):"
    echo
    cat "$WORK/statistics-$engine.md"
  fi
  if [ -f "$WORK/reporting-$engine.md" ]; then
    echo
    echo "Reporting views ($engine, one request at a time):"
    echo
    cat "$WORK/reporting-$engine.md"
  fi
done
