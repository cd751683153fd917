/* test-store-relay.h: one port in front of several scripted fake servers,
 * for tests that connect more than once (reconnection, pools)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "test-utils.h"

G_BEGIN_DECLS

typedef struct _MissiveTestRelay MissiveTestRelay;

/* Listens on 127.0.0.1; the n-th connection accepted (from 0) is relayed,
 * byte for byte, to @servers[n] until either side closes. Connections
 * beyond @n_servers are closed at once. @servers must outlive the relay. */
MissiveTestRelay *missive_test_relay_new      (MissiveTestServer **servers,
                                               guint               n_servers);
guint16           missive_test_relay_get_port (MissiveTestRelay   *relay);
/* How many connections were accepted so far. */
guint             missive_test_relay_get_n_accepted (MissiveTestRelay *relay);
void              missive_test_relay_free     (MissiveTestRelay   *relay);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MissiveTestRelay, missive_test_relay_free)

G_END_DECLS
