/* missive-message-info.h: the summary of one message in a store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_MESSAGE_INFO (missive_message_info_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveMessageInfo, missive_message_info, MISSIVE, MESSAGE_INFO, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveMessageInfo *missive_message_info_new               (void);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_message_info_get_uid           (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_uid           (MissiveMessageInfo *self,
                                                            guint               uid);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_message_info_get_sequence      (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_sequence      (MissiveMessageInfo *self,
                                                            guint               sequence);
MISSIVE_AVAILABLE_IN_1_0
guint64             missive_message_info_get_size          (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_size          (MissiveMessageInfo *self,
                                                            guint64             size);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_message_info_get_uidl          (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_uidl          (MissiveMessageInfo *self,
                                                            const char         *uidl);
MISSIVE_AVAILABLE_IN_1_0
const char * const *missive_message_info_get_flags         (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_flags         (MissiveMessageInfo *self,
                                                            const char * const *flags);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_message_info_has_flag          (MissiveMessageInfo *self,
                                                            const char         *flag);
MISSIVE_AVAILABLE_IN_1_0
GDateTime          *missive_message_info_get_internal_date (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_internal_date (MissiveMessageInfo *self,
                                                            GDateTime          *date);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_message_info_get_subject       (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_subject       (MissiveMessageInfo *self,
                                                            const char         *subject);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_message_info_get_from          (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_from          (MissiveMessageInfo *self,
                                                            const char         *from);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_message_info_get_message_id    (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_message_id    (MissiveMessageInfo *self,
                                                            const char         *message_id);

G_END_DECLS
