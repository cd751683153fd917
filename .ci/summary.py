#!/usr/bin/python3
"""Print the closing line of .ci/run from meson's test logs.

usage: summary.py FAILED_STEPS TESTLOG.json...

Each JSON line of a testlog is one test executable; its TAP subtests are
not counted separately. A step that failed outside meson test (a build, the
install check, a fuzzer) counts as one failure. Exits 1 if anything failed.
"""
import json
import sys

passed = failed = skipped = 0
failed += int(sys.argv[1])
for path in sys.argv[2:]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError:
        continue
    for line in lines:
        if not line.strip():
            continue
        result = json.loads(line).get("result")
        if result in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif result == "SKIP":
            skipped += 1
        else:
            failed += 1

print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
