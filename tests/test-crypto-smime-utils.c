/* test-crypto-smime-utils.c: set-up and helpers of test-crypto-smime
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "test-crypto-smime-utils.h"

char *tmp_dir;
char *home_dir;
char *other_dir;
char *empty_dir;
char *certs_dir;

/* ---- helpers ------------------------------------------------------------- */

gboolean
run_command (const char * const *argv,
             char              **out,
             int                *exit_status)
{
  g_autoptr(GError) error = NULL;
  int status = 0;
  gboolean ok;

  ok = g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  if (exit_status != NULL)
    *exit_status = g_spawn_check_wait_status (status, NULL) ? 0 : 1;
  return g_spawn_check_wait_status (status, NULL);
}

void
forget_passphrases (void)
{
  const char *argv[] = { "gpgconf", "--homedir", home_dir, "--reload", "gpg-agent", NULL };

  g_assert_true (run_command (argv, NULL, NULL));
}

char *
cert_file (const char *name)
{
  return g_build_filename (certs_dir, name, NULL);
}

MissiveCryptoContext *
new_context (const char *home)
{
  g_autoptr(GError) error = NULL;
  MissiveCryptoContext *ctx;

  ctx = missive_engine_create_crypto_context (missive_engine_get_default (), "smime", &error);
  g_assert_no_error (error);
  g_assert_nonnull (ctx);
  missive_crypto_context_set_home_directory (ctx, home);
  return ctx;
}

GMimeMessage *
new_message (void)
{
  GMimeMessage *message = g_mime_message_new (TRUE);
  GMimeTextPart *body = g_mime_text_part_new_with_subtype ("plain");

  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, "Alice Test", "alice@example.test");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, "Bob Test", "bob@example.test");
  g_mime_message_set_subject (message, "S/MIME test", NULL);
  g_mime_text_part_set_text (body, BODY_TEXT);
  g_mime_message_set_mime_part (message, GMIME_OBJECT (body));
  g_object_unref (body);
  return message;
}

char *
message_to_string (GMimeMessage *message)
{
  return g_mime_object_to_string (GMIME_OBJECT (message), NULL);
}

/* As a receiver sees it: serialised and parsed again. */
GMimeMessage *
message_from_string (const char *text)
{
  GMimeStream *stream = g_mime_stream_mem_new_with_buffer (text, strlen (text));
  GMimeParser *parser = g_mime_parser_new_with_stream (stream);
  GMimeMessage *message = g_mime_parser_construct_message (parser, NULL);

  g_object_unref (parser);
  g_object_unref (stream);
  g_assert_nonnull (message);
  return message;
}

GMimeMessage *
transmit (GMimeMessage *message)
{
  g_autofree char *text = message_to_string (message);

  return message_from_string (text);
}

char *
body_text (GMimeMessage *message)
{
  GMimeObject *body = g_mime_message_get_mime_part (message);

  g_assert_true (GMIME_IS_TEXT_PART (body));
  return g_mime_text_part_get_text (GMIME_TEXT_PART (body));
}

void
write_file (const char *path,
            const char *data,
            gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
}

/* The decoded content of a leaf part, written by GMime alone. */
GBytes *
part_content (GMimeObject *object)
{
  GMimeDataWrapper *wrapper = g_mime_part_get_content (GMIME_PART (object));
  GMimeStream *stream = g_mime_stream_mem_new ();
  GByteArray *array;
  GBytes *bytes;

  g_mime_data_wrapper_write_to_stream (wrapper, stream);
  array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
  bytes = g_bytes_new (array->data, array->len);
  g_object_unref (stream);
  return bytes;
}

MissiveSignature *
only_signature (GListModel *signatures)
{
  g_assert_nonnull (signatures);
  g_assert_cmpuint (g_list_model_get_n_items (signatures), ==, 1);
  return MISSIVE_SIGNATURE (g_list_model_get_item (signatures, 0));
}

/* The fingerprint of the one certificate whose subject or e-mail holds
 * @pattern (gpgsm's own search also matches issuers). */
char *
fingerprint_of (const char *home,
                const char *pattern)
{
  g_autoptr(MissiveCryptoContext) ctx = new_context (home);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) keys = NULL;
  char *found = NULL;

  keys = missive_crypto_context_list_keys (ctx, pattern, FALSE, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (keys); i++)
    {
      g_autoptr(MissiveCryptoKey) key = g_list_model_get_item (keys, i);
      const char * const *emails = missive_crypto_key_get_emails (key);

      if (strstr (missive_crypto_key_get_user_ids (key)[0], pattern) != NULL ||
          (emails != NULL && g_strv_contains (emails, pattern)))
        {
          g_assert_null (found);
          found = g_strdup (missive_crypto_key_get_fingerprint (key));
        }
    }
  g_assert_nonnull (found);
  return found;
}

/* ---- passphrase handler ---------------------------------------------------- */


char *
on_passphrase (MissiveCryptoContext *ctx,
               const char           *key_id,
               const char           *user_id,
               gboolean              previous_was_bad,
               gpointer              user_data)
{
  Asker *asker = user_data;
  const char *answer;

  g_assert_cmpuint (asker->calls, <, G_N_ELEMENTS (asker->previous_bad));
  asker->previous_bad[asker->calls] = previous_was_bad;
  g_free (asker->key_id);
  asker->key_id = g_strdup (key_id);
  g_free (asker->user_id);
  asker->user_id = g_strdup (user_id);
  answer = asker->answers[MIN (asker->calls, G_N_ELEMENTS (asker->answers) - 1)];
  asker->calls++;
  return g_strdup (answer);
}

void
asker_clear (Asker *asker)
{
  g_clear_pointer (&asker->key_id, g_free);
  g_clear_pointer (&asker->user_id, g_free);
}

/* ---- set-up -------------------------------------------------------------- */

static void
stop_agents (void)
{
  const char *homes[] = { home_dir, other_dir, empty_dir };

  for (gsize i = 0; i < G_N_ELEMENTS (homes); i++)
    {
      const char *argv[] = { "gpgconf", "--homedir", homes[i], "--kill", "all", NULL };

      run_command (argv, NULL, NULL);
    }
}

static gboolean
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;

      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));

          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            remove_tree (child);
          else
            g_file_delete (child, NULL, NULL);
          g_object_unref (info);
        }
    }
  return g_file_delete (file, NULL, NULL);
}

/* Runs crypto-smime-setup.sh into a new temporary directory; FALSE (with
 * a message) when it failed. */
gboolean
smime_test_setup (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;

  /* Short: gpg-agent's socket path must fit in a sockaddr_un. */
  tmp_dir = g_dir_make_tmp ("mv-smime-XXXXXX", &error);
  g_assert_no_error (error);
  home_dir = g_build_filename (tmp_dir, "home", NULL);
  other_dir = g_build_filename (tmp_dir, "other", NULL);
  empty_dir = g_build_filename (tmp_dir, "empty", NULL);
  certs_dir = g_build_filename (tmp_dir, "certs", NULL);
  script = g_test_build_filename (G_TEST_DIST, "crypto-smime-setup.sh", NULL);
  {
    const char *setup[] = { "bash", script, tmp_dir, NULL };
    g_autofree char *out = NULL;
    int wait_status = 0;

    /* Its stderr goes to ours; its stdout must stay out of the TAP. */
    if (!g_spawn_sync (NULL, (char **) setup, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                       &out, NULL, &wait_status, &error) ||
        !g_spawn_check_wait_status (wait_status, &error))
      {
        g_printerr ("crypto-smime-setup.sh failed: %s\n", error->message);
        stop_agents ();
        return FALSE;
      }
  }
  return TRUE;
}

/* Stops the gpg-agents and removes the temporary directory. */
void
smime_test_teardown (void)
{
  g_autoptr(GFile) tmp = NULL;

  stop_agents ();
  tmp = g_file_new_for_path (tmp_dir);
  remove_tree (tmp);
  g_free (tmp_dir);
  g_free (home_dir);
  g_free (other_dir);
  g_free (empty_dir);
  g_free (certs_dir);
}
