# shellcheck shell=bash
# Sourced by bench/compare.sh and bench/html.sh: generating the benchmark's report pairs once,
# and knowing when a pair on disk is still the one asked for. The caller defines say, die
# and TR (the tuple-report to generate with).

# A fingerprint of the generator's sources: the same parameters from a changed generator
# may give other bytes, so the stamp must change too.
GEN_HASH=$(cat src/generate/*.rs 2>/dev/null | sha256sum | cut -c1-16)

# The large pair (178 MB of usage.json), and the defects planted in its copy with defects.
# shellcheck disable=SC2034 # both are used by the scripts that source this one
{
    LARGE_ARGS=(--members 5000 --calls 300000 --seed 1)
    LARGE_DEFECTS=(--defect call-ends-before-start@start --defect empty-call@middle
        --defect schema-format@end)
}

# generate DIR ARGS...: runs `tuple-report generate ARGS --out DIR` unless DIR holds the
# files of exactly these arguments; its output (the planted lines) is kept in DIR.
generate() {
    local dir=$1; shift
    local params="$* generator=$GEN_HASH"
    if [[ -f $dir/usage.json && -f $dir/users.csv && -f $dir/params \
          && $(<"$dir/params") == "$params" ]]; then
        say "reusing $dir ($*)"
        return
    fi
    say "generating $dir ($*)"
    rm -f "$dir/params"                    # an interrupted run must not look complete
    mkdir -p "$dir"
    "$TR" generate "$@" --out "$dir" >"$dir/generate.log" \
        || die "tuple-report generate $* failed"
    printf '%s\n' "$params" >"$dir/params"
}
