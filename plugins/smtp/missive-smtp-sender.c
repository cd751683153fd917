/* missive-smtp-sender.c: MissiveSmtpSender, the SMTP and LMTP
 * implementation of MissiveSender: its properties and the service's
 * virtual methods (greeting, EHLO/HELO/LHLO, STARTTLS, AUTH, QUIT, NOOP,
 * raw commands), VRFY/EXPN and RSET
 *
 * The mail transaction lives in missive-smtp-send.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-smtp-private.h"

/* RFC 4954 section 4: an AUTH command line is at most 12288 octets; a
 * longer initial response waits for the server's empty challenge. */
#define MAX_AUTH_LINE 12288

enum {
  PROP_0,
  PROP_ALLOW_EXTENSIONS,
  PROP_HELO_NAME,
  PROP_USE_CHUNKING,
  PROP_USE_PIPELINING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType missive_smtp_sender_type_id;
static GType missive_lmtp_sender_type_id;
static gpointer missive_smtp_sender_parent_class;

GType
missive_smtp_sender_get_type (void)
{
  return missive_smtp_sender_type_id;
}

GType
missive_lmtp_sender_get_type (void)
{
  return missive_lmtp_sender_type_id;
}

gboolean
missive_smtp_sender_is_lmtp (MissiveSmtpSender *self)
{
  const char *scheme = missive_service_get_scheme (MISSIVE_SERVICE (self));

  return MISSIVE_SMTP_SENDER_GET_CLASS (self)->lmtp ||
         (scheme != NULL && g_ascii_strcasecmp (scheme, "lmtp") == 0);
}

/* ---- helpers -------------------------------------------------------------- */

static gboolean
boolean_finish (MissiveService  *service,
                GAsyncResult    *result,
                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  guint expected;       /* the reply class wanted: 2 (2xx) or 3 (3xx) */
  int code_5xx;         /* the error for a permanent refusal */
  const char *what;     /* the command, for the message */
} SimpleData;

static void
simple_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SimpleData *data = g_task_get_task_data (task);
  g_autoptr(MissiveSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = missive_smtp_command_finish (MISSIVE_SMTP_SENDER (source), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (reply->code / 100 != data->expected)
    {
      g_task_return_error (task, missive_smtp_reply_to_error (reply, data->code_5xx, data->what));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/* Sends @line and succeeds on a 2xx reply. */
static void
run_simple (MissiveSmtpSender   *self,
            const char          *line,
            int                  code_5xx,
            const char          *what,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  SimpleData *data = g_new0 (SimpleData, 1);

  g_task_set_source_tag (task, source_tag);
  data->expected = 2;
  data->code_5xx = code_5xx;
  data->what = what;
  g_task_set_task_data (task, data, g_free);
  missive_smtp_command_async (self, line, FALSE, FALSE, cancellable, simple_done_cb, task);
}

static guint16
missive_smtp_sender_get_default_port (MissiveService  *service,
                                      MissiveSecurity  security)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (service);
  const char *scheme = missive_service_get_scheme (service);

  if (missive_smtp_sender_is_lmtp (self))
    return 24;
  if (security == MISSIVE_SECURITY_TLS)
    return 465;
  if (scheme != NULL && g_ascii_strcasecmp (scheme, "submission") == 0)
    return 587;
  return 25;
}

static void
reset_connection_state (MissiveSmtpSender *self)
{
  missive_smtp_caps_clear (&self->caps);
  g_clear_pointer (&self->pending_ir, g_bytes_unref);
  g_clear_pointer (&self->closed_reason, g_free);
  self->ehlo_done = FALSE;
  self->out_of_step = FALSE;
  self->closed_by_server = FALSE;
}

/* The name for EHLO/HELO/LHLO: the helo-name property, else the local
 * host name when it is a dotted domain, else the local address as an
 * address literal (RFC 5321 section 4.1.4). */
static char *
helo_name (MissiveSmtpSender *self)
{
  const char *host = g_get_host_name ();
  MissiveTransport *transport;
  GIOStream *stream;

  if (self->helo_name != NULL && self->helo_name[0] != '\0')
    return g_strdup (self->helo_name);

  if (host != NULL && strchr (host, '.') != NULL && host[0] != '.')
    {
      gboolean ok = TRUE;

      for (const char *p = host; *p != '\0' && ok; p++)
        ok = g_ascii_isalnum (*p) || *p == '-' || *p == '.';
      if (ok)
        return g_strdup (host);
    }

  transport = missive_service_get_transport (MISSIVE_SERVICE (self));
  stream = transport != NULL ? missive_transport_get_stream (transport) : NULL;
  if (stream != NULL && G_IS_TLS_CONNECTION (stream))
    {
      GIOStream *base = NULL;

      g_object_get (stream, "base-io-stream", &base, NULL);
      if (base != NULL)
        {
          /* Still owned by the TLS connection. */
          stream = base;
          g_object_unref (base);
        }
    }
  if (stream != NULL && G_IS_SOCKET_CONNECTION (stream))
    {
      g_autoptr(GSocketAddress) address =
        g_socket_connection_get_local_address (G_SOCKET_CONNECTION (stream), NULL);

      if (address != NULL && G_IS_INET_SOCKET_ADDRESS (address))
        {
          GInetAddress *inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
          g_autofree char *text = g_inet_address_to_string (inet);

          if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
            return g_strdup_printf ("[IPv6:%s]", text);
          return g_strdup_printf ("[%s]", text);
        }
    }
  /* No socket to ask (a spawned program, a throttled stream): the bare
   * host name is better than a wrong address. */
  if (host != NULL && host[0] != '\0' && strpbrk (host, " \r\n") == NULL)
    return g_strdup (host);
  return g_strdup ("localhost");
}

/* ---- greeting --------------------------------------------------------------- */

static void
greeting_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (source);
  g_autoptr(MissiveSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = missive_smtp_read_reply_finish (self, result, &error);
  if (reply == NULL)
    {
      if (g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL) ||
          g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_MALFORMED_RESPONSE))
        g_prefix_error (&error, "Not an SMTP server? ");
      g_task_return_error (task, error);
      return;
    }
  if (reply->code == 220)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (reply->code / 100 == 5)
    {
      /* RFC 5321 section 3.1: 554 instead of 220 refuses the session. */
      GError *refused = missive_smtp_reply_to_error (reply, MISSIVE_ERROR_CONNECTION_REFUSED,
                                                     "Connecting");

      g_task_return_error (task, refused);
      return;
    }
  {
    g_autofree char *text = missive_smtp_reply_join_text (reply, " ");

    g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                             "Unexpected greeting from the SMTP server: %03u %s",
                             reply->code, text);
  }
}

static void
missive_smtp_sender_greet_async (MissiveService      *service,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissiveReader *reader = missive_service_get_reader (service);

  g_task_set_source_tag (task, missive_smtp_sender_greet_async);
  reset_connection_state (self);
  if (reader != NULL)
    missive_reader_set_max_line_length (reader, MISSIVE_SMTP_MAX_LINE_LENGTH);
  missive_smtp_read_reply_async (self, FALSE, cancellable, greeting_cb, task);
}

/* ---- EHLO, HELO, LHLO -------------------------------------------------------- */

static void send_helo (GTask *task);

static void
helo_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (source);
  g_autoptr(MissiveSmtpReply) reply = NULL;
  const char * const none[] = { NULL };
  GError *error = NULL;

  reply = missive_smtp_command_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (reply->code / 100 != 2)
    {
      g_task_return_error (task, missive_smtp_reply_to_error (reply, MISSIVE_ERROR_SERVER_PERMANENT,
                                                              "HELO"));
      return;
    }
  /* An RFC 821 server: no extensions. */
  missive_smtp_caps_clear (&self->caps);
  self->ehlo_done = FALSE;
  missive_service_set_capabilities (MISSIVE_SERVICE (self), none);
  g_task_return_boolean (task, TRUE);
}

static void
send_helo (GTask *task)
{
  MissiveSmtpSender *self = g_task_get_source_object (task);
  g_autofree char *name = helo_name (self);
  g_autofree char *line = g_strconcat ("HELO ", name, NULL);

  missive_smtp_command_async (self, line, FALSE, FALSE, g_task_get_cancellable (task),
                              helo_cb, task);
}

static void
ehlo_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (source);
  gboolean lmtp = missive_smtp_sender_is_lmtp (self);
  g_autoptr(MissiveSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = missive_smtp_command_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (reply->code == 250)
    {
      missive_smtp_caps_parse (&self->caps, reply);
      self->ehlo_done = TRUE;
      missive_service_set_capabilities (MISSIVE_SERVICE (self),
                                        (const char * const *) self->caps.names);
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (reply->code / 100 == 5 && !lmtp)
    {
      /* RFC 5321 section 3.2: an old server that does not know EHLO. */
      send_helo (g_steal_pointer (&task));
      return;
    }
  g_task_return_error (task, missive_smtp_reply_to_error (reply, MISSIVE_ERROR_SERVER_PERMANENT,
                                                          lmtp ? "LHLO" : "EHLO"));
}

static void
missive_smtp_sender_refresh_capabilities_async (MissiveService      *service,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  gboolean lmtp = missive_smtp_sender_is_lmtp (self);
  g_autofree char *name = NULL;
  g_autofree char *line = NULL;

  g_task_set_source_tag (task, missive_smtp_sender_refresh_capabilities_async);
  if (!lmtp && !self->allow_extensions)
    {
      send_helo (task);
      return;
    }
  name = helo_name (self);
  line = g_strconcat (lmtp ? "LHLO " : "EHLO ", name, NULL);
  missive_smtp_command_async (self, line, FALSE, FALSE, cancellable, ehlo_cb, task);
}

/* ---- STARTTLS ---------------------------------------------------------------- */

static void
starttls_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (source);
  g_autoptr(MissiveSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = missive_smtp_command_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (reply->code != 220)
    {
      g_task_return_error (task, missive_smtp_reply_to_error (reply,
                                                              MISSIVE_ERROR_STARTTLS_UNAVAILABLE,
                                                              "STARTTLS"));
      return;
    }
  /* RFC 3207 section 4.2: everything learnt before TLS is forgotten; the
   * core asks EHLO again. */
  missive_smtp_caps_clear (&self->caps);
  self->ehlo_done = FALSE;
  g_task_return_boolean (task, TRUE);
}

static void
missive_smtp_sender_starttls_async (MissiveService      *service,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (service);
  GTask *task;

  if (!(self->caps.flags & MISSIVE_SMTP_CAP_STARTTLS))
    {
      g_task_report_new_error (self, callback, user_data, missive_smtp_sender_starttls_async,
                               MISSIVE_ERROR, MISSIVE_ERROR_STARTTLS_UNAVAILABLE,
                               self->ehlo_done ? "The SMTP server does not offer STARTTLS"
                                               : "The SMTP server has no extensions (no EHLO), "
                                                 "so no STARTTLS");
      return;
    }
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, missive_smtp_sender_starttls_async);
  missive_smtp_command_async (self, "STARTTLS", FALSE, FALSE, cancellable, starttls_cb, task);
}

/* ---- SASL ---------------------------------------------------------------------- */

static char **
missive_smtp_sender_get_sasl_mechanisms (MissiveService *service)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (service);

  if (self->caps.mechanisms == NULL || self->caps.mechanisms[0] == NULL)
    return NULL;
  return g_strdupv (self->caps.mechanisms);
}

static gboolean
missive_smtp_sender_supports_initial_response (MissiveService *service)
{
  /* RFC 4954: every mechanism may carry one ("=" when empty). */
  return TRUE;
}

static void sasl_send (GTask *task);

static void
sasl_reply_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (source);
  MissiveSaslStep *step = g_task_get_task_data (task);
  g_autoptr(MissiveSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = missive_smtp_command_finish (self, result, &error);
  if (reply == NULL)
    {
      g_clear_pointer (&self->pending_ir, g_bytes_unref);
      g_task_return_error (task, error);
      return;
    }

  if (reply->code == 334)
    {
      /* The challenge is the text of the (single) line, in base64. */
      const char *line = reply->lines->pdata[reply->lines->len - 1];
      g_autofree char *copy = g_strdup (strlen (line) > 4 ? line + 4 : "");
      guchar *decoded;
      gsize size = 0;

      if (self->pending_ir != NULL)
        {
          /* The deferred initial response answers the empty challenge. */
          g_autoptr(GBytes) ir = g_steal_pointer (&self->pending_ir);
          gsize n;
          const guint8 *d = g_bytes_get_data (ir, &n);

          g_clear_pointer (&step->line, g_free);
          step->line = n > 0 ? g_base64_encode (d, n) : g_strdup ("=");
          sasl_send (g_steal_pointer (&task));
          return;
        }
      g_strstrip (copy);
      decoded = g_base64_decode (copy, &size);
      if (copy[0] != '\0' && (decoded == NULL || size == 0))
        {
          g_free (decoded);
          g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                                   "The SMTP server sent a challenge that is not base64");
          return;
        }
      step->data = missive_sasl_secret_bytes_new_take (decoded, size);
      step->complete = FALSE;
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_clear_pointer (&self->pending_ir, g_bytes_unref);
  if (reply->code / 100 == 2)
    {
      /* RFC 4954 section 4: the extensions may differ once logged in;
       * the core asks EHLO again. */
      missive_service_set_capabilities (MISSIVE_SERVICE (self), NULL);
      step->complete = TRUE;
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_return_error (task, missive_smtp_reply_to_error (reply, MISSIVE_ERROR_AUTHENTICATION_FAILED,
                                                          "Authentication"));
}

static void
sasl_send (GTask *task)
{
  MissiveSaslStep *step = g_task_get_task_data (task);

  missive_smtp_command_async (MISSIVE_SMTP_SENDER (g_task_get_source_object (task)),
                              step->line, TRUE, FALSE, g_task_get_cancellable (task),
                              sasl_reply_cb, task);
}

static void
missive_smtp_sender_sasl_start_async (MissiveService      *service,
                                      const char          *mechanism,
                                      GBytes              *initial_response,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissiveSaslStep *step = missive_sasl_step_new ();

  g_task_set_source_tag (task, missive_smtp_sender_sasl_start_async);
  g_task_set_task_data (task, step, (GDestroyNotify) missive_sasl_step_free);
  g_clear_pointer (&self->pending_ir, g_bytes_unref);

  if (initial_response == NULL)
    step->line = g_strdup_printf ("AUTH %s", mechanism);
  else
    {
      gsize n;
      const guint8 *d = g_bytes_get_data (initial_response, &n);
      g_autofree char *encoded = n > 0 ? g_base64_encode (d, n) : g_strdup ("=");

      if (strlen (mechanism) + strlen (encoded) + 6 > MAX_AUTH_LINE)
        {
          step->line = g_strdup_printf ("AUTH %s", mechanism);
          self->pending_ir = g_bytes_ref (initial_response);
        }
      else
        step->line = g_strdup_printf ("AUTH %s %s", mechanism, encoded);
      missive_sasl_wipe (encoded, strlen (encoded));
    }
  sasl_send (task);
}

static void
missive_smtp_sender_sasl_continue_async (MissiveService      *service,
                                         GBytes              *response,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  MissiveSaslStep *step = missive_sasl_step_new ();

  g_task_set_source_tag (task, missive_smtp_sender_sasl_continue_async);
  g_task_set_task_data (task, step, (GDestroyNotify) missive_sasl_step_free);
  step->line = missive_sasl_encode_response (response);
  sasl_send (task);
}

static gboolean
missive_smtp_sender_sasl_finish (MissiveService  *service,
                                 GAsyncResult    *result,
                                 GBytes         **server_data,
                                 gboolean        *complete,
                                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), FALSE);

  return missive_sasl_step_propagate (G_TASK (result), server_data, complete, error);
}

/* ---- QUIT, NOOP, raw commands ------------------------------------------------ */

static void
quit_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(MissiveSmtpReply) reply = NULL;
  GError *error = NULL;

  /* Whatever the server answers, the session ends. */
  reply = missive_smtp_command_finish (MISSIVE_SMTP_SENDER (source), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
missive_smtp_sender_logout_async (MissiveService      *service,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, missive_smtp_sender_logout_async);
  if (self->closed_by_server || self->out_of_step)
    {
      /* Nothing to say goodbye to. */
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  missive_smtp_command_async (self, "QUIT", FALSE, TRUE, cancellable, quit_cb, task);
}

static void
missive_smtp_sender_noop_async (MissiveService      *service,
                                int                  io_priority,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  run_simple (MISSIVE_SMTP_SENDER (service), "NOOP", MISSIVE_ERROR_SERVER_PERMANENT, "NOOP",
              missive_smtp_sender_noop_async, cancellable, callback, user_data);
}

static void
raw_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(MissiveSmtpReply) reply = NULL;
  GError *error = NULL;

  reply = missive_smtp_command_finish (MISSIVE_SMTP_SENDER (source), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, missive_smtp_reply_to_public (reply),
                         (GDestroyNotify) missive_reply_unref);
}

static void
missive_smtp_sender_send_command_async (MissiveService      *service,
                                        const char          *line,
                                        int                  io_priority,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  gboolean sensitive = g_ascii_strncasecmp (line, "AUTH ", 5) == 0;

  g_task_set_source_tag (task, missive_smtp_sender_send_command_async);
  missive_smtp_command_async (self, line, sensitive, TRUE, cancellable, raw_done_cb, task);
}

static MissiveReply *
missive_smtp_sender_send_command_finish (MissiveService  *service,
                                         GAsyncResult    *result,
                                         GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- VRFY, EXPN, RSET ----------------------------------------------------------- */

static void
verify_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (source);
  const char *what = g_task_get_task_data (task);
  g_autoptr(MissiveSmtpReply) reply = NULL;
  g_autoptr(GPtrArray) addresses = NULL;
  GError *error = NULL;

  reply = missive_smtp_command_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (reply->code == 500 || reply->code == 502 || reply->code == 504)
    {
      g_task_return_error (task, missive_smtp_reply_to_error (reply, MISSIVE_ERROR_NOT_SUPPORTED,
                                                              what));
      return;
    }
  addresses = g_ptr_array_new_with_free_func (g_free);
  if (reply->code == 250 || reply->code == 251)
    {
      /* One address per line: "Name <user@host>" or "<user@host>". */
      for (guint i = 0; i < reply->texts->len; i++)
        {
          const char *text = reply->texts->pdata[i];
          g_autofree char *copy = g_strstrip (g_strdup (text));

          if (copy[0] == '\0')
            continue;
          g_ptr_array_add (addresses, g_steal_pointer (&copy));
        }
    }
  else if (reply->code != 252)
    {
      /* 252: cannot verify, but will take mail for it: no addresses. */
      g_task_return_error (task, missive_smtp_reply_to_error (reply, MISSIVE_ERROR_SERVER_PERMANENT,
                                                              what));
      return;
    }
  for (guint i = 0; i < addresses->len; i++)
    g_signal_emit_by_name (self, "address-expanded", addresses->pdata[i]);
  g_ptr_array_add (addresses, NULL);
  g_task_return_pointer (task, g_ptr_array_free (g_steal_pointer (&addresses), FALSE),
                         (GDestroyNotify) g_strfreev);
}

static void
missive_smtp_sender_verify_async (MissiveSender       *sender,
                                  const char          *address,
                                  gboolean             expand,
                                  int                  io_priority,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (sender);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *line = g_strconcat (expand ? "EXPN " : "VRFY ", address, NULL);

  g_task_set_source_tag (task, missive_smtp_sender_verify_async);
  g_task_set_task_data (task, (gpointer) (expand ? "EXPN" : "VRFY"), NULL);
  missive_smtp_command_async (self, line, FALSE, FALSE, cancellable, verify_cb, task);
}

static char **
missive_smtp_sender_verify_finish (MissiveSender  *sender,
                                   GAsyncResult   *result,
                                   GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, sender), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
missive_smtp_sender_reset_async (MissiveSender       *sender,
                                 int                  io_priority,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  run_simple (MISSIVE_SMTP_SENDER (sender), "RSET", MISSIVE_ERROR_SERVER_PERMANENT, "RSET",
              missive_smtp_sender_reset_async, cancellable, callback, user_data);
}

static gboolean
missive_smtp_sender_reset_finish (MissiveSender  *sender,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return boolean_finish (MISSIVE_SERVICE (sender), result, error);
}

static guint64
missive_smtp_sender_get_max_size (MissiveSender *sender)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (sender);

  return (self->caps.flags & MISSIVE_SMTP_CAP_SIZE) ? self->caps.max_size : 0;
}

/* ---- GObject ----------------------------------------------------------------- */

static void
missive_smtp_sender_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (object);

  switch (prop_id)
    {
    case PROP_ALLOW_EXTENSIONS:
      g_value_set_boolean (value, self->allow_extensions);
      break;
    case PROP_HELO_NAME:
      g_value_set_string (value, self->helo_name);
      break;
    case PROP_USE_CHUNKING:
      g_value_set_boolean (value, self->use_chunking);
      break;
    case PROP_USE_PIPELINING:
      g_value_set_boolean (value, self->use_pipelining);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_smtp_sender_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (object);

  switch (prop_id)
    {
    case PROP_ALLOW_EXTENSIONS:
      self->allow_extensions = g_value_get_boolean (value);
      break;
    case PROP_HELO_NAME:
      {
        const char *name = g_value_get_string (value);

        /* The name goes on a command line. */
        if (name != NULL && (strpbrk (name, "\r\n ") != NULL))
          {
            g_warning ("helo-name cannot contain spaces, CR or LF; ignored");
            break;
          }
        g_free (self->helo_name);
        self->helo_name = g_strdup (name);
      }
      break;
    case PROP_USE_CHUNKING:
      self->use_chunking = g_value_get_boolean (value);
      break;
    case PROP_USE_PIPELINING:
      self->use_pipelining = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_smtp_sender_finalize (GObject *object)
{
  MissiveSmtpSender *self = MISSIVE_SMTP_SENDER (object);

  reset_connection_state (self);
  g_free (self->helo_name);

  G_OBJECT_CLASS (missive_smtp_sender_parent_class)->finalize (object);
}

static void
missive_smtp_sender_class_init (MissiveSmtpSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MissiveServiceClass *service_class = MISSIVE_SERVICE_CLASS (klass);
  MissiveSenderClass *sender_class = MISSIVE_SENDER_CLASS (klass);

  missive_smtp_sender_parent_class = g_type_class_peek_parent (klass);

  object_class->get_property = missive_smtp_sender_get_property;
  object_class->set_property = missive_smtp_sender_set_property;
  object_class->finalize = missive_smtp_sender_finalize;

  service_class->get_default_port = missive_smtp_sender_get_default_port;
  service_class->greet_async = missive_smtp_sender_greet_async;
  service_class->greet_finish = boolean_finish;
  service_class->refresh_capabilities_async = missive_smtp_sender_refresh_capabilities_async;
  service_class->refresh_capabilities_finish = boolean_finish;
  service_class->starttls_async = missive_smtp_sender_starttls_async;
  service_class->starttls_finish = boolean_finish;
  service_class->get_sasl_mechanisms = missive_smtp_sender_get_sasl_mechanisms;
  service_class->supports_initial_response = missive_smtp_sender_supports_initial_response;
  service_class->sasl_start_async = missive_smtp_sender_sasl_start_async;
  service_class->sasl_continue_async = missive_smtp_sender_sasl_continue_async;
  service_class->sasl_finish = missive_smtp_sender_sasl_finish;
  service_class->logout_async = missive_smtp_sender_logout_async;
  service_class->logout_finish = boolean_finish;
  service_class->noop_async = missive_smtp_sender_noop_async;
  service_class->noop_finish = boolean_finish;
  service_class->send_command_async = missive_smtp_sender_send_command_async;
  service_class->send_command_finish = missive_smtp_sender_send_command_finish;

  sender_class->verify_async = missive_smtp_sender_verify_async;
  sender_class->verify_finish = missive_smtp_sender_verify_finish;
  sender_class->reset_async = missive_smtp_sender_reset_async;
  sender_class->reset_finish = missive_smtp_sender_reset_finish;
  sender_class->get_max_size = missive_smtp_sender_get_max_size;
  missive_smtp_sender_class_init_send (sender_class);

  /**
   * MissiveSmtpSender:allow-extensions:
   *
   * Whether the session starts with EHLO (ESMTP, falling back to HELO
   * when the server does not know it); %FALSE sends HELO only, and no
   * extension (STARTTLS, AUTH, PIPELINING, SIZE...) is used.
   */
  properties[PROP_ALLOW_EXTENSIONS] =
    g_param_spec_boolean ("allow-extensions", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);
  /**
   * MissiveSmtpSender:helo-name:
   *
   * The name the client gives in EHLO, HELO or LHLO; %NULL for the local
   * host name (or, when that is not a dotted domain name, the local
   * address as an address literal such as `[192.0.2.1]`).
   */
  properties[PROP_HELO_NAME] =
    g_param_spec_string ("helo-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MissiveSmtpSender:use-chunking:
   *
   * Whether every message goes with BDAT (RFC 3030 CHUNKING) when the
   * server offers it, not only binary ones.
   */
  properties[PROP_USE_CHUNKING] =
    g_param_spec_boolean ("use-chunking", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);
  /**
   * MissiveSmtpSender:use-pipelining:
   *
   * Whether MAIL, RCPT and DATA go out in one write when the server
   * offers PIPELINING (RFC 2920).
   */
  properties[PROP_USE_PIPELINING] =
    g_param_spec_boolean ("use-pipelining", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                          G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_smtp_sender_class_finalize (gpointer klass,
                                    gpointer class_data)
{
}

static void
missive_smtp_sender_init (GTypeInstance *instance,
                          gpointer       klass)
{
  MissiveSmtpSender *self = (MissiveSmtpSender *) instance;

  self->allow_extensions = TRUE;
  self->use_pipelining = TRUE;
}

static void
missive_lmtp_sender_class_init (MissiveSmtpSenderClass *klass)
{
  klass->lmtp = TRUE;
}

void
missive_smtp_sender_register_types (GTypeModule *module)
{
  const GTypeInfo info = {
    .class_size = sizeof (MissiveSmtpSenderClass),
    .class_init = (GClassInitFunc) (void (*) (void)) missive_smtp_sender_class_init,
    .class_finalize = missive_smtp_sender_class_finalize,
    .instance_size = sizeof (MissiveSmtpSender),
    .instance_init = missive_smtp_sender_init,
  };
  const GTypeInfo lmtp_info = {
    .class_size = sizeof (MissiveSmtpSenderClass),
    .class_init = (GClassInitFunc) (void (*) (void)) missive_lmtp_sender_class_init,
    .class_finalize = missive_smtp_sender_class_finalize,
    .instance_size = sizeof (MissiveSmtpSender),
  };

  missive_smtp_data_register (module);
  missive_smtp_sender_type_id =
    g_type_module_register_type (module, MISSIVE_TYPE_SENDER, "MissiveSmtpSender", &info, 0);
  missive_lmtp_sender_type_id =
    g_type_module_register_type (module, missive_smtp_sender_type_id, "MissiveLmtpSender",
                                 &lmtp_info, G_TYPE_FLAG_FINAL);
}
