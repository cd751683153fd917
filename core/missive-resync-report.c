/* missive-resync-report.c: what changed in a mailbox while the connection
 * was down
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-reconnector-private.h"

/**
 * MissiveResyncReport:
 *
 * What [method@Reconnector.reconnect] found after it opened the store
 * again: the mailbox it selected once more, its new state, the UIDs of
 * the messages that disappeared while the connection was down
 * ([method@ResyncReport.get_vanished]), the UIDs of the messages that
 * arrived ([method@ResyncReport.get_added]) and the messages whose flags
 * changed ([method@ResyncReport.get_changed]).
 *
 * When [method@ResyncReport.get_uid_validity_changed] is %TRUE the
 * mailbox was recreated on the server: nothing was compared, and the
 * application must drop what it knew of the mailbox.
 *
 * The ids in a report are always UIDs.
 *
 * Since: 1.0
 */
struct _MissiveResyncReport
{
  GObject parent_instance;

  char *mailbox;
  MissiveMailboxInfo *info;
  MissiveMessageSet *vanished;
  MissiveMessageSet *added;
  GListModel *changed;
  gboolean uid_validity_changed;
  gboolean all_flags;
  gboolean used_qresync;
  guint attempts;
};

G_DEFINE_FINAL_TYPE (MissiveResyncReport, missive_resync_report, G_TYPE_OBJECT)

static void
missive_resync_report_finalize (GObject *object)
{
  MissiveResyncReport *self = MISSIVE_RESYNC_REPORT (object);

  g_free (self->mailbox);
  g_clear_object (&self->info);
  g_clear_pointer (&self->vanished, missive_message_set_unref);
  g_clear_pointer (&self->added, missive_message_set_unref);
  g_clear_object (&self->changed);

  G_OBJECT_CLASS (missive_resync_report_parent_class)->finalize (object);
}

static void
missive_resync_report_class_init (MissiveResyncReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = missive_resync_report_finalize;
}

static void
missive_resync_report_init (MissiveResyncReport *self)
{
}

MissiveResyncReport *
missive_resync_report_new (const char         *mailbox,
                           MissiveMailboxInfo *info,
                           MissiveMessageSet  *vanished,
                           MissiveMessageSet  *added,
                           GListModel         *changed,
                           gboolean            uid_validity_changed,
                           gboolean            all_flags,
                           gboolean            used_qresync,
                           guint               attempts)
{
  MissiveResyncReport *self = g_object_new (MISSIVE_TYPE_RESYNC_REPORT, NULL);

  self->mailbox = g_strdup (mailbox);
  self->info = info != NULL ? g_object_ref (info) : NULL;
  self->vanished = vanished != NULL ? missive_message_set_ref (vanished) : missive_message_set_new ();
  self->added = added != NULL ? missive_message_set_ref (added) : missive_message_set_new ();
  self->changed = changed != NULL ? g_object_ref (changed)
                                  : G_LIST_MODEL (g_list_store_new (MISSIVE_TYPE_MESSAGE_INFO));
  self->uid_validity_changed = uid_validity_changed;
  self->all_flags = all_flags;
  self->used_qresync = used_qresync;
  self->attempts = attempts;
  return self;
}

/**
 * missive_resync_report_get_mailbox:
 * @self: a report
 *
 * Gets the mailbox that was selected again, or %NULL when none was
 * selected before the connection dropped.
 *
 * Returns: (nullable): the mailbox's name
 *
 * Since: 1.0
 */
const char *
missive_resync_report_get_mailbox (MissiveResyncReport *self)
{
  g_return_val_if_fail (MISSIVE_IS_RESYNC_REPORT (self), NULL);

  return self->mailbox;
}

/**
 * missive_resync_report_get_mailbox_info:
 * @self: a report
 *
 * Gets the state of the mailbox as the new selection reported it
 * (UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, counters).
 *
 * Returns: (transfer none) (nullable): the mailbox's state, or %NULL when
 *   no mailbox was selected
 *
 * Since: 1.0
 */
MissiveMailboxInfo *
missive_resync_report_get_mailbox_info (MissiveResyncReport *self)
{
  g_return_val_if_fail (MISSIVE_IS_RESYNC_REPORT (self), NULL);

  return self->info;
}

/**
 * missive_resync_report_get_vanished:
 * @self: a report
 *
 * Gets the UIDs of the known messages that are gone from the mailbox.
 *
 * Returns: (transfer none): the vanished UIDs (maybe empty)
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_resync_report_get_vanished (MissiveResyncReport *self)
{
  g_return_val_if_fail (MISSIVE_IS_RESYNC_REPORT (self), NULL);

  return self->vanished;
}

/**
 * missive_resync_report_get_added:
 * @self: a report
 *
 * Gets the UIDs of the messages that arrived while the connection was
 * down: those not known before, at or above the UIDNEXT known before.
 *
 * Returns: (transfer none): the new UIDs (maybe empty)
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_resync_report_get_added (MissiveResyncReport *self)
{
  g_return_val_if_fail (MISSIVE_IS_RESYNC_REPORT (self), NULL);

  return self->added;
}

/**
 * missive_resync_report_get_changed:
 * @self: a report
 *
 * Gets the known messages whose flags changed, each a [class@MessageInfo]
 * with its UID, flags and (with CONDSTORE) modification sequence. When
 * [method@ResyncReport.get_all_flags] is %TRUE, the server could not say
 * what changed, and this holds the current flags of every known message.
 *
 * Returns: (transfer none): a #GListModel of [class@MessageInfo]
 *
 * Since: 1.0
 */
GListModel *
missive_resync_report_get_changed (MissiveResyncReport *self)
{
  g_return_val_if_fail (MISSIVE_IS_RESYNC_REPORT (self), NULL);

  return self->changed;
}

/**
 * missive_resync_report_get_uid_validity_changed:
 * @self: a report
 *
 * Gets whether the mailbox's UIDVALIDITY differs from the one known
 * before: the UIDs known before mean nothing any more, nothing was
 * compared, and the application must drop its copy of the mailbox.
 *
 * Returns: %TRUE if the UIDVALIDITY changed
 *
 * Since: 1.0
 */
gboolean
missive_resync_report_get_uid_validity_changed (MissiveResyncReport *self)
{
  g_return_val_if_fail (MISSIVE_IS_RESYNC_REPORT (self), FALSE);

  return self->uid_validity_changed;
}

/**
 * missive_resync_report_get_all_flags:
 * @self: a report
 *
 * Gets whether [method@ResyncReport.get_changed] holds the flags of every
 * known message rather than only the changed ones: the server has no
 * CONDSTORE, or no modification sequence was known before.
 *
 * Returns: %TRUE if the flags of all messages were fetched
 *
 * Since: 1.0
 */
gboolean
missive_resync_report_get_all_flags (MissiveResyncReport *self)
{
  g_return_val_if_fail (MISSIVE_IS_RESYNC_REPORT (self), FALSE);

  return self->all_flags;
}

/**
 * missive_resync_report_get_used_qresync:
 * @self: a report
 *
 * Gets whether the mailbox was resynchronised with QRESYNC (RFC 7162) in
 * the SELECT command itself, rather than by comparing UIDs.
 *
 * Returns: %TRUE if QRESYNC was used
 *
 * Since: 1.0
 */
gboolean
missive_resync_report_get_used_qresync (MissiveResyncReport *self)
{
  g_return_val_if_fail (MISSIVE_IS_RESYNC_REPORT (self), FALSE);

  return self->used_qresync;
}

/**
 * missive_resync_report_get_attempts:
 * @self: a report
 *
 * Gets how many connection attempts the reconnection took (1 when the
 * first one succeeded).
 *
 * Returns: the number of attempts
 *
 * Since: 1.0
 */
guint
missive_resync_report_get_attempts (MissiveResyncReport *self)
{
  g_return_val_if_fail (MISSIVE_IS_RESYNC_REPORT (self), 0);

  return self->attempts;
}
