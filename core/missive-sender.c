/* missive-sender.c: mail submission (SMTP, LMTP)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-service-private.h"

/**
 * MissiveSender:
 *
 * A [class@Service] that submits mail: the SMTP plugin implements it, for
 * submission, relay and LMTP delivery.
 *
 * A sender works once [method@Service.open] has succeeded: authenticated
 * when credentials were given, or merely connected for servers that take
 * mail without logging in (a local relay, LMTP). Otherwise it fails with
 * %MISSIVE_ERROR_INVALID_STATE. Addresses containing CR or LF are refused
 * with %MISSIVE_ERROR_INVALID_ARGUMENT before anything is sent.
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

static void
send_message_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  MissiveSender *self = MISSIVE_SENDER (source);
  GListModel *results;
  GError *error = NULL;

  results = MISSIVE_SENDER_GET_CLASS (self)->send_message_finish (self, result, &error);
  if (results == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                                     "The protocol plugin failed without saying why");
      missive_service_return_error (MISSIVE_SERVICE (self), task, error);
      return;
    }
  g_task_return_pointer (task, results, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_sender_send_message_async: (virtual send_message_async)
 * @self: a sender
 * @message: the message
 * @from: (nullable): the envelope sender (SMTP MAIL FROM), or %NULL to
 *   take it from the message's Sender or From header
 * @recipients: (nullable) (array zero-terminated=1): the envelope
 *   recipients, or %NULL to take them from the To, Cc and Bcc headers
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the message is submitted
 * @user_data: data for @callback
 *
 * Submits @message. Bcc headers are never transmitted. Refused recipients
 * are reported by [signal@Sender::recipient-rejected] and in the result;
 * the operation fails only when no recipient was accepted or the message
 * itself was refused.
 *
 * Since: 1.0
 */
void
missive_sender_send_message_async (MissiveSender       *self,
                                   GMimeMessage        *message,
                                   const char          *from,
                                   const char * const  *recipients,
                                   int                  io_priority,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MissiveSenderClass *klass;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  g_return_if_fail (MISSIVE_IS_SENDER (self));
  g_return_if_fail (GMIME_IS_MESSAGE (message));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_SENDER_GET_CLASS (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_sender_send_message_async);
  g_task_set_priority (task, io_priority);

  if (missive_string_has_line_break (from))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "The sender address cannot contain CR or LF");
      return;
    }
  for (gsize i = 0; recipients != NULL && recipients[i] != NULL; i++)
    {
      if (recipients[i][0] == '\0' || missive_string_has_line_break (recipients[i]))
        {
          g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                                   "A recipient address cannot be empty or contain CR or LF");
          return;
        }
    }
  if (!missive_service_check_ready (MISSIVE_SERVICE (self), FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (klass->send_message_async == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "%s cannot send messages", G_OBJECT_TYPE_NAME (self));
      return;
    }

  missive_service_begin_operation (MISSIVE_SERVICE (self), io_priority);
  klass->send_message_async (self, message, from, recipients, io_priority, cancellable,
                             send_message_cb, g_steal_pointer (&task));
}

/**
 * missive_sender_send_message_finish:
 * @self: a sender
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Sender.send_message_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   [class@RecipientResult], one per recipient, or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_sender_send_message_finish (MissiveSender  *self,
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
  const char *from;
  const char * const *recipients;
} SendArgs;

static void
start_send_message (gpointer             source,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data,
                    gpointer             start_data)
{
  SendArgs *args = start_data;

  missive_sender_send_message_async (source, args->message, args->from, args->recipients,
                                     G_PRIORITY_DEFAULT, cancellable, callback, user_data);
}

/**
 * missive_sender_send_message:
 * @self: a sender
 * @message: the message
 * @from: (nullable): the envelope sender, or %NULL to take it from the
 *   headers
 * @recipients: (nullable) (array zero-terminated=1): the envelope
 *   recipients, or %NULL to take them from the headers
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Submits a message, blocking. See [method@Sender.send_message_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   [class@RecipientResult], or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_sender_send_message (MissiveSender       *self,
                             GMimeMessage        *message,
                             const char          *from,
                             const char * const  *recipients,
                             GCancellable        *cancellable,
                             GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SendArgs args = { message, from, recipients };

  g_return_val_if_fail (MISSIVE_IS_SENDER (self), NULL);
  g_return_val_if_fail (GMIME_IS_MESSAGE (message), NULL);

  result = missive_run_sync (self, start_send_message, &args, cancellable);
  return missive_sender_send_message_finish (self, result, error);
}
