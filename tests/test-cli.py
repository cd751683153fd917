#!/usr/bin/python3
"""The `missive` program against the private Dovecot + Postfix (offset 520):
outputs and exit codes of plugins, list, status, search, fetch, send, pop,
idle, --json, --trace, the password sources and the failures."""
import json
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python"))
import missive_testbed  # noqa: E402

BUILD_ROOT = os.environ.get("MISSIVE_BUILD_ROOT", "")
MISSIVE = os.environ.get("MISSIVE_TOOL", os.path.join(BUILD_ROOT, "tools", "missive"))

# The documented exit codes (missive --help).
EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_CONNECT, EXIT_TLS, EXIT_AUTH, EXIT_SERVER = range(7)
EXIT_BAD_SIGNATURE = 8

tb = None


def setUpModule():
    global tb
    tb = missive_testbed.start(520)
    missive_testbed.populate(tb, 5, 2048, "user1", "CliBox")
    missive_testbed.populate(tb, 3, 1024, "user2", "INBOX")


def tearDownModule():
    missive_testbed.stop()


def imaps(user="TESTBED_USER1"):
    return "imaps://%s@%s:%s" % (tb[user], tb["TESTBED_HOST"], tb["TESTBED_IMAPS_PORT"])


def run(*args, password="TESTBED_PASS1", stdin=None, extra_env=None, timeout=60):
    env = dict(os.environ)
    env.pop("MISSIVE_PASSWORD", None)
    # A GLib critical or warning aborts the program: the test sees a crash.
    env["G_DEBUG"] = "fatal-criticals"
    if password is not None:
        env["MISSIVE_PASSWORD"] = tb.get(password, password)
    if extra_env:
        env.update(extra_env)
    return subprocess.run([MISSIVE] + list(args), env=env, input=stdin,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout, check=False)


def ca():
    return ["--ca-file", tb["TESTBED_CA_FILE"]]


def read_pty(master, deadline):
    """Bytes from a terminal's master side, b"" once the child has closed
    it; raises AssertionError past the deadline instead of hanging."""
    ready, _, _ = select.select([master], [], [], max(deadline - time.monotonic(), 0))
    if not ready:
        raise AssertionError("no answer on the terminal in time")
    try:
        return os.read(master, 4096)
    except OSError:
        return b""


def run_on_terminal(*args, password="TESTBED_PASS1", timeout=60):
    """Runs missive with a terminal as stdin, stdout and stderr; returns
    its exit code and all it wrote there."""
    pid, master = pty.fork()
    if pid == 0:
        env = dict(os.environ, MISSIVE_PASSWORD=tb[password], G_DEBUG="fatal-criticals")
        os.execve(MISSIVE, [MISSIVE] + list(args), env)
    output = b""
    deadline = time.monotonic() + timeout
    status = None
    try:
        while True:
            chunk = read_pty(master, deadline)
            if not chunk:
                break
            output += chunk
        _, status = os.waitpid(pid, 0)
    finally:
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        os.close(master)
    return os.waitstatus_to_exitcode(status), output


class Base(unittest.TestCase):
    def ok(self, result):
        err = result.stderr.decode(errors="replace")
        self.assertEqual(result.returncode, EXIT_OK, err)
        self.assertNotIn("CRITICAL", err)
        return result.stdout.decode()

    def fails(self, result, code):
        err = result.stderr.decode(errors="replace")
        self.assertEqual(result.returncode, code, "stdout: %r stderr: %r" % (result.stdout, err))
        self.assertNotIn("CRITICAL", err)
        self.assertNotIn("WARNING", err)
        return err


class Usage(Base):
    def test_help_lists_commands_and_exit_codes(self):
        result = run("--help", password=None)
        err = result.stderr.decode()
        self.assertEqual(result.returncode, EXIT_OK)
        for word in ("plugins", "list", "status", "search", "fetch", "idle", "pop", "send",
                     "exit codes", "MISSIVE_PASSWORD", "--password-file"):
            self.assertIn(word, err)

    def test_unknown_command(self):
        self.fails(run("frobnicate", password=None), EXIT_USAGE)

    def test_missing_arguments(self):
        self.fails(run("status", imaps(), password=None), EXIT_USAGE)
        self.fails(run("search", imaps(), "INBOX", password=None), EXIT_USAGE)
        self.fails(run("pop", "retr", password=None), EXIT_USAGE)

    def test_bad_uri(self):
        err = self.fails(run("list", "gopher://example.org", password=None), EXIT_USAGE)
        self.assertIn("hint:", err)

    def test_plugins(self):
        out = self.ok(run("plugins", password=None))
        self.assertRegex(out, r"protocols:.*imap")
        self.assertIn("SASL mechanisms:", out)
        data = json.loads(self.ok(run("--json", "plugins", password=None)))
        self.assertIn("imap", data["protocols"])
        self.assertIn("pop3", data["protocols"])
        self.assertIn("imaps", data["schemes"])
        self.assertIn("PLAIN", data["sasl_mechanisms"])
        self.assertIsInstance(data["crypto_backends"], list)


class Store(Base):
    def test_list(self):
        out = self.ok(run("list", imaps(), *ca()))
        self.assertRegex(out, r"(?m)^INBOX\s")
        self.assertRegex(out, r"(?m)^CliBox\s+5 messages")
        # "mailboxes" is the same command (attributes such as \Marked may change).
        names = sorted(line.split()[0] for line in out.splitlines())
        self.assertEqual(sorted(line.split()[0] for line in
                                self.ok(run("mailboxes", imaps(), *ca())).splitlines()), names)

    def test_list_json(self):
        data = json.loads(self.ok(run("list", imaps(), *ca(), "--json")))
        boxes = {m["name"]: m for m in data}
        self.assertIn("INBOX", boxes)
        self.assertEqual(boxes["CliBox"]["messages"], 5)
        self.assertIsInstance(boxes["CliBox"]["attributes"], list)

    def test_status(self):
        out = self.ok(run("status", imaps(), "CliBox", *ca()))
        self.assertRegex(out, r"(?m)^messages:\s+5$")
        self.assertRegex(out, r"(?m)^uid-next:\s+6$")
        data = json.loads(self.ok(run("--json", "status", imaps(), "CliBox", *ca())))
        self.assertEqual(data["name"], "CliBox")
        self.assertEqual(data["messages"], 5)
        self.assertEqual(data["uid_next"], 6)
        self.assertGreater(data["uid_validity"], 0)

    def test_status_of_a_missing_mailbox(self):
        err = self.fails(run("status", imaps(), "NoSuchBox", *ca()), EXIT_SERVER)
        # The server's words are in the message.
        self.assertRegex(err, r"(?i)mailbox doesn't exist|nonexistent|not exist")

    def test_search(self):
        out = self.ok(run("search", imaps(), "CliBox", "ALL", *ca()))
        self.assertEqual(out.split(), ["1", "2", "3", "4", "5"])
        self.assertEqual(json.loads(self.ok(run("search", imaps(), "CliBox", "UID", "2:3",
                                                 "--json", *ca()))), [2, 3])
        self.assertEqual(json.loads(self.ok(run("search", imaps(), "CliBox", "SUBJECT",
                                                 "no-such-subject-anywhere", "--json", *ca()))), [])

    def test_search_bad_criteria(self):
        err = self.fails(run("search", imaps(), "CliBox", "FROBNICATE", *ca()), EXIT_SERVER)
        self.assertIn("hint:", err)

    def test_fetch(self):
        result = run("fetch", imaps(), "CliBox", "2", *ca())
        out = self.ok(result)
        self.assertRegex(out, r"(?m)^Message-ID: ")
        self.assertRegex(out, r"(?m)^Subject: ")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "m.eml")
            self.assertEqual(self.ok(run("fetch", imaps(), "CliBox", "2", "-o", path, *ca())), "")
            with open(path, "rb") as f:
                self.assertEqual(f.read(), result.stdout)
        # Not a terminal: no progress bar on stderr.
        result = run("fetch", imaps(), "CliBox", "2", *ca())
        self.assertNotIn(b"\r", result.stderr)

    def test_fetch_bad_uid(self):
        self.fails(run("fetch", imaps(), "CliBox", "zero", *ca()), EXIT_USAGE)

    def test_trace_masks_the_password(self):
        for args in (["--trace", "list", imaps()], ["trace", "list", imaps()],
                     ["list", imaps(), "--trace"]):
            result = run(*args, *ca(), "--mechanism", "LOGIN")
            self.ok(result)
            err = result.stderr.decode()
            self.assertRegex(err, r"(?m)^C: ")
            self.assertRegex(err, r"(?m)^S: ")
            self.assertNotIn(tb["TESTBED_PASS1"], err)
            self.assertNotIn("c2VjcmV0MQ", err)   # base64 of "secret1"


class Passwords(Base):
    def test_wrong_password(self):
        result = run("list", imaps(), *ca(), password="wrong-password")
        err = self.fails(result, EXIT_AUTH)
        # Dovecot's own words, then a hint.
        self.assertIn("Authentication failed", err)
        self.assertIn("hint:", err)

    def test_wrong_password_json(self):
        result = run("--json", "list", imaps(), *ca(), password="wrong-password")
        self.fails(result, EXIT_AUTH)
        data = json.loads(result.stdout)
        self.assertEqual(data["exit_code"], EXIT_AUTH)
        self.assertIn("Authentication failed", data["error"])

    def test_password_file(self):
        with tempfile.NamedTemporaryFile("w") as f:
            f.write(tb["TESTBED_PASS2"] + "\n")
            f.flush()
            out = self.ok(run("list", imaps("TESTBED_USER2"), *ca(), "--password-file", f.name,
                              password=None))
            self.assertRegex(out, r"(?m)^INBOX\s")

    def test_password_on_stdin(self):
        out = self.ok(run("status", imaps("TESTBED_USER2"), "INBOX", *ca(), "--password-file", "-",
                          password=None, stdin=(tb["TESTBED_PASS2"] + "\n").encode()))
        self.assertRegex(out, r"(?m)^messages:")

    def test_prompt_on_a_terminal(self):
        # With a terminal, the password is asked for there, without echo.
        pid, master = pty.fork()
        if pid == 0:
            env = dict(os.environ)
            env.pop("MISSIVE_PASSWORD", None)
            os.execve(MISSIVE, [MISSIVE, "status", imaps(), "CliBox"] + ca(), env)
        output = b""
        deadline = time.monotonic() + 60
        status = None
        try:
            # The password goes in the moment the prompt shows: an answer
            # typed that early must not be thrown away.
            while not re.search(rb"Password for user1@[^:]*: ", output):
                output += read_pty(master, deadline)
            os.write(master, (tb["TESTBED_PASS1"] + "\n").encode())
            while True:
                chunk = read_pty(master, deadline)
                if not chunk:
                    break
                output += chunk
            _, status = os.waitpid(pid, 0)
        finally:
            if status is None:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            os.close(master)
        self.assertEqual(os.waitstatus_to_exitcode(status), EXIT_OK, output)
        self.assertRegex(output.decode(), r"(?m)^messages:\s+5\s*$")
        self.assertNotIn(tb["TESTBED_PASS1"].encode(), output)

    def test_no_password_without_a_terminal(self):
        # No prompt without a terminal: a clear failure before connecting.
        err = self.fails(run("list", imaps(), *ca(), password=None, stdin=b""), EXIT_AUTH)
        self.assertIn("MISSIVE_PASSWORD", err)


class Failures(Base):
    def test_connection_refused(self):
        # The LMTP port + 1 of another offset: nothing listens there.
        uri = "imap://user1@%s:%d" % (tb["TESTBED_HOST"], int(tb["TESTBED_IMAP_PORT"]) + 7)
        err = self.fails(run("list", uri), EXIT_CONNECT)
        self.assertIn("hint:", err)

    def test_untrusted_certificate(self):
        err = self.fails(run("list", imaps()), EXIT_TLS)
        self.assertIn("--ca-file", err)


class Send(Base):
    def submission(self):
        return "submission://%s@%s:%s" % (tb["TESTBED_USER1"], tb["TESTBED_HOST"],
                                          tb["TESTBED_SUBMISSION_PORT"])

    def wait_for(self, subject):
        for _ in range(150):
            out = self.ok(run("search", imaps(), "INBOX", "SUBJECT", '"%s"' % subject, *ca()))
            if out.split():
                return int(out.split()[-1])
            time.sleep(0.2)
        self.fail("the message %r did not arrive" % subject)

    def test_send_then_fetch(self):
        subject = "cli send %d-%d" % (os.getpid(), time.time_ns())
        out = self.ok(run("send", self.submission(), *ca(), "--from", "user1@localhost",
                          "--to", "user1@localhost", "--subject", subject,
                          "--body", "Hello from test-cli.py"))
        self.assertIn("sent", out)
        uid = self.wait_for(subject)
        message = self.ok(run("fetch", imaps(), "INBOX", str(uid), *ca()))
        self.assertIn("Subject: " + subject, message)
        self.assertIn("Hello from test-cli.py", message)

    def test_send_json(self):
        result = run("--json", "send", self.submission(), *ca(), "--from", "user1@localhost",
                     "--to", "user1@localhost", "--subject", "json", "--body", "x")
        data = json.loads(self.ok(result))
        self.assertEqual(data["accepted"], 1)
        self.assertEqual(data["recipients"][0]["address"], "user1@localhost")

    def test_refused_recipient(self):
        # Dovecot's LMTP refuses an unknown user at RCPT: exit 6 and its words.
        lmtp = "lmtp://%s:%s" % (tb["TESTBED_HOST"], tb["TESTBED_LMTP_PORT"])
        err = self.fails(run("send", lmtp, "--from", "a@localhost", "--to", "nosuchuser@localhost",
                             "--body", "x", password=None), EXIT_SERVER)
        self.assertIn("nosuchuser@localhost", err)
        self.assertRegex(err, r"550|5\.1\.1")

    def test_send_wrong_password(self):
        err = self.fails(run("send", self.submission(), *ca(), "--from", "user1@localhost",
                             "--to", "user1@localhost", "--body", "x", password="nope"), EXIT_AUTH)
        self.assertRegex(err, r"535|[Aa]uthentication failed")


def gpg(home, *args, stdin=None):
    return subprocess.run(["gpg", "--homedir", home, "--batch", "--quiet"] + list(args),
                          input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=60, check=True)


def mime_parts(raw, boundary):
    """The parts of a multipart body as the bytes between the boundaries
    (CRLF line ends, the line break before each delimiter excluded)."""
    raw = raw.replace("\r\n", "\n").replace("\n", "\r\n")
    delimiter = "\r\n--" + boundary
    chunks = raw.split(delimiter)
    # chunks[0] is the header and preamble; each next chunk starts with
    # the rest of the delimiter line.
    return [c.split("\r\n", 1)[1] for c in chunks[1:] if not c.startswith("--")]


@unittest.skipUnless(shutil.which("gpg"), "no gpg")
class SignedSend(Base):
    submission = Send.submission
    wait_for = Send.wait_for

    @classmethod
    def setUpClass(cls):
        cls.home = tempfile.mkdtemp(prefix="missive-cli-gpg-")
        gpg(cls.home, "--passphrase", "", "--quick-gen-key", "User One <user1@localhost>",
            "ed25519", "default", "never")
        fpr = [line.split(":")[9] for line in
               gpg(cls.home, "--with-colons", "--list-secret-keys", "user1@localhost")
               .stdout.decode().splitlines() if line.startswith("fpr:")][0]
        gpg(cls.home, "--passphrase", "", "--quick-add-key", fpr, "cv25519", "encr", "never")
        gpg(cls.home, "--passphrase", "secret", "--pinentry-mode", "loopback",
            "--quick-gen-key", "User Two <user2@localhost>", "ed25519", "default", "never")
        # Forget the passphrase the agent may have kept from the generation.
        subprocess.run(["gpgconf", "--homedir", cls.home, "--reload", "gpg-agent"], check=False)

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["gpgconf", "--homedir", cls.home, "--kill", "gpg-agent"], check=False)
        shutil.rmtree(cls.home, ignore_errors=True)

    def send_fetch(self, *options):
        subject = "cli pgp %d-%d" % (os.getpid(), time.time_ns())
        self.ok(run("send", self.submission(), *ca(), "--from", "user1@localhost",
                    "--to", "user1@localhost", "--subject", subject,
                    "--body", "Signed by test-cli.py", "--gnupg-home", self.home, *options))
        uid = self.wait_for(subject)
        return self.ok(run("fetch", imaps(), "INBOX", str(uid), *ca()))

    def content_type(self, message, expected):
        header = message.split("\n\n", 1)[0].replace("\r", "").replace("\n\t", " ").replace("\n ", " ")
        match = re.search(r"^Content-Type: *(%s[^\n]*)" % re.escape(expected), header, re.M | re.I)
        self.assertIsNotNone(match, header)
        boundary = re.search(r'boundary="?([^";]+)"?', match.group(1))
        self.assertIsNotNone(boundary, match.group(1))
        return match.group(1), boundary.group(1)

    def test_send_signed(self):
        message = self.send_fetch("--sign")
        ctype, boundary = self.content_type(message, "multipart/signed")
        self.assertIn("application/pgp-signature", ctype)
        parts = mime_parts(message, boundary)
        self.assertEqual(len(parts), 2)
        self.assertIn("Signed by test-cli.py", parts[0])
        signature = parts[1].split("\r\n\r\n", 1)[1]
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "data"), "wb") as f:
                f.write(parts[0].encode())
            with open(os.path.join(tmp, "sig.asc"), "wb") as f:
                f.write(signature.encode())
            result = subprocess.run(["gpg", "--homedir", self.home, "--batch", "--status-fd", "1",
                                     "--verify", os.path.join(tmp, "sig.asc"),
                                     os.path.join(tmp, "data")],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn(b"[GNUPG:] GOODSIG", result.stdout)
            # A changed byte: the same check fails.
            with open(os.path.join(tmp, "data"), "wb") as f:
                f.write(parts[0].replace("Signed by", "Signed bY").encode())
            result = subprocess.run(["gpg", "--homedir", self.home, "--batch", "--status-fd", "1",
                                     "--verify", os.path.join(tmp, "sig.asc"),
                                     os.path.join(tmp, "data")],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
            self.assertIn(b"[GNUPG:] BADSIG", result.stdout)

    def test_send_signed_and_encrypted(self):
        message = self.send_fetch("--sign", "--encrypt")
        ctype, boundary = self.content_type(message, "multipart/encrypted")
        self.assertIn("application/pgp-encrypted", ctype)
        self.assertNotIn("Signed by test-cli.py", message)
        parts = mime_parts(message, boundary)
        self.assertEqual(len(parts), 2)
        armour = parts[1].split("\r\n\r\n", 1)[1]
        result = subprocess.run(["gpg", "--homedir", self.home, "--batch", "--status-fd", "2",
                                 "--decrypt"], input=armour.encode(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(b"[GNUPG:] GOODSIG", result.stderr)
        self.assertIn(b"Signed by test-cli.py", result.stdout)

    def test_send_file_signed(self):
        # A message from a file is signed as it is: its own headers stay,
        # its body is what the signature covers.
        subject = "cli pgp file %d-%d" % (os.getpid(), time.time_ns())
        with tempfile.NamedTemporaryFile("w", suffix=".eml") as f:
            f.write("From: User One <user1@localhost>\nTo: user1@localhost\n"
                    "Subject: %s\nX-Cli-Test: kept\n\nSigned from a file.\n" % subject)
            f.flush()
            self.ok(run("send", self.submission(), *ca(), "--file", f.name, "--sign",
                        "--gnupg-home", self.home))
        message = self.ok(run("fetch", imaps(), "INBOX", str(self.wait_for(subject)), *ca()))
        self.assertRegex(message, r"(?m)^X-Cli-Test: kept\r?$")
        ctype, boundary = self.content_type(message, "multipart/signed")
        parts = mime_parts(message, boundary)
        self.assertIn("Signed from a file.", parts[0])
        with tempfile.TemporaryDirectory() as tmp:
            with open(os.path.join(tmp, "data"), "wb") as f:
                f.write(parts[0].encode())
            with open(os.path.join(tmp, "sig.asc"), "wb") as f:
                f.write(parts[1].split("\r\n\r\n", 1)[1].encode())
            result = subprocess.run(["gpg", "--homedir", self.home, "--batch", "--status-fd", "1",
                                     "--verify", os.path.join(tmp, "sig.asc"),
                                     os.path.join(tmp, "data")],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
            self.assertIn(b"[GNUPG:] GOODSIG", result.stdout, result.stderr)

    @unittest.skipUnless(shutil.which("gpgsm") and shutil.which("certtool"), "no gpgsm/certtool")
    def test_send_smime_signed(self):
        # --crypto smime: an S/MIME signature (gpgsm) that gpgsm verifies.
        with tempfile.TemporaryDirectory(prefix="missive-cli-smime-") as tmp:
            setup = os.path.join(os.environ.get("MISSIVE_SOURCE_ROOT", ""), "tests",
                                 "crypto-smime-setup.sh")
            home = os.path.join(tmp, "home")
            try:
                subprocess.run(["bash", setup, tmp], check=True, timeout=120,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                subject = "cli smime %d-%d" % (os.getpid(), time.time_ns())
                self.ok(run("send", self.submission(), *ca(), "--from", "alice@example.test",
                            "--to", "user1@localhost", "--subject", subject,
                            "--body", "Signed with S/MIME", "--sign", "--crypto", "smime",
                            "--gnupg-home", home))
                message = self.ok(run("fetch", imaps(), "INBOX", str(self.wait_for(subject)),
                                      *ca()))
                ctype, boundary = self.content_type(message, "multipart/signed")
                self.assertRegex(ctype, r"application/(x-)?pkcs7-signature")
                parts = mime_parts(message, boundary)
                self.assertIn("Signed with S/MIME", parts[0])
                signature = parts[1].split("\r\n\r\n", 1)[1]
                with open(os.path.join(tmp, "data"), "wb") as f:
                    f.write(parts[0].encode())
                with open(os.path.join(tmp, "sig.b64"), "wb") as f:
                    f.write(signature.encode())
                result = subprocess.run(["gpgsm", "--homedir", home, "--batch", "--status-fd", "1",
                                         "--assume-base64", "--verify",
                                         os.path.join(tmp, "sig.b64"), os.path.join(tmp, "data")],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
                self.assertIn(b"[GNUPG:] GOODSIG", result.stdout, result.stderr)
            finally:
                for sub in ("home", "other", "empty"):
                    subprocess.run(["gpgconf", "--homedir", os.path.join(tmp, sub), "--kill", "all"],
                                   check=False)

    def test_open(self):
        # missive open: the fetched message decrypted, its signature checked.
        message = self.send_fetch("--sign", "--encrypt")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "m.eml")
            with open(path, "w") as f:
                f.write(message)
            out = self.ok(run("open", path, "--gnupg-home", self.home, password=None))
            self.assertRegex(out, r"(?m)^encrypted: yes")
            self.assertRegex(out, r"(?m)^signature: good, by User One <user1@localhost>, key [0-9A-F]{40}")
            self.assertIn("Signed by test-cli.py", out)
            data = json.loads(self.ok(run("--json", "open", "--gnupg-home", self.home,
                                          password=None, stdin=message.encode())))
            self.assertEqual((data["encrypted"], data["signed"], data["verified"]), (True, True, True))
            self.assertEqual(data["signatures"][0]["status"], "good")
            # --output: the report on stdout, the opened message in the file.
            opened = os.path.join(tmp, "opened.eml")
            out = self.ok(run("open", path, "-o", opened, "--gnupg-home", self.home, password=None))
            self.assertNotIn("Signed by test-cli.py", out)
            with open(opened) as f:
                self.assertIn("Signed by test-cli.py", f.read())

    def test_open_tampered_and_plain(self):
        message = self.send_fetch("--sign")
        ctype, boundary = self.content_type(message, "multipart/signed")
        tampered = message.replace("Signed by test-cli.py", "Signed bY test-cli.py")
        result = run("open", "--gnupg-home", self.home, password=None, stdin=tampered.encode())
        out = result.stdout.decode()
        self.assertEqual(result.returncode, EXIT_BAD_SIGNATURE, result.stderr)
        self.assertRegex(out, r"(?m)^signature: BAD")
        self.assertRegex(out, r"(?m)^encrypted: no")
        plain = "From: a@localhost\nTo: b@localhost\nSubject: plain\n\nNothing to see.\n"
        out = self.ok(run("open", "--gnupg-home", self.home, password=None, stdin=plain.encode()))
        self.assertRegex(out, r"(?m)^encrypted: no\nsigned: no\n")
        self.assertIn("Nothing to see.", out)
        err = self.fails(run("open", "--gnupg-home", self.home, password=None,
                             stdin=b"not a message at all"), EXIT_FAILURE)
        self.assertIn("not an RFC 5322 message", err)

    def test_passphrase_without_a_terminal(self):
        # The key of user2 has a passphrase; stdin is not a terminal.
        err = self.fails(run("send", self.submission(), *ca(), "--from", "user2@localhost",
                             "--to", "user1@localhost", "--body", "x", "--sign",
                             "--gnupg-home", self.home, stdin=b""), EXIT_FAILURE)
        self.assertIn("passphrase", err)

    def test_unknown_backend(self):
        self.assertNotEqual(run("send", self.submission(), *ca(), "--from", "user1@localhost",
                                "--to", "user1@localhost", "--body", "x", "--sign",
                                "--crypto", "nosuch", "--gnupg-home", self.home).returncode,
                            EXIT_OK)


class Progress(Base):
    # On a terminal a transfer draws a bar on stderr (and wipes it at the
    # end); --no-progress, or no terminal (Store.test_fetch), draws none.
    submission = Send.submission

    def test_fetch_on_a_terminal(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "m.eml")
            code, output = run_on_terminal("fetch", imaps(), "CliBox", "2", "-o", path, *ca())
            self.assertEqual(code, EXIT_OK, output)
            self.assertRegex(output, rb"\r\S* *\[#{30}\] 100% ")
            self.assertIn(b"\r\x1b[K", output)
            self.assertGreater(os.path.getsize(path), 0)
            code, output = run_on_terminal("fetch", imaps(), "CliBox", "2", "-o", path,
                                           "--no-progress", *ca())
            self.assertEqual(code, EXIT_OK, output)
            self.assertNotIn(b"100%", output)

    def test_send_on_a_terminal(self):
        with tempfile.TemporaryDirectory() as tmp:
            attachment = os.path.join(tmp, "data.bin")
            with open(attachment, "wb") as f:
                f.write(os.urandom(256 * 1024))
            code, output = run_on_terminal("send", self.submission(), *ca(),
                                           "--from", "user1@localhost", "--to", "user1@localhost",
                                           "--subject", "progress", "--body", "x",
                                           "--attach", attachment)
            self.assertEqual(code, EXIT_OK, output)
            self.assertRegex(output, rb"\[#{30}\] 100% ")
            self.assertIn(b"sent", output)


class Pop(Base):
    def pop3(self):
        return "pop3://%s@%s:%s" % (tb["TESTBED_USER2"], tb["TESTBED_HOST"], tb["TESTBED_POP3_PORT"])

    def pop(self, *args):
        return run("pop", *args, *ca(), password="TESTBED_PASS2")

    def test_list_retr_dele(self):
        out = self.ok(self.pop("list", self.pop3()))
        lines = out.splitlines()
        self.assertRegex(lines[0], r"^3 messages, \d+ bytes$")
        entries = [line.split() for line in lines[1:]]
        self.assertEqual([e[0] for e in entries], ["1", "2", "3"])
        data = json.loads(self.ok(self.pop("list", self.pop3(), "--json")))
        self.assertEqual([m["number"] for m in data], [1, 2, 3])
        self.assertEqual([m["uidl"] for m in data], [e[2] for e in entries])

        result = self.pop("retr", self.pop3(), "2")
        self.assertRegex(self.ok(result), r"(?m)^Message-ID: ")
        self.assertEqual(len(result.stdout), int(entries[1][1]))

        self.fails(self.pop("retr", self.pop3(), "9"), EXIT_SERVER)
        self.assertIn("deleted 3", self.ok(self.pop("dele", self.pop3(), "3")))
        data = json.loads(self.ok(self.pop("list", self.pop3(), "--json")))
        self.assertEqual([m["uidl"] for m in data], [e[2] for e in entries[:2]])

    def test_not_a_pop3_uri(self):
        self.fails(run("pop", "list", imaps(), *ca()), EXIT_USAGE)


class Idle(Base):
    def test_idle_sees_an_lmtp_delivery(self):
        env = dict(os.environ, MISSIVE_PASSWORD=tb["TESTBED_PASS1"], G_DEBUG="fatal-criticals")
        proc = subprocess.Popen([MISSIVE, "idle", imaps(), "INBOX", "--timeout", "30"] + ca(),
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            first = proc.stdout.readline()
            self.assertRegex(first, r"^watching INBOX: \d+ messages, next UID \d+$")
            subject = "idle %d-%d" % (os.getpid(), time.time_ns())
            lmtp = "lmtp://%s:%s" % (tb["TESTBED_HOST"], tb["TESTBED_LMTP_PORT"])
            self.ok(run("send", lmtp, "--from", "someone@localhost", "--to", "user1@localhost",
                        "--subject", subject, "--body", "delivered over LMTP", password=None))
            seen = []
            for line in proc.stdout:
                seen.append(line)
                if line.startswith("new UID") and subject in line:
                    break
            self.assertTrue(any(re.match(r"^exists \d+$", line) for line in seen), seen)
            self.assertIn(subject, seen[-1])
            # Ends by itself at --timeout, with exit code 0.
            self.assertEqual(proc.wait(timeout=60), EXIT_OK, proc.stderr.read())
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()

    def test_idle_interrupted(self):
        env = dict(os.environ, MISSIVE_PASSWORD=tb["TESTBED_PASS1"], G_DEBUG="fatal-criticals")
        proc = subprocess.Popen([MISSIVE, "idle", imaps(), "CliBox"] + ca(),
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            self.assertTrue(proc.stdout.readline().startswith("watching CliBox"))
            proc.send_signal(2)
            self.assertEqual(proc.wait(timeout=60), EXIT_OK, proc.stderr.read())
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stdout.close()
            proc.stderr.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)
