# shellcheck shell=bash
# Shared by the scripts in benches/ (sourced, not run): the directory
# generated inputs are kept in, the corpus they share, the tools they install
# and how they time a command.

WORK=${WORK:-${TMPDIR:-/tmp}/decline-lint-bench}
mkdir -p "$WORK"

say() { printf '%s\n' "$*" >&2; }

# N -> a directory with N generated letters, made once with the corpus
# generator "$GEN".
corpus() {
    local dir="$WORK/corpus-$1"
    if [ ! -f "$dir/.complete" ]; then
        rm -rf "$dir"
        say "generating $1 letters…"
        "$GEN" "$1" "$dir" 2>/dev/null
        touch "$dir/.complete"
    fi
    printf '%s' "$dir"
}

# REV -> the path of its release binary, built once in a worktree under $WORK
# with its own target directory.
build_rev() {
    local sha tree
    sha=$(git rev-parse --verify "$1^{commit}") || return 1
    tree="$WORK/ab-$sha"
    if [ ! -x "$tree/target/release/decline-lint" ]; then
        say "building $1 ($sha)…"
        rm -rf "$tree"
        git worktree add --detach --force "$tree" "$sha" >/dev/null 2>&1 || return 1
        (cd "$tree" && cargo build --release --quiet --bin decline-lint) || return 1
    fi
    printf '%s' "$tree/target/release/decline-lint"
}

# OLD NEW REV INPUTS... -> says whether the two binaries print the same for
# INPUTS (one thread, json-lines).
same_output() {
    local old=$1 new=$2 rev=$3
    shift 3
    if cmp -s <("$old" --threads 1 --format json-lines "$@" 2>/dev/null || true) \
        <("$new" --threads 1 --format json-lines "$@" 2>/dev/null || true); then
        say "output: the same, byte for byte"
    else
        say "output: differs between $rev and this tree"
    fi
}

# --- tools -------------------------------------------------------------------
install() {
    # apt-get only as root, and only once per run.
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        if [ -z "${APT_UPDATED:-}" ]; then
            apt-get update -qq >/dev/null 2>&1 || true
            APT_UPDATED=1
        fi
        apt-get install -y -qq "$@" >/dev/null 2>&1 || true
    fi
}
command -v hyperfine >/dev/null || install hyperfine
[ -x /usr/bin/time ] || install time
HAVE_HYPERFINE=$(command -v hyperfine >/dev/null && echo 1 || echo 0)
HAVE_TIME=$([ -x /usr/bin/time ] && echo 1 || echo 0)

# --- timing ---------------------------------------------------------------------
now_ns() { date +%s%N; }

# Median wall time of a command in ms, over RUNS runs (hyperfine when present).
median_ms() {
    local runs=$1
    shift
    if [ "$HAVE_HYPERFINE" = 1 ]; then
        local json="$WORK/hyperfine.json"
        hyperfine -N --warmup 5 --runs "$runs" -i --export-json "$json" "$*" >/dev/null 2>&1
        python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$json"
    else
        local times=() t0 t1
        for _ in $(seq 1 "$runs"); do
            t0=$(now_ns)
            "$@" >/dev/null 2>&1 || true
            t1=$(now_ns)
            times+=($(((t1 - t0) / 1000)))
        done
        printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {printf "%.2f", a[int((NR + 1) / 2)] / 1000}'
    fi
}

# Runs a command once: "<seconds> <peak RSS in MB>" (output to $WORK/out; the
# peak resident set size as `/usr/bin/time -v` reports it).
run_once() {
    local t0 t1 rss="?"
    t0=$(now_ns)
    if [ "$HAVE_TIME" = 1 ]; then
        /usr/bin/time -v -o "$WORK/rss" "$@" >"$WORK/out" 2>/dev/null || true
        rss=$(awk -F: '/Maximum resident set size/ {printf "%.1f", $2 / 1024}' "$WORK/rss")
    else
        "$@" >"$WORK/out" 2>/dev/null || true
    fi
    t1=$(now_ns)
    awk -v ns=$((t1 - t0)) -v rss="$rss" 'BEGIN {printf "%.3f %s", ns / 1e9, rss}'
}

# The median of the numbers on standard input, one a line ("?" when none).
median() { sort -n | awk '{a[NR] = $1} END {if (NR) print a[int((NR + 1) / 2)]; else print "?"}'; }

mbps() { awk -v b="$1" -v s="$2" 'BEGIN {printf "%.1f", b / 1e6 / s}'; }
