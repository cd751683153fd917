/* missive-store.h: mailbox access (IMAP, POP3)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>
#include <missive/missive-service.h>
#include <missive/missive-mailbox-info.h>
#include <missive/missive-message-info.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_STORE (missive_store_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (MissiveStore, missive_store, MISSIVE, STORE, MissiveService)

/**
 * MissiveStoreClass:
 * @parent_class: the parent class
 * @list_mailboxes_async: lists mailboxes matching a pattern
 * @list_mailboxes_finish: finishes @list_mailboxes_async; returns a
 *   #GListModel of [class@MailboxInfo]
 * @select_mailbox_async: opens a mailbox for the following operations
 * @select_mailbox_finish: finishes @select_mailbox_async
 * @fetch_summaries_async: fetches the summaries of a set of messages
 * @fetch_summaries_finish: finishes @fetch_summaries_async; returns a
 *   #GListModel of [class@MessageInfo]
 * @fetch_message_async: streams one whole message into an output stream
 * @fetch_message_finish: finishes @fetch_message_async
 *
 * The virtual methods of a mail store. A method a plugin leaves unset fails
 * with %MISSIVE_ERROR_NOT_SUPPORTED.
 *
 * Since: 1.0
 */
struct _MissiveStoreClass
{
  MissiveServiceClass parent_class;

  void                (*list_mailboxes_async)   (MissiveStore         *self,
                                                 const char           *pattern,
                                                 int                   io_priority,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
  GListModel         *(*list_mailboxes_finish)  (MissiveStore         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
  void                (*select_mailbox_async)   (MissiveStore         *self,
                                                 const char           *name,
                                                 gboolean              read_only,
                                                 int                   io_priority,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
  MissiveMailboxInfo *(*select_mailbox_finish)  (MissiveStore         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
  void                (*fetch_summaries_async)  (MissiveStore         *self,
                                                 const char           *message_set,
                                                 int                   io_priority,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
  GListModel         *(*fetch_summaries_finish) (MissiveStore         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);
  void                (*fetch_message_async)    (MissiveStore         *self,
                                                 const char           *message_id,
                                                 GOutputStream        *sink,
                                                 int                   io_priority,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
  gboolean            (*fetch_message_finish)   (MissiveStore         *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

  /*< private >*/
  gpointer padding[48];
};

MISSIVE_AVAILABLE_IN_1_0
GListModel         *missive_store_list_mailboxes         (MissiveStore         *self,
                                                          const char           *pattern,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void                missive_store_list_mailboxes_async   (MissiveStore         *self,
                                                          const char           *pattern,
                                                          int                   io_priority,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
GListModel         *missive_store_list_mailboxes_finish  (MissiveStore         *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
MISSIVE_AVAILABLE_IN_1_0
MissiveMailboxInfo *missive_store_select_mailbox         (MissiveStore         *self,
                                                          const char           *name,
                                                          gboolean              read_only,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void                missive_store_select_mailbox_async   (MissiveStore         *self,
                                                          const char           *name,
                                                          gboolean              read_only,
                                                          int                   io_priority,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveMailboxInfo *missive_store_select_mailbox_finish  (MissiveStore         *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
MISSIVE_AVAILABLE_IN_1_0
GListModel         *missive_store_fetch_summaries        (MissiveStore         *self,
                                                          const char           *message_set,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void                missive_store_fetch_summaries_async  (MissiveStore         *self,
                                                          const char           *message_set,
                                                          int                   io_priority,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
GListModel         *missive_store_fetch_summaries_finish (MissiveStore         *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_store_fetch_message          (MissiveStore         *self,
                                                          const char           *message_id,
                                                          GOutputStream        *sink,
                                                          GCancellable         *cancellable,
                                                          GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void                missive_store_fetch_message_async    (MissiveStore         *self,
                                                          const char           *message_id,
                                                          GOutputStream        *sink,
                                                          int                   io_priority,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_store_fetch_message_finish   (MissiveStore         *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

G_END_DECLS
