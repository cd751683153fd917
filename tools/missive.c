/* missive.c: the `missive` command-line program: the global options and
 * the dispatch to the commands (missive-cmd-*.c)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "missive-cmds.h"

typedef struct {
  const char *name;
  int (*run) (int argc, char **argv);
  const char *synopsis;
  const char *summary;
} Command;

static const Command commands[] = {
  { "plugins", missive_cmd_plugins, "", "the protocols, URI schemes, SASL mechanisms and crypto backends" },
  { "probe", missive_cmd_probe, "HOST PORT", "connect, negotiate TLS and show the server's certificate" },
  { "list", missive_cmd_mailboxes, "URI", "the mailboxes with their counters (--json)" },
  { "mailboxes", missive_cmd_mailboxes, "URI", "the same as list" },
  { "status", missive_cmd_status, "URI MAILBOX", "a mailbox's counters (--json)" },
  { "summaries", missive_cmd_summaries, "URI MAILBOX", "one line per message of a mailbox" },
  { "search", missive_cmd_search, "URI MAILBOX CRITERIA...", "the UIDs matching IMAP search keys (--json)" },
  { "fetch", missive_cmd_fetch, "URI MAILBOX UID", "one message to stdout (or --output FILE)" },
  { "idle", missive_cmd_idle, "URI MAILBOX", "print a mailbox's changes as they happen" },
  { "pop", missive_cmd_pop, "list|retr|dele URI [N]", "a POP3 maildrop" },
  { "send", missive_cmd_send, "URI", "send a message (SMTP, submission, LMTP)" },
  { "open", missive_cmd_open, "[FILE]", "decrypt and verify a message (OpenPGP or S/MIME)" },
};

static void
usage (void)
{
  g_autoptr(GString) text = g_string_new ("usage: missive [OPTION...] COMMAND [ARGS...]\n"
                                          "       missive trace COMMAND [ARGS...]\n\n"
                                          "commands:\n");

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *head = g_strdup_printf ("%s %s", commands[i].name, commands[i].synopsis);

      g_string_append_printf (text, "  %-36s %s\n", head, commands[i].summary);
    }
  g_string_append (text,
                   "  version                              print the version\n\n"
                   "options (before the command or after it):\n"
                   "  --trace              the protocol exchange on stderr, secrets masked\n"
                   "                       (`missive trace COMMAND ...` does the same)\n"
                   "  --json               JSON on stdout (plugins, list, status, search, pop list, send)\n"
                   "  --password-file FILE the password from FILE's first line (- for stdin)\n"
                   "  --ca-file FILE       trust the CA certificates in FILE\n"
                   "  --mechanism MECH     authenticate with this SASL mechanism\n"
                   "  --io-timeout SECONDS give up on a silent server\n"
                   "  --no-progress        no progress bar (shown on a terminal only)\n\n"
                   "URIs are those of the engine: imaps://alice@mail.example.org,\n"
                   "imap://alice%40example.org@host:143?security=starttls, pop3s://..., submission://...,\n"
                   "lmtp://host:24. The password comes from $MISSIVE_PASSWORD, --password-file, or a\n"
                   "prompt on the terminal (without echo); never from the command line.\n\n"
                   "exit codes:\n"
                   "  0  success\n"
                   "  1  another failure (a local file, an unexpected server answer, ...)\n"
                   "  2  usage: bad options or arguments, malformed URI, unknown scheme\n"
                   "  3  connection: refused, lost or timed out\n"
                   "  4  TLS: handshake failed, certificate refused, no STARTTLS\n"
                   "  5  authentication: login refused, no usable SASL mechanism\n"
                   "  6  the server refused the command (IMAP NO/BAD, POP3 -ERR, SMTP 4xx/5xx,\n"
                   "     recipients refused, message too large, no such message)\n"
                   "  7  the server or the protocol cannot do that\n"
                   "  8  open: a signature is not good\n\n"
                   "Run `missive COMMAND --help` for a command's options.\n");
  g_printerr ("%s", text->str);
}

/* Parses the options before the command; returns the index of the
 * command in @argv, or -1 after a usage error. */
static int
parse_global_options (int    argc,
                      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char **copy = g_new0 (char *, argc + 1);
  int n = argc;

  /* Only the leading options: stop at the command's name. */
  memcpy (copy, argv, sizeof (char *) * (gsize) argc);
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_strict_posix (context, TRUE);
  g_option_context_add_main_entries (context, missive_cmd_common_entries, NULL);
  if (!g_option_context_parse (context, &n, &copy, &error))
    {
      g_printerr ("missive: %s\n\n", error->message);
      return -1;
    }
  /* The command is the first argument left; its own arguments follow it
   * unchanged in argv. */
  if (n < 2)
    return argc;
  for (int i = 1; i < argc; i++)
    if (argv[i] == copy[1])
      return i;
  return -1;
}

int
main (int    argc,
      char **argv)
{
  int first;
  const char *name;

  setlocale (LC_ALL, "");

  for (int i = 1; i < argc && argv[i][0] == '-'; i++)
    if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h"))
      {
        usage ();
        return MISSIVE_CMD_EXIT_OK;
      }
    else if (g_str_equal (argv[i], "--version"))
      {
        g_print ("missive %s\n", PACKAGE_VERSION);
        return MISSIVE_CMD_EXIT_OK;
      }

  first = parse_global_options (argc, argv);
  if (first < 0 || first >= argc)
    {
      usage ();
      return MISSIVE_CMD_EXIT_USAGE;
    }
  name = argv[first];
  if (g_str_equal (name, "trace"))
    {
      missive_cmd_options.trace = TRUE;
      if (++first >= argc)
        {
          usage ();
          return MISSIVE_CMD_EXIT_USAGE;
        }
      name = argv[first];
    }
  if (g_str_equal (name, "version"))
    {
      g_print ("missive %s\n", PACKAGE_VERSION);
      return MISSIVE_CMD_EXIT_OK;
    }
  if (g_str_equal (name, "help"))
    {
      usage ();
      return MISSIVE_CMD_EXIT_OK;
    }

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (name, commands[i].name))
      {
        /* The command sees "missive-NAME ARGS...": GOption names the
         * program after argv[0] in its help. */
        g_autofree char *program = g_strdup_printf ("missive %s", commands[i].name);
        char *saved = argv[first];
        int code;

        g_set_prgname (program);
        argv[first] = program;
        code = commands[i].run (argc - first, argv + first);
        argv[first] = saved;
        return code;
      }

  g_printerr ("missive: unknown command “%s”\n\n", name);
  usage ();
  return MISSIVE_CMD_EXIT_USAGE;
}
