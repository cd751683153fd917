/* missive-search-query-private.h: what MissiveStore asks of a query
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

/* FALSE with MISSIVE_ERROR_INVALID_ARGUMENT when @query cannot be sent
 * safely (raw criteria with CR or LF). */
gboolean missive_search_query_check (MissiveSearchQuery  *query,
                                     GError             **error);

G_END_DECLS
