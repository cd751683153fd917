#!/usr/bin/python3
"""Python standard-library peers for bench/run: imaplib, poplib, smtplib.

  py_peer.py imap-bulk    HOST PORT USER PASS MAILBOX [--tls CAFILE]
  py_peer.py imap-summary HOST PORT USER PASS MAILBOX [--tls CAFILE]
  py_peer.py pop3         HOST PORT USER PASS
  py_peer.py smtp         HOST PORT FILE COUNT

Prints "transfer_s=SECONDS bytes=N items=N" like missive-bench; the time
starts after login. imaplib does not parse FETCH responses: the summary
workload returns unparsed bytes.
"""
import imaplib
import poplib
import smtplib
import ssl
import sys
import time

CHUNK = 500


def imap_connect(host, port, tls):
    if tls:
        ctx = ssl.create_default_context(cafile=tls)
        return imaplib.IMAP4_SSL(host, int(port), ssl_context=ctx)
    return imaplib.IMAP4(host, int(port))


def imap(kind, host, port, user, password, mailbox, tls=None):
    conn = imap_connect(host, port, tls)
    conn.login(user, password)
    start = time.monotonic()
    conn.select(mailbox, readonly=True)
    typ, data = conn.uid("SEARCH", None, "ALL")
    uids = data[0].split()
    total = 0
    items = 0
    what = "(BODY.PEEK[])" if kind == "imap-bulk" else \
        "(FLAGS UID RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)"
    for i in range(0, len(uids), CHUNK):
        chunk = uids[i:i + CHUNK]
        typ, data = conn.uid("FETCH", b"%s:%s" % (chunk[0], chunk[-1]), what)
        for part in data:
            if isinstance(part, tuple):
                total += len(part[1])
                items += 1
            elif part is not None and kind != "imap-bulk":
                total += len(part)
                items += 1
        del data
    elapsed = time.monotonic() - start
    conn.logout()
    print("transfer_s=%.6f bytes=%d items=%d" % (elapsed, total, items))


def pop3(host, port, user, password):
    conn = poplib.POP3(host, int(port))
    conn.user(user)
    conn.pass_(password)
    start = time.monotonic()
    count, _ = conn.stat()
    total = 0
    for i in range(1, count + 1):
        _, lines, octets = conn.retr(i)
        total += octets
    elapsed = time.monotonic() - start
    conn.quit()
    print("transfer_s=%.6f bytes=%d items=%d" % (elapsed, total, count))


def smtp(host, port, path, count):
    with open(path, "rb") as f:
        message = f.read()
    conn = smtplib.SMTP(host, int(port))
    conn.ehlo()
    start = time.monotonic()
    for _ in range(int(count)):
        conn.sendmail("bench@example.org", ["sink@example.org"], message)
    elapsed = time.monotonic() - start
    conn.quit()
    print("transfer_s=%.6f bytes=%d items=%d" % (elapsed, len(message) * int(count), int(count)))


def main(argv):
    args = [a for a in argv if a != "--tls"]
    tls = None
    if "--tls" in argv:
        tls = argv[argv.index("--tls") + 1]
        args.remove(tls)
    kind = args[0]
    if kind in ("imap-bulk", "imap-summary"):
        imap(kind, *args[1:6], tls=tls)
    elif kind == "pop3":
        pop3(*args[1:5])
    elif kind == "smtp":
        smtp(*args[1:5])
    else:
        sys.exit("unknown workload " + kind)


if __name__ == "__main__":
    main(sys.argv[1:])
