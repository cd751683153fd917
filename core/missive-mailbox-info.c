/* missive-mailbox-info.c: what a store knows about one mailbox
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveMailboxInfo:
 *
 * What a [class@Store] knows about one mailbox: its name and hierarchy
 * separator and attributes from `LIST`, and its counters from `STATUS`,
 * `SELECT` or `EXAMINE`. Which fields are filled in depends on the call
 * that produced the object; counters that were not reported are 0.
 *
 * Every field is a property that notifies when it changes, so a list view
 * can bind to it while a store updates it.
 *
 * Since: 1.0
 */
struct _MissiveMailboxInfo
{
  GObject parent_instance;

  char *name;
  char *separator;
  char **attributes;
  guint messages;
  guint unseen;
  guint uid_validity;
  guint uid_next;
  guint64 size;
  gboolean read_only;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_SEPARATOR,
  PROP_ATTRIBUTES,
  PROP_MESSAGES,
  PROP_UNSEEN,
  PROP_UID_VALIDITY,
  PROP_UID_NEXT,
  PROP_SIZE,
  PROP_READ_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveMailboxInfo, missive_mailbox_info, G_TYPE_OBJECT)

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
missive_mailbox_info_finalize (GObject *object)
{
  MissiveMailboxInfo *self = MISSIVE_MAILBOX_INFO (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->separator, g_free);
  g_clear_pointer (&self->attributes, g_strfreev);

  G_OBJECT_CLASS (missive_mailbox_info_parent_class)->finalize (object);
}

static void
missive_mailbox_info_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MissiveMailboxInfo *self = MISSIVE_MAILBOX_INFO (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SEPARATOR:
      g_value_set_string (value, self->separator);
      break;
    case PROP_ATTRIBUTES:
      g_value_set_boxed (value, self->attributes);
      break;
    case PROP_MESSAGES:
      g_value_set_uint (value, self->messages);
      break;
    case PROP_UNSEEN:
      g_value_set_uint (value, self->unseen);
      break;
    case PROP_UID_VALIDITY:
      g_value_set_uint (value, self->uid_validity);
      break;
    case PROP_UID_NEXT:
      g_value_set_uint (value, self->uid_next);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_mailbox_info_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  MissiveMailboxInfo *self = MISSIVE_MAILBOX_INFO (object);

  switch (prop_id)
    {
    case PROP_NAME:
      /* construct-only */
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;
    case PROP_SEPARATOR:
      missive_mailbox_info_set_separator (self, g_value_get_string (value));
      break;
    case PROP_ATTRIBUTES:
      missive_mailbox_info_set_attributes (self, g_value_get_boxed (value));
      break;
    case PROP_MESSAGES:
      missive_mailbox_info_set_messages (self, g_value_get_uint (value));
      break;
    case PROP_UNSEEN:
      missive_mailbox_info_set_unseen (self, g_value_get_uint (value));
      break;
    case PROP_UID_VALIDITY:
      missive_mailbox_info_set_uid_validity (self, g_value_get_uint (value));
      break;
    case PROP_UID_NEXT:
      missive_mailbox_info_set_uid_next (self, g_value_get_uint (value));
      break;
    case PROP_SIZE:
      missive_mailbox_info_set_size (self, g_value_get_uint64 (value));
      break;
    case PROP_READ_ONLY:
      missive_mailbox_info_set_read_only (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_mailbox_info_class_init (MissiveMailboxInfoClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_mailbox_info_finalize;
  object_class->get_property = missive_mailbox_info_get_property;
  object_class->set_property = missive_mailbox_info_set_property;

  /**
   * MissiveMailboxInfo:name:
   *
   * The full name of the mailbox as the server spells it (decoded from
   * modified UTF-7 where the server uses it), e.g. "INBOX" or
   * "Archive/2024".
   *
   * Since: 1.0
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveMailboxInfo:separator:
   *
   * The hierarchy separator, e.g. "/" or ".", or %NULL when the server
   * has no hierarchy.
   *
   * Since: 1.0
   */
  properties[PROP_SEPARATOR] =
    g_param_spec_string ("separator", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:attributes:
   *
   * The mailbox attributes from `LIST`, e.g. "\\HasChildren", "\\Noselect"
   * or the special-use "\\Sent" (RFC 6154). Compare them with
   * [method@MailboxInfo.has_attribute], which ignores case as IMAP does.
   *
   * Since: 1.0
   */
  properties[PROP_ATTRIBUTES] =
    g_param_spec_boxed ("attributes", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:messages:
   *
   * The number of messages in the mailbox.
   *
   * Since: 1.0
   */
  properties[PROP_MESSAGES] =
    g_param_spec_uint ("messages", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:unseen:
   *
   * The number of messages without the `\Seen` flag.
   *
   * Since: 1.0
   */
  properties[PROP_UNSEEN] =
    g_param_spec_uint ("unseen", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:uid-validity:
   *
   * The UIDVALIDITY value: when it changes, the UIDs cached from this
   * mailbox no longer mean anything.
   *
   * Since: 1.0
   */
  properties[PROP_UID_VALIDITY] =
    g_param_spec_uint ("uid-validity", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:uid-next:
   *
   * The UID the next message added to the mailbox will get (at least).
   *
   * Since: 1.0
   */
  properties[PROP_UID_NEXT] =
    g_param_spec_uint ("uid-next", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:size:
   *
   * The total size of the messages in the mailbox, in octets (IMAP
   * `STATUS SIZE`, POP3 `STAT`).
   *
   * Since: 1.0
   */
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:read-only:
   *
   * Whether the mailbox is open read-only (opened with `EXAMINE`, or the
   * server answered `[READ-ONLY]`).
   *
   * Since: 1.0
   */
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_mailbox_info_init (MissiveMailboxInfo *self)
{
  self->attributes = g_new0 (char *, 1);
}

/**
 * missive_mailbox_info_new:
 * @name: the full name of the mailbox
 *
 * Creates a mailbox description with no attributes and all counters 0.
 *
 * Returns: (transfer full): a new mailbox info
 *
 * Since: 1.0
 */
MissiveMailboxInfo *
missive_mailbox_info_new (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (MISSIVE_TYPE_MAILBOX_INFO, "name", name, NULL);
}

/**
 * missive_mailbox_info_get_name:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:name] property.
 *
 * Returns: the mailbox name
 *
 * Since: 1.0
 */
const char *
missive_mailbox_info_get_name (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), NULL);
  return self->name;
}

/**
 * missive_mailbox_info_get_separator:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:separator] property.
 *
 * Returns: (nullable): the hierarchy separator
 *
 * Since: 1.0
 */
const char *
missive_mailbox_info_get_separator (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), NULL);
  return self->separator;
}

/**
 * missive_mailbox_info_set_separator:
 * @self: a mailbox info
 * @separator: (nullable): the hierarchy separator
 *
 * Sets the [property@MailboxInfo:separator] property.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_separator (MissiveMailboxInfo *self,
                                    const char         *separator)
{
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (replace_string (&self->separator, separator))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEPARATOR]);
}

/**
 * missive_mailbox_info_get_attributes:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:attributes] property.
 *
 * Returns: (array zero-terminated=1) (transfer none): the attributes,
 *   possibly none
 *
 * Since: 1.0
 */
const char * const *
missive_mailbox_info_get_attributes (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), NULL);
  return (const char * const *) self->attributes;
}

/**
 * missive_mailbox_info_set_attributes:
 * @self: a mailbox info
 * @attributes: (array zero-terminated=1) (nullable): the attributes; %NULL
 *   for none
 *
 * Sets the [property@MailboxInfo:attributes] property to a copy of
 * @attributes.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_attributes (MissiveMailboxInfo *self,
                                     const char * const *attributes)
{
  static const char * const none[] = { NULL };
  char **copy;

  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (attributes == NULL)
    attributes = none;
  if (g_strv_equal ((const char * const *) self->attributes, attributes))
    return;
  copy = g_strdupv ((char **) attributes);
  g_strfreev (self->attributes);
  self->attributes = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTRIBUTES]);
}

/**
 * missive_mailbox_info_has_attribute:
 * @self: a mailbox info
 * @attribute: an attribute, e.g. "\\Noselect"
 *
 * Checks whether the mailbox has @attribute. IMAP attributes are
 * case-insensitive, so "\\NoSelect" matches "\\Noselect".
 *
 * Returns: %TRUE if @attribute is among the mailbox's attributes
 *
 * Since: 1.0
 */
gboolean
missive_mailbox_info_has_attribute (MissiveMailboxInfo *self,
                                    const char         *attribute)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), FALSE);
  g_return_val_if_fail (attribute != NULL, FALSE);

  for (guint i = 0; self->attributes[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (self->attributes[i], attribute) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * missive_mailbox_info_get_messages:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:messages] property.
 *
 * Returns: the number of messages
 *
 * Since: 1.0
 */
guint
missive_mailbox_info_get_messages (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), 0);
  return self->messages;
}

/**
 * missive_mailbox_info_set_messages:
 * @self: a mailbox info
 * @messages: the number of messages
 *
 * Sets the [property@MailboxInfo:messages] property.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_messages (MissiveMailboxInfo *self,
                                   guint               messages)
{
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (self->messages == messages)
    return;
  self->messages = messages;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGES]);
}

/**
 * missive_mailbox_info_get_unseen:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:unseen] property.
 *
 * Returns: the number of unseen messages
 *
 * Since: 1.0
 */
guint
missive_mailbox_info_get_unseen (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), 0);
  return self->unseen;
}

/**
 * missive_mailbox_info_set_unseen:
 * @self: a mailbox info
 * @unseen: the number of unseen messages
 *
 * Sets the [property@MailboxInfo:unseen] property.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_unseen (MissiveMailboxInfo *self,
                                 guint               unseen)
{
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (self->unseen == unseen)
    return;
  self->unseen = unseen;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNSEEN]);
}

/**
 * missive_mailbox_info_get_uid_validity:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:uid-validity] property.
 *
 * Returns: the UIDVALIDITY value, or 0 if unknown
 *
 * Since: 1.0
 */
guint
missive_mailbox_info_get_uid_validity (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), 0);
  return self->uid_validity;
}

/**
 * missive_mailbox_info_set_uid_validity:
 * @self: a mailbox info
 * @uid_validity: the UIDVALIDITY value
 *
 * Sets the [property@MailboxInfo:uid-validity] property.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_uid_validity (MissiveMailboxInfo *self,
                                       guint               uid_validity)
{
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (self->uid_validity == uid_validity)
    return;
  self->uid_validity = uid_validity;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UID_VALIDITY]);
}

/**
 * missive_mailbox_info_get_uid_next:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:uid-next] property.
 *
 * Returns: the next UID, or 0 if unknown
 *
 * Since: 1.0
 */
guint
missive_mailbox_info_get_uid_next (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), 0);
  return self->uid_next;
}

/**
 * missive_mailbox_info_set_uid_next:
 * @self: a mailbox info
 * @uid_next: the next UID
 *
 * Sets the [property@MailboxInfo:uid-next] property.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_uid_next (MissiveMailboxInfo *self,
                                   guint               uid_next)
{
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (self->uid_next == uid_next)
    return;
  self->uid_next = uid_next;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UID_NEXT]);
}

/**
 * missive_mailbox_info_get_size:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:size] property.
 *
 * Returns: the total size in octets, or 0 if unknown
 *
 * Since: 1.0
 */
guint64
missive_mailbox_info_get_size (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), 0);
  return self->size;
}

/**
 * missive_mailbox_info_set_size:
 * @self: a mailbox info
 * @size: the total size in octets
 *
 * Sets the [property@MailboxInfo:size] property.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_size (MissiveMailboxInfo *self,
                               guint64             size)
{
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (self->size == size)
    return;
  self->size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIZE]);
}

/**
 * missive_mailbox_info_get_read_only:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:read-only] property.
 *
 * Returns: %TRUE if the mailbox is open read-only
 *
 * Since: 1.0
 */
gboolean
missive_mailbox_info_get_read_only (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), FALSE);
  return self->read_only;
}

/**
 * missive_mailbox_info_set_read_only:
 * @self: a mailbox info
 * @read_only: whether the mailbox is open read-only
 *
 * Sets the [property@MailboxInfo:read-only] property.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_read_only (MissiveMailboxInfo *self,
                                    gboolean            read_only)
{
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  read_only = !!read_only;
  if (self->read_only == read_only)
    return;
  self->read_only = read_only;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}
