/* missive-sender.c: mail submission (SMTP, LMTP)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-sender-private.h"

/**
 * MissiveSender:
 *
 * A [class@Service] that submits mail: the SMTP plugin implements it, for
 * submission, relay and LMTP delivery.
 *
 * A sender works once [method@Service.open] has succeeded: authenticated
 * when credentials were given, or merely connected for servers that take
 * mail without logging in (a local relay, LMTP). Otherwise it fails with
 * %MISSIVE_ERROR_INVALID_STATE. An invalid envelope (see
 * [method@Envelope.validate]) is refused with
 * %MISSIVE_ERROR_INVALID_ARGUMENT before anything is sent.
 *
 * [method@Sender.send_message] takes a #GMimeMessage: without an explicit
 * [class@Envelope] it derives one from the headers
 * ([ctor@Envelope.new_from_message]). The message is transmitted with CRLF
 * line ends and without its Bcc, Resent-Bcc and Return-Path headers. It is
 * serialised twice in a worker thread — once to measure its size and
 * content (for SIZE and BODY=8BITMIME/BINARYMIME) and once into the
 * connection as it goes out — so memory stays bounded however large its
 * attachments are; the application must not change the message until the
 * send finishes. [method@Sender.send_stream] sends bytes the application
 * already has, as they are.
 *
 * With [property@SendOptions:sign] or [property@SendOptions:encrypt] the
 * message is first signed and/or encrypted with the options'
 * [property@SendOptions:crypto-context] (the encryption to the keys of
 * every envelope recipient); the protected message is what is measured
 * and sent, and a crypto failure (no key, a refused passphrase) fails the
 * send before the server sees anything.
 *
 * Several messages may be sent one after the other on one connection. A
 * failure that leaves the connection unusable (lost, out of step, a 421
 * from the server) closes it; a refused message or recipient does not.
 * When the connection is lost after the whole message went out but before
 * the server confirmed it, the send fails with
 * %MISSIVE_ERROR_DELIVERY_UNCERTAIN: it is never reported as sent unless
 * the server said so.
 *
 * The service's `transfer-started`, `transfer-progress` and
 * `transfer-finished` signals report the message data as it goes out.
 *
 * Since: 1.0
 */

enum {
  RECIPIENT_REJECTED,
  ADDRESS_EXPANDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_ABSTRACT_TYPE (MissiveSender, missive_sender, MISSIVE_TYPE_SERVICE)

static void
missive_sender_class_init (MissiveSenderClass *klass)
{
  /**
   * MissiveSender::recipient-rejected:
   * @self: the sender
   * @result: the recipient and the server's reply
   *
   * Emitted for each recipient the server refuses, as soon as it does. The
   * message still goes to the recipients that were accepted.
   *
   * Since: 1.0
   */
  signals[RECIPIENT_REJECTED] =
    g_signal_new ("recipient-rejected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  MISSIVE_TYPE_RECIPIENT_RESULT);

  /**
   * MissiveSender::address-expanded:
   * @self: the sender
   * @address: one address of the expansion
   *
   * Emitted for each address a mailing list expands to (SMTP EXPN), or that
   * a verification (SMTP VRFY) returns.
   *
   * Since: 1.0
   */
  signals[ADDRESS_EXPANDED] =
    g_signal_new ("address-expanded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  G_TYPE_STRING);
}

static void
missive_sender_init (MissiveSender *self)
{
}

typedef struct
{
  GMimeMessage *message;          /* NULL for send_stream */
  GInputStream *stream;
  gint64 size;
  MissiveEnvelope *envelope;      /* our own copy */
  MissiveSendOptions *options;
  int io_priority;
} SendData;

static void
send_data_free (SendData *data)
{
  g_clear_object (&data->message);
  if (data->stream != NULL)
    {
      /* Closing the pipe's read end stops a writer thread still at work. */
      g_input_stream_close (data->stream, NULL, NULL);
      g_object_unref (data->stream);
    }
  g_clear_object (&data->envelope);
  g_clear_object (&data->options);
  g_free (data);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  MissiveSender *self = MISSIVE_SENDER (source);
  MissiveSendResult *send_result;
  GError *error = NULL;

  send_result = MISSIVE_SENDER_GET_CLASS (self)->send_finish (self, result, &error);
  if (send_result == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, send_result, g_object_unref);
  g_object_unref (task);
}

/* The message is measured, and the envelope knows its content: stream it. */
static void
start_send (GTask *task)
{
  MissiveSender *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (data->stream == NULL)
    {
      data->stream = missive_sender_open_message_stream (data->message, &error);
      if (data->stream == NULL)
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
    }

  /* The service may have been closed while the message was measured. */
  if (!missive_service_check_ready (MISSIVE_SERVICE (self), FALSE, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  missive_service_begin_operation (MISSIVE_SERVICE (self), data->io_priority);
  MISSIVE_SENDER_GET_CLASS (self)->send_async (self, data->envelope, data->stream, data->size,
                                               data->options, data->io_priority,
                                               g_task_get_cancellable (task), send_cb, task);
}

static void
measure_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);
  MissiveContentClass content_class;
  guint64 size;
  GError *error = NULL;

  if (!missive_sender_measure_message_finish (result, &size, &content_class, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data->size = (gint64) size;
  missive_envelope_set_content_class (data->envelope, content_class);
  start_send (task);
}

/* Checks shared by send_message and send_stream; returns FALSE after
 * finishing @task with the error. */
static gboolean
check_send (MissiveSender *self,
            GTask         *task)
{
  SendData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!missive_envelope_validate (data->envelope, &error) ||
      !missive_service_check_ready (MISSIVE_SERVICE (self), FALSE, &error))
    {
      g_task_return_error (task, error);
      return FALSE;
    }
  if (MISSIVE_SENDER_GET_CLASS (self)->send_async == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "%s cannot send messages", G_OBJECT_TYPE_NAME (self));
      return FALSE;
    }
  if (missive_send_options_get_sign (data->options) || missive_send_options_get_encrypt (data->options))
    {
      if (data->message == NULL)
        {
          g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                                   "A raw stream cannot be signed or encrypted on the way out; "
                                   "protect the message before queueing or streaming it");
          return FALSE;
        }
      if (missive_send_options_get_crypto_context (data->options) == NULL)
        {
          g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                                   "Signing or encrypting was asked for without a crypto context");
          return FALSE;
        }
    }
  return TRUE;
}

/* The message is signed and/or encrypted: send that one instead. */
static void
protect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  SendData *data = g_task_get_task_data (task);
  MissiveCryptoContext *context = MISSIVE_CRYPTO_CONTEXT (source);
  GMimeMessage *protected_message;
  GError *error = NULL;

  if (missive_send_options_get_encrypt (data->options))
    {
      if (missive_send_options_get_sign (data->options))
        protected_message = missive_crypto_context_sign_and_encrypt_finish (context, result, &error);
      else
        protected_message = missive_crypto_context_encrypt_finish (context, result, &error);
    }
  else
    protected_message = missive_crypto_context_sign_finish (context, result, &error);
  if (protected_message == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_object_unref (data->message);
  data->message = protected_message;
  missive_sender_measure_message_async (data->message, data->io_priority,
                                        g_task_get_cancellable (task), measure_cb, task);
}

/* Signs and/or encrypts the message as the options ask (the encryption
 * to every envelope recipient), then measures it; or measures it at once. */
static void
protect_and_measure (GTask *task)
{
  SendData *data = g_task_get_task_data (task);
  MissiveCryptoContext *context = missive_send_options_get_crypto_context (data->options);
  gboolean sign = missive_send_options_get_sign (data->options);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GPtrArray) recipients = NULL;
  guint n;

  if (!sign && !missive_send_options_get_encrypt (data->options))
    {
      missive_sender_measure_message_async (data->message, data->io_priority, cancellable,
                                            measure_cb, task);
      return;
    }
  if (!missive_send_options_get_encrypt (data->options))
    {
      missive_crypto_context_sign_async (context, data->message, NULL, MISSIVE_CRYPTO_FLAGS_NONE,
                                         cancellable, protect_cb, task);
      return;
    }

  n = missive_envelope_get_n_recipients (data->envelope);
  recipients = g_ptr_array_new_full (n + 1, NULL);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (recipients, (gpointer) missive_envelope_get_recipient (data->envelope, i, NULL));
  g_ptr_array_add (recipients, NULL);
  if (sign)
    missive_crypto_context_sign_and_encrypt_async (context, data->message, NULL,
                                                   (const char * const *) recipients->pdata,
                                                   MISSIVE_CRYPTO_FLAGS_NO_DEFAULT_RECIPIENTS,
                                                   cancellable, protect_cb, task);
  else
    missive_crypto_context_encrypt_async (context, data->message,
                                          (const char * const *) recipients->pdata,
                                          MISSIVE_CRYPTO_FLAGS_NO_DEFAULT_RECIPIENTS,
                                          cancellable, protect_cb, task);
}

/**
 * missive_sender_send_message_async:
 * @self: a connected sender
 * @message: the message
 * @envelope: (nullable): the envelope, or %NULL to derive it from
 *   @message's headers
 * @options: (nullable): how to send, or %NULL for the defaults
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the server has answered
 * @user_data: data for @callback
 *
 * Sends @message to the envelope's recipients. See the class description
 * for what is transmitted. `recipient-rejected` is emitted for each refused
 * recipient as the server refuses it.
 *
 * Since: 1.0
 */
void
missive_sender_send_message_async (MissiveSender       *self,
                                   GMimeMessage        *message,
                                   MissiveEnvelope     *envelope,
                                   MissiveSendOptions  *options,
                                   int                  io_priority,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;
  GError *error = NULL;

  g_return_if_fail (MISSIVE_IS_SENDER (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));
  g_return_if_fail (envelope == NULL || MISSIVE_IS_ENVELOPE (envelope));
  g_return_if_fail (options == NULL || MISSIVE_IS_SEND_OPTIONS (options));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_sender_send_message_async);
  /* A cancellation that comes after the whole message went out must not
   * hide what the plugin knows (sent, or DELIVERY_UNCERTAIN). */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_priority (task, io_priority);

  data = g_new0 (SendData, 1);
  data->message = g_object_ref (message);
  data->options = options != NULL ? g_object_ref (options) : missive_send_options_new ();
  data->io_priority = io_priority;
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  if (envelope != NULL)
    data->envelope = missive_envelope_copy (envelope);
  else
    {
      data->envelope = missive_envelope_new_from_message (message, &error);
      if (data->envelope == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
    }
  if (!check_send (self, task))
    return;

  protect_and_measure (g_steal_pointer (&task));
}

/**
 * missive_sender_send_message_finish:
 * @self: the sender
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Sender.send_message_async].
 *
 * Returns: (transfer full): what the server did with each recipient, or
 *   %NULL with @error set; %MISSIVE_ERROR_RECIPIENTS_REJECTED when no
 *   recipient was accepted
 *
 * Since: 1.0
 */
MissiveSendResult *
missive_sender_send_message_finish (MissiveSender  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * missive_sender_send_stream_async:
 * @self: a connected sender
 * @stream: the message's bytes (RFC 5322), read to its end
 * @size: the number of bytes @stream will give, or -1 when unknown (the
 *   server's size limit is then checked by the server alone)
 * @envelope: the envelope (a raw stream's headers are not parsed); set its
 *   [property@Envelope:content-class] when the bytes are not all ASCII
 * @options: (nullable): how to send, or %NULL for the defaults
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the server has answered
 * @user_data: data for @callback
 *
 * Sends bytes the application already has, as they are: line ends are
 * normalised to CRLF on the way (except for binary content) but nothing
 * else is changed — a Bcc header in @stream would be transmitted.
 *
 * Since: 1.0
 */
void
missive_sender_send_stream_async (MissiveSender       *self,
                                  GInputStream        *stream,
                                  gint64               size,
                                  MissiveEnvelope     *envelope,
                                  MissiveSendOptions  *options,
                                  int                  io_priority,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SendData *data;

  g_return_if_fail (MISSIVE_IS_SENDER (self));
  g_return_if_fail (G_IS_INPUT_STREAM (stream));
  g_return_if_fail (size >= -1);
  g_return_if_fail (MISSIVE_IS_ENVELOPE (envelope));
  g_return_if_fail (options == NULL || MISSIVE_IS_SEND_OPTIONS (options));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_sender_send_stream_async);
  /* A cancellation that comes after the whole message went out must not
   * hide what the plugin knows (sent, or DELIVERY_UNCERTAIN). */
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_priority (task, io_priority);

  data = g_new0 (SendData, 1);
  data->stream = g_object_ref (stream);
  data->size = size;
  data->envelope = missive_envelope_copy (envelope);
  data->options = options != NULL ? g_object_ref (options) : missive_send_options_new ();
  data->io_priority = io_priority;
  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);

  if (!check_send (self, task))
    return;
  start_send (g_steal_pointer (&task));
}

/**
 * missive_sender_send_stream_finish:
 * @self: the sender
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Sender.send_stream_async].
 *
 * Returns: (transfer full): what the server did with each recipient, or
 *   %NULL with @error set
 *
 * Since: 1.0
 */
MissiveSendResult *
missive_sender_send_stream_finish (MissiveSender  *self,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  GMimeMessage *message;
  GInputStream *stream;
  gint64 size;
  MissiveEnvelope *envelope;
  MissiveSendOptions *options;
} SendArgs;

static void
start_send_message (gpointer             source,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             start_data)
{
  SendArgs *args = start_data;

  missive_sender_send_message_async (source, args->message, args->envelope, args->options,
                                     G_PRIORITY_DEFAULT, cancellable, callback, user_data);
}

/**
 * missive_sender_send_message:
 * @self: a connected sender
 * @message: the message
 * @envelope: (nullable): the envelope, or %NULL to derive it from
 *   @message's headers
 * @options: (nullable): how to send, or %NULL for the defaults
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking form of [method@Sender.send_message_async].
 *
 * Returns: (transfer full): what the server did with each recipient, or
 *   %NULL with @error set
 *
 * Since: 1.0
 */
MissiveSendResult *
missive_sender_send_message (MissiveSender       *self,
                             GMimeMessage        *message,
                             MissiveEnvelope     *envelope,
                             MissiveSendOptions  *options,
                             GCancellable        *cancellable,
                             GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SendArgs args = { message, NULL, -1, envelope, options };

  g_return_val_if_fail (MISSIVE_IS_SENDER (self), NULL);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  result = missive_run_sync (self, start_send_message, &args, cancellable);
  return missive_sender_send_message_finish (self, result, error);
}

static void
start_send_stream (gpointer             source,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data,
                   gpointer             start_data)
{
  SendArgs *args = start_data;

  missive_sender_send_stream_async (source, args->stream, args->size, args->envelope,
                                    args->options, G_PRIORITY_DEFAULT, cancellable,
                                    callback, user_data);
}

/**
 * missive_sender_send_stream:
 * @self: a connected sender
 * @stream: the message's bytes (RFC 5322)
 * @size: the number of bytes, or -1 when unknown
 * @envelope: the envelope
 * @options: (nullable): how to send, or %NULL for the defaults
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking form of [method@Sender.send_stream_async].
 *
 * Returns: (transfer full): what the server did with each recipient, or
 *   %NULL with @error set
 *
 * Since: 1.0
 */
MissiveSendResult *
missive_sender_send_stream (MissiveSender       *self,
                            GInputStream        *stream,
                            gint64               size,
                            MissiveEnvelope     *envelope,
                            MissiveSendOptions  *options,
                            GCancellable        *cancellable,
                            GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SendArgs args = { NULL, stream, size, envelope, options };

  g_return_val_if_fail (MISSIVE_IS_SENDER (self), NULL);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);
  g_return_val_if_fail (MISSIVE_IS_ENVELOPE (envelope), NULL);

  result = missive_run_sync (self, start_send_stream, &args, cancellable);
  return missive_sender_send_stream_finish (self, result, error);
}

/* ---- VRFY / EXPN ---------------------------------------------------------- */

static void
verify_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  MissiveSender *self = MISSIVE_SENDER (source);
  GError *error = NULL;
  char **addresses;

  addresses = MISSIVE_SENDER_GET_CLASS (self)->verify_finish (self, result, &error);
  if (addresses == NULL)
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_pointer (task, addresses, (GDestroyNotify) g_strfreev);
  g_object_unref (task);
}

/**
 * missive_sender_verify_async:
 * @self: a connected sender
 * @address: an address (VRFY) or a mailing list name (EXPN)
 * @expand: %TRUE to expand a mailing list, %FALSE to verify one address
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the server has answered
 * @user_data: data for @callback
 *
 * Asks the server about an address (SMTP VRFY) or the members of a list
 * (SMTP EXPN). `address-expanded` is emitted for each address of the
 * answer. Most servers refuse both, or answer 252 ("cannot verify, will
 * try"), which gives an empty list.
 *
 * Since: 1.0
 */
void
missive_sender_verify_async (MissiveSender       *self,
                             const char          *address,
                             gboolean             expand,
                             int                  io_priority,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  MissiveSenderClass *klass;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (MISSIVE_IS_SENDER (self));
  g_return_if_fail (address != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_SENDER_GET_CLASS (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_sender_verify_async);
  g_task_set_priority (task, io_priority);

  if (*address == '\0' || missive_string_has_line_break (address))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "The address cannot be empty or contain CR or LF");
      return;
    }
  if (!missive_service_check_ready (MISSIVE_SERVICE (self), FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (klass->verify_async == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "%s cannot verify addresses", G_OBJECT_TYPE_NAME (self));
      return;
    }

  missive_service_begin_operation (MISSIVE_SERVICE (self), io_priority);
  klass->verify_async (self, address, expand, io_priority, cancellable, verify_cb,
                       g_steal_pointer (&task));
}

/**
 * missive_sender_verify_finish:
 * @self: the sender
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Sender.verify_async].
 *
 * Returns: (transfer full) (array zero-terminated=1): the addresses of the
 *   answer (possibly none), or %NULL with @error set
 *
 * Since: 1.0
 */
char **
missive_sender_verify_finish (MissiveSender  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *address;
  gboolean expand;
} VerifyArgs;

static void
start_verify (gpointer             source,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             start_data)
{
  VerifyArgs *args = start_data;

  missive_sender_verify_async (source, args->address, args->expand, G_PRIORITY_DEFAULT,
                               cancellable, callback, user_data);
}

static char **
verify_sync (MissiveSender  *self,
             const char     *address,
             gboolean        expand,
             GCancellable   *cancellable,
             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  VerifyArgs args = { address, expand };

  result = missive_run_sync (self, start_verify, &args, cancellable);
  return missive_sender_verify_finish (self, result, error);
}

/**
 * missive_sender_verify_address:
 * @self: a connected sender
 * @address: the address to verify
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Blocking SMTP VRFY; see [method@Sender.verify_async].
 *
 * Returns: (transfer full) (array zero-terminated=1): the addresses of the
 *   answer, or %NULL with @error set
 *
 * Since: 1.0
 */
char **
missive_sender_verify_address (MissiveSender  *self,
                               const char     *address,
                               GCancellable   *cancellable,
                               GError        **error)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  return verify_sync (self, address, FALSE, cancellable, error);
}

/**
 * missive_sender_expand_list:
 * @self: a connected sender
 * @list: the mailing list to expand
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Blocking SMTP EXPN; see [method@Sender.verify_async].
 *
 * Returns: (transfer full) (array zero-terminated=1): the members, or
 *   %NULL with @error set
 *
 * Since: 1.0
 */
char **
missive_sender_expand_list (MissiveSender  *self,
                            const char     *list,
                            GCancellable   *cancellable,
                            GError        **error)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER (self), NULL);
  g_return_val_if_fail (list != NULL, NULL);

  return verify_sync (self, list, TRUE, cancellable, error);
}

/* ---- RSET ----------------------------------------------------------------- */

static void
reset_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *task = user_data;
  MissiveSender *self = MISSIVE_SENDER (source);
  GError *error = NULL;

  if (!MISSIVE_SENDER_GET_CLASS (self)->reset_finish (self, result, &error))
    {
      missive_service_fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * missive_sender_reset_async:
 * @self: a connected sender
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the server has answered
 * @user_data: data for @callback
 *
 * Aborts any transaction the server may have begun (SMTP RSET). Senders
 * do this themselves after a failed send; applications rarely need it.
 *
 * Since: 1.0
 */
void
missive_sender_reset_async (MissiveSender       *self,
                            int                  io_priority,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  MissiveSenderClass *klass;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (MISSIVE_IS_SENDER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_SENDER_GET_CLASS (self);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_sender_reset_async);
  g_task_set_priority (task, io_priority);

  if (!missive_service_check_ready (MISSIVE_SERVICE (self), FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (klass->reset_async == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "%s has no reset command", G_OBJECT_TYPE_NAME (self));
      return;
    }

  missive_service_begin_operation (MISSIVE_SERVICE (self), io_priority);
  klass->reset_async (self, io_priority, cancellable, reset_cb, g_steal_pointer (&task));
}

/**
 * missive_sender_reset_finish:
 * @self: the sender
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Finishes [method@Sender.reset_async].
 *
 * Returns: %TRUE when the server confirmed
 *
 * Since: 1.0
 */
gboolean
missive_sender_reset_finish (MissiveSender  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (MISSIVE_IS_SENDER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
start_reset (gpointer             source,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             start_data)
{
  missive_sender_reset_async (source, G_PRIORITY_DEFAULT, cancellable, callback, user_data);
}

/**
 * missive_sender_reset:
 * @self: a connected sender
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * The blocking form of [method@Sender.reset_async].
 *
 * Returns: %TRUE when the server confirmed
 *
 * Since: 1.0
 */
gboolean
missive_sender_reset (MissiveSender  *self,
                      GCancellable   *cancellable,
                      GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_SENDER (self), FALSE);

  result = missive_run_sync (self, start_reset, NULL, cancellable);
  return missive_sender_reset_finish (self, result, error);
}

/**
 * missive_sender_get_max_size:
 * @self: a sender
 *
 * The largest message the server said it accepts (SMTP SIZE), known once
 * the sender is open. [method@Sender.send_message] refuses a larger
 * message with %MISSIVE_ERROR_MESSAGE_TOO_LARGE before sending any of it.
 *
 * Returns: the limit in bytes, or 0 when the server gave none
 *
 * Since: 1.0
 */
guint64
missive_sender_get_max_size (MissiveSender *self)
{
  MissiveSenderClass *klass;

  g_return_val_if_fail (MISSIVE_IS_SENDER (self), 0);

  klass = MISSIVE_SENDER_GET_CLASS (self);
  return klass->get_max_size != NULL ? klass->get_max_size (self) : 0;
}
