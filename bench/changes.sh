#!/bin/sh
# `lint-pr changes` on 500 PRs merged in the last 24 h, descriptions from a fake
# GitHub answering after 40 ms: a cold run (target < 2 s) and a cached run
# (target < 0.2 s). See bench/changes.rs. Arguments: [PRS] [DELAY_MS].
set -eu
cd "$(dirname "$0")/.."
cargo build --release --locked --bin lint-pr --example changes
target="${CARGO_TARGET_DIR:-target}"
exec "$target/release/examples/changes" "$@"
