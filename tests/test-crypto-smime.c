/* test-crypto-smime.c: the S/MIME crypto backend ("smime", GPGME CMS)
 *
 * The set-up (tests/crypto-smime-setup.sh, run once) makes a throwaway
 * directory with three gpgsm homes: "home" (a trusted test CA; alice
 * without a passphrase, bob with one, carol whose certificate expired in
 * 2020), "other" (dave, from a CA "home" does not know) and "empty".
 * Outputs are checked independently with `openssl smime` and `gpgsm`.
 * Every gpg-agent started is stopped at the end.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>

#include "test-utils.h"
#include "test-crypto-smime-utils.h"

/* ---- tests --------------------------------------------------------------- */

static void
test_backend (void)
{
  g_auto(GStrv) names = missive_engine_list_crypto_backends (missive_engine_get_default ());
  g_autoptr(MissiveCryptoContext) ctx = NULL;

  g_assert_true (g_strv_contains ((const char * const *) names, "smime"));
  ctx = new_context (home_dir);
  g_assert_cmpstr (missive_crypto_context_get_name (ctx), ==, "smime");
  g_assert_nonnull (g_object_class_find_property (G_OBJECT_GET_CLASS (ctx), "opaque-sign"));
}

static void
test_list_keys (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) all = NULL;
  g_autoptr(GListModel) secret = NULL;
  g_autoptr(GListModel) alice_list = NULL;
  g_autoptr(GListModel) carol_list = NULL;
  g_autoptr(MissiveCryptoKey) alice = NULL;
  g_autoptr(MissiveCryptoKey) carol = NULL;
  const char * const *emails;

  all = missive_crypto_context_list_keys (ctx, NULL, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (all), ==, 4);   /* CA, alice, bob, carol */
  secret = missive_crypto_context_list_keys (ctx, NULL, TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (secret), ==, 3);

  alice_list = missive_crypto_context_list_keys (ctx, "alice@example.test", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (alice_list), ==, 1);
  alice = g_list_model_get_item (alice_list, 0);
  g_assert_cmpuint (strlen (missive_crypto_key_get_fingerprint (alice)), ==, 40);
  emails = missive_crypto_key_get_emails (alice);
  g_assert_nonnull (emails);
  g_assert_cmpstr (emails[0], ==, "alice@example.test");
  g_assert_cmpstr (missive_crypto_key_get_user_ids (alice)[0], ==, "CN=Alice Test,O=missive tests");
  g_assert_nonnull (strstr (missive_crypto_key_get_issuer (alice), "CN=Missive Test CA"));
  g_assert_cmpstr (missive_crypto_key_get_serial (alice), ==, "03E9");   /* 1001 */
  g_assert_true (missive_crypto_key_get_has_secret (alice));
  g_assert_false (missive_crypto_key_get_expired (alice));
  g_assert_cmpint (missive_crypto_key_get_validity (alice), ==, MISSIVE_KEY_VALIDITY_FULL);
  g_assert_true (missive_crypto_key_get_capabilities (alice) & MISSIVE_KEY_CAPABILITIES_SIGN);
  g_assert_true (missive_crypto_key_get_capabilities (alice) & MISSIVE_KEY_CAPABILITIES_ENCRYPT);
  g_assert_cmpstr (missive_crypto_key_get_algorithm (alice), ==, "RSA");
  g_assert_cmpuint (missive_crypto_key_get_length (alice), ==, 2048);
  g_assert_nonnull (missive_crypto_key_get_created (alice));
  g_assert_nonnull (missive_crypto_key_get_expires (alice));
  g_assert_nonnull (missive_crypto_key_get_chain_id (alice));

  carol_list = missive_crypto_context_list_keys (ctx, "carol@example.test", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (carol_list), ==, 1);
  carol = g_list_model_get_item (carol_list, 0);
  g_assert_true (missive_crypto_key_get_expired (carol));
  g_assert_cmpint (g_date_time_get_year (missive_crypto_key_get_expires (carol)), ==, 2020);
}

static void
check_alice_signature (MissiveSignature *sig)
{
  g_autofree char *alice_fpr = fingerprint_of (home_dir, "alice@example.test");
  g_autofree char *ca_fpr = fingerprint_of (home_dir, "Missive Test CA");
  GListModel *chain;
  g_autoptr(MissiveCryptoKey) first = NULL;
  g_autoptr(MissiveCryptoKey) root = NULL;

  g_assert_cmpint (missive_signature_get_status (sig), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
  g_assert_cmpstr (missive_signature_get_fingerprint (sig), ==, alice_fpr);
  g_assert_cmpstr (missive_signature_get_user_id (sig), ==, "CN=Alice Test,O=missive tests");
  g_assert_cmpstr (missive_signature_get_email (sig), ==, "alice@example.test");
  g_assert_cmpstr (missive_signature_get_issuer (sig), ==, "CN=Missive Test CA,O=missive tests");
  g_assert_cmpstr (missive_signature_get_serial (sig), ==, "03E9");
  g_assert_nonnull (missive_signature_get_signing_time (sig));
  g_assert_cmpstr (missive_signature_get_hash_algorithm (sig), ==, "SHA256");
  g_assert_cmpstr (missive_signature_get_public_key_algorithm (sig), ==, "RSA");
  g_assert_nonnull (missive_signature_get_key (sig));
  g_assert_cmpstr (missive_crypto_key_get_fingerprint (missive_signature_get_key (sig)), ==, alice_fpr);

  chain = missive_signature_get_chain (sig);
  g_assert_nonnull (chain);
  g_assert_cmpuint (g_list_model_get_n_items (chain), ==, 2);
  first = g_list_model_get_item (chain, 0);
  root = g_list_model_get_item (chain, 1);
  g_assert_cmpstr (missive_crypto_key_get_fingerprint (first), ==, alice_fpr);
  g_assert_cmpstr (missive_crypto_key_get_fingerprint (root), ==, ca_fpr);
}

static void
test_sign_verify (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GError) error = NULL;
  const char *signers[] = { "alice@example.test", NULL };
  GMimeMessage *message = new_message ();
  GMimeMessage *signed_message;
  GMimeMessage *received;
  GMimeMessage *content = NULL;
  GMimeObject *body;
  GMimeContentType *type;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(MissiveSignature) sig = NULL;
  g_autofree char *text = NULL;
  g_autofree char *wire = NULL;
  g_autofree char *eml = g_build_filename (tmp_dir, "signed.eml", NULL);
  g_autofree char *ca = cert_file ("ca.crt");

  signed_message = missive_crypto_context_sign (ctx, message, signers,
                                                MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (signed_message);
  g_assert_cmpstr (g_mime_message_get_subject (signed_message), ==, "S/MIME test");

  body = g_mime_message_get_mime_part (signed_message);
  type = g_mime_object_get_content_type (body);
  g_assert_true (g_mime_content_type_is_type (type, "multipart", "signed"));
  g_assert_cmpstr (g_mime_content_type_get_parameter (type, "protocol"), ==,
                   "application/pkcs7-signature");
  g_assert_cmpstr (g_mime_content_type_get_parameter (type, "micalg"), ==, "sha-256");
  g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, 2);
  g_assert_true (g_mime_content_type_is_type (
                   g_mime_object_get_content_type (g_mime_multipart_get_part (GMIME_MULTIPART (body), 1)),
                   "application", "pkcs7-signature"));

  /* openssl checks it on its own: signature and chain to our CA. */
  wire = message_to_string (signed_message);
  write_file (eml, wire, -1);
  {
    const char *argv[] = { "openssl", "smime", "-verify", "-in", eml, "-CAfile", ca,
                           "-out", "/dev/null", NULL };
    g_assert_true (run_command (argv, NULL, NULL));
  }

  received = message_from_string (wire);
  signatures = missive_crypto_context_verify (ctx, received, &content, NULL, &error);
  g_assert_no_error (error);
  sig = only_signature (signatures);
  check_alice_signature (sig);
  g_assert_nonnull (content);
  text = body_text (content);
  g_assert_cmpstr (text, ==, BODY_TEXT);

  g_object_unref (content);
  g_object_unref (received);
  g_object_unref (signed_message);
  g_object_unref (message);
}

static void
test_sign_tampered (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GError) error = NULL;
  const char *signers[] = { "alice@example.test", NULL };
  GMimeMessage *message = new_message ();
  GMimeMessage *signed_message;
  GMimeMessage *received;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(MissiveSignature) sig = NULL;
  g_autofree char *wire = NULL;
  char *hello;

  signed_message = missive_crypto_context_sign (ctx, message, signers,
                                                MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  wire = message_to_string (signed_message);
  /* The body went out quoted-printable: "Hello" is there as it is. */
  hello = strstr (wire, "Hello Bob");
  g_assert_nonnull (hello);
  hello[0] = 'J';
  received = message_from_string (wire);

  signatures = missive_crypto_context_verify (ctx, received, NULL, NULL, &error);
  g_assert_no_error (error);
  sig = only_signature (signatures);
  g_assert_cmpint (missive_signature_get_status (sig), ==, MISSIVE_SIGNATURE_STATUS_BAD);
  g_assert_nonnull (missive_signature_get_status_text (sig));

  g_object_unref (received);
  g_object_unref (signed_message);
  g_object_unref (message);
}

/* dave's CA is unknown to "home": without his certificate in the
 * signature his key is missing; with it, the chain is not trusted. */
static void
test_sign_unknown_signer (void)
{
  g_autoptr(MissiveCryptoContext) dave_ctx = new_context (other_dir);
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GError) error = NULL;
  const char *signers[] = { "dave@example.test", NULL };
  /* Without certificates first: gpgsm keeps those it finds in a
   * signature, so after the second round dave's is known. */
  int include_certs[] = { 0, 1 };

  for (gsize i = 0; i < G_N_ELEMENTS (include_certs); i++)
    {
      GMimeMessage *message = new_message ();
      GMimeMessage *signed_message;
      GMimeMessage *received;
      g_autoptr(GListModel) signatures = NULL;
      g_autoptr(MissiveSignature) sig = NULL;

      g_object_set (dave_ctx, "include-certs", include_certs[i], NULL);
      signed_message = missive_crypto_context_sign (dave_ctx, message, signers,
                                                    MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
      g_assert_no_error (error);
      received = transmit (signed_message);
      signatures = missive_crypto_context_verify (ctx, received, NULL, NULL, &error);
      g_assert_no_error (error);
      sig = only_signature (signatures);
      if (include_certs[i] == 0)
        g_assert_cmpint (missive_signature_get_status (sig), ==, MISSIVE_SIGNATURE_STATUS_NO_PUBLIC_KEY);
      else
        {
          g_assert_cmpint (missive_signature_get_status (sig), ==, MISSIVE_SIGNATURE_STATUS_UNKNOWN_KEY);
          g_assert_cmpstr (missive_signature_get_email (sig), ==, "dave@example.test");
          g_assert_cmpint (missive_signature_get_validity (sig), !=, MISSIVE_KEY_VALIDITY_FULL);
        }
      g_object_unref (received);
      g_object_unref (signed_message);
      g_object_unref (message);
    }
}

static void
test_sign_opaque (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GError) error = NULL;
  const char *signers[] = { "alice@example.test", NULL };
  GMimeMessage *message = new_message ();
  GMimeMessage *signed_message;
  GMimeMessage *received;
  GMimeMessage *content = NULL;
  GMimeObject *body;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(MissiveSignature) sig = NULL;
  g_autofree char *text = NULL;
  g_autofree char *wire = NULL;
  g_autofree char *eml = g_build_filename (tmp_dir, "opaque.eml", NULL);
  g_autofree char *ca = cert_file ("ca.crt");

  g_object_set (ctx, "opaque-sign", TRUE, NULL);
  signed_message = missive_crypto_context_sign (ctx, message, signers,
                                                MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  body = g_mime_message_get_mime_part (signed_message);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (body),
                                              "application", "pkcs7-mime"));
  g_assert_cmpstr (g_mime_content_type_get_parameter (g_mime_object_get_content_type (body),
                                                      "smime-type"), ==, "signed-data");

  wire = message_to_string (signed_message);
  write_file (eml, wire, -1);
  {
    g_autofree char *out = NULL;
    const char *argv[] = { "openssl", "smime", "-verify", "-in", eml, "-CAfile", ca, NULL };

    g_assert_true (run_command (argv, &out, NULL));
    g_assert_nonnull (strstr (out, "Hello Bob"));
  }

  received = message_from_string (wire);
  signatures = missive_crypto_context_verify (ctx, received, &content, NULL, &error);
  g_assert_no_error (error);
  sig = only_signature (signatures);
  check_alice_signature (sig);
  text = body_text (content);
  g_assert_cmpstr (text, ==, BODY_TEXT);

  g_object_unref (content);
  g_object_unref (received);
  g_object_unref (signed_message);
  g_object_unref (message);
}

static void
test_encrypt_decrypt (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GError) error = NULL;
  const char *recipients[] = { "alice@example.test", NULL };
  GMimeMessage *message = new_message ();
  GMimeMessage *encrypted;
  GMimeMessage *received;
  GMimeMessage *decrypted;
  GMimeObject *body;
  g_autoptr(MissiveDecryptResult) result = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autofree char *alice_fpr = fingerprint_of (home_dir, "alice@example.test");
  g_autofree char *text = NULL;
  g_autofree char *wire = NULL;
  g_autofree char *eml = g_build_filename (tmp_dir, "encrypted.eml", NULL);
  g_autofree char *p7m = g_build_filename (tmp_dir, "encrypted.p7m", NULL);
  g_autofree char *crt = cert_file ("alice.crt");
  g_autofree char *key = cert_file ("alice.key");
  const char * const *rcpts;

  encrypted = missive_crypto_context_encrypt (ctx, message, recipients,
                                              MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  body = g_mime_message_get_mime_part (encrypted);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (body),
                                              "application", "pkcs7-mime"));
  g_assert_cmpstr (g_mime_content_type_get_parameter (g_mime_object_get_content_type (body),
                                                      "smime-type"), ==, "enveloped-data");
  g_assert_cmpint (g_mime_part_get_content_encoding (GMIME_PART (body)), ==,
                   GMIME_CONTENT_ENCODING_BASE64);
  wire = message_to_string (encrypted);
  g_assert_null (strstr (wire, "Hello Bob"));

  /* openssl decrypts it with alice's key file, gpgsm with its own. */
  write_file (eml, wire, -1);
  {
    g_autofree char *out = NULL;
    const char *argv[] = { "openssl", "smime", "-decrypt", "-in", eml, "-recip", crt,
                           "-inkey", key, NULL };

    g_assert_true (run_command (argv, &out, NULL));
    g_assert_nonnull (strstr (out, "Hello Bob"));
  }
  der = part_content (body);
  write_file (p7m, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  {
    g_autofree char *out = NULL;
    const char *argv[] = { "gpgsm", "--homedir", home_dir, "--batch", "--decrypt", p7m, NULL };

    g_assert_true (run_command (argv, &out, NULL));
    g_assert_nonnull (strstr (out, "Content-Type: text/plain"));
  }

  received = message_from_string (wire);
  decrypted = missive_crypto_context_decrypt (ctx, received, &result, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (decrypted);
  text = body_text (decrypted);
  g_assert_cmpstr (text, ==, BODY_TEXT);
  g_assert_cmpstr (g_mime_message_get_subject (decrypted), ==, "S/MIME test");
  g_assert_nonnull (result);
  rcpts = missive_decrypt_result_get_recipients (result);
  g_assert_nonnull (rcpts);
  g_assert_cmpuint (g_strv_length ((char **) rcpts), ==, 1);
  g_assert_true (g_str_has_suffix (alice_fpr, rcpts[0]));
  g_assert_cmpstr (missive_decrypt_result_get_decrypted_with (result), ==, alice_fpr);
  g_assert_false (missive_decrypt_result_get_symmetric (result));

  g_object_unref (decrypted);
  g_object_unref (received);
  g_object_unref (encrypted);
  g_object_unref (message);
}

/* alice signs, encrypts to alice and bob; alice decrypts and verifies. */
static void
test_sign_and_encrypt (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GError) error = NULL;
  const char *signers[] = { "alice@example.test", NULL };
  const char *recipients[] = { "Bob Test <bob@example.test>", "alice@example.test", NULL };
  GMimeMessage *message = new_message ();
  GMimeMessage *encrypted;
  GMimeMessage *received;
  GMimeMessage *decrypted;
  g_autoptr(MissiveDecryptResult) result = NULL;
  g_autoptr(MissiveSignature) sig = NULL;
  g_autofree char *text = NULL;
  g_autofree char *alice_fpr = fingerprint_of (home_dir, "alice@example.test");

  encrypted = missive_crypto_context_sign_and_encrypt (ctx, message, signers, recipients,
                                                       MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  received = transmit (encrypted);
  decrypted = missive_crypto_context_decrypt_and_verify (ctx, received, &result, NULL, &error);
  g_assert_no_error (error);
  text = body_text (decrypted);
  g_assert_cmpstr (text, ==, BODY_TEXT);
  /* gpgsm reports the recipients it tried, up to the one it decrypted
   * with: alice, after bob or not. */
  g_assert_cmpuint (g_strv_length ((char **) missive_decrypt_result_get_recipients (result)), >=, 1);
  g_assert_cmpstr (missive_decrypt_result_get_decrypted_with (result), ==, alice_fpr);
  sig = only_signature (missive_decrypt_result_get_signatures (result));
  check_alice_signature (sig);

  g_object_unref (decrypted);
  g_object_unref (received);
  g_object_unref (encrypted);
  g_object_unref (message);
}

static void
test_passphrase_sign (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GError) error = NULL;
  const char *signers[] = { "bob@example.test", NULL };
  g_autofree char *bob_fpr = fingerprint_of (home_dir, "bob@example.test");
  GMimeMessage *message = new_message ();
  GMimeMessage *signed_message;
  GMimeMessage *received;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(MissiveSignature) sig = NULL;
  Asker asker = { .answers = { "wrong", BOB_PASSPHRASE, NULL } };

  forget_passphrases ();
  g_signal_connect (ctx, "passphrase-requested", G_CALLBACK (on_passphrase), &asker);
  signed_message = missive_crypto_context_sign (ctx, message, signers,
                                                MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (asker.calls, ==, 2);
  g_assert_false (asker.previous_bad[0]);
  g_assert_true (asker.previous_bad[1]);
  g_assert_cmpstr (asker.key_id, ==, bob_fpr);
  g_assert_nonnull (strstr (asker.user_id, "bob@example.test"));

  received = transmit (signed_message);
  signatures = missive_crypto_context_verify (ctx, received, NULL, NULL, &error);
  g_assert_no_error (error);
  sig = only_signature (signatures);
  g_assert_cmpint (missive_signature_get_status (sig), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
  g_assert_cmpstr (missive_signature_get_fingerprint (sig), ==, bob_fpr);

  /* Cached now: no second question. */
  g_object_unref (signed_message);
  signed_message = missive_crypto_context_sign (ctx, message, signers,
                                                MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (asker.calls, ==, 2);

  asker_clear (&asker);
  g_object_unref (received);
  g_object_unref (signed_message);
  g_object_unref (message);
}

static void
test_passphrase_refused (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  const char *signers[] = { "bob@example.test", NULL };
  GMimeMessage *message = new_message ();

  /* No handler, a handler that gives nothing, one always wrong. */
  for (int round = 0; round < 3; round++)
    {
      g_autoptr(GError) error = NULL;
      Asker asker = { .answers = { NULL } };
      GMimeMessage *signed_message;
      gulong id = 0;

      if (round == 2)
        for (gsize i = 0; i < G_N_ELEMENTS (asker.answers); i++)
          asker.answers[i] = "wrong";
      forget_passphrases ();
      if (round > 0)
        id = g_signal_connect (ctx, "passphrase-requested", G_CALLBACK (on_passphrase), &asker);
      signed_message = missive_crypto_context_sign (ctx, message, signers,
                                                    MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
      g_assert_null (signed_message);
      if (round < 2)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_cmpuint (asker.calls, ==, round == 1 ? 1 : 0);
        }
      else
        {
          g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_BAD_PASSPHRASE);
          g_assert_cmpuint (asker.calls, ==, 3);
          g_assert_true (asker.previous_bad[2]);
        }
      if (id != 0)
        g_signal_handler_disconnect (ctx, id);
      asker_clear (&asker);
    }
  g_object_unref (message);
}

static void
test_passphrase_decrypt (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GError) error = NULL;
  const char *recipients[] = { "bob@example.test", NULL };
  GMimeMessage *message = new_message ();
  GMimeMessage *encrypted;
  GMimeMessage *received;
  GMimeMessage *decrypted;
  g_autofree char *text = NULL;
  g_autofree char *bob_fpr = fingerprint_of (home_dir, "bob@example.test");
  Asker asker = { .answers = { BOB_PASSPHRASE } };

  encrypted = missive_crypto_context_encrypt (ctx, message, recipients,
                                              MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  received = transmit (encrypted);

  forget_passphrases ();
  g_signal_connect (ctx, "passphrase-requested", G_CALLBACK (on_passphrase), &asker);
  decrypted = missive_crypto_context_decrypt (ctx, received, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (asker.calls, ==, 1);
  g_assert_cmpstr (asker.key_id, ==, bob_fpr);
  text = body_text (decrypted);
  g_assert_cmpstr (text, ==, BODY_TEXT);

  asker_clear (&asker);
  g_object_unref (decrypted);
  g_object_unref (received);
  g_object_unref (encrypted);
  g_object_unref (message);
}

/* carol's 2019 signature: correct, but her certificate has expired; and
 * she can no longer sign. */
static void
test_expired (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *eml_path = cert_file ("carol.eml");
  g_autofree char *p7s_path = cert_file ("carol.p7s");
  g_autofree char *entity = NULL;
  g_autofree char *p7s = NULL;
  g_autofree char *p7s_b64 = NULL;
  g_autofree char *wire = NULL;
  gsize p7s_length = 0;
  const char *signers[] = { "carol@example.test", NULL };
  GMimeMessage *message;
  GMimeMessage *content = NULL;
  GMimeMessage *plain = new_message ();
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(MissiveSignature) sig = NULL;
  g_autofree char *text = NULL;

  g_file_get_contents (eml_path, &entity, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (p7s_path, &p7s, &p7s_length, &error);
  g_assert_no_error (error);
  p7s_b64 = g_base64_encode ((const guchar *) p7s, p7s_length);
  wire = g_strdup_printf ("From: carol@example.test\r\nTo: bob@example.test\r\n"
                          "Subject: old\r\nMIME-Version: 1.0\r\n"
                          "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\";"
                          " micalg=sha-256; boundary=\"b\"\r\n\r\n"
                          "--b\r\n%s\r\n--b\r\n"
                          "Content-Type: application/pkcs7-signature; name=smime.p7s\r\n"
                          "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--b--\r\n",
                          entity, p7s_b64);
  message = message_from_string (wire);
  signatures = missive_crypto_context_verify (ctx, message, &content, NULL, &error);
  g_assert_no_error (error);
  sig = only_signature (signatures);
  g_assert_cmpint (missive_signature_get_status (sig), ==, MISSIVE_SIGNATURE_STATUS_EXPIRED_KEY);
  g_assert_cmpstr (missive_signature_get_email (sig), ==, "carol@example.test");
  g_assert_cmpint (g_date_time_get_year (missive_signature_get_signing_time (sig)), ==, 2019);
  text = body_text (content);
  g_assert_cmpstr (g_strchomp (text), ==, "Signed by carol in 2019.");
  g_object_unref (content);
  g_object_unref (message);

  message = missive_crypto_context_sign (ctx, plain, signers, MISSIVE_CRYPTO_FLAGS_NONE,
                                         NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_null (message);
  g_object_unref (plain);
}

static void
test_import_export (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(MissiveCryptoContext) empty = new_context (empty_dir);
  g_autoptr(GError) error = NULL;
  const char *alice[] = { "alice@example.test", NULL };
  const char *nobody[] = { "nobody@example.test", NULL };
  g_autofree char *alice_fpr = fingerprint_of (home_dir, "alice@example.test");
  g_autofree char *ca_fpr = fingerprint_of (home_dir, "Missive Test CA");
  g_autoptr(GBytes) pem = NULL;
  g_autoptr(GBytes) der = NULL;
  g_autoptr(GBytes) none = NULL;
  g_autoptr(GListModel) listed = NULL;
  g_auto(GStrv) found = NULL;
  g_auto(GStrv) found_der = NULL;
  g_autofree char *pem_text = NULL;

  missive_crypto_context_set_armor (ctx, TRUE);
  pem = missive_crypto_context_export_keys (ctx, alice, FALSE, NULL, &error);
  g_assert_no_error (error);
  pem_text = g_strndup (g_bytes_get_data (pem, NULL), g_bytes_get_size (pem));
  g_assert_nonnull (strstr (pem_text, "-----BEGIN CERTIFICATE-----"));

  missive_crypto_context_set_armor (ctx, FALSE);
  der = missive_crypto_context_export_keys (ctx, (const char *[]) { "Missive Test CA", NULL },
                                            FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (der, NULL))[0], ==, 0x30);   /* DER */

  none = missive_crypto_context_export_keys (ctx, nobody, FALSE, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_null (none);
  g_clear_error (&error);

  found_der = missive_crypto_context_import_keys (empty, der, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) found_der, ca_fpr));
  found = missive_crypto_context_import_keys (empty, pem, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_strv_contains ((const char * const *) found, alice_fpr));

  listed = missive_crypto_context_list_keys (empty, "alice@example.test", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (listed), ==, 1);

  /* Not a certificate. */
  {
    g_autoptr(GBytes) junk = g_bytes_new_static ("not a certificate\n", 18);
    g_auto(GStrv) nothing = missive_crypto_context_import_keys (empty, junk, NULL, &error);

    g_assert_null (nothing);
    g_assert_nonnull (error);
    g_assert_true (error->domain == MISSIVE_ERROR);
    g_clear_error (&error);
  }
}

/* A PKCS#12 bundle: gpgsm asks for its password through gpg-agent's
 * pinentry, which GPGME cannot answer (no loopback for gpgsm). Whatever
 * gpgsm does here, the import ends (no hang) with the key or an error. */
static void
test_import_pkcs12 (void)
{
  g_autoptr(MissiveCryptoContext) empty = new_context (empty_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = cert_file ("alice.p12");
  g_autofree char *alice_fpr = fingerprint_of (home_dir, "alice@example.test");
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) found = NULL;

  g_file_get_contents (path, &data, &length, &error);
  g_assert_no_error (error);
  bytes = g_bytes_new (data, length);
  found = missive_crypto_context_import_keys (empty, bytes, NULL, &error);
  if (found != NULL)
    {
      g_assert_no_error (error);
      g_assert_true (g_strv_contains ((const char * const *) found, alice_fpr));
    }
  else
    {
      g_assert_nonnull (error);
      g_test_message ("PKCS#12 import: %s", error->message);
    }
}

static void
test_bad_input (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(MissiveCryptoContext) dave_ctx = new_context (other_dir);
  const char *alice[] = { "alice@example.test", NULL };
  const char *nobody[] = { "nobody@example.test", NULL };
  const char *dave[] = { "dave@example.test", NULL };
  GMimeMessage *plain = new_message ();
  g_autoptr(GError) error = NULL;
  GMimeMessage *out;
  GListModel *list;
  g_autofree char *wire = NULL;

  /* Verify or decrypt a message that is neither. */
  list = missive_crypto_context_verify (ctx, plain, NULL, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE);
  g_assert_null (list);
  g_clear_error (&error);
  out = missive_crypto_context_decrypt (ctx, plain, NULL, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE);
  g_assert_null (out);
  g_clear_error (&error);

  /* Unknown signer and recipient; OpenPGP-only flags. */
  out = missive_crypto_context_sign (ctx, plain, nobody, MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_null (out);
  g_clear_error (&error);
  out = missive_crypto_context_encrypt (ctx, plain, nobody, MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_null (out);
  g_clear_error (&error);
  out = missive_crypto_context_sign (ctx, plain, alice, MISSIVE_CRYPTO_FLAGS_INLINE, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_assert_null (out);
  g_clear_error (&error);

  /* Broken multipart/signed: one part; an OpenPGP protocol; a garbage
   * signature. */
  {
    const char *broken[] = {
      "From: a@example.test\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n",
      "From: a@example.test\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\n"
      "Content-Type: application/pgp-signature\r\n\r\nxx\r\n--b--\r\n",
      "From: a@example.test\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\n"
      "Content-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      "MIIBAAYJKoZIhvcNAQcCoIIB\r\n--b--\r\n",
      "From: a@example.test\r\nMIME-Version: 1.0\r\n"
      "Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\nMIIBAAYJKoZIhvcNAQcDoIIB\r\n",
    };

    for (gsize i = 0; i < G_N_ELEMENTS (broken); i++)
      {
        GMimeMessage *message = message_from_string (broken[i]);
        int expected;

        if (i < 3)
          {
            list = missive_crypto_context_verify (ctx, message, NULL, NULL, &error);
            if (list != NULL)
              {
                g_autoptr(MissiveSignature) sig = only_signature (list);

                g_assert_cmpint (missive_signature_get_status (sig), !=, MISSIVE_SIGNATURE_STATUS_GOOD);
                g_object_unref (list);
              }
          }
        else
          {
            out = missive_crypto_context_decrypt (ctx, message, NULL, NULL, &error);
            g_assert_null (out);
          }
        /* A truncated enveloped-data cannot be decrypted; the others
         * are malformed signed messages. */
        expected = i == 3 ? MISSIVE_ERROR_DECRYPTION_FAILED : MISSIVE_ERROR_INVALID_MESSAGE;
        g_assert_error (error, MISSIVE_ERROR, expected);
        g_clear_error (&error);
        g_object_unref (message);
      }
  }

  /* Encrypted to dave only: no key of ours. */
  out = missive_crypto_context_encrypt (dave_ctx, plain, dave, MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  wire = message_to_string (out);
  g_object_unref (out);
  {
    GMimeMessage *message = message_from_string (wire);

    out = missive_crypto_context_decrypt (ctx, message, NULL, NULL, &error);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_DECRYPTION_FAILED);
    g_assert_null (out);
    g_clear_error (&error);
    g_object_unref (message);
  }
  g_object_unref (plain);
}

static void
test_cancelled (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  const char *alice[] = { "alice@example.test", NULL };
  GMimeMessage *plain = new_message ();
  GMimeMessage *out;

  g_cancellable_cancel (cancellable);
  out = missive_crypto_context_sign (ctx, plain, alice, MISSIVE_CRYPTO_FLAGS_NONE,
                                     cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (out);
  g_object_unref (plain);
}

/* alice and bob (passphrase) both sign: two signatures, both good. */
static void
test_two_signers (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GError) error = NULL;
  const char *signers[] = { "alice@example.test", "bob@example.test", NULL };
  g_autofree char *alice_fpr = fingerprint_of (home_dir, "alice@example.test");
  g_autofree char *bob_fpr = fingerprint_of (home_dir, "bob@example.test");
  GMimeMessage *message = new_message ();
  GMimeMessage *signed_message;
  GMimeMessage *received;
  g_autoptr(GListModel) signatures = NULL;
  gboolean seen_alice = FALSE, seen_bob = FALSE;
  Asker asker = { .answers = { BOB_PASSPHRASE } };

  forget_passphrases ();
  g_signal_connect (ctx, "passphrase-requested", G_CALLBACK (on_passphrase), &asker);
  signed_message = missive_crypto_context_sign (ctx, message, signers,
                                                MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (asker.calls, ==, 1);   /* bob's key only */
  received = transmit (signed_message);
  signatures = missive_crypto_context_verify (ctx, received, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (signatures), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(MissiveSignature) sig = g_list_model_get_item (signatures, i);

      g_assert_cmpint (missive_signature_get_status (sig), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
      seen_alice |= g_strcmp0 (missive_signature_get_fingerprint (sig), alice_fpr) == 0;
      seen_bob |= g_strcmp0 (missive_signature_get_fingerprint (sig), bob_fpr) == 0;
    }
  g_assert_true (seen_alice && seen_bob);

  asker_clear (&asker);
  g_object_unref (received);
  g_object_unref (signed_message);
  g_object_unref (message);
}

/* micalg is only a hint (RFC 8551 section 3.5.3): CMS names its own
 * digest, so a wrong one changes nothing. */
static void
test_wrong_micalg (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GError) error = NULL;
  const char *signers[] = { "alice@example.test", NULL };
  GMimeMessage *message = new_message ();
  GMimeMessage *signed_message;
  GMimeMessage *received;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(MissiveSignature) sig = NULL;
  g_autofree char *wire = NULL;
  char *micalg;

  signed_message = missive_crypto_context_sign (ctx, message, signers,
                                                MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  wire = message_to_string (signed_message);
  micalg = strstr (wire, "micalg=sha-256");
  g_assert_nonnull (micalg);
  memcpy (micalg, "micalg=sha-512", 14);
  received = message_from_string (wire);
  signatures = missive_crypto_context_verify (ctx, received, NULL, NULL, &error);
  g_assert_no_error (error);
  sig = only_signature (signatures);
  g_assert_cmpint (missive_signature_get_status (sig), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
  g_assert_cmpstr (missive_signature_get_hash_algorithm (sig), ==, "SHA256");

  g_object_unref (received);
  g_object_unref (signed_message);
  g_object_unref (message);
}

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

/* The async form: the passphrase request comes to the caller's main
 * context while gpgsm works in a thread. */
static void
test_passphrase_async (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GError) error = NULL;
  const char *recipients[] = { "bob@example.test", NULL };
  GMimeMessage *message = new_message ();
  GMimeMessage *encrypted;
  GMimeMessage *received;
  GMimeMessage *decrypted;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(MissiveDecryptResult) decrypt_result = NULL;
  g_autofree char *text = NULL;
  g_autofree char *bob_fpr = fingerprint_of (home_dir, "bob@example.test");
  Asker asker = { .answers = { "wrong", BOB_PASSPHRASE } };

  encrypted = missive_crypto_context_encrypt (ctx, message, recipients,
                                              MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  received = transmit (encrypted);
  forget_passphrases ();
  g_signal_connect (ctx, "passphrase-requested", G_CALLBACK (on_passphrase), &asker);
  missive_crypto_context_decrypt_async (ctx, received, NULL, async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  decrypted = missive_crypto_context_decrypt_finish (ctx, result, &decrypt_result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (asker.calls, ==, 2);
  g_assert_true (asker.previous_bad[1]);
  text = body_text (decrypted);
  g_assert_cmpstr (text, ==, BODY_TEXT);
  g_assert_cmpstr (missive_decrypt_result_get_decrypted_with (decrypt_result), ==, bob_fpr);

  asker_clear (&asker);
  g_object_unref (decrypted);
  g_object_unref (received);
  g_object_unref (encrypted);
  g_object_unref (message);
}

/* Messages made by openssl (another S/MIME implementation): a detached
 * signature (x-pkcs7-signature, as openssl names it) and an AES-256
 * enveloped-data. */
static void
test_openssl_interop (void)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *entity = g_build_filename (tmp_dir, "interop-entity.txt", NULL);
  g_autofree char *crt = cert_file ("alice.crt");
  g_autofree char *key = cert_file ("alice.key");
  g_autofree char *alice_fpr = fingerprint_of (home_dir, "alice@example.test");
  g_autofree char *signed_wire = NULL;
  g_autofree char *encrypted_wire = NULL;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(MissiveSignature) sig = NULL;
  g_autoptr(MissiveDecryptResult) result = NULL;
  GMimeMessage *message;
  GMimeMessage *content = NULL;
  GMimeMessage *decrypted;
  g_autofree char *text = NULL;

  write_file (entity, "Interop test from openssl.\n", -1);
  {
    const char *argv[] = { "openssl", "smime", "-sign", "-in", entity, "-signer", crt,
                           "-inkey", key, "-text", "-from", "alice@example.test",
                           "-to", "bob@example.test", "-subject", "openssl signed", NULL };

    g_assert_true (run_command (argv, &signed_wire, NULL));
  }
  message = message_from_string (signed_wire);
  signatures = missive_crypto_context_verify (ctx, message, &content, NULL, &error);
  g_assert_no_error (error);
  sig = only_signature (signatures);
  g_assert_cmpint (missive_signature_get_status (sig), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
  g_assert_cmpstr (missive_signature_get_fingerprint (sig), ==, alice_fpr);
  text = body_text (content);
  g_assert_nonnull (strstr (text, "Interop test from openssl."));
  g_clear_pointer (&text, g_free);
  g_object_unref (content);
  g_object_unref (message);

  {
    const char *argv[] = { "openssl", "smime", "-encrypt", "-aes256", "-in", entity, "-text",
                           "-subject", "openssl encrypted", crt, NULL };

    g_assert_true (run_command (argv, &encrypted_wire, NULL));
  }
  message = message_from_string (encrypted_wire);
  decrypted = missive_crypto_context_decrypt (ctx, message, &result, NULL, &error);
  g_assert_no_error (error);
  text = body_text (decrypted);
  g_assert_nonnull (strstr (text, "Interop test from openssl."));
  g_assert_cmpstr (missive_decrypt_result_get_decrypted_with (result), ==, alice_fpr);
  /* gpgsm 2.2 does not report the cipher: none rather than "?.?". */
  g_assert_true (missive_decrypt_result_get_cipher_algorithm (result) == NULL ||
                 missive_decrypt_result_get_cipher_algorithm (result)[0] != '?');
  g_object_unref (decrypted);
  g_object_unref (message);
}

int
main (int    argc,
      char **argv)
{
  int status;

  missive_test_init (&argc, &argv);
  g_mime_init ();

  if (!smime_test_setup ())
    return 1;

  g_test_add_func ("/crypto-smime/backend", test_backend);
  g_test_add_func ("/crypto-smime/list-keys", test_list_keys);
  g_test_add_func ("/crypto-smime/sign-verify/good", test_sign_verify);
  g_test_add_func ("/crypto-smime/sign-verify/tampered", test_sign_tampered);
  g_test_add_func ("/crypto-smime/sign-verify/unknown-signer", test_sign_unknown_signer);
  g_test_add_func ("/crypto-smime/sign-verify/opaque", test_sign_opaque);
  g_test_add_func ("/crypto-smime/sign-verify/expired", test_expired);
  g_test_add_func ("/crypto-smime/sign-verify/two-signers", test_two_signers);
  g_test_add_func ("/crypto-smime/sign-verify/wrong-micalg", test_wrong_micalg);
  g_test_add_func ("/crypto-smime/encrypt-decrypt", test_encrypt_decrypt);
  g_test_add_func ("/crypto-smime/sign-and-encrypt", test_sign_and_encrypt);
  g_test_add_func ("/crypto-smime/passphrase/sign", test_passphrase_sign);
  g_test_add_func ("/crypto-smime/passphrase/refused", test_passphrase_refused);
  g_test_add_func ("/crypto-smime/passphrase/decrypt", test_passphrase_decrypt);
  g_test_add_func ("/crypto-smime/passphrase/async", test_passphrase_async);
  g_test_add_func ("/crypto-smime/interop/openssl", test_openssl_interop);
  g_test_add_func ("/crypto-smime/import-export", test_import_export);
  g_test_add_func ("/crypto-smime/import-pkcs12", test_import_pkcs12);
  g_test_add_func ("/crypto-smime/bad-input", test_bad_input);
  g_test_add_func ("/crypto-smime/cancelled", test_cancelled);

  status = g_test_run ();
  smime_test_teardown ();
  g_mime_shutdown ();
  return status;
}
