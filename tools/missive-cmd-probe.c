/* missive-cmd-probe.c: `missive plugins` (what the engine has loaded) and
 * `missive probe` (a server's greeting and TLS facts)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include <missive/missive.h>
#include <missive/missive-plugin.h>

#include "missive-cmds.h"

static void
print_list (GString     *json,
            const char  *title,
            const char  *key,
            char       **items)
{
  if (missive_cmd_options.json)
    {
      g_string_append_printf (json, "%s\"%s\": [", json->len > 1 ? ", " : "", key);
      for (guint i = 0; items != NULL && items[i] != NULL; i++)
        {
          if (i > 0)
            g_string_append (json, ", ");
          missive_cmd_json_string (json, items[i]);
        }
      g_string_append_c (json, ']');
      return;
    }
  g_print ("%s:", title);
  if (items == NULL || items[0] == NULL)
    g_print (" (none)");
  for (guint i = 0; items != NULL && items[i] != NULL; i++)
    g_print (" %s", items[i]);
  g_print ("\n");
}

int
missive_cmd_plugins (int    argc,
                     char **argv)
{
  MissiveEngine *engine;
  g_auto(GStrv) protocols = NULL;
  g_auto(GStrv) schemes = NULL;
  g_auto(GStrv) mechanisms = NULL;
  g_auto(GStrv) backends = NULL;
  g_auto(GStrv) skipped = NULL;
  g_autoptr(GString) json = g_string_new ("{");

  if (!missive_cmd_parse ("plugins", "- the protocols, URI schemes, SASL mechanisms and crypto backends",
                          "Plugins are loaded from $MISSIVE_PLUGIN_PATH (a colon-separated list of\n"
                          "directories) and the installed plugin directory.\n",
                          NULL, &argc, &argv, 0))
    return MISSIVE_CMD_EXIT_USAGE;

  engine = missive_engine_get_default ();
  protocols = missive_engine_list_protocols (engine);
  schemes = missive_engine_list_schemes (engine);
  mechanisms = missive_engine_list_sasl_mechanisms (engine);
  backends = missive_engine_list_crypto_backends (engine);
  skipped = missive_engine_list_skipped_plugins (engine);
  print_list (json, "protocols", "protocols", protocols);
  print_list (json, "URI schemes", "schemes", schemes);
  print_list (json, "SASL mechanisms", "sasl_mechanisms", mechanisms);
  print_list (json, "crypto backends", "crypto_backends", backends);
  if (missive_cmd_options.json)
    {
      print_list (json, "skipped", "skipped_plugins", skipped);
      g_print ("%s}\n", json->str);
    }
  else
    for (guint i = 0; skipped[i] != NULL; i++)
      g_print ("skipped plugin: %s\n", skipped[i]);
  return MISSIVE_CMD_EXIT_OK;
}

/* `missive probe`: connect to a server, negotiate TLS (implicitly or with
 * the STARTTLS command of the named protocol), and print the greeting and
 * the TLS facts. Useful to check a server's certificate set-up. */

static const char *starttls_proto = NULL;
static gboolean probe_tls = FALSE;
static int probe_timeout = 20;

static const GOptionEntry probe_entries[] = {
  { "tls", 0, 0, G_OPTION_ARG_NONE, &probe_tls, "Use implicit TLS (e.g. ports 993, 995, 465)", NULL },
  { "starttls", 0, 0, G_OPTION_ARG_STRING, &starttls_proto, "Upgrade with STARTTLS of PROTOCOL (imap, pop3, smtp)", "PROTOCOL" },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &probe_timeout, "Give up after SECONDS (default 20)", "SECONDS" },
  { NULL }
};

static gboolean
probe_line (MissiveReader  *reader,
            const char     *prefix,
            char          **out_line,
            GError        **error)
{
  gsize len;
  const char *line = missive_reader_read_line (reader, &len, NULL, error);

  if (line == NULL)
    return FALSE;
  g_print ("%s%s\n", prefix, line);
  if (out_line != NULL)
    *out_line = g_strndup (line, len);
  return TRUE;
}

static gboolean
probe_write (MissiveTransport  *transport,
             const char        *line,
             GError           **error)
{
  GOutputStream *out = g_io_stream_get_output_stream (missive_transport_get_stream (transport));

  g_print ("C: %s", line);
  return g_output_stream_write_all (out, line, strlen (line), NULL, NULL, error);
}

/* Reads a reply to a STARTTLS command and says whether it is the go-ahead. */
static gboolean
probe_starttls_command (MissiveTransport  *transport,
                        MissiveReader     *reader,
                        GError           **error)
{
  g_autofree char *line = NULL;

  if (g_str_equal (starttls_proto, "imap"))
    {
      if (!probe_write (transport, "P1 STARTTLS\r\n", error))
        return FALSE;
      do
        {
          g_clear_pointer (&line, g_free);
          if (!probe_line (reader, "S: ", &line, error))
            return FALSE;
        }
      while (g_str_has_prefix (line, "* "));
      return g_str_has_prefix (line, "P1 OK");
    }
  if (g_str_equal (starttls_proto, "pop3"))
    {
      if (!probe_write (transport, "STLS\r\n", error) ||
          !probe_line (reader, "S: ", &line, error))
        return FALSE;
      return g_str_has_prefix (line, "+OK");
    }
  if (g_str_equal (starttls_proto, "smtp"))
    {
      if (!probe_write (transport, "EHLO missive.invalid\r\n", error))
        return FALSE;
      do
        {
          g_clear_pointer (&line, g_free);
          if (!probe_line (reader, "S: ", &line, error))
            return FALSE;
        }
      while (strlen (line) > 3 && line[3] == '-');
      g_clear_pointer (&line, g_free);
      if (!probe_write (transport, "STARTTLS\r\n", error) ||
          !probe_line (reader, "S: ", &line, error))
        return FALSE;
      return g_str_has_prefix (line, "220");
    }
  g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
               "unknown STARTTLS protocol “%s” (imap, pop3 or smtp)", starttls_proto);
  return FALSE;
}

static void
print_tls_facts (MissiveTransport *transport)
{
  static const char *versions[] = {
    "unknown", "SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3", "DTLS 1.0", "DTLS 1.2",
  };
  GTlsProtocolVersion version = missive_transport_get_tls_protocol_version (transport);
  g_autofree char *suite = missive_transport_get_tls_ciphersuite (transport);
  GTlsCertificate *cert = missive_transport_get_peer_certificate (transport);
  g_autofree char *fingerprint = missive_transport_get_peer_certificate_fingerprint (transport, G_CHECKSUM_SHA256);
  g_autofree char *subject = NULL;
  g_autofree char *issuer = NULL;

  if (cert != NULL)
    g_object_get (cert, "subject-name", &subject, "issuer-name", &issuer, NULL);
  g_print ("TLS: %s, %s\n", (guint) version < G_N_ELEMENTS (versions) ? versions[version] : "?",
           suite != NULL ? suite : "?");
  g_print ("certificate subject: %s\n", subject != NULL ? subject : "?");
  g_print ("certificate issuer: %s\n", issuer != NULL ? issuer : "?");
  g_print ("certificate SHA-256: %s\n", fingerprint != NULL ? fingerprint : "?");
}

int
missive_cmd_probe (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("HOST PORT - check a server's TLS");
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveSocketTransport) socket_transport = NULL;
  g_autoptr(MissiveReader) reader = NULL;
  MissiveTransport *transport;
  guint64 port = 0;

  g_option_context_add_main_entries (context, missive_cmd_common_entries, NULL);
  g_option_context_add_main_entries (context, probe_entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("missive probe: %s\n", error->message);
      return MISSIVE_CMD_EXIT_USAGE;
    }
  if (argc != 3 || !g_ascii_string_to_unsigned (argv[2], 10, 1, 65535, &port, NULL) ||
      (probe_tls && starttls_proto != NULL))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("%s", help);
      return MISSIVE_CMD_EXIT_USAGE;
    }

  socket_transport = missive_socket_transport_new (argv[1], (guint16) port,
                                                   probe_tls ? MISSIVE_SECURITY_TLS
                                                   : starttls_proto != NULL ? MISSIVE_SECURITY_STARTTLS
                                                   : MISSIVE_SECURITY_NONE);
  transport = MISSIVE_TRANSPORT (socket_transport);
  if (missive_cmd_options.ca_file != NULL)
    missive_socket_transport_set_ca_file (socket_transport, missive_cmd_options.ca_file);
  missive_socket_transport_set_connect_timeout (socket_transport, (guint) MAX (probe_timeout, 1));
  missive_socket_transport_set_timeout (socket_transport, (guint) MAX (probe_timeout, 1));

  if (!missive_transport_open (transport, NULL, &error))
    goto failed;
  reader = missive_reader_new (g_io_stream_get_input_stream (missive_transport_get_stream (transport)));
  if (!probe_line (reader, "S: ", NULL, &error))
    goto failed;

  if (starttls_proto != NULL)
    {
      gsize discarded;

      if (!probe_starttls_command (transport, reader, &error))
        {
          if (error == NULL)
            g_set_error_literal (&error, MISSIVE_ERROR, MISSIVE_ERROR_STARTTLS_UNAVAILABLE,
                                 "the server refused STARTTLS");
          goto failed;
        }
      if (!missive_transport_start_tls (transport, NULL, &error))
        goto failed;
      discarded = missive_reader_replace_stream (reader,
                                                 g_io_stream_get_input_stream (missive_transport_get_stream (transport)));
      if (discarded > 0)
        g_print ("warning: discarded %" G_GSIZE_FORMAT " bytes sent before the TLS handshake\n", discarded);
    }

  if (missive_transport_is_tls (transport))
    print_tls_facts (transport);
  else
    g_print ("TLS: none\n");
  missive_transport_close (transport, NULL, NULL);
  return MISSIVE_CMD_EXIT_OK;

failed:
  g_printerr ("missive probe: %s\n", error->message);
  if (g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_CERTIFICATE_REJECTED))
    g_printerr ("hint: pass the server's CA with --ca-file\n");
  missive_transport_close (transport, NULL, NULL);
  return missive_cmd_exit_code (error);
}

