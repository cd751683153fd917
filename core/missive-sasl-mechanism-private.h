/* missive-sasl-mechanism-private.h: helpers for the core's SASL mechanisms
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

/* Overwrites @length bytes at @data with zeros in a way the compiler cannot
 * drop as a dead store. */
void    missive_sasl_wipe            (gpointer      data,
                                      gsize         length);

/* Wipes the NUL-terminated @secret, then frees it. NULL is fine. */
void    missive_sasl_secret_free     (char         *secret);

/* Wraps @data (allocated with g_malloc, @length bytes, ownership taken) in
 * a GBytes that wipes the memory before freeing it, for responses that
 * carry a password. */
GBytes *missive_sasl_secret_bytes_new_take (guint8 *data,
                                            gsize   length);

/* Test hook: called with the buffer of every secret just after it was
 * wiped and before it is freed, so a test can check that it is all zeros.
 * Not thread-safe; NULL removes the hook. */
typedef void (*MissiveSaslWipeHook) (const guint8 *buffer,
                                     gsize         length,
                                     gpointer      user_data);

void    missive_sasl_set_wipe_hook_for_testing (MissiveSaslWipeHook hook,
                                                gpointer            user_data);

G_END_DECLS
