#!/bin/sh
# install-deps.sh: one-time setup of the missive testbed on Debian 12.
#
# Installs the mail servers and tools the testbed scripts use (Dovecot,
# Postfix, GnuTLS's certtool, GnuPG/gpgsm, curl, ss, and winbind for
# ntlm_auth), and creates the system user "vmail" that owns the test
# mailboxes. It never starts the system-wide Dovecot or Postfix: the testbed
# runs its own private instances (start.sh).
#
# Usage (as root):  sh tests/testbed/install-deps.sh
# Safe to re-run: packages that are already installed are not touched, the
# user is only created when missing.
#
# Environment:
#   TESTBED_SKIP_APT=1    only do the non-apt part (the vmail user); for
#                         callers that installed the packages themselves
#   TESTBED_APT_UPDATE=1  run "apt-get update" even if the lists look fresh
#   TESTBED_NTLM=0        leave out winbind (start.sh then offers no NTLM)
set -eu

export DEBIAN_FRONTEND=noninteractive

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps.sh: run me as root" >&2
    exit 1
fi

PKGS="dovecot-core dovecot-imapd dovecot-pop3d dovecot-lmtpd postfix
      gnutls-bin gnupg gpgsm gpg-agent curl ca-certificates iproute2"
# winbind is only here for /usr/bin/ntlm_auth: Dovecot >= 2.3.13 can do NTLM
# only through it. Its daemon is never started.
[ "${TESTBED_NTLM:-1}" = 0 ] || PKGS="$PKGS winbind"

missing=""
for p in $PKGS; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$st" = "install ok installed" ] || missing="$missing $p"
done

if [ "${TESTBED_SKIP_APT:-0}" = 1 ]; then
    [ -z "$missing" ] || echo "install-deps.sh: not installed (TESTBED_SKIP_APT=1):$missing" >&2
elif [ -n "$missing" ]; then
    # Postfix's debconf question: "No configuration" leaves /etc/postfix
    # without a main.cf, so no system instance gets set up.
    echo "postfix postfix/main_mailer_type select No configuration" |
        debconf-set-selections

    # A policy-rc.d that answers 101 stops maintainer scripts from starting
    # daemons (a system Dovecot would take ports 110/143/993/995). Container
    # images often have one already; if not, put one there for the duration.
    POLICY=/usr/sbin/policy-rc.d
    OWN_POLICY=no
    if [ ! -e "$POLICY" ]; then
        printf '#!/bin/sh\nexit 101\n' > "$POLICY"
        chmod 755 "$POLICY"
        OWN_POLICY=yes
    fi
    trap '[ "$OWN_POLICY" = no ] || rm -f "$POLICY"' EXIT

    # "apt-get update" only when no package list is younger than a day, or
    # when asked to.
    if [ "${TESTBED_APT_UPDATE:-0}" = 1 ] ||
       [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mtime -1 2>/dev/null | head -n 1)" ]; then
        apt-get update -q
    fi
    # shellcheck disable=SC2086  # word splitting of the package list is wanted
    apt-get install -y -q --no-install-recommends $missing
fi

# The mail of all test users belongs to vmail; Dovecot refuses to deliver or
# serve mail as root. (dovecot, dovenull and postfix come with the packages.)
if ! getent passwd vmail >/dev/null; then
    useradd --system --user-group --home-dir /nonexistent --no-create-home \
            --shell /usr/sbin/nologin vmail
fi

echo "install-deps.sh: done"
