#!/usr/bin/env bash
# Compares this tree's release build with another revision's, side by side:
# the two binaries take turns on the same generated corpus (so a busy moment
# of a shared machine hits both alike), and the medians of their wall and CPU
# times are printed with their ratio. It also checks that both print the same.
#
#   benches/ab.sh REV [RUNS [LETTERS]]     # e.g. benches/ab.sh HEAD~3 5 10000
#
# REV is built once in a worktree under $WORK (default
# /tmp/decline-lint-bench), with its own target directory; corpora are shared
# with benches/compare.sh.
set -euo pipefail

cd "$(dirname "$0")/.."
REV=${1:?usage: benches/ab.sh REV [RUNS [LETTERS]]}
RUNS=${2:-5}
LETTERS=${3:-10000}
. benches/common.sh

say "building this tree (release)…"
cargo build --release --quiet --bin decline-lint --example gen-corpus
NEW=$PWD/target/release/decline-lint
GEN=$PWD/target/release/examples/gen-corpus

OLD=$(build_rev "$REV")

dir=$(corpus "$LETTERS")

# One timed run: "<wall s> <cpu s>" (CPU from /usr/bin/time when present).
run() {
    local t0 t1 cpu="?"
    t0=$(date +%s%N)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -o "$WORK/ab.time" -f "%U %S" "$@" >/dev/null 2>&1 || true
        # (The last line: a failing exit status adds one before it.)
        cpu=$(tail -n 1 "$WORK/ab.time" | awk '{printf "%.2f", $1 + $2}')
    else
        "$@" >/dev/null 2>&1 || true
    fi
    t1=$(date +%s%N)
    awk -v ns=$((t1 - t0)) -v cpu="$cpu" 'BEGIN {printf "%.3f %s\n", ns / 1e9, cpu}'
}

# Cores busy: CPU time over wall time, median of the runs (a machine's load
# moves it less than it moves either time).
busy() { awk -v w="$1" -v c="$2" 'BEGIN {if (c == "?") print "?"; else printf "%.2f\n", c / w}'; }

printf '| threads | %s wall / CPU | this tree wall / CPU | ratio (wall) | cores busy |\n|---|---|---|---|---|\n' "$REV"
for threads in 1 0; do
    label=$([ "$threads" = 1 ] && echo 1 || echo all)
    old_w=() old_c=() old_b=() new_w=() new_c=() new_b=()
    for _ in $(seq 1 "$RUNS"); do
        read -r w c <<<"$(run "$OLD" --threads "$threads" --format json-lines "$dir")"
        old_w+=("$w") old_c+=("$c") old_b+=("$(busy "$w" "$c")")
        read -r w c <<<"$(run "$NEW" --threads "$threads" --format json-lines "$dir")"
        new_w+=("$w") new_c+=("$c") new_b+=("$(busy "$w" "$c")")
    done
    ow=$(printf '%s\n' "${old_w[@]}" | median)
    oc=$(printf '%s\n' "${old_c[@]}" | median)
    nw=$(printf '%s\n' "${new_w[@]}" | median)
    nc=$(printf '%s\n' "${new_c[@]}" | median)
    ob=$(printf '%s\n' "${old_b[@]}" | median)
    nb=$(printf '%s\n' "${new_b[@]}" | median)
    ratio=$(awk -v a="$ow" -v b="$nw" 'BEGIN {printf "%.2f×", a / b}')
    printf '| %s | %s s / %s s | %s s / %s s | %s | %s → %s |\n' "$label" "$ow" "$oc" "$nw" "$nc" "$ratio" "$ob" "$nb"
done

same_output "$OLD" "$NEW" "$REV" "$dir"
