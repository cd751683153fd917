/* missive-reconnector-private.h: what the files of MissiveReconnector
 * share (missive-reconnector.c, missive-reconnector-resync.c), and how
 * they fill a MissiveResyncReport
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

struct _MissiveReconnector
{
  GObject parent_instance;

  MissiveStore *store;          /* weak: the store owns the application's interest */
  gulong notify_id, changed_id, info_id;

  guint max_attempts;
  guint initial_delay;
  guint max_delay;

  /* What is known of the mailbox. */
  char *mailbox;
  gboolean read_only;
  guint32 uid_validity;
  guint64 highest_modseq;
  guint32 uid_next;
  MissiveMessageSet *known;     /* nullable: unknown */

  gboolean busy;                /* our own select or reconnect runs */
};

/* Forgets what is known of the mailbox (not its name). */
void     missive_reconnector_forget_state      (MissiveReconnector *self);
/* Sets the mailbox to select again, notifying "mailbox". */
void     missive_reconnector_set_mailbox_name  (MissiveReconnector *self,
                                                const char         *mailbox);
/* FALSE when the store's ids are sequence numbers (IMAP use-uid off). */
gboolean missive_reconnector_store_uses_uids   (MissiveStore       *store);
void     missive_reconnector_emit_reconnecting (MissiveReconnector *self,
                                                guint               attempt);

/* Takes references to @info, @vanished, @added and @changed (nullable:
 * empty). */
MissiveResyncReport *missive_resync_report_new (const char          *mailbox,
                                                MissiveMailboxInfo  *info,
                                                MissiveMessageSet   *vanished,
                                                MissiveMessageSet   *added,
                                                GListModel          *changed,
                                                gboolean             uid_validity_changed,
                                                gboolean             all_flags,
                                                gboolean             used_qresync,
                                                guint                attempts);

G_END_DECLS
