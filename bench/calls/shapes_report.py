"""shapes_report.py -- the table of bench/calls/shapes.sh.

    python shapes_report.py WORK VERSION N1 N2

Reads the callgrind dumps of each module in WORK/cg-MODULE/ (out.1 is the
start-up; then two runs per shape, in the order of WORK/names) and prints
the instructions per call, net of the empty loop, and the ratios: libpyz3
against each other implementation, and each implementation's keywords
against its own positional call, as a whole and net of the interpreter's
own part of the call (bisect_floor.c's function, which parses nothing).
CPython's _bisect has no scale(): "-".
"""
import glob
import os
import re
import sys

LABELS = {
    "bis_pyz3": "libpyz3",
    "bis_ac": "hand-written (Argument Clinic style)",
    "bis_pyarg": "PyArg_ParseTupleAndKeywords",
    "bis_cy": "Cython",
    "bis_pb": "pybind11",
    "bis_nb": "nanobind",
    "_bisect": "CPython's _bisect",
    "bis_floor": "the interpreter alone",
}
FLOOR = "bis_floor"


def segments(folder):
    files = glob.glob(os.path.join(folder, "out.*"))
    files.sort(key=lambda f: int(f.rsplit(".", 1)[1]))
    counts = []
    for f in files:
        m = re.search(r"^summary: (\d+)", open(f).read(), re.M)
        counts.append(int(m.group(1)))
    return counts[1:]


def cell(per, module, i, shapes):
    """The figure of `module` for shape i, or None where it has no such function."""
    if module == "_bisect" and shapes[i].startswith("scale"):
        return None
    return per[module][i]


def main():
    work, version, n1, n2 = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    names = open(os.path.join(work, "names")).read().splitlines()
    built = open(os.path.join(work, "built")).read().split()
    per = {}
    for module in built:
        seg = segments(os.path.join(work, "cg-" + module))
        if len(seg) < 2 * len(names):
            sys.exit("shapes_report.py: %s: %d runs counted, %d wanted"
                     % (module, len(seg), 2 * len(names)))
        raw = [(seg[2 * i + 1] - seg[2 * i]) / (n2 - n1) for i in range(len(names))]
        per[module] = [round(r - raw[0]) for r in raw[1:]]
    shapes = names[1:]
    print("bisect_left(a, x, lo=0, hi=None, *, key=None), a list of 16 ints, and"
          " scale(x, factor=1.0, *, unit=\"\"); Python %s;"
          " instructions per call (callgrind, PYTHONHASHSEED=0), net of the loop,"
          " from %d and %d calls." % (version, n1, n2))
    print()
    cols = [m for m in built if m != FLOOR] + [m for m in built if m == FLOOR]
    print("| call shape | " + " | ".join(LABELS[m] for m in cols) + " |")
    print("|---|" + "---:|" * len(cols))
    for i, shape in enumerate(shapes):
        print("| %s | %s |" % (shape, " | ".join(
            "-" if cell(per, m, i, shapes) is None else str(per[m][i]) for m in cols)))
    print()
    if "bis_pyz3" not in per or "bis_ac" not in per:
        return
    ours = per["bis_pyz3"]
    others = [m for m in cols if m not in ("bis_pyz3", FLOOR)]
    print("| libpyz3 against | " + " | ".join(LABELS[m] for m in others) + " |")
    print("|---|" + "---:|" * len(others))
    worst = 0.0
    for i, shape in enumerate(shapes):
        ratios = ["-" if cell(per, m, i, shapes) is None else "%.2f" % (ours[i] / per[m][i])
                  for m in others]
        worst = max(worst, ours[i] / per["bis_ac"][i])
        print("| %s | %s |" % (shape, " | ".join(ratios)))
    print()
    pairs = [("keywords lo=, hi=", "positional, all 4"),
             ("mixed: 3 positional, hi=", "positional, all 4"),
             ("scale: keywords factor=, x=", "scale: floats, positional")]
    print("| keywords / the same call positionally | " + " | ".join(LABELS[m] for m in cols)
          + " |")
    print("|---|" + "---:|" * len(cols))
    for k, p in pairs:
        ik, ip = shapes.index(k), shapes.index(p)
        print("| %s / %s | %s |" % (k, p, " | ".join(
            "-" if cell(per, m, ik, shapes) is None else "%.2f" % (per[m][ik] / per[m][ip])
            for m in cols)))
    print()
    kw = max(ours[shapes.index(k)] / ours[shapes.index(p)] for k, p in pairs)
    kw_net = None
    if FLOOR in per:
        floor = per[FLOOR]
        mine = [m for m in cols if m not in ("_bisect", FLOOR)]
        print("| net of the interpreter's part | " + " | ".join(LABELS[m] for m in mine)
              + " | " + LABELS[FLOOR] + " |")
        print("|---|" + "---:|" * (len(mine) + 1))
        kw_net = 0.0
        for k, p in pairs:
            ik, ip = shapes.index(k), shapes.index(p)
            net = [(per[m][ik] - floor[ik]) / (per[m][ip] - floor[ip]) for m in mine]
            kw_net = max(kw_net, net[mine.index("bis_pyz3")])
            print("| %s / %s | %s | +%d |" % (k, p, " | ".join("%.2f" % r for r in net),
                                              floor[ik] - floor[ip]))
        print()
    print("Goals: libpyz3 <= 1.00x hand-written in every shape: worst %.2fx %s;"
          " keywords <= 1.15x the same call positionally: %.2fx %s%s."
          % (worst, "met" if worst <= 1.0 else "MISSED", kw, "met" if kw <= 1.15 else "MISSED",
             "" if kw_net is None else ", %.2fx net of the interpreter's part" % kw_net))
    if "_bisect" in per:
        worst_b = max(ours[i] / per["_bisect"][i] for i in range(len(shapes))
                      if cell(per, "_bisect", i, shapes) is not None)
        print("libpyz3 <= 1.05x CPython's _bisect (built into the interpreter): worst %.2fx %s."
              % (worst_b, "met" if worst_b <= 1.05 else "MISSED"))


if __name__ == "__main__":
    main()
