/* missive-sasl-plain.c: the PLAIN SASL mechanism (RFC 4616)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-sasl-builtin-private.h"
#include "missive-sasl-mechanism-private.h"

/* PLAIN sends, in one message, the authorization identity (possibly
 * empty), the user name and the password, separated by NUL bytes:
 *
 *   message = [authzid] NUL authcid NUL passwd
 *
 * The mechanism is client-first; when the protocol gives no room for an
 * initial response the server sends an empty challenge and gets the same
 * message. Anything after that is a protocol error. */

struct _MissiveSaslPlain
{
  MissiveSaslMechanism parent_instance;
};

G_DEFINE_FINAL_TYPE (MissiveSaslPlain, missive_sasl_plain, MISSIVE_TYPE_SASL_MECHANISM)

static const char *
missive_sasl_plain_get_name (MissiveSaslMechanism *mech)
{
  return "PLAIN";
}

static int
missive_sasl_plain_get_strength (MissiveSaslMechanism *mech)
{
  return 10;
}

static MissiveSaslFlags
missive_sasl_plain_get_flags (MissiveSaslMechanism *mech)
{
  return MISSIVE_SASL_FLAG_PLAINTEXT |
         MISSIVE_SASL_FLAG_CLIENT_FIRST |
         MISSIVE_SASL_FLAG_NEEDS_PASSWORD;
}

/* RFC 4616 fields are UTF-8 without NUL; C strings cannot hold a NUL, so
 * what is left to check is the encoding. */
static gboolean
check_field (const char  *value,
             const char  *what,
             GError     **error)
{
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                   "The %s for PLAIN is not valid UTF-8", what);
      return FALSE;
    }
  return TRUE;
}

static GBytes *
missive_sasl_plain_step (MissiveSaslMechanism  *mech,
                         GBytes                *challenge,
                         GError               **error)
{
  const char *authzid = missive_sasl_mechanism_get_authzid (mech);
  const char *username = missive_sasl_mechanism_get_username (mech);
  const char *password = missive_sasl_mechanism_get_password (mech);
  gsize authzid_len, username_len, password_len, length;
  guint8 *message;

  if (missive_sasl_mechanism_is_complete (mech))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent a challenge after the PLAIN "
                           "exchange was complete");
      return NULL;
    }

  if (username == NULL || *username == '\0')
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "No username for PLAIN authentication");
      return NULL;
    }
  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "No password for PLAIN authentication");
      return NULL;
    }
  if (authzid == NULL)
    authzid = "";

  if (!check_field (authzid, "authorization identity", error) ||
      !check_field (username, "username", error) ||
      !check_field (password, "password", error))
    return NULL;

  authzid_len = strlen (authzid);
  username_len = strlen (username);
  password_len = strlen (password);
  length = authzid_len + 1 + username_len + 1 + password_len;

  /* One exact allocation, so that no stray copy of the password is left
   * behind; the GBytes wipes it when the last reference goes. */
  message = g_malloc (length);
  memcpy (message, authzid, authzid_len);
  message[authzid_len] = '\0';
  memcpy (message + authzid_len + 1, username, username_len);
  message[authzid_len + 1 + username_len] = '\0';
  memcpy (message + authzid_len + 1 + username_len + 1, password, password_len);

  missive_sasl_mechanism_set_complete (mech, TRUE);
  return missive_sasl_secret_bytes_new_take (message, length);
}

static void
missive_sasl_plain_class_init (MissiveSaslPlainClass *klass)
{
  MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  mech_class->get_name = missive_sasl_plain_get_name;
  mech_class->get_strength = missive_sasl_plain_get_strength;
  mech_class->get_flags = missive_sasl_plain_get_flags;
  mech_class->step = missive_sasl_plain_step;
}

static void
missive_sasl_plain_init (MissiveSaslPlain *self)
{
}
