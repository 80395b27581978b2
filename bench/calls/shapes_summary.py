"""shapes_summary.py -- one table of shapes.sh's ratios over several CPythons.

    python shapes_summary.py OUTPUT...

Each OUTPUT is what shapes.sh printed for one CPython. Prints, per call
shape, libpyz3 against the hand-written (Argument Clinic style) parsing on
each version; then each version's keyword calls against the same call made
positionally, as a whole and net of the interpreter's own part of the call,
and libpyz3's worst ratio against each other implementation.
"""
import re
import sys

HAND = "hand-written (Argument Clinic style)"


def tables(text):
    """The markdown tables of `text`, each as (header, rows)."""
    found, rows = [], None
    for line in text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if rows is None:
                rows = [cells]
            elif not set("".join(cells)) <= set("-:"):
                rows.append(cells)
        elif rows is not None:
            found.append((rows[0], rows[1:]))
            rows = None
    if rows is not None:
        found.append((rows[0], rows[1:]))
    return found


def pairs_table(versions, per_version, extra):
    """A row per pair of calls of `per_version` (a shapes.sh table for each
    version), a column per version: libpyz3's ratio / the hand-written one,
    then `extra` % the row's last cell."""
    print("| calls | " + " | ".join(versions) + " |")
    print("|---|" + "---:|" * len(versions))
    for i, row in enumerate(per_version[0][1]):
        cells = []
        for head, rows in per_version:
            r = rows[i]
            cells.append("%s / %s" % (r[head.index("libpyz3")], r[head.index(HAND)])
                         + (extra % r[-1] if extra else ""))
        print("| %s | %s |" % (row[0], " | ".join(cells)))


def main(paths):
    versions, against, keywords, net = [], [], [], []
    for path in paths:
        text = open(path).read()
        m = re.search(r"; Python (\S+); instructions per call", text)
        if m is None:
            print("shapes_summary.py: %s: no shapes.sh table" % path, file=sys.stderr)
            continue
        versions.append(m.group(1))
        t = {head[0]: (head, rows) for head, rows in tables(text)}
        against.append(t["libpyz3 against"])
        keywords.append(t["keywords / the same call positionally"])
        net.append(t.get("net of the interpreter's part"))

    shapes = [row[0] for row in against[0][1]]
    print("libpyz3 against the same function parsed by hand as Argument Clinic does"
          " (instructions per call, ratio; goal <= 1.00):\n")
    print("| call shape | " + " | ".join(versions) + " |")
    print("|---|" + "---:|" * len(versions))
    for shape in shapes:
        cells = []
        for head, rows in against:
            col = head.index(HAND)
            cells += [r[col] for r in rows if r[0] == shape] or ["-"]
        print("| %s | %s |" % (shape, " | ".join(cells)))

    print("\nKeywords against the same call made positionally, libpyz3 and hand-written"
          " (goal for libpyz3 <= 1.15):\n")
    pairs_table(versions, keywords, "")
    if all(net):
        print("\nThe same, net of the interpreter's own part of each call (what a function"
              " that parses nothing costs; its keyword call's extra instructions in"
              " brackets), libpyz3 and hand-written:\n")
        pairs_table(versions, net, " (%s)")

    others = []
    for head, _ in against:
        others += [h for h in head[1:] if h not in others]
    print("\nlibpyz3's worst ratio over the shapes against each implementation"
          " (- where it was not built):\n")
    print("| against | " + " | ".join(versions) + " |")
    print("|---|" + "---:|" * len(versions))
    for other in others:
        cells = []
        for head, rows in against:
            if other not in head:
                cells.append("-")
                continue
            col = head.index(other)
            vals = [float(r[col]) for r in rows if r[col] not in ("-", "")]
            cells.append("%.2f" % max(vals) if vals else "-")
        print("| %s | %s |" % (other, " | ".join(cells)))


if __name__ == "__main__":
    main(sys.argv[1:])
