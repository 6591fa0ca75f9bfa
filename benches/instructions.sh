#!/usr/bin/env bash
# Compares this tree with another revision by the instructions each executes
# (counted by Valgrind's cachegrind, which does not depend on how busy the
# machine is), so that a change of a few percent can be told from noise on a
# shared machine where wall times of the same binary move by more than that.
#
#   benches/instructions.sh REV [LETTERS]     # e.g. benches/instructions.sh HEAD~1 3000
#
# Each binary checks the first LETTERS and the first 2 × LETTERS letters of
# one generated corpus (one thread, json-lines): the difference, divided by
# LETTERS, is the cost of a letter once everything is warm (patterns compiled,
# the literal automaton's DFA built, which happens after 2 MB of text, so
# LETTERS should stay above ~2,000); the rest is start-up. Instructions are
# not time (a cache miss costs no more instructions than a hit): confirm a
# change with benches/ab.sh. Counting runs ~50 times slower than the program.
set -euo pipefail

cd "$(dirname "$0")/.."
REV=${1:?usage: benches/instructions.sh REV [LETTERS]}
LETTERS=${2:-3000}
. benches/common.sh
command -v valgrind >/dev/null || install valgrind
command -v valgrind >/dev/null || { say "valgrind is needed (apt-get install valgrind)"; exit 1; }

say "building this tree (release)…"
cargo build --release --quiet --bin decline-lint --example gen-corpus
NEW=$PWD/target/release/decline-lint
GEN=$PWD/target/release/examples/gen-corpus
OLD=$(build_rev "$REV")

dir=$(corpus $((2 * LETTERS)))
mapfile -t files < <(find "$dir" -name '*.txt' | sort)

# Instructions executed by BIN on the first N letters.
count() {
    local bin=$1 n=$2
    # (The letters have findings: the program's exit status is 1.)
    { valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        "$bin" --threads 1 --format json-lines "${files[@]:0:n}" 2>&1 >/dev/null || true; } |
        awk '/I *refs:/ {gsub(",", "", $NF); print $NF}'
}

say "counting (about a minute)…"
declare -A per start
for side in OLD NEW; do
    bin=${!side}
    one=$(count "$bin" "$LETTERS")
    two=$(count "$bin" $((2 * LETTERS)))
    per[$side]=$(((two - one) / LETTERS))
    start[$side]=$((one - LETTERS * per[$side]))
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f×", a / b}'; }
printf '| instructions | %s | this tree | ratio |\n|---|---|---|---|\n' "$REV"
printf '| a letter, warm | %s | %s | %s |\n' "${per[OLD]}" "${per[NEW]}" "$(ratio "${per[OLD]}" "${per[NEW]}")"
printf '| start-up and warming | %s | %s | %s |\n' "${start[OLD]}" "${start[NEW]}" "$(ratio "${start[OLD]}" "${start[NEW]}")"

same_output "$OLD" "$NEW" "$REV" "${files[@]}"
