/* missive-outbox-item.c: one message in an outbox
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-outbox-private.h"

/**
 * MissiveOutboxItem:
 *
 * What a [class@Outbox] knows about one of its messages: its id, where it
 * is ([enum@OutboxState]), its envelope, and how delivery went so far.
 *
 * An item is a snapshot taken by [method@Outbox.list] or
 * [method@Outbox.lookup]: it does not change when the outbox does.
 *
 * Since: 1.0
 */
struct _MissiveOutboxItem
{
  GObject parent_instance;

  char *id;
  MissiveOutboxState state;
  MissiveEnvelope *envelope;
  guint64 size;
  guint attempts;
  gint64 queued;
  gint64 next;
  GDateTime *queued_time;
  GDateTime *next_time;
  GError *last_error;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_STATE,
  PROP_ENVELOPE,
  PROP_SIZE,
  PROP_ATTEMPTS,
  PROP_QUEUED_TIME,
  PROP_NEXT_ATTEMPT,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveOutboxItem, missive_outbox_item, G_TYPE_OBJECT)

static void
missive_outbox_item_dispose (GObject *object)
{
  MissiveOutboxItem *self = MISSIVE_OUTBOX_ITEM (object);

  g_clear_object (&self->envelope);

  G_OBJECT_CLASS (missive_outbox_item_parent_class)->dispose (object);
}

static void
missive_outbox_item_finalize (GObject *object)
{
  MissiveOutboxItem *self = MISSIVE_OUTBOX_ITEM (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->queued_time, g_date_time_unref);
  g_clear_pointer (&self->next_time, g_date_time_unref);
  g_clear_error (&self->last_error);

  G_OBJECT_CLASS (missive_outbox_item_parent_class)->finalize (object);
}

static void
missive_outbox_item_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MissiveOutboxItem *self = MISSIVE_OUTBOX_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ENVELOPE:
      g_value_set_object (value, self->envelope);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;
    case PROP_QUEUED_TIME:
      g_value_set_boxed (value, self->queued_time);
      break;
    case PROP_NEXT_ATTEMPT:
      g_value_set_boxed (value, self->next_time);
      break;
    case PROP_LAST_ERROR:
      g_value_set_boxed (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_outbox_item_class_init (MissiveOutboxItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = missive_outbox_item_dispose;
  object_class->finalize = missive_outbox_item_finalize;
  object_class->get_property = missive_outbox_item_get_property;

  /**
   * MissiveOutboxItem:id:
   *
   * The id [method@Outbox.queue] returned for the message.
   *
   * Since: 1.0
   */
  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveOutboxItem:state:
   *
   * Whether the message is queued, failed or sent.
   *
   * Since: 1.0
   */
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       MISSIVE_TYPE_OUTBOX_STATE, MISSIVE_OUTBOX_STATE_QUEUED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveOutboxItem:envelope:
   *
   * The envelope the message is (or was) sent with.
   *
   * Since: 1.0
   */
  properties[PROP_ENVELOPE] =
    g_param_spec_object ("envelope", NULL, NULL,
                         MISSIVE_TYPE_ENVELOPE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveOutboxItem:size:
   *
   * The size of the stored message in bytes.
   *
   * Since: 1.0
   */
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveOutboxItem:attempts:
   *
   * How many times a flush tried to send the message and failed.
   *
   * Since: 1.0
   */
  properties[PROP_ATTEMPTS] =
    g_param_spec_uint ("attempts", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveOutboxItem:queued-time:
   *
   * When the message was queued (to the second), or %NULL if unknown.
   *
   * Since: 1.0
   */
  properties[PROP_QUEUED_TIME] =
    g_param_spec_boxed ("queued-time", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveOutboxItem:next-attempt:
   *
   * For a queued message that failed temporarily, the time before which
   * a flush does not try it again; %NULL when the next flush tries it.
   *
   * Since: 1.0
   */
  properties[PROP_NEXT_ATTEMPT] =
    g_param_spec_boxed ("next-attempt", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveOutboxItem:last-error:
   *
   * Why the last attempt failed, with the server's reply when there was
   * one (see [func@Missive.Error.get_server_code]), or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_LAST_ERROR] =
    g_param_spec_boxed ("last-error", NULL, NULL,
                        G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_outbox_item_init (MissiveOutboxItem *self)
{
}

MissiveOutboxItem *
missive_outbox_item_new (const char         *id,
                         MissiveOutboxState  state,
                         MissiveEnvelope    *envelope)
{
  MissiveOutboxItem *self = g_object_new (MISSIVE_TYPE_OUTBOX_ITEM, NULL);

  self->id = g_strdup (id);
  self->state = state;
  self->envelope = g_object_ref (envelope);
  return self;
}

void
missive_outbox_item_set_state (MissiveOutboxItem  *self,
                               MissiveOutboxState  state)
{
  self->state = state;
}

void
missive_outbox_item_set_size (MissiveOutboxItem *self,
                              guint64            size)
{
  self->size = size;
}

void
missive_outbox_item_set_attempts (MissiveOutboxItem *self,
                                  guint              attempts)
{
  self->attempts = attempts;
}

static void
set_time (gint64     *field,
          GDateTime **cache,
          gint64      when)
{
  *field = when;
  g_clear_pointer (cache, g_date_time_unref);
  if (when > 0)
    *cache = g_date_time_new_from_unix_utc (when);
}

gint64
missive_outbox_item_get_queued (MissiveOutboxItem *self)
{
  return self->queued;
}

void
missive_outbox_item_set_queued (MissiveOutboxItem *self,
                                gint64             when)
{
  set_time (&self->queued, &self->queued_time, when);
}

gint64
missive_outbox_item_get_next (MissiveOutboxItem *self)
{
  return self->next;
}

void
missive_outbox_item_set_next (MissiveOutboxItem *self,
                              gint64             when)
{
  set_time (&self->next, &self->next_time, when);
}

void
missive_outbox_item_set_last_error (MissiveOutboxItem *self,
                                    const GError      *error)
{
  g_clear_error (&self->last_error);
  if (error != NULL)
    self->last_error = g_error_copy (error);
}

/**
 * missive_outbox_item_get_id:
 * @self: an outbox item
 *
 * Gets the message's id.
 *
 * Returns: the id
 *
 * Since: 1.0
 */
const char *
missive_outbox_item_get_id (MissiveOutboxItem *self)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX_ITEM (self), NULL);

  return self->id;
}

/**
 * missive_outbox_item_get_state:
 * @self: an outbox item
 *
 * Gets where the message was when the item was made.
 *
 * Returns: the state
 *
 * Since: 1.0
 */
MissiveOutboxState
missive_outbox_item_get_state (MissiveOutboxItem *self)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX_ITEM (self), MISSIVE_OUTBOX_STATE_QUEUED);

  return self->state;
}

/**
 * missive_outbox_item_get_envelope:
 * @self: an outbox item
 *
 * Gets the envelope stored with the message. Changing it changes neither
 * the outbox nor the message.
 *
 * Returns: (transfer none): the envelope
 *
 * Since: 1.0
 */
MissiveEnvelope *
missive_outbox_item_get_envelope (MissiveOutboxItem *self)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX_ITEM (self), NULL);

  return self->envelope;
}

/**
 * missive_outbox_item_get_size:
 * @self: an outbox item
 *
 * Gets the size of the stored message.
 *
 * Returns: the size in bytes
 *
 * Since: 1.0
 */
guint64
missive_outbox_item_get_size (MissiveOutboxItem *self)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX_ITEM (self), 0);

  return self->size;
}

/**
 * missive_outbox_item_get_attempts:
 * @self: an outbox item
 *
 * Gets how many attempts to send the message failed.
 *
 * Returns: the number of failed attempts
 *
 * Since: 1.0
 */
guint
missive_outbox_item_get_attempts (MissiveOutboxItem *self)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX_ITEM (self), 0);

  return self->attempts;
}

/**
 * missive_outbox_item_get_queued_time:
 * @self: an outbox item
 *
 * Gets when the message was queued.
 *
 * Returns: (transfer none) (nullable): the time, in UTC
 *
 * Since: 1.0
 */
GDateTime *
missive_outbox_item_get_queued_time (MissiveOutboxItem *self)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX_ITEM (self), NULL);

  return self->queued_time;
}

/**
 * missive_outbox_item_get_next_attempt:
 * @self: an outbox item
 *
 * Gets the time before which a flush does not try the message again.
 *
 * Returns: (transfer none) (nullable): the time, in UTC, or %NULL when
 *   the next flush tries the message
 *
 * Since: 1.0
 */
GDateTime *
missive_outbox_item_get_next_attempt (MissiveOutboxItem *self)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX_ITEM (self), NULL);

  return self->next_time;
}

/**
 * missive_outbox_item_get_last_error:
 * @self: an outbox item
 *
 * Gets why the last attempt to send the message failed. For a message
 * that failed permanently this is the server's refusal, with its code,
 * enhanced status and text readable with [func@Missive.Error.get_server_code],
 * [func@Missive.Error.get_enhanced_status] and [func@Missive.Error.get_server_text].
 *
 * Returns: (transfer none) (nullable): the error, or %NULL
 *
 * Since: 1.0
 */
const GError *
missive_outbox_item_get_last_error (MissiveOutboxItem *self)
{
  g_return_val_if_fail (MISSIVE_IS_OUTBOX_ITEM (self), NULL);

  return self->last_error;
}
