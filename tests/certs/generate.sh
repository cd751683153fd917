#!/bin/sh
# Regenerates Missive's throwaway test PKI with certtool (package gnutls-bin).
# Run from anywhere; writes into the directory holding this script.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
cd "$(dirname "$0")"

DAYS=36500
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

key () {
  certtool --generate-privkey --key-type=rsa --bits=2048 --outfile "$1" 2>/dev/null
}

# Test CA
key ca-key.pem
cat > "$tmp/ca.tmpl" <<TMPL
cn = "Missive Test CA"
organization = "Missive test suite"
expiration_days = $DAYS
ca
cert_signing_key
crl_signing_key
TMPL
certtool --generate-self-signed --load-privkey ca-key.pem \
  --template "$tmp/ca.tmpl" --outfile ca.pem 2>/dev/null

# An unrelated CA; only its certificate is kept.
key "$tmp/wrong-ca-key.pem"
cat > "$tmp/wrong-ca.tmpl" <<TMPL
cn = "Missive Unrelated CA"
organization = "Somebody else"
expiration_days = $DAYS
ca
cert_signing_key
TMPL
certtool --generate-self-signed --load-privkey "$tmp/wrong-ca-key.pem" \
  --template "$tmp/wrong-ca.tmpl" --outfile wrong-ca.pem 2>/dev/null

# signed NAME TEMPLATE-BODY: a leaf certificate signed by the test CA.
signed () {
  key "$1-key.pem"
  printf 'expiration_days = %s\n%s\n' "$DAYS" "$2" > "$tmp/$1.tmpl"
  certtool --generate-certificate --load-privkey "$1-key.pem" \
    --load-ca-certificate ca.pem --load-ca-privkey ca-key.pem \
    --template "$tmp/$1.tmpl" --outfile "$1.pem" 2>/dev/null
}

signed server 'cn = "localhost"
organization = "Missive test suite"
dns_name = "localhost"
ip_address = "127.0.0.1"
ip_address = "::1"
tls_www_server
signing_key
encryption_key'

signed other-host 'cn = "mail.example.org"
organization = "Missive test suite"
dns_name = "mail.example.org"
tls_www_server
signing_key
encryption_key'

signed client 'cn = "Missive Test Client"
organization = "Missive test suite"
email = "alice@example.org"
tls_www_client
signing_key
encryption_key'

echo "Test certificates regenerated in $(pwd)"
