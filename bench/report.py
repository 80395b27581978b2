"""report.py -- turn the benchmark's raw output into tables.

    report.py --list FILE [--callgrind DIR] [--times FILE] [--results FILE]
              [--info KEY=VALUE ...]
        Print the report of one run as Markdown tables; write the same
        figures, tab-separated, to --results.
    report.py --summary RESULTS...
        One table of the key instruction ratios, one column per results file
        (one per Python).

--list is the output of `pyz3_bench --list`; --callgrind the folder of the
dumps of `pyz3_bench --callgrind` run with --separate-threads=yes (each
dump's `summary:` is the instructions of the thread that dumped, since it
zeroed them; of two dumps of the same measurement the lower counts);
--times the output of `pyz3_bench --time`. Every figure is
per operation, the empty loop of the same length subtracted.

Runs on every Python the library supports (3.8 on).
"""

import argparse
import glob
import os
import platform
import statistics
import sys
import time

VARIANTS = ("inline", "ool", "raw")
UNITS = (
    ("gil", "GIL scopes"),
    ("alloc", "Allocator"),
    ("unwrap", "Unwrap: Python object to C value"),
    ("wrap", "Wrap: C value to a new object, then Py_DECREF"),
    ("pool", "Pool look-ups, then Py_DECREF"),
)
# The rows of the summary across Pythons.
KEY_ROWS = (
    "gil_nested", "gil_outer_bare", "gil_outer_tstate", "alloc_held",
    "alloc_held_512", "alloc_batch", "alloc_batch_hand", "alloc_unscoped",
    "unwrap_i64_small", "unwrap_i64_args", "unwrap_f64", "unwrap_bool_true",
    "unwrap_str", "wrap_i64_small", "wrap_i64_big", "wrap_f64", "wrap_str",
    "wrap_i64_build_small",
)


def read_list(path):
    info, rows = {}, []
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if fields[0] == "row":
                unit, rid, where, per, weight, goal, label = fields[1:8]
                ours, raw = [s.strip() for s in label.split(" | ", 1)]
                rows.append({
                    "unit": unit, "id": rid, "where": where, "per": int(per),
                    "goal": float(goal), "ours": ours, "raw": raw,
                })
            elif len(fields) == 2:
                info[fields[0]] = fields[1]
    return info, rows


def read_callgrind(folder):
    """{(id, variant): (loops, instructions)} from the dumps."""
    counts = {}
    for path in glob.glob(os.path.join(folder, "cg.out.*")):
        desc = summary = None
        with open(path) as f:
            for line in f:
                if line.startswith("desc: Trigger: Client Request: pyz3-bench "):
                    desc = line.split("pyz3-bench ", 1)[1].split()
                elif line.startswith("summary:"):
                    summary = int(line.split()[1])
        if desc is not None and summary is not None:
            rid, variant, loops = desc
            # Each variant is counted twice, in two heap states (bench.c,
            # bench_ballast_hold): the lower count is the operation's own.
            old = counts.get((rid, variant))
            if old is None or summary < old[1]:
                counts[(rid, variant)] = (int(loops), summary)
    return counts


def ir_per_op(counts, row):
    """{variant: instructions per operation} for one row."""
    empty = counts.get((row["id"], "empty"))
    out = {}
    for v in VARIANTS:
        c = counts.get((row["id"], v))
        if c is None or empty is None:
            continue
        loops, ir = c
        out[v] = (ir - empty[1]) / (loops * row["per"])
    return out


def read_times(path):
    """{(id, variant): [ns per loop iteration, one per run]}."""
    samples = {}
    with open(path) as f:
        for line in f:
            rid, variant, _run, loops, ns = line.split()
            samples.setdefault((rid, variant), []).append(float(ns) / int(loops))
    return samples


def ns_per_op(samples, row):
    """{variant: (min, median, max) ns per operation}, the median empty
    loop of the row subtracted."""
    empty = samples.get((row["id"], "empty"))
    out = {}
    if not empty:
        return out
    base = statistics.median(empty)
    for v in VARIANTS:
        s = samples.get((row["id"], v))
        if s:
            per = sorted((x - base) / row["per"] for x in s)
            out[v] = (per[0], statistics.median(per), per[-1])
    return out


def goal_text(goal):
    if not goal:
        return "-"
    if goal < 1:
        return "<= %gx (%gx fewer)" % (goal, round(1 / goal, 2))
    return "<= %gx" % goal


def met_text(goal, ratio):
    if not goal or ratio is None:
        return "-"
    return "yes" if ratio <= goal + 1e-9 else "MISSED"


def fmt(x, digits=1):
    return "-" if x is None else "%.*f" % (digits, x)


def ratio_of(a, b):
    if a is None or b is None or b <= 0:
        return None
    return a / b


def markdown(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    right = [i > 0 for i in range(len(header))]

    def line(cells):
        out = []
        for i, c in enumerate(cells):
            out.append(str(c).rjust(widths[i]) if right[i] else str(c).ljust(widths[i]))
        return "| " + " | ".join(out) + " |"

    sep = "|" + "|".join(("-" * (w + 1) + ":") if right[i] else ("-" * (w + 2))
                         for i, w in enumerate(widths)) + "|"
    return "\n".join([line(header), sep] + [line(r) for r in rows])


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith(("model name", "Processor", "cpu model")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def report(args):
    info, rows = read_list(args.list)
    extra = dict(kv.split("=", 1) for kv in args.info)
    counts = read_callgrind(args.callgrind) if args.callgrind else {}
    samples = read_times(args.times) if args.times else {}

    out = []
    out.append("libpyz3 %s benchmark, %s" % (
        extra.get("version", "?"), time.strftime("%Y-%m-%d %H:%M:%S %Z")))
    out.append("")
    out.append("- machine: %s, %s, %d CPUs" % (platform.machine(), cpu_model(),
                                               os.cpu_count() or 1))
    out.append("- compiler: %s; CFLAGS: %s" % (extra.get("cc", "?"), extra.get("cflags", "?")))
    out.append("- Python: %s (%s)" % (info.get("python", "?"), extra.get("python", "?")))
    if counts:
        out.append("- instructions: %s --tool=callgrind, PYTHONHASHSEED=0; "
                   "N = %s loop iterations per operation (N/weight for the slow ones)"
                   % (extra.get("valgrind", "valgrind"), extra.get("ir_n", "?")))
    if samples:
        out.append("- times: CLOCK_MONOTONIC, N = %s iterations (N/weight for the slow "
                   "ones), %s runs, variants interleaved; min / median / max"
                   % (extra.get("time_n", "?"), extra.get("runs", "?")))
    out.append("- every figure is per operation, the empty loop subtracted; "
               "ratio = pyz3 inline / raw C API")
    out.append("- inline: built for this Python; out-of-line: the library's copies, "
               "as with PYZ3_NO_INLINE or Py_LIMITED_API")
    out.append("- new thread: a pthread with no Python thread state, run while the "
               "main thread has released the GIL; Ensure, Release, Malloc, Free: "
               "PyGILState_Ensure, PyGILState_Release, PyMem_Malloc, PyMem_Free")

    results = []
    for unit, title in UNITS:
        unit_rows = [r for r in rows if r["unit"] == unit]
        table = []
        for r in unit_rows:
            ir = ir_per_op(counts, r)
            ns = ns_per_op(samples, r)
            ratio = ratio_of(ir.get("inline"), ir.get("raw"))
            table.append([
                "%s vs %s" % (r["ours"], r["raw"]),
                fmt(ir.get("inline")), fmt(ir.get("ool")), fmt(ir.get("raw")),
                fmt(ratio, 2) + ("x" if ratio is not None else ""),
                goal_text(r["goal"]), met_text(r["goal"], ratio),
            ])
            results.append((r, ir, ns, ratio))
        if counts:
            out.append("")
            out.append("### %s: instructions per operation (callgrind)" % title)
            out.append("")
            out.append(markdown(["operation", "pyz3 inline (Ir/op)",
                                 "pyz3 out-of-line (Ir/op)", "raw C API (Ir/op)",
                                 "ratio", "goal", "met?"], table))

    if samples:
        out.append("")
        out.append("### Time per operation, ns: min / median / max")
        out.append("")
        table = []
        for r, _ir, ns, _ratio in results:
            cells = ["%s vs %s" % (r["ours"], r["raw"])]
            for v in VARIANTS:
                t = ns.get(v)
                cells.append("-" if t is None else "%.1f / %.1f / %.1f" % t)
            med = ratio_of(ns.get("inline", (0, None, 0))[1], ns.get("raw", (0, None, 0))[1])
            cells.append(fmt(med, 2) + ("x" if med is not None else ""))
            table.append(cells)
        out.append(markdown(["operation", "pyz3 inline", "pyz3 out-of-line",
                             "raw C API", "ratio (medians)"], table))

    if counts:
        missed = [r["id"] for r, _ir, _ns, ratio in results
                  if met_text(r["goal"], ratio) == "MISSED"]
        met = [r["id"] for r, _ir, _ns, ratio in results
               if met_text(r["goal"], ratio) == "yes"]
        out.append("")
        out.append("Goals met: %d of %d.%s" % (
            len(met), len(met) + len(missed),
            " Missed: %s." % ", ".join(missed) if missed else ""))
    print("\n".join(out))

    if args.results:
        write_results(args.results, info, extra, results)


def write_results(path, info, extra, results):
    cols = ["unit", "id", "where", "per"]
    cols += ["ir_" + v for v in VARIANTS] + ["ratio", "goal", "met"]
    for v in VARIANTS:
        cols += ["ns_%s_%s" % (v, s) for s in ("min", "median", "max")]
    with open(path, "w") as f:
        f.write("# libpyz3 benchmark results, %s\n" % time.strftime("%Y-%m-%d %H:%M:%S %Z"))
        f.write("# python_version\t%s\n" % info.get("python", "?"))
        for k in sorted(extra):
            f.write("# %s\t%s\n" % (k, extra[k]))
        f.write("# machine\t%s, %s\n" % (platform.machine(), cpu_model()))
        f.write("\t".join(cols) + "\n")
        for r, ir, ns, ratio in results:
            cells = [r["unit"], r["id"], r["where"], str(r["per"])]
            cells += [fmt(ir.get(v), 2) for v in VARIANTS]
            cells += [fmt(ratio, 4), "%g" % r["goal"], met_text(r["goal"], ratio)]
            for v in VARIANTS:
                t = ns.get(v)
                cells += ["-"] * 3 if t is None else ["%.2f" % x for x in t]
            f.write("\t".join(cells) + "\n")


def read_results(path):
    meta, rows, cols = {}, {}, None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("# table\t"):
                break   # the tables of bench/process.sh follow
            if line.startswith("# ") and "\t" in line:
                k, v = line[2:].split("\t", 1)
                meta[k] = v
            elif line.startswith("#"):
                continue
            elif cols is None:
                cols = line.split("\t")
            else:
                row = dict(zip(cols, line.split("\t")))
                rows[row["id"]] = row
    return meta, rows


def summary(paths):
    files = [read_results(p) for p in paths]
    header = ["operation (Ir ratio pyz3 inline / raw)", "goal"]
    header += [m.get("python_version", os.path.basename(p)) for (m, _), p in zip(files, paths)]
    table = []
    for rid in KEY_ROWS:
        goal = None
        cells = [rid]
        for _meta, rows in files:
            row = rows.get(rid)
            if row is None:
                cells.append("-")
                continue
            goal = float(row["goal"])
            if row["ratio"] == "-":
                cells.append("-")
            else:
                mark = "" if row["met"] != "MISSED" else " (missed)"
                cells.append("%.2fx%s" % (float(row["ratio"]), mark))
        cells.insert(1, goal_text(goal))
        table.append(cells)
    print(markdown(header, table))


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--list")
    p.add_argument("--callgrind")
    p.add_argument("--times")
    p.add_argument("--results")
    p.add_argument("--info", action="append", default=[])
    p.add_argument("--summary", nargs="+")
    args = p.parse_args(argv)
    if args.summary:
        summary(args.summary)
    elif args.list:
        report(args)
    else:
        p.error("--list or --summary is required")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
