/* missive-sasl-driver-private.h: the SASL exchange run by MissiveService
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

G_BEGIN_DECLS

/* The largest number of server challenges one exchange may take. */
#define MISSIVE_SASL_DRIVER_MAX_ROUNDS 32

/* The SASL service name ("imap", "smtp", "pop") for a URI scheme. */
const char *missive_sasl_driver_service_name   (const char          *scheme);

/* Authenticates @service over its open connection: chooses the mechanism
 * (or the protocol's login command) and runs the exchange through the
 * service class's sasl_* vfuncs. The caller sets the service's state. */
void        missive_sasl_driver_authenticate_async  (MissiveService      *service,
                                                     int                  io_priority,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/* @mechanism_used: (out) (optional) (nullable): the SASL mechanism that
 * succeeded, or NULL when the protocol's login command was used. */
gboolean    missive_sasl_driver_authenticate_finish (MissiveService      *service,
                                                     GAsyncResult        *result,
                                                     char               **mechanism_used,
                                                     GError             **error);

G_END_DECLS
