#!/usr/bin/env bash
# Benchmark: `check --format html` against the human output of the same check (issue 16: "a
# 180 MB report gives a page of a few MB at most, in about the time of the human output").
#
#   bench/html.sh
#
#   RUNS=n     timed runs of each format per case, interleaved human, html, human, ... (default 5)
#   TR=path    the tuple-report to measure (default: build the release binary, ~2 minutes)
#   QUICK=1    a smoke run: RUNS=1
#
# Cases, each one pair of 178 MB usage.json + users.csv (5,000 members, 300,000 calls),
# generated as bench/compare.sh generates them (and shared with it) when missing or stale:
#   valid          bench/out/large, judged at 2026-11-01: no findings
#   defects        bench/out/large-defects, the same with three planted defects
#   many-findings  bench/out/large judged at 2026-01-01, before all its calls: every call is in
#                  the future, ~600,000 findings; the page stays small because human and HTML
#                  show at most --max-per-rule (default 10) of each rule
#
# Targets: the page at most a few MB (<= 5 MB), and the HTML's median time <= 1.25x the human's.
# The Markdown goes to stdout (and bench/out/html-results.md); progress goes to stderr.
# Everything written stays under bench/out. Exit 0 unless a run could not check (exit code
# 2 or worse) or gave no page; missed targets are verdicts in the table, not failures.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."   # the repo root, wherever we are called from
export LC_ALL=C                          # a "." in $EPOCHREALTIME and in awk's numbers
OUT=bench/out
WORK=$OUT/html                           # the outputs of each case and run, and the logs
RESULTS_MD=$OUT/html-results.md
AS_OF=2026-11-01T00:00:00Z               # after all the generated calls (as compare.sh)
AS_OF_EARLY=2026-01-01T00:00:00Z         # before all of them: every call is in the future
PAGE_MAX_MB=5
TIME_MAX_RATIO=1.25

say() { printf '%s\n' "html.sh: $*" >&2; }
die() { say "error: $*"; exit 1; }

case ${1:-} in
    '') ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "no arguments expected (see --help), not '$1'" ;;
esac

# ---- options ----
RUNS=${RUNS:-5}
if [[ ${QUICK:-0} == 1 ]]; then RUNS=1; fi
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$RUNS'"

PYTHON=$(command -v python3) || die "python3 is needed (for the measurements without GNU time)"
# GNU time's %M is the tool's own peak RSS; without it, Python's os.wait4 reports a peak
# that includes Python's own (~10 MB), as the forked child starts as a copy of it.
if /usr/bin/time --version 2>&1 | grep -q GNU && ((BASH_VERSINFO[0] >= 5)); then
    MEASURER=gnu-time
    MEASURED="wall time (bash's \$EPOCHREALTIME around GNU time) and peak RSS (GNU time's %M)"
else
    MEASURER=python
    say "GNU time (apt-get install time) or bash 5 not found: measuring with Python; peak RSS includes Python's own"
    MEASURED="wall time (Python's perf_counter) and peak RSS (os.wait4, Python's own RSS included)"
fi
mkdir -p "$OUT" "$WORK"

# ---- 1. build ----
if [[ -n ${TR:-} ]]; then
    [[ -x $TR ]] || die "TR=$TR is not an executable"
    TR=$(realpath "$TR")
    say "measuring $TR (TR), not building"
else
    say "building (release): tuple-report"
    cargo build --release --bin tuple-report >&2 || die "cargo build failed (is the code mid-change?)"
    # A bench copy, not target/release itself, so that another build during the run cannot
    # swap the binary between two runs; not compare.sh's copy, which it may be running.
    mkdir -p "$OUT/bin"
    cp "${CARGO_TARGET_DIR:-target}/release/tuple-report" "$OUT/bin/tuple-report-html"
    TR=$OUT/bin/tuple-report-html
fi
# Not `| grep -q`, whose early exit would fail the pipe under pipefail.
grep -q -- 'html' <<<"$("$TR" check --help 2>&1)" || die "$TR has no check --format html"
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git status --porcelain -- src Cargo.toml Cargo.lock 2>/dev/null) ]]; then
    COMMIT="$COMMIT with uncommitted changes"
fi
TR_VERSION=$("$TR" --version 2>/dev/null | head -n1 || true)

# ---- 2. inputs: compare.sh's generate() and stamp, so that both scripts share the pairs ----
# GEN_HASH, LARGE_ARGS, LARGE_DEFECTS and generate(), shared with the other benchmark.
# shellcheck source=bench/generate.sh
source bench/generate.sh
generate "$OUT/large" "${LARGE_ARGS[@]}"
generate "$OUT/large-defects" "${LARGE_ARGS[@]}" "${LARGE_DEFECTS[@]}"

# One line a case: NAME DIR AS-OF
CASES="valid $OUT/large $AS_OF
defects $OUT/large-defects $AS_OF
many-findings $OUT/large $AS_OF_EARLY"

# ---- 3. measure ----
# run_once OUTFILE ERRFILE ARGS...: runs the tool with ARGS, its standard output to OUTFILE,
# and prints "WALL-SECONDS PEAK-RSS-KB EXIT-CODE".
run_once() {
    local out=$1 err=$2; shift 2
    if [[ $MEASURER == gnu-time ]]; then
        local t0 t1 code=0
        t0=$EPOCHREALTIME
        /usr/bin/time -o "$WORK/time.tmp" -f '%M' "$TR" "$@" >"$out" 2>"$err" || code=$?
        t1=$EPOCHREALTIME
        # With a non-zero exit, GNU time writes "Command exited with ..." before the %M line.
        printf '%s %s %s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')" \
            "$(tail -n1 "$WORK/time.tmp")" "$code"
    else
        "$PYTHON" - "$out" "$err" "$TR" "$@" <<'PY'
import os, sys, time
out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(out, "wb") as o, open(err, "wb") as e:
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.dup2(o.fileno(), 1); os.dup2(e.fileno(), 2)
        try:
            os.execv(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
print(f"{wall:.4f} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
PY
    fi
}

# median FILE COLUMN, min FILE COLUMN, max FILE COLUMN over the lines of FILE
median() { awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 } END {
    print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
minimum() { awk -v c="$2" '{ print $c }' "$1" | sort -g | head -n1; }
maximum() { awk -v c="$2" '{ print $c }' "$1" | sort -g | tail -n1; }

status=0
while read -r name dir as_of; do
    say "$name: $RUNS run(s) of each format, interleaved (check --as-of $as_of $dir)"
    mkdir -p "$WORK/$name"
    # One untimed run of each first: the page cache and the CPU's clock settle, so that the
    # first timed run (always human) does not pay for them.
    for format in human html; do
        run_once /dev/null /dev/null check --format "$format" --as-of "$as_of" \
            "$dir/usage.json" "$dir/users.csv" >/dev/null
    done
    : >"$WORK/$name/human.runs"
    : >"$WORK/$name/html.runs"
    for ((run = 1; run <= RUNS; run++)); do
        for format in human html; do
            ext=txt; [[ $format == html ]] && ext=html
            line=$(run_once "$WORK/$name/out.$ext" "$WORK/$name/$format.stderr" \
                check --format "$format" --as-of "$as_of" "$dir/usage.json" "$dir/users.csv")
            read -r wall rss code <<<"$line"
            # 0: no findings, 1: findings. 2 or worse: it could not check, so nothing to time.
            if ((code > 1)); then
                say "$name: check --format $format exited $code (see $WORK/$name/$format.stderr)"
                status=1
            fi
            printf '%s %s %s %s\n' "$wall" "$rss" "$code" "$(stat -c %s "$WORK/$name/out.$ext")" \
                >>"$WORK/$name/$format.runs"
            say "  run $run $format: ${wall} s, $((rss / 1000)) MB, exit $code"
        done
    done
    # The two formats judge the same check: their exit codes must agree.
    if [[ $(awk '{ print $3 }' "$WORK/$name/human.runs" "$WORK/$name/html.runs" | sort -u | wc -l) != 1 ]]; then
        say "$name: the exit codes differ between runs or formats (see $WORK/$name/*.runs)"
        status=1
    fi
    if [[ $(tail -c 100 "$WORK/$name/out.html") != *'</html>'* ]]; then
        say "$name: $WORK/$name/out.html is not a whole page"
        status=1
    fi
    for format in human html; do
        if [[ $(awk '{ print $4 }' "$WORK/$name/$format.runs" | sort -u | wc -l) != 1 ]]; then
            say "$name: the $format output's size differs between runs (with --as-of it should not)"
        fi
    done
done <<<"$CASES"
rm -f "$WORK/time.tmp"

# ---- 4. print ----
{
    echo "## HTML output: time, memory and size against the human output"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'),"
    echo "$(awk '/^MemTotal/ {printf "%.0f GB RAM", $2 / 1e6}' /proc/meminfo); $TR_VERSION (commit $COMMIT)."
    echo "Measured: $MEASURED;"
    echo "RUNS=$RUNS timed runs of each format per case, interleaved (human, html, human, ...) after"
    echo "one untimed run of each; medians; MB = 10^6 bytes. Each case is one pair of 178 MB usage.json"
    echo "+ 0.4 MB users.csv (5,000 members, 300,000 calls): \`check --format F --as-of T usage.json users.csv\`."
    echo
    echo "| case | as of | findings | format | median wall (s) | min–max (s) | median peak RSS (MB) | output (MB) | html/human time | html/human memory |"
    echo "|---|---|---|---|---:|---:|---:|---:|---:|---:|"
    targets=()
    while read -r name dir as_of; do
        # The human output's last line is the total: "no problems found" or "N errors, M warnings".
        findings=$(tail -n1 "$WORK/$name/out.txt" | sed 's/^no problems found$/none/')
        h_wall=$(median "$WORK/$name/human.runs" 1) x_wall=$(median "$WORK/$name/html.runs" 1)
        h_rss=$(median "$WORK/$name/human.runs" 2) x_rss=$(median "$WORK/$name/html.runs" 2)
        h_size=$(stat -c %s "$WORK/$name/out.txt") x_size=$(stat -c %s "$WORK/$name/out.html")
        for format in human html; do
            f=$WORK/$name/$format.runs
            awk -v c="$name" -v a="${as_of%%T*}" -v n="$findings" -v fm="$format" \
                -v w="$(median "$f" 1)" -v lo="$(minimum "$f" 1)" -v hi="$(maximum "$f" 1)" \
                -v r="$(median "$f" 2)" -v s="$([[ $format == human ]] && echo "$h_size" || echo "$x_size")" \
                -v hw="$h_wall" -v xw="$x_wall" -v hr="$h_rss" -v xr="$x_rss" 'BEGIN {
                ratios = (fm == "html") ? sprintf("%.2f× | %.2f×", xw / hw, xr / hr) : " | "
                size = (s >= 10000) ? sprintf("%.3f", s / 1e6) : sprintf("%.6f", s / 1e6)
                printf "| %s | %s | %s | %s | %.3f | %.3f–%.3f | %.0f | %s | %s |\n",
                    (fm == "human") ? c : "", (fm == "human") ? a : "", (fm == "human") ? n : "",
                    fm, w, lo, hi, r / 1000, size, ratios }'
        done
        targets+=("$(awk -v c="$name" -v s="$x_size" -v m="$PAGE_MAX_MB" 'BEGIN {
            printf "| page at most a few MB (≤ %d MB) | %s | %.2f MB | %s |", m, c, s / 1e6,
                (s / 1e6 <= m) ? "met" : "**not met**" }')")
        targets+=("$(awk -v c="$name" -v hw="$h_wall" -v xw="$x_wall" -v m="$TIME_MAX_RATIO" 'BEGIN {
            printf "| html time ≤ %.2f× human | %s | %.2f× (%.3f s / %.3f s) | %s |", m, c, xw / hw, xw, hw,
                (xw / hw <= m) ? "met" : "**not met**" }')")
    done <<<"$CASES"
    echo
    echo "| target | case | measured | verdict |"
    echo "|---|---|---|---|"
    printf '%s\n' "${targets[@]}"
} | tee "$RESULTS_MD"

say "done; the Markdown is also in $RESULTS_MD"
exit $status
