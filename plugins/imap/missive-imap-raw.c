/* missive-imap-raw.c: raw commands (the service's send_command): one line
 * from the application, its untagged responses collected as text and the
 * tagged reply turned into a MissiveReply
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-private.h"

/* ---- raw commands --------------------------------------------------------- */

typedef struct
{
  GPtrArray *lines;
  char *tagged;
} RawData;

static void
raw_data_free (RawData *data)
{
  g_clear_pointer (&data->lines, g_ptr_array_unref);
  g_free (data->tagged);
  g_free (data);
}

static gboolean
raw_response (MissiveImapStore          *self,
              MissiveImapCommand        *command,
              const MissiveImapResponse *response,
              gpointer                   user_data)
{
  RawData *data = user_data;

  if (response->kind == MISSIVE_IMAP_RESPONSE_TAGGED)
    {
      g_clear_pointer (&data->lines, g_ptr_array_unref);
      data->lines = g_steal_pointer (&command->raw_lines);
      g_free (data->tagged);
      data->tagged = g_steal_pointer (&command->raw_tagged);
    }
  return FALSE;
}

static void
raw_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RawData *data = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *status = NULL;
  const char *text = "";
  const char *space;

  if (!missive_imap_store_run_finish (MISSIVE_IMAP_STORE (source), result, &error))
    {
      /* NO and BAD are replies like any other here. */
      if (data->tagged == NULL ||
          !(g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_NO) ||
            g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_SERVER_BAD)))
        {
          g_task_return_error (task, error);
          return;
        }
      g_error_free (error);
    }
  if (data->tagged == NULL)
    data->tagged = g_strdup ("OK");
  if (data->lines == NULL)
    data->lines = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (data->lines, NULL);

  space = strchr (data->tagged, ' ');
  if (space != NULL)
    {
      status = g_ascii_strup (data->tagged, space - data->tagged);
      text = space + 1;
    }
  else
    status = g_ascii_strup (data->tagged, -1);

  g_task_return_pointer (task,
                         missive_reply_new (0, status, text,
                                            (const char * const *) data->lines->pdata),
                         (GDestroyNotify) missive_reply_unref);
}

/* Commands that cannot run as a raw line: they need the engine's help. */
static const char *const raw_refused[] = {
  "AUTHENTICATE", "IDLE", "STARTTLS", "COMPRESS", NULL,
};

void
missive_imap_store_send_command_async (MissiveService      *service,
                                       const char          *line,
                                       int                  io_priority,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  MissiveImapStore *self = MISSIVE_IMAP_STORE (service);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  g_autofree char *first = NULL;
  MissiveImapCommand *command;
  RawData *data;
  gsize length;

  g_task_set_source_tag (task, missive_imap_store_send_command_async);
  g_task_set_priority (task, io_priority);

  length = line != NULL ? strlen (line) : 0;
  first = g_strndup (line != NULL ? line : "", line != NULL ? strcspn (line, " ") : 0);
  if (length == 0 || missive_imap_has_line_break (line))
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "A raw IMAP command is one non-empty line without its tag");
      g_object_unref (task);
      return;
    }
  if (line[length - 1] == '}')
    {
      g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                               "A raw IMAP command cannot announce a literal");
      g_object_unref (task);
      return;
    }
  for (gsize i = 0; raw_refused[i] != NULL; i++)
    if (g_ascii_strcasecmp (first, raw_refused[i]) == 0)
      {
        g_task_return_new_error (task, MISSIVE_ERROR, MISSIVE_ERROR_NOT_SUPPORTED,
                                 "%s cannot be sent as a raw command", raw_refused[i]);
        g_object_unref (task);
        return;
      }

  data = g_new0 (RawData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) raw_data_free);

  command = missive_imap_command_new (self, line);
  command->raw = TRUE;
  command->expects_bye = g_ascii_strcasecmp (first, "LOGOUT") == 0;
  missive_imap_command_set_response_func (command, raw_response, data);
  missive_imap_store_run_async (self, command, cancellable, raw_done_cb, task);
}

MissiveReply *
missive_imap_store_send_command_finish (MissiveService  *service,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
