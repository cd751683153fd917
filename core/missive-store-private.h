/* missive-store-private.h: what the files of MissiveStore share
 * (missive-store.c, missive-store-mailbox.c, missive-store-message.c,
 * missive-store-extra.c, missive-store-mime.c, missive-store-thread.c,
 * missive-store-admin.c, missive-store-append.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "missive-service-private.h"
#include "missive-search-query-private.h"

G_BEGIN_DECLS

/* The argument checks of the public operations. Each sets
 * MISSIVE_ERROR_INVALID_ARGUMENT naming @what and returns FALSE; each does
 * nothing and returns FALSE when *@error is already set, so that checks
 * can be chained without tests in between. */

/* A mailbox name or similar: no CR or LF; with @required, neither NULL
 * nor empty. */
gboolean missive_store_check_name  (const char          *name,
                                    const char          *what,
                                    gboolean             required,
                                    GError             **error);
/* A message set: neither NULL nor empty. */
gboolean missive_store_check_set   (MissiveMessageSet   *set,
                                    GError             **error);
/* Flags or keywords: each an IMAP atom (a leading backslash allowed);
 * with @required, at least one. */
gboolean missive_store_check_flags (const char * const  *flags,
                                    gboolean             required,
                                    GError             **error);

/* Common start of every operation: the task (with @source_tag and
 * @io_priority), then, in this order, @argument_error (transfer full,
 * nullable: the result of the argument checks), the state (logged in),
 * and @implemented (whether the plugin has the virtual method). Returns
 * NULL when the task has already been given an error. */
GTask   *missive_store_begin_operation (MissiveStore        *self,
                                        gpointer             source_tag,
                                        gboolean             implemented,
                                        GError              *argument_error,
                                        int                  io_priority,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);

/* The selected mailbox, as missive_store_get_selected_mailbox() reports
 * it; NULL for none. */
void     missive_store_set_selected_mailbox (MissiveStore   *self,
                                             const char     *name);

G_END_DECLS
