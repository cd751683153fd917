#!/usr/bin/python3
"""Runs one of the getting-started examples (docs/examples) against the
private Dovecot + Postfix (testbed port offset 620) and checks what it
printed. Usage: run-example.py LANGUAGE COMMAND [ARG...]

The example gets the testbed's settings through the MISSIVE_EXAMPLE_*
variables it documents; LANGUAGE is the word its subject carries
("C", "Python", "GJS", "Vala"). Prints TAP; exits 77 (skipped) without root
or the servers, unless MISSIVE_TESTBED_REQUIRED=1."""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))
import missive_testbed  # noqa: E402

OFFSET = 620
checks = []


def check(condition, what):
    checks.append(condition)
    print("%s %d - %s" % ("ok" if condition else "not ok", len(checks), what))


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: run-example.py LANGUAGE COMMAND [ARG...]")
    language, command = sys.argv[1], sys.argv[2:]
    tb = missive_testbed.start(OFFSET)
    env = dict(os.environ,
               MISSIVE_EXAMPLE_HOST=tb["TESTBED_HOST"],
               MISSIVE_EXAMPLE_USER=tb["TESTBED_USER1"],
               MISSIVE_EXAMPLE_PASSWORD=tb["TESTBED_PASS1"],
               MISSIVE_EXAMPLE_ADDRESS=tb["TESTBED_USER1"] + "@localhost",
               MISSIVE_EXAMPLE_SUBMISSION_PORT=tb["TESTBED_SUBMISSION_PORT"],
               MISSIVE_EXAMPLE_IMAPS_PORT=tb["TESTBED_IMAPS_PORT"],
               MISSIVE_EXAMPLE_POP3S_PORT=tb["TESTBED_POP3S_PORT"],
               MISSIVE_EXAMPLE_CA_FILE=tb["TESTBED_CA_FILE"])
    try:
        result = subprocess.run(command, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, timeout=120,
                                check=False)
    except subprocess.TimeoutExpired as timeout:
        check(False, "the example finished (%s)" % timeout)
        print("1..%d" % len(checks))
        return 1
    for line in (result.stdout + result.stderr).splitlines():
        print("# " + line)
    check(result.returncode == 0, "the example exited with 0 (got %d)" % result.returncode)

    out = result.stdout
    check("sent: 1 recipient(s) accepted\n" in out, "submission accepted the recipient")
    check("mailbox: INBOX\n" in out, "INBOX was listed")
    subject = r'"Getting started in %s, \d+"' % re.escape(language)
    imap = re.search(r'^imap: UID \d+, (%s)$' % subject, out, re.MULTILINE)
    check(imap is not None, "the message was found and fetched over IMAP")
    pop3 = re.search(r'^pop3: 1 message\(s\), newest (%s)$' % subject, out, re.MULTILINE)
    check(pop3 is not None, "the message was retrieved over POP3")
    check(imap is not None and pop3 is not None and imap.group(1) == pop3.group(1),
          "IMAP and POP3 saw the same message")
    check(tb["TESTBED_PASS1"] not in out + result.stderr, "the password was not printed")
    print("1..%d" % len(checks))
    return 0 if all(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
