/* missive-message-info.h: the summary of one message in a store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <gmime/gmime.h>
#include <missive/missive-types.h>
#include <missive/missive-body-part.h>

G_BEGIN_DECLS

/**
 * MissiveAddressField:
 * @MISSIVE_ADDRESS_FIELD_FROM: the From header
 * @MISSIVE_ADDRESS_FIELD_SENDER: the Sender header
 * @MISSIVE_ADDRESS_FIELD_REPLY_TO: the Reply-To header
 * @MISSIVE_ADDRESS_FIELD_TO: the To header
 * @MISSIVE_ADDRESS_FIELD_CC: the Cc header
 * @MISSIVE_ADDRESS_FIELD_BCC: the Bcc header
 *
 * The address fields of a message's envelope, for
 * [method@MessageInfo.get_addresses].
 *
 * Since: 1.0
 */
typedef enum
{
  MISSIVE_ADDRESS_FIELD_FROM,
  MISSIVE_ADDRESS_FIELD_SENDER,
  MISSIVE_ADDRESS_FIELD_REPLY_TO,
  MISSIVE_ADDRESS_FIELD_TO,
  MISSIVE_ADDRESS_FIELD_CC,
  MISSIVE_ADDRESS_FIELD_BCC,
} MissiveAddressField;

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

MISSIVE_AVAILABLE_IN_1_0
guint64             missive_message_info_get_modseq           (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_modseq           (MissiveMessageInfo *self,
                                                               guint64             modseq);
MISSIVE_AVAILABLE_IN_1_0
GDateTime          *missive_message_info_get_date             (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_date             (MissiveMessageInfo *self,
                                                               GDateTime          *date);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_message_info_get_in_reply_to      (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_in_reply_to      (MissiveMessageInfo *self,
                                                               const char         *in_reply_to);
MISSIVE_AVAILABLE_IN_1_0
InternetAddressList *missive_message_info_get_addresses       (MissiveMessageInfo  *self,
                                                               MissiveAddressField  field);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_addresses        (MissiveMessageInfo  *self,
                                                               MissiveAddressField  field,
                                                               InternetAddressList *addresses);
MISSIVE_AVAILABLE_IN_1_0
MissiveBodyPart    *missive_message_info_get_body_structure   (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_body_structure   (MissiveMessageInfo *self,
                                                               MissiveBodyPart    *body_structure);
MISSIVE_AVAILABLE_IN_1_0
GBytes             *missive_message_info_get_raw_headers      (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_raw_headers      (MissiveMessageInfo *self,
                                                               GBytes             *raw_headers);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_message_info_get_header           (MissiveMessageInfo *self,
                                                               const char         *name);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_fill_from_headers    (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_message_info_get_preview          (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_preview          (MissiveMessageInfo *self,
                                                               const char         *preview);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_message_info_get_email_id         (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_email_id         (MissiveMessageInfo *self,
                                                               const char         *email_id);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_message_info_get_thread_id        (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_thread_id        (MissiveMessageInfo *self,
                                                               const char         *thread_id);
MISSIVE_AVAILABLE_IN_1_0
GDateTime          *missive_message_info_get_save_date        (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_save_date        (MissiveMessageInfo *self,
                                                               GDateTime          *date);
MISSIVE_AVAILABLE_IN_1_0
const char * const *missive_message_info_get_gmail_labels     (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_gmail_labels     (MissiveMessageInfo *self,
                                                               const char * const *labels);
MISSIVE_AVAILABLE_IN_1_0
guint64             missive_message_info_get_gmail_message_id (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_gmail_message_id (MissiveMessageInfo *self,
                                                               guint64             id);
MISSIVE_AVAILABLE_IN_1_0
guint64             missive_message_info_get_gmail_thread_id  (MissiveMessageInfo *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_message_info_set_gmail_thread_id  (MissiveMessageInfo *self,
                                                               guint64             id);

G_END_DECLS
