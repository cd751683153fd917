/* test-imap-fake.h: what the IMAP suites against scripted fake servers
 * share (test-imap-message.c, test-imap-extra.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

#include "test-utils.h"

G_BEGIN_DECLS

#define STEP_BYTES(s, n) { MISSIVE_TEST_STEP_EXPECT_BYTES, (s), (n) }

/* The greeting and the login only (tag A0001). */
#define LOGIN_ONLY(caps) \
  MT_SEND ("* OK [CAPABILITY " caps "] fake server ready\r\n"), \
  MT_EXPECT_PREFIX ("A0001 LOGIN "), \
  MT_SEND ("A0001 OK [CAPABILITY " caps "] Logged in\r\n")

#define LOGOUT(tag) \
  MT_EXPECT (tag " LOGOUT"), \
  MT_SEND ("* BYE Logging out\r\n" tag " OK Logout completed\r\n"), \
  MT_END

/* Opens an imap:// store on @server as alice (LOGIN, no TLS) and, with
 * @select, selects INBOX. MISSIVE_TEST_TRACE=1 prints the conversation. */
MissiveStore *open_store  (MissiveTestServer *server,
                           gboolean           select);
/* Closes @store and checks that @server played its whole script. */
void          close_store (MissiveStore      *store,
                           MissiveTestServer *server);

G_END_DECLS
