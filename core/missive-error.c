/* missive-error.c: the MISSIVE_ERROR domain and its server-reply details
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

typedef struct
{
  guint code;
  char *enhanced_status;
  char *response_code;
  char *text;
} MissiveErrorPrivate;

static void
missive_error_private_init (MissiveErrorPrivate *priv)
{
  priv->code = 0;
  priv->enhanced_status = NULL;
  priv->response_code = NULL;
  priv->text = NULL;
}

static void
missive_error_private_copy (const MissiveErrorPrivate *src,
                            MissiveErrorPrivate       *dest)
{
  dest->code = src->code;
  dest->enhanced_status = g_strdup (src->enhanced_status);
  dest->response_code = g_strdup (src->response_code);
  dest->text = g_strdup (src->text);
}

static void
missive_error_private_clear (MissiveErrorPrivate *priv)
{
  g_clear_pointer (&priv->enhanced_status, g_free);
  g_clear_pointer (&priv->response_code, g_free);
  g_clear_pointer (&priv->text, g_free);
}

/**
 * missive_error_quark:
 *
 * The quark of the %MISSIVE_ERROR domain.
 *
 * Returns: the error domain quark
 *
 * Since: 1.0
 */
G_DEFINE_EXTENDED_ERROR (MissiveError, missive_error)

static const MissiveErrorPrivate *
get_private (const GError *error)
{
  if (error == NULL || error->domain != MISSIVE_ERROR)
    return NULL;
  return missive_error_get_private (error);
}

/**
 * missive_error_get_server_code:
 * @error: a #GError
 *
 * Gets the numeric reply code the server sent with a refusal: the SMTP or
 * LMTP reply code (e.g. 550), or 0 where the protocol has none (IMAP, POP3)
 * or when @error did not come from a server reply.
 *
 * Returns: the server's reply code, or 0
 *
 * Since: 1.0
 */
guint
missive_error_get_server_code (const GError *error)
{
  const MissiveErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->code : 0;
}

/**
 * missive_error_get_server_text:
 * @error: a #GError
 *
 * Gets the human-readable text of the server reply that caused @error,
 * without status words or codes.
 *
 * Returns: (nullable): the server's words, or %NULL
 *
 * Since: 1.0
 */
const char *
missive_error_get_server_text (const GError *error)
{
  const MissiveErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->text : NULL;
}

/**
 * missive_error_get_enhanced_status:
 * @error: a #GError
 *
 * Gets the RFC 3463 enhanced status code (e.g. "5.7.8") of the server reply
 * that caused @error, when the server sent one.
 *
 * Returns: (nullable): the enhanced status code, or %NULL
 *
 * Since: 1.0
 */
const char *
missive_error_get_enhanced_status (const GError *error)
{
  const MissiveErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->enhanced_status : NULL;
}

/**
 * missive_error_get_response_code:
 * @error: a #GError
 *
 * Gets the bracketed response code of the server reply that caused @error:
 * an IMAP response code such as "ALERT" or "AUTHENTICATIONFAILED", or a POP3
 * one such as "IN-USE" or "SYS/TEMP".
 *
 * Returns: (nullable): the response code, or %NULL
 *
 * Since: 1.0
 */
const char *
missive_error_get_response_code (const GError *error)
{
  const MissiveErrorPrivate *priv = get_private (error);

  return priv != NULL ? priv->response_code : NULL;
}

/**
 * missive_error_set_server_reply:
 * @error: a #GError in the %MISSIVE_ERROR domain
 * @code: the numeric reply code, or 0
 * @enhanced_status: (nullable): the enhanced status code
 * @response_code: (nullable): the bracketed response code
 * @text: (nullable): the reply text
 *
 * Attaches the details of a server reply to @error. Protocol plugins call
 * this when they turn a refusal into a #GError.
 *
 * Since: 1.0
 */
void
missive_error_set_server_reply (GError     *error,
                                guint       code,
                                const char *enhanced_status,
                                const char *response_code,
                                const char *text)
{
  MissiveErrorPrivate *priv;

  g_return_if_fail (error != NULL);
  g_return_if_fail (error->domain == MISSIVE_ERROR);

  priv = missive_error_get_private (error);
  missive_error_private_clear (priv);
  priv->code = code;
  priv->enhanced_status = g_strdup (enhanced_status);
  priv->response_code = g_strdup (response_code);
  priv->text = g_strdup (text);
}

/**
 * missive_error_from_io_error:
 * @error: an error from GIO or the TLS backend
 *
 * Translates a transport error into the %MISSIVE_ERROR domain, keeping its
 * message: refused connections, lost connections, time-outs and TLS
 * failures get their own codes. Cancellation stays %G_IO_ERROR_CANCELLED,
 * and errors already in %MISSIVE_ERROR are copied unchanged.
 *
 * Returns: (transfer full): a new #GError
 *
 * Since: 1.0
 */
GError *
missive_error_from_io_error (const GError *error)
{
  MissiveError code = MISSIVE_ERROR_FAILED;

  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == MISSIVE_ERROR ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_HOST_NOT_FOUND:
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_PROXY_FAILED:
        case G_IO_ERROR_PROXY_AUTH_FAILED:
        case G_IO_ERROR_PROXY_NEED_AUTH:
        case G_IO_ERROR_PROXY_NOT_ALLOWED:
          code = MISSIVE_ERROR_CONNECTION_REFUSED;
          break;
        case G_IO_ERROR_TIMED_OUT:
          code = MISSIVE_ERROR_TIMED_OUT;
          break;
        case G_IO_ERROR_BROKEN_PIPE:
        case G_IO_ERROR_CLOSED:
        case G_IO_ERROR_NOT_CONNECTED:
          code = MISSIVE_ERROR_CONNECTION_LOST;
          break;
        case G_IO_ERROR_NOT_SUPPORTED:
          code = MISSIVE_ERROR_NOT_SUPPORTED;
          break;
        default:
          break;
        }
    }
  else if (error->domain == G_TLS_ERROR)
    {
      switch (error->code)
        {
        case G_TLS_ERROR_BAD_CERTIFICATE:
        case G_TLS_ERROR_CERTIFICATE_REQUIRED:
          code = MISSIVE_ERROR_CERTIFICATE_REJECTED;
          break;
        case G_TLS_ERROR_UNAVAILABLE:
          code = MISSIVE_ERROR_TLS_UNAVAILABLE;
          break;
        case G_TLS_ERROR_EOF:
          code = MISSIVE_ERROR_CONNECTION_LOST;
          break;
        default:
          code = MISSIVE_ERROR_TLS_FAILED;
          break;
        }
    }

  return g_error_new_literal (MISSIVE_ERROR, code, error->message);
}
