/* missive-sasl-step.c: the bookkeeping of a SASL exchange that line-based
 * protocol plugins (POP3, SMTP) share
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive-plugin.h>

MissiveSaslStep *
missive_sasl_step_new (void)
{
  return g_new0 (MissiveSaslStep, 1);
}

void
missive_sasl_step_free (MissiveSaslStep *step)
{
  if (step == NULL)
    return;
  missive_sasl_secret_free (step->line);
  g_clear_pointer (&step->data, g_bytes_unref);
  g_free (step);
}

char *
missive_sasl_encode_response (GBytes *response)
{
  const guint8 *data;
  gsize n;

  if (response == NULL)
    return g_strdup ("*");
  data = g_bytes_get_data (response, &n);
  return n > 0 ? g_base64_encode (data, n) : g_strdup ("");
}

gboolean
missive_sasl_step_propagate (GTask     *task,
                             GBytes   **server_data,
                             gboolean  *complete,
                             GError   **error)
{
  MissiveSaslStep *step;

  if (!g_task_propagate_boolean (task, error))
    return FALSE;
  step = g_task_get_task_data (task);
  if (complete != NULL)
    *complete = step->complete;
  if (server_data != NULL)
    *server_data = step->data != NULL ? g_bytes_ref (step->data) : NULL;
  return TRUE;
}
