/* missive-imap-command.c: building IMAP command lines and their literals
 *
 * A command is a list of parts: text (one protocol line, or the piece of a
 * line up to a literal announcement, with its line end) and literals (a
 * stream and its size). The engine writes the parts in order; before a
 * synchronising literal it waits for the server's "+".
 *
 * Strings from the user become an atom when they can, else a quoted
 * string, else a literal: 8-bit data (without UTF8=ACCEPT), CR or LF, or a
 * long string. Literals use LITERAL+ ("{n+}") when the server offers it,
 * LITERAL- for literals of at most 4096 bytes, and a synchronising "{n}"
 * otherwise.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-imap-private.h"
#include "missive-imap-utf7.h"

/* Longer strings go as literals: quoted strings this long are rare and
 * some servers limit them. */
#define MAX_QUOTED_LENGTH 1024

/* RFC 7888: LITERAL- allows non-synchronising literals up to 4096 bytes. */
#define LITERAL_MINUS_MAX 4096

static void
command_part_free (gpointer data)
{
  MissiveImapCommandPart *part = data;

  if (part->text != NULL)
    {
      /* The line may hold a password (LOGIN). */
      missive_sasl_wipe (part->text->str, part->text->len);
      g_string_free (part->text, TRUE);
    }
  g_clear_object (&part->stream);
  g_free (part);
}

MissiveImapCommand *
missive_imap_command_new (MissiveImapStore *store,
                          const char       *name)
{
  MissiveImapCommand *self;
  MissiveImapCommandPart *part;

  g_return_val_if_fail (MISSIVE_IS_IMAP_STORE (store), NULL);
  g_return_val_if_fail (name != NULL && name[0] != '\0', NULL);

  /* Fetches gathered before this command go out before it. */
  missive_imap_fetch_flush (store);

  self = g_new0 (MissiveImapCommand, 1);
  self->store = store;
  self->name = g_strdup (name);
  self->parts = g_ptr_array_new_with_free_func (command_part_free);
  self->state = MISSIVE_IMAP_COMMAND_NEW;
  self->expects_bye = g_ascii_strcasecmp (name, "LOGOUT") == 0;

  part = g_new0 (MissiveImapCommandPart, 1);
  part->text = g_string_new (name);
  g_ptr_array_add (self->parts, part);
  return self;
}

void
missive_imap_command_free (MissiveImapCommand *self)
{
  if (self == NULL)
    return;

  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_source_unref (self->cancel_source);
    }
  g_clear_object (&self->task);
  g_clear_error (&self->error);
  g_ptr_array_unref (self->parts);
  g_clear_pointer (&self->raw_lines, g_ptr_array_unref);
  g_free (self->raw_tagged);
  g_free (self->cancel_line);
  g_free (self->name);
  g_free (self);
}

/* The text part that the next token goes into (a new one after a
 * literal). */
static GString *
current_text (MissiveImapCommand *self)
{
  MissiveImapCommandPart *last = g_ptr_array_index (self->parts, self->parts->len - 1);

  if (last->text == NULL)
    {
      last = g_new0 (MissiveImapCommandPart, 1);
      last->text = g_string_new (NULL);
      g_ptr_array_add (self->parts, last);
    }
  return last->text;
}

/* Whether the previous part is a literal (then the text is empty but a
 * token came before it). */
static gboolean
after_literal (MissiveImapCommand *self)
{
  guint n = self->parts->len;
  MissiveImapCommandPart *last = g_ptr_array_index (self->parts, n - 1);

  return last->text == NULL || (last->text->len == 0 && n > 1);
}

/* Appends the separator before a token: one space, except after "(" and
 * before ")". */
static GString *
begin_token (MissiveImapCommand *self,
             char                first)
{
  gboolean literal_before = after_literal (self);
  GString *text = current_text (self);

  if (first == ')')
    return text;
  if (!literal_before && text->len > 0 && text->str[text->len - 1] == '(')
    return text;
  if (literal_before || text->len > 0)
    g_string_append_c (text, ' ');
  return text;
}

static gboolean
check_building (MissiveImapCommand *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (self->state == MISSIVE_IMAP_COMMAND_NEW, FALSE);
  return TRUE;
}

void
missive_imap_command_add_atom (MissiveImapCommand *self,
                               const char         *atom)
{
  if (!check_building (self))
    return;
  g_return_if_fail (atom != NULL);

  if (missive_imap_has_line_break (atom))
    {
      missive_imap_command_fail (self, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                                                            "A command argument cannot contain CR or LF"));
      return;
    }
  g_string_append (begin_token (self, atom[0]), atom);
}

void
missive_imap_command_add_number (MissiveImapCommand *self,
                                 guint64             number)
{
  if (!check_building (self))
    return;

  g_string_append_printf (begin_token (self, '0'), "%" G_GUINT64_FORMAT, number);
}

static gboolean
utf8_accepted (MissiveImapCommand *self)
{
  /* IMAP4rev2's quoted strings take UTF-8 too (RFC 9051 QUOTED-CHAR). */
  return (self->store->enabled & MISSIVE_IMAP_CAP_UTF8_ACCEPT) != 0 ||
         missive_imap_store_is_rev2 (self->store);
}

/* RFC 3501 ASTRING-CHAR: any CHAR except CTL, SP, "(", ")", "{", "%",
 * "*", DQUOTE and "\" (resp-specials "]" is allowed). */
static gboolean
is_astring_char (guchar c)
{
  if (c <= 0x20 || c >= 0x7f)
    return FALSE;
  return strchr ("(){%*\"\\", c) == NULL;
}

static gboolean
can_be_atom (const char *string)
{
  if (string[0] == '\0' || g_ascii_strcasecmp (string, "NIL") == 0)
    return FALSE;
  for (const char *p = string; *p != '\0'; p++)
    if (!is_astring_char ((guchar) *p))
      return FALSE;
  return TRUE;
}

/* A quoted string holds any 7-bit TEXT-CHAR (no CR, LF, NUL); 8-bit only
 * as UTF-8 once UTF8=ACCEPT or IMAP4rev2 is enabled. */
static gboolean
can_be_quoted (MissiveImapCommand *self,
               const char         *string,
               gsize               length)
{
  gboolean eight_bit = FALSE;

  if (length > MAX_QUOTED_LENGTH)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      guchar c = string[i];

      if (c == '\r' || c == '\n' || c == '\0')
        return FALSE;
      if (c >= 0x80)
        eight_bit = TRUE;
    }
  if (eight_bit)
    return utf8_accepted (self) && g_utf8_validate (string, length, NULL);
  return TRUE;
}

static void
append_quoted (GString    *text,
               const char *string)
{
  g_string_append_c (text, '"');
  for (const char *p = string; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (text, '\\');
      g_string_append_c (text, *p);
    }
  g_string_append_c (text, '"');
}

/* Adds a literal part: the announcement ends the current text part. */
static void
add_literal (MissiveImapCommand *self,
             GInputStream       *stream,
             guint64             size,
             gboolean            binary)
{
  MissiveImapStore *store = self->store;
  MissiveImapCommandPart *part;
  gboolean non_sync;
  GString *text;

  non_sync = (store->caps & MISSIVE_IMAP_CAP_LITERAL_PLUS) != 0 ||
             ((store->caps & MISSIVE_IMAP_CAP_LITERAL_MINUS) != 0 && size <= LITERAL_MINUS_MAX);

  text = begin_token (self, '{');
  g_string_append_printf (text, "%s{%" G_GUINT64_FORMAT "%s}\r\n",
                          binary ? "~" : "", size, non_sync ? "+" : "");

  part = g_new0 (MissiveImapCommandPart, 1);
  part->stream = g_object_ref (stream);
  part->size = size;
  part->sync = !non_sync;
  g_ptr_array_add (self->parts, part);
}

static void
add_string_literal (MissiveImapCommand *self,
                    const char         *string,
                    gsize               length)
{
  g_autoptr(GBytes) bytes = g_bytes_new (string, length);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes (bytes);

  add_literal (self, stream, length, FALSE);
}

void
missive_imap_command_add_string (MissiveImapCommand *self,
                                 const char         *string)
{
  gsize length;

  if (!check_building (self))
    return;
  g_return_if_fail (string != NULL);

  length = strlen (string);
  if (can_be_quoted (self, string, length))
    append_quoted (begin_token (self, '"'), string);
  else
    add_string_literal (self, string, length);
}

void
missive_imap_command_add_astring (MissiveImapCommand *self,
                                  const char         *string)
{
  if (!check_building (self))
    return;
  g_return_if_fail (string != NULL);

  if (can_be_atom (string))
    g_string_append (begin_token (self, string[0]), string);
  else
    missive_imap_command_add_string (self, string);
}

void
missive_imap_command_add_mailbox (MissiveImapCommand *self,
                                  const char         *name)
{
  MissiveImapStore *store;
  g_autofree char *encoded = NULL;
  g_autoptr(GError) error = NULL;

  if (!check_building (self))
    return;
  g_return_if_fail (name != NULL);

  store = self->store;
  /* RFC 3501 5.1: INBOX is case-insensitive. */
  if (g_ascii_strcasecmp (name, "INBOX") == 0)
    {
      missive_imap_command_add_atom (self, "INBOX");
      return;
    }
  if (!store->utf7_names || utf8_accepted (self))
    {
      missive_imap_command_add_astring (self, name);
      return;
    }

  encoded = missive_imap_utf7_encode (name, -1, &error);
  if (encoded == NULL)
    {
      missive_imap_command_fail (self, g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                                                    "The mailbox name is not valid UTF-8: %s",
                                                    error->message));
      return;
    }
  missive_imap_command_add_astring (self, encoded);
}

void
missive_imap_command_add_set (MissiveImapCommand *self,
                              MissiveMessageSet  *set)
{
  g_autofree char *text = NULL;

  if (!check_building (self))
    return;
  g_return_if_fail (set != NULL);

  if (missive_message_set_is_empty (set))
    {
      missive_imap_command_fail (self, g_error_new_literal (MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                                                            "The message set is empty"));
      return;
    }
  text = missive_message_set_to_string (set);
  missive_imap_command_add_atom (self, text);
}

void
missive_imap_command_add_literal_stream (MissiveImapCommand *self,
                                         GInputStream       *stream,
                                         goffset             size,
                                         gboolean            binary)
{
  if (!check_building (self))
    return;
  g_return_if_fail (G_IS_INPUT_STREAM (stream));
  g_return_if_fail (size >= 0);

  add_literal (self, stream, (guint64) size, binary);
}

void
missive_imap_command_set_response_func (MissiveImapCommand      *self,
                                        MissiveImapResponseFunc  func,
                                        gpointer                 user_data)
{
  g_return_if_fail (self != NULL);

  self->response_func = func;
  self->user_data = user_data;
}

void
missive_imap_command_set_literal_func (MissiveImapCommand     *self,
                                       MissiveImapLiteralFunc  func)
{
  g_return_if_fail (self != NULL);

  self->literal_func = func;
}

void
missive_imap_command_set_continue_func (MissiveImapCommand      *self,
                                        MissiveImapContinueFunc  func)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->state == MISSIVE_IMAP_COMMAND_NEW);

  self->continue_func = func;
}

void
missive_imap_command_set_sensitive (MissiveImapCommand *self)
{
  g_return_if_fail (self != NULL);

  self->sensitive = TRUE;
}

void
missive_imap_command_set_exclusive (MissiveImapCommand *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->state == MISSIVE_IMAP_COMMAND_NEW);

  self->exclusive = TRUE;
}

void
missive_imap_command_set_cancel_line (MissiveImapCommand *self,
                                      const char         *line)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (line == NULL || !missive_imap_has_line_break (line));

  g_free (self->cancel_line);
  self->cancel_line = g_strdup (line);
}

void
missive_imap_command_fail (MissiveImapCommand *self,
                           GError             *error)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (error != NULL);

  /* The response that could not be used was read to its end, so the
   * connection is still in step: only this command fails. (Losing the
   * stream goes through the engine's fatal path instead.) */
  if (g_error_matches (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL))
    error->code = MISSIVE_ERROR_MALFORMED_RESPONSE;

  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
}

const char *
missive_imap_command_get_tag (MissiveImapCommand *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->tag;
}

/* A command's NO or BAD (or a BYE) as the error it fails with. */
GError *
missive_imap_status_to_error (const MissiveImapResponse *response)
{
  g_autofree char *valid = NULL;
  const char *text;
  int code;
  GError *error;

  g_return_val_if_fail (response != NULL, NULL);

  switch (response->status)
    {
    case MISSIVE_IMAP_STATUS_NO:
      code = MISSIVE_ERROR_SERVER_NO;
      break;
    case MISSIVE_IMAP_STATUS_BAD:
      code = MISSIVE_ERROR_SERVER_BAD;
      break;
    case MISSIVE_IMAP_STATUS_BYE:
      code = MISSIVE_ERROR_CONNECTION_LOST;
      break;
    default:
      code = MISSIVE_ERROR_FAILED;
      break;
    }

  /* (Messages are UTF-8; the server's text need not be.) */
  valid = response->text != NULL && response->text[0] != '\0'
          ? g_utf8_make_valid (response->text, -1) : NULL;
  text = valid;
  if (response->code != NULL)
    error = g_error_new (MISSIVE_ERROR, code, "Server said: [%s] %s", response->code,
                         text != NULL ? text : "");
  else if (text != NULL)
    error = g_error_new (MISSIVE_ERROR, code, "Server said: %s", text);
  else
    error = g_error_new (MISSIVE_ERROR, code, "The server answered %s without saying why",
                         response->keyword != NULL ? response->keyword : "with an error");
  missive_error_set_server_reply (error, 0, NULL, response->code, response->text);
  return error;
}

gboolean
missive_imap_has_line_break (const char *string)
{
  return string != NULL && strpbrk (string, "\r\n") != NULL;
}

/* Finishes the command before it is queued: the last text part gets its
 * line end. */
void
missive_imap_command_end (MissiveImapCommand *self)
{
  g_string_append (current_text (self), "\r\n");
}
