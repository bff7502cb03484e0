#!/usr/bin/env bash
# Instructions per corpus pass (parse-only, model, lint) and the lint/parse ratio,
# counted by callgrind: repeatable to within 0.1% (hash seeds vary per process),
# whatever else the machine does. Each pass runs once and four times; the difference over three is one pass
# without the start-up (reading files, compiling regexes). Not part of CI.
#
#   bench/instructions.sh     # needs valgrind (Debian: apt-get install valgrind)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
(cd "$root" && cargo build --release --quiet --example passes)
bin="$root/target/release/examples/passes"

count() { # pass repeat -> instructions
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
    awk '/refs:/ { gsub(",", "", $NF); print $NF }'
}

declare -A per
for pass in parse model lint; do
  one=$(count "$pass" 1)
  four=$(count "$pass" 4)
  per[$pass]=$(( (four - one) / 3 ))
  awk -v p="$pass" -v n="${per[$pass]}" 'BEGIN { printf "%-6s %8.1f M instructions per pass\n", p, n / 1e6 }'
done
awk -v p="${per[parse]}" -v m="${per[model]}" -v l="${per[lint]}" \
  'BEGIN { printf "model / parse-only = %.2f\nlint / parse-only  = %.2f\n", m / p, l / p }'
