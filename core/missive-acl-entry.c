/* missive-acl-entry.c: one entry of a mailbox's access control list
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

/**
 * MissiveAclEntry:
 *
 * One entry of a mailbox's access control list (IMAP ACL, RFC 4314): who
 * (a user name, "anyone", or a group the server knows) and what rights,
 * as RFC 4314 letters: "l" lookup, "r" read, "s" keep seen, "w" write
 * flags, "i" insert, "p" post, "k" create mailboxes, "x" delete mailbox,
 * "t" delete messages, "e" expunge, "a" administer.
 * [method@Store.get_acl] returns a list of them.
 *
 * Since: 1.0
 */
struct _MissiveAclEntry
{
  GObject parent_instance;

  char *identifier;
  char *rights;
};

enum {
  PROP_0,
  PROP_IDENTIFIER,
  PROP_RIGHTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveAclEntry, missive_acl_entry, G_TYPE_OBJECT)

static void
missive_acl_entry_finalize (GObject *object)
{
  MissiveAclEntry *self = MISSIVE_ACL_ENTRY (object);

  g_clear_pointer (&self->identifier, g_free);
  g_clear_pointer (&self->rights, g_free);

  G_OBJECT_CLASS (missive_acl_entry_parent_class)->finalize (object);
}

static void
missive_acl_entry_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MissiveAclEntry *self = MISSIVE_ACL_ENTRY (object);

  switch (prop_id)
    {
    case PROP_IDENTIFIER:
      g_value_set_string (value, self->identifier);
      break;
    case PROP_RIGHTS:
      g_value_set_string (value, self->rights);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_acl_entry_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MissiveAclEntry *self = MISSIVE_ACL_ENTRY (object);

  /* Construct-only. */
  switch (prop_id)
    {
    case PROP_IDENTIFIER:
      g_free (self->identifier);
      self->identifier = g_value_dup_string (value);
      break;
    case PROP_RIGHTS:
      g_free (self->rights);
      self->rights = g_strdup (g_value_get_string (value) != NULL ? g_value_get_string (value) : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_acl_entry_class_init (MissiveAclEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_acl_entry_finalize;
  object_class->get_property = missive_acl_entry_get_property;
  object_class->set_property = missive_acl_entry_set_property;

  /**
   * MissiveAclEntry:identifier:
   *
   * Whom the rights are granted to: a user name, "anyone", or another
   * identifier the server knows.
   *
   * Since: 1.0
   */
  properties[PROP_IDENTIFIER] =
    g_param_spec_string ("identifier", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveAclEntry:rights:
   *
   * The rights, as RFC 4314 letters ("lrswipkxtea"); "" for none.
   *
   * Since: 1.0
   */
  properties[PROP_RIGHTS] =
    g_param_spec_string ("rights", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_acl_entry_init (MissiveAclEntry *self)
{
}

/**
 * missive_acl_entry_new:
 * @identifier: whom the rights are for
 * @rights: the rights, as RFC 4314 letters
 *
 * Creates an access control list entry.
 *
 * Returns: (transfer full): a new entry
 *
 * Since: 1.0
 */
MissiveAclEntry *
missive_acl_entry_new (const char *identifier,
                       const char *rights)
{
  g_return_val_if_fail (identifier != NULL, NULL);
  g_return_val_if_fail (rights != NULL, NULL);

  return g_object_new (MISSIVE_TYPE_ACL_ENTRY,
                       "identifier", identifier,
                       "rights", rights,
                       NULL);
}

/**
 * missive_acl_entry_get_identifier:
 * @self: an entry
 *
 * Gets the [property@AclEntry:identifier] property.
 *
 * Returns: whom the rights are for
 *
 * Since: 1.0
 */
const char *
missive_acl_entry_get_identifier (MissiveAclEntry *self)
{
  g_return_val_if_fail (MISSIVE_IS_ACL_ENTRY (self), NULL);
  return self->identifier;
}

/**
 * missive_acl_entry_get_rights:
 * @self: an entry
 *
 * Gets the [property@AclEntry:rights] property.
 *
 * Returns: the rights, as RFC 4314 letters
 *
 * Since: 1.0
 */
const char *
missive_acl_entry_get_rights (MissiveAclEntry *self)
{
  g_return_val_if_fail (MISSIVE_IS_ACL_ENTRY (self), NULL);
  return self->rights;
}

/**
 * missive_acl_entry_has_right:
 * @self: an entry
 * @right: one or more RFC 4314 letters, e.g. "r" or "lr"
 *
 * Checks whether the entry grants every right in @right.
 *
 * Returns: %TRUE if all of them are granted
 *
 * Since: 1.0
 */
gboolean
missive_acl_entry_has_right (MissiveAclEntry *self,
                             const char      *right)
{
  g_return_val_if_fail (MISSIVE_IS_ACL_ENTRY (self), FALSE);
  g_return_val_if_fail (right != NULL, FALSE);

  for (const char *p = right; *p != '\0'; p++)
    {
      if (strchr (self->rights, *p) == NULL)
        return FALSE;
    }
  return TRUE;
}
