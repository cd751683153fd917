/* missive-crypto-context.h: the base of the OpenPGP and S/MIME backends
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>

G_BEGIN_DECLS

#define MISSIVE_TYPE_CRYPTO_CONTEXT (missive_crypto_context_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (MissiveCryptoContext, missive_crypto_context, MISSIVE, CRYPTO_CONTEXT, GObject)

/**
 * MissiveCryptoContextClass:
 * @parent_class: the parent class
 * @get_name: returns the backend's name, e.g. "openpgp" or "smime"
 *
 * The virtual methods of a crypto backend. The operations (sign, verify,
 * encrypt, decrypt, keys) are added by the crypto plugins' issue; until a
 * backend implements them they fail with %MISSIVE_ERROR_NOT_SUPPORTED.
 *
 * Since: 1.0
 */
struct _MissiveCryptoContextClass
{
  GObjectClass parent_class;

  const char *(*get_name) (MissiveCryptoContext *self);

  /*< private >*/
  gpointer padding[24];
};

MISSIVE_AVAILABLE_IN_1_0
const char *missive_crypto_context_get_name (MissiveCryptoContext *self);

G_END_DECLS
