#!/usr/bin/python3
"""Missive's engine and SASL API as seen from Python through GI."""
import unittest

import gi

gi.require_version("GLib", "2.0")
gi.require_version("Missive", "1.0")
from gi.repository import GLib, GObject, Missive  # noqa: E402


class XPythonMech(Missive.SaslMechanism):
    """A mechanism written in Python: sends "py:<user>" and is then done."""

    __gtype_name__ = "TestPythonMechanism"

    def do_get_name(self):
        return "X-PYTHON"

    def do_get_strength(self):
        return 1

    def do_get_flags(self):
        return Missive.SaslFlags.CLIENT_FIRST

    def do_step(self, challenge):
        self.set_complete(True)
        return GLib.Bytes.new(("py:" + (self.get_username() or "")).encode())


class EngineTest(unittest.TestCase):
    def setUp(self):
        self.engine = Missive.Engine.get_default()

    def test_builtin_mechanisms_listed(self):
        mechs = self.engine.list_sasl_mechanisms()
        for name in ("PLAIN", "LOGIN", "EXTERNAL", "ANONYMOUS"):
            self.assertIn(name, mechs)

    def test_plain_step(self):
        mech = self.engine.create_sasl_mechanism("plain")
        self.assertEqual(mech.get_name(), "PLAIN")
        mech.set_username("user1")
        mech.set_password("secret1")
        response = mech.step(None)
        self.assertEqual(response.get_data(), b"\0user1\0secret1")
        self.assertTrue(mech.is_complete())

    def test_unknown_scheme_is_an_error(self):
        with self.assertRaises(GLib.Error) as ctx:
            self.engine.create_service("gopher://example.org")
        self.assertTrue(ctx.exception.matches(Missive.error_quark(),
                                              Missive.Error.UNKNOWN_SCHEME))

    def test_unknown_mechanism_is_an_error(self):
        with self.assertRaises(GLib.Error) as ctx:
            self.engine.create_sasl_mechanism("NO-SUCH-MECH")
        self.assertTrue(ctx.exception.matches(Missive.error_quark(),
                                              Missive.Error.UNKNOWN_MECHANISM))

    def test_python_mechanism_registered_and_used(self):
        self.engine.register_sasl_mechanism(XPythonMech.__gtype__)
        self.assertIn("X-PYTHON", self.engine.list_sasl_mechanisms())
        mech = self.engine.create_sasl_mechanism("x-python")
        self.assertIsInstance(mech, XPythonMech)
        mech.set_username("alice")
        self.assertEqual(mech.step(None).get_data(), b"py:alice")
        self.assertTrue(mech.is_complete())

    def test_register_non_mechanism_fails(self):
        with self.assertRaises(GLib.Error):
            self.engine.register_sasl_mechanism(GObject.Object.__gtype__)


if __name__ == "__main__":
    unittest.main(verbosity=2)
