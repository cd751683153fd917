/* test-crypto-open.c: checks without decrypting and
 * missive_crypto_context_open_message() on the "openpgp" backend, against
 * throwaway GnuPG homes
 *
 * Home A holds alice (no passphrase) and bob (a passphrase), home C holds
 * carol. Every message is serialised and parsed again before it is
 * opened, as a fetched one. Bad input: truncated armour (PGP/MIME,
 * inline, clear-signed), a multipart/signed with a garbage or missing
 * signature part or the wrong micalg, a multipart/encrypted without its
 * version part, a key we lack, a passphrase nobody gives.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-crypto-backend.h>

#include "test-crypto-home.h"

#define ALICE "alice@example.test"
#define TEXT "Hello Alice,\nthe keys are under the mat. Grüße!\n"

static char *tmpdir, *home_a, *home_c, *alice_fpr;
static gboolean have_gpg;

static gboolean
require_gpg (void)
{
  if (!have_gpg)
    g_test_skip ("gpg or gpgconf is not installed");
  return have_gpg;
}

static GMimeMessage *
new_message (void)
{
  return test_crypto_text_message (ALICE, ALICE, "Open test", TEXT);
}

static MissiveSignature *
signature_at (GListModel *list,
              guint       i)
{
  return g_list_model_get_item (list, i);
}

/* Opens @message and checks the body text and what was found. */
static MissiveOpenedMessage *
open_checked (MissiveCryptoContext *context,
              GMimeMessage         *message,
              gboolean              expect_encrypted,
              gboolean              expect_signed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  MissiveOpenedMessage *opened;

  opened = missive_crypto_context_open_message (context, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (opened);
  g_assert_cmpint (missive_opened_message_get_encrypted (opened), ==, expect_encrypted);
  g_assert_cmpint (missive_opened_message_get_signed (opened), ==, expect_signed);
  g_assert_cmpint (missive_opened_message_get_verified (opened), ==, expect_signed);
  g_assert_cmpint (missive_opened_message_get_decrypt_result (opened) != NULL, ==, expect_encrypted);
  text = test_crypto_body_text (missive_opened_message_get_message (opened));
  g_assert_cmpstr (g_strchomp (text), ==, "Hello Alice,\nthe keys are under the mat. Grüße!");
  g_assert_cmpstr (g_mime_message_get_subject (missive_opened_message_get_message (opened)), ==,
                   "Open test");
  if (expect_signed)
    {
      g_autoptr(MissiveSignature) signature = signature_at (missive_opened_message_get_signatures (opened), 0);

      g_assert_cmpuint (g_list_model_get_n_items (missive_opened_message_get_signatures (opened)), ==, 1);
      g_assert_cmpstr (missive_signature_get_fingerprint (signature), ==, alice_fpr);
    }
  return opened;
}

static void
test_checks (void)
{
  g_autoptr(MissiveCryptoContext) a = NULL;
  g_autoptr(GError) error = NULL;
  GMimeMessage *message, *out, *received;
  GMimePart *p7;
  const char *to[] = { ALICE, NULL };

  if (!require_gpg ())
    return;
  a = test_crypto_context_new ("openpgp", home_a);
  message = new_message ();
  g_assert_false (missive_crypto_message_is_signed (message));
  g_assert_false (missive_crypto_message_is_encrypted (message));

  out = missive_crypto_context_sign (a, message, NULL, 0, NULL, &error);
  g_assert_no_error (error);
  received = test_crypto_roundtrip (out);
  g_assert_true (missive_crypto_message_is_signed (received));
  g_assert_false (missive_crypto_message_is_encrypted (received));
  g_object_unref (received);
  g_object_unref (out);

  out = missive_crypto_context_sign (a, message, NULL, MISSIVE_CRYPTO_FLAGS_INLINE, NULL, &error);
  g_assert_no_error (error);
  received = test_crypto_roundtrip (out);
  g_assert_true (missive_crypto_message_is_signed (received));
  g_assert_false (missive_crypto_message_is_encrypted (received));
  g_object_unref (received);
  g_object_unref (out);

  /* Signed inside the encryption: only encrypted until decrypted. */
  out = missive_crypto_context_sign_and_encrypt (a, message, NULL, to, 0, NULL, &error);
  g_assert_no_error (error);
  received = test_crypto_roundtrip (out);
  g_assert_false (missive_crypto_message_is_signed (received));
  g_assert_true (missive_crypto_message_is_encrypted (received));
  g_object_unref (received);
  g_object_unref (out);

  out = missive_crypto_context_encrypt (a, message, to, MISSIVE_CRYPTO_FLAGS_INLINE, NULL, &error);
  g_assert_no_error (error);
  received = test_crypto_roundtrip (out);
  g_assert_true (missive_crypto_message_is_encrypted (received));
  g_object_unref (received);
  g_object_unref (out);

  /* S/MIME forms, by their headers alone. */
  p7 = g_mime_part_new_with_type ("application", "pkcs7-mime");
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (p7), "smime-type", "signed-data");
  g_mime_message_set_mime_part (message, GMIME_OBJECT (p7));
  g_assert_true (missive_crypto_message_is_signed (message));
  g_assert_false (missive_crypto_message_is_encrypted (message));
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (p7), "smime-type", "enveloped-data");
  g_assert_false (missive_crypto_message_is_signed (message));
  g_assert_true (missive_crypto_message_is_encrypted (message));
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (p7), "smime-type", "authEnveloped-data");
  g_assert_true (missive_crypto_message_is_encrypted (message));
  g_object_unref (p7);
  g_object_unref (message);
}

static void
test_plain (void)
{
  g_autoptr(MissiveCryptoContext) a = NULL;
  g_autoptr(MissiveOpenedMessage) opened = NULL;
  GMimeMessage *message;

  if (!require_gpg ())
    return;
  a = test_crypto_context_new ("openpgp", home_a);
  message = new_message ();
  opened = open_checked (a, message, FALSE, FALSE);
  g_assert_true (missive_opened_message_get_message (opened) == message);
  g_assert_cmpuint (g_list_model_get_n_items (missive_opened_message_get_signatures (opened)), ==, 0);
  g_object_unref (message);
}

typedef enum
{
  SIGN,
  SIGN_INLINE,
  ENCRYPT,
  ENCRYPT_INLINE,
  SIGN_AND_ENCRYPT,
  SIGN_THEN_ENCRYPT,
  SIGN_THEN_ENCRYPT_INLINE,
} Form;

static GMimeMessage *
protect (MissiveCryptoContext *a,
         GMimeMessage         *message,
         Form                  form)
{
  g_autoptr(GError) error = NULL;
  const char *to[] = { ALICE, NULL };
  GMimeMessage *out = NULL, *inner, *received;

  switch (form)
    {
    case SIGN:
      out = missive_crypto_context_sign (a, message, NULL, 0, NULL, &error);
      break;
    case SIGN_INLINE:
      out = missive_crypto_context_sign (a, message, NULL, MISSIVE_CRYPTO_FLAGS_INLINE, NULL, &error);
      break;
    case ENCRYPT:
      out = missive_crypto_context_encrypt (a, message, to, 0, NULL, &error);
      break;
    case ENCRYPT_INLINE:
      out = missive_crypto_context_encrypt (a, message, to, MISSIVE_CRYPTO_FLAGS_INLINE, NULL, &error);
      break;
    case SIGN_AND_ENCRYPT:
      out = missive_crypto_context_sign_and_encrypt (a, message, NULL, to, 0, NULL, &error);
      break;
    case SIGN_THEN_ENCRYPT:
      /* RFC 3156 section 6.1: a multipart/signed inside the encryption. */
      inner = missive_crypto_context_sign (a, message, NULL, 0, NULL, &error);
      g_assert_no_error (error);
      out = missive_crypto_context_encrypt (a, inner, to, 0, NULL, &error);
      g_object_unref (inner);
      break;
    case SIGN_THEN_ENCRYPT_INLINE:
      /* A clear-signed text inside an armoured one: the signature is
       * found only after decryption. */
      inner = missive_crypto_context_sign (a, message, NULL, MISSIVE_CRYPTO_FLAGS_INLINE, NULL, &error);
      g_assert_no_error (error);
      out = missive_crypto_context_encrypt (a, inner, to, MISSIVE_CRYPTO_FLAGS_INLINE, NULL, &error);
      g_object_unref (inner);
      break;
    }
  g_assert_no_error (error);
  g_assert_nonnull (out);
  received = test_crypto_roundtrip (out);
  g_object_unref (out);
  return received;
}

static void
test_forms (void)
{
  static const struct { Form form; gboolean encrypted, signed_; } cases[] = {
    { SIGN, FALSE, TRUE },
    { SIGN_INLINE, FALSE, TRUE },
    { ENCRYPT, TRUE, FALSE },
    { ENCRYPT_INLINE, TRUE, FALSE },
    { SIGN_AND_ENCRYPT, TRUE, TRUE },
    { SIGN_THEN_ENCRYPT, TRUE, TRUE },
    { SIGN_THEN_ENCRYPT_INLINE, TRUE, TRUE },
  };
  g_autoptr(MissiveCryptoContext) a = NULL;
  GMimeMessage *message;

  if (!require_gpg ())
    return;
  a = test_crypto_context_new ("openpgp", home_a);
  message = new_message ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GMimeMessage *received = protect (a, message, cases[i].form);
      MissiveOpenedMessage *opened;

      g_test_message ("form %u", i);
      opened = open_checked (a, received, cases[i].encrypted, cases[i].signed_);
      g_object_unref (opened);
      g_object_unref (received);
    }
  g_object_unref (message);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_async (void)
{
  g_autoptr(MissiveCryptoContext) a = NULL;
  g_autoptr(GMainContext) main_context = g_main_context_new ();
  g_autoptr(MissiveOpenedMessage) opened = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *text = NULL;
  GMimeMessage *message, *received;

  if (!require_gpg ())
    return;
  a = test_crypto_context_new ("openpgp", home_a);
  message = new_message ();
  received = protect (a, message, SIGN_AND_ENCRYPT);

  g_main_context_push_thread_default (main_context);
  missive_crypto_context_open_message_async (a, received, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (main_context, TRUE);
  g_main_context_pop_thread_default (main_context);
  opened = missive_crypto_context_open_message_finish (a, result, &error);
  g_assert_no_error (error);
  g_assert_true (missive_opened_message_get_verified (opened));
  g_assert_true (missive_opened_message_get_encrypted (opened));
  text = test_crypto_body_text (missive_opened_message_get_message (opened));
  g_assert_cmpstr (text, ==, TEXT);

  g_object_unref (received);
  g_object_unref (message);
}

static void
test_tampered (void)
{
  g_autoptr(MissiveCryptoContext) a = NULL;
  g_autoptr(MissiveOpenedMessage) opened = NULL;
  g_autoptr(MissiveSignature) signature = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GMimeMessage *message, *received, *tampered;
  char *mat;

  if (!require_gpg ())
    return;
  a = test_crypto_context_new ("openpgp", home_a);
  message = new_message ();
  received = protect (a, message, SIGN);
  text = g_mime_object_to_string (GMIME_OBJECT (received), NULL);
  mat = strstr (text, "the mat");
  g_assert_nonnull (mat);
  mat[4] = 'c';   /* "the cat" */
  tampered = test_crypto_reparse (text, -1);

  opened = missive_crypto_context_open_message (a, tampered, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_opened_message_get_signed (opened));
  g_assert_false (missive_opened_message_get_verified (opened));
  signature = signature_at (missive_opened_message_get_signatures (opened), 0);
  g_assert_cmpint (missive_signature_get_status (signature), ==, MISSIVE_SIGNATURE_STATUS_BAD);

  g_object_unref (tampered);
  g_object_unref (received);
  g_object_unref (message);
}

static void
test_errors (void)
{
  g_autoptr(MissiveCryptoContext) a = NULL;
  g_autoptr(MissiveCryptoContext) c = NULL;
  g_autoptr(GError) error = NULL;
  MissiveOpenedMessage *opened;
  GMimeMessage *message, *encrypted, *received;
  GMimePart *p7;
  const char *carol[] = { "carol@example.test", NULL };

  if (!require_gpg ())
    return;
  a = test_crypto_context_new ("openpgp", home_a);
  c = test_crypto_context_new ("openpgp", home_c);
  message = new_message ();

  /* For a key we lack (carol's, home C): alice's context cannot open it. */
  encrypted = missive_crypto_context_encrypt (c, message, carol, 0, NULL, &error);
  g_assert_no_error (error);
  received = test_crypto_roundtrip (encrypted);
  opened = missive_crypto_context_open_message (a, received, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_DECRYPTION_FAILED);
  g_assert_null (opened);
  g_clear_error (&error);
  g_object_unref (received);
  g_object_unref (encrypted);

  /* An S/MIME body given to the OpenPGP backend. */
  p7 = g_mime_part_new_with_type ("application", "pkcs7-mime");
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (p7), "smime-type", "enveloped-data");
  g_mime_message_set_mime_part (message, GMIME_OBJECT (p7));
  opened = missive_crypto_context_open_message (a, message, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE);
  g_assert_null (opened);
  g_clear_error (&error);
  g_mime_object_set_content_type_parameter (GMIME_OBJECT (p7), "smime-type", "signed-data");
  opened = missive_crypto_context_open_message (a, message, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE);
  g_assert_null (opened);
  g_clear_error (&error);

  /* Cancelled before it starts. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    GMimeMessage *signed_message = protect (a, new_message (), SIGN);

    g_cancellable_cancel (cancellable);
    opened = missive_crypto_context_open_message (a, signed_message, cancellable, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (opened);
    g_clear_error (&error);
    g_object_unref (signed_message);
  }

  g_object_unref (p7);
  g_object_unref (message);
}

/* ---- bad input --------------------------------------------------------------- */

static void
replace_text (GMimePart  *part,
              const char *text,
              gsize       length)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (text, length);
  GMimeDataWrapper *wrapper = g_mime_data_wrapper_new_with_stream (stream, GMIME_CONTENT_ENCODING_DEFAULT);

  g_mime_part_set_content (part, wrapper);
  g_object_unref (wrapper);
  g_object_unref (stream);
}

/* Opening @message fails with a MISSIVE_ERROR (any code but FAILED), or
 * gives signatures none of which is good: never a crash. */
static void
open_rejected (MissiveCryptoContext *context,
               GMimeMessage         *message,
               const char           *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveOpenedMessage) opened = missive_crypto_context_open_message (context, message, NULL, &error);

  if (opened != NULL)
    {
      GListModel *signatures = missive_opened_message_get_signatures (opened);

      g_test_message ("%s: opened, %u signature(s)", what, g_list_model_get_n_items (signatures));
      g_assert_cmpuint (g_list_model_get_n_items (signatures), >, 0);
      g_assert_false (missive_opened_message_get_verified (opened));
      return;
    }
  g_assert_nonnull (error);
  g_test_message ("%s: %s", what, error->message);
  g_assert_true (error->domain == MISSIVE_ERROR);
  g_assert_cmpint (error->code, !=, MISSIVE_ERROR_FAILED);
}

static char *
refuse_passphrase (MissiveCryptoContext *context,
                   const char           *key_id,
                   const char           *user_id,
                   gboolean              previous_was_bad,
                   guint                *calls)
{
  (*calls)++;
  return NULL;
}

static void
test_bad_input (void)
{
  g_autoptr(MissiveCryptoContext) a = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GMimeMessage *message, *received, *broken;
  GMimeObject *body, *part;
  MissiveOpenedMessage *opened;
  const char *bob[] = { "bob@example.test", NULL };
  char *cut;
  guint calls = 0;

  if (!require_gpg ())
    return;
  a = test_crypto_context_new ("openpgp", home_a);
  message = new_message ();

  /* PGP/MIME armour cut in half. */
  received = protect (a, message, SIGN_AND_ENCRYPT);
  part = g_mime_multipart_get_part (GMIME_MULTIPART (g_mime_message_get_mime_part (received)), 1);
  {
    g_autoptr(GBytes) armoured = missive_crypto_part_get_content_bytes (GMIME_PART (part));

    replace_text (GMIME_PART (part), g_bytes_get_data (armoured, NULL), g_bytes_get_size (armoured) / 2);
  }
  g_assert_true (missive_crypto_message_is_encrypted (received));
  open_rejected (a, received, "PGP/MIME, truncated armour");
  /* A multipart/encrypted without its version part. */
  g_mime_multipart_remove_at (GMIME_MULTIPART (g_mime_message_get_mime_part (received)), 0);
  open_rejected (a, received, "multipart/encrypted with one part");
  g_object_unref (received);

  /* Inline armour: cut in half, and without its END line. */
  received = protect (a, message, ENCRYPT_INLINE);
  body = g_mime_message_get_mime_part (received);
  text = g_mime_text_part_get_text (GMIME_TEXT_PART (body));
  replace_text (GMIME_PART (body), text, strlen (text) / 2);
  g_assert_true (missive_crypto_message_is_encrypted (received));
  open_rejected (a, received, "inline, truncated armour");
  cut = strstr (text, "-----END PGP MESSAGE-----");
  g_assert_nonnull (cut);
  replace_text (GMIME_PART (body), text, cut - text);
  /* GnuPG reads the armour to its end without the END line: either that
   * gives the whole plaintext, or it is an error. */
  {
    g_autoptr(MissiveOpenedMessage) lenient = missive_crypto_context_open_message (a, received, NULL, &error);

    if (lenient != NULL)
      {
        g_autofree char *plain = test_crypto_body_text (missive_opened_message_get_message (lenient));

        g_assert_cmpstr (plain, ==, TEXT);
        g_assert_true (missive_opened_message_get_encrypted (lenient));
      }
    else
      g_assert_true (error->domain == MISSIVE_ERROR);
    g_clear_error (&error);
  }
  g_clear_pointer (&text, g_free);
  g_object_unref (received);

  /* Clear-signed text: the signature block cut. */
  received = protect (a, message, SIGN_INLINE);
  body = g_mime_message_get_mime_part (received);
  text = g_mime_text_part_get_text (GMIME_TEXT_PART (body));
  cut = strstr (text, "-----BEGIN PGP SIGNATURE-----");
  g_assert_nonnull (cut);
  replace_text (GMIME_PART (body), text, (cut - text) + 40);
  g_assert_true (missive_crypto_message_is_signed (received));
  open_rejected (a, received, "clear-signed, truncated signature");
  g_clear_pointer (&text, g_free);
  g_object_unref (received);

  /* multipart/signed: the signature part garbage, then missing. */
  received = protect (a, message, SIGN);
  part = g_mime_multipart_get_part (GMIME_MULTIPART (g_mime_message_get_mime_part (received)), 1);
  replace_text (GMIME_PART (part), "not a signature\n", 16);
  open_rejected (a, received, "multipart/signed, garbage signature");
  g_mime_multipart_remove_at (GMIME_MULTIPART (g_mime_message_get_mime_part (received)), 1);
  opened = missive_crypto_context_open_message (a, received, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE);
  g_assert_null (opened);
  g_clear_error (&error);
  g_object_unref (received);

  /* A wrong micalg: GnuPG goes by the hash the signature names. */
  received = protect (a, message, SIGN);
  g_mime_object_set_content_type_parameter (g_mime_message_get_mime_part (received), "micalg", "pgp-md5");
  text = g_mime_object_to_string (GMIME_OBJECT (received), NULL);
  broken = test_crypto_reparse (text, -1);
  opened = open_checked (a, broken, FALSE, TRUE);
  g_object_unref (opened);
  g_object_unref (broken);
  g_clear_pointer (&text, g_free);
  g_object_unref (received);

  /* Encrypted to bob, whose key needs a passphrase nobody gives: the
   * handler answers nothing, then there is no handler. */
  {
    GMimeMessage *encrypted = missive_crypto_context_encrypt (a, message, bob, 0, NULL, &error);
    const char *forget[] = { "gpgconf", "--homedir", home_a, "--reload", "gpg-agent", NULL };
    gulong handler;

    g_assert_no_error (error);
    received = test_crypto_roundtrip (encrypted);
    g_object_unref (encrypted);
    g_assert_true (test_crypto_run (forget, NULL));
    handler = g_signal_connect (a, "passphrase-requested", G_CALLBACK (refuse_passphrase), &calls);
    opened = missive_crypto_context_open_message (a, received, NULL, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (opened);
    g_assert_cmpuint (calls, ==, 1);
    g_clear_error (&error);
    g_signal_handler_disconnect (a, handler);
    opened = missive_crypto_context_open_message (a, received, NULL, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (opened);
    g_clear_error (&error);
    g_object_unref (received);
  }

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
      tmpdir = g_dir_make_tmp ("mopen-XXXXXX", NULL);
      g_assert_nonnull (tmpdir);
      home_a = test_crypto_make_home (tmpdir, "a");
      home_c = test_crypto_make_home (tmpdir, "c");
      alice_fpr = test_crypto_generate_key (home_a, "Alice Test <" ALICE ">", "");
      g_free (test_crypto_generate_key (home_c, "Carol Test <carol@example.test>", ""));
      g_free (test_crypto_generate_key (home_a, "Bob Test <bob@example.test>", "bob-pass"));
    }

  g_test_add_func ("/crypto-open/checks", test_checks);
  g_test_add_func ("/crypto-open/plain", test_plain);
  g_test_add_func ("/crypto-open/forms", test_forms);
  g_test_add_func ("/crypto-open/async", test_async);
  g_test_add_func ("/crypto-open/tampered", test_tampered);
  g_test_add_func ("/crypto-open/errors", test_errors);
  g_test_add_func ("/crypto-open/bad-input", test_bad_input);
  status = g_test_run ();

  if (have_gpg)
    {
      const char *rm[] = { "rm", "-rf", tmpdir, NULL };

      test_crypto_stop_agent (home_a);
      test_crypto_stop_agent (home_c);
      test_crypto_run (rm, NULL);
      g_free (home_a);
      g_free (home_c);
      g_free (alice_fpr);
      g_free (tmpdir);
    }
  return status;
}
