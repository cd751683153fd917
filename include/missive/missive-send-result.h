/* missive-send-result.h: what the server did with one message
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>
#include <missive/missive-reply.h>
#include <missive/missive-recipient-result.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_SEND_RESULT (missive_send_result_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveSendResult, missive_send_result, MISSIVE, SEND_RESULT, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveSendResult *missive_send_result_new            (void);
MISSIVE_AVAILABLE_IN_1_0
void               missive_send_result_add_recipient  (MissiveSendResult      *self,
                                                       MissiveRecipientResult *recipient);
MISSIVE_AVAILABLE_IN_1_0
GListModel        *missive_send_result_get_recipients (MissiveSendResult      *self);
MISSIVE_AVAILABLE_IN_1_0
guint              missive_send_result_get_n_accepted (MissiveSendResult      *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveReply      *missive_send_result_get_reply      (MissiveSendResult      *self);
MISSIVE_AVAILABLE_IN_1_0
void               missive_send_result_set_reply      (MissiveSendResult      *self,
                                                       MissiveReply           *reply);
MISSIVE_AVAILABLE_IN_1_0
guint64            missive_send_result_get_size       (MissiveSendResult      *self);
MISSIVE_AVAILABLE_IN_1_0
void               missive_send_result_set_size       (MissiveSendResult      *self,
                                                       guint64                 size);

G_END_DECLS
