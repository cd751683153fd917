/* missive-message-set.h: a set of message ids (IMAP sequence sets)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

/**
 * MISSIVE_MESSAGE_SET_STAR:
 *
 * How a set stores IMAP's `*` (the highest id in the mailbox): as the
 * largest 32-bit id. A range ending at `*` ("12:*") is the range from 12
 * to %MISSIVE_MESSAGE_SET_STAR.
 *
 * Since: 1.0
 */
#define MISSIVE_MESSAGE_SET_STAR G_MAXUINT32

/**
 * MISSIVE_MESSAGE_SET_MIN_SPLIT_LENGTH:
 *
 * The smallest length [method@MessageSet.split] accepts: the length of
 * the longest range, "4294967294:4294967295".
 *
 * Since: 1.0
 */
#define MISSIVE_MESSAGE_SET_MIN_SPLIT_LENGTH 21

typedef struct _MissiveMessageSet MissiveMessageSet;

/**
 * MissiveMessageSetFunc:
 * @id: a message id of the set
 * @user_data: the data passed to [method@MessageSet.foreach]
 *
 * Called for each id of a set, in increasing order.
 *
 * Returns: %TRUE to go on, %FALSE to stop
 *
 * Since: 1.0
 */
typedef gboolean (*MissiveMessageSetFunc) (guint32  id,
                                           gpointer user_data);

#define MISSIVE_TYPE_MESSAGE_SET (missive_message_set_get_type ())
MISSIVE_AVAILABLE_IN_1_0
GType              missive_message_set_get_type        (void) G_GNUC_CONST;

MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet *missive_message_set_new             (void);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet *missive_message_set_new_single      (guint32                id);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet *missive_message_set_new_from_array  (const guint32         *ids,
                                                        gsize                  n_ids);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet *missive_message_set_new_from_string (const char            *string,
                                                        GError               **error);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet *missive_message_set_copy            (MissiveMessageSet     *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet *missive_message_set_ref             (MissiveMessageSet     *self);
MISSIVE_AVAILABLE_IN_1_0
void               missive_message_set_unref           (MissiveMessageSet     *self);

MISSIVE_AVAILABLE_IN_1_0
void               missive_message_set_add             (MissiveMessageSet     *self,
                                                        guint32                id);
MISSIVE_AVAILABLE_IN_1_0
void               missive_message_set_add_range       (MissiveMessageSet     *self,
                                                        guint32                first,
                                                        guint32                last);
MISSIVE_AVAILABLE_IN_1_0
void               missive_message_set_add_set         (MissiveMessageSet     *self,
                                                        MissiveMessageSet     *other);
MISSIVE_AVAILABLE_IN_1_0
void               missive_message_set_remove          (MissiveMessageSet     *self,
                                                        guint32                id);

MISSIVE_AVAILABLE_IN_1_0
gboolean           missive_message_set_contains        (MissiveMessageSet     *self,
                                                        guint32                id);
MISSIVE_AVAILABLE_IN_1_0
gboolean           missive_message_set_is_empty        (MissiveMessageSet     *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean           missive_message_set_has_star        (MissiveMessageSet     *self);
MISSIVE_AVAILABLE_IN_1_0
guint64            missive_message_set_get_count       (MissiveMessageSet     *self);
MISSIVE_AVAILABLE_IN_1_0
guint32            missive_message_set_get_min         (MissiveMessageSet     *self);
MISSIVE_AVAILABLE_IN_1_0
guint32            missive_message_set_get_max         (MissiveMessageSet     *self);
MISSIVE_AVAILABLE_IN_1_0
guint              missive_message_set_get_n_ranges    (MissiveMessageSet     *self);
MISSIVE_AVAILABLE_IN_1_0
void               missive_message_set_get_range       (MissiveMessageSet     *self,
                                                        guint                  index,
                                                        guint32               *first,
                                                        guint32               *last);
MISSIVE_AVAILABLE_IN_1_0
gboolean           missive_message_set_equal           (MissiveMessageSet     *a,
                                                        MissiveMessageSet     *b);

MISSIVE_AVAILABLE_IN_1_0
char              *missive_message_set_to_string       (MissiveMessageSet     *self);
MISSIVE_AVAILABLE_IN_1_0
guint32           *missive_message_set_to_array        (MissiveMessageSet     *self,
                                                        gsize                 *n_ids);
MISSIVE_AVAILABLE_IN_1_0
char             **missive_message_set_split           (MissiveMessageSet     *self,
                                                        gsize                  max_length);
MISSIVE_AVAILABLE_IN_1_0
void               missive_message_set_foreach         (MissiveMessageSet     *self,
                                                        MissiveMessageSetFunc  func,
                                                        gpointer               user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MissiveMessageSet, missive_message_set_unref)

G_END_DECLS
