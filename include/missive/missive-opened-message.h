/* missive-opened-message.h: a received message after decryption and
 * signature checks
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <gmime/gmime.h>
#include <missive/missive-types.h>
#include <missive/missive-decrypt-result.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_OPENED_MESSAGE (missive_opened_message_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveOpenedMessage, missive_opened_message, MISSIVE, OPENED_MESSAGE, GObject)

MISSIVE_AVAILABLE_IN_1_0
GMimeMessage         *missive_opened_message_get_message        (MissiveOpenedMessage *self);
MISSIVE_AVAILABLE_IN_1_0
GListModel           *missive_opened_message_get_signatures     (MissiveOpenedMessage *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveDecryptResult *missive_opened_message_get_decrypt_result (MissiveOpenedMessage *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean              missive_opened_message_get_encrypted      (MissiveOpenedMessage *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean              missive_opened_message_get_signed         (MissiveOpenedMessage *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean              missive_opened_message_get_verified       (MissiveOpenedMessage *self);

G_END_DECLS
