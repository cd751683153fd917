/* test-crypto-openpgp.c: the "openpgp" crypto backend (GPGME) through the
 * engine, against throwaway GnuPG homes made with gpg --quick-gen-key
 *
 * Homes: A holds alice (no passphrase) and bob (passphrase "bob-pass"),
 * C holds carol (no passphrase), E starts empty. Every signed or encrypted
 * message is serialised and parsed again before it is checked, and some
 * outputs are checked with the gpg command-line tool as well.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <missive/missive-crypto-backend.h>

#define BOB_PASS "bob-pass"

static char *tmpdir;
static char *home_a, *home_c, *home_e;
static char *alice_fpr, *bob_fpr, *carol_fpr;
static gboolean have_gpg;

/* ---- helpers --------------------------------------------------------------- */

static gboolean
run_command (const char * const *argv,
             const char         *input_file,
             char              **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err_text = NULL;
  int status = 0;
  gboolean ok;

  ok = g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     out, &err_text, &status, &error);
  if (!ok)
    {
      g_test_message ("spawning %s: %s", argv[0], error->message);
      return FALSE;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_test_message ("%s failed: %s", argv[0], err_text);
      return FALSE;
    }
  return TRUE;
}

static char *
fingerprint_of (const char *home,
                const char *who)
{
  const char *argv[] = { "gpg", "--homedir", home, "--batch", "--with-colons",
                         "--list-keys", who, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (run_command (argv, NULL, &out));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "fpr:"))
      {
        g_auto(GStrv) fields = g_strsplit (lines[i], ":", -1);

        return g_strdup (fields[9]);
      }
  g_assert_not_reached ();
}

static void
generate_key (const char *home,
              const char *uid,
              const char *passphrase)
{
  const char *argv[] = { "gpg", "--homedir", home, "--batch", "--quiet",
                         "--pinentry-mode", "loopback", "--passphrase", passphrase,
                         "--quick-gen-key", uid, "future-default", "default", "never", NULL };

  g_assert_true (run_command (argv, NULL, NULL));
}

static char *
make_home (const char *name)
{
  char *home = g_build_filename (tmpdir, name, NULL);
  g_autofree char *conf = g_build_filename (home, "gpg-agent.conf", NULL);

  g_assert_cmpint (g_mkdir (home, 0700), ==, 0);
  g_assert_true (g_file_set_contents (conf, "allow-loopback-pinentry\n", -1, NULL));
  return home;
}

/* Makes gpg-agent forget the passphrases it cached. */
static void
forget_passphrases (const char *home)
{
  const char *argv[] = { "gpgconf", "--homedir", home, "--reload", "gpg-agent", NULL };

  g_assert_true (run_command (argv, NULL, NULL));
}

static void
stop_agent (const char *home)
{
  const char *argv[] = { "gpgconf", "--homedir", home, "--kill", "all", NULL };

  run_command (argv, NULL, NULL);
}

static gboolean
require_gpg (void)
{
  if (!have_gpg)
    g_test_skip ("gpg or gpgconf is not installed");
  return have_gpg;
}

static MissiveCryptoContext *
new_context (const char *home)
{
  g_autoptr(GError) error = NULL;
  MissiveCryptoContext *context;

  context = missive_engine_create_crypto_context (missive_engine_get_default (), "openpgp", &error);
  g_assert_no_error (error);
  g_assert_nonnull (context);
  g_assert_cmpstr (missive_crypto_context_get_name (context), ==, "openpgp");
  missive_crypto_context_set_home_directory (context, home);
  return context;
}

static GMimeMessage *
new_message (const char *to,
             const char *text)
{
  GMimeMessage *message = g_mime_message_new (TRUE);
  GMimeTextPart *body = g_mime_text_part_new_with_subtype ("plain");

  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, "Alice Test", "alice@example.test");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, NULL, to);
  g_mime_message_set_subject (message, "Crypto test", "utf-8");
  g_mime_text_part_set_text (body, text);
  g_mime_message_set_mime_part (message, GMIME_OBJECT (body));
  g_object_unref (body);
  return message;
}

static char *
message_to_string (GMimeMessage *message)
{
  return g_mime_object_to_string (GMIME_OBJECT (message), NULL);
}

/* As a receiver sees it: written out and parsed again. */
static GMimeMessage *
reparse (const char *text)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

  g_object_unref (parser);
  g_object_unref (stream);
  g_assert_nonnull (message);
  return message;
}

static GMimeMessage *
roundtrip (GMimeMessage *message)
{
  g_autofree char *text = message_to_string (message);

  return reparse (text);
}

static char *
body_text (GMimeMessage *message)
{
  GMimeObject *body = g_mime_message_get_mime_part (message);

  g_assert_true (GMIME_IS_TEXT_PART (body));
  return g_mime_text_part_get_text (GMIME_TEXT_PART (body));
}

static MissiveSignature *
only_signature (GListModel *signatures)
{
  g_assert_nonnull (signatures);
  g_assert_cmpuint (g_list_model_get_n_items (signatures), ==, 1);
  return g_list_model_get_item (signatures, 0);
}

static char *
write_temp (const char *name,
            const void *data,
            gsize       length)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, data, length, NULL));
  return path;
}

static const char *
param (GMimeObject *object,
       const char  *name)
{
  return g_mime_object_get_content_type_parameter (object, name);
}

#define TEXT "Hello Bob,\nthe keys are under the mat. Grüße!\n"

/* ---- sign and verify ------------------------------------------------------- */

static void
test_sign_verify (void)
{
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(MissiveSignature) signature = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *content_text = NULL;
  g_autofree char *signed_path = NULL, *sig_path = NULL;
  g_autoptr(GBytes) signed_bytes = NULL, sig_bytes = NULL;
  GMimeMessage *message, *signed_message, *received, *content = NULL;
  GMimeObject *body;
  MissiveCryptoKey *key;

  if (!require_gpg ())
    return;
  context = new_context (home_a);
  message = new_message ("bob@example.test", TEXT);
  signed_message = missive_crypto_context_sign (context, message, NULL, MISSIVE_CRYPTO_FLAGS_NONE,
                                                NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signed_message);
  /* The original is untouched. */
  g_assert_true (GMIME_IS_TEXT_PART (g_mime_message_get_mime_part (message)));

  received = roundtrip (signed_message);
  body = g_mime_message_get_mime_part (received);
  g_assert_true (GMIME_IS_MULTIPART_SIGNED (body));
  g_assert_cmpstr (param (body, "protocol"), ==, "application/pgp-signature");
  g_assert_true (g_str_has_prefix (param (body, "micalg"), "pgp-sha"));
  g_assert_cmpstr (g_mime_message_get_subject (received), ==, "Crypto test");

  signatures = missive_crypto_context_verify (context, received, &content, NULL, &error);
  g_assert_no_error (error);
  signature = only_signature (signatures);
  g_assert_cmpint (missive_signature_get_status (signature), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
  g_assert_cmpstr (missive_signature_get_fingerprint (signature), ==, alice_fpr);
  g_assert_cmpstr (missive_signature_get_user_id (signature), ==, "Alice Test <alice@example.test>");
  g_assert_cmpstr (missive_signature_get_email (signature), ==, "alice@example.test");
  g_assert_cmpint (missive_signature_get_validity (signature), >=, MISSIVE_KEY_VALIDITY_FULL);
  g_assert_cmpstr (missive_signature_get_public_key_algorithm (signature), ==, "EdDSA");
  g_assert_nonnull (missive_signature_get_hash_algorithm (signature));
  {
    g_autofree char *hash = g_ascii_strdown (missive_signature_get_hash_algorithm (signature), -1);
    g_autofree char *micalg = g_strconcat ("pgp-", hash, NULL);

    g_assert_cmpstr (param (body, "micalg"), ==, micalg);
  }
  g_assert_nonnull (missive_signature_get_signing_time (signature));
  g_assert_cmpint (ABS (g_date_time_difference (now, missive_signature_get_signing_time (signature))),
                   <, 600 * G_TIME_SPAN_SECOND);
  key = missive_signature_get_key (signature);
  g_assert_nonnull (key);
  g_assert_cmpstr (missive_crypto_key_get_fingerprint (key), ==, alice_fpr);

  g_assert_nonnull (content);
  content_text = body_text (content);
  g_assert_cmpstr (content_text, ==, TEXT);

  /* gpg agrees: the first part, canonicalised, against the signature. */
  signed_bytes = missive_crypto_object_to_canonical_bytes (g_mime_multipart_get_part (GMIME_MULTIPART (body), 0));
  sig_bytes = missive_crypto_part_get_content_bytes (GMIME_PART (g_mime_multipart_get_part (GMIME_MULTIPART (body), 1)));
  signed_path = write_temp ("signed.txt", g_bytes_get_data (signed_bytes, NULL), g_bytes_get_size (signed_bytes));
  sig_path = write_temp ("signed.asc", g_bytes_get_data (sig_bytes, NULL), g_bytes_get_size (sig_bytes));
  {
    const char *argv[] = { "gpg", "--homedir", home_a, "--batch", "--verify", sig_path, signed_path, NULL };

    g_assert_true (run_command (argv, NULL, NULL));
  }

  g_object_unref (content);
  g_object_unref (received);
  g_object_unref (signed_message);
  g_object_unref (message);
}

static void
test_sign_tampered (void)
{
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(MissiveSignature) signature = NULL;
  g_autofree char *text = NULL;
  GMimeMessage *message, *signed_message, *received;
  char *where;

  if (!require_gpg ())
    return;
  context = new_context (home_a);
  message = new_message ("bob@example.test", TEXT);
  signed_message = missive_crypto_context_sign (context, message, NULL, 0, NULL, &error);
  g_assert_no_error (error);

  text = message_to_string (signed_message);
  where = strstr (text, "under the mat");
  g_assert_nonnull (where);
  memcpy (where, "above", 5);
  received = reparse (text);

  signatures = missive_crypto_context_verify (context, received, NULL, NULL, &error);
  g_assert_no_error (error);
  signature = only_signature (signatures);
  g_assert_cmpint (missive_signature_get_status (signature), ==, MISSIVE_SIGNATURE_STATUS_BAD);
  g_assert_nonnull (missive_signature_get_status_text (signature));

  g_object_unref (received);
  g_object_unref (signed_message);
  g_object_unref (message);
}

static void
test_sign_unknown_key (void)
{
  g_autoptr(MissiveCryptoContext) alice = NULL, carol = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(MissiveSignature) signature = NULL;
  GMimeMessage *message, *signed_message, *received;

  if (!require_gpg ())
    return;
  alice = new_context (home_a);
  carol = new_context (home_c);
  message = new_message ("carol@example.test", TEXT);
  signed_message = missive_crypto_context_sign (alice, message, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  received = roundtrip (signed_message);

  /* Carol's keyring has never seen alice's key. */
  signatures = missive_crypto_context_verify (carol, received, NULL, NULL, &error);
  g_assert_no_error (error);
  signature = only_signature (signatures);
  g_assert_cmpint (missive_signature_get_status (signature), ==, MISSIVE_SIGNATURE_STATUS_NO_PUBLIC_KEY);
  g_assert_null (missive_signature_get_key (signature));
  g_assert_null (missive_signature_get_user_id (signature));
  /* GnuPG names the key (its fingerprint for an Ed25519 signature). */
  g_assert_nonnull (missive_signature_get_fingerprint (signature));
  g_assert_true (g_str_has_suffix (alice_fpr, missive_signature_get_fingerprint (signature)));

  g_object_unref (received);
  g_object_unref (signed_message);
  g_object_unref (message);
}

static void
test_sign_errors (void)
{
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GMimeMessage *message, *result;
  GListModel *signatures;
  const char *nobody[] = { "nobody@example.test", NULL };
  const char *carol_only[] = { "carol@example.test", NULL };

  if (!require_gpg ())
    return;
  context = new_context (home_a);
  message = new_message ("bob@example.test", TEXT);

  result = missive_crypto_context_sign (context, message, nobody, 0, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_null (result);
  g_clear_error (&error);

  /* Carol's public key may be in A (imported by another test), but never
   * her secret key. */
  result = missive_crypto_context_sign (context, message, carol_only, 0, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_clear_error (&error);

  /* An unsigned message. */
  signatures = missive_crypto_context_verify (context, message, NULL, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE);
  g_assert_null (signatures);
  g_clear_error (&error);

  /* GPGME cannot choose the hash. */
  missive_crypto_context_set_digest_algorithm (context, "MD5");
  result = missive_crypto_context_sign (context, message, NULL, 0, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  missive_crypto_context_set_digest_algorithm (context, NULL);

  g_object_unref (message);
}

static void
test_sign_inline (void)
{
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(MissiveSignature) signature = NULL;
  g_autofree char *signed_text = NULL, *content_text = NULL;
  GMimeMessage *message, *signed_message, *received, *content = NULL;

  if (!require_gpg ())
    return;
  context = new_context (home_a);
  message = new_message ("bob@example.test", TEXT);
  signed_message = missive_crypto_context_sign (context, message, NULL, MISSIVE_CRYPTO_FLAGS_INLINE,
                                                NULL, &error);
  g_assert_no_error (error);
  received = roundtrip (signed_message);
  signed_text = body_text (received);
  g_assert_true (g_str_has_prefix (signed_text, "-----BEGIN PGP SIGNED MESSAGE-----"));

  signatures = missive_crypto_context_verify (context, received, &content, NULL, &error);
  g_assert_no_error (error);
  signature = only_signature (signatures);
  g_assert_cmpint (missive_signature_get_status (signature), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
  g_assert_cmpstr (missive_signature_get_fingerprint (signature), ==, alice_fpr);
  content_text = body_text (content);
  g_assert_cmpstr (content_text, ==, TEXT);

  g_object_unref (content);
  g_object_unref (received);
  g_object_unref (signed_message);
  g_object_unref (message);
}

/* ---- encrypt and decrypt --------------------------------------------------- */

static void
import_carol_into_a (void)
{
  g_autoptr(MissiveCryptoContext) a = new_context (home_a);
  g_autoptr(MissiveCryptoContext) c = new_context (home_c);
  const char *carol[] = { "carol@example.test", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) exported = NULL;
  g_auto(GStrv) fingerprints = NULL;

  exported = missive_crypto_context_export_keys (c, carol, FALSE, NULL, &error);
  g_assert_no_error (error);
  fingerprints = missive_crypto_context_import_keys (a, exported, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (fingerprints), ==, 1);
  g_assert_cmpstr (fingerprints[0], ==, carol_fpr);
}

static void
test_encrypt_two_recipients (void)
{
  g_autoptr(MissiveCryptoContext) a = NULL, c = NULL, e = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveDecryptResult) result = NULL, result_c = NULL;
  g_autofree char *text_a = NULL, *text_c = NULL, *armour_path = NULL, *gpg_out = NULL;
  g_autoptr(GBytes) armour = NULL;
  const char *to[] = { "alice@example.test", "carol@example.test", NULL };
  GMimeMessage *message, *encrypted, *received, *plain_a, *plain_c, *none;
  GMimeObject *body;

  if (!require_gpg ())
    return;
  import_carol_into_a ();
  a = new_context (home_a);
  c = new_context (home_c);
  e = new_context (home_e);
  message = new_message ("carol@example.test", TEXT);

  /* Carol's imported key is not certified: refused unless always-trust. */
  encrypted = missive_crypto_context_encrypt (a, message, to, 0, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_null (encrypted);
  g_clear_error (&error);

  missive_crypto_context_set_always_trust (a, TRUE);
  encrypted = missive_crypto_context_encrypt (a, message, to, 0, NULL, &error);
  g_assert_no_error (error);
  received = roundtrip (encrypted);
  body = g_mime_message_get_mime_part (received);
  g_assert_true (GMIME_IS_MULTIPART_ENCRYPTED (body));
  g_assert_cmpstr (param (body, "protocol"), ==, "application/pgp-encrypted");
  {
    g_autofree char *all = message_to_string (received);

    g_assert_null (strstr (all, "under the mat"));
  }

  plain_a = missive_crypto_context_decrypt (a, received, &result, NULL, &error);
  g_assert_no_error (error);
  text_a = body_text (plain_a);
  g_assert_cmpstr (text_a, ==, TEXT);
  g_assert_cmpstr (g_mime_message_get_subject (plain_a), ==, "Crypto test");
  {
    g_autofree char *from = internet_address_list_to_string (g_mime_message_get_from (plain_a), NULL, FALSE);

    g_assert_cmpstr (from, ==, "Alice Test <alice@example.test>");
  }
  g_assert_cmpuint (g_strv_length ((char **) missive_decrypt_result_get_recipients (result)), ==, 2);
  g_assert_nonnull (missive_decrypt_result_get_decrypted_with (result));
  g_assert_nonnull (missive_decrypt_result_get_cipher_algorithm (result));
  g_assert_false (missive_decrypt_result_get_symmetric (result));
  g_assert_cmpuint (g_list_model_get_n_items (missive_decrypt_result_get_signatures (result)), ==, 0);

  plain_c = missive_crypto_context_decrypt (c, received, &result_c, NULL, &error);
  g_assert_no_error (error);
  text_c = body_text (plain_c);
  g_assert_cmpstr (text_c, ==, TEXT);

  /* A keyring without either secret key. */
  none = missive_crypto_context_decrypt (e, received, NULL, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_DECRYPTION_FAILED);
  g_assert_null (none);
  g_clear_error (&error);

  /* gpg decrypts the data part too (in carol's home). */
  armour = missive_crypto_part_get_content_bytes (GMIME_PART (g_mime_multipart_get_part (GMIME_MULTIPART (body), 1)));
  armour_path = write_temp ("encrypted.asc", g_bytes_get_data (armour, NULL), g_bytes_get_size (armour));
  {
    const char *argv[] = { "gpg", "--homedir", home_c, "--batch", "--decrypt", armour_path, NULL };

    g_assert_true (run_command (argv, NULL, &gpg_out));
    g_assert_nonnull (strstr (gpg_out, "under the mat"));
  }

  g_object_unref (plain_c);
  g_object_unref (plain_a);
  g_object_unref (received);
  g_object_unref (encrypted);
  g_object_unref (message);
}

static void
test_encrypt_default_recipients (void)
{
  g_autoptr(MissiveCryptoContext) a = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveDecryptResult) result = NULL;
  GMimeMessage *message, *encrypted, *received, *plain;

  if (!require_gpg ())
    return;
  a = new_context (home_a);
  /* To: alice herself; nothing named explicitly. */
  message = new_message ("alice@example.test", TEXT);
  encrypted = missive_crypto_context_encrypt (a, message, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  received = roundtrip (encrypted);
  plain = missive_crypto_context_decrypt (a, received, &result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((char **) missive_decrypt_result_get_recipients (result)), ==, 1);
  g_object_unref (plain);
  g_object_unref (received);
  g_object_unref (encrypted);

  /* Nobody with a key. */
  g_object_unref (message);
  message = new_message ("nobody@example.test", TEXT);
  encrypted = missive_crypto_context_encrypt (a, message, NULL, 0, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_null (encrypted);
  g_clear_error (&error);

  /* No recipient at all. */
  encrypted = missive_crypto_context_encrypt (a, message, NULL, MISSIVE_CRYPTO_FLAGS_NO_DEFAULT_RECIPIENTS,
                                              NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* GPGME cannot choose the cipher. */
  missive_crypto_context_set_cipher_algorithm (a, "AES128");
  encrypted = missive_crypto_context_encrypt (a, message, NULL, 0, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* Not encrypted at all. */
  plain = missive_crypto_context_decrypt (a, message, NULL, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE);
  g_assert_null (plain);
  g_clear_error (&error);

  g_object_unref (message);
}

static void
test_sign_and_encrypt (void)
{
  g_autoptr(MissiveCryptoContext) a = NULL, c = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveDecryptResult) result = NULL, result_plain = NULL, result_c = NULL;
  g_autoptr(MissiveSignature) signature = NULL, signature_c = NULL;
  g_autofree char *text = NULL;
  const char *to[] = { "carol@example.test", NULL };
  GMimeMessage *message, *encrypted, *received, *plain;

  if (!require_gpg ())
    return;
  import_carol_into_a ();
  a = new_context (home_a);
  c = new_context (home_c);
  missive_crypto_context_set_always_trust (a, TRUE);
  missive_crypto_context_set_encrypt_to_self (a, TRUE);
  message = new_message ("carol@example.test", TEXT);

  encrypted = missive_crypto_context_sign_and_encrypt (a, message, NULL, to, 0, NULL, &error);
  g_assert_no_error (error);
  received = roundtrip (encrypted);
  g_assert_true (GMIME_IS_MULTIPART_ENCRYPTED (g_mime_message_get_mime_part (received)));

  /* Encrypt-to-self: alice can read it. */
  plain = missive_crypto_context_decrypt_and_verify (a, received, &result, NULL, &error);
  g_assert_no_error (error);
  text = body_text (plain);
  g_assert_cmpstr (text, ==, TEXT);
  g_assert_cmpuint (g_strv_length ((char **) missive_decrypt_result_get_recipients (result)), ==, 2);
  signature = only_signature (missive_decrypt_result_get_signatures (result));
  g_assert_cmpint (missive_signature_get_status (signature), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
  g_assert_cmpstr (missive_signature_get_fingerprint (signature), ==, alice_fpr);
  g_object_unref (plain);

  /* Plain decrypt reports no signature. */
  plain = missive_crypto_context_decrypt (a, received, &result_plain, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (missive_decrypt_result_get_signatures (result_plain)), ==, 0);
  g_object_unref (plain);

  /* Carol decrypts, but has no key to check alice's signature with. */
  plain = missive_crypto_context_decrypt_and_verify (c, received, &result_c, NULL, &error);
  g_assert_no_error (error);
  signature_c = only_signature (missive_decrypt_result_get_signatures (result_c));
  g_assert_cmpint (missive_signature_get_status (signature_c), ==, MISSIVE_SIGNATURE_STATUS_NO_PUBLIC_KEY);
  g_object_unref (plain);

  g_object_unref (received);
  g_object_unref (encrypted);
  g_object_unref (message);
}

static void
test_encrypt_inline (void)
{
  g_autoptr(MissiveCryptoContext) a = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *armoured = NULL, *text = NULL;
  const char *to[] = { "alice@example.test", NULL };
  GMimeMessage *message, *encrypted, *received, *plain;

  if (!require_gpg ())
    return;
  a = new_context (home_a);
  message = new_message ("alice@example.test", TEXT);
  encrypted = missive_crypto_context_encrypt (a, message, to, MISSIVE_CRYPTO_FLAGS_INLINE, NULL, &error);
  g_assert_no_error (error);
  received = roundtrip (encrypted);
  armoured = body_text (received);
  g_assert_true (g_str_has_prefix (armoured, "-----BEGIN PGP MESSAGE-----"));
  plain = missive_crypto_context_decrypt (a, received, NULL, NULL, &error);
  g_assert_no_error (error);
  text = body_text (plain);
  g_assert_cmpstr (text, ==, TEXT);

  g_object_unref (plain);
  g_object_unref (received);
  g_object_unref (encrypted);
  g_object_unref (message);
}

static void
replace_content (GMimePart  *part,
                 const char *data,
                 gsize       length)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (data, length);
  GMimeDataWrapper *wrapper = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);

  g_mime_part_set_content (part, wrapper);
  g_object_unref (wrapper);
  g_object_unref (stream);
}

static void
test_malformed (void)
{
  g_autoptr(MissiveCryptoContext) a = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) armour = NULL;
  GMimeMessage *message, *signed_message, *encrypted, *broken, *plain;
  GMimeObject *body;
  GListModel *signatures;
  MissiveSignature *signature;
  const char *to[] = { "alice@example.test", NULL };
  char *micalg;

  if (!require_gpg ())
    return;
  a = new_context (home_a);
  message = new_message ("alice@example.test", TEXT);
  signed_message = missive_crypto_context_sign (a, message, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  text = message_to_string (signed_message);

  /* A wrong micalg: GnuPG goes by the hash the signature names. */
  micalg = strstr (text, "micalg=pgp-");
  g_assert_nonnull (micalg);
  memcpy (micalg + strlen ("micalg=pgp-"), "md5", 3);
  broken = reparse (text);
  signatures = missive_crypto_context_verify (a, broken, NULL, NULL, &error);
  g_assert_no_error (error);
  signature = only_signature (signatures);
  g_assert_cmpint (missive_signature_get_status (signature), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
  g_object_unref (signature);
  g_object_unref (signatures);

  /* The signature part missing. */
  body = g_mime_message_get_mime_part (broken);
  g_mime_multipart_remove_at (GMIME_MULTIPART (body), 1);
  signatures = missive_crypto_context_verify (a, broken, NULL, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE);
  g_assert_null (signatures);
  g_clear_error (&error);
  g_object_unref (broken);

  /* Another protocol (S/MIME's): not ours. */
  broken = roundtrip (signed_message);
  g_mime_object_set_content_type_parameter (g_mime_message_get_mime_part (broken), "protocol",
                                            "application/pkcs7-signature");
  signatures = missive_crypto_context_verify (a, broken, NULL, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE);
  g_clear_error (&error);
  g_object_unref (broken);

  /* Truncated armour in a multipart/encrypted. */
  encrypted = missive_crypto_context_encrypt (a, message, to, 0, NULL, &error);
  g_assert_no_error (error);
  broken = roundtrip (encrypted);
  body = g_mime_multipart_get_part (GMIME_MULTIPART (g_mime_message_get_mime_part (broken)), 1);
  armour = missive_crypto_part_get_content_bytes (GMIME_PART (body));
  replace_content (GMIME_PART (body), g_bytes_get_data (armour, NULL), g_bytes_get_size (armour) / 2);
  plain = missive_crypto_context_decrypt (a, broken, NULL, NULL, &error);
  g_assert_null (plain);
  g_assert_nonnull (error);
  g_test_message ("truncated armour: %s", error->message);
  g_assert_true (g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE) ||
                 g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_DECRYPTION_FAILED));
  g_clear_error (&error);

  /* Garbage instead of armour. */
  replace_content (GMIME_PART (body), "hello\n", 6);
  plain = missive_crypto_context_decrypt (a, broken, NULL, NULL, &error);
  g_assert_null (plain);
  g_assert_nonnull (error);
  g_test_message ("garbage: %s", error->message);
  g_assert_true (error->domain == MISSIVE_ERROR);
  g_clear_error (&error);

  g_object_unref (broken);
  g_object_unref (encrypted);
  g_object_unref (signed_message);
  g_object_unref (message);
}

/* ---- passphrases ----------------------------------------------------------- */

typedef struct
{
  const char *answer;       /* NULL: refuse */
  const char *first_answer; /* when set: the answer to the first request */
  GCancellable *cancel;     /* cancelled from the handler when set */
  GThread *thread;          /* where the handler must run */
  guint calls;
  guint calls_marked_bad;
  gboolean wrong_thread;
  char *key_id;
  char *user_id;
} PassphraseProbe;

static char *
on_passphrase_requested (MissiveCryptoContext *context,
                         const char           *key_id,
                         const char           *user_id,
                         gboolean              previous_was_bad,
                         PassphraseProbe      *probe)
{
  probe->calls++;
  if (previous_was_bad)
    probe->calls_marked_bad++;
  if (g_thread_self () != probe->thread)
    probe->wrong_thread = TRUE;
  g_free (probe->key_id);
  probe->key_id = g_strdup (key_id);
  g_free (probe->user_id);
  probe->user_id = g_strdup (user_id);
  g_assert_cmpuint (probe->calls, <, 10);
  if (probe->cancel != NULL)
    g_cancellable_cancel (probe->cancel);
  if (probe->calls == 1 && probe->first_answer != NULL)
    return g_strdup (probe->first_answer);
  return g_strdup (probe->answer);
}

static void
probe_clear (PassphraseProbe *probe)
{
  g_free (probe->key_id);
  g_free (probe->user_id);
}

static MissiveCryptoContext *
new_bob_context (PassphraseProbe *probe,
                 const char      *answer)
{
  MissiveCryptoContext *context = new_context (home_a);

  probe->answer = answer;
  probe->thread = g_thread_self ();
  g_signal_connect (context, "passphrase-requested", G_CALLBACK (on_passphrase_requested), probe);
  forget_passphrases (home_a);
  return context;
}

static const char *bob[] = { "bob@example.test", NULL };

static void
test_passphrase_good (void)
{
  PassphraseProbe probe = { 0 };
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(MissiveSignature) signature = NULL;
  g_autofree char *text = NULL;
  GMimeMessage *message, *signed_message, *received, *encrypted, *plain;

  if (!require_gpg ())
    return;
  context = new_bob_context (&probe, BOB_PASS);
  message = new_message ("bob@example.test", TEXT);
  signed_message = missive_crypto_context_sign (context, message, bob, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (probe.calls, ==, 1);
  g_assert_cmpuint (probe.calls_marked_bad, ==, 0);
  g_assert_false (probe.wrong_thread);
  g_assert_nonnull (probe.key_id);
  g_assert_true (g_str_has_suffix (bob_fpr, probe.key_id));
  g_assert_nonnull (strstr (probe.user_id, "bob@example.test"));

  received = roundtrip (signed_message);
  signatures = missive_crypto_context_verify (context, received, NULL, NULL, &error);
  g_assert_no_error (error);
  signature = only_signature (signatures);
  g_assert_cmpint (missive_signature_get_status (signature), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
  g_assert_cmpstr (missive_signature_get_fingerprint (signature), ==, bob_fpr);

  /* Decrypting for bob needs his passphrase too. */
  encrypted = missive_crypto_context_encrypt (context, message, bob, 0, NULL, &error);
  g_assert_no_error (error);
  forget_passphrases (home_a);
  probe.calls = 0;
  plain = missive_crypto_context_decrypt (context, encrypted, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (probe.calls, ==, 1);
  text = body_text (plain);
  g_assert_cmpstr (text, ==, TEXT);

  g_object_unref (plain);
  g_object_unref (encrypted);
  g_object_unref (received);
  g_object_unref (signed_message);
  g_object_unref (message);
  probe_clear (&probe);
}

static void
test_passphrase_wrong (void)
{
  PassphraseProbe probe = { 0 };
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GMimeMessage *message, *signed_message;

  if (!require_gpg ())
    return;
  context = new_bob_context (&probe, "not-the-passphrase");
  message = new_message ("bob@example.test", TEXT);
  signed_message = missive_crypto_context_sign (context, message, bob, 0, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_BAD_PASSPHRASE);
  g_assert_null (signed_message);
  /* Three attempts, the second and third marked as after a bad one. */
  g_assert_cmpuint (probe.calls, ==, 3);
  g_assert_cmpuint (probe.calls_marked_bad, ==, 2);
  g_clear_error (&error);

  /* A wrong answer, then the right one. */
  forget_passphrases (home_a);
  probe.calls = probe.calls_marked_bad = 0;
  probe.first_answer = "not-the-passphrase";
  probe.answer = BOB_PASS;
  signed_message = missive_crypto_context_sign (context, message, bob, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signed_message);
  g_assert_cmpuint (probe.calls, ==, 2);
  g_assert_cmpuint (probe.calls_marked_bad, ==, 1);

  g_object_unref (signed_message);
  g_object_unref (message);
  probe_clear (&probe);
}

static void
test_passphrase_refused (void)
{
  PassphraseProbe probe = { 0 };
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GMimeMessage *message, *signed_message;

  if (!require_gpg ())
    return;
  context = new_bob_context (&probe, NULL);
  message = new_message ("bob@example.test", TEXT);
  signed_message = missive_crypto_context_sign (context, message, bob, 0, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (signed_message);
  g_assert_cmpuint (probe.calls, ==, 1);
  g_clear_error (&error);

  /* No handler at all: the same. */
  g_signal_handlers_disconnect_by_func (context, on_passphrase_requested, &probe);
  signed_message = missive_crypto_context_sign (context, message, bob, 0, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (probe.calls, ==, 1);

  g_object_unref (message);
  probe_clear (&probe);
}

static void
test_passphrase_cancelled (void)
{
  PassphraseProbe probe = { 0 };
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GMimeMessage *message, *signed_message;

  if (!require_gpg ())
    return;
  /* The handler gives the right passphrase but the operation was
   * cancelled meanwhile: the answer is not used. */
  context = new_bob_context (&probe, BOB_PASS);
  probe.cancel = cancellable;
  message = new_message ("bob@example.test", TEXT);
  signed_message = missive_crypto_context_sign (context, message, bob, 0, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (signed_message);
  g_assert_cmpuint (probe.calls, ==, 1);

  g_object_unref (message);
  probe_clear (&probe);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GMainContext  *context,
          GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (context, TRUE);
  return *result;
}

static void
test_async (void)
{
  PassphraseProbe probe = { 0 };
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(GMainContext) main_context = g_main_context_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveDecryptResult) decrypt_result = NULL;
  g_autoptr(MissiveSignature) signature = NULL;
  g_autofree char *text = NULL;
  GAsyncResult *result = NULL;
  GMimeMessage *message, *encrypted, *received, *plain;
  const char *to[] = { "alice@example.test", NULL };

  if (!require_gpg ())
    return;
  context = new_bob_context (&probe, BOB_PASS);
  message = new_message ("alice@example.test", TEXT);

  /* Bob signs (his passphrase is asked on this thread, through this main
   * context) and encrypts to alice. */
  g_main_context_push_thread_default (main_context);
  missive_crypto_context_sign_and_encrypt_async (context, message, bob, to, 0, NULL, on_done, &result);
  encrypted = missive_crypto_context_sign_and_encrypt_finish (context, wait_for (main_context, &result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (probe.calls, ==, 1);
  g_assert_false (probe.wrong_thread);

  received = roundtrip (encrypted);
  missive_crypto_context_decrypt_and_verify_async (context, received, NULL, on_done, &result);
  plain = missive_crypto_context_decrypt_and_verify_finish (context, wait_for (main_context, &result),
                                                            &decrypt_result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_main_context_pop_thread_default (main_context);

  text = body_text (plain);
  g_assert_cmpstr (text, ==, TEXT);
  signature = only_signature (missive_decrypt_result_get_signatures (decrypt_result));
  g_assert_cmpint (missive_signature_get_status (signature), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
  g_assert_cmpstr (missive_signature_get_fingerprint (signature), ==, bob_fpr);

  g_object_unref (plain);
  g_object_unref (received);
  g_object_unref (encrypted);
  g_object_unref (message);
  probe_clear (&probe);
}

static void
test_symmetric (void)
{
  PassphraseProbe probe = { 0 };
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(MissiveCryptoContext) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveDecryptResult) result = NULL;
  g_autofree char *text = NULL;
  GMimeMessage *message, *encrypted, *received, *plain;

  if (!require_gpg ())
    return;
  /* Encrypted with a passphrase only, decrypted in a keyring without any
   * key at all. */
  context = new_bob_context (&probe, "symmetric secret");
  message = new_message ("nobody@example.test", TEXT);
  encrypted = missive_crypto_context_encrypt (context, message, NULL,
                                              MISSIVE_CRYPTO_FLAGS_SYMMETRIC |
                                              MISSIVE_CRYPTO_FLAGS_NO_DEFAULT_RECIPIENTS,
                                              NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (probe.calls, >=, 1);
  g_assert_false (probe.wrong_thread);
  received = roundtrip (encrypted);

  other = new_context (home_e);
  probe.calls = 0;
  g_signal_connect (other, "passphrase-requested", G_CALLBACK (on_passphrase_requested), &probe);
  plain = missive_crypto_context_decrypt (other, received, &result, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (probe.calls, ==, 1);
  text = body_text (plain);
  g_assert_cmpstr (text, ==, TEXT);
  g_assert_true (missive_decrypt_result_get_symmetric (result));
  g_assert_cmpuint (g_strv_length ((char **) missive_decrypt_result_get_recipients (result)), ==, 0);

  g_object_unref (plain);
  g_object_unref (received);
  g_object_unref (encrypted);
  g_object_unref (message);
  probe_clear (&probe);
}

/* ---- keys ------------------------------------------------------------------ */

static MissiveCryptoKey *
find_key (GListModel *keys,
          const char *fingerprint)
{
  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr(MissiveCryptoKey) key = g_list_model_get_item (keys, i);

      if (g_strcmp0 (missive_crypto_key_get_fingerprint (key), fingerprint) == 0)
        return key;
    }
  return NULL;
}

static void
test_keys (void)
{
  g_autoptr(MissiveCryptoContext) a = NULL, e = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) all = NULL, secret = NULL, bobs = NULL, in_e = NULL;
  g_autoptr(GBytes) exported = NULL, binary = NULL, secret_export = NULL, garbage = NULL;
  g_auto(GStrv) imported = NULL;
  const char *alice[] = { "alice@example.test", NULL };
  const char *nobody[] = { "nobody@example.test", NULL };
  MissiveCryptoKey *key;
  MissiveKeyCapabilities caps;
  GBytes *none;
  char **nothing;

  if (!require_gpg ())
    return;
  a = new_context (home_a);
  e = new_context (home_e);

  all = missive_crypto_context_list_keys (a, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_item_type (all), ==, MISSIVE_TYPE_CRYPTO_KEY);
  key = find_key (all, alice_fpr);
  g_assert_nonnull (key);
  g_assert_true (g_str_has_suffix (alice_fpr, missive_crypto_key_get_key_id (key)));
  g_assert_cmpstr (missive_crypto_key_get_user_ids (key)[0], ==, "Alice Test <alice@example.test>");
  g_assert_cmpstr (missive_crypto_key_get_emails (key)[0], ==, "alice@example.test");
  g_assert_true (missive_crypto_key_get_has_secret (key));
  g_assert_cmpint (missive_crypto_key_get_validity (key), ==, MISSIVE_KEY_VALIDITY_ULTIMATE);
  caps = missive_crypto_key_get_capabilities (key);
  g_assert_true (caps & MISSIVE_KEY_CAPABILITIES_SIGN);
  g_assert_true (caps & MISSIVE_KEY_CAPABILITIES_ENCRYPT);
  g_assert_true (caps & MISSIVE_KEY_CAPABILITIES_CERTIFY);
  g_assert_cmpstr (missive_crypto_key_get_algorithm (key), ==, "EdDSA");
  g_assert_nonnull (missive_crypto_key_get_created (key));
  g_assert_null (missive_crypto_key_get_expires (key));
  g_assert_false (missive_crypto_key_get_expired (key));
  g_assert_false (missive_crypto_key_get_revoked (key));
  g_assert_nonnull (find_key (all, bob_fpr));

  secret = missive_crypto_context_list_keys (a, NULL, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (find_key (secret, alice_fpr));
  g_assert_nonnull (find_key (secret, bob_fpr));
  g_assert_null (find_key (secret, carol_fpr));

  bobs = missive_crypto_context_list_keys (a, "bob@example.test", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (bobs), ==, 1);

  /* Export from A, import into E. */
  exported = missive_crypto_context_export_keys (a, alice, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (exported, NULL), "-----BEGIN PGP PUBLIC KEY BLOCK-----"));
  imported = missive_crypto_context_import_keys (e, exported, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (imported), ==, 1);
  g_assert_cmpstr (imported[0], ==, alice_fpr);
  in_e = missive_crypto_context_list_keys (e, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  key = find_key (in_e, alice_fpr);
  g_assert_nonnull (key);
  g_assert_false (missive_crypto_key_get_has_secret (key));

  missive_crypto_context_set_armor (a, FALSE);
  binary = missive_crypto_context_export_keys (a, alice, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (((const guint8 *) g_bytes_get_data (binary, NULL))[0] & 0x80, ==, 0x80);
  missive_crypto_context_set_armor (a, TRUE);

  secret_export = missive_crypto_context_export_keys (a, alice, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (g_bytes_get_data (secret_export, NULL), "-----BEGIN PGP PRIVATE KEY BLOCK-----"));

  none = missive_crypto_context_export_keys (a, nobody, FALSE, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_null (none);
  g_clear_error (&error);

  garbage = g_bytes_new_static ("this is not a key\n", 18);
  nothing = missive_crypto_context_import_keys (e, garbage, NULL, &error);
  g_assert_nonnull (error);
  g_assert_true (error->domain == MISSIVE_ERROR);
  g_assert_null (nothing);
}

/* ---- setup ----------------------------------------------------------------- */

static gboolean
find_programs (void)
{
  g_autofree char *gpg = g_find_program_in_path ("gpg");
  g_autofree char *gpgconf = g_find_program_in_path ("gpgconf");

  return gpg != NULL && gpgconf != NULL;
}

static void
setup_homes (void)
{
  tmpdir = g_dir_make_tmp ("mpgp-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  home_a = make_home ("a");
  home_c = make_home ("c");
  home_e = make_home ("e");
  generate_key (home_a, "Alice Test <alice@example.test>", "");
  generate_key (home_a, "Bob Test <bob@example.test>", BOB_PASS);
  generate_key (home_c, "Carol Test <carol@example.test>", "");
  alice_fpr = fingerprint_of (home_a, "alice@example.test");
  bob_fpr = fingerprint_of (home_a, "bob@example.test");
  carol_fpr = fingerprint_of (home_c, "carol@example.test");
}

static void
teardown_homes (void)
{
  const char *rm[] = { "rm", "-rf", tmpdir, NULL };

  stop_agent (home_a);
  stop_agent (home_c);
  stop_agent (home_e);
  run_command (rm, NULL, NULL);
  g_free (home_a);
  g_free (home_c);
  g_free (home_e);
  g_free (alice_fpr);
  g_free (bob_fpr);
  g_free (carol_fpr);
  g_free (tmpdir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  missive_engine_get_default ();

  have_gpg = find_programs ();
  if (have_gpg)
    setup_homes ();

  g_test_add_func ("/crypto-openpgp/sign/verify", test_sign_verify);
  g_test_add_func ("/crypto-openpgp/sign/tampered", test_sign_tampered);
  g_test_add_func ("/crypto-openpgp/sign/unknown-key", test_sign_unknown_key);
  g_test_add_func ("/crypto-openpgp/sign/errors", test_sign_errors);
  g_test_add_func ("/crypto-openpgp/sign/inline", test_sign_inline);
  g_test_add_func ("/crypto-openpgp/malformed", test_malformed);
  g_test_add_func ("/crypto-openpgp/encrypt/two-recipients", test_encrypt_two_recipients);
  g_test_add_func ("/crypto-openpgp/encrypt/default-recipients", test_encrypt_default_recipients);
  g_test_add_func ("/crypto-openpgp/encrypt/inline", test_encrypt_inline);
  g_test_add_func ("/crypto-openpgp/sign-and-encrypt", test_sign_and_encrypt);
  g_test_add_func ("/crypto-openpgp/passphrase/good", test_passphrase_good);
  g_test_add_func ("/crypto-openpgp/passphrase/wrong", test_passphrase_wrong);
  g_test_add_func ("/crypto-openpgp/passphrase/refused", test_passphrase_refused);
  g_test_add_func ("/crypto-openpgp/passphrase/cancelled", test_passphrase_cancelled);
  g_test_add_func ("/crypto-openpgp/async", test_async);
  g_test_add_func ("/crypto-openpgp/encrypt/symmetric", test_symmetric);
  g_test_add_func ("/crypto-openpgp/keys", test_keys);

  status = g_test_run ();
  if (have_gpg)
    teardown_homes ();
  return status;
}
