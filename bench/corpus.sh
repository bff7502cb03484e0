#!/usr/bin/env bash
# Whole-process time of `lint-pr runbook` over the real runbook corpus, next to
# `rumdl check` (default rules) on the same files. Not part of CI: run by hand.
#
#   bench/corpus.sh            # from anywhere; installs hyperfine and rumdl if missing
#
# Needs: cargo, python3 (with venv). Installs: hyperfine (apt-get, when possible),
# rumdl (PyPI, into a venv under target/bench-venv). Prints: tool, mean, files, MB/s.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
corpus="$(cd "$root/fixtures/corpus/runbooks" && pwd)"
runs="${RUNS:-10}"

echo "--- building lint-pr (release)" >&2
(cd "$root" && cargo build --release --quiet)
lint_pr="$root/target/release/lint-pr"

echo "--- rumdl (PyPI) in a venv" >&2
venv="$root/target/bench-venv"
if [ ! -x "$venv/bin/rumdl" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check rumdl
fi
rumdl="$venv/bin/rumdl"

if ! command -v hyperfine >/dev/null 2>&1; then
  echo "--- installing hyperfine" >&2
  if [ "$(id -u)" = 0 ]; then
    (apt-get install -y -qq hyperfine >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq hyperfine >/dev/null 2>&1; }) || true
  elif command -v sudo >/dev/null 2>&1; then
    sudo apt-get install -y -qq hyperfine >/dev/null 2>&1 || true
  fi
fi

# The same files for both tools: what `lint-pr runbook DIR` walks (.md, .md.erb).
mapfile -t files < <(cd "$corpus" && find . -type f \( -name '*.md' -o -name '*.md.erb' \) | sort)
md_files=()
for f in "${files[@]}"; do
  case "$f" in *.md) md_files+=("$f") ;; esac
done
bytes=$(cd "$corpus" && cat "${files[@]}" | wc -c)
md_bytes=$(cd "$corpus" && cat "${md_files[@]}" | wc -c)

# Run from a scratch directory with no .github/lint-pr.yml above it; exit status
# 1 (findings) is expected from both tools.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$corpus" "$work/runbooks"
cd "$work"
lint_cmd="$lint_pr runbook runbooks"
# rumdl gets the same files by name (it would skip .md.erb in a directory walk),
# no cache, and no config discovery beyond its defaults.
printf '%s\n' "${files[@]/#./runbooks}" > files.txt
rumdl_cmd="xargs -a files.txt $rumdl check --no-cache --no-config --silent"
rumdl_md_cmd="$rumdl check --no-cache --no-config --silent runbooks"

mean_of() { # command → mean seconds
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 2 --runs "$runs" --ignore-failure --export-json hf.json -N "$1" >/dev/null 2>&1 ||
      hyperfine --warmup 2 --runs "$runs" --ignore-failure --export-json hf.json "$1" >/dev/null 2>&1
    python3 -c 'import json;print(json.load(open("hf.json"))["results"][0]["mean"])'
  else
    for _ in 1 2; do bash -c "$1" >/dev/null 2>&1 || true; done
    local t0 t1
    t0=$(date +%s%N)
    for _ in $(seq "$runs"); do bash -c "$1" >/dev/null 2>&1 || true; done
    t1=$(date +%s%N)
    python3 -c "print(($t1 - $t0) / 1e9 / $runs)"
  fi
}

# Make sure each tool really runs (a silent failure would be a fast one).
$lint_cmd --format json > lint.json || [ $? = 1 ]
python3 -c 'import json,sys; n=len(json.load(open("lint.json"))["findings"]); print("lint-pr:", n, "findings", file=sys.stderr)'
bash -c "xargs -a files.txt $rumdl check --no-cache --no-config" > rumdl.txt 2>&1 || true
echo "rumdl: $(tail -n 1 rumdl.txt)" >&2

lint_mean=$(mean_of "$lint_cmd")
rumdl_mean=$(mean_of "$rumdl_cmd")
rumdl_md_mean=$(mean_of "$rumdl_md_cmd")

python3 - "$lint_mean" "$rumdl_mean" "$rumdl_md_mean" "${#files[@]}" "$bytes" "${#md_files[@]}" "$md_bytes" <<'PY'
import sys
lint, rumdl, rumdl_md = map(float, sys.argv[1:4])
files, nbytes, md_files, md_bytes = map(int, sys.argv[4:8])
mb = nbytes / 1e6
rows = [
    ("lint-pr runbook (recommended)", lint, files, nbytes),
    ("rumdl check (defaults), same files", rumdl, files, nbytes),
    ("rumdl check (defaults), dir walk (.md only)", rumdl_md, md_files, md_bytes),
]
print(f"{'tool':<46} {'mean':>10} {'files':>6} {'MB/s':>8}")
for name, t, n, b in rows:
    print(f"{name:<46} {t*1000:>8.1f}ms {n:>6} {b/1e6/t:>8.1f}")
print(f"lint-pr is {rumdl/lint:.1f}x faster than rumdl on the same files ({mb:.2f} MB)")
PY
