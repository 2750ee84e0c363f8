#!/usr/bin/env bash
# Benchmark: tuple-report against a bare serde_json parse and two schema validators.
#
#   bench/compare.sh [small|large|huge|all]...    default: small large
#
#   RUNS=n        timed runs of each command per size (default 5)
#   PEER_RUNS=n   runs of check-jsonschema, which takes ~40 s on the large file (default 3)
#   HUGE_PEERS=1  also run ajv and check-jsonschema on the huge file (ajv-cli: no; check-jsonschema: slow)
#   QUICK=1       a smoke run: RUNS=1 PEER_RUNS=1
#   DEFECTS=0|1   skip or force the planted-defect check (default: when large is benchmarked)
#
# The Markdown goes to stdout (and bench/out/results.md), ready for the README; progress
# goes to stderr. Everything written stays under bench/out and bench/.tools.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."   # the repo root, wherever we are called from
ROOT=$PWD
BENCH=$ROOT/bench
OUT=$BENCH/out
TOOLS=$BENCH/.tools
SCHEMA=schema/usage-report.schema.json
# The generated data lies before this instant: judge it there, or the six-month window
# and future-timestamp would depend on the day the benchmark runs.
AS_OF=2026-11-01T00:00:00Z

say() { printf '%s\n' "compare.sh: $*" >&2; }
die() { say "error: $*"; exit 1; }

# ---- options ----
RUNS=${RUNS:-5}
PEER_RUNS=${PEER_RUNS:-3}
if [[ ${QUICK:-0} == 1 ]]; then RUNS=1 PEER_RUNS=1; fi
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$RUNS'"
[[ $PEER_RUNS =~ ^[1-9][0-9]*$ ]] || die "PEER_RUNS must be a positive number, not '$PEER_RUNS'"

SIZES=()
for arg in "${@:-small large}"; do
    for word in $arg; do
        case $word in
            small | large | huge) SIZES+=("$word") ;;
            all) SIZES+=(small large huge) ;;
            -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
            *) die "unknown size '$word' (small, large, huge or all)" ;;
        esac
    done
done
# Keep the order small, large, huge and drop repeats, so that the summary reads in order.
mapfile -t SIZES < <(printf '%s\n' "${SIZES[@]}" | awk '{o=($0=="small")?1:($0=="large")?2:3; print o, $0}' | sort -u | cut -d' ' -f2)

members_of() { case $1 in small) echo 100 ;; *) echo 5000 ;; esac; }
calls_of() { case $1 in small) echo 1500 ;; large) echo 300000 ;; huge) echo 1700000 ;; esac; }

PYTHON=$(command -v python3) || die "python3 is needed (for the measurements and check-jsonschema)"
# The real interpreter, not a pyenv shim: a shim would add its own start-up to every
# check-jsonschema run.
PYTHON=$("$PYTHON" -c 'import sys; print(sys.executable)')
mkdir -p "$OUT" "$TOOLS"
if /usr/bin/time --version 2>&1 | grep -q GNU; then
    MEASURED="wall time (Python's perf_counter) and peak RSS (GNU time's %M) of each run"
else
    say "GNU time not found (apt-get install time): peak RSS will include Python's own ~14 MB"
    MEASURED="wall time and peak RSS (os.wait4, Python's own RSS included) of each run"
fi

# ---- 1. build ----
say "building (release): tuple-report and the bare_parse example"
cargo build --release --bin tuple-report --example bare_parse >&2 \
    || die "cargo build failed (is the code mid-change?)"
TARGET_DIR=${CARGO_TARGET_DIR:-target}
# Bench copies, not target/release itself: another build in this clone during the run
# would otherwise swap the binary between two runs.
mkdir -p "$OUT/bin"
cp "$TARGET_DIR/release/tuple-report" "$OUT/bin/tuple-report"
cp "$TARGET_DIR/release/examples/bare_parse" "$OUT/bin/bare_parse"
TR=$OUT/bin/tuple-report
BARE=$OUT/bin/bare_parse
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git status --porcelain -- src Cargo.toml Cargo.lock examples 2>/dev/null) ]]; then
    COMMIT="$COMMIT with uncommitted changes"
fi

# ---- 2. inputs ----
# A fingerprint of the generator's sources: the same parameters from a changed generator
# may give other bytes, so the stamp must change too.
GEN_HASH=$(cat src/generate/*.rs 2>/dev/null | sha256sum | cut -c1-16)

# generate DIR STAMP-ARGS...: runs `tuple-report generate ARGS --out DIR` unless DIR holds
# the files of exactly these arguments; its output (the planted lines) is kept in DIR.
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

for size in "${SIZES[@]}"; do
    generate "bench/out/$size" --members "$(members_of "$size")" --calls "$(calls_of "$size")" --seed 1
done

# ---- 3. peers, installed locally ----
AJV=$TOOLS/node_modules/.bin/ajv
AJV_SKIP=""
if [[ ! -x $AJV || ! -d $TOOLS/node_modules/ajv-formats ]]; then
    if ! command -v npm >/dev/null; then
        AJV_SKIP="npm not found"
    else
        say "installing ajv-cli and ajv-formats into bench/.tools (npm)"
        npm install --prefix "$TOOLS" --no-audit --no-fund ajv-cli@5 ajv-formats@3 >&2 \
            || AJV_SKIP="npm install failed (no network?)"
    fi
fi
[[ -n $AJV_SKIP ]] && say "skipping ajv: $AJV_SKIP"

CJS_SKIP=""
if ! PYTHONPATH=$TOOLS/py "$PYTHON" -c 'import check_jsonschema' 2>/dev/null; then
    say "installing check-jsonschema into bench/.tools/py (pip)"
    "$PYTHON" -m pip install --quiet --target "$TOOLS/py" check-jsonschema >&2 \
        || CJS_SKIP="pip install failed (no network?)"
fi
[[ -n $CJS_SKIP ]] && say "skipping check-jsonschema: $CJS_SKIP"

version_of() { "$@" 2>/dev/null | head -n1 || true; }
TR_VERSION=$(version_of "$TR" --version)
AJV_VERSION=$( [[ -z $AJV_SKIP ]] && sed -n 's/.*"version": *"\([^"]*\)".*/ajv-cli \1/p' \
    "$TOOLS/node_modules/ajv-cli/package.json" | head -n1 || true)
CJS_VERSION=$( [[ -z $CJS_SKIP ]] && PYTHONPATH=$TOOLS/py version_of "$PYTHON" -m check_jsonschema --version | sed "s/.*version /check-jsonschema /" || true)

# ---- 4/5. measure and print ----
RESULTS_MD=$OUT/results.md
{
    echo "## Benchmark"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'),"
    echo "$(awk '/^MemTotal/ {printf "%.0f GB RAM", $2 / 1e6}' /proc/meminfo); $TR_VERSION (commit $COMMIT);"
    echo "$(node --version 2>/dev/null | sed 's/^/node /') ${AJV_VERSION:-}; $("$PYTHON" --version) ${CJS_VERSION:-}."
    echo "Measured: $MEASURED; medians over interleaved runs; MB = 10^6 bytes."
    echo
} | tee "$RESULTS_MD"

RESULT_FILES=()
for size in "${SIZES[@]}"; do
    ajv_skip=$AJV_SKIP cjs_skip=$CJS_SKIP
    # On ~1 GB, ajv-cli fails: it reads the file into one string, beyond V8's limit of
    # ~512 MB. check-jsonschema would take minutes a run and several GB (x5.5 of large).
    if [[ $size == huge && ${HUGE_PEERS:-0} != 1 ]]; then
        ajv_skip=${ajv_skip:-"on huge only with HUGE_PEERS=1"}
        cjs_skip=${cjs_skip:-"on huge only with HUGE_PEERS=1"}
    fi
    say "benchmarking $size: $RUNS run(s), check-jsonschema $PEER_RUNS"
    "$PYTHON" "$BENCH/measure.py" bench --size "$size" --dir "bench/out/$size" \
        --members "$(members_of "$size")" --calls "$(calls_of "$size")" \
        --runs "$RUNS" --peer-runs "$PEER_RUNS" --as-of "$AS_OF" --schema "$SCHEMA" \
        --tuple-report "$TR" --bare-parse "$BARE" \
        --ajv "$AJV" ${ajv_skip:+--ajv-skip "$ajv_skip"} \
        --cjs-path "$TOOLS/py" ${cjs_skip:+--cjs-skip "$cjs_skip"} \
        --out-dir "$OUT" --results "$OUT/results-$size.json" | tee -a "$RESULTS_MD"
    RESULT_FILES+=("$OUT/results-$size.json")
done
"$PYTHON" "$BENCH/measure.py" summary "${RESULT_FILES[@]}" | tee -a "$RESULTS_MD"

# ---- 7. planted defects: a sanity check of correctness, not timed ----
status=0
want_defects=0
for size in "${SIZES[@]}"; do [[ $size == large ]] && want_defects=1; done
if [[ ${DEFECTS:-$want_defects} == 1 ]]; then
    dir=bench/out/large-defects
    generate "$dir" --members 5000 --calls 300000 --seed 1 \
        --defect call-ends-before-start@start --defect empty-call@middle \
        --defect schema-format@end
    say "checking $dir"
    code=0
    "$TR" check --format json --as-of "$AS_OF" "$dir/usage.json" "$dir/users.csv" \
        >"$dir/check.json" || code=$?
    # Exit 1 is expected (the planted errors); 2 means it could not check at all.
    if ((code > 1)); then
        die "tuple-report check exited $code on $dir (see $dir/check.json)"
    fi
    "$PYTHON" "$BENCH/measure.py" defects --planted "$dir/generate.log" \
        --report "$dir/check.json" | tee -a "$RESULTS_MD" || status=1
    ((status == 0)) || say "a planted defect was not reported where it was planted"
fi

say "done; the Markdown is also in bench/out/results.md"
exit $status
