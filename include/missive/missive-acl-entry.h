/* missive-acl-entry.h: one entry of a mailbox's access control list
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_ACL_ENTRY (missive_acl_entry_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveAclEntry, missive_acl_entry, MISSIVE, ACL_ENTRY, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveAclEntry *missive_acl_entry_new            (const char      *identifier,
                                                   const char      *rights);
MISSIVE_AVAILABLE_IN_1_0
const char      *missive_acl_entry_get_identifier (MissiveAclEntry *self);
MISSIVE_AVAILABLE_IN_1_0
const char      *missive_acl_entry_get_rights     (MissiveAclEntry *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean         missive_acl_entry_has_right      (MissiveAclEntry *self,
                                                   const char      *right);

G_END_DECLS
