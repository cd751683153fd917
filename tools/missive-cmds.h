/* missive-cmds.h: what the files of the `missive` program share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

/* Exit codes scripts can rely on (listed in `missive --help`). */
enum {
  MISSIVE_CMD_EXIT_OK = 0,
  MISSIVE_CMD_EXIT_FAILURE = 1,       /* anything not listed below */
  MISSIVE_CMD_EXIT_USAGE = 2,         /* bad options or arguments */
  MISSIVE_CMD_EXIT_CONNECT = 3,       /* cannot connect, connection lost, timed out */
  MISSIVE_CMD_EXIT_TLS = 4,           /* TLS failed, certificate refused, no STARTTLS */
  MISSIVE_CMD_EXIT_AUTH = 5,          /* login refused, no usable mechanism */
  MISSIVE_CMD_EXIT_SERVER = 6,        /* the server refused the command (NO, BAD, 4xx, 5xx) */
  MISSIVE_CMD_EXIT_UNSUPPORTED = 7,   /* the server or the protocol cannot do it */
  MISSIVE_CMD_EXIT_BAD_SIGNATURE = 8, /* `missive open`: a signature is not good */
};

/* The options every command takes (also before the command's name). */
typedef struct {
  gboolean trace;
  gboolean json;
  gboolean no_progress;
  char *password_file;
  char *ca_file;
  char *mechanism;
  int timeout;
} MissiveCmdOptions;

extern MissiveCmdOptions missive_cmd_options;
extern const GOptionEntry missive_cmd_common_entries[];

/* The exit code for a command that failed with @error. */
int missive_cmd_exit_code (const GError *error);

/* Prints "missive COMMAND: message", the server's words when the message
 * lacks them, and a hint; with --json also {"error": ...} on stdout.
 * Returns the exit code. */
int missive_cmd_report (const char   *command,
                        const GError *error);

/* Parses @argv with the common options plus @extra and checks that
 * exactly @n_args operands follow, at least -@n_args when @n_args < 0, or
 * any number with MISSIVE_CMD_ANY_ARGS. Prints the help and returns FALSE
 * on a usage error. */
#define MISSIVE_CMD_ANY_ARGS G_MININT
gboolean missive_cmd_parse (const char         *command,
                            const char         *synopsis,
                            const char         *description,
                            const GOptionEntry *extra,
                            int                *argc,
                            char             ***argv,
                            int                 n_args);

/* Creates the service for @uri, checks its type (@type: MISSIVE_TYPE_STORE
 * or MISSIVE_TYPE_SENDER), applies the common options and the password
 * ($MISSIVE_PASSWORD, --password-file, or a prompt on the terminal),
 * connects the trace and progress handlers and opens it. */
MissiveService *missive_cmd_open_service (const char  *uri,
                                          GType        type,
                                          GError     **error);

/* Appends @s as a JSON string (invalid UTF-8 replaced). */
void missive_cmd_json_string (GString    *out,
                              const char *s);

/* Whether stdout / stderr is a terminal. */
gboolean missive_cmd_stderr_is_tty (void);

/* Asks on the terminal with the echo off (set before the prompt shows, so
 * nothing typed early is lost); NULL without a terminal. */
char *missive_cmd_prompt_secret (const char *format,
                                 ...) G_GNUC_PRINTF (1, 2);

/* Reads and parses the RFC 5322 message in @path ("-" or NULL: standard
 * input); @bytes_out (optional) gets its bytes. */
GMimeMessage *missive_cmd_read_message (const char  *path,
                                        GBytes     **bytes_out,
                                        GError     **error);

int missive_cmd_plugins   (int argc, char **argv);
int missive_cmd_probe     (int argc, char **argv);
int missive_cmd_mailboxes (int argc, char **argv);
int missive_cmd_status    (int argc, char **argv);
int missive_cmd_summaries (int argc, char **argv);
int missive_cmd_fetch     (int argc, char **argv);
int missive_cmd_search    (int argc, char **argv);
int missive_cmd_idle      (int argc, char **argv);
int missive_cmd_pop       (int argc, char **argv);
int missive_cmd_send      (int argc, char **argv);
int missive_cmd_open      (int argc, char **argv);

G_END_DECLS
