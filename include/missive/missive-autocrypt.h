/* missive-autocrypt.h: Autocrypt Level 1 headers
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <gmime/gmime.h>
#include <missive/missive-types.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_AUTOCRYPT_HEADER (missive_autocrypt_header_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveAutocryptHeader, missive_autocrypt_header, MISSIVE, AUTOCRYPT_HEADER, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveAutocryptHeader *missive_autocrypt_header_new            (const char    *addr,
                                                                 gboolean       prefer_encrypt,
                                                                 GBytes        *key_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveAutocryptHeader *missive_autocrypt_header_parse          (const char    *value,
                                                                 GError       **error);
MISSIVE_AVAILABLE_IN_1_0
MissiveAutocryptHeader *missive_autocrypt_header_new_from_message (GMimeMessage *message,
                                                                 GError       **error);
MISSIVE_AVAILABLE_IN_1_0
GListModel             *missive_autocrypt_header_list_gossip    (GMimeMessage  *message);

MISSIVE_AVAILABLE_IN_1_0
const char             *missive_autocrypt_header_get_addr       (MissiveAutocryptHeader *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean                missive_autocrypt_header_get_prefer_encrypt (MissiveAutocryptHeader *self);
MISSIVE_AVAILABLE_IN_1_0
GBytes                 *missive_autocrypt_header_get_key_data   (MissiveAutocryptHeader *self);
MISSIVE_AVAILABLE_IN_1_0
char                   *missive_autocrypt_header_to_string      (MissiveAutocryptHeader *self);
MISSIVE_AVAILABLE_IN_1_0
void                    missive_autocrypt_header_add_to_message (MissiveAutocryptHeader *self,
                                                                 GMimeMessage           *message,
                                                                 gboolean                gossip);

G_END_DECLS
