/* raw-client.c: the benchmark's lower limit: a plain-socket client that
 * sends the workload's command(s) and discards what comes back
 *
 *   raw-client imap-bulk    HOST PORT USER PASS MAILBOX   UID FETCH 1:* BODY.PEEK[]
 *   raw-client imap-summary HOST PORT USER PASS MAILBOX   UID FETCH 1:* (FLAGS ... BODYSTRUCTURE)
 *   raw-client imap-each    HOST PORT USER PASS MAILBOX   one pipelined UID FETCH n BODY.PEEK[]
 *                                                         per message (UIDs 1..EXISTS)
 *   raw-client pop3         HOST PORT USER PASS           RETRs pipelined, up to 128 ahead
 *   raw-client pop3-seq     HOST PORT USER PASS           one RETR after the other
 *
 * It parses just enough to know where the reply ends (literals are
 * skipped by their announced length; POP3 replies end with ".").
 * Prints "transfer_s=SECONDS bytes=N items=N" like missive-bench. No
 * quoting: the credentials must be plain atoms.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int fd = -1;
static char buf[256 * 1024];
static size_t head, tail;
static unsigned long long total;

static void
die (const char *what)
{
  fprintf (stderr, "raw-client: %s\n", what);
  exit (1);
}

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void
fill (void)
{
  ssize_t n;

  if (head == tail)
    head = tail = 0;
  else if (tail == sizeof buf)
    {
      memmove (buf, buf + head, tail - head);
      tail -= head;
      head = 0;
    }
  n = read (fd, buf + tail, sizeof buf - tail);
  if (n <= 0)
    die ("connection closed");
  tail += (size_t) n;
  total += (unsigned long long) n;
}

/* The next line without its CRLF, NUL-terminated, in @line (truncated
 * at @size; a longer line's rest is discarded). */
static void
read_line (char   *line,
           size_t  size)
{
  size_t used = 0;

  for (;;)
    {
      char *nl;

      if (head == tail)
        fill ();
      nl = memchr (buf + head, '\n', tail - head);
      if (nl != NULL)
        {
          size_t n = (size_t) (nl - (buf + head));

          if (used + n < size)
            {
              memcpy (line + used, buf + head, n);
              used += n;
            }
          head += n + 1;
          break;
        }
      if (used + (tail - head) < size)
        {
          memcpy (line + used, buf + head, tail - head);
          used += tail - head;
        }
      head = tail;
    }
  if (used > 0 && line[used - 1] == '\r')
    used--;
  line[used] = '\0';
}

static void
skip (unsigned long long count)
{
  while (count > 0)
    {
      size_t n;

      if (head == tail)
        fill ();
      n = tail - head;
      if (n > count)
        n = (size_t) count;
      head += n;
      count -= n;
    }
}

static void send_text (const char *format, ...) __attribute__ ((format (printf, 1, 2)));

static void
send_text (const char *format,
           ...)
{
  char line[4096];
  va_list args;
  int n;

  va_start (args, format);
  n = vsnprintf (line, sizeof line, format, args);
  va_end (args);
  if (n < 0 || (size_t) n >= sizeof line)
    die ("line too long");
  if (write (fd, line, (size_t) n) != n)
    die ("write failed");
}

static void
send_all (const char *data,
          size_t      length)
{
  while (length > 0)
    {
      ssize_t n = write (fd, data, length);

      if (n <= 0)
        die ("write failed");
      data += n;
      length -= (size_t) n;
    }
}

static void
connect_to (const char *host,
            const char *port)
{
  struct sockaddr_in sin = { 0 };
  int one = 1;

  sin.sin_family = AF_INET;
  sin.sin_port = htons ((unsigned short) atoi (port));
  if (inet_pton (AF_INET, host, &sin.sin_addr) != 1)
    die ("HOST must be an IPv4 address");
  fd = socket (AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || connect (fd, (struct sockaddr *) &sin, sizeof sin) != 0)
    die ("cannot connect");
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

/* ---- IMAP ------------------------------------------------------------------------------ */

/* Reads responses until the tagged one for @tag; returns the number of
 * untagged FETCH responses. Literals are skipped. */
static unsigned
imap_until (const char *tag)
{
  static char line[65536];
  size_t tag_length = strlen (tag);
  unsigned fetches = 0;

  for (;;)
    {
      size_t n;

      read_line (line, sizeof line);
      if (strncmp (line, tag, tag_length) == 0 && line[tag_length] == ' ')
        {
          if (strncmp (line + tag_length + 1, "OK", 2) != 0)
            {
              fprintf (stderr, "raw-client: %s\n", line);
              exit (1);
            }
          return fetches;
        }
      if (strstr (line, " FETCH ") != NULL && line[0] == '*')
        fetches++;
      /* A line ending in {N}: N bytes, then the rest of the response. */
      for (;;)
        {
          n = strlen (line);
          if (n > 2 && line[n - 1] == '}')
            {
              char *open = strrchr (line, '{');

              if (open != NULL)
                {
                  skip (strtoull (open + 1, NULL, 10));
                  read_line (line, sizeof line);
                  continue;
                }
            }
          break;
        }
    }
}

static int
run_imap (const char  *what,
          char       **argv)
{
  char greeting[1024];
  const char *items = strcmp (what, "imap-bulk") == 0
                      ? "BODY.PEEK[]"
                      : "(FLAGS UID RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)";
  double start;
  unsigned count;

  connect_to (argv[0], argv[1]);
  read_line (greeting, sizeof greeting);
  send_text ("a1 LOGIN %s %s\r\n", argv[2], argv[3]);
  imap_until ("a1");
  start = now ();
  total = 0;
  send_text ("a2 EXAMINE \"%s\"\r\na3 UID FETCH 1:* %s\r\n", argv[4], items);
  imap_until ("a2");
  count = imap_until ("a3");
  printf ("transfer_s=%.6f bytes=%llu items=%u\n", now () - start, total, count);
  send_text ("a4 LOGOUT\r\n");
  imap_until ("a4");
  return 0;
}

/* One command per message, the way a client fetching message by message
 * pipelines them: a child process writes every command while this one
 * reads the replies (assumes UIDs 1..EXISTS, as in a freshly loaded box). */
static int
run_imap_each (char **argv)
{
  static char line[65536];
  char greeting[1024];
  unsigned exists = 0, count = 0;
  double start;
  pid_t writer;

  connect_to (argv[0], argv[1]);
  read_line (greeting, sizeof greeting);
  send_text ("a1 LOGIN %s %s\r\n", argv[2], argv[3]);
  imap_until ("a1");
  start = now ();
  total = 0;
  send_text ("a2 EXAMINE \"%s\"\r\n", argv[4]);
  for (;;)
    {
      read_line (line, sizeof line);
      if (strncmp (line, "a2 ", 3) == 0)
        break;
      if (line[0] == '*' && strstr (line, " EXISTS") != NULL)
        exists = (unsigned) strtoul (line + 2, NULL, 10);
    }
  writer = fork ();
  if (writer < 0)
    die ("fork failed");
  if (writer == 0)
    {
      char command[128];

      for (unsigned i = 1; i <= exists; i++)
        {
          int n = snprintf (command, sizeof command, "b%u UID FETCH %u BODY.PEEK[]\r\n", i, i);

          send_all (command, (size_t) n);
        }
      _exit (0);
    }
  for (unsigned i = 1; i <= exists; i++)
    {
      char tag[32];

      snprintf (tag, sizeof tag, "b%u", i);
      count += imap_until (tag);
    }
  waitpid (writer, NULL, 0);
  printf ("transfer_s=%.6f bytes=%llu items=%u\n", now () - start, total, count);
  send_text ("a4 LOGOUT\r\n");
  imap_until ("a4");
  return 0;
}

/* ---- POP3 ------------------------------------------------------------------------------ */

static void
pop3_status (char   *line,
             size_t  size)
{
  read_line (line, size);
  if (strncmp (line, "+OK", 3) != 0)
    {
      fprintf (stderr, "raw-client: %s\n", line);
      exit (1);
    }
}

/* A multi-line reply's lines up to ".". */
static void
pop3_body (void)
{
  /* Look for "\r\n.\r\n" straight in the buffer; the status line has
   * been read, so the body starts at a line start. */
  int at_line_start = 1;

  for (;;)
    {
      if (head == tail)
        fill ();
      while (head < tail)
        {
          char *nl = memchr (buf + head, '\n', tail - head);
          size_t n;

          if (nl == NULL)
            {
              /* A partial line: keep its first bytes so "." is seen. */
              if (at_line_start && tail - head < 3)
                {
                  fill ();
                  continue;
                }
              at_line_start = 0;
              head = tail;
              break;
            }
          n = (size_t) (nl - (buf + head)) + 1;
          if (at_line_start && n == 3 && buf[head] == '.' && buf[head + 1] == '\r')
            {
              head += n;
              return;
            }
          head += n;
          at_line_start = 1;
        }
    }
}

static int
run_pop3 (int    pipelined,
          char **argv)
{
  char line[1024];
  unsigned count = 0;
  double start;

  connect_to (argv[0], argv[1]);
  pop3_status (line, sizeof line);
  send_text ("USER %s\r\n", argv[2]);
  pop3_status (line, sizeof line);
  send_text ("PASS %s\r\n", argv[3]);
  pop3_status (line, sizeof line);
  start = now ();
  total = 0;
  send_text ("STAT\r\n");
  pop3_status (line, sizeof line);
  count = (unsigned) strtoul (line + 4, NULL, 10);
  if (pipelined)
    {
      /* At most WINDOW commands ahead of the replies, written in batches:
       * never so far ahead that both sides block on full buffers. */
      enum { WINDOW = 128, BATCH = 64 };
      unsigned sent = 0, done = 0;

      while (done < count)
        {
          if (sent < count && sent < done + WINDOW)
            {
              char batch[BATCH * 24];
              size_t length = 0;

              for (unsigned k = 0; k < BATCH && sent < count && sent < done + WINDOW; k++)
                length += (size_t) snprintf (batch + length, sizeof batch - length,
                                             "RETR %u\r\n", ++sent);
              send_all (batch, length);
            }
          pop3_status (line, sizeof line);
          pop3_body ();
          done++;
        }
    }
  else
    for (unsigned i = 1; i <= count; i++)
      {
        send_text ("RETR %u\r\n", i);
        pop3_status (line, sizeof line);
        pop3_body ();
      }
  printf ("transfer_s=%.6f bytes=%llu items=%u\n", now () - start, total, count);
  send_text ("QUIT\r\n");
  pop3_status (line, sizeof line);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc == 7 && (strcmp (argv[1], "imap-bulk") == 0 || strcmp (argv[1], "imap-summary") == 0))
    return run_imap (argv[1], argv + 2);
  if (argc == 7 && strcmp (argv[1], "imap-each") == 0)
    return run_imap_each (argv + 2);
  if (argc == 6 && strcmp (argv[1], "pop3") == 0)
    return run_pop3 (1, argv + 2);
  if (argc == 6 && strcmp (argv[1], "pop3-seq") == 0)
    return run_pop3 (0, argv + 2);
  fprintf (stderr, "usage: raw-client imap-bulk|imap-summary|imap-each HOST PORT USER PASS MAILBOX\n"
                   "       raw-client pop3|pop3-seq HOST PORT USER PASS\n");
  return 2;
}
