#!/bin/bash
# .ci/install-deps.sh: install every Debian package Missive needs (as root).
# Runs `apt-get update` once, then one `apt-get install`; starts no daemon.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps.sh: run as root (apt-get install)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive

# Postfix: "No configuration" writes no system main.cf; the testbed runs its
# own private instance.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections

# Keep package scripts from starting the system Dovecot/Postfix/winbind.
policy=/usr/sbin/policy-rc.d
own_policy=no
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    own_policy=yes
fi
trap '[ "$own_policy" = yes ] && rm -f "$policy"' EXIT

mapfile -t pkgs < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$here/packages.txt")
apt-get update -q
apt-get install -y -q --no-install-recommends "${pkgs[@]}"

# The testbed's own one-time setup (the vmail user); packages are already in.
TESTBED_SKIP_APT=1 bash "$here/../tests/testbed/install-deps.sh"
