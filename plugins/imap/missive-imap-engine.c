/* missive-imap-engine.c: the IMAP command engine
 *
 * Commands go through three queues:
 *
 *   queued     built and waiting to be written;
 *   in_flight  written (at least in part), waiting for their tagged
 *              response, oldest first;
 *   writes     the bytes to write, in order: text parts and literals of
 *              the commands in flight, lines sent for continuations.
 *
 * Pipelining: a command is written as soon as the one before it has been
 * handed to the writer, without waiting for any reply, except that
 *   - a command waiting for "+" before a synchronising literal holds back
 *     everything after it (the "+" would otherwise be ambiguous);
 *   - an exclusive command (STARTTLS, or one with a continue func:
 *     AUTHENTICATE, IDLE) waits until nothing is in flight, and nothing is
 *     written after it until it completes.
 *
 * One read loop runs while anything is in flight. It takes lines from the
 * reader's buffer without a main-loop round trip as long as they are there
 * (missive_reader_try_read_line) and only then reads asynchronously. Each
 * line goes to the response parser; a literal goes to the stream the
 * command's literal func gives (copied once, socket buffer to sink), else
 * into the parser's memory (bounded), or nowhere for a response that
 * already failed to parse.
 *
 * Routing: a tagged response completes its command (a tag never sent is a
 * fatal protocol error: the connection is out of step); an untagged one is
 * offered to the commands in flight, oldest first, then handled by the
 * store (EXISTS, EXPUNGE, FETCH, CAPABILITY, ...); "+" goes to the command
 * waiting for it. A response that cannot be parsed fails only its command
 * (tagged) or becomes a warning (untagged): the parser has consumed it to
 * its end, so the stream stays in step. BYE outside LOGOUT, a lost
 * connection, an over-long line and the like fail every command with one
 * fatal error; the store's public wrappers then close the connection.
 *
 * A connection is identified by its MissiveReader: when the service opens
 * a new one, greet resets the engine (tags start again at A0001).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-private.h"

/* Literals nobody streams are kept in memory up to this size (the
 * parser's and the reader's bound); larger ones are skipped. */

/* In-memory literals up to this size appear in the protocol trace. */
#define TRACE_LITERAL_MAX 1024

/* Literal data is copied to the socket in chunks of this size. */
#define COPY_CHUNK (64 * 1024)

typedef struct
{
  char *data;              /* a text to write (line end included) ... */
  gsize length;
  gboolean sensitive;
  GInputStream *stream;    /* ... or a literal */
  guint64 size;
  guint64 done;
  guint8 *buffer;
} WriteItem;

struct _MissiveImapEngine
{
  MissiveImapStore *store;       /* owns the engine */
  MissiveReader *reader;         /* the connection's reader (a reference) */
  GOutputStream *output;         /* written to instead of the service's
                                  * stream (COMPRESS), or NULL */
  MissiveImapParser *parser;
  guint next_tag;

  GQueue queued;
  GQueue in_flight;
  GQueue writes;                 /* of WriteItem */
  MissiveImapCommand *writing;   /* the command whose parts are being queued */
  guint exclusive_in_flight;
  gboolean write_busy;
  gboolean read_busy;
  /* The main context of the engine's pending I/O (while read_busy or
   * write_busy): the operations of one store must be driven from one
   * context at a time, since the callbacks of that I/O only run there. */
  GMainContext *io_context;

  /* Set when the connection became unusable: every command fails with it
   * until the next connection. */
  GError *fatal;
  /* Cancels the engine's own I/O on a fatal error or a new connection;
   * replaced then, so that late callbacks can tell they are stale. */
  GCancellable *io_cancellable;

  /* The text of the response being read, while a raw command
   * (send_command) is in flight. */
  guint raw_listeners;
  GString *raw;
};

/* One asynchronous I/O operation of the engine. */
typedef struct
{
  MissiveImapStore *store;       /* a reference */
  GCancellable *generation;      /* engine->io_cancellable when started */
  WriteItem *item;               /* writes */
  gssize chunk;                  /* literal copy: bytes in the buffer */
  guint64 literal_size;
  gboolean skip;          /* a literal read and dropped */          /* reads of literals */
  GOutputStream *sink;
} IoOp;

static void engine_pump        (MissiveImapEngine *engine);
static void engine_read        (MissiveImapEngine *engine);
static void engine_read_loop   (MissiveImapEngine *engine);
static void engine_write_next  (MissiveImapEngine *engine);
static void engine_fatal       (MissiveImapEngine *engine,
                                GError            *error);

/* ---- small helpers ---------------------------------------------------- */

static IoOp *
io_op_new (MissiveImapEngine *engine)
{
  IoOp *op = g_new0 (IoOp, 1);

  op->store = g_object_ref (engine->store);
  op->generation = g_object_ref (engine->io_cancellable);
  return op;
}

static void
write_item_free (WriteItem *item)
{
  if (item == NULL)
    return;
  if (item->data != NULL && item->sensitive)
    missive_sasl_wipe (item->data, item->length);
  g_free (item->data);
  g_clear_object (&item->stream);
  g_free (item->buffer);
  g_free (item);
}

static void
io_op_free (IoOp *op)
{
  write_item_free (op->item);
  g_clear_object (&op->sink);
  g_object_unref (op->generation);
  g_object_unref (op->store);
  g_free (op);
}

/* The engine that @op belongs to, or NULL when the operation is stale (a
 * fatal error or a new connection came in between). */
static MissiveImapEngine *
io_op_engine (IoOp *op)
{
  MissiveImapEngine *engine = op->store->engine;

  if (engine == NULL || engine->io_cancellable != op->generation)
    return NULL;
  return engine;
}

static MissiveService *
engine_service (MissiveImapEngine *engine)
{
  return MISSIVE_SERVICE (engine->store);
}

static int
engine_priority (MissiveImapEngine *engine)
{
  MissiveImapCommand *head = g_queue_peek_head (&engine->in_flight);

  if (head != NULL && head->task != NULL)
    return g_task_get_priority (head->task);
  return G_PRIORITY_DEFAULT;
}

static void
engine_trace_info (MissiveImapEngine *engine,
                   const char        *format,
                   ...) G_GNUC_PRINTF (2, 3);

static void
engine_trace_info (MissiveImapEngine *engine,
                   const char        *format,
                   ...)
{
  g_autofree char *note = NULL;
  va_list args;

  if (!missive_service_is_tracing (engine_service (engine)))
    return;
  va_start (args, format);
  note = g_strdup_vprintf (format, args);
  va_end (args);
  missive_service_trace (engine_service (engine), MISSIVE_TRACE_INFO, note, -1, FALSE);
}

/* Remembers the context the engine's I/O now runs in. */
static void
engine_note_context (MissiveImapEngine *engine)
{
  GMainContext *context = g_main_context_ref_thread_default ();

  if (engine->io_context != NULL)
    g_main_context_unref (engine->io_context);
  engine->io_context = context;
}

/* Whether the engine has I/O pending in another main context than the
 * current thread-default one (its callbacks would never run while this
 * context is iterated). */
static gboolean
engine_busy_elsewhere (MissiveImapEngine *engine)
{
  GMainContext *context;
  gboolean elsewhere;

  if (!engine->read_busy && !engine->write_busy)
    return FALSE;
  context = g_main_context_ref_thread_default ();
  elsewhere = engine->io_context != NULL && engine->io_context != context;
  g_main_context_unref (context);
  return elsewhere;
}

static void
engine_warn (MissiveImapEngine *engine,
             GError            *warning)
{
  missive_service_emit_warning (engine_service (engine), warning);
  g_error_free (warning);
}

/* Whether @error leaves the connection unusable (the same list as the
 * core's: those make the store's wrappers close the connection). */
static gboolean
error_is_fatal (const GError *error)
{
  if (error->domain != MISSIVE_ERROR)
    return FALSE;
  switch (error->code)
    {
    case MISSIVE_ERROR_CONNECTION_LOST:
    case MISSIVE_ERROR_TIMED_OUT:
    case MISSIVE_ERROR_TLS_FAILED:
    case MISSIVE_ERROR_LINE_TOO_LONG:
    case MISSIVE_ERROR_LITERAL_TOO_LARGE:
    case MISSIVE_ERROR_PROTOCOL:
      return TRUE;
    default:
      return FALSE;
    }
}

/* ---- completing commands ------------------------------------------------ */

static void
command_return (MissiveImapCommand *command,
                GError             *error)
{
  GTask *task = g_steal_pointer (&command->task);

  missive_imap_command_free (command);
  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Takes @command off the engine's books (it must be in flight). */
static void
engine_forget (MissiveImapEngine  *engine,
               MissiveImapCommand *command)
{
  g_queue_remove (&engine->in_flight, command);
  if (command->exclusive || command->continue_func != NULL)
    engine->exclusive_in_flight--;
  if (command->raw)
    engine->raw_listeners--;
  if (engine->writing == command)
    engine->writing = NULL;
}

/* The command's tagged response (NULL for the greeting and for a response
 * that failed to parse) has arrived. */
static void
engine_complete (MissiveImapEngine         *engine,
                 MissiveImapCommand        *command,
                 const MissiveImapResponse *response)
{
  GError *error = NULL;

  engine_forget (engine, command);

  if (command->error != NULL)
    error = g_steal_pointer (&command->error);
  else if (response != NULL &&
           response->status != MISSIVE_IMAP_STATUS_OK &&
           response->status != MISSIVE_IMAP_STATUS_PREAUTH)
    error = missive_imap_status_to_error (response);

  if (command->detached)
    g_clear_error (&error);
  command_return (command, error);

  /* An exclusive command may have held back the queue. */
  engine_pump (engine);
}

static void
engine_fail_all (MissiveImapEngine *engine,
                 const GError      *error)
{
  GQueue commands = G_QUEUE_INIT;
  MissiveImapCommand *command;

  while ((command = g_queue_pop_head (&engine->in_flight)) != NULL)
    g_queue_push_tail (&commands, command);
  while ((command = g_queue_pop_head (&engine->queued)) != NULL)
    g_queue_push_tail (&commands, command);
  engine->exclusive_in_flight = 0;
  engine->raw_listeners = 0;
  engine->writing = NULL;

  /* A LOGOUT whose BYE came is done, whatever happens to the connection
   * (some servers close it without the tagged OK). */
  while ((command = g_queue_pop_head (&commands)) != NULL)
    command_return (command, command->detached || command->got_bye ? NULL : g_error_copy (error));
}

static void
engine_clear_io (MissiveImapEngine *engine)
{
  WriteItem *item;

  g_cancellable_cancel (engine->io_cancellable);
  g_object_unref (engine->io_cancellable);
  engine->io_cancellable = g_cancellable_new ();
  engine->read_busy = FALSE;
  engine->write_busy = FALSE;
  while ((item = g_queue_pop_head (&engine->writes)) != NULL)
    write_item_free (item);
  missive_imap_parser_reset (engine->parser);
  if (engine->raw != NULL)
    g_string_truncate (engine->raw, 0);
}

/* The connection is unusable: every command fails with @error (transfer
 * full), and so does every command run until the next connection. */
static void
engine_fatal (MissiveImapEngine *engine,
              GError            *error)
{
  GError *mapped;

  if (engine->fatal != NULL)
    {
      g_error_free (error);
      return;
    }

  mapped = missive_error_from_io_error (error);
  g_error_free (error);
  if (!error_is_fatal (mapped))
    {
      /* Whatever broke the stream, the connection is out of step now:
       * make sure the store's wrappers close it. */
      GError *wrapped = g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                     "The connection is no longer usable: %s",
                                     mapped->message);

      g_error_free (mapped);
      mapped = wrapped;
    }
  engine->fatal = mapped;
  engine_trace_info (engine, "Connection unusable: %s", mapped->message);

  engine_clear_io (engine);
  engine_fail_all (engine, mapped);
}

/* The stream to write to: the service's, or the one put in its place
 * (COMPRESS); NULL once the service is disconnected. */
static GOutputStream *
engine_output (MissiveImapEngine *engine)
{
  GOutputStream *output = missive_service_get_output_stream (engine_service (engine));

  if (output == NULL || engine->output == NULL)
    return output;
  return engine->output;
}

/* ---- writing ------------------------------------------------------------ */

static void
engine_push_text (MissiveImapEngine *engine,
                  const char        *text,
                  gsize              length,
                  gboolean           sensitive)
{
  WriteItem *item = g_new0 (WriteItem, 1);

  item->data = g_memdup2 (text, length);
  item->length = length;
  item->sensitive = sensitive;
  g_queue_push_tail (&engine->writes, item);
}

static void
engine_push_literal (MissiveImapEngine      *engine,
                     MissiveImapCommandPart *part,
                     gboolean                sensitive)
{
  WriteItem *item = g_new0 (WriteItem, 1);

  item->stream = g_object_ref (part->stream);
  item->size = part->size;
  item->sensitive = sensitive;
  g_queue_push_tail (&engine->writes, item);
}

/* Hands the command's parts to the writer up to the next synchronising
 * literal (then the command waits for "+") or to its end. */
static void
engine_push_parts (MissiveImapEngine  *engine,
                   MissiveImapCommand *command)
{
  while (command->next_part < command->parts->len)
    {
      MissiveImapCommandPart *part = g_ptr_array_index (command->parts, command->next_part);

      if (part->text != NULL)
        {
          engine_push_text (engine, part->text->str, part->text->len, command->sensitive);
          command->next_part++;
          continue;
        }
      if (part->sync && command->state != MISSIVE_IMAP_COMMAND_WAIT_CONTINUATION)
        {
          command->state = MISSIVE_IMAP_COMMAND_WAIT_CONTINUATION;
          return;
        }
      engine_push_literal (engine, part, command->sensitive);
      command->next_part++;
      command->state = MISSIVE_IMAP_COMMAND_WRITING;
    }

  command->state = MISSIVE_IMAP_COMMAND_SENT;
  if (engine->writing == command)
    engine->writing = NULL;
}

/* Moves queued commands into flight as far as the rules allow, then makes
 * sure the writer and the reader run. */
static void
engine_pump (MissiveImapEngine *engine)
{
  while (engine->fatal == NULL && engine->writing == NULL &&
         !g_queue_is_empty (&engine->queued))
    {
      MissiveImapCommand *command = g_queue_peek_head (&engine->queued);
      gboolean exclusive = command->exclusive || command->continue_func != NULL;

      if (engine->exclusive_in_flight > 0)
        break;
      if (exclusive && !g_queue_is_empty (&engine->in_flight))
        break;

      g_queue_pop_head (&engine->queued);
      g_queue_push_tail (&engine->in_flight, command);
      if (exclusive)
        engine->exclusive_in_flight++;
      if (command->raw)
        {
          engine->raw_listeners++;
          if (engine->raw == NULL)
            engine->raw = g_string_new (NULL);
        }
      engine->writing = command;
      command->state = MISSIVE_IMAP_COMMAND_WRITING;
      engine_push_parts (engine, command);
    }

  engine_write_next (engine);
  engine_read (engine);
}

static void
write_done (IoOp *op)
{
  MissiveImapEngine *engine = io_op_engine (op);

  if (engine != NULL)
    {
      engine->write_busy = FALSE;
      engine_write_next (engine);
    }
  io_op_free (op);
}

static void
write_text_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  IoOp *op = user_data;
  MissiveImapEngine *engine;
  GError *error = NULL;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);
  engine = io_op_engine (op);
  if (engine == NULL)
    {
      g_clear_error (&error);
      io_op_free (op);
      return;
    }
  if (error != NULL)
    {
      engine_fatal (engine, error);
      io_op_free (op);
      return;
    }
  write_done (op);
}

static void literal_copy_next (IoOp *op);

static void
literal_written_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  IoOp *op = user_data;
  MissiveImapEngine *engine;
  GError *error = NULL;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);
  engine = io_op_engine (op);
  if (engine == NULL)
    {
      g_clear_error (&error);
      io_op_free (op);
      return;
    }
  if (error != NULL)
    {
      engine_fatal (engine, error);
      io_op_free (op);
      return;
    }
  op->item->done += op->chunk;
  if (op->item->size >= COPY_CHUNK)
    missive_service_emit_transfer_progress (engine_service (engine), op->item->done, op->item->size);
  literal_copy_next (op);
}

static void
literal_read_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  IoOp *op = user_data;
  MissiveImapEngine *engine;
  GOutputStream *output;
  GError *error = NULL;

  op->chunk = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);
  engine = io_op_engine (op);
  if (engine == NULL)
    {
      g_clear_error (&error);
      io_op_free (op);
      return;
    }
  if (op->chunk < 0)
    {
      engine_fatal (engine, g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                         "Could not read the data to send (%s); the "
                                         "connection is out of step and must be closed",
                                         error->message));
      g_error_free (error);
      io_op_free (op);
      return;
    }
  if (op->chunk == 0)
    {
      engine_fatal (engine, g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                         "The data to send ended after %" G_GUINT64_FORMAT
                                         " of the %" G_GUINT64_FORMAT " bytes announced; the "
                                         "connection is out of step and must be closed",
                                         op->item->done, op->item->size));
      io_op_free (op);
      return;
    }

  output = engine_output (engine);
  if (output == NULL)
    {
      engine_fatal (engine, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                                 "The connection is closed"));
      io_op_free (op);
      return;
    }
  g_output_stream_write_all_async (output, op->item->buffer, op->chunk, engine_priority (engine),
                                   engine->io_cancellable, literal_written_cb, op);
}

static void
literal_copy_next (IoOp *op)
{
  MissiveImapEngine *engine = io_op_engine (op);
  WriteItem *item = op->item;
  guint64 remaining = item->size - item->done;

  if (remaining == 0)
    {
      write_done (op);
      return;
    }
  if (item->buffer == NULL)
    item->buffer = g_malloc (COPY_CHUNK);
  g_input_stream_read_async (item->stream, item->buffer, MIN (remaining, COPY_CHUNK),
                             engine_priority (engine), engine->io_cancellable,
                             literal_read_cb, op);
}

static void
engine_write_next (MissiveImapEngine *engine)
{
  GOutputStream *output;
  WriteItem *item;
  IoOp *op;

  if (engine->write_busy || engine->fatal != NULL || g_queue_is_empty (&engine->writes))
    return;

  output = engine_output (engine);
  if (output == NULL)
    {
      engine_fatal (engine, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                                 "The connection is closed"));
      return;
    }

  item = g_queue_pop_head (&engine->writes);
  engine->write_busy = TRUE;
  engine_note_context (engine);
  op = io_op_new (engine);
  op->item = item;

  if (item->data != NULL)
    {
      missive_service_trace (engine_service (engine), MISSIVE_TRACE_SENT,
                             item->data, item->length, item->sensitive);
      g_output_stream_write_all_async (output, item->data, item->length,
                                       engine_priority (engine), engine->io_cancellable,
                                       write_text_cb, op);
      return;
    }

  if (!item->sensitive)
    engine_trace_info (engine, "(sending %" G_GUINT64_FORMAT " bytes of literal data)",
                       item->size);
  literal_copy_next (op);
}

/* ---- routing responses -------------------------------------------------- */

static MissiveImapCommand *
engine_find_tag (MissiveImapEngine *engine,
                 const char        *tag)
{
  if (tag == NULL)
    return NULL;
  for (GList *l = engine->in_flight.head; l != NULL; l = l->next)
    {
      MissiveImapCommand *command = l->data;

      if (!command->is_greeting && strcmp (command->tag, tag) == 0)
        return command;
    }
  return NULL;
}

/* The raw text of the current response, or "" when not collected. */
static const char *
engine_raw_text (MissiveImapEngine *engine)
{
  return engine->raw != NULL ? engine->raw->str : "";
}

static void
engine_record_raw (MissiveImapEngine  *engine,
                   MissiveImapCommand *command)
{
  if (command->raw_lines == NULL)
    command->raw_lines = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (command->raw_lines, g_strdup (engine_raw_text (engine)));
}

/* Response codes that matter whatever the response belongs to. */
static void
engine_check_codes (MissiveImapEngine         *engine,
                    const MissiveImapResponse *response)
{
  if (response->kind == MISSIVE_IMAP_RESPONSE_CONTINUATION ||
      response->status == MISSIVE_IMAP_STATUS_NONE || response->code == NULL)
    return;

  if (strcmp (response->code, "ALERT") == 0)
    {
      GError *warning;

      if (response->status == MISSIVE_IMAP_STATUS_NO || response->status == MISSIVE_IMAP_STATUS_BAD)
        warning = missive_imap_status_to_error (response);
      else
        {
          warning = g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                                 "Server alert: %s", response->text != NULL ? response->text : "");
          missive_error_set_server_reply (warning, 0, NULL, response->code, response->text);
        }
      engine_warn (engine, warning);
    }
  else if (strcmp (response->code, "CAPABILITY") == 0)
    {
      missive_imap_store_update_capabilities (engine->store, response->code_args);
    }
}

static void
engine_continuation (MissiveImapEngine         *engine,
                     const MissiveImapResponse *response)
{
  MissiveImapCommand *writing = engine->writing;

  /* The go-ahead for a synchronising literal. */
  if (writing != NULL && writing->state == MISSIVE_IMAP_COMMAND_WAIT_CONTINUATION)
    {
      MissiveImapCommandPart *part = g_ptr_array_index (writing->parts, writing->next_part);

      engine_push_literal (engine, part, writing->sensitive);
      writing->next_part++;
      writing->state = MISSIVE_IMAP_COMMAND_WRITING;
      engine_push_parts (engine, writing);
      engine_pump (engine);
      return;
    }

  /* A command that talks through continuations (AUTHENTICATE, IDLE). */
  for (GList *l = engine->in_flight.head; l != NULL; l = l->next)
    {
      MissiveImapCommand *command = l->data;
      char *line;

      if (command->continue_func == NULL)
        continue;

      command->got_continuation = TRUE;
      if (command->detached)
        {
          if (command->cancel_line != NULL && !command->cancel_line_sent)
            {
              g_autofree char *cancel = g_strconcat (command->cancel_line, "\r\n", NULL);

              command->cancel_line_sent = TRUE;
              engine_push_text (engine, cancel, strlen (cancel), FALSE);
              engine_write_next (engine);
            }
          return;
        }

      line = command->continue_func (engine->store, command, response, command->user_data);
      if (line != NULL)
        {
          gsize length = strlen (line);
          g_autofree char *full = g_strconcat (line, "\r\n", NULL);

          engine_push_text (engine, full, length + 2, command->sensitive);
          missive_sasl_wipe (line, length);
          missive_sasl_wipe (full, length + 2);
          g_free (line);
          engine_write_next (engine);
        }
      return;
    }

  engine_warn (engine, g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                    "Ignored a continuation request nothing waited for (“+ %s”)",
                                    response->text != NULL ? response->text : ""));
}

static void
engine_tagged (MissiveImapEngine         *engine,
               const MissiveImapResponse *response,
               const GError              *parse_error)
{
  MissiveImapCommand *command = engine_find_tag (engine, response->tag);

  if (command == NULL)
    {
      if (parse_error != NULL)
        engine_fatal (engine, g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                           "The server sent a line that is not an IMAP "
                                           "response: %s", parse_error->message));
      else
        engine_fatal (engine, g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                           "The server answered a command that was never "
                                           "sent (tag “%s”)", response->tag));
      return;
    }

  if (command->raw)
    {
      const char *raw = engine_raw_text (engine);
      const char *space = strchr (raw, ' ');

      g_free (command->raw_tagged);
      command->raw_tagged = g_strdup (space != NULL ? space + 1 : "");
    }

  if (parse_error != NULL)
    {
      /* The reply was read to its end: only this command fails. */
      missive_imap_command_fail (command,
                                 g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE,
                                              "The server's reply to %s could not be "
                                              "understood: %s", command->name,
                                              parse_error->message));
      engine_complete (engine, command, NULL);
      return;
    }

  if (!command->detached && command->response_func != NULL)
    command->response_func (engine->store, command, response, command->user_data);
  engine_complete (engine, command, response);
}

static void
engine_bye (MissiveImapEngine         *engine,
            const MissiveImapResponse *response)
{
  g_autofree char *valid = NULL;
  GError *error;

  for (GList *l = engine->in_flight.head; l != NULL; l = l->next)
    {
      MissiveImapCommand *command = l->data;

      /* The expected goodbye: the tagged OK follows. */
      if (command->expects_bye)
        {
          command->got_bye = TRUE;
          return;
        }
    }

  valid = g_utf8_make_valid (response->text != NULL && response->text[0] != '\0'
                             ? response->text : "no reason given", -1);
  error = g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                       "The server closed the connection: %s", valid);
  missive_error_set_server_reply (error, 0, NULL, response->code, response->text);
  engine_fatal (engine, error);
}

static void
engine_untagged (MissiveImapEngine         *engine,
                 const MissiveImapResponse *response,
                 const GError              *parse_error)
{
  MissiveImapStore *store = engine->store;
  GList *next;

  if (engine->raw_listeners > 0)
    for (GList *l = engine->in_flight.head; l != NULL; l = l->next)
      {
        MissiveImapCommand *command = l->data;

        if (command->raw && !command->detached)
          engine_record_raw (engine, command);
      }

  if (parse_error != NULL)
    {
      engine_warn (engine, g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                        "Ignored a response that could not be understood: %s",
                                        parse_error->message));
      return;
    }

  if (response->status == MISSIVE_IMAP_STATUS_BYE)
    {
      engine_bye (engine, response);
      return;
    }

  for (GList *l = engine->in_flight.head; l != NULL; l = next)
    {
      MissiveImapCommand *command = l->data;

      next = l->next;
      if (command->detached || command->raw || command->response_func == NULL)
        continue;
      if (command->response_func (store, command, response, command->user_data))
        return;
    }

  missive_imap_store_handle_unsolicited (store, response);
}

static void
engine_greeting (MissiveImapEngine         *engine,
                 MissiveImapCommand        *command,
                 const MissiveImapResponse *response,
                 const GError              *parse_error)
{
  if (!command->detached)
    {
      /* Not missive_imap_command_fail(): a server that does not greet in
       * IMAP is a protocol error, not one malformed reply. */
      if (parse_error != NULL && command->error == NULL)
        command->error = g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                      "The server's greeting is not IMAP: %s",
                                      parse_error->message);
      else if (command->response_func != NULL)
        command->response_func (engine->store, command, response, command->user_data);
    }
  engine_complete (engine, command, NULL);
}

static void
engine_dispatch (MissiveImapEngine         *engine,
                 const MissiveImapResponse *response,
                 const GError              *parse_error)
{
  MissiveImapCommand *head = g_queue_peek_head (&engine->in_flight);

  if (parse_error == NULL)
    engine_check_codes (engine, response);

  if (head != NULL && head->is_greeting)
    engine_greeting (engine, head, response, parse_error);
  else if (response->kind == MISSIVE_IMAP_RESPONSE_CONTINUATION)
    engine_continuation (engine, response);
  else if (response->kind == MISSIVE_IMAP_RESPONSE_TAGGED)
    engine_tagged (engine, response, parse_error);
  else
    engine_untagged (engine, response, parse_error);

  if (engine->raw != NULL)
    g_string_truncate (engine->raw, 0);
}

/* ---- reading ------------------------------------------------------------ */

static gboolean
engine_wants_read (MissiveImapEngine *engine)
{
  return engine->fatal == NULL && engine->reader != NULL &&
         !g_queue_is_empty (&engine->in_flight);
}

/* After a literal, the rest of the response. */
static void
literal_done (IoOp *op)
{
  MissiveImapEngine *engine = io_op_engine (op);

  if (engine != NULL)
    engine_read_loop (engine);
  io_op_free (op);
}

static void
literal_streamed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  IoOp *op = user_data;
  MissiveImapEngine *engine;
  GError *error = NULL;

  missive_reader_read_literal_finish (MISSIVE_READER (source), result, &error);
  engine = io_op_engine (op);
  if (engine == NULL)
    {
      g_clear_error (&error);
      io_op_free (op);
      return;
    }
  if (error != NULL)
    {
      engine_fatal (engine, error);
      io_op_free (op);
      return;
    }
  if (op->skip)
    missive_imap_parser_skip_literal (engine->parser);
  else
    missive_imap_parser_add_streamed_literal (engine->parser, op->literal_size);
  if (engine->raw_listeners > 0)
    g_string_append (engine->raw, "\r\n");
  literal_done (op);
}

static void
literal_bytes_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  IoOp *op = user_data;
  MissiveImapEngine *engine;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  const char *data;
  gsize size;

  bytes = missive_reader_read_bytes_finish (MISSIVE_READER (source), result, &error);
  engine = io_op_engine (op);
  if (engine == NULL)
    {
      g_clear_error (&error);
      io_op_free (op);
      return;
    }
  if (bytes == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                     "The server closed the connection in the middle of a literal");
      engine_fatal (engine, error);
      io_op_free (op);
      return;
    }

  data = g_bytes_get_data (bytes, &size);
  if (size <= TRACE_LITERAL_MAX)
    missive_service_trace (engine_service (engine), MISSIVE_TRACE_RECEIVED, data, size, FALSE);
  else
    engine_trace_info (engine, "(received %" G_GSIZE_FORMAT " bytes of literal data)", size);
  if (engine->raw_listeners > 0)
    {
      g_string_append (engine->raw, "\r\n");
      g_string_append_len (engine->raw, data, size);
    }
  missive_imap_parser_add_literal (engine->parser, data, size);
  literal_done (op);
}

/* The stream a command in flight wants this literal in, or NULL. */
static GOutputStream *
engine_find_literal_sink (MissiveImapEngine *engine,
                          guint64            size)
{
  const MissiveImapResponse *partial = missive_imap_parser_get_partial (engine->parser);
  const MissiveImapValue *previous = missive_imap_parser_get_previous (engine->parser);

  if (partial == NULL || partial->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED)
    return NULL;

  for (GList *l = engine->in_flight.head; l != NULL; l = l->next)
    {
      MissiveImapCommand *command = l->data;
      GOutputStream *sink;

      if (command->detached || command->literal_func == NULL)
        continue;
      sink = command->literal_func (engine->store, command, partial, previous, size,
                                    command->user_data);
      if (sink != NULL)
        return g_object_ref (sink);
    }
  return NULL;
}

static void
engine_read_literal (MissiveImapEngine *engine,
                     guint64            size)
{
  IoOp *op = io_op_new (engine);
  gboolean failing = missive_imap_parser_is_failing (engine->parser);

  op->literal_size = size;
  if (!failing)
    op->sink = engine_find_literal_sink (engine, size);

  /* Dropped: a response that already failed, or a literal nobody streams
   * that is too big to keep (the response then fails as too large). */
  op->skip = op->sink == NULL && (failing || !missive_imap_parser_literal_fits (engine->parser));
  if (op->sink != NULL || op->skip)
    {
      engine_trace_info (engine, "(%s %" G_GUINT64_FORMAT " bytes of literal data)",
                         op->sink != NULL ? "streaming" : "skipping", size);
      missive_reader_read_literal_async (engine->reader, size, op->sink,
                                         engine_priority (engine), engine->io_cancellable,
                                         literal_streamed_cb, op);
      return;
    }

  missive_reader_read_bytes_async (engine->reader, size, engine_priority (engine),
                                   engine->io_cancellable, literal_bytes_cb, op);
}

/* Handles one line; returns FALSE when an asynchronous literal read took
 * over. */
static gboolean
engine_handle_line (MissiveImapEngine *engine,
                    const char        *line,
                    gsize              length)
{
  MissiveImapParseResult result;
  guint64 literal_size = 0;
  GError *error = NULL;

  missive_service_trace (engine_service (engine), MISSIVE_TRACE_RECEIVED, line, length, FALSE);
  if (engine->raw_listeners > 0)
    g_string_append_len (engine->raw, line, length);

  result = missive_imap_parser_feed_line (engine->parser, line, length, &literal_size, &error);
  switch (result)
    {
    case MISSIVE_IMAP_PARSE_NEED_LITERAL:
      engine_read_literal (engine, literal_size);
      return FALSE;
    case MISSIVE_IMAP_PARSE_COMPLETE:
      engine_dispatch (engine, missive_imap_parser_get_response (engine->parser), NULL);
      return TRUE;
    case MISSIVE_IMAP_PARSE_FAILED:
    default:
      if (error == NULL)
        error = g_error_new_literal (MISSIVE_IMAP_PARSE_ERROR, MISSIVE_IMAP_PARSE_ERROR_MALFORMED,
                                     "malformed response");
      engine_dispatch (engine, missive_imap_parser_get_response (engine->parser), error);
      g_error_free (error);
      return TRUE;
    }
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  IoOp *op = user_data;
  MissiveImapEngine *engine;
  GError *error = NULL;
  const char *line;
  gsize length = 0;

  line = missive_reader_read_line_finish (MISSIVE_READER (source), result, &length, &error);
  engine = io_op_engine (op);
  if (engine == NULL)
    {
      g_clear_error (&error);
      io_op_free (op);
      return;
    }
  if (line == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                     "The server closed the connection");
      engine_fatal (engine, error);
      io_op_free (op);
      return;
    }
  if (engine_handle_line (engine, line, length))
    engine_read_loop (engine);
  io_op_free (op);
}

/* Reads and handles responses while anything is in flight: from the
 * reader's buffer first, asynchronously when it is empty. */
static void
engine_read_loop (MissiveImapEngine *engine)
{
  MissiveReader *reader = engine->reader;
  GCancellable *generation = engine->io_cancellable;

  for (;;)
    {
      const char *line;
      gsize length = 0;
      GError *error = NULL;

      /* A fatal error or a new connection: they reset read_busy. */
      if (engine->io_cancellable != generation || engine->reader != reader)
        return;
      if (!engine_wants_read (engine))
        {
          engine->read_busy = FALSE;
          return;
        }

      line = missive_reader_try_read_line (reader, &length, &error);
      if (line == NULL && error != NULL)
        {
          engine_fatal (engine, error);
          return;
        }
      if (line == NULL)
        {
          missive_reader_read_line_async (reader, engine_priority (engine),
                                          engine->io_cancellable, read_line_cb,
                                          io_op_new (engine));
          return;
        }
      if (!engine_handle_line (engine, line, length))
        return;
    }
}

static void
engine_read (MissiveImapEngine *engine)
{
  MissiveImapStore *store = engine->store;

  if (engine->read_busy || !engine_wants_read (engine))
    return;

  engine->read_busy = TRUE;
  engine_note_context (engine);
  /* Callbacks run from the loop may drop the last outside reference. */
  g_object_ref (store);
  engine_read_loop (engine);
  g_object_unref (store);
}

/* ---- the engine's life -------------------------------------------------- */

MissiveImapEngine *
missive_imap_engine_new (MissiveImapStore *store)
{
  MissiveImapEngine *engine = g_new0 (MissiveImapEngine, 1);

  engine->store = store;
  engine->parser = missive_imap_parser_new ();
  engine->io_cancellable = g_cancellable_new ();
  g_queue_init (&engine->queued);
  g_queue_init (&engine->in_flight);
  g_queue_init (&engine->writes);
  return engine;
}

void
missive_imap_engine_free (MissiveImapEngine *engine)
{
  g_autoptr(GError) error = NULL;

  if (engine == NULL)
    return;

  error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                               "The store was destroyed");
  engine_clear_io (engine);
  engine_fail_all (engine, error);
  g_clear_object (&engine->io_cancellable);
  g_clear_pointer (&engine->io_context, g_main_context_unref);
  g_clear_object (&engine->reader);
  g_clear_object (&engine->output);
  g_clear_error (&engine->fatal);
  missive_imap_parser_free (engine->parser);
  if (engine->raw != NULL)
    g_string_free (engine->raw, TRUE);
  g_free (engine);
}

void
missive_imap_engine_set_output (MissiveImapEngine *engine,
                                GOutputStream     *output)
{
  g_set_object (&engine->output, output);
}

gboolean
missive_imap_engine_is_in_flight (MissiveImapEngine  *engine,
                                  MissiveImapCommand *command)
{
  return g_queue_find (&engine->in_flight, command) != NULL;
}

void
missive_imap_engine_reset (MissiveImapEngine *engine)
{
  g_autoptr(GError) error = NULL;

  if (!g_queue_is_empty (&engine->in_flight) || !g_queue_is_empty (&engine->queued))
    {
      error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                   "The connection was replaced");
      engine_fail_all (engine, error);
    }
  engine_clear_io (engine);
  g_clear_error (&engine->fatal);
  engine->next_tag = 0;
  g_clear_object (&engine->output);
  g_set_object (&engine->reader, missive_service_get_reader (engine_service (engine)));
}

/* ---- running commands ----------------------------------------------------- */

static gboolean
command_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  MissiveImapCommand *command = user_data;
  MissiveImapEngine *engine = command->store->engine;
  GSource *source = g_steal_pointer (&command->cancel_source);
  GTask *task;

  g_source_unref (source);

  if (command->state == MISSIVE_IMAP_COMMAND_QUEUED)
    {
      g_queue_remove (&engine->queued, command);
      command_return (command, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                    "Operation was cancelled"));
      return G_SOURCE_REMOVE;
    }
  if (command->detached)
    return G_SOURCE_REMOVE;

  /* Written already: fail it now, but keep reading its responses so that
   * the connection stays in step. */
  command->detached = TRUE;
  task = g_steal_pointer (&command->task);
  if (command->cancel_line != NULL && command->got_continuation && !command->cancel_line_sent)
    {
      g_autofree char *line = g_strconcat (command->cancel_line, "\r\n", NULL);

      command->cancel_line_sent = TRUE;
      engine_push_text (engine, line, strlen (line), FALSE);
      engine_write_next (engine);
    }
  if (task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
      g_object_unref (task);
    }
  return G_SOURCE_REMOVE;
}

static void
watch_cancellable (MissiveImapCommand *command,
                   GCancellable       *cancellable)
{
  GSource *source;

  if (cancellable == NULL)
    return;
  source = g_cancellable_source_new (cancellable);
  g_source_set_callback (source, (GSourceFunc) (void (*) (void)) command_cancelled_cb, command, NULL);
  g_source_set_static_name (source, "[missive-imap] command cancelled");
  g_source_attach (source, g_main_context_get_thread_default ());
  command->cancel_source = source;
}

/* Checks that a command can be queued now; fails it otherwise. */
static gboolean
engine_accept (MissiveImapStore   *self,
               MissiveImapCommand *command,
               GCancellable       *cancellable)
{
  MissiveImapEngine *engine = self->engine;
  MissiveReader *reader = missive_service_get_reader (MISSIVE_SERVICE (self));
  GError *error = NULL;

  if (command->error != NULL)
    error = g_steal_pointer (&command->error);
  else if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    ;
  else if (reader == NULL)
    error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE, "Not connected");
  else if (reader != engine->reader)
    /* A connection that greet did not see: start afresh. */
    missive_imap_engine_reset (engine);
  else if (engine->fatal != NULL)
    error = g_error_copy (engine->fatal);
  else if (engine_busy_elsewhere (engine))
    error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                                 "An earlier operation of this store is still running in "
                                 "another main context; let it finish (iterate that "
                                 "context) before starting another one here");

  if (error != NULL)
    {
      command_return (command, error);
      return FALSE;
    }
  return TRUE;
}

void
missive_imap_store_run_async (MissiveImapStore    *self,
                              MissiveImapCommand  *command,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  MissiveImapEngine *engine;
  MissiveImapCommandPart *first;
  g_autofree char *prefix = NULL;

  g_return_if_fail (MISSIVE_IS_IMAP_STORE (self));
  g_return_if_fail (command != NULL && command->store == self);
  g_return_if_fail (command->state == MISSIVE_IMAP_COMMAND_NEW);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  engine = self->engine;
  command->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (command->task, missive_imap_store_run_async);
  g_task_set_check_cancellable (command->task, FALSE);

  if (!engine_accept (self, command, cancellable))
    return;

  missive_imap_command_end (command);
  g_snprintf (command->tag, sizeof command->tag, "A%04u", ++engine->next_tag);
  first = g_ptr_array_index (command->parts, 0);
  prefix = g_strconcat (command->tag, " ", NULL);
  g_string_prepend (first->text, prefix);

  command->state = MISSIVE_IMAP_COMMAND_QUEUED;
  g_queue_push_tail (&engine->queued, command);
  watch_cancellable (command, cancellable);
  engine_pump (engine);
}

gboolean
missive_imap_store_run_finish (MissiveImapStore  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
missive_imap_engine_run_greeting (MissiveImapStore    *self,
                                  MissiveImapCommand  *command,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  MissiveImapEngine *engine = self->engine;

  command->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (command->task, missive_imap_store_run_async);
  g_task_set_check_cancellable (command->task, FALSE);

  if (!engine_accept (self, command, cancellable))
    return;

  command->is_greeting = TRUE;
  command->state = MISSIVE_IMAP_COMMAND_SENT;
  g_queue_push_tail (&engine->in_flight, command);
  watch_cancellable (command, cancellable);
  engine_read (engine);
}

void
missive_imap_command_send_line (MissiveImapCommand *self,
                                const char         *line,
                                gboolean            sensitive)
{
  MissiveImapEngine *engine;
  g_autofree char *full = NULL;
  gsize length;

  g_return_if_fail (self != NULL);
  g_return_if_fail (line != NULL);
  g_return_if_fail (self->state != MISSIVE_IMAP_COMMAND_NEW &&
                    self->state != MISSIVE_IMAP_COMMAND_QUEUED);

  engine = self->store->engine;
  if (engine->fatal != NULL)
    return;
  if (missive_imap_has_line_break (line))
    {
      engine_fatal (engine, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                                 "Refused to send a continuation line "
                                                 "containing CR or LF"));
      return;
    }

  length = strlen (line);
  full = g_strconcat (line, "\r\n", NULL);
  engine_push_text (engine, full, length + 2, sensitive);
  if (sensitive)
    missive_sasl_wipe (full, length + 2);
  engine_write_next (engine);
}

void
missive_imap_store_fail_connection (MissiveImapStore *self,
                                    GError           *error)
{
  g_return_if_fail (MISSIVE_IS_IMAP_STORE (self));
  g_return_if_fail (error != NULL);

  engine_fatal (self->engine, error);
}

gboolean
missive_imap_store_is_busy (MissiveImapStore *self)
{
  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (self), FALSE);

  return !g_queue_is_empty (&self->engine->queued) ||
         !g_queue_is_empty (&self->engine->in_flight);
}
