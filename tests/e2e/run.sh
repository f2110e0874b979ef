#!/usr/bin/env bash
# Runs the browser tests against real servers: builds nothing (expects
# target/debug/ponder), starts `ponder serve --demo` on a fresh folder with
# privileges open to new users and runs story.mjs and stackexchange.mjs (the npm
# client of the Stack Exchange API against the site's read subset), then `ponder serve` on an empty
# folder (no demo) and runs fresh.mjs; checks the HTML both kept with the Nu HTML
# Checker, runs Lighthouse on the home and question pages, stops the servers.
set -euo pipefail
cd "$(dirname "$0")"
root="$(cd ../.. && pwd)"
port="${E2E_PORT:-8097}"
fresh_port="${E2E_FRESH_PORT:-8098}"
data="$(mktemp -d)"
fresh="$(mktemp -d)"
pid=""
fresh_pid=""
trap 'kill "$pid" "$fresh_pid" 2>/dev/null || true; rm -rf "$data" "$fresh"' EXIT
"$root/target/debug/ponder" serve --demo --data "$data" --addr "127.0.0.1:$port" \
  --privileges vote_up=1,comment_everywhere=1 >"$data/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
shots="${SCREENSHOTS:-$PWD/screenshots}"
rm -f "$shots"/*.html
BASE_URL="http://127.0.0.1:$port" SCREENSHOTS="$shots" SERVE_LOG="$data/serve.log" node story.mjs || { tail -n 40 "$data/serve.log"; exit 1; }
# The Stack Exchange API's read subset, read by the npm client for that API.
BASE_URL="http://127.0.0.1:$port" node stackexchange.mjs || { tail -n 40 "$data/serve.log"; exit 1; }
# A site as its operator first meets it: no demo, no administrator, no categories.
"$root/target/debug/ponder" serve --data "$fresh" --addr "127.0.0.1:$fresh_port" >"$fresh/serve.log" 2>&1 &
fresh_pid=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$fresh_port/healthz" && break; sleep 0.1; done
BASE_URL="http://127.0.0.1:$fresh_port" SCREENSHOTS="$shots" SERVE_LOG="$fresh/serve.log" node fresh.mjs || { tail -n 40 "$fresh/serve.log"; exit 1; }
# Valid HTML: the Nu HTML Checker on the server's HTML of every page the story kept.
java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only "$shots"/*.html
echo "vnu: no errors in $(ls "$shots"/*.html | wc -l) pages"
# Lighthouse on the home page and a question page at its canonical address.
question="$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$port/questions/1")"
# And the story's question with highlighted code, math and an uploaded image.
rich="$(cat "$shots/rich-question.url")"
SCREENSHOTS="$shots" node lighthouse.mjs "http://127.0.0.1:$port/" "$question" "$rich"
