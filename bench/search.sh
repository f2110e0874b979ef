#!/usr/bin/env bash
# Search benchmark (see BENCHMARKS.md): builds in release mode, makes or reuses a
# synthetic site (QUESTIONS, default 100000), times a full index rebuild, reports the
# index size, then measures /search latency over the 240 queries of
# bench/search-queries.txt with wrk on 127.0.0.1: one connection (latency) and eight
# (load). Needs wrk (apt-get install wrk). SKIP_REINDEX=1 reuses the index as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
QUESTIONS="${QUESTIONS:-100000}"
DATA="${DATA:-target/bench/site-$QUESTIONS}"
PORT="${PORT:-18090}"
DURATION="${DURATION:-20s}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

cargo build --release -q -p ponder
bin=./target/release/ponder
if [ ! -f "$DATA/ponder.db" ]; then
  mkdir -p "$DATA"
  /usr/bin/time -f "site generated in %e s, peak RSS %M KB" "$bin" demo --data "$DATA" --questions "$QUESTIONS"
fi
if [ -z "${SKIP_REINDEX:-}" ]; then
  /usr/bin/time -f "index rebuilt in %e s, peak RSS %M KB" "$bin" reindex --data "$DATA"
fi
echo "index size: $(du -sh "$DATA/index" | cut -f1)"

# Every request comes from 127.0.0.1: the per-client search limit is lifted.
"$bin" serve --data "$DATA" --addr "127.0.0.1:$PORT" --searches-per-ip-per-minute 1000000000 \
  >"$DATA/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
# Warm the page cache and the index once through every query.
wrk -t1 -c1 -d5s -s bench/search.lua "http://127.0.0.1:$PORT" >/dev/null
echo "== 1 connection (latency) =="
wrk -t1 -c1 -d"$DURATION" --latency -s bench/search.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|50%|90%|99%|Non-2xx|Socket errors"
echo "== 8 connections (load) =="
wrk -t2 -c8 -d"$DURATION" --latency -s bench/search.lua "http://127.0.0.1:$PORT" | grep -E "Requests/sec|50%|90%|99%|Non-2xx|Socket errors"
echo "server peak RSS: $(grep VmHWM /proc/$pid/status | awk '{print $2, $3}')"
