# Shared by benches/compare.sh and benches/ab.sh (sourced, not run): the
# directory generated inputs are kept in, and the corpus they share.

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
