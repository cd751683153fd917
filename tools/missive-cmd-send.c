/* missive-cmd-send.c: `missive send`, submit one message
 *
 *   missive send URI --from ADDR --to ADDR [--cc ADDR] [--bcc ADDR]
 *                    [--subject TEXT] [--body TEXT] [--attach FILE]...
 *   missive send URI --file MESSAGE.eml [--from ADDR] [--to ADDR]...
 *
 * URI is an smtp, submission, submissions, smtps or lmtp URI with the
 * user name in it (submission://alice@mail.example.org). The password
 * comes from $MISSIVE_PASSWORD, --password-file or a prompt (see
 * missive-cmd-common.c), never from an option. The message is composed with MissiveMessageBuilder, or read from
 * a file: then the envelope comes from its headers (From/Sender, To, Cc,
 * Bcc) unless --from / --to / --cc / --bcc give it, and the bytes go out
 * as they are, except that a file with a Bcc header is sent through GMime
 * so that the Bcc is not transmitted. --json prints the result as one
 * JSON object.
 *
 * --sign and/or --encrypt protect the message before it goes out (see
 * missive-cmd-crypto.c): signed for the envelope's sender, encrypted to
 * its recipients, with the --crypto backend (openpgp, the default, or
 * smime) and the keys in --gnupg-home (else GnuPG's default home).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "missive-cmd-crypto.h"

static char *send_from = NULL;
static char **send_to = NULL;
static char **send_cc = NULL;
static char **send_bcc = NULL;
static char *send_subject = NULL;
static char *send_body = NULL;
static char **send_attach = NULL;
static char *send_file = NULL;
static gboolean send_sign = FALSE;
static gboolean send_encrypt = FALSE;
static char *send_crypto = NULL;
static char *send_gnupg_home = NULL;

static const GOptionEntry send_entries[] = {
  { "from", 0, 0, G_OPTION_ARG_STRING, &send_from, "The sender (From header, MAIL FROM)", "ADDRESS" },
  { "to", 0, 0, G_OPTION_ARG_STRING_ARRAY, &send_to, "A recipient (repeatable; a comma-separated list is fine)", "ADDRESS" },
  { "cc", 0, 0, G_OPTION_ARG_STRING_ARRAY, &send_cc, "A copy recipient (repeatable)", "ADDRESS" },
  { "bcc", 0, 0, G_OPTION_ARG_STRING_ARRAY, &send_bcc, "A blind copy recipient (repeatable; not shown in the message)", "ADDRESS" },
  { "subject", 0, 0, G_OPTION_ARG_STRING, &send_subject, "The subject", "TEXT" },
  { "body", 0, 0, G_OPTION_ARG_STRING, &send_body, "The plain-text body", "TEXT" },
  { "attach", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &send_attach, "Attach FILE (repeatable)", "FILE" },
  { "file", 'f', 0, G_OPTION_ARG_FILENAME, &send_file, "Send the RFC 5322 message in FILE instead of composing one", "FILE" },
  { "sign", 0, 0, G_OPTION_ARG_NONE, &send_sign, "Sign the message with the sender's key (PGP/MIME or S/MIME)", NULL },
  { "encrypt", 0, 0, G_OPTION_ARG_NONE, &send_encrypt, "Encrypt the message to the recipients' keys", NULL },
  { "crypto", 0, 0, G_OPTION_ARG_STRING, &send_crypto, "The crypto backend: openpgp (the default) or smime", "NAME" },
  { "gnupg-home", 0, 0, G_OPTION_ARG_FILENAME, &send_gnupg_home, "Take the keys from the GnuPG home DIR", "DIR" },
  { NULL }
};

/* ---- composing ------------------------------------------------------------------ */

static gboolean
add_lists (MissiveMessageBuilder  *builder,
           MissiveAddressField     field,
           char                  **lists,
           GError                **error)
{
  for (guint i = 0; lists != NULL && lists[i] != NULL; i++)
    if (!missive_message_builder_add_address_list (builder, field, lists[i], error))
      return FALSE;
  return TRUE;
}

static GMimeMessage *
compose (GError **error)
{
  g_autoptr(MissiveMessageBuilder) builder = missive_message_builder_new ();

  if (send_from == NULL || (send_to == NULL && send_cc == NULL && send_bcc == NULL))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "--from and at least one of --to, --cc, --bcc are needed (or --file)");
      return NULL;
    }
  if (!missive_message_builder_add_address_list (builder, MISSIVE_ADDRESS_FIELD_FROM, send_from, error) ||
      !add_lists (builder, MISSIVE_ADDRESS_FIELD_TO, send_to, error) ||
      !add_lists (builder, MISSIVE_ADDRESS_FIELD_CC, send_cc, error) ||
      !add_lists (builder, MISSIVE_ADDRESS_FIELD_BCC, send_bcc, error) ||
      !missive_message_builder_set_subject (builder, send_subject != NULL ? send_subject : "", error) ||
      !missive_message_builder_set_text_body (builder, send_body != NULL ? send_body : "", error))
    return NULL;
  for (guint i = 0; send_attach != NULL && send_attach[i] != NULL; i++)
    if (!missive_message_builder_add_attachment_path (builder, send_attach[i], error))
      return NULL;
  return missive_message_builder_build (builder, error);
}

/* ---- a message from a file ------------------------------------------------------ */

/* The envelope given by the options: --from and every address of --to,
 * --cc, --bcc (each may be a list). */
static MissiveEnvelope *
envelope_from_options (GError **error)
{
  struct { char **lists; MissiveRecipientKind kind; } fields[] = {
    { send_to, MISSIVE_RECIPIENT_TO },
    { send_cc, MISSIVE_RECIPIENT_CC },
    { send_bcc, MISSIVE_RECIPIENT_BCC },
  };
  g_autoptr(MissiveEnvelope) envelope = NULL;
  InternetAddressList *from = internet_address_list_parse (NULL, send_from);
  gboolean one = from != NULL && internet_address_list_length (from) == 1 &&
                 INTERNET_ADDRESS_IS_MAILBOX (internet_address_list_get_address (from, 0));

  if (one)
    envelope = missive_envelope_new (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (internet_address_list_get_address (from, 0))));
  g_clear_object (&from);
  if (!one)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "--from “%s” is not one address", send_from);
      return NULL;
    }
  for (gsize f = 0; f < G_N_ELEMENTS (fields); f++)
    for (guint i = 0; fields[f].lists != NULL && fields[f].lists[i] != NULL; i++)
      {
        /* GMime 3.2 declares no g_autoptr cleanup for its types. */
        InternetAddressList *list = internet_address_list_parse (NULL, fields[f].lists[i]);

        if (list == NULL)
          {
            g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                         "“%s” is not an address list", fields[f].lists[i]);
            return NULL;
          }
        for (int j = 0; j < internet_address_list_length (list); j++)
          {
            InternetAddress *address = internet_address_list_get_address (list, j);

            if (INTERNET_ADDRESS_IS_MAILBOX (address))
              missive_envelope_add_recipient (envelope,
                                              internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address)),
                                              fields[f].kind);
          }
        g_object_unref (list);
      }
  return g_steal_pointer (&envelope);
}

/* What the bytes need from the transport: 8-bit bytes in the body, in the
 * header (SMTPUTF8), or neither. */
static void
classify (GBytes          *bytes,
          MissiveEnvelope *envelope)
{
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  gboolean in_header = TRUE;
  gboolean eight_bit = FALSE;
  gboolean header_utf8 = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (in_header && data[i] == '\n' && i + 1 < length &&
          (data[i + 1] == '\n' || (data[i + 1] == '\r' && i + 2 < length && data[i + 2] == '\n')))
        in_header = FALSE;
      if (data[i] >= 0x80)
        {
          eight_bit = TRUE;
          if (in_header)
            header_utf8 = TRUE;
        }
    }
  if (eight_bit)
    missive_envelope_set_content_class (envelope, MISSIVE_CONTENT_8BIT);
  missive_envelope_set_headers_utf8 (envelope, header_utf8);
}

/* ---- the result ---------------------------------------------------------------- */

static void
print_result (MissiveSendResult *result)
{
  GListModel *recipients = missive_send_result_get_recipients (result);
  MissiveReply *reply = missive_send_result_get_reply (result);
  guint n = g_list_model_get_n_items (recipients);

  if (missive_cmd_options.json)
    {
      g_autoptr(GString) out = g_string_new ("{");

      g_string_append_printf (out, "\"size\": %" G_GUINT64_FORMAT ", \"accepted\": %u, \"reply\": ",
                              missive_send_result_get_size (result),
                              missive_send_result_get_n_accepted (result));
      if (reply != NULL)
        {
          g_string_append_printf (out, "{\"code\": %u, \"text\": ", missive_reply_get_code (reply));
          missive_cmd_json_string (out, missive_reply_get_text (reply));
          g_string_append_c (out, '}');
        }
      else
        g_string_append (out, "null");
      g_string_append (out, ", \"recipients\": [");
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(MissiveRecipientResult) r = g_list_model_get_item (recipients, i);

          g_string_append (out, i > 0 ? ", {\"address\": " : "{\"address\": ");
          missive_cmd_json_string (out, missive_recipient_result_get_address (r));
          g_string_append_printf (out, ", \"accepted\": %s, \"code\": %u, \"enhanced_status\": ",
                                  missive_recipient_result_get_accepted (r) ? "true" : "false",
                                  missive_recipient_result_get_code (r));
          if (missive_recipient_result_get_enhanced_status (r) != NULL)
            missive_cmd_json_string (out, missive_recipient_result_get_enhanced_status (r));
          else
            g_string_append (out, "null");
          g_string_append (out, ", \"text\": ");
          missive_cmd_json_string (out, missive_recipient_result_get_text (r));
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]}\n");
      g_print ("%s", out->str);
      return;
    }

  g_print ("sent %" G_GUINT64_FORMAT " bytes to %u of %u recipients\n",
           missive_send_result_get_size (result), missive_send_result_get_n_accepted (result), n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MissiveRecipientResult) r = g_list_model_get_item (recipients, i);
      const char *enhanced = missive_recipient_result_get_enhanced_status (r);

      g_print ("  %-8s %s: %u%s%s %s\n", missive_recipient_result_get_accepted (r) ? "accepted" : "REFUSED",
               missive_recipient_result_get_address (r), missive_recipient_result_get_code (r),
               enhanced != NULL ? " " : "", enhanced != NULL ? enhanced : "",
               missive_recipient_result_get_text (r) != NULL ? missive_recipient_result_get_text (r) : "");
    }
  if (reply != NULL)
    g_print ("server: %u %s\n", missive_reply_get_code (reply),
             missive_reply_get_text (reply) != NULL ? missive_reply_get_text (reply) : "");
}

static void
rejected_cb (MissiveSender          *sender,
             MissiveRecipientResult *r,
             gpointer                user_data)
{
  if (!missive_cmd_options.json)
    g_printerr ("missive send: %s refused: %u %s\n", missive_recipient_result_get_address (r),
                missive_recipient_result_get_code (r),
                missive_recipient_result_get_text (r) != NULL ? missive_recipient_result_get_text (r) : "");
}

static int
report (const GError *error)
{
  return missive_cmd_report ("send", error);
}

/* ---- the command ---------------------------------------------------------------- */

static MissiveSender *
open_sender (const char  *uri,
             GError     **error)
{
  MissiveService *service = missive_cmd_open_service (uri, MISSIVE_TYPE_SENDER, error);

  if (service == NULL)
    return NULL;
  g_signal_connect (service, "recipient-rejected", G_CALLBACK (rejected_cb), NULL);
  return MISSIVE_SENDER (service);
}

/* The envelope of the options when any is given (then --from is needed),
 * else NULL without an error. */
static gboolean
file_envelope_from_options (MissiveEnvelope **envelope,
                            GError          **error)
{
  *envelope = NULL;
  if (send_from == NULL && send_to == NULL && send_cc == NULL && send_bcc == NULL)
    return TRUE;
  if (send_from == NULL)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "with --to, --cc or --bcc, --from is needed too");
      return FALSE;
    }
  *envelope = envelope_from_options (error);
  return *envelope != NULL;
}

/* Sends the message in send_file: the raw bytes with the envelope from
 * the options or the headers, or the parsed message when it has a Bcc. */
static MissiveSendResult *
send_from_file (MissiveSender  *sender,
                GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(GInputStream) in = NULL;
  GMimeMessage *message;
  MissiveSendResult *result = NULL;

  message = missive_cmd_read_message (send_file, &bytes, error);
  if (message == NULL)
    return NULL;

  if (!file_envelope_from_options (&envelope, error))
    goto out;

  if (g_mime_object_get_header (GMIME_OBJECT (message), "Bcc") != NULL)
    {
      /* Through GMime, so that the Bcc header is not transmitted. */
      result = missive_sender_send_message (sender, message, envelope, NULL, NULL, error);
      goto out;
    }

  if (envelope == NULL)
    {
      envelope = missive_envelope_new_from_message (message, error);
      if (envelope == NULL)
        goto out;
    }
  classify (bytes, envelope);
  in = g_memory_input_stream_new_from_bytes (bytes);
  result = missive_sender_send_stream (sender, in, (gint64) g_bytes_get_size (bytes), envelope,
                                       NULL, NULL, error);
out:
  g_object_unref (message);
  return result;
}

/* For --sign / --encrypt: the message (composed or from the file), signed
 * and/or encrypted, and its envelope. Before any connection, so that a
 * passphrase prompt does not keep a server waiting. */
static GMimeMessage *
protect (GMimeMessage     *composed,
         MissiveEnvelope **envelope_out,
         GError          **error)
{
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GMimeMessage *message;
  GMimeMessage *result = NULL;

  /* The engine initialises GMime, which the parser needs. */
  missive_engine_get_default ();
  if (composed != NULL)
    message = g_object_ref (composed);
  else
    {
      message = missive_cmd_read_message (send_file, &bytes, error);
      if (message == NULL)
        return NULL;
    }
  if (composed != NULL)
    envelope = envelope_from_options (error);
  else if (file_envelope_from_options (&envelope, error) && envelope == NULL)
    envelope = missive_envelope_new_from_message (message, error);
  if (envelope != NULL)
    result = missive_cmd_crypto_protect (message, envelope, send_crypto, send_gnupg_home,
                                         send_sign, send_encrypt, error);
  g_object_unref (message);
  if (result != NULL)
    *envelope_out = g_steal_pointer (&envelope);
  return result;
}

int
missive_cmd_send (int    argc,
                  char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("URI - send a message");
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveSender) sender = NULL;
  GMimeMessage *message = NULL;    /* GMime 3.2 has no g_autoptr cleanup */
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;

  g_option_context_add_main_entries (context, missive_cmd_common_entries, NULL);
  g_option_context_add_main_entries (context, send_entries, NULL);
  g_option_context_set_description (context,
                                    "The password comes from $MISSIVE_PASSWORD, --password-file FILE, or a\n"
                                    "prompt on the terminal; never from the command line.\n"
                                    "With --sign a key's passphrase is asked on the terminal; without one\n"
                                    "(or with a wrong one, or no key) the command fails with exit code 1.\n"
                                    "Example:\n"
                                    "  MISSIVE_PASSWORD=... missive send submission://alice@mail.example.org \\\n"
                                    "      --from alice@example.org --to bob@example.org --subject Hi --body Hello\n");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("missive send: %s\n", error->message);
      return MISSIVE_CMD_EXIT_USAGE;
    }
  if (argc != 2 || (send_file != NULL && (send_subject != NULL || send_body != NULL || send_attach != NULL)) ||
      ((send_crypto != NULL || send_gnupg_home != NULL) && !send_sign && !send_encrypt))
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return MISSIVE_CMD_EXIT_USAGE;
    }

  /* Compose first: a bad address should not cost a connection. */
  if (send_file == NULL)
    {
      message = compose (&error);
      if (message == NULL)
        {
          report (error);
          return MISSIVE_CMD_EXIT_USAGE;
        }
    }
  if (send_sign || send_encrypt)
    {
      GMimeMessage *protected = protect (message, &envelope, &error);

      g_clear_object (&message);
      if (protected == NULL)
        return report (error);
      message = protected;
    }

  sender = open_sender (argv[1], &error);
  if (sender == NULL)
    {
      g_clear_object (&message);
      return report (error);
    }
  if (message != NULL)
    result = missive_sender_send_message (sender, message, envelope, NULL, NULL, &error);
  else
    result = send_from_file (sender, &error);
  g_clear_object (&message);
  if (result == NULL)
    {
      int code = report (error);

      missive_service_close (MISSIVE_SERVICE (sender), NULL, NULL);
      return code;
    }
  print_result (result);
  missive_service_close (MISSIVE_SERVICE (sender), NULL, NULL);
  return MISSIVE_CMD_EXIT_OK;
}
