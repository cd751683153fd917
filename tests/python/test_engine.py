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


class StoreTypesTest(unittest.TestCase):
    """The value types of the store API: message sets and search queries."""

    def test_message_set_round_trip(self):
        msgset = Missive.MessageSet.new_from_string("9,2:4,7:5,12:*")
        self.assertEqual(msgset.to_string(), "2:7,9,12:*")
        self.assertTrue(msgset.contains(3))
        self.assertFalse(msgset.contains(8))
        self.assertTrue(msgset.has_star())
        self.assertEqual(msgset.get_count(), 8)
        msgset.add(8)
        self.assertEqual(msgset.to_string(), "2:9,12:*")

    def test_message_set_array_and_split(self):
        msgset = Missive.MessageSet.new_from_array([5, 1, 2, 3])
        self.assertEqual(msgset.to_string(), "1:3,5")
        self.assertEqual(list(msgset.to_array()), [1, 2, 3, 5])
        parts = Missive.MessageSet.new_from_string(
            ",".join(str(i) for i in range(1, 200, 2))).split(30)
        self.assertGreater(len(parts), 1)
        self.assertTrue(all(len(part) <= 30 for part in parts))

    def test_message_set_invalid(self):
        for text in ("", "0", "1:", "4294967296", "1 ,2"):
            with self.assertRaises(GLib.Error) as ctx:
                Missive.MessageSet.new_from_string(text)
            self.assertTrue(ctx.exception.matches(Missive.error_quark(),
                                                  Missive.Error.INVALID_ARGUMENT))

    def test_search_query(self):
        query = Missive.SearchQuery.new()
        self.assertEqual(query.to_string(), "ALL")
        query.add_flag("\\Seen", False)
        query.add_text(Missive.SearchField.SUBJECT, 'say "hi"')
        query.add_ids(Missive.MessageSet.new_from_string("1:3"), True)
        other = Missive.SearchQuery.new_raw("DELETED")
        query.add_not(other)
        self.assertEqual(query.to_string(),
                         'UNSEEN SUBJECT "say \\"hi\\"" UID 1:3 NOT (DELETED)')
        self.assertFalse(query.needs_utf8())
        query.add_text(Missive.SearchField.FROM, "Ren\u00e9")
        self.assertTrue(query.needs_utf8())


class BareStore(Missive.Store):
    """A store written in Python that implements no operation."""

    __gtype_name__ = "TestPythonBareStore"


class MimeMessageTest(unittest.TestCase):
    """Store.fetch_mime_message through GI: without a server, only the
    failure path can run, in both forms."""

    def assert_not_connected(self, error):
        self.assertTrue(error.matches(Missive.error_quark(),
                                      Missive.Error.INVALID_STATE))

    def test_blocking_form_raises(self):
        with self.assertRaises(GLib.Error) as ctx:
            BareStore().fetch_mime_message(1, None)
        self.assert_not_connected(ctx.exception)

    def test_async_form_raises(self):
        loop = GLib.MainLoop()
        errors = []

        def done(store, result):
            try:
                store.fetch_mime_message_finish(result)
            except GLib.Error as error:
                errors.append(error)
            loop.quit()

        BareStore().fetch_mime_message_async(1, GLib.PRIORITY_DEFAULT, None,
                                             done)
        loop.run()
        self.assertEqual(len(errors), 1)
        self.assert_not_connected(errors[0])


if __name__ == "__main__":
    unittest.main(verbosity=2)
