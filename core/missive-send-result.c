/* missive-send-result.c: what the server did with one message
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveSendResult:
 *
 * The outcome of one successful send: a [class@RecipientResult] for each
 * envelope recipient, in envelope order (the refused ones included), the
 * server's final reply to the message data (in SMTP typically "250 2.0.0
 * Ok: queued as …", which names the server's queue id) and the number of
 * bytes transmitted.
 *
 * A send in which the server accepted no recipient, or refused one the
 * [class@SendOptions] said it must not refuse, fails instead with
 * %MISSIVE_ERROR_RECIPIENTS_REJECTED; the `recipient-rejected` signal of
 * [class@Sender] still reports every refusal.
 *
 * Since: 1.0
 */
struct _MissiveSendResult
{
  GObject parent_instance;

  GListStore *recipients;
  MissiveReply *reply;
  guint64 size;
};

enum {
  PROP_0,
  PROP_RECIPIENTS,
  PROP_N_ACCEPTED,
  PROP_REPLY,
  PROP_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveSendResult, missive_send_result, G_TYPE_OBJECT)

static void
missive_send_result_finalize (GObject *object)
{
  MissiveSendResult *self = MISSIVE_SEND_RESULT (object);

  g_clear_object (&self->recipients);
  g_clear_pointer (&self->reply, missive_reply_unref);

  G_OBJECT_CLASS (missive_send_result_parent_class)->finalize (object);
}

static void
missive_send_result_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MissiveSendResult *self = MISSIVE_SEND_RESULT (object);

  switch (prop_id)
    {
    case PROP_RECIPIENTS:
      g_value_set_object (value, self->recipients);
      break;
    case PROP_N_ACCEPTED:
      g_value_set_uint (value, missive_send_result_get_n_accepted (self));
      break;
    case PROP_REPLY:
      g_value_set_boxed (value, self->reply);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_send_result_class_init (MissiveSendResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_send_result_finalize;
  object_class->get_property = missive_send_result_get_property;

  /**
   * MissiveSendResult:recipients:
   *
   * A #GListModel of [class@RecipientResult], one per envelope recipient.
   *
   * Since: 1.0
   */
  properties[PROP_RECIPIENTS] =
    g_param_spec_object ("recipients", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSendResult:n-accepted:
   *
   * How many recipients the server accepted.
   *
   * Since: 1.0
   */
  properties[PROP_N_ACCEPTED] =
    g_param_spec_uint ("n-accepted", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSendResult:reply:
   *
   * The server's reply to the end of the message data, or %NULL (LMTP has
   * one reply per recipient instead, in the recipient results).
   *
   * Since: 1.0
   */
  properties[PROP_REPLY] =
    g_param_spec_boxed ("reply", NULL, NULL,
                        MISSIVE_TYPE_REPLY,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveSendResult:size:
   *
   * The bytes of message data transmitted (after line-end normalisation,
   * before dot-stuffing).
   *
   * Since: 1.0
   */
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_send_result_init (MissiveSendResult *self)
{
  self->recipients = g_list_store_new (MISSIVE_TYPE_RECIPIENT_RESULT);
}

/**
 * missive_send_result_new:
 *
 * Creates an empty result; protocol plugins fill it in.
 *
 * Returns: (transfer full): a new result
 *
 * Since: 1.0
 */
MissiveSendResult *
missive_send_result_new (void)
{
  return g_object_new (MISSIVE_TYPE_SEND_RESULT, NULL);
}

/**
 * missive_send_result_add_recipient:
 * @self: the result
 * @recipient: the server's answer about the next envelope recipient
 *
 * Appends @recipient to [property@SendResult:recipients].
 *
 * Since: 1.0
 */
void
missive_send_result_add_recipient (MissiveSendResult      *self,
                                   MissiveRecipientResult *recipient)
{
  g_return_if_fail (MISSIVE_IS_SEND_RESULT (self));
  g_return_if_fail (MISSIVE_IS_RECIPIENT_RESULT (recipient));

  g_list_store_append (self->recipients, recipient);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACCEPTED]);
}

/**
 * missive_send_result_get_recipients:
 * @self: the result
 *
 * Gets the result for each recipient, in envelope order.
 *
 * Returns: (transfer none): a #GListModel of [class@RecipientResult]
 *
 * Since: 1.0
 */
GListModel *
missive_send_result_get_recipients (MissiveSendResult *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_RESULT (self), NULL);
  return G_LIST_MODEL (self->recipients);
}

/**
 * missive_send_result_get_n_accepted:
 * @self: the result
 *
 * Gets the number of recipients the server accepted.
 *
 * Returns: how many recipients the server accepted
 *
 * Since: 1.0
 */
guint
missive_send_result_get_n_accepted (MissiveSendResult *self)
{
  guint n, accepted = 0;

  g_return_val_if_fail (MISSIVE_IS_SEND_RESULT (self), 0);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->recipients));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MissiveRecipientResult) r = g_list_model_get_item (G_LIST_MODEL (self->recipients), i);

      if (missive_recipient_result_get_accepted (r))
        accepted++;
    }
  return accepted;
}

/**
 * missive_send_result_get_reply:
 * @self: the result
 *
 * Gets the server's final reply to the message data.
 *
 * Returns: (transfer none) (nullable): the final reply to the message data
 *
 * Since: 1.0
 */
MissiveReply *
missive_send_result_get_reply (MissiveSendResult *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_RESULT (self), NULL);
  return self->reply;
}

/**
 * missive_send_result_set_reply:
 * @self: the result
 * @reply: (nullable): the final reply to the message data
 *
 * Sets [property@SendResult:reply].
 *
 * Since: 1.0
 */
void
missive_send_result_set_reply (MissiveSendResult *self,
                               MissiveReply      *reply)
{
  g_return_if_fail (MISSIVE_IS_SEND_RESULT (self));

  if (reply == self->reply)
    return;
  g_clear_pointer (&self->reply, missive_reply_unref);
  if (reply != NULL)
    self->reply = missive_reply_ref (reply);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLY]);
}

/**
 * missive_send_result_get_size:
 * @self: the result
 *
 * Gets the number of message bytes transmitted.
 *
 * Returns: the bytes of message data transmitted
 *
 * Since: 1.0
 */
guint64
missive_send_result_get_size (MissiveSendResult *self)
{
  g_return_val_if_fail (MISSIVE_IS_SEND_RESULT (self), 0);
  return self->size;
}

/**
 * missive_send_result_set_size:
 * @self: the result
 * @size: the bytes of message data transmitted
 *
 * Sets [property@SendResult:size].
 *
 * Since: 1.0
 */
void
missive_send_result_set_size (MissiveSendResult *self,
                              guint64            size)
{
  g_return_if_fail (MISSIVE_IS_SEND_RESULT (self));

  if (self->size == size)
    return;
  self->size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}
