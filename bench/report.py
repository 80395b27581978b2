"""report.py -- turn the raw output of bench/pyz3_bench into tables.

    report.py --list FILE [--callgrind DIR] [--times FILE] [--results FILE]
              [--info KEY=VALUE ...]
        Print the report of one run of `pyz3_bench ops` as Markdown tables;
        write the same figures, tab-separated, to --results.
    report.py --process --list FILE [--callgrind DIR] [--times FILE]
              [--results FILE] [--plot FILE] [--info KEY=VALUE ...]
        The tables of `pyz3_bench process`: the seed's combined benchmark,
        process_data against the number of items, and GIL scopes from
        several threads at once; appended to --results.
    report.py --summary RESULTS...
        One table of the key instruction ratios, one column per results file
        (one per Python).

Without --process: --list is the output of `pyz3_bench ops --list`;
--callgrind the folder of the dumps of `pyz3_bench ops --callgrind` run
with --separate-threads=yes (each dump's `summary:` is the instructions of
the thread that dumped, since it zeroed them; of two dumps of the same
measurement the lower counts); --times the output of `pyz3_bench ops
--time`. Every figure is per operation, the empty loop of the same length
subtracted.

With --process: --list is the output of `pyz3_bench process --list`;
--callgrind the folder of the dumps of `pyz3_bench process --callgrind N`
(of the two dumps of a build, one per heap state, the lower counts);
--times the output of the timed modes (--seed, --sizes, --threads) one
after another. The tables are appended to --results, the file the
per-operation report wrote, each after a line "# table<TAB>NAME" and a
header of its own. With --plot, and gnuplot on PATH, the scaling figures
are drawn there (SVG); without gnuplot nothing is drawn and nothing is
said.

Runs on every Python the library supports (3.8 on).
"""

import argparse
import glob
import os
import platform
import shutil
import statistics
import subprocess
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
                break   # the tables of `pyz3_bench process` follow
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


# The seed's table (performance-optimization-guide.md): time, speedup.
SEED_CLAIMS = {
    "baseline": (10.0, 1.0), "gil": (5.0, 2.0), "fast": (3.3, 3.0),
    "pool": (6.7, 1.5), "all": (1.4, 7.1),
}


def process_read_list(path):
    info, builds, kinds = {}, [], []
    with open(path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if fields[0] == "build":
                builds.append({"id": fields[1], "label": fields[2], "what": fields[3]})
            elif fields[0] == "kind":
                kinds.append({"id": fields[1], "weight": int(fields[2]),
                              "label": fields[3]})
            elif len(fields) == 2:
                info[fields[0]] = fields[1]
    return info, builds, kinds


def process_read_callgrind(folder):
    """{build: (items, instructions)}, the lower of the two heap states."""
    counts = {}
    for path in glob.glob(os.path.join(folder, "cg.out.*")):
        desc = summary = None
        with open(path) as f:
            for line in f:
                if line.startswith("desc: Trigger: Client Request: pyz3-process "):
                    desc = line.split("pyz3-process ", 1)[1].split()
                elif line.startswith("summary:"):
                    summary = int(line.split()[1])
        if desc is not None and summary is not None:
            build, items = desc[0], int(desc[1])
            old = counts.get(build)
            if old is None or summary < old[1]:
                counts[build] = (items, summary)
    return counts


def process_read_times(path):
    """{"seed"/"size": {(build, items): [ns per item]},
    "threads": {(kind, threads): [(scopes per thread, wall ns)]}}."""
    out = {"seed": {}, "size": {}, "threads": {}}
    with open(path) as f:
        for line in f:
            fields = line.split()
            if fields[0] in ("seed", "size"):
                build, _run, items, reps, ns = fields[1:6]
                per_item = float(ns) / (int(items) * int(reps))
                out[fields[0]].setdefault((build, int(items)), []).append(per_item)
            elif fields[0] == "threads":
                kind, threads, _run, count, ns = fields[1:6]
                out["threads"].setdefault((kind, int(threads)), []).append(
                    (int(count), float(ns)))
    return out


def spread(samples):
    s = sorted(samples)
    return s[0], statistics.median(s), s[-1]


def per_op_pool(results):
    """(pyz3_pool_int(42), PyLong_FromLongLong(42)) instructions, from the
    per-operation table that bench/report.py wrote to the results file."""
    if not results or not os.path.exists(results):
        return None
    cols = None
    with open(results) as f:
        for line in f:
            if line.startswith("# table\t"):
                break
            if line.startswith("#"):
                continue
            fields = line.rstrip("\n").split("\t")
            if cols is None:
                cols = fields
                continue
            row = dict(zip(cols, fields))
            if row.get("id") == "pool_int":
                try:
                    return float(row["ir_inline"]), float(row["ir_raw"])
                except (KeyError, ValueError):
                    return None
    return None


class ProcessReport:
    def __init__(self, args):
        self.info, self.builds, self.kinds = process_read_list(args.list)
        self.extra = dict(kv.split("=", 1) for kv in args.info)
        self.counts = process_read_callgrind(args.callgrind) if args.callgrind else {}
        self.times = process_read_times(args.times) if args.times else {
            "seed": {}, "size": {}, "threads": {}}
        # The same thread measurements by another build's program
        # (BENCH_COMPARE): a GIL build beside a free-threaded one.
        self.compare = (process_read_times(args.compare_times)["threads"]
                        if args.compare_times else {})
        self.compare_label = self.extra.get("compare", "the other build")
        self.free_threaded = self.extra.get("free_threaded") == "yes"
        self.results = args.results
        self.out = []
        self.tables = []    # (name, header, rows) for the results file

    def say(self, *lines):
        self.out.extend(lines)

    def setup(self):
        cflags = self.extra.get("cflags", "?").strip()
        if self.info.get("ndebug") == "yes":
            cflags += " -DNDEBUG"
        try:
            load = (", load average %.1f over the last minute, this run "
                    "included" % os.getloadavg()[0])
        except OSError:
            load = ""
        return ("Python %s (%s); %s, CFLAGS %s; %s, %s, %d CPUs%s"
                % (self.info.get("python", "?"), self.extra.get("python", "?"),
                   self.extra.get("cc", "?"), cflags,
                   platform.machine(), cpu_model(), os.cpu_count() or 1, load))

    # ------------------------------------------------------------- seed
    def seed(self):
        times = self.times["seed"]
        if not times and not self.counts:
            return
        items = self.extra.get("seed_n") or next(iter(self.counts.values()))[0]
        runs = self.extra.get("runs", "?")
        self.say("", "### The seed's combined table: process_data over %s small ints"
                 % format(int(items), ","), "")
        self.say("- " + self.setup())
        self.say("- process_data(values): reads each item of a tuple, doubles it, "
                 "stores it in a buffer from the allocator, sums, returns the sum "
                 "as an int; the items are i % 256 (CPython's cached small ints); "
                 "called in the main thread, GIL held, no pyz3 scope open, as from "
                 "Python")
        self.say("- the seed's nested allocations: each item also goes through a "
                 "%s-byte scratch block allocated and freed per item, so the "
                 "baseline takes PyGILState_Ensure/Release twice per item "
                 "(and twice per call, for the buffer)" % self.info.get("scratch", "?"))
        for b in self.builds:
            self.say("- %s: %s" % (b["label"], b["what"]))
        if times:
            self.say("- times: runs: %s; in each, one call per build, in a rotating "
                     "order; ms per call min / median / max; speedup = baseline "
                     "median / row median, and the same of the minimums (the runs "
                     "least disturbed by the rest of the machine)" % runs)
        if self.counts:
            self.say("- instructions: %s --tool=callgrind, PYTHONHASHSEED=0, one "
                     "call over %s items, per item (the lower of two heap states)"
                     % (self.extra.get("valgrind", "valgrind"),
                        format(next(iter(self.counts.values()))[0], ",")))
        self.say("- the seed's claim: its table's time and speedup (no method given)")
        self.say("")

        base_t = self.median_seed("baseline")
        base_min = self.min_seed("baseline")
        base_ir = self.ir_item("baseline")
        header = ["build", "ms per call", "ns per item", "speedup", "speedup (min)",
                  "Ir per item", "speedup (Ir)", "the seed's claim"]
        rows, table = [], []
        for b in self.builds:
            bid = b["id"]
            t = times.get((bid, int(items)))
            ir = self.ir_item(bid)
            med = self.median_seed(bid)
            speed = base_t / med if t and base_t else None
            speed_min = base_min / self.min_seed(bid) if t and base_min else None
            speed_ir = base_ir / ir if ir and base_ir else None
            claim = SEED_CLAIMS.get(bid)
            rows.append([
                b["label"],
                "%.2f / %.2f / %.2f" % tuple(x * int(items) / 1e6 for x in spread(t))
                if t else "-",
                "%.1f" % med if t else "-",
                "%.2fx" % speed if speed else "-",
                "%.2fx" % speed_min if speed_min else "-",
                "%.1f" % ir if ir else "-",
                "%.2fx" % speed_ir if speed_ir else "-",
                "%.1fs, %.1fx" % claim if claim else "-",
            ])
            lo, md, hi = spread(t) if t else (None, None, None)
            table.append(["seed", "seed_" + bid, bid, str(items), str(runs if t else 0),
                          fmt(ir, 2), fmt(speed_ir, 4), fmt(lo, 3), fmt(md, 3),
                          fmt(hi, 3), fmt(speed, 4), fmt(speed_min, 4),
                          "%g" % claim[1] if claim else "-"])
        self.say(markdown(header, rows))
        self.tables.append(("seed", ["unit", "id", "build", "items", "runs",
                                     "ir_per_item", "ir_speedup", "ns_per_item_min",
                                     "ns_per_item_median", "ns_per_item_max",
                                     "speedup", "speedup_min", "seed_claim"], table))
        self.seed_notes(int(items))

    def median_seed(self, bid):
        for (b, _items), s in self.times["seed"].items():
            if b == bid:
                return statistics.median(s)
        return None

    def min_seed(self, bid):
        for (b, _items), s in self.times["seed"].items():
            if b == bid:
                return min(s)
        return None

    def ir_item(self, bid):
        c = self.counts.get(bid)
        return c[1] / c[0] if c else None

    def seed_notes(self, items):
        """What each row shows, in the measured numbers."""
        def both(bid):
            t = self.median_seed(bid)
            base = self.median_seed("baseline")
            ir, base_ir = self.ir_item(bid), self.ir_item("baseline")
            parts = []
            if t and base:
                parts.append("%.2fx in time (%.1f ns per item, from %.1f)"
                             % (base / t, t, base))
            if ir and base_ir:
                parts.append("%.2fx in instructions (%.1f per item, from %.1f)"
                             % (base_ir / ir, ir, base_ir))
            return ", ".join(parts) if parts else "not measured"

        self.say("")
        self.say("What the rows show:")
        self.say("- GIL caching only: %s. The saving is the two PyGILState_Ensure/"
                 "Release pairs per item that one pyz3 scope turns into a test of "
                 "a thread-local counter inside pyz3_alloc/pyz3_free; it is in "
                 "proportion to the allocations per item (one scratch block here; "
                 "none per item in the seed's own process_data)." % both("gil"))
        self.say("- Fast paths only: %s. pyz3_unwrap_i64 reads an exact int's "
                 "value in place; PyArg_Parse(item, \"L\") parses its format string "
                 "and goes through PyLong_AsLongLong for every item." % both("fast"))
        pool = per_op_pool(self.results)
        small = ("" if pool is None else
                 " Where a small int is made, CPython's PyLong_FromLongLong returns "
                 "its own cached object too: pyz3_pool_int(42) costs %.1f "
                 "instructions against PyLong_FromLongLong(42)'s %.1f (pool table "
                 "above), %.1f saved per small int returned; process_data returns "
                 "one int per call." % (pool[0], pool[1], pool[1] - pool[0]))
        total = 2 * sum(i % 256 for i in range(items))
        hit = -5 <= total <= 256
        self.say("- Object pooling only: %s.%s process_data makes one Python object, "
                 "its result, %s, which is %s -5..256, so %s; the values the seed "
                 "marks as pooled (sum, buffer[i]) are C integers, with nothing to "
                 "pool.%s" % (both("pool"), self.pool_noise(), format(total, ","),
                              "inside" if hit else "outside",
                              "the pool answers instead of Py_BuildValue, once per call"
                              if hit else "the pool misses and Py_BuildValue runs as "
                              "in the baseline", small))
        ir = {b: self.ir_item(b) for b in ("baseline", "gil", "fast", "all")}
        if all(ir.values()):
            added = ir["baseline"] - (ir["baseline"] - ir["gil"]) - (ir["baseline"] - ir["fast"])
            self.say("- All combined: %s. The savings add up: baseline minus both "
                     "savings is %.1f instructions per item, against %.1f measured; "
                     "what is left is PyMem_Malloc/PyMem_Free of the scratch block, "
                     "reading each int and the loop itself."
                     % (both("all"), added, ir["all"]))
        else:
            self.say("- All combined: %s." % both("all"))

    def pool_noise(self):
        """Whether the time of the pooling row differs from the baseline's by
        more than the runs scatter: per item, both run the same code."""
        seed = self.times["seed"]
        base = [s for (b, _n), s in seed.items() if b == "baseline"]
        pool = [s for (b, _n), s in seed.items() if b == "pool"]
        if not base or not pool:
            return ""
        blo, _bmd, bhi = spread(base[0])
        plo, _pmd, phi = spread(pool[0])
        if plo <= bhi and blo <= phi:
            return (" Per item it runs the baseline's code, and its times lie "
                    "within the baseline's range (min to max): the difference "
                    "in time is noise between runs.")
        return (" Per item it runs the baseline's code, yet its times lie "
                "outside the baseline's range (min to max): something else "
                "on the machine moved them.")

    # ------------------------------------------------------------ sizes
    def sizes(self):
        times = self.times["size"]
        if not times:
            return
        sizes = sorted({n for (_b, n) in times})
        self.say("", "### process_data against the number of items", "")
        self.say("- " + self.setup())
        self.say("- baseline and all combined as in the table above; runs: %s, the "
                 "two in turn; each measurement repeats the call until at least %s "
                 "items are done; ns per item min / median / max, and ms per call "
                 "(median)" % (self.extra.get("runs", "?"),
                              format(int(self.extra.get("size_min", "0")), ",")))
        self.say("")
        header = ["items", "baseline, ns per item", "all combined, ns per item",
                  "baseline, ms per call", "all combined, ms per call", "speedup"]
        rows, table = [], []
        for n in sizes:
            cells = [format(n, ",")]
            meds = {}
            for bid in ("baseline", "all"):
                s = times.get((bid, n))
                if s:
                    lo, md, hi = spread(s)
                    meds[bid] = md
                    cells.append("%.1f / %.1f / %.1f" % (lo, md, hi))
                    table.append(["size", "%s_%d" % (bid, n), bid, str(n), str(len(s)),
                                  fmt(lo, 3), fmt(md, 3), fmt(hi, 3),
                                  fmt(md * n / 1e6, 4)])
                else:
                    cells.append("-")
            for bid in ("baseline", "all"):
                cells.append("%.3f" % (meds[bid] * n / 1e6) if bid in meds else "-")
            cells.append("%.2fx" % (meds["baseline"] / meds["all"])
                         if len(meds) == 2 else "-")
            rows.append(cells)
        self.say(markdown(header, rows))
        self.tables.append(("sizes", ["unit", "id", "build", "items", "runs",
                                      "ns_per_item_min", "ns_per_item_median",
                                      "ns_per_item_max", "ms_per_call_median"], table))

    # ---------------------------------------------------------- threads
    def threads(self):
        times = self.times["threads"]
        if not times:
            return
        counts = sorted({t for (_k, t) in times})
        self.say("", "### GIL scopes from several threads at once", "")
        self.say("- " + self.setup())
        self.say("- each thread: a pthread that CPython did not create, the main "
                 "thread having released the GIL; the scopes of a measurement are "
                 "split evenly among its threads; wall time from the first thread's "
                 "start to the last one's end, after a warm-up scope per thread; "
                 "runs: %s, thread counts and kinds in turn; one measurement "
                 "takes about %s ms on one thread"
                 % (self.extra.get("thread_runs", "?"), self.single_ms()))
        self.say("- ns per scope per thread = wall time / scopes per thread; "
                 "throughput = scopes in all / wall time; medians, "
                 "min - max in brackets")
        self.say("- this machine has %d CPUs: more threads than that only take "
                 "turns" % (os.cpu_count() or 1))
        self.say("")
        header = ["scope"] + ["%d thread%s" % (t, "" if t == 1 else "s") for t in counts]
        per, thru, table = [], [], []
        for k in self.kinds:
            row_per, row_thru = [k["label"]], [k["label"]]
            for t in counts:
                s = times.get((k["id"], t))
                if not s:
                    row_per.append("-")
                    row_thru.append("-")
                    continue
                count = s[0][0]
                lo, md, hi = spread([ns / count for count, ns in s])
                mthru = statistics.median([count * t / ns * 1e3 for count, ns in s])
                row_per.append("%s (%s - %s)" % (num(md), num(lo), num(hi)))
                row_thru.append("%.2f" % mthru)
                table.append(["threads", "%s_%d" % (k["id"], t), k["id"], str(t),
                              str(len(s)), str(count), fmt(lo, 3), fmt(md, 3),
                              fmt(hi, 3), fmt(mthru, 4)])
            per.append(row_per)
            thru.append(row_thru)
        self.say("ns per scope per thread:", "")
        self.say(markdown(header, per))
        self.say("", "Throughput, million scopes per second, all threads together:", "")
        self.say(markdown(header, thru))
        if len(counts) > 1:
            lo, hi = counts[0], counts[-1]
            ratios = []
            for k in self.kinds:
                a, b = times.get((k["id"], lo)), times.get((k["id"], hi))
                if a and b:
                    ta = statistics.median([c * lo / ns for c, ns in a])
                    tb = statistics.median([c * hi / ns for c, ns in b])
                    ratios.append("%s %.2fx" % (k["id"], tb / ta))
            if self.free_threaded:
                why = ("With no GIL, scopes on different threads run at once: "
                       "the total can grow up to the number of CPUs, and beyond "
                       "it the threads only take turns.")
            else:
                why = ("The GIL lets one thread at a time run inside a scope, so "
                       "the total stays within a small factor of the one-thread "
                       "figure (it gains where part of taking and dropping the "
                       "GIL runs outside it, on another CPU, and loses what "
                       "handing the GIL over costs), and each thread's share "
                       "shrinks about as 1/threads.")
            self.say("", "Throughput with %d threads against %d: %s. %s"
                     % (hi, lo, ", ".join(ratios), why))
        if self.compare:
            self.compare_table(counts)
        self.tables.append(("threads", ["unit", "id", "kind", "threads", "runs",
                                        "scopes_per_thread", "ns_per_scope_min",
                                        "ns_per_scope_median", "ns_per_scope_max",
                                        "mscopes_per_s_median"], table))

    def compare_table(self, counts):
        """Throughput of this build beside the other build's, kind by kind."""
        this = "free-threaded" if self.free_threaded else "this build"
        self.say("", "Throughput beside %s (BENCH_COMPARE), million scopes per "
                 "second, all threads together, this build / the other:"
                 % self.compare_label, "")
        header = ["scope"] + ["%d thread%s" % (t, "" if t == 1 else "s") for t in counts]
        rows, table = [], []
        for k in self.kinds:
            row = [k["label"]]
            for t in counts:
                a, b = self.times["threads"].get((k["id"], t)), self.compare.get((k["id"], t))
                if not a or not b:
                    row.append("-")
                    continue
                ta = statistics.median([c * t / ns * 1e3 for c, ns in a])
                tb = statistics.median([c * t / ns * 1e3 for c, ns in b])
                row.append("%.2f / %.2f (%.2fx)" % (ta, tb, ta / tb))
                table.append(["compare", "%s_%d" % (k["id"], t), k["id"], str(t),
                              fmt(ta, 4), fmt(tb, 4)])
            rows.append(row)
        self.say(markdown(header, rows))
        self.say("", "(%s: %s; the other: %s)" % (this, self.info.get("python", "?"),
                                                  self.compare_label))
        self.tables.append(("compare", ["unit", "id", "kind", "threads",
                                        "mscopes_per_s_this", "mscopes_per_s_other"],
                            table))

    def single_ms(self):
        """The median wall time of the one-thread measurements, in ms, as a
        range over the kinds."""
        walls = [statistics.median([ns for _c, ns in s]) / 1e6
                 for (_k, t), s in self.times["threads"].items() if t == 1]
        if not walls:
            return "?"
        return "%.0f-%.0f" % (min(walls), max(walls))

    # ------------------------------------------------------------- files
    def write_results(self):
        if not self.results or not self.tables:
            return
        with open(self.results, "a") as f:
            for name, header, rows in self.tables:
                f.write("# table\t%s\n" % name)
                f.write("\t".join(header) + "\n")
                for r in rows:
                    f.write("\t".join(r) + "\n")

    def plot(self, path):
        gnuplot = shutil.which("gnuplot")
        sizes, threads = self.times["size"], self.times["threads"]
        if not path or gnuplot is None or not (sizes or threads):
            return
        blocks, plots = [], []
        names = {"baseline": "baseline", "all": "all combined"}
        size_lines = []
        for i, bid in enumerate(("baseline", "all")):
            data = sorted((n, spread(s)) for (b, n), s in sizes.items() if b == bid)
            if data:
                blocks.append("$size%d << EOD\n%s\nEOD" % (i, "\n".join(
                    "%d %g %g %g" % (n, md, lo, hi) for n, (lo, md, hi) in data)))
                size_lines.append("$size%d using 1:2:3:4 with yerrorlines ls %d "
                                  "title '%s' noenhanced" % (i, i + 1, names[bid]))
        def thread_rows(runs, kind):
            # One row per thread count of `kind`: count, median, spread.
            rows = []
            for (kid, t), s in sorted(runs.items()):
                if kid == kind:
                    lo, md, hi = spread([ns / count for count, ns in s])
                    rows.append("%d %g %g %g" % (t, md, lo, hi))
            return rows

        thread_lines = []
        for i, k in enumerate(self.kinds):
            data = thread_rows(threads, k["id"])
            if data:
                blocks.append("$thr%d << EOD\n%s\nEOD" % (i, "\n".join(data)))
                thread_lines.append("$thr%d using 1:2:3:4 with yerrorlines ls %d "
                                    "title '%s' noenhanced"
                                    % (i, i + 3, k["label"].replace("'", "")))
        for i, k in enumerate(self.kinds):
            data = thread_rows(self.compare, k["id"])
            if data:
                blocks.append("$cmp%d << EOD\n%s\nEOD" % (i, "\n".join(data)))
                thread_lines.append("$cmp%d using 1:2:3:4 with yerrorlines ls %d dt 2 "
                                    "title '%s, %s' noenhanced"
                                    % (i, i + 3, k["label"].replace("'", ""),
                                       self.compare_label.replace("'", "")))
        title = "libpyz3 %s, Python %s, %d CPUs" % (
            self.extra.get("version", "?"), self.info.get("python", "?"),
            os.cpu_count() or 1)
        script = "\n".join(blocks + [
            "set terminal svg size 1200,520 dynamic font 'sans,12' background '#ffffff'",
            "set output '%s'" % path.replace("'", ""),
            "set style line 1 lc rgb '#c0392b' lw 2 pt 7 ps 0.8",
            "set style line 2 lc rgb '#2471a3' lw 2 pt 5 ps 0.8",
            "set style line 3 lc rgb '#2471a3' lw 2 pt 7 ps 0.8",
            "set style line 4 lc rgb '#c0392b' lw 2 pt 5 ps 0.8",
            "set style line 5 lc rgb '#1e8449' lw 2 pt 9 ps 0.8",
            "set style line 6 lc rgb '#7d3c98' lw 2 pt 11 ps 0.8",
            "set style line 7 lc rgb '#b9770e' lw 2 pt 13 ps 0.8",
            "set grid lc rgb '#dddddd'",
            "set key top right box opaque font ',10'",
            "set offsets 0, 0, graph 0.25, 0",
            "set multiplot layout 1,2 title '%s'" % title,
            "set logscale x 10",
            "set format x '10^{%L}'",
            "set xrange [500:2000000]",
            "set yrange [0:*]",
            "set title 'process\\_data: time per item (median, min-max)'",
            "set xlabel 'items per call'",
            "set ylabel 'ns per item'",
            ("plot " + ", ".join(size_lines)) if size_lines else "set multiplot next",
            "set offsets 0, 0, 0, 0",
            "set logscale x 2",
            "set logscale y 10",
            "set format x '%g'",
            "set format y '%g'",
            "set xrange [0.8:10]",
            "set xtics (1, 2, 4, 8)",
            "set yrange [0.1:100000]",
            "set key inside top left vertical box opaque font ',9'",
            "set title 'GIL scopes from N threads at once (median, min-max)'",
            "set xlabel 'threads'",
            "set ylabel 'ns per scope per thread'",
            ("plot " + ", ".join(thread_lines)) if thread_lines else "",
            "unset multiplot",
        ]) + "\n"
        try:
            subprocess.run([gnuplot], input=script.encode(), check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        except subprocess.CalledProcessError as e:
            sys.stderr.write("report.py: gnuplot failed:\n%s"
                             % e.stderr.decode(errors="replace"))
            return
        self.say("", "Plot: %s" % path)


def num(x):
    """A figure with three significant digits or so."""
    return "%.0f" % x if x >= 100 else "%.1f" % x if x >= 10 else "%.2f" % x


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--list")
    p.add_argument("--callgrind")
    p.add_argument("--times")
    p.add_argument("--results")
    p.add_argument("--info", action="append", default=[])
    p.add_argument("--summary", nargs="+")
    p.add_argument("--process", action="store_true")
    p.add_argument("--plot")
    p.add_argument("--compare-times")
    args = p.parse_args(argv)
    if args.summary:
        summary(args.summary)
    elif args.list and args.process:
        r = ProcessReport(args)
        r.seed()
        r.sizes()
        r.threads()
        r.write_results()
        r.plot(args.plot)
        print("\n".join(r.out))
    elif args.list:
        report(args)
    else:
        p.error("--list or --summary is required")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
