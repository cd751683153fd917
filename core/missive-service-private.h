/* missive-service-private.h: what MissiveStore and MissiveSender share with
 * MissiveService
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

G_BEGIN_DECLS

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

/* TRUE when @string contains CR or LF (which would end a protocol line). */
gboolean missive_string_has_line_break    (const char      *string);

G_END_DECLS
