/* missive-uid-map.h: where copied, moved or appended messages went
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>
#include <missive/missive-message-set.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_UID_MAP (missive_uid_map_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveUidMap, missive_uid_map, MISSIVE, UID_MAP, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveUidMap     *missive_uid_map_new              (guint32            uid_validity,
                                                     MissiveMessageSet *source,
                                                     MissiveMessageSet *destination);
MISSIVE_AVAILABLE_IN_1_0
guint32            missive_uid_map_get_uid_validity (MissiveUidMap     *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet *missive_uid_map_get_source       (MissiveUidMap     *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet *missive_uid_map_get_destination  (MissiveUidMap     *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean           missive_uid_map_is_empty         (MissiveUidMap     *self);
MISSIVE_AVAILABLE_IN_1_0
guint32            missive_uid_map_lookup           (MissiveUidMap     *self,
                                                     guint32            source_uid);

G_END_DECLS
