/* missive-thread-node.h: one message of a conversation tree (IMAP THREAD)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <gio/gio.h>
#include <missive/missive-types.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_THREAD_NODE (missive_thread_node_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveThreadNode, missive_thread_node, MISSIVE, THREAD_NODE, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveThreadNode *missive_thread_node_new            (guint32            id);
MISSIVE_AVAILABLE_IN_1_0
guint32            missive_thread_node_get_id         (MissiveThreadNode *self);
MISSIVE_AVAILABLE_IN_1_0
GListModel        *missive_thread_node_get_children   (MissiveThreadNode *self);
MISSIVE_AVAILABLE_IN_1_0
guint              missive_thread_node_get_n_children (MissiveThreadNode *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveThreadNode *missive_thread_node_get_child      (MissiveThreadNode *self,
                                                       guint              index);
MISSIVE_AVAILABLE_IN_1_0
void               missive_thread_node_add_child      (MissiveThreadNode *self,
                                                       MissiveThreadNode *child);
MISSIVE_AVAILABLE_IN_1_0
guint              missive_thread_node_get_n_messages (MissiveThreadNode *self);
MISSIVE_AVAILABLE_IN_1_0
char              *missive_thread_node_to_string      (MissiveThreadNode *self);

G_END_DECLS
