/* missive-recipient-result.h: what the server said about one recipient
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_RECIPIENT_RESULT (missive_recipient_result_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveRecipientResult, missive_recipient_result, MISSIVE, RECIPIENT_RESULT, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveRecipientResult *missive_recipient_result_new (const char *address,
                                                      guint       code,
                                                      const char *enhanced_status,
                                                      const char *text);
MISSIVE_AVAILABLE_IN_1_0
const char *missive_recipient_result_get_address         (MissiveRecipientResult *self);
MISSIVE_AVAILABLE_IN_1_0
guint       missive_recipient_result_get_code            (MissiveRecipientResult *self);
MISSIVE_AVAILABLE_IN_1_0
const char *missive_recipient_result_get_enhanced_status (MissiveRecipientResult *self);
MISSIVE_AVAILABLE_IN_1_0
const char *missive_recipient_result_get_text            (MissiveRecipientResult *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean    missive_recipient_result_get_accepted        (MissiveRecipientResult *self);

G_END_DECLS
