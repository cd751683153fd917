/* test-service.c: MissiveService's life cycle and SASL driver, against a
 * scripted fake server speaking a small invented line protocol
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive-plugin.h>

#include "test-utils.h"

/* ---- the "TestProto" protocol ---------------------------------------------
 *
 * Greeting "+OK ...". "CAPA" -> capability lines, then ".". "STLS" -> "+OK".
 * "AUTH <mech> [<base64 initial response>|=]" -> "+ <base64>" (challenge),
 * "+OK" or "+OK=<base64 data>" (success), "-ERR [<code>] <text>"; the
 * client answers a challenge with a base64 line, or "*" to abort.
 * "USER <name>", "PASS <password>", "NOOP", "QUIT" -> "+OK" / "-ERR".
 * The SASL mechanisms are in the capability "SASL <mech> <mech>...".
 */

#define STP_TYPE_SERVICE (stp_service_get_type ())
G_DECLARE_DERIVABLE_TYPE (StpService, stp_service, STP, SERVICE, MissiveService)

struct _StpServiceClass
{
  MissiveServiceClass parent_class;
};

typedef struct
{
  gboolean no_initial_response;
  gboolean clear_caps_on_auth;
} StpServicePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (StpService, stp_service, MISSIVE_TYPE_SERVICE)

/* A server line starting with -ERR as a GError with the server's text. */
static gboolean
check_ok (const char  *reply,
          int          code,
          GError     **error)
{
  if (reply == NULL)
    return FALSE;
  if (strcmp (reply, "+OK") == 0 || g_str_has_prefix (reply, "+OK "))
    return TRUE;
  if (g_str_has_prefix (reply, "-ERR"))
    {
      const char *text = reply + 4;
      g_autofree char *response_code = NULL;
      GError *e;

      while (*text == ' ')
        text++;
      if (*text == '[' && strchr (text, ']') != NULL)
        {
          const char *end = strchr (text, ']');

          response_code = g_strndup (text + 1, end - text - 1);
          text = end + 1;
          while (*text == ' ')
            text++;
        }
      e = g_error_new (MISSIVE_ERROR, code, "Server said: %s", text);
      missive_error_set_server_reply (e, 0, NULL, response_code, text);
      g_propagate_error (error, e);
      return FALSE;
    }
  g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL, "Unexpected reply “%s”", reply);
  return FALSE;
}

static void
exchange_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  const char *line;

  line = missive_service_read_line_finish (MISSIVE_SERVICE (source), result, NULL, &error);
  if (line == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_strdup (line), g_free);
  g_object_unref (task);
}

static void
exchange_write_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!missive_service_write_line_finish (MISSIVE_SERVICE (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  missive_service_read_line_async (MISSIVE_SERVICE (source), g_task_get_cancellable (task),
                                   exchange_read_cb, task);
}

/* Sends @line (unless NULL) and reads one reply line. */
static void
exchange_async (MissiveService      *service,
                const char          *line,
                gboolean             sensitive,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  GTask *task = g_task_new (service, cancellable, callback, user_data);

  if (line == NULL)
    missive_service_read_line_async (service, cancellable, exchange_read_cb, task);
  else
    missive_service_write_line_async (service, line, sensitive, cancellable,
                                      exchange_write_cb, task);
}

static char *
exchange_finish (GAsyncResult  *result,
                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static guint16
stp_get_default_port (MissiveService  *service,
                      MissiveSecurity  security)
{
  return security == MISSIVE_SECURITY_TLS ? 9995 : 9110;
}

static void
stp_greet_async (MissiveService      *service,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  exchange_async (service, NULL, FALSE, cancellable, callback, user_data);
}

static gboolean
stp_greet_finish (MissiveService  *service,
                  GAsyncResult    *result,
                  GError         **error)
{
  g_autofree char *reply = exchange_finish (result, error);

  if (reply != NULL && strcmp (reply, "+OK preauth") == 0)
    {
      missive_service_set_preauthenticated (service);
      return TRUE;
    }
  return check_ok (reply, MISSIVE_ERROR_SERVER_NO, error);
}

/* CAPA: lines until "." */
static void capa_read_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
capa_write_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!missive_service_write_line_finish (MISSIVE_SERVICE (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  missive_service_read_line_async (MISSIVE_SERVICE (source), g_task_get_cancellable (task),
                                   capa_read_cb, task);
}

static void
capa_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  GPtrArray *caps = g_task_get_task_data (task);
  GError *error = NULL;
  const char *line;

  line = missive_service_read_line_finish (MISSIVE_SERVICE (source), result, NULL, &error);
  if (line == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  if (strcmp (line, ".") == 0)
    {
      g_ptr_array_add (caps, NULL);
      missive_service_set_capabilities (MISSIVE_SERVICE (source),
                                        (const char * const *) caps->pdata);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  if (caps->len >= 50)
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL, "Too many capabilities");
      g_object_unref (task);
      return;
    }
  g_ptr_array_add (caps, g_strdup (line));
  missive_service_read_line_async (MISSIVE_SERVICE (source), g_task_get_cancellable (task),
                                   capa_read_cb, task);
}

static void
stp_refresh_capabilities_async (MissiveService      *service,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (service, cancellable, callback, user_data);

  g_task_set_task_data (task, g_ptr_array_new_with_free_func (g_free),
                        (GDestroyNotify) g_ptr_array_unref);
  missive_service_write_line_async (service, "CAPA", FALSE, cancellable, capa_write_cb, task);
}

static gboolean
stp_boolean_finish (MissiveService  *service,
                    GAsyncResult    *result,
                    GError         **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
stp_starttls_async (MissiveService      *service,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  if (!missive_service_has_capability (service, "STLS"))
    {
      g_task_report_new_error (service, callback, user_data, stp_starttls_async,
                               MISSIVE_ERROR, MISSIVE_ERROR_STARTTLS_UNAVAILABLE,
                               "The server does not offer STLS");
      return;
    }
  exchange_async (service, "STLS", FALSE, cancellable, callback, user_data);
}

static gboolean
stp_starttls_finish (MissiveService  *service,
                     GAsyncResult    *result,
                     GError         **error)
{
  g_autofree char *reply = NULL;

  if (g_async_result_is_tagged (result, stp_starttls_async))
    return g_task_propagate_boolean (G_TASK (result), error);
  reply = exchange_finish (result, error);
  return check_ok (reply, MISSIVE_ERROR_STARTTLS_UNAVAILABLE, error);
}

static char **
stp_get_sasl_mechanisms (MissiveService *service)
{
  const char * const *caps = missive_service_get_capabilities (service);

  for (gsize i = 0; caps != NULL && caps[i] != NULL; i++)
    if (g_str_has_prefix (caps[i], "SASL "))
      return g_strsplit (caps[i] + 5, " ", -1);
  return NULL;
}

static gboolean
stp_supports_initial_response (MissiveService *service)
{
  if (!STP_IS_SERVICE (service))
    return TRUE;
  return !((StpServicePrivate *) stp_service_get_instance_private (STP_SERVICE (service)))->no_initial_response;
}

static void
stp_sasl_start_async (MissiveService      *service,
                      const char          *mechanism,
                      GBytes              *initial_response,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autofree char *line = NULL;

  if (initial_response == NULL)
    {
      line = g_strdup_printf ("AUTH %s", mechanism);
    }
  else if (g_bytes_get_size (initial_response) == 0)
    {
      line = g_strdup_printf ("AUTH %s =", mechanism);
    }
  else
    {
      gsize size;
      const guchar *data = g_bytes_get_data (initial_response, &size);
      g_autofree char *encoded = g_base64_encode (data, size);

      line = g_strdup_printf ("AUTH %s %s", mechanism, encoded);
    }
  exchange_async (service, line, initial_response != NULL, cancellable, callback, user_data);
}

static void
stp_sasl_continue_async (MissiveService      *service,
                         GBytes              *response,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *encoded = NULL;
  gsize size;
  const guchar *data;

  if (response == NULL)
    {
      exchange_async (service, "*", FALSE, cancellable, callback, user_data);
      return;
    }
  data = g_bytes_get_data (response, &size);
  encoded = g_base64_encode (data, size);
  exchange_async (service, encoded, TRUE, cancellable, callback, user_data);
}

static GBytes *
decode (const char *text)
{
  gsize size = 0;
  guchar *data = g_base64_decode (text, &size);

  return g_bytes_new_take (data, size);
}

static gboolean
stp_sasl_finish (MissiveService  *service,
                 GAsyncResult    *result,
                 GBytes         **server_data,
                 gboolean        *complete,
                 GError         **error)
{
  gboolean clear_caps_on_auth = FALSE;
  g_autofree char *reply = exchange_finish (result, error);

  if (STP_IS_SERVICE (service))
    clear_caps_on_auth = ((StpServicePrivate *) stp_service_get_instance_private (STP_SERVICE (service)))->clear_caps_on_auth;
  *server_data = NULL;
  *complete = FALSE;
  if (reply == NULL)
    return FALSE;

  if (g_str_has_prefix (reply, "+OK=") || strcmp (reply, "+OK") == 0 ||
      g_str_has_prefix (reply, "+OK "))
    {
      if (g_str_has_prefix (reply, "+OK="))
        *server_data = decode (reply + 4);
      *complete = TRUE;
      if (clear_caps_on_auth)
        missive_service_set_capabilities (service, NULL);
      return TRUE;
    }
  if (strcmp (reply, "+") == 0 || g_str_has_prefix (reply, "+ "))
    {
      *server_data = decode (reply[1] != '\0' ? reply + 2 : "");
      return TRUE;
    }
  return check_ok (reply, MISSIVE_ERROR_AUTHENTICATION_FAILED, error);
}

/* login: USER then PASS */
static void
login_pass_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  g_autofree char *reply = exchange_finish (result, &error);

  if (!check_ok (reply, MISSIVE_ERROR_AUTHENTICATION_FAILED, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
login_user_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  MissiveService *service = MISSIVE_SERVICE (source);
  GError *error = NULL;
  g_autofree char *reply = exchange_finish (result, &error);
  g_autofree char *line = NULL;

  if (!check_ok (reply, MISSIVE_ERROR_AUTHENTICATION_FAILED, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  line = g_strdup_printf ("PASS %s", missive_service_get_password (service));
  exchange_async (service, line, TRUE, g_task_get_cancellable (task), login_pass_cb, task);
}

static void
stp_login_async (MissiveService      *service,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (service, cancellable, callback, user_data);
  g_autofree char *line = g_strdup_printf ("USER %s", missive_service_get_username (service));

  exchange_async (service, line, FALSE, cancellable, login_user_cb, task);
}

static void
stp_logout_async (MissiveService      *service,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  exchange_async (service, "QUIT", FALSE, cancellable, callback, user_data);
}

static void
stp_noop_async (MissiveService      *service,
                int                  io_priority,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  exchange_async (service, "NOOP", FALSE, cancellable, callback, user_data);
}

static gboolean
stp_reply_ok_finish (MissiveService  *service,
                     GAsyncResult    *result,
                     GError         **error)
{
  g_autofree char *reply = exchange_finish (result, error);

  return check_ok (reply, MISSIVE_ERROR_SERVER_NO, error);
}

static void
stp_send_command_async (MissiveService      *service,
                        const char          *command,
                        int                  io_priority,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  exchange_async (service, command, FALSE, cancellable, callback, user_data);
}

static MissiveReply *
stp_send_command_finish (MissiveService  *service,
                         GAsyncResult    *result,
                         GError         **error)
{
  g_autofree char *reply = exchange_finish (result, error);
  const char *lines[] = { reply, NULL };
  const char *space;

  if (reply == NULL)
    return NULL;
  space = strchr (reply, ' ');
  if (space == NULL)
    return missive_reply_new (0, reply, NULL, lines);
  {
    g_autofree char *status = g_strndup (reply, space - reply);

    return missive_reply_new (0, status, space + 1, lines);
  }
}

/* Shared by StpService, StpStore and StpSender. */
static void
stp_setup_service_class (MissiveServiceClass *service_class)
{
  service_class->get_default_port = stp_get_default_port;
  service_class->greet_async = stp_greet_async;
  service_class->greet_finish = stp_greet_finish;
  service_class->refresh_capabilities_async = stp_refresh_capabilities_async;
  service_class->refresh_capabilities_finish = stp_boolean_finish;
  service_class->starttls_async = stp_starttls_async;
  service_class->starttls_finish = stp_starttls_finish;
  service_class->get_sasl_mechanisms = stp_get_sasl_mechanisms;
  service_class->supports_initial_response = stp_supports_initial_response;
  service_class->sasl_start_async = stp_sasl_start_async;
  service_class->sasl_continue_async = stp_sasl_continue_async;
  service_class->sasl_finish = stp_sasl_finish;
  service_class->login_async = stp_login_async;
  service_class->login_finish = stp_boolean_finish;
  service_class->logout_async = stp_logout_async;
  service_class->logout_finish = stp_reply_ok_finish;
  service_class->noop_async = stp_noop_async;
  service_class->noop_finish = stp_reply_ok_finish;
  service_class->send_command_async = stp_send_command_async;
  service_class->send_command_finish = stp_send_command_finish;
}

static void
stp_service_class_init (StpServiceClass *klass)
{
  stp_setup_service_class (MISSIVE_SERVICE_CLASS (klass));
}

static void
stp_service_init (StpService *self)
{
}

/* A protocol with neither NOOP, nor raw commands, nor STARTTLS, nor login. */
#define STP_TYPE_MINIMAL (stp_minimal_get_type ())
G_DECLARE_FINAL_TYPE (StpMinimal, stp_minimal, STP, MINIMAL, StpService)

struct _StpMinimal
{
  StpService parent_instance;
};

G_DEFINE_TYPE (StpMinimal, stp_minimal, STP_TYPE_SERVICE)

static void
stp_minimal_class_init (StpMinimalClass *klass)
{
  MissiveServiceClass *service_class = MISSIVE_SERVICE_CLASS (klass);

  service_class->noop_async = NULL;
  service_class->send_command_async = NULL;
  service_class->starttls_async = NULL;
  service_class->login_async = NULL;
}

static void
stp_minimal_init (StpMinimal *self)
{
}

static gboolean
stp_reply_ok_store_finish (MissiveStore  *store,
                           GAsyncResult  *result,
                           GError       **error)
{
  return stp_reply_ok_finish (MISSIVE_SERVICE (store), result, error);
}

static void
stp_sender_sent_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  MissiveEnvelope *envelope = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *reply = exchange_finish (result, &error);
  MissiveSendResult *send_result;

  if (!check_ok (reply, MISSIVE_ERROR_SERVER_PERMANENT, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  send_result = missive_send_result_new ();
  for (guint i = 0; i < missive_envelope_get_n_recipients (envelope); i++)
    {
      const char *address = missive_envelope_get_recipient (envelope, i, NULL);
      g_autoptr(MissiveRecipientResult) r = missive_recipient_result_new (address, 250,
                                                                          "2.1.5", "OK");
      missive_send_result_add_recipient (send_result, r);
    }
  g_task_return_pointer (task, send_result, g_object_unref);
  g_object_unref (task);
}

/* The message bytes are in: send one line naming the envelope, the size
 * announced and received, the content class and, for the test to check,
 * whether the bytes held a Bcc header and only CRLF line ends. */
static void
stp_sender_spliced_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  MissiveService *service = g_task_get_source_object (task);
  MissiveEnvelope *envelope = g_task_get_task_data (task);
  GMemoryOutputStream *sink = G_MEMORY_OUTPUT_STREAM (source);
  g_autoptr(GString) line = g_string_new ("SEND");
  GError *error = NULL;
  const char *data;
  gsize n;
  gboolean crlf = TRUE;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (sink), result, &error) < 0)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  data = g_memory_output_stream_get_data (sink);
  n = g_memory_output_stream_get_data_size (sink);
  for (gsize i = 0; i < n; i++)
    if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r'))
      crlf = FALSE;

  g_string_append_printf (line, " %s", missive_envelope_get_from (envelope));
  for (guint i = 0; i < missive_envelope_get_n_recipients (envelope); i++)
    g_string_append_printf (line, " %s", missive_envelope_get_recipient (envelope, i, NULL));
  g_string_append_printf (line, " size=%" G_GINT64_FORMAT "/%" G_GSIZE_FORMAT " class=%d%s%s",
                          GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "size")) - 1,
                          n, missive_envelope_get_content_class (envelope),
                          g_strstr_len (data, n, "\r\nBcc:") != NULL ? " bcc" : "",
                          crlf ? " crlf" : "");
  exchange_async (service, line->str, FALSE, g_task_get_cancellable (task),
                  stp_sender_sent_cb, task);
}

/* A sender: "SEND <from> <recipient>... size=<announced>/<read> class=<c>"
 * -> "+OK"; every recipient is accepted with 250. */
#define STP_TYPE_SENDER (stp_sender_get_type ())
G_DECLARE_FINAL_TYPE (StpSender, stp_sender, STP, SENDER, MissiveSender)

struct _StpSender
{
  MissiveSender parent_instance;
};

G_DEFINE_TYPE (StpSender, stp_sender, MISSIVE_TYPE_SENDER)

static void
stp_sender_send_async (MissiveSender       *sender,
                       MissiveEnvelope     *envelope,
                       GInputStream        *data,
                       gint64               size,
                       MissiveSendOptions  *options,
                       int                  io_priority,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (sender, cancellable, callback, user_data);
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();

  g_assert_true (MISSIVE_IS_SEND_OPTIONS (options));
  g_task_set_task_data (task, g_object_ref (envelope), g_object_unref);
  g_object_set_data (G_OBJECT (task), "size", GSIZE_TO_POINTER ((gsize) (size + 1)));
  g_output_stream_splice_async (sink, data, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, io_priority,
                                cancellable, stp_sender_spliced_cb, task);
}

static MissiveSendResult *
stp_sender_send_finish (MissiveSender  *sender,
                        GAsyncResult   *result,
                        GError        **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
stp_sender_class_init (StpSenderClass *klass)
{
  MissiveSenderClass *sender_class = MISSIVE_SENDER_CLASS (klass);

  stp_setup_service_class (MISSIVE_SERVICE_CLASS (klass));
  sender_class->send_async = stp_sender_send_async;
  sender_class->send_finish = stp_sender_send_finish;
}

static void
stp_sender_init (StpSender *self)
{
}

/* A store: LIST answers locally with one mailbox named after the
 * pattern; "FETCH <set>" and "RETR <id>" go to the server; no SELECT. */
#define STP_TYPE_STORE (stp_store_get_type ())
G_DECLARE_FINAL_TYPE (StpStore, stp_store, STP, STORE, MissiveStore)

struct _StpStore
{
  MissiveStore parent_instance;
};

G_DEFINE_TYPE (StpStore, stp_store, MISSIVE_TYPE_STORE)

static void
stp_store_list_mailboxes_async (MissiveStore        *store,
                                const char          *pattern,
                                MissiveListFlags     flags,
                                int                  io_priority,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);
  GListStore *list = g_list_store_new (MISSIVE_TYPE_MAILBOX_INFO);
  g_autoptr(MissiveMailboxInfo) info = missive_mailbox_info_new (pattern);

  g_list_store_append (list, info);
  missive_store_emit_mailbox_listed (store, info);
  g_task_return_pointer (task, list, g_object_unref);
  g_object_unref (task);
}

static GListModel *
stp_store_list_mailboxes_finish (MissiveStore  *store,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
stp_store_fetch_summaries_async (MissiveStore        *store,
                                 MissiveMessageSet   *set,
                                 MissiveFetchItems    items,
                                 guint64              changed_since,
                                 int                  io_priority,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *text = missive_message_set_to_string (set);
  g_autofree char *line = g_strdup_printf ("FETCH %s", text);

  exchange_async (MISSIVE_SERVICE (store), line, FALSE, cancellable, callback, user_data);
}

static GListModel *
stp_store_fetch_summaries_finish (MissiveStore  *store,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_autofree char *reply = exchange_finish (result, error);

  if (!check_ok (reply, MISSIVE_ERROR_SERVER_NO, error))
    return NULL;
  return G_LIST_MODEL (g_list_store_new (MISSIVE_TYPE_MESSAGE_INFO));
}

static void
stp_store_fetch_part_async (MissiveStore          *store,
                            guint32                message_id,
                            const char            *section,
                            MissiveFetchPartFlags  flags,
                            guint64                offset,
                            guint64                length,
                            GOutputStream         *sink,
                            int                    io_priority,
                            GCancellable          *cancellable,
                            GAsyncReadyCallback    callback,
                            gpointer               user_data)
{
  g_autofree char *line = g_strdup_printf ("RETR %u", message_id);

  exchange_async (MISSIVE_SERVICE (store), line, FALSE, cancellable, callback, user_data);
}

static void
stp_store_class_init (StpStoreClass *klass)
{
  MissiveStoreClass *store_class = MISSIVE_STORE_CLASS (klass);

  stp_setup_service_class (MISSIVE_SERVICE_CLASS (klass));
  store_class->list_mailboxes_async = stp_store_list_mailboxes_async;
  store_class->list_mailboxes_finish = stp_store_list_mailboxes_finish;
  store_class->fetch_summaries_async = stp_store_fetch_summaries_async;
  store_class->fetch_summaries_finish = stp_store_fetch_summaries_finish;
  store_class->fetch_part_async = stp_store_fetch_part_async;
  store_class->fetch_part_finish = stp_reply_ok_store_finish;
}

static void
stp_store_init (StpStore *self)
{
}

/* ---- test SASL mechanisms ------------------------------------------------ */

/* X-TEST-STRONG: client-first, strength 50: "strong:<user>". */
#define STP_TYPE_STRONG (stp_strong_get_type ())
G_DECLARE_FINAL_TYPE (StpStrong, stp_strong, STP, STRONG, MissiveSaslMechanism)

struct _StpStrong
{
  MissiveSaslMechanism parent_instance;
};

G_DEFINE_TYPE (StpStrong, stp_strong, MISSIVE_TYPE_SASL_MECHANISM)

static const char *
stp_strong_get_name (MissiveSaslMechanism *mech)
{
  return "X-TEST-STRONG";
}

static int
stp_strong_get_strength (MissiveSaslMechanism *mech)
{
  return 50;
}

static MissiveSaslFlags
stp_strong_get_flags (MissiveSaslMechanism *mech)
{
  return MISSIVE_SASL_FLAG_CLIENT_FIRST | MISSIVE_SASL_FLAG_NEEDS_PASSWORD;
}

static GBytes *
stp_strong_step (MissiveSaslMechanism  *mech,
                 GBytes                *challenge,
                 GError               **error)
{
  char *response = g_strdup_printf ("strong:%s", missive_sasl_mechanism_get_username (mech));

  missive_sasl_mechanism_set_complete (mech, TRUE);
  return g_bytes_new_take (response, strlen (response));
}

static void
stp_strong_class_init (StpStrongClass *klass)
{
  MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  mech_class->get_name = stp_strong_get_name;
  mech_class->get_strength = stp_strong_get_strength;
  mech_class->get_flags = stp_strong_get_flags;
  mech_class->step = stp_strong_step;
}

static void
stp_strong_init (StpStrong *self)
{
}

/* X-TEST-MUTUAL: server-first and mutual. It answers any challenge with
 * "response", accepts "server-proof" as the server's proof (then it is
 * complete), and refuses the challenge "bad". */
#define STP_TYPE_MUTUAL (stp_mutual_get_type ())
G_DECLARE_FINAL_TYPE (StpMutual, stp_mutual, STP, MUTUAL, MissiveSaslMechanism)

struct _StpMutual
{
  MissiveSaslMechanism parent_instance;
};

G_DEFINE_TYPE (StpMutual, stp_mutual, MISSIVE_TYPE_SASL_MECHANISM)

static const char *
stp_mutual_get_name (MissiveSaslMechanism *mech)
{
  return "X-TEST-MUTUAL";
}

static int
stp_mutual_get_strength (MissiveSaslMechanism *mech)
{
  return 40;
}

static MissiveSaslFlags
stp_mutual_get_flags (MissiveSaslMechanism *mech)
{
  return MISSIVE_SASL_FLAG_MUTUAL | MISSIVE_SASL_FLAG_NEEDS_PASSWORD |
         MISSIVE_SASL_FLAG_EXPLICIT_ONLY;
}

static GBytes *
stp_mutual_step (MissiveSaslMechanism  *mech,
                 GBytes                *challenge,
                 GError               **error)
{
  gsize size = 0;
  const char *data;

  if (challenge == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                           "X-TEST-MUTUAL has no initial response");
      return NULL;
    }
  data = g_bytes_get_data (challenge, &size);
  if (size == strlen ("server-proof") && memcmp (data, "server-proof", size) == 0)
    {
      missive_sasl_mechanism_set_complete (mech, TRUE);
      return g_bytes_new (NULL, 0);
    }
  if (size == 3 && memcmp (data, "bad", 3) == 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED,
                           "X-TEST-MUTUAL refused the challenge");
      return NULL;
    }
  return g_bytes_new_static ("response", 8);
}

static void
stp_mutual_class_init (StpMutualClass *klass)
{
  MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  mech_class->get_name = stp_mutual_get_name;
  mech_class->get_strength = stp_mutual_get_strength;
  mech_class->get_flags = stp_mutual_get_flags;
  mech_class->step = stp_mutual_step;
}

static void
stp_mutual_init (StpMutual *self)
{
}

/* ---- fixtures ------------------------------------------------------------ */

/* base64 of "\0alice\0secret", the PLAIN response of the tests' user. */
#define PLAIN_IR "AGFsaWNlAHNlY3JldA=="
#define CAPS_PLAIN "SASL PLAIN\r\n.\r\n"

typedef struct
{
  GPtrArray *trace;      /* "S line", "R line", "I line" */
  GArray *states;        /* MissiveServiceState, each new state */
  GPtrArray *warnings;   /* GError */
  guint tls_established;
  guint accept_certificate;
  gboolean accept;
} Recorder;

static void
on_trace (MissiveService        *service,
          MissiveTraceDirection  direction,
          const char            *line,
          Recorder              *rec)
{
  char dir = direction == MISSIVE_TRACE_SENT ? 'S' :
             direction == MISSIVE_TRACE_RECEIVED ? 'R' : 'I';

  g_assert_true (g_utf8_validate (line, -1, NULL));
  g_ptr_array_add (rec->trace, g_strdup_printf ("%c %s", dir, line));
}

static void
on_state_changed (MissiveService      *service,
                  MissiveServiceState  old_state,
                  MissiveServiceState  new_state,
                  Recorder            *rec)
{
  g_assert_cmpint (old_state, !=, new_state);
  if (rec->states->len > 0)
    g_assert_cmpint (old_state, ==, g_array_index (rec->states, MissiveServiceState,
                                                   rec->states->len - 1));
  g_assert_cmpint (missive_service_get_state (service), ==, new_state);
  g_array_append_val (rec->states, new_state);
}

static void
on_warning (MissiveService *service,
            const GError   *error,
            Recorder       *rec)
{
  g_ptr_array_add (rec->warnings, g_error_copy (error));
}

static void
on_tls_established (MissiveService *service,
                    Recorder       *rec)
{
  rec->tls_established++;
}

static gboolean
on_accept_certificate (MissiveService       *service,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       Recorder             *rec)
{
  g_assert_true (G_IS_TLS_CERTIFICATE (certificate));
  g_assert_cmpint (errors, !=, 0);
  rec->accept_certificate++;
  return rec->accept;
}

static Recorder *
recorder_new (MissiveService *service)
{
  Recorder *rec = g_new0 (Recorder, 1);

  rec->trace = g_ptr_array_new_with_free_func (g_free);
  rec->states = g_array_new (FALSE, FALSE, sizeof (MissiveServiceState));
  rec->warnings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_signal_connect (service, "protocol-trace", G_CALLBACK (on_trace), rec);
  g_signal_connect (service, "state-changed", G_CALLBACK (on_state_changed), rec);
  g_signal_connect (service, "warning", G_CALLBACK (on_warning), rec);
  g_signal_connect (service, "tls-established", G_CALLBACK (on_tls_established), rec);
  g_signal_connect (service, "accept-certificate", G_CALLBACK (on_accept_certificate), rec);
  return rec;
}

static void
recorder_free (Recorder *rec)
{
  g_ptr_array_unref (rec->trace);
  g_array_unref (rec->states);
  g_ptr_array_unref (rec->warnings);
  g_free (rec);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Recorder, recorder_free)

/* The sent lines, joined with "|". */
static char *
recorder_sent (Recorder *rec)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < rec->trace->len; i++)
    {
      const char *entry = g_ptr_array_index (rec->trace, i);

      if (entry[0] != 'S')
        continue;
      if (s->len > 0)
        g_string_append_c (s, '|');
      g_string_append (s, entry + 2);
    }
  return g_string_free (s, FALSE);
}

static gboolean
recorder_trace_contains (Recorder   *rec,
                         const char *needle)
{
  for (guint i = 0; i < rec->trace->len; i++)
    if (strstr (g_ptr_array_index (rec->trace, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static void
assert_states (Recorder                  *rec,
               const MissiveServiceState *expected,
               guint                      n_expected)
{
  g_autoptr(GString) got = g_string_new (NULL);
  g_autoptr(GString) want = g_string_new (NULL);

  for (guint i = 0; i < rec->states->len; i++)
    g_string_append_printf (got, "%d ", g_array_index (rec->states, MissiveServiceState, i));
  for (guint i = 0; i < n_expected; i++)
    g_string_append_printf (want, "%d ", expected[i]);
  g_assert_cmpstr (got->str, ==, want->str);
}

static void
print_trace (MissiveService        *service,
             MissiveTraceDirection  direction,
             const char            *line)
{
  g_test_message ("%s %s", direction == MISSIVE_TRACE_SENT ? "C:" :
                  direction == MISSIVE_TRACE_RECEIVED ? "S:" : "--", line);
}

static MissiveService *
new_service (GType              type,
             MissiveTestServer *server,
             MissiveSecurity    security)
{
  MissiveService *service = g_object_new (type,
                                          "scheme", "testproto",
                                          "host", "127.0.0.1",
                                          "port", (guint) missive_test_server_get_port (server),
                                          "security", security,
                                          "timeout", 10,
                                          NULL);

  /* With --verbose, the conversation goes to the log. */
  if (g_test_verbose ())
    g_signal_connect (service, "protocol-trace", G_CALLBACK (print_trace), NULL);
  return service;
}

static void
set_credentials (MissiveService *service)
{
  missive_service_set_username (service, "alice");
  missive_service_set_password (service, "secret");
}

/* Checks the error first, so that a failure shows its message. */
#define ASSERT_OK(call) \
  G_STMT_START {                                                        \
    gboolean ok_ = (call);                                              \
    g_assert_no_error (error);                                          \
    g_assert_true (ok_);                                                \
  } G_STMT_END

/* An absolute path: GTlsFileDatabase insists on one, and the test may run
 * by hand from anywhere. */
static char *
cert_path (const char *name)
{
  g_autofree char *path = missive_test_cert_path (name);

  return g_canonicalize_filename (path, NULL);
}

static void
assert_server_ok (MissiveTestServer *server)
{
  g_autoptr(GError) error = NULL;

  missive_test_server_finish (server, &error);
  g_assert_no_error (error);
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the default main context until *@result is set (bounded). */
static void
wait_for_result (GAsyncResult **result)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  guint ticker = g_timeout_add (100, wake_up, NULL);

  while (*result == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (ticker);
}

/* ---- tests --------------------------------------------------------------- */

static void
stp_set_options (MissiveService *service,
                 gboolean        no_initial_response,
                 gboolean        clear_caps_on_auth)
{
  StpServicePrivate *priv = stp_service_get_instance_private (STP_SERVICE (service));

  priv->no_initial_response = no_initial_response;
  priv->clear_caps_on_auth = clear_caps_on_auth;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_defaults (void)
{
  g_autoptr(MissiveService) service = g_object_new (STP_TYPE_SERVICE, "scheme", "imaps", NULL);
  g_autoptr(MissiveStreamTransport) stream_transport = NULL;
  g_autoptr(GIOStream) pipe = NULL;
  g_autoptr(GInputStream) in = g_memory_input_stream_new ();
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(MissiveTransport) transport = NULL;
  g_autofree char *scheme = NULL;
  g_auto(GStrv) caps = NULL;
  guint host_notified = 0, transport_notified = 0, port = 0;

  g_assert_cmpstr (missive_service_get_scheme (service), ==, "imaps");
  g_assert_null (missive_service_get_host (service));
  g_assert_cmpuint (missive_service_get_port (service), ==, 0);
  g_assert_cmpint (missive_service_get_security (service), ==, MISSIVE_SECURITY_STARTTLS);
  g_assert_cmpuint (missive_service_get_timeout (service), ==, 60);
  g_assert_false (missive_service_get_allow_plaintext_auth (service));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  g_assert_null (missive_service_get_capabilities (service));
  g_assert_null (missive_service_get_transport (service));
  g_assert_null (missive_service_get_sasl_mechanism_used (service));
  g_assert_null (missive_service_get_reader (service));
  g_assert_null (missive_service_get_output_stream (service));
  g_assert_null (missive_service_get_auth_mechanism (service));

  g_object_get (service, "scheme", &scheme, "capabilities", &caps, NULL);
  g_assert_cmpstr (scheme, ==, "imaps");
  g_assert_null (caps);

  /* Setters notify only on change. */
  g_signal_connect (service, "notify::host", G_CALLBACK (count_notify), &host_notified);
  missive_service_set_host (service, "a.example");
  missive_service_set_host (service, "a.example");
  g_assert_cmpuint (host_notified, ==, 1);
  g_object_set (service, "host", "b.example", NULL);
  g_assert_cmpuint (host_notified, ==, 2);
  g_assert_cmpstr (missive_service_get_host (service), ==, "b.example");

  g_object_set (service, "port", 993, "security", MISSIVE_SECURITY_TLS,
                "password", "pw", "oauth-token", "tok", "authzid", "boss",
                "auth-mechanism", "PLAIN", "allow-plaintext-auth", TRUE,
                "timeout", 5, "ca-file", "/nonexistent/ca.pem", NULL);
  g_object_get (service, "port", &port, NULL);
  g_assert_cmpuint (port, ==, 993);
  g_assert_cmpuint (missive_service_get_port (service), ==, 993);
  g_assert_cmpint (missive_service_get_security (service), ==, MISSIVE_SECURITY_TLS);
  g_assert_cmpstr (missive_service_get_password (service), ==, "pw");
  g_assert_cmpstr (missive_service_get_oauth_token (service), ==, "tok");
  g_assert_cmpstr (missive_service_get_authzid (service), ==, "boss");
  g_assert_cmpstr (missive_service_get_auth_mechanism (service), ==, "PLAIN");
  g_assert_true (missive_service_get_allow_plaintext_auth (service));
  g_assert_cmpuint (missive_service_get_timeout (service), ==, 5);
  g_assert_cmpstr (missive_service_get_ca_file (service), ==, "/nonexistent/ca.pem");
  missive_service_set_password (service, NULL);
  g_assert_null (missive_service_get_password (service));

  pipe = g_simple_io_stream_new (in, out);
  stream_transport = missive_stream_transport_new (pipe, "example");
  g_signal_connect (service, "notify::transport", G_CALLBACK (count_notify), &transport_notified);
  missive_service_set_transport (service, MISSIVE_TRANSPORT (stream_transport));
  missive_service_set_transport (service, MISSIVE_TRANSPORT (stream_transport));
  g_assert_cmpuint (transport_notified, ==, 1);
  g_object_get (service, "transport", &transport, NULL);
  g_assert_true (transport == MISSIVE_TRANSPORT (stream_transport));
  missive_service_set_transport (service, NULL);
  g_assert_cmpuint (transport_notified, ==, 2);
  g_assert_null (missive_service_get_transport (service));
}

static void
test_capabilities (void)
{
  g_autoptr(MissiveService) service = g_object_new (STP_TYPE_SERVICE, NULL);
  const char *caps[] = { "IMAP4rev1", "SIZE 1000", "AUTH=PLAIN", NULL };
  guint notified = 0;

  g_signal_connect (service, "notify::capabilities", G_CALLBACK (count_notify), &notified);
  missive_service_set_capabilities (service, caps);
  missive_service_set_capabilities (service, caps);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (g_strv_equal (missive_service_get_capabilities (service), caps));
  g_assert_true (missive_service_has_capability (service, "imap4REV1"));
  g_assert_true (missive_service_has_capability (service, "SIZE"));
  g_assert_true (missive_service_has_capability (service, "auth=plain"));
  g_assert_false (missive_service_has_capability (service, "AUTH"));
  g_assert_false (missive_service_has_capability (service, "SIZ"));
  g_assert_false (missive_service_has_capability (service, "IDLE"));
  missive_service_set_capabilities (service, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_null (missive_service_get_capabilities (service));
  g_assert_false (missive_service_has_capability (service, "SIZE"));
}

static void
test_trace (void)
{
  g_autoptr(MissiveService) service = g_object_new (STP_TYPE_SERVICE, NULL);
  Recorder *rec;

  g_assert_false (missive_service_is_tracing (service));
  rec = recorder_new (service);
  g_assert_true (missive_service_is_tracing (service));

  missive_service_trace (service, MISSIVE_TRACE_SENT, "dXNlcg==", -1, TRUE);
  missive_service_trace (service, MISSIVE_TRACE_SENT, "AUTH PLAIN " PLAIN_IR, -1, TRUE);
  missive_service_trace (service, MISSIVE_TRACE_SENT, "PASS hunter2\r\n", -1, FALSE);
  missive_service_trace (service, MISSIVE_TRACE_SENT, "NOOP", -1, FALSE);
  missive_service_trace (service, MISSIVE_TRACE_RECEIVED, "+OK caf\xc3\xa9 \xff\xfe", -1, FALSE);
  missive_service_trace (service, MISSIVE_TRACE_RECEIVED, "a\0b", 3, FALSE);
  missive_service_trace (service, MISSIVE_TRACE_RECEIVED, "+ secret-challenge", -1, TRUE);
  missive_service_trace (service, MISSIVE_TRACE_INFO, "note", -1, FALSE);

  g_assert_cmpuint (rec->trace->len, ==, 8);
  g_assert_cmpstr (g_ptr_array_index (rec->trace, 0), ==, "S ****");
  g_assert_cmpstr (g_ptr_array_index (rec->trace, 1), ==, "S AUTH PLAIN ****");
  g_assert_cmpstr (g_ptr_array_index (rec->trace, 2), ==, "S PASS ****");
  g_assert_cmpstr (g_ptr_array_index (rec->trace, 3), ==, "S NOOP");
  g_assert_cmpstr (g_ptr_array_index (rec->trace, 4), ==, "R +OK caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd");
  g_assert_cmpstr (g_ptr_array_index (rec->trace, 5), ==, "R a\xef\xbf\xbd" "b");
  g_assert_cmpstr (g_ptr_array_index (rec->trace, 6), ==, "R ****");
  g_assert_cmpstr (g_ptr_array_index (rec->trace, 7), ==, "I note");

  g_signal_handlers_disconnect_by_data (service, rec);
  g_assert_false (missive_service_is_tracing (service));
  recorder_free (rec);
}

static void
test_not_open (void)
{
  g_autoptr(MissiveService) service = g_object_new (STP_TYPE_SERVICE, "scheme", "testproto", NULL);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveReply) reply = NULL;

  g_assert_false (missive_service_noop (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  reply = missive_service_send_command (service, "NOOP", NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* Closing what is not open is fine. */
  ASSERT_OK (missive_service_close (service, NULL, &error));

  /* No host, no transport. */
  g_assert_false (missive_service_open (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  g_assert_cmpuint (rec->states->len, ==, 0);
  g_assert_cmpuint (rec->trace->len, ==, 0);
}

static void
test_plain_allowed (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND (CAPS_PLAIN),
    MT_EXPECT ("AUTH PLAIN " PLAIN_IR),
    MT_SEND ("+OK welcome\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("SASL PLAIN\r\nPOSTAUTH\r\n.\r\n"),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  const MissiveServiceState states[] = {
    MISSIVE_SERVICE_STATE_CONNECTING,
    MISSIVE_SERVICE_STATE_CONNECTED,
    MISSIVE_SERVICE_STATE_AUTHENTICATING,
    MISSIVE_SERVICE_STATE_AUTHENTICATED,
    MISSIVE_SERVICE_STATE_CLOSING,
    MISSIVE_SERVICE_STATE_DISCONNECTED,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;

  set_credentials (service);
  missive_service_set_allow_plaintext_auth (service, TRUE);
  stp_set_options (service, FALSE, TRUE);

  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_AUTHENTICATED);
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (service), ==, "PLAIN");
  /* The capabilities the plugin forgot at login were asked for again. */
  g_assert_true (missive_service_has_capability (service, "POSTAUTH"));
  g_assert_true (MISSIVE_IS_SOCKET_TRANSPORT (missive_service_get_transport (service)));
  g_assert_false (missive_transport_is_tls (missive_service_get_transport (service)));
  g_assert_nonnull (missive_service_get_reader (service));
  g_assert_nonnull (missive_service_get_output_stream (service));

  /* Open again while open: refused, nothing changes. */
  g_assert_false (missive_service_open (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_AUTHENTICATED);

  ASSERT_OK (missive_service_close (service, NULL, &error));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  g_assert_null (missive_service_get_transport (service));
  g_assert_null (missive_service_get_reader (service));
  assert_server_ok (server);

  assert_states (rec, states, G_N_ELEMENTS (states));
  sent = recorder_sent (rec);
  g_assert_cmpstr (sent, ==, "CAPA|AUTH PLAIN ****|CAPA|QUIT");
  g_assert_false (recorder_trace_contains (rec, "secret"));
  g_assert_false (recorder_trace_contains (rec, PLAIN_IR));
  g_assert_true (recorder_trace_contains (rec, "R +OK welcome"));
  g_assert_true (recorder_trace_contains (rec, "I Connected to 127.0.0.1"));
}

static void
test_open_async (void)
{
  /* PLAIN without SASL-IR: the server asks with an empty challenge. */
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND (CAPS_PLAIN),
    MT_EXPECT ("AUTH PLAIN"),
    MT_SEND ("+ \r\n"),
    MT_EXPECT (PLAIN_IR),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;

  set_credentials (service);
  missive_service_set_allow_plaintext_auth (service, TRUE);
  stp_set_options (service, TRUE, FALSE);

  missive_service_open_async (service, G_PRIORITY_DEFAULT, NULL, got_result, &result);
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_CONNECTING);
  wait_for_result (&result);
  g_assert_true (missive_service_open_finish (service, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_AUTHENTICATED);
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (service), ==, "PLAIN");

  missive_service_close_async (service, G_PRIORITY_DEFAULT, NULL, got_result, &result);
  wait_for_result (&result);
  g_assert_true (missive_service_close_finish (service, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  assert_server_ok (server);

  sent = recorder_sent (rec);
  g_assert_cmpstr (sent, ==, "CAPA|AUTH PLAIN|****|QUIT");
}

static void
test_plain_refused (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("SASL PLAIN LOGIN\r\n.\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  const MissiveServiceState states[] = {
    MISSIVE_SERVICE_STATE_CONNECTING,
    MISSIVE_SERVICE_STATE_CONNECTED,
    MISSIVE_SERVICE_STATE_AUTHENTICATING,
    MISSIVE_SERVICE_STATE_DISCONNECTED,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;

  set_credentials (service);

  g_assert_false (missive_service_open (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "allow-plaintext-auth"));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  assert_server_ok (server);

  /* Nothing at all was sent after the capabilities. */
  sent = recorder_sent (rec);
  g_assert_cmpstr (sent, ==, "CAPA");
  assert_states (rec, states, G_N_ELEMENTS (states));
}

static void
test_strongest (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("SASL LOGIN X-UNKNOWN-MECH X-TEST-STRONG PLAIN\r\n.\r\n"),
    MT_EXPECT ("AUTH X-TEST-STRONG c3Ryb25nOmFsaWNl"),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(GError) error = NULL;

  set_credentials (service);
  missive_service_set_allow_plaintext_auth (service, TRUE);

  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (service), ==, "X-TEST-STRONG");
  ASSERT_OK (missive_service_close (service, NULL, &error));
  assert_server_ok (server);
}

static void
test_plain_over_login (void)
{
  /* LOGIN comes first, but PLAIN is the stronger of the two. */
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("SASL X-UNKNOWN-MECH LOGIN PLAIN\r\n.\r\n"),
    MT_EXPECT ("AUTH PLAIN " PLAIN_IR),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(GError) error = NULL;

  set_credentials (service);
  missive_service_set_allow_plaintext_auth (service, TRUE);

  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (service), ==, "PLAIN");
  ASSERT_OK (missive_service_close (service, NULL, &error));
  assert_server_ok (server);
}

static void
test_login_mechanism (void)
{
  /* LOGIN asked for by name: two challenges, both answers secret. */
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("SASL PLAIN LOGIN\r\n.\r\n"),
    MT_EXPECT ("AUTH LOGIN"),
    MT_SEND ("+ VXNlcm5hbWU6\r\n"),
    MT_EXPECT ("YWxpY2U="),
    MT_SEND ("+ UGFzc3dvcmQ6\r\n"),
    MT_EXPECT ("c2VjcmV0"),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;

  set_credentials (service);
  missive_service_set_allow_plaintext_auth (service, TRUE);
  missive_service_set_auth_mechanism (service, "login");

  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (service), ==, "LOGIN");
  ASSERT_OK (missive_service_close (service, NULL, &error));
  assert_server_ok (server);

  sent = recorder_sent (rec);
  g_assert_cmpstr (sent, ==, "CAPA|AUTH LOGIN|****|****|QUIT");
  g_assert_false (recorder_trace_contains (rec, "c2VjcmV0"));
}

typedef struct
{
  const char *caps;
  const char *mechanism;
  gboolean allow_plaintext;
  int code;
  const char *message_part;
} ForcedCase;

static void
test_forced_mechanism (void)
{
  const ForcedCase cases[] = {
    /* not offered by the server */
    { "SASL PLAIN\r\n.\r\n", "X-TEST-STRONG", TRUE,
      MISSIVE_ERROR_MECHANISM_UNAVAILABLE, "does not offer X-TEST-STRONG" },
    /* offered, but not known here */
    { "SASL X-NOPE PLAIN\r\n.\r\n", "X-NOPE", TRUE,
      MISSIVE_ERROR_UNKNOWN_MECHANISM, "X-NOPE" },
    /* plaintext over plain TCP, even when asked for by name */
    { "SASL PLAIN\r\n.\r\n", "PLAIN", FALSE,
      MISSIVE_ERROR_MECHANISM_UNAVAILABLE, "allow-plaintext-auth" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const MissiveTestStep script[] = {
        MT_SEND ("+OK ready\r\n"),
        MT_EXPECT ("CAPA"),
        MT_SEND (cases[i].caps),
        MT_WAIT_CLOSE,
        MT_END,
      };
      g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
      g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
      g_autoptr(Recorder) rec = recorder_new (service);
      g_autoptr(GError) error = NULL;
      g_autofree char *sent = NULL;

      set_credentials (service);
      missive_service_set_auth_mechanism (service, cases[i].mechanism);
      missive_service_set_allow_plaintext_auth (service, cases[i].allow_plaintext);

      g_assert_false (missive_service_open (service, NULL, &error));
      g_assert_error (error, MISSIVE_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].message_part));
      g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
      assert_server_ok (server);
      sent = recorder_sent (rec);
      g_assert_cmpstr (sent, ==, "CAPA");
    }
}

static void
test_login_fallback (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("USER\r\n.\r\n"),
    MT_EXPECT ("USER alice"),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("PASS secret"),
    MT_SEND ("+OK logged in\r\n"),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;

  set_credentials (service);
  missive_service_set_allow_plaintext_auth (service, TRUE);

  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_AUTHENTICATED);
  g_assert_null (missive_service_get_sasl_mechanism_used (service));
  ASSERT_OK (missive_service_close (service, NULL, &error));
  assert_server_ok (server);

  sent = recorder_sent (rec);
  g_assert_cmpstr (sent, ==, "CAPA|USER alice|PASS ****|QUIT");
  g_assert_false (recorder_trace_contains (rec, "secret"));
}

static void
test_login_refused_plaintext (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("USER\r\n.\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;

  set_credentials (service);

  g_assert_false (missive_service_open (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_MECHANISM_UNAVAILABLE);
  assert_server_ok (server);
  sent = recorder_sent (rec);
  g_assert_cmpstr (sent, ==, "CAPA");
}

static void
test_auth_failed (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND (CAPS_PLAIN),
    MT_EXPECT ("AUTH PLAIN " PLAIN_IR),
    MT_SEND ("-ERR [AUTH] invalid credentials\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  const MissiveServiceState states[] = {
    MISSIVE_SERVICE_STATE_CONNECTING,
    MISSIVE_SERVICE_STATE_CONNECTED,
    MISSIVE_SERVICE_STATE_AUTHENTICATING,
    MISSIVE_SERVICE_STATE_DISCONNECTED,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autoptr(GError) error = NULL;

  set_credentials (service);
  missive_service_set_allow_plaintext_auth (service, TRUE);

  g_assert_false (missive_service_open (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
  g_assert_cmpstr (missive_error_get_server_text (error), ==, "invalid credentials");
  g_assert_cmpstr (missive_error_get_response_code (error), ==, "AUTH");
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  g_assert_null (missive_service_get_sasl_mechanism_used (service));
  assert_server_ok (server);
  assert_states (rec, states, G_N_ELEMENTS (states));
}

static void
test_starttls_unavailable (void)
{
  const GType types[] = { STP_TYPE_SERVICE, STP_TYPE_MINIMAL };

  for (gsize i = 0; i < G_N_ELEMENTS (types); i++)
    {
      const MissiveTestStep script[] = {
        MT_SEND ("+OK ready\r\n"),
        MT_EXPECT ("CAPA"),
        MT_SEND (CAPS_PLAIN),
        MT_WAIT_CLOSE,
        MT_END,
      };
      const MissiveServiceState states[] = {
        MISSIVE_SERVICE_STATE_CONNECTING,
        MISSIVE_SERVICE_STATE_DISCONNECTED,
      };
      g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
      g_autoptr(MissiveService) service = new_service (types[i], server, MISSIVE_SECURITY_STARTTLS);
      g_autoptr(Recorder) rec = recorder_new (service);
      g_autoptr(GError) error = NULL;
      g_autofree char *sent = NULL;

      set_credentials (service);
      missive_service_set_allow_plaintext_auth (service, TRUE);

      g_assert_false (missive_service_open (service, NULL, &error));
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_STARTTLS_UNAVAILABLE);
      g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
      assert_server_ok (server);
      /* No downgrade: not a byte of authentication in clear. */
      sent = recorder_sent (rec);
      g_assert_cmpstr (sent, ==, "CAPA");
      assert_states (rec, states, G_N_ELEMENTS (states));
    }
}

static void
test_starttls (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("STLS\r\nSASL PLAIN\r\nBEFORE-TLS\r\n.\r\n"),
    MT_EXPECT ("STLS"),
    MT_SEND ("+OK begin\r\n"),
    MT_STARTTLS,
    MT_EXPECT ("CAPA"),
    MT_SEND ("SASL PLAIN\r\nAFTER-TLS\r\n.\r\n"),
    MT_EXPECT ("AUTH PLAIN " PLAIN_IR),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(GTlsCertificate) cert = missive_test_load_server_cert ("server");
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, cert, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_STARTTLS);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autofree char *ca = cert_path ("ca.pem");
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;

  /* PLAIN needs no permission once TLS is up. */
  set_credentials (service);
  missive_service_set_ca_file (service, ca);

  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_AUTHENTICATED);
  g_assert_cmpuint (rec->tls_established, ==, 1);
  g_assert_cmpuint (rec->accept_certificate, ==, 0);
  g_assert_cmpuint (rec->warnings->len, ==, 0);
  g_assert_true (missive_transport_is_tls (missive_service_get_transport (service)));
  /* The capabilities from before TLS are gone. */
  g_assert_true (missive_service_has_capability (service, "AFTER-TLS"));
  g_assert_false (missive_service_has_capability (service, "BEFORE-TLS"));
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (service), ==, "PLAIN");
  g_assert_true (recorder_trace_contains (rec, "I TLS established"));

  ASSERT_OK (missive_service_close (service, NULL, &error));
  assert_server_ok (server);
  sent = recorder_sent (rec);
  g_assert_cmpstr (sent, ==, "CAPA|STLS|CAPA|AUTH PLAIN ****|QUIT");
}

static void
test_starttls_injection (void)
{
  /* The go-ahead and a forged line arrive together, in clear. */
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("STLS\r\n.\r\n"),
    MT_EXPECT ("STLS"),
    MT_SEND ("+OK begin\r\n+OK INJECTED\r\n"),
    MT_STARTTLS,
    MT_EXPECT ("CAPA"),
    MT_SEND ("REAL\r\n.\r\n"),
    MT_EXPECT ("NOOP"),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(GTlsCertificate) cert = missive_test_load_server_cert ("server");
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, cert, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_STARTTLS);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autofree char *ca = cert_path ("ca.pem");
  g_autoptr(GError) error = NULL;
  const GError *warning;

  missive_service_set_ca_file (service, ca);

  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_CONNECTED);
  g_assert_cmpuint (rec->warnings->len, ==, 1);
  warning = g_ptr_array_index (rec->warnings, 0);
  g_assert_error (warning, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (warning->message, "14 bytes"));
  g_assert_true (missive_service_has_capability (service, "REAL"));

  /* The next read gets the server's real answer, not the forged line. */
  ASSERT_OK (missive_service_noop (service, NULL, &error));
  g_assert_false (recorder_trace_contains (rec, "INJECTED"));

  ASSERT_OK (missive_service_close (service, NULL, &error));
  assert_server_ok (server);
}

static void
test_implicit_tls_certificate (void)
{
  const gboolean accept[] = { TRUE, FALSE };

  for (gsize i = 0; i < G_N_ELEMENTS (accept); i++)
    {
      const MissiveTestStep script[] = {
        MT_SEND ("+OK ready\r\n"),
        MT_EXPECT ("CAPA"),
        MT_SEND (CAPS_PLAIN),
        MT_EXPECT ("QUIT"),
        MT_SEND ("+OK bye\r\n"),
        MT_WAIT_CLOSE,
        MT_END,
      };
      g_autoptr(GTlsCertificate) cert = missive_test_load_server_cert ("server");
      g_autoptr(MissiveTestServer) server = missive_test_server_new (script, cert, TRUE);
      g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_TLS);
      g_autoptr(Recorder) rec = recorder_new (service);
      g_autofree char *other_ca = cert_path ("wrong-ca.pem");
      g_autoptr(GError) error = NULL;

      /* Trust only an unrelated CA: the server's certificate fails. */
      missive_service_set_ca_file (service, other_ca);
      rec->accept = accept[i];

      if (accept[i])
        {
          ASSERT_OK (missive_service_open (service, NULL, &error));
          g_assert_cmpuint (rec->accept_certificate, >=, 1);
          g_assert_cmpuint (rec->tls_established, ==, 1);
          g_assert_true (missive_transport_is_tls (missive_service_get_transport (service)));
          ASSERT_OK (missive_service_close (service, NULL, &error));
          assert_server_ok (server);
        }
      else
        {
          g_assert_false (missive_service_open (service, NULL, &error));
          g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CERTIFICATE_REJECTED);
          g_assert_cmpuint (rec->accept_certificate, >=, 1);
          g_assert_cmpuint (rec->tls_established, ==, 0);
          g_assert_cmpint (missive_service_get_state (service), ==,
                           MISSIVE_SERVICE_STATE_DISCONNECTED);
          /* The server's side of the handshake failed too; not checked. */
        }
    }
}

static void
test_lost_during_greeting (void)
{
  const MissiveTestStep closing[] = {
    MT_CLOSE,
    MT_END,
  };
  const MissiveTestStep working[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND (CAPS_PLAIN),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  const MissiveServiceState states[] = {
    MISSIVE_SERVICE_STATE_CONNECTING,
    MISSIVE_SERVICE_STATE_DISCONNECTED,
    MISSIVE_SERVICE_STATE_CONNECTING,
    MISSIVE_SERVICE_STATE_CONNECTED,
    MISSIVE_SERVICE_STATE_CLOSING,
    MISSIVE_SERVICE_STATE_DISCONNECTED,
  };
  g_autoptr(MissiveTestServer) server1 = missive_test_server_new (closing, NULL, FALSE);
  g_autoptr(MissiveTestServer) server2 = NULL;
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server1, MISSIVE_SECURITY_NONE);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autoptr(GError) error = NULL;

  g_assert_false (missive_service_open (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_clear_error (&error);
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  g_assert_null (missive_service_get_transport (service));
  assert_server_ok (server1);

  /* The same object opens again, against a fresh server. */
  server2 = missive_test_server_new (working, NULL, FALSE);
  missive_service_set_port (service, missive_test_server_get_port (server2));
  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_CONNECTED);
  ASSERT_OK (missive_service_close (service, NULL, &error));
  assert_server_ok (server2);
  assert_states (rec, states, G_N_ELEMENTS (states));
}

static void
test_line_too_long (void)
{
  g_autofree char *greeting = NULL;
  g_autofree char *long_line = g_strnfill (MISSIVE_READER_DEFAULT_MAX_LINE + 1000, 'x');
  g_autoptr(MissiveTestServer) server = NULL;
  g_autoptr(MissiveService) service = NULL;
  g_autoptr(GError) error = NULL;

  greeting = g_strconcat ("+OK ", long_line, "\r\n", NULL);
  {
    const MissiveTestStep script[] = {
      MT_SEND (greeting),
      MT_WAIT_CLOSE,
      MT_END,
    };

    server = missive_test_server_new (script, NULL, FALSE);
    service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);

    g_assert_false (missive_service_open (service, NULL, &error));
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_LINE_TOO_LONG);
    g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
    assert_server_ok (server);
  }
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}

static void
test_cancel_greeting (void)
{
  /* The server never greets; it waits for the client to go away. */
  const MissiveTestStep script[] = {
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const MissiveServiceState states[] = {
    MISSIVE_SERVICE_STATE_CONNECTING,
    MISSIVE_SERVICE_STATE_DISCONNECTED,
  };

  missive_service_open_async (service, G_PRIORITY_DEFAULT, cancellable, got_result, &result);
  g_timeout_add (200, cancel_later, cancellable);
  wait_for_result (&result);
  g_assert_false (missive_service_open_finish (service, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  assert_server_ok (server);
  assert_states (rec, states, G_N_ELEMENTS (states));
}

static void
test_send_command (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND (CAPS_PLAIN),
    MT_EXPECT ("NOOP"),
    MT_SEND ("+OK fine\r\n"),
    MT_EXPECT ("XCMD arg"),
    MT_SEND ("-ERR nope\r\n"),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  const char *bad_commands[] = { "NOOP\r\nQUIT", "NOOP\nQUIT", "NOOP\r", "" };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autoptr(MissiveReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;

  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_CONNECTED);

  for (gsize i = 0; i < G_N_ELEMENTS (bad_commands); i++)
    {
      g_assert_null (missive_service_send_command (service, bad_commands[i], NULL, &error));
      g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
      g_clear_error (&error);
    }
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_CONNECTED);

  ASSERT_OK (missive_service_noop (service, NULL, &error));

  reply = missive_service_send_command (service, "XCMD arg", NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpstr (missive_reply_get_status (reply), ==, "-ERR");
  g_assert_cmpstr (missive_reply_get_text (reply), ==, "nope");

  ASSERT_OK (missive_service_close (service, NULL, &error));
  assert_server_ok (server);
  sent = recorder_sent (rec);
  g_assert_cmpstr (sent, ==, "CAPA|NOOP|XCMD arg|QUIT");
}

static void
test_not_supported (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND (CAPS_PLAIN),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_MINIMAL, server, MISSIVE_SECURITY_NONE);
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_open (service, NULL, &error));

  g_assert_false (missive_service_noop (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_null (missive_service_send_command (service, "HELP", NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_CONNECTED);

  ASSERT_OK (missive_service_close (service, NULL, &error));
  assert_server_ok (server);
}

static void
test_noop_connection_lost (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND (CAPS_PLAIN),
    MT_EXPECT ("NOOP"),
    MT_CLOSE,
    MT_END,
  };
  const MissiveServiceState states[] = {
    MISSIVE_SERVICE_STATE_CONNECTING,
    MISSIVE_SERVICE_STATE_CONNECTED,
    MISSIVE_SERVICE_STATE_DISCONNECTED,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_open (service, NULL, &error));

  g_assert_false (missive_service_noop (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_clear_error (&error);
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  g_assert_null (missive_service_get_reader (service));

  g_assert_false (missive_service_noop (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  assert_server_ok (server);
  assert_states (rec, states, G_N_ELEMENTS (states));
}

static void
test_preauth (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK preauth\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND (CAPS_PLAIN),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  const MissiveServiceState states[] = {
    MISSIVE_SERVICE_STATE_CONNECTING,
    MISSIVE_SERVICE_STATE_AUTHENTICATED,
    MISSIVE_SERVICE_STATE_CLOSING,
    MISSIVE_SERVICE_STATE_DISCONNECTED,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(Recorder) rec = recorder_new (service);
  g_autoptr(GError) error = NULL;

  /* Credentials are not used: the server says we are in already. */
  set_credentials (service);
  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_AUTHENTICATED);
  ASSERT_OK (missive_service_close (service, NULL, &error));
  assert_server_ok (server);
  assert_states (rec, states, G_N_ELEMENTS (states));
}

static void
test_stream_transport (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND (CAPS_PLAIN),
    MT_EXPECT ("NOOP"),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(MissiveStreamTransport) transport = NULL;
  g_autoptr(MissiveService) service = g_object_new (STP_TYPE_SERVICE, "scheme", "testproto",
                                                    "security", MISSIVE_SECURITY_NONE, NULL);
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                missive_test_server_get_port (server),
                                                NULL, &error);
  g_assert_no_error (error);
  transport = missive_stream_transport_new (G_IO_STREAM (connection), "127.0.0.1");
  missive_service_set_transport (service, MISSIVE_TRANSPORT (transport));

  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_true (missive_service_get_transport (service) == MISSIVE_TRANSPORT (transport));
  ASSERT_OK (missive_service_noop (service, NULL, &error));
  ASSERT_OK (missive_service_close (service, NULL, &error));
  g_assert_true (missive_service_get_transport (service) == MISSIVE_TRANSPORT (transport));
  assert_server_ok (server);
}

static void
test_mutual (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("SASL X-TEST-MUTUAL\r\n.\r\n"),
    MT_EXPECT ("AUTH X-TEST-MUTUAL"),
    MT_SEND ("+ Y2hhbGxlbmdl\r\n"),
    MT_EXPECT ("cmVzcG9uc2U="),
    MT_SEND ("+OK=c2VydmVyLXByb29m\r\n"),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(GError) error = NULL;

  set_credentials (service);
  missive_service_set_auth_mechanism (service, "X-TEST-MUTUAL");

  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_cmpstr (missive_service_get_sasl_mechanism_used (service), ==, "X-TEST-MUTUAL");
  ASSERT_OK (missive_service_close (service, NULL, &error));
  assert_server_ok (server);
}

static void
test_mutual_unproven (void)
{
  /* The server says OK without proving itself. */
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("SASL X-TEST-MUTUAL\r\n.\r\n"),
    MT_EXPECT ("AUTH X-TEST-MUTUAL"),
    MT_SEND ("+ Y2hhbGxlbmdl\r\n"),
    MT_EXPECT ("cmVzcG9uc2U="),
    MT_SEND ("+OK\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(GError) error = NULL;

  set_credentials (service);
  missive_service_set_auth_mechanism (service, "X-TEST-MUTUAL");

  g_assert_false (missive_service_open (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
  g_assert_nonnull (strstr (error->message, "prove"));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  assert_server_ok (server);
}

static void
test_step_error_aborts (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("SASL X-TEST-MUTUAL\r\n.\r\n"),
    MT_EXPECT ("AUTH X-TEST-MUTUAL"),
    MT_SEND ("+ YmFk\r\n"),
    MT_EXPECT ("*"),
    MT_SEND ("-ERR aborted\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(GError) error = NULL;

  set_credentials (service);
  missive_service_set_auth_mechanism (service, "X-TEST-MUTUAL");

  g_assert_false (missive_service_open (service, NULL, &error));
  /* The mechanism's error, not the server's answer to the abort. */
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_AUTHENTICATION_FAILED);
  g_assert_cmpstr (error->message, ==, "X-TEST-MUTUAL refused the challenge");
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  assert_server_ok (server);
}

static void
test_too_many_rounds (void)
{
  g_autoptr(GArray) script = g_array_new (FALSE, FALSE, sizeof (MissiveTestStep));
  const MissiveTestStep head[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND ("SASL X-TEST-MUTUAL\r\n.\r\n"),
    MT_EXPECT ("AUTH X-TEST-MUTUAL"),
  };
  const MissiveTestStep round[] = {
    MT_SEND ("+ Y2hhbGxlbmdl\r\n"),
    MT_EXPECT ("cmVzcG9uc2U="),
  };
  const MissiveTestStep tail[] = {
    MT_SEND ("+ Y2hhbGxlbmdl\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = NULL;
  g_autoptr(MissiveService) service = NULL;
  g_autoptr(GError) error = NULL;

  g_array_append_vals (script, head, G_N_ELEMENTS (head));
  for (guint i = 0; i < 32; i++)
    g_array_append_vals (script, round, G_N_ELEMENTS (round));
  g_array_append_vals (script, tail, G_N_ELEMENTS (tail));

  server = missive_test_server_new ((const MissiveTestStep *) script->data, NULL, FALSE);
  service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  set_credentials (service);
  missive_service_set_auth_mechanism (service, "X-TEST-MUTUAL");

  g_assert_false (missive_service_open (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL);
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  assert_server_ok (server);
}

static void
test_dispose_closes (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND (CAPS_PLAIN),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  MissiveService *service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  Recorder *rec = recorder_new (service);
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;

  ASSERT_OK (missive_service_open (service, NULL, &error));
  /* Dropping the last reference closes the connection, without a QUIT. */
  g_object_unref (service);
  assert_server_ok (server);
  sent = recorder_sent (rec);
  g_assert_cmpstr (sent, ==, "CAPA");
  recorder_free (rec);
}

static void
test_timeout (void)
{
  /* The server never says anything. */
  const MissiveTestStep script[] = {
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  missive_service_set_timeout (service, 1);
  g_assert_false (missive_service_open (service, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_TIMED_OUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 8 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  assert_server_ok (server);
}

typedef struct
{
  guint started, progress, finished;
  guint64 last_done, last_total;
} Transfer;

static void
on_transfer_started (MissiveService *service,
                     const char     *what,
                     guint64         total,
                     Transfer       *t)
{
  g_assert_cmpstr (what, ==, "literal");
  t->started++;
}

static void
on_transfer_progress (MissiveService *service,
                      guint64         done,
                      guint64         total,
                      Transfer       *t)
{
  g_assert_cmpuint (done, >=, t->last_done);
  g_assert_cmpuint (done, <=, total);
  t->progress++;
  t->last_done = done;
  t->last_total = total;
}

static void
on_transfer_finished (MissiveService *service,
                      guint64         total,
                      Transfer       *t)
{
  t->finished++;
}

#define LITERAL_SIZE 200000

static void
test_transfer_progress (void)
{
  g_autofree char *literal = g_strnfill (LITERAL_SIZE, 'y');
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND (CAPS_PLAIN),
    MT_EXPECT ("LIT"),
    MT_SEND (literal),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SERVICE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Transfer t = { 0, };

  g_signal_connect (service, "transfer-started", G_CALLBACK (on_transfer_started), &t);
  g_signal_connect (service, "transfer-progress", G_CALLBACK (on_transfer_progress), &t);
  g_signal_connect (service, "transfer-finished", G_CALLBACK (on_transfer_finished), &t);

  ASSERT_OK (missive_service_open (service, NULL, &error));

  missive_service_write_line_async (service, "LIT", FALSE, NULL, got_result, &result);
  wait_for_result (&result);
  ASSERT_OK (missive_service_write_line_finish (service, result, &error));
  g_clear_object (&result);

  missive_service_emit_transfer_started (service, "literal", LITERAL_SIZE);
  missive_reader_read_literal_async (missive_service_get_reader (service), LITERAL_SIZE, sink,
                                     G_PRIORITY_DEFAULT, NULL, got_result, &result);
  wait_for_result (&result);
  ASSERT_OK (missive_reader_read_literal_finish (missive_service_get_reader (service),
                                                 result, &error));
  missive_service_emit_transfer_finished (service, LITERAL_SIZE);

  g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (sink)), ==,
                    LITERAL_SIZE);
  g_assert_cmpuint (t.started, ==, 1);
  g_assert_cmpuint (t.progress, >=, 1);
  g_assert_cmpuint (t.last_done, ==, LITERAL_SIZE);
  g_assert_cmpuint (t.last_total, ==, LITERAL_SIZE);
  g_assert_cmpuint (t.finished, ==, 1);

  ASSERT_OK (missive_service_close (service, NULL, &error));
  assert_server_ok (server);
}

static void
on_mailbox_listed (MissiveStore       *store,
                   MissiveMailboxInfo *info,
                   guint              *count)
{
  g_assert_true (MISSIVE_IS_MAILBOX_INFO (info));
  (*count)++;
}

static void
test_store (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK preauth\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND (CAPS_PLAIN),
    MT_EXPECT ("FETCH 1:*"),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("FETCH 2"),
    MT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_STORE, server, MISSIVE_SECURITY_NONE);
  MissiveStore *store = MISSIVE_STORE (service);
  g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable ();
  g_autoptr(GListModel) model = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  g_autoptr(MissiveMailboxInfo) selected = NULL;
  g_autoptr(MissiveMessageSet) all = NULL;
  g_autoptr(MissiveMessageSet) two = NULL;
  g_autoptr(GError) error = NULL;
  guint listed = 0;

  g_signal_connect (store, "mailbox-listed", G_CALLBACK (on_mailbox_listed), &listed);

  /* Not open. */
  g_assert_null (missive_store_list_mailboxes (store, "*", MISSIVE_LIST_FLAGS_NONE, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_AUTHENTICATED);

  model = missive_store_list_mailboxes (store, "INBOX*", MISSIVE_LIST_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  info = g_list_model_get_item (model, 0);
  g_assert_cmpstr (missive_mailbox_info_get_name (info), ==, "INBOX*");
  g_assert_cmpuint (listed, ==, 1);
  g_clear_object (&model);
  g_clear_object (&info);

  /* No pattern: everything. */
  model = missive_store_list_mailboxes (store, NULL, MISSIVE_LIST_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  info = g_list_model_get_item (model, 0);
  g_assert_cmpstr (missive_mailbox_info_get_name (info), ==, "*");
  g_clear_object (&model);

  g_assert_null (missive_store_list_mailboxes (store, "a\r\nb", MISSIVE_LIST_FLAGS_NONE, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* Not implemented by the plugin. */
  selected = missive_store_select_mailbox (store, "INBOX", FALSE, NULL, &error);
  g_assert_null (selected);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);

  /* Refused before anything is sent. */
  g_assert_null (missive_store_select_mailbox (store, "INBOX\r\nA1 DELETE x", TRUE, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (missive_store_select_mailbox (store, "", TRUE, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (missive_store_fetch_summaries (store, NULL, MISSIVE_FETCH_ITEMS_FLAGS, 0, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (missive_store_fetch_message (store, 0, sink, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  all = missive_message_set_new_from_string ("1:*", &error);
  g_assert_no_error (error);
  model = missive_store_fetch_summaries (store, all, MISSIVE_FETCH_ITEMS_SUMMARY, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  /* The connection breaks: the store is disconnected, cleanly. */
  two = missive_message_set_new_single (2);
  g_assert_null (missive_store_fetch_summaries (store, two, MISSIVE_FETCH_ITEMS_SUMMARY, 0, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_CONNECTION_LOST);
  g_clear_error (&error);
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_DISCONNECTED);
  g_assert_null (missive_store_list_mailboxes (store, "*", MISSIVE_LIST_FLAGS_NONE, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  assert_server_ok (server);
}

static void
test_store_not_logged_in (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND (CAPS_PLAIN),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_STORE, server, MISSIVE_SECURITY_NONE);
  g_autoptr(GError) error = NULL;

  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_CONNECTED);
  g_assert_null (missive_store_list_mailboxes (MISSIVE_STORE (service), "*", MISSIVE_LIST_FLAGS_NONE,
                                               NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  g_clear_error (&error);
  ASSERT_OK (missive_service_close (service, NULL, &error));
  assert_server_ok (server);
}

static void
test_sender (void)
{
  const MissiveTestStep script[] = {
    MT_SEND ("+OK ready\r\n"),
    MT_EXPECT ("CAPA"),
    MT_SEND (CAPS_PLAIN),
    MT_EXPECT_PREFIX ("SEND a@example.org b@example.org c@example.org size="),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT_PREFIX ("SEND sender@example.org b@example.org c@example.org d@example.org size="),
    MT_SEND ("+OK\r\n"),
    MT_EXPECT ("QUIT"),
    MT_SEND ("+OK bye\r\n"),
    MT_WAIT_CLOSE,
    MT_END,
  };
  g_autoptr(MissiveTestServer) server = missive_test_server_new (script, NULL, FALSE);
  g_autoptr(MissiveService) service = new_service (STP_TYPE_SENDER, server, MISSIVE_SECURITY_NONE);
  g_autoptr(Recorder) rec = recorder_new (service);
  MissiveSender *sender = MISSIVE_SENDER (service);
  g_autoptr(GObject) message_object = G_OBJECT (g_mime_message_new (TRUE));
  GMimeMessage *message = GMIME_MESSAGE (message_object);
  g_autoptr(GObject) body = G_OBJECT (g_mime_text_part_new_with_subtype ("plain"));
  g_autoptr(MissiveEnvelope) envelope = missive_envelope_new ("a@example.org");
  g_autoptr(MissiveEnvelope) bad = missive_envelope_new ("a@example.org");
  g_autoptr(MissiveEnvelope) empty = missive_envelope_new ("a@example.org");
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(MissiveSendResult) derived = NULL;
  g_autoptr(MissiveRecipientResult) first = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 announced, received;
  int content_class;
  char *p;

  missive_envelope_add_recipient (envelope, "b@example.org", MISSIVE_RECIPIENT_ENVELOPE);
  missive_envelope_add_recipient (envelope, "c@example.org", MISSIVE_RECIPIENT_ENVELOPE);
  missive_envelope_add_recipient (bad, "c@example.org>\r\nRCPT TO:<x@evil", MISSIVE_RECIPIENT_ENVELOPE);

  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_FROM, "Ann", "ann@example.org");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_SENDER, NULL, "sender@example.org");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_TO, NULL, "b@example.org");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_CC, NULL, "c@example.org");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_CC, NULL, "B@Example.org");
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_BCC, NULL, "d@example.org");
  g_mime_message_set_subject (message, "caf\xc3\xa9", "utf-8");
  g_mime_text_part_set_text (GMIME_TEXT_PART (body), "caf\xc3\xa9\n.\nline two\n");
  g_mime_part_set_content_encoding (GMIME_PART (body), GMIME_CONTENT_ENCODING_8BIT);
  g_mime_message_set_mime_part (message, GMIME_OBJECT (body));

  g_assert_null (missive_sender_send_message (sender, message, envelope, NULL, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_STATE);
  g_clear_error (&error);

  /* A relay without login: connected is enough to send. */
  ASSERT_OK (missive_service_open (service, NULL, &error));
  g_assert_cmpint (missive_service_get_state (service), ==, MISSIVE_SERVICE_STATE_CONNECTED);

  /* Bad envelopes are refused before anything is sent. */
  g_assert_null (missive_sender_send_message (sender, message, bad, NULL, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_null (missive_sender_send_message (sender, message, empty, NULL, NULL, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  missive_envelope_set_from (bad, "a b@example.org");
  g_assert_false (missive_envelope_validate (bad, &error));
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  /* An explicit envelope is used as it is. */
  result = missive_sender_send_message (sender, message, envelope, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (missive_send_result_get_recipients (result)), ==, 2);
  g_assert_cmpuint (missive_send_result_get_n_accepted (result), ==, 2);
  first = g_list_model_get_item (missive_send_result_get_recipients (result), 0);
  g_assert_cmpstr (missive_recipient_result_get_address (first), ==, "b@example.org");
  /* The caller's envelope is not annotated by the send. */
  g_assert_cmpint (missive_envelope_get_content_class (envelope), ==, MISSIVE_CONTENT_7BIT);

  /* Without one, it comes from Sender, To, Cc (the duplicate once) and Bcc. */
  derived = missive_sender_send_message (sender, message, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missive_send_result_get_n_accepted (derived), ==, 3);

  ASSERT_OK (missive_service_close (service, NULL, &error));
  assert_server_ok (server);
  sent = recorder_sent (rec);
  lines = g_strsplit (sent, "|", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[0], ==, "CAPA");
  g_assert_cmpstr (lines[3], ==, "QUIT");

  /* The size announced is the size streamed; the body is 8-bit; every line
   * ends in CRLF; the Bcc header is not transmitted. */
  for (guint i = 1; i <= 2; i++)
    {
      p = strstr (lines[i], "size=");
      g_assert_nonnull (p);
      g_assert_cmpint (sscanf (p, "size=%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT " class=%d",
                               &announced, &received, &content_class), ==, 3);
      g_assert_cmpint (announced, ==, received);
      g_assert_cmpint (received, >, 100);
      g_assert_cmpint (content_class, ==, MISSIVE_CONTENT_8BIT);
      g_assert_true (g_str_has_suffix (lines[i], " crlf"));
      g_assert_null (strstr (lines[i], " bcc"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  missive_test_init (&argc, &argv);
  g_mime_init ();

  missive_engine_register_sasl_mechanism (missive_engine_get_default (), STP_TYPE_STRONG, &error);
  g_assert_no_error (error);
  missive_engine_register_sasl_mechanism (missive_engine_get_default (), STP_TYPE_MUTUAL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/service/defaults", test_defaults);
  g_test_add_func ("/service/capabilities", test_capabilities);
  g_test_add_func ("/service/trace", test_trace);
  g_test_add_func ("/service/not-open", test_not_open);
  g_test_add_func ("/service/plain-allowed", test_plain_allowed);
  g_test_add_func ("/service/open-async", test_open_async);
  g_test_add_func ("/service/plain-refused", test_plain_refused);
  g_test_add_func ("/service/strongest", test_strongest);
  g_test_add_func ("/service/plain-over-login", test_plain_over_login);
  g_test_add_func ("/service/login-mechanism", test_login_mechanism);
  g_test_add_func ("/service/forced-mechanism", test_forced_mechanism);
  g_test_add_func ("/service/login-fallback", test_login_fallback);
  g_test_add_func ("/service/login-refused-plaintext", test_login_refused_plaintext);
  g_test_add_func ("/service/auth-failed", test_auth_failed);
  g_test_add_func ("/service/starttls-unavailable", test_starttls_unavailable);
  g_test_add_func ("/service/starttls", test_starttls);
  g_test_add_func ("/service/starttls-injection", test_starttls_injection);
  g_test_add_func ("/service/implicit-tls-certificate", test_implicit_tls_certificate);
  g_test_add_func ("/service/lost-during-greeting", test_lost_during_greeting);
  g_test_add_func ("/service/line-too-long", test_line_too_long);
  g_test_add_func ("/service/cancel-greeting", test_cancel_greeting);
  g_test_add_func ("/service/send-command", test_send_command);
  g_test_add_func ("/service/not-supported", test_not_supported);
  g_test_add_func ("/service/noop-connection-lost", test_noop_connection_lost);
  g_test_add_func ("/service/preauth", test_preauth);
  g_test_add_func ("/service/stream-transport", test_stream_transport);
  g_test_add_func ("/service/mutual", test_mutual);
  g_test_add_func ("/service/mutual-unproven", test_mutual_unproven);
  g_test_add_func ("/service/step-error-aborts", test_step_error_aborts);
  g_test_add_func ("/service/too-many-rounds", test_too_many_rounds);
  g_test_add_func ("/service/dispose-closes", test_dispose_closes);
  g_test_add_func ("/service/timeout", test_timeout);
  g_test_add_func ("/service/transfer-progress", test_transfer_progress);
  g_test_add_func ("/store/operations", test_store);
  g_test_add_func ("/store/not-logged-in", test_store_not_logged_in);
  g_test_add_func ("/sender/operations", test_sender);

  ret = g_test_run ();
  g_mime_shutdown ();
  return ret;
}
