#!/usr/bin/python3
"""Third-party SASL mechanisms used for real logins to the test Dovecot.

Run by check.sh with the testbed's environment (TESTBED_* variables) and
MISSIVE_PLUGIN_PATH holding the out-of-tree example plugin:

1. the example plugin (C, built outside Missive's tree) replaces PLAIN, and
   an IMAP login with PLAIN goes through it;
2. a mechanism written here in Python and registered with
   Missive.Engine.register_sasl_mechanism() takes precedence over both, and
   logs in too; a wrong password fails with AUTHENTICATION_FAILED.
"""
import os
import sys

import gi

gi.require_version("GLib", "2.0")
gi.require_version("Missive", "1.0")
from gi.repository import GLib, Missive  # noqa: E402

env = os.environ
HOST = env["TESTBED_HOST"]
PORT = int(env["TESTBED_IMAP_PORT"])
USER = env["TESTBED_USER1"]
PASSWORD = env["TESTBED_PASS1"]


def service(password):
    engine = Missive.Engine.get_default()
    svc = engine.create_service(f"imap://{USER}@{HOST}:{PORT}")
    svc.set_security(Missive.Security.NONE)
    svc.set_allow_plaintext_auth(True)
    svc.set_password(password)
    svc.set_auth_mechanism("PLAIN")
    return svc


def login_and_list(password):
    svc = service(password)
    svc.open(None)
    assert svc.get_sasl_mechanism_used() == "PLAIN", svc.get_sasl_mechanism_used()
    names = [box.get_name() for box in svc.list_mailboxes("*", Missive.ListFlags.NONE, None)]
    assert "INBOX" in names, names
    svc.close(None)
    return names


engine = Missive.Engine.get_default()

# 1. The C plugin built against missive-1.0.pc.
mech = engine.create_sasl_mechanism("PLAIN")
assert mech.__gtype__.name == "ExamplePlain", mech.__gtype__.name
names = login_and_list(PASSWORD)
print("example plugin: PLAIN is", mech.__gtype__.name, "- logged in, mailboxes:", " ".join(names))


# 2. A mechanism subclassed in Python.
class PythonPlain(Missive.SaslMechanism):
    __gtype_name__ = "CheckPythonPlain"
    steps = 0

    def do_get_name(self):
        return "PLAIN"

    def do_get_strength(self):
        return 10

    def do_get_flags(self):
        return (Missive.SaslFlags.PLAINTEXT | Missive.SaslFlags.CLIENT_FIRST
                | Missive.SaslFlags.NEEDS_PASSWORD)

    def do_step(self, challenge):
        PythonPlain.steps += 1
        self.set_complete(True)
        message = b"\0" + self.get_username().encode() + b"\0" + self.get_password().encode()
        return GLib.Bytes.new(message)


engine.register_sasl_mechanism(PythonPlain.__gtype__)
assert engine.create_sasl_mechanism("PLAIN").__gtype__.name == "CheckPythonPlain"
login_and_list(PASSWORD)
assert PythonPlain.steps == 1, PythonPlain.steps

try:
    service("not-the-password").open(None)
except GLib.Error as error:
    assert error.matches(Missive.error_quark(), Missive.Error.AUTHENTICATION_FAILED), error
    print("python mechanism: wrong password refused:", error.message)
else:
    sys.exit("a wrong password was accepted")
assert PythonPlain.steps == 2, PythonPlain.steps
print("python mechanism: logged in with a mechanism written in Python")
