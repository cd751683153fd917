/* missive-thread-node.c: one message of a conversation tree (IMAP THREAD)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveThreadNode:
 *
 * One node of a conversation tree as [method@Store.thread] returns it:
 * a message id (a UID or a sequence number, as the store's ids are) and
 * the replies to it, in the order the server gave them.
 *
 * A node whose id is 0 stands for a message the server knows is missing
 * (RFC 5256 "dummy" parent: the thread's first message was deleted or is
 * not in the result): only its children are real messages.
 *
 * Since: 1.0
 */
struct _MissiveThreadNode
{
  GObject parent_instance;

  guint32 id;
  GListStore *children;   /* created on first use */
};

enum {
  PROP_0,
  PROP_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MissiveThreadNode, missive_thread_node, G_TYPE_OBJECT)

static void
missive_thread_node_finalize (GObject *object)
{
  MissiveThreadNode *self = MISSIVE_THREAD_NODE (object);
  g_autoptr(GPtrArray) pending = NULL;

  /* A long conversation is a deep chain of nodes: free it with a list of
   * pending child lists instead of one nested finalize per level, which
   * could exhaust the stack. A child that someone else still holds keeps
   * its own children. */
  if (self->children != NULL)
    {
      pending = g_ptr_array_new ();
      g_ptr_array_add (pending, g_steal_pointer (&self->children));
    }
  while (pending != NULL && pending->len > 0)
    {
      GListStore *list = g_ptr_array_steal_index_fast (pending, pending->len - 1);
      guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

      for (guint i = 0; i < n; i++)
        {
          MissiveThreadNode *child = g_list_model_get_item (G_LIST_MODEL (list), i);

          /* Two references: the list's and ours. */
          if (child->children != NULL && G_OBJECT (child)->ref_count == 2)
            g_ptr_array_add (pending, g_steal_pointer (&child->children));
          g_object_unref (child);
        }
      g_object_unref (list);
    }

  G_OBJECT_CLASS (missive_thread_node_parent_class)->finalize (object);
}

static void
missive_thread_node_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MissiveThreadNode *self = MISSIVE_THREAD_NODE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_uint (value, self->id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_thread_node_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  MissiveThreadNode *self = MISSIVE_THREAD_NODE (object);

  /* Construct-only. */
  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_thread_node_class_init (MissiveThreadNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_thread_node_finalize;
  object_class->get_property = missive_thread_node_get_property;
  object_class->set_property = missive_thread_node_set_property;

  /**
   * MissiveThreadNode:id:
   *
   * The message's id (UID or sequence number), or 0 for a missing parent
   * that only groups its children.
   *
   * Since: 1.0
   */
  properties[PROP_ID] =
    g_param_spec_uint ("id", NULL, NULL,
                       0, G_MAXUINT32, 0,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_thread_node_init (MissiveThreadNode *self)
{
}

static GListStore *
children (MissiveThreadNode *self)
{
  if (self->children == NULL)
    self->children = g_list_store_new (MISSIVE_TYPE_THREAD_NODE);
  return self->children;
}

/**
 * missive_thread_node_new:
 * @id: the message id, or 0 for a missing parent
 *
 * Creates a node without children.
 *
 * Returns: (transfer full): a new node
 *
 * Since: 1.0
 */
MissiveThreadNode *
missive_thread_node_new (guint32 id)
{
  return g_object_new (MISSIVE_TYPE_THREAD_NODE, "id", id, NULL);
}

/**
 * missive_thread_node_get_id:
 * @self: a node
 *
 * Gets the [property@ThreadNode:id] property.
 *
 * Returns: the message id, or 0 for a missing parent
 *
 * Since: 1.0
 */
guint32
missive_thread_node_get_id (MissiveThreadNode *self)
{
  g_return_val_if_fail (MISSIVE_IS_THREAD_NODE (self), 0);
  return self->id;
}

/**
 * missive_thread_node_get_children:
 * @self: a node
 *
 * Gets the replies to this message.
 *
 * Returns: (transfer none): a #GListModel of [class@ThreadNode], possibly
 *   empty
 *
 * Since: 1.0
 */
GListModel *
missive_thread_node_get_children (MissiveThreadNode *self)
{
  g_return_val_if_fail (MISSIVE_IS_THREAD_NODE (self), NULL);
  return G_LIST_MODEL (children (self));
}

/**
 * missive_thread_node_get_n_children:
 * @self: a node
 *
 * Counts the direct replies to this message.
 *
 * Returns: the number of children
 *
 * Since: 1.0
 */
guint
missive_thread_node_get_n_children (MissiveThreadNode *self)
{
  g_return_val_if_fail (MISSIVE_IS_THREAD_NODE (self), 0);
  return self->children != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->children)) : 0;
}

/**
 * missive_thread_node_get_child:
 * @self: a node
 * @index: which child, from 0
 *
 * Gets one reply to this message.
 *
 * Returns: (transfer none) (nullable): the child, or %NULL if @index is
 *   out of range
 *
 * Since: 1.0
 */
MissiveThreadNode *
missive_thread_node_get_child (MissiveThreadNode *self,
                               guint              index)
{
  MissiveThreadNode *child;

  g_return_val_if_fail (MISSIVE_IS_THREAD_NODE (self), NULL);

  if (self->children == NULL)
    return NULL;
  child = g_list_model_get_item (G_LIST_MODEL (self->children), index);
  if (child != NULL)
    g_object_unref (child);   /* the list keeps its own reference */
  return child;
}

/**
 * missive_thread_node_add_child:
 * @self: a node
 * @child: the node to add after the other children
 *
 * Adds a reply to this message.
 *
 * Since: 1.0
 */
void
missive_thread_node_add_child (MissiveThreadNode *self,
                               MissiveThreadNode *child)
{
  g_return_if_fail (MISSIVE_IS_THREAD_NODE (self));
  g_return_if_fail (MISSIVE_IS_THREAD_NODE (child));
  g_return_if_fail (self != child);

  g_list_store_append (children (self), child);
}

/**
 * missive_thread_node_get_n_messages:
 * @self: a node
 *
 * Counts the messages of the subtree: this node (unless it is a missing
 * parent) and all its descendants.
 *
 * Returns: the number of messages
 *
 * Since: 1.0
 */
guint
missive_thread_node_get_n_messages (MissiveThreadNode *self)
{
  g_autoptr(GPtrArray) pending = NULL;
  guint n = 0;

  g_return_val_if_fail (MISSIVE_IS_THREAD_NODE (self), 0);

  /* Iterative: a conversation may be a very deep chain. */
  pending = g_ptr_array_new ();
  g_ptr_array_add (pending, self);
  while (pending->len > 0)
    {
      MissiveThreadNode *node = g_ptr_array_steal_index_fast (pending, pending->len - 1);

      if (node->id != 0)
        n++;
      for (guint i = 0; i < missive_thread_node_get_n_children (node); i++)
        g_ptr_array_add (pending, missive_thread_node_get_child (node, i));
    }
  return n;
}

typedef struct
{
  MissiveThreadNode *node;
  guint next;           /* the next child to write */
} Frame;

/**
 * missive_thread_node_to_string:
 * @self: a node
 *
 * Formats the subtree for display and tests, close to RFC 5256's syntax:
 * a message followed by its only reply is "1 2", several replies are
 * listed as "1 (2)(3 4)"; a missing parent is 0.
 *
 * Returns: (transfer full): the text
 *
 * Since: 1.0
 */
char *
missive_thread_node_to_string (MissiveThreadNode *self)
{
  g_autoptr(GArray) stack = NULL;
  GString *out;
  Frame first = { self, 0 };

  g_return_val_if_fail (MISSIVE_IS_THREAD_NODE (self), NULL);

  /* Iterative: a conversation may be a very deep chain. */
  out = g_string_new (NULL);
  stack = g_array_new (FALSE, FALSE, sizeof (Frame));
  g_string_append_printf (out, "%u", self->id);
  g_array_append_val (stack, first);
  while (stack->len > 0)
    {
      Frame *top = &g_array_index (stack, Frame, stack->len - 1);
      guint n = missive_thread_node_get_n_children (top->node);
      Frame child = { NULL, 0 };

      if (top->next == n)
        {
          if (n > 1)
            g_string_append_c (out, ')');
          g_array_set_size (stack, stack->len - 1);
          continue;
        }
      if (n == 1)
        g_string_append_c (out, ' ');
      else
        g_string_append (out, top->next == 0 ? " (" : ")(");
      child.node = missive_thread_node_get_child (top->node, top->next++);
      g_string_append_printf (out, "%u", child.node->id);
      g_array_append_val (stack, child);
    }
  return g_string_free (out, FALSE);
}
