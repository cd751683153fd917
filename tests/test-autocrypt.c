/* test-autocrypt.c: Autocrypt Level 1 headers: parsing (malformed ones
 * included), formatting, the rules for a message's Autocrypt and
 * Autocrypt-Gossip headers, and the header made from a key of a throwaway
 * GnuPG home (checked by importing it into an empty one)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "test-crypto-home.h"

#define ALICE "alice@example.test"

static char *tmpdir, *home_a, *home_e, *alice_fpr;
static gboolean have_gpg;

/* Stand-in key bytes for the parsing tests (not a real key). */
static GBytes *
fake_key (gsize length)
{
  guint8 *data = g_malloc (length);

  for (gsize i = 0; i < length; i++)
    data[i] = (guint8) (i * 7 + 3);
  return g_bytes_new_take (data, length);
}

static char *
value_with (const char *before_keydata,
            GBytes     *key)
{
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (key, NULL), g_bytes_get_size (key));

  return g_strdup_printf ("%skeydata=%s", before_keydata, base64);
}

static void
test_parse (void)
{
  g_autoptr(GBytes) key = fake_key (300);
  g_autoptr(GError) error = NULL;
  MissiveAutocryptHeader *header;
  char *value;

  value = value_with ("addr=" ALICE "; prefer-encrypt=mutual; ", key);
  header = missive_autocrypt_header_parse (value, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (missive_autocrypt_header_get_addr (header), ==, ALICE);
  g_assert_true (missive_autocrypt_header_get_prefer_encrypt (header));
  g_assert_true (g_bytes_equal (missive_autocrypt_header_get_key_data (header), key));
  g_object_unref (header);
  g_free (value);

  /* Non-critical attributes (a leading "_") are ignored; another
   * prefer-encrypt value means no preference; folding whitespace inside
   * the base64 is fine. */
  {
    g_autofree char *base64 = g_base64_encode (g_bytes_get_data (key, NULL), g_bytes_get_size (key));
    g_autofree char *folded = g_strdup_printf ("_comment=hello;addr=%s;\r\n prefer-encrypt=nopreference;"
                                               " keydata=%.40s\r\n %s", ALICE, base64, base64 + 40);

    header = missive_autocrypt_header_parse (folded, &error);
    g_assert_no_error (error);
    g_assert_false (missive_autocrypt_header_get_prefer_encrypt (header));
    g_assert_true (g_bytes_equal (missive_autocrypt_header_get_key_data (header), key));
    g_object_unref (header);
  }
}

static void
test_malformed (void)
{
  g_autoptr(GBytes) key = fake_key (64);
  g_autofree char *base64 = g_base64_encode (g_bytes_get_data (key, NULL), g_bytes_get_size (key));
  const char *bad[] = {
    "addr=" ALICE "; type=2; keydata=%s",                 /* unknown critical attribute */
    "addr=" ALICE "; keydata=%s; keydata=%s",             /* repeated */
    "prefer-encrypt=mutual; keydata=%s",                  /* no addr */
    "addr=; keydata=%s",                                  /* empty addr */
    "addr=not-an-address; keydata=%s",                    /* not an address */
    "addr=" ALICE,                                        /* no keydata */
    "addr=" ALICE "; keydata=",                           /* empty keydata */
    "addr=" ALICE "; keydata=%s!!",                       /* bad base64 */
    "addr=" ALICE "; keydata=QUJD=A==",                   /* padding inside */
    "addr=" ALICE "; keydata=QUJ",                        /* truncated */
    "addr=" ALICE "; keydata",                            /* no value */
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) pieces = g_strsplit (bad[i], "%s", -1);
      g_autofree char *value = g_strjoinv (base64, pieces);
      MissiveAutocryptHeader *header = missive_autocrypt_header_parse (value, &error);

      g_test_message ("%u: %s", i, error != NULL ? error->message : "(parsed)");
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE);
      g_assert_null (header);
    }
}

static GMimeMessage *
message_with_headers (const char * const *names,
                      const char * const *values)
{
  GMimeMessage *message = test_crypto_text_message (ALICE, "bob@example.test", "Autocrypt", "hi\n");
  GMimeMessage *received;

  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_CC, NULL, "carol@example.test");
  /* As another mailer writes them: GMime's setters would encode a long
   * value (RFC 2047), so the raw value is set. */
  for (guint i = 0; names[i] != NULL; i++)
    {
      GMimeHeaderList *headers = g_mime_object_get_header_list (GMIME_OBJECT (message));
      g_autofree char *raw = g_strdup_printf (" %s\n", values[i]);

      g_mime_object_append_header (GMIME_OBJECT (message), names[i], "-", NULL);
      g_mime_header_set_raw_value (g_mime_header_list_get_header_at (headers,
                                                                      g_mime_header_list_get_count (headers) - 1),
                                   raw);
    }
  received = test_crypto_roundtrip (message);
  g_object_unref (message);
  return received;
}

static void
test_format (void)
{
  g_autoptr(GBytes) key = fake_key (1500);
  g_autoptr(MissiveAutocryptHeader) header = missive_autocrypt_header_new (ALICE, TRUE, key);
  g_autoptr(MissiveAutocryptHeader) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = missive_autocrypt_header_to_string (header);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  const char *names[] = { "Autocrypt", NULL };
  const char *values[] = { value, NULL };
  GMimeMessage *received;

  g_assert_true (g_str_has_prefix (value, "addr=" ALICE "; prefer-encrypt=mutual; keydata=\n "));
  /* Folded: every line of the written header fits in 78 characters. */
  {
    GMimeMessage *message = message_with_headers (names, values);

    /* Replaces the one added as GMime encodes it; gossip is appended. */
    missive_autocrypt_header_add_to_message (header, message, FALSE);
    missive_autocrypt_header_add_to_message (header, message, TRUE);
    g_assert_cmpint (g_mime_header_list_get_count (g_mime_object_get_header_list (GMIME_OBJECT (message))), >, 0);
    received = test_crypto_roundtrip (message);
    g_object_unref (message);
  }
  text = g_mime_object_to_string (GMIME_OBJECT (received), NULL);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpuint (strlen (lines[i]), <=, 78);
  g_assert_nonnull (strstr (text, "Autocrypt: addr=" ALICE "; prefer-encrypt=mutual; keydata=\n "));

  parsed = missive_autocrypt_header_new_from_message (received, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (missive_autocrypt_header_get_addr (parsed), ==, ALICE);
  g_assert_true (missive_autocrypt_header_get_prefer_encrypt (parsed));
  g_assert_true (g_bytes_equal (missive_autocrypt_header_get_key_data (parsed), key));
  g_assert_nonnull (strstr (text, "Autocrypt-Gossip: addr=" ALICE "; prefer-encrypt=mutual; keydata=\n "));
  g_object_unref (received);
}

static void
test_from_message (void)
{
  g_autoptr(GBytes) key = fake_key (100);
  g_autofree char *alice = value_with ("addr=" ALICE "; ", key);
  g_autofree char *alice_upper = value_with ("addr=ALICE@Example.Test; ", key);
  g_autofree char *mallory = value_with ("addr=mallory@example.test; ", key);
  g_autofree char *critical = value_with ("addr=" ALICE "; future=1; ", key);
  g_autoptr(GError) error = NULL;
  MissiveAutocryptHeader *header;
  GMimeMessage *message;

  /* An invalid header and one for another address do not count. */
  {
    const char *names[] = { "Autocrypt", "Autocrypt", "Autocrypt", NULL };
    const char *values[] = { critical, mallory, alice_upper, NULL };

    message = message_with_headers (names, values);
    header = missive_autocrypt_header_new_from_message (message, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (missive_autocrypt_header_get_addr (header), ==, "ALICE@Example.Test");
    g_object_unref (header);
    g_object_unref (message);
  }
  /* Two valid ones: none. */
  {
    const char *names[] = { "Autocrypt", "Autocrypt", NULL };
    const char *values[] = { alice, alice, NULL };

    message = message_with_headers (names, values);
    header = missive_autocrypt_header_new_from_message (message, &error);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE);
    g_assert_null (header);
    g_clear_error (&error);
    g_object_unref (message);
  }
  /* Only one for another address, or only an invalid one: none. */
  {
    const char *names[] = { "Autocrypt", "Autocrypt", NULL };
    const char *values[] = { mallory, critical, NULL };

    message = message_with_headers (names, values);
    header = missive_autocrypt_header_new_from_message (message, &error);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE);
    g_assert_null (header);
    g_clear_error (&error);
    g_object_unref (message);
  }
}

static void
test_gossip (void)
{
  g_autoptr(GBytes) key = fake_key (100);
  g_autofree char *bob = value_with ("addr=bob@example.test; ", key);
  g_autofree char *carol = value_with ("addr=carol@example.test; prefer-encrypt=mutual; ", key);
  g_autofree char *mallory = value_with ("addr=mallory@example.test; ", key);
  g_autofree char *broken = g_strdup ("addr=bob@example.test; keydata=@@@");
  const char *names[] = { "Autocrypt-Gossip", "Autocrypt-Gossip", "Autocrypt-Gossip",
                          "Autocrypt-Gossip", NULL };
  const char *values[] = { bob, mallory, broken, carol, NULL };
  g_autoptr(GListModel) gossip = NULL;
  g_autoptr(MissiveAutocryptHeader) first = NULL, second = NULL;
  GMimeMessage *message;

  message = message_with_headers (names, values);
  gossip = missive_autocrypt_header_list_gossip (message);
  g_assert_cmpuint (g_list_model_get_n_items (gossip), ==, 2);
  first = g_list_model_get_item (gossip, 0);
  second = g_list_model_get_item (gossip, 1);
  g_assert_cmpstr (missive_autocrypt_header_get_addr (first), ==, "bob@example.test");
  g_assert_cmpstr (missive_autocrypt_header_get_addr (second), ==, "carol@example.test");
  g_assert_true (missive_autocrypt_header_get_prefer_encrypt (second));
  g_object_unref (message);
}

/* ---- the header from a real key ------------------------------------------------ */

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_generate (void)
{
  g_autoptr(MissiveCryptoContext) a = NULL, e = NULL, smime = NULL;
  g_autoptr(MissiveAutocryptHeader) header = NULL, parsed = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) imported = NULL;
  g_autofree char *value = NULL, *sigs = NULL;
  const guint8 *data;
  MissiveAutocryptHeader *none;

  if (!have_gpg)
    {
      g_test_skip ("gpg or gpgconf is not installed");
      return;
    }
  a = test_crypto_context_new ("openpgp", home_a);
  missive_crypto_context_set_armor (a, TRUE);   /* the export is dearmoured */
  missive_crypto_context_get_autocrypt_header_async (a, ALICE, TRUE, NULL, on_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  header = missive_crypto_context_get_autocrypt_header_finish (a, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (missive_autocrypt_header_get_addr (header), ==, ALICE);
  g_assert_true (missive_autocrypt_header_get_prefer_encrypt (header));
  /* Binary: the first packet is the public key (tag 6, either format). */
  data = g_bytes_get_data (missive_autocrypt_header_get_key_data (header), NULL);
  g_assert_true (data[0] == 0x99 || data[0] == 0x98 || data[0] == 0xc6);

  /* The value parses back to the same key. */
  value = missive_autocrypt_header_to_string (header);
  parsed = missive_autocrypt_header_parse (value, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (missive_autocrypt_header_get_key_data (parsed),
                                missive_autocrypt_header_get_key_data (header)));

  /* Imported into an empty home: alice's key, with the one user id of the
   * address and only her own signatures (not the other user id, not the
   * certification by the other key). */
  e = test_crypto_context_new ("openpgp", home_e);
  imported = missive_crypto_context_import_keys (e, missive_autocrypt_header_get_key_data (parsed),
                                                 NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (imported), ==, 1);
  g_assert_cmpstr (imported[0], ==, alice_fpr);
  {
    const char *argv[] = { "gpg", "--homedir", home_e, "--batch", "--with-colons",
                           "--list-sigs", alice_fpr, NULL };

    g_assert_true (test_crypto_run (argv, &sigs));
  }
  g_assert_nonnull (strstr (sigs, "Alice Test <" ALICE ">"));
  g_assert_null (strstr (sigs, "alice@work.test"));
  g_assert_null (strstr (sigs, "Other Signer"));
  g_assert_nonnull (strstr (sigs, "\nsub:"));
  {
    g_auto(GStrv) lines = g_strsplit (sigs, "\n", -1);
    g_autofree char *own_id = g_strdup (alice_fpr + 24);

    for (guint i = 0; lines[i] != NULL; i++)
      if (g_str_has_prefix (lines[i], "sig:"))
        {
          g_auto(GStrv) fields = g_strsplit (lines[i], ":", -1);

          g_assert_cmpstr (fields[4], ==, own_id);
        }
  }

  /* No key for the address; not an OpenPGP context. */
  none = missive_crypto_context_get_autocrypt_header (a, "nobody@example.test", FALSE, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_null (none);
  g_clear_error (&error);
  none = missive_crypto_context_get_autocrypt_header (a, "not an address", FALSE, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_null (none);
  g_clear_error (&error);
  smime = test_crypto_context_new ("smime", home_e);
  none = missive_crypto_context_get_autocrypt_header (smime, ALICE, FALSE, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_assert_null (none);
}

static void
setup_home (void)
{
  g_autofree char *other_fpr = NULL;

  tmpdir = g_dir_make_tmp ("mac-XXXXXX", NULL);
  g_assert_nonnull (tmpdir);
  home_a = test_crypto_make_home (tmpdir, "a");
  home_e = test_crypto_make_home (tmpdir, "e");
  alice_fpr = test_crypto_generate_key (home_a, "Alice Test <" ALICE ">", "");
  other_fpr = test_crypto_generate_key (home_a, "Other Signer <other@example.test>", "");
  {
    /* A second user id for another address, and a certification of
     * alice's key by the other key: neither belongs in the header. */
    const char *add_uid[] = { "gpg", "--homedir", home_a, "--batch", "--quiet", "--quick-add-uid",
                              alice_fpr, "Alice Work <alice@work.test>", NULL };
    const char *sign[] = { "gpg", "--homedir", home_a, "--batch", "--quiet", "--yes",
                           "--default-key", other_fpr, "--quick-sign-key", alice_fpr, NULL };

    g_assert_true (test_crypto_run (add_uid, NULL));
    g_assert_true (test_crypto_run (sign, NULL));
  }
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
    setup_home ();

  g_test_add_func ("/autocrypt/parse", test_parse);
  g_test_add_func ("/autocrypt/malformed", test_malformed);
  g_test_add_func ("/autocrypt/format", test_format);
  g_test_add_func ("/autocrypt/from-message", test_from_message);
  g_test_add_func ("/autocrypt/gossip", test_gossip);
  g_test_add_func ("/autocrypt/generate", test_generate);
  status = g_test_run ();

  if (have_gpg)
    {
      const char *rm[] = { "rm", "-rf", tmpdir, NULL };

      test_crypto_stop_agent (home_a);
      test_crypto_stop_agent (home_e);
      test_crypto_run (rm, NULL);
      g_free (home_a);
      g_free (home_e);
      g_free (alice_fpr);
      g_free (tmpdir);
    }
  return status;
}
