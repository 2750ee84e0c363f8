#!/usr/bin/env bash
# Benchmark: tuple-report against a bare serde_json parse and two schema validators.
#
#   bench/compare.sh [small|large|huge|fleet|all]...    default: small large
#
#   small, large, huge  one generated pair: usage.json of ~1, 178 and ~1,000 MB
#   fleet         `check DIR` over a folder of 1,632 generated pairs (4 copies of 408 pairs,
#                 ~0.5 GB in all) against one copy alone and against ajv and check-jsonschema
#                 in one process over the same files (issue 15). Not part of `all`: it writes
#                 ~1 GB (the fleet and a copy of it with a defect) and check-jsonschema takes
#                 minutes a run. Its byte-rate target needs bench/out/results-large.json: run
#                 it with large (`bench/compare.sh large fleet`) or after it.
#   RUNS=n        timed runs of each command per size (default 5)
#   PEER_RUNS=n   runs of check-jsonschema, which takes ~40 s on the large file (default 3)
#   HUGE_PEERS=1  also run ajv and check-jsonschema on the huge file (ajv-cli: no; check-jsonschema: slow)
#   QUICK=1       a smoke run: RUNS=1 PEER_RUNS=1
#   DEFECTS=0|1   skip or force the planted-defect check (default: when large is benchmarked)
#   CJS_FLEET=one check-jsonschema over one copy of the fleet only, not all of it (default: all)
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
[[ ${CJS_FLEET:-all} =~ ^(all|one)$ ]] || die "CJS_FLEET must be all or one, not '$CJS_FLEET'"

SIZES=()
for arg in "${@:-small large}"; do
    for word in $arg; do
        case $word in
            small | large | huge | fleet) SIZES+=("$word") ;;
            all) SIZES+=(small large huge) ;;
            -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
            *) die "unknown size '$word' (small, large, huge, fleet or all)" ;;
        esac
    done
done
# Keep the order small, large, huge, fleet and drop repeats, so that the summary reads in
# order, and large's results are there when the fleet compares its byte rate with them.
mapfile -t SIZES < <(printf '%s\n' "${SIZES[@]}" | awk '{o=($0=="small")?1:($0=="large")?2:($0=="huge")?3:4; print o, $0}' | sort -u | cut -d' ' -f2)

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
# GEN_HASH, LARGE_ARGS, LARGE_DEFECTS and generate(), shared with the other benchmark.
# shellcheck source=bench/generate.sh
source bench/generate.sh

for size in "${SIZES[@]}"; do
    [[ $size == fleet ]] && continue
    generate "bench/out/$size" --members "$(members_of "$size")" --calls "$(calls_of "$size")" --seed 1
done

# ---- 2b. the fleet: many pairs in one folder tree, as `check DIR` meets a team's exports ----
FLEET=bench/out/fleet                # copy-1 .. copy-4, each holding team-0001 .. team-0408
FLEET_DEFECT=bench/out/fleet-defect  # the same again, with a defect in its very last pair
FLEET_COPIES=4
FLEET_TEAMS=408
FLEET_DESCRIBE="Each copy: 400 pairs of 10–60 members and 100–800 calls, 4 of 3–5 members and 5–20 calls, 4 of 300 members and 8,000 calls, spread through the copy; each pair has its own seed."

# One line per pair of a copy: FOLDER MEMBERS CALLS SEED. The few small and few-MB pairs are
# spread among the middling ones rather than bunched, so that neither end of the walk is
# special; the last pair (team-0408) is a middling one.
fleet_specs() {
    local p i=0 k=0
    for ((p = 1; p <= FLEET_TEAMS; p++)); do
        case $((p % 102)) in
            25) k=$((k + 1)); printf 'team-%04d %d %d %d\n' "$p" $((3 + k % 3)) $((5 * k)) "$p" ;;
            76) printf 'team-%04d %d %d %d\n' "$p" 300 8000 "$p" ;;
            *) i=$((i + 1))
               printf 'team-%04d %d %d %d\n' "$p" $((10 + i * 37 % 51)) $((100 + i * 131 % 701)) "$p" ;;
        esac
    done
}

# is_current DIR PARAMS: DIR holds a complete fleet made with exactly PARAMS. The stamp is a
# file beside DIR, not in it: inside, the walk would list it among the files left out.
is_current() {
    [[ -f $1.params && $(<"$1.params") == "$2" ]] \
        && (($(find "$1" -name usage.json 2>/dev/null | wc -l) == FLEET_COPIES * FLEET_TEAMS))
}

# copy_fleet TO: plain copies, not hard links nor reflinks: a file that is another's link could
# be deduplicated or cached by the tool, and real exports are separate files.
copy_fleet() {
    local k
    for ((k = 1; k <= FLEET_COPIES; k++)); do
        [[ $1 == "$FLEET" && $k == 1 ]] && continue
        cp -R --reflink=never "$FLEET/copy-1" "$1/copy-$k"
    done
}

generate_fleet() {
    local specs params last name members calls seed
    specs=$(fleet_specs)
    params="copies=$FLEET_COPIES teams=$FLEET_TEAMS specs=$(sha256sum <<<"$specs" | cut -c1-16) generator=$GEN_HASH"
    if is_current "$FLEET" "$params"; then
        say "reusing $FLEET ($params)"
    else
        say "generating $FLEET: $FLEET_TEAMS pairs, copied $FLEET_COPIES times"
        rm -f "$FLEET.params" "$FLEET_DEFECT.params"  # an interrupted run must not look complete
        rm -rf "$FLEET"
        mkdir -p "$FLEET/copy-1"
        # One process a pair, as many at once as there are cores: ~2 s for the 408. The $n
        # are sh's (the tool, then a line of specs), hence the single quotes.
        # shellcheck disable=SC2016
        awk -v to="$FLEET/copy-1/" '{ print to $0 }' <<<"$specs" | xargs -P "$(nproc)" -L 1 sh -c \
            'exec "$0" generate --members "$2" --calls "$3" --seed "$4" --out "$1" >/dev/null' "$TR" \
            || die "tuple-report generate failed for a pair of the fleet"
        copy_fleet "$FLEET"
        printf '%s\n' "$params" >"$FLEET.params"
    fi

    last=$(tail -n 1 <<<"$specs")
    read -r name members calls seed <<<"$last"
    FLEET_LAST=copy-$FLEET_COPIES/$name
    params="$params defect=empty-call@end in $FLEET_LAST"
    if is_current "$FLEET_DEFECT" "$params"; then
        say "reusing $FLEET_DEFECT"
        return
    fi
    say "copying $FLEET to $FLEET_DEFECT, with a defect planted at the end of $FLEET_LAST"
    rm -f "$FLEET_DEFECT.params"
    rm -rf "$FLEET_DEFECT"
    mkdir -p "$FLEET_DEFECT"
    copy_fleet "$FLEET_DEFECT"
    rm -r "${FLEET_DEFECT:?}/$FLEET_LAST"
    # Its output, "planted empty-call at FILE:LINE", is what the check must report; kept beside
    # the tree, not in it, for the same reason as the stamp.
    "$TR" generate --members "$members" --calls "$calls" --seed "$seed" --defect empty-call@end \
        --out "$FLEET_DEFECT/$FLEET_LAST" >"$FLEET_DEFECT.log" \
        || die "tuple-report generate failed for $FLEET_DEFECT/$FLEET_LAST"
    printf '%s\n' "$params" >"$FLEET_DEFECT.params"
}

for size in "${SIZES[@]}"; do
    if [[ $size == fleet ]]; then generate_fleet; fi
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

# bench_fleet AJV-SKIP CJS-SKIP: the fleet's section; fails only when the planted defect went
# unreported (missed speed and memory targets are verdicts in the table, not failures).
bench_fleet() {
    local jobs=() reference=$OUT/results-large.json code=0
    # Only a build that has it: --jobs is new in issue 15. Not `| grep -q`, whose early exit
    # would fail the pipe under pipefail.
    if grep -q -- '--jobs' <<<"$("$TR" check --help 2>&1)"; then
        jobs=(--has-jobs)
    else
        say "fleet: this tuple-report has no check --jobs; skipping that row"
    fi
    if [[ ! -f $reference ]]; then
        say "fleet: no $reference: the byte-rate target needs the large size (bench/compare.sh large fleet)"
    elif [[ " ${SIZES[*]} " != *" large "* ]]; then
        say "fleet: comparing with $reference of an earlier run, not of this build"
    fi
    "$PYTHON" "$BENCH/measure.py" fleet --dir "$FLEET" --one-copy "$FLEET/copy-1"         --defect-dir "$FLEET_DEFECT" --planted "$FLEET_DEFECT.log" --describe "$FLEET_DESCRIBE"         --runs "$RUNS" --peer-runs "$PEER_RUNS" --as-of "$AS_OF" --schema "$SCHEMA"         --tuple-report "$TR" "${jobs[@]}"         --ajv "$AJV" ${1:+--ajv-skip "$1"}         --cjs-path "$TOOLS/py" ${2:+--cjs-skip "$2"} --cjs-set "${CJS_FLEET:-all}"         --reference "$reference"         --out-dir "$OUT" --results "$OUT/results-fleet.json" | tee -a "$RESULTS_MD" || code=$?
    case $code in
        0) ;;
        3) say "fleet: the defect planted in $FLEET_DEFECT/$FLEET_LAST was not reported at its line"
           return 1 ;;
        *) die "measure.py fleet failed (exit $code)" ;;
    esac
}

status=0
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
    if [[ $size == fleet ]]; then
        bench_fleet "$ajv_skip" "$cjs_skip" || status=1
        RESULT_FILES+=("$OUT/results-fleet.json")
        continue
    fi
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
want_defects=0
for size in "${SIZES[@]}"; do [[ $size == large ]] && want_defects=1; done
if [[ ${DEFECTS:-$want_defects} == 1 ]]; then
    dir=bench/out/large-defects
    generate "$dir" "${LARGE_ARGS[@]}" "${LARGE_DEFECTS[@]}"
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
