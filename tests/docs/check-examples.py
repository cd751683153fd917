#!/usr/bin/python3
"""Checks that the code quoted in the reference pages is the code that the
tests compile and run.

A page includes an example file with a marker line followed by a fenced
code block:

    <!-- example: examples/getting-started.c -->
    ```c
    ...the file, byte for byte...
    ```

The path is relative to docs/. This script compares every such block in
docs/reference/*.md with its file and fails on any difference; with
--update it rewrites the blocks from the files instead. Every file under
docs/examples must be quoted somewhere. Usage:
check-examples.py DOCS_DIR [--update]. Prints TAP."""
import glob
import os
import re
import sys

MARKER = re.compile(r"^<!-- example: (\S+) -->\n", re.MULTILINE)
FENCE = re.compile(r"(```[a-z]*\n)(.*?)^```$", re.MULTILINE | re.DOTALL)


def process(page, docs_dir, update, checks, quoted):
    with open(page, encoding="utf-8") as f:
        text = f.read()
    out = []
    pos = 0
    name = os.path.basename(page)
    for marker in MARKER.finditer(text):
        rel = marker.group(1)
        quoted.add(os.path.normpath(rel))
        fence = FENCE.match(text, marker.end())
        if fence is None:
            checks.append((False, "%s: a code block follows the marker for %s" % (name, rel)))
            continue
        path = os.path.join(docs_dir, rel)
        try:
            with open(path, encoding="utf-8") as f:
                code = f.read()
        except OSError as error:
            checks.append((False, "%s: %s can be read (%s)" % (name, rel, error)))
            continue
        if not code.endswith("\n") or "\n```" in code:
            checks.append((False, "%s: %s ends with a newline and has no fence" % (name, rel)))
            continue
        same = fence.group(2) == code
        if update and not same:
            out.append(text[pos:fence.start(2)])
            out.append(code)
            pos = fence.end(2)
            same = True
        checks.append((same, "%s quotes %s byte for byte" % (name, rel)))
    if update and out:
        out.append(text[pos:])
        with open(page, "w", encoding="utf-8") as f:
            f.write("".join(out))


def main():
    args = [a for a in sys.argv[1:] if a != "--update"]
    update = "--update" in sys.argv[1:]
    if len(args) != 1:
        sys.exit("usage: check-examples.py DOCS_DIR [--update]")
    docs_dir = args[0]
    checks = []
    quoted = set()
    for page in sorted(glob.glob(os.path.join(docs_dir, "reference", "*.md"))):
        process(page, docs_dir, update, checks, quoted)
    examples = sorted(glob.glob(os.path.join(docs_dir, "examples", "*")))
    checks.append((bool(examples), "docs/examples has files"))
    for path in examples:
        rel = os.path.normpath(os.path.relpath(path, docs_dir))
        checks.append((rel in quoted, "%s is quoted in a reference page" % rel))
    for number, (ok, what) in enumerate(checks, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", number, what))
    print("1..%d" % len(checks))
    if not all(ok for ok, _ in checks):
        print("# run tests/docs/check-examples.py docs --update to copy the files into the pages")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
