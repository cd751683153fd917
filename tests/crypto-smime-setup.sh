#!/bin/bash
# crypto-smime-setup.sh DIR: the S/MIME test set-up of test-crypto-smime.
#
# Makes, with certtool and gpgsm and without any prompt (about 5 s):
#   DIR/home    a gpgsm home: the test CA (trusted in trustlist.txt) and the
#               certificates + secret keys of alice (no passphrase), bob
#               (passphrase "bob-passphrase") and carol (expired in 2020)
#   DIR/other   another gpgsm home: a second CA and dave, unknown to DIR/home
#   DIR/empty   a gpgsm home with nothing in it (for imports)
#   DIR/certs   the CA certificates, keys, PKCS#12 bundles, and carol.eml +
#               carol.p7s: a MIME entity carol signed in 2019, while her
#               certificate was valid
# The recipe is tests/testbed/keys.sh's. Each home's gpg-agent is left
# running: the test stops them (gpgconf --homedir DIR/x --kill all), and
# this script does when it fails.
set -eu
DIR=$1
H=$DIR/home
O=$DIR/other
E=$DIR/empty
C=$DIR/certs
mkdir -p "$C"
mkdir -m 0700 "$H" "$O" "$E"
stop_agents() {
    for h in "$H" "$O" "$E"; do gpgconf --homedir "$h" --kill all 2>/dev/null || true; done
}
trap stop_agents ERR

for h in "$H" "$O" "$E"; do
    # A low s2k count: protecting an imported key takes milliseconds, not
    # the agent's calibrated ~100 ms per step.
    printf 'allow-loopback-pinentry\ns2k-count 65536\n' > "$h/gpg-agent.conf"
    # The test CAs publish no CRL or OCSP responder.
    printf 'disable-crl-checks\ndisable-policy-checks\ndisable-dirmngr\n' > "$h/gpgsm.conf"
done

new_key() {
    certtool --generate-privkey --key-type=rsa --bits=2048 --outfile "$C/$1.key" 2>/dev/null
}
new_ca() { # name, common name; valid from 2018 so that carol's 2019 signature chains
    cat > "$C/$1.tmpl" <<EOT
cn = "$2"
organization = "missive tests"
ca
cert_signing_key
crl_signing_key
activation_date = "2018-01-01 00:00:00"
expiration_date = "2045-01-01 00:00:00"
EOT
    new_key "$1"
    certtool --generate-self-signed --load-privkey "$C/$1.key" --template "$C/$1.tmpl" \
             --outfile "$C/$1.crt" 2>/dev/null
}
new_user() { # name, CA, serial, validity lines
    cat > "$C/$1.tmpl" <<EOT
cn = "${1^} Test"
organization = "missive tests"
email = "$1@example.test"
serial = $3
signing_key
encryption_key
email_protection_key
$4
EOT
    new_key "$1"
    certtool --generate-certificate --load-privkey "$C/$1.key" \
             --load-ca-certificate "$C/$2.crt" --load-ca-privkey "$C/$2.key" \
             --template "$C/$1.tmpl" --outfile "$C/$1.crt" 2>/dev/null
}
to_p12() { # name, CA, password (empty: none). gpgsm 2.2 reads only 3DES bundles.
    if [ -z "$3" ]; then pw=--empty-password; else pw=--password=$3; fi
    certtool --to-p12 --load-privkey "$C/$1.key" --load-certificate "$C/$1.crt" \
             --load-ca-certificate "$C/$2.crt" --p12-name "$1" "$pw" \
             --pkcs-cipher 3des-pkcs12 --outder --outfile "$C/$1.p12" 2>/dev/null
}

new_ca ca "Missive Test CA"
new_ca otherca "Missive Other CA"
new_user alice ca 1001 'expiration_days = 3650'
new_user bob ca 1002 'expiration_days = 3650'
new_user carol ca 1003 $'activation_date = "2019-01-01 00:00:00"\nexpiration_date = "2020-01-01 00:00:00"'
new_user dave otherca 1004 'expiration_days = 3650'
# gpgsm gives the --passphrase-fd line to every prompt: the bundle's
# password, then the new protection passphrase of the key.
GPGSM="gpgsm --batch --no-tty"
add_key() { # home, name, CA, password
    # gpgsm 2.2 fails on about one bundle in ten that certtool makes ("error
    # parsing or decrypting the PKCS#12 file"; it depends on the random
    # salt): make a new bundle and try again.
    for _ in 1 2 3 4 5 6 7 8; do
        to_p12 "$2" "$3" "$4"
        if echo "$4" | $GPGSM --homedir "$1" --pinentry-mode loopback --passphrase-fd 0 \
                              --import "$C/$2.p12" 2>/dev/null; then
            return 0
        fi
    done
    echo "crypto-smime-setup: gpgsm could not import $2's key" >&2
    return 1
}
$GPGSM --homedir "$H" --import "$C/ca.crt" 2>/dev/null
add_key "$H" alice ca ""
add_key "$H" bob ca bob-passphrase
add_key "$H" carol ca ""
$GPGSM --homedir "$O" --import "$C/otherca.crt" 2>/dev/null
add_key "$O" dave otherca ""

trust() { # home, CA common name
    local fpr
    fpr=$($GPGSM --homedir "$1" --with-colons --list-keys "$2" 2>/dev/null |
          awk -F: '/^fpr/ { print $10; exit }')
    [ -n "$fpr" ]
    echo "$(echo "$fpr" | sed 's/../&:/g; s/:$//') S relax" > "$1/trustlist.txt"
}
trust "$H" "Missive Test CA"
trust "$O" "Missive Other CA"

# carol's signature from 2019 over a canonical (CRLF) MIME entity.
printf 'Content-Type: text/plain; charset=us-ascii\r\n\r\nSigned by carol in 2019.\r\n' > "$C/carol.eml"
$GPGSM --homedir "$H" --faked-system-time 20190601T000000 -u carol@example.test \
       --detach-sign -o "$C/carol.p7s" "$C/carol.eml" 2>/dev/null

# Forget the passphrases cached by the imports.
gpgconf --homedir "$H" --reload gpg-agent
echo "crypto-smime-setup: ok"
