/* missive-throttled-stream-private.h: a GIOStream with a bandwidth limit
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_THROTTLED_STREAM (missive_throttled_stream_get_type ())
G_DECLARE_FINAL_TYPE (MissiveThrottledStream, missive_throttled_stream, MISSIVE, THROTTLED_STREAM, GIOStream)

/* What one direction of a throttled stream has done so far. */
typedef struct
{
  guint64 bytes;         /* bytes passed through */
  guint64 delays;        /* times an operation had to wait for budget */
  guint64 delayed_usec;  /* total wait scheduled, in microseconds */
  gsize   largest_chunk; /* the most bytes one operation was allowed */
} MissiveThrottleStats;

MissiveThrottledStream *missive_throttled_stream_new             (GIOStream              *base_stream,
                                                                  guint64                 bytes_per_second);
GIOStream              *missive_throttled_stream_get_base_stream (MissiveThrottledStream *self);
guint64                 missive_throttled_stream_get_rate        (MissiveThrottledStream *self);
void                    missive_throttled_stream_set_rate        (MissiveThrottledStream *self,
                                                                  guint64                 bytes_per_second);
void                    missive_throttled_stream_get_stats       (MissiveThrottledStream *self,
                                                                  MissiveThrottleStats   *read_stats,
                                                                  MissiveThrottleStats   *write_stats);

G_END_DECLS
