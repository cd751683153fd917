#!/usr/bin/python3
"""Missive from Python through GI against the private Dovecot + Postfix
(testbed port offset 540): a message built with Missive.MessageBuilder sent
through submission and fetched back over IMAP (as bytes and as a
GMime.Message), a POP3 retrieve, the protocol-trace and message-info
signals, and an asynchronous IMAP IDLE on a GLib main loop that sees a
message delivered over LMTP."""
import os
import sys
import time
import unittest

import gi

gi.require_version("GLib", "2.0")
gi.require_version("Gio", "2.0")
gi.require_version("GMime", "3.0")
gi.require_version("Missive", "1.0")
from gi.repository import GLib, Gio, GMime, Missive  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import missive_testbed  # noqa: E402

tb = None


def setUpModule():
    global tb
    tb = missive_testbed.start(540)
    missive_testbed.populate(tb, 4, 1024, "user2", "INBOX")


def tearDownModule():
    missive_testbed.stop()


def service(uri, user="TESTBED_USER1", password="TESTBED_PASS1"):
    svc = Missive.Engine.get_default().create_service(uri)
    if password is not None:
        svc.set_password(tb[password])
    svc.set_ca_file(tb["TESTBED_CA_FILE"])
    return svc


def imaps(user="TESTBED_USER1"):
    return "imaps://%s@%s:%s" % (tb[user], tb["TESTBED_HOST"], tb["TESTBED_IMAPS_PORT"])


def unique(what):
    return "%s %d-%d" % (what, os.getpid(), time.time_ns())


def build_message(subject, body):
    builder = Missive.MessageBuilder.new()
    builder.set_from("User One", "user1@localhost")
    builder.add_to(None, "user1@localhost")
    builder.set_subject(subject)
    builder.set_text_body(body)
    return builder.build()


def search_subject(store, subject):
    query = Missive.SearchQuery.new()
    query.add_text(Missive.SearchField.SUBJECT, subject)
    return list(store.search(query, None).to_array())


def wait_for_subject(store, mailbox, subject):
    for _ in range(150):
        store.select_mailbox(mailbox, True, None)
        uids = search_subject(store, subject)
        if uids:
            return uids[-1]
        time.sleep(0.2)
    raise AssertionError("%r did not arrive" % subject)


class SubmitAndFetch(unittest.TestCase):
    def test_builder_submission_imap_round_trip(self):
        subject = unique("python submission")
        sender = service("submission://user1@%s:%s" % (tb["TESTBED_HOST"],
                                                      tb["TESTBED_SUBMISSION_PORT"]))
        self.assertIsInstance(sender, Missive.Sender)
        sender.open(None)
        result = sender.send_message(build_message(subject, "Sent from Python.\n"),
                                     None, None, None)
        self.assertEqual(result.get_n_accepted(), 1)
        self.assertGreater(result.get_size(), 0)
        sender.close(None)

        store = service(imaps())
        self.assertIsInstance(store, Missive.Store)
        store.open(None)
        uid = wait_for_subject(store, "INBOX", subject)

        sink = Gio.MemoryOutputStream.new_resizable()
        self.assertTrue(store.fetch_message(uid, sink, None))
        sink.close(None)
        raw = sink.steal_as_bytes().get_data()
        self.assertIn(("Subject: " + subject).encode(), raw)
        self.assertIn(b"Sent from Python.", raw)

        message = store.fetch_mime_message(uid, None)
        self.assertIsInstance(message, GMime.Message)
        self.assertEqual(message.get_subject(), subject)
        self.assertIn("Sent from Python.", message.get_body().to_string(None))
        store.close(None)


class Pop3(unittest.TestCase):
    def test_retrieve(self):
        store = service("pop3://%s@%s:%s" % (tb["TESTBED_USER2"], tb["TESTBED_HOST"],
                                             tb["TESTBED_POP3_PORT"]),
                        password="TESTBED_PASS2")
        store.open(None)
        info = store.select_mailbox("INBOX", False, None)
        self.assertEqual(info.get_messages(), 4)
        msgset = Missive.MessageSet.new_from_string("1:*")
        summaries = store.fetch_summaries(msgset, Missive.FetchItems.SIZE, 0, None)
        self.assertEqual(summaries.get_n_items(), 4)
        first = summaries.get_item(0)
        self.assertIsNotNone(first.get_uidl())

        sink = Gio.MemoryOutputStream.new_resizable()
        store.fetch_message(1, sink, None)
        sink.close(None)
        data = sink.steal_as_bytes().get_data()
        self.assertEqual(len(data), first.get_size())
        self.assertIn(b"Message-ID: ", data)
        store.close(None)


class Signals(unittest.TestCase):
    def test_protocol_trace_and_message_info(self):
        store = service(imaps())
        trace = []
        infos = []
        store.connect("protocol-trace", lambda svc, direction, line: trace.append((direction, line)))
        store.connect("message-info", lambda st, info: infos.append(info.get_uid()))
        store.set_auth_mechanism("PLAIN")
        store.open(None)
        store.select_mailbox("INBOX", True, None)
        # Put two messages there first, so that there is something to see.
        for i in range(2):
            store.append_bytes("INBOX", GLib.Bytes.new(
                ("Subject: trace %d\r\nFrom: a@b\r\n\r\nbody\r\n" % i).encode()), None, None, None)
        store.select_mailbox("INBOX", True, None)
        summaries = store.fetch_summaries(Missive.MessageSet.new_from_string("1:*"),
                                          Missive.FetchItems.FLAGS, 0, None)
        store.close(None)

        directions = {d for d, _ in trace}
        self.assertIn(Missive.TraceDirection.SENT, directions)
        self.assertIn(Missive.TraceDirection.RECEIVED, directions)
        self.assertTrue(any("SELECT" in line for _, line in trace))
        self.assertFalse(any(tb["TESTBED_PASS1"] in line for _, line in trace))
        self.assertEqual(len(infos), summaries.get_n_items())
        self.assertGreaterEqual(len(infos), 2)


class AsyncIdle(unittest.TestCase):
    def test_idle_sees_lmtp_delivery(self):
        loop = GLib.MainLoop()
        store = service(imaps())
        subject = unique("python idle")
        state = {"exists": [], "error": None, "new": None, "delivered": False}

        def fail(error):
            state["error"] = error
            loop.quit()

        def on_changed(st, mailbox, what, number):
            if what == "exists":
                state["exists"].append(number)
                st.stop_idle()

        def deliver():
            lmtp = Missive.Engine.get_default().create_service(
                "lmtp://%s:%s" % (tb["TESTBED_HOST"], tb["TESTBED_LMTP_PORT"]))

            def sent(sender, result):
                try:
                    sender.send_message_finish(result)
                    state["delivered"] = True
                    sender.close_async(GLib.PRIORITY_DEFAULT, None, None)
                except GLib.Error as error:
                    fail(error)

            def opened(sender, result):
                try:
                    sender.open_finish(result)
                except GLib.Error as error:
                    fail(error)
                    return
                sender.send_message_async(build_message(subject, "over LMTP"), None, None,
                                          GLib.PRIORITY_DEFAULT, None, sent)

            lmtp.open_async(GLib.PRIORITY_DEFAULT, None, opened)
            state["lmtp"] = lmtp

        def fetched(st, result):
            try:
                summaries = st.fetch_summaries_finish(result)
            except GLib.Error as error:
                fail(error)
                return
            subjects = [summaries.get_item(i).get_subject() for i in range(summaries.get_n_items())]
            if subject in subjects:
                state["new"] = subject
                loop.quit()
            else:
                st.idle_async(GLib.PRIORITY_DEFAULT, None, idled)

        def idled(st, result):
            try:
                st.idle_finish(result)
            except GLib.Error as error:
                fail(error)
                return
            msgset = Missive.MessageSet.new()
            msgset.add_range(state["uid_next"], 0xFFFFFFFF)
            st.fetch_summaries_async(msgset, Missive.FetchItems.ENVELOPE, 0,
                                     GLib.PRIORITY_DEFAULT, None, fetched)

        def selected(st, result):
            try:
                info = st.select_mailbox_finish(result)
            except GLib.Error as error:
                fail(error)
                return
            state["uid_next"] = info.get_uid_next()
            st.connect("mailbox-changed", on_changed)
            st.idle_async(GLib.PRIORITY_DEFAULT, None, idled)
            # Delivered once the wait has begun.
            GLib.idle_add(lambda: deliver() and False)

        def opened(st, result):
            try:
                st.open_finish(result)
            except GLib.Error as error:
                fail(error)
                return
            st.select_mailbox_async("INBOX", True, GLib.PRIORITY_DEFAULT, None, selected)

        store.open_async(GLib.PRIORITY_DEFAULT, None, opened)
        # A bound for a broken run; the test does not depend on it.
        GLib.timeout_add_seconds(60, lambda: fail("timed out") and False)
        loop.run()

        if isinstance(state["error"], GLib.Error):
            raise state["error"]
        self.assertIsNone(state["error"])
        self.assertTrue(state["delivered"])
        self.assertEqual(state["new"], subject)
        self.assertTrue(state["exists"])
        store.close(None)


if __name__ == "__main__":
    unittest.main(verbosity=2)
