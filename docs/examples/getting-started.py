#!/usr/bin/python3
# getting-started.py: send a message over SMTP submission, find it over
# IMAP, retrieve it over POP3, with Missive through GObject-Introspection.
#
# Needs python3-gi and the Missive typelib. Settings come from the same
# environment variables as getting-started.c: MISSIVE_EXAMPLE_USER,
# MISSIVE_EXAMPLE_PASSWORD, MISSIVE_EXAMPLE_ADDRESS, MISSIVE_EXAMPLE_HOST and,
# optionally, MISSIVE_EXAMPLE_SUBMISSION_PORT, MISSIVE_EXAMPLE_IMAPS_PORT,
# MISSIVE_EXAMPLE_POP3S_PORT and MISSIVE_EXAMPLE_CA_FILE.
#
# SPDX-License-Identifier: LGPL-2.1-or-later
import os
import sys
import time

import gi

gi.require_version("GMime", "3.0")
gi.require_version("Missive", "1.0")
from gi.repository import GLib, Missive  # noqa: E402


def setting(name, fallback=None):
    return os.environ.get(name) or fallback


def make_service(scheme, port_setting, default_port):
    """A service for scheme on the configured host, with the credentials.
    Nothing is sent until it is opened."""
    uri = "%s://%s:%s" % (scheme, setting("MISSIVE_EXAMPLE_HOST", "localhost"),
                          setting(port_setting, default_port))
    service = Missive.Engine.get_default().create_service(uri)
    service.set_username(os.environ["MISSIVE_EXAMPLE_USER"])
    service.set_password(os.environ["MISSIVE_EXAMPLE_PASSWORD"])
    if setting("MISSIVE_EXAMPLE_CA_FILE"):
        service.set_ca_file(setting("MISSIVE_EXAMPLE_CA_FILE"))
    return service


def send_hello(subject):
    address = setting("MISSIVE_EXAMPLE_ADDRESS", os.environ["MISSIVE_EXAMPLE_USER"])
    builder = Missive.MessageBuilder.new()
    builder.set_from("Missive Example", address)
    builder.add_to(None, address)
    builder.set_subject(subject)
    builder.set_text_body("Hello from Python.\n")
    message = builder.build()

    sender = make_service("submission", "MISSIVE_EXAMPLE_SUBMISSION_PORT", "587")
    sender.open(None)
    # No envelope: the sender and recipients are taken from the headers.
    result = sender.send_message(message, None, None, None)
    print("sent: %d recipient(s) accepted" % result.get_n_accepted())
    sender.close(None)


def read_over_imap(subject):
    store = make_service("imaps", "MISSIVE_EXAMPLE_IMAPS_PORT", "993")
    store.open(None)
    for info in store.list_mailboxes(None, Missive.ListFlags.NONE, None):
        print("mailbox: %s" % info.get_name())

    query = Missive.SearchQuery.new()
    query.add_text(Missive.SearchField.SUBJECT, subject)
    # Delivery takes a moment: select again (to see new mail) and search,
    # for up to 30 seconds. An application would rather wait with IDLE.
    uid = 0
    for _ in range(150):
        store.select_mailbox("INBOX", True, None)
        found = store.search(query, None)
        if not found.is_empty():
            uid = found.get_max()
            break
        time.sleep(0.2)
    if uid == 0:
        raise RuntimeError("the message did not arrive in INBOX")

    message = store.fetch_mime_message(uid, None)
    print('imap: UID %d, "%s"' % (uid, message.get_subject()))
    store.close(None)


def retrieve_over_pop3():
    store = make_service("pop3s", "MISSIVE_EXAMPLE_POP3S_PORT", "995")
    store.open(None)
    # POP3 has one mailbox; message numbers run from 1 to the count.
    count = store.select_mailbox("INBOX", True, None).get_messages()
    if count == 0:
        raise RuntimeError("the maildrop is empty")
    message = store.fetch_mime_message(count, None)
    print('pop3: %d message(s), newest "%s"' % (count, message.get_subject()))
    store.close(None)


def main():
    if "MISSIVE_EXAMPLE_USER" not in os.environ or "MISSIVE_EXAMPLE_PASSWORD" not in os.environ:
        print("Set MISSIVE_EXAMPLE_USER and MISSIVE_EXAMPLE_PASSWORD.", file=sys.stderr)
        return 2
    subject = "Getting started in Python, %d" % GLib.get_real_time()
    try:
        send_hello(subject)
        read_over_imap(subject)
        retrieve_over_pop3()
    except GLib.Error as error:
        print("getting-started: %s" % error.message, file=sys.stderr)
        return 1
    except RuntimeError as error:
        print("getting-started: %s" % error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
