/* test-testbed-pop3.c: the POP3 plugin against the private Dovecot
 *
 * Needs root and the testbed (tests/testbed/); skipped otherwise (failed
 * with MISSIVE_TESTBED_REQUIRED=1). Logging in with SASL mechanisms and
 * with USER/PASS over STLS and implicit TLS; STAT and the LIST/UIDL
 * summaries of a 10,000-message INBOX compared with what doveadm reports;
 * RETR and TOP (headers, and the max-lines property's TOP n N) compared
 * with the maildir file; DELE + QUIT removes, DELE + a dropped connection
 * removes nothing; CAPA's EXPIRE/LOGIN-DELAY/IMPLEMENTATION as properties;
 * MissiveDownloader leaving mail on the server.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include <missive/missive.h>
#include <missive/missive-plugin.h>

#include "test-utils.h"

#define PORT_OFFSET 380

#define BIG_COUNT 10000

#define ASSERT_OK(call) \
  G_STMT_START { \
    gboolean ok_ = (call); \
    g_assert_no_error (error); \
    g_assert_true (ok_); \
  } G_STMT_END

typedef struct
{
  MissiveSecurity security;
  const char *mechanism;     /* NULL: the driver's choice */
  gboolean use_sasl;
  const char *user;          /* NULL: user1 */
  const char *password;      /* NULL: user1's */
} Login;

static MissiveStore *
open_store_full (const MissiveTestbed  *tb,
                 const Login           *login,
                 GError               **error)
{
  gboolean tls = login->security == MISSIVE_SECURITY_TLS;
  g_autofree char *uri = g_strdup_printf ("%s://%s:%u", tls ? "pop3s" : "pop3", tb->host,
                                          tls ? tb->pop3s_port : tb->pop3_port);
  g_autoptr(MissiveService) service = NULL;

  service = missive_engine_create_service (missive_engine_get_default (), uri, error);
  if (service == NULL)
    return NULL;
  g_object_set (service, "use-sasl", login->use_sasl, NULL);
  missive_service_set_security (service, login->security);
  missive_service_set_ca_file (service, tb->ca_file);
  missive_service_set_username (service, login->user != NULL ? login->user : tb->user1);
  missive_service_set_password (service, login->password != NULL ? login->password : tb->pass1);
  missive_service_set_timeout (service, 60);
  if (login->mechanism != NULL)
    missive_service_set_auth_mechanism (service, login->mechanism);
  if (!missive_service_open (service, NULL, error))
    return NULL;
  return MISSIVE_STORE (g_steal_pointer (&service));
}

static MissiveStore *
open_store (const MissiveTestbed *tb,
            const char           *user,
            const char           *password)
{
  Login login = { MISSIVE_SECURITY_STARTTLS, NULL, TRUE, user, password };
  g_autoptr(GError) error = NULL;
  MissiveStore *store = open_store_full (tb, &login, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
close_store (MissiveStore *store)
{
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_close (MISSIVE_SERVICE (store), NULL, &error));
}

/* One field of `doveadm -f flow mailbox status`. */
static guint64
mailbox_status (const MissiveTestbed *tb,
                const char           *user,
                const char           *field)
{
  const char * const args[] = { "-f", "flow", "mailbox", "status", "-u", user, field, "INBOX", NULL };
  g_autofree char *out = missive_test_testbed_doveadm (tb, args);
  g_autofree char *prefix = g_strconcat (field, "=", NULL);
  const char *value;

  /* "INBOX messages=3" */
  g_strstrip (out);
  value = strstr (out, prefix);
  if (value == NULL)
    g_error ("unexpected output of doveadm mailbox status: %s", out);
  value += strlen (prefix);
  return g_ascii_strtoull (value, NULL, 10);
}

/* ---- logging in -------------------------------------------------------------- */

static void
check_login (const MissiveTestbed *tb,
             const Login          *login,
             const char           *expect_mechanism)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveStore) store = open_store_full (tb, login, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_true (missive_transport_is_tls (missive_service_get_transport (MISSIVE_SERVICE (store))));
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (MISSIVE_SERVICE (store)), ==,
                   expect_mechanism);
  /* CAPA after login. */
  g_assert_true (missive_service_has_capability (MISSIVE_SERVICE (store), "UIDL"));
  close_store (store);
}

static void
test_login (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  const char *mechanisms[] = { "PLAIN", "LOGIN", "CRAM-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256" };
  MissiveSecurity modes[] = { MISSIVE_SECURITY_STARTTLS, MISSIVE_SECURITY_TLS };

  if (tb == NULL)
    return;
  for (gsize m = 0; m < G_N_ELEMENTS (modes); m++)
    {
      for (gsize i = 0; i < G_N_ELEMENTS (mechanisms); i++)
        {
          Login login = { modes[m], mechanisms[i], TRUE, NULL, NULL };
          /* user2's password has a space and a quote */
          Login other = { modes[m], mechanisms[i], TRUE, tb->user2, tb->pass2 };

          g_test_message ("mechanism %s", mechanisms[i]);
          check_login (tb, &login, mechanisms[i]);
          check_login (tb, &other, mechanisms[i]);
        }
      {
        Login chosen = { modes[m], NULL, TRUE, NULL, NULL };
        Login user_pass = { modes[m], NULL, FALSE, NULL, NULL };
        Login user_pass2 = { modes[m], NULL, FALSE, tb->user2, tb->pass2 };

        check_login (tb, &chosen, "SCRAM-SHA-256");
        check_login (tb, &user_pass, NULL);
        check_login (tb, &user_pass2, NULL);
      }
    }
}

static void
test_login_wrong (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  Login sasl = { MISSIVE_SECURITY_STARTTLS, "PLAIN", TRUE, NULL, "wrong" };
  Login user_pass = { MISSIVE_SECURITY_TLS, NULL, FALSE, NULL, "wrong" };

  if (tb == NULL)
    return;
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MissiveStore) store = open_store_full (tb, &sasl, &error);

    g_assert_null (store);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
    g_assert_nonnull (missive_error_get_server_text (error));
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MissiveStore) store = open_store_full (tb, &user_pass, &error);

    g_assert_null (store);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
    g_assert_nonnull (strstr (error->message, "Authentication failed"));
  }
}

/* ---- the big INBOX --------------------------------------------------------------- */

static void
ensure_big_inbox (const MissiveTestbed *tb)
{
  static gboolean done;
  g_autoptr(GError) error = NULL;

  if (done)
    return;
  if (mailbox_status (tb, tb->user1, "messages") < BIG_COUNT)
    {
      g_assert_true (missive_test_testbed_populate (tb, BIG_COUNT, 2000, tb->user1, "INBOX", &error));
      g_assert_no_error (error);
    }
  done = TRUE;
}

static void
test_stat_summaries (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageSet) all = missive_message_set_new_from_string ("1:*", NULL);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  guint64 messages, vsize, uidvalidity, total = 0;
  guint n;

  if (tb == NULL)
    return;
  ensure_big_inbox (tb);
  messages = mailbox_status (tb, tb->user1, "messages");
  vsize = mailbox_status (tb, tb->user1, "vsize");
  uidvalidity = mailbox_status (tb, tb->user1, "uidvalidity");

  store = open_store (tb, NULL, NULL);
  info = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, messages);
  g_assert_cmpuint (missive_mailbox_info_get_size (info), ==, vsize);

  list = missive_store_fetch_summaries (store, all, MISSIVE_FETCH_ITEMS_SIZE, 0, NULL, &error);
  g_assert_no_error (error);
  n = g_list_model_get_n_items (list);
  g_assert_cmpuint (n, ==, messages);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MissiveMessageInfo) m = g_list_model_get_item (list, i);
      const char *uidl = missive_message_info_get_uidl (m);

      g_assert_cmpuint (missive_message_info_get_sequence (m), ==, i + 1);
      g_assert_nonnull (uidl);
      g_assert_false (g_hash_table_contains (seen, uidl));
      g_hash_table_add (seen, (gpointer) uidl);
      total += missive_message_info_get_size (m);
    }
  g_assert_cmpuint (total, ==, vsize);

  /* Headers by TOP n 0 (pipelined: Dovecot offers PIPELINING). */
  {
    g_autoptr(MissiveMessageSet) some = missive_message_set_new_from_string ("1:150", NULL);
    g_autoptr(GListModel) heads = NULL;

    heads = missive_store_fetch_summaries (store, some, MISSIVE_FETCH_ITEMS_HEADERS, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (heads), ==, 150);
    for (guint i = 0; i < 150; i++)
      {
        g_autoptr(MissiveMessageInfo) m = g_list_model_get_item (heads, i);

        g_assert_cmpuint (missive_message_info_get_sequence (m), ==, i + 1);
        g_assert_nonnull (missive_message_info_get_header (m, "Message-ID"));
      }
  }

  /* The UIDL format of the testbed: the IMAP UID and UIDVALIDITY in hex. */
  {
    const guint seqs[] = { 1, n / 2, n };

    for (gsize k = 0; k < G_N_ELEMENTS (seqs); k++)
      {
        g_autofree char *seq = g_strdup_printf ("%u", seqs[k]);
        const char * const args[] = { "fetch", "-u", tb->user1, "uid", "mailbox", "INBOX", seq, NULL };
        g_autofree char *out = missive_test_testbed_doveadm (tb, args);
        g_autoptr(MissiveMessageInfo) m = g_list_model_get_item (list, seqs[k] - 1);
        g_autofree char *expected = NULL;

        g_strstrip (out);
        g_assert_true (g_str_has_prefix (out, "uid: "));
        expected = g_strdup_printf ("%08X%08X", (guint) g_ascii_strtoull (out + 5, NULL, 10),
                                    (guint) uidvalidity);
        /* Dovecot writes the hex digits in lower case. */
        g_assert_cmpint (g_ascii_strcasecmp (missive_message_info_get_uidl (m), expected), ==, 0);
      }
  }
  close_store (store);
}

/* RETR of one message: the maildir file with CRLF line ends. */
static void
test_retr_compare_with_file (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) head = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) expected = NULL;
  const char *end_of_header;

  if (tb == NULL)
    return;
  ensure_big_inbox (tb);
  expected = missive_test_testbed_message_file (tb, "user1", "INBOX", "4321");

  store = open_store (tb, NULL, NULL);
  info = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  ASSERT_OK (missive_store_fetch_part (store, 4321, NULL, MISSIVE_FETCH_PART_FLAGS_NONE,
                                       0, 0, sink, NULL, &error));
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)),
                   expected->str, expected->len);

  /* TOP n 0: the header and the empty line after it. */
  ASSERT_OK (missive_store_fetch_part (store, 4321, NULL, MISSIVE_FETCH_PART_FLAGS_HEADERS,
                                       0, 0, head, NULL, &error));
  end_of_header = strstr (expected->str, "\r\n\r\n");
  g_assert_nonnull (end_of_header);
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (head)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (head)),
                   expected->str, (gsize) (end_of_header - expected->str) + 4);

  /* max-lines: TOP n N, the header, the empty line and N body lines. */
  {
    const guint counts[] = { 0, 1, 5, 100000 };

    for (gsize k = 0; k < G_N_ELEMENTS (counts); k++)
      {
        g_autoptr(GOutputStream) part = g_memory_output_stream_new_resizable ();
        const char *p = end_of_header + 4;
        const char *end = expected->str + expected->len;

        for (guint line = 0; line < counts[k] && p < end; line++)
          {
            const char *eol = strstr (p, "\r\n");

            p = eol != NULL ? eol + 2 : end;
          }
        g_object_set (store, "max-lines", (int) counts[k], NULL);
        ASSERT_OK (missive_store_fetch_message (store, 4321, part, NULL, &error));
        g_test_message ("max-lines %u", counts[k]);
        g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (part)),
                         g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (part)),
                         expected->str, (gsize) (p - expected->str));
      }
    g_object_set (store, "max-lines", -1, NULL);
  }
  close_store (store);
}

/* What Dovecot says in CAPA, as properties. */
static void
test_capa_properties (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *implementation = NULL;
  int expire_days = 0, login_delay = 0;
  gboolean utf8_enabled = TRUE;

  if (tb == NULL)
    return;
  store = open_store (tb, NULL, NULL);
  /* The raw CAPA and the parsed values agree. */
  reply = missive_service_send_command (MISSIVE_SERVICE (store), "CAPA", NULL, &error);
  g_assert_no_error (error);
  g_object_get (store, "expire-days", &expire_days, "login-delay", &login_delay,
                "implementation", &implementation, "utf8-enabled", &utf8_enabled, NULL);
  {
    const char * const *lines = missive_reply_get_lines (reply);
    gboolean saw_expire = FALSE, saw_delay = FALSE, saw_implementation = FALSE;

    g_assert_nonnull (lines);
    for (gsize i = 0; lines[i] != NULL; i++)
      {
        g_test_message ("CAPA: %s", lines[i]);
        if (g_ascii_strncasecmp (lines[i], "EXPIRE ", 7) == 0)
          saw_expire = TRUE;
        else if (g_ascii_strncasecmp (lines[i], "LOGIN-DELAY ", 12) == 0)
          saw_delay = TRUE;
        else if (g_ascii_strncasecmp (lines[i], "IMPLEMENTATION ", 15) == 0)
          {
            saw_implementation = TRUE;
            g_assert_cmpstr (implementation, ==, lines[i] + 15);
          }
      }
    if (!saw_expire)
      g_assert_cmpint (expire_days, ==, -1);
    else
      g_assert_cmpint (expire_days, >=, 0);
    if (!saw_delay)
      g_assert_cmpint (login_delay, ==, -1);
    else
      g_assert_cmpint (login_delay, >=, 0);
    if (!saw_implementation)
      g_assert_null (implementation);
  }
  /* Not asked for UTF8. */
  g_assert_false (utf8_enabled);
  close_store (store);
}

/* ---- deleting ------------------------------------------------------------------------ */

static void
dele (MissiveStore *store,
      const char   *numbers)
{
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string (numbers, NULL);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GListModel) changed = NULL;
  g_autoptr(GError) error = NULL;
  const char * const deleted[] = { MISSIVE_FLAG_DELETED, NULL };

  info = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_no_error (error);
  changed = missive_store_set_flags (store, set, MISSIVE_FLAG_CHANGE_ADD, deleted, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (changed), ==, missive_message_set_get_count (set));
}

static void
test_dele (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(GError) error = NULL;
  guint64 before;

  if (tb == NULL)
    return;
  g_assert_true (missive_test_testbed_populate (tb, 5, 500, tb->user2, "INBOX", &error));
  g_assert_no_error (error);
  before = mailbox_status (tb, tb->user2, "messages");
  g_assert_cmpuint (before, >=, 5);

  /* DELE and a dropped connection (the transport closed under the
   * service, no QUIT): nothing is deleted. */
  {
    g_autoptr(MissiveStore) store = open_store (tb, tb->user2, tb->pass2);

    dele (store, "1");
    ASSERT_OK (missive_transport_close (missive_service_get_transport (MISSIVE_SERVICE (store)),
                                        NULL, &error));
    g_assert_false (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    missive_service_close (MISSIVE_SERVICE (store), NULL, NULL);
  }
  /* Dovecot may take a moment to notice the closed connection and end
   * the session; a new login waits for the maildrop lock if needed. */
  {
    g_autoptr(MissiveStore) store = open_store (tb, tb->user2, tb->pass2);
    g_autoptr(MissiveMailboxInfo) info = NULL;

    info = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, before);
    /* DELE then RSET: nothing deleted either. */
    dele (store, "2");
    {
      g_autoptr(MissiveMessageSet) set = missive_message_set_new_single (2);
      g_autoptr(GListModel) undone = NULL;
      const char * const deleted[] = { MISSIVE_FLAG_DELETED, NULL };

      undone = missive_store_set_flags (store, set, MISSIVE_FLAG_CHANGE_REMOVE, deleted, 0, NULL, &error);
      g_assert_no_error (error);
    }
    close_store (store);
  }
  g_assert_cmpuint (mailbox_status (tb, tb->user2, "messages"), ==, before);

  /* DELE and QUIT: removed. */
  {
    g_autoptr(MissiveStore) store = open_store (tb, tb->user2, tb->pass2);

    /* Pipelined (Dovecot offers PIPELINING). */
    dele (store, "1,3");
    close_store (store);
  }
  g_assert_cmpuint (mailbox_status (tb, tb->user2, "messages"), ==, before - 2);
}

/* ---- leaving mail on the server -------------------------------------------------------- */

static void
on_downloaded (MissiveDownloader *downloader,
               const char        *id,
               GFile             *file,
               GBytes            *message,
               GPtrArray         *got)
{
  g_assert_null (file);
  g_assert_nonnull (message);
  g_ptr_array_add (got, g_bytes_ref (message));
}

static void
downloader_run (const MissiveTestbed *tb,
                const char           *state,
                guint                 days,
                GDateTime            *now,
                GPtrArray            *got,
                guint                *n_new,
                guint                *n_deleted,
                guint                *n_kept)
{
  g_autofree char *uri = g_strdup_printf ("pop3://%s:%u", tb->host, tb->pop3_port);
  g_autoptr(MissiveService) service = NULL;
  g_autoptr(MissiveDownloader) downloader = NULL;
  g_autoptr(GError) error = NULL;

  service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  missive_service_set_security (service, MISSIVE_SECURITY_STARTTLS);
  missive_service_set_ca_file (service, tb->ca_file);
  missive_service_set_username (service, tb->user2);
  missive_service_set_password (service, tb->pass2);
  missive_service_set_timeout (service, 60);
  downloader = missive_downloader_new (MISSIVE_STORE (service), state);
  missive_downloader_set_delete_after_days (downloader, days);
  missive_downloader_set_current_time (downloader, now);
  g_signal_connect (downloader, "message-downloaded", G_CALLBACK (on_downloaded), got);
  /* The downloader opens the store itself; QUIT commits the deletions. */
  ASSERT_OK (missive_downloader_sync (downloader, n_new, n_deleted, n_kept, NULL, &error));
  ASSERT_OK (missive_service_close (service, NULL, &error));
}

static void
test_downloader (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autofree char *dir = NULL;
  g_autofree char *state = NULL;
  g_autofree char *message_id = NULL;
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) later = NULL;
  guint64 count;
  guint n_new = 99, n_deleted = 99, n_kept = 99;

  if (tb == NULL)
    return;
  g_assert_true (missive_test_testbed_populate (tb, 3, 800, tb->user2, "INBOX", &error));
  g_assert_no_error (error);
  count = mailbox_status (tb, tb->user2, "messages");
  dir = g_dir_make_tmp ("missive-downloader-XXXXXX", &error);
  g_assert_no_error (error);
  state = g_build_filename (dir, "state", NULL);

  /* First run: everything is new. */
  {
    g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

    downloader_run (tb, state, 0, NULL, got, &n_new, &n_deleted, &n_kept);
    g_assert_cmpuint (n_new, ==, count);
    g_assert_cmpuint (n_deleted, ==, 0);
    g_assert_cmpuint (n_kept, ==, count);
    g_assert_cmpuint (got->len, ==, count);
  }
  /* Second run: nothing new. */
  {
    g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

    downloader_run (tb, state, 30, NULL, got, &n_new, &n_deleted, &n_kept);
    g_assert_cmpuint (n_new, ==, 0);
    g_assert_cmpuint (n_deleted, ==, 0);
    g_assert_cmpuint (n_kept, ==, count);
    g_assert_cmpuint (got->len, ==, 0);
  }
  /* A message delivered between runs is the only one fetched, and its
   * bytes are the maildir file's. */
  message_id = g_strdup_printf ("downloader-%" G_GINT64_FORMAT "@missive.test", g_get_real_time ());
  message = g_strdup_printf ("From: a@example.org\r\nTo: user2@localhost\r\n"
                             "Message-ID: <%s>\r\nSubject: new between runs\r\n\r\n"
                             "body\r\n.leading dot\r\n", message_id);
  g_assert_true (missive_test_testbed_deliver (tb, "user2@localhost", message, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
    g_autofree char *search = g_strdup_printf ("header message-id %s", message_id);
    g_autoptr(GString) expected = NULL;
    gsize n;
    const char *data;

    downloader_run (tb, state, 30, NULL, got, &n_new, &n_deleted, &n_kept);
    /* After the session: Dovecot has moved the file from new/ to cur/. */
    expected = missive_test_testbed_message_file (tb, "user2", "INBOX", search);
    g_assert_cmpuint (n_new, ==, 1);
    g_assert_cmpuint (n_kept, ==, count + 1);
    g_assert_cmpuint (got->len, ==, 1);
    data = g_bytes_get_data (got->pdata[0], &n);
    g_assert_cmpmem (data, n, expected->str, expected->len);
  }
  /* The clock ten days ahead, delete after 5 days: everything goes, and
   * QUIT removes it from the mailbox. */
  now = g_date_time_new_now_utc ();
  later = g_date_time_add_days (now, 10);
  {
    g_autoptr(GPtrArray) got = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

    downloader_run (tb, state, 5, later, got, &n_new, &n_deleted, &n_kept);
    g_assert_cmpuint (n_new, ==, 0);
    g_assert_cmpuint (n_deleted, ==, count + 1);
    g_assert_cmpuint (n_kept, ==, 0);
  }
  g_assert_cmpuint (mailbox_status (tb, tb->user2, "messages"), ==, 0);
  /* Nothing is left to remember. */
  {
    g_autofree char *text = NULL;

    downloader_run (tb, state, 5, later, NULL, &n_new, &n_deleted, &n_kept);
    g_assert_cmpuint (n_new, ==, 0);
    g_assert_cmpuint (n_kept, ==, 0);
    g_assert_true (g_file_get_contents (state, &text, NULL, &error));
    g_assert_cmpstr (text, ==, "# Missive downloader state 1\n");
  }
  g_unlink (state);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/testbed-pop3/login", test_login);
  g_test_add_func ("/testbed-pop3/login-wrong", test_login_wrong);
  g_test_add_func ("/testbed-pop3/stat-summaries", test_stat_summaries);
  g_test_add_func ("/testbed-pop3/retr-compare-with-file", test_retr_compare_with_file);
  g_test_add_func ("/testbed-pop3/dele", test_dele);
  g_test_add_func ("/testbed-pop3/capa-properties", test_capa_properties);
  g_test_add_func ("/testbed-pop3/downloader", test_downloader);

  return g_test_run ();
}
