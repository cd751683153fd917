/* missive-reader.h: the buffered line and literal reader shared by all protocols
 *
 * Part of the plugin API: include <missive/missive-plugin.h>.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_PLUGIN_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive-plugin.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

/**
 * MISSIVE_READER_DEFAULT_MAX_LINE:
 *
 * The default longest line a [class@Reader] accepts, in bytes (without the
 * line end): 64 KiB.
 */
#define MISSIVE_READER_DEFAULT_MAX_LINE (64 * 1024)

/**
 * MISSIVE_READER_DEFAULT_MAX_LITERAL:
 *
 * The default largest literal a [class@Reader] accepts: 2 GiB.
 */
#define MISSIVE_READER_DEFAULT_MAX_LITERAL (G_GUINT64_CONSTANT (2) * 1024 * 1024 * 1024)

/**
 * MissiveReaderProgressFunc:
 * @reader: the reader
 * @done: bytes of the current literal delivered so far
 * @total: the literal's announced size
 * @user_data: the data given with the function
 *
 * Called as a literal streams through `missive_reader_read_literal()`.
 */
typedef void (*MissiveReaderProgressFunc) (MissiveReader *reader,
                                           guint64        done,
                                           guint64        total,
                                           gpointer       user_data);

#define MISSIVE_TYPE_READER (missive_reader_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveReader, missive_reader, MISSIVE, READER, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveReader *missive_reader_new                 (GInputStream  *stream);
MISSIVE_AVAILABLE_IN_1_0
GInputStream  *missive_reader_get_stream          (MissiveReader *self);
MISSIVE_AVAILABLE_IN_1_0
gsize          missive_reader_replace_stream      (MissiveReader *self,
                                                   GInputStream  *stream);
MISSIVE_AVAILABLE_IN_1_0
gsize          missive_reader_get_buffered        (MissiveReader *self);

MISSIVE_AVAILABLE_IN_1_0
gsize          missive_reader_get_max_line_length (MissiveReader *self);
MISSIVE_AVAILABLE_IN_1_0
void           missive_reader_set_max_line_length (MissiveReader *self,
                                                   gsize          max_length);
MISSIVE_AVAILABLE_IN_1_0
guint64        missive_reader_get_max_literal_size (MissiveReader *self);
MISSIVE_AVAILABLE_IN_1_0
void           missive_reader_set_max_literal_size (MissiveReader *self,
                                                    guint64        max_size);
MISSIVE_AVAILABLE_IN_1_0
guint64        missive_reader_get_bytes_read      (MissiveReader *self);
MISSIVE_AVAILABLE_IN_1_0
void           missive_reader_set_progress_func   (MissiveReader             *self,
                                                   MissiveReaderProgressFunc  func,
                                                   gpointer                   user_data,
                                                   GDestroyNotify             destroy);

MISSIVE_AVAILABLE_IN_1_0
const char    *missive_reader_read_line           (MissiveReader  *self,
                                                   gsize          *length,
                                                   GCancellable   *cancellable,
                                                   GError        **error);
MISSIVE_AVAILABLE_IN_1_0
void           missive_reader_read_line_async     (MissiveReader       *self,
                                                   int                  io_priority,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
MISSIVE_AVAILABLE_IN_1_0
const char    *missive_reader_read_line_finish    (MissiveReader  *self,
                                                   GAsyncResult   *result,
                                                   gsize          *length,
                                                   GError        **error);

MISSIVE_AVAILABLE_IN_1_0
const char    *missive_reader_try_read_line       (MissiveReader  *self,
                                                   gsize          *length,
                                                   GError        **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean       missive_reader_read_literal        (MissiveReader  *self,
                                                   guint64         size,
                                                   GOutputStream  *sink,
                                                   GCancellable   *cancellable,
                                                   GError        **error);
MISSIVE_AVAILABLE_IN_1_0
void           missive_reader_read_literal_async  (MissiveReader       *self,
                                                   guint64              size,
                                                   GOutputStream       *sink,
                                                   int                  io_priority,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean       missive_reader_read_literal_finish (MissiveReader  *self,
                                                   GAsyncResult   *result,
                                                   GError        **error);

MISSIVE_AVAILABLE_IN_1_0
GBytes        *missive_reader_read_bytes          (MissiveReader  *self,
                                                   gsize           size,
                                                   GCancellable   *cancellable,
                                                   GError        **error);
MISSIVE_AVAILABLE_IN_1_0
void           missive_reader_read_bytes_async    (MissiveReader       *self,
                                                   gsize                size,
                                                   int                  io_priority,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
MISSIVE_AVAILABLE_IN_1_0
GBytes        *missive_reader_read_bytes_finish   (MissiveReader  *self,
                                                   GAsyncResult   *result,
                                                   GError        **error);

G_END_DECLS
