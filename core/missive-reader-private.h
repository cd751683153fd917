/* missive-reader-private.h: internals of MissiveReader visible to the tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

G_BEGIN_DECLS

/* The size of the reader's line buffer right now, in bytes. It starts at
 * 16 KiB and never grows beyond MAX (16 KiB, max-line-length + 2). */
gsize missive_reader_get_buffer_capacity (MissiveReader *self);

G_END_DECLS
