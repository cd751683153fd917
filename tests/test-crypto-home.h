/* test-crypto-home.h: throwaway GnuPG homes for the crypto tests that
 * go through MissiveCryptoContext (test-crypto-open, test-testbed-crypto)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

gboolean      test_crypto_have_gpg       (void);
gboolean      test_crypto_run            (const char * const *argv,
                                          char              **out);
/* A new home under @parent with loopback pinentry allowed. */
char         *test_crypto_make_home      (const char   *parent,
                                          const char   *name);
/* An ed25519/cv25519 key for @uid ("" for no passphrase); its fingerprint. */
char         *test_crypto_generate_key   (const char   *home,
                                          const char   *uid,
                                          const char   *passphrase);
void          test_crypto_stop_agent     (const char   *home);
MissiveCryptoContext *test_crypto_context_new (const char *backend,
                                               const char *home);
GMimeMessage *test_crypto_text_message   (const char   *from,
                                          const char   *to,
                                          const char   *subject,
                                          const char   *text);
/* Written out and parsed again, as a receiver sees it. */
GMimeMessage *test_crypto_reparse        (const char   *text,
                                          gssize        length);
GMimeMessage *test_crypto_roundtrip      (GMimeMessage *message);
/* The text of a message whose body is a single text part. */
char         *test_crypto_body_text      (GMimeMessage *message);

G_END_DECLS
