/* missive-cmd-open.c: `missive open`, decrypting and verifying a message
 *
 *   missive open [FILE] [--crypto openpgp|smime] [--gnupg-home DIR]
 *                [--output FILE] [--json]
 *
 * Reads an RFC 5322 message (from FILE, or standard input without one or
 * with "-"), decrypts and verifies it as it needs with
 * missive_crypto_context_open_message(), prints what it found (encrypted
 * or not and for whom, each signature with its status and signer) and
 * then the readable message, or writes that to --output. A message
 * without any protection comes out as it is. The exit code is 8 when a
 * signature is not good, so that scripts need not read the report.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>


#include "missive-cmd-crypto.h"

static char *open_crypto = NULL;
static char *open_gnupg_home = NULL;
static char *open_output = NULL;

static const GOptionEntry open_entries[] = {
  { "crypto", 0, 0, G_OPTION_ARG_STRING, &open_crypto, "The crypto backend: openpgp (the default) or smime", "NAME" },
  { "gnupg-home", 0, 0, G_OPTION_ARG_FILENAME, &open_gnupg_home, "Take the keys from the GnuPG home DIR", "DIR" },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &open_output, "Write the opened message to FILE", "FILE" },
  G_OPTION_ENTRY_NULL
};

/* A message for open: parsed, and with a From header (GMime makes a
 * message of nearly anything). */
static GMimeMessage *
read_message (const char  *path,
              GError     **error)
{
  GMimeMessage *message = missive_cmd_read_message (path, NULL, error);

  if (message != NULL && g_mime_object_get_header (GMIME_OBJECT (message), "From") == NULL)
    {
      g_clear_object (&message);
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_MESSAGE,
                   "%s is not an RFC 5322 message",
                   path != NULL && strcmp (path, "-") != 0 ? path : "standard input");
    }
  return message;
}

static const char *
status_name (MissiveSignatureStatus status)
{
  switch (status)
    {
    case MISSIVE_SIGNATURE_STATUS_GOOD: return "good";
    case MISSIVE_SIGNATURE_STATUS_BAD: return "BAD";
    case MISSIVE_SIGNATURE_STATUS_EXPIRED_SIGNATURE: return "expired signature";
    case MISSIVE_SIGNATURE_STATUS_EXPIRED_KEY: return "expired key";
    case MISSIVE_SIGNATURE_STATUS_REVOKED_KEY: return "revoked key";
    case MISSIVE_SIGNATURE_STATUS_UNKNOWN_KEY: return "unknown key";
    case MISSIVE_SIGNATURE_STATUS_NO_PUBLIC_KEY: return "no public key";
    case MISSIVE_SIGNATURE_STATUS_ERROR:
    default: return "not checked";
    }
}

/* One line per finding: "encrypted: ...", "signature: ...". */
static void
print_report (MissiveOpenedMessage *opened)
{
  MissiveDecryptResult *decrypt = missive_opened_message_get_decrypt_result (opened);
  GListModel *signatures = missive_opened_message_get_signatures (opened);
  guint n = signatures != NULL ? g_list_model_get_n_items (signatures) : 0;

  if (decrypt != NULL)
    {
      const char * const *recipients = missive_decrypt_result_get_recipients (decrypt);
      g_autofree char *to = recipients != NULL ? g_strjoinv (", ", (char **) recipients) : NULL;
      const char *cipher = missive_decrypt_result_get_cipher_algorithm (decrypt);

      g_print ("encrypted: yes%s%s%s%s\n",
               cipher != NULL ? ", cipher " : "", cipher != NULL ? cipher : "",
               to != NULL && *to != '\0' ? ", for " : "", to != NULL ? to : "");
    }
  else
    g_print ("encrypted: %s\n", missive_opened_message_get_encrypted (opened) ? "yes" : "no");

  if (n == 0)
    g_print ("signed: no\n");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MissiveSignature) signature = g_list_model_get_item (signatures, i);
      const char *who = missive_signature_get_user_id (signature);
      const char *fingerprint = missive_signature_get_fingerprint (signature);
      GDateTime *when = missive_signature_get_signing_time (signature);
      g_autofree char *made = when != NULL ? g_date_time_format_iso8601 (when) : NULL;

      g_print ("signature: %s%s%s%s%s%s%s\n",
               status_name (missive_signature_get_status (signature)),
               who != NULL ? ", by " : "", who != NULL ? who : "",
               fingerprint != NULL ? ", key " : "", fingerprint != NULL ? fingerprint : "",
               made != NULL ? ", made " : "", made != NULL ? made : "");
    }
}

static void
print_json (MissiveOpenedMessage *opened)
{
  GListModel *signatures = missive_opened_message_get_signatures (opened);
  guint n = signatures != NULL ? g_list_model_get_n_items (signatures) : 0;
  g_autoptr(GString) json = g_string_new ("{");

  g_string_append_printf (json, "\"encrypted\": %s, \"signed\": %s, \"verified\": %s, \"signatures\": [",
                          missive_opened_message_get_encrypted (opened) ? "true" : "false",
                          missive_opened_message_get_signed (opened) ? "true" : "false",
                          missive_opened_message_get_verified (opened) ? "true" : "false");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MissiveSignature) signature = g_list_model_get_item (signatures, i);

      g_string_append (json, i > 0 ? ", {\"status\": " : "{\"status\": ");
      missive_cmd_json_string (json, status_name (missive_signature_get_status (signature)));
      g_string_append (json, ", \"user_id\": ");
      missive_cmd_json_string (json, missive_signature_get_user_id (signature));
      g_string_append (json, ", \"fingerprint\": ");
      missive_cmd_json_string (json, missive_signature_get_fingerprint (signature));
      g_string_append (json, "}");
    }
  g_string_append (json, "]}\n");
  fputs (json->str, stdout);
}

static gboolean
write_message (GMimeMessage  *message,
               GError       **error)
{
  g_autofree char *text = g_mime_object_to_string (GMIME_OBJECT (message), NULL);
  gsize length = strlen (text);

  if (open_output != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (open_output);

      return g_file_replace_contents (file, text, length, NULL, FALSE,
                                      G_FILE_CREATE_PRIVATE, NULL, NULL, error);
    }
  if (fwrite (text, 1, length, stdout) != length || fflush (stdout) != 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot write the message to stdout");
      return FALSE;
    }
  return TRUE;
}

int
missive_cmd_open (int    argc,
                  char **argv)
{
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(MissiveOpenedMessage) opened = NULL;
  g_autoptr(GError) error = NULL;
  GError *local_error = NULL;
  GMimeMessage *message;
  gboolean no_terminal = FALSE;
  gboolean all_good;

  if (!missive_cmd_parse ("open", "[FILE] - decrypt and verify a message",
                          "Reads the message from FILE (or standard input), decrypts it and checks\n"
                          "its signatures, prints what it found and then the readable message.\n"
                          "Exit code 8: a signature is not good.",
                          open_entries, &argc, &argv, MISSIVE_CMD_ANY_ARGS) || argc > 2)
    return MISSIVE_CMD_EXIT_USAGE;

  /* The context first: the engine initialises GMime. */
  context = missive_cmd_crypto_context (open_crypto, open_gnupg_home, &no_terminal, &error);
  if (context == NULL)
    return missive_cmd_report ("open", error);
  message = read_message (argc == 2 ? argv[1] : NULL, &error);
  if (message == NULL)
    return missive_cmd_report ("open", error);
  opened = missive_crypto_context_open_message (context, message, NULL, &local_error);
  g_object_unref (message);
  if (opened == NULL)
    {
      missive_cmd_crypto_fail (&error, local_error, no_terminal, "opening the message");
      return missive_cmd_report ("open", error);
    }

  all_good = !missive_opened_message_get_signed (opened) ||
             missive_opened_message_get_verified (opened);
  if (missive_cmd_options.json)
    print_json (opened);
  else
    {
      print_report (opened);
      if (open_output == NULL)
        g_print ("\n");
    }
  if ((open_output != NULL || !missive_cmd_options.json) &&
      !write_message (missive_opened_message_get_message (opened), &error))
    return missive_cmd_report ("open", error);
  return all_good ? MISSIVE_CMD_EXIT_OK : MISSIVE_CMD_EXIT_BAD_SIGNATURE;
}
