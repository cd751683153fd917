/* missive-cmd-crypto.h: signing and encrypting for `missive send`
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "missive-cmds.h"

G_BEGIN_DECLS

/* Signs (for the envelope's sender), encrypts (to the envelope's
 * recipients) or does both to @message with the @backend crypto context
 * ("openpgp" when NULL) of the default engine, in @gnupg_home when not
 * NULL. A passphrase is asked on the terminal; without one the result is
 * MISSIVE_ERROR_BAD_PASSPHRASE. Returns the new message. */
GMimeMessage *missive_cmd_crypto_protect (GMimeMessage     *message,
                                          MissiveEnvelope  *envelope,
                                          const char       *backend,
                                          const char       *gnupg_home,
                                          gboolean          sign,
                                          gboolean          encrypt,
                                          GError          **error);

/* The @backend crypto context ("openpgp" when NULL) of the default
 * engine, in @gnupg_home when not NULL, asking for passphrases on the
 * terminal; @no_terminal is set when one was wanted and could not be
 * asked. */
MissiveCryptoContext *missive_cmd_crypto_context (const char  *backend,
                                                  const char  *gnupg_home,
                                                  gboolean    *no_terminal,
                                                  GError     **error);

/* Sets @error from @local_error (taken) of an operation on @what: a clear
 * MISSIVE_ERROR_BAD_PASSPHRASE when a passphrase could not be asked. */
void missive_cmd_crypto_fail (GError     **error,
                              GError      *local_error,
                              gboolean     no_terminal,
                              const char  *what);

G_END_DECLS
