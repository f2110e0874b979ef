#!/usr/bin/env bash
# Checks the JSON API of a running server from outside, with tools from PyPI:
# openapi-spec-validator reads /api/v1/openapi.json against the OpenAPI 3.1
# specification, and schemathesis generates requests from that document (reads,
# and writes with a read-write token made through the settings form) and fails on
# any 5xx, any answer that breaks its own schema, and any undocumented content type;
# before it (its writes change the demo's posts), StackAPI, the Python client of
# the Stack Exchange API, reads the site's read subset of that API.
#
#   bash tests/api/check.sh BASE_URL COOKIE_JAR PYTHON_VENV
#
# The cookie jar holds a logged-in member's session; the venv gets the tools.
set -euo pipefail
base="$1"; jar="$2"; venv="$3"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$venv/bin/pip" install -q --disable-pip-version-check \
  openapi-spec-validator==0.9.0 schemathesis==4.32.5 stackapi==0.3.1

curl -fsS -o "$work/openapi.json" "$base/api/v1/openapi.json"
"$venv/bin/openapi-spec-validator" "$work/openapi.json"

# The Stack Exchange API's read subset, read by StackAPI, its Python client, while
# the site still holds the demo's questions as they were made.
"$venv/bin/python" "$(dirname "$0")/stackapi_check.py" "$base"

# A read-write token for a day, made as a member makes one.
curl -fsS -b "$jar" -o "$work/settings.html" "$base/settings"
csrf="$(grep -o 'name="csrf" value="[0-9a-f]*"' "$work/settings.html" | sed -n 1p | grep -o '[0-9a-f]\{64\}')"
curl -fsS -b "$jar" -H 'Sec-Fetch-Site: same-origin' -o "$work/made.html" \
  --data-urlencode "csrf=$csrf" --data-urlencode name=schemathesis \
  --data-urlencode scope=write --data-urlencode days=1 "$base/settings/tokens"
token="$(grep -o 'ponder_pat_[0-9a-f]*' "$work/made.html" | sed -n 1p)"
test -n "$token"

# Bounded: examples and the coverage phase's edge cases for every operation, then
# a short fuzzing phase; one worker, so that the server's limits are not what fails.
# From the work folder: schemathesis keeps a cache folder where it runs.
(cd "$work" && "$venv/bin/schemathesis" run "$work/openapi.json" --url "$base" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance \
  --phases examples,coverage,fuzzing --max-examples 25 --workers 1 \
  --request-timeout 10 --max-time 150 --no-color)
echo "API checks passed"
