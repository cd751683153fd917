/* missive-message-info.c: the summary of one message in a store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveMessageInfo:
 *
 * The summary of one message in a mailbox, as a [class@Store] fetches it:
 * identifiers (UID, sequence number, POP3 UIDL), size, flags, internal
 * date and a few envelope fields. Which fields are filled in depends on
 * what was fetched; the others are 0 or %NULL.
 *
 * Every field is a property that notifies when it changes, so a list view
 * can bind to it while a store updates the flags.
 *
 * Since: 1.0
 */
struct _MissiveMessageInfo
{
  GObject parent_instance;

  guint uid;
  guint sequence;
  guint64 size;
  char *uidl;
  char **flags;
  GDateTime *internal_date;
  char *subject;
  char *from;
  char *message_id;
};

enum {
  PROP_0,
  PROP_UID,
  PROP_SEQUENCE,
  PROP_SIZE,
  PROP_UIDL,
  PROP_FLAGS,
  PROP_INTERNAL_DATE,
  PROP_SUBJECT,
  PROP_FROM,
  PROP_MESSAGE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveMessageInfo, missive_message_info, G_TYPE_OBJECT)

/* Replaces *@field with a copy of @value; returns whether it changed. */
static gboolean
replace_string (char       **field,
                const char  *value)
{
  char *old = *field;

  if (g_strcmp0 (old, value) == 0)
    return FALSE;
  *field = g_strdup (value);
  g_free (old);
  return TRUE;
}

static void
missive_message_info_finalize (GObject *object)
{
  MissiveMessageInfo *self = MISSIVE_MESSAGE_INFO (object);

  g_clear_pointer (&self->uidl, g_free);
  g_clear_pointer (&self->flags, g_strfreev);
  g_clear_pointer (&self->internal_date, g_date_time_unref);
  g_clear_pointer (&self->subject, g_free);
  g_clear_pointer (&self->from, g_free);
  g_clear_pointer (&self->message_id, g_free);

  G_OBJECT_CLASS (missive_message_info_parent_class)->finalize (object);
}

static void
missive_message_info_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MissiveMessageInfo *self = MISSIVE_MESSAGE_INFO (object);

  switch (prop_id)
    {
    case PROP_UID:
      g_value_set_uint (value, self->uid);
      break;
    case PROP_SEQUENCE:
      g_value_set_uint (value, self->sequence);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_UIDL:
      g_value_set_string (value, self->uidl);
      break;
    case PROP_FLAGS:
      g_value_set_boxed (value, self->flags);
      break;
    case PROP_INTERNAL_DATE:
      g_value_set_boxed (value, self->internal_date);
      break;
    case PROP_SUBJECT:
      g_value_set_string (value, self->subject);
      break;
    case PROP_FROM:
      g_value_set_string (value, self->from);
      break;
    case PROP_MESSAGE_ID:
      g_value_set_string (value, self->message_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_message_info_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  MissiveMessageInfo *self = MISSIVE_MESSAGE_INFO (object);

  switch (prop_id)
    {
    case PROP_UID:
      missive_message_info_set_uid (self, g_value_get_uint (value));
      break;
    case PROP_SEQUENCE:
      missive_message_info_set_sequence (self, g_value_get_uint (value));
      break;
    case PROP_SIZE:
      missive_message_info_set_size (self, g_value_get_uint64 (value));
      break;
    case PROP_UIDL:
      missive_message_info_set_uidl (self, g_value_get_string (value));
      break;
    case PROP_FLAGS:
      missive_message_info_set_flags (self, g_value_get_boxed (value));
      break;
    case PROP_INTERNAL_DATE:
      missive_message_info_set_internal_date (self, g_value_get_boxed (value));
      break;
    case PROP_SUBJECT:
      missive_message_info_set_subject (self, g_value_get_string (value));
      break;
    case PROP_FROM:
      missive_message_info_set_from (self, g_value_get_string (value));
      break;
    case PROP_MESSAGE_ID:
      missive_message_info_set_message_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_message_info_class_init (MissiveMessageInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_message_info_finalize;
  object_class->get_property = missive_message_info_get_property;
  object_class->set_property = missive_message_info_set_property;

  /**
   * MissiveMessageInfo:uid:
   *
   * The IMAP UID of the message, or 0 if unknown (POP3 has none).
   *
   * Since: 1.0
   */
  properties[PROP_UID] =
    g_param_spec_uint ("uid", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:sequence:
   *
   * The message sequence number (its 1-based position in the mailbox when
   * the summary was fetched), or 0 if unknown. Sequence numbers shift when
   * messages are expunged; prefer the UID to refer to a message later.
   *
   * Since: 1.0
   */
  properties[PROP_SEQUENCE] =
    g_param_spec_uint ("sequence", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:size:
   *
   * The size of the message in octets (IMAP `RFC822.SIZE`, POP3 `LIST`).
   *
   * Since: 1.0
   */
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:uidl:
   *
   * The POP3 unique-id listing (`UIDL`) of the message, or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_UIDL] =
    g_param_spec_string ("uidl", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:flags:
   *
   * The message's flags, system ("\\Seen", "\\Answered"...) and keywords
   * ("$Forwarded", "$Junk"...). Check for one with
   * [method@MessageInfo.has_flag], which ignores case as IMAP does.
   *
   * Since: 1.0
   */
  properties[PROP_FLAGS] =
    g_param_spec_boxed ("flags", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:internal-date:
   *
   * When the server received the message (IMAP `INTERNALDATE`), or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_INTERNAL_DATE] =
    g_param_spec_boxed ("internal-date", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:subject:
   *
   * The subject, decoded from RFC 2047 words, or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_SUBJECT] =
    g_param_spec_string ("subject", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:from:
   *
   * The sender as written in the From header, decoded, or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_FROM] =
    g_param_spec_string ("from", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMessageInfo:message-id:
   *
   * The Message-ID header, or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_MESSAGE_ID] =
    g_param_spec_string ("message-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_message_info_init (MissiveMessageInfo *self)
{
  self->flags = g_new0 (char *, 1);
}

/**
 * missive_message_info_new:
 *
 * Creates an empty message summary: no flags, everything else 0 or %NULL.
 *
 * Returns: (transfer full): a new message info
 *
 * Since: 1.0
 */
MissiveMessageInfo *
missive_message_info_new (void)
{
  return g_object_new (MISSIVE_TYPE_MESSAGE_INFO, NULL);
}

/**
 * missive_message_info_get_uid:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:uid] property.
 *
 * Returns: the UID, or 0 if unknown
 *
 * Since: 1.0
 */
guint
missive_message_info_get_uid (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), 0);
  return self->uid;
}

/**
 * missive_message_info_set_uid:
 * @self: a message info
 * @uid: the UID
 *
 * Sets the [property@MessageInfo:uid] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_uid (MissiveMessageInfo *self,
                              guint               uid)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (self->uid == uid)
    return;
  self->uid = uid;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UID]);
}

/**
 * missive_message_info_get_sequence:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:sequence] property.
 *
 * Returns: the sequence number, or 0 if unknown
 *
 * Since: 1.0
 */
guint
missive_message_info_get_sequence (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), 0);
  return self->sequence;
}

/**
 * missive_message_info_set_sequence:
 * @self: a message info
 * @sequence: the sequence number
 *
 * Sets the [property@MessageInfo:sequence] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_sequence (MissiveMessageInfo *self,
                                   guint               sequence)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (self->sequence == sequence)
    return;
  self->sequence = sequence;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEQUENCE]);
}

/**
 * missive_message_info_get_size:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:size] property.
 *
 * Returns: the size in octets, or 0 if unknown
 *
 * Since: 1.0
 */
guint64
missive_message_info_get_size (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), 0);
  return self->size;
}

/**
 * missive_message_info_set_size:
 * @self: a message info
 * @size: the size in octets
 *
 * Sets the [property@MessageInfo:size] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_size (MissiveMessageInfo *self,
                               guint64             size)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (self->size == size)
    return;
  self->size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

/**
 * missive_message_info_get_uidl:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:uidl] property.
 *
 * Returns: (nullable): the POP3 unique id
 *
 * Since: 1.0
 */
const char *
missive_message_info_get_uidl (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->uidl;
}

/**
 * missive_message_info_set_uidl:
 * @self: a message info
 * @uidl: (nullable): the POP3 unique id
 *
 * Sets the [property@MessageInfo:uidl] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_uidl (MissiveMessageInfo *self,
                               const char         *uidl)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_string (&self->uidl, uidl))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UIDL]);
}

/**
 * missive_message_info_get_flags:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:flags] property.
 *
 * Returns: (array zero-terminated=1) (transfer none): the flags, possibly
 *   none
 *
 * Since: 1.0
 */
const char * const *
missive_message_info_get_flags (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return (const char * const *) self->flags;
}

/**
 * missive_message_info_set_flags:
 * @self: a message info
 * @flags: (array zero-terminated=1) (nullable): the flags; %NULL for none
 *
 * Sets the [property@MessageInfo:flags] property to a copy of @flags.
 *
 * Since: 1.0
 */
void
missive_message_info_set_flags (MissiveMessageInfo *self,
                                const char * const *flags)
{
  static const char * const none[] = { NULL };
  char **copy;

  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (flags == NULL)
    flags = none;
  if (g_strv_equal ((const char * const *) self->flags, flags))
    return;
  copy = g_strdupv ((char **) flags);
  g_strfreev (self->flags);
  self->flags = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAGS]);
}

/**
 * missive_message_info_has_flag:
 * @self: a message info
 * @flag: a flag, e.g. "\\Seen" or "$Junk"
 *
 * Checks whether the message has @flag. IMAP flags are case-insensitive,
 * so "\\SEEN" matches "\\Seen".
 *
 * Returns: %TRUE if @flag is among the message's flags
 *
 * Since: 1.0
 */
gboolean
missive_message_info_has_flag (MissiveMessageInfo *self,
                               const char         *flag)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), FALSE);
  g_return_val_if_fail (flag != NULL, FALSE);

  for (guint i = 0; self->flags[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (self->flags[i], flag) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * missive_message_info_get_internal_date:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:internal-date] property.
 *
 * Returns: (nullable) (transfer none): when the server received the message
 *
 * Since: 1.0
 */
GDateTime *
missive_message_info_get_internal_date (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->internal_date;
}

/**
 * missive_message_info_set_internal_date:
 * @self: a message info
 * @date: (nullable): when the server received the message
 *
 * Sets the [property@MessageInfo:internal-date] property. @self keeps a
 * reference on @date.
 *
 * Since: 1.0
 */
void
missive_message_info_set_internal_date (MissiveMessageInfo *self,
                                        GDateTime          *date)
{
  GDateTime *old;

  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  old = self->internal_date;
  if (old == date)
    return;
  /* Same instant and same offset: nothing a reader could tell apart. */
  if (old != NULL && date != NULL &&
      g_date_time_equal (old, date) &&
      g_date_time_get_utc_offset (old) == g_date_time_get_utc_offset (date))
    return;

  self->internal_date = date != NULL ? g_date_time_ref (date) : NULL;
  g_clear_pointer (&old, g_date_time_unref);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERNAL_DATE]);
}

/**
 * missive_message_info_get_subject:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:subject] property.
 *
 * Returns: (nullable): the subject
 *
 * Since: 1.0
 */
const char *
missive_message_info_get_subject (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->subject;
}

/**
 * missive_message_info_set_subject:
 * @self: a message info
 * @subject: (nullable): the subject
 *
 * Sets the [property@MessageInfo:subject] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_subject (MissiveMessageInfo *self,
                                  const char         *subject)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_string (&self->subject, subject))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBJECT]);
}

/**
 * missive_message_info_get_from:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:from] property.
 *
 * Returns: (nullable): the sender
 *
 * Since: 1.0
 */
const char *
missive_message_info_get_from (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->from;
}

/**
 * missive_message_info_set_from:
 * @self: a message info
 * @from: (nullable): the sender
 *
 * Sets the [property@MessageInfo:from] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_from (MissiveMessageInfo *self,
                               const char         *from)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_string (&self->from, from))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FROM]);
}

/**
 * missive_message_info_get_message_id:
 * @self: a message info
 *
 * Gets the [property@MessageInfo:message-id] property.
 *
 * Returns: (nullable): the Message-ID
 *
 * Since: 1.0
 */
const char *
missive_message_info_get_message_id (MissiveMessageInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MESSAGE_INFO (self), NULL);
  return self->message_id;
}

/**
 * missive_message_info_set_message_id:
 * @self: a message info
 * @message_id: (nullable): the Message-ID
 *
 * Sets the [property@MessageInfo:message-id] property.
 *
 * Since: 1.0
 */
void
missive_message_info_set_message_id (MissiveMessageInfo *self,
                                     const char         *message_id)
{
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (self));

  if (replace_string (&self->message_id, message_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE_ID]);
}
