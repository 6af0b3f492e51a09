#!/usr/bin/env bash
# The benchmark: 1,000,000 synthetic cases over the 34 provinces, then HTTP load with wrk
# against the release server, on SQLite and on PostgreSQL. Results go to stdout; the figures
# of record are written down in bench/RESULTS.md.
#
#   bash bench/run.sh              # both engines, 1,000,000 cases
#   CASES=100000 ENGINES=sqlite bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/tgpl-target}"
CASES="${CASES:-1000000}"
ENGINES="${ENGINES:-sqlite postgres}"
PG_ADMIN="${PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_SOCKET_DIR="${PG_SOCKET_DIR:-/var/run/postgresql}"
DURATION="${DURATION:-20s}"
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
cargo build --release -p tgpl-api
TGPL="$CARGO_TARGET_DIR/release/tgpl"
export TGPL_JWT_SECRET="benchmark-secret-benchmark-secret-0123"
export RUST_LOG=warn

for engine in $ENGINES; do
  echo "== $engine: $CASES cases"
  if [ "$engine" = sqlite ]; then
    export DATABASE_URL="sqlite://$WORK/bench.db"
  else
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS tgpl_bench" -qc "CREATE DATABASE tgpl_bench"
    # A server on the same host as its database reaches it over the Unix socket when there is
    # one, as a deployment would: it costs a third less than TCP over loopback per query.
    if [ -S "$PG_SOCKET_DIR/.s.PGSQL.5432" ]; then
      export DATABASE_URL="postgres://postgres@/tgpl_bench?host=$PG_SOCKET_DIR"
    else
      export DATABASE_URL="${PG_ADMIN%/*}/tgpl_bench"
    fi
  fi
  echo "   database: $DATABASE_URL"
  export TGPL_ATTACHMENTS_DIR="$WORK/attachments"
  export TGPL_DB_POOL_SIZE="${POOL:-16}"
  /usr/bin/time -f "generated in %e s" "$TGPL" generate-bench-data --cases "$CASES"
  if [ "$engine" = postgres ]; then
    # As after any bulk load: vacuum (until then counts cannot be answered from the indexes
    # alone), fresh statistics, and a checkpoint, so that neither autovacuum nor the flush of
    # what the load dirtied runs during the measurements. Not on SQLite: after ANALYZE the
    # bundled SQLite keeps STAT4 samples, with which it prepares a statement again whenever
    # its parameters change, which halves single-case reads.
    psql "${PG_ADMIN%/*}/tgpl_bench" -qc "VACUUM ANALYZE" -qc "CHECKPOINT"
  fi
  "$TGPL" serve --bind 127.0.0.1:18181 & server=$!
  for _ in $(seq 50); do curl -sf http://127.0.0.1:18181/health/ready >/dev/null && break; sleep 0.2; done
  token=$(curl -s -X POST http://127.0.0.1:18181/api/v1/auth/token \
    -d grant_type=password -d username=bench.ha-noi -d password=Bench-2026-tgpl | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
  export BENCH_TOKEN="$token"
  org=$(curl -s "http://127.0.0.1:18181/api/v1/me" -H "Authorization: Bearer $token" | sed -E 's/.*"organization":\{"id":"([^"]+)".*/\1/')
  # Case ids of the centre, for random reads.
  : > "$WORK/cases.txt"
  for page in 1 2 3 4 5 6 7 8 9 10; do
    curl -s "http://127.0.0.1:18181/api/v1/cases?page_size=100&page=$page" -H "Authorization: Bearer $token" \
      | grep -o '"id":"[^"]*","code"' | sed -E 's/"id":"([^"]+)".*/\1/' >> "$WORK/cases.txt"
  done
  export BENCH_CASES="$WORK/cases.txt"
  echo "-- single-case reads, 64 connections"
  wrk -t2 -c64 -d"$DURATION" --latency -s bench/read_case.lua http://127.0.0.1:18181 | sed -n '1,20p'
  echo "-- filtered list page"
  BENCH_PATH="/api/v1/cases?state=in_progress&field=criminal&form=litigation&page_size=20" \
    wrk -t2 -c16 -d"$DURATION" --latency -s bench/get_path.lua http://127.0.0.1:18181 | sed -n '1,20p'
  echo "-- recipient name search, diacritics ignored"
  BENCH_PATH="/api/v1/recipients?q=nguyen%20van%20an&page_size=20" \
    wrk -t2 -c16 -d"$DURATION" --latency -s bench/get_path.lua http://127.0.0.1:18181 | sed -n '1,20p'
  echo "-- case creation with its audit"
  recipient=$(curl -s "http://127.0.0.1:18181/api/v1/recipients?page_size=1" -H "Authorization: Bearer $token" | sed -E 's/.*"items":\[\{"id":"([^"]+)".*/\1/')
  BENCH_ORG="$org" BENCH_RECIPIENT="$recipient" \
    wrk -t2 -c16 -d"$DURATION" --latency -s bench/create_case.lua http://127.0.0.1:18181 | sed -n '1,22p'
  kill $server; wait $server 2>/dev/null || true
done
