#!/usr/bin/env bash
# Shows that two builds of lint-pr say the same thing about a corpus: the JSON
# output of `runbook` over every runbook, and of `check --body-file` over every PR
# body, byte for byte. For refactors that must not change behaviour.
#
#   bench/same-output.sh OLD_BIN NEW_BIN CORPUS_DIR
#
# CORPUS_DIR holds `runbooks/` and `pr-bodies/` (the layout of the steering
# repository's shared/corpus, or fixtures/eval). Exit 0 when identical, 1 with a
# diff when not. Build OLD_BIN from the base commit first, e.g.
#   git worktree add /tmp/base BASE && cargo build --release --manifest-path /tmp/base/Cargo.toml
set -euo pipefail
old="$(realpath "$1")"; new="$(realpath "$2")"; corpus="$(realpath "$3")"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
# Outside any git repository, so `check` lints only the description it is given.
cd "$work"
run() { # BIN OUTFILE
  local bin="$1" out="$2"
  : > "$out"
  for repo in "$corpus"/runbooks/*/; do
    echo "== runbooks/$(basename "$repo")" >> "$out"
    (cd "$repo" && "$bin" runbook --format json . >> "$out" 2>&1) || true
    echo >> "$out"
  done
  for body in "$corpus"/pr-bodies/*.md; do
    [ "$(basename "$body")" = README.md ] && continue
    echo "== pr-bodies/$(basename "$body")" >> "$out"
    "$bin" check --format json --body-file "$body" >> "$out" 2>&1 || true
    echo >> "$out"
  done
}
# Absolute paths: `run` lints each runbook folder from inside it, and a relative
# OUTFILE would land there (in the corpus) instead of here.
run "$old" "$work/old.txt"
run "$new" "$work/new.txt"
runbooks=$(grep -c '^== runbooks/' "$work/new.txt"); bodies=$(grep -c '^== pr-bodies/' "$work/new.txt")
if cmp -s "$work/old.txt" "$work/new.txt"; then
  echo "identical: $runbooks runbook folders, $bodies PR bodies ($(wc -c < "$work/new.txt") bytes of JSON)"
else
  diff -u "$work/old.txt" "$work/new.txt" | head -200
  echo "DIFFERENT (first 200 lines of the diff above)" >&2
  exit 1
fi
