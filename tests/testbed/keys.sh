#!/bin/bash
# shellcheck disable=SC2015  # "check && ok || fail": ok only echoes
# keys.sh [RUNDIR]: a throwaway GnuPG home with test keys for the missive
# testbed, made without any prompt.
#
# RUNDIR/gnupg (use it as GNUPGHOME) gets:
#   OpenPGP  alice@example.test  RSA-2048 signing key + RSA-2048 encryption
#                                subkey, no passphrase
#            bob@example.test    Ed25519 signing key + Cv25519 encryption
#                                subkey, passphrase "bob-passphrase"
#                                (give it with --pinentry-mode loopback)
#   S/MIME   a test CA made with certtool and trusted in trustlist.txt, and
#            certificates + keys for alice@example.test (no passphrase) and
#            bob@example.test ("bob-passphrase"), imported from PKCS#12
# Copies go to RUNDIR/keys/, and RUNDIR/keys/keys.env lists the names,
# passphrases and fingerprints. Then sign/verify and encrypt/decrypt are
# checked with gpg and gpgsm. stop.sh ends the gpg-agent this starts.
set -eu

RUNDIR=${1:-$(mktemp -d "${TMPDIR:-/tmp}/missive-tb.XXXXXX")}
mkdir -p "$RUNDIR"; RUNDIR=$(cd "$RUNDIR" && pwd)
export GNUPGHOME=$RUNDIR/gnupg
KEYS=$RUNDIR/keys
BOBPASS=bob-passphrase
if [ -e "$GNUPGHOME" ]; then
    echo "keys.sh: $GNUPGHOME already exists (stop.sh, remove it, run again)" >&2
    exit 1
fi
# gpg-agent puts its socket into GNUPGHOME (or /run/user/UID/gnupg/d.*):
# a short RUNDIR keeps that path under the unix socket limit.
mkdir -m 0700 "$GNUPGHOME"; mkdir -p "$KEYS"

cat > "$GNUPGHOME/gpg-agent.conf" <<EOT
allow-loopback-pinentry
EOT
cat > "$GNUPGHOME/gpgsm.conf" <<EOT
# The test CA has no CRL or OCSP responder: do not look for one.
disable-crl-checks
disable-policy-checks
disable-dirmngr
EOT

GPG="gpg --batch --no-tty --quiet"
GPGSM="gpgsm --batch --no-tty"

# ---- OpenPGP ----------------------------------------------------------------
$GPG --gen-key <<EOT
%no-protection
Key-Type: RSA
Key-Length: 2048
Key-Usage: sign,cert
Subkey-Type: RSA
Subkey-Length: 2048
Subkey-Usage: encrypt
Name-Real: Alice Test
Name-Email: alice@example.test
Expire-Date: 0
%commit
EOT
$GPG --pinentry-mode loopback --gen-key <<EOT
Key-Type: EDDSA
Key-Curve: ed25519
Key-Usage: sign,cert
Subkey-Type: ECDH
Subkey-Curve: cv25519
Subkey-Usage: encrypt
Name-Real: Bob Test
Name-Email: bob@example.test
Passphrase: $BOBPASS
Expire-Date: 0
%commit
EOT
fingerprint() {
    $GPG --with-colons --list-keys "$1" | awk -F: '/^fpr/ { print $10; exit }'
}
ALICE_FPR=$(fingerprint alice@example.test)
BOB_FPR=$(fingerprint bob@example.test)
# Ultimate trust in both, so encrypting to them needs no --trust-model.
printf '%s:6:\n%s:6:\n' "$ALICE_FPR" "$BOB_FPR" | $GPG --import-ownertrust
$GPG --armor --export alice@example.test > "$KEYS/alice.pub.asc"
$GPG --armor --export bob@example.test > "$KEYS/bob.pub.asc"
$GPG --armor --export-secret-keys alice@example.test > "$KEYS/alice.sec.asc"
$GPG --pinentry-mode loopback --passphrase "$BOBPASS" --armor \
     --export-secret-keys bob@example.test > "$KEYS/bob.sec.asc"

# ---- S/MIME: a CA and two user certificates, made with certtool -----------
S=$KEYS/smime
mkdir -p "$S"
cat > "$S/ca.tmpl" <<EOT
cn = "Missive Testbed S/MIME CA"
organization = "missive testbed"
ca
cert_signing_key
crl_signing_key
expiration_days = 3650
EOT
certtool --generate-privkey --key-type=rsa --bits=2048 --outfile "$S/ca.key" 2>/dev/null
certtool --generate-self-signed --load-privkey "$S/ca.key" --template "$S/ca.tmpl" \
         --outfile "$S/ca.crt" 2>/dev/null
for who in alice bob; do
    cat > "$S/$who.tmpl" <<EOT
cn = "${who^} Test"
organization = "missive testbed"
email = "$who@example.test"
signing_key
encryption_key
email_protection_key
expiration_days = 3650
EOT
    certtool --generate-privkey --key-type=rsa --bits=2048 --outfile "$S/$who.key" 2>/dev/null
    certtool --generate-certificate --load-privkey "$S/$who.key" \
             --load-ca-certificate "$S/ca.crt" --load-ca-privkey "$S/ca.key" \
             --template "$S/$who.tmpl" --outfile "$S/$who.crt" 2>/dev/null
    # The PKCS#12 password becomes the key's passphrase in gpg-agent (see the
    # import below): empty for alice. gpgsm 2.2 cannot read certtool's
    # default PKCS#12 encryption (PBES2 with AES; it fails with
    # "encryptedData error at pkcs5PBES2-params"), hence 3DES.
    if [ $who = alice ]; then p12pw=--empty-password; else p12pw=--password=$BOBPASS; fi
    certtool --to-p12 --load-privkey "$S/$who.key" --load-certificate "$S/$who.crt" \
             --load-ca-certificate "$S/ca.crt" --p12-name "$who" \
             "$p12pw" --pkcs-cipher 3des-pkcs12 --outder \
             --outfile "$S/$who.p12" 2>/dev/null
done

# gpgsm with --passphrase-fd gives the same line to EVERY passphrase prompt:
# the PKCS#12 password and then the new protection passphrase. So alice's
# key ends up without protection and bob's is protected by $BOBPASS.
$GPGSM --import "$S/ca.crt" 2>/dev/null
echo "" | $GPGSM --pinentry-mode loopback --passphrase-fd 0 --import "$S/alice.p12" 2>/dev/null
echo "$BOBPASS" | $GPGSM --pinentry-mode loopback --passphrase-fd 0 --import "$S/bob.p12" 2>/dev/null
CA_FPR=$($GPGSM --with-colons --list-keys "Missive Testbed S/MIME CA" 2>/dev/null |
         awk -F: '/^fpr/ { print $10; exit }')
# Trust the CA for S/MIME; "relax" tolerates missing or unusual extensions.
echo "$(echo "$CA_FPR" | sed 's/../&:/g; s/:$//') S relax" > "$GNUPGHOME/trustlist.txt"

cat > "$KEYS/keys.env" <<EOT
GNUPGHOME='$GNUPGHOME'
TESTBED_PGP_ALICE=alice@example.test
TESTBED_PGP_ALICE_FPR=$ALICE_FPR
TESTBED_PGP_ALICE_PASS=
TESTBED_PGP_BOB=bob@example.test
TESTBED_PGP_BOB_FPR=$BOB_FPR
TESTBED_PGP_BOB_PASS=$BOBPASS
TESTBED_SMIME_CA_FPR=$CA_FPR
TESTBED_SMIME_CA_CERT='$S/ca.crt'
TESTBED_SMIME_ALICE=alice@example.test
TESTBED_SMIME_BOB=bob@example.test
TESTBED_SMIME_BOB_PASS=$BOBPASS
EOT

# ---- checks -----------------------------------------------------------------
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
echo "missive testbed message, $(date)" > "$T/msg"
ok() { echo "keys.sh: ok   $*"; }
fail() { echo "keys.sh: FAIL $*" >&2; exit 1; }

$GPG -u alice@example.test --sign -o "$T/a.sig" "$T/msg" &&
    $GPG --verify "$T/a.sig" 2>/dev/null && ok "gpg: alice signs (no passphrase), verified" ||
    fail "gpg: alice sign/verify"
$GPG --pinentry-mode loopback --passphrase "$BOBPASS" -u bob@example.test \
     --detach-sign -a -o "$T/b.asc" "$T/msg" &&
    $GPG --verify "$T/b.asc" "$T/msg" 2>/dev/null && ok "gpg: bob detach-signs (loopback passphrase), verified" ||
    fail "gpg: bob sign/verify"
$GPG -r bob@example.test -r alice@example.test --encrypt -a -o "$T/e.asc" "$T/msg" &&
    $GPG --decrypt "$T/e.asc" 2>/dev/null | cmp -s - "$T/msg" &&
    ok "gpg: encrypted to alice+bob, alice decrypts" || fail "gpg: encrypt/decrypt"
# bob's key must really need its passphrase: a wrong one has to fail.
$GPG -r bob@example.test --encrypt -o "$T/eb.gpg" "$T/msg"
gpgconf --reload gpg-agent   # drop cached passphrases
if $GPG --pinentry-mode loopback --passphrase wrong --decrypt "$T/eb.gpg" >/dev/null 2>&1; then
    fail "gpg: bob's key took a wrong passphrase"
fi
$GPG --pinentry-mode loopback --passphrase "$BOBPASS" --decrypt "$T/eb.gpg" 2>/dev/null |
    cmp -s - "$T/msg" && ok "gpg: bob decrypts with his passphrase, not with a wrong one" ||
    fail "gpg: bob decrypt"

$GPGSM -u alice@example.test --sign -o "$T/a.p7s" "$T/msg" 2>/dev/null &&
    $GPGSM --verify "$T/a.p7s" 2>/dev/null && ok "gpgsm: alice signs, verified" ||
    fail "gpgsm: alice sign/verify"
gpgconf --reload gpg-agent   # drop passphrases cached by the import
$GPGSM --pinentry-mode loopback --passphrase-fd 3 3<<<"$BOBPASS" -u bob@example.test \
       --detach-sign -o "$T/b.p7s" "$T/msg" 2>/dev/null &&
    $GPGSM --verify "$T/b.p7s" "$T/msg" 2>/dev/null && ok "gpgsm: bob detach-signs (loopback passphrase), verified" ||
    fail "gpgsm: bob sign/verify"
$GPGSM -r alice@example.test -r bob@example.test --encrypt -o "$T/e.p7m" "$T/msg" 2>/dev/null &&
    $GPGSM --decrypt "$T/e.p7m" 2>/dev/null | cmp -s - "$T/msg" &&
    ok "gpgsm: encrypted to alice+bob, decrypted" || fail "gpgsm: encrypt/decrypt"
# To bob alone: gpgsm --decrypt tries whatever secret key it holds (-u has no
# effect), so only a message for bob alone tests bob's passphrase.
$GPGSM -r bob@example.test --encrypt -o "$T/eb.p7m" "$T/msg" 2>/dev/null
gpgconf --reload gpg-agent
if $GPGSM --pinentry-mode loopback --passphrase-fd 3 3<<<wrong \
        --decrypt "$T/eb.p7m" >/dev/null 2>&1; then
    fail "gpgsm: bob's key took a wrong passphrase"
fi
$GPGSM --pinentry-mode loopback --passphrase-fd 3 3<<<"$BOBPASS" \
       --decrypt "$T/eb.p7m" 2>/dev/null | cmp -s - "$T/msg" &&
    ok "gpgsm: bob decrypts with his passphrase, not with a wrong one" || fail "gpgsm: bob decrypt"
echo "GNUPGHOME=$GNUPGHOME"
