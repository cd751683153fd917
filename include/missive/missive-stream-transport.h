/* missive-stream-transport.h: a transport over a GIOStream the application has
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>
#include <missive/missive-transport.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_STREAM_TRANSPORT (missive_stream_transport_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveStreamTransport, missive_stream_transport, MISSIVE, STREAM_TRANSPORT, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveStreamTransport *missive_stream_transport_new (GIOStream  *stream,
                                                      const char *server_identity);

G_END_DECLS
