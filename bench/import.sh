#!/usr/bin/env bash
# Import benchmark (see BENCHMARKS.md): builds in release mode, writes (or reuses) a
# synthetic Stack Exchange dump of POSTS posts (default 1000000) with the generator
# in crates/dump/examples/synthetic.rs, then times `ponder import stackexchange` into
# a new SQLite site and, when PONDER_BENCH_POSTGRES_URL names a server (an admin URL
# such as postgres://postgres@127.0.0.1:5432/postgres), into a new PostgreSQL database.
# Reports the import's own summary (rate per file) and its peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
POSTS="${POSTS:-1000000}"
DUMP="${DUMP:-target/bench/dump-$POSTS}"
SITE="target/bench/import-$POSTS"

cargo build --release -q -p ponder
cargo build --release -q -p ponder-dump --example synthetic
if [ ! -f "$DUMP/Posts.xml" ]; then
  /usr/bin/time -f "dump written in %e s" ./target/release/examples/synthetic "$DUMP" "$POSTS"
fi
echo "dump: $(du -sh "$DUMP" | cut -f1)"
# Read the dump once so that both runs start with it in the page cache.
cat "$DUMP"/*.xml >/dev/null

echo "== SQLite =="
rm -rf "$SITE"
/usr/bin/time -f "peak RSS %M KB, %e s in all" ./target/release/ponder --data "$SITE" import stackexchange "$DUMP" | grep -v '^  '

if [ -n "${PONDER_BENCH_POSTGRES_URL:-}" ]; then
  echo "== PostgreSQL =="
  db="ponder_bench_import"
  psql "$PONDER_BENCH_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  url="${PONDER_BENCH_POSTGRES_URL%/*}/$db"
  rm -rf "$SITE-pg"
  /usr/bin/time -f "peak RSS %M KB, %e s in all" ./target/release/ponder --data "$SITE-pg" --database-url "$url" import stackexchange "$DUMP" | grep -v '^  '
  psql "$PONDER_BENCH_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS $db"
fi
