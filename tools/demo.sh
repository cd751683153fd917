#!/bin/bash
# tools/demo.sh: Missive's main job on a fresh Debian 12 machine, as root.
#
# Installs what Missive needs, builds it, starts a private Dovecot + Postfix
# on 127.0.0.1 (tests/testbed), then uses the `missive` program against
# them, and stops the servers again. Set MISSIVE_SKIP_INSTALL=1 to skip the
# package installation on a machine that already has everything.
set -euo pipefail
cd "$(dirname "$0")/.."
top=$(pwd)
build=${MISSIVE_BUILD_DIR:-$top/build}

if [ "$(id -u)" -ne 0 ]; then
    echo "demo.sh: run as root (it installs packages and starts mail servers)" >&2
    exit 1
fi

if [ "${MISSIVE_SKIP_INSTALL:-0}" != 1 ]; then
    echo "== installing packages (log: /tmp/missive-demo-apt.log)"
    bash .ci/install-deps.sh > /tmp/missive-demo-apt.log 2>&1 ||
        { tail -n 30 /tmp/missive-demo-apt.log; exit 1; }
fi

echo "== building into $build"
[ -f "$build/build.ninja" ] || meson setup "$build" > /dev/null
ninja -C "$build" > /tmp/missive-demo-build.log 2>&1 ||
    { tail -n 30 /tmp/missive-demo-build.log; exit 1; }

echo "== starting a private Dovecot + Postfix on 127.0.0.1"
rundir=$(mktemp -d /tmp/missive-demo.XXXXXX)
TESTBED_PORT_OFFSET=${MISSIVE_DEMO_PORT_OFFSET:-500} bash tests/testbed/start.sh "$rundir" > /dev/null
idle_pid=
trap '[ -z "$idle_pid" ] || kill "$idle_pid" 2>/dev/null
      [ ! -d "$rundir/gnupg" ] || gpgconf --homedir "$rundir/gnupg" --kill all 2>/dev/null
      bash tests/testbed/stop.sh "$rundir" --purge' EXIT
# shellcheck disable=SC1091
. "$rundir/testbed.env"

missive() { MISSIVE_PLUGIN_PATH=$(find "$build/plugins" "$build/auth" "$build/crypto" \
                -name 'lib*.so' -printf '%h\n' 2>/dev/null | sort -u | paste -sd:) \
            "$build/tools/missive" "$@"; }

echo
echo "== missive plugins"
missive plugins

echo
echo "== missive probe: IMAP over implicit TLS, certificate checked against the testbed's CA"
missive probe "$TESTBED_HOST" "$TESTBED_IMAPS_PORT" --tls --ca-file "$TESTBED_CA_FILE"

echo
echo "== missive probe: IMAP with STARTTLS"
missive probe "$TESTBED_HOST" "$TESTBED_IMAP_PORT" --starttls imap --ca-file "$TESTBED_CA_FILE"

echo
echo "== missive probe: SMTP submission with STARTTLS"
missive probe "$TESTBED_HOST" "$TESTBED_SUBMISSION_PORT" --starttls smtp --ca-file "$TESTBED_CA_FILE"

echo
echo "== missive probe without the CA: the certificate must be refused"
if missive probe "$TESTBED_HOST" "$TESTBED_IMAPS_PORT" --tls; then
    echo "demo: an untrusted certificate was accepted" >&2
    exit 1
fi

echo
echo "== a mailbox of the private Dovecot: 20 generated messages in INBOX"
bash tests/testbed/populate.sh "$rundir" 20 2048 > /dev/null
imaps="imaps://$TESTBED_USER1@$TESTBED_HOST:$TESTBED_IMAPS_PORT"
export MISSIVE_PASSWORD=$TESTBED_PASS1

echo
echo "== missive mailboxes $imaps (through the IMAP plugin)"
missive mailboxes "$imaps" --ca-file "$TESTBED_CA_FILE"

echo
echo "== missive summaries: the last 5 messages of INBOX"
missive summaries "$imaps" INBOX --count 5 --ca-file "$TESTBED_CA_FILE"

echo
echo "== missive fetch: message UID 1, its first 12 lines"
missive fetch "$imaps" INBOX 1 --ca-file "$TESTBED_CA_FILE" --output "$rundir/uid1.eml"
head -n 12 "$rundir/uid1.eml"
echo "... ($(wc -c < "$rundir/uid1.eml") bytes)"

echo
echo "== missive status and search (raw IMAP search keys; --json for scripts)"
missive status "$imaps" INBOX --ca-file "$TESTBED_CA_FILE"
echo "unseen UIDs: $(missive search "$imaps" INBOX UNSEEN --json --ca-file "$TESTBED_CA_FILE")"

echo
echo "== missive idle: watching INBOX with IMAP IDLE while a message is sent"
missive idle "$imaps" INBOX --timeout 60 --ca-file "$TESTBED_CA_FILE" > "$rundir/idle.txt" 2>&1 &
idle_pid=$!
for _ in $(seq 1 100); do
    grep -q '^watching' "$rundir/idle.txt" && break
    sleep 0.1
done

echo
echo "== a throwaway GnuPG home with an OpenPGP key for $TESTBED_USER1@localhost (no passphrase)"
gnupg="$rundir/gnupg"
mkdir -m 700 "$gnupg"
gpg --homedir "$gnupg" --batch --quiet --passphrase '' \
    --quick-gen-key "Demo User <$TESTBED_USER1@localhost>" ed25519 sign never 2>/dev/null
fpr=$(gpg --homedir "$gnupg" --with-colons --list-secret-keys 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}')
gpg --homedir "$gnupg" --batch --quiet --passphrase '' --quick-add-key "$fpr" cv25519 encr never 2>/dev/null
echo "key $fpr"

submission="submission://$TESTBED_USER1;AUTH=SCRAM-SHA-256@$TESTBED_HOST:$TESTBED_SUBMISSION_PORT"
subject="Missive demo $(date +%s)-$$"
echo
echo "== missive send --sign --encrypt $submission"
echo "   (STARTTLS, then SASL SCRAM-SHA-256; Postfix checks it with Dovecot; PGP/MIME signed and encrypted)"
missive send "$submission" --ca-file "$TESTBED_CA_FILE" --trace 2> "$rundir/send-trace.txt" \
    --from "Demo <$TESTBED_USER1@localhost>" --to "$TESTBED_USER1@localhost" \
    --subject "$subject" --body "Sent by tools/demo.sh through the private Postfix, signed and encrypted." \
    --sign --encrypt --gnupg-home "$gnupg" ||
    { cat "$rundir/send-trace.txt" >&2; exit 1; }
echo "the conversation, from the trace (secrets masked):"
grep -E '^(C|S): (EHLO|STARTTLS|AUTH|235|250 2\.0\.0|MAIL FROM|DATA|QUIT)' "$rundir/send-trace.txt" |
    sed 's/^/   /'

echo
echo "== what missive idle printed as Postfix handed the message to Dovecot over LMTP"
for _ in $(seq 1 150); do
    grep -qF "$subject" "$rundir/idle.txt" && break
    sleep 0.2
done
kill -INT "$idle_pid" 2>/dev/null || true
wait "$idle_pid" || true
idle_pid=
cat "$rundir/idle.txt"
uid=$(sed -n "s/^new UID \([0-9]*\) .*$subject.*/\1/p" "$rundir/idle.txt")
if [ -z "$uid" ]; then
    echo "demo: missive idle did not see the message sent through Postfix" >&2
    exit 1
fi

echo
echo "== missive fetch: the new message, UID $uid"
missive fetch "$imaps" INBOX "$uid" --ca-file "$TESTBED_CA_FILE" --output "$rundir/new.eml"
sed -n "1,/^\r\?$/p" "$rundir/new.eml" | grep -E "^(From|To|Subject|Content-Type):"

echo
echo "== missive open: UID $uid decrypted and its signature checked"
missive open "$rundir/new.eml" --gnupg-home "$gnupg" > "$rundir/opened.txt"
sed -n '/^encrypted:/,/^signature:/p' "$rundir/opened.txt"
grep -F "Sent by tools/demo.sh" "$rundir/opened.txt"

pop3s="pop3s://$TESTBED_USER1@$TESTBED_HOST:$TESTBED_POP3S_PORT"
echo
echo "== missive pop list $pop3s: the same maildrop over POP3 (last 3 lines)"
missive pop list "$pop3s" --ca-file "$TESTBED_CA_FILE" > "$rundir/pop.txt"
head -n 1 "$rundir/pop.txt"
tail -n 3 "$rundir/pop.txt"
last=$(tail -n 1 "$rundir/pop.txt" | cut -d' ' -f1)
echo
echo "== missive pop retr: message $last again, over POP3"
missive pop retr "$pop3s" "$last" --ca-file "$TESTBED_CA_FILE" > "$rundir/pop-last.eml"
grep -E '^Subject:' "$rundir/pop-last.eml"
echo "opened again: $(missive open "$rundir/pop-last.eml" --gnupg-home "$gnupg" | grep '^signature:')"

echo
echo "demo: done"
