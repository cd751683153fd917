/* missive-quota.c: the limits of one quota root
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveQuota:
 *
 * The resources of one quota root (IMAP QUOTA, RFC 9208) with their usage
 * and limits, as [method@Store.get_quota] reports them. Resource names are
 * the server's: "STORAGE" (in units of 1024 bytes), "MESSAGE" (a number
 * of messages), "MAILBOX" and others; they are compared without regard to
 * case.
 *
 * Since: 1.0
 */
typedef struct
{
  guint64 usage;
  guint64 limit;
} Resource;

struct _MissiveQuota
{
  GObject parent_instance;

  char *root;
  GPtrArray *names;     /* NULL-terminated, in the order added */
  GArray *resources;    /* of Resource, parallel to names */
};

enum {
  PROP_0,
  PROP_ROOT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveQuota, missive_quota, G_TYPE_OBJECT)

static void
missive_quota_finalize (GObject *object)
{
  MissiveQuota *self = MISSIVE_QUOTA (object);

  g_clear_pointer (&self->root, g_free);
  g_ptr_array_unref (self->names);
  g_array_unref (self->resources);

  G_OBJECT_CLASS (missive_quota_parent_class)->finalize (object);
}

static void
missive_quota_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MissiveQuota *self = MISSIVE_QUOTA (object);

  switch (prop_id)
    {
    case PROP_ROOT:
      g_value_set_string (value, self->root);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_quota_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MissiveQuota *self = MISSIVE_QUOTA (object);

  switch (prop_id)
    {
    case PROP_ROOT:
      /* construct-only */
      g_free (self->root);
      self->root = g_strdup (g_value_get_string (value) != NULL ? g_value_get_string (value) : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_quota_class_init (MissiveQuotaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_quota_finalize;
  object_class->get_property = missive_quota_get_property;
  object_class->set_property = missive_quota_set_property;

  /**
   * MissiveQuota:root:
   *
   * The name of the quota root; often "" (the user's whole account).
   *
   * Since: 1.0
   */
  properties[PROP_ROOT] =
    g_param_spec_string ("root", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_quota_init (MissiveQuota *self)
{
  self->names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->names, NULL);
  self->resources = g_array_new (FALSE, FALSE, sizeof (Resource));
}

/**
 * missive_quota_new:
 * @root: the quota root's name ("" is common)
 *
 * Creates a quota root without resources.
 *
 * Returns: (transfer full): a new quota
 *
 * Since: 1.0
 */
MissiveQuota *
missive_quota_new (const char *root)
{
  g_return_val_if_fail (root != NULL, NULL);

  return g_object_new (MISSIVE_TYPE_QUOTA, "root", root, NULL);
}

/**
 * missive_quota_get_root:
 * @self: a quota
 *
 * Gets the [property@Quota:root] property.
 *
 * Returns: the quota root's name
 *
 * Since: 1.0
 */
const char *
missive_quota_get_root (MissiveQuota *self)
{
  g_return_val_if_fail (MISSIVE_IS_QUOTA (self), NULL);
  return self->root;
}

static int
find_resource (MissiveQuota *self,
               const char   *name)
{
  for (guint i = 0; i + 1 < self->names->len; i++)
    {
      if (g_ascii_strcasecmp (g_ptr_array_index (self->names, i), name) == 0)
        return (int) i;
    }
  return -1;
}

/**
 * missive_quota_add_resource:
 * @self: a quota
 * @name: the resource, e.g. "STORAGE"
 * @usage: how much is used
 * @limit: how much may be used
 *
 * Adds a resource to @self, or updates it if it is already there.
 *
 * Since: 1.0
 */
void
missive_quota_add_resource (MissiveQuota *self,
                            const char   *name,
                            guint64       usage,
                            guint64       limit)
{
  Resource r = { usage, limit };
  int i;

  g_return_if_fail (MISSIVE_IS_QUOTA (self));
  g_return_if_fail (name != NULL);

  i = find_resource (self, name);
  if (i >= 0)
    {
      g_array_index (self->resources, Resource, i) = r;
      return;
    }
  /* Keep the array NULL-terminated. */
  g_ptr_array_index (self->names, self->names->len - 1) = g_strdup (name);
  g_ptr_array_add (self->names, NULL);
  g_array_append_val (self->resources, r);
}

/**
 * missive_quota_get_resources:
 * @self: a quota
 *
 * Lists the resources of @self, in the order they were added.
 *
 * Returns: (array zero-terminated=1) (transfer none): the resource names
 *
 * Since: 1.0
 */
const char * const *
missive_quota_get_resources (MissiveQuota *self)
{
  g_return_val_if_fail (MISSIVE_IS_QUOTA (self), NULL);
  return (const char * const *) self->names->pdata;
}

/**
 * missive_quota_has_resource:
 * @self: a quota
 * @name: a resource name
 *
 * Checks whether @self limits the resource @name.
 *
 * Returns: %TRUE if the resource is there
 *
 * Since: 1.0
 */
gboolean
missive_quota_has_resource (MissiveQuota *self,
                            const char   *name)
{
  g_return_val_if_fail (MISSIVE_IS_QUOTA (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return find_resource (self, name) >= 0;
}

/**
 * missive_quota_get_usage:
 * @self: a quota
 * @name: a resource name
 *
 * Gets how much of a resource is used.
 *
 * Returns: the usage, or 0 if @self has no such resource
 *
 * Since: 1.0
 */
guint64
missive_quota_get_usage (MissiveQuota *self,
                         const char   *name)
{
  int i;

  g_return_val_if_fail (MISSIVE_IS_QUOTA (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  i = find_resource (self, name);
  return i >= 0 ? g_array_index (self->resources, Resource, i).usage : 0;
}

/**
 * missive_quota_get_limit:
 * @self: a quota
 * @name: a resource name
 *
 * Gets the limit of a resource.
 *
 * Returns: the limit, or 0 if @self has no such resource
 *
 * Since: 1.0
 */
guint64
missive_quota_get_limit (MissiveQuota *self,
                         const char   *name)
{
  int i;

  g_return_val_if_fail (MISSIVE_IS_QUOTA (self), 0);
  g_return_val_if_fail (name != NULL, 0);

  i = find_resource (self, name);
  return i >= 0 ? g_array_index (self->resources, Resource, i).limit : 0;
}
