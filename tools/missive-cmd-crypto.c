/* missive-cmd-crypto.c: signing and encrypting an outgoing message for
 * `missive send --sign / --encrypt`
 *
 * The crypto context comes from the engine (the openpgp or smime
 * backend). A passphrase is asked on the terminal, without echo, through
 * MissiveCryptoContext::passphrase-requested; without a terminal the
 * handler gives none and the operation fails with a clear message.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-cmd-crypto.h"

static char *
passphrase_requested_cb (MissiveCryptoContext *context,
                         const char           *key_id,
                         const char           *user_id,
                         gboolean              previous_was_bad,
                         gboolean             *asked)
{
  char *passphrase;

  passphrase = missive_cmd_prompt_secret ("%sPassphrase for %s%s%s%s: ",
                                          previous_was_bad ? "Bad passphrase, try again.\n" : "",
                                          user_id != NULL ? user_id : "",
                                          key_id != NULL ? " (" : "",
                                          key_id != NULL ? key_id : "",
                                          key_id != NULL ? ")" : "");

  if (passphrase == NULL)
    *asked = TRUE;   /* wanted one, could not ask */
  return passphrase;
}

/* Recipients and signer of @envelope as key names. */
static char **
envelope_recipients (MissiveEnvelope *envelope)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < missive_envelope_get_n_recipients (envelope); i++)
    g_strv_builder_add (builder, missive_envelope_get_recipient (envelope, i, NULL));
  return g_strv_builder_end (builder);
}

MissiveCryptoContext *
missive_cmd_crypto_context (const char  *backend,
                            const char  *gnupg_home,
                            gboolean    *no_terminal,
                            GError     **error)
{
  MissiveCryptoContext *context;

  context = missive_engine_create_crypto_context (missive_engine_get_default (),
                                                  backend != NULL ? backend : "openpgp", error);
  if (context == NULL)
    return NULL;
  if (gnupg_home != NULL)
    missive_crypto_context_set_home_directory (context, gnupg_home);
  *no_terminal = FALSE;
  g_signal_connect (context, "passphrase-requested", G_CALLBACK (passphrase_requested_cb), no_terminal);
  return context;
}

void
missive_cmd_crypto_fail (GError     **error,
                         GError      *local_error,
                         gboolean     no_terminal,
                         const char  *what)
{
  if (no_terminal && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_BAD_PASSPHRASE,
                   "%s needs a passphrase and there is no terminal to ask on "
                   "(use a key without one, or gpg-agent with a cached passphrase)", what);
      g_error_free (local_error);
    }
  else
    g_propagate_prefixed_error (error, local_error, "%s: ", what);
}

GMimeMessage *
missive_cmd_crypto_protect (GMimeMessage     *message,
                            MissiveEnvelope  *envelope,
                            const char       *backend,
                            const char       *gnupg_home,
                            gboolean          sign,
                            gboolean          encrypt,
                            GError          **error)
{
  g_autoptr(MissiveCryptoContext) context = NULL;
  GError *local_error = NULL;
  const char *signers[] = { missive_envelope_get_from (envelope), NULL };
  g_auto(GStrv) recipients = NULL;
  GMimeMessage *result = NULL;
  gboolean no_terminal = FALSE;

  g_return_val_if_fail (sign || encrypt, NULL);

  context = missive_cmd_crypto_context (backend, gnupg_home, &no_terminal, error);
  if (context == NULL)
    return NULL;

  recipients = envelope_recipients (envelope);
  if (sign && encrypt)
    result = missive_crypto_context_sign_and_encrypt (context, message, signers,
                                                      (const char * const *) recipients,
                                                      MISSIVE_CRYPTO_FLAGS_NONE, NULL, &local_error);
  else if (sign)
    result = missive_crypto_context_sign (context, message, signers, MISSIVE_CRYPTO_FLAGS_NONE,
                                          NULL, &local_error);
  else
    result = missive_crypto_context_encrypt (context, message, (const char * const *) recipients,
                                             MISSIVE_CRYPTO_FLAGS_NONE, NULL, &local_error);
  if (result == NULL)
    {
      g_autofree char *what = sign ? g_strdup_printf ("signing for %s", signers[0])
                                   : g_strdup ("encrypting");

      missive_cmd_crypto_fail (error, local_error, no_terminal, what);
    }
  return result;
}
