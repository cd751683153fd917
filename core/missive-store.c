/* missive-store.c: mailbox access (IMAP, POP3): the class, its signals and
 * what the operations share
 *
 * The operations themselves are in missive-store-mailbox.c (listing,
 * managing, selecting mailboxes), missive-store-message.c (fetching,
 * searching, flags, copying, appending, expunging) and
 * missive-store-extra.c (idle, quota, access control).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-store-private.h"

/**
 * MissiveStore:
 *
 * A [class@Service] that gives access to mailboxes: the IMAP plugin
 * implements it fully, the POP3 plugin for its single INBOX.
 *
 * Every operation needs an authenticated service (see
 * [method@Service.open]) and fails with %MISSIVE_ERROR_INVALID_STATE
 * otherwise. What the protocol or the server cannot do fails with
 * %MISSIVE_ERROR_NOT_SUPPORTED. Arguments that would break the protocol —
 * names or flags with CR or LF, empty mailbox names, missing or empty
 * message sets — are refused with %MISSIVE_ERROR_INVALID_ARGUMENT before
 * anything is sent.
 *
 * Messages are named by [struct@MessageSet]s of ids: UIDs or sequence
 * numbers in IMAP (as the plugin's settings say; UIDs by default),
 * message numbers in POP3.
 *
 * Besides the results of each call, the signals report what the server
 * says along the way, so that a streaming consumer needs nothing else:
 * [signal@Store::mailbox-listed], [signal@Store::message-info],
 * [signal@Store::message-part], [signal@Store::header],
 * [signal@Store::mailbox-changed] and [signal@Store::mailbox-acl].
 *
 * Since: 1.0
 */

typedef struct
{
  char *selected_mailbox;
} MissiveStorePrivate;

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

enum {
  PROP_0,
  PROP_SELECTED_MAILBOX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (MissiveStore, missive_store, MISSIVE_TYPE_SERVICE)

static void
missive_store_finalize (GObject *object)
{
  MissiveStorePrivate *priv = missive_store_get_instance_private (MISSIVE_STORE (object));

  g_clear_pointer (&priv->selected_mailbox, g_free);

  G_OBJECT_CLASS (missive_store_parent_class)->finalize (object);
}

static void
missive_store_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MissiveStore *self = MISSIVE_STORE (object);

  switch (prop_id)
    {
    case PROP_SELECTED_MAILBOX:
      g_value_set_string (value, missive_store_get_selected_mailbox (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A mailbox stays selected only as long as the connection: whenever the
 * service leaves the logged-in state, nothing is selected any more. */
static void
missive_store_notify (GObject    *object,
                      GParamSpec *pspec)
{
  MissiveStore *self = MISSIVE_STORE (object);

  if (strcmp (pspec->name, "state") == 0 &&
      missive_service_get_state (MISSIVE_SERVICE (self)) != MISSIVE_SERVICE_STATE_AUTHENTICATED)
    missive_store_set_selected_mailbox (self, NULL);

  if (G_OBJECT_CLASS (missive_store_parent_class)->notify != NULL)
    G_OBJECT_CLASS (missive_store_parent_class)->notify (object, pspec);
}

static void
missive_store_class_init (MissiveStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = missive_store_finalize;
  object_class->get_property = missive_store_get_property;
  object_class->notify = missive_store_notify;

  /**
   * MissiveStore:selected-mailbox:
   *
   * The name of the selected mailbox (see [method@Store.select_mailbox]),
   * or %NULL when none is selected: before the first selection, after
   * [method@Store.close_mailbox], after a selection failed, and whenever
   * the service is not logged in.
   *
   * Since: 1.0
   */
  properties[PROP_SELECTED_MAILBOX] =
    g_param_spec_string ("selected-mailbox", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

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
   * Emitted for each message summary as it arrives, and for unsolicited
   * flag changes the server reports.
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
   * @message_id: the message (a UID or sequence number in IMAP, as the
   *   operation was asked; a message number in POP3)
   * @section: the part's section, e.g. "1.2", or "" for the whole message
   * @data: a piece of the part's content
   *
   * Emitted as the content of a fetched message or part arrives, in
   * pieces, in order.
   *
   * Since: 1.0
   */
  signals[MESSAGE_PART] =
    g_signal_new ("message-part",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_UINT,
                  G_TYPE_STRING,
                  G_TYPE_BYTES | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * MissiveStore::header:
   * @self: the store
   * @message_id: the message
   * @name: the header field's name
   * @value: the header field's value, unfolded
   *
   * Emitted for each header field of a message whose headers are fetched.
   *
   * Since: 1.0
   */
  signals[HEADER] =
    g_signal_new ("header",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_UINT,
                  G_TYPE_STRING,
                  G_TYPE_STRING);

  /**
   * MissiveStore::mailbox-changed:
   * @self: the store
   * @mailbox: the mailbox
   * @what: what changed: "exists", "expunge", "recent", "fetch" or
   *   "vanished" for the selected mailbox; for news about other
   *   mailboxes (after [method@Store.set_notify]), "status" (new
   *   counters, also reported by [signal@Store::mailbox-listed]), "list"
   *   (created, renamed or its subscription changed; the attributes come
   *   with ::mailbox-listed) or "deleted"
   * @number: the message count (exists, recent, status), the sequence
   *   number (expunge, fetch), the UID (vanished), or 0
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

/* ---- shared by the operations ------------------------------------------- */

gboolean
missive_store_check_name (const char  *name,
                          const char  *what,
                          gboolean     required,
                          GError     **error)
{
  if (*error != NULL)
    return FALSE;
  if (required && (name == NULL || name[0] == '\0'))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "The %s cannot be empty", what);
      return FALSE;
    }
  if (missive_string_has_line_break (name))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "The %s cannot contain CR or LF", what);
      return FALSE;
    }
  return TRUE;
}

gboolean
missive_store_check_set (MissiveMessageSet  *set,
                         GError            **error)
{
  if (*error != NULL)
    return FALSE;
  if (set == NULL || missive_message_set_is_empty (set))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The message set cannot be empty");
      return FALSE;
    }
  return TRUE;
}

gboolean
missive_store_check_flags (const char * const  *flags,
                           gboolean             required,
                           GError             **error)
{
  if (*error != NULL)
    return FALSE;
  if (required && (flags == NULL || flags[0] == NULL))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "No flags given");
      return FALSE;
    }
  for (gsize i = 0; flags != NULL && flags[i] != NULL; i++)
    {
      const guchar *p = (const guchar *) flags[i];

      if (*p == '\\')
        p++;
      if (*p == '\0')
        {
          g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "A flag cannot be empty");
          return FALSE;
        }
      for (; *p != '\0'; p++)
        {
          if (*p <= ' ' || *p >= 0x7f || strchr ("(){%*\"\\]", *p) != NULL)
            {
              g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "“%s” is not a valid flag", flags[i]);
              return FALSE;
            }
        }
    }
  return TRUE;
}

GTask *
missive_store_begin_operation (MissiveStore        *self,
                               gpointer             source_tag,
                               gboolean             implemented,
                               GError              *argument_error,
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

  if (argument_error != NULL)
    {
      g_task_return_error (task, argument_error);
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

void
missive_store_set_selected_mailbox (MissiveStore *self,
                                    const char   *name)
{
  MissiveStorePrivate *priv = missive_store_get_instance_private (self);
  char *copy;

  if (g_strcmp0 (priv->selected_mailbox, name) == 0)
    return;
  copy = g_strdup (name);
  g_free (priv->selected_mailbox);
  priv->selected_mailbox = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_MAILBOX]);
}

/**
 * missive_store_get_selected_mailbox:
 * @self: a store
 *
 * Gets the [property@Store:selected-mailbox] property: the mailbox the
 * last successful [method@Store.select_mailbox] opened, while it is open.
 *
 * Returns: (nullable): the name of the selected mailbox, or %NULL
 *
 * Since: 1.0
 */
const char *
missive_store_get_selected_mailbox (MissiveStore *self)
{
  MissiveStorePrivate *priv;

  g_return_val_if_fail (MISSIVE_IS_STORE (self), NULL);

  priv = missive_store_get_instance_private (self);
  return priv->selected_mailbox;
}

/* ---- emitting the signals, for plugins ---------------------------------- */

static inline gboolean
has_listeners (MissiveStore *self,
               guint         signal_id)
{
  return g_signal_has_handler_pending (self, signal_id, 0, FALSE);
}

/**
 * missive_store_emit_mailbox_listed: (skip)
 * @self: a store
 * @info: a mailbox
 *
 * For protocol plugins: emits [signal@Store::mailbox-listed].
 *
 * Since: 1.0
 */
void
missive_store_emit_mailbox_listed (MissiveStore       *self,
                                   MissiveMailboxInfo *info)
{
  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (MISSIVE_IS_MAILBOX_INFO (info));

  if (has_listeners (self, signals[MAILBOX_LISTED]))
    g_signal_emit (self, signals[MAILBOX_LISTED], 0, info);
}

/**
 * missive_store_emit_message_info: (skip)
 * @self: a store
 * @info: a message summary
 *
 * For protocol plugins: emits [signal@Store::message-info].
 *
 * Since: 1.0
 */
void
missive_store_emit_message_info (MissiveStore       *self,
                                 MissiveMessageInfo *info)
{
  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (MISSIVE_IS_MESSAGE_INFO (info));

  if (has_listeners (self, signals[MESSAGE_INFO]))
    g_signal_emit (self, signals[MESSAGE_INFO], 0, info);
}

/**
 * missive_store_emit_message_part: (skip)
 * @self: a store
 * @message_id: the message
 * @section: (nullable): the part's section; %NULL or "" for the whole
 *   message
 * @data: a piece of the content
 *
 * For protocol plugins: emits [signal@Store::message-part].
 *
 * Since: 1.0
 */
void
missive_store_emit_message_part (MissiveStore *self,
                                 guint         message_id,
                                 const char   *section,
                                 GBytes       *data)
{
  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (data != NULL);

  if (has_listeners (self, signals[MESSAGE_PART]))
    g_signal_emit (self, signals[MESSAGE_PART], 0,
                   message_id, section != NULL ? section : "", data);
}

/**
 * missive_store_emit_header: (skip)
 * @self: a store
 * @message_id: the message
 * @name: the field's name
 * @value: the field's value, unfolded
 *
 * For protocol plugins: emits [signal@Store::header]. Check
 * missive_store_has_header_listeners() first to skip splitting headers
 * nobody wants.
 *
 * Since: 1.0
 */
void
missive_store_emit_header (MissiveStore *self,
                           guint         message_id,
                           const char   *name,
                           const char   *value)
{
  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (value != NULL);

  if (has_listeners (self, signals[HEADER]))
    g_signal_emit (self, signals[HEADER], 0, message_id, name, value);
}

/**
 * missive_store_emit_mailbox_changed: (skip)
 * @self: a store
 * @mailbox: the mailbox
 * @what: "exists", "expunge", "recent", "fetch" or "vanished"
 * @number: the count, sequence number or UID
 *
 * For protocol plugins: emits [signal@Store::mailbox-changed].
 *
 * Since: 1.0
 */
void
missive_store_emit_mailbox_changed (MissiveStore *self,
                                    const char   *mailbox,
                                    const char   *what,
                                    guint         number)
{
  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (what != NULL);

  if (has_listeners (self, signals[MAILBOX_CHANGED]))
    g_signal_emit (self, signals[MAILBOX_CHANGED], 0,
                   mailbox != NULL ? mailbox : "", what, number);
}

/**
 * missive_store_emit_mailbox_acl: (skip)
 * @self: a store
 * @mailbox: the mailbox
 * @identifier: who the rights are for
 * @rights: the rights, as RFC 4314 letters
 *
 * For protocol plugins: emits [signal@Store::mailbox-acl].
 *
 * Since: 1.0
 */
void
missive_store_emit_mailbox_acl (MissiveStore *self,
                                const char   *mailbox,
                                const char   *identifier,
                                const char   *rights)
{
  g_return_if_fail (MISSIVE_IS_STORE (self));
  g_return_if_fail (mailbox != NULL);
  g_return_if_fail (identifier != NULL);
  g_return_if_fail (rights != NULL);

  if (has_listeners (self, signals[MAILBOX_ACL]))
    g_signal_emit (self, signals[MAILBOX_ACL], 0, mailbox, identifier, rights);
}

/**
 * missive_store_has_header_listeners: (skip)
 * @self: a store
 *
 * For protocol plugins: whether anyone is connected to
 * [signal@Store::header], so that a plugin can skip splitting header
 * blocks into fields when nobody is.
 *
 * Returns: %TRUE if the signal has handlers
 *
 * Since: 1.0
 */
gboolean
missive_store_has_header_listeners (MissiveStore *self)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);

  return has_listeners (self, signals[HEADER]);
}

/**
 * missive_store_has_message_part_listeners: (skip)
 * @self: a store
 *
 * For protocol plugins: whether anyone is connected to
 * [signal@Store::message-part], so that a plugin can skip copying
 * content into #GBytes when nobody is.
 *
 * Returns: %TRUE if the signal has handlers
 *
 * Since: 1.0
 */
gboolean
missive_store_has_message_part_listeners (MissiveStore *self)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (self), FALSE);

  return has_listeners (self, signals[MESSAGE_PART]);
}
