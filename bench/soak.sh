#!/usr/bin/env bash
# Issue 12's soak: 5,000 deliveries (1,000 PRs x 5 pushes) as fast as two
# `lint-pr serve` instances on one PostgreSQL take them, against a fake GitHub
# that answers 20% of requests 502, 5% 403 with `Retry-After: 1`, and every
# answer after 200 ms. Prints accepted/s, accept p50/p99, end-to-end p50/p99
# (a PR's last push answered -> its check run completed), faults injected, peak
# RSS per instance, and lost / duplicated / stale (each must be 0; exit 1
# otherwise). Bounded: 5,000 deliveries, gives up after 15 minutes.
# Needs PostgreSQL (LINT_PR_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet --bin lint-pr
SOAK_FAIL_RATE="${SOAK_FAIL_RATE:-0.20}" \
SOAK_RATE_LIMIT_RATE="${SOAK_RATE_LIMIT_RATE:-0.05}" \
SOAK_DELAY_MS="${SOAK_DELAY_MS:-200}" \
SOAK_WORKERS="${SOAK_WORKERS:-16}" \
SOAK_DEADLINE_S="${SOAK_DEADLINE_S:-900}" \
  cargo run --release --locked --quiet --example queue -- "${1:-1000}" "${2:-5}" "${3:-2}"
