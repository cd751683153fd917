"""The private Dovecot + Postfix testbed for Python tests.

start() runs tests/testbed/start.sh with TESTBED_PORT_OFFSET in a fresh
directory and returns its settings (testbed.env as a dict); it is stopped
and deleted at exit, also when the test is ended by SIGTERM or SIGINT.
Without root or the servers, start() exits with 77 (meson's "skipped"),
unless MISSIVE_TESTBED_REQUIRED=1, which makes that a failure.
"""
import atexit
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_ROOT = os.environ.get("MISSIVE_SOURCE_ROOT",
                             os.path.dirname(os.path.dirname(HERE)))
SCRIPTS = os.path.join(SOURCE_ROOT, "tests", "testbed")

_rundir = None


def _missing():
    if os.getuid() != 0:
        return "the mail testbed needs root"
    for path in ("/usr/sbin/dovecot", "/usr/sbin/postfix"):
        if not os.access(path, os.X_OK):
            return path + " is not installed"
    for program in ("certtool", "ss", "doveconf", "doveadm", "bash"):
        if shutil.which(program) is None:
            return program + " is not installed (see tests/testbed/install-deps.sh)"
    return None


def _read_env(path):
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, value = line.split("=", 1)
            words = shlex.split(value) if value else [""]
            env[key] = words[0] if words else ""
    return env


def stop():
    global _rundir
    if _rundir is None:
        return
    subprocess.run(["bash", os.path.join(SCRIPTS, "stop.sh"), _rundir, "--purge"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    _rundir = None


def _on_signal(signum, frame):
    stop()
    sys.exit(128 + signum)


def start(offset):
    """Starts a testbed on ports shifted by offset; returns testbed.env."""
    global _rundir
    problem = _missing()
    if problem is not None:
        if os.environ.get("MISSIVE_TESTBED_REQUIRED") == "1":
            sys.exit("mail testbed: " + problem)
        print("mail testbed: " + problem + " (skipped)")
        sys.exit(77)
    # Dovecot's socket paths must stay short: a directory right under /tmp.
    rundir = tempfile.mkdtemp(prefix="mtb-py", dir="/tmp")
    env = dict(os.environ, TESTBED_PORT_OFFSET=str(offset))
    _rundir = rundir
    atexit.register(stop)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    result = subprocess.run(["bash", os.path.join(SCRIPTS, "start.sh"), rundir],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, check=False)
    if result.returncode != 0:
        sys.exit("mail testbed: start.sh failed:\n" + result.stdout + result.stderr)
    return _read_env(os.path.join(rundir, "testbed.env"))


def populate(tb, count, size, user="user1", mailbox="INBOX"):
    subprocess.run(["bash", os.path.join(SCRIPTS, "populate.sh"), tb["TESTBED_RUNDIR"],
                    str(count), str(size), user, mailbox],
                   stdout=subprocess.DEVNULL, check=True)
