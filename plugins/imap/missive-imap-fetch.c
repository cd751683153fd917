/* missive-imap-fetch.c: FETCH of summaries and of message content
 *
 * fetch_summaries sends one FETCH per piece of the message set (a set is
 * split so that no command line grows beyond the server's limit, about
 * 8 KB unless the server is known for more; see
 * missive_imap_run_chunks_async()) and keeps a few of them in flight. Each
 * FETCH response becomes a MissiveMessageInfo as soon as it is parsed: it
 * is emitted through ::message-info and appended to the result, and
 * nothing but the result is kept.
 *
 * fetch_part hands the engine an output stream for the body literal, so
 * the bytes go from the socket to the application's stream as they
 * arrive. That stream, MissiveImapPartSink, counts them for
 * ::transfer-progress, emits ::message-part when someone listens, and,
 * when DECODED is asked for and the server has no BINARY, undoes base64
 * or quoted-printable with a GMime filter (the part's encoding comes from
 * its MIME header, fetched first) and cuts the asked byte range out of the
 * decoded bytes. Body fetches asked in a row are sent as one FETCH for
 * many messages (see "batches" below).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "missive-imap-convert.h"
#include "missive-imap-private.h"

/* ---- the output stream of fetch_part ---- */

#define MISSIVE_TYPE_IMAP_PART_SINK (missive_imap_part_sink_get_type ())
G_DECLARE_FINAL_TYPE (MissiveImapPartSink, missive_imap_part_sink,
                      MISSIVE, IMAP_PART_SINK, GOutputStream)

/* Progress is reported at most once per this many bytes (and at the end). */
#define PROGRESS_STEP (64 * 1024)

struct _MissiveImapPartSink
{
  GOutputStream parent_instance;

  GOutputStream *base;     /* the application's stream */
  MissiveStore *store;     /* for the signals */
  GMimeFilter *decoder;    /* local decoding, or NULL */
  guint64 skip;            /* output bytes still to drop (a local range) */
  guint64 remaining;       /* output bytes still to pass; G_MAXUINT64: all */
  guint64 received;        /* bytes written to us */
  guint64 total;           /* the size announced, 0 if unknown */
  guint64 reported;        /* @received at the last progress signal */
  guint message_id;
  char *section;
  gboolean discard;        /* the request was cancelled: drain the bytes */
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveImapPartSink, missive_imap_part_sink,
                                G_TYPE_OUTPUT_STREAM, G_TYPE_FLAG_FINAL, {})

static void
ensure_gmime (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      g_mime_init ();
      g_once_init_leave (&initialised, 1);
    }
}

/* Runs @data through the decoder (when there is one) and the byte range:
 * *out points to what goes to the base stream (the decoder's buffer or
 * @data), valid until the next call. With @complete, the decoder's
 * pending bytes are flushed too. */
static void
part_sink_transform (MissiveImapPartSink  *self,
                     const char           *data,
                     gsize                 length,
                     gboolean              complete,
                     const char          **out,
                     gsize                *out_length)
{
  char *buf = (char *) data;
  size_t len = length;
  size_t prespace = 0;

  if (self->decoder != NULL)
    {
      /* The basic filters only read their input. */
      if (complete)
        g_mime_filter_complete (self->decoder, (char *) data, length, 0, &buf, &len, &prespace);
      else
        g_mime_filter_filter (self->decoder, (char *) data, length, 0, &buf, &len, &prespace);
    }

  if (self->skip > 0)
    {
      gsize drop = (gsize) MIN ((guint64) len, self->skip);

      buf += drop;
      len -= drop;
      self->skip -= drop;
    }
  if (self->remaining != G_MAXUINT64)
    {
      if ((guint64) len > self->remaining)
        len = (gsize) self->remaining;
      self->remaining -= len;
    }

  if (len > 0 && missive_store_has_message_part_listeners (self->store))
    {
      g_autoptr(GBytes) piece = g_bytes_new (buf, len);

      missive_store_emit_message_part (self->store, self->message_id, self->section, piece);
    }

  *out = buf;
  *out_length = len;
}

/* After @count input bytes went through: progress. */
static void
part_sink_count (MissiveImapPartSink *self,
                 gsize                count)
{
  self->received += count;
  if (self->received - self->reported >= PROGRESS_STEP ||
      (self->total != 0 && self->received >= self->total))
    {
      self->reported = self->received;
      missive_service_emit_transfer_progress (MISSIVE_SERVICE (self->store),
                                              self->received, self->total);
    }
}

static gssize
part_sink_write (GOutputStream  *stream,
                 const void     *buffer,
                 gsize           count,
                 GCancellable   *cancellable,
                 GError        **error)
{
  MissiveImapPartSink *self = MISSIVE_IMAP_PART_SINK (stream);
  const char *out;
  gsize out_length;

  if (self->discard)
    return (gssize) count;
  part_sink_transform (self, buffer, count, FALSE, &out, &out_length);
  if (out_length > 0 &&
      !g_output_stream_write_all (self->base, out, out_length, NULL, cancellable, error))
    return -1;
  part_sink_count (self, count);
  return (gssize) count;
}

static void
on_base_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveImapPartSink *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  part_sink_count (self, GPOINTER_TO_SIZE (g_task_get_task_data (task)));
  g_task_return_int (task, (gssize) GPOINTER_TO_SIZE (g_task_get_task_data (task)));
}

/* Native asynchronous writes: the signals stay on the caller's context
 * (GOutputStream's fallback would run part_sink_write() in a thread). */
static void
part_sink_write_async (GOutputStream       *stream,
                       const void          *buffer,
                       gsize                count,
                       int                  io_priority,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  MissiveImapPartSink *self = MISSIVE_IMAP_PART_SINK (stream);
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);
  const char *out;
  gsize out_length;

  g_task_set_source_tag (task, part_sink_write_async);
  g_task_set_task_data (task, GSIZE_TO_POINTER (count), NULL);
  if (self->discard)
    {
      g_task_return_int (task, (gssize) count);
      return;
    }
  /* The decoder's output stays valid while this write is pending: a
   * stream has one operation at a time. */
  part_sink_transform (self, buffer, count, FALSE, &out, &out_length);
  if (out_length == 0)
    {
      part_sink_count (self, count);
      g_task_return_int (task, (gssize) count);
      return;
    }
  g_output_stream_write_all_async (self->base, out, out_length, io_priority, cancellable,
                                   on_base_written, g_steal_pointer (&task));
}

static gssize
part_sink_write_finish (GOutputStream  *stream,
                        GAsyncResult   *result,
                        GError        **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

static void
missive_imap_part_sink_finalize (GObject *object)
{
  MissiveImapPartSink *self = MISSIVE_IMAP_PART_SINK (object);

  g_clear_object (&self->base);
  g_clear_object (&self->store);
  g_clear_object (&self->decoder);
  g_free (self->section);

  G_OBJECT_CLASS (missive_imap_part_sink_parent_class)->finalize (object);
}

static void
missive_imap_part_sink_class_init (MissiveImapPartSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = missive_imap_part_sink_finalize;
  stream_class->write_fn = part_sink_write;
  stream_class->write_async = part_sink_write_async;
  stream_class->write_finish = part_sink_write_finish;
}

static void
missive_imap_part_sink_class_finalize (MissiveImapPartSinkClass *klass)
{
}

static void
missive_imap_part_sink_init (MissiveImapPartSink *self)
{
  self->remaining = G_MAXUINT64;
}

void
missive_imap_message_register_types (GTypeModule *module)
{
  missive_imap_part_sink_register_type (module);
}

/* ---- shared helpers ---- */

/* "UID FETCH" or "FETCH", after the use-uid property. */
static MissiveImapCommand *
new_fetch_command (MissiveImapStore *self)
{
  return missive_imap_command_new (self, missive_imap_store_get_use_uid (self) ? "UID FETCH"
                                                                                : "FETCH");
}

static gboolean
check_selected (MissiveImapStore  *self,
                GError           **error)
{
  if (missive_imap_store_get_selected (self) == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                           "No mailbox is selected");
      return FALSE;
    }
  return TRUE;
}

/* The id of a FETCH response in the store's terms: its UID item (which
 * the server must send for UID FETCH) or its sequence number. 0 if the
 * response carries no UID where one is needed. */
static guint32
fetch_response_id (MissiveImapStore          *self,
                   const MissiveImapResponse *response)
{
  guint64 uid = 0;

  if (!missive_imap_store_get_use_uid (self))
    return response->number;
  if (!missive_imap_value_get_number (missive_imap_value_lookup (response->args, "UID"), &uid) ||
      uid == 0 || uid > G_MAXUINT32)
    return 0;
  return (guint32) uid;
}

/* ---- fetch_summaries ---- */

typedef struct
{
  MissiveMessageSet *set;
  GListStore *result;
  char *items;             /* "(UID FLAGS ...)" */
  guint64 changed_since;
  gboolean decode;
} FetchSummaries;

static void
fetch_summaries_free (gpointer data)
{
  FetchSummaries *fs = data;

  g_clear_pointer (&fs->set, missive_message_set_unref);
  g_clear_object (&fs->result);
  g_free (fs->items);
  g_free (fs);
}

typedef struct
{
  MissiveStore *store;
  guint id;
} HeaderTarget;

static void
on_header (const char *name,
           const char *value,
           gpointer    user_data)
{
  HeaderTarget *target = user_data;

  missive_store_emit_header (target->store, target->id, name, value);
}

static gboolean
on_summary_response (MissiveImapStore          *store,
                     MissiveImapCommand        *command,
                     const MissiveImapResponse *response,
                     gpointer                   user_data)
{
  FetchSummaries *fs = user_data;
  g_autoptr(MissiveMessageInfo) info = NULL;
  HeaderTarget target;
  MissiveImapHeaderFunc header_func;
  GError *error = NULL;
  guint32 id;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (response->keyword, "FETCH") != 0 || !response->has_number)
    return FALSE;
  /* Not one of ours: an unsolicited FETCH (flags changed elsewhere) for
   * another message goes to the store's handling. */
  id = fetch_response_id (store, response);
  if (id == 0 || !missive_message_set_contains (fs->set, id))
    return FALSE;

  info = missive_message_info_new ();
  target.store = MISSIVE_STORE (store);
  target.id = id;
  /* Header lines are split only for someone who listens. */
  header_func = missive_store_has_header_listeners (target.store) ? on_header : NULL;
  if (!missive_imap_fetch_to_info (response, info, fs->decode, header_func, &target, &error))
    {
      missive_imap_command_fail (command, error);
      return TRUE;
    }
  missive_store_emit_message_info (MISSIVE_STORE (store), info);
  g_list_store_append (fs->result, info);
  return TRUE;
}

static MissiveImapCommand *
build_summary_fetch (MissiveImapStore *store,
                     const char       *piece,
                     gpointer          user_data)
{
  FetchSummaries *fs = user_data;
  MissiveImapCommand *command = new_fetch_command (store);

  missive_imap_command_add_atom (command, piece);
  missive_imap_command_add_atom (command, fs->items);
  if (fs->changed_since > 0)
    {
      g_autofree char *modifier = g_strdup_printf ("(CHANGEDSINCE %" G_GUINT64_FORMAT ")",
                                                   fs->changed_since);

      missive_imap_command_add_atom (command, modifier);
    }
  missive_imap_command_set_response_func (command, on_summary_response, fs);
  return command;
}

/* The FETCH items for @items, leaving out what the server does not offer. */
static char *
summary_items (MissiveImapStore  *self,
               MissiveFetchItems  items)
{
  GString *s = g_string_new ("(UID");

  if (items & MISSIVE_FETCH_ITEMS_FLAGS)
    g_string_append (s, " FLAGS");
  if (items & MISSIVE_FETCH_ITEMS_ENVELOPE)
    g_string_append (s, " ENVELOPE");
  if (items & MISSIVE_FETCH_ITEMS_SIZE)
    g_string_append (s, " RFC822.SIZE");
  if (items & MISSIVE_FETCH_ITEMS_INTERNAL_DATE)
    g_string_append (s, " INTERNALDATE");
  if (items & MISSIVE_FETCH_ITEMS_BODY_STRUCTURE)
    g_string_append (s, " BODYSTRUCTURE");
  if (items & MISSIVE_FETCH_ITEMS_HEADERS)
    g_string_append (s, " BODY.PEEK[HEADER]");
  if ((items & MISSIVE_FETCH_ITEMS_MODSEQ) &&
      missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_CONDSTORE))
    g_string_append (s, " MODSEQ");
  if ((items & MISSIVE_FETCH_ITEMS_PREVIEW) &&
      missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_PREVIEW))
    g_string_append (s, " PREVIEW");
  if ((items & MISSIVE_FETCH_ITEMS_OBJECT_IDS) &&
      missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_OBJECTID))
    g_string_append (s, " EMAILID THREADID");
  if ((items & MISSIVE_FETCH_ITEMS_GMAIL) &&
      missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_GMAIL))
    g_string_append (s, " X-GM-LABELS X-GM-MSGID X-GM-THRID");
  if ((items & MISSIVE_FETCH_ITEMS_SAVE_DATE) &&
      missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_SAVEDATE))
    g_string_append (s, " SAVEDATE");
  g_string_append_c (s, ')');
  return g_string_free (s, FALSE);
}

static void
on_summaries_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchSummaries *fs = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_imap_run_chunks_finish (MISSIVE_IMAP_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (fs->result), g_object_unref);
}

static void
imap_fetch_summaries_async (MissiveStore        *store,
                            MissiveMessageSet   *set,
                            MissiveFetchItems    items,
                            guint64              changed_since,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  FetchSummaries *fs;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_fetch_summaries_async);
  g_task_set_priority (task, io_priority);

  if (!check_selected (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (changed_since > 0 && !missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_CONDSTORE))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "The server does not support CONDSTORE (CHANGEDSINCE)");
      return;
    }

  fs = g_new0 (FetchSummaries, 1);
  fs->set = missive_message_set_ref (set);
  fs->result = g_list_store_new (MISSIVE_TYPE_MESSAGE_INFO);
  fs->items = summary_items (self, items);
  fs->changed_since = changed_since;
  fs->decode = missive_imap_store_get_decode_headers (self);
  g_task_set_task_data (task, fs, fetch_summaries_free);

  missive_imap_run_chunks_async (self, set, build_summary_fetch, fs, cancellable,
                                 on_summaries_done, g_steal_pointer (&task));
}

static GListModel *
imap_fetch_summaries_finish (MissiveStore  *store,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- fetch_part ---- */

typedef struct
{
  guint32 id;
  char *section;            /* as given; "" for the whole message */
  MissiveFetchPartFlags flags;
  guint64 offset;
  guint64 length;
  GOutputStream *sink;
  int io_priority;

  gboolean decode_locally;  /* DECODED without BINARY: filter here */
  gboolean local_range;     /* the range is cut out of the decoded bytes */
  char *header_item;        /* the MIME header item ("BODY[1.MIME]") */
  GMimeContentEncoding encoding;

  char *item;               /* the body item as the server names it */
  MissiveImapPartSink *stream;
  gboolean got_body;
  gboolean body_done;       /* the FETCH response with the body ended */
  GBytes *inline_body;      /* a body sent as a quoted string */
  GError *error;            /* this request's own failure */

  /* While the request is in a batch (see below) */
  GSource *cancel_source;   /* returns it early when cancelled */
  gboolean returned;        /* the batch is done with it */
} FetchPart;

static void
fetch_part_free (gpointer data)
{
  FetchPart *fp = data;

  g_free (fp->section);
  g_clear_object (&fp->sink);
  g_free (fp->header_item);
  g_free (fp->item);
  g_clear_object (&fp->stream);
  g_clear_pointer (&fp->inline_body, g_bytes_unref);
  g_clear_error (&fp->error);
  if (fp->cancel_source != NULL)
    {
      g_source_destroy (fp->cancel_source);
      g_source_unref (fp->cancel_source);
    }
  g_free (fp);
}

/* "", "1", "1.2.3": a part number (or the whole message). */
static gboolean
is_part_number (const char *section)
{
  for (const char *p = section; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.')
      return FALSE;
  return TRUE;
}

/* Whether the FETCH item @name ("BODY[1.2]<0>") is @item ("BODY[1.2]"):
 * the origin is ignored, and case too. */
static gboolean
item_matches (const char *name,
              const char *item)
{
  gsize n = strlen (item);

  return name != NULL && g_ascii_strncasecmp (name, item, n) == 0 &&
         (name[n] == '\0' || name[n] == '<');
}

/* The value of @item in the item list of a FETCH response, or NULL. */
static const MissiveImapValue *
find_item (const MissiveImapResponse *response,
           const char                *item)
{
  const MissiveImapValue *list = response->args;

  if (list == NULL || list->type != MISSIVE_IMAP_VALUE_LIST)
    return NULL;
  for (const MissiveImapValue *name = list->children;
       name != NULL && name->next != NULL;
       name = name->next->next)
    if (name->type == MISSIVE_IMAP_VALUE_ATOM && item_matches (name->data, item))
      return name->next;
  return NULL;
}

/* Whether a FETCH response is for the message of @fp. Without use-uid the
 * number says it; with it, the UID item when present (a literal may
 * arrive before the UID item: then the item name must do). */
static gboolean
is_our_message (MissiveImapStore          *store,
                FetchPart                 *fp,
                const MissiveImapResponse *response)
{
  guint64 uid;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (response->keyword, "FETCH") != 0 || !response->has_number)
    return FALSE;
  if (!missive_imap_store_get_use_uid (store))
    return response->number == fp->id;
  if (missive_imap_value_get_number (missive_imap_value_lookup (response->args, "UID"), &uid))
    return uid == fp->id;
  return TRUE;
}

/* The Content-Transfer-Encoding named in a MIME header block. */
static GMimeContentEncoding
encoding_from_header (const char *header,
                      gsize       length)
{
  static const char field[] = "content-transfer-encoding:";
  const char *end = header + length;
  const char *line = header;

  while (line < end)
    {
      const char *eol = memchr (line, '\n', end - line);
      const char *next = eol != NULL ? eol + 1 : end;

      if ((gsize) (end - line) > sizeof field - 1 &&
          g_ascii_strncasecmp (line, field, sizeof field - 1) == 0)
        {
          const char *start = line + sizeof field - 1;
          g_autofree char *value = g_strndup (start, (eol != NULL ? eol : end) - start);

          g_strstrip (value);
          return g_mime_content_encoding_from_string (value);
        }
      line = next;
    }
  return GMIME_CONTENT_ENCODING_DEFAULT;
}

static gboolean
on_part_header_response (MissiveImapStore          *store,
                         MissiveImapCommand        *command,
                         const MissiveImapResponse *response,
                         gpointer                   user_data)
{
  FetchPart *fp = user_data;
  const MissiveImapValue *value;

  if (!is_our_message (store, fp, response))
    return FALSE;
  value = find_item (response, fp->header_item);
  if (value == NULL)
    return FALSE;
  if (value->type == MISSIVE_IMAP_VALUE_STRING)
    fp->encoding = encoding_from_header (value->data, value->length);
  return TRUE;
}

/* What ::transfer-started calls the transfer. */
static const char *
transfer_name (FetchPart *fp)
{
  if (fp->flags & MISSIVE_FETCH_PART_FLAGS_HEADERS)
    return "headers";
  return *fp->section == '\0' ? "message" : "part";
}

static void fetch_part_step_body (GTask *task);

static void
on_part_header_done (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchPart *fp = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  switch (fp->encoding)
    {
    case GMIME_CONTENT_ENCODING_BASE64:
    case GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE:
    case GMIME_CONTENT_ENCODING_UUENCODE:
      fp->stream->decoder = g_mime_filter_basic_new (fp->encoding, FALSE);
      break;
    default:
      break;
    }
  fetch_part_step_body (g_steal_pointer (&task));
}

static void
on_sink_flushed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FetchPart *fp = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_output_stream_flush_finish (G_OUTPUT_STREAM (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  missive_service_emit_transfer_finished (g_task_get_source_object (task),
                                          fp->stream->received);
  g_task_return_boolean (task, TRUE);
}

/* Whether flushing @sink can do anything. GOutputStream's default
 * flush_async hands the flush to a worker thread even when the stream has
 * no flush method at all (a memory or counting sink, most application
 * sinks): a thread round trip per message for nothing. */
static gboolean
sink_needs_flush (GOutputStream *sink)
{
  GOutputStreamClass *klass = G_OUTPUT_STREAM_GET_CLASS (sink);
  GOutputStreamClass *base = g_type_class_peek (G_TYPE_OUTPUT_STREAM);

  return klass->flush != NULL || base == NULL || klass->flush_async != base->flush_async;
}

/* Takes over @task: flushes the sink where that means something, then
 * finishes the fetch. */
static void
fetch_part_flush (GTask *task)
{
  FetchPart *fp = g_task_get_task_data (task);

  if (sink_needs_flush (fp->sink))
    {
      g_output_stream_flush_async (fp->sink, fp->io_priority, g_task_get_cancellable (task),
                                   on_sink_flushed, task);
      return;
    }
  missive_service_emit_transfer_finished (g_task_get_source_object (task),
                                          fp->stream->received);
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
on_tail_written (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  fetch_part_flush (g_steal_pointer (&task));
}

/* The body is through: the decoder's last bytes (if any), then a flush. */
static void
fetch_part_complete (GTask *task)
{
  FetchPart *fp = g_task_get_task_data (task);
  const char *tail = "";
  gsize tail_length = 0;

  if (fp->stream->decoder != NULL)
    part_sink_transform (fp->stream, "", 0, TRUE, &tail, &tail_length);
  if (tail_length == 0)
    {
      fetch_part_flush (task);
      return;
    }
  g_output_stream_write_all_async (fp->sink, tail, tail_length, fp->io_priority,
                                   g_task_get_cancellable (task), on_tail_written, task);
}

static void
on_inline_written (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  fetch_part_complete (g_steal_pointer (&task));
}

/* Takes over @task: its FETCH command completed and the body, if any,
 * came. */
static void
fetch_part_body_received (GTask *task)
{
  FetchPart *fp = g_task_get_task_data (task);
  MissiveService *service = g_task_get_source_object (task);

  if (fp->got_body)
    {
      fetch_part_complete (task);
      return;
    }
  if (fp->inline_body != NULL)
    {
      GCancellable *cancellable = g_task_get_cancellable (task);
      gsize length;
      const char *data = g_bytes_get_data (fp->inline_body, &length);

      fp->stream->total = length;
      missive_service_emit_transfer_started (service, transfer_name (fp), length);
      /* Through our stream: decoding, range, counting. */
      g_output_stream_write_all_async (G_OUTPUT_STREAM (fp->stream), data, length,
                                       fp->io_priority, cancellable,
                                       on_inline_written, task);
      return;
    }

  /* "UID FETCH" of a UID that does not exist answers OK with nothing. */
  g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The server sent no %s for message %u", fp->item, fp->id);
  g_object_unref (task);
}

/* ---- batches: one FETCH for many fetch_part requests ----
 *
 * A body fetch is not sent at once: it joins the store's open batch when
 * that asks for the same item (section, PEEK, range) in the same main
 * context, and the batch goes out as one "UID FETCH <set> (BODY.PEEK[])"
 * once it holds BATCH_MAX requests, when its main context next runs the
 * batch's idle source, or just before any other command is built
 * (missive_imap_command_new() calls missive_imap_fetch_flush()), so that
 * commands keep the order they were asked in: a SELECT asked after a
 * fetch is sent after it. A bulk download with many requests in flight
 * thus costs the server one command per BATCH_MAX messages instead of one
 * per message.
 *
 * The FETCH responses are routed to the requests by UID (by number
 * without use-uid). Each request completes on its own once the command
 * has: a message the server did not send fails only its request, with the
 * error a lone FETCH gives; a NO for the command fails the requests whose
 * body did not come whole. A request cancelled meanwhile returns at once
 * and its bytes, if they still come, are drained. */

#define BATCH_MAX 32

typedef struct _MissiveImapFetchBatch FetchBatch;

struct _MissiveImapFetchBatch
{
  char *request;            /* "(BODY.PEEK[])": what each request asks */
  GPtrArray *tasks;         /* GTask references, in the order asked */
  GHashTable *by_id;        /* message id -> GTask (in @tasks) */
  GMainContext *context;
  GSource *idle;            /* sends the batch, until it is sent */
};

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
fetch_batch_free (FetchBatch *batch)
{
  clear_source (&batch->idle);
  g_free (batch->request);
  g_ptr_array_unref (batch->tasks);
  g_hash_table_unref (batch->by_id);
  g_main_context_unref (batch->context);
  g_free (batch);
}

/* The cancel source of a request in a batch: it returns now; the batch
 * keeps its data, and drains its body if it comes. */
static gboolean
on_request_cancelled (GCancellable *cancellable,
                      gpointer      user_data)
{
  GTask *task = user_data;
  FetchPart *fp = g_task_get_task_data (task);
  GError *error = NULL;

  fp->returned = TRUE;
  fp->stream->discard = TRUE;
  clear_source (&fp->cancel_source);
  if (!g_cancellable_set_error_if_cancelled (cancellable, &error))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
  g_task_return_error (task, error);
  return G_SOURCE_REMOVE;
}

/* The request a FETCH response is for, or NULL. */
static GTask *
batch_lookup (MissiveImapStore          *store,
              FetchBatch                *batch,
              const MissiveImapResponse *response)
{
  guint64 id;

  if (response->kind != MISSIVE_IMAP_RESPONSE_UNTAGGED ||
      g_strcmp0 (response->keyword, "FETCH") != 0 || !response->has_number)
    return NULL;
  if (!missive_imap_store_get_use_uid (store))
    id = response->number;
  else if (!missive_imap_value_get_number (missive_imap_value_lookup (response->args, "UID"),
                                           &id))
    {
      /* A literal before the UID item: only a batch of one can tell (a
       * larger batch gets the literal in memory, with the whole response,
       * which has the UID). */
      return batch->tasks->len == 1 ? g_ptr_array_index (batch->tasks, 0) : NULL;
    }
  if (id == 0 || id > G_MAXUINT32)
    return NULL;
  return g_hash_table_lookup (batch->by_id, GUINT_TO_POINTER ((guint32) id));
}

static GOutputStream *
on_batch_literal (MissiveImapStore          *store,
                  MissiveImapCommand        *command,
                  const MissiveImapResponse *partial,
                  const MissiveImapValue    *previous,
                  guint64                    size,
                  gpointer                   user_data)
{
  GTask *task = batch_lookup (store, user_data, partial);
  FetchPart *fp;

  if (task == NULL)
    return NULL;
  fp = g_task_get_task_data (task);
  if (fp->got_body || previous == NULL || previous->type != MISSIVE_IMAP_VALUE_ATOM ||
      !item_matches (previous->data, fp->item))
    return NULL;

  fp->stream->total = size;
  fp->got_body = TRUE;
  if (!fp->returned)
    missive_service_emit_transfer_started (MISSIVE_SERVICE (store), transfer_name (fp), size);
  /* A cancelled request's stream discards. */
  return G_OUTPUT_STREAM (fp->stream);
}

static gboolean
on_batch_response (MissiveImapStore          *store,
                   MissiveImapCommand        *command,
                   const MissiveImapResponse *response,
                   gpointer                   user_data)
{
  GTask *task = batch_lookup (store, user_data, response);
  FetchPart *fp;
  const MissiveImapValue *value;

  if (task == NULL)
    return FALSE;
  fp = g_task_get_task_data (task);
  value = find_item (response, fp->item);
  if (value == NULL)
    return FALSE;
  if (fp->returned)
    return TRUE;

  switch (value->type)
    {
    case MISSIVE_IMAP_VALUE_STREAMED:
      fp->body_done = TRUE;
      break;
    case MISSIVE_IMAP_VALUE_STRING:
      /* A quoted string, or a literal kept in memory (a second copy, or
       * one that came before its UID). */
      if (!fp->got_body && fp->inline_body == NULL)
        fp->inline_body = g_bytes_new (value->data, value->length);
      fp->body_done = TRUE;
      break;
    case MISSIVE_IMAP_VALUE_NIL:
      /* No such part: nothing to write. */
      if (fp->inline_body == NULL)
        fp->inline_body = g_bytes_new (NULL, 0);
      fp->body_done = TRUE;
      break;
    default:
      if (fp->error == NULL)
        fp->error = g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                 "The server sent %s that is not a string", fp->item);
      break;
    }
  return TRUE;
}

static void
on_batch_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  FetchBatch *batch = user_data;
  g_autoptr(GError) error = NULL;

  missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error);
  for (guint i = 0; i < batch->tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (batch->tasks, i);
      FetchPart *fp = g_task_get_task_data (task);

      if (fp->returned)
        continue;
      fp->returned = TRUE;
      clear_source (&fp->cancel_source);
      if (fp->error != NULL)
        g_task_return_error (task, g_steal_pointer (&fp->error));
      else if (error != NULL &&
               !(fp->body_done && g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO)))
        g_task_return_error (task, g_error_copy (error));
      else
        fetch_part_body_received (g_object_ref (task));
    }
  fetch_batch_free (batch);
}

/* Sends the store's open batch, if any, as one command. */
void
missive_imap_fetch_flush (MissiveImapStore *self)
{
  FetchBatch *batch = g_steal_pointer (&self->fetch_batch);
  g_autoptr(MissiveMessageSet) set = NULL;
  MissiveImapCommand *command;

  if (batch == NULL)
    return;
  clear_source (&batch->idle);
  set = missive_message_set_new ();
  for (guint i = 0; i < batch->tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (batch->tasks, i);
      FetchPart *fp = g_task_get_task_data (task);
      GCancellable *cancellable = g_task_get_cancellable (task);

      /* Cancelled, but its cancel source has not run yet: left out. */
      if (!fp->returned && cancellable != NULL && g_cancellable_is_cancelled (cancellable))
        on_request_cancelled (cancellable, task);
      if (!fp->returned)
        missive_message_set_add (set, fp->id);
    }
  if (missive_message_set_is_empty (set))
    {
      fetch_batch_free (batch);
      return;
    }

  command = new_fetch_command (self);
  missive_imap_command_add_set (command, set);
  missive_imap_command_add_atom (command, batch->request);
  missive_imap_command_set_response_func (command, on_batch_response, batch);
  missive_imap_command_set_literal_func (command, on_batch_literal);
  missive_imap_store_run_async (self, command, NULL, on_batch_done, batch);
}

static gboolean
on_batch_idle (gpointer user_data)
{
  missive_imap_fetch_flush (user_data);
  return G_SOURCE_REMOVE;
}

/* Takes over @task, whose body item is @request: into the open batch, or
 * a new one. */
static void
fetch_batch_add (MissiveImapStore *self,
                 GTask            *task,
                 const char       *request)
{
  FetchPart *fp = g_task_get_task_data (task);
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  GCancellable *cancellable = g_task_get_cancellable (task);
  FetchBatch *batch = self->fetch_batch;

  if (batch != NULL &&
      (strcmp (batch->request, request) != 0 || batch->context != context ||
       g_hash_table_contains (batch->by_id, GUINT_TO_POINTER (fp->id))))
    {
      missive_imap_fetch_flush (self);
      batch = NULL;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  if (batch == NULL)
    {
      batch = g_new0 (FetchBatch, 1);
      batch->request = g_strdup (request);
      batch->tasks = g_ptr_array_new_with_free_func (g_object_unref);
      batch->by_id = g_hash_table_new (NULL, NULL);
      batch->context = g_main_context_ref (context);
      batch->idle = g_idle_source_new ();
      g_source_set_priority (batch->idle, fp->io_priority);
      g_source_set_callback (batch->idle, on_batch_idle, g_object_ref (self), g_object_unref);
      g_source_set_static_name (batch->idle, "[missive] IMAP fetch batch");
      g_source_attach (batch->idle, context);
      self->fetch_batch = batch;
    }
  g_ptr_array_add (batch->tasks, task);
  g_hash_table_insert (batch->by_id, GUINT_TO_POINTER (fp->id), task);
  if (cancellable != NULL)
    {
      fp->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (fp->cancel_source, G_SOURCE_FUNC (on_request_cancelled), task, NULL);
      g_source_attach (fp->cancel_source, context);
    }
  if (batch->tasks->len >= BATCH_MAX)
    missive_imap_fetch_flush (self);
}

static void
fetch_part_step_body (GTask *task)
{
  FetchPart *fp = g_task_get_task_data (task);
  MissiveImapStore *self = g_task_get_source_object (task);
  g_autoptr(GString) request = g_string_new (NULL);
  gboolean binary;
  gboolean peek = !(fp->flags & MISSIVE_FETCH_PART_FLAGS_SET_SEEN);
  const char *keyword;
  g_autofree char *section = NULL;

  binary = (fp->flags & MISSIVE_FETCH_PART_FLAGS_DECODED) && !fp->decode_locally &&
           !(fp->flags & MISSIVE_FETCH_PART_FLAGS_HEADERS) &&
           is_part_number (fp->section) &&
           missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_BINARY);
  keyword = binary ? "BINARY" : "BODY";

  if (fp->flags & MISSIVE_FETCH_PART_FLAGS_HEADERS)
    section = *fp->section == '\0' ? g_strdup ("HEADER") : g_strconcat (fp->section, ".MIME", NULL);
  else
    section = g_strdup (fp->section);

  fp->item = g_strdup_printf ("%s[%s]", keyword, section);
  g_string_append_printf (request, "(%s%s[%s]", keyword, peek ? ".PEEK" : "", section);
  if ((fp->offset > 0 || fp->length > 0) && !fp->local_range)
    g_string_append_printf (request, "<%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT ">",
                            fp->offset, fp->length > 0 ? fp->length : (guint64) G_MAXUINT32);
  g_string_append_c (request, ')');

  fetch_batch_add (self, task, request->str);
}

static void
imap_fetch_part_async (MissiveStore          *store,
                       guint32                message_id,
                       const char            *section,
                       MissiveFetchPartFlags  flags,
                       guint64                offset,
                       guint64                length,
                       GOutputStream         *sink,
                       int                    io_priority,
                       GCancellable          *cancellable,
                       GAsyncReadyCallback    callback,
                       gpointer               user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  FetchPart *fp;
  GError *error = NULL;

  g_task_set_source_tag (task, imap_fetch_part_async);
  g_task_set_priority (task, io_priority);

  if (section == NULL)
    section = "";
  if (!check_selected (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (message_id == 0 || strpbrk (section, "\r\n[]") != NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "Invalid message id or section");
      return;
    }
  if (MISSIVE_TYPE_IMAP_PART_SINK == 0)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_PLUGIN,
                               "The IMAP plugin's types are not registered");
      return;
    }

  fp = g_new0 (FetchPart, 1);
  fp->id = message_id;
  fp->section = g_strdup (section);
  fp->flags = flags;
  fp->offset = offset;
  fp->length = length;
  fp->sink = g_object_ref (sink);
  fp->io_priority = io_priority;
  g_task_set_task_data (task, fp, fetch_part_free);

  ensure_gmime ();
  fp->stream = g_object_new (MISSIVE_TYPE_IMAP_PART_SINK, NULL);
  fp->stream->base = g_object_ref (sink);
  fp->stream->store = g_object_ref (store);
  fp->stream->message_id = message_id;
  fp->stream->section = g_strdup (section);

  /* DECODED: BINARY when offered; otherwise the part's encoding is looked
   * up in its MIME header and undone here. */
  fp->decode_locally = (flags & MISSIVE_FETCH_PART_FLAGS_DECODED) &&
                       !(flags & MISSIVE_FETCH_PART_FLAGS_HEADERS) &&
                       is_part_number (section) &&
                       !missive_imap_store_has_cap (self, MISSIVE_IMAP_CAP_BINARY);
  if (fp->decode_locally && (offset > 0 || length > 0))
    {
      /* A range of encoded bytes cannot be decoded on its own: the whole
       * part is fetched and the range taken from the decoded bytes. */
      fp->local_range = TRUE;
      fp->stream->skip = offset;
      fp->stream->remaining = length > 0 ? length : G_MAXUINT64;
    }

  if (fp->decode_locally)
    {
      MissiveImapCommand *command = new_fetch_command (self);
      g_autofree char *request = NULL;

      fp->header_item = *section == '\0' ? g_strdup ("BODY[HEADER]")
                                         : g_strdup_printf ("BODY[%s.MIME]", section);
      request = *section == '\0' ? g_strdup ("(BODY.PEEK[HEADER])")
                                 : g_strdup_printf ("(BODY.PEEK[%s.MIME])", section);
      missive_imap_command_add_number (command, message_id);
      missive_imap_command_add_atom (command, request);
      missive_imap_command_set_response_func (command, on_part_header_response, fp);
      missive_imap_store_run_async (self, command, cancellable,
                                    on_part_header_done, g_steal_pointer (&task));
      return;
    }

  fetch_part_step_body (g_steal_pointer (&task));
}

static gboolean
imap_fetch_part_finish (MissiveStore  *store,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
missive_imap_fetch_class_init (MissiveStoreClass *klass)
{
  klass->fetch_summaries_async = imap_fetch_summaries_async;
  klass->fetch_summaries_finish = imap_fetch_summaries_finish;
  klass->fetch_part_async = imap_fetch_part_async;
  klass->fetch_part_finish = imap_fetch_part_finish;
}
