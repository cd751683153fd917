/* missive-cmds.h: what the files of the `missive` program share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

/* Exit codes scripts can rely on. */
enum {
  MISSIVE_CMD_EXIT_OK = 0,
  MISSIVE_CMD_EXIT_FAILURE = 1,
  MISSIVE_CMD_EXIT_USAGE = 2,
  MISSIVE_CMD_EXIT_CONNECT = 3,
  MISSIVE_CMD_EXIT_TLS = 4,
  MISSIVE_CMD_EXIT_AUTH = 5,
};

/* The exit code for a command that failed with @error. */
int missive_cmd_exit_code (const GError *error);

int missive_cmd_mailboxes (int argc, char **argv);
int missive_cmd_summaries (int argc, char **argv);
int missive_cmd_fetch     (int argc, char **argv);
int missive_cmd_send      (int argc, char **argv);

G_END_DECLS
