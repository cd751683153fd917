/* missive-store.h: mailbox access (IMAP, POP3)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <gmime/gmime.h>
#include <missive/missive-types.h>
#include <missive/missive-service.h>
#include <missive/missive-mailbox-info.h>
#include <missive/missive-message-info.h>
#include <missive/missive-message-set.h>
#include <missive/missive-search-query.h>
#include <missive/missive-uid-map.h>
#include <missive/missive-quota.h>
#include <missive/missive-acl-entry.h>
#include <missive/missive-thread-node.h>
#include <missive/missive-namespace.h>
#include <missive/missive-append-item.h>

G_BEGIN_DECLS

/**
 * MISSIVE_FLAG_SEEN:
 *
 * The system flag of a message that has been read.
 *
 * Since: 1.0
 */
#define MISSIVE_FLAG_SEEN "\\Seen"
/**
 * MISSIVE_FLAG_ANSWERED:
 *
 * The system flag of a message that has been answered.
 *
 * Since: 1.0
 */
#define MISSIVE_FLAG_ANSWERED "\\Answered"
/**
 * MISSIVE_FLAG_FLAGGED:
 *
 * The system flag of a message marked for attention.
 *
 * Since: 1.0
 */
#define MISSIVE_FLAG_FLAGGED "\\Flagged"
/**
 * MISSIVE_FLAG_DELETED:
 *
 * The system flag of a message to be removed by the next expunge.
 *
 * Since: 1.0
 */
#define MISSIVE_FLAG_DELETED "\\Deleted"
/**
 * MISSIVE_FLAG_DRAFT:
 *
 * The system flag of a message that is not finished.
 *
 * Since: 1.0
 */
#define MISSIVE_FLAG_DRAFT "\\Draft"
/**
 * MISSIVE_FLAG_RECENT:
 *
 * The flag the server sets on messages new in this session (IMAP4rev1
 * only; it cannot be set by clients).
 *
 * Since: 1.0
 */
#define MISSIVE_FLAG_RECENT "\\Recent"

/**
 * MissiveListFlags:
 * @MISSIVE_LIST_FLAGS_NONE: all mailboxes that match
 * @MISSIVE_LIST_FLAGS_SUBSCRIBED: only subscribed mailboxes (IMAP LSUB, or
 *   LIST (SUBSCRIBED) with LIST-EXTENDED)
 * @MISSIVE_LIST_FLAGS_SPECIAL_USE: only mailboxes with a special use
 *   (\Sent, \Trash, ...; RFC 6154)
 * @MISSIVE_LIST_FLAGS_STATUS: fill in the message counters of each mailbox
 *   (LIST-STATUS where offered, STATUS per mailbox otherwise)
 *
 * What [method@Store.list_mailboxes] lists.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  MISSIVE_LIST_FLAGS_NONE        = 0,
  MISSIVE_LIST_FLAGS_SUBSCRIBED  = 1 << 0,
  MISSIVE_LIST_FLAGS_SPECIAL_USE = 1 << 1,
  MISSIVE_LIST_FLAGS_STATUS      = 1 << 2,
} MissiveListFlags;

/**
 * MissiveMailboxAction:
 * @MISSIVE_MAILBOX_ACTION_CREATE: create a mailbox
 * @MISSIVE_MAILBOX_ACTION_DELETE: delete a mailbox
 * @MISSIVE_MAILBOX_ACTION_RENAME: rename a mailbox
 * @MISSIVE_MAILBOX_ACTION_SUBSCRIBE: add a mailbox to the subscriptions
 * @MISSIVE_MAILBOX_ACTION_UNSUBSCRIBE: remove it from the subscriptions
 *
 * What the manage_mailbox virtual method of [class@Store] does.
 *
 * Since: 1.0
 */
typedef enum
{
  MISSIVE_MAILBOX_ACTION_CREATE,
  MISSIVE_MAILBOX_ACTION_DELETE,
  MISSIVE_MAILBOX_ACTION_RENAME,
  MISSIVE_MAILBOX_ACTION_SUBSCRIBE,
  MISSIVE_MAILBOX_ACTION_UNSUBSCRIBE,
} MissiveMailboxAction;

/**
 * MissiveFetchItems:
 * @MISSIVE_FETCH_ITEMS_NONE: only the identifiers
 * @MISSIVE_FETCH_ITEMS_FLAGS: the flags
 * @MISSIVE_FETCH_ITEMS_ENVELOPE: subject, addresses, date, Message-ID,
 *   In-Reply-To
 * @MISSIVE_FETCH_ITEMS_SIZE: the size in bytes
 * @MISSIVE_FETCH_ITEMS_INTERNAL_DATE: the date the server received it
 * @MISSIVE_FETCH_ITEMS_BODY_STRUCTURE: the MIME structure
 *   ([class@BodyPart])
 * @MISSIVE_FETCH_ITEMS_HEADERS: every header field (also reported by
 *   [signal@Store::header])
 * @MISSIVE_FETCH_ITEMS_MODSEQ: the modification sequence (CONDSTORE)
 * @MISSIVE_FETCH_ITEMS_PREVIEW: a short preview of the text (PREVIEW)
 * @MISSIVE_FETCH_ITEMS_OBJECT_IDS: the EMAILID and THREADID (OBJECTID)
 * @MISSIVE_FETCH_ITEMS_GMAIL: Gmail's labels, message and thread ids
 *   (X-GM-EXT-1)
 * @MISSIVE_FETCH_ITEMS_SAVE_DATE: the date the message was saved in this
 *   mailbox (SAVEDATE)
 * @MISSIVE_FETCH_ITEMS_SUMMARY: flags, envelope, size and internal date
 *
 * What [method@Store.fetch_summaries] asks for. Items the server does not
 * offer are left out silently.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  MISSIVE_FETCH_ITEMS_NONE           = 0,
  MISSIVE_FETCH_ITEMS_FLAGS          = 1 << 0,
  MISSIVE_FETCH_ITEMS_ENVELOPE       = 1 << 1,
  MISSIVE_FETCH_ITEMS_SIZE           = 1 << 2,
  MISSIVE_FETCH_ITEMS_INTERNAL_DATE  = 1 << 3,
  MISSIVE_FETCH_ITEMS_BODY_STRUCTURE = 1 << 4,
  MISSIVE_FETCH_ITEMS_HEADERS        = 1 << 5,
  MISSIVE_FETCH_ITEMS_MODSEQ         = 1 << 6,
  MISSIVE_FETCH_ITEMS_PREVIEW        = 1 << 7,
  MISSIVE_FETCH_ITEMS_OBJECT_IDS     = 1 << 8,
  MISSIVE_FETCH_ITEMS_GMAIL          = 1 << 9,
  MISSIVE_FETCH_ITEMS_SAVE_DATE      = 1 << 10,
  MISSIVE_FETCH_ITEMS_SUMMARY        = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 3),
} MissiveFetchItems;

/**
 * MissiveFetchPartFlags:
 * @MISSIVE_FETCH_PART_FLAGS_NONE: the raw content, without marking the
 *   message \Seen
 * @MISSIVE_FETCH_PART_FLAGS_SET_SEEN: let the server mark the message
 *   \Seen
 * @MISSIVE_FETCH_PART_FLAGS_HEADERS: only the header of the message (or,
 *   for a part, the part's MIME header)
 * @MISSIVE_FETCH_PART_FLAGS_DECODED: undo the part's transfer encoding
 *   (IMAP BINARY where offered, decoded locally otherwise)
 *
 * How [method@Store.fetch_part] fetches.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  MISSIVE_FETCH_PART_FLAGS_NONE     = 0,
  MISSIVE_FETCH_PART_FLAGS_SET_SEEN = 1 << 0,
  MISSIVE_FETCH_PART_FLAGS_HEADERS  = 1 << 1,
  MISSIVE_FETCH_PART_FLAGS_DECODED  = 1 << 2,
} MissiveFetchPartFlags;

/**
 * MissiveFlagChange:
 * @MISSIVE_FLAG_CHANGE_ADD: add the flags
 * @MISSIVE_FLAG_CHANGE_REMOVE: remove the flags
 * @MISSIVE_FLAG_CHANGE_REPLACE: set exactly these flags
 *
 * How [method@Store.set_flags] changes flags.
 *
 * Since: 1.0
 */
typedef enum
{
  MISSIVE_FLAG_CHANGE_ADD,
  MISSIVE_FLAG_CHANGE_REMOVE,
  MISSIVE_FLAG_CHANGE_REPLACE,
} MissiveFlagChange;

/**
 * MissiveNotifyEvents:
 * @MISSIVE_NOTIFY_EVENTS_NONE: no events
 * @MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW: a message arrived (IMAP MessageNew)
 * @MISSIVE_NOTIFY_EVENTS_MESSAGE_EXPUNGE: a message was removed
 *   (MessageExpunge)
 * @MISSIVE_NOTIFY_EVENTS_FLAG_CHANGE: a message's flags changed
 *   (FlagChange)
 * @MISSIVE_NOTIFY_EVENTS_MAILBOX_NAME: a mailbox was created, deleted or
 *   renamed (MailboxName)
 * @MISSIVE_NOTIFY_EVENTS_SUBSCRIPTION_CHANGE: a mailbox was subscribed or
 *   unsubscribed (SubscriptionChange)
 *
 * What [method@Store.set_notify] asks the server to report (IMAP NOTIFY,
 * RFC 5465). The message events go together: asking for any of them asks
 * for both @MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW and
 * @MISSIVE_NOTIFY_EVENTS_MESSAGE_EXPUNGE, as the protocol requires.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  MISSIVE_NOTIFY_EVENTS_NONE                = 0,
  MISSIVE_NOTIFY_EVENTS_MESSAGE_NEW         = 1 << 0,
  MISSIVE_NOTIFY_EVENTS_MESSAGE_EXPUNGE     = 1 << 1,
  MISSIVE_NOTIFY_EVENTS_FLAG_CHANGE         = 1 << 2,
  MISSIVE_NOTIFY_EVENTS_MAILBOX_NAME        = 1 << 3,
  MISSIVE_NOTIFY_EVENTS_SUBSCRIPTION_CHANGE = 1 << 4,
} MissiveNotifyEvents;

/**
 * MissiveNotifyScope:
 * @MISSIVE_NOTIFY_SCOPE_NONE: no mailbox besides the selected one
 * @MISSIVE_NOTIFY_SCOPE_INBOXES: the mailboxes new mail is delivered to
 *   (IMAP "inboxes")
 * @MISSIVE_NOTIFY_SCOPE_PERSONAL: every mailbox of the user's personal
 *   namespaces ("personal")
 * @MISSIVE_NOTIFY_SCOPE_SUBSCRIBED: the subscribed mailboxes
 *   ("subscribed")
 * @MISSIVE_NOTIFY_SCOPE_SUBTREE: the named mailboxes and all below them
 *   ("subtree")
 * @MISSIVE_NOTIFY_SCOPE_MAILBOXES: exactly the named mailboxes
 *   ("mailboxes")
 *
 * Which mailboxes other than the selected one [method@Store.set_notify]
 * watches.
 *
 * Since: 1.0
 */
typedef enum
{
  MISSIVE_NOTIFY_SCOPE_NONE,
  MISSIVE_NOTIFY_SCOPE_INBOXES,
  MISSIVE_NOTIFY_SCOPE_PERSONAL,
  MISSIVE_NOTIFY_SCOPE_SUBSCRIBED,
  MISSIVE_NOTIFY_SCOPE_SUBTREE,
  MISSIVE_NOTIFY_SCOPE_MAILBOXES,
} MissiveNotifyScope;

#define MISSIVE_TYPE_STORE (missive_store_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (MissiveStore, missive_store, MISSIVE, STORE, MissiveService)

/**
 * MissiveStoreClass:
 * @parent_class: the parent class
 * @list_mailboxes_async: lists mailboxes matching a pattern; returns a #GListModel of [class@MailboxInfo]
 * @list_mailboxes_finish: finishes @list_mailboxes_async
 * @get_mailbox_status_async: asks for a mailbox's counters without selecting it (IMAP STATUS)
 * @get_mailbox_status_finish: finishes @get_mailbox_status_async
 * @manage_mailbox_async: creates, deletes, renames, subscribes or unsubscribes a mailbox
 * @manage_mailbox_finish: finishes @manage_mailbox_async
 * @select_mailbox_async: opens a mailbox for the following operations
 * @select_mailbox_finish: finishes @select_mailbox_async
 * @close_mailbox_async: closes the selected mailbox, expunging or not
 * @close_mailbox_finish: finishes @close_mailbox_async
 * @fetch_summaries_async: fetches the summaries of a set of messages; returns a #GListModel of [class@MessageInfo]
 * @fetch_summaries_finish: finishes @fetch_summaries_async
 * @fetch_part_async: streams a message, or one part of it, into an output stream
 * @fetch_part_finish: finishes @fetch_part_async
 * @search_async: searches the selected mailbox; returns the matching messages
 * @search_finish: finishes @search_async
 * @sort_async: searches and sorts (IMAP SORT); returns a #GArray of guint32 ids in order
 * @sort_finish: finishes @sort_async
 * @set_flags_async: adds, removes or replaces flags; returns a #GListModel of [class@MessageInfo] with the new flags
 * @set_flags_finish: finishes @set_flags_async
 * @copy_messages_async: copies or moves messages to another mailbox
 * @copy_messages_finish: finishes @copy_messages_async
 * @append_message_async: adds a message to a mailbox
 * @append_message_finish: finishes @append_message_async
 * @expunge_async: removes the messages flagged \Deleted, all or only those in a set
 * @expunge_finish: finishes @expunge_async
 * @idle_async: waits for news from the server until [method@Store.stop_idle] or cancellation
 * @idle_finish: finishes @idle_async
 * @get_quota_async: the quotas that apply to a mailbox; returns a #GListModel of [class@Quota]
 * @get_quota_finish: finishes @get_quota_async
 * @get_acl_async: a mailbox's access control list; returns a #GListModel of [class@AclEntry]
 * @get_acl_finish: finishes @get_acl_async
 * @set_acl_async: grants rights on a mailbox, or removes an identifier's entry when rights is %NULL
 * @set_acl_finish: finishes @set_acl_async
 * @get_my_rights_async: the rights the logged-in user has on a mailbox, as RFC 4314 letters
 * @get_my_rights_finish: finishes @get_my_rights_async
 * @stop_idle: asks a running @idle_async to finish; does nothing if none runs
 * @thread_async: searches and groups into conversations (IMAP THREAD); returns a #GListModel of [class@ThreadNode]
 * @thread_finish: finishes @thread_async
 * @get_namespaces_async: the server's namespaces; returns a #GListModel of [class@Namespace]
 * @get_namespaces_finish: finishes @get_namespaces_async
 * @resync_mailbox_async: selects a mailbox and reports what changed since a known state (QRESYNC)
 * @resync_mailbox_finish: finishes @resync_mailbox_async; gives the vanished UIDs and the changed messages
 * @append_messages_async: adds several messages to a mailbox (MULTIAPPEND); returns a [class@UidMap]
 * @append_messages_finish: finishes @append_messages_async
 * @list_rights_async: the rights an identifier can be granted on a mailbox (IMAP LISTRIGHTS)
 * @list_rights_finish: finishes @list_rights_async; a #GStrv
 * @get_quota_by_root_async: one quota root's usage and limits (IMAP GETQUOTA)
 * @get_quota_by_root_finish: finishes @get_quota_by_root_async
 * @set_quota_async: changes the limits of a quota root (IMAP SETQUOTA)
 * @set_quota_finish: finishes @set_quota_async
 * @get_metadata_async: reads annotations of a mailbox or the server (IMAP GETMETADATA); returns a #GHashTable
 * @get_metadata_finish: finishes @get_metadata_async
 * @set_metadata_async: sets or removes one annotation (IMAP SETMETADATA)
 * @set_metadata_finish: finishes @set_metadata_async
 * @replace_message_async: replaces a message of the selected mailbox with a new one (IMAP REPLACE)
 * @replace_message_finish: finishes @replace_message_async
 * @set_gmail_labels_async: adds, removes or replaces Gmail labels (X-GM-LABELS)
 * @set_gmail_labels_finish: finishes @set_gmail_labels_async
 * @run_extension_async: runs a protocol extension the core reaches by
 *   name, with @object and @parameters (possibly floating: the plugin
 *   sinks it) as that name defines; the plugin
 *   completes a #GTask whose source object is the store, with a
 *   #GVariant (transfer full, or %NULL) as its pointer result; the core's
 *   public wrappers finish it. Names: "search-partial" (the wrapper of
 *   [method@Store.search_partial]: @object the query, @parameters "(ii)"
 *   the first and last position; result "(st)" the page as a set and the
 *   number of matches) and "notify" ([method@Store.set_notify]: @object
 *   %NULL, @parameters "(uuuas)" the events of the selected mailbox, the
 *   scope, its events and the named mailboxes; no result). An unknown
 *   name fails with %MISSIVE_ERROR_NOT_SUPPORTED.
 *
 * The virtual methods of a mail store. A method a plugin leaves unset fails
 * with %MISSIVE_ERROR_NOT_SUPPORTED. The core checks the arguments and
 * the state before it calls one; the message ids of @fetch_part_async and
 * the sets are UIDs or sequence numbers as the plugin documents (IMAP:
 * its `use-uid` property).
 *
 * Since: 1.0
 */
struct _MissiveStoreClass
{
  MissiveServiceClass parent_class;

  void (*list_mailboxes_async) (MissiveStore          *self,
                                const char            *pattern,
                                MissiveListFlags       flags,
                                int                    io_priority,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data);
  GListModel *(*list_mailboxes_finish) (MissiveStore          *self,
                                        GAsyncResult          *result,
                                        GError              **error);
  void (*get_mailbox_status_async) (MissiveStore          *self,
                                    const char            *name,
                                    int                    io_priority,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data);
  MissiveMailboxInfo *(*get_mailbox_status_finish) (MissiveStore          *self,
                                                    GAsyncResult          *result,
                                                    GError              **error);
  void (*manage_mailbox_async) (MissiveStore          *self,
                                MissiveMailboxAction   action,
                                const char            *name,
                                const char            *new_name,
                                int                    io_priority,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data);
  gboolean (*manage_mailbox_finish) (MissiveStore          *self,
                                     GAsyncResult          *result,
                                     GError              **error);
  void (*select_mailbox_async) (MissiveStore          *self,
                                const char            *name,
                                gboolean               read_only,
                                int                    io_priority,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data);
  MissiveMailboxInfo *(*select_mailbox_finish) (MissiveStore          *self,
                                                GAsyncResult          *result,
                                                GError              **error);
  void (*close_mailbox_async) (MissiveStore          *self,
                               gboolean               expunge,
                               int                    io_priority,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data);
  gboolean (*close_mailbox_finish) (MissiveStore          *self,
                                    GAsyncResult          *result,
                                    GError              **error);
  void (*fetch_summaries_async) (MissiveStore          *self,
                                 MissiveMessageSet     *set,
                                 MissiveFetchItems      items,
                                 guint64                changed_since,
                                 int                    io_priority,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data);
  GListModel *(*fetch_summaries_finish) (MissiveStore          *self,
                                         GAsyncResult          *result,
                                         GError              **error);
  void (*fetch_part_async) (MissiveStore          *self,
                            guint32                message_id,
                            const char            *section,
                            MissiveFetchPartFlags  flags,
                            guint64                offset,
                            guint64                length,
                            GOutputStream         *sink,
                            int                    io_priority,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data);
  gboolean (*fetch_part_finish) (MissiveStore          *self,
                                 GAsyncResult          *result,
                                 GError              **error);
  void (*search_async) (MissiveStore          *self,
                        MissiveSearchQuery    *query,
                        int                    io_priority,
                        GCancellable          *cancellable,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data);
  MissiveMessageSet *(*search_finish) (MissiveStore          *self,
                                       GAsyncResult          *result,
                                       GError              **error);
  void (*sort_async) (MissiveStore          *self,
                      const char            *sort_criteria,
                      MissiveSearchQuery    *query,
                      int                    io_priority,
                      GCancellable          *cancellable,
                      GAsyncReadyCallback    callback,
                      gpointer               user_data);
  GArray *(*sort_finish) (MissiveStore          *self,
                          GAsyncResult          *result,
                          GError              **error);
  void (*set_flags_async) (MissiveStore          *self,
                           MissiveMessageSet     *set,
                           MissiveFlagChange      change,
                           const char * const    *flags,
                           guint64                unchanged_since,
                           int                    io_priority,
                           GCancellable          *cancellable,
                           GAsyncReadyCallback    callback,
                           gpointer               user_data);
  GListModel *(*set_flags_finish) (MissiveStore          *self,
                                   GAsyncResult          *result,
                                   GError              **error);
  void (*copy_messages_async) (MissiveStore          *self,
                               MissiveMessageSet     *set,
                               const char            *destination,
                               gboolean               move,
                               int                    io_priority,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data);
  MissiveUidMap *(*copy_messages_finish) (MissiveStore          *self,
                                          GAsyncResult          *result,
                                          GError              **error);
  void (*append_message_async) (MissiveStore          *self,
                                const char            *mailbox,
                                GInputStream          *message,
                                goffset                size,
                                const char * const    *flags,
                                GDateTime             *internal_date,
                                int                    io_priority,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data);
  MissiveUidMap *(*append_message_finish) (MissiveStore          *self,
                                           GAsyncResult          *result,
                                           GError              **error);
  void (*expunge_async) (MissiveStore          *self,
                         MissiveMessageSet     *set,
                         int                    io_priority,
                         GCancellable          *cancellable,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data);
  gboolean (*expunge_finish) (MissiveStore          *self,
                              GAsyncResult          *result,
                              GError              **error);
  void (*idle_async) (MissiveStore          *self,
                      int                    io_priority,
                      GCancellable          *cancellable,
                      GAsyncReadyCallback    callback,
                      gpointer               user_data);
  gboolean (*idle_finish) (MissiveStore          *self,
                           GAsyncResult          *result,
                           GError              **error);
  void (*get_quota_async) (MissiveStore          *self,
                           const char            *mailbox,
                           int                    io_priority,
                           GCancellable          *cancellable,
                           GAsyncReadyCallback    callback,
                           gpointer               user_data);
  GListModel *(*get_quota_finish) (MissiveStore          *self,
                                   GAsyncResult          *result,
                                   GError              **error);
  void (*get_acl_async) (MissiveStore          *self,
                         const char            *mailbox,
                         int                    io_priority,
                         GCancellable          *cancellable,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data);
  GListModel *(*get_acl_finish) (MissiveStore          *self,
                                 GAsyncResult          *result,
                                 GError              **error);
  void (*set_acl_async) (MissiveStore          *self,
                         const char            *mailbox,
                         const char            *identifier,
                         const char            *rights,
                         int                    io_priority,
                         GCancellable          *cancellable,
                         GAsyncReadyCallback    callback,
                         gpointer               user_data);
  gboolean (*set_acl_finish) (MissiveStore          *self,
                              GAsyncResult          *result,
                              GError              **error);
  void (*get_my_rights_async) (MissiveStore          *self,
                               const char            *mailbox,
                               int                    io_priority,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data);
  char *(*get_my_rights_finish) (MissiveStore          *self,
                                 GAsyncResult          *result,
                                 GError              **error);
  void (*stop_idle) (MissiveStore *self);
  void (*thread_async) (MissiveStore          *self,
                        const char            *algorithm,
                        MissiveSearchQuery    *query,
                        int                    io_priority,
                        GCancellable          *cancellable,
                        GAsyncReadyCallback    callback,
                        gpointer               user_data);
  GListModel *(*thread_finish) (MissiveStore          *self,
                                GAsyncResult          *result,
                                GError              **error);
  void (*get_namespaces_async) (MissiveStore          *self,
                                int                    io_priority,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data);
  GListModel *(*get_namespaces_finish) (MissiveStore          *self,
                                        GAsyncResult          *result,
                                        GError              **error);
  void (*resync_mailbox_async) (MissiveStore          *self,
                                const char            *name,
                                gboolean               read_only,
                                guint32                uid_validity,
                                guint64                highest_modseq,
                                MissiveMessageSet     *known_uids,
                                int                    io_priority,
                                GCancellable          *cancellable,
                                GAsyncReadyCallback    callback,
                                gpointer               user_data);
  MissiveMailboxInfo *(*resync_mailbox_finish) (MissiveStore          *self,
                                                GAsyncResult          *result,
                                                MissiveMessageSet    **vanished,
                                                GListModel           **changed,
                                                GError              **error);
  void (*append_messages_async) (MissiveStore          *self,
                                 const char            *mailbox,
                                 GPtrArray             *items,
                                 int                    io_priority,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data);
  MissiveUidMap *(*append_messages_finish) (MissiveStore          *self,
                                            GAsyncResult          *result,
                                            GError              **error);
  void (*list_rights_async) (MissiveStore          *self,
                             const char            *mailbox,
                             const char            *identifier,
                             int                    io_priority,
                             GCancellable          *cancellable,
                             GAsyncReadyCallback    callback,
                             gpointer               user_data);
  GStrv (*list_rights_finish) (MissiveStore          *self,
                               GAsyncResult          *result,
                               GError              **error);
  void (*get_quota_by_root_async) (MissiveStore          *self,
                                   const char            *root,
                                   int                    io_priority,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data);
  MissiveQuota *(*get_quota_by_root_finish) (MissiveStore          *self,
                                             GAsyncResult          *result,
                                             GError              **error);
  void (*set_quota_async) (MissiveStore          *self,
                           MissiveQuota          *quota,
                           int                    io_priority,
                           GCancellable          *cancellable,
                           GAsyncReadyCallback    callback,
                           gpointer               user_data);
  gboolean (*set_quota_finish) (MissiveStore          *self,
                                GAsyncResult          *result,
                                GError              **error);
  void (*get_metadata_async) (MissiveStore          *self,
                              const char            *mailbox,
                              const char * const    *entries,
                              int                    io_priority,
                              GCancellable          *cancellable,
                              GAsyncReadyCallback    callback,
                              gpointer               user_data);
  GHashTable *(*get_metadata_finish) (MissiveStore          *self,
                                      GAsyncResult          *result,
                                      GError              **error);
  void (*set_metadata_async) (MissiveStore          *self,
                              const char            *mailbox,
                              const char            *entry,
                              const char            *value,
                              int                    io_priority,
                              GCancellable          *cancellable,
                              GAsyncReadyCallback    callback,
                              gpointer               user_data);
  gboolean (*set_metadata_finish) (MissiveStore          *self,
                                   GAsyncResult          *result,
                                   GError              **error);
  void (*replace_message_async) (MissiveStore          *self,
                                 guint32                message_id,
                                 const char            *mailbox,
                                 MissiveAppendItem     *item,
                                 int                    io_priority,
                                 GCancellable          *cancellable,
                                 GAsyncReadyCallback    callback,
                                 gpointer               user_data);
  MissiveUidMap *(*replace_message_finish) (MissiveStore          *self,
                                            GAsyncResult          *result,
                                            GError              **error);
  void (*set_gmail_labels_async) (MissiveStore          *self,
                                  MissiveMessageSet     *set,
                                  MissiveFlagChange      change,
                                  const char * const    *labels,
                                  int                    io_priority,
                                  GCancellable          *cancellable,
                                  GAsyncReadyCallback    callback,
                                  gpointer               user_data);
  gboolean (*set_gmail_labels_finish) (MissiveStore          *self,
                                       GAsyncResult          *result,
                                       GError              **error);

  void (*run_extension_async) (MissiveStore          *self,
                               const char            *name,
                               GObject               *object,
                               GVariant              *parameters,
                               int                    io_priority,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data);

  /*< private >*/
  gpointer padding[1];
};

MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_store_list_mailboxes (MissiveStore *self,
                                          const char *pattern,
                                          MissiveListFlags flags,
                                          GCancellable *cancellable,
                                          GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_list_mailboxes_async (MissiveStore *self,
                                         const char *pattern,
                                         MissiveListFlags flags,
                                         int io_priority,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_store_list_mailboxes_finish (MissiveStore *self,
                                                 GAsyncResult *result,
                                                 GError **error);

MISSIVE_AVAILABLE_IN_1_0
MissiveMailboxInfo *missive_store_get_mailbox_status (MissiveStore *self,
                                                      const char *name,
                                                      GCancellable *cancellable,
                                                      GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_get_mailbox_status_async (MissiveStore *self,
                                             const char *name,
                                             int io_priority,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveMailboxInfo *missive_store_get_mailbox_status_finish (MissiveStore *self,
                                                             GAsyncResult *result,
                                                             GError **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_manage_mailbox (MissiveStore *self,
                                       MissiveMailboxAction action,
                                       const char *name,
                                       const char *new_name,
                                       GCancellable *cancellable,
                                       GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_manage_mailbox_async (MissiveStore *self,
                                         MissiveMailboxAction action,
                                         const char *name,
                                         const char *new_name,
                                         int io_priority,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_manage_mailbox_finish (MissiveStore *self,
                                              GAsyncResult *result,
                                              GError **error);

MISSIVE_AVAILABLE_IN_1_0
MissiveMailboxInfo *missive_store_select_mailbox (MissiveStore *self,
                                                  const char *name,
                                                  gboolean read_only,
                                                  GCancellable *cancellable,
                                                  GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_select_mailbox_async (MissiveStore *self,
                                         const char *name,
                                         gboolean read_only,
                                         int io_priority,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveMailboxInfo *missive_store_select_mailbox_finish (MissiveStore *self,
                                                         GAsyncResult *result,
                                                         GError **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_close_mailbox (MissiveStore *self,
                                      gboolean expunge,
                                      GCancellable *cancellable,
                                      GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_close_mailbox_async (MissiveStore *self,
                                        gboolean expunge,
                                        int io_priority,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_close_mailbox_finish (MissiveStore *self,
                                             GAsyncResult *result,
                                             GError **error);

MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_store_fetch_summaries (MissiveStore *self,
                                           MissiveMessageSet *set,
                                           MissiveFetchItems items,
                                           guint64 changed_since,
                                           GCancellable *cancellable,
                                           GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_fetch_summaries_async (MissiveStore *self,
                                          MissiveMessageSet *set,
                                          MissiveFetchItems items,
                                          guint64 changed_since,
                                          int io_priority,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_store_fetch_summaries_finish (MissiveStore *self,
                                                  GAsyncResult *result,
                                                  GError **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_fetch_part (MissiveStore *self,
                                   guint32 message_id,
                                   const char *section,
                                   MissiveFetchPartFlags flags,
                                   guint64 offset,
                                   guint64 length,
                                   GOutputStream *sink,
                                   GCancellable *cancellable,
                                   GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_fetch_part_async (MissiveStore *self,
                                     guint32 message_id,
                                     const char *section,
                                     MissiveFetchPartFlags flags,
                                     guint64 offset,
                                     guint64 length,
                                     GOutputStream *sink,
                                     int io_priority,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_fetch_part_finish (MissiveStore *self,
                                          GAsyncResult *result,
                                          GError **error);

MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet *missive_store_search (MissiveStore *self,
                                         MissiveSearchQuery *query,
                                         GCancellable *cancellable,
                                         GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_search_async (MissiveStore *self,
                                 MissiveSearchQuery *query,
                                 int io_priority,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet *missive_store_search_finish (MissiveStore *self,
                                                GAsyncResult *result,
                                                GError **error);

MISSIVE_AVAILABLE_IN_1_0
GArray *missive_store_sort (MissiveStore *self,
                            const char *sort_criteria,
                            MissiveSearchQuery *query,
                            GCancellable *cancellable,
                            GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_sort_async (MissiveStore *self,
                               const char *sort_criteria,
                               MissiveSearchQuery *query,
                               int io_priority,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
GArray *missive_store_sort_finish (MissiveStore *self,
                                   GAsyncResult *result,
                                   GError **error);

MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_store_set_flags (MissiveStore *self,
                                     MissiveMessageSet *set,
                                     MissiveFlagChange change,
                                     const char * const *flags,
                                     guint64 unchanged_since,
                                     GCancellable *cancellable,
                                     GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_set_flags_async (MissiveStore *self,
                                    MissiveMessageSet *set,
                                    MissiveFlagChange change,
                                    const char * const *flags,
                                    guint64 unchanged_since,
                                    int io_priority,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_store_set_flags_finish (MissiveStore *self,
                                            GAsyncResult *result,
                                            GError **error);

MISSIVE_AVAILABLE_IN_1_0
MissiveUidMap *missive_store_copy_messages (MissiveStore *self,
                                            MissiveMessageSet *set,
                                            const char *destination,
                                            gboolean move,
                                            GCancellable *cancellable,
                                            GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_copy_messages_async (MissiveStore *self,
                                        MissiveMessageSet *set,
                                        const char *destination,
                                        gboolean move,
                                        int io_priority,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveUidMap *missive_store_copy_messages_finish (MissiveStore *self,
                                                   GAsyncResult *result,
                                                   GError **error);

MISSIVE_AVAILABLE_IN_1_0
MissiveUidMap *missive_store_append_message (MissiveStore *self,
                                             const char *mailbox,
                                             GInputStream *message,
                                             goffset size,
                                             const char * const *flags,
                                             GDateTime *internal_date,
                                             GCancellable *cancellable,
                                             GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_append_message_async (MissiveStore *self,
                                         const char *mailbox,
                                         GInputStream *message,
                                         goffset size,
                                         const char * const *flags,
                                         GDateTime *internal_date,
                                         int io_priority,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveUidMap *missive_store_append_message_finish (MissiveStore *self,
                                                    GAsyncResult *result,
                                                    GError **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_expunge (MissiveStore *self,
                                MissiveMessageSet *set,
                                GCancellable *cancellable,
                                GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_expunge_async (MissiveStore *self,
                                  MissiveMessageSet *set,
                                  int io_priority,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_expunge_finish (MissiveStore *self,
                                       GAsyncResult *result,
                                       GError **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_idle (MissiveStore *self,
                             GCancellable *cancellable,
                             GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_idle_async (MissiveStore *self,
                               int io_priority,
                               GCancellable *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_idle_finish (MissiveStore *self,
                                    GAsyncResult *result,
                                    GError **error);

MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_store_get_quota (MissiveStore *self,
                                     const char *mailbox,
                                     GCancellable *cancellable,
                                     GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_get_quota_async (MissiveStore *self,
                                    const char *mailbox,
                                    int io_priority,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_store_get_quota_finish (MissiveStore *self,
                                            GAsyncResult *result,
                                            GError **error);

MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_store_get_acl (MissiveStore *self,
                                   const char *mailbox,
                                   GCancellable *cancellable,
                                   GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_get_acl_async (MissiveStore *self,
                                  const char *mailbox,
                                  int io_priority,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_store_get_acl_finish (MissiveStore *self,
                                          GAsyncResult *result,
                                          GError **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_set_acl (MissiveStore *self,
                                const char *mailbox,
                                const char *identifier,
                                const char *rights,
                                GCancellable *cancellable,
                                GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_set_acl_async (MissiveStore *self,
                                  const char *mailbox,
                                  const char *identifier,
                                  const char *rights,
                                  int io_priority,
                                  GCancellable *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_set_acl_finish (MissiveStore *self,
                                       GAsyncResult *result,
                                       GError **error);

MISSIVE_AVAILABLE_IN_1_0
char *missive_store_get_my_rights (MissiveStore *self,
                                   const char *mailbox,
                                   GCancellable *cancellable,
                                   GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_get_my_rights_async (MissiveStore *self,
                                        const char *mailbox,
                                        int io_priority,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
char *missive_store_get_my_rights_finish (MissiveStore *self,
                                          GAsyncResult *result,
                                          GError **error);

/* Conveniences over manage_mailbox and fetch_part */
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_create_mailbox (MissiveStore *self,
                                       const char *name,
                                       GCancellable *cancellable,
                                       GError **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_delete_mailbox (MissiveStore *self,
                                       const char *name,
                                       GCancellable *cancellable,
                                       GError **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_rename_mailbox (MissiveStore *self,
                                       const char *name,
                                       const char *new_name,
                                       GCancellable *cancellable,
                                       GError **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_subscribe_mailbox (MissiveStore *self,
                                          const char *name,
                                          gboolean subscribe,
                                          GCancellable *cancellable,
                                          GError **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_fetch_message (MissiveStore *self,
                                      guint32 message_id,
                                      GOutputStream *sink,
                                      GCancellable *cancellable,
                                      GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_fetch_message_async (MissiveStore *self,
                                        guint32 message_id,
                                        GOutputStream *sink,
                                        int io_priority,
                                        GCancellable *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_fetch_message_finish (MissiveStore *self,
                                             GAsyncResult *result,
                                             GError **error);
MISSIVE_AVAILABLE_IN_1_0
GMimeMessage *missive_store_fetch_mime_message (MissiveStore *self,
                                                guint32 message_id,
                                                GCancellable *cancellable,
                                                GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_fetch_mime_message_async (MissiveStore *self,
                                             guint32 message_id,
                                             int io_priority,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
GMimeMessage *missive_store_fetch_mime_message_finish (MissiveStore *self,
                                                       GAsyncResult *result,
                                                       GError **error);
MISSIVE_AVAILABLE_IN_1_0
MissiveUidMap *missive_store_append_bytes (MissiveStore *self,
                                           const char *mailbox,
                                           GBytes *message,
                                           const char * const *flags,
                                           GDateTime *internal_date,
                                           GCancellable *cancellable,
                                           GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_stop_idle (MissiveStore *self);
MISSIVE_AVAILABLE_IN_1_0
const char *missive_store_get_selected_mailbox (MissiveStore *self);

/* Conversations, namespaces, resynchronisation (missive-store-thread.c) */
MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_store_thread (MissiveStore *self,
                                  const char *algorithm,
                                  MissiveSearchQuery *query,
                                  GCancellable *cancellable,
                                  GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_thread_async (MissiveStore *self,
                                 const char *algorithm,
                                 MissiveSearchQuery *query,
                                 int io_priority,
                                 GCancellable *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_store_thread_finish (MissiveStore *self,
                                         GAsyncResult *result,
                                         GError **error);

MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_store_get_namespaces (MissiveStore *self,
                                          GCancellable *cancellable,
                                          GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_get_namespaces_async (MissiveStore *self,
                                         int io_priority,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
GListModel *missive_store_get_namespaces_finish (MissiveStore *self,
                                                 GAsyncResult *result,
                                                 GError **error);

MISSIVE_AVAILABLE_IN_1_0
MissiveMailboxInfo *missive_store_resync_mailbox (MissiveStore *self,
                                                  const char *name,
                                                  gboolean read_only,
                                                  guint32 uid_validity,
                                                  guint64 highest_modseq,
                                                  MissiveMessageSet *known_uids,
                                                  MissiveMessageSet **vanished,
                                                  GListModel **changed,
                                                  GCancellable *cancellable,
                                                  GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_resync_mailbox_async (MissiveStore *self,
                                         const char *name,
                                         gboolean read_only,
                                         guint32 uid_validity,
                                         guint64 highest_modseq,
                                         MissiveMessageSet *known_uids,
                                         int io_priority,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveMailboxInfo *missive_store_resync_mailbox_finish (MissiveStore *self,
                                                         GAsyncResult *result,
                                                         MissiveMessageSet **vanished,
                                                         GListModel **changed,
                                                         GError **error);

/* Paged searches (PARTIAL) and NOTIFY (missive-store-extension.c) */
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet *missive_store_search_partial (MissiveStore *self,
                                                 MissiveSearchQuery *query,
                                                 int first,
                                                 int last,
                                                 guint64 *total,
                                                 GCancellable *cancellable,
                                                 GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_search_partial_async (MissiveStore *self,
                                         MissiveSearchQuery *query,
                                         int first,
                                         int last,
                                         int io_priority,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveMessageSet *missive_store_search_partial_finish (MissiveStore *self,
                                                        GAsyncResult *result,
                                                        guint64 *total,
                                                        GError **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_set_notify (MissiveStore *self,
                                   MissiveNotifyEvents selected_events,
                                   MissiveNotifyScope scope,
                                   const char * const *mailboxes,
                                   MissiveNotifyEvents events,
                                   GCancellable *cancellable,
                                   GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_set_notify_async (MissiveStore *self,
                                     MissiveNotifyEvents selected_events,
                                     MissiveNotifyScope scope,
                                     const char * const *mailboxes,
                                     MissiveNotifyEvents events,
                                     int io_priority,
                                     GCancellable *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_set_notify_finish (MissiveStore *self,
                                          GAsyncResult *result,
                                          GError **error);

/* Several messages at once, replacing one, Gmail labels
 * (missive-store-append.c) */
MISSIVE_AVAILABLE_IN_1_0
MissiveUidMap *missive_store_append_messages (MissiveStore *self,
                                              const char *mailbox,
                                              GPtrArray *items,
                                              GCancellable *cancellable,
                                              GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_append_messages_async (MissiveStore *self,
                                          const char *mailbox,
                                          GPtrArray *items,
                                          int io_priority,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveUidMap *missive_store_append_messages_finish (MissiveStore *self,
                                                     GAsyncResult *result,
                                                     GError **error);

MISSIVE_AVAILABLE_IN_1_0
MissiveUidMap *missive_store_replace_message (MissiveStore *self,
                                              guint32 message_id,
                                              const char *mailbox,
                                              MissiveAppendItem *item,
                                              GCancellable *cancellable,
                                              GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_replace_message_async (MissiveStore *self,
                                          guint32 message_id,
                                          const char *mailbox,
                                          MissiveAppendItem *item,
                                          int io_priority,
                                          GCancellable *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveUidMap *missive_store_replace_message_finish (MissiveStore *self,
                                                     GAsyncResult *result,
                                                     GError **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_set_gmail_labels (MissiveStore *self,
                                         MissiveMessageSet *set,
                                         MissiveFlagChange change,
                                         const char * const *labels,
                                         GCancellable *cancellable,
                                         GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_set_gmail_labels_async (MissiveStore *self,
                                           MissiveMessageSet *set,
                                           MissiveFlagChange change,
                                           const char * const *labels,
                                           int io_priority,
                                           GCancellable *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_set_gmail_labels_finish (MissiveStore *self,
                                                GAsyncResult *result,
                                                GError **error);

/* Rights, quotas, annotations (missive-store-admin.c) */
MISSIVE_AVAILABLE_IN_1_0
GStrv missive_store_list_rights (MissiveStore *self,
                                 const char *mailbox,
                                 const char *identifier,
                                 GCancellable *cancellable,
                                 GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_list_rights_async (MissiveStore *self,
                                      const char *mailbox,
                                      const char *identifier,
                                      int io_priority,
                                      GCancellable *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
GStrv missive_store_list_rights_finish (MissiveStore *self,
                                        GAsyncResult *result,
                                        GError **error);

MISSIVE_AVAILABLE_IN_1_0
MissiveQuota *missive_store_get_quota_by_root (MissiveStore *self,
                                               const char *root,
                                               GCancellable *cancellable,
                                               GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_get_quota_by_root_async (MissiveStore *self,
                                            const char *root,
                                            int io_priority,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveQuota *missive_store_get_quota_by_root_finish (MissiveStore *self,
                                                      GAsyncResult *result,
                                                      GError **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_set_quota (MissiveStore *self,
                                  MissiveQuota *quota,
                                  GCancellable *cancellable,
                                  GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_set_quota_async (MissiveStore *self,
                                    MissiveQuota *quota,
                                    int io_priority,
                                    GCancellable *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_set_quota_finish (MissiveStore *self,
                                         GAsyncResult *result,
                                         GError **error);

MISSIVE_AVAILABLE_IN_1_0
GHashTable *missive_store_get_metadata (MissiveStore *self,
                                        const char *mailbox,
                                        const char * const *entries,
                                        GCancellable *cancellable,
                                        GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_get_metadata_async (MissiveStore *self,
                                       const char *mailbox,
                                       const char * const *entries,
                                       int io_priority,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
GHashTable *missive_store_get_metadata_finish (MissiveStore *self,
                                               GAsyncResult *result,
                                               GError **error);

MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_set_metadata (MissiveStore *self,
                                     const char *mailbox,
                                     const char *entry,
                                     const char *value,
                                     GCancellable *cancellable,
                                     GError **error);
MISSIVE_AVAILABLE_IN_1_0
void missive_store_set_metadata_async (MissiveStore *self,
                                       const char *mailbox,
                                       const char *entry,
                                       const char *value,
                                       int io_priority,
                                       GCancellable *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean missive_store_set_metadata_finish (MissiveStore *self,
                                            GAsyncResult *result,
                                            GError **error);

G_END_DECLS
