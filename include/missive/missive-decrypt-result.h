/* missive-decrypt-result.h: what a decryption found out
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_DECRYPT_RESULT (missive_decrypt_result_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveDecryptResult, missive_decrypt_result, MISSIVE, DECRYPT_RESULT, GObject)

MISSIVE_AVAILABLE_IN_1_0
const char * const *missive_decrypt_result_get_recipients       (MissiveDecryptResult *self);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_decrypt_result_get_cipher_algorithm (MissiveDecryptResult *self);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_decrypt_result_get_decrypted_with   (MissiveDecryptResult *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_decrypt_result_get_symmetric        (MissiveDecryptResult *self);
MISSIVE_AVAILABLE_IN_1_0
GListModel         *missive_decrypt_result_get_signatures       (MissiveDecryptResult *self);

G_END_DECLS
