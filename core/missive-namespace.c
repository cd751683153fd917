/* missive-namespace.c: one namespace of a mail server (IMAP NAMESPACE)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveNamespace:
 *
 * One namespace of a mail server (RFC 2342): where the user's own
 * mailboxes, other users' mailboxes, or shared mailboxes live, as the
 * prefix their names start with and the hierarchy separator used below it.
 * [method@Store.get_namespaces] returns them.
 *
 * Since: 1.0
 */
struct _MissiveNamespace
{
  GObject parent_instance;

  MissiveNamespaceKind kind;
  char *prefix;
  char *separator;
};

enum {
  PROP_0,
  PROP_KIND,
  PROP_PREFIX,
  PROP_SEPARATOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveNamespace, missive_namespace, G_TYPE_OBJECT)

static void
missive_namespace_finalize (GObject *object)
{
  MissiveNamespace *self = MISSIVE_NAMESPACE (object);

  g_clear_pointer (&self->prefix, g_free);
  g_clear_pointer (&self->separator, g_free);

  G_OBJECT_CLASS (missive_namespace_parent_class)->finalize (object);
}

static void
missive_namespace_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  MissiveNamespace *self = MISSIVE_NAMESPACE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_PREFIX:
      g_value_set_string (value, self->prefix);
      break;
    case PROP_SEPARATOR:
      g_value_set_string (value, self->separator);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_namespace_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  MissiveNamespace *self = MISSIVE_NAMESPACE (object);

  /* Construct-only. */
  switch (prop_id)
    {
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_PREFIX:
      g_free (self->prefix);
      self->prefix = g_strdup (g_value_get_string (value) != NULL ? g_value_get_string (value) : "");
      break;
    case PROP_SEPARATOR:
      g_free (self->separator);
      self->separator = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_namespace_class_init (MissiveNamespaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_namespace_finalize;
  object_class->get_property = missive_namespace_get_property;
  object_class->set_property = missive_namespace_set_property;

  /**
   * MissiveNamespace:kind:
   *
   * Whose mailboxes the namespace holds.
   *
   * Since: 1.0
   */
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL,
                       MISSIVE_TYPE_NAMESPACE_KIND, MISSIVE_NAMESPACE_KIND_PERSONAL,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveNamespace:prefix:
   *
   * What the names of the namespace's mailboxes start with, e.g. "" or
   * "INBOX." for personal mailboxes, "Other Users/" or "#shared/"; the
   * separator is usually its last character.
   *
   * Since: 1.0
   */
  properties[PROP_PREFIX] =
    g_param_spec_string ("prefix", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveNamespace:separator:
   *
   * The hierarchy separator in the namespace (one character, e.g. "/" or
   * "."), or %NULL when its names are flat.
   *
   * Since: 1.0
   */
  properties[PROP_SEPARATOR] =
    g_param_spec_string ("separator", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_namespace_init (MissiveNamespace *self)
{
}

/**
 * missive_namespace_new:
 * @kind: whose mailboxes the namespace holds
 * @prefix: what the names start with ("" for none)
 * @separator: (nullable): the hierarchy separator, or %NULL for none
 *
 * Creates a namespace description.
 *
 * Returns: (transfer full): a new namespace
 *
 * Since: 1.0
 */
MissiveNamespace *
missive_namespace_new (MissiveNamespaceKind  kind,
                       const char           *prefix,
                       const char           *separator)
{
  g_return_val_if_fail (prefix != NULL, NULL);

  return g_object_new (MISSIVE_TYPE_NAMESPACE,
                       "kind", kind,
                       "prefix", prefix,
                       "separator", separator,
                       NULL);
}

/**
 * missive_namespace_get_kind:
 * @self: a namespace
 *
 * Gets the [property@Namespace:kind] property.
 *
 * Returns: whose mailboxes the namespace holds
 *
 * Since: 1.0
 */
MissiveNamespaceKind
missive_namespace_get_kind (MissiveNamespace *self)
{
  g_return_val_if_fail (MISSIVE_IS_NAMESPACE (self), MISSIVE_NAMESPACE_KIND_PERSONAL);
  return self->kind;
}

/**
 * missive_namespace_get_prefix:
 * @self: a namespace
 *
 * Gets the [property@Namespace:prefix] property.
 *
 * Returns: what the names of the namespace's mailboxes start with
 *
 * Since: 1.0
 */
const char *
missive_namespace_get_prefix (MissiveNamespace *self)
{
  g_return_val_if_fail (MISSIVE_IS_NAMESPACE (self), NULL);
  return self->prefix;
}

/**
 * missive_namespace_get_separator:
 * @self: a namespace
 *
 * Gets the [property@Namespace:separator] property.
 *
 * Returns: (nullable): the hierarchy separator, or %NULL for flat names
 *
 * Since: 1.0
 */
const char *
missive_namespace_get_separator (MissiveNamespace *self)
{
  g_return_val_if_fail (MISSIVE_IS_NAMESPACE (self), NULL);
  return self->separator;
}
