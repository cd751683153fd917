/* missive-namespace.h: one namespace of a mail server (IMAP NAMESPACE)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <glib-object.h>
#include <missive/missive-types.h>

G_BEGIN_DECLS

/**
 * MissiveNamespaceKind:
 * @MISSIVE_NAMESPACE_KIND_PERSONAL: the user's own mailboxes
 * @MISSIVE_NAMESPACE_KIND_OTHER_USERS: other users' mailboxes the user
 *   may see
 * @MISSIVE_NAMESPACE_KIND_SHARED: mailboxes shared between users
 *
 * The three kinds of namespace of RFC 2342.
 *
 * Since: 1.0
 */
typedef enum
{
  MISSIVE_NAMESPACE_KIND_PERSONAL,
  MISSIVE_NAMESPACE_KIND_OTHER_USERS,
  MISSIVE_NAMESPACE_KIND_SHARED,
} MissiveNamespaceKind;

#define MISSIVE_TYPE_NAMESPACE (missive_namespace_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveNamespace, missive_namespace, MISSIVE, NAMESPACE, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveNamespace     *missive_namespace_new           (MissiveNamespaceKind  kind,
                                                       const char           *prefix,
                                                       const char           *separator);
MISSIVE_AVAILABLE_IN_1_0
MissiveNamespaceKind  missive_namespace_get_kind      (MissiveNamespace     *self);
MISSIVE_AVAILABLE_IN_1_0
const char           *missive_namespace_get_prefix    (MissiveNamespace     *self);
MISSIVE_AVAILABLE_IN_1_0
const char           *missive_namespace_get_separator (MissiveNamespace     *self);

G_END_DECLS
