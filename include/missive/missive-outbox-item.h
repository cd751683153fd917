/* missive-outbox-item.h: one message in an outbox
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>
#include <missive/missive-envelope.h>

G_BEGIN_DECLS

/**
 * MissiveOutboxState:
 * @MISSIVE_OUTBOX_STATE_QUEUED: waiting to be sent, or to be tried again
 *   after a temporary failure
 * @MISSIVE_OUTBOX_STATE_FAILED: the server refused it for good; kept until
 *   removed or queued again with [method@Outbox.retry_failed]
 * @MISSIVE_OUTBOX_STATE_SENT: the server accepted it, and the outbox keeps
 *   sent messages ([property@Outbox:keep-sent])
 *
 * Where a message of a [class@Outbox] is.
 *
 * Since: 1.0
 */
typedef enum {
  MISSIVE_OUTBOX_STATE_QUEUED,
  MISSIVE_OUTBOX_STATE_FAILED,
  MISSIVE_OUTBOX_STATE_SENT,
} MissiveOutboxState;

#define MISSIVE_TYPE_OUTBOX_ITEM (missive_outbox_item_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveOutboxItem, missive_outbox_item, MISSIVE, OUTBOX_ITEM, GObject)

MISSIVE_AVAILABLE_IN_1_0
const char         *missive_outbox_item_get_id           (MissiveOutboxItem *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveOutboxState  missive_outbox_item_get_state        (MissiveOutboxItem *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveEnvelope    *missive_outbox_item_get_envelope     (MissiveOutboxItem *self);
MISSIVE_AVAILABLE_IN_1_0
guint64             missive_outbox_item_get_size         (MissiveOutboxItem *self);
MISSIVE_AVAILABLE_IN_1_0
guint               missive_outbox_item_get_attempts     (MissiveOutboxItem *self);
MISSIVE_AVAILABLE_IN_1_0
GDateTime          *missive_outbox_item_get_queued_time  (MissiveOutboxItem *self);
MISSIVE_AVAILABLE_IN_1_0
GDateTime          *missive_outbox_item_get_next_attempt (MissiveOutboxItem *self);
MISSIVE_AVAILABLE_IN_1_0
const GError       *missive_outbox_item_get_last_error   (MissiveOutboxItem *self);

G_END_DECLS
