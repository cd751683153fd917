/* test-testbed-crypto.c: signed and encrypted mail through the private
 * Postfix, fetched back over IMAP and POP3 from the private Dovecot and
 * opened with missive_crypto_context_open_message()
 *
 * PGP/MIME: a throwaway GnuPG home with a key for user1@localhost; the
 * message is signed and encrypted on the way out by the sender itself
 * (MissiveSendOptions:sign/encrypt), user1 to user1. S/MIME: the homes of
 * crypto-smime-setup.sh (alice's certificate); the message is signed and
 * encrypted by the context, then sent. Each is fetched over IMAP (by UID)
 * and over POP3 (by message number), then decrypted, its signature
 * checked and its body compared with what was sent. Also the sender's
 * refusals: a protection without a context, a recipient without a key, a
 * raw stream.
 *
 * Needs root and the testbed (tests/testbed/) and gpg; skipped otherwise
 * (failed with MISSIVE_TESTBED_REQUIRED=1).
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "test-smtp-utils.h"
#include "test-crypto-home.h"
#include "test-crypto-smime-utils.h"

#define PORT_OFFSET 600
#define USER1 "user1@localhost"
#define PGP_TEXT "Hello user1,\nsigned and encrypted, through Postfix and back. Grüße!\n"

static char *pgp_tmp, *pgp_home, *pgp_fpr;
static gboolean have_pgp, have_smime;

/* ---- the servers --------------------------------------------------------------- */

static MissiveSender *
open_submission (const MissiveTestbed *tb)
{
  Conn conn = { "submission", tb->submission_port, MISSIVE_SECURITY_STARTTLS, NULL, NULL, NULL, NULL, FALSE };
  g_autoptr(GError) error = NULL;
  MissiveSender *sender = open_sender_full (tb->host, tb->ca_file, tb, &conn, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (sender);
  return sender;
}

static MissiveStore *
open_store (const MissiveTestbed *tb,
            const char           *scheme,
            guint16               port)
{
  g_autofree char *uri = g_strdup_printf ("%s://%s:%u", scheme, tb->host, port);
  g_autoptr(MissiveService) service = NULL;
  g_autoptr(GError) error = NULL;

  service = missive_engine_create_service (missive_engine_get_default (), uri, &error);
  g_assert_no_error (error);
  missive_service_set_security (service, MISSIVE_SECURITY_STARTTLS);
  missive_service_set_ca_file (service, tb->ca_file);
  missive_service_set_username (service, tb->user1);
  missive_service_set_password (service, tb->pass1);
  missive_service_set_timeout (service, 60);
  g_assert_true (missive_service_open (service, NULL, &error));
  g_assert_no_error (error);
  return MISSIVE_STORE (g_steal_pointer (&service));
}

static void
close_store (MissiveStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (missive_service_close (MISSIVE_SERVICE (store), NULL, &error));
  g_assert_no_error (error);
}

/* The UIDs of user1's INBOX, in order, from `doveadm search`. */
static GArray *
inbox_uids (const MissiveTestbed *tb,
            const char           *message_id)
{
  const char *all[] = { "search", "-u", "user1", "mailbox", "INBOX", "all", NULL };
  const char *one[] = { "search", "-u", "user1", "mailbox", "INBOX", "header", "Message-ID",
                        message_id, NULL };
  g_autofree char *out = missive_test_testbed_doveadm (tb, message_id != NULL ? one : all);
  g_auto(GStrv) lines = g_strsplit (g_strstrip (out), "\n", -1);
  GArray *uids = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint i = 0; lines[i] != NULL; i++)
    {
      /* "<mailbox guid> <uid>" */
      const char *space = strrchr (lines[i], ' ');
      guint32 uid;

      if (space == NULL)
        continue;
      uid = (guint32) g_ascii_strtoull (space + 1, NULL, 10);
      g_array_append_val (uids, uid);
    }
  return uids;
}

/* Postfix delivers through its queue: waits (bounded) until @message_id
 * is in user1's INBOX; its UID. */
static guint32
wait_delivered (const MissiveTestbed *tb,
                const char           *message_id)
{
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(GArray) uids = inbox_uids (tb, message_id);

      if (uids->len > 0)
        {
          g_assert_cmpuint (uids->len, ==, 1);
          return g_array_index (uids, guint32, 0);
        }
      g_usleep (100 * G_TIME_SPAN_MILLISECOND);
    }
  missive_test_testbed_dump_log (tb, "postfix/postfix.log", 30);
  g_assert_not_reached ();
}

/* The message with @uid fetched over IMAP (by UID) and over POP3 (by its
 * message number: its place in the INBOX). */
static void
fetch_both (const MissiveTestbed  *tb,
            guint32                uid,
            GMimeMessage         **over_imap,
            GMimeMessage         **over_pop3)
{
  g_autoptr(GArray) uids = inbox_uids (tb, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MissiveMailboxInfo) info = NULL;
  MissiveStore *store;
  guint32 number = 0;

  store = open_store (tb, "imap", tb->imap_port);
  info = missive_store_select_mailbox (store, "INBOX", TRUE, NULL, &error);
  g_assert_no_error (error);
  *over_imap = missive_store_fetch_mime_message (store, uid, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*over_imap);
  close_store (store);
  g_object_unref (store);

  for (guint i = 0; i < uids->len; i++)
    if (g_array_index (uids, guint32, i) == uid)
      number = i + 1;
  g_assert_cmpuint (number, >, 0);
  store = open_store (tb, "pop3", tb->pop3_port);
  *over_pop3 = missive_store_fetch_mime_message (store, number, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*over_pop3);
  close_store (store);
  g_object_unref (store);
}

/* Opens @fetched: encrypted, one good signature by @signer_email, the
 * body @text, the headers kept. */
static void
check_opened (MissiveCryptoContext *context,
              GMimeMessage         *fetched,
              const char           *message_id,
              const char           *signer_email,
              const char           *text)
{
  g_autoptr(MissiveOpenedMessage) opened = NULL;
  g_autoptr(MissiveSignature) signature = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  GMimeMessage *message;

  g_assert_cmpstr (g_mime_message_get_message_id (fetched), ==, message_id);
  g_assert_true (missive_crypto_message_is_encrypted (fetched));
  g_assert_false (missive_crypto_message_is_signed (fetched));

  opened = missive_crypto_context_open_message (context, fetched, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (opened);
  g_assert_true (missive_opened_message_get_encrypted (opened));
  g_assert_true (missive_opened_message_get_signed (opened));
  g_assert_true (missive_opened_message_get_verified (opened));
  g_assert_cmpuint (g_list_model_get_n_items (missive_opened_message_get_signatures (opened)), ==, 1);
  signature = g_list_model_get_item (missive_opened_message_get_signatures (opened), 0);
  g_assert_cmpint (missive_signature_get_status (signature), ==, MISSIVE_SIGNATURE_STATUS_GOOD);
  g_assert_cmpstr (missive_signature_get_email (signature), ==, signer_email);

  message = missive_opened_message_get_message (opened);
  g_assert_cmpstr (g_mime_message_get_message_id (message), ==, message_id);
  g_assert_cmpstr (g_mime_message_get_subject (message), ==, "Crypto through the testbed");
  body = test_crypto_body_text (message);
  g_assert_cmpstr (body, ==, text);
}

static GMimeMessage *
new_mail (const char *from,
          const char *to,
          const char *message_id,
          const char *text)
{
  GMimeMessage *message = test_crypto_text_message (from, to, "Crypto through the testbed", text);

  g_mime_message_set_message_id (message, message_id);
  return message;
}

/* "<id@host>" from new_message_id() without its angle brackets. */
static char *
bare_id (const char *id)
{
  return g_strndup (id + 1, strlen (id) - 2);
}

static gboolean
require (const MissiveTestbed *tb,
         gboolean              have_keys,
         const char           *what)
{
  if (tb == NULL || !have_smtp_plugin ())
    return FALSE;
  if (!have_keys)
    {
      g_test_skip (what);
      return FALSE;
    }
  return TRUE;
}

/* ---- PGP/MIME: protected by the sender ---------------------------------------- */

static void
test_openpgp (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(MissiveSender) sender = NULL;
  g_autoptr(MissiveSendOptions) options = NULL;
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *raw_id = NULL, *id = NULL;
  g_autoptr(GString) stored = NULL;
  GMimeMessage *message, *over_imap = NULL, *over_pop3 = NULL;
  guint32 uid;

  if (!require (tb, have_pgp, "gpg is not installed"))
    return;
  context = test_crypto_context_new ("openpgp", pgp_home);
  raw_id = new_message_id ("crypto-pgp");
  id = bare_id (raw_id);
  message = new_mail (USER1, USER1, id, PGP_TEXT);

  sender = open_submission (tb);
  options = missive_send_options_new ();
  missive_send_options_set_crypto_context (options, context);
  missive_send_options_set_sign (options, TRUE);
  missive_send_options_set_encrypt (options, TRUE);
  result = missive_sender_send_message (sender, message, NULL, options, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  close_sender (sender);
  /* The application's message is left as it was. */
  g_assert_true (GMIME_IS_TEXT_PART (g_mime_message_get_mime_part (message)));

  uid = wait_delivered (tb, id);
  fetch_both (tb, uid, &over_imap, &over_pop3);
  /* What Dovecot stored (in cur/ once IMAP has seen it) is PGP/MIME,
   * without the plain text. */
  {
    g_autofree char *search = g_strdup_printf ("uid %u", uid);

    stored = missive_test_testbed_message_file (tb, "user1", "INBOX", search);
    g_assert_nonnull (strstr (stored->str, "multipart/encrypted"));
    g_assert_nonnull (strstr (stored->str, "-----BEGIN PGP MESSAGE-----"));
    g_assert_null (strstr (stored->str, "through Postfix and back"));
  }
  check_opened (context, over_imap, id, USER1, PGP_TEXT);
  check_opened (context, over_pop3, id, USER1, PGP_TEXT);

  g_object_unref (over_pop3);
  g_object_unref (over_imap);
  g_object_unref (message);
}

/* ---- S/MIME: protected by the context, then sent ------------------------------ */

static void
test_smime (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(MissiveSender) sender = NULL;
  g_autoptr(MissiveSendResult) result = NULL;
  g_autoptr(MissiveEnvelope) envelope = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *raw_id = NULL, *id = NULL;
  GMimeMessage *message, *protected_message, *over_imap = NULL, *over_pop3 = NULL;
  const char *alice[] = { "alice@example.test", NULL };
  guint32 uid;

  if (!require (tb, have_smime, "the S/MIME set-up (gpgsm, certtool) failed or is missing"))
    return;
  context = test_crypto_context_new ("smime", home_dir);
  raw_id = new_message_id ("crypto-smime");
  id = bare_id (raw_id);
  /* Alice's certificate is the one the S/MIME homes hold: she signs, and
   * the message is encrypted to her; it travels to user1's mailbox. */
  message = new_mail ("alice@example.test", USER1, id, BODY_TEXT);
  protected_message = missive_crypto_context_sign_and_encrypt (context, message, alice, alice, 0,
                                                               NULL, &error);
  g_assert_no_error (error);

  sender = open_submission (tb);
  envelope = missive_envelope_new (USER1);
  missive_envelope_add_recipient (envelope, USER1, MISSIVE_RECIPIENT_TO);
  result = missive_sender_send_message (sender, protected_message, envelope, NULL, NULL, &error);
  g_assert_no_error (error);
  close_sender (sender);

  uid = wait_delivered (tb, id);
  fetch_both (tb, uid, &over_imap, &over_pop3);
  g_assert_true (g_mime_content_type_is_type (g_mime_object_get_content_type (g_mime_message_get_mime_part (over_imap)),
                                              "application", "pkcs7-mime"));
  check_opened (context, over_imap, id, "alice@example.test", BODY_TEXT);
  check_opened (context, over_pop3, id, "alice@example.test", BODY_TEXT);

  g_object_unref (over_pop3);
  g_object_unref (over_imap);
  g_object_unref (protected_message);
  g_object_unref (message);
}

/* ---- what the sender refuses ------------------------------------------------ */

static void
test_send_refused (void)
{
  const MissiveTestbed *tb = missive_test_testbed_get (PORT_OFFSET);
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(MissiveSender) sender = NULL;
  g_autoptr(MissiveSendOptions) options = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = new_message_id ("crypto-refused");
  MissiveSendResult *result;
  GMimeMessage *message;

  if (!require (tb, have_pgp, "gpg is not installed"))
    return;
  context = test_crypto_context_new ("openpgp", pgp_home);
  sender = open_submission (tb);
  options = missive_send_options_new ();

  /* Signing asked for, no context. */
  message = new_mail (USER1, USER1, "no-context@localhost", "x\n");
  missive_send_options_set_sign (options, TRUE);
  result = missive_sender_send_message (sender, message, NULL, options, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_null (result);
  g_clear_error (&error);
  g_object_unref (message);

  /* A recipient (user2) without a key: nothing is sent. */
  missive_send_options_set_crypto_context (options, context);
  missive_send_options_set_encrypt (options, TRUE);
  message = new_mail (USER1, "user2@localhost", "no-key@localhost", "x\n");
  result = missive_sender_send_message (sender, message, NULL, options, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_null (result);
  g_clear_error (&error);
  g_object_unref (message);

  /* A raw stream cannot be protected. */
  {
    g_autoptr(GString) msg = raw_message (USER1, USER1, "raw", id, "x\r\n");
    g_autoptr(MissiveEnvelope) envelope = missive_envelope_new (USER1);

    missive_envelope_add_recipient (envelope, USER1, MISSIVE_RECIPIENT_TO);
    result = send_raw (sender, envelope, msg, options, &error);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
    g_assert_null (result);
    g_clear_error (&error);
  }

  /* The connection is still usable: the refusals came before any command. */
  g_assert_true (missive_service_noop (MISSIVE_SERVICE (sender), NULL, &error));
  g_assert_no_error (error);
  close_sender (sender);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  missive_test_init (&argc, &argv);

  have_pgp = test_crypto_have_gpg ();
  if (have_pgp)
    {
      pgp_tmp = g_dir_make_tmp ("mtbc-XXXXXX", NULL);
      g_assert_nonnull (pgp_tmp);
      pgp_home = test_crypto_make_home (pgp_tmp, "pgp");
      pgp_fpr = test_crypto_generate_key (pgp_home, "User One <" USER1 ">", "");
    }

  g_test_add_func ("/testbed/crypto/openpgp", test_openpgp);
  g_test_add_func ("/testbed/crypto/smime", test_smime);
  g_test_add_func ("/testbed/crypto/send-refused", test_send_refused);

  {
    g_autofree char *gpgsm = g_find_program_in_path ("gpgsm");
    g_autofree char *certtool = g_find_program_in_path ("certtool");

    if (gpgsm != NULL && certtool != NULL)
      have_smime = smime_test_setup ();
  }
  status = g_test_run ();

  if (have_smime)
    smime_test_teardown ();
  if (have_pgp)
    {
      const char *rm[] = { "rm", "-rf", pgp_tmp, NULL };

      test_crypto_stop_agent (pgp_home);
      test_crypto_run (rm, NULL);
      g_free (pgp_home);
      g_free (pgp_fpr);
      g_free (pgp_tmp);
    }
  return status;
}
