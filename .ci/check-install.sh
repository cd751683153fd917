#!/bin/bash
# .ci/check-install.sh STAGE: check a `DESTDIR=STAGE meson install` tree:
# library, headers, pkg-config file, GIR/typelib/VAPI, the plugin directory;
# then build a C program against it with pkg-config, and use it from
# /usr/bin/python3 through GObject-Introspection.
set -euo pipefail
stage=${1:?usage: check-install.sh STAGE}
prefix=$(find "$stage" -name 'missive-1.0.pc' -path '*pkgconfig*' | head -n1)
[ -n "$prefix" ] || { echo "no missive-1.0.pc installed"; exit 1; }
pcdir=$(dirname "$prefix")
libdir=$(dirname "$pcdir")
root=${libdir%/lib*}

check() { if [ -e "$1" ]; then echo "ok: ${1#$stage}"; else echo "MISSING: ${1#$stage}"; exit 1; fi; }
check "$libdir/libmissive-1.0.so"
check "$root/include/missive-1.0/missive/missive.h"
check "$root/include/missive-1.0/missive/missive-plugin.h"
check "$root/include/missive-1.0/missive/missive-enums.h"
check "$libdir/girepository-1.0/Missive-1.0.typelib"
check "$root/share/gir-1.0/Missive-1.0.gir"
check "$root/share/vala/vapi/missive-1.0.vapi"
check "$libdir/missive-1.0/plugins"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/hello.c" <<'C'
#include <missive/missive.h>

int
main (void)
{
  g_auto(GStrv) mechs = missive_engine_list_sasl_mechanisms (missive_engine_get_default ());
  g_print ("%u SASL mechanisms\n", g_strv_length (mechs));
  return g_strv_length (mechs) > 0 ? 0 : 1;
}
C
# The .pc file names the final prefix; point a copy at the staging tree.
mkdir "$work/pc"
sed "s|^prefix=.*|prefix=$root|" "$pcdir/missive-1.0.pc" > "$work/pc/missive-1.0.pc"
export PKG_CONFIG_PATH=$work/pc
pc() { pkg-config "$@" missive-1.0; }
cc -o "$work/hello" "$work/hello.c" $(pc --cflags --libs)
echo "plugindir: $(pc --variable=plugindir)"
LD_LIBRARY_PATH=$libdir MISSIVE_PLUGIN_PATH=$libdir/missive-1.0/plugins "$work/hello"

GI_TYPELIB_PATH=$libdir/girepository-1.0 LD_LIBRARY_PATH=$libdir \
MISSIVE_PLUGIN_PATH=$libdir/missive-1.0/plugins /usr/bin/python3 - <<'PY'
import gi
gi.require_version("Missive", "1.0")
from gi.repository import Missive
engine = Missive.Engine.get_default()
mechs = engine.list_sasl_mechanisms()
print("python: protocols", engine.list_protocols(), "mechanisms", mechs)
assert "PLAIN" in mechs, mechs
PY

# A SASL plugin built outside the tree against the installed .pc, and a
# mechanism written in Python, each used for a real IMAP login to the
# private Dovecot (through the installed IMAP plugin).
bash "$(dirname "$0")/../tests/example-plugin/check.sh" "$work/pc" "$libdir"
