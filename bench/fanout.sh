#!/usr/bin/env bash
# The inbox at scale (issue 19; see BENCHMARKS.md): does a question in a tag that
# FOLLOWERS members follow (default 10,000) ask as fast as one in a tag nobody
# follows, and how soon after does the last follower's inbox item exist?
#
# Starts `ponder serve` (release) on a fresh SQLite site, or on PostgreSQL when
# DATABASE_URL is set (a database of its own that it drops at the end), makes the
# followers directly in the database (accounts without passwords, and their
# follows of the tag), logs one asker in through the form, then asks ROUNDS
# questions in turn in the quiet tag and in the followed one, over HTTP. For each
# it records the POST's latency (curl's time_total) and, for the followed tag, the
# time from the answer to the moment the database holds FOLLOWERS items for that
# question (polled every 10 ms). Prints the medians and the worst.
#
#   bench/fanout.sh                     # SQLite, 10,000 followers, 10 rounds
#   FOLLOWERS=1000 ROUNDS=5 bench/fanout.sh
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test bench/fanout.sh
set -euo pipefail
cd "$(dirname "$0")/.."

FOLLOWERS="${FOLLOWERS:-10000}"
ROUNDS="${ROUNDS:-10}"
PORT="${PORT:-18095}"
WORK="target/bench/fanout"
missing=()
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v psql >/dev/null || missing+=(postgresql-client)
command -v bc >/dev/null || missing+=(bc)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cargo build --release -q -p ponder
bin=./target/release/ponder
rm -rf "$WORK" && mkdir -p "$WORK/site"

site=(--data "$WORK/site")
if [ -n "${DATABASE_URL:-}" ]; then
  db="ponder_fanout_$$"
  admin_url="$DATABASE_URL"
  psql "$admin_url" -qc "CREATE DATABASE $db" >/dev/null
  url="${DATABASE_URL%/*}/$db"
  site+=(--database-url "$url")
  sql() { psql "$url" -qAtc "$1"; }
  engine=postgres
else
  sql() { sqlite3 "$WORK/site/ponder.db" "$1"; }
  engine=sqlite
fi
pids=()
cleanup() {
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  if [ "$engine" = postgres ]; then psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db" >/dev/null || true; fi
}
trap cleanup EXIT

PASSWORD="fanout-bench-password"
"$bin" serve "${site[@]}" --addr "127.0.0.1:$PORT" \
  --questions-per-user-per-hour 1000000 >"$WORK/serve.log" 2>&1 &
pids+=("$!")
base="http://127.0.0.1:$PORT"
until curl -fs -o /dev/null "$base/readyz"; do sleep 0.05; done
echo "$PASSWORD" | "$bin" user create "${site[@]}" --handle asker --email asker@bench.invalid --admin >/dev/null
"$bin" category create "${site[@]}" General --slug general --as asker >/dev/null 2>&1 ||
  sql "INSERT INTO categories (slug, name, description, position) VALUES ('general', 'General', '', 0)"
category="$(sql "SELECT id FROM categories WHERE slug = 'general'")"

# The followers: accounts and follows made in bulk, as an import would.
now="$(date +%s)"
sql "INSERT INTO users (handle, display_name, email, created_at)
     SELECT 'follower' || n, 'Follower ' || n, 'follower' || n || '@bench.invalid', $now
     FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < $FOLLOWERS) SELECT n FROM c) AS s"
sql "INSERT INTO tags (name) VALUES ('followed'), ('quiet')"
followed="$(sql "SELECT id FROM tags WHERE name = 'followed'")"
sql "INSERT INTO follows (user_id, target_kind, target_id, level, created_at)
     SELECT id, 'tag', $followed, 'inbox', $now FROM users WHERE handle LIKE 'follower%'"
echo "$engine: $(sql "SELECT count(*) FROM follows WHERE target_kind = 'tag'") followers of the tag"

# The asker logs in through the form.
jar="$WORK/jar"
curl -fsS -c "$jar" -o "$WORK/login.html" "$base/login"
token="$(grep -o 'name="csrf" value="[^"]*"' "$WORK/login.html" | sed -n 1p | cut -d'"' -f4)"
curl -fsS -b "$jar" -c "$jar" -o /dev/null -H 'Sec-Fetch-Site: same-origin' \
  --data-urlencode "csrf=$token" --data-urlencode "login=asker" --data-urlencode "password=$PASSWORD" "$base/login"
curl -fsS -b "$jar" -o "$WORK/ask.html" "$base/ask"
token="$(grep -o 'name="csrf" value="[^"]*"' "$WORK/ask.html" | sed -n 1p | cut -d'"' -f4)"

# Asks one question tagged $1; prints its latency in ms and the new question's id.
ask() {
  local tag="$1" n="$2"
  local took
  took="$(curl -sS -b "$jar" -o /dev/null -w '%{time_total}' -H 'Sec-Fetch-Site: same-origin' \
    --data-urlencode "csrf=$token" --data-urlencode "title=Question number $n about the $tag tag here" \
    --data-urlencode "body=A body long enough to be a question, asked by the benchmark, round $n." \
    --data-urlencode "tags=$tag" --data-urlencode "category=$category" --data-urlencode "action=post" \
    "$base/ask")"
  echo "$(echo "$took * 1000" | bc -l | xargs printf '%.1f')"
}

: >"$WORK/quiet.txt" && : >"$WORK/followed.txt" && : >"$WORK/delivered.txt"
for n in $(seq 1 "$ROUNDS"); do
  ask quiet "$n" >>"$WORK/quiet.txt"
  started="$(date +%s.%N)"
  ask followed "$n" >>"$WORK/followed.txt"
  question="$(sql "SELECT max(id) FROM posts WHERE kind = 'question'")"
  until [ "$(sql "SELECT count(*) FROM notifications WHERE kind = 'new_question' AND subject_id = $question")" -ge "$FOLLOWERS" ]; do
    sleep 0.01
  done
  echo "$(echo "($(date +%s.%N) - $started) * 1000" | bc -l | xargs printf '%.0f')" >>"$WORK/delivered.txt"
done

median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
worst() { sort -n "$1" | tail -n 1; }
printf '\n%s, %s followers, %s rounds\n' "$engine" "$FOLLOWERS" "$ROUNDS"
printf '| measure | median | worst |\n|---|---|---|\n'
printf '| ask, tag nobody follows (ms) | %s | %s |\n' "$(median "$WORK/quiet.txt")" "$(worst "$WORK/quiet.txt")"
printf '| ask, tag %s follow (ms) | %s | %s |\n' "$FOLLOWERS" "$(median "$WORK/followed.txt")" "$(worst "$WORK/followed.txt")"
printf '| ask until the last follower has the item (ms) | %s | %s |\n' "$(median "$WORK/delivered.txt")" "$(worst "$WORK/delivered.txt")"
