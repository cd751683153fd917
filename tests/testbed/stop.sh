#!/bin/bash
# stop.sh RUNDIR [--purge]: stop the missive testbed in RUNDIR (its Postfix,
# its Dovecot and the gpg-agent of keys.sh) and wait until they have exited.
#
# A process is signalled only when it provably belongs to this RUNDIR: the
# pid from a pid file must, according to /proc, run with RUNDIR's
# configuration. Other testbeds and system daemons are never touched.
# --purge removes RUNDIR afterwards.
set -u

RUNDIR=${1:?usage: stop.sh RUNDIR [--purge]}
[ -d "$RUNDIR" ] || { echo "stop.sh: $RUNDIR is not a directory" >&2; exit 1; }
RUNDIR=$(cd "$RUNDIR" && pwd)
PF=$RUNDIR/postfix
DC=$RUNDIR/dovecot

# owner_pid PIDFILE cmdline|environ STRING: print the pid in PIDFILE if that
# process's /proc/PID/cmdline or environ has STRING as one of its entries.
owner_pid() {
    [ -f "$1" ] || return 1
    pid=$(tr -dc 0-9 < "$1")
    [ -n "$pid" ] && [ -r "/proc/$pid/$2" ] &&
        tr '\0' '\n' < "/proc/$pid/$2" | grep -qxF -- "$3" && echo "$pid"
}
# running PID: exists and is not a zombie. (Where PID 1 is not a real init,
# e.g. in a container, exited daemons may stay unreaped for a while; they
# count as stopped.)
running() {
    st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)
    [ -n "$st" ] && [ "$st" != Z ]
}
# stop_pid PID: SIGTERM, then wait up to 10 s, then SIGKILL.
stop_pid() {
    kill -TERM "$1" 2>/dev/null
    i=0
    while running "$1"; do
        i=$((i + 1))
        if [ $i -gt 100 ]; then kill -KILL "$1" 2>/dev/null; break; fi
        sleep 0.1
    done
}

# The Postfix master has MAIL_CONFIG=<our config dir> in its environment.
# SIGTERM is what "postfix stop" sends, minus its one-second polling.
if pid=$(owner_pid "$PF/queue/pid/master.pid" environ "MAIL_CONFIG=$PF/etc"); then
    stop_pid "$pid"
fi

# The Dovecot master runs as "dovecot -c RUNDIR/dovecot/dovecot.conf" and
# takes all its children down on SIGTERM.
if pid=$(owner_pid "$DC/run/master.pid" cmdline "$DC/dovecot.conf"); then
    stop_pid "$pid"
fi

# keys.sh's GNUPGHOME: gpg-agent (and dirmngr/keyboxd, if any).
if [ -d "$RUNDIR/gnupg" ]; then
    GNUPGHOME=$RUNDIR/gnupg gpgconf --kill all 2>/dev/null
fi

if [ "${2:-}" = --purge ]; then
    case $RUNDIR in
        /|/tmp|/var/tmp|/root|/home)
            echo "stop.sh: refusing to delete $RUNDIR" >&2; exit 1 ;;
    esac
    rm -rf "$RUNDIR"
fi
exit 0
