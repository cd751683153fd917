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

G_END_DECLS
