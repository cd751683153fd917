/* missive-command-transport.c: speak over a spawned program's stdin/stdout
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

#include "missive-transport-private.h"

/**
 * MissiveCommandTransport:
 *
 * A [iface@Transport] that runs a program and talks to it over its
 * standard input and output, as Python's `imaplib.IMAP4_stream` does:
 * for instance a local, pre-authenticated IMAP server process, or `ssh`
 * running one on another machine.
 *
 * [method@Transport.open] spawns the program (its standard error goes to
 * the application's); [method@Transport.close] closes its pipes, waits a
 * moment for it to exit, and kills it if it does not. The pipes are not a
 * network connection, so [method@Transport.start_tls] fails with
 * %MISSIVE_ERROR_NOT_SUPPORTED.
 *
 * Since: 1.0
 */

/* How long close() lets the program exit by itself, in seconds. */
#define EXIT_WAIT_SECONDS 2

struct _MissiveCommandTransport
{
  GObject parent_instance;

  char **argv;
  GSubprocess *subprocess;
  GIOStream *stream;
};

static void missive_command_transport_iface_init (MissiveTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MissiveCommandTransport, missive_command_transport, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MISSIVE_TYPE_TRANSPORT,
                                                      missive_command_transport_iface_init))

enum {
  PROP_0,
  PROP_ARGV,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- MissiveTransport ---------------------------------------------------- */

static void
missive_command_transport_open_async (MissiveTransport    *transport,
                                      int                  io_priority,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  MissiveCommandTransport *self = MISSIVE_COMMAND_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *subprocess;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_command_transport_open_async);
  g_task_set_priority (task, io_priority);

  if (g_task_return_error_if_cancelled (task))
    return;
  if (self->subprocess != NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE,
                               "The transport is already open");
      return;
    }
  if (self->argv == NULL || self->argv[0] == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "No command to run");
      return;
    }

  subprocess = g_subprocess_newv ((const char * const *) self->argv,
                                  G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                  G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                                  &error);
  if (subprocess == NULL)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_REFUSED,
                               "Cannot run “%s”: %s", self->argv[0], error->message);
      return;
    }

  self->subprocess = subprocess;
  self->stream = g_simple_io_stream_new (g_subprocess_get_stdout_pipe (subprocess),
                                         g_subprocess_get_stdin_pipe (subprocess));
  g_task_return_boolean (task, TRUE);
}

static gboolean
missive_command_transport_open_finish (MissiveTransport  *transport,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        missive_command_transport_open_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
missive_command_transport_start_tls_async (MissiveTransport    *transport,
                                           int                  io_priority,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (transport, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_command_transport_start_tls_async);
  g_task_set_priority (task, io_priority);
  g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                           "TLS is not supported over a command's pipes");
}

static gboolean
missive_command_transport_start_tls_finish (MissiveTransport  *transport,
                                            GAsyncResult      *result,
                                            GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        missive_command_transport_start_tls_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  GSubprocess *subprocess;
  MissiveDeadline *deadline;
} CloseData;

static void
close_data_free (gpointer data)
{
  CloseData *close = data;

  g_clear_pointer (&close->deadline, missive_deadline_free);
  g_clear_object (&close->subprocess);
  g_free (close);
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CloseData *close = g_task_get_task_data (task);

  /* Not gone after the grace period (or the close was cancelled): kill it.
   * GLib reaps it in the background. */
  if (!g_subprocess_wait_finish (close->subprocess, result, NULL))
    g_subprocess_force_exit (close->subprocess);
  g_task_return_boolean (task, TRUE);
}

static void
on_pipes_closed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  CloseData *close = g_task_get_task_data (task);

  /* An error closing a pipe the program already closed is no news. */
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);

  close->deadline = missive_deadline_new (g_task_get_cancellable (task), EXIT_WAIT_SECONDS);
  g_subprocess_wait_async (close->subprocess,
                           missive_deadline_get_cancellable (close->deadline),
                           on_exited, task);
}

static void
missive_command_transport_close_async (MissiveTransport    *transport,
                                       int                  io_priority,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  MissiveCommandTransport *self = MISSIVE_COMMAND_TRANSPORT (transport);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GIOStream) stream = NULL;
  CloseData *close;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_command_transport_close_async);
  g_task_set_priority (task, io_priority);
  /* The program is dealt with even if the close is cancelled. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->subprocess == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  close = g_new0 (CloseData, 1);
  close->subprocess = g_steal_pointer (&self->subprocess);
  g_task_set_task_data (task, close, close_data_free);
  stream = g_steal_pointer (&self->stream);

  g_io_stream_close_async (stream, io_priority, NULL, on_pipes_closed,
                           g_steal_pointer (&task));
}

static gboolean
missive_command_transport_close_finish (MissiveTransport  *transport,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        missive_command_transport_close_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static GIOStream *
missive_command_transport_get_stream (MissiveTransport *transport)
{
  return MISSIVE_COMMAND_TRANSPORT (transport)->stream;
}

static GTlsConnection *
missive_command_transport_get_tls_connection (MissiveTransport *transport)
{
  return NULL;
}

static void
missive_command_transport_iface_init (MissiveTransportInterface *iface)
{
  iface->open_async = missive_command_transport_open_async;
  iface->open_finish = missive_command_transport_open_finish;
  iface->get_stream = missive_command_transport_get_stream;
  iface->get_tls_connection = missive_command_transport_get_tls_connection;
  iface->start_tls_async = missive_command_transport_start_tls_async;
  iface->start_tls_finish = missive_command_transport_start_tls_finish;
  iface->close_async = missive_command_transport_close_async;
  iface->close_finish = missive_command_transport_close_finish;
}

/* ---- GObject ------------------------------------------------------------- */

static void
missive_command_transport_dispose (GObject *object)
{
  MissiveCommandTransport *self = MISSIVE_COMMAND_TRANSPORT (object);

  /* Not closed: do not leave the program behind. */
  if (self->subprocess != NULL)
    g_subprocess_force_exit (self->subprocess);
  g_clear_object (&self->stream);
  g_clear_object (&self->subprocess);

  G_OBJECT_CLASS (missive_command_transport_parent_class)->dispose (object);
}

static void
missive_command_transport_finalize (GObject *object)
{
  MissiveCommandTransport *self = MISSIVE_COMMAND_TRANSPORT (object);

  g_strfreev (self->argv);

  G_OBJECT_CLASS (missive_command_transport_parent_class)->finalize (object);
}

static void
missive_command_transport_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  MissiveCommandTransport *self = MISSIVE_COMMAND_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_ARGV:
      g_value_set_boxed (value, self->argv);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_command_transport_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  MissiveCommandTransport *self = MISSIVE_COMMAND_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_ARGV:
      self->argv = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_command_transport_class_init (MissiveCommandTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = missive_command_transport_dispose;
  object_class->finalize = missive_command_transport_finalize;
  object_class->get_property = missive_command_transport_get_property;
  object_class->set_property = missive_command_transport_set_property;

  /**
   * MissiveCommandTransport:argv:
   *
   * The program to run and its arguments. The program is looked up in
   * `PATH` unless it contains a slash; no shell is involved.
   *
   * Since: 1.0
   */
  properties[PROP_ARGV] =
    g_param_spec_boxed ("argv", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_command_transport_init (MissiveCommandTransport *self)
{
}

/* ---- public API ---------------------------------------------------------- */

/**
 * missive_command_transport_new:
 * @argv: (array zero-terminated=1): the program and its arguments
 *
 * Creates a transport that runs @argv when opened.
 *
 * Returns: (transfer full): a new transport
 *
 * Since: 1.0
 */
MissiveCommandTransport *
missive_command_transport_new (const char * const *argv)
{
  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  return g_object_new (MISSIVE_TYPE_COMMAND_TRANSPORT, "argv", argv, NULL);
}

/**
 * missive_command_transport_get_argv:
 * @self: a command transport
 *
 * Gets [property@CommandTransport:argv].
 *
 * Returns: (array zero-terminated=1) (transfer none): the program and its
 *   arguments
 *
 * Since: 1.0
 */
const char * const *
missive_command_transport_get_argv (MissiveCommandTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_COMMAND_TRANSPORT (self), NULL);
  return (const char * const *) self->argv;
}

/**
 * missive_command_transport_get_subprocess:
 * @self: a command transport
 *
 * Gets the running program, e.g. to check that it is still running or to
 * send it a signal.
 *
 * Returns: (transfer none) (nullable): the program, or %NULL when the
 *   transport is not open
 *
 * Since: 1.0
 */
GSubprocess *
missive_command_transport_get_subprocess (MissiveCommandTransport *self)
{
  g_return_val_if_fail (MISSIVE_IS_COMMAND_TRANSPORT (self), NULL);
  return self->subprocess;
}
