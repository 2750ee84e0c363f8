#!/usr/bin/env python3
"""Timing, tables and the planted-defect check for bench/compare.sh (standard library only).

    measure.py bench ...      time the commands of one size, print its Markdown section
    measure.py fleet ...      the same for a folder of many pairs (`check DIR`), with its targets
    measure.py summary FILE.. the lines comparing sizes (memory flat? time linear?)
    measure.py defects ...    match generate's "planted RULE at FILE:LINE" to the findings

Markdown goes to stdout (ready for the README); progress and errors go to stderr.
Sizes are in MB = 10^6 bytes, both files and peak RSS.
"""

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time

MB = 1_000_000

# The targets of the README: tuple-report at least 5 times as fast as ajv, at most 2.5 times
# a bare serde_json parse, and a peak RSS of at most half the usage report's size.
TARGET_SPEEDUP_VS_AJV = 5.0
TARGET_VS_BARE = 2.5
TARGET_RSS_PER_FILE = 0.5
# The fleet's targets (issue 15): a folder of many pairs is checked at nearly the byte rate of one
# large report, in bounded memory that hardly grows with the number of pairs, still well ahead
# of ajv, and a clean folder says so in a few lines.
TARGET_FLEET_RATE_VS_LARGE = 0.8
TARGET_FLEET_RSS = 150 * MB
TARGET_FLEET_RSS_GROWTH = 1.3
TARGET_FLEET_LINES = 5


def log(message):
    print(message, file=sys.stderr, flush=True)


def find_gnu_time():
    """/usr/bin/time when it is GNU time, else None."""
    try:
        text = subprocess.run(["/usr/bin/time", "--version"], capture_output=True, text=True,
                              timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return "/usr/bin/time" if "GNU" in text.stdout + text.stderr else None


GNU_TIME = find_gnu_time()


def medians_of(results):
    """Two views of interleave()'s results: median(name, key), None when there were no runs,
    and ok(name), whether every run of that command went as it should."""

    def median(name, key):
        values = results[name][key]
        return statistics.median(values) if values else None

    def ok(name):
        return bool(results[name]["walls"]) and not results[name]["flags"]

    return median, ok


def run_once(argv, env, log_path):
    """Runs argv once as a fresh child; returns (wall seconds, peak RSS bytes, exit code).

    The peak RSS comes from GNU time's %M, not from os.wait4 here: on exec, Linux carries the
    RSS high-water mark of the process that forked into the child's ru_maxrss, so every
    child of this Python would show at least Python's own ~14 MB (GNU time adds ~1 MB).
    The wall time is measured here, since %e has a resolution of 10 ms. Output goes to a
    file, not a pipe, so that reading it costs the child nothing.
    """
    rss_path = log_path + ".rss"
    if GNU_TIME:
        argv = [GNU_TIME, "-f", "%M", "-o", rss_path] + argv
    with open(log_path, "wb") as out:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = code = os.waitstatus_to_exitcode(status)  # Popen must not wait again
    rss_kib = usage.ru_maxrss
    if GNU_TIME:
        # The last line is %M; a line before it may say "Command terminated by signal N",
        # in which case time exits 128 + N: report that as the signal it was.
        with open(rss_path) as f:
            lines = f.read().split()
        rss_kib = int(lines[-1]) if lines and lines[-1].isdigit() else 0
        match = re.search(r"terminated by signal (\d+)", " ".join(lines))
        if match:
            code = -int(match.group(1))
    return wall, rss_kib * 1024, code


def tail(path, lines=15):
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - 8000))
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def head(path):
    try:
        with open(path, "rb") as f:
            return f.read(8000).decode("utf-8", "replace")
    except OSError:
        return ""


def classify_peer(name, code, log_path):
    """What a peer's exit says: None when it found the file valid, else a short flag."""
    if code == 0:
        return None
    # The verdict line comes first (ajv: "FILE invalid") and may be followed by thousands of
    # errors; a crash's message comes last.
    text = head(log_path) + "\n" + tail(log_path, 200)
    if name == "ajv" and re.search(r" invalid\b", text):
        return "reported the file invalid"
    if name == "check-jsonschema" and "Schema validation errors" in text:
        return "reported the file invalid"
    if code < 0:
        return f"failed (killed by signal {-code})"
    if "heap out of memory" in text or "MemoryError" in text:
        return f"failed (out of memory, exit {code})"
    return f"failed (exit {code})"


def ajv_argv(ajv, schema, data):
    """ajv-cli as the README runs it; DATA may also be a glob, which ajv expands itself."""
    return [ajv or "ajv", "validate", "--spec=draft7", "-c", "ajv-formats", "--all-errors",
            "-s", schema, "-d", data]


def interleave(commands, label, logs, warm, env_of):
    """Times the commands in rounds, A B C D then A B C D again: a noisy moment hits every
    command alike. commands holds (name, label, argv, runs, required to succeed, reason to skip
    or None); returns {name: {"walls": [...], "rss": [...], "flags": [...]}}."""
    results = {name: {"walls": [], "rss": [], "flags": []} for name, *_ in commands}
    rounds = max([runs for _, _, _, runs, _, skip in commands if skip is None] + [0])
    for round_no in range(rounds):
        for name, _, argv, runs, required, skip in commands:
            if skip is not None or round_no >= runs:
                continue
            log_path = os.path.join(logs, f"{name}.log")
            warm()
            log(f"  {label}: round {round_no + 1}/{rounds}: {name} ...")
            wall, rss, code = run_once(argv, env_of(name), log_path)
            log(f"    {wall:.3f} s, {rss / MB:.1f} MB, exit {code}")
            if required and code != 0:
                # The generated input is valid: a finding or a crash here is a bug, and timing
                # a failing run would measure nothing.
                log(f"error: {name} exited {code} on the valid {label} input; "
                    f"its output ({log_path}) ends with:\n{tail(log_path)}")
                sys.exit(1)
            flag = None if required else classify_peer(name, code, log_path)
            results[name]["walls"].append(wall)
            results[name]["rss"].append(rss)
            if flag:
                results[name]["flags"].append(flag)
                log(f"    flagged: {name} {flag} (see {log_path})")
    return results


def command_rows(commands, results, extra=None):
    """The rows of a command table; extra(name, walls) gives more cells before the result."""
    rows = []
    for name, label, _, _, required, skip in commands:
        more = extra(name, results[name]["walls"]) if extra else []
        if skip is not None:
            rows.append(" | ".join([f"| {label}", "0", "–", "–", "–"] + ["–"] * len(more)
                                   + [f"skipped: {skip} |"]))
            continue
        walls, rss, flags = (results[name][k] for k in ("walls", "rss", "flags"))
        if required:
            result = "exit 0"
        elif flags:
            result = "**" + "; ".join(sorted(set(flags))) + f"** ({len(flags)} of {len(walls)})"
        else:
            result = "valid"
        rows.append(" | ".join([f"| {label}", str(len(walls)), f"{statistics.median(walls):.3f}",
                                f"{min(walls):.3f}–{max(walls):.3f}",
                                f"{statistics.median(rss) / MB:,.1f}"] + more
                               + [f"{result} |"]))
    return rows


def verdict(met):
    return "met" if met else "**not met**"


def cmd_bench(args):
    usage = os.path.join(args.dir, "usage.json")
    users = os.path.join(args.dir, "users.csv")
    usage_size = os.path.getsize(usage)
    users_size = os.path.getsize(users)
    logs = os.path.join(args.out_dir, "logs", args.size)
    os.makedirs(logs, exist_ok=True)
    env = dict(os.environ)

    # name, label, argv, runs, required to succeed, reason to skip (None: run it)
    commands = [
        ("tuple-report", "`tuple-report check` (all checks, the pair)",
         [args.tuple_report, "check", "--as-of", args.as_of, usage, users],
         args.runs, True, None),
        ("bare-parse", "`bare_parse` (serde_json, keeps nothing: the baseline)",
         [args.bare_parse, usage], args.runs, True, None),
        ("ajv", "ajv-cli 5 + ajv-formats 3 (schema only)",
         ajv_argv(args.ajv, args.schema, usage), args.runs, False, args.ajv_skip),
        ("check-jsonschema", "check-jsonschema (schema only)",
         [sys.executable, "-m", "check_jsonschema", "--schemafile", args.schema, usage],
         args.peer_runs, False, args.cjs_skip),
    ]
    cjs_env = dict(env)
    if args.cjs_path:
        cjs_env["PYTHONPATH"] = args.cjs_path

    # Every run starts with the inputs in the page cache: check-jsonschema takes about 1 GB, and
    # the kernel made room for it by dropping pages of the input, which the command after it
    # then read from the disk (0.8-0.9 s for tuple-report after it, 0.5 s otherwise, in one
    # run of the large size). Reading them back before each run costs no command anything.
    def warm():
        for path in (usage, users):
            with open(path, "rb") as f:
                while f.read(1 << 24):
                    pass

    warm()

    # What the process costs before any file: puts the RSS of the small size in proportion.
    _, baseline_rss, _ = run_once([args.tuple_report, "--version"], env,
                                  os.path.join(logs, "version.log"))

    results = interleave(commands, args.size, logs, warm,
                         lambda name: cjs_env if name == "check-jsonschema" else env)

    median, ok = medians_of(results)

    # ---- the Markdown section of this size ----
    out = []
    out.append(f"### {args.size}: {args.members:,} members, {args.calls:,} calls\n")
    out.append(f"usage.json {usage_size / MB:,.1f} MB ({usage_size:,} bytes), "
               f"users.csv {users_size / MB:,.2f} MB; "
               f"{args.runs} run(s) each, check-jsonschema {args.peer_runs}.\n")
    out.append("| command | runs | median wall (s) | min–max (s) | median peak RSS (MB) | result |")
    out.append("|---|---:|---:|---:|---:|---|")
    out.extend(command_rows(commands, results))

    tr_wall, tr_rss = median("tuple-report", "walls"), median("tuple-report", "rss")
    bare_wall = median("bare-parse", "walls")

    out.append("")
    if not GNU_TIME:
        out.append(f"GNU time was not found (`apt-get install time`): the peak RSS above comes "
                   f"from os.wait4 and includes the Python launcher's "
                   f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000:.0f} MB.\n")
    out.append("| target | value | verdict |")
    out.append("|---|---:|---|")
    ratios = {}
    if ok("ajv"):
        speedup = median("ajv", "walls") / tr_wall
        ratios["speedup_vs_ajv"] = speedup
        out.append(f"| speed-up over ajv ≥ {TARGET_SPEEDUP_VS_AJV:g}× | {speedup:.1f}× | "
                   f"{verdict(speedup >= TARGET_SPEEDUP_VS_AJV)} |")
    else:
        why = args.ajv_skip or "ajv " + "; ".join(sorted(set(results["ajv"]["flags"])))
        out.append(f"| speed-up over ajv ≥ {TARGET_SPEEDUP_VS_AJV:g}× | – | "
                   f"not measured ({why}) |")
    vs_bare = tr_wall / bare_wall
    ratios["vs_bare"] = vs_bare
    out.append(f"| tuple-report / bare parse ≤ {TARGET_VS_BARE:g}× | {vs_bare:.2f}× | "
               f"{verdict(vs_bare <= TARGET_VS_BARE)} |")
    rss_ratio = tr_rss / usage_size
    ratios["rss_per_file"] = rss_ratio
    note = ""
    if baseline_rss > TARGET_RSS_PER_FILE * usage_size:
        # The process alone (binary, allocator, threads) already misses the target: at 1 MB
        # the ratio says nothing about how memory grows with the file.
        note = (f" (the file is small: `tuple-report --version` alone peaks at "
                f"{baseline_rss / MB:.1f} MB)")
    out.append(f"| tuple-report peak RSS / usage.json size ≤ {TARGET_RSS_PER_FILE:g} | "
               f"{rss_ratio:.3f} | {verdict(rss_ratio <= TARGET_RSS_PER_FILE)}{note} |")
    out.append("")
    markdown = "\n".join(out)
    print(markdown, flush=True)

    with open(args.results, "w") as f:
        json.dump({
            "size": args.size, "members": args.members, "calls": args.calls,
            "usage_bytes": usage_size, "users_bytes": users_size,
            "tuple_report_wall": tr_wall, "tuple_report_rss": tr_rss,
            "bare_parse_wall": bare_wall, "ratios": ratios,
            "markdown": markdown,
            "runs": {name: results[name] for name in results},
        }, f, indent=1)


def reports_under(root):
    """The usage.json and users.csv files below root, in path order."""
    usage, users = [], []
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            if name == "usage.json":
                usage.append(os.path.join(folder, name))
            elif name == "users.csv":
                users.append(os.path.join(folder, name))
    return usage, users


def size_text(n):
    return f"{n / MB:,.1f} MB" if n >= MB else f"{n / 1000:,.0f} kB"


def cmd_fleet(args):
    usage_all, users_all = reports_under(args.dir)
    usage_one, _ = reports_under(args.one_copy)
    if not usage_all or not usage_one:
        log(f"error: no usage.json under {args.dir} or {args.one_copy}")
        sys.exit(1)
    n_all, n_one = len(usage_all), len(usage_one)
    sizes = [os.path.getsize(p) for p in usage_all]
    bytes_all = sum(sizes)
    bytes_one = sum(os.path.getsize(p) for p in usage_one)
    bytes_csv = sum(os.path.getsize(p) for p in users_all)
    logs = os.path.join(args.out_dir, "logs", "fleet")
    os.makedirs(logs, exist_ok=True)
    env = dict(os.environ)
    cjs_env = dict(env)
    if args.cjs_path:
        cjs_env["PYTHONPATH"] = args.cjs_path

    # check-jsonschema takes its files as arguments, and execve refuses an argument list (plus
    # the environment) beyond ARG_MAX: then it gets the one copy, and the table says so.
    cjs_files, cjs_note = usage_all, f"{n_all:,} usage.json"
    cjs_argv = [sys.executable, "-m", "check_jsonschema", "--schemafile", args.schema]
    arg_bytes = sum(len(a) + 1 for a in cjs_argv + usage_all) + sum(
        len(k) + len(v) + 2 for k, v in cjs_env.items())
    arg_max = os.sysconf("SC_ARG_MAX")
    if args.cjs_set == "one":
        cjs_files, cjs_note = usage_one, f"{n_one:,} usage.json: one copy only, CJS_FLEET=one"
    elif arg_bytes > arg_max - 4096:
        cjs_files = usage_one
        cjs_note = (f"{n_one:,} usage.json: one copy only, the {n_all:,} paths are too long an "
                    f"argument list ({arg_bytes:,} bytes, ARG_MAX {arg_max:,})")
        log(f"  fleet: {cjs_note}")
    cjs_bytes = sum(os.path.getsize(p) for p in cjs_files)

    check = [args.tuple_report, "check", "--as-of", args.as_of]
    # name, label, argv, runs, required to succeed, reason to skip (None: run it)
    commands = [
        ("tuple-report", f"`tuple-report check --format json` ({n_all:,} pairs)",
         check + ["--format", "json", args.dir], args.runs, True, None),
        ("tuple-report-one-copy", f"`tuple-report check --format json` ({n_one:,} pairs, "
         "one copy)", check + ["--format", "json", args.one_copy], args.runs, True, None),
        ("tuple-report-jobs-1", f"`tuple-report check --format json --jobs 1` ({n_all:,} pairs)",
         check + ["--format", "json", "--jobs", "1", args.dir], args.runs, True,
         None if args.has_jobs else "this build has no `check --jobs`"),
        ("ajv", f"ajv-cli 5 + ajv-formats 3, one process, `-d '…/**/usage.json'` "
         f"({n_all:,} usage.json)",
         ajv_argv(args.ajv, args.schema, os.path.join(args.dir, "**", "usage.json")),
         args.runs, False, args.ajv_skip),
        ("check-jsonschema", f"check-jsonschema, one process ({cjs_note})",
         cjs_argv + cjs_files, args.peer_runs, False, args.cjs_skip),
    ]
    covered = {"tuple-report": bytes_all, "tuple-report-one-copy": bytes_one,
               "tuple-report-jobs-1": bytes_all, "ajv": bytes_all, "check-jsonschema": cjs_bytes}

    # Every run starts with the whole fleet in the page cache (see cmd_bench): ~0.5 GB, read
    # back before each run so that check-jsonschema's gigabyte cannot evict it for the next.
    def warm():
        for path in usage_all + users_all:
            with open(path, "rb") as f:
                while f.read(1 << 24):
                    pass

    warm()
    results = interleave(commands, "fleet", logs, warm,
                         lambda name: cjs_env if name == "check-jsonschema" else env)

    median, ok = medians_of(results)

    # ---- not timed: what a clean folder prints, and a defect in the last pair ----
    human_log = os.path.join(logs, "human.log")
    log(f"  fleet: counting the lines of the human output over {args.dir}")
    with open(human_log, "wb") as out:
        human_code = subprocess.run(check + [args.dir], stdout=out, stderr=subprocess.STDOUT,
                                    env=env).returncode
    with open(human_log, "rb") as f:
        human_lines = f.read().count(b"\n")

    planted = read_planted(args.planted)
    defect_report = os.path.join(logs, "defect.json")
    log(f"  fleet: checking {args.defect_dir} (a defect planted in its last pair)")
    with open(defect_report, "wb") as out, open(defect_report + ".stderr", "wb") as err:
        defect_code = subprocess.run(check + ["--format", "json", args.defect_dir], stdout=out,
                                     stderr=err, env=env).returncode
    defect_rows = []
    if defect_code <= 1:    # 1: the planted finding is an error; 2: could not check at all
        with open(defect_report) as f:
            defect_rows = match_planted(planted, json.load(f))

    # ---- the Markdown section ----
    tr_wall, tr_rss = median("tuple-report", "walls"), median("tuple-report", "rss")
    one_wall, one_rss = median("tuple-report-one-copy", "walls"), median(
        "tuple-report-one-copy", "rss")
    rate = bytes_all / tr_wall
    out = [f"### fleet: {n_all:,} pairs in one `check DIR`\n"]
    out.append(f"{args.dir}: {n_all:,} pairs, {2 * n_all:,} files: usage.json "
               f"{bytes_all / MB:,.1f} MB in all ({size_text(min(sizes))}–"
               f"{size_text(max(sizes))} each), users.csv {bytes_csv / MB:,.1f} MB. "
               f"One copy ({args.one_copy}): {n_one:,} pairs, usage.json "
               f"{bytes_one / MB:,.1f} MB. {args.describe} "
               f"{args.runs} run(s) each, check-jsonschema {args.peer_runs}.\n")
    out.append("| command | runs | median wall (s) | min–max (s) | median peak RSS (MB) | "
               "usage.json MB/s | result |")
    out.append("|---|---:|---:|---:|---:|---:|---|")
    out.extend(command_rows(commands, results, lambda name, walls: [
        f"{covered[name] / MB / statistics.median(walls):,.0f}" if walls else "–"]))
    out.append("")
    if results["tuple-report-jobs-1"]["walls"]:
        out.append(f"`--jobs 1` / default jobs: "
                   f"{median('tuple-report-jobs-1', 'walls') / tr_wall:.2f}× the wall time, "
                   f"{median('tuple-report-jobs-1', 'rss') / tr_rss:.2f}× the peak RSS.\n")

    reference = None
    if args.reference and os.path.exists(args.reference):
        with open(args.reference) as f:
            large = json.load(f)
        reference = large["usage_bytes"] / large["tuple_report_wall"]
        written = time.strftime("%Y-%m-%d %H:%M UTC",
                                time.gmtime(os.path.getmtime(args.reference)))
        out.append(f"The single large report, for reference: {large['usage_bytes'] / MB:,.1f} MB "
                   f"in {large['tuple_report_wall']:.3f} s (median), {reference / MB:,.0f} MB/s "
                   f"({os.path.relpath(args.reference)}, written {written}).\n")
    if not GNU_TIME:
        out.append(f"GNU time was not found (`apt-get install time`): the peak RSS above comes "
                   f"from os.wait4 and includes the Python launcher's "
                   f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000:.0f} MB.\n")

    targets = {}

    def target(key, text, value, met, why=None):
        """A row of the target table; met None: not measured, for the reason why."""
        targets[key] = {"value": value, "met": met}
        out.append(f"| {text} | {value} | "
                   + (f"not measured ({why})" if met is None else verdict(met)) + " |")

    out.append("| target | value | verdict |")
    out.append("|---|---:|---|")
    if reference:
        target("byte_rate", f"byte rate over {n_all:,} pairs ≥ {TARGET_FLEET_RATE_VS_LARGE:g}× "
               "the single large report's", f"{rate / MB:,.0f} vs {reference / MB:,.0f} MB/s: "
               f"{rate / reference:.2f}×", rate >= TARGET_FLEET_RATE_VS_LARGE * reference)
    else:
        target("byte_rate", f"byte rate over {n_all:,} pairs ≥ {TARGET_FLEET_RATE_VS_LARGE:g}× "
               "the single large report's", f"{rate / MB:,.0f} MB/s", None,
               f"no {args.reference}: run `bench/compare.sh large fleet`")
    target("rss", f"peak RSS over {n_all:,} pairs ≤ {TARGET_FLEET_RSS / MB:g} MB",
           f"{tr_rss / MB:,.1f} MB", tr_rss <= TARGET_FLEET_RSS)
    target("rss_growth", f"peak RSS over {n_all:,} pairs ≤ {TARGET_FLEET_RSS_GROWTH:g}× over "
           f"{n_one:,}", f"{tr_rss / one_rss:.2f}× ({one_rss / MB:,.1f} → {tr_rss / MB:,.1f} MB)",
           tr_rss <= TARGET_FLEET_RSS_GROWTH * one_rss)
    speedup_text = f"speed-up over ajv-cli (the same {n_all:,} pairs) ≥ {TARGET_SPEEDUP_VS_AJV:g}×"
    if ok("ajv"):
        speedup = median("ajv", "walls") / tr_wall
        target("speedup_vs_ajv", speedup_text, f"{speedup:.1f}×",
               speedup >= TARGET_SPEEDUP_VS_AJV)
    else:
        why = args.ajv_skip or "ajv " + "; ".join(sorted(set(results["ajv"]["flags"])))
        target("speedup_vs_ajv", speedup_text, "–", None, why)
    lines_text = (f"clean folder: human output ≤ {TARGET_FLEET_LINES} lines "
                  "(stdout and stderr, not timed)")
    target("human_lines", lines_text, f"{human_lines:,} line{'' if human_lines == 1 else 's'}, exit {human_code}",
           human_lines <= TARGET_FLEET_LINES and human_code == 0)
    defect_text = "a defect planted in the last pair is reported at its line"
    if defect_code > 1:
        target("defect", defect_text, f"exit {defect_code}", False)
    elif not defect_rows:
        target("defect", defect_text, "nothing planted", None,
               f"{args.planted} has no \"planted RULE at FILE:LINE\" line")
    else:
        hits = [hit for *_, hit, _ in defect_rows]
        where = "; ".join(f"`{rule}` at {os.path.relpath(path, args.defect_dir)}:{line}"
                          + ("" if hit else ": **not reported**" + also)
                          for rule, path, line, hit, also in defect_rows)
        target("defect", defect_text, where, all(hits))
    out.append("")
    markdown = "\n".join(out)
    print(markdown, flush=True)

    with open(args.results, "w") as f:
        json.dump({
            "size": "fleet", "kind": "fleet", "pairs": n_all, "pairs_one_copy": n_one,
            "usage_bytes": bytes_all, "usage_bytes_one_copy": bytes_one, "users_bytes": bytes_csv,
            "tuple_report_wall": tr_wall, "tuple_report_rss": tr_rss,
            "one_copy_wall": one_wall, "one_copy_rss": one_rss,
            "byte_rate": rate, "reference_byte_rate": reference,
            "human_lines": human_lines, "human_exit": human_code, "defect_exit": defect_code,
            "targets": targets, "markdown": markdown,
            "runs": {name: results[name] for name in results},
        }, f, indent=1)
    # A planted defect that goes unreported is a bug, not a missed speed: say so by the exit.
    sys.exit(0 if targets["defect"]["met"] else 3)


def cmd_summary(args):
    sizes = []
    for path in args.results:
        with open(path) as f:
            result = json.load(f)
        # The fleet is many pairs, not one size: its own section says what it has to say.
        if result.get("kind") != "fleet":
            sizes.append(result)
    if not sizes:
        return
    print("### Across sizes\n")
    print("Memory (median peak RSS of `tuple-report check`): " + " · ".join(
        f"{s['size']} {s['tuple_report_rss'] / MB:,.1f} MB ({s['calls']:,} calls)" for s in sizes)
        + ".\n")
    if len(sizes) > 1:
        first, last = sizes[0], sizes[-1]
        print(f"From {first['size']} to {last['size']} the calls grow "
              f"{last['calls'] / first['calls']:,.0f}× and the peak RSS "
              f"{last['tuple_report_rss'] / first['tuple_report_rss']:,.2f}×.\n")
    print("Time per MB of usage.json (median wall / size): " + " · ".join(
        f"{s['size']} {1000 * s['tuple_report_wall'] / (s['usage_bytes'] / MB):.2f} ms/MB "
        f"(bare parse {1000 * s['bare_parse_wall'] / (s['usage_bytes'] / MB):.2f})"
        for s in sizes) + ".\n")


def read_planted(path):
    """generate's "planted RULE at FILE:LINE" lines, as (rule, file, line)."""
    with open(path) as f:
        return [(m[1], m[2], int(m[3])) for m in
                (re.match(r"^planted (\S+) at (.+):(\d+)$", line.rstrip("\n")) for line in f)
                if m]


def match_planted(planted, report):
    """(rule, file, line, reported there?, where else that rule was reported) per defect."""
    diagnostics = report.get("diagnostics", [])
    found = {(d["rule"], os.path.realpath(d["file"]), d["line"]) for d in diagnostics}
    rows = []
    for rule, path, line in planted:
        hit = (rule, os.path.realpath(path), line) in found
        also = ""
        if not hit:
            at = sorted(d["line"] for d in diagnostics if d["rule"] == rule)
            also = f" (reported at line(s) {', '.join(map(str, at[:5]))})" if at else ""
        rows.append((rule, path, line, hit, also))
    return rows


def cmd_defects(args):
    """Every planted defect must be reported: its rule, at its file and line."""
    planted = read_planted(args.planted)
    with open(args.report) as f:
        report = json.load(f)
    print(f"### Planted defects ({args.title})\n")
    if not planted:
        print("**FAIL**: `generate` printed no \"planted RULE at FILE:LINE\" line.\n")
        sys.exit(1)
    print("| defect | planted at | reported |")
    print("|---|---|---|")
    failures = 0
    for rule, path, line, hit, also in match_planted(planted, report):
        failures += not hit
        print(f"| `{rule}` | {os.path.basename(path)}:{line} | "
              f"{'ok' if hit else '**FAIL**' + also} |")
    print(f"\n{report['summary']['errors']} error(s), {report['summary']['warnings']} "
          f"warning(s) in all.\n")
    sys.exit(1 if failures else 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    bench = sub.add_parser("bench", help="time one size and print its table")
    bench.add_argument("--size", required=True)
    bench.add_argument("--dir", required=True, help="holds usage.json and users.csv")
    bench.add_argument("--members", type=int, required=True)
    bench.add_argument("--calls", type=int, required=True)
    bench.add_argument("--runs", type=int, default=5)
    bench.add_argument("--peer-runs", type=int, default=3)
    bench.add_argument("--as-of", required=True)
    bench.add_argument("--schema", required=True)
    bench.add_argument("--tuple-report", required=True)
    bench.add_argument("--bare-parse", required=True)
    bench.add_argument("--ajv", help="the ajv executable")
    bench.add_argument("--ajv-skip", help="why ajv is not run")
    bench.add_argument("--cjs-path", help="PYTHONPATH that holds check_jsonschema")
    bench.add_argument("--cjs-skip", help="why check-jsonschema is not run")
    bench.add_argument("--out-dir", required=True, help="where the run logs go")
    bench.add_argument("--results", required=True, help="the JSON results file to write")
    bench.set_defaults(func=cmd_bench)

    fleet = sub.add_parser("fleet", help="time `check DIR` over many pairs; print its targets")
    fleet.add_argument("--dir", required=True, help="the whole fleet: every copy")
    fleet.add_argument("--one-copy", required=True, help="one copy of it, checked alone")
    fleet.add_argument("--defect-dir", required=True,
                       help="the fleet again, with a defect planted in its last pair")
    fleet.add_argument("--planted", required=True, help="generate's output for that pair")
    fleet.add_argument("--describe", default="", help="a sentence on how the pairs were made")
    fleet.add_argument("--runs", type=int, default=5)
    fleet.add_argument("--peer-runs", type=int, default=3)
    fleet.add_argument("--as-of", required=True)
    fleet.add_argument("--schema", required=True)
    fleet.add_argument("--tuple-report", required=True)
    fleet.add_argument("--has-jobs", action="store_true", help="check accepts --jobs")
    fleet.add_argument("--ajv", help="the ajv executable")
    fleet.add_argument("--ajv-skip", help="why ajv is not run")
    fleet.add_argument("--cjs-path", help="PYTHONPATH that holds check_jsonschema")
    fleet.add_argument("--cjs-skip", help="why check-jsonschema is not run")
    fleet.add_argument("--cjs-set", choices=["all", "one"], default="all",
                       help="check-jsonschema over every copy, or over one")
    fleet.add_argument("--reference", help="results-large.json, for the byte rate to meet")
    fleet.add_argument("--out-dir", required=True, help="where the run logs go")
    fleet.add_argument("--results", required=True, help="the JSON results file to write")
    fleet.set_defaults(func=cmd_fleet)

    summary = sub.add_parser("summary", help="compare the sizes")
    summary.add_argument("results", nargs="*")
    summary.set_defaults(func=cmd_summary)

    defects = sub.add_parser("defects", help="check the planted defects were found")
    defects.add_argument("--planted", required=True, help="generate's output")
    defects.add_argument("--report", required=True, help="check --format json output")
    defects.add_argument("--title", default="large", help="what the heading names")
    defects.set_defaults(func=cmd_defects)

    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
