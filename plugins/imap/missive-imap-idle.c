/* missive-imap-idle.c: IDLE (RFC 2177) and its fallback, NOOP polling
 *
 * idle_async waits for news until stop_idle, cancellation or an error.
 * What the server reports meanwhile (EXISTS, EXPUNGE, FETCH, VANISHED)
 * goes through the store's handling of unsolicited responses, which emits
 * ::mailbox-changed; this file only keeps the connection healthy:
 *
 * - An IDLE lasts at most idle-max-seconds (servers end it after 30
 *   minutes): then DONE, and a new IDLE.
 * - When nothing has come from the server for the keep-alive interval,
 *   DONE and a NOOP probe its liveliness before the next IDLE. If the
 *   server does not answer a DONE or a NOOP within the interval, the peer
 *   is taken for dead: the connection is failed with
 *   MISSIVE_ERROR_CONNECTION_LOST. The interval is keepalive-seconds (0:
 *   no probe), but at most two thirds of the service's timeout (the
 *   inactivity limit of every read, which a silent IDLE would otherwise
 *   run into, so a probe happens then even with 0).
 * - Without IDLE, a NOOP every keep-alive interval (every minute without
 *   one).
 * - Other commands wait while an IDLE runs: call stop_idle first.
 * - stop_idle sends DONE at once; idle_async returns when the server has
 *   answered it (one round trip). Cancellation returns at once; the engine
 *   sends DONE and reads the rest of the IDLE by itself.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-imap-private.h"

/* The state of one idle_async, attached to the store while it runs. */
#define IDLE_KEY "missive-imap-idle"
/* Without keep-alive probes (keepalive-seconds 0 and no service timeout):
 * how long DONE may go unanswered, and how often NOOP polls. */
#define NO_PROBE_ANSWER_LIMIT 60

typedef enum
{
  IDLE_PHASE_START,      /* between steps */
  IDLE_PHASE_IDLE,       /* the IDLE command is in flight */
  IDLE_PHASE_NOOP,       /* a NOOP is in flight (probe or poll) */
  IDLE_PHASE_WAIT,       /* polling: waiting for the next NOOP */
} IdlePhase;

typedef enum
{
  DONE_NONE,
  DONE_RESTART,          /* idle-max-seconds reached */
  DONE_PROBE,            /* nothing heard for the keep-alive interval */
  DONE_STOP,             /* stop_idle */
} DoneReason;

typedef struct
{
  MissiveImapStore *store;     /* not a reference: the task holds one */
  GTask *task;                 /* a reference until it has returned */
  IdlePhase phase;
  MissiveImapCommand *command; /* the IDLE in flight, owned by the engine */
  gboolean idling;             /* the server said "+" */
  DoneReason done;             /* why DONE was sent, if it was */
  gboolean stopping;
  gboolean returned;
  gint64 idle_started;         /* monotonic, µs */
  gint64 last_data;            /* monotonic, µs: the last response seen */
  guint keepalive;             /* seconds; 0: no probe */
  guint answer_limit;          /* seconds for an answer to DONE or NOOP */
  guint idle_max;              /* seconds */
  GSource *timer;              /* the next keep-alive or restart check */
  GSource *deadline;           /* the answer to DONE or NOOP is due */
  GSource *cancel_source;      /* the application's cancellable */
} Idle;

static void idle_step (Idle *idle);

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_source_unref (*source);
      *source = NULL;
    }
}

/* Ends the operation (once). Commands still in flight complete by
 * themselves and find the operation gone. */
static void
idle_return (Idle   *idle,
             GError *error)
{
  GTask *task;

  if (idle->returned)
    {
      g_clear_error (&error);
      return;
    }
  idle->returned = TRUE;
  clear_source (&idle->timer);
  clear_source (&idle->deadline);
  clear_source (&idle->cancel_source);
  idle->command = NULL;
  if (g_object_get_data (G_OBJECT (idle->store), IDLE_KEY) == idle)
    g_object_set_data (G_OBJECT (idle->store), IDLE_KEY, NULL);

  /* The operation's own reference: commands still in flight hold
   * theirs, so @idle (the task data) stays valid for them. */
  task = idle->task;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static GSource *
add_timeout (Idle        *idle,
             guint        ms,
             GSourceFunc  func,
             const char  *name)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, idle, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, g_task_get_context (idle->task));
  return source;
}

/* The server did not answer DONE or NOOP in time: the peer is gone (or the
 * path to it). */
static gboolean
on_deadline (gpointer user_data)
{
  Idle *idle = user_data;

  g_clear_pointer (&idle->deadline, g_source_unref);
  missive_imap_store_fail_connection (idle->store,
                                      g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST,
                                                   "The server did not answer within %u s "
                                                   "during IDLE: the connection is dead",
                                                   idle->answer_limit));
  return G_SOURCE_REMOVE;
}

static void
start_deadline (Idle *idle)
{
  clear_source (&idle->deadline);
  idle->deadline = add_timeout (idle, idle->answer_limit * 1000, on_deadline,
                                "[missive-imap] idle answer deadline");
}

/* Sends DONE for @reason (once per IDLE). */
static void
send_done (Idle       *idle,
           DoneReason  reason)
{
  if (idle->done != DONE_NONE)
    return;
  idle->done = reason;
  clear_source (&idle->timer);
  if (idle->idling && idle->command != NULL)
    {
      missive_imap_command_send_line (idle->command, "DONE", FALSE);
      start_deadline (idle);
    }
  /* Otherwise the continuation has not come yet: DONE goes right after
   * it (on_idle_continue). */
}

static void schedule_check (Idle *idle);

/* While IDLE runs: time for a new IDLE, or a probe? */
static gboolean
on_idle_timer (gpointer user_data)
{
  Idle *idle = user_data;
  gint64 now = g_get_monotonic_time ();

  g_clear_pointer (&idle->timer, g_source_unref);
  if (now - idle->idle_started >= (gint64) idle->idle_max * G_USEC_PER_SEC)
    send_done (idle, DONE_RESTART);
  else if (idle->keepalive > 0 &&
           now - idle->last_data >= (gint64) idle->keepalive * G_USEC_PER_SEC)
    send_done (idle, DONE_PROBE);
  else
    schedule_check (idle);
  return G_SOURCE_REMOVE;
}

static void
schedule_check (Idle *idle)
{
  gint64 now = g_get_monotonic_time ();
  gint64 restart = idle->idle_started + (gint64) idle->idle_max * G_USEC_PER_SEC;
  gint64 probe = idle->keepalive > 0 ? idle->last_data + (gint64) idle->keepalive * G_USEC_PER_SEC
                                     : G_MAXINT64;
  gint64 due = MIN (restart, probe);
  guint ms = due > now ? (guint) MIN ((due - now + 999) / 1000, (gint64) G_MAXUINT) : 0;

  clear_source (&idle->timer);
  idle->timer = add_timeout (idle, ms, on_idle_timer, "[missive-imap] idle keep-alive");
}

static char *
on_idle_continue (MissiveImapStore          *store,
                  MissiveImapCommand        *command,
                  const MissiveImapResponse *response,
                  gpointer                   user_data)
{
  Idle *idle = user_data;

  idle->idling = TRUE;
  idle->last_data = g_get_monotonic_time ();
  if (idle->done != DONE_NONE)
    {
      /* Stopped (or due) before the server was ready. */
      start_deadline (idle);
      return g_strdup ("DONE");
    }
  schedule_check (idle);
  return NULL;
}

static gboolean
on_idle_response (MissiveImapStore          *store,
                  MissiveImapCommand        *command,
                  const MissiveImapResponse *response,
                  gpointer                   user_data)
{
  Idle *idle = user_data;

  /* Anything from the server shows that it is alive; the news itself is
   * the store's to report (::mailbox-changed). */
  idle->last_data = g_get_monotonic_time ();
  return FALSE;
}

static void
on_idle_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Idle *idle = g_task_get_task_data (task);
  GError *error = NULL;
  DoneReason reason = idle->done;

  idle->command = NULL;
  idle->idling = FALSE;
  clear_source (&idle->timer);
  clear_source (&idle->deadline);

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    {
      idle_return (idle, error);
      return;
    }
  if (idle->returned)
    return;
  if (idle->stopping)
    {
      idle_return (idle, NULL);
      return;
    }

  idle->phase = IDLE_PHASE_START;
  if (reason == DONE_PROBE)
    idle->phase = IDLE_PHASE_NOOP;
  idle_step (idle);
}

static void
on_noop_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Idle *idle = g_task_get_task_data (task);
  GError *error = NULL;

  clear_source (&idle->deadline);
  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    {
      idle_return (idle, error);
      return;
    }
  if (idle->returned)
    return;
  if (idle->stopping)
    {
      idle_return (idle, NULL);
      return;
    }
  idle->phase = IDLE_PHASE_START;
  idle_step (idle);
}

static gboolean
on_poll_timer (gpointer user_data)
{
  Idle *idle = user_data;

  g_clear_pointer (&idle->timer, g_source_unref);
  idle->phase = IDLE_PHASE_NOOP;
  idle_step (idle);
  return G_SOURCE_REMOVE;
}

static void
run_noop (Idle *idle)
{
  MissiveImapCommand *command = missive_imap_command_new (idle->store, "NOOP");

  idle->phase = IDLE_PHASE_NOOP;
  start_deadline (idle);
  missive_imap_store_run_async (idle->store, command, g_task_get_cancellable (idle->task),
                                on_noop_done, g_object_ref (idle->task));
}

static void
run_idle (Idle *idle)
{
  MissiveImapCommand *command = missive_imap_command_new (idle->store, "IDLE");

  idle->phase = IDLE_PHASE_IDLE;
  idle->command = command;
  idle->idling = FALSE;
  idle->done = DONE_NONE;
  idle->idle_started = g_get_monotonic_time ();
  idle->last_data = idle->idle_started;
  missive_imap_command_set_response_func (command, on_idle_response, idle);
  missive_imap_command_set_continue_func (command, on_idle_continue);
  /* Cancelled: the engine ends the IDLE by itself. */
  missive_imap_command_set_cancel_line (command, "DONE");
  missive_imap_store_run_async (idle->store, command, g_task_get_cancellable (idle->task),
                                on_idle_done, g_object_ref (idle->task));
}

/* The next step: an IDLE, a NOOP, or (polling) a wait. */
static void
idle_step (Idle *idle)
{
  if (idle->returned)
    return;
  if (idle->phase == IDLE_PHASE_NOOP)
    {
      run_noop (idle);
      return;
    }
  if (missive_imap_store_has_cap (idle->store, MISSIVE_IMAP_CAP_IDLE))
    {
      run_idle (idle);
      return;
    }
  idle->phase = IDLE_PHASE_WAIT;
  clear_source (&idle->timer);
  idle->timer = add_timeout (idle, idle->answer_limit * 1000, on_poll_timer,
                             "[missive-imap] idle poll");
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  Idle *idle = user_data;
  GError *error = NULL;

  g_clear_pointer (&idle->cancel_source, g_source_unref);
  /* A command in flight fails with G_IO_ERROR_CANCELLED by itself (the
   * engine sends DONE); between commands, return now. */
  if (idle->phase == IDLE_PHASE_WAIT || idle->phase == IDLE_PHASE_START)
    {
      g_cancellable_set_error_if_cancelled (cancellable, &error);
      idle_return (idle, error);
    }
  return G_SOURCE_REMOVE;
}

static void
idle_free (gpointer data)
{
  Idle *idle = data;

  clear_source (&idle->timer);
  clear_source (&idle->deadline);
  clear_source (&idle->cancel_source);
  g_free (idle);
}

static void
imap_idle_async (MissiveStore        *store,
                 int                  io_priority,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (store);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Idle *idle;
  guint timeout;

  g_task_set_source_tag (task, imap_idle_async);
  g_task_set_priority (task, io_priority);

  if (g_object_get_data (G_OBJECT (self), IDLE_KEY) != NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "An idle is running already");
      return;
    }

  idle = g_new0 (Idle, 1);
  idle->store = self;
  idle->task = g_object_ref (task);
  idle->keepalive = missive_imap_store_get_keepalive_seconds (self);
  idle->idle_max = missive_imap_store_get_idle_max_seconds (self);
  /* A read that waits longer than the service's timeout fails: probe
   * well before, even when keepalive-seconds is 0 (no probe asked). */
  timeout = missive_service_get_timeout (MISSIVE_SERVICE (self));
  if (timeout > 0 && (idle->keepalive == 0 || idle->keepalive > timeout * 2 / 3))
    idle->keepalive = MAX (timeout * 2 / 3, 1);
  idle->answer_limit = idle->keepalive > 0 ? idle->keepalive : NO_PROBE_ANSWER_LIMIT;
  if (idle->idle_max == 0)
    idle->idle_max = 29 * 60;
  g_task_set_task_data (task, idle, idle_free);
  g_object_set_data (G_OBJECT (self), IDLE_KEY, idle);

  if (cancellable != NULL)
    {
      idle->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (idle->cancel_source,
                             (GSourceFunc) (void (*) (void)) on_cancelled, idle, NULL);
      g_source_set_static_name (idle->cancel_source, "[missive-imap] idle cancelled");
      g_source_attach (idle->cancel_source, g_task_get_context (task));
    }

  idle->phase = IDLE_PHASE_START;
  idle_step (idle);
}

static gboolean
imap_idle_finish (MissiveStore  *store,
                  GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
imap_stop_idle (MissiveStore *store)
{
  Idle *idle = g_object_get_data (G_OBJECT (store), IDLE_KEY);

  if (idle == NULL || idle->returned || idle->stopping)
    return;
  idle->stopping = TRUE;

  switch (idle->phase)
    {
    case IDLE_PHASE_IDLE:
      send_done (idle, DONE_STOP);
      break;
    case IDLE_PHASE_NOOP:
      /* It returns when the NOOP is answered. */
      break;
    case IDLE_PHASE_START:
    case IDLE_PHASE_WAIT:
    default:
      idle_return (idle, NULL);
      break;
    }
}

void
missive_imap_idle_class_init (MissiveStoreClass *klass)
{
  klass->idle_async = imap_idle_async;
  klass->idle_finish = imap_idle_finish;
  klass->stop_idle = imap_stop_idle;
}
