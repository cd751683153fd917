/* missive-reconnector.c: reconnects a store after a drop and reports what
 * changed in its mailbox meanwhile
 *
 * The reconnector watches its store: it remembers the mailbox selected
 * (the store itself forgets it when the connection ends) and, when the
 * mailbox was selected through missive_reconnector_select_mailbox() or
 * described by missive_reconnector_set_mailbox_state(), the mailbox's
 * UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ and known UIDs, kept up to date
 * from VANISHED responses and the UIDs of fetched new messages.
 *
 * reconnect: up to max-attempts times, open the store (a "reconnecting"
 * signal first, the place to refresh credentials), waiting initial-delay,
 * then twice that, ... (at most max-delay) between attempts; then
 * resync_mailbox (QRESYNC where enabled, UID comparison otherwise) with
 * what was known. A resync that fails because the connection dropped
 * again counts as a failed attempt.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#include "missive-reconnector-private.h"

/**
 * MissiveReconnector:
 *
 * Brings a [class@Store] back after its connection dropped (a
 * %MISSIVE_ERROR_CONNECTION_LOST, a time-out, a server's BYE: anything
 * that left the store %MISSIVE_SERVICE_STATE_DISCONNECTED) and tells what
 * changed in the selected mailbox while it was away.
 *
 * Create one per store with [ctor@Reconnector.new] right after creating
 * the store, and select the mailbox through
 * [method@Reconnector.select_mailbox]: besides selecting it, that takes a
 * snapshot of the mailbox (its UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ and the
 * UIDs of its messages, one UID SEARCH). An application with its own
 * cache of the mailbox can instead describe it with
 * [method@Reconnector.set_mailbox_state]. While the connection lasts, the
 * reconnector follows the store's [signal@Store::mailbox-changed]
 * ("vanished") and [signal@Store::message-info] signals to keep the known
 * UIDs current; a message expunged while connected on a server without
 * QRESYNC (reported by sequence number only) stays among the known UIDs
 * and is reported as vanished after the next reconnection.
 *
 * [method@Reconnector.reconnect] then opens the store again (closing it
 * first if it is still open), with up to
 * [property@Reconnector:max-attempts] attempts separated by a growing
 * delay ([property@Reconnector:initial-delay], doubled each time, at most
 * [property@Reconnector:max-delay]). Each attempt authenticates anew:
 * [signal@Reconnector::reconnecting] is emitted before it, for the
 * application to set a fresh password or token on the store, and OAuth
 * mechanisms also emit [signal@Service::token-requested] as on every
 * login. Then the mailbox is selected again and resynchronised with
 * [method@Store.resync_mailbox_async]: QRESYNC (RFC 7162) where the
 * server offers it, otherwise a comparison of the known UIDs with the
 * present ones and a flag fetch (only changes since the known
 * HIGHESTMODSEQ with CONDSTORE). The result, a [class@ResyncReport],
 * lists the vanished UIDs, the new UIDs and the flag changes; the store
 * also emits [signal@Store::mailbox-changed] for them ("vanished" per
 * UID, "exists" with the new message count when messages arrived, and
 * "fetch" with the sequence number of each message whose flags changed).
 *
 * Errors that another attempt cannot fix end the reconnection at once:
 * rejected credentials or certificates, a missing TLS or mechanism,
 * cancellation (%G_IO_ERROR_CANCELLED), a mailbox that cannot be selected
 * any more. After the last attempt the error of that attempt is returned,
 * prefixed with the number of attempts.
 *
 * The store's `use-uid` setting (IMAP) must stay %TRUE (the default) for
 * the snapshot to hold UIDs.
 *
 * Since: 1.0
 */


enum {
  PROP_0,
  PROP_STORE,
  PROP_MAX_ATTEMPTS,
  PROP_INITIAL_DELAY,
  PROP_MAX_DELAY,
  PROP_MAILBOX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_RECONNECTING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define DEFAULT_MAX_ATTEMPTS 3
#define DEFAULT_INITIAL_DELAY 1000
#define DEFAULT_MAX_DELAY 30000

G_DEFINE_FINAL_TYPE (MissiveReconnector, missive_reconnector, G_TYPE_OBJECT)

void
missive_reconnector_forget_state (MissiveReconnector *self)
{
  self->read_only = FALSE;
  self->uid_validity = 0;
  self->highest_modseq = 0;
  self->uid_next = 0;
  g_clear_pointer (&self->known, missive_message_set_unref);
}

void
missive_reconnector_set_mailbox_name (MissiveReconnector *self,
                                     const char         *mailbox)
{
  if (g_strcmp0 (self->mailbox, mailbox) == 0)
    return;
  g_free (self->mailbox);
  self->mailbox = g_strdup (mailbox);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAILBOX]);
}

/* ---- following the store --------------------------------------------------- */

static void
on_selected_mailbox (GObject    *object,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  MissiveReconnector *self = user_data;
  MissiveStore *store = MISSIVE_STORE (object);
  const char *selected = missive_store_get_selected_mailbox (store);

  if (self->busy)
    return;
  if (selected == NULL)
    {
      /* Closed on purpose while connected; a dropped connection leaves
       * the store disconnected, and the mailbox is kept for reconnect. */
      if (missive_service_get_state (MISSIVE_SERVICE (store)) == MISSIVE_SERVICE_STATE_AUTHENTICATED)
        {
          missive_reconnector_forget_state (self);
          missive_reconnector_set_mailbox_name (self, NULL);
        }
      return;
    }
  if (g_strcmp0 (selected, self->mailbox) != 0)
    {
      /* Selected by the application directly: only the name is known. */
      missive_reconnector_forget_state (self);
      missive_reconnector_set_mailbox_name (self, selected);
    }
}

static void
on_mailbox_changed (MissiveStore *store,
                    const char   *mailbox,
                    const char   *what,
                    guint         number,
                    gpointer      user_data)
{
  MissiveReconnector *self = user_data;

  if (self->busy || self->known == NULL || g_strcmp0 (mailbox, self->mailbox) != 0)
    return;
  if (strcmp (what, "vanished") == 0 && number > 0)
    missive_message_set_remove (self->known, number);
}

static void
on_message_info (MissiveStore       *store,
                 MissiveMessageInfo *info,
                 gpointer            user_data)
{
  MissiveReconnector *self = user_data;
  guint uid = missive_message_info_get_uid (info);

  if (self->busy || self->known == NULL || self->uid_next == 0 || uid == 0 ||
      g_strcmp0 (missive_store_get_selected_mailbox (store), self->mailbox) != 0)
    return;
  /* A message that arrived while connected and was fetched: known now.
   * UIDNEXT stays, so that the ones not fetched are still found as new. */
  if (uid >= self->uid_next)
    missive_message_set_add (self->known, uid);
}

static void
store_gone (gpointer  data,
            GObject  *where_the_object_was)
{
  MissiveReconnector *self = data;

  self->store = NULL;
  self->notify_id = self->changed_id = self->info_id = 0;
}

static void
missive_reconnector_dispose (GObject *object)
{
  MissiveReconnector *self = MISSIVE_RECONNECTOR (object);

  if (self->store != NULL)
    {
      g_clear_signal_handler (&self->notify_id, self->store);
      g_clear_signal_handler (&self->changed_id, self->store);
      g_clear_signal_handler (&self->info_id, self->store);
      g_object_weak_unref (G_OBJECT (self->store), store_gone, self);
      self->store = NULL;
    }

  G_OBJECT_CLASS (missive_reconnector_parent_class)->dispose (object);
}

static void
missive_reconnector_finalize (GObject *object)
{
  MissiveReconnector *self = MISSIVE_RECONNECTOR (object);

  g_free (self->mailbox);
  g_clear_pointer (&self->known, missive_message_set_unref);

  G_OBJECT_CLASS (missive_reconnector_parent_class)->finalize (object);
}

static void
missive_reconnector_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MissiveReconnector *self = MISSIVE_RECONNECTOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->max_attempts);
      break;
    case PROP_INITIAL_DELAY:
      g_value_set_uint (value, self->initial_delay);
      break;
    case PROP_MAX_DELAY:
      g_value_set_uint (value, self->max_delay);
      break;
    case PROP_MAILBOX:
      g_value_set_string (value, self->mailbox);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_reconnector_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  MissiveReconnector *self = MISSIVE_RECONNECTOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_get_object (value);
      break;
    case PROP_MAX_ATTEMPTS:
      missive_reconnector_set_max_attempts (self, g_value_get_uint (value));
      break;
    case PROP_INITIAL_DELAY:
      missive_reconnector_set_initial_delay (self, g_value_get_uint (value));
      break;
    case PROP_MAX_DELAY:
      missive_reconnector_set_max_delay (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_reconnector_constructed (GObject *object)
{
  MissiveReconnector *self = MISSIVE_RECONNECTOR (object);

  G_OBJECT_CLASS (missive_reconnector_parent_class)->constructed (object);

  g_return_if_fail (MISSIVE_IS_STORE (self->store));
  g_object_weak_ref (G_OBJECT (self->store), store_gone, self);
  self->notify_id = g_signal_connect (self->store, "notify::selected-mailbox",
                                      G_CALLBACK (on_selected_mailbox), self);
  self->changed_id = g_signal_connect (self->store, "mailbox-changed",
                                       G_CALLBACK (on_mailbox_changed), self);
  self->info_id = g_signal_connect (self->store, "message-info",
                                    G_CALLBACK (on_message_info), self);
  missive_reconnector_set_mailbox_name (self, missive_store_get_selected_mailbox (self->store));
}

static void
missive_reconnector_class_init (MissiveReconnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = missive_reconnector_dispose;
  object_class->finalize = missive_reconnector_finalize;
  object_class->get_property = missive_reconnector_get_property;
  object_class->set_property = missive_reconnector_set_property;
  object_class->constructed = missive_reconnector_constructed;

  /**
   * MissiveReconnector:store:
   *
   * The store to bring back. The reconnector does not keep it alive.
   *
   * Since: 1.0
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, MISSIVE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * MissiveReconnector:max-attempts:
   *
   * How many times [method@Reconnector.reconnect] tries to open the store
   * before it gives up. At least 1.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL,
                       1, G_MAXUINT, DEFAULT_MAX_ATTEMPTS, flags);

  /**
   * MissiveReconnector:initial-delay:
   *
   * The wait after the first failed attempt, in milliseconds; each
   * further wait is twice the one before, up to
   * [property@Reconnector:max-delay].
   *
   * Since: 1.0
   */
  properties[PROP_INITIAL_DELAY] =
    g_param_spec_uint ("initial-delay", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_INITIAL_DELAY, flags);

  /**
   * MissiveReconnector:max-delay:
   *
   * The longest wait between two attempts, in milliseconds.
   *
   * Since: 1.0
   */
  properties[PROP_MAX_DELAY] =
    g_param_spec_uint ("max-delay", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_MAX_DELAY, flags);

  /**
   * MissiveReconnector:mailbox:
   *
   * The mailbox that [method@Reconnector.reconnect] selects again: the
   * one selected last, kept when the connection drops, forgotten when
   * the application closes it. %NULL for none. Read-only.
   *
   * Since: 1.0
   */
  properties[PROP_MAILBOX] =
    g_param_spec_string ("mailbox", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MissiveReconnector::reconnecting:
   * @self: the reconnector
   * @attempt: the number of the attempt about to start, from 1
   *
   * Emitted before each attempt to open the store. Handlers may set fresh
   * credentials on the store ([property@Service:password],
   * [property@Service:oauth-token]) or change other settings; they must
   * not start I/O on the store.
   *
   * Since: 1.0
   */
  signals[SIGNAL_RECONNECTING] =
    g_signal_new ("reconnecting", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
missive_reconnector_init (MissiveReconnector *self)
{
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->initial_delay = DEFAULT_INITIAL_DELAY;
  self->max_delay = DEFAULT_MAX_DELAY;
}

/**
 * missive_reconnector_new:
 * @store: the store to watch and bring back
 *
 * Creates a reconnector for @store. If @store has a mailbox selected, the
 * reconnector remembers its name (but knows nothing else of it).
 *
 * Returns: (transfer full): the reconnector
 *
 * Since: 1.0
 */
MissiveReconnector *
missive_reconnector_new (MissiveStore *store)
{
  g_return_val_if_fail (MISSIVE_IS_STORE (store), NULL);

  return g_object_new (MISSIVE_TYPE_RECONNECTOR, "store", store, NULL);
}

/**
 * missive_reconnector_get_store:
 * @self: a reconnector
 *
 * Gets [property@Reconnector:store].
 *
 * Returns: (transfer none) (nullable): the store, or %NULL once it was
 *   finalized
 *
 * Since: 1.0
 */
MissiveStore *
missive_reconnector_get_store (MissiveReconnector *self)
{
  g_return_val_if_fail (MISSIVE_IS_RECONNECTOR (self), NULL);

  return self->store;
}

/**
 * missive_reconnector_get_max_attempts:
 * @self: a reconnector
 *
 * Gets [property@Reconnector:max-attempts].
 *
 * Returns: the most attempts
 *
 * Since: 1.0
 */
guint
missive_reconnector_get_max_attempts (MissiveReconnector *self)
{
  g_return_val_if_fail (MISSIVE_IS_RECONNECTOR (self), 0);

  return self->max_attempts;
}

/**
 * missive_reconnector_set_max_attempts:
 * @self: a reconnector
 * @max_attempts: the most attempts, at least 1
 *
 * Sets [property@Reconnector:max-attempts].
 *
 * Since: 1.0
 */
void
missive_reconnector_set_max_attempts (MissiveReconnector *self,
                                      guint               max_attempts)
{
  g_return_if_fail (MISSIVE_IS_RECONNECTOR (self));
  g_return_if_fail (max_attempts >= 1);

  if (self->max_attempts == max_attempts)
    return;
  self->max_attempts = max_attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ATTEMPTS]);
}

/**
 * missive_reconnector_get_initial_delay:
 * @self: a reconnector
 *
 * Gets [property@Reconnector:initial-delay].
 *
 * Returns: the first wait, in milliseconds
 *
 * Since: 1.0
 */
guint
missive_reconnector_get_initial_delay (MissiveReconnector *self)
{
  g_return_val_if_fail (MISSIVE_IS_RECONNECTOR (self), 0);

  return self->initial_delay;
}

/**
 * missive_reconnector_set_initial_delay:
 * @self: a reconnector
 * @milliseconds: the first wait
 *
 * Sets [property@Reconnector:initial-delay].
 *
 * Since: 1.0
 */
void
missive_reconnector_set_initial_delay (MissiveReconnector *self,
                                       guint               milliseconds)
{
  g_return_if_fail (MISSIVE_IS_RECONNECTOR (self));

  if (self->initial_delay == milliseconds)
    return;
  self->initial_delay = milliseconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INITIAL_DELAY]);
}

/**
 * missive_reconnector_get_max_delay:
 * @self: a reconnector
 *
 * Gets [property@Reconnector:max-delay].
 *
 * Returns: the longest wait, in milliseconds
 *
 * Since: 1.0
 */
guint
missive_reconnector_get_max_delay (MissiveReconnector *self)
{
  g_return_val_if_fail (MISSIVE_IS_RECONNECTOR (self), 0);

  return self->max_delay;
}

/**
 * missive_reconnector_set_max_delay:
 * @self: a reconnector
 * @milliseconds: the longest wait
 *
 * Sets [property@Reconnector:max-delay].
 *
 * Since: 1.0
 */
void
missive_reconnector_set_max_delay (MissiveReconnector *self,
                                   guint               milliseconds)
{
  g_return_if_fail (MISSIVE_IS_RECONNECTOR (self));

  if (self->max_delay == milliseconds)
    return;
  self->max_delay = milliseconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_DELAY]);
}

/**
 * missive_reconnector_get_mailbox:
 * @self: a reconnector
 *
 * Gets [property@Reconnector:mailbox].
 *
 * Returns: (nullable): the mailbox to select again, or %NULL
 *
 * Since: 1.0
 */
const char *
missive_reconnector_get_mailbox (MissiveReconnector *self)
{
  g_return_val_if_fail (MISSIVE_IS_RECONNECTOR (self), NULL);

  return self->mailbox;
}

/**
 * missive_reconnector_get_known_uids:
 * @self: a reconnector
 *
 * Gets the UIDs the reconnector takes as known in its mailbox: those of
 * the last snapshot or [method@Reconnector.set_mailbox_state], updated
 * by what the server reported since and by each reconnection.
 *
 * Returns: (transfer none) (nullable): the known UIDs, or %NULL when
 *   they are not known
 *
 * Since: 1.0
 */
MissiveMessageSet *
missive_reconnector_get_known_uids (MissiveReconnector *self)
{
  g_return_val_if_fail (MISSIVE_IS_RECONNECTOR (self), NULL);

  return self->known;
}

/**
 * missive_reconnector_set_mailbox_state:
 * @self: a reconnector
 * @mailbox: (nullable): the mailbox to select again, or %NULL for none
 * @read_only: whether to select it read-only (IMAP EXAMINE)
 * @uid_validity: the UIDVALIDITY the known UIDs belong to, or 0 if
 *   unknown
 * @highest_modseq: the HIGHESTMODSEQ up to which the application knows
 *   the flags, or 0 if unknown
 * @uid_next: the UIDNEXT the application knows, or 0 if unknown
 * @known_uids: (nullable): the UIDs the application knows, or %NULL
 *
 * Describes what the application knows of the mailbox, e.g. from its
 * own cache, replacing the reconnector's snapshot. The next
 * [method@Reconnector.reconnect] compares the server's state with this.
 *
 * Since: 1.0
 */
void
missive_reconnector_set_mailbox_state (MissiveReconnector *self,
                                       const char         *mailbox,
                                       gboolean            read_only,
                                       guint32             uid_validity,
                                       guint64             highest_modseq,
                                       guint32             uid_next,
                                       MissiveMessageSet  *known_uids)
{
  g_return_if_fail (MISSIVE_IS_RECONNECTOR (self));
  g_return_if_fail (known_uids == NULL || !missive_message_set_has_star (known_uids));

  missive_reconnector_forget_state (self);
  missive_reconnector_set_mailbox_name (self, mailbox);
  if (mailbox == NULL)
    return;
  self->read_only = read_only;
  self->uid_validity = uid_validity;
  self->highest_modseq = highest_modseq;
  self->uid_next = uid_next;
  self->known = known_uids != NULL ? missive_message_set_copy (known_uids) : NULL;
}

/* ---- select_mailbox ---------------------------------------------------------- */

typedef struct
{
  char *name;
  gboolean read_only;
  MissiveMailboxInfo *info;
} SelectOp;

static void
select_op_free (gpointer data)
{
  SelectOp *op = data;

  g_free (op->name);
  g_clear_object (&op->info);
  g_free (op);
}

static void
finish_select (GTask  *task,
               GError *error)
{
  MissiveReconnector *self = g_task_get_source_object (task);

  self->busy = FALSE;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    {
      SelectOp *op = g_task_get_task_data (task);

      g_task_return_pointer (task, g_object_ref (op->info), g_object_unref);
    }
  g_object_unref (task);
}

gboolean
missive_reconnector_store_uses_uids (MissiveStore *store)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (store), "use-uid");
  gboolean use_uid = TRUE;

  if (pspec != NULL && pspec->value_type == G_TYPE_BOOLEAN)
    g_object_get (store, "use-uid", &use_uid, NULL);
  return use_uid;
}

static void
snapshot_searched_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  MissiveReconnector *self = g_task_get_source_object (task);
  SelectOp *op = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(MissiveMessageSet) uids = NULL;

  uids = missive_store_search_finish (MISSIVE_STORE (source), result, &error);
  if (uids == NULL)
    {
      finish_select (task, error);
      return;
    }
  missive_reconnector_forget_state (self);
  missive_reconnector_set_mailbox_name (self, op->name);
  self->read_only = op->read_only;
  self->uid_validity = missive_mailbox_info_get_uid_validity (op->info);
  self->highest_modseq = missive_mailbox_info_get_highest_modseq (op->info);
  self->uid_next = missive_mailbox_info_get_uid_next (op->info);
  self->known = g_steal_pointer (&uids);
  finish_select (task, NULL);
}

static void
snapshot_selected_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  MissiveReconnector *self = g_task_get_source_object (task);
  MissiveStore *store = MISSIVE_STORE (source);
  SelectOp *op = g_task_get_task_data (task);
  g_autoptr(MissiveSearchQuery) query = NULL;
  GError *error = NULL;

  op->info = missive_store_select_mailbox_finish (store, result, &error);
  if (op->info == NULL)
    {
      missive_reconnector_forget_state (self);
      missive_reconnector_set_mailbox_name (self, NULL);
      finish_select (task, error);
      return;
    }
  if (!missive_reconnector_store_uses_uids (store) || missive_mailbox_info_get_messages (op->info) == 0)
    {
      /* Nothing to search (or only sequence numbers to find). */
      missive_reconnector_forget_state (self);
      missive_reconnector_set_mailbox_name (self, op->name);
      self->read_only = op->read_only;
      self->uid_validity = missive_mailbox_info_get_uid_validity (op->info);
      self->highest_modseq = missive_mailbox_info_get_highest_modseq (op->info);
      self->uid_next = missive_mailbox_info_get_uid_next (op->info);
      if (missive_reconnector_store_uses_uids (store))
        self->known = missive_message_set_new ();
      finish_select (task, NULL);
      return;
    }
  query = missive_search_query_new ();
  missive_search_query_add_all (query);
  missive_store_search_async (store, query, g_task_get_priority (task),
                              g_task_get_cancellable (task), snapshot_searched_cb, task);
}

/**
 * missive_reconnector_select_mailbox_async:
 * @self: a reconnector
 * @name: the mailbox's name, e.g. "INBOX"
 * @read_only: whether to open it read-only (IMAP EXAMINE)
 * @io_priority: the I/O priority of the request
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the mailbox is selected
 * @user_data: data for @callback
 *
 * Selects a mailbox like [method@Store.select_mailbox_async] and takes a
 * snapshot of it for [method@Reconnector.reconnect]: its UIDVALIDITY,
 * UIDNEXT and HIGHESTMODSEQ, and the UIDs of its messages (one search of
 * all messages). The store must be logged in.
 *
 * Since: 1.0
 */
void
missive_reconnector_select_mailbox_async (MissiveReconnector  *self,
                                          const char          *name,
                                          gboolean             read_only,
                                          int                  io_priority,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;
  SelectOp *op;

  g_return_if_fail (MISSIVE_IS_RECONNECTOR (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_reconnector_select_mailbox_async);
  g_task_set_priority (task, io_priority);
  if (self->store == NULL || self->busy)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               self->store == NULL ? "The store is gone"
                                                   : "The reconnector is busy");
      g_object_unref (task);
      return;
    }
  op = g_new0 (SelectOp, 1);
  op->name = g_strdup (name);
  op->read_only = read_only;
  g_task_set_task_data (task, op, select_op_free);
  self->busy = TRUE;
  missive_store_select_mailbox_async (self->store, name, read_only, io_priority, cancellable,
                                      snapshot_selected_cb, task);
}

/**
 * missive_reconnector_select_mailbox_finish:
 * @self: a reconnector
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Reconnector.select_mailbox_async].
 *
 * Returns: (transfer full) (nullable): the mailbox's state, or %NULL on
 *   error
 *
 * Since: 1.0
 */
MissiveMailboxInfo *
missive_reconnector_select_mailbox_finish (MissiveReconnector  *self,
                                           GAsyncResult        *result,
                                           GError             **error)
{
  g_return_val_if_fail (MISSIVE_IS_RECONNECTOR (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *name;
  gboolean read_only;
} SelectArgs;

static void
start_select (gpointer             source,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data,
              gpointer             start_data)
{
  SelectArgs *args = start_data;

  missive_reconnector_select_mailbox_async (source, args->name, args->read_only,
                                            G_PRIORITY_DEFAULT, cancellable,
                                            callback, user_data);
}

/**
 * missive_reconnector_select_mailbox:
 * @self: a reconnector
 * @name: the mailbox's name, e.g. "INBOX"
 * @read_only: whether to open it read-only (IMAP EXAMINE)
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Selects a mailbox and takes a snapshot of it, blocking. See
 * [method@Reconnector.select_mailbox_async].
 *
 * Returns: (transfer full) (nullable): the mailbox's state, or %NULL on
 *   error
 *
 * Since: 1.0
 */
MissiveMailboxInfo *
missive_reconnector_select_mailbox (MissiveReconnector  *self,
                                    const char          *name,
                                    gboolean             read_only,
                                    GCancellable        *cancellable,
                                    GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  SelectArgs args = { name, read_only };

  g_return_val_if_fail (MISSIVE_IS_RECONNECTOR (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  result = missive_run_sync (self, start_select, &args, cancellable);
  return missive_reconnector_select_mailbox_finish (self, result, error);
}

void
missive_reconnector_emit_reconnecting (MissiveReconnector *self,
                                       guint               attempt)
{
  g_signal_emit (self, signals[SIGNAL_RECONNECTING], 0, attempt);
}
