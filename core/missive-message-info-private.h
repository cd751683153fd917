/* missive-message-info-private.h: header parsing for MissiveMessageInfo
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

/* Splits a raw header block into fields: an array of strings, name and
 * value alternating, in order, each value unfolded and trimmed. Lines
 * that are not fields are skipped; parsing stops at the first empty
 * line. */
GPtrArray *missive_message_info_parse_headers (GBytes *raw_headers);

/* The display form of an address list: "Name <addr>, addr, Group: ...;". */
char      *missive_message_info_format_addresses (InternetAddressList *list);

G_END_DECLS
