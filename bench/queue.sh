#!/usr/bin/env bash
# Issue 12's scale: 1,000 deliveries for 200 PRs, round-robin over two
# `lint-pr serve` instances on one PostgreSQL, against the fake GitHub. Prints
# accepted/s, accept p50/p99, time until every PR has its check run, and
# lost / duplicated / stale (each must be 0; the script exits 1 otherwise).
# Needs PostgreSQL (LINT_PR_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet --bin lint-pr
cargo run --release --locked --quiet --example queue -- "${1:-200}" "${2:-5}" "${3:-2}"
