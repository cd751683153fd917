/* test-downloader.c: MissiveDownloader on POP3 fake servers
 *
 * Two syncs (the second fetches only what is new), deleting after N days
 * (from a hand-written state file and with the clock set ahead), the
 * maildir delivery, an interrupted download, a bad state file, and a
 * server without UIDL.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <missive/missive.h>

#include "test-utils.h"

#define GREETING    MT_SEND ("+OK POP3 ready\r\n")
#define CAPA_STEPS  MT_EXPECT ("CAPA"), \
                    MT_SEND ("+OK\r\nTOP\r\nUIDL\r\nUSER\r\n.\r\n")
#define LOGIN_STEPS GREETING, CAPA_STEPS, \
                    MT_EXPECT ("USER user"), MT_SEND ("+OK\r\n"), \
                    MT_EXPECT ("PASS secret"), MT_SEND ("+OK Logged in.\r\n"), \
                    CAPA_STEPS
#define QUIT_STEPS  MT_EXPECT ("QUIT"), MT_SEND ("+OK Bye\r\n"), MT_WAIT_CLOSE, MT_END

#define MESSAGE_A "Subject: a\r\n\r\nfirst\r\n"
#define MESSAGE_B "Subject: b\r\n\r\n..dotted\r\n"
#define MESSAGE_C "Subject: c\r\n\r\nthird\r\n"

typedef struct
{
  GPtrArray *ids;       /* char * */
  GPtrArray *messages;  /* GBytes, or GFile in maildir mode */
} Downloaded;

static void
on_downloaded (MissiveDownloader *downloader,
               const char        *id,
               GFile             *file,
               GBytes            *message,
               Downloaded        *got)
{
  g_assert_true ((file == NULL) != (message == NULL));
  g_ptr_array_add (got->ids, g_strdup (id));
  if (file != NULL)
    g_ptr_array_add (got->messages, g_object_ref (file));
  else
    g_ptr_array_add (got->messages, g_bytes_ref (message));
}

static void
downloaded_init (Downloaded *got,
                 gboolean    files)
{
  got->ids = g_ptr_array_new_with_free_func (g_free);
  got->messages = g_ptr_array_new_with_free_func (files ? g_object_unref
                                                        : (GDestroyNotify) g_bytes_unref);
}

static void
downloaded_clear (Downloaded *got)
{
  g_ptr_array_unref (got->ids);
  g_ptr_array_unref (got->messages);
}

static void
assert_bytes (GBytes     *bytes,
              const char *expected)
{
  gsize n;
  const char *data = g_bytes_get_data (bytes, &n);

  g_assert_cmpmem (data, n, expected, strlen (expected));
}

static MissiveStore *
make_store (MissiveTestServer *server)
{
  g_autofree char *uri = g_strdup_printf ("pop3://127.0.0.1:%u?security=none",
                                          missive_test_server_get_port (server));
  g_autoptr(GError) error = NULL;
  MissiveService *service;

  service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  missive_service_set_username (service, "user");
  missive_service_set_password (service, "secret");
  missive_service_set_allow_plaintext_auth (service, TRUE);
  missive_service_set_timeout (service, 20);
  return MISSIVE_STORE (service);
}

typedef struct
{
  guint n_new, n_deleted, n_kept;
} Counts;

/* One sync against @script; the store is opened by the downloader and
 * closed (QUIT) here. */
static void
run_sync (const MissiveTestStep *script,
          const char            *state_file,
          const char            *directory,
          guint                  days,
          GDateTime             *now,
          Downloaded            *got,
          Counts                *counts,
          GError               **sync_error)
{
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = make_store (server);
  g_autoptr(MissiveDownloader) downloader = missive_downloader_new (store, state_file);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  missive_downloader_set_download_directory (downloader, directory);
  missive_downloader_set_delete_after_days (downloader, days);
  missive_downloader_set_current_time (downloader, now);
  g_assert_true (missive_downloader_get_store (downloader) == store);
  g_assert_cmpstr (missive_downloader_get_state_file (downloader), ==, state_file);
  g_signal_connect (downloader, "message-downloaded", G_CALLBACK (on_downloaded), got);

  ok = missive_downloader_sync (downloader, &counts->n_new, &counts->n_deleted, &counts->n_kept,
                                NULL, sync_error);
  g_assert_true (ok == (sync_error == NULL || *sync_error == NULL));
  if (ok)
    {
      g_assert_true (missive_service_close (MISSIVE_SERVICE (store), NULL, &error));
      g_assert_no_error (error);
    }
  else
    missive_service_close (MISSIVE_SERVICE (store), NULL, NULL);
  missive_test_server_finish (server, &error);
  g_assert_no_error (error);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  return text;
}

/* The state file's ids, in order. */
static char *
state_ids (const char *path)
{
  g_autofree char *text = read_file (path);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GString) ids = g_string_new (NULL);

  g_assert_true (g_str_has_prefix (text, "# Missive downloader state 1\n"));
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      const char *space = strchr (lines[i], ' ');

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      g_assert_nonnull (space);
      if (ids->len > 0)
        g_string_append_c (ids, ',');
      g_string_append (ids, space + 1);
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* Run 1 downloads a and b; run 2 finds c new and fetches only c; run 3
 * (a gone from the server) forgets a, and with the clock ten days ahead
 * and delete-after-days 5 deletes b and c. */
static void
test_two_runs (void)
{
  const MissiveTestStep first[] = {
    LOGIN_STEPS,
    MT_EXPECT ("STAT"), MT_SEND ("+OK 2 60\r\n"),
    MT_EXPECT ("LIST"), MT_SEND ("+OK\r\n1 30\r\n2 30\r\n.\r\n"),
    MT_EXPECT ("UIDL"), MT_SEND ("+OK\r\n1 uid-a\r\n2 uid-b\r\n.\r\n"),
    MT_EXPECT ("RETR 1"), MT_SEND ("+OK\r\n" MESSAGE_A ".\r\n"),
    MT_EXPECT ("RETR 2"), MT_SEND ("+OK\r\n" "Subject: b\r\n\r\n...dotted\r\n" ".\r\n"),
    QUIT_STEPS,
  };
  const MissiveTestStep second[] = {
    LOGIN_STEPS,
    MT_EXPECT ("STAT"), MT_SEND ("+OK 3 90\r\n"),
    MT_EXPECT ("LIST"), MT_SEND ("+OK\r\n1 30\r\n2 30\r\n3 30\r\n.\r\n"),
    MT_EXPECT ("UIDL"), MT_SEND ("+OK\r\n1 uid-a\r\n2 uid-b\r\n3 uid-c\r\n.\r\n"),
    MT_EXPECT ("RETR 3"), MT_SEND ("+OK\r\n" MESSAGE_C ".\r\n"),
    QUIT_STEPS,
  };
  const MissiveTestStep third[] = {
    LOGIN_STEPS,
    MT_EXPECT ("STAT"), MT_SEND ("+OK 2 60\r\n"),
    MT_EXPECT ("LIST"), MT_SEND ("+OK\r\n1 30\r\n2 30\r\n.\r\n"),
    MT_EXPECT ("UIDL"), MT_SEND ("+OK\r\n1 uid-b\r\n2 uid-c\r\n.\r\n"),
    MT_EXPECT ("DELE 1"), MT_SEND ("+OK\r\n"),
    MT_EXPECT ("DELE 2"), MT_SEND ("+OK\r\n"),
    QUIT_STEPS,
  };
  g_autofree char *dir = g_dir_make_tmp ("missive-downloader-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_days (now, 10);
  g_autofree char *ids = NULL;
  Downloaded got;
  Counts counts = { 0 };
  g_autoptr(GError) error = NULL;

  downloaded_init (&got, FALSE);
  run_sync (first, state, NULL, 0, NULL, &got, &counts, &error);
  g_assert_cmpuint (counts.n_new, ==, 2);
  g_assert_cmpuint (counts.n_deleted, ==, 0);
  g_assert_cmpuint (counts.n_kept, ==, 2);
  g_assert_cmpuint (got.ids->len, ==, 2);
  g_assert_cmpstr (got.ids->pdata[0], ==, "uid-a");
  g_assert_cmpstr (got.ids->pdata[1], ==, "uid-b");
  assert_bytes (got.messages->pdata[0], MESSAGE_A);
  assert_bytes (got.messages->pdata[1], MESSAGE_B);
  ids = state_ids (state);
  g_assert_cmpstr (ids, ==, "uid-a,uid-b");
  g_clear_pointer (&ids, g_free);
  downloaded_clear (&got);

  downloaded_init (&got, FALSE);
  run_sync (second, state, NULL, 5, NULL, &got, &counts, &error);
  g_assert_cmpuint (counts.n_new, ==, 1);
  g_assert_cmpuint (counts.n_deleted, ==, 0);
  g_assert_cmpuint (counts.n_kept, ==, 3);
  g_assert_cmpuint (got.ids->len, ==, 1);
  g_assert_cmpstr (got.ids->pdata[0], ==, "uid-c");
  assert_bytes (got.messages->pdata[0], MESSAGE_C);
  ids = state_ids (state);
  g_assert_cmpstr (ids, ==, "uid-a,uid-b,uid-c");
  g_clear_pointer (&ids, g_free);
  downloaded_clear (&got);

  downloaded_init (&got, FALSE);
  run_sync (third, state, NULL, 5, later, &got, &counts, &error);
  g_assert_cmpuint (counts.n_new, ==, 0);
  g_assert_cmpuint (counts.n_deleted, ==, 2);
  g_assert_cmpuint (counts.n_kept, ==, 0);
  g_assert_cmpuint (got.ids->len, ==, 0);
  /* Deleted ones stay recorded until the server no longer lists them
   * (a POP3 session that drops deletes nothing). */
  ids = state_ids (state);
  g_assert_cmpstr (ids, ==, "uid-b,uid-c");
  downloaded_clear (&got);

  g_unlink (state);
  g_rmdir (dir);
}

/* Only the messages downloaded more than N days ago go: the state file
 * is written by hand with one old and one recent time. */
static void
test_delete_old_only (void)
{
  const MissiveTestStep script[] = {
    LOGIN_STEPS,
    MT_EXPECT ("STAT"), MT_SEND ("+OK 3 90\r\n"),
    MT_EXPECT ("LIST"), MT_SEND ("+OK\r\n1 30\r\n2 30\r\n3 30\r\n.\r\n"),
    MT_EXPECT ("UIDL"), MT_SEND ("+OK\r\n1 old\r\n2 recent\r\n3 new\r\n.\r\n"),
    MT_EXPECT ("RETR 3"), MT_SEND ("+OK\r\n" MESSAGE_C ".\r\n"),
    MT_EXPECT ("DELE 1"), MT_SEND ("+OK\r\n"),
    QUIT_STEPS,
  };
  g_autofree char *dir = g_dir_make_tmp ("missive-downloader-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *text = g_strdup_printf ("# a comment\n\n%" G_GINT64_FORMAT " old\n"
                                           "%" G_GINT64_FORMAT " recent\n"
                                           "%" G_GINT64_FORMAT " gone-from-server\n",
                                           now - 8 * 86400, now - 6 * 86400, now - 30 * 86400);
  g_autofree char *ids = NULL;
  Downloaded got;
  Counts counts = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (state, text, -1, &error));
  downloaded_init (&got, FALSE);
  run_sync (script, state, NULL, 7, NULL, &got, &counts, &error);
  g_assert_cmpuint (counts.n_new, ==, 1);
  g_assert_cmpuint (counts.n_deleted, ==, 1);
  g_assert_cmpuint (counts.n_kept, ==, 2);
  ids = state_ids (state);
  g_assert_cmpstr (ids, ==, "new,old,recent");
  downloaded_clear (&got);
  g_unlink (state);
  g_rmdir (dir);
}

static guint
count_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
remove_maildir (const char *dir)
{
  const char *subdirs[] = { "tmp", "new", "cur" };

  for (gsize i = 0; i < G_N_ELEMENTS (subdirs); i++)
    {
      g_autofree char *path = g_build_filename (dir, subdirs[i], NULL);
      g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *file = g_build_filename (path, name, NULL);

          g_unlink (file);
        }
      g_rmdir (path);
    }
}

/* The maildir: each message in new/, nothing left in tmp/. */
static void
test_maildir (void)
{
  const MissiveTestStep script[] = {
    LOGIN_STEPS,
    MT_EXPECT ("STAT"), MT_SEND ("+OK 2 60\r\n"),
    MT_EXPECT ("LIST"), MT_SEND ("+OK\r\n1 30\r\n2 30\r\n.\r\n"),
    MT_EXPECT ("UIDL"), MT_SEND ("+OK\r\n1 uid-a\r\n2 uid-b\r\n.\r\n"),
    MT_EXPECT ("RETR 1"), MT_SEND ("+OK\r\n" MESSAGE_A ".\r\n"),
    MT_EXPECT ("RETR 2"), MT_SEND ("+OK\r\n" "Subject: b\r\n\r\n...dotted\r\n" ".\r\n"),
    QUIT_STEPS,
  };
  g_autofree char *dir = g_dir_make_tmp ("missive-downloader-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autofree char *maildir = g_build_filename (dir, "Mail", NULL);
  g_autofree char *new_dir = g_build_filename (maildir, "new", NULL);
  g_autofree char *tmp_dir = g_build_filename (maildir, "tmp", NULL);
  g_autofree char *cur_dir = g_build_filename (maildir, "cur", NULL);
  Downloaded got;
  Counts counts = { 0 };
  g_autoptr(GError) error = NULL;

  downloaded_init (&got, TRUE);
  run_sync (script, state, maildir, 0, NULL, &got, &counts, &error);
  g_assert_cmpuint (counts.n_new, ==, 2);
  g_assert_cmpuint (got.messages->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_file_get_path (got.messages->pdata[i]);
      g_autofree char *parent = g_path_get_dirname (path);
      g_autofree char *contents = read_file (path);

      g_assert_cmpstr (parent, ==, new_dir);
      g_assert_cmpstr (contents, ==, i == 0 ? MESSAGE_A : MESSAGE_B);
    }
  g_assert_false (g_file_equal (got.messages->pdata[0], got.messages->pdata[1]));
  g_assert_cmpuint (count_files (new_dir), ==, 2);
  g_assert_cmpuint (count_files (tmp_dir), ==, 0);
  g_assert_cmpuint (count_files (cur_dir), ==, 0);
  downloaded_clear (&got);
  remove_maildir (maildir);
  g_rmdir (maildir);
  g_unlink (state);
  g_rmdir (dir);
}

/* The connection drops in the middle of the second message: the error
 * comes back, the first message is recorded, no partial file is left,
 * and the next sync fetches the second one only. */
static void
test_interrupted (void)
{
  const MissiveTestStep broken[] = {
    LOGIN_STEPS,
    MT_EXPECT ("STAT"), MT_SEND ("+OK 2 60\r\n"),
    MT_EXPECT ("LIST"), MT_SEND ("+OK\r\n1 30\r\n2 30\r\n.\r\n"),
    MT_EXPECT ("UIDL"), MT_SEND ("+OK\r\n1 uid-a\r\n2 uid-b\r\n.\r\n"),
    MT_EXPECT ("RETR 1"), MT_SEND ("+OK\r\n" MESSAGE_A ".\r\n"),
    MT_EXPECT ("RETR 2"), MT_SEND ("+OK\r\nSubject: b\r\n\r\nhalf a mess"),
    MT_CLOSE,
    MT_END,
  };
  const MissiveTestStep again[] = {
    LOGIN_STEPS,
    MT_EXPECT ("STAT"), MT_SEND ("+OK 2 60\r\n"),
    MT_EXPECT ("LIST"), MT_SEND ("+OK\r\n1 30\r\n2 30\r\n.\r\n"),
    MT_EXPECT ("UIDL"), MT_SEND ("+OK\r\n1 uid-a\r\n2 uid-b\r\n.\r\n"),
    MT_EXPECT ("RETR 2"), MT_SEND ("+OK\r\n" MESSAGE_B ".\r\n"),
    QUIT_STEPS,
  };
  g_autofree char *dir = g_dir_make_tmp ("missive-downloader-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autofree char *maildir = g_build_filename (dir, "Mail", NULL);
  g_autofree char *new_dir = g_build_filename (maildir, "new", NULL);
  g_autofree char *tmp_dir = g_build_filename (maildir, "tmp", NULL);
  g_autofree char *ids = NULL;
  Downloaded got;
  Counts counts = { 0 };
  g_autoptr(GError) error = NULL;

  downloaded_init (&got, TRUE);
  run_sync (broken, state, maildir, 0, NULL, &got, &counts, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_clear_error (&error);
  g_assert_cmpuint (got.ids->len, ==, 1);
  ids = state_ids (state);
  g_assert_cmpstr (ids, ==, "uid-a");
  g_clear_pointer (&ids, g_free);
  g_assert_cmpuint (count_files (new_dir), ==, 1);
  g_assert_cmpuint (count_files (tmp_dir), ==, 0);
  downloaded_clear (&got);

  downloaded_init (&got, TRUE);
  run_sync (again, state, maildir, 0, NULL, &got, &counts, &error);
  g_assert_cmpuint (counts.n_new, ==, 1);
  g_assert_cmpuint (got.ids->len, ==, 1);
  g_assert_cmpstr (got.ids->pdata[0], ==, "uid-b");
  g_assert_cmpuint (count_files (new_dir), ==, 2);
  ids = state_ids (state);
  g_assert_cmpstr (ids, ==, "uid-a,uid-b");
  downloaded_clear (&got);

  remove_maildir (maildir);
  g_rmdir (maildir);
  g_unlink (state);
  g_rmdir (dir);
}

/* A state file that cannot be read: an error before anything is sent,
 * and the file is left alone. */
static void
test_bad_state (void)
{
  const char *bad[] = {
    "123\n",
    "abc def\n",
    "-5 x\n",
    "12 has space\n",
    "99999999999999999999999 x\n",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *dir = g_dir_make_tmp ("missive-downloader-XXXXXX", NULL);
      g_autofree char *state = g_build_filename (dir, "state", NULL);
      g_autofree char *text = g_strconcat ("1 ok\n", bad[i], NULL);
      g_autofree char *after = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(MissiveService) service = NULL;
      g_autoptr(MissiveDownloader) downloader = NULL;

      g_test_message ("%s", bad[i]);
      g_assert_true (g_file_set_contents (state, text, -1, &error));
      /* Never connected: port 9 on the loopback. */
      service = missive_engine_create_service (missive_engine_get_default (),
                                               "pop3://127.0.0.1:9?security=none", &error);
      g_assert_no_error (error);
      downloader = missive_downloader_new (MISSIVE_STORE (service), state);
      g_assert_false (missive_downloader_sync (downloader, NULL, NULL, NULL, NULL, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_nonnull (strstr (error->message, "Line 2"));
      g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
      after = read_file (state);
      g_assert_cmpstr (after, ==, text);
      g_unlink (state);
      g_rmdir (dir);
    }
}

/* A server without UIDL: the downloader cannot tell messages apart. */
static void
test_no_uidl (void)
{
  const MissiveTestStep script[] = {
    GREETING,
    MT_EXPECT ("CAPA"), MT_SEND ("-ERR no CAPA\r\n"),
    MT_EXPECT ("USER user"), MT_SEND ("+OK\r\n"),
    MT_EXPECT ("PASS secret"), MT_SEND ("+OK\r\n"),
    MT_EXPECT ("CAPA"), MT_SEND ("-ERR no CAPA\r\n"),
    MT_EXPECT ("STAT"), MT_SEND ("+OK 1 30\r\n"),
    MT_EXPECT ("LIST"), MT_SEND ("+OK\r\n1 30\r\n.\r\n"),
    MT_EXPECT ("UIDL"), MT_SEND ("-ERR unknown command\r\n"),
    QUIT_STEPS,
  };
  g_autofree char *dir = g_dir_make_tmp ("missive-downloader-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  Downloaded got;
  Counts counts = { 0 };
  g_autoptr(GError) error = NULL;

  downloaded_init (&got, FALSE);
  run_sync (script, state, NULL, 0, NULL, &got, &counts, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_assert_cmpuint (got.ids->len, ==, 0);
  /* Nothing was listed: no state file is written. */
  g_assert_false (g_file_test (state, G_FILE_TEST_EXISTS));
  downloaded_clear (&got);
  g_rmdir (dir);
}

/* An empty maildrop: nothing to do, every recorded id is forgotten. */
static void
test_empty (void)
{
  const MissiveTestStep script[] = {
    LOGIN_STEPS,
    MT_EXPECT ("STAT"), MT_SEND ("+OK 0 0\r\n"),
    QUIT_STEPS,
  };
  g_autofree char *dir = g_dir_make_tmp ("missive-downloader-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autofree char *ids = NULL;
  Downloaded got;
  Counts counts = { 1, 1, 1 };
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (state, "5 gone\n", -1, &error));
  downloaded_init (&got, FALSE);
  run_sync (script, state, NULL, 1, NULL, &got, &counts, &error);
  g_assert_cmpuint (counts.n_new, ==, 0);
  g_assert_cmpuint (counts.n_deleted, ==, 0);
  g_assert_cmpuint (counts.n_kept, ==, 0);
  ids = state_ids (state);
  g_assert_cmpstr (ids, ==, "");
  downloaded_clear (&got);
  g_unlink (state);
  g_rmdir (dir);
}

typedef struct
{
  GMainLoop *loop;
  guint pending;
  GError *first;
  GError *second;
} BusyData;

static void
busy_first_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  BusyData *data = user_data;

  missive_downloader_sync_finish (MISSIVE_DOWNLOADER (source), result, NULL, NULL, NULL,
                                  &data->first);
  if (--data->pending == 0)
    g_main_loop_quit (data->loop);
}

static void
busy_second_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  BusyData *data = user_data;

  g_assert_false (missive_downloader_sync_finish (MISSIVE_DOWNLOADER (source), result,
                                                  NULL, NULL, NULL, &data->second));
  if (--data->pending == 0)
    g_main_loop_quit (data->loop);
}

/* A second sync while one runs fails at once; the first completes. */
static void
test_busy (void)
{
  const MissiveTestStep script[] = {
    LOGIN_STEPS,
    MT_EXPECT ("STAT"), MT_SEND ("+OK 0 0\r\n"),
    QUIT_STEPS,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveStore) store = make_store (server);
  g_autofree char *dir = g_dir_make_tmp ("missive-downloader-XXXXXX", NULL);
  g_autofree char *state = g_build_filename (dir, "state", NULL);
  g_autoptr(MissiveDownloader) downloader = missive_downloader_new (store, state);
  g_autoptr(GError) error = NULL;
  BusyData data = { g_main_loop_new (NULL, FALSE), 2, NULL, NULL };

  missive_downloader_sync_async (downloader, G_PRIORITY_DEFAULT, NULL, busy_first_cb, &data);
  missive_downloader_sync_async (downloader, G_PRIORITY_DEFAULT, NULL, busy_second_cb, &data);
  g_main_loop_run (data.loop);
  g_assert_no_error (data.first);
  g_assert_error (data.second, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  g_clear_error (&data.second);
  g_main_loop_unref (data.loop);
  g_assert_true (missive_service_close (MISSIVE_SERVICE (store), NULL, &error));
  missive_test_server_finish (server, &error);
  g_assert_no_error (error);
  g_unlink (state);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/downloader/pop3/two-runs", test_two_runs);
  g_test_add_func ("/downloader/pop3/delete-old-only", test_delete_old_only);
  g_test_add_func ("/downloader/pop3/maildir", test_maildir);
  g_test_add_func ("/downloader/pop3/interrupted", test_interrupted);
  g_test_add_func ("/downloader/pop3/no-uidl", test_no_uidl);
  g_test_add_func ("/downloader/pop3/empty", test_empty);
  g_test_add_func ("/downloader/pop3/busy", test_busy);
  g_test_add_func ("/downloader/state/bad", test_bad_state);

  return g_test_run ();
}
