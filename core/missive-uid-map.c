/* missive-uid-map.c: where copied, moved or appended messages went
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveUidMap:
 *
 * What a server with UIDPLUS (RFC 4315) reports after a copy, a move or an
 * append: the UID validity of the destination mailbox and the UIDs the
 * messages got there. For a copy or move, the n-th UID of
 * [method@UidMap.get_source] (in increasing order) went to the n-th UID of
 * [method@UidMap.get_destination]; [method@UidMap.lookup] does that
 * arithmetic.
 *
 * When the server does not report UIDs, the map is empty: UID validity 0
 * and no UIDs.
 *
 * Since: 1.0
 */
struct _MissiveUidMap
{
  GObject parent_instance;

  guint32 uid_validity;
  MissiveMessageSet *source;
  MissiveMessageSet *destination;
};

enum {
  PROP_0,
  PROP_UID_VALIDITY,
  PROP_SOURCE,
  PROP_DESTINATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveUidMap, missive_uid_map, G_TYPE_OBJECT)

static void
missive_uid_map_finalize (GObject *object)
{
  MissiveUidMap *self = MISSIVE_UID_MAP (object);

  g_clear_pointer (&self->source, missive_message_set_unref);
  g_clear_pointer (&self->destination, missive_message_set_unref);

  G_OBJECT_CLASS (missive_uid_map_parent_class)->finalize (object);
}

static void
missive_uid_map_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MissiveUidMap *self = MISSIVE_UID_MAP (object);

  switch (prop_id)
    {
    case PROP_UID_VALIDITY:
      g_value_set_uint (value, self->uid_validity);
      break;
    case PROP_SOURCE:
      g_value_set_boxed (value, self->source);
      break;
    case PROP_DESTINATION:
      g_value_set_boxed (value, self->destination);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_uid_map_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  MissiveUidMap *self = MISSIVE_UID_MAP (object);

  /* Construct-only. */
  switch (prop_id)
    {
    case PROP_UID_VALIDITY:
      self->uid_validity = g_value_get_uint (value);
      break;
    case PROP_SOURCE:
      g_clear_pointer (&self->source, missive_message_set_unref);
      self->source = g_value_dup_boxed (value);
      break;
    case PROP_DESTINATION:
      g_clear_pointer (&self->destination, missive_message_set_unref);
      self->destination = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_uid_map_constructed (GObject *object)
{
  MissiveUidMap *self = MISSIVE_UID_MAP (object);

  G_OBJECT_CLASS (missive_uid_map_parent_class)->constructed (object);

  if (self->destination == NULL)
    self->destination = missive_message_set_new ();
}

static void
missive_uid_map_class_init (MissiveUidMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_uid_map_finalize;
  object_class->constructed = missive_uid_map_constructed;
  object_class->get_property = missive_uid_map_get_property;
  object_class->set_property = missive_uid_map_set_property;

  /**
   * MissiveUidMap:uid-validity:
   *
   * The UID validity of the destination mailbox, or 0 when the server did
   * not say.
   *
   * Since: 1.0
   */
  properties[PROP_UID_VALIDITY] =
    g_param_spec_uint ("uid-validity", NULL, NULL,
                       0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveUidMap:source:
   *
   * The UIDs of the copied or moved messages in the source mailbox; %NULL
   * for an append.
   *
   * Since: 1.0
   */
  properties[PROP_SOURCE] =
    g_param_spec_boxed ("source", NULL, NULL,
                        MISSIVE_TYPE_MESSAGE_SET,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveUidMap:destination:
   *
   * The UIDs the messages got in the destination mailbox; empty when the
   * server did not say.
   *
   * Since: 1.0
   */
  properties[PROP_DESTINATION] =
    g_param_spec_boxed ("destination", NULL, NULL,
                        MISSIVE_TYPE_MESSAGE_SET,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_uid_map_init (MissiveUidMap *self)
{
}

/**
 * missive_uid_map_new:
 * @uid_validity: the UID validity of the destination mailbox, or 0
 * @source: (nullable): the UIDs in the source mailbox; %NULL for an append
 * @destination: (nullable): the UIDs in the destination mailbox; %NULL for
 *   none
 *
 * Creates a UID map. Both sets are copied. Call it with 0 and two %NULL
 * sets for an empty map.
 *
 * Returns: (transfer full): a new map
 *
 * Since: 1.0
 */
MissiveUidMap *
missive_uid_map_new (guint32            uid_validity,
                     MissiveMessageSet *source,
                     MissiveMessageSet *destination)
{
  g_autoptr(MissiveMessageSet) source_copy = NULL;
  g_autoptr(MissiveMessageSet) destination_copy = NULL;

  if (source != NULL)
    source_copy = missive_message_set_copy (source);
  if (destination != NULL)
    destination_copy = missive_message_set_copy (destination);
  return g_object_new (MISSIVE_TYPE_UID_MAP,
                       "uid-validity", (guint) uid_validity,
                       "source", source_copy,
                       "destination", destination_copy,
                       NULL);
}

/**
 * missive_uid_map_get_uid_validity:
 * @self: a map
 *
 * Gets the [property@UidMap:uid-validity] property.
 *
 * Returns: the destination's UID validity, or 0
 *
 * Since: 1.0
 */
guint32
missive_uid_map_get_uid_validity (MissiveUidMap *self)
{
  g_return_val_if_fail (MISSIVE_IS_UID_MAP (self), 0);
  return self->uid_validity;
}

/**
 * missive_uid_map_get_source:
 * @self: a map
 *
 * Gets the [property@UidMap:source] property.
 *
 * Returns: (transfer none) (nullable): the source UIDs, or %NULL for an
 *   append
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_uid_map_get_source (MissiveUidMap *self)
{
  g_return_val_if_fail (MISSIVE_IS_UID_MAP (self), NULL);
  return self->source;
}

/**
 * missive_uid_map_get_destination:
 * @self: a map
 *
 * Gets the [property@UidMap:destination] property.
 *
 * Returns: (transfer none): the destination UIDs, possibly none
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_uid_map_get_destination (MissiveUidMap *self)
{
  g_return_val_if_fail (MISSIVE_IS_UID_MAP (self), NULL);
  return self->destination;
}

/**
 * missive_uid_map_is_empty:
 * @self: a map
 *
 * Checks whether the server reported nothing (no UIDPLUS).
 *
 * Returns: %TRUE if there are no destination UIDs
 *
 * Since: 1.0
 */
gboolean
missive_uid_map_is_empty (MissiveUidMap *self)
{
  g_return_val_if_fail (MISSIVE_IS_UID_MAP (self), TRUE);
  return missive_message_set_is_empty (self->destination);
}

/**
 * missive_uid_map_lookup:
 * @self: a map
 * @source_uid: the UID of a copied or moved message in the source mailbox
 *
 * Finds the UID a message got in the destination mailbox.
 *
 * Returns: the destination UID, or 0 if @source_uid was not copied or
 *   the server did not say
 *
 * Since: 1.0
 */
guint32
missive_uid_map_lookup (MissiveUidMap *self,
                        guint32        source_uid)
{
  guint64 rank = 0;
  guint n;

  g_return_val_if_fail (MISSIVE_IS_UID_MAP (self), 0);

  if (self->source == NULL || !missive_message_set_contains (self->source, source_uid) ||
      missive_message_set_has_star (self->source) ||
      missive_message_set_has_star (self->destination))
    return 0;

  /* The position of @source_uid among the source UIDs... */
  n = missive_message_set_get_n_ranges (self->source);
  for (guint i = 0; i < n; i++)
    {
      guint32 first, last;

      missive_message_set_get_range (self->source, i, &first, &last);
      if (source_uid <= last)
        {
          rank += source_uid - first;
          break;
        }
      rank += (guint64) last - first + 1;
    }

  /* ... is the position of its destination UID. */
  n = missive_message_set_get_n_ranges (self->destination);
  for (guint i = 0; i < n; i++)
    {
      guint32 first, last;
      guint64 size;

      missive_message_set_get_range (self->destination, i, &first, &last);
      size = (guint64) last - first + 1;
      if (rank < size)
        return (guint32) (first + rank);
      rank -= size;
    }
  return 0;
}
