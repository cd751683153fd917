#!/usr/bin/python3
"""mkmsgs.py MAILDIR N SIZE [SEED]

Write N generated RFC 5322 messages of roughly SIZE bytes each into
MAILDIR/cur, for the missive testbed (populate.sh calls it).

The messages look like real mail: about half are text/plain (some of them
UTF-8 in quoted-printable), a fifth multipart/alternative with an HTML part,
the rest multipart/mixed with a base64 attachment. About one in five is a
reply (In-Reply-To, References, "Re:" subject) to an earlier one, and some
subjects and names are RFC 2047 encoded. Each file name carries the maildir
size fields S= (bytes on disk) and W= (bytes with CRLF line ends, i.e.
RFC822.SIZE) and a few flags; its mtime is the Date: header, so INTERNALDATE
spreads over the past year. The same SEED gives the same messages.
Standard library only; runs with /usr/bin/python3.
"""
import base64
import os
import random
import sys
import time
from datetime import datetime, timezone
from email.utils import format_datetime

VOCABULARY = (
    "agenda budget build calendar deadline draft estimate feedback invoice "
    "meeting minutes milestone notes patch plan proposal quarter release "
    "report review roadmap schedule server status summary team ticket update "
    "the a of to and in for on with as by at from this that we you it is be "
    "will can should please thanks regards again next last week today soon "
    "lorem ipsum dolor sit amet tempor magna aliqua veniam nostrud").split()

SENDERS = [
    ("Alice Example", "alice@example.org"),
    ("Bob Builder", "bob@example.net"),
    ("Carol Müller", "carol@example.com"),
    ("Dave O'Brien", "dave@example.org"),
    ("Éloïse Ünicode", "eloise@example.net"),
]
RECIPIENT = ("Test User One", "user1@localhost")

ATTACHMENTS = [
    ("report.pdf", "application/pdf"),
    ("photo.png", "image/png"),
    ("data.bin", "application/octet-stream"),
]


class TextSource:
    """A pool of wrapped lines (at most 72 characters) built once, so that
    each message only slices it: thousands of messages take about a second."""

    def __init__(self, rnd, nlines=20000):
        self.lines = []
        words, width = [], 0
        while len(self.lines) < nlines:
            w = rnd.choice(VOCABULARY)
            if words and width + 1 + len(w) > 72:
                self.lines.append(" ".join(words))
                if rnd.random() < 0.15:
                    self.lines.append("")  # paragraph break
                words, width = [], 0
            width += len(w) + (1 if words else 0)
            words.append(w)

    def text(self, rnd, nbytes):
        out, total = [], 0
        i = rnd.randrange(len(self.lines))
        while total < nbytes:
            line = self.lines[i % len(self.lines)]
            out.append(line)
            total += len(line) + 1
            i += 1
        return "\n".join(out)


def encode_qp(text):
    """Quoted-printable for UTF-8 text; soft line breaks keep every line
    under 76 characters and never split an =XX escape."""
    out = []
    for line in text.split("\n"):
        enc = []
        for ch in line:
            if ch == " " or (33 <= ord(ch) <= 126 and ch != "="):
                enc.append(ch)
            else:
                enc.extend("=%02X" % b for b in ch.encode("utf-8"))
        cur = ""
        for piece in enc:
            if len(cur) + len(piece) > 74:
                out.append(cur + "=")
                cur = ""
            cur += piece
        if cur.endswith(" "):
            cur = cur[:-1] + "=20"  # trailing space must be protected
        out.append(cur)
    return "\n".join(out)


def base64_body(raw):
    text = base64.b64encode(raw).decode("ascii")
    return "\n".join(text[i:i + 76] for i in range(0, len(text), 76))


def mailbox(person):
    name, address = person
    if not name.isascii():
        word = base64.b64encode(name.encode("utf-8")).decode("ascii")
        return "=?UTF-8?B?%s?= <%s>" % (word, address)
    if "'" in name:
        return '"%s" <%s>' % (name, address)
    return "%s <%s>" % (name, address)


def rfc_date(ts):
    return format_datetime(datetime.fromtimestamp(ts, timezone.utc))


def build_message(rnd, src, seq, size, now, earlier):
    """Return (bytes, unix date) of message number seq."""
    when = now - rnd.randint(0, 365 * 86400)
    sender = rnd.choice(SENDERS)
    msgid = "<%d.%012x@missive-testbed.example>" % (seq, rnd.getrandbits(48))
    subject = " ".join(rnd.choice(VOCABULARY)
                       for _ in range(rnd.randint(2, 7))).capitalize()

    threading = []
    if earlier and rnd.random() < 0.2:
        parent_id, parent_subject = rnd.choice(earlier)
        subject = parent_subject if parent_subject.startswith("Re: ") \
            else "Re: " + parent_subject
        threading = ["In-Reply-To: " + parent_id, "References: " + parent_id]
    earlier.append((msgid, subject))
    if len(earlier) > 200:
        earlier.pop(0)

    if rnd.random() < 0.1:
        subject_field = "=?UTF-8?Q?%s_=E2=9C=93?=" % subject.replace(" ", "_")
    else:
        subject_field = subject

    headers = [
        "Return-Path: <%s>" % sender[1],
        "Received: from client.example (localhost [127.0.0.1])\n"
        "\tby missive-testbed.example with ESMTPSA id %x\n\tfor <%s>; %s"
        % (seq, RECIPIENT[1], rfc_date(when)),
        "Date: " + rfc_date(when),
        "From: " + mailbox(sender),
        "To: " + mailbox(RECIPIENT),
    ]
    if rnd.random() < 0.3:
        headers.append("Cc: " + mailbox(rnd.choice(SENDERS)))
    headers += ["Subject: " + subject_field, "Message-ID: " + msgid]
    headers += threading
    headers += ["MIME-Version: 1.0", "X-Missive-Testbed-Seq: %d" % seq]

    # What is left for the body once the headers are paid for; the constant
    # makes the average message come out close to SIZE.
    header_bytes = sum(len(h) + 1 for h in headers)
    budget = max(200, size - header_bytes + 500)
    boundary = "=_missive_%d_%08x" % (seq, rnd.getrandbits(32))
    kind = rnd.random()

    if kind < 0.55:
        if rnd.random() < 0.3:
            text = src.text(rnd, budget / 1.2) + "\nGrüße – ✓\n"
            content = ["Content-Type: text/plain; charset=UTF-8",
                       "Content-Transfer-Encoding: quoted-printable"]
            body = encode_qp(text)
        else:
            content = ["Content-Type: text/plain; charset=us-ascii",
                       "Content-Transfer-Encoding: 7bit"]
            body = src.text(rnd, budget)
    elif kind < 0.75:
        text = src.text(rnd, budget * 0.4)
        html = ("<html><body><p>" + text.replace("\n\n", "</p>\n<p>")
                + "</p></body></html>")
        content = ['Content-Type: multipart/alternative; boundary="%s"'
                   % boundary]
        body = ("This is a multi-part message in MIME format.\n\n"
                "--{b}\nContent-Type: text/plain; charset=us-ascii\n\n{t}\n\n"
                "--{b}\nContent-Type: text/html; charset=us-ascii\n\n{h}\n\n"
                "--{b}--\n").format(b=boundary, t=text, h=html)
    else:
        text = src.text(rnd, min(800, budget // 4))
        # base64 grows the data by 4/3 plus line ends: about 0.74 raw bytes
        # per byte of budget.
        raw = rnd.randbytes(max(64, int((budget - len(text) - 400) * 0.74)))
        name, mime = rnd.choice(ATTACHMENTS)
        content = ['Content-Type: multipart/mixed; boundary="%s"' % boundary]
        body = ("--{b}\nContent-Type: text/plain; charset=us-ascii\n\n{t}\n\n"
                "--{b}\nContent-Type: {m}; name=\"{n}\"\n"
                "Content-Disposition: attachment; filename=\"{n}\"\n"
                "Content-Transfer-Encoding: base64\n\n{d}\n"
                "--{b}--\n").format(b=boundary, t=text, m=mime, n=name,
                                    d=base64_body(raw))

    message = "\n".join(headers + content) + "\n\n" + body
    if not message.endswith("\n"):
        message += "\n"
    return message.encode("utf-8"), when


def pick_flags(rnd):
    flags = ""
    for flag, chance in (("F", 0.05), ("R", 0.1), ("S", 0.7)):
        if rnd.random() < chance:
            flags += flag  # maildir wants them in ASCII order: F < R < S
    return flags


def main():
    if len(sys.argv) not in (4, 5):
        sys.stderr.write(__doc__.lstrip())
        return 2
    maildir, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(int(sys.argv[4]) if len(sys.argv) == 5 else 1)
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(maildir, sub), exist_ok=True)

    src = TextSource(rnd)
    now, pid, earlier = int(time.time()), os.getpid(), []
    cur = os.path.join(maildir, "cur")
    for seq in range(count):
        data, when = build_message(rnd, src, seq, size, now, earlier)
        name = "%d.M%dP%d.missive,S=%d,W=%d:2,%s" % (
            now, seq, pid, len(data), len(data) + data.count(b"\n"),
            pick_flags(rnd))
        path = os.path.join(cur, name)
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (when, when))
    return 0


if __name__ == "__main__":
    sys.exit(main())
