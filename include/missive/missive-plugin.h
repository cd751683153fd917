/* missive-plugin.h: the API for plugin authors
 *
 * Everything here is exported and stable within one plugin ABI version
 * (%MISSIVE_PLUGIN_ABI_VERSION), but it is not part of the introspected API:
 * applications never need it.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define __MISSIVE_PLUGIN_H_INSIDE__

#include <missive/missive.h>
#include <missive/missive-reader.h>

#undef __MISSIVE_PLUGIN_H_INSIDE__

G_BEGIN_DECLS

/**
 * MISSIVE_PLUGIN_DECLARE_ABI:
 *
 * Every plugin must use this macro once, at file scope, in the file that
 * holds its GIO module entry points. It exports the symbol
 * `missive_plugin_abi_version`, which the engine compares with its own
 * %MISSIVE_PLUGIN_ABI_VERSION before it loads the plugin.
 */
#define MISSIVE_PLUGIN_DECLARE_ABI \
  __attribute__((visibility ("default"))) const guint missive_plugin_abi_version = MISSIVE_PLUGIN_ABI_VERSION

/**
 * MISSIVE_PLUGIN_EXPORT:
 *
 * Marks a plugin's GIO module entry points (`g_io_<name>_load`, `_unload`,
 * `_query`) as exported from an otherwise hidden-visibility shared object.
 */
#define MISSIVE_PLUGIN_EXPORT __attribute__((visibility ("default")))

/* Extension point names. */
#define MISSIVE_PROTOCOL_EXTENSION_POINT_NAME       "missive-protocol"
#define MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME "missive-sasl-mechanism"
#define MISSIVE_CRYPTO_BACKEND_EXTENSION_POINT_NAME "missive-crypto-backend"

MISSIVE_AVAILABLE_IN_1_0
void           missive_plugin_ensure_extension_points (void);

/* Service helpers for protocol plugins. */
MISSIVE_AVAILABLE_IN_1_0
MissiveReader *missive_service_get_reader            (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
GOutputStream *missive_service_get_output_stream     (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
void           missive_service_set_capabilities      (MissiveService       *self,
                                                      const char * const   *capabilities);
MISSIVE_AVAILABLE_IN_1_0
void           missive_service_set_preauthenticated  (MissiveService       *self);
MISSIVE_AVAILABLE_IN_1_0
void           missive_service_trace                 (MissiveService        *self,
                                                      MissiveTraceDirection  direction,
                                                      const char            *data,
                                                      gssize                 length,
                                                      gboolean               sensitive);
MISSIVE_AVAILABLE_IN_1_0
gboolean       missive_service_is_tracing            (MissiveService       *self);

MISSIVE_AVAILABLE_IN_1_0
void           missive_service_write_line_async      (MissiveService       *self,
                                                      const char           *line,
                                                      gboolean              sensitive,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
gboolean       missive_service_write_line_finish     (MissiveService       *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
MISSIVE_AVAILABLE_IN_1_0
void           missive_service_read_line_async       (MissiveService       *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
MISSIVE_AVAILABLE_IN_1_0
const char    *missive_service_read_line_finish      (MissiveService       *self,
                                                      GAsyncResult         *result,
                                                      gsize                *length,
                                                      GError              **error);

MISSIVE_AVAILABLE_IN_1_0
void           missive_service_emit_transfer_started  (MissiveService      *self,
                                                       const char          *what,
                                                       guint64              total);
MISSIVE_AVAILABLE_IN_1_0
void           missive_service_emit_transfer_progress (MissiveService      *self,
                                                       guint64              done,
                                                       guint64              total);
MISSIVE_AVAILABLE_IN_1_0
void           missive_service_emit_transfer_finished (MissiveService      *self,
                                                       guint64              total);
MISSIVE_AVAILABLE_IN_1_0
void           missive_service_emit_warning           (MissiveService      *self,
                                                       const GError        *warning);

/* Secrets in SASL mechanisms: wipe before freeing. */
MISSIVE_AVAILABLE_IN_1_0
void           missive_sasl_wipe                      (gpointer             data,
                                                       gsize                length);
MISSIVE_AVAILABLE_IN_1_0
void           missive_sasl_secret_free               (char                *secret);
MISSIVE_AVAILABLE_IN_1_0
GBytes        *missive_sasl_secret_bytes_new_take     (guint8              *data,
                                                       gsize                length);

/* One step of a SASL exchange in a line-based protocol (POP3's "+ ",
 * SMTP's "334 " challenges): the line to send and what the reply brought.
 * A plugin keeps it as the task data of its sasl_start/continue tasks. */
typedef struct
{
  char *line;          /* to send; wiped when freed */
  GBytes *data;        /* the decoded challenge, or the success data */
  gboolean complete;   /* the server accepted the exchange */
} MissiveSaslStep;

MISSIVE_AVAILABLE_IN_1_0
MissiveSaslStep *missive_sasl_step_new        (void);
MISSIVE_AVAILABLE_IN_1_0
void             missive_sasl_step_free       (MissiveSaslStep *step);
/* The line answering a challenge: @response in base64, "" when it is
 * empty, "*" (abort) when it is NULL. */
MISSIVE_AVAILABLE_IN_1_0
char            *missive_sasl_encode_response (GBytes          *response);
/* A sasl_finish for tasks whose data is a MissiveSaslStep and whose result
 * is a boolean. */
MISSIVE_AVAILABLE_IN_1_0
gboolean         missive_sasl_step_propagate  (GTask           *task,
                                               GBytes         **server_data,
                                               gboolean        *complete,
                                               GError         **error);

/* Masking of credentials in trace lines (LOGIN, AUTHENTICATE, AUTH, PASS,
 * APOP). Returns a newly allocated copy with secrets replaced by "****". */
MISSIVE_AVAILABLE_IN_1_0
char          *missive_trace_mask_line                (const char          *line,
                                                       gssize               length);

/* Runs an async operation to completion on a private main context; the
 * blocking forms of the core's API are built on it. @start must start the
 * operation with the given callback and user data. */
typedef void (*MissiveAsyncStartFunc) (gpointer             source,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data,
                                       gpointer             start_data);
MISSIVE_AVAILABLE_IN_1_0
GAsyncResult  *missive_run_sync                       (gpointer              source,
                                                       MissiveAsyncStartFunc start,
                                                       gpointer              start_data,
                                                       GCancellable         *cancellable);

/* Store helpers for protocol plugins: emit MissiveStore's signals. Each is
 * cheap when nobody listens (no marshalling, no copies). */
MISSIVE_AVAILABLE_IN_1_0
void           missive_store_emit_mailbox_listed      (MissiveStore        *self,
                                                       MissiveMailboxInfo  *info);
MISSIVE_AVAILABLE_IN_1_0
void           missive_store_emit_message_info        (MissiveStore        *self,
                                                       MissiveMessageInfo  *info);
MISSIVE_AVAILABLE_IN_1_0
void           missive_store_emit_message_part        (MissiveStore        *self,
                                                       guint                message_id,
                                                       const char          *section,
                                                       GBytes              *data);
MISSIVE_AVAILABLE_IN_1_0
void           missive_store_emit_header              (MissiveStore        *self,
                                                       guint                message_id,
                                                       const char          *name,
                                                       const char          *value);
MISSIVE_AVAILABLE_IN_1_0
void           missive_store_emit_mailbox_changed     (MissiveStore        *self,
                                                       const char          *mailbox,
                                                       const char          *what,
                                                       guint                number);
MISSIVE_AVAILABLE_IN_1_0
void           missive_store_emit_mailbox_acl         (MissiveStore        *self,
                                                       const char          *mailbox,
                                                       const char          *identifier,
                                                       const char          *rights);
/* Whether anyone listens to ::header (plugins then skip splitting headers);
 * likewise for ::message-part. */
MISSIVE_AVAILABLE_IN_1_0
gboolean       missive_store_has_header_listeners     (MissiveStore        *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean       missive_store_has_message_part_listeners (MissiveStore      *self);

/* The tokens of a search query, in order, for a plugin to render in its
 * protocol: atoms (keywords, numbers, dates already as "1-Feb-2024",
 * message sets, and the parentheses "(" and ")") are sent as they are;
 * strings (@is_string TRUE, user text) must be quoted or sent as literals.
 * Raw criteria (missive_search_query_new_raw(), _add_raw()) come as one
 * atom. */
typedef void (*MissiveSearchTokenFunc) (gboolean    is_string,
                                        const char *text,
                                        gpointer    user_data);
MISSIVE_AVAILABLE_IN_1_0
void           missive_search_query_foreach_token     (MissiveSearchQuery    *query,
                                                       MissiveSearchTokenFunc func,
                                                       gpointer               user_data);

G_END_DECLS
