/* missive-service-private.h: what MissiveStore and MissiveSender share with
 * MissiveService, and what the files of MissiveService (missive-service.c,
 * missive-service-connection.c, missive-service-io.c) share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

G_BEGIN_DECLS

/* The instance data of MissiveService, shared by its files. */
typedef struct
{
  /* Settings */
  char *scheme;
  char *host;
  guint16 port;
  MissiveSecurity security;
  char *username;
  char *password;
  char *oauth_token;
  char *authzid;
  char *auth_mechanism;
  gboolean allow_plaintext_auth;
  guint timeout;
  char *ca_file;
  GTlsDatabase *tls_database;
  MissiveTransport *transport;

  /* State */
  MissiveServiceState state;
  char **capabilities;
  char *sasl_mechanism_used;
  gboolean preauthenticated;
  int io_priority;

  /* The connection in use: the application's transport or our own */
  MissiveTransport *connection;
  gulong accept_certificate_id;
  gulong tls_established_id;
  MissiveReader *reader;
  GOutputStream *output;
} MissiveServicePrivate;

/* The signals of MissiveService; see missive_service_get_signal_id(). */
typedef enum
{
  MISSIVE_SERVICE_SIGNAL_PROTOCOL_TRACE,
  MISSIVE_SERVICE_SIGNAL_STATE_CHANGED,
  MISSIVE_SERVICE_SIGNAL_ACCEPT_CERTIFICATE,
  MISSIVE_SERVICE_SIGNAL_TLS_ESTABLISHED,
  MISSIVE_SERVICE_SIGNAL_TRANSFER_STARTED,
  MISSIVE_SERVICE_SIGNAL_TRANSFER_PROGRESS,
  MISSIVE_SERVICE_SIGNAL_TRANSFER_FINISHED,
  MISSIVE_SERVICE_SIGNAL_WARNING,
  MISSIVE_SERVICE_SIGNAL_TOKEN_REQUESTED,
  MISSIVE_SERVICE_SIGNAL_PREPARE_SASL_MECHANISM,
  MISSIVE_SERVICE_N_SIGNALS
} MissiveServiceSignal;

/* ---- between the files of MissiveService (missive-service*.c) ---- */

/* The instance data of @self. */
MissiveServicePrivate *missive_service_get_priv (MissiveService *self);

/* The id of one of MissiveService's signals, for g_signal_emit(). */
guint    missive_service_get_signal_id        (MissiveServiceSignal  signal);

/* Sets priv->state, notifying "state" and emitting ::state-changed when it
 * changes. */
void     missive_service_set_state            (MissiveService       *self,
                                               MissiveServiceState   state);

/* Notify the "transport" and "capabilities" properties. */
void     missive_service_notify_transport     (MissiveService       *self);
void     missive_service_notify_capabilities  (MissiveService       *self);

/* Forgets the connection without any I/O: drops the reader, the output
 * stream, the signal handlers and priv->connection. */
void     missive_service_drop_connection      (MissiveService       *self);

/* Emits ::token-requested. A token a handler returns becomes the
 * oauth-token property. Returns TRUE if the property changed. */
gboolean missive_service_request_token        (MissiveService       *self);

/* ---- shared with MissiveStore and MissiveSender ---- */

/* Whether an operation may start: the service must be connected (and, with
 * @need_authenticated, logged in). Sets MISSIVE_ERROR_INVALID_STATE. */
gboolean missive_service_check_ready      (MissiveService  *self,
                                           gboolean         need_authenticated,
                                           GError         **error);

/* Remembers the I/O priority of the public operation that is starting, for
 * the plugin helpers (write_line, read_line) it will call. */
void     missive_service_begin_operation  (MissiveService  *self,
                                           int              io_priority);

/* Whether @error leaves the connection unusable (lost, timed out, out of
 * sync with the server). */
gboolean missive_service_error_is_fatal   (const GError    *error);

/* Finishes @task (transfer full) with @error (transfer full), mapped into
 * MISSIVE_ERROR. When the error is fatal, the connection is closed and the
 * service goes to DISCONNECTED before the task returns. */
void     missive_service_return_error     (MissiveService  *self,
                                           GTask           *task,
                                           GError          *error);

/* A copy of @self that the sender may annotate (content class). */
MissiveEnvelope *missive_envelope_copy    (MissiveEnvelope *self);

/* Finishes @task (transfer full) with @error (transfer full) from a
 * plugin's finish function, through missive_service_return_error(); a
 * plugin that failed without setting an error gets a generic one. */
void     missive_service_fail             (GTask           *task,
                                           GError          *error);

/* A new service of @template's type with every read-write setting of
 * @template (the plugin's own included) except its transport: what the
 * sender and store pools open one connection with. Not opened. */
MissiveService *missive_service_new_like  (MissiveService  *template_service);

/* TRUE when @string contains CR or LF (which would end a protocol line). */
gboolean missive_string_has_line_break    (const char      *string);

G_END_DECLS
