/* missive-sasl-mechanism-private.h: helpers for the core's SASL mechanisms
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive-plugin.h>

G_BEGIN_DECLS

/* missive_sasl_wipe(), missive_sasl_secret_free() and
 * missive_sasl_secret_bytes_new_take() are in <missive/missive-plugin.h>. */

/* Test hook: called with the buffer of every secret just after it was
 * wiped and before it is freed, so a test can check that it is all zeros.
 * Not thread-safe; NULL removes the hook. */
typedef void (*MissiveSaslWipeHook) (const guint8 *buffer,
                                     gsize         length,
                                     gpointer      user_data);

void    missive_sasl_set_wipe_hook_for_testing (MissiveSaslWipeHook hook,
                                                gpointer            user_data);

G_END_DECLS
