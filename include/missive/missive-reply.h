/* missive-reply.h: a server's reply to one command
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_REPLY (missive_reply_get_type ())

MISSIVE_AVAILABLE_IN_1_0
GType               missive_reply_get_type   (void) G_GNUC_CONST;

MISSIVE_AVAILABLE_IN_1_0
MissiveReply       *missive_reply_new        (guint               code,
                                              const char         *status,
                                              const char         *text,
                                              const char * const *lines);
MISSIVE_AVAILABLE_IN_1_0
MissiveReply       *missive_reply_ref        (MissiveReply       *reply);
MISSIVE_AVAILABLE_IN_1_0
void                missive_reply_unref      (MissiveReply       *reply);

MISSIVE_AVAILABLE_IN_1_0
guint               missive_reply_get_code   (MissiveReply       *reply);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_reply_get_status (MissiveReply       *reply);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_reply_get_text   (MissiveReply       *reply);
MISSIVE_AVAILABLE_IN_1_0
const char * const *missive_reply_get_lines  (MissiveReply       *reply);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_reply_is_success (MissiveReply       *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MissiveReply, missive_reply_unref)

G_END_DECLS
