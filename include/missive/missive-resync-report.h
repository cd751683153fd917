/* missive-resync-report.h: what changed in a mailbox while the connection
 * was down
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>
#include <missive/missive-mailbox-info.h>
#include <missive/missive-message-set.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_RESYNC_REPORT (missive_resync_report_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveResyncReport, missive_resync_report, MISSIVE, RESYNC_REPORT, GObject)

MISSIVE_AVAILABLE_IN_1_0
const char         *missive_resync_report_get_mailbox            (MissiveResyncReport *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveMailboxInfo *missive_resync_report_get_mailbox_info       (MissiveResyncReport *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet  *missive_resync_report_get_vanished           (MissiveResyncReport *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet  *missive_resync_report_get_added              (MissiveResyncReport *self);
MISSIVE_AVAILABLE_IN_1_0
GListModel         *missive_resync_report_get_changed            (MissiveResyncReport *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_resync_report_get_uid_validity_changed (MissiveResyncReport *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_resync_report_get_all_flags          (MissiveResyncReport *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_resync_report_get_used_qresync       (MissiveResyncReport *self);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_resync_report_get_attempts           (MissiveResyncReport *self);

G_END_DECLS
