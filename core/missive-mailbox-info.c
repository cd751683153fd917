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
  guint recent;
  guint first_unseen;
  guint64 highest_modseq;
  gboolean no_modseq;
  char **flags;
  char **permanent_flags;
  char *mailbox_id;
  gboolean subscribed;
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
  PROP_RECENT,
  PROP_FIRST_UNSEEN,
  PROP_HIGHEST_MODSEQ,
  PROP_NO_MODSEQ,
  PROP_FLAGS,
  PROP_PERMANENT_FLAGS,
  PROP_MAILBOX_ID,
  PROP_SUBSCRIBED,
  PROP_SPECIAL_USE,
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

/* Replaces *@field with a copy of @strv; returns whether it changed. */
static gboolean
replace_strv (char               ***field,
              const char * const   *strv)
{
  char **old = *field;

  if (old == NULL && strv == NULL)
    return FALSE;
  if (old != NULL && strv != NULL && g_strv_equal ((const char * const *) old, strv))
    return FALSE;
  *field = g_strdupv ((char **) strv);
  g_strfreev (old);
  return TRUE;
}

static void
missive_mailbox_info_finalize (GObject *object)
{
  MissiveMailboxInfo *self = MISSIVE_MAILBOX_INFO (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->separator, g_free);
  g_clear_pointer (&self->attributes, g_strfreev);
  g_clear_pointer (&self->flags, g_strfreev);
  g_clear_pointer (&self->permanent_flags, g_strfreev);
  g_clear_pointer (&self->mailbox_id, g_free);

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
    case PROP_RECENT:
      g_value_set_uint (value, self->recent);
      break;
    case PROP_FIRST_UNSEEN:
      g_value_set_uint (value, self->first_unseen);
      break;
    case PROP_HIGHEST_MODSEQ:
      g_value_set_uint64 (value, self->highest_modseq);
      break;
    case PROP_NO_MODSEQ:
      g_value_set_boolean (value, self->no_modseq);
      break;
    case PROP_FLAGS:
      g_value_set_boxed (value, self->flags);
      break;
    case PROP_PERMANENT_FLAGS:
      g_value_set_boxed (value, self->permanent_flags);
      break;
    case PROP_MAILBOX_ID:
      g_value_set_string (value, self->mailbox_id);
      break;
    case PROP_SUBSCRIBED:
      g_value_set_boolean (value, self->subscribed);
      break;
    case PROP_SPECIAL_USE:
      g_value_set_string (value, missive_mailbox_info_get_special_use (self));
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
    case PROP_RECENT:
      missive_mailbox_info_set_recent (self, g_value_get_uint (value));
      break;
    case PROP_FIRST_UNSEEN:
      missive_mailbox_info_set_first_unseen (self, g_value_get_uint (value));
      break;
    case PROP_HIGHEST_MODSEQ:
      missive_mailbox_info_set_highest_modseq (self, g_value_get_uint64 (value));
      break;
    case PROP_NO_MODSEQ:
      missive_mailbox_info_set_no_modseq (self, g_value_get_boolean (value));
      break;
    case PROP_FLAGS:
      missive_mailbox_info_set_flags (self, g_value_get_boxed (value));
      break;
    case PROP_PERMANENT_FLAGS:
      missive_mailbox_info_set_permanent_flags (self, g_value_get_boxed (value));
      break;
    case PROP_MAILBOX_ID:
      missive_mailbox_info_set_mailbox_id (self, g_value_get_string (value));
      break;
    case PROP_SUBSCRIBED:
      missive_mailbox_info_set_subscribed (self, g_value_get_boolean (value));
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

  /**
   * MissiveMailboxInfo:recent:
   *
   * The number of messages with the `\Recent` flag (IMAP4rev1 only).
   *
   * Since: 1.0
   */
  properties[PROP_RECENT] =
    g_param_spec_uint ("recent", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:first-unseen:
   *
   * The sequence number of the first message without `\Seen`, as
   * `SELECT` reports it (`[UNSEEN n]`), or 0.
   *
   * Since: 1.0
   */
  properties[PROP_FIRST_UNSEEN] =
    g_param_spec_uint ("first-unseen", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:highest-modseq:
   *
   * The highest modification sequence of the mailbox (CONDSTORE), or 0.
   * A client that remembers it can ask later for what changed since.
   *
   * Since: 1.0
   */
  properties[PROP_HIGHEST_MODSEQ] =
    g_param_spec_uint64 ("highest-modseq", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:no-modseq:
   *
   * Whether the server said the mailbox keeps no modification sequences
   * (`[NOMODSEQ]`).
   *
   * Since: 1.0
   */
  properties[PROP_NO_MODSEQ] =
    g_param_spec_boolean ("no-modseq", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:flags:
   *
   * The flags defined in the mailbox (`FLAGS` of `SELECT`), or %NULL if
   * not reported.
   *
   * Since: 1.0
   */
  properties[PROP_FLAGS] =
    g_param_spec_boxed ("flags", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:permanent-flags:
   *
   * The flags that can be changed permanently (`[PERMANENTFLAGS]`), or
   * %NULL if not reported. "\\*" among them means new keywords can be
   * created.
   *
   * Since: 1.0
   */
  properties[PROP_PERMANENT_FLAGS] =
    g_param_spec_boxed ("permanent-flags", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:mailbox-id:
   *
   * The server's stable id of the mailbox (OBJECTID `MAILBOXID`), or
   * %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_MAILBOX_ID] =
    g_param_spec_string ("mailbox-id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:subscribed:
   *
   * Whether the mailbox is subscribed (`\Subscribed` with
   * LIST-EXTENDED, or listed by `LSUB`).
   *
   * Since: 1.0
   */
  properties[PROP_SUBSCRIBED] =
    g_param_spec_boolean ("subscribed", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * MissiveMailboxInfo:special-use:
   *
   * The mailbox's special use (RFC 6154), derived from
   * [property@MailboxInfo:attributes]: "\\All", "\\Archive",
   * "\\Drafts", "\\Flagged", "\\Junk", "\\Sent" or "\\Trash" (the
   * first one present), or %NULL.
   *
   * Since: 1.0
   */
  properties[PROP_SPECIAL_USE] =
    g_param_spec_string ("special-use", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

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
  const char *old_use;
  char **copy;

  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (attributes == NULL)
    attributes = none;
  if (g_strv_equal ((const char * const *) self->attributes, attributes))
    return;
  old_use = missive_mailbox_info_get_special_use (self);
  copy = g_strdupv ((char **) attributes);
  g_strfreev (self->attributes);
  self->attributes = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTRIBUTES]);
  if (missive_mailbox_info_get_special_use (self) != old_use)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPECIAL_USE]);
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

/**
 * missive_mailbox_info_get_recent:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:recent] property.
 *
 * Returns: the number of recent messages
 *
 * Since: 1.0
 */
guint
missive_mailbox_info_get_recent (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), 0);
  return self->recent;
}

/**
 * missive_mailbox_info_set_recent:
 * @self: a mailbox info
 * @recent: the number of recent messages
 *
 * Sets the [property@MailboxInfo:recent] property.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_recent (MissiveMailboxInfo *self,
                                      guint               recent)
{
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (self->recent == recent)
    return;
  self->recent = recent;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECENT]);
}

/**
 * missive_mailbox_info_get_first_unseen:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:first-unseen] property.
 *
 * Returns: the sequence number of the first unseen message, or 0
 *
 * Since: 1.0
 */
guint
missive_mailbox_info_get_first_unseen (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), 0);
  return self->first_unseen;
}

/**
 * missive_mailbox_info_set_first_unseen:
 * @self: a mailbox info
 * @first_unseen: the sequence number of the first unseen message, or 0
 *
 * Sets the [property@MailboxInfo:first-unseen] property.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_first_unseen (MissiveMailboxInfo *self,
                                            guint               first_unseen)
{
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (self->first_unseen == first_unseen)
    return;
  self->first_unseen = first_unseen;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIRST_UNSEEN]);
}

/**
 * missive_mailbox_info_get_highest_modseq:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:highest-modseq] property.
 *
 * Returns: the highest modification sequence, or 0
 *
 * Since: 1.0
 */
guint64
missive_mailbox_info_get_highest_modseq (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), 0);
  return self->highest_modseq;
}

/**
 * missive_mailbox_info_set_highest_modseq:
 * @self: a mailbox info
 * @highest_modseq: the highest modification sequence, or 0
 *
 * Sets the [property@MailboxInfo:highest-modseq] property.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_highest_modseq (MissiveMailboxInfo *self,
                                              guint64             highest_modseq)
{
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (self->highest_modseq == highest_modseq)
    return;
  self->highest_modseq = highest_modseq;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGHEST_MODSEQ]);
}

/**
 * missive_mailbox_info_get_no_modseq:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:no-modseq] property.
 *
 * Returns: whether the mailbox has no modification sequences
 *
 * Since: 1.0
 */
gboolean
missive_mailbox_info_get_no_modseq (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), FALSE);
  return self->no_modseq;
}

/**
 * missive_mailbox_info_set_no_modseq:
 * @self: a mailbox info
 * @no_modseq: whether the mailbox has no modification sequences
 *
 * Sets the [property@MailboxInfo:no-modseq] property.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_no_modseq (MissiveMailboxInfo *self,
                                         gboolean            no_modseq)
{
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (self->no_modseq == no_modseq)
    return;
  self->no_modseq = no_modseq;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NO_MODSEQ]);
}

/**
 * missive_mailbox_info_get_flags:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:flags] property.
 *
 * Returns: (array zero-terminated=1) (transfer none) (nullable): the flags defined in the mailbox,
 *   or %NULL if not reported
 *
 * Since: 1.0
 */
const char * const *
missive_mailbox_info_get_flags (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), NULL);
  return (const char * const *) self->flags;
}

/**
 * missive_mailbox_info_set_flags:
 * @self: a mailbox info
 * @flags: (array zero-terminated=1) (nullable): the flags defined in the mailbox
 *
 * Sets the [property@MailboxInfo:flags] property to a copy of @flags.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_flags (MissiveMailboxInfo *self,
                                     const char * const *flags)
{
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (replace_strv (&self->flags, flags))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FLAGS]);
}

/**
 * missive_mailbox_info_get_permanent_flags:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:permanent-flags] property.
 *
 * Returns: (array zero-terminated=1) (transfer none) (nullable): the flags that can be stored permanently,
 *   or %NULL if not reported
 *
 * Since: 1.0
 */
const char * const *
missive_mailbox_info_get_permanent_flags (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), NULL);
  return (const char * const *) self->permanent_flags;
}

/**
 * missive_mailbox_info_set_permanent_flags:
 * @self: a mailbox info
 * @flags: (array zero-terminated=1) (nullable): the flags that can be stored permanently
 *
 * Sets the [property@MailboxInfo:permanent-flags] property to a copy of @flags.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_permanent_flags (MissiveMailboxInfo *self,
                                               const char * const *flags)
{
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (replace_strv (&self->permanent_flags, flags))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERMANENT_FLAGS]);
}

/**
 * missive_mailbox_info_get_mailbox_id:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:mailbox-id] property.
 *
 * Returns: (nullable): the server's id of the mailbox
 *
 * Since: 1.0
 */
const char *
missive_mailbox_info_get_mailbox_id (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), NULL);
  return self->mailbox_id;
}

/**
 * missive_mailbox_info_set_mailbox_id:
 * @self: a mailbox info
 * @mailbox_id: (nullable): the server's id of the mailbox
 *
 * Sets the [property@MailboxInfo:mailbox-id] property.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_mailbox_id (MissiveMailboxInfo *self,
                                     const char         *mailbox_id)
{
  char *copy;

  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (g_strcmp0 (self->mailbox_id, mailbox_id) == 0)
    return;
  copy = g_strdup (mailbox_id);
  g_free (self->mailbox_id);
  self->mailbox_id = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAILBOX_ID]);
}

/**
 * missive_mailbox_info_get_subscribed:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:subscribed] property.
 *
 * Returns: whether the mailbox is subscribed
 *
 * Since: 1.0
 */
gboolean
missive_mailbox_info_get_subscribed (MissiveMailboxInfo *self)
{
  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), FALSE);
  return self->subscribed;
}

/**
 * missive_mailbox_info_set_subscribed:
 * @self: a mailbox info
 * @subscribed: whether the mailbox is subscribed
 *
 * Sets the [property@MailboxInfo:subscribed] property.
 *
 * Since: 1.0
 */
void
missive_mailbox_info_set_subscribed (MissiveMailboxInfo *self,
                                          gboolean            subscribed)
{
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (self));

  if (self->subscribed == subscribed)
    return;
  self->subscribed = subscribed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBSCRIBED]);
}

/**
 * missive_mailbox_info_get_special_use:
 * @self: a mailbox info
 *
 * Gets the [property@MailboxInfo:special-use] property: the first
 * RFC 6154 special-use attribute of the mailbox.
 *
 * Returns: (nullable): "\\Sent", "\\Trash"... in that spelling, or
 *   %NULL if the mailbox has no special use
 *
 * Since: 1.0
 */
const char *
missive_mailbox_info_get_special_use (MissiveMailboxInfo *self)
{
  static const char * const uses[] = {
    "\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash",
  };

  g_return_val_if_fail (MISSIVE_IS_MAILBOX_INFO (self), NULL);

  for (guint i = 0; self->attributes[i] != NULL; i++)
    {
      for (gsize j = 0; j < G_N_ELEMENTS (uses); j++)
        {
          if (g_ascii_strcasecmp (self->attributes[i], uses[j]) == 0)
            return uses[j];
        }
    }
  return NULL;
}
