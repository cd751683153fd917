#!/bin/bash
# populate.sh RUNDIR N SIZE [USER] [MAILBOX]: fill a mailbox of the missive
# testbed in RUNDIR with N generated messages of about SIZE bytes each.
#
# USER defaults to user1, MAILBOX to INBOX. The messages are written
# straight into the maildir by mkmsgs.py (far quicker than N LMTP deliveries
# or "doveadm save" calls), then Dovecot indexes them. Dovecot may be running
# or not. Messages are added: two runs give 2 * N.
set -eu

RUNDIR=${1:?usage: populate.sh RUNDIR N SIZE [USER] [MAILBOX]}
N=${2:?populate.sh: N is missing}
SIZE=${3:?populate.sh: SIZE is missing}
MUSER=${4:-user1}
MBOX=${5:-INBOX}
HERE=$(cd "$(dirname "$0")" && pwd)
RUNDIR=$(cd "$RUNDIR" && pwd)
CONF=$RUNDIR/dovecot/dovecot.conf
[ -f "$CONF" ] || { echo "populate.sh: no testbed in $RUNDIR (run start.sh first)" >&2; exit 1; }
# The system Python: mkmsgs.py needs nothing beyond the standard library.
PYTHON=${PYTHON:-/usr/bin/python3}
[ -x "$PYTHON" ] || PYTHON=python3

MAILDIR=$RUNDIR/mail/$MUSER/Maildir
if [ "$MBOX" != INBOX ]; then
    # Maildir++: every other mailbox is a directory ".name" inside the
    # INBOX maildir, its name in modified UTF-7 with "/" written as ".";
    # Dovecot says where (MAILBOX is UTF-8, as doveadm takes it).
    doveadm -c "$CONF" mailbox create -u "$MUSER" "$MBOX" 2>/dev/null || true
    MAILDIR=$(doveadm -c "$CONF" mailbox path -u "$MUSER" "$MBOX")
    case $MAILDIR in
        "$RUNDIR"/mail/"$MUSER"/Maildir/.*) ;;
        *) echo "populate.sh: unexpected path for $MBOX: $MAILDIR" >&2; exit 1 ;;
    esac
fi
mkdir -p "$MAILDIR"

# Seeded with the time so that two runs give different Message-IDs.
"$PYTHON" "$HERE/mkmsgs.py" "$MAILDIR" "$N" "$SIZE" "$(date +%s%N)"
chown -R vmail:vmail "$RUNDIR/mail/$MUSER"

# Let Dovecot pick the files up now (UIDs, cached sizes and dates) rather
# than on the first SELECT of a test.
doveadm -c "$CONF" index -u "$MUSER" "$MBOX"
doveadm -c "$CONF" mailbox status -u "$MUSER" "messages unseen vsize" "$MBOX"
