#!/usr/bin/env bash
# Runs the browser tests against a real server: builds nothing (expects
# target/debug/ponder), starts `ponder serve --demo` on a fresh folder with
# privileges open to new users, runs story.mjs, checks the HTML it kept with the Nu
# HTML Checker, runs Lighthouse on the home and question pages, stops the server.
set -euo pipefail
cd "$(dirname "$0")"
root="$(cd ../.. && pwd)"
port="${E2E_PORT:-8097}"
data="$(mktemp -d)"
pid=""
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT
"$root/target/debug/ponder" serve --demo --data "$data" --addr "127.0.0.1:$port" \
  --privileges vote_up=1,comment_everywhere=1 >"$data/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
shots="${SCREENSHOTS:-$PWD/screenshots}"
rm -f "$shots"/*.html
BASE_URL="http://127.0.0.1:$port" SCREENSHOTS="$shots" SERVE_LOG="$data/serve.log" node story.mjs || { tail -n 40 "$data/serve.log"; exit 1; }
# Valid HTML: the Nu HTML Checker on the server's HTML of every page the story kept.
java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only "$shots"/*.html
echo "vnu: no errors in $(ls "$shots"/*.html | wc -l) pages"
# Lighthouse on the home page and a question page at its canonical address.
question="$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$port/questions/1")"
SCREENSHOTS="$shots" node lighthouse.mjs "http://127.0.0.1:$port/" "$question"
