/* missive-service.h: one connection to one mail server
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>
#include <missive/missive-transport.h>
#include <missive/missive-reply.h>

G_BEGIN_DECLS

/**
 * MissiveServiceState:
 * @MISSIVE_SERVICE_STATE_DISCONNECTED: no connection
 * @MISSIVE_SERVICE_STATE_CONNECTING: connecting, greeting, negotiating TLS
 * @MISSIVE_SERVICE_STATE_CONNECTED: connected and greeted, not authenticated
 * @MISSIVE_SERVICE_STATE_AUTHENTICATING: a SASL exchange or login is running
 * @MISSIVE_SERVICE_STATE_AUTHENTICATED: ready for mail operations
 * @MISSIVE_SERVICE_STATE_CLOSING: logging out
 *
 * The life cycle of a [class@Service].
 *
 * Since: 1.0
 */
typedef enum {
  MISSIVE_SERVICE_STATE_DISCONNECTED,
  MISSIVE_SERVICE_STATE_CONNECTING,
  MISSIVE_SERVICE_STATE_CONNECTED,
  MISSIVE_SERVICE_STATE_AUTHENTICATING,
  MISSIVE_SERVICE_STATE_AUTHENTICATED,
  MISSIVE_SERVICE_STATE_CLOSING,
} MissiveServiceState;

#define MISSIVE_TYPE_SERVICE (missive_service_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (MissiveService, missive_service, MISSIVE, SERVICE, GObject)

/**
 * MissiveServiceClass:
 * @parent_class: the parent class
 * @get_default_port: the port for a security mode when none is set
 * @greet_async: reads the server's greeting after the transport opened
 * @greet_finish: finishes @greet_async
 * @refresh_capabilities_async: asks the server what it can do (IMAP
 *   CAPABILITY, SMTP EHLO, POP3 CAPA) and stores the answer with
 *   [method@Service.set_capabilities]; called after the greeting, after
 *   STARTTLS and after authentication
 * @refresh_capabilities_finish: finishes @refresh_capabilities_async
 * @starttls_async: sends the protocol's STARTTLS command and reads the
 *   go-ahead; the core then upgrades the transport. Fails with
 *   %MISSIVE_ERROR_STARTTLS_UNAVAILABLE when the server does not offer it
 * @starttls_finish: finishes @starttls_async
 * @get_sasl_mechanisms: returns the SASL mechanisms the server offers
 * @supports_initial_response: whether the AUTH command may carry an
 *   initial response (IMAP SASL-IR; always in SMTP)
 * @sasl_start_async: sends the protocol's AUTH command for @mechanism, with
 *   the initial response if not %NULL, and reads the reply
 * @sasl_continue_async: sends one response (or the abort marker when
 *   @response is %NULL) and reads the reply
 * @sasl_finish: finishes @sasl_start_async and @sasl_continue_async: on a
 *   continuation, sets @complete to %FALSE and @server_data to the decoded
 *   challenge; on success, sets @complete to %TRUE and @server_data to any
 *   additional data; on refusal returns %FALSE with
 *   %MISSIVE_ERROR_AUTHENTICATION_FAILED
 * @login_async: logs in without SASL (IMAP LOGIN, POP3 USER/PASS), or
 *   %NULL when the protocol has no such command
 * @login_finish: finishes @login_async
 * @logout_async: says goodbye politely (LOGOUT, QUIT)
 * @logout_finish: finishes @logout_async
 * @noop_async: sends the protocol's no-op command
 * @noop_finish: finishes @noop_async
 * @send_command_async: sends one raw command line and collects the reply
 * @send_command_finish: finishes @send_command_async
 *
 * The virtual methods a protocol plugin implements. The core drives the
 * sequence (connect, greet, STARTTLS, SASL) and provides the blocking forms.
 *
 * Since: 1.0
 */
struct _MissiveServiceClass
{
  GObjectClass parent_class;

  guint16       (*get_default_port)            (MissiveService       *self,
                                                MissiveSecurity       security);

  void          (*greet_async)                 (MissiveService       *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
  gboolean      (*greet_finish)                (MissiveService       *self,
                                                GAsyncResult         *result,
                                                GError              **error);
  void          (*refresh_capabilities_async)  (MissiveService       *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
  gboolean      (*refresh_capabilities_finish) (MissiveService       *self,
                                                GAsyncResult         *result,
                                                GError              **error);
  void          (*starttls_async)              (MissiveService       *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
  gboolean      (*starttls_finish)             (MissiveService       *self,
                                                GAsyncResult         *result,
                                                GError              **error);

  char        **(*get_sasl_mechanisms)         (MissiveService       *self);
  gboolean      (*supports_initial_response)   (MissiveService       *self);
  void          (*sasl_start_async)            (MissiveService       *self,
                                                const char           *mechanism,
                                                GBytes               *initial_response,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
  void          (*sasl_continue_async)         (MissiveService       *self,
                                                GBytes               *response,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
  gboolean      (*sasl_finish)                 (MissiveService       *self,
                                                GAsyncResult         *result,
                                                GBytes              **server_data,
                                                gboolean             *complete,
                                                GError              **error);
  void          (*login_async)                 (MissiveService       *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
  gboolean      (*login_finish)                (MissiveService       *self,
                                                GAsyncResult         *result,
                                                GError              **error);
  void          (*logout_async)                (MissiveService       *self,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
  gboolean      (*logout_finish)               (MissiveService       *self,
                                                GAsyncResult         *result,
                                                GError              **error);
  void          (*noop_async)                  (MissiveService       *self,
                                                int                   io_priority,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
  gboolean      (*noop_finish)                 (MissiveService       *self,
                                                GAsyncResult         *result,
                                                GError              **error);
  void          (*send_command_async)          (MissiveService       *self,
                                                const char           *command,
                                                int                   io_priority,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
  MissiveReply *(*send_command_finish)         (MissiveService       *self,
                                                GAsyncResult         *result,
                                                GError              **error);

  /*< private >*/
  gpointer padding[16];
};

/* Life cycle */
MISSIVE_AVAILABLE_IN_1_0
gboolean      missive_service_open                (MissiveService       *self,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_open_async          (MissiveService       *self,
                                                   int                   io_priority,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean      missive_service_open_finish         (MissiveService       *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean      missive_service_close               (MissiveService       *self,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_close_async         (MissiveService       *self,
                                                   int                   io_priority,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean      missive_service_close_finish        (MissiveService       *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
MISSIVE_AVAILABLE_IN_1_0
gboolean      missive_service_noop                (MissiveService       *self,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_noop_async          (MissiveService       *self,
                                                   int                   io_priority,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean      missive_service_noop_finish         (MissiveService       *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);
MISSIVE_AVAILABLE_IN_1_0
MissiveReply *missive_service_send_command        (MissiveService       *self,
                                                   const char           *command,
                                                   GCancellable         *cancellable,
                                                   GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_send_command_async  (MissiveService       *self,
                                                   const char           *command,
                                                   int                   io_priority,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveReply *missive_service_send_command_finish (MissiveService       *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* State and capabilities */
MISSIVE_AVAILABLE_IN_1_0
MissiveServiceState missive_service_get_state     (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
const char * const *missive_service_get_capabilities (MissiveService    *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean      missive_service_has_capability      (MissiveService       *self,
                                                   const char           *capability);
MISSIVE_AVAILABLE_IN_1_0
const char   *missive_service_get_sasl_mechanism_used (MissiveService   *self);
MISSIVE_AVAILABLE_IN_1_0
MissiveTransport *missive_service_get_transport   (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_set_transport       (MissiveService       *self,
                                                   MissiveTransport     *transport);

/* Settings */
MISSIVE_AVAILABLE_IN_1_0
const char   *missive_service_get_scheme          (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
const char   *missive_service_get_host            (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_set_host            (MissiveService       *self,
                                                   const char           *host);
MISSIVE_AVAILABLE_IN_1_0
guint16       missive_service_get_port            (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_set_port            (MissiveService       *self,
                                                   guint16               port);
MISSIVE_AVAILABLE_IN_1_0
MissiveSecurity missive_service_get_security      (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_set_security        (MissiveService       *self,
                                                   MissiveSecurity       security);
MISSIVE_AVAILABLE_IN_1_0
const char   *missive_service_get_username        (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_set_username        (MissiveService       *self,
                                                   const char           *username);
MISSIVE_AVAILABLE_IN_1_0
const char   *missive_service_get_password        (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_set_password        (MissiveService       *self,
                                                   const char           *password);
MISSIVE_AVAILABLE_IN_1_0
const char   *missive_service_get_oauth_token     (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_set_oauth_token     (MissiveService       *self,
                                                   const char           *token);
MISSIVE_AVAILABLE_IN_1_0
const char   *missive_service_get_authzid         (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_set_authzid         (MissiveService       *self,
                                                   const char           *authzid);
MISSIVE_AVAILABLE_IN_1_0
const char   *missive_service_get_auth_mechanism  (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_set_auth_mechanism  (MissiveService       *self,
                                                   const char           *mechanism);
MISSIVE_AVAILABLE_IN_1_0
gboolean      missive_service_get_allow_plaintext_auth (MissiveService  *self);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_set_allow_plaintext_auth (MissiveService  *self,
                                                        gboolean         allow);
MISSIVE_AVAILABLE_IN_1_0
guint         missive_service_get_timeout         (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_set_timeout         (MissiveService       *self,
                                                   guint                 seconds);
MISSIVE_AVAILABLE_IN_1_0
const char   *missive_service_get_ca_file         (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_set_ca_file         (MissiveService       *self,
                                                   const char           *ca_file);
MISSIVE_AVAILABLE_IN_1_0
GTlsDatabase *missive_service_get_tls_database    (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
void          missive_service_set_tls_database    (MissiveService       *self,
                                                   GTlsDatabase         *database);

G_END_DECLS
