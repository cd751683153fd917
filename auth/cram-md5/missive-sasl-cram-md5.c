/* missive-sasl-cram-md5.c: the CRAM-MD5 SASL mechanism (RFC 2195)
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-sasl-cram-md5.h"

/* CRAM-MD5 is server-first: the server sends one challenge (in practice an
 * RFC 5322 msg-id such as "<1896.697170952@postoffice.reston.mci.net>") and
 * the client answers, in one message,
 *
 *   response = username SP digest
 *
 * where digest is the keyed MD5 (HMAC-MD5, RFC 2104) of the challenge with
 * the password as the key, written as 32 lowercase hexadecimal digits. The
 * password never crosses the wire, but the server must store it in clear
 * (or as the HMAC's intermediate state), and the exchange does not
 * authenticate the server. */

#define CRAM_MD5_MAX_CHALLENGE 4096

/**
 * MissiveSaslCramMd5:
 *
 * The CRAM-MD5 mechanism (RFC 2195), provided by the `cram-md5` plugin.
 * It needs the [property@SaslMechanism:username] and
 * [property@SaslMechanism:password] properties and answers exactly one
 * server challenge. Strength 30.
 *
 * Since: 1.0
 */
struct _MissiveSaslCramMd5
{
  MissiveSaslMechanism parent_instance;

  gboolean answered;
};

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveSaslCramMd5, missive_sasl_cram_md5,
                                MISSIVE_TYPE_SASL_MECHANISM, G_TYPE_FLAG_FINAL, {})

static const char *
missive_sasl_cram_md5_get_name (MissiveSaslMechanism *mech)
{
  return "CRAM-MD5";
}

static int
missive_sasl_cram_md5_get_strength (MissiveSaslMechanism *mech)
{
  return 30;
}

static MissiveSaslFlags
missive_sasl_cram_md5_get_flags (MissiveSaslMechanism *mech)
{
  return MISSIVE_SASL_FLAG_NEEDS_PASSWORD;
}

static GBytes *
missive_sasl_cram_md5_step (MissiveSaslMechanism  *mech,
                            GBytes                *challenge,
                            GError               **error)
{
  MissiveSaslCramMd5 *self = MISSIVE_SASL_CRAM_MD5 (mech);
  const char *username = missive_sasl_mechanism_get_username (mech);
  const char *password = missive_sasl_mechanism_get_password (mech);
  g_autofree char *digest = NULL;
  const guint8 *data;
  gsize length = 0;
  char *response;

  if (self->answered)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent a second CRAM-MD5 challenge");
      return NULL;
    }

  if (challenge == NULL)
    {
      /* The driver only asks for an initial response from client-first
       * mechanisms; CRAM-MD5 has none. */
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "CRAM-MD5 has no initial response");
      return NULL;
    }

  data = g_bytes_get_data (challenge, &length);
  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                           "The server sent an empty CRAM-MD5 challenge");
      return NULL;
    }
  if (length > CRAM_MD5_MAX_CHALLENGE)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_PROTOCOL,
                   "The CRAM-MD5 challenge is too long (%" G_GSIZE_FORMAT " bytes)",
                   length);
      return NULL;
    }

  if (username == NULL || *username == '\0')
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "No username for CRAM-MD5 authentication");
      return NULL;
    }
  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "No password for CRAM-MD5 authentication");
      return NULL;
    }
  if (!g_utf8_validate (username, -1, NULL))
    {
      g_set_error_literal (error, MISSIVE_ERROR, MISSIVE_ERROR_INVALID_ARGUMENT,
                           "The username for CRAM-MD5 is not valid UTF-8");
      return NULL;
    }

  /* GLib's HMAC writes lowercase hex, as RFC 2195 requires. */
  digest = g_compute_hmac_for_data (G_CHECKSUM_MD5,
                                    (const guchar *) password, strlen (password),
                                    data, length);

  response = g_strconcat (username, " ", digest, NULL);
  self->answered = TRUE;
  missive_sasl_mechanism_set_complete (mech, TRUE);
  return g_bytes_new_take (response, strlen (response));
}

static void
missive_sasl_cram_md5_reset (MissiveSaslMechanism *mech)
{
  MISSIVE_SASL_CRAM_MD5 (mech)->answered = FALSE;
}

static void
missive_sasl_cram_md5_class_init (MissiveSaslCramMd5Class *klass)
{
  MissiveSaslMechanismClass *mech_class = MISSIVE_SASL_MECHANISM_CLASS (klass);

  mech_class->get_name = missive_sasl_cram_md5_get_name;
  mech_class->get_strength = missive_sasl_cram_md5_get_strength;
  mech_class->get_flags = missive_sasl_cram_md5_get_flags;
  mech_class->step = missive_sasl_cram_md5_step;
  mech_class->reset = missive_sasl_cram_md5_reset;
}

static void
missive_sasl_cram_md5_class_finalize (MissiveSaslCramMd5Class *klass)
{
}

static void
missive_sasl_cram_md5_init (MissiveSaslCramMd5 *self)
{
}

/* Registers the type with @module and adds it to the SASL mechanism
 * extension point. */
void
missive_sasl_cram_md5_register (GIOModule *module)
{
  missive_plugin_ensure_extension_points ();
  missive_sasl_cram_md5_register_type (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_SASL_MECHANISM_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_SASL_CRAM_MD5, "CRAM-MD5", 30);
}
