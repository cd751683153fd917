/* missive-outbox.c: a crash-safe queue of messages to send
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>

#include <missive/missive-plugin.h>

#include "missive-outbox-private.h"
#include "missive-sender-private.h"

/**
 * MissiveOutbox:
 *
 * A directory of messages waiting to be sent, and the means to send them
 * through any [class@Sender].
 *
 * [method@Outbox.queue] stores a message with its envelope and returns an
 * id; [method@Outbox.flush] sends every message that is due, in the order
 * they were queued. A message the server accepted is removed (or moved
 * aside when [property@Outbox:keep-sent] is set); one it refused for good
 * (%MISSIVE_ERROR_SERVER_PERMANENT, %MISSIVE_ERROR_RECIPIENTS_REJECTED,
 * %MISSIVE_ERROR_MESSAGE_TOO_LARGE, or an envelope the sender finds
 * invalid, %MISSIVE_ERROR_INVALID_ARGUMENT) moves to the failed messages
 * with the server's reply; any other failure leaves it queued, to be tried
 * again by a later flush after a delay that doubles with each attempt
 * ([property@Outbox:retry-delay], [property@Outbox:max-retry-delay]).
 *
 * ## The directory
 *
 * The layout is maildir-like: `tmp/` for files being written, and `queue/`,
 * `failed/` and `sent/`, each holding for every message `ID.eml` (the
 * message as it is transmitted: CRLF line ends, without its Bcc,
 * Resent-Bcc and Return-Path headers) and `ID.meta` (a key file with the
 * envelope, the number of attempts, the time of the next one and the last
 * error). A message is where its `.eml` file is.
 *
 * ## Crashes
 *
 * Every file is written under `tmp/`, synced to disk, renamed into place,
 * and its directory synced; a message's sidecar is in place before the
 * message itself, and outlives it. So whenever the process dies or the
 * power fails, [method@Outbox.queue] has either stored the message
 * completely or not at all (and not returned an id), and a queued message
 * stays queued until the server has accepted it.
 *
 * The one window in which a message can be sent twice is between the
 * server's acceptance (the reply to the end of the data) and the removal
 * of the message from `queue/` reaching the disk: a crash there leaves the
 * message queued, and the next flush sends it again. SMTP has the same
 * window between a server's acceptance and the client reading the reply
 * (RFC 1047), and receivers deduplicate on Message-ID. A send that ends in
 * %MISSIVE_ERROR_DELIVERY_UNCERTAIN is a temporary failure for the same
 * reason: losing a message is worse than sending it twice.
 *
 * Only one flush runs on a directory at a time, across processes (a lock
 * file, released by the kernel if the process dies); queueing, listing
 * and removing work while a flush runs. An outbox is not thread-safe: use
 * it from one thread. Its signals are emitted in the thread-default main
 * context of the flush.
 *
 * Since: 1.0
 */
enum {
  PROP_0,
  PROP_PATH,
  PROP_KEEP_SENT,
  PROP_RETRY_DELAY,
  PROP_MAX_RETRY_DELAY,
  PROP_MAX_ATTEMPTS,
  PROP_SEND_OPTIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_MESSAGE_SENT,
  SIGNAL_MESSAGE_FAILED,
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
missive_outbox_emit_message_sent (MissiveOutbox     *self,
                                  const char        *id,
                                  MissiveSendResult *result)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE_SENT], 0, id, result);
}

void
missive_outbox_emit_message_failed (MissiveOutbox *self,
                                    const char    *id,
                                    const GError  *error,
                                    gboolean       permanent)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE_FAILED], 0, id, error, permanent);
}

void
missive_outbox_emit_progress (MissiveOutbox *self,
                              guint          done,
                              guint          total)
{
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, done, total);
}

#define DEFAULT_RETRY_DELAY 300
#define DEFAULT_MAX_RETRY_DELAY (4 * 60 * 60)

static void missive_outbox_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MissiveOutbox, missive_outbox, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      missive_outbox_initable_iface_init))

static gboolean
missive_outbox_initable_init (GInitable     *initable,
                              GCancellable  *cancellable,
                              GError       **error)
{
  MissiveOutbox *self = MISSIVE_OUTBOX (initable);

  if (self->path == NULL || *self->path == '\0')
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "An outbox needs a directory");
      return FALSE;
    }
  return missive_outbox_store_init (self->path, error);
}

static void
missive_outbox_initable_iface_init (GInitableIface *iface)
{
  iface->init = missive_outbox_initable_init;
}

static void
missive_outbox_dispose (GObject *object)
{
  MissiveOutbox *self = MISSIVE_OUTBOX (object);

  g_clear_object (&self->send_options);

  G_OBJECT_CLASS (missive_outbox_parent_class)->dispose (object);
}

static void
missive_outbox_finalize (GObject *object)
{
  MissiveOutbox *self = MISSIVE_OUTBOX (object);

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->sending_id, g_free);

  G_OBJECT_CLASS (missive_outbox_parent_class)->finalize (object);
}

static void
missive_outbox_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MissiveOutbox *self = MISSIVE_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_KEEP_SENT:
      g_value_set_boolean (value, self->keep_sent);
      break;
    case PROP_RETRY_DELAY:
      g_value_set_uint (value, self->retry_delay);
      break;
    case PROP_MAX_RETRY_DELAY:
      g_value_set_uint (value, self->max_retry_delay);
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->max_attempts);
      break;
    case PROP_SEND_OPTIONS:
      g_value_set_object (value, self->send_options);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_outbox_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MissiveOutbox *self = MISSIVE_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      break;
    case PROP_KEEP_SENT:
      missive_outbox_set_keep_sent (self, g_value_get_boolean (value));
      break;
    case PROP_RETRY_DELAY:
      missive_outbox_set_retry_delay (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RETRY_DELAY:
      missive_outbox_set_max_retry_delay (self, g_value_get_uint (value));
      break;
    case PROP_MAX_ATTEMPTS:
      missive_outbox_set_max_attempts (self, g_value_get_uint (value));
      break;
    case PROP_SEND_OPTIONS:
      missive_outbox_set_send_options (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_outbox_class_init (MissiveOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = missive_outbox_dispose;
  object_class->finalize = missive_outbox_finalize;
  object_class->get_property = missive_outbox_get_property;
  object_class->set_property = missive_outbox_set_property;

  /**
   * MissiveOutbox:path:
   *
   * The outbox's directory. It is created (mode 0700) if it does not
   * exist.
   *
   * Since: 1.0
   */
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveOutbox:keep-sent:
   *
   * Whether a flush keeps the messages the server accepted (in the state
   * %MISSIVE_OUTBOX_STATE_SENT) instead of deleting them.
   *
   * Since: 1.0
   */
  properties[PROP_KEEP_SENT] =
    g_param_spec_boolean ("keep-sent", NULL, NULL,
                          FALSE, flags);

  /**
   * MissiveOutbox:retry-delay:
   *
   * How long, in seconds, a message that failed temporarily waits before
   * the first retry. Each further failure doubles the wait, up to
   * [property@Outbox:max-retry-delay]. With 0 the next flush tries the
   * message again.
   *
   * Since: 1.0
   */
  properties[PROP_RETRY_DELAY] =
    g_param_spec_uint ("retry-delay", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_RETRY_DELAY, flags);

  /**
   * MissiveOutbox:max-retry-delay:
   *
   * The longest wait between two attempts, in seconds.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_RETRY_DELAY] =
    g_param_spec_uint ("max-retry-delay", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_MAX_RETRY_DELAY, flags);

  /**
   * MissiveOutbox:max-attempts:
   *
   * After this many failed attempts a message that failed temporarily is
   * moved to the failed messages, as if it had failed permanently; 0 (the
   * default) means it stays queued however often it fails.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL,
                       0, G_MAXUINT, 0, flags);

  /**
   * MissiveOutbox:send-options:
   *
   * The options every message is sent with (DSN, REQUIRETLS, ...), or
   * %NULL for the defaults.
   *
   * Since: 1.0
   */
  properties[PROP_SEND_OPTIONS] =
    g_param_spec_object ("send-options", NULL, NULL,
                         MISSIVE_TYPE_SEND_OPTIONS, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MissiveOutbox::message-sent:
   * @self: the outbox
   * @id: the message's id
   * @result: what the server said
   *
   * Emitted during a flush when the server accepted a message and it left
   * the queue.
   *
   * Since: 1.0
   */
  signals[SIGNAL_MESSAGE_SENT] =
    g_signal_new ("message-sent", G_OBJECT_CLASS_TYPE (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING, MISSIVE_TYPE_SEND_RESULT);

  /**
   * MissiveOutbox::message-failed:
   * @self: the outbox
   * @id: the message's id
   * @error: why the attempt failed
   * @permanent: %TRUE when the message moved to the failed messages,
   *   %FALSE when it stays queued for a later attempt
   *
   * Emitted during a flush when an attempt to send a message failed.
   *
   * Since: 1.0
   */
  signals[SIGNAL_MESSAGE_FAILED] =
    g_signal_new ("message-failed", G_OBJECT_CLASS_TYPE (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING, G_TYPE_ERROR, G_TYPE_BOOLEAN);

  /**
   * MissiveOutbox::progress:
   * @self: the outbox
   * @done: how many messages the flush has handled (sent or failed)
   * @total: how many messages were due when the flush began
   *
   * Emitted during a flush after each message.
   *
   * Since: 1.0
   */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_OBJECT_CLASS_TYPE (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_UINT, G_TYPE_UINT);
}

static void
missive_outbox_init (MissiveOutbox *self)
{
  self->retry_delay = DEFAULT_RETRY_DELAY;
  self->max_retry_delay = DEFAULT_MAX_RETRY_DELAY;
}

/**
 * missive_outbox_new:
 * @path: (type filename): the outbox's directory
 * @error: return location for a #GError
 *
 * Opens the outbox in @path, creating the directory and its
 * subdirectories if needed. Files that a crash left half-written more
 * than an hour ago are removed.
 *
 * Returns: (transfer full) (nullable): the outbox, or %NULL with @error
 *   set when the directory cannot be created or used
 *
 * Since: 1.0
 */
MissiveOutbox *
missive_outbox_new (const char  *path,
                    GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (MISSIVE_TYPE_OUTBOX, NULL, error, "path", path, NULL);
}

/**
 * missive_outbox_get_path:
 * @self: an outbox
 *
 * Gets the outbox's directory.
 *
 * Returns: (type filename): the directory
 *
 * Since: 1.0
 */
const char *
missive_outbox_get_path (MissiveOutbox *self)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), NULL);

  return self->path;
}

/**
 * missive_outbox_get_keep_sent:
 * @self: an outbox
 *
 * Gets [property@Outbox:keep-sent].
 *
 * Returns: whether sent messages are kept
 *
 * Since: 1.0
 */
gboolean
missive_outbox_get_keep_sent (MissiveOutbox *self)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), FALSE);

  return self->keep_sent;
}

/**
 * missive_outbox_set_keep_sent:
 * @self: an outbox
 * @keep_sent: whether to keep sent messages
 *
 * Sets [property@Outbox:keep-sent].
 *
 * Since: 1.0
 */
void
missive_outbox_set_keep_sent (MissiveOutbox *self,
                              gboolean       keep_sent)
{
  g_return_if_fail (MISSIVE_IS_OUTBOX (self));

  keep_sent = !!keep_sent;
  if (self->keep_sent == keep_sent)
    return;
  self->keep_sent = keep_sent;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEP_SENT]);
}

/**
 * missive_outbox_get_retry_delay:
 * @self: an outbox
 *
 * Gets [property@Outbox:retry-delay].
 *
 * Returns: the first retry delay in seconds
 *
 * Since: 1.0
 */
guint
missive_outbox_get_retry_delay (MissiveOutbox *self)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), 0);

  return self->retry_delay;
}

/**
 * missive_outbox_set_retry_delay:
 * @self: an outbox
 * @seconds: the first retry delay
 *
 * Sets [property@Outbox:retry-delay].
 *
 * Since: 1.0
 */
void
missive_outbox_set_retry_delay (MissiveOutbox *self,
                                guint          seconds)
{
  g_return_if_fail (MISSIVE_IS_OUTBOX (self));

  if (self->retry_delay == seconds)
    return;
  self->retry_delay = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_DELAY]);
}

/**
 * missive_outbox_get_max_retry_delay:
 * @self: an outbox
 *
 * Gets [property@Outbox:max-retry-delay].
 *
 * Returns: the longest retry delay in seconds
 *
 * Since: 1.0
 */
guint
missive_outbox_get_max_retry_delay (MissiveOutbox *self)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), 0);

  return self->max_retry_delay;
}

/**
 * missive_outbox_set_max_retry_delay:
 * @self: an outbox
 * @seconds: the longest retry delay
 *
 * Sets [property@Outbox:max-retry-delay].
 *
 * Since: 1.0
 */
void
missive_outbox_set_max_retry_delay (MissiveOutbox *self,
                                    guint          seconds)
{
  g_return_if_fail (MISSIVE_IS_OUTBOX (self));

  if (self->max_retry_delay == seconds)
    return;
  self->max_retry_delay = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RETRY_DELAY]);
}

/**
 * missive_outbox_get_max_attempts:
 * @self: an outbox
 *
 * Gets [property@Outbox:max-attempts].
 *
 * Returns: the number of attempts before giving up, or 0
 *
 * Since: 1.0
 */
guint
missive_outbox_get_max_attempts (MissiveOutbox *self)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), 0);

  return self->max_attempts;
}

/**
 * missive_outbox_set_max_attempts:
 * @self: an outbox
 * @max_attempts: the number of attempts before giving up, or 0 for never
 *
 * Sets [property@Outbox:max-attempts].
 *
 * Since: 1.0
 */
void
missive_outbox_set_max_attempts (MissiveOutbox *self,
                                 guint          max_attempts)
{
  g_return_if_fail (MISSIVE_IS_OUTBOX (self));

  if (self->max_attempts == max_attempts)
    return;
  self->max_attempts = max_attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ATTEMPTS]);
}

/**
 * missive_outbox_get_send_options:
 * @self: an outbox
 *
 * Gets [property@Outbox:send-options].
 *
 * Returns: (transfer none) (nullable): the options
 *
 * Since: 1.0
 */
MissiveSendOptions *
missive_outbox_get_send_options (MissiveOutbox *self)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), NULL);

  return self->send_options;
}

/**
 * missive_outbox_set_send_options:
 * @self: an outbox
 * @options: (nullable): the options, or %NULL for the defaults
 *
 * Sets [property@Outbox:send-options].
 *
 * Since: 1.0
 */
void
missive_outbox_set_send_options (MissiveOutbox      *self,
                                 MissiveSendOptions *options)
{
  g_return_if_fail (MISSIVE_IS_OUTBOX (self));
  g_return_if_fail (options == NULL || MISSIVE_IS_SEND_OPTIONS (options));

  if (g_set_object (&self->send_options, options))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEND_OPTIONS]);
}

/* ---- queueing ------------------------------------------------------------ */

static char *
commit_new (MissiveOutbox    *self,
            const char       *id,
            MissiveEnvelope  *envelope,
            int               fd,
            const char       *temp_path,
            GError          **error)
{
  g_autoptr(MissiveOutboxItem) item = missive_outbox_item_new (id, MISSIVE_OUTBOX_STATE_QUEUED,
                                                               envelope);

  missive_outbox_item_set_queued (item, g_get_real_time () / G_USEC_PER_SEC);
  if (!missive_outbox_store_commit (self->path, item, fd, temp_path, error))
    {
      g_unlink (temp_path);
      return NULL;
    }
  return g_strdup (id);
}

/**
 * missive_outbox_queue:
 * @self: an outbox
 * @message: the message
 * @envelope: (nullable): the envelope, or %NULL to derive it from the
 *   message's headers with [ctor@Envelope.new_from_message]
 * @error: return location for a #GError
 *
 * Stores @message in the outbox, to be sent by the next flush. It is
 * stored as it will be transmitted: with CRLF line ends and without its
 * Bcc, Resent-Bcc and Return-Path headers (the Bcc recipients are in the
 * envelope). The envelope's content class is measured from the stored
 * bytes.
 *
 * When this returns, the message and its envelope are on disk (synced);
 * a crash before then leaves no trace of them.
 *
 * Returns: (transfer full) (nullable): the message's id, or %NULL with
 *   @error set (%MISSIVE_ERROR_INVALID_ARGUMENT for an envelope that
 *   cannot be sent, a #GIOError for the disk)
 *
 * Since: 1.0
 */
char *
missive_outbox_queue (MissiveOutbox    *self,
                      GMimeMessage     *message,
                      MissiveEnvelope  *envelope,
                      GError          **error)
{
  g_autoptr(MissiveEnvelope) stored = NULL;
  g_autofree char *id = NULL;
  g_autofree char *temp_path = NULL;
  GMimeFormatOptions *format;
  GMimeStream *file_stream;
  GMimeStream *filtered;
  GMimeFilter *best;
  GMimeContentEncoding encoding;
  gboolean ok;
  int fd;

  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);
  g_return_val_if_fail (envelope == NULL || MISSIVE_IS_ENVELOPE (envelope), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (envelope != NULL)
    stored = missive_envelope_copy (envelope);
  else if ((stored = missive_envelope_new_from_message (message, error)) == NULL)
    return NULL;
  if (!missive_envelope_validate (stored, error))
    return NULL;

  id = missive_outbox_store_new_id ();
  fd = missive_outbox_store_create_temp (self->path, id, &temp_path, error);
  if (fd < 0)
    return NULL;

  file_stream = g_mime_stream_fs_new (fd);
  g_mime_stream_fs_set_owner (GMIME_STREAM_FS (file_stream), FALSE);
  filtered = g_mime_stream_filter_new (file_stream);
  best = g_mime_filter_best_new (GMIME_FILTER_BEST_ENCODING);
  g_mime_stream_filter_add (GMIME_STREAM_FILTER (filtered), best);
  format = missive_sender_new_format_options ();

  errno = 0;
  ok = g_mime_object_write_to_stream (GMIME_OBJECT (message), format, filtered) >= 0 &&
       g_mime_stream_flush (filtered) >= 0;
  encoding = g_mime_filter_best_encoding (GMIME_FILTER_BEST (best),
                                          GMIME_ENCODING_CONSTRAINT_BINARY);
  g_mime_format_options_free (format);
  g_object_unref (best);
  g_object_unref (filtered);
  g_object_unref (file_stream);

  if (!ok)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (temp_path);
      g_set_error (error, G_IO_ERROR,
                   saved_errno != 0 ? g_io_error_from_errno (saved_errno) : G_IO_ERROR_FAILED,
                   "Outbox: cannot write the message to %s: %s", temp_path,
                   saved_errno != 0 ? g_strerror (saved_errno) : "a part could not be read");
      return NULL;
    }

  if (encoding == GMIME_CONTENT_ENCODING_BINARY)
    missive_envelope_set_content_class (stored, MISSIVE_CONTENT_BINARY);
  else if (encoding == GMIME_CONTENT_ENCODING_8BIT)
    missive_envelope_set_content_class (stored, MISSIVE_CONTENT_8BIT);
  else
    missive_envelope_set_content_class (stored, MISSIVE_CONTENT_7BIT);

  return commit_new (self, id, stored, fd, temp_path, error);
}

/* Tracks what the bytes of a message need while they are copied. */
typedef struct
{
  gboolean eight_bit;
  gboolean binary;
  gsize line_length;
} Scan;

static void
scan_bytes (Scan         *scan,
            const guint8 *data,
            gsize         length)
{
  for (gsize i = 0; i < length; i++)
    {
      guint8 c = data[i];

      if (c == '\n')
        {
          scan->line_length = 0;
          continue;
        }
      if (c == '\0')
        scan->binary = TRUE;
      else if (c >= 0x80)
        scan->eight_bit = TRUE;
      if (c != '\r' && ++scan->line_length > 998)
        scan->binary = TRUE;
    }
}

/**
 * missive_outbox_queue_stream:
 * @self: an outbox
 * @stream: the bytes of an RFC 5322 message, read to its end
 * @envelope: the envelope to send it with
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Stores a message given as bytes in the outbox, to be sent by the next
 * flush. The bytes are stored as they are (any Bcc header included: a
 * raw message is the caller's to prepare). The stored envelope's content
 * class is the larger of @envelope's and the one measured from the bytes.
 *
 * As with [method@Outbox.queue], the message is on disk when this
 * returns, and a crash before then leaves no trace of it.
 *
 * Returns: (transfer full) (nullable): the message's id, or %NULL with
 *   @error set
 *
 * Since: 1.0
 */
char *
missive_outbox_queue_stream (MissiveOutbox    *self,
                             GInputStream     *stream,
                             MissiveEnvelope  *envelope,
                             GCancellable     *cancellable,
                             GError          **error)
{
  g_autoptr(MissiveEnvelope) stored = NULL;
  g_autoptr(GOutputStream) output = NULL;
  g_autofree char *id = NULL;
  g_autofree char *temp_path = NULL;
  g_autofree guint8 *buffer = NULL;
  Scan scan = { 0, };
  MissiveContentClass content_class;
  int fd;

  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (MISSIVE_IS_ENVELOPE (envelope), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  stored = missive_envelope_copy (envelope);
  if (!missive_envelope_validate (stored, error))
    return NULL;

  id = missive_outbox_store_new_id ();
  fd = missive_outbox_store_create_temp (self->path, id, &temp_path, error);
  if (fd < 0)
    return NULL;

  output = g_unix_output_stream_new (fd, FALSE);
  buffer = g_malloc (64 * 1024);
  for (;;)
    {
      gssize n = g_input_stream_read (stream, buffer, 64 * 1024, cancellable, error);

      if (n < 0 ||
          (n > 0 && !g_output_stream_write_all (output, buffer, n, NULL, cancellable, error)))
        {
          close (fd);
          g_unlink (temp_path);
          return NULL;
        }
      if (n == 0)
        break;
      scan_bytes (&scan, buffer, n);
    }

  content_class = scan.binary ? MISSIVE_CONTENT_BINARY :
                  scan.eight_bit ? MISSIVE_CONTENT_8BIT : MISSIVE_CONTENT_7BIT;
  if (content_class > missive_envelope_get_content_class (stored))
    missive_envelope_set_content_class (stored, content_class);

  return commit_new (self, id, stored, fd, temp_path, error);
}

/* ---- looking and removing ------------------------------------------------ */

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return g_strcmp0 (missive_outbox_item_get_id ((MissiveOutboxItem *) a),
                    missive_outbox_item_get_id ((MissiveOutboxItem *) b));
}

/**
 * missive_outbox_list:
 * @self: an outbox
 * @error: return location for a #GError
 *
 * Lists the messages of the outbox, queued, failed and sent, in the order
 * they were queued. The list is a snapshot: it does not follow later
 * changes. A message whose sidecar file is damaged is left out.
 *
 * Returns: (transfer full) (nullable): a list model of
 *   [class@OutboxItem], or %NULL with @error set when a directory cannot
 *   be read
 *
 * Since: 1.0
 */
GListModel *
missive_outbox_list (MissiveOutbox  *self,
                     GError        **error)
{
  static const MissiveOutboxState states[] = {
    MISSIVE_OUTBOX_STATE_QUEUED, MISSIVE_OUTBOX_STATE_FAILED, MISSIVE_OUTBOX_STATE_SENT,
  };
  g_autoptr(GListStore) store = NULL;

  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  store = g_list_store_new (MISSIVE_TYPE_OUTBOX_ITEM);
  for (gsize s = 0; s < G_N_ELEMENTS (states); s++)
    {
      g_auto(GStrv) ids = missive_outbox_store_list_ids (self->path, states[s], error);

      if (ids == NULL)
        return NULL;
      for (gsize i = 0; ids[i] != NULL; i++)
        {
          g_autoptr(MissiveOutboxItem) item = NULL;

          /* Gone since the directory was read, or damaged: left out. */
          item = missive_outbox_store_read_item (self->path, states[s], ids[i], NULL);
          if (item != NULL)
            g_list_store_append (store, item);
        }
    }
  g_list_store_sort (store, compare_items, NULL);
  return G_LIST_MODEL (g_steal_pointer (&store));
}

static gboolean
check_id (const char  *id,
          GError     **error)
{
  if (missive_outbox_store_id_is_valid (id))
    return TRUE;
  g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
               "\"%s\" is not an outbox message id", id);
  return FALSE;
}

static gboolean
find (MissiveOutbox       *self,
      const char          *id,
      MissiveOutboxState  *state,
      GError             **error)
{
  if (!check_id (id, error))
    return FALSE;
  if (missive_outbox_store_find (self->path, id, state))
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               "The outbox has no message %s", id);
  return FALSE;
}

/**
 * missive_outbox_lookup:
 * @self: an outbox
 * @id: a message's id
 * @error: return location for a #GError
 *
 * Looks up one message of the outbox.
 *
 * Returns: (transfer full) (nullable): the message's item, or %NULL with
 *   @error set (%G_IO_ERROR_NOT_FOUND when there is no such message)
 *
 * Since: 1.0
 */
MissiveOutboxItem *
missive_outbox_lookup (MissiveOutbox  *self,
                       const char     *id,
                       GError        **error)
{
  MissiveOutboxState state;

  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!find (self, id, &state, error))
    return NULL;
  return missive_outbox_store_read_item (self->path, state, id, error);
}

/**
 * missive_outbox_read_message:
 * @self: an outbox
 * @id: a message's id
 * @error: return location for a #GError
 *
 * Opens the stored bytes of a message, as a flush transmits them.
 *
 * Returns: (transfer full) (nullable): a stream of the message, or %NULL
 *   with @error set (%G_IO_ERROR_NOT_FOUND when there is no such message)
 *
 * Since: 1.0
 */
GInputStream *
missive_outbox_read_message (MissiveOutbox  *self,
                             const char     *id,
                             GError        **error)
{
  MissiveOutboxState state;

  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!find (self, id, &state, error))
    return NULL;
  return missive_outbox_store_open_message (self->path, state, id, NULL, error);
}

/**
 * missive_outbox_remove:
 * @self: an outbox
 * @id: a message's id
 * @error: return location for a #GError
 *
 * Deletes a message from the outbox, whatever its state. The message a
 * flush of this outbox is sending right now cannot be removed
 * (%MISSIVE_ERROR_INVALID_STATE).
 *
 * Returns: %TRUE when the message was removed
 *
 * Since: 1.0
 */
gboolean
missive_outbox_remove (MissiveOutbox  *self,
                       const char     *id,
                       GError        **error)
{
  MissiveOutboxState state;

  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_strcmp0 (id, self->sending_id) == 0)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                   "Message %s is being sent", id);
      return FALSE;
    }
  if (!find (self, id, &state, error))
    return FALSE;
  return missive_outbox_store_delete (self->path, state, id, error);
}

/**
 * missive_outbox_retry_failed:
 * @self: an outbox
 * @error: return location for a #GError
 *
 * Queues every failed message again, with its count of attempts reset,
 * to be tried by the next flush. Its last error is kept until then.
 *
 * Returns: how many messages were queued again; when @error is set,
 *   the ones before the failure were
 *
 * Since: 1.0
 */
guint
missive_outbox_retry_failed (MissiveOutbox  *self,
                             GError        **error)
{
  g_auto(GStrv) ids = NULL;
  guint n = 0;

  g_return_val_if_fail (MISSIVE_IS_OUTBOX (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  ids = missive_outbox_store_list_ids (self->path, MISSIVE_OUTBOX_STATE_FAILED, error);
  if (ids == NULL)
    return 0;
  for (gsize i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(MissiveOutboxItem) item = NULL;
      g_autoptr(GError) local_error = NULL;

      item = missive_outbox_store_read_item (self->path, MISSIVE_OUTBOX_STATE_FAILED, ids[i],
                                             &local_error);
      if (item == NULL)
        {
          /* Removed meanwhile: nothing to do. */
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          return n;
        }
      missive_outbox_item_set_state (item, MISSIVE_OUTBOX_STATE_QUEUED);
      missive_outbox_item_set_attempts (item, 0);
      missive_outbox_item_set_next (item, 0);
      if (!missive_outbox_store_move (self->path, item, MISSIVE_OUTBOX_STATE_FAILED, error))
        return n;
      n++;
    }
  return n;
}
