/* missive-store.c: mailbox access (IMAP, POP3)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-service-private.h"

/**
 * MissiveStore:
 *
 * A [class@Service] that gives access to mailboxes: the IMAP plugin
 * implements it fully, the POP3 plugin for its single INBOX.
 *
 * Every operation needs an authenticated service (see
 * [method@Service.open]) and fails with %MISSIVE_ERROR_INVALID_STATE
 * otherwise. What the protocol or the server cannot do fails with
 * %MISSIVE_ERROR_NOT_SUPPORTED. Mailbox names and message identifiers
 * containing CR or LF are refused with %MISSIVE_ERROR_INVALID_ARGUMENT
 * before anything is sent.
 *
 * Besides the results of each call, the signals report what the server
 * says along the way, so that a streaming consumer needs nothing else.
 *
 * Since: 1.0
 */

enum {
  MAILBOX_LISTED,
  MESSAGE_INFO,
  MESSAGE_PART,
  HEADER,
  MAILBOX_CHANGED,
  MAILBOX_ACL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_ABSTRACT_TYPE (MissiveStore, missive_store, MISSIVE_TYPE_SERVICE)

static void
missive_store_class_init (MissiveStoreClass *klass)
{
  /**
   * MissiveStore::mailbox-listed:
   * @self: the store
   * @mailbox: the mailbox
   *
   * Emitted for each mailbox as a listing arrives.
   *
   * Since: 1.0
   */
  signals[MAILBOX_LISTED] =
    g_signal_new ("mailbox-listed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  MISSIVE_TYPE_MAILBOX_INFO);

  /**
   * MissiveStore::message-info:
   * @self: the store
   * @info: the message's summary
   *
   * Emitted for each message summary as it arrives.
   *
   * Since: 1.0
   */
  signals[MESSAGE_INFO] =
    g_signal_new ("message-info",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  MISSIVE_TYPE_MESSAGE_INFO);

  /**
   * MissiveStore::message-part:
   * @self: the store
   * @message_id: the message (a UID in IMAP, a number in POP3)
   * @part: the part's section, e.g. "1.2", or "" for the whole message
   * @data: a piece of the part's content
   *
   * Emitted as the content of a fetched message or part arrives, in
   * pieces.
   *
   * Since: 1.0
   */
  signals[MESSAGE_PART] =
    g_signal_new ("message-part",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING,
                  G_TYPE_STRING,
                  G_TYPE_BYTES | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * MissiveStore::header:
   * @self: the store
   * @message_id: the message
   * @name: the header field's name
   * @value: the header field's value, unfolded
   *
   * Emitted for each header field of a fetched message.
   *
   * Since: 1.0
   */
  signals[HEADER] =
    g_signal_new ("header",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING,
                  G_TYPE_STRING,
                  G_TYPE_STRING);

  /**
   * MissiveStore::mailbox-changed:
   * @self: the store
   * @mailbox: the mailbox
   * @what: what changed: "exists", "expunge", "recent" or "fetch"
   * @number: the message count (exists, recent) or sequence number
   *   (expunge, fetch)
   *
   * Emitted for news the server sends while idling or along with another
   * command's reply.
   *
   * Since: 1.0
   */
  signals[MAILBOX_CHANGED] =
    g_signal_new ("mailbox-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING,
                  G_TYPE_STRING,
                  G_TYPE_UINT);

  /**
   * MissiveStore::mailbox-acl:
   * @self: the store
   * @mailbox: the mailbox
   * @identifier: who the rights are for
   * @rights: the rights, as RFC 4314 letters
   *
   * Emitted for each entry of a mailbox's access control list.
   *
   * Since: 1.0
   */
  signals[MAILBOX_ACL] =
    g_signal_new ("mailbox-acl",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING,
                  G_TYPE_STRING,
                  G_TYPE_STRING);
}

static void
missive_store_init (MissiveStore *self)
{
}

/* Common start of every operation: the task, and the checks. Returns NULL
 * when the task has already been given an error. */
static GTask *
begin_operation (MissiveStore        *self,
                 gpointer             source_tag,
                 gboolean             implemented,
                 const char          *argument,
                 const char          *argument_name,
                 gboolean             argument_required,
                 int                  io_priority,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_priority (task, io_priority);

  if (argument_required && (argument == NULL || argument[0] == '\0'))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "The %s cannot be empty", argument_name);
      return NULL;
    }
  if (missive_string_has_line_break (argument))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "The %s cannot contain CR or LF", argument_name);
      return NULL;
    }
  if (!missive_service_check_ready (MISSIVE_SERVICE (self), TRUE, &error))
    {
      g_task_return_error (task, error);
      return NULL;
    }
  if (!implemented)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                               "%s does not support this operation",
                               G_OBJECT_TYPE_NAME (self));
      return NULL;
    }

  missive_service_begin_operation (MISSIVE_SERVICE (self), io_priority);
  return g_steal_pointer (&task);
}

static void
fail (GTask  *task,
      GError *error)
{
  MissiveService *self = g_task_get_source_object (task);

  if (error == NULL)
    error = g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                                 "The protocol plugin failed without saying why");
  missive_service_return_error (self, task, error);
}

/* ---- list_mailboxes ----------------------------------------------------- */

static void
list_mailboxes_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GListModel *model;
  GError *error = NULL;

  model = MISSIVE_STORE_GET_CLASS (self)->list_mailboxes_finish (self, result, &error);
  if (model == NULL)
    {
      fail (task, error);
      return;
    }
  g_task_return_pointer (task, model, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_list_mailboxes_async: (virtual list_mailboxes_async)
 * @self: a store
 * @pattern: (nullable): the names to list, with `*` and `%` wildcards as
 *   in IMAP LIST; %NULL for all
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the listing is complete
 * @user_data: data for @callback
 *
 * Lists the mailboxes whose names match @pattern. Each one is also
 * reported by [signal@Store::mailbox-listed] as it arrives.
 *
 * Since: 1.0
 */
void
missive_store_list_mailboxes_async (MissiveStore        *self,
                                    const char          *pattern,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  MissiveStoreClass *klass;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  task = begin_operation (self, missive_store_list_mailboxes_async,
                          klass->list_mailboxes_async != NULL,
                          pattern, "pattern", FALSE,
                          io_priority, cancellable, callback, user_data);
  if (task == NULL)
    return;

  klass->list_mailboxes_async (self, pattern != NULL ? pattern : "*", io_priority, cancellable,
                               list_mailboxes_cb, task);
}

/**
 * missive_store_list_mailboxes_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.list_mailboxes_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   [class@MailboxInfo], or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_list_mailboxes_finish (MissiveStore  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
start_list_mailboxes (gpointer             source,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             start_data)
{
  missive_store_list_mailboxes_async (source, start_data, G_PRIORITY_DEFAULT,
                                      cancellable, callback, user_data);
}

/**
 * missive_store_list_mailboxes:
 * @self: a store
 * @pattern: (nullable): the names to list, with `*` and `%` wildcards;
 *   %NULL for all
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Lists mailboxes, blocking. See [method@Store.list_mailboxes_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   [class@MailboxInfo], or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_list_mailboxes (MissiveStore  *self,
                              const char    *pattern,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);

  result = missive_run_sync (self, start_list_mailboxes, (gpointer) pattern, cancellable);
  return missive_store_list_mailboxes_finish (self, result, error);
}

/* ---- select_mailbox ----------------------------------------------------- */

static void
select_mailbox_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  MissiveMailboxInfo *info;
  GError *error = NULL;

  info = MISSIVE_STORE_GET_CLASS (self)->select_mailbox_finish (self, result, &error);
  if (info == NULL)
    {
      fail (task, error);
      return;
    }
  g_task_return_pointer (task, info, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_select_mailbox_async: (virtual select_mailbox_async)
 * @self: a store
 * @name: the mailbox's name, e.g. "INBOX"
 * @read_only: whether to open it read-only (IMAP EXAMINE)
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the mailbox is selected
 * @user_data: data for @callback
 *
 * Opens a mailbox for the operations that follow (fetching, flags,
 * searching).
 *
 * Since: 1.0
 */
void
missive_store_select_mailbox_async (MissiveStore        *self,
                                    const char          *name,
                                    gboolean             read_only,
                                    int                  io_priority,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  MissiveStoreClass *klass;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  task = begin_operation (self, missive_store_select_mailbox_async,
                          klass->select_mailbox_async != NULL,
                          name, "mailbox name", TRUE,
                          io_priority, cancellable, callback, user_data);
  if (task == NULL)
    return;

  klass->select_mailbox_async (self, name, read_only, io_priority, cancellable,
                               select_mailbox_cb, task);
}

/**
 * missive_store_select_mailbox_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.select_mailbox_async].
 *
 * Returns: (transfer full) (nullable): what the server said about the
 *   mailbox (message counts, flags, UID validity), or %NULL on error
 *
 * Since: 1.0
 */
MissiveMailboxInfo *
missive_store_select_mailbox_finish (MissiveStore  *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *name;
  gboolean read_only;
} SelectArgs;

static void
start_select_mailbox (gpointer             source,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data,
                      gpointer             start_data)
{
  SelectArgs *args = start_data;

  missive_store_select_mailbox_async (source, args->name, args->read_only,
                                      G_PRIORITY_DEFAULT, cancellable,
                                      callback, user_data);
}

/**
 * missive_store_select_mailbox:
 * @self: a store
 * @name: the mailbox's name
 * @read_only: whether to open it read-only
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Selects a mailbox, blocking. See [method@Store.select_mailbox_async].
 *
 * Returns: (transfer full) (nullable): what the server said about the
 *   mailbox, or %NULL on error
 *
 * Since: 1.0
 */
MissiveMailboxInfo *
missive_store_select_mailbox (MissiveStore  *self,
                              const char    *name,
                              gboolean       read_only,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SelectArgs args = { name, read_only };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  result = missive_run_sync (self, start_select_mailbox, &args, cancellable);
  return missive_store_select_mailbox_finish (self, result, error);
}

/* ---- fetch_summaries ---------------------------------------------------- */

static void
fetch_summaries_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GListModel *model;
  GError *error = NULL;

  model = MISSIVE_STORE_GET_CLASS (self)->fetch_summaries_finish (self, result, &error);
  if (model == NULL)
    {
      fail (task, error);
      return;
    }
  g_task_return_pointer (task, model, g_object_unref);
  g_object_unref (task);
}

/**
 * missive_store_fetch_summaries_async: (virtual fetch_summaries_async)
 * @self: a store
 * @message_set: the messages of the selected mailbox, as an IMAP UID set
 *   ("1:*", "4,7:9")
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when all summaries have arrived
 * @user_data: data for @callback
 *
 * Fetches flags, envelope, size, dates and structure of messages. Each
 * summary is also reported by [signal@Store::message-info] as it arrives.
 *
 * Since: 1.0
 */
void
missive_store_fetch_summaries_async (MissiveStore        *self,
                                     const char          *message_set,
                                     int                  io_priority,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  MissiveStoreClass *klass;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (message_set != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  task = begin_operation (self, missive_store_fetch_summaries_async,
                          klass->fetch_summaries_async != NULL,
                          message_set, "message set", TRUE,
                          io_priority, cancellable, callback, user_data);
  if (task == NULL)
    return;

  klass->fetch_summaries_async (self, message_set, io_priority, cancellable,
                                fetch_summaries_cb, task);
}

/**
 * missive_store_fetch_summaries_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.fetch_summaries_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   [class@MessageInfo], or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_fetch_summaries_finish (MissiveStore  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
start_fetch_summaries (gpointer             source,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data,
                       gpointer             start_data)
{
  missive_store_fetch_summaries_async (source, start_data, G_PRIORITY_DEFAULT,
                                       cancellable, callback, user_data);
}

/**
 * missive_store_fetch_summaries:
 * @self: a store
 * @message_set: the messages, as an IMAP UID set
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Fetches message summaries, blocking. See
 * [method@Store.fetch_summaries_async].
 *
 * Returns: (transfer full) (nullable): a #GListModel of
 *   [class@MessageInfo], or %NULL on error
 *
 * Since: 1.0
 */
GListModel *
missive_store_fetch_summaries (MissiveStore  *self,
                               const char    *message_set,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);
  g_return_val_if_fail (message_set != NULL, NULL);

  result = missive_run_sync (self, start_fetch_summaries, (gpointer) message_set,
                             cancellable);
  return missive_store_fetch_summaries_finish (self, result, error);
}

/* ---- fetch_message ------------------------------------------------------ */

static void
fetch_message_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  MissiveStore *self = MISSIVE_STORE (source);
  GError *error = NULL;

  if (!MISSIVE_STORE_GET_CLASS (self)->fetch_message_finish (self, result, &error))
    {
      fail (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/**
 * missive_store_fetch_message_async: (virtual fetch_message_async)
 * @self: a store
 * @message_id: the message: a UID of the selected mailbox in IMAP, a
 *   message number in POP3
 * @sink: where to write the message
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the whole message is written
 * @user_data: data for @callback
 *
 * Streams one whole message, as the server stores it, into @sink, which is
 * not closed. Progress is reported by [signal@Service::transfer-progress].
 *
 * Since: 1.0
 */
void
missive_store_fetch_message_async (MissiveStore        *self,
                                   const char          *message_id,
                                   GOutputStream       *sink,
                                   int                  io_priority,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  MissiveStoreClass *klass;
  GTask *task;

  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (message_id != NULL);
  g_return_if_fail (G_IS_OUTPUT_STREAM (sink));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  klass = MISSIVE_STORE_GET_CLASS (self);
  task = begin_operation (self, missive_store_fetch_message_async,
                          klass->fetch_message_async != NULL,
                          message_id, "message id", TRUE,
                          io_priority, cancellable, callback, user_data);
  if (task == NULL)
    return;

  klass->fetch_message_async (self, message_id, sink, io_priority, cancellable,
                              fetch_message_cb, task);
}

/**
 * missive_store_fetch_message_finish:
 * @self: a store
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Store.fetch_message_async].
 *
 * Returns: %TRUE when the whole message was written
 *
 * Since: 1.0
 */
gboolean
missive_store_fetch_message_finish (MissiveStore  *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  const char *message_id;
  GOutputStream *sink;
} FetchArgs;

static void
start_fetch_message (gpointer             source,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data,
                     gpointer             start_data)
{
  FetchArgs *args = start_data;

  missive_store_fetch_message_async (source, args->message_id, args->sink,
                                     G_PRIORITY_DEFAULT, cancellable,
                                     callback, user_data);
}

/**
 * missive_store_fetch_message:
 * @self: a store
 * @message_id: the message
 * @sink: where to write the message
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Streams one message into @sink, blocking. See
 * [method@Store.fetch_message_async].
 *
 * Returns: %TRUE when the whole message was written
 *
 * Since: 1.0
 */
gboolean
missive_store_fetch_message (MissiveStore   *self,
                             const char     *message_id,
                             GOutputStream  *sink,
                             GCancellable   *cancellable,
                             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  FetchArgs args = { message_id, sink };

  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);
  g_return_val_if_fail (message_id != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (sink), FALSE);

  result = missive_run_sync (self, start_fetch_message, &args, cancellable);
  return missive_store_fetch_message_finish (self, result, error);
}
