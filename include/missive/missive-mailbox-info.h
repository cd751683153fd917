/* missive-mailbox-info.h: what a store knows about one mailbox
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_MAILBOX_INFO (missive_mailbox_info_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveMailboxInfo, missive_mailbox_info, MISSIVE, MAILBOX_INFO, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveMailboxInfo *missive_mailbox_info_new              (const char         *name);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_mailbox_info_get_name         (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_mailbox_info_get_separator    (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_separator    (MissiveMailboxInfo *self,
                                                           const char         *separator);
MISSIVE_AVAILABLE_IN_1_0
const char * const *missive_mailbox_info_get_attributes   (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_attributes   (MissiveMailboxInfo *self,
                                                           const char * const *attributes);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_mailbox_info_has_attribute    (MissiveMailboxInfo *self,
                                                           const char         *attribute);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_mailbox_info_get_messages     (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_messages     (MissiveMailboxInfo *self,
                                                           guint               messages);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_mailbox_info_get_unseen       (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_unseen       (MissiveMailboxInfo *self,
                                                           guint               unseen);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_mailbox_info_get_uid_validity (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_uid_validity (MissiveMailboxInfo *self,
                                                           guint               uid_validity);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_mailbox_info_get_uid_next     (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_uid_next     (MissiveMailboxInfo *self,
                                                           guint               uid_next);
MISSIVE_AVAILABLE_IN_1_0
guint64             missive_mailbox_info_get_size         (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_size         (MissiveMailboxInfo *self,
                                                           guint64             size);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_mailbox_info_get_read_only    (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_read_only    (MissiveMailboxInfo *self,
                                                           gboolean            read_only);

MISSIVE_AVAILABLE_IN_1_0
guint               missive_mailbox_info_get_recent          (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_recent          (MissiveMailboxInfo *self,
                                                              guint               recent);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_mailbox_info_get_first_unseen    (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_first_unseen    (MissiveMailboxInfo *self,
                                                              guint               first_unseen);
MISSIVE_AVAILABLE_IN_1_0
guint64             missive_mailbox_info_get_highest_modseq  (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_highest_modseq  (MissiveMailboxInfo *self,
                                                              guint64             highest_modseq);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_mailbox_info_get_no_modseq       (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_no_modseq       (MissiveMailboxInfo *self,
                                                              gboolean            no_modseq);
MISSIVE_AVAILABLE_IN_1_0
const char * const *missive_mailbox_info_get_flags           (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_flags           (MissiveMailboxInfo *self,
                                                              const char * const *flags);
MISSIVE_AVAILABLE_IN_1_0
const char * const *missive_mailbox_info_get_permanent_flags (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_permanent_flags (MissiveMailboxInfo *self,
                                                              const char * const *flags);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_mailbox_info_get_mailbox_id      (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_mailbox_id      (MissiveMailboxInfo *self,
                                                              const char         *mailbox_id);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_mailbox_info_get_subscribed      (MissiveMailboxInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_mailbox_info_set_subscribed      (MissiveMailboxInfo *self,
                                                              gboolean            subscribed);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_mailbox_info_get_special_use     (MissiveMailboxInfo *self);

G_END_DECLS
