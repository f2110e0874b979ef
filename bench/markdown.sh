#!/usr/bin/env bash
# Renders the worst-shaped Markdown bodies known (nesting of every kind, unclosed
# raw-text tags, padded tables), each at the 30,000-character body limit, and prints
# the time each takes to render, render as a comment, and cut an excerpt from.
# Usage: bash bench/markdown.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run -q --release -p ponder-core --example markdown_worst
