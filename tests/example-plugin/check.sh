#!/bin/bash
# tests/example-plugin/check.sh PKG_CONFIG_DIR LIBDIR: build the example
# plugin against the missive-1.0.pc in PKG_CONFIG_DIR (an installed tree, as
# a third party would), start the private testbed, and log in with it and
# with a Python mechanism (check-live.py). LIBDIR holds libmissive-1.0.so,
# its typelib and plugins. Run as root (the testbed needs it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pcdir=${1:?usage: check.sh PKG_CONFIG_DIR LIBDIR}
libdir=${2:?usage: check.sh PKG_CONFIG_DIR LIBDIR}
work=$(mktemp -d /tmp/missive-example.XXXXXX)
# The testbed lives inside: its daemons must be able to reach it.
chmod 755 "$work"
rundir=$work/testbed
cleanup() {
    [ -f "$rundir/testbed.env" ] && bash "$here/../testbed/stop.sh" "$rundir" > /dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

PKG_CONFIG_PATH=$pcdir meson setup "$work/build" "$here" > "$work/setup.log" ||
    { cat "$work/setup.log"; exit 1; }
ninja -C "$work/build" > "$work/build.log" || { cat "$work/build.log"; exit 1; }
echo "example plugin built: $(ls "$work/build"/libmissive-example-plain.so)"

mkdir -p "$rundir"
TESTBED_PORT_OFFSET=${MISSIVE_EXAMPLE_PORT_OFFSET:-700} \
    bash "$here/../testbed/start.sh" "$rundir" > "$work/testbed.log" 2>&1 ||
    { tail -n 20 "$work/testbed.log"; exit 1; }
set -a
# shellcheck disable=SC1091
. "$rundir/testbed.env"
set +a

GI_TYPELIB_PATH=$libdir/girepository-1.0 LD_LIBRARY_PATH=$libdir \
MISSIVE_PLUGIN_PATH=$work/build:$libdir/missive-1.0/plugins \
    /usr/bin/python3 "$here/check-live.py"
