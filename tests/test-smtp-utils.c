/* test-smtp-utils.c: what the SMTP suites against real servers share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "test-smtp-utils.h"

/* ---- the plugin ----------------------------------------------------------------- */

/* TRUE when a plugin handles the SMTP schemes. Without one the cases skip
 * (fail with MISSIVE_TESTBED_REQUIRED=1, as a missing testbed does). */
gboolean
have_smtp_plugin (void)
{
  g_auto(GStrv) schemes = missive_engine_list_schemes (missive_engine_get_default ());

  if (g_strv_contains ((const char * const *) schemes, "submission") &&
      g_strv_contains ((const char * const *) schemes, "lmtp"))
    return TRUE;
  if (g_strcmp0 (g_getenv ("MISSIVE_TESTBED_REQUIRED"), "1") == 0)
    g_test_fail_printf ("no plugin handles submission:// and lmtp://");
  else
    g_test_skip ("no plugin handles submission:// and lmtp:// (plugins/smtp not built)");
  return FALSE;
}

/* ---- the protocol trace ----------------------------------------------------------- */

/* Lines as "C: ...", "S: ..." or "*: ...", in the order they were reported. */
void
trace_cb (MissiveService        *service,
          MissiveTraceDirection  direction,
          const char            *line,
          gpointer               user_data)
{
  GPtrArray *trace = user_data;
  char tag = direction == MISSIVE_TRACE_SENT ? 'C' : direction == MISSIVE_TRACE_RECEIVED ? 'S' : '*';
  g_autofree char *copy = g_strdup (line);

  g_strchomp (copy);
  g_ptr_array_add (trace, g_strdup_printf ("%c: %s", tag, copy));
}

/* The index of the first line from @from that starts with @prefix
 * (case-insensitive), or -1. */
int
trace_find (GPtrArray  *trace,
            guint       from,
            const char *prefix)
{
  for (guint i = from; i < trace->len; i++)
    if (g_ascii_strncasecmp (g_ptr_array_index (trace, i), prefix, strlen (prefix)) == 0)
      return (int) i;
  return -1;
}

guint
trace_count (GPtrArray  *trace,
             const char *prefix)
{
  guint n = 0;

  for (int i = trace_find (trace, 0, prefix); i >= 0; i = trace_find (trace, (guint) i + 1, prefix))
    n++;
  return n;
}

void
trace_dump (GPtrArray *trace)
{
  for (guint i = 0; i < trace->len; i++)
    {
      const char *line = g_ptr_array_index (trace, i);

      /* Message data is not interesting, and could be megabytes. */
      if (strlen (line) < 200)
        g_test_message ("%s", line);
    }
}

/* ---- connecting ------------------------------------------------------------------ */

MissiveSender *
open_sender_full (const char            *host,
                  const char            *ca_file,
                  const MissiveTestbed  *tb,
                  const Conn            *conn,
                  GPtrArray             *trace,
                  GError               **error)
{
  g_autofree char *uri = g_strdup_printf ("%s://%s:%u", conn->scheme, host, conn->port);
  g_autoptr(MissiveService) service = NULL;

  service = missive_engine_create_service (missive_engine_get_default (), uri, error);
  if (service == NULL)
    return NULL;
  g_assert_true (MISSIVE_IS_SENDER (service));
  missive_service_set_security (service, conn->security);
  if (ca_file != NULL)
    missive_service_set_ca_file (service, ca_file);
  missive_service_set_timeout (service, 60);
  if (!conn->anonymous)
    {
      missive_service_set_username (service, conn->user != NULL ? conn->user : tb->user1);
      if (conn->token != NULL)
        missive_service_set_oauth_token (service, conn->token);
      else
        missive_service_set_password (service, conn->password != NULL ? conn->password : tb->pass1);
    }
  if (conn->mechanism != NULL)
    missive_service_set_auth_mechanism (service, conn->mechanism);
  if (trace != NULL)
    g_signal_connect (service, "protocol-trace", G_CALLBACK (trace_cb), trace);
  if (!missive_service_open (service, NULL, error))
    return NULL;
  return MISSIVE_SENDER (g_steal_pointer (&service));
}

void
close_sender (MissiveSender *sender)
{
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_close (MISSIVE_SERVICE (sender), NULL, &error));
}

/* ---- messages ------------------------------------------------------------------- */

/* A Message-ID no other case or run uses. */
char *
new_message_id (const char *tag)
{
  return g_strdup_printf ("<missive-smtp-%s-%08x%08x@localhost>", tag,
                          g_random_int (), g_random_int ());
}

/* A raw message with CRLF line ends; @body is appended as it is. */
GString *
raw_message (const char *from,
             const char *to,
             const char *subject,
             const char *message_id,
             const char *body)
{
  GString *msg = g_string_new (NULL);

  g_string_append_printf (msg,
                          "From: <%s>\r\n"
                          "To: <%s>\r\n"
                          "Subject: %s\r\n"
                          "Date: Mon, 4 Mar 2024 10:00:00 +0000\r\n"
                          "Message-ID: %s\r\n"
                          "MIME-Version: 1.0\r\n"
                          "Content-Type: text/plain; charset=utf-8\r\n"
                          "\r\n",
                          from, to, subject, message_id);
  g_string_append (msg, body);
  return msg;
}

MissiveSendResult *
send_raw (MissiveSender       *sender,
          MissiveEnvelope     *envelope,
          const GString       *msg,
          MissiveSendOptions  *options,
          GError             **error)
{
  g_autoptr(GInputStream) in = g_memory_input_stream_new_from_data (g_memdup2 (msg->str, msg->len),
                                                                    (gssize) msg->len, g_free);

  return missive_sender_send_stream (sender, in, (gint64) msg->len, envelope, options, NULL, error);
}

/* ---- signals ---------------------------------------------------------------------- */

static void
started_cb (MissiveService *service,
            const char     *what,
            guint64         total,
            Signals        *s)
{
  s->started++;
  s->started_total = total;
  s->last_done = 0;
}

static void
progress_cb (MissiveService *service,
             guint64         done,
             guint64         total,
             Signals        *s)
{
  if (done < s->last_done)
    s->monotonic = FALSE;
  s->last_done = done;
  s->progress++;
}

static void
finished_cb (MissiveService *service,
             guint64         total,
             Signals        *s)
{
  s->finished++;
  s->finished_total = total;
}

static void
rejected_cb (MissiveSender          *sender,
             MissiveRecipientResult *result,
             Signals                *s)
{
  g_assert_false (missive_recipient_result_get_accepted (result));
  g_ptr_array_add (s->rejected, g_strdup (missive_recipient_result_get_address (result)));
}

void
signals_connect (MissiveSender *sender,
                 Signals       *s)
{
  memset (s, 0, sizeof *s);
  s->monotonic = TRUE;
  s->rejected = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (sender, "transfer-started", G_CALLBACK (started_cb), s);
  g_signal_connect (sender, "transfer-progress", G_CALLBACK (progress_cb), s);
  g_signal_connect (sender, "transfer-finished", G_CALLBACK (finished_cb), s);
  g_signal_connect (sender, "recipient-rejected", G_CALLBACK (rejected_cb), s);
}

void
signals_clear (MissiveSender *sender,
               Signals       *s)
{
  g_signal_handlers_disconnect_by_data (sender, s);
  g_clear_pointer (&s->rejected, g_ptr_array_unref);
}

MissiveRecipientResult *
result_recipient (MissiveSendResult *result,
                  guint              index)
{
  GListModel *list = missive_send_result_get_recipients (result);

  g_assert_cmpuint (index, <, g_list_model_get_n_items (list));
  return g_list_model_get_item (list, index);
}
