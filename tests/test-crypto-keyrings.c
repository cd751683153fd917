/* test-crypto-keyrings.c: MissiveCryptoContext:keyrings (keys found in
 * more than one GnuPG home) with the "openpgp" backend
 *
 * Homes: A holds alice, B holds bob, C holds carol's public key only
 * (imported, never certified: validity unknown), D holds dave (a home
 * used only by name lookups that must fail). No key has a passphrase.
 * Every output is also checked with the gpg command line, in the home of
 * the key concerned, and the homes are checked to be unchanged.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <missive/missive-crypto-backend.h>

#include "test-crypto-home.h"

#define TEXT "The spare key is under the third flowerpot.\n"

static char *tmpdir;
static char *home_a, *home_b, *home_c, *home_x;
static char *alice_fpr, *bob_fpr, *carol_fpr;
static gboolean have_gpg;

static gboolean
require_gpg (void)
{
  if (!have_gpg)
    g_test_skip ("gpg or gpgconf is not installed");
  return have_gpg;
}

static char *
write_temp (const char *name,
            GBytes     *bytes)
{
  char *path = g_build_filename (tmpdir, name, NULL);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
  return path;
}

/* The number of keys `gpg --list-keys` shows in @home. */
static guint
count_keys (const char *home)
{
  const char *argv[] = { "gpg", "--homedir", home, "--batch", "--with-colons", "--list-keys", NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  guint count = 0;

  g_assert_true (test_crypto_run (argv, &out));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "pub:"))
      count++;
  return count;
}

/* gpg --decrypt of the data part of a PGP/MIME message, in @home: the
 * plain text, or NULL when gpg could not decrypt it. */
static char *
gpg_decrypt (GMimeMessage *message,
             const char   *home)
{
  GMimeObject *body = g_mime_message_get_mime_part (message);
  g_autoptr(GBytes) armour = NULL;
  g_autofree char *path = NULL;
  g_autofree char *status_text = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;
  const char *argv[] = { "gpg", "--homedir", home, "--batch", "--status-fd", "2",
                         "--decrypt", NULL, NULL };

  g_assert_true (GMIME_IS_MULTIPART_ENCRYPTED (body));
  armour = missive_crypto_part_get_content_bytes (GMIME_PART (g_mime_multipart_get_part (GMIME_MULTIPART (body), 1)));
  path = write_temp ("encrypted.asc", armour);
  argv[7] = path;
  /* The exit status also counts signatures gpg cannot check: look for
   * the decryption's own status line instead. */
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &status_text, &status, &error));
  g_assert_no_error (error);
  if (strstr (status_text, "[GNUPG:] DECRYPTION_OKAY") == NULL)
    g_clear_pointer (&out, g_free);
  return out;
}

/* ---- the property ---------------------------------------------------------- */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_property (void)
{
  g_autoptr(MissiveCryptoContext) context = NULL;
  const char * const two[] = { "/h/one", "", "/h/two", NULL };
  g_auto(GStrv) value = NULL;
  guint notified = 0;

  if (!require_gpg ())
    return;
  context = test_crypto_context_new ("openpgp", home_a);
  g_signal_connect (context, "notify::keyrings", G_CALLBACK (count_notify), &notified);
  g_assert_null (missive_crypto_context_get_keyrings (context));

  missive_crypto_context_add_keyring (context, "/h/one");
  missive_crypto_context_add_keyring (context, "/h/one");   /* no duplicate, no notify */
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (g_strv_length ((char **) missive_crypto_context_get_keyrings (context)), ==, 1);

  missive_crypto_context_set_keyrings (context, two);       /* "" is left out */
  g_assert_cmpuint (notified, ==, 2);
  g_object_get (context, "keyrings", &value, NULL);
  g_assert_cmpuint (g_strv_length (value), ==, 2);
  g_assert_cmpstr (value[0], ==, "/h/one");
  g_assert_cmpstr (value[1], ==, "/h/two");
  missive_crypto_context_set_keyrings (context, (const char * const *) value);   /* unchanged */
  g_assert_cmpuint (notified, ==, 2);

  missive_crypto_context_set_keyrings (context, NULL);
  g_assert_null (missive_crypto_context_get_keyrings (context));
  g_assert_cmpuint (notified, ==, 3);
}

/* ---- encrypt to recipients from two homes --------------------------------- */

static void
test_encrypt_two_homes (void)
{
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(MissiveCryptoContext) in_a = NULL;
  g_autoptr(MissiveCryptoContext) in_b = NULL;
  g_autoptr(MissiveCryptoContext) through = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveDecryptResult) result = NULL;
  const char * const recipients[] = { "alice@example.test", "bob@example.test", NULL };
  const char * const only_bob[] = { bob_fpr, NULL };
  GMimeMessage *message, *encrypted, *received, *plain;
  g_autofree char *text = NULL;
  g_autofree char *gpg_a = NULL;
  g_autofree char *gpg_b = NULL;

  if (!require_gpg ())
    return;
  context = test_crypto_context_new ("openpgp", home_a);
  missive_crypto_context_add_keyring (context, home_x);     /* searched, holds neither */
  missive_crypto_context_add_keyring (context, home_b);

  message = test_crypto_text_message ("alice@example.test", "bob@example.test", "keyrings", TEXT);
  encrypted = missive_crypto_context_encrypt (context, message, recipients, MISSIVE_CRYPTO_FLAGS_NONE,
                                              NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (encrypted);
  received = test_crypto_roundtrip (encrypted);

  /* Each home decrypts alone: with Missive... */
  in_a = test_crypto_context_new ("openpgp", home_a);
  plain = missive_crypto_context_decrypt (in_a, received, &result, NULL, &error);
  g_assert_no_error (error);
  text = test_crypto_body_text (plain);
  g_assert_cmpstr (text, ==, TEXT);
  g_assert_cmpuint (g_strv_length ((char **) missive_decrypt_result_get_recipients (result)), ==, 2);
  g_clear_object (&plain);
  g_clear_pointer (&text, g_free);

  in_b = test_crypto_context_new ("openpgp", home_b);
  plain = missive_crypto_context_decrypt (in_b, received, NULL, NULL, &error);
  g_assert_no_error (error);
  text = test_crypto_body_text (plain);
  g_assert_cmpstr (text, ==, TEXT);
  g_clear_object (&plain);
  g_clear_pointer (&text, g_free);

  /* ... and with gpg. */
  gpg_a = gpg_decrypt (received, home_a);
  gpg_b = gpg_decrypt (received, home_b);
  g_assert_nonnull (gpg_a);
  g_assert_nonnull (gpg_b);
  g_assert_nonnull (strstr (gpg_a, "third flowerpot"));
  g_assert_nonnull (strstr (gpg_b, "third flowerpot"));

  /* No key was imported anywhere. */
  g_assert_cmpuint (count_keys (home_a), ==, 1);
  g_assert_cmpuint (count_keys (home_b), ==, 1);
  g_assert_cmpuint (count_keys (home_x), ==, 1);
  g_object_unref (received);
  g_object_unref (encrypted);

  /* Decryption looks through the keyrings too: bob's secret key is only
   * in B, the context's home is A. */
  encrypted = missive_crypto_context_encrypt (context, message, only_bob, MISSIVE_CRYPTO_FLAGS_NONE,
                                              NULL, &error);
  g_assert_no_error (error);
  received = test_crypto_roundtrip (encrypted);
  plain = missive_crypto_context_decrypt (in_a, received, NULL, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_DECRYPTION_FAILED);
  g_assert_null (plain);
  g_clear_error (&error);
  through = test_crypto_context_new ("openpgp", home_a);
  missive_crypto_context_add_keyring (through, home_b);
  plain = missive_crypto_context_decrypt (through, received, NULL, NULL, &error);
  g_assert_no_error (error);
  text = test_crypto_body_text (plain);
  g_assert_cmpstr (text, ==, TEXT);

  g_object_unref (plain);
  g_object_unref (received);
  g_object_unref (encrypted);
  g_object_unref (message);
}

/* A key from another home is checked there: carol is not certified in C. */
static void
test_encrypt_validity (void)
{
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char * const recipients[] = { "carol@example.test", NULL };
  GMimeMessage *message, *encrypted;

  if (!require_gpg ())
    return;
  context = test_crypto_context_new ("openpgp", home_a);
  missive_crypto_context_add_keyring (context, home_c);
  message = test_crypto_text_message ("alice@example.test", "carol@example.test", "validity", TEXT);

  encrypted = missive_crypto_context_encrypt (context, message, recipients, MISSIVE_CRYPTO_FLAGS_NONE,
                                              NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "carol@example.test"));
  g_assert_nonnull (strstr (error->message, "not valid"));
  g_assert_null (encrypted);
  g_clear_error (&error);

  missive_crypto_context_set_always_trust (context, TRUE);
  encrypted = missive_crypto_context_encrypt (context, message, recipients, MISSIVE_CRYPTO_FLAGS_NONE,
                                              NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (encrypted);
  {
    GMimeMessage *received = test_crypto_roundtrip (encrypted);
    g_autofree char *out = NULL;

    /* Only carol can read it; neither A nor C has her secret key. */
    out = gpg_decrypt (received, home_a);
    g_assert_null (out);
    out = gpg_decrypt (received, home_c);
    g_assert_null (out);
    g_object_unref (received);
  }
  g_object_unref (encrypted);
  g_object_unref (message);
}

/* ---- sign with a key from a second home ----------------------------------- */

static void
test_sign_second_home (void)
{
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(MissiveCryptoContext) in_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(MissiveSignature) signature = NULL;
  g_autoptr(GBytes) signed_bytes = NULL;
  g_autoptr(GBytes) sig_bytes = NULL;
  g_autofree char *signed_path = NULL;
  g_autofree char *sig_path = NULL;
  const char * const signers[] = { "bob@example.test", NULL };
  GMimeMessage *message, *signed_message, *received;
  GMimeObject *body;

  if (!require_gpg ())
    return;
  context = test_crypto_context_new ("openpgp", home_a);
  missive_crypto_context_add_keyring (context, home_b);
  message = test_crypto_text_message ("bob@example.test", "alice@example.test", "signed", TEXT);

  signed_message = missive_crypto_context_sign (context, message, signers, MISSIVE_CRYPTO_FLAGS_NONE,
                                                NULL, &error);
  g_assert_no_error (error);
  received = test_crypto_roundtrip (signed_message);
  body = g_mime_message_get_mime_part (received);
  g_assert_true (GMIME_IS_MULTIPART_SIGNED (body));

  in_b = test_crypto_context_new ("openpgp", home_b);
  signatures = missive_crypto_context_verify (in_b, received, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (signatures), ==, 1);
  signature = g_list_model_get_item (signatures, 0);
  g_assert_cmpint (missive_signature_get_status (signature), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
  g_assert_cmpstr (missive_signature_get_fingerprint (signature), ==, bob_fpr);

  /* gpg, in bob's home, agrees. */
  signed_bytes = missive_crypto_object_to_canonical_bytes (g_mime_multipart_get_part (GMIME_MULTIPART (body), 0));
  sig_bytes = missive_crypto_part_get_content_bytes (GMIME_PART (g_mime_multipart_get_part (GMIME_MULTIPART (body), 1)));
  signed_path = write_temp ("signed.txt", signed_bytes);
  sig_path = write_temp ("signed.asc", sig_bytes);
  {
    const char *argv[] = { "gpg", "--homedir", home_b, "--batch", "--status-fd", "1",
                           "--verify", sig_path, signed_path, NULL };
    g_autofree char *out = NULL;
    g_autofree char *good = g_strdup_printf ("[GNUPG:] VALIDSIG %s", bob_fpr);

    g_assert_true (test_crypto_run (argv, &out));
    g_assert_nonnull (strstr (out, good));
  }

  g_object_unref (received);
  g_object_unref (signed_message);
  g_object_unref (message);
}

/* gpg --verify's status lines, whatever its exit status. */
static char *
gpg_verify_status (const char *home,
                   const char *sig_path,
                   const char *signed_path)
{
  const char *argv[] = { "gpg", "--homedir", home, "--batch", "--status-fd", "1",
                         "--verify", sig_path, signed_path, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  return out;
}

/* Alice from A and bob from B sign one PGP/MIME message: one signature
 * part holding a signature from each home. */
static void
test_sign_two_homes (void)
{
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(MissiveCryptoContext) in_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(GBytes) signed_bytes = NULL;
  g_autoptr(GBytes) sig_bytes = NULL;
  g_autofree char *signed_path = NULL;
  g_autofree char *sig_path = NULL;
  g_autofree char *in_a_status = NULL;
  g_autofree char *in_b_status = NULL;
  g_autofree char *alice_valid = g_strdup_printf ("[GNUPG:] VALIDSIG %s", alice_fpr);
  g_autofree char *bob_valid = g_strdup_printf ("[GNUPG:] VALIDSIG %s", bob_fpr);
  const char * const signers[] = { "alice@example.test", "bob@example.test", NULL };
  GMimeMessage *message, *signed_message, *received, *out;
  GMimeObject *body;

  if (!require_gpg ())
    return;
  context = test_crypto_context_new ("openpgp", home_a);
  missive_crypto_context_add_keyring (context, home_b);
  message = test_crypto_text_message ("alice@example.test", "carol@example.test", "two signers", TEXT);

  signed_message = missive_crypto_context_sign (context, message, signers, MISSIVE_CRYPTO_FLAGS_NONE,
                                                NULL, &error);
  g_assert_no_error (error);
  received = test_crypto_roundtrip (signed_message);
  body = g_mime_message_get_mime_part (received);
  g_assert_true (GMIME_IS_MULTIPART_SIGNED (body));

  /* Missive, in bob's home: bob good, alice's key unknown there. */
  in_b = test_crypto_context_new ("openpgp", home_b);
  signatures = missive_crypto_context_verify (in_b, received, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (signatures), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(MissiveSignature) signature = g_list_model_get_item (signatures, i);
      const char *fpr = missive_signature_get_fingerprint (signature);

      if (g_strcmp0 (fpr, bob_fpr) == 0)
        g_assert_cmpint (missive_signature_get_status (signature), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
      else
        {
          g_assert_cmpstr (fpr, ==, alice_fpr);
          g_assert_cmpint (missive_signature_get_status (signature), ==, MISSIVE_SIGNATURE_STATUS_NO_PUBLIC_KEY);
        }
    }

  /* The context (A, then keyring B) finds both keys. */
  g_clear_object (&signatures);
  signatures = missive_crypto_context_verify (context, received, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (signatures), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(MissiveSignature) signature = g_list_model_get_item (signatures, i);

      g_assert_cmpint (missive_signature_get_status (signature), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
      g_assert_cmpstr (missive_signature_get_fingerprint (signature), ==, i == 0 ? alice_fpr : bob_fpr);
    }

  /* gpg: each home finds its own key's signature valid. */
  signed_bytes = missive_crypto_object_to_canonical_bytes (g_mime_multipart_get_part (GMIME_MULTIPART (body), 0));
  sig_bytes = missive_crypto_part_get_content_bytes (GMIME_PART (g_mime_multipart_get_part (GMIME_MULTIPART (body), 1)));
  signed_path = write_temp ("signed2.txt", signed_bytes);
  sig_path = write_temp ("signed2.asc", sig_bytes);
  in_a_status = gpg_verify_status (home_a, sig_path, signed_path);
  in_b_status = gpg_verify_status (home_b, sig_path, signed_path);
  g_assert_nonnull (strstr (in_a_status, alice_valid));
  g_assert_null (strstr (in_a_status, bob_valid));
  g_assert_nonnull (strstr (in_b_status, bob_valid));
  g_assert_null (strstr (in_b_status, alice_valid));

  /* Inline (clear-signed) text cannot carry signatures from two homes. */
  out = missive_crypto_context_sign (context, message, signers, MISSIVE_CRYPTO_FLAGS_INLINE, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_assert_null (out);

  g_object_unref (received);
  g_object_unref (signed_message);
  g_object_unref (message);
}

/* Signer bob from B, recipient alice from A: the operation runs in B and
 * alice's key comes from A as a file. */
static void
test_sign_and_encrypt_across (void)
{
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(MissiveCryptoContext) in_a = NULL;
  g_autoptr(MissiveDecryptResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char * const signers[] = { "bob@example.test", NULL };
  const char * const recipients[] = { alice_fpr, NULL };
  GMimeMessage *message, *encrypted, *received, *plain;
  g_autofree char *text = NULL;
  g_autofree char *gpg_out = NULL;
  GListModel *signatures;

  if (!require_gpg ())
    return;
  context = test_crypto_context_new ("openpgp", home_a);
  missive_crypto_context_add_keyring (context, home_b);
  message = test_crypto_text_message ("bob@example.test", "alice@example.test", "both", TEXT);

  encrypted = missive_crypto_context_sign_and_encrypt (context, message, signers, recipients,
                                                       MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  received = test_crypto_roundtrip (encrypted);

  /* Alice's home decrypts; bob's public key is not there, but the
   * signature names its key. */
  in_a = test_crypto_context_new ("openpgp", home_a);
  plain = missive_crypto_context_decrypt_and_verify (in_a, received, &result, NULL, &error);
  g_assert_no_error (error);
  text = test_crypto_body_text (plain);
  g_assert_cmpstr (text, ==, TEXT);
  signatures = missive_decrypt_result_get_signatures (result);
  g_assert_cmpuint (g_list_model_get_n_items (signatures), ==, 1);
  {
    g_autoptr(MissiveSignature) signature = g_list_model_get_item (signatures, 0);

    g_assert_cmpstr (missive_signature_get_fingerprint (signature), ==, bob_fpr);
  }
  /* Bob cannot read it: he signed, it is encrypted to alice only. */
  g_assert_null (gpg_decrypt (received, home_b));
  gpg_out = gpg_decrypt (received, home_a);
  g_assert_nonnull (gpg_out);
  g_assert_nonnull (strstr (gpg_out, "third flowerpot"));

  g_object_unref (plain);
  g_object_unref (received);
  g_object_unref (encrypted);
  g_object_unref (message);
}

/* ---- keys found nowhere, signers in two homes ------------------------------- */

static void
test_not_found (void)
{
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char * const recipients[] = { "bob@example.test", "nobody@example.test", NULL };
  const char * const signers[] = { "nobody-signs@example.test", NULL };
  const char * const two_homes[] = { "alice@example.test", "bob@example.test", NULL };
  const char * const alice[] = { "alice@example.test", NULL };
  GMimeMessage *message, *out;

  if (!require_gpg ())
    return;
  context = test_crypto_context_new ("openpgp", home_a);
  missive_crypto_context_add_keyring (context, home_b);
  message = test_crypto_text_message ("alice@example.test", "bob@example.test", "nowhere", TEXT);

  out = missive_crypto_context_encrypt (context, message, recipients, MISSIVE_CRYPTO_FLAGS_NONE,
                                        NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“nobody@example.test”"));
  g_assert_nonnull (strstr (error->message, "2 GnuPG homes"));
  g_assert_null (out);
  g_clear_error (&error);

  out = missive_crypto_context_sign (context, message, signers, MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“nobody-signs@example.test”"));
  g_assert_null (out);
  g_clear_error (&error);

  /* bob's secret key is not in A, and B is no longer searched. */
  missive_crypto_context_set_keyrings (context, NULL);
  out = missive_crypto_context_sign (context, message, two_homes, MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "“bob@example.test”"));
  g_assert_null (out);
  g_clear_error (&error);

  /* Signers from two homes in one OpenPGP message: GnuPG cannot. */
  missive_crypto_context_add_keyring (context, home_b);
  out = missive_crypto_context_sign_and_encrypt (context, message, two_homes, alice,
                                                 MISSIVE_CRYPTO_FLAGS_NONE, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_assert_null (out);
  g_clear_error (&error);

  g_object_unref (message);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  missive_engine_get_default ();

  have_gpg = test_crypto_have_gpg ();
  if (have_gpg)
    {
      g_autofree char *carol_home = NULL;

      tmpdir = g_dir_make_tmp ("mkeyrings-XXXXXX", NULL);
      g_assert_nonnull (tmpdir);
      home_a = test_crypto_make_home (tmpdir, "a");
      home_b = test_crypto_make_home (tmpdir, "b");
      home_c = test_crypto_make_home (tmpdir, "c");
      home_x = test_crypto_make_home (tmpdir, "x");
      carol_home = test_crypto_make_home (tmpdir, "carol");
      alice_fpr = test_crypto_generate_key (home_a, "Alice Test <alice@example.test>", "");
      bob_fpr = test_crypto_generate_key (home_b, "Bob Test <bob@example.test>", "");
      g_free (test_crypto_generate_key (home_x, "Xavier Test <xavier@example.test>", ""));
      carol_fpr = test_crypto_generate_key (carol_home, "Carol Test <carol@example.test>", "");
      {
        g_autofree char *key_path = g_build_filename (tmpdir, "carol.asc", NULL);
        const char *export[] = { "gpg", "--homedir", carol_home, "--batch", "--armor",
                                 "--output", key_path, "--export", carol_fpr, NULL };
        const char *import[] = { "gpg", "--homedir", home_c, "--batch", "--import", key_path, NULL };

        g_assert_true (test_crypto_run (export, NULL));
        g_assert_true (test_crypto_run (import, NULL));
      }
      test_crypto_stop_agent (carol_home);
    }

  g_test_add_func ("/crypto-keyrings/property", test_property);
  g_test_add_func ("/crypto-keyrings/encrypt/two-homes", test_encrypt_two_homes);
  g_test_add_func ("/crypto-keyrings/encrypt/validity", test_encrypt_validity);
  g_test_add_func ("/crypto-keyrings/sign/second-home", test_sign_second_home);
  g_test_add_func ("/crypto-keyrings/sign/two-homes", test_sign_two_homes);
  g_test_add_func ("/crypto-keyrings/sign-and-encrypt", test_sign_and_encrypt_across);
  g_test_add_func ("/crypto-keyrings/not-found", test_not_found);
  status = g_test_run ();

  if (have_gpg)
    {
      const char *rm[] = { "rm", "-rf", tmpdir, NULL };

      test_crypto_stop_agent (home_a);
      test_crypto_stop_agent (home_b);
      test_crypto_stop_agent (home_c);
      test_crypto_stop_agent (home_x);
      test_crypto_run (rm, NULL);
      g_free (home_a);
      g_free (home_b);
      g_free (home_c);
      g_free (home_x);
      g_free (alice_fpr);
      g_free (bob_fpr);
      g_free (carol_fpr);
      g_free (tmpdir);
    }
  return status;
}
