/* getting-started.c: send a message over SMTP submission, find it over
 * IMAP, retrieve it over POP3.
 *
 * Build:  cc getting-started.c -o getting-started $(pkg-config --cflags --libs missive-1.0)
 * Run:    MISSIVE_EXAMPLE_USER=alice MISSIVE_EXAMPLE_PASSWORD=... \
 *         MISSIVE_EXAMPLE_ADDRESS=alice@example.org MISSIVE_EXAMPLE_HOST=mail.example.org \
 *         ./getting-started
 *
 * The other settings, all optional: MISSIVE_EXAMPLE_SUBMISSION_PORT (587),
 * MISSIVE_EXAMPLE_IMAPS_PORT (993), MISSIVE_EXAMPLE_POP3S_PORT (995) and
 * MISSIVE_EXAMPLE_CA_FILE (a PEM file of trusted CAs, used instead of the
 * system's).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <missive/missive.h>

static const char *
setting (const char *name,
         const char *fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? value : fallback;
}

/* Makes a service for @scheme on the configured host and sets the
 * credentials. Nothing is sent until the service is opened. */
static MissiveService *
make_service (const char  *scheme,
              const char  *port_setting,
              const char  *default_port,
              GError     **error)
{
  g_autofree char *uri = NULL;
  MissiveService *service;

  uri = g_strdup_printf ("%s://%s:%s", scheme,
                         setting ("MISSIVE_EXAMPLE_HOST", "localhost"),
                         setting (port_setting, default_port));
  service = missive_engine_create_service (missive_engine_get_default (), uri, error);
  if (service == NULL)
    return NULL;

  missive_service_set_username (service, g_getenv ("MISSIVE_EXAMPLE_USER"));
  missive_service_set_password (service, g_getenv ("MISSIVE_EXAMPLE_PASSWORD"));
  if (g_getenv ("MISSIVE_EXAMPLE_CA_FILE") != NULL)
    missive_service_set_ca_file (service, g_getenv ("MISSIVE_EXAMPLE_CA_FILE"));
  return service;
}

/* Builds a short text message to ourselves and hands it to the
 * submission server (STARTTLS, then AUTH). */
static gboolean
send_hello (const char  *subject,
            GError     **error)
{
  const char *address = setting ("MISSIVE_EXAMPLE_ADDRESS", g_getenv ("MISSIVE_EXAMPLE_USER"));
  g_autoptr(MissiveService) sender = NULL;
  g_autoptr(MissiveMessageBuilder) builder = NULL;
  g_autoptr(MissiveSendResult) result = NULL;
  GMimeMessage *message;

  builder = missive_message_builder_new ();
  if (!missive_message_builder_set_from (builder, "Missive Example", address, error) ||
      !missive_message_builder_add_to (builder, NULL, address, error) ||
      !missive_message_builder_set_subject (builder, subject, error) ||
      !missive_message_builder_set_text_body (builder, "Hello from C.\n", error))
    return FALSE;
  message = missive_message_builder_build (builder, error);
  if (message == NULL)
    return FALSE;

  sender = make_service ("submission", "MISSIVE_EXAMPLE_SUBMISSION_PORT", "587", error);
  if (sender == NULL || !missive_service_open (sender, NULL, error))
    {
      g_object_unref (message);
      return FALSE;
    }

  /* No envelope: the sender and recipients are taken from the headers. */
  result = missive_sender_send_message (MISSIVE_SENDER (sender), message, NULL, NULL,
                                        NULL, error);
  g_object_unref (message);
  if (result == NULL)
    return FALSE;
  g_print ("sent: %u recipient(s) accepted\n", missive_send_result_get_n_accepted (result));

  return missive_service_close (sender, NULL, error);
}

/* Lists the mailboxes, then waits for the message to be delivered to
 * INBOX, finds it with SEARCH and fetches it as a GMimeMessage. */
static gboolean
read_over_imap (const char  *subject,
                GError     **error)
{
  g_autoptr(MissiveService) service = NULL;
  g_autoptr(GListModel) mailboxes = NULL;
  g_autoptr(MissiveSearchQuery) query = NULL;
  MissiveStore *store;
  GMimeMessage *message;
  guint32 uid = 0;

  service = make_service ("imaps", "MISSIVE_EXAMPLE_IMAPS_PORT", "993", error);
  if (service == NULL || !missive_service_open (service, NULL, error))
    return FALSE;
  store = MISSIVE_STORE (service);

  mailboxes = missive_store_list_mailboxes (store, NULL, MISSIVE_LIST_FLAGS_NONE, NULL, error);
  if (mailboxes == NULL)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (mailboxes); i++)
    {
      g_autoptr(MissiveMailboxInfo) info = g_list_model_get_item (mailboxes, i);

      g_print ("mailbox: %s\n", missive_mailbox_info_get_name (info));
    }

  query = missive_search_query_new ();
  missive_search_query_add_text (query, MISSIVE_SEARCH_FIELD_SUBJECT, subject);

  /* Delivery takes a moment: select again (to see new mail) and search,
   * for up to 30 seconds. An application would rather wait with IDLE. */
  for (int attempt = 0; attempt < 150 && uid == 0; attempt++)
    {
      g_autoptr(MissiveMailboxInfo) inbox = NULL;
      g_autoptr(MissiveMessageSet) found = NULL;

      inbox = missive_store_select_mailbox (store, "INBOX", TRUE, NULL, error);
      if (inbox == NULL)
        return FALSE;
      found = missive_store_search (store, query, NULL, error);
      if (found == NULL)
        return FALSE;
      if (!missive_message_set_is_empty (found))
        uid = missive_message_set_get_max (found);
      else
        g_usleep (200 * G_TIME_SPAN_MILLISECOND);
    }
  if (uid == 0)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                   "the message did not arrive in INBOX");
      return FALSE;
    }

  message = missive_store_fetch_mime_message (store, uid, NULL, error);
  if (message == NULL)
    return FALSE;
  g_print ("imap: UID %u, \"%s\"\n", uid, g_mime_message_get_subject (message));
  g_object_unref (message);

  return missive_service_close (service, NULL, error);
}

/* Counts the messages in the POP3 maildrop and retrieves the newest. */
static gboolean
retrieve_over_pop3 (GError **error)
{
  g_autoptr(MissiveService) service = NULL;
  g_autoptr(MissiveMailboxInfo) maildrop = NULL;
  MissiveStore *store;
  GMimeMessage *message;
  guint32 count;

  service = make_service ("pop3s", "MISSIVE_EXAMPLE_POP3S_PORT", "995", error);
  if (service == NULL || !missive_service_open (service, NULL, error))
    return FALSE;
  store = MISSIVE_STORE (service);

  /* POP3 has one mailbox; message numbers run from 1 to the count. */
  maildrop = missive_store_select_mailbox (store, "INBOX", TRUE, NULL, error);
  if (maildrop == NULL)
    return FALSE;
  count = missive_mailbox_info_get_messages (maildrop);
  if (count == 0)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_FAILED, "the maildrop is empty");
      return FALSE;
    }

  message = missive_store_fetch_mime_message (store, count, NULL, error);
  if (message == NULL)
    return FALSE;
  g_print ("pop3: %u message(s), newest \"%s\"\n", count,
           g_mime_message_get_subject (message));
  g_object_unref (message);

  return missive_service_close (service, NULL, error);
}

int
main (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;

  if (g_getenv ("MISSIVE_EXAMPLE_USER") == NULL || g_getenv ("MISSIVE_EXAMPLE_PASSWORD") == NULL)
    {
      g_printerr ("Set MISSIVE_EXAMPLE_USER and MISSIVE_EXAMPLE_PASSWORD.\n");
      return 2;
    }

  subject = g_strdup_printf ("Getting started in C, %" G_GINT64_FORMAT, g_get_real_time ());
  if (!send_hello (subject, &error) ||
      !read_over_imap (subject, &error) ||
      !retrieve_over_pop3 (&error))
    {
      g_printerr ("getting-started: %s\n", error->message);
      return 1;
    }
  return 0;
}
