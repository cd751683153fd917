/* missive-quota.h: the limits of one quota root
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_QUOTA (missive_quota_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveQuota, missive_quota, MISSIVE, QUOTA, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveQuota       *missive_quota_new           (const char   *root);
MISSIVE_AVAILABLE_IN_1_0
const char         *missive_quota_get_root      (MissiveQuota *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_quota_add_resource  (MissiveQuota *self,
                                                 const char   *name,
                                                 guint64       usage,
                                                 guint64       limit);
MISSIVE_AVAILABLE_IN_1_0
const char * const *missive_quota_get_resources (MissiveQuota *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_quota_has_resource  (MissiveQuota *self,
                                                 const char   *name);
MISSIVE_AVAILABLE_IN_1_0
guint64             missive_quota_get_usage     (MissiveQuota *self,
                                                 const char   *name);
MISSIVE_AVAILABLE_IN_1_0
guint64             missive_quota_get_limit     (MissiveQuota *self,
                                                 const char   *name);

G_END_DECLS
