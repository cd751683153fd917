/* test-crypto-send.c: MissiveSendOptions:sign/encrypt against a scripted
 * fake SMTP server: every refusal comes before the server sees a
 * transaction (the script has none, so a MAIL FROM would fail it)
 *
 * The sending itself, signed and encrypted through Postfix and fetched
 * back, is in test-testbed-crypto.c.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "test-smtp-fake.h"
#include "test-crypto-home.h"

static char *tmpdir, *home;
static gboolean have_gpg;

static const MissiveTestStep no_transaction[] = {
  GREETING,
  EHLO_BASIC,
  QUIT_STEPS,
};

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_refused (void)
{
  Fixture fixture = { 0 }, *fx = &fixture;
  g_autoptr(MissiveCryptoContext) context = NULL;
  g_autoptr(MissiveSendOptions) options = missive_send_options_new ();
  g_autoptr(GError) error = NULL;
  MissiveSender *sender;
  MissiveSendResult *result;
  GMimeMessage *message;
  guint notified = 0;

  if (!have_gpg)
    {
      g_test_skip ("gpg or gpgconf is not installed");
      return;
    }
  context = test_crypto_context_new ("openpgp", home);
  fixture_set_up (fx, no_transaction);
  sender = MISSIVE_SENDER (fx->service);
  open_service (fx);

  /* The properties, with notification only on change. */
  g_signal_connect (options, "notify", G_CALLBACK (count_notify), &notified);
  missive_send_options_set_sign (options, TRUE);
  missive_send_options_set_sign (options, TRUE);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_true (missive_send_options_get_sign (options));
  g_object_set (options, "encrypt", FALSE, "crypto-context", NULL, NULL);
  g_assert_cmpuint (notified, ==, 1);

  /* Signing asked for, no context. */
  message = test_crypto_text_message ("alice@example.test", "bob@example.test", "x", "x\n");
  result = missive_sender_send_message (sender, message, NULL, options, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT);
  g_assert_null (result);
  g_clear_error (&error);

  /* No key for the signer (the From address). */
  missive_send_options_set_crypto_context (options, context);
  g_assert_true (missive_send_options_get_crypto_context (options) == context);
  g_assert_cmpuint (notified, ==, 2);
  result = missive_sender_send_message (sender, message, NULL, options, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_null (result);
  g_clear_error (&error);

  /* No key for an envelope recipient (carol, from Bcc). */
  missive_send_options_set_sign (options, FALSE);
  missive_send_options_set_encrypt (options, TRUE);
  g_mime_message_add_mailbox (message, GMIME_ADDRESS_TYPE_BCC, NULL, "carol@example.test");
  result = missive_sender_send_message (sender, message, NULL, options, NULL, &error);
  g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND);
  g_assert_null (result);
  g_clear_error (&error);
  g_object_unref (message);

  /* A raw stream cannot be protected. */
  {
    static const char raw[] = "From: bob@example.test\r\nTo: bob@example.test\r\n\r\nx\r\n";
    g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_data (raw, sizeof raw - 1, NULL);
    g_autoptr(MissiveEnvelope) envelope = missive_envelope_new ("bob@example.test");

    missive_envelope_add_recipient (envelope, "bob@example.test", MISSIVE_RECIPIENT_TO);
    result = missive_sender_send_stream (sender, stream, sizeof raw - 1, envelope, options, NULL, &error);
    g_assert_error (error, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED);
    g_assert_null (result);
    g_clear_error (&error);
  }

  close_service (fx);
  fixture_tear_down (fx);
}

int
main (int    argc,
      char **argv)
{
  int status;

  missive_test_init (&argc, &argv);

  have_gpg = test_crypto_have_gpg ();
  if (have_gpg)
    {
      tmpdir = g_dir_make_tmp ("msend-XXXXXX", NULL);
      g_assert_nonnull (tmpdir);
      home = test_crypto_make_home (tmpdir, "h");
      /* Bob only: alice (the From address) and carol have no key. */
      g_free (test_crypto_generate_key (home, "Bob Test <bob@example.test>", ""));
    }

  g_test_add_func ("/crypto-send/refused", test_refused);
  status = g_test_run ();

  if (have_gpg)
    {
      const char *rm[] = { "rm", "-rf", tmpdir, NULL };

      test_crypto_stop_agent (home);
      test_crypto_run (rm, NULL);
      g_free (home);
      g_free (tmpdir);
    }
  return status;
}
