/* outbox-crash-child.c: flushes an outbox through a fake server that logs
 * each message it accepts; tests/test-outbox.c kills it at random moments
 *
 * Usage: outbox-crash-child OUTBOX-DIR DELIVERED-LOG SEED
 *
 * Each accepted message's X-Test-Id is appended to DELIVERED-LOG and
 * synced before the fake server "replies", so the log is the server's
 * record of what it accepted. Writes "R" to stdout when the flush begins
 * and "A" after each acceptance.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <missive/missive.h>

#include "test-fake-sender.h"

static const char *log_path;

static char *
test_id_of (const char *data,
            gsize       length)
{
  const char *needle = "X-Test-Id: ";
  const char *end = data + length;

  for (const char *p = data; p + strlen (needle) <= end; p++)
    {
      if ((p == data || p[-1] == '\n') && strncmp (p, needle, strlen (needle)) == 0)
        {
          const char *start = p + strlen (needle);
          const char *stop = start;

          while (stop < end && *stop != '\r' && *stop != '\n')
            stop++;
          return g_strndup (start, stop - start);
        }
    }
  return g_strdup ("(no id)");
}

static FakeOutcome
accept_and_log (FakeSender  *sender,
                const char  *data,
                gsize        length,
                GError     **error,
                gpointer     user_data)
{
  g_autofree char *id = test_id_of (data, length);
  g_autofree char *line = g_strconcat (id, "\n", NULL);
  int fd;

  fd = open (log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0 || write (fd, line, strlen (line)) != (gssize) strlen (line) || fsync (fd) != 0)
    {
      fprintf (stderr, "cannot log to %s: %s\n", log_path, g_strerror (errno));
      _exit (2);
    }
  close (fd);
  /* Tells the parent, which may aim its kill at what follows. */
  if (write (STDOUT_FILENO, "A", 1) != 1)
    {
      /* The parent stopped listening: fine. */
    }
  return FAKE_ACCEPT;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(MissiveOutbox) outbox = NULL;
  g_autoptr(FakeSender) sender = NULL;
  g_autoptr(GError) error = NULL;

  if (argc != 4)
    {
      fprintf (stderr, "usage: %s OUTBOX-DIR DELIVERED-LOG SEED\n", argv[0]);
      return 2;
    }
  log_path = argv[2];
  g_random_set_seed ((guint32) g_ascii_strtoull (argv[3], NULL, 10));
  g_mime_init ();

  outbox = missive_outbox_new (argv[1], &error);
  if (outbox == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  missive_outbox_set_retry_delay (outbox, 0);

  sender = fake_sender_new ();
  /* The data takes a while to arrive, then the server accepts it (the
   * log), then its reply takes a moment to come back. */
  fake_script.decide = accept_and_log;
  fake_script.decide_delay_ms = 8;
  fake_script.delay_ms = 1;
  fake_script.random_delay = TRUE;

  signal (SIGPIPE, SIG_IGN);
  if (write (STDOUT_FILENO, "R", 1) != 1)
    return 2;

  if (!missive_outbox_flush (outbox, MISSIVE_SENDER (sender), NULL, &error))
    {
      fprintf (stderr, "flush failed: %s\n", error->message);
      return 1;
    }
  return 0;
}
