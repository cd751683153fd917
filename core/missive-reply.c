/* missive-reply.c: a server's reply to one command
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveReply:
 *
 * What a server answered to one command sent with
 * [method@Service.send_command]: every line it sent (untagged IMAP
 * responses, continuation lines of a multi-line SMTP reply, the body of a
 * multi-line POP3 reply) plus the final status.
 *
 * The status is the protocol's own word ("OK", "NO", "BAD" in IMAP; "+OK"
 * or "-ERR" in POP3; the three digits in SMTP) and the code is the numeric
 * SMTP reply code, or 0 where the protocol has none.
 *
 * Since: 1.0
 */
struct _MissiveReply
{
  gatomicrefcount ref_count;
  guint code;
  char *status;
  char *text;
  char **lines;
};

G_DEFINE_BOXED_TYPE (MissiveReply, missive_reply, missive_reply_ref, missive_reply_unref)

/**
 * missive_reply_new:
 * @code: the numeric reply code, or 0
 * @status: the status word of the reply
 * @text: (nullable): the text after the status
 * @lines: (array zero-terminated=1) (nullable): every line of the reply
 *
 * Creates a reply. Protocol plugins call this from their implementation of
 * [vfunc@Service.send_command_finish].
 *
 * Returns: (transfer full): a new reply
 *
 * Since: 1.0
 */
MissiveReply *
missive_reply_new (guint               code,
                   const char         *status,
                   const char         *text,
                   const char * const *lines)
{
  MissiveReply *reply;

  g_return_val_if_fail (status != NULL, NULL);

  reply = g_new0 (MissiveReply, 1);
  g_atomic_ref_count_init (&reply->ref_count);
  reply->code = code;
  reply->status = g_strdup (status);
  reply->text = g_strdup (text != NULL ? text : "");
  reply->lines = lines != NULL ? g_strdupv ((char **) lines) : g_new0 (char *, 1);
  return reply;
}

/**
 * missive_reply_ref:
 * @reply: a reply
 *
 * Takes a reference on @reply.
 *
 * Returns: (transfer full): @reply
 *
 * Since: 1.0
 */
MissiveReply *
missive_reply_ref (MissiveReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  g_atomic_ref_count_inc (&reply->ref_count);
  return reply;
}

/**
 * missive_reply_unref:
 * @reply: (transfer full): a reply
 *
 * Drops a reference on @reply, freeing it when the last one goes.
 *
 * Since: 1.0
 */
void
missive_reply_unref (MissiveReply *reply)
{
  g_return_if_fail (reply != NULL);

  if (!g_atomic_ref_count_dec (&reply->ref_count))
    return;
  g_free (reply->status);
  g_free (reply->text);
  g_strfreev (reply->lines);
  g_free (reply);
}

/**
 * missive_reply_get_code:
 * @reply: a reply
 *
 * Gets the numeric reply code (SMTP, LMTP), or 0.
 *
 * Returns: the reply code
 *
 * Since: 1.0
 */
guint
missive_reply_get_code (MissiveReply *reply)
{
  g_return_val_if_fail (reply != NULL, 0);
  return reply->code;
}

/**
 * missive_reply_get_status:
 * @reply: a reply
 *
 * Gets the status word: "OK", "NO", "BAD", "+OK", "-ERR" or three digits.
 *
 * Returns: the status
 *
 * Since: 1.0
 */
const char *
missive_reply_get_status (MissiveReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);
  return reply->status;
}

/**
 * missive_reply_get_text:
 * @reply: a reply
 *
 * Gets the text of the final status line, after the status word.
 *
 * Returns: the text, possibly empty
 *
 * Since: 1.0
 */
const char *
missive_reply_get_text (MissiveReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);
  return reply->text;
}

/**
 * missive_reply_get_lines:
 * @reply: a reply
 *
 * Gets every line the server sent in answer, in order, without line ends.
 *
 * Returns: (array zero-terminated=1) (transfer none): the lines
 *
 * Since: 1.0
 */
const char * const *
missive_reply_get_lines (MissiveReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);
  return (const char * const *) reply->lines;
}

/**
 * missive_reply_is_success:
 * @reply: a reply
 *
 * Whether the reply reports success: "OK", "+OK", or a 2xx/3xx code.
 *
 * Returns: %TRUE on success
 *
 * Since: 1.0
 */
gboolean
missive_reply_is_success (MissiveReply *reply)
{
  g_return_val_if_fail (reply != NULL, FALSE);

  if (reply->code != 0)
    return reply->code >= 200 && reply->code < 400;
  return g_str_equal (reply->status, "OK") || g_str_equal (reply->status, "+OK");
}
