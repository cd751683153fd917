/* missive-store-mime.c: MissiveStore's GMime convenience: a whole message
 * fetched into memory and parsed into a GMimeMessage
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-store-private.h"

/* Messages at least this big are parsed in a worker thread, so that a
 * large attachment does not stall the caller's main loop; smaller ones
 * are parsed on the spot, where a thread would cost more than the parse.
 * Each parse works on objects of its own, which GMime allows in any
 * thread. */
#define PARSE_IN_THREAD_SIZE (256 * 1024)

typedef struct
{
  guint32 message_id;
  GOutputStream *sink;  /* a resizable GMemoryOutputStream */
  GByteArray *content;  /* the message, once fetched */
} FetchMimeData;

static void
fetch_mime_data_free (gpointer data)
{
  FetchMimeData *fetch = data;

  g_clear_object (&fetch->sink);
  g_clear_pointer (&fetch->content, g_byte_array_unref);
  g_free (fetch);
}

/* Parses @content (transfer full) into a message. GMime accepts almost
 * anything that begins like a header block; what it refuses, and a
 * "message" without a single header field, is reported as malformed. */
static GMimeMessage *
parse_message (guint32      message_id,
               GByteArray  *content,
               GError     **error)
{
  GMimeStream *stream;
  GMimeParser *parser;
  GMimeMessage *message;
  guint size = content->len;

  if (size == 0)
    {
      g_byte_array_unref (content);
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE,
                   "Message %u is empty", message_id);
      return NULL;
    }

  /* The stream owns the array from here on; the parsed parts keep the
   * stream (and so the bytes) alive instead of copying their contents. */
  stream = g_mime_stream_mem_new_with_byte_array (content);
  parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  message = g_mime_parser_construct_message (parser, NULL);
  g_object_unref (parser);
  g_object_unref (stream);

  if (message == NULL)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE,
                   "Message %u (%u bytes) is not an Internet message: "
                   "it does not start with a header block", message_id, size);
      return NULL;
    }
  if (g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (message))) == 0)
    {
      g_object_unref (message);
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE,
                   "Message %u (%u bytes) is not an Internet message: "
                   "it has no header fields", message_id, size);
      return NULL;
    }
  return message;
}

static void
parse_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  FetchMimeData *fetch = task_data;
  GMimeMessage *message;
  GError *error = NULL;

  message = parse_message (fetch->message_id, g_steal_pointer (&fetch->content), &error);
  if (message == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, message, g_object_unref);
}

static void
fetch_mime_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  FetchMimeData *fetch = g_task_get_task_data (task);
  GMimeMessage *message;
  GBytes *bytes;
  GError *error = NULL;

  if (!missive_store_fetch_part_finish (MISSIVE_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  /* Closing a memory stream cannot fail; the bytes then change hands
   * without a copy, from the stream to a GBytes to a GByteArray. */
  g_output_stream_close (fetch->sink, NULL, NULL);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (fetch->sink));
  g_clear_object (&fetch->sink);
  fetch->content = g_bytes_unref_to_array (bytes);

  if (fetch->content->len >= PARSE_IN_THREAD_SIZE)
    {
      g_task_run_in_thread (task, parse_in_thread);
      g_object_unref (task);
      return;
    }

  message = parse_message (fetch->message_id, g_steal_pointer (&fetch->content), &error);
  if (message == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, message, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_fetch_mime_message_async:
 * @self: a store
 * @message_id: the message: a UID or sequence number of the selected
 *   mailbox in IMAP, a message number in POP3
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the message is fetched and parsed
 * @user_data: data for @callback
 *
 * Fetches one whole message into memory, without marking it \Seen, and
 * parses it with GMime: [method@Store.fetch_part_async] for the whole
 * message, then a #GMimeParser over the bytes. The parsed parts share
 * the fetched bytes rather than copying them.
 *
 * The whole message is held in memory, so this suits messages of
 * ordinary size; to keep a huge one out of memory, stream it with
 * [method@Store.fetch_message_async] into a file instead. Messages of
 * 256 KiB or more are parsed in a worker thread, smaller ones in the
 * thread-default main context of the caller, before @callback is called.
 *
 * Content that is not an Internet message (that GMime cannot parse, or
 * that has no header field at all, or nothing) fails with
 * %MISSIVE_ERROR_MALFORMED_RESPONSE; a plugin without
 * [vfunc@Store.fetch_part_async] fails with %MISSIVE_ERROR_NOT_SUPPORTED.
 *
 * Since: 1.0
 */
void
missive_store_fetch_mime_message_async (MissiveStore        *self,
                                        guint32              message_id,
                                        int                  io_priority,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  FetchMimeData *fetch;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* GMime's global set-up, done once with the engine. */
  (void) missive_engine_get_default ();

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_store_fetch_mime_message_async);
  g_task_set_priority (task, io_priority);
  fetch = g_new0 (FetchMimeData, 1);
  fetch->message_id = message_id;
  fetch->sink = g_memory_output_stream_new_resizable ();
  g_task_set_task_data (task, fetch, fetch_mime_data_free);

  /* The argument, state and NOT_SUPPORTED checks are fetch_part's. */
  missive_store_fetch_part_async (self, message_id, NULL, MISSIVE_FETCH_PART_FLAGS_NONE,
                                  0, 0, fetch->sink, io_priority, cancellable,
                                  fetch_mime_cb, task);
}

/**
 * missive_store_fetch_mime_message_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.fetch_mime_message_async].
 *
 * Returns: (transfer full) (nullable): the parsed message, or %NULL on
 *   error
 *
 * Since: 1.0
 */
GMimeMessage *
missive_store_fetch_mime_message_finish (MissiveStore  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, missive_store_fetch_mime_message_async),
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
start_fetch_mime_message (gpointer             source,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data,
                          gpointer             start_data)
{
  guint32 *message_id = start_data;

  missive_store_fetch_mime_message_async (source, *message_id, G_PRIORITY_DEFAULT,
                                          cancellable, callback, user_data);
}

/**
 * missive_store_fetch_mime_message:
 * @self: a store
 * @message_id: the message: a UID or sequence number of the selected
 *   mailbox in IMAP, a message number in POP3
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Fetches one whole message and parses it with GMime, blocking. See
 * [method@Store.fetch_mime_message_async].
 *
 * Returns: (transfer full) (nullable): the parsed message, or %NULL on
 *   error
 *
 * Since: 1.0
 */
GMimeMessage *
missive_store_fetch_mime_message (MissiveStore  *self,
                                  guint32        message_id,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);

  result = missive_run_sync (self, start_fetch_mime_message, &message_id, cancellable);
  return missive_store_fetch_mime_message_finish (self, result, error);
}
