"""reports.py -- read ThreadSanitizer and valgrind reports for the checks.

    python3 reports.py tsan SRCDIR SUPPRESSIONS LOG...
    python3 reports.py valgrind SRCDIR XML...

Prints one line per report that fails the check and exits 1 if there is
one, else prints a one-line summary and exits 0.

A frame is libpyz3's when it lies in libpyz3.so or in a source file under
SRCDIR/lib or SRCDIR/include (the inline paths compiled into a program).

tsan: ThreadSanitizer runs without suppressions, so that every report is
seen here. A report with a libpyz3 frame fails, whatever the suppressions
say; any other report passes only if one of its frames matches an entry
of the suppressions file (ThreadSanitizer's format: "race:PATTERN", with
* as a wildcard, matched against function names and module paths).

valgrind: the XML files of memcheck. Every error fails, except uses of the
digit that CPython 3.11 leaves uninitialised in a zero int made by
_PyLong_New() (int.from_bytes() of zeros, 0 from a bitwise operation or a
string) and reads in medium_value(), multiplied by zero: harmless, and
recognised by its origin (from --track-origins=yes), since no valgrind
suppression can single it out among its uses all over the interpreter.
A "definitely lost" block with a libpyz3 frame fails; other definitely
lost blocks are CPython's own and are counted, not failed.
"""
import fnmatch
import os
import re
import sys
import xml.etree.ElementTree as ET


def is_pyz3_path(path, srcdir):
    if not path:
        return False
    path = os.path.normpath(path)
    if os.path.basename(path).startswith("libpyz3.so"):
        return True
    for sub in ("lib", "include"):
        root = os.path.join(srcdir, sub) + os.sep
        if path.startswith(root):
            return True
    return False


# ---------------------------------------------------------------------------
# ThreadSanitizer

FRAME = re.compile(r"^\s+#\d+ (\S+) (\S+)(?: \((\S+)\+0x[0-9a-f]+\))?")


def tsan_suppressions(path):
    patterns = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            kind, _, pattern = line.partition(":")
            patterns.append((kind, pattern))
    return patterns


def tsan_reports(text):
    """Yield (kind, frames) for each report; frames are (function, file,
    module)."""
    for block in text.split("==================\n"):
        m = re.search(r"WARNING: ThreadSanitizer: ([a-z -]+?)(?: \(pid=\d+\))?\n", block)
        if not m:
            continue
        frames = []
        for line in block.splitlines():
            fm = FRAME.match(line)
            if fm:
                frames.append((fm.group(1), fm.group(2), fm.group(3) or ""))
        yield m.group(1), frames, block


def tsan_kind(kind):
    return {"data race": "race", "data race on vptr (ctor/dtor vs virtual call)": "race_vptr",
            "heap-use-after-free": "race", "thread leak": "thread",
            "lock-order-inversion (potential deadlock)": "deadlock",
            "signal-unsafe call inside of a signal": "signal",
            "use of an invalid mutex (e.g. uninitialized or destroyed)": "mutex",
            "unlock of an unlocked mutex (or by a wrong thread)": "mutex",
            "destroy of a locked mutex": "mutex"}.get(kind, kind)


def tsan(srcdir, supp, logs):
    patterns = tsan_suppressions(supp)
    bad = 0
    allowed = 0
    total = 0
    for log in logs:
        with open(log, errors="replace") as f:
            text = f.read()
        for kind, frames, block in tsan_reports(text):
            total += 1
            ours = [fr for fr in frames
                    if is_pyz3_path(fr[1].rsplit(":", 2)[0], srcdir) or is_pyz3_path(fr[2], srcdir)]
            if ours:
                bad += 1
                print("%s: %s with a libpyz3 frame: %s (%s)" % (log, kind, ours[0][0], ours[0][1]))
                continue
            k = tsan_kind(kind)
            if any(pk == k and (fnmatch.fnmatchcase(fn, "*" + pat + "*")
                                or fnmatch.fnmatchcase(mod, "*" + pat + "*"))
                   for pk, pat in patterns for fn, _, mod in frames):
                allowed += 1
                continue
            bad += 1
            top = frames[0] if frames else ("?", "?", "?")
            print("%s: %s not in the suppressions: %s (%s)" % (log, kind, top[0], top[1]))
    if bad:
        return 1
    print("ThreadSanitizer: %d reports, %d of them CPython's own (suppressed), none with a libpyz3 frame"
          % (total, allowed))
    return 0


# ---------------------------------------------------------------------------
# valgrind

def vg_frames(stack, srcdir):
    frames = []
    if stack is None:
        return frames
    for fr in stack.iter("frame"):
        fn = fr.findtext("fn") or "?"
        obj = fr.findtext("obj") or ""
        d = fr.findtext("dir") or ""
        file = fr.findtext("file") or ""
        path = os.path.join(d, file) if file else ""
        frames.append((fn, obj, path, is_pyz3_path(obj, srcdir) or is_pyz3_path(path, srcdir)))
    return frames


def vg_parse(path):
    # A forked child writes its own file (--xml-file=...%p); a file cut
    # short by an abort is still read up to its last complete error.
    with open(path, errors="replace") as f:
        text = f.read()
    if "</valgrindoutput>" not in text:
        text = text[:text.rfind("</error>") + len("</error>")] if "</error>" in text else text
        text += "\n</valgrindoutput>\n"
    return ET.fromstring(text)


CPYTHON_ZERO_DIGIT = "_PyLong_New"


def valgrind(srcdir, files):
    bad = 0
    noise = 0
    cpython_leaks = 0
    errors = 0
    for path in files:
        try:
            root = vg_parse(path)
        except ET.ParseError as e:
            print("%s: unreadable valgrind output: %s" % (path, e))
            bad += 1
            continue
        for err in root.iter("error"):
            kind = err.findtext("kind") or "?"
            stacks = err.findall("stack")
            frames = vg_frames(stacks[0] if stacks else None, srcdir)
            what = err.findtext("xwhat/text") or err.findtext("what") or kind
            if kind.startswith("Leak_"):
                if kind != "Leak_DefinitelyLost":
                    continue
                if any(f[3] for f in frames):
                    bad += 1
                    top = [f for f in frames if f[3]][0]
                    print("%s: definitely lost with a libpyz3 frame: %s at %s (%s)"
                          % (path, what, top[0], top[2] or top[1]))
                else:
                    cpython_leaks += 1
                continue
            errors += 1
            origin = vg_frames(stacks[1], srcdir) if len(stacks) > 1 else []
            if kind in ("UninitValue", "UninitCondition") \
                    and any(f[0] == CPYTHON_ZERO_DIGIT for f in origin[:2]):
                noise += 1
                continue
            bad += 1
            ours = [f for f in frames if f[3]]
            top = ours[0] if ours else (frames[0] if frames else ("?", "?", "?", False))
            print("%s: %s: %s at %s (%s)%s" % (path, kind, what, top[0], top[2] or top[1],
                                               " [libpyz3 frame]" if ours else ""))
    if bad:
        return 1
    print("valgrind: %d files, %d errors, all %d of them CPython 3.11's zero int digit read; "
          "%d definitely lost records, none with a libpyz3 frame"
          % (len(files), errors, noise, cpython_leaks))
    return 0


def main(argv):
    if len(argv) >= 4 and argv[1] == "tsan":
        return tsan(os.path.abspath(argv[2]), argv[3], argv[4:])
    if len(argv) >= 3 and argv[1] == "valgrind":
        return valgrind(os.path.abspath(argv[2]), argv[3:])
    print(__doc__.split("\n\n")[1], file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
