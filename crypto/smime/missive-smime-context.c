/* missive-smime-context.c: the "smime" crypto backend
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include "missive-smime-private.h"

/**
 * MissiveSmimeContext:
 *
 * The S/MIME (RFC 8551) crypto backend, `smime`: X.509 certificates and
 * keys in a gpgsm home directory ([property@CryptoContext:home-directory],
 * or GnuPG's default), every operation done by gpgsm through GPGME's CMS
 * protocol.
 *
 * Messages are signed as multipart/signed with a detached
 * application/pkcs7-signature part (micalg from the digest gpgsm used),
 * or, with [property@SmimeContext:opaque-sign], as an
 * application/pkcs7-mime signed-data part; they are encrypted as an
 * application/pkcs7-mime enveloped-data part (signed first when signers
 * are given). Verification reports, for each signer, the certificate's
 * subject, e-mail, issuer, serial number, validity and chain.
 *
 * Passphrases: GPGME cannot give gpgsm a passphrase itself, so before an
 * operation that needs a protected secret key whose passphrase gpg-agent
 * has not cached, the backend emits
 * [signal@CryptoContext::passphrase-requested] and unlocks the key in
 * gpg-agent (loopback mode: the home directory's gpg-agent.conf needs
 * `allow-loopback-pinentry`, GnuPG's default). A wrong passphrase is asked
 * for again, three times at most.
 *
 * What GPGME does not let the backend choose: the digest and cipher
 * algorithms (gpgsm's digest-algo and cipher-algo options, in gpgsm.conf)
 * and symmetric encryption, which S/MIME through gpgsm lacks. Importing
 * or exporting a PKCS#12 bundle needs gpg-agent's pinentry (gpgsm asks
 * for the bundle's password there), certificates import and export
 * without one.
 */
struct _MissiveSmimeContext
{
  MissiveCryptoContext parent_instance;

  gboolean opaque_sign;
  int      include_certs;
};

enum {
  PROP_0,
  PROP_OPAQUE_SIGN,
  PROP_INCLUDE_CERTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_DYNAMIC_TYPE_EXTENDED (MissiveSmimeContext, missive_smime_context,
                                MISSIVE_TYPE_CRYPTO_CONTEXT, G_TYPE_FLAG_FINAL, {})

static const char *
missive_smime_context_get_name (MissiveCryptoContext *context)
{
  return "smime";
}

static void
missive_smime_context_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  MissiveSmimeContext *self = MISSIVE_SMIME_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_OPAQUE_SIGN:
      g_value_set_boolean (value, g_atomic_int_get (&self->opaque_sign));
      break;
    case PROP_INCLUDE_CERTS:
      g_value_set_int (value, g_atomic_int_get (&self->include_certs));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_smime_context_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  MissiveSmimeContext *self = MISSIVE_SMIME_CONTEXT (object);

  switch (prop_id)
    {
    case PROP_OPAQUE_SIGN:
      if (g_atomic_int_get (&self->opaque_sign) != g_value_get_boolean (value))
        {
          g_atomic_int_set (&self->opaque_sign, g_value_get_boolean (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_INCLUDE_CERTS:
      if (g_atomic_int_get (&self->include_certs) != g_value_get_int (value))
        {
          g_atomic_int_set (&self->include_certs, g_value_get_int (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
missive_smime_context_class_init (MissiveSmimeContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  MissiveCryptoContextClass *crypto_class = MISSIVE_CRYPTO_CONTEXT_CLASS (klass);

  object_class->get_property = missive_smime_context_get_property;
  object_class->set_property = missive_smime_context_set_property;

  crypto_class->get_name = missive_smime_context_get_name;
  crypto_class->sign = missive_smime_sign;
  crypto_class->encrypt = missive_smime_encrypt;
  crypto_class->decrypt = missive_smime_decrypt;
  crypto_class->verify = missive_smime_verify;
  crypto_class->list_keys = missive_smime_list_keys;
  crypto_class->import_keys = missive_smime_import_keys;
  crypto_class->export_keys = missive_smime_export_keys;

  /**
   * MissiveSmimeContext:opaque-sign:
   *
   * Whether signing makes an application/pkcs7-mime signed-data part
   * (the signed entity inside the signature: readable only by S/MIME
   * clients) instead of a multipart/signed (the default, readable by
   * everyone).
   */
  properties[PROP_OPAQUE_SIGN] =
    g_param_spec_boolean ("opaque-sign", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * MissiveSmimeContext:include-certs:
   *
   * How many certificates of the signer's chain a signature carries, as
   * gpgsm's --include-certs: -256 (the default) leaves gpgsm's choice,
   * -2 all but the root, -1 all, 0 none (the recipient must already have
   * the signer's certificate), 1 only the signer's, n up to n.
   */
  properties[PROP_INCLUDE_CERTS] =
    g_param_spec_int ("include-certs", NULL, NULL, -256, 64, GPGME_INCLUDE_CERTS_DEFAULT,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
missive_smime_context_class_finalize (MissiveSmimeContextClass *klass)
{
}

static void
missive_smime_context_init (MissiveSmimeContext *self)
{
  self->include_certs = GPGME_INCLUDE_CERTS_DEFAULT;
}

gboolean
missive_smime_context_get_opaque_sign (MissiveSmimeContext *self)
{
  return g_atomic_int_get (&self->opaque_sign);
}

/* TRUE (and the number) when include-certs is not GPGME's default. */
gboolean
missive_smime_context_get_include_certs_set (MissiveSmimeContext *self,
                                             int                 *include_certs)
{
  int value = g_atomic_int_get (&self->include_certs);

  *include_certs = value;
  return value != GPGME_INCLUDE_CERTS_DEFAULT;
}

void
missive_smime_context_register (GIOModule *module)
{
  /* GPGME must be initialised once before any other call. */
  gpgme_check_version (NULL);
  missive_smime_context_register_type (G_TYPE_MODULE (module));
  g_io_extension_point_implement (MISSIVE_CRYPTO_BACKEND_EXTENSION_POINT_NAME,
                                  MISSIVE_TYPE_SMIME_CONTEXT, "smime", 0);
}
