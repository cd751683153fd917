/* missive-append-item.h: one message to add to a mailbox, with its flags
 * and date
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <gio/gio.h>
#include <missive/missive-types.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_APPEND_ITEM (missive_append_item_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveAppendItem, missive_append_item, MISSIVE, APPEND_ITEM, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveAppendItem   *missive_append_item_new               (GInputStream       *message,
                                                            goffset             size);
MISSIVE_AVAILABLE_IN_1_0
MissiveAppendItem   *missive_append_item_new_from_bytes    (GBytes             *message);
MISSIVE_AVAILABLE_IN_1_0
GInputStream        *missive_append_item_get_stream        (MissiveAppendItem  *self);
MISSIVE_AVAILABLE_IN_1_0
goffset              missive_append_item_get_size          (MissiveAppendItem  *self);
MISSIVE_AVAILABLE_IN_1_0
void                 missive_append_item_set_flags         (MissiveAppendItem  *self,
                                                            const char * const *flags);
MISSIVE_AVAILABLE_IN_1_0
const char * const  *missive_append_item_get_flags         (MissiveAppendItem  *self);
MISSIVE_AVAILABLE_IN_1_0
void                 missive_append_item_set_internal_date (MissiveAppendItem  *self,
                                                            GDateTime          *date);
MISSIVE_AVAILABLE_IN_1_0
GDateTime           *missive_append_item_get_internal_date (MissiveAppendItem  *self);

G_END_DECLS
