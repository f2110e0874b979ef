"""Reads a running server's Prometheus metrics with prometheus_client's own parser
(PyPI) and checks the families an operator's dashboards rely on.

Usage: check.py http://127.0.0.1:PORT/metrics
"""

import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

WANTED = {
    "ponder_http_requests": "counter",
    "ponder_http_request_duration_seconds": "histogram",
    "ponder_search_duration_seconds": "histogram",
    "ponder_page_cache_hits": "counter",
    "ponder_page_cache_misses": "counter",
    "ponder_page_cache_entries": "gauge",
    "ponder_page_cache_bytes": "gauge",
    "ponder_db_connections_open": "gauge",
    "ponder_db_connections_idle": "gauge",
    "ponder_db_connections_max": "gauge",
    "ponder_db_connection_wait_seconds": "gauge",
    "ponder_mail_queue_length": "gauge",
    "ponder_webhook_queue_length": "gauge",
    "ponder_feed_lag_changes": "gauge",
    "ponder_login_failures": "counter",
    "ponder_rate_limit_refusals": "counter",
    "ponder_panics": "counter",
    "ponder_db_up": "gauge",
}


def main() -> None:
    url = sys.argv[1]
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200, response.status
        kind = response.headers.get("Content-Type", "")
        assert kind.startswith("text/plain; version=0.0.4"), kind
        text = response.read().decode("utf-8")
    families = {f.name: f for f in text_string_to_metric_families(text)}
    for name, kind in WANTED.items():
        assert name in families, f"{name} missing; have {sorted(families)}"
        assert families[name].type == kind, f"{name} is {families[name].type}, not {kind}"
    requests = families["ponder_http_requests"].samples
    assert any(s.value > 0 for s in requests), requests
    assert families["ponder_db_up"].samples[0].value == 1
    print(f"metrics: {len(families)} families, {sum(len(f.samples) for f in families.values())} samples read")


if __name__ == "__main__":
    main()
