/* test-testbed-imap.c: the IMAP plugin against the private Dovecot
 *
 * Needs root and the testbed (tests/testbed/); skipped otherwise (failed
 * with MISSIVE_TESTBED_REQUIRED=1). Every SASL mechanism the testbed
 * offers, LOGIN, mailboxes with non-ASCII and "&" in their names, a
 * 10,000-message mailbox for summaries, search and flag changes, fetching
 * to a stream compared with the maildir file, UIDPLUS results, MOVE and
 * its fallback, CONDSTORE, ACL, QUOTA, and IDLE seeing a message delivered
 * through LMTP.
 *
 * Capabilities are hidden with the plugin's MISSIVE_IMAP_DISABLE_CAPS
 * (MOVE for the fallback, BINARY for local decoding, the AUTH= list for
 * the LOGIN command), set only while a connection is opened.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>
#include <missive/missive-plugin.h>

#include "test-utils.h"

#define PORT_OFFSET 340

/* A generous bound for waiting on the server (never a timing assertion). */
#define WAIT_SECONDS 30

#define BIG_MAILBOX "Big"
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
  const char *user;
  const char *password;
  const char *token;
  const char *hide_caps;     /* MISSIVE_IMAP_DISABLE_CAPS while opening */
} Login;

/* MISSIVE_TEST_TRACE=1 prints the conversations (for debugging). */
static void
print_trace (MissiveService        *service,
             MissiveTraceDirection  direction,
             const char            *line)
{
  g_printerr ("%s %s\n", direction == MISSIVE_TRACE_SENT ? "C:" :
                         direction == MISSIVE_TRACE_RECEIVED ? "S:" : "  ", line);
}

/* Opens a store on the testbed; NULL with @error if that fails. */
static MissiveStore *
open_store_full (const MissiveTestbed  *tb,
                 const Login           *login,
                 GError               **error)
{
  g_autofree char *uri = NULL;
  g_autoptr(MissiveService) service = NULL;
  gboolean tls = login->security == MISSIVE_SECURITY_TLS;
  gboolean ok;

  uri = g_strdup_printf ("%s://%s@%s:%u", tls ? "imaps" : "imap",
                         login->user != NULL ? login->user : tb->user1, tb->host,
                         tls ? tb->imaps_port : tb->imap_port);
  service = missive_engine_create_service (missive_engine_get_default (), uri, error);
  if (service == NULL)
    return NULL;
  missive_service_set_security (service, login->security);
  missive_service_set_ca_file (service, tb->ca_file);
  missive_service_set_allow_plaintext_auth (service, TRUE);
  if (login->mechanism != NULL)
    missive_service_set_auth_mechanism (service, login->mechanism);
  if (login->token != NULL)
    missive_service_set_oauth_token (service, login->token);
  else
    missive_service_set_password (service, login->password != NULL ? login->password : tb->pass1);

  if (g_strcmp0 (g_getenv ("MISSIVE_TEST_TRACE"), "1") == 0)
    g_signal_connect (service, "protocol-trace", G_CALLBACK (print_trace), NULL);
  if (login->hide_caps != NULL)
    g_setenv ("MISSIVE_IMAP_DISABLE_CAPS", login->hide_caps, TRUE);
  ok = missive_service_open (service, NULL, error);
  if (login->hide_caps != NULL)
    g_unsetenv ("MISSIVE_IMAP_DISABLE_CAPS");
  if (!ok)
    return NULL;
  return MISSIVE_STORE (g_steal_pointer (&service));
}

static MissiveStore *
open_store (const MissiveTestbed *tb,
            const char           *hide_caps)
{
  Login login = { MISSIVE_SECURITY_NONE, NULL, NULL, NULL, NULL, hide_caps };
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

static MissiveMailboxInfo *
select_mailbox (MissiveStore *store,
                const char   *name)
{
  g_autoptr(GError) error = NULL;
  MissiveMailboxInfo *info = missive_store_select_mailbox (store, name, FALSE, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (info);
  return info;
}

/* Creates @name unless it exists. */
static void
ensure_mailbox (MissiveStore *store,
                const char   *name)
{
  g_autoptr(GError) error = NULL;

  if (!missive_store_create_mailbox (store, name, NULL, &error))
    {
      /* Dovecot: NO [ALREADYEXISTS] */
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO);
      g_assert_cmpstr (missive_error_get_response_code (error), ==, "ALREADYEXISTS");
    }
}

static MissiveMessageSet *
all_set (void)
{
  return missive_message_set_new_from_string ("1:*", NULL);
}

/* ---- logging in ---- */

static void
check_login (const MissiveTestbed *tb,
             const Login          *login,
             const char           *expect_mechanism)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveStore) store = open_store_full (tb, login, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_cmpint (missive_service_get_state (MISSIVE_SERVICE (store)), ==,
                   MISSIVE_SERVICE_STATE_AUTHENTICATED);
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (MISSIVE_SERVICE (store)), ==,
                   expect_mechanism);
  close_store (store);
}

static void
test_login_mechanisms (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  const char *mechanisms[] = {
    "PLAIN", "LOGIN", "CRAM-MD5", "DIGEST-MD5", "SCRAM-SHA-1", "SCRAM-SHA-256",
  };

  if (tb == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      Login login = { MISSIVE_SECURITY_NONE, mechanisms[i], NULL, NULL, NULL, NULL };
      Login tls = { MISSIVE_SECURITY_TLS, mechanisms[i], NULL, NULL, NULL, NULL };
      /* user2's password has a space and a quote */
      Login other = { MISSIVE_SECURITY_TLS, mechanisms[i], tb->user2, tb->pass2, NULL, NULL };

      g_test_message ("mechanism %s", mechanisms[i]);
      check_login (tb, &login, mechanisms[i]);
      check_login (tb, &tls, mechanisms[i]);
      check_login (tb, &other, mechanisms[i]);
    }
}

/* The IMAP LOGIN command: only when no SASL mechanism is offered. */
static void
test_login_command (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  const char *hide = "AUTH=PLAIN,AUTH=LOGIN,AUTH=CRAM-MD5,AUTH=DIGEST-MD5,AUTH=SCRAM-SHA-1,"
                     "AUTH=SCRAM-SHA-256,AUTH=XOAUTH2,AUTH=OAUTHBEARER,AUTH=NTLM";

  if (tb == NULL)
    return;
  {
    Login login = { MISSIVE_SECURITY_NONE, NULL, NULL, NULL, NULL, hide };

    check_login (tb, &login, NULL);
  }
  {
    Login login = { MISSIVE_SECURITY_TLS, NULL, tb->user2, tb->pass2, NULL, hide };

    check_login (tb, &login, NULL);
  }
  {
    Login login = { MISSIVE_SECURITY_NONE, NULL, NULL, "wrong", NULL, hide };
    g_autoptr(GError) error = NULL;
    g_autoptr(MissiveStore) store = open_store_full (tb, &login, &error);

    g_assert_null (store);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
    g_assert_nonnull (strstr (error->message, "Authentication failed"));
  }
}

static void
test_login_oauth (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  const char *mechanisms[] = { "XOAUTH2", "OAUTHBEARER" };
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expired = NULL;

  if (tb == NULL)
    return;
  token = missive_test_testbed_mint_token (tb, tb->user1, 600, &error);
  g_assert_no_error (error);
  expired = missive_test_testbed_mint_token (tb, tb->user1, -600, &error);
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      Login good = { MISSIVE_SECURITY_TLS, mechanisms[i], NULL, NULL, token, NULL };
      Login bad = { MISSIVE_SECURITY_TLS, mechanisms[i], NULL, NULL, expired, NULL };
      g_autoptr(MissiveStore) store = NULL;

      g_test_message ("mechanism %s", mechanisms[i]);
      check_login (tb, &good, mechanisms[i]);
      store = open_store_full (tb, &bad, &error);
      g_assert_null (store);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
      g_assert_nonnull (strstr (error->message, "Authentication failed"));
      g_clear_error (&error);
    }
}

static void
test_login_ntlm (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autofree char *ntlm = NULL;

  if (tb == NULL)
    return;
  ntlm = missive_test_testbed_getenv (tb, "TESTBED_NTLM");
  if (g_strcmp0 (ntlm, "yes") != 0)
    {
      g_test_skip ("the testbed offers no NTLM (no ntlm_auth)");
      return;
    }
  {
    Login login = { MISSIVE_SECURITY_TLS, "NTLM", NULL, NULL, NULL, NULL };

    check_login (tb, &login, "NTLM");
  }
  {
    /* The testbed's NTLM knows user1's password only. */
    Login login = { MISSIVE_SECURITY_TLS, "NTLM", tb->user2, tb->pass2, NULL, NULL };
    g_autoptr(GError) error = NULL;
    g_autoptr(MissiveStore) store = open_store_full (tb, &login, &error);

    g_assert_null (store);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
  }
}

static void
test_login_wrong_password (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  const char *mechanisms[] = { "PLAIN", "CRAM-MD5", "SCRAM-SHA-256" };

  if (tb == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (mechanisms); i++)
    {
      Login login = { MISSIVE_SECURITY_TLS, mechanisms[i], NULL, "not the password", NULL, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(MissiveStore) store = open_store_full (tb, &login, &error);

      g_assert_null (store);
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
      /* Dovecot's own words reach the application. */
      g_assert_nonnull (strstr (error->message, "Authentication failed"));
    }
}

/* ---- mailboxes ---- */

static gboolean
list_has (GListModel *list,
          const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(MissiveMailboxInfo) info = g_list_model_get_item (list, i);

      if (g_strcmp0 (missive_mailbox_info_get_name (info), name) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_list_status_select (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MissiveMailboxInfo) status = NULL;
  g_autoptr(MissiveMailboxInfo) selected = NULL;
  g_autoptr(GError) error = NULL;

  if (tb == NULL)
    return;
  g_assert_true (missive_test_testbed_populate (tb, 25, 1024, NULL, "Listed", &error));
  g_assert_no_error (error);
  store = open_store (tb, NULL);

  list = missive_store_list_mailboxes (store, "*", MISSIVE_LIST_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (list_has (list, "INBOX"));
  g_assert_true (list_has (list, "Sent"));
  g_assert_true (list_has (list, "Listed"));

  status = missive_store_get_mailbox_status (store, "Listed", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_messages (status), ==, 25);
  g_assert_cmpuint (missive_mailbox_info_get_uid_next (status), ==, 26);

  selected = select_mailbox (store, "Listed");
  g_assert_cmpuint (missive_mailbox_info_get_messages (selected), ==, 25);
  g_assert_cmpuint (missive_mailbox_info_get_uid_validity (selected), ==,
                    missive_mailbox_info_get_uid_validity (status));
  g_assert_cmpstr (missive_store_get_selected_mailbox (store), ==, "Listed");
  close_store (store);
}

/* Names with non-ASCII letters and "&" travel in modified UTF-7 and come
 * back as they were; Dovecot's own tools see the same names. */
static void
test_mailbox_names (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  const char *name = "R\xc3\xa9pertoire & Co";
  const char *child = "R\xc3\xa9pertoire & Co/\xc3\x9cnter \xe2\x82\xac";
  const char *renamed = "\xc3\x86r\xc3\xb8 & \xce\xa9";
  const char * const list_args[] = { "mailbox", "list", "-u", "user1", NULL };
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listed = NULL;

  if (tb == NULL)
    return;
  store = open_store (tb, NULL);
  ASSERT_OK (missive_store_create_mailbox (store, name, NULL, &error));
  ASSERT_OK (missive_store_create_mailbox (store, child, NULL, &error));

  list = missive_store_list_mailboxes (store, "*", MISSIVE_LIST_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (list_has (list, name));
  g_assert_true (list_has (list, child));
  g_clear_object (&list);
  listed = missive_test_testbed_doveadm (tb, list_args);
  g_assert_nonnull (strstr (listed, child));

  ASSERT_OK (missive_store_subscribe_mailbox (store, child, TRUE, NULL, &error));
  list = missive_store_list_mailboxes (store, "*", MISSIVE_LIST_FLAGS_SUBSCRIBED, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (list_has (list, child));
  g_assert_false (list_has (list, name));
  g_clear_object (&list);
  ASSERT_OK (missive_store_subscribe_mailbox (store, child, FALSE, NULL, &error));
  list = missive_store_list_mailboxes (store, "*", MISSIVE_LIST_FLAGS_SUBSCRIBED, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (list_has (list, child));
  g_clear_object (&list);

  ASSERT_OK (missive_store_delete_mailbox (store, child, NULL, &error));
  ASSERT_OK (missive_store_rename_mailbox (store, name, renamed, NULL, &error));
  list = missive_store_list_mailboxes (store, "*", MISSIVE_LIST_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (list_has (list, renamed));
  g_assert_false (list_has (list, name));
  g_clear_object (&list);
  g_clear_pointer (&listed, g_free);
  listed = missive_test_testbed_doveadm (tb, list_args);
  g_assert_nonnull (strstr (listed, renamed));

  {
    g_autoptr(MissiveMailboxInfo) info = select_mailbox (store, renamed);

    g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 0);
  }
  ASSERT_OK (missive_store_close_mailbox (store, FALSE, NULL, &error));
  ASSERT_OK (missive_store_delete_mailbox (store, renamed, NULL, &error));
  close_store (store);
}

/* ---- the big mailbox ---- */

static void
ensure_big_mailbox (const MissiveTestbed *tb)
{
  static gboolean done;
  g_autoptr(GError) error = NULL;

  if (done)
    return;
  g_assert_true (missive_test_testbed_populate (tb, BIG_COUNT, 2048, NULL, BIG_MAILBOX, &error));
  g_assert_no_error (error);
  done = TRUE;
}

typedef struct
{
  guint infos;
  guint headers;
} Counts;

static void
count_info (MissiveStore       *store,
            MissiveMessageInfo *info,
            Counts             *counts)
{
  counts->infos++;
}

static void
count_header (MissiveStore *store,
              guint         id,
              const char   *name,
              const char   *value,
              Counts       *counts)
{
  counts->headers++;
}

static void
test_big_mailbox (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  const char * const status_args[] = { "-f", "flow", "mailbox", "status", "-u", "user1",
                                       "unseen", BIG_MAILBOX, NULL };
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageSet) all = all_set ();
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MissiveSearchQuery) unseen = missive_search_query_new ();
  g_autoptr(MissiveMessageSet) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  Counts counts = { 0, 0 };
  guint64 expect_unseen;

  if (tb == NULL)
    return;
  ensure_big_mailbox (tb);
  store = open_store (tb, NULL);
  info = select_mailbox (store, BIG_MAILBOX);
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, BIG_COUNT);

  /* Summaries of all 10,000, each emitted as it arrives. */
  g_signal_connect (store, "message-info", G_CALLBACK (count_info), &counts);
  list = missive_store_fetch_summaries (store, all,
                                        MISSIVE_FETCH_ITEMS_SUMMARY |
                                        MISSIVE_FETCH_ITEMS_BODY_STRUCTURE |
                                        MISSIVE_FETCH_ITEMS_MODSEQ,
                                        0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, BIG_COUNT);
  g_assert_cmpuint (counts.infos, ==, BIG_COUNT);
  for (guint i = 0; i < BIG_COUNT; i += 997)
    {
      g_autoptr(MissiveMessageInfo) m = g_list_model_get_item (list, i);

      g_assert_cmpuint (missive_message_info_get_uid (m), ==, i + 1);
      g_assert_cmpuint (missive_message_info_get_size (m), >, 0);
      g_assert_nonnull (missive_message_info_get_subject (m));
      g_assert_nonnull (missive_message_info_get_internal_date (m));
      g_assert_nonnull (missive_message_info_get_body_structure (m));
      g_assert_cmpuint (missive_message_info_get_modseq (m), >, 0);
    }
  g_clear_object (&list);

  /* Headers of a few, through ::header too. */
  g_signal_connect (store, "header", G_CALLBACK (count_header), &counts);
  {
    g_autoptr(MissiveMessageSet) some = missive_message_set_new_from_string ("1:20", NULL);
    g_autoptr(MissiveMessageInfo) first = NULL;

    list = missive_store_fetch_summaries (store, some, MISSIVE_FETCH_ITEMS_HEADERS, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (list), ==, 20);
    g_assert_cmpuint (counts.headers, >=, 20 * 5);
    first = g_list_model_get_item (list, 0);
    g_assert_nonnull (missive_message_info_get_header (first, "Message-ID"));
    g_clear_object (&list);
  }

  /* SEARCH agrees with Dovecot's own count. */
  status = missive_test_testbed_doveadm (tb, status_args);
  /* "Big unseen=1234" */
  g_assert_nonnull (strstr (status, "unseen="));
  expect_unseen = g_ascii_strtoull (strstr (status, "unseen=") + 7, NULL, 10);
  missive_search_query_add_flag (unseen, MISSIVE_FLAG_SEEN, FALSE);
  found = missive_store_search (store, unseen, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_message_set_get_count (found), ==, expect_unseen);
  g_assert_cmpuint (expect_unseen, >, 0);

  /* A flag change over all of them, and back. */
  {
    const char * const flags[] = { "$Synced", NULL };

    list = missive_store_set_flags (store, all, MISSIVE_FLAG_CHANGE_ADD, flags, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (list), ==, BIG_COUNT);
    g_clear_object (&list);
    {
      g_autoptr(MissiveSearchQuery) keyword = missive_search_query_new ();
      g_autoptr(MissiveMessageSet) with = NULL;

      missive_search_query_add_flag (keyword, "$Synced", TRUE);
      with = missive_store_search (store, keyword, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (missive_message_set_get_count (with), ==, BIG_COUNT);
    }
    list = missive_store_set_flags (store, all, MISSIVE_FLAG_CHANGE_REMOVE, flags, 0, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (list), ==, BIG_COUNT);
  }
  close_store (store);
}

/* ---- COMPRESS=DEFLATE ---- */

typedef struct
{
  GPtrArray *sent;         /* lines sent, as traced */
  GPtrArray *tagged;       /* tagged replies received */
  GPtrArray *info;         /* notes of the trace */
  gsize sent_bytes;        /* protocol bytes sent (lines + CRLF) */
} CompressTrace;

static void
compress_on_trace (MissiveService        *service,
                   MissiveTraceDirection  direction,
                   const char            *line,
                   CompressTrace         *trace)
{
  if (direction == MISSIVE_TRACE_SENT)
    {
      g_ptr_array_add (trace->sent, g_strdup (line));
      trace->sent_bytes += strlen (line) + 2;
    }
  else if (direction == MISSIVE_TRACE_RECEIVED)
    {
      if (line[0] == 'A')
        g_ptr_array_add (trace->tagged, g_strdup (line));
    }
  else
    g_ptr_array_add (trace->info, g_strdup (line));
}

static void
compress_trace_clear (CompressTrace *trace)
{
  g_clear_pointer (&trace->sent, g_ptr_array_unref);
  g_clear_pointer (&trace->tagged, g_ptr_array_unref);
  g_clear_pointer (&trace->info, g_ptr_array_unref);
}

static MissiveStore *
open_compress_store (const MissiveTestbed *tb,
                     gboolean              compress,
                     CompressTrace        *trace)
{
  g_autofree char *uri = g_strdup_printf ("imap://%s@%s:%u", tb->user1, tb->host, tb->imap_port);
  g_autoptr(MissiveService) service = NULL;
  g_autoptr(GError) error = NULL;

  trace->sent = g_ptr_array_new_with_free_func (g_free);
  trace->tagged = g_ptr_array_new_with_free_func (g_free);
  trace->info = g_ptr_array_new_with_free_func (g_free);
  trace->sent_bytes = 0;

  service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  missive_service_set_security (service, MISSIVE_SECURITY_NONE);
  missive_service_set_allow_plaintext_auth (service, TRUE);
  missive_service_set_password (service, tb->pass1);
  g_object_set (service, "compress", compress, NULL);
  g_signal_connect (service, "protocol-trace", G_CALLBACK (compress_on_trace), trace);
  ASSERT_OK (missive_service_open (service, NULL, &error));
  return MISSIVE_STORE (g_steal_pointer (&service));
}

/* Whether COMPRESS DEFLATE was sent and accepted, from the trace. */
static gboolean
compress_was_used (CompressTrace *trace)
{
  for (guint i = 0; i < trace->sent->len; i++)
    {
      const char *line = trace->sent->pdata[i];
      const char *space = strchr (line, ' ');
      g_autofree char *ok = NULL;

      if (space == NULL || strcmp (space + 1, "COMPRESS DEFLATE") != 0)
        continue;
      ok = g_strdup_printf ("%.*s OK", (int) (space - line), line);
      for (guint j = 0; j < trace->tagged->len; j++)
        if (g_str_has_prefix (trace->tagged->pdata[j], ok))
          {
            /* And more commands went out after it. */
            g_assert_cmpuint (trace->sent->len, >, i + 1);
            return TRUE;
          }
      g_error ("COMPRESS DEFLATE was sent but not accepted");
    }
  return FALSE;
}

/* One message summary as text, for comparisons. */
static char *
describe_info (MissiveMessageInfo *info)
{
  const char * const *all = missive_message_info_get_flags (info);
  g_autoptr(GString) flags = g_string_new (NULL);
  GDateTime *date = missive_message_info_get_internal_date (info);

  /* \Recent goes to the first session only. */
  for (guint i = 0; all != NULL && all[i] != NULL; i++)
    if (g_ascii_strcasecmp (all[i], "\\Recent") != 0)
      g_string_append_printf (flags, " %s", all[i]);

  return g_strdup_printf ("%u|%" G_GUINT64_FORMAT "|%s|%s|%" G_GINT64_FORMAT "|%s",
                          missive_message_info_get_uid (info),
                          (guint64) missive_message_info_get_size (info),
                          missive_message_info_get_subject (info),
                          missive_message_info_get_from (info),
                          date != NULL ? g_date_time_to_unix (date) : 0,
                          flags->str);
}

typedef struct
{
  GPtrArray *mailboxes;    /* names, sorted */
  guint inbox_messages;
  GPtrArray *summaries;    /* describe_info() of UIDs 1:1500 of Big */
  GBytes *message;         /* UID 4321 of Big */
} CompressResult;

static void
compress_result_clear (CompressResult *result)
{
  g_clear_pointer (&result->mailboxes, g_ptr_array_unref);
  g_clear_pointer (&result->summaries, g_ptr_array_unref);
  g_clear_pointer (&result->message, g_bytes_unref);
}

static gint
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
compress_session (const MissiveTestbed *tb,
                  gboolean              compress,
                  CompressResult       *result)
{
  CompressTrace trace = { 0 };
  g_autoptr(MissiveStore) store = open_compress_store (tb, compress, &trace);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MissiveMailboxInfo) inbox = NULL;
  g_autoptr(MissiveMailboxInfo) big = NULL;
  g_autoptr(MissiveMessageSet) some = missive_message_set_new_from_string ("1:1500", NULL);
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (compress_was_used (&trace), ==, compress);

  list = missive_store_list_mailboxes (store, "*", 0, NULL, &error);
  g_assert_no_error (error);
  result->mailboxes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(MissiveMailboxInfo) info = g_list_model_get_item (list, i);

      g_ptr_array_add (result->mailboxes, g_strdup (missive_mailbox_info_get_name (info)));
    }
  g_ptr_array_sort (result->mailboxes, compare_strings);
  g_assert_cmpuint (result->mailboxes->len, >, 1);
  g_clear_object (&list);

  inbox = select_mailbox (store, "INBOX");
  result->inbox_messages = missive_mailbox_info_get_messages (inbox);

  big = select_mailbox (store, BIG_MAILBOX);
  list = missive_store_fetch_summaries (store, some,
                                        MISSIVE_FETCH_ITEMS_SUMMARY |
                                        MISSIVE_FETCH_ITEMS_BODY_STRUCTURE,
                                        0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1500);
  result->summaries = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr(MissiveMessageInfo) info = g_list_model_get_item (list, i);

      g_ptr_array_add (result->summaries, describe_info (info));
    }

  ASSERT_OK (missive_store_fetch_message (store, 4321, sink, NULL, &error));
  ASSERT_OK (g_output_stream_close (sink, NULL, &error));
  result->message = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
  g_assert_cmpuint (g_bytes_get_size (result->message), >, 1000);

  /* Still in step after everything: a NOOP, then a clean LOGOUT. */
  ASSERT_OK (missive_service_noop (MISSIVE_SERVICE (store), NULL, &error));
  close_store (store);
  g_assert_true (g_str_has_suffix (trace.sent->pdata[trace.sent->len - 1], " LOGOUT"));
  g_assert_nonnull (strstr (trace.tagged->pdata[trace.tagged->len - 1], " OK "));
  compress_trace_clear (&trace);
}

/* Bytes on the wire for the summaries of 1000 messages, in a session of
 * its own: (received, sent). */
static void
compress_measure (const MissiveTestbed *tb,
                  gboolean              compress,
                  guint64              *received,
                  guint64              *sent)
{
  CompressTrace trace = { 0 };
  g_autoptr(MissiveStore) store = open_compress_store (tb, compress, &trace);
  g_autoptr(MissiveMailboxInfo) big = NULL;
  g_autoptr(MissiveMessageSet) some = missive_message_set_new_from_string ("1:1000", NULL);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(GError) error = NULL;

  big = select_mailbox (store, BIG_MAILBOX);
  list = missive_store_fetch_summaries (store, some, MISSIVE_FETCH_ITEMS_SUMMARY, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1000);

  if (!compress)
    {
      MissiveReader *reader = missive_service_get_reader (MISSIVE_SERVICE (store));

      *received = missive_reader_get_bytes_read (reader);
      *sent = trace.sent_bytes;
      close_store (store);
    }
  else
    {
      gboolean found = FALSE;

      close_store (store);
      /* The plugin traces its counters before LOGOUT. */
      for (guint i = 0; i < trace.info->len; i++)
        {
          const char *note = trace.info->pdata[i];
          guint64 wire_in, total, wire_out, plain_out;

          if (sscanf (note, "COMPRESS figures: received %" G_GUINT64_FORMAT " bytes on the wire "
                      "since the switch (reader total %" G_GUINT64_FORMAT " bytes), sent %"
                      G_GUINT64_FORMAT " bytes on the wire for %" G_GUINT64_FORMAT,
                      &wire_in, &total, &wire_out, &plain_out) == 4)
            {
              *received = wire_in;
              *sent = wire_out;
              g_test_message ("compressed session: %" G_GUINT64_FORMAT " bytes received on the "
                              "wire (%" G_GUINT64_FORMAT " read by the reader), %"
                              G_GUINT64_FORMAT " sent on the wire for %" G_GUINT64_FORMAT,
                              wire_in, total, wire_out, plain_out);
              found = TRUE;
            }
        }
      g_assert_true (found);
    }
  compress_trace_clear (&trace);
}

/* The same session with and without COMPRESS=DEFLATE gives the same
 * results; compression is visible in the trace and in the byte counts. */
static void
test_compress (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  CompressResult plain = { 0 }, deflated = { 0 };
  guint64 plain_in = 0, plain_out = 0, deflated_in = 0, deflated_out = 0;

  if (tb == NULL)
    return;
  ensure_big_mailbox (tb);

  compress_session (tb, FALSE, &plain);
  compress_session (tb, TRUE, &deflated);

  g_assert_cmpuint (plain.mailboxes->len, ==, deflated.mailboxes->len);
  for (guint i = 0; i < plain.mailboxes->len; i++)
    g_assert_cmpstr (plain.mailboxes->pdata[i], ==, deflated.mailboxes->pdata[i]);
  g_assert_cmpuint (plain.inbox_messages, ==, deflated.inbox_messages);
  g_assert_cmpuint (plain.summaries->len, ==, deflated.summaries->len);
  for (guint i = 0; i < plain.summaries->len; i++)
    g_assert_cmpstr (plain.summaries->pdata[i], ==, deflated.summaries->pdata[i]);
  g_assert_true (g_bytes_equal (plain.message, deflated.message));
  compress_result_clear (&plain);
  compress_result_clear (&deflated);

  compress_measure (tb, FALSE, &plain_in, &plain_out);
  compress_measure (tb, TRUE, &deflated_in, &deflated_out);
  g_test_message ("summaries of 1000 messages: received %" G_GUINT64_FORMAT " bytes plain, %"
                  G_GUINT64_FORMAT " compressed; sent %" G_GUINT64_FORMAT " plain, %"
                  G_GUINT64_FORMAT " compressed",
                  plain_in, deflated_in, plain_out, deflated_out);
  /* Summaries are very repetitive: deflate shrinks them several times. */
  g_assert_cmpuint (deflated_in, >, 0);
  g_assert_cmpuint (deflated_in * 2, <, plain_in);
}

/* The bytes of a message: the maildir file with CRLF line ends. */
static void
test_fetch_compare_with_file (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) expected = NULL;

  if (tb == NULL)
    return;
  ensure_big_mailbox (tb);
  expected = missive_test_testbed_message_file (tb, "user1", BIG_MAILBOX, "uid 4321");

  store = open_store (tb, NULL);
  info = select_mailbox (store, BIG_MAILBOX);
  ASSERT_OK (missive_store_fetch_message (store, 4321, sink, NULL, &error));
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)),
                   expected->str, expected->len);
  close_store (store);
}

/* ---- APPEND, parts, search with non-ASCII text ---- */

#define MULTIPART \
  "From: =?UTF-8?Q?J=C3=B6rg?= <joerg@example.org>\r\n" \
  "To: user1@localhost\r\n" \
  "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=\r\n" \
  "Message-ID: <multipart-1@example.org>\r\n" \
  "MIME-Version: 1.0\r\n" \
  "Content-Type: multipart/mixed; boundary=\"b1\"\r\n" \
  "\r\n" \
  "--b1\r\n" \
  "Content-Type: text/plain; charset=utf-8\r\n" \
  "Content-Transfer-Encoding: quoted-printable\r\n" \
  "\r\n" \
  "Sch=C3=B6ne Gr=C3=BC=C3=9Fe\r\n" \
  "--b1\r\n" \
  "Content-Type: application/octet-stream; name=\"data.bin\"\r\n" \
  "Content-Disposition: attachment; filename=\"data.bin\"\r\n" \
  "Content-Transfer-Encoding: base64\r\n" \
  "\r\n" \
  "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4\r\n" \
  "OTo7PD0+P0BBQkNERUZHSElKS0xNTk9Q\r\n" \
  "--b1--\r\n"

static guint32
append_multipart (MissiveStore *store,
                  const char   *mailbox)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (MULTIPART, strlen (MULTIPART));
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(MissiveMailboxInfo) status = NULL;
  g_autoptr(GError) error = NULL;
  const char * const flags[] = { MISSIVE_FLAG_SEEN, "$Test", NULL };
  g_autoptr(GDateTime) date = g_date_time_new_utc (2023, 12, 24, 18, 30, 0);

  map = missive_store_append_bytes (store, mailbox, bytes, flags, date, NULL, &error);
  g_assert_no_error (error);
  status = missive_store_get_mailbox_status (store, mailbox, NULL, &error);
  g_assert_no_error (error);
  /* UIDPLUS: the new UID, in the mailbox's UID validity. */
  g_assert_cmpuint (missive_uid_map_get_uid_validity (map), ==,
                    missive_mailbox_info_get_uid_validity (status));
  g_assert_null (missive_uid_map_get_source (map));
  g_assert_cmpuint (missive_message_set_get_count (missive_uid_map_get_destination (map)), ==, 1);
  g_assert_cmpuint (missive_message_set_get_min (missive_uid_map_get_destination (map)), ==,
                    missive_mailbox_info_get_uid_next (status) - 1);
  return missive_message_set_get_min (missive_uid_map_get_destination (map));
}

static void
fetch_decoded_part (MissiveStore *store,
                    guint32       uid)
{
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) text = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize length;

  ASSERT_OK (missive_store_fetch_part (store, uid, "2", MISSIVE_FETCH_PART_FLAGS_DECODED,
                                       0, 0, sink, NULL, &error));
  data = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (sink));
  length = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink));
  g_assert_cmpuint (length, ==, 81);
  for (gsize i = 0; i < length; i++)
    g_assert_cmpuint (data[i], ==, i);

  ASSERT_OK (missive_store_fetch_part (store, uid, "1", MISSIVE_FETCH_PART_FLAGS_DECODED,
                                       0, 0, text, NULL, &error));
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (text)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (text)),
                   "Sch\xc3\xb6ne Gr\xc3\xbc\xc3\x9f" "e", 15);
}

static void
test_append_parts_search (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveSearchQuery) query = missive_search_query_new ();
  g_autoptr(MissiveMessageSet) found = NULL;
  g_autoptr(MissiveMessageSet) one = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MissiveMessageInfo) m = NULL;
  g_autoptr(GError) error = NULL;
  guint32 uid;

  if (tb == NULL)
    return;
  store = open_store (tb, NULL);
  ensure_mailbox (store, "Parts");
  uid = append_multipart (store, "Parts");
  info = select_mailbox (store, "Parts");

  /* BINARY (Dovecot has it) */
  fetch_decoded_part (store, uid);

  /* The summary: decoded subject and names, flags, date, structure. */
  one = missive_message_set_new_single (uid);
  list = missive_store_fetch_summaries (store, one,
                                        MISSIVE_FETCH_ITEMS_SUMMARY |
                                        MISSIVE_FETCH_ITEMS_BODY_STRUCTURE, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  m = g_list_model_get_item (list, 0);
  g_assert_cmpstr (missive_message_info_get_subject (m), ==,
                   "Gr\xc3\xbc\xc3\x9f" "e aus K\xc3\xb6ln");
  g_assert_true (missive_message_info_has_flag (m, "$Test"));
  g_assert_cmpuint (missive_body_part_get_n_children (missive_message_info_get_body_structure (m)), ==, 2);

  /* CHARSET UTF-8 and a literal for the non-ASCII text. */
  missive_search_query_add_text (query, MISSIVE_SEARCH_FIELD_SUBJECT, "Gr\xc3\xbc\xc3\x9f" "e");
  found = missive_store_search (store, query, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_message_set_contains (found, uid));
  close_store (store);

  /* Without BINARY: decoded here. */
  store = open_store (tb, "BINARY");
  g_clear_object (&info);
  info = select_mailbox (store, "Parts");
  fetch_decoded_part (store, uid);
  close_store (store);
}

/* ---- COPY, MOVE and the fallback ---- */

static guint
count_messages (MissiveStore *store,
                const char   *mailbox)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMailboxInfo) status = missive_store_get_mailbox_status (store, mailbox, NULL, &error);

  g_assert_no_error (error);
  return missive_mailbox_info_get_messages (status);
}

static void
test_copy_move (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string ("2,4:6", NULL);
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(GError) error = NULL;
  guint before;

  if (tb == NULL)
    return;
  g_assert_true (missive_test_testbed_populate (tb, 10, 1024, NULL, "CopySource", &error));
  g_assert_no_error (error);
  store = open_store (tb, NULL);
  ensure_mailbox (store, "CopyTarget");
  info = select_mailbox (store, "CopySource");
  before = count_messages (store, "CopyTarget");

  map = missive_store_copy_messages (store, set, "CopyTarget", FALSE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_uid_map_get_uid_validity (map), !=, 0);
  g_assert_true (missive_message_set_equal (missive_uid_map_get_source (map), set));
  g_assert_cmpuint (missive_message_set_get_count (missive_uid_map_get_destination (map)), ==, 4);
  g_assert_cmpuint (missive_uid_map_lookup (map, 4), !=, 0);
  g_assert_cmpuint (count_messages (store, "CopyTarget"), ==, before + 4);
  g_assert_cmpuint (count_messages (store, "CopySource"), ==, 10);
  g_clear_object (&map);

  /* MOVE */
  map = missive_store_copy_messages (store, set, "CopyTarget", TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_message_set_get_count (missive_uid_map_get_destination (map)), ==, 4);
  g_assert_cmpuint (count_messages (store, "CopyTarget"), ==, before + 8);
  g_assert_cmpuint (count_messages (store, "CopySource"), ==, 6);
  close_store (store);
}

/* MOVE hidden: COPY + STORE \Deleted + UID EXPUNGE of just those; another
 * message flagged \Deleted stays. */
static void
test_move_fallback (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageSet) set = missive_message_set_new_from_string ("1:3", NULL);
  g_autoptr(MissiveMessageSet) other = missive_message_set_new_single (5);
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MissiveSearchQuery) deleted = missive_search_query_new ();
  g_autoptr(MissiveMessageSet) found = NULL;
  g_autoptr(GError) error = NULL;
  const char * const flags[] = { MISSIVE_FLAG_DELETED, NULL };

  if (tb == NULL)
    return;
  g_assert_true (missive_test_testbed_populate (tb, 8, 1024, NULL, "FallbackSource", &error));
  g_assert_no_error (error);
  store = open_store (tb, "MOVE");
  g_assert_false (missive_service_has_capability (MISSIVE_SERVICE (store), "MOVE"));
  ensure_mailbox (store, "FallbackTarget");
  info = select_mailbox (store, "FallbackSource");

  list = missive_store_set_flags (store, other, MISSIVE_FLAG_CHANGE_ADD, flags, 0, NULL, &error);
  g_assert_no_error (error);
  map = missive_store_copy_messages (store, set, "FallbackTarget", TRUE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_message_set_get_count (missive_uid_map_get_destination (map)), ==, 3);
  g_assert_cmpuint (count_messages (store, "FallbackTarget"), ==, 3);
  g_assert_cmpuint (count_messages (store, "FallbackSource"), ==, 5);
  /* UID 5 is still there, still \Deleted. */
  missive_search_query_add_flag (deleted, MISSIVE_FLAG_DELETED, TRUE);
  found = missive_store_search (store, deleted, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (missive_message_set_equal (found, other));
  close_store (store);
}

/* ---- CONDSTORE ---- */

static void
test_condstore (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageSet) all = all_set ();
  g_autoptr(MissiveMessageSet) seven = missive_message_set_new_single (7);
  g_autoptr(GListModel) list = NULL;
  g_autoptr(MissiveMessageInfo) changed = NULL;
  g_autoptr(MissiveMailboxInfo) status = NULL;
  g_autoptr(GError) error = NULL;
  const char * const flags[] = { MISSIVE_FLAG_FLAGGED, NULL };
  guint64 modseq;

  if (tb == NULL)
    return;
  g_assert_true (missive_test_testbed_populate (tb, 12, 1024, NULL, "Condstore", &error));
  g_assert_no_error (error);
  store = open_store (tb, NULL);
  info = select_mailbox (store, "Condstore");
  g_assert_cmpuint (missive_mailbox_info_get_highest_modseq (info), >, 0);

  /* populate.sh flags messages at random: start from a UID 7 without
   * \Flagged (else adding it changes nothing and no modseq moves). */
  list = missive_store_set_flags (store, seven, MISSIVE_FLAG_CHANGE_REMOVE, flags, 0, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&list);
  status = missive_store_get_mailbox_status (store, "Condstore", NULL, &error);
  g_assert_no_error (error);
  modseq = missive_mailbox_info_get_highest_modseq (status);
  g_assert_cmpuint (modseq, >, 0);

  list = missive_store_set_flags (store, seven, MISSIVE_FLAG_CHANGE_ADD, flags, 0, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&list);

  list = missive_store_fetch_summaries (store, all, MISSIVE_FETCH_ITEMS_FLAGS | MISSIVE_FETCH_ITEMS_MODSEQ,
                                        modseq, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
  changed = g_list_model_get_item (list, 0);
  g_assert_cmpuint (missive_message_info_get_uid (changed), ==, 7);
  g_assert_cmpuint (missive_message_info_get_modseq (changed), >, modseq);
  g_assert_true (missive_message_info_has_flag (changed, MISSIVE_FLAG_FLAGGED));
  g_clear_object (&list);

  /* UNCHANGEDSINCE an older modseq: left alone, reported as a warning. */
  list = missive_store_set_flags (store, seven, MISSIVE_FLAG_CHANGE_REMOVE, flags, modseq, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 0);
  close_store (store);
}

/* ---- ACL and QUOTA ---- */

typedef struct
{
  guint count;
  gboolean saw_user2;
} AclSeen;

static void
on_mailbox_acl (MissiveStore *store,
                const char   *mailbox,
                const char   *identifier,
                const char   *rights,
                AclSeen      *seen)
{
  seen->count++;
  if (g_str_equal (identifier, "user2") && g_str_equal (rights, "lr"))
    seen->saw_user2 = TRUE;
}

static gboolean
acl_has (GListModel *acl,
         const char *identifier,
         const char *rights)
{
  for (guint i = 0; i < g_list_model_get_n_items (acl); i++)
    {
      g_autoptr(MissiveAclEntry) entry = g_list_model_get_item (acl, i);

      if (g_str_equal (missive_acl_entry_get_identifier (entry), identifier) &&
          (rights == NULL || g_str_equal (missive_acl_entry_get_rights (entry), rights)))
        return TRUE;
    }
  return FALSE;
}

static void
test_acl_quota (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(GListModel) quotas = NULL;
  g_autoptr(MissiveQuota) quota = NULL;
  g_autoptr(GListModel) acl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rights = NULL;
  AclSeen seen = { 0, FALSE };

  if (tb == NULL)
    return;
  store = open_store (tb, NULL);
  ensure_mailbox (store, "Shared");

  quotas = missive_store_get_quota (store, "INBOX", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (quotas), ==, 1);
  quota = g_list_model_get_item (quotas, 0);
  g_assert_cmpstr (missive_quota_get_root (quota), ==, "User quota");
  g_assert_cmpuint (missive_quota_get_limit (quota, "STORAGE"), ==, 1024 * 1024);
  g_assert_cmpuint (missive_quota_get_limit (quota, "MESSAGE"), ==, 1000000);

  rights = missive_store_get_my_rights (store, "Shared", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strchr (rights, 'l'));
  g_assert_nonnull (strchr (rights, 'a'));

  g_signal_connect (store, "mailbox-acl", G_CALLBACK (on_mailbox_acl), &seen);
  ASSERT_OK (missive_store_set_acl (store, "Shared", "user2", "lr", NULL, &error));
  acl = missive_store_get_acl (store, "Shared", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (acl_has (acl, "user2", "lr"));
  g_assert_true (acl_has (acl, "user1", NULL));
  g_assert_true (seen.saw_user2);
  g_assert_cmpuint (seen.count, ==, g_list_model_get_n_items (acl));
  g_clear_object (&acl);

  ASSERT_OK (missive_store_set_acl (store, "Shared", "user2", NULL, NULL, &error));
  acl = missive_store_get_acl (store, "Shared", NULL, &error);
  g_assert_no_error (error);
  g_assert_false (acl_has (acl, "user2", NULL));
  close_store (store);
}

/* ---- THREAD, NAMESPACE, QRESYNC, MULTIAPPEND, REPLACE, LISTRIGHTS,
 * GETQUOTA, METADATA, ID/ENABLE (session 3) ---- */

/* A message with its threading headers; @day orders the conversation. */
static MissiveAppendItem *
thread_item (const char *id,
             const char *parent,
             const char *subject,
             int         day)
{
  g_autofree char *references = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  if (parent != NULL)
    references = g_strdup_printf ("In-Reply-To: <%s@example.org>\r\n"
                                  "References: <%s@example.org>\r\n", parent, parent);
  text = g_strdup_printf ("From: a@example.org\r\nTo: b@example.org\r\n"
                          "Date: %02d Mar 2024 10:00:00 +0000\r\n"
                          "Message-ID: <%s@example.org>\r\n%s"
                          "Subject: %s\r\n\r\nbody of %s\r\n",
                          day, id, references != NULL ? references : "", subject, id);
  bytes = g_bytes_new_take (text, strlen (text));
  return missive_append_item_new_from_bytes (bytes);
}

static GPtrArray *
conversation_items (void)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  const char * const seen[] = { MISSIVE_FLAG_SEEN, NULL };

  g_ptr_array_add (items, thread_item ("a", NULL, "Hello", 1));
  g_ptr_array_add (items, thread_item ("b", "a", "Re: Hello", 2));
  g_ptr_array_add (items, thread_item ("c", "b", "Re: Hello", 3));
  g_ptr_array_add (items, thread_item ("d", NULL, "Other", 4));
  missive_append_item_set_flags (items->pdata[3], seen);
  return items;
}

static char *
root_text (GListModel *roots,
           guint       i)
{
  g_autoptr(MissiveThreadNode) node = g_list_model_get_item (roots, i);

  return missive_thread_node_to_string (node);
}

/* MULTIAPPEND of a conversation, THREAD REFERENCES and ORDEREDSUBJECT,
 * SORT through ESORT, NAMESPACE. */
static void
test_thread_namespace (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(GPtrArray) items = conversation_items ();
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveSearchQuery) all = missive_search_query_new ();
  g_autoptr(GListModel) roots = NULL;
  g_autoptr(GListModel) subjects = NULL;
  g_autoptr(GListModel) namespaces = NULL;
  g_autoptr(MissiveNamespace) personal = NULL;
  g_autoptr(GArray) sorted = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uids = NULL;
  g_autofree char *first = NULL, *second = NULL;
  guint total = 0;

  if (tb == NULL)
    return;
  store = open_store (tb, NULL);
  g_assert_true (missive_service_has_capability (MISSIVE_SERVICE (store), "MULTIAPPEND"));
  ensure_mailbox (store, "Threads");
  map = missive_store_append_messages (store, "Threads", items, NULL, &error);
  g_assert_no_error (error);
  uids = missive_message_set_to_string (missive_uid_map_get_destination (map));
  g_assert_cmpstr (uids, ==, "1:4");
  info = select_mailbox (store, "Threads");
  g_assert_cmpuint (missive_mailbox_info_get_messages (info), ==, 4);

  roots = missive_store_thread (store, "REFERENCES", all, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (roots), ==, 2);
  first = root_text (roots, 0);
  second = root_text (roots, 1);
  g_assert_cmpstr (first, ==, "1 2 3");
  g_assert_cmpstr (second, ==, "4");

  subjects = missive_store_thread (store, "orderedsubject", all, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (subjects), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(MissiveThreadNode) node = g_list_model_get_item (subjects, i);

      total += missive_thread_node_get_n_messages (node);
    }
  g_assert_cmpuint (total, ==, 4);

  /* Dovecot offers ESORT: SORT asks for RETURN (ALL). */
  g_assert_true (missive_service_has_capability (MISSIVE_SERVICE (store), "ESORT"));
  sorted = missive_store_sort (store, "REVERSE DATE", all, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sorted->len, ==, 4);
  g_assert_cmpuint (g_array_index (sorted, guint32, 0), ==, 4);
  g_assert_cmpuint (g_array_index (sorted, guint32, 3), ==, 1);

  namespaces = missive_store_get_namespaces (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (namespaces), >=, 1);
  personal = g_list_model_get_item (namespaces, 0);
  g_assert_cmpint (missive_namespace_get_kind (personal), ==, MISSIVE_NAMESPACE_KIND_PERSONAL);
  g_assert_cmpstr (missive_namespace_get_prefix (personal), ==, "");
  g_assert_cmpstr (missive_namespace_get_separator (personal), ==, "/");
  close_store (store);
}

static void
check_resync (MissiveStore       *store,
              guint32             uid_validity,
              guint64             modseq,
              gboolean            all_flags)
{
  g_autoptr(MissiveMessageSet) known = missive_message_set_new_from_string ("1:5", NULL);
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMessageSet) vanished = NULL;
  g_autoptr(GListModel) changed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean saw_two = FALSE;

  info = missive_store_resync_mailbox (store, "Resync", FALSE, uid_validity, modseq, known,
                                       &vanished, &changed, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_mailbox_info_get_uid_validity (info), ==, uid_validity);
  g_assert_cmpstr (missive_store_get_selected_mailbox (store), ==, "Resync");
  text = missive_message_set_to_string (vanished);
  g_assert_cmpstr (text, ==, "4");
  for (guint i = 0; i < g_list_model_get_n_items (changed); i++)
    {
      g_autoptr(MissiveMessageInfo) message = g_list_model_get_item (changed, i);

      g_assert_cmpuint (missive_message_info_get_uid (message), !=, 4);
      if (missive_message_info_get_uid (message) == 2)
        {
          saw_two = TRUE;
          g_assert_true (missive_message_info_has_flag (message, MISSIVE_FLAG_FLAGGED));
          g_assert_cmpuint (missive_message_info_get_modseq (message), >, modseq);
        }
    }
  g_assert_true (saw_two);
  /* With MODSEQ, only what changed since; never more than what is left. */
  g_assert_cmpuint (g_list_model_get_n_items (changed), <=, all_flags ? 4 : 1);
}

/* QRESYNC after changes made by another connection (flags, an expunge);
 * then the same without QRESYNC (UID SEARCH + CHANGEDSINCE). */
static void
test_qresync_resync (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveStore) other = NULL;
  g_autoptr(MissiveStore) plain = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMailboxInfo) other_info = NULL;
  g_autoptr(MissiveMessageSet) two = missive_message_set_new_single (2);
  g_autoptr(MissiveMessageSet) four = missive_message_set_new_single (4);
  g_autoptr(GListModel) flagged = NULL;
  g_autoptr(GHashTable) id = NULL;
  g_auto(GStrv) enabled = NULL;
  g_autoptr(GError) error = NULL;
  const char * const flag[] = { MISSIVE_FLAG_FLAGGED, NULL };
  const char * const deleted[] = { MISSIVE_FLAG_DELETED, NULL };
  guint32 uid_validity;
  guint64 modseq;

  if (tb == NULL)
    return;
  g_assert_true (missive_test_testbed_populate (tb, 5, 512, NULL, "Resync", &error));
  g_assert_no_error (error);
  store = open_store (tb, NULL);

  g_object_get (store, "server-id", &id, "enabled-extensions", &enabled, NULL);
  g_assert_nonnull (id);
  g_assert_cmpstr (g_hash_table_lookup (id, "name"), ==, "Dovecot");
  g_assert_true (g_strv_contains ((const char * const *) enabled, "QRESYNC"));

  info = select_mailbox (store, "Resync");
  uid_validity = missive_mailbox_info_get_uid_validity (info);
  modseq = missive_mailbox_info_get_highest_modseq (info);
  g_assert_cmpuint (modseq, >, 0);
  ASSERT_OK (missive_store_close_mailbox (store, FALSE, NULL, &error));

  /* Another client changes the mailbox meanwhile. */
  other = open_store (tb, NULL);
  other_info = select_mailbox (other, "Resync");
  /* (populate.sh's messages are \Seen already) */
  flagged = missive_store_set_flags (other, two, MISSIVE_FLAG_CHANGE_ADD, flag, 0, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&flagged);
  flagged = missive_store_set_flags (other, four, MISSIVE_FLAG_CHANGE_ADD, deleted, 0, NULL, &error);
  g_assert_no_error (error);
  ASSERT_OK (missive_store_expunge (other, four, NULL, &error));
  close_store (other);

  check_resync (store, uid_validity, modseq, FALSE);
  close_store (store);

  /* Without QRESYNC (hidden): SELECT, UID SEARCH ALL, UID FETCH with
   * CHANGEDSINCE. */
  plain = open_store (tb, "QRESYNC");
  g_clear_pointer (&enabled, g_strfreev);
  g_object_get (plain, "enabled-extensions", &enabled, NULL);
  g_assert_false (g_strv_contains ((const char * const *) enabled, "QRESYNC"));
  check_resync (plain, uid_validity, modseq, FALSE);
  close_store (plain);
}

/* REPLACE (or its fallback where Dovecot does not offer it), LISTRIGHTS,
 * GETQUOTA by root, SETQUOTA refused to a user, METADATA. */
static void
test_replace_admin (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(GPtrArray) items = conversation_items ();
  g_autoptr(MissiveUidMap) map = NULL;
  g_autoptr(MissiveUidMap) replaced = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveQuota) quota = NULL;
  g_autoptr(MissiveQuota) change = missive_quota_new ("User quota");
  g_autoptr(GHashTable) values = NULL;
  g_autoptr(GHashTable) removed = NULL;
  g_auto(GStrv) rights = NULL;
  g_autoptr(GError) error = NULL;
  const char * const entries[] = { "/private/comment", "/shared/comment", NULL };
  guint32 old_uid;

  if (tb == NULL)
    return;
  store = open_store (tb, NULL);
  ensure_mailbox (store, "Replace");
  g_ptr_array_set_size (items, 1);
  map = missive_store_append_messages (store, "Replace", items, NULL, &error);
  g_assert_no_error (error);
  old_uid = missive_message_set_get_min (missive_uid_map_get_destination (map));
  info = select_mailbox (store, "Replace");
  g_ptr_array_unref (items);
  items = conversation_items ();
  replaced = missive_store_replace_message (store, old_uid, "Replace", items->pdata[1], NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_message_set_get_min (missive_uid_map_get_destination (replaced)), >, old_uid);
  g_assert_cmpuint (count_messages (store, "Replace"), ==, 1);

  ensure_mailbox (store, "Shared");
  rights = missive_store_list_rights (store, "Shared", "user2", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (rights), >=, 2);

  quota = missive_store_get_quota_by_root (store, "User quota", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (missive_quota_get_root (quota), ==, "User quota");
  g_assert_cmpuint (missive_quota_get_limit (quota, "STORAGE"), ==, 1024 * 1024);
  /* Only an administrator may change limits. */
  missive_quota_add_resource (change, "STORAGE", 0, 2048);
  g_assert_false (missive_store_set_quota (store, change, NULL, &error));
  g_assert_true (g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO) ||
                 g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_BAD));
  g_clear_error (&error);

  ASSERT_OK (missive_store_set_metadata (store, "Shared", "/private/comment", "Team mailbox", NULL, &error));
  values = missive_store_get_metadata (store, "Shared", entries, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (values, "/private/comment"), ==, "Team mailbox");
  g_assert_false (g_hash_table_contains (values, "/shared/comment"));
  ASSERT_OK (missive_store_set_metadata (store, "Shared", "/private/comment", NULL, NULL, &error));
  removed = missive_store_get_metadata (store, "Shared", entries, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (removed), ==, 0);
  close_store (store);
}

/* ---- IDLE ---- */

typedef struct
{
  const MissiveTestbed *tb;
  MissiveStore *store;
  gboolean delivered;
  gboolean idle_done;
  gboolean idle_ok;
  gboolean timed_out;
  guint exists;
  GError *error;
} IdleRun;

static void
on_idle_changed (MissiveStore *store,
                 const char   *mailbox,
                 const char   *what,
                 guint         number,
                 IdleRun      *run)
{
  if (run->delivered && g_str_equal (what, "exists"))
    {
      run->exists = number;
      missive_store_stop_idle (store);
    }
}

static gboolean
deliver_now (gpointer user_data)
{
  IdleRun *run = user_data;
  g_autoptr(GError) error = NULL;

  /* The message lands while the IDLE is running (or about to). */
  run->delivered = TRUE;
  g_assert_true (missive_test_testbed_deliver (run->tb, "user1@localhost",
                                               "From: tester@localhost\n"
                                               "Subject: idle test\n\n"
                                               "delivered while idling\n", &error));
  g_assert_no_error (error);
  return G_SOURCE_REMOVE;
}

static gboolean
give_up (gpointer user_data)
{
  IdleRun *run = user_data;

  run->timed_out = TRUE;
  missive_store_stop_idle (run->store);
  return G_SOURCE_REMOVE;
}

static void
on_idle_finished (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  IdleRun *run = user_data;

  run->idle_ok = missive_store_idle_finish (MISSIVE_STORE (source), result, &run->error);
  run->idle_done = TRUE;
}

static void
test_idle_sees_lmtp_delivery (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveStore) store = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  IdleRun run = { 0, };
  guint before;
  guint timer;
  guint deliver;

  if (tb == NULL)
    return;
  store = open_store (tb, NULL);
  info = select_mailbox (store, "INBOX");
  before = missive_mailbox_info_get_messages (info);

  run.tb = tb;
  run.store = store;
  g_signal_connect (store, "mailbox-changed", G_CALLBACK (on_idle_changed), &run);
  missive_store_idle_async (store, G_PRIORITY_DEFAULT, NULL, on_idle_finished, &run);
  deliver = g_timeout_add (300, deliver_now, &run);
  timer = g_timeout_add_seconds (WAIT_SECONDS, give_up, &run);
  while (!run.idle_done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timer);
  if (!run.delivered)
    g_source_remove (deliver);

  g_assert_no_error (run.error);
  g_assert_true (run.idle_ok);
  g_assert_false (run.timed_out);
  g_assert_cmpuint (run.exists, ==, before + 1);
  close_store (store);
}

int
main (int    argc,
      char **argv)
{
  missive_test_init (&argc, &argv);

  g_test_add_func ("/testbed/imap/login/mechanisms", test_login_mechanisms);
  g_test_add_func ("/testbed/imap/login/command", test_login_command);
  g_test_add_func ("/testbed/imap/login/oauth", test_login_oauth);
  g_test_add_func ("/testbed/imap/login/ntlm", test_login_ntlm);
  g_test_add_func ("/testbed/imap/login/wrong-password", test_login_wrong_password);
  g_test_add_func ("/testbed/imap/mailbox/list-status-select", test_list_status_select);
  g_test_add_func ("/testbed/imap/mailbox/names", test_mailbox_names);
  g_test_add_func ("/testbed/imap/message/big-mailbox", test_big_mailbox);
  g_test_add_func ("/testbed/imap/message/fetch-compare-with-file", test_fetch_compare_with_file);
  g_test_add_func ("/testbed/imap/compress", test_compress);
  g_test_add_func ("/testbed/imap/message/append-parts-search", test_append_parts_search);
  g_test_add_func ("/testbed/imap/message/copy-move", test_copy_move);
  g_test_add_func ("/testbed/imap/message/move-fallback", test_move_fallback);
  g_test_add_func ("/testbed/imap/message/condstore", test_condstore);
  g_test_add_func ("/testbed/imap/extra/acl-quota", test_acl_quota);
  g_test_add_func ("/testbed/imap/idle/lmtp-delivery", test_idle_sees_lmtp_delivery);
  g_test_add_func ("/testbed/imap/extra/thread-namespace", test_thread_namespace);
  g_test_add_func ("/testbed/imap/extra/qresync", test_qresync_resync);
  g_test_add_func ("/testbed/imap/extra/replace-admin", test_replace_admin);

  return g_test_run ();
}
