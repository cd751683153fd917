/* missive-smtp-send.c: the mail transaction of MissiveSmtpSender
 *
 * MAIL FROM, one RCPT TO per envelope recipient, then the message with
 * DATA (normalised and dot-stuffed while it streams, see
 * missive-smtp-data.c) or with BDAT chunks (RFC 3030), and the final reply
 * (one per accepted recipient in LMTP).
 *
 * With PIPELINING (RFC 2920) MAIL, the RCPTs and DATA go out in one write
 * and their replies are read in order. DATA stays out of that write when a
 * refused recipient may have to stop the transaction (stop-on options):
 * a DATA the server accepted could then only be ended by sending the
 * message or an empty one.
 *
 * Where the connection is at each point, and what a failure means:
 *   before the end of the data: the message was not sent; a refusal leaves
 *     the connection in step (RSET ends the transaction), a lost or
 *     interrupted connection does not;
 *   after the last byte of the data (the "." line, BDAT LAST) and before
 *     the final reply: whether the server took the message is unknown,
 *     MISSIVE_ERROR_DELIVERY_UNCERTAIN, never success.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-smtp-private.h"

/* The message goes out in pieces of this size (DATA), or in BDAT chunks
 * of this size. */
#define DATA_PIECE (64 * 1024)
#define BDAT_CHUNK (256 * 1024)
/* Room for "BDAT <size> LAST" CRLF in front of a chunk. */
#define BDAT_HEADER_ROOM 48

typedef struct
{
  MissiveEnvelope *envelope;
  GInputStream *input;
  gint64 size;
  MissiveSendOptions *options;

  char *mail_line;
  GPtrArray *rcpt_lines;        /* char *, one per recipient */
  guint n_rcpt;
  GPtrArray *results;           /* MissiveRecipientResult *, NULL until known */
  GArray *accepted;             /* guint: indices of the accepted recipients */
  gboolean mail_refused;
  GError *error;                /* the failure to report (after RSET) */

  gboolean pipelined;           /* MAIL and the RCPTs went in one write */
  gboolean data_pipelined;      /* and DATA too */
  guint next_reply;             /* pipelined: 0 MAIL, 1..n RCPT, n+1 DATA */
  guint next_rcpt;              /* not pipelined: the next RCPT to send */
  gboolean chunking;            /* BDAT */
  gboolean binary;              /* BDAT with the bytes as they are */

  /* The data */
  MissiveSmtpData *converter;
  GInputStream *stream;
  guint8 *buffer;
  gsize buffer_size;
  gsize length;                 /* bytes in the buffer */
  gboolean last;                /* the buffer ends the data */
  gboolean final_sent;          /* the end of the data may have gone out */
  guint64 wire_bytes;
  guint8 *data;                 /* where the bytes are read: after room for
                                 * a BDAT header in front of them */
  guint lmtp_next;              /* LMTP: index into accepted of the next reply */
  MissiveSmtpReply *final_reply;
  guint lmtp_delivered;
} SendData;

static void
send_data_free (SendData *d)
{
  g_clear_object (&d->envelope);
  g_clear_object (&d->input);
  g_clear_object (&d->options);
  g_free (d->mail_line);
  g_clear_pointer (&d->rcpt_lines, g_ptr_array_unref);
  g_clear_pointer (&d->results, g_ptr_array_unref);
  g_clear_pointer (&d->accepted, g_array_unref);
  g_clear_error (&d->error);
  g_clear_object (&d->converter);
  g_clear_object (&d->stream);
  g_free (d->buffer);
  g_clear_pointer (&d->final_reply, missive_smtp_reply_free);
  g_free (d);
}

static void
unref_nullable (gpointer object)
{
  if (object != NULL)
    g_object_unref (object);
}

/* Sets the result of recipient @index (transfer full). */
static void
set_result (SendData               *d,
            guint                   index,
            MissiveRecipientResult *result)
{
  unref_nullable (d->results->pdata[index]);
  d->results->pdata[index] = result;
}

static MissiveSmtpSender *
task_sender (GTask *task)
{
  return MISSIVE_SMTP_SENDER (g_task_get_source_object (task));
}

/* ---- the command lines --------------------------------------------------------- */

static gboolean
needs_smtputf8 (MissiveEnvelope *envelope)
{
  return missive_envelope_needs_smtputf8 (envelope);
}

static char *
notify_value (MissiveDsnNotify notify)
{
  GString *s = g_string_new (NULL);

  if (notify & MISSIVE_DSN_NOTIFY_NEVER)
    return g_string_free (g_string_append (s, "NEVER"), FALSE);
  if (notify & MISSIVE_DSN_NOTIFY_SUCCESS)
    g_string_append (s, "SUCCESS");
  if (notify & MISSIVE_DSN_NOTIFY_FAILURE)
    g_string_append (s, s->len > 0 ? ",FAILURE" : "FAILURE");
  if (notify & MISSIVE_DSN_NOTIFY_DELAY)
    g_string_append (s, s->len > 0 ? ",DELAY" : "DELAY");
  return g_string_free (s, FALSE);
}

static gboolean
not_supported (GError     **error,
               const char  *what)
{
  g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
               "The SMTP server does not support %s", what);
  return FALSE;
}

/* Builds the MAIL and RCPT lines, checking that the server can do what
 * the message and the options need. Nothing is sent when this fails. */
static gboolean
prepare (MissiveSmtpSender  *self,
         SendData           *d,
         GError            **error)
{
  MissiveSendOptions *o = d->options;
  guint caps = self->caps.flags;
  const char *from = missive_envelope_get_from (d->envelope);
  MissiveContentClass content = missive_envelope_get_content_class (d->envelope);
  MissiveBodyType body = missive_send_options_get_body_type (o);
  MissiveDsnNotify notify = missive_send_options_get_dsn_notify (o);
  MissiveDsnReturn ret = missive_send_options_get_dsn_return (o);
  const char *envid = missive_send_options_get_envelope_id (o);
  gboolean orcpt = missive_send_options_get_original_recipients (o);
  gboolean by_return = TRUE;
  gint64 by = missive_send_options_get_deliver_by (o, &by_return);
  int priority = missive_send_options_get_priority (o);
  const char *body_param = NULL;
  g_autofree char *notify_param = NULL;
  gboolean per_recipient_notify = FALSE;
  GString *mail;
  static const char * const verbs[] = { "MAIL", "SEND", "SOML", "SAML" };
  MissiveSendMode mode = missive_send_options_get_mode (o);

  d->n_rcpt = missive_envelope_get_n_recipients (d->envelope);
  if (d->n_rcpt == 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The message has no recipients");
      return FALSE;
    }

  /* SIZE (RFC 1870): refuse what the server said it would refuse. */
  if ((caps & MISSIVE_SMTP_CAP_SIZE) && self->caps.max_size > 0 && d->size >= 0 &&
      (guint64) d->size > self->caps.max_size)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MESSAGE_TOO_LARGE,
                   "The message (%" G_GINT64_FORMAT " bytes) is larger than the SMTP "
                   "server accepts (%" G_GUINT64_FORMAT " bytes)",
                   d->size, self->caps.max_size);
      return FALSE;
    }

  /* BODY (RFC 6152, RFC 3030). */
  if (body == MISSIVE_BODY_AUTO)
    body = content == MISSIVE_CONTENT_BINARY ? MISSIVE_BODY_BINARYMIME
         : content == MISSIVE_CONTENT_8BIT ? MISSIVE_BODY_8BITMIME
         : MISSIVE_BODY_7BIT;
  switch (body)
    {
    case MISSIVE_BODY_BINARYMIME:
      if (!(caps & MISSIVE_SMTP_CAP_BINARYMIME) || !(caps & MISSIVE_SMTP_CAP_CHUNKING))
        return not_supported (error, "BINARYMIME with CHUNKING, needed for binary content");
      body_param = "BINARYMIME";
      d->chunking = TRUE;
      d->binary = TRUE;
      break;
    case MISSIVE_BODY_8BITMIME:
      if (caps & MISSIVE_SMTP_CAP_8BITMIME)
        body_param = "8BITMIME";
      else if (missive_send_options_get_body_type (o) == MISSIVE_BODY_8BITMIME)
        return not_supported (error, "8BITMIME");
      else
        {
          /* Decided from the content: the server gets the bytes anyway,
           * as most clients do; say so. */
          g_autoptr(GError) warning =
            g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                                 "The message has 8-bit content but the SMTP server does "
                                 "not advertise 8BITMIME; sending it unchanged");

          missive_service_emit_warning (MISSIVE_SERVICE (self), warning);
        }
      break;
    case MISSIVE_BODY_7BIT:
    case MISSIVE_BODY_AUTO:
    default:
      /* BODY=7BIT is defined by the 8BITMIME extension. */
      if (missive_send_options_get_body_type (o) == MISSIVE_BODY_7BIT &&
          (caps & MISSIVE_SMTP_CAP_8BITMIME))
        body_param = "7BIT";
      break;
    }
  if (self->use_chunking && (caps & MISSIVE_SMTP_CAP_CHUNKING))
    d->chunking = TRUE;

  /* SMTPUTF8 (RFC 6531). */
  if ((needs_smtputf8 (d->envelope) || missive_send_options_get_smtputf8 (o)) &&
      !(caps & MISSIVE_SMTP_CAP_SMTPUTF8))
    return not_supported (error, "SMTPUTF8, needed for non-ASCII addresses or headers");

  /* DSN (RFC 3461), for the message or for one recipient. */
  for (guint i = 0; i < d->n_rcpt && !per_recipient_notify; i++)
    per_recipient_notify = missive_envelope_get_recipient_notify (d->envelope, i) != MISSIVE_DSN_NOTIFY_DEFAULT;
  if ((notify != MISSIVE_DSN_NOTIFY_DEFAULT || ret != MISSIVE_DSN_RETURN_DEFAULT ||
       envid != NULL || orcpt || per_recipient_notify) && !(caps & MISSIVE_SMTP_CAP_DSN))
    return not_supported (error, "delivery status notifications (DSN)");

  /* REQUIRETLS (RFC 8689). */
  if (missive_send_options_get_require_tls (o))
    {
      MissiveTransport *transport = missive_service_get_transport (MISSIVE_SERVICE (self));

      if (!(caps & MISSIVE_SMTP_CAP_REQUIRETLS))
        return not_supported (error, "REQUIRETLS");
      if (transport == NULL || !missive_transport_is_tls (transport))
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "REQUIRETLS needs a connection protected by TLS");
          return FALSE;
        }
    }
  if (by != 0 && !(caps & MISSIVE_SMTP_CAP_DELIVERBY))
    return not_supported (error, "DELIVERBY");
  if (priority != 0 && !(caps & MISSIVE_SMTP_CAP_MT_PRIORITY))
    return not_supported (error, "MT-PRIORITY");

  mail = g_string_new (NULL);
  g_string_append_printf (mail, "%s FROM:<%s>", verbs[mode <= MISSIVE_SEND_MODE_SAML ? mode : 0],
                          from != NULL ? from : "");
  if ((caps & MISSIVE_SMTP_CAP_SIZE) && d->size >= 0)
    g_string_append_printf (mail, " SIZE=%" G_GINT64_FORMAT, d->size);
  if (body_param != NULL)
    g_string_append_printf (mail, " BODY=%s", body_param);
  if (needs_smtputf8 (d->envelope) || missive_send_options_get_smtputf8 (o))
    g_string_append (mail, " SMTPUTF8");
  if (ret == MISSIVE_DSN_RETURN_FULL)
    g_string_append (mail, " RET=FULL");
  else if (ret == MISSIVE_DSN_RETURN_HEADERS)
    g_string_append (mail, " RET=HDRS");
  if (envid != NULL)
    {
      g_autofree char *x = missive_smtp_xtext_encode (envid);

      g_string_append_printf (mail, " ENVID=%s", x);
    }
  if (missive_send_options_get_require_tls (o))
    g_string_append (mail, " REQUIRETLS");
  if (by != 0)
    g_string_append_printf (mail, " BY=%" G_GINT64_FORMAT ";%c", by, by_return ? 'R' : 'N');
  if (priority != 0)
    g_string_append_printf (mail, " MT-PRIORITY=%d", priority);
  d->mail_line = g_string_free (mail, FALSE);

  if (notify != MISSIVE_DSN_NOTIFY_DEFAULT)
    notify_param = notify_value (notify);
  d->rcpt_lines = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < d->n_rcpt; i++)
    {
      const char *address = missive_envelope_get_recipient (d->envelope, i, NULL);
      MissiveDsnNotify own = missive_envelope_get_recipient_notify (d->envelope, i);
      GString *rcpt = g_string_new (NULL);

      g_string_append_printf (rcpt, "RCPT TO:<%s>", address);
      if (own != MISSIVE_DSN_NOTIFY_DEFAULT)
        {
          g_autofree char *own_param = notify_value (own);

          g_string_append_printf (rcpt, " NOTIFY=%s", own_param);
        }
      else if (notify_param != NULL)
        g_string_append_printf (rcpt, " NOTIFY=%s", notify_param);
      if (orcpt)
        {
          g_autofree char *x = missive_smtp_xtext_encode (address);

          g_string_append_printf (rcpt, " ORCPT=rfc822;%s", x);
        }
      g_ptr_array_add (d->rcpt_lines, g_string_free (rcpt, FALSE));
    }
  return TRUE;
}

/* ---- finishing ---------------------------------------------------------------- */

/* Fails the send with @error (transfer full). */
static void
fail (GTask  *task,
      GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
rset_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  SendData *d = g_task_get_task_data (task);
  g_autoptr(MissiveSmtpReply) reply = NULL;

  /* The transaction is over whatever RSET says; a 421 or a lost connection
   * is remembered by the sender for the next command. */
  reply = missive_smtp_command_finish (MISSIVE_SMTP_SENDER (source), result, NULL);
  fail (task, g_steal_pointer (&d->error));
}

/* Ends the transaction with RSET when the connection is in step, then fails
 * with @error (transfer full). */
static void
rset_and_fail (GTask  *task,
               GError *error)
{
  MissiveSmtpSender *self = task_sender (task);
  SendData *d = g_task_get_task_data (task);

  if (!missive_smtp_error_keeps_step (self, error))
    {
      fail (task, error);
      return;
    }
  g_clear_error (&d->error);
  d->error = error;
  /* Not cancellable: the RSET keeps the connection in step. */
  missive_smtp_command_async (self, "RSET", FALSE, FALSE, NULL, rset_cb, task);
}

/* The bytes of the message transmitted, without the dots of dot-stuffing
 * and the final "." line: what SIZE= declares. */
static guint64
message_bytes (SendData *d)
{
  if (d->converter == NULL)
    return d->wire_bytes;
  if (missive_smtp_data_is_finished (d->converter))
    return missive_smtp_data_get_message_bytes (d->converter);
  return missive_smtp_data_get_bytes_in (d->converter);
}

static void
succeed (GTask *task)
{
  SendData *d = g_task_get_task_data (task);
  g_autoptr(MissiveSendResult) result = missive_send_result_new ();
  g_autoptr(MissiveReply) reply = missive_smtp_reply_to_public (d->final_reply);

  for (guint i = 0; i < d->n_rcpt; i++)
    if (d->results->pdata[i] != NULL)
      missive_send_result_add_recipient (result, d->results->pdata[i]);
  missive_send_result_set_reply (result, reply);
  missive_send_result_set_size (result, message_bytes (d));
  g_task_return_pointer (task, g_steal_pointer (&result), g_object_unref);
  g_object_unref (task);
}

/* An error after the end of the data went out: the outcome is unknown. */
static GError *
uncertain (GError *cause)
{
  GError *error = g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_DELIVERY_UNCERTAIN,
                               "The message was sent but the SMTP server's reply did not "
                               "come (%s): it may or may not have been accepted",
                               cause->message);

  g_error_free (cause);
  return error;
}

/* ---- replies to MAIL and RCPT ------------------------------------------------ */

static MissiveRecipientResult *
recipient_result (const char             *address,
                  const MissiveSmtpReply *reply)
{
  g_autofree char *text = missive_smtp_reply_join_text (reply, " ");

  return missive_recipient_result_new (address, reply->code, reply->enhanced, text);
}

static void
take_mail_reply (GTask            *task,
                 MissiveSmtpReply *reply)
{
  SendData *d = g_task_get_task_data (task);
  const char *verb = d->mail_line;

  if (reply->code / 100 == 2)
    return;
  d->mail_refused = TRUE;
  if (d->error == NULL)
    {
      g_autofree char *what = g_strndup (verb, 4);

      d->error = missive_smtp_reply_to_error (reply, MISSIVE_ERROR_SERVER_PERMANENT, what);
    }
}

static MissiveStopOn
stop_flag (MissiveRecipientKind kind)
{
  switch (kind)
    {
    case MISSIVE_RECIPIENT_TO:
      return MISSIVE_STOP_ON_TO;
    case MISSIVE_RECIPIENT_CC:
      return MISSIVE_STOP_ON_CC;
    case MISSIVE_RECIPIENT_BCC:
      return MISSIVE_STOP_ON_BCC;
    case MISSIVE_RECIPIENT_ENVELOPE:
    default:
      return MISSIVE_STOP_ON_ENVELOPE;
    }
}

static void
take_rcpt_reply (GTask            *task,
                 guint             index,
                 MissiveSmtpReply *reply)
{
  MissiveSmtpSender *self = task_sender (task);
  SendData *d = g_task_get_task_data (task);
  MissiveRecipientKind kind = MISSIVE_RECIPIENT_ENVELOPE;
  const char *address = missive_envelope_get_recipient (d->envelope, index, &kind);
  MissiveRecipientResult *result;

  /* After a refused MAIL the RCPT replies say nothing about recipients. */
  if (d->mail_refused)
    return;

  result = recipient_result (address, reply);
  set_result (d, index, result);
  if (reply->code / 100 == 2)
    {
      g_array_append_val (d->accepted, index);
      return;
    }
  g_signal_emit_by_name (self, "recipient-rejected", result);
  if ((missive_send_options_get_stop_on (d->options) & stop_flag (kind)) && d->error == NULL)
    {
      g_autofree char *text = missive_smtp_reply_join_text (reply, " ");

      d->error = g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_RECIPIENTS_REJECTED,
                              "The SMTP server refused recipient <%s> (%03u %s%s%s); "
                              "nothing was sent", address, reply->code,
                              reply->enhanced != NULL ? reply->enhanced : "",
                              reply->enhanced != NULL ? " " : "", text);
      missive_error_set_server_reply (d->error, reply->code, reply->enhanced, NULL, text);
    }
}

/* The error when no recipient was accepted. */
static GError *
all_refused (SendData *d)
{
  MissiveRecipientResult *first = NULL;
  GError *error;

  for (guint i = 0; i < d->n_rcpt && first == NULL; i++)
    first = d->results->pdata[i];
  if (first == NULL)
    return g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_RECIPIENTS_REJECTED,
                                "The SMTP server refused every recipient; nothing was sent");
  {
    const char *enhanced = missive_recipient_result_get_enhanced_status (first);

    error = g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_RECIPIENTS_REJECTED,
                         "The SMTP server refused every recipient (<%s>: %03u %s%s%s); "
                         "nothing was sent",
                         missive_recipient_result_get_address (first),
                         missive_recipient_result_get_code (first),
                         enhanced != NULL ? enhanced : "", enhanced != NULL ? " " : "",
                         missive_recipient_result_get_text (first));
  }
  missive_error_set_server_reply (error, missive_recipient_result_get_code (first),
                                  missive_recipient_result_get_enhanced_status (first), NULL,
                                  missive_recipient_result_get_text (first));
  return error;
}

/* The error that stops the transaction after MAIL and the RCPTs, or NULL. */
static GError *
transaction_error (SendData *d)
{
  if (d->error != NULL)
    return g_steal_pointer (&d->error);
  if (d->accepted->len == 0)
    return all_refused (d);
  return NULL;
}

/* ---- the data --------------------------------------------------------------------- */

static void start_data (GTask *task);
static void read_piece (GTask *task);
static void read_final_reply (GTask *task);
static void bdat_reply_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data);

static void
final_reply_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (source);
  SendData *d = g_task_get_task_data (task);
  MissiveSmtpReply *reply;
  GError *error = NULL;

  reply = missive_smtp_read_reply_finish (self, result, &error);
  if (reply == NULL)
    {
      /* A 421 is an answer: the message was refused. Anything else leaves
       * the outcome unknown. */
      if (missive_error_get_server_code (error) == 421)
        fail (task, error);
      else
        fail (task, uncertain (error));
      return;
    }

  if (!missive_smtp_sender_is_lmtp (self))
    {
      g_autoptr(MissiveSmtpReply) owned = reply;

      if (reply->code / 100 != 2)
        {
          /* The server refused the message and ended the transaction. */
          fail (task, missive_smtp_reply_to_error (reply, MISSIVE_ERROR_SERVER_PERMANENT,
                                                   "Sending the message"));
          return;
        }
      d->final_reply = g_steal_pointer (&owned);
      succeed (task);
      return;
    }

  /* LMTP (RFC 2033 section 4.2): one reply per accepted recipient. */
  {
    guint index = g_array_index (d->accepted, guint, d->lmtp_next);
    const char *address = missive_envelope_get_recipient (d->envelope, index, NULL);
    MissiveRecipientResult *rr = recipient_result (address, reply);

    set_result (d, index, rr);
    if (reply->code / 100 == 2)
      d->lmtp_delivered++;
    else
      g_signal_emit_by_name (self, "recipient-rejected", rr);
    g_clear_pointer (&d->final_reply, missive_smtp_reply_free);
    d->final_reply = reply;
    d->lmtp_next++;
  }
  if (d->lmtp_next < d->accepted->len)
    {
      read_final_reply (task);
      return;
    }
  if (d->lmtp_delivered == 0)
    {
      /* Every delivery failed: nothing to redo a transaction for. */
      fail (task, all_refused (d));
      return;
    }
  succeed (task);
}

static void
read_final_reply (GTask *task)
{
  missive_smtp_read_reply_async (task_sender (task), FALSE, g_task_get_cancellable (task),
                                 final_reply_cb, task);
}

static void
piece_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  MissiveSmtpSender *self = task_sender (task);
  SendData *d = g_task_get_task_data (task);
  GError *error = NULL;
  gboolean ok;

  ok = g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);
  if (!ok)
    {
      GError *mapped = missive_error_from_io_error (error);

      g_error_free (error);
      self->out_of_step = TRUE;
      missive_service_emit_transfer_finished (MISSIVE_SERVICE (self), message_bytes (d));
      if (d->final_sent)
        fail (task, uncertain (mapped));
      else
        {
          if (!g_error_matches (mapped, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_prefix_error (&mapped, "The message was not sent: ");
          fail (task, mapped);
        }
      return;
    }
  d->wire_bytes += d->length;
  missive_service_emit_transfer_progress (MISSIVE_SERVICE (self),
                                          d->converter != NULL
                                            ? missive_smtp_data_get_bytes_in (d->converter)
                                            : d->wire_bytes,
                                          d->size > 0 ? (guint64) d->size : 0);
  if (d->last)
    {
      missive_service_emit_transfer_finished (MISSIVE_SERVICE (self), message_bytes (d));
      read_final_reply (task);
      return;
    }
  if (d->chunking)
    {
      /* Each BDAT chunk has its reply. */
      missive_smtp_read_reply_async (self, FALSE, g_task_get_cancellable (task),
                                     bdat_reply_cb, task);
      return;
    }
  read_piece (task);
}

static void
write_piece (GTask *task)
{
  MissiveSmtpSender *self = task_sender (task);
  SendData *d = g_task_get_task_data (task);
  GOutputStream *output = missive_service_get_output_stream (MISSIVE_SERVICE (self));
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (output == NULL)
    {
      fail (task, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                       "The connection is closed"));
      return;
    }
  if (d->chunking)
    {
      char header[BDAT_HEADER_ROOM];
      int n = g_snprintf (header, sizeof header, "BDAT %" G_GSIZE_FORMAT "%s", d->length,
                          d->last ? " LAST" : "");

      g_assert (n > 0 && (gsize) n + 2 < sizeof header);
      missive_service_trace (MISSIVE_SERVICE (self), MISSIVE_TRACE_SENT, header, n, FALSE);
      /* The command goes in front of the chunk, in the room kept for it:
       * one write (GLib 2.74's writev on a TLS stream corrupts records). */
      memcpy (header + n, "\r\n", 2);
      n += 2;
      memcpy (d->data - n, header, n);
      d->final_sent = d->last;
      g_output_stream_write_all_async (output, d->data - n, n + d->length,
                                       g_task_get_priority (task), cancellable,
                                       piece_written_cb, task);
      return;
    }
  if (d->length == 0)
    {
      /* Nothing after a full last piece: the end already went out. */
      missive_service_emit_transfer_finished (MISSIVE_SERVICE (self), message_bytes (d));
      read_final_reply (task);
      return;
    }
  /* The piece carries the "." line when the converter has finished and
   * everything it gave out is in the piece. */
  d->final_sent = d->last ||
                  (missive_smtp_data_is_finished (d->converter) &&
                   missive_smtp_data_get_bytes_out (d->converter) == d->wire_bytes + d->length);
  g_output_stream_write_all_async (output, d->data, d->length, g_task_get_priority (task), cancellable,
                                   piece_written_cb, task);
}

static void
piece_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  MissiveSmtpSender *self = task_sender (task);
  SendData *d = g_task_get_task_data (task);
  GError *error = NULL;
  gsize n = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &n, &error))
    {
      /* The message could not be read: the server is in the middle of the
       * data and the only way to abort it is to drop the connection. */
      self->out_of_step = TRUE;
      missive_service_emit_transfer_finished (MISSIVE_SERVICE (self), message_bytes (d));
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, "Could not read the message; it was not sent: ");
      fail (task, error);
      return;
    }
  d->length = n;
  d->last = n < d->buffer_size;
  write_piece (task);
}

static void
read_piece (GTask *task)
{
  SendData *d = g_task_get_task_data (task);

  g_input_stream_read_all_async (d->stream, d->data, d->buffer_size, g_task_get_priority (task),
                                 g_task_get_cancellable (task), piece_read_cb, task);
}

/* The reply to a BDAT chunk that is not the last. */
static void
bdat_reply_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(MissiveSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = missive_smtp_read_reply_finish (MISSIVE_SMTP_SENDER (source), result, &error);
  if (reply == NULL)
    {
      fail (task, error);
      return;
    }
  if (reply->code / 100 != 2)
    {
      /* RFC 3030 section 4.2: the server dropped the message; RSET ends
       * the transaction. */
      rset_and_fail (task, missive_smtp_reply_to_error (reply, MISSIVE_ERROR_SERVER_PERMANENT,
                                                        "BDAT"));
      return;
    }
  read_piece (task);
}

/* Starts sending the message: DATA was accepted (354), or BDAT. */
static void
stream_message (GTask *task)
{
  MissiveSmtpSender *self = task_sender (task);
  SendData *d = g_task_get_task_data (task);
  MissiveSmtpDataFlags flags = d->chunking ? MISSIVE_SMTP_DATA_NORMALIZE : MISSIVE_SMTP_DATA_FOR_DATA;

  if (d->binary)
    d->stream = g_object_ref (d->input);
  else
    {
      d->converter = missive_smtp_data_new (flags);
      d->stream = g_converter_input_stream_new (d->input, G_CONVERTER (d->converter));
    }
  d->buffer_size = d->chunking ? BDAT_CHUNK : DATA_PIECE;
  d->buffer = g_malloc (BDAT_HEADER_ROOM + d->buffer_size);
  d->data = d->buffer + BDAT_HEADER_ROOM;
  missive_service_emit_transfer_started (MISSIVE_SERVICE (self), d->chunking ? "BDAT" : "DATA",
                                         d->size > 0 ? (guint64) d->size : 0);
  read_piece (task);
}

static void
data_command_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(MissiveSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = missive_smtp_command_finish (MISSIVE_SMTP_SENDER (source), result, &error);
  if (reply == NULL)
    {
      if (missive_smtp_error_keeps_step (task_sender (task), error))
        rset_and_fail (task, error);
      else
        fail (task, error);
      return;
    }
  if (reply->code != 354)
    {
      rset_and_fail (task, missive_smtp_reply_to_error (reply, MISSIVE_ERROR_SERVER_PERMANENT,
                                                        "DATA"));
      return;
    }
  stream_message (task);
}

/* MAIL and every RCPT answered (DATA not yet sent): go on or stop. */
static void
start_data (GTask *task)
{
  SendData *d = g_task_get_task_data (task);
  GError *error = transaction_error (d);

  if (error != NULL)
    {
      rset_and_fail (task, error);
      return;
    }
  if (d->chunking)
    {
      stream_message (task);
      return;
    }
  missive_smtp_command_async (task_sender (task), "DATA", FALSE, FALSE,
                              g_task_get_cancellable (task), data_command_cb, task);
}

/* A pipelined DATA was accepted although no recipient was: end it with an
 * empty message (delivered to nobody), as RFC 2920 section 3.1 advises. */
static void
empty_data_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  SendData *d = g_task_get_task_data (task);
  g_autoptr(MissiveSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = missive_smtp_command_finish (MISSIVE_SMTP_SENDER (source), result, &error);
  if (reply == NULL)
    {
      g_clear_error (&d->error);
      fail (task, error);
      return;
    }
  rset_and_fail (task, g_steal_pointer (&d->error));
}

static void
take_data_reply (GTask            *task,
                 MissiveSmtpReply *reply)
{
  SendData *d = g_task_get_task_data (task);
  GError *error = transaction_error (d);

  if (reply->code == 354)
    {
      if (error == NULL)
        {
          stream_message (task);
          return;
        }
      d->error = error;
      missive_smtp_command_async (task_sender (task), ".", FALSE, FALSE, NULL,
                                  empty_data_cb, task);
      return;
    }
  if (error == NULL)
    error = missive_smtp_reply_to_error (reply, MISSIVE_ERROR_SERVER_PERMANENT, "DATA");
  rset_and_fail (task, error);
}

/* ---- MAIL and RCPT, pipelined ---------------------------------------------------- */

static void read_pipelined (GTask *task);

static void
pipelined_reply_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  SendData *d = g_task_get_task_data (task);
  g_autoptr(MissiveSmtpReply) reply = NULL;
  GError *error = NULL;
  guint index;

  reply = missive_smtp_read_reply_finish (MISSIVE_SMTP_SENDER (source), result, &error);
  if (reply == NULL)
    {
      /* The replies to the rest of the batch are still to come. */
      task_sender (task)->out_of_step = TRUE;
      fail (task, error);
      return;
    }
  index = d->next_reply++;
  if (index == 0)
    take_mail_reply (task, reply);
  else if (index <= d->n_rcpt)
    take_rcpt_reply (task, index - 1, reply);
  else
    {
      take_data_reply (task, reply);
      return;
    }

  if (d->next_reply <= d->n_rcpt || (d->data_pipelined && d->next_reply == d->n_rcpt + 1))
    {
      read_pipelined (task);
      return;
    }
  start_data (task);
}

static void
read_pipelined (GTask *task)
{
  missive_smtp_read_reply_async (task_sender (task), FALSE, g_task_get_cancellable (task),
                                 pipelined_reply_cb, task);
}

static void
batch_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!missive_smtp_write_lines_finish (MISSIVE_SMTP_SENDER (source), result, &error))
    {
      fail (task, error);
      return;
    }
  read_pipelined (task);
}

/* ---- MAIL and RCPT, one at a time ---------------------------------------------- */

static void send_next_rcpt (GTask *task);

static void
rcpt_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  SendData *d = g_task_get_task_data (task);
  g_autoptr(MissiveSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = missive_smtp_command_finish (MISSIVE_SMTP_SENDER (source), result, &error);
  if (reply == NULL)
    {
      if (missive_smtp_error_keeps_step (task_sender (task), error))
        rset_and_fail (task, error);
      else
        fail (task, error);
      return;
    }
  take_rcpt_reply (task, d->next_rcpt++, reply);
  if (d->error != NULL)
    {
      /* A stop-on recipient was refused: no need to ask about the rest. */
      start_data (task);
      return;
    }
  send_next_rcpt (task);
}

static void
send_next_rcpt (GTask *task)
{
  SendData *d = g_task_get_task_data (task);

  if (d->next_rcpt >= d->n_rcpt)
    {
      start_data (task);
      return;
    }
  missive_smtp_command_async (task_sender (task), d->rcpt_lines->pdata[d->next_rcpt], FALSE,
                              FALSE, g_task_get_cancellable (task), rcpt_cb, task);
}

static void
mail_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  SendData *d = g_task_get_task_data (task);
  g_autoptr(MissiveSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = missive_smtp_command_finish (MISSIVE_SMTP_SENDER (source), result, &error);
  if (reply == NULL)
    {
      /* A reply that was read but not understood may have opened the
       * transaction. */
      if (missive_smtp_error_keeps_step (task_sender (task), error))
        rset_and_fail (task, error);
      else
        fail (task, error);
      return;
    }
  take_mail_reply (task, reply);
  if (d->mail_refused)
    {
      /* No transaction was started. */
      fail (task, g_steal_pointer (&d->error));
      return;
    }
  send_next_rcpt (task);
}

/* ---- the vfuncs ---------------------------------------------------------------- */

static void
missive_smtp_sender_send_async (MissiveSender        *sender,
                                MissiveEnvelope      *envelope,
                                GInputStream         *data,
                                gint64                size,
                                MissiveSendOptions   *options,
                                int                   io_priority,
                                GCancellable         *cancellable,
                                GAsyncReadyCallback   callback,
                                gpointer              user_data)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (sender);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SendData *d = g_new0 (SendData, 1);
  GError *error = NULL;

  g_task_set_source_tag (task, missive_smtp_sender_send_async);
  g_task_set_priority (task, io_priority);
  /* A cancellation that comes too late to stop the send must not hide its
   * outcome (success, or DELIVERY_UNCERTAIN). */
  g_task_set_check_cancellable (task, FALSE);
  d->envelope = g_object_ref (envelope);
  d->input = g_object_ref (data);
  d->size = size;
  d->options = options != NULL ? g_object_ref (options) : missive_send_options_new ();
  d->results = g_ptr_array_new_with_free_func (unref_nullable);
  d->accepted = g_array_new (FALSE, FALSE, sizeof (guint));
  g_task_set_task_data (task, d, (GDestroyNotify) send_data_free);

  if (!missive_smtp_check_usable (self, &error) || !prepare (self, d, &error))
    {
      fail (task, error);
      return;
    }
  g_ptr_array_set_size (d->results, d->n_rcpt);

  if (self->use_pipelining && (self->caps.flags & MISSIVE_SMTP_CAP_PIPELINING))
    {
      g_autoptr(GPtrArray) lines = g_ptr_array_new ();

      d->pipelined = TRUE;
      d->data_pipelined = !d->chunking &&
                          missive_send_options_get_stop_on (d->options) == MISSIVE_STOP_ON_NONE;
      g_ptr_array_add (lines, d->mail_line);
      for (guint i = 0; i < d->n_rcpt; i++)
        g_ptr_array_add (lines, d->rcpt_lines->pdata[i]);
      if (d->data_pipelined)
        g_ptr_array_add (lines, (gpointer) "DATA");
      g_ptr_array_add (lines, NULL);
      missive_smtp_write_lines_async (self, (const char * const *) lines->pdata, cancellable,
                                      batch_written_cb, task);
      return;
    }

  missive_smtp_command_async (self, d->mail_line, FALSE, FALSE, cancellable, mail_cb, task);
}

static MissiveSendResult *
missive_smtp_sender_send_finish (MissiveSender  *sender,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, sender), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
missive_smtp_sender_class_init_send (MissiveSenderClass *klass)
{
  klass->send_async = missive_smtp_sender_send_async;
  klass->send_finish = missive_smtp_sender_send_finish;
}
