/* test-crypto-home.c: throwaway GnuPG homes for the crypto tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "test-crypto-home.h"

gboolean
test_crypto_have_gpg (void)
{
  g_autofree char *gpg = g_find_program_in_path ("gpg");
  g_autofree char *gpgconf = g_find_program_in_path ("gpgconf");

  return gpg != NULL && gpgconf != NULL;
}

gboolean
test_crypto_run (const char * const *argv,
                 char              **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err_text = NULL;
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     out, &err_text, &status, &error))
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

char *
test_crypto_make_home (const char *parent,
                       const char *name)
{
  char *home = g_build_filename (parent, name, NULL);
  g_autofree char *conf = g_build_filename (home, "gpg-agent.conf", NULL);

  g_assert_cmpint (g_mkdir (home, 0700), ==, 0);
  g_assert_true (g_file_set_contents (conf, "allow-loopback-pinentry\n", -1, NULL));
  return home;
}

char *
test_crypto_generate_key (const char *home,
                          const char *uid,
                          const char *passphrase)
{
  const char *gen[] = { "gpg", "--homedir", home, "--batch", "--quiet",
                        "--pinentry-mode", "loopback", "--passphrase", passphrase,
                        "--quick-gen-key", uid, "future-default", "default", "never", NULL };
  const char *list[] = { "gpg", "--homedir", home, "--batch", "--with-colons",
                         "--list-keys", uid, NULL };
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (test_crypto_run (gen, NULL));
  g_assert_true (test_crypto_run (list, &out));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "fpr:"))
      {
        g_auto(GStrv) fields = g_strsplit (lines[i], ":", -1);

        return g_strdup (fields[9]);
      }
  g_assert_not_reached ();
}

void
test_crypto_stop_agent (const char *home)
{
  const char *argv[] = { "gpgconf", "--homedir", home, "--kill", "all", NULL };

  test_crypto_run (argv, NULL);
}

MissiveCryptoContext *
test_crypto_context_new (const char *backend,
                         const char *home)
{
  g_autoptr(GError) error = NULL;
  MissiveCryptoContext *context;

  context = missive_engine_create_crypto_context (missive_engine_get_default (), backend, &error);
  g_assert_no_error (error);
  g_assert_nonnull (context);
  missive_crypto_context_set_home_directory (context, home);
  return context;
}

GMimeMessage *
test_crypto_text_message (const char *from,
                          const char *to,
                          const char *subject,
                          const char *text)
{
  GMimeMessage *message = g_mime_message_new (TRUE);
  GMimeTextPart *body = g_mime_text_part_new_with_subtype ("plain");

  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, NULL, from);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, NULL, to);
  g_mime_message_set_subject (message, subject, "utf-8");
  g_mime_text_part_set_text (body, text);
  g_mime_message_set_mime_part (message, GMIME_OBJECT (body));
  g_object_unref (body);
  return message;
}

GMimeMessage *
test_crypto_reparse (const char *text,
                     gssize      length)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (text, length < 0 ? strlen (text) : (gsize) length);
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

  g_object_unref (parser);
  g_object_unref (stream);
  g_assert_nonnull (message);
  return message;
}

GMimeMessage *
test_crypto_roundtrip (GMimeMessage *message)
{
  g_autofree char *text = g_mime_object_to_string (GMIME_OBJECT (message), NULL);

  return test_crypto_reparse (text, -1);
}

char *
test_crypto_body_text (GMimeMessage *message)
{
  GMimeObject *body = g_mime_message_get_mime_part (message);

  g_assert_true (GMIME_IS_TEXT_PART (body));
  return g_mime_text_part_get_text (GMIME_TEXT_PART (body));
}
