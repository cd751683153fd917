/* missive-crypto-context.h: the base of the OpenPGP and S/MIME backends
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <gmime/gmime.h>
#include <missive/missive-types.h>
#include <missive/missive-crypto-key.h>
#include <missive/missive-signature.h>
#include <missive/missive-decrypt-result.h>
#include <missive/missive-opened-message.h>
#include <missive/missive-autocrypt.h>

G_BEGIN_DECLS

/**
 * MissiveCryptoFlags:
 * @MISSIVE_CRYPTO_FLAGS_NONE: the default: the MIME form of the backend
 *   (PGP/MIME, RFC 3156, or S/MIME, RFC 8551)
 * @MISSIVE_CRYPTO_FLAGS_INLINE: OpenPGP only: sign (clear-signed text) or
 *   encrypt (ASCII armour) the text body in place instead of wrapping the
 *   message in a multipart/signed or multipart/encrypted part
 * @MISSIVE_CRYPTO_FLAGS_SYMMETRIC: encrypt with a passphrase (asked with
 *   [signal@CryptoContext::passphrase-requested]) instead of, or with
 *   recipients' keys as well as, the public keys of recipients
 * @MISSIVE_CRYPTO_FLAGS_NO_DEFAULT_RECIPIENTS: do not take the recipients
 *   from the message's To, Cc and Bcc when none are given
 *
 * Options of one sign or encrypt operation.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  MISSIVE_CRYPTO_FLAGS_NONE                  = 0,
  MISSIVE_CRYPTO_FLAGS_INLINE                = 1 << 0,
  MISSIVE_CRYPTO_FLAGS_SYMMETRIC             = 1 << 1,
  MISSIVE_CRYPTO_FLAGS_NO_DEFAULT_RECIPIENTS = 1 << 2,
} MissiveCryptoFlags;

#define MISSIVE_TYPE_CRYPTO_CONTEXT (missive_crypto_context_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_DERIVABLE_TYPE (MissiveCryptoContext, missive_crypto_context, MISSIVE, CRYPTO_CONTEXT, GObject)

/**
 * MissiveCryptoContextClass:
 * @parent_class: the parent class
 * @get_name: returns the backend's name, e.g. "openpgp" or "smime"
 * @sign: signs @message for @signers (never empty); returns a new message
 * @encrypt: encrypts @message to @recipients (never empty unless
 *   %MISSIVE_CRYPTO_FLAGS_SYMMETRIC is given), and signs it too when
 *   @signers is not %NULL; returns a new message
 * @decrypt: decrypts @message, and verifies the signatures inside when
 *   @verify is %TRUE; returns the decrypted message and sets @result
 * @verify: checks the signatures of @message; returns them and sets
 *   @content to the message without its signature
 * @list_keys: lists the keys that match @pattern (or all when %NULL)
 * @import_keys: imports keys, returns the fingerprints of those found
 * @export_keys: exports the keys that match @patterns
 *
 * The virtual methods of a crypto backend. Every operation is called in a
 * worker thread (the core runs it in a #GTask thread and gives the
 * results back on the caller's main context), so a backend writes each
 * one as a plain blocking function. The core has already checked the
 * arguments, filled in the default signers and recipients (see
 * [method@CryptoContext.sign] and [method@CryptoContext.encrypt]) and
 * added the encrypt-to-self key. To ask for a passphrase a backend calls
 * missive_crypto_context_request_passphrase() (see
 * `<missive/missive-crypto-backend.h>`), which emits
 * [signal@CryptoContext::passphrase-requested] on the caller's main
 * context and waits for the answer. An operation a backend does not
 * implement fails with %MISSIVE_ERROR_NOT_SUPPORTED.
 *
 * Since: 1.0
 */
struct _MissiveCryptoContextClass
{
  GObjectClass parent_class;

  const char   *(*get_name)    (MissiveCryptoContext  *self);

  GMimeMessage *(*sign)        (MissiveCryptoContext  *self,
                                GMimeMessage          *message,
                                const char * const    *signers,
                                MissiveCryptoFlags     flags,
                                GCancellable          *cancellable,
                                GError               **error);
  GMimeMessage *(*encrypt)     (MissiveCryptoContext  *self,
                                GMimeMessage          *message,
                                const char * const    *signers,
                                const char * const    *recipients,
                                MissiveCryptoFlags     flags,
                                GCancellable          *cancellable,
                                GError               **error);
  GMimeMessage *(*decrypt)     (MissiveCryptoContext  *self,
                                GMimeMessage          *message,
                                gboolean               verify,
                                MissiveDecryptResult **result,
                                GCancellable          *cancellable,
                                GError               **error);
  GListModel   *(*verify)      (MissiveCryptoContext  *self,
                                GMimeMessage          *message,
                                GMimeMessage         **content,
                                GCancellable          *cancellable,
                                GError               **error);
  GListModel   *(*list_keys)   (MissiveCryptoContext  *self,
                                const char            *pattern,
                                gboolean               secret_only,
                                GCancellable          *cancellable,
                                GError               **error);
  char        **(*import_keys) (MissiveCryptoContext  *self,
                                GBytes                *data,
                                GCancellable          *cancellable,
                                GError               **error);
  GBytes       *(*export_keys) (MissiveCryptoContext  *self,
                                const char * const    *patterns,
                                gboolean               secret,
                                GCancellable          *cancellable,
                                GError               **error);

  /*< private >*/
  gpointer padding[16];
};

MISSIVE_AVAILABLE_IN_1_0
const char *missive_crypto_context_get_name             (MissiveCryptoContext *self);

/* Settings. */
MISSIVE_AVAILABLE_IN_1_0
const char *missive_crypto_context_get_home_directory   (MissiveCryptoContext *self);
MISSIVE_AVAILABLE_IN_1_0
void        missive_crypto_context_set_home_directory   (MissiveCryptoContext *self,
                                                         const char           *home_directory);
MISSIVE_AVAILABLE_IN_1_0
const char * const *missive_crypto_context_get_keyrings (MissiveCryptoContext *self);
MISSIVE_AVAILABLE_IN_1_0
void        missive_crypto_context_set_keyrings         (MissiveCryptoContext *self,
                                                         const char * const   *keyrings);
MISSIVE_AVAILABLE_IN_1_0
void        missive_crypto_context_add_keyring          (MissiveCryptoContext *self,
                                                         const char           *home_directory);
MISSIVE_AVAILABLE_IN_1_0
gboolean    missive_crypto_context_get_armor            (MissiveCryptoContext *self);
MISSIVE_AVAILABLE_IN_1_0
void        missive_crypto_context_set_armor            (MissiveCryptoContext *self,
                                                         gboolean              armor);
MISSIVE_AVAILABLE_IN_1_0
gboolean    missive_crypto_context_get_always_trust     (MissiveCryptoContext *self);
MISSIVE_AVAILABLE_IN_1_0
void        missive_crypto_context_set_always_trust     (MissiveCryptoContext *self,
                                                         gboolean              always_trust);
MISSIVE_AVAILABLE_IN_1_0
gboolean    missive_crypto_context_get_encrypt_to_self  (MissiveCryptoContext *self);
MISSIVE_AVAILABLE_IN_1_0
void        missive_crypto_context_set_encrypt_to_self  (MissiveCryptoContext *self,
                                                         gboolean              encrypt_to_self);
MISSIVE_AVAILABLE_IN_1_0
const char *missive_crypto_context_get_default_key      (MissiveCryptoContext *self);
MISSIVE_AVAILABLE_IN_1_0
void        missive_crypto_context_set_default_key      (MissiveCryptoContext *self,
                                                         const char           *default_key);
MISSIVE_AVAILABLE_IN_1_0
const char *missive_crypto_context_get_digest_algorithm (MissiveCryptoContext *self);
MISSIVE_AVAILABLE_IN_1_0
void        missive_crypto_context_set_digest_algorithm (MissiveCryptoContext *self,
                                                         const char           *algorithm);
MISSIVE_AVAILABLE_IN_1_0
const char *missive_crypto_context_get_cipher_algorithm (MissiveCryptoContext *self);
MISSIVE_AVAILABLE_IN_1_0
void        missive_crypto_context_set_cipher_algorithm (MissiveCryptoContext *self,
                                                          const char           *algorithm);

MISSIVE_AVAILABLE_IN_1_0
void          missive_crypto_context_sign_async          (MissiveCryptoContext  *self,
                                                          GMimeMessage          *message,
                                                          const char * const    *signers,
                                                          MissiveCryptoFlags     flags,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
MISSIVE_AVAILABLE_IN_1_0
GMimeMessage *missive_crypto_context_sign_finish         (MissiveCryptoContext  *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);
MISSIVE_AVAILABLE_IN_1_0
GMimeMessage *missive_crypto_context_sign                (MissiveCryptoContext  *self,
                                                          GMimeMessage          *message,
                                                          const char * const    *signers,
                                                          MissiveCryptoFlags     flags,
                                                          GCancellable          *cancellable,
                                                          GError               **error);

MISSIVE_AVAILABLE_IN_1_0
void          missive_crypto_context_verify_async        (MissiveCryptoContext  *self,
                                                          GMimeMessage          *message,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
MISSIVE_AVAILABLE_IN_1_0
GListModel   *missive_crypto_context_verify_finish       (MissiveCryptoContext  *self,
                                                          GAsyncResult          *result,
                                                          GMimeMessage         **content,
                                                          GError               **error);
MISSIVE_AVAILABLE_IN_1_0
GListModel   *missive_crypto_context_verify              (MissiveCryptoContext  *self,
                                                          GMimeMessage          *message,
                                                          GMimeMessage         **content,
                                                          GCancellable          *cancellable,
                                                          GError               **error);

MISSIVE_AVAILABLE_IN_1_0
void          missive_crypto_context_encrypt_async       (MissiveCryptoContext  *self,
                                                          GMimeMessage          *message,
                                                          const char * const    *recipients,
                                                          MissiveCryptoFlags     flags,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
MISSIVE_AVAILABLE_IN_1_0
GMimeMessage *missive_crypto_context_encrypt_finish      (MissiveCryptoContext  *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);
MISSIVE_AVAILABLE_IN_1_0
GMimeMessage *missive_crypto_context_encrypt             (MissiveCryptoContext  *self,
                                                          GMimeMessage          *message,
                                                          const char * const    *recipients,
                                                          MissiveCryptoFlags     flags,
                                                          GCancellable          *cancellable,
                                                          GError               **error);

MISSIVE_AVAILABLE_IN_1_0
void          missive_crypto_context_decrypt_async       (MissiveCryptoContext  *self,
                                                          GMimeMessage          *message,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
MISSIVE_AVAILABLE_IN_1_0
GMimeMessage *missive_crypto_context_decrypt_finish      (MissiveCryptoContext  *self,
                                                          GAsyncResult          *result,
                                                          MissiveDecryptResult **decrypt_result,
                                                          GError               **error);
MISSIVE_AVAILABLE_IN_1_0
GMimeMessage *missive_crypto_context_decrypt             (MissiveCryptoContext  *self,
                                                          GMimeMessage          *message,
                                                          MissiveDecryptResult **decrypt_result,
                                                          GCancellable          *cancellable,
                                                          GError               **error);

MISSIVE_AVAILABLE_IN_1_0
void          missive_crypto_context_sign_and_encrypt_async (MissiveCryptoContext  *self,
                                                          GMimeMessage          *message,
                                                          const char * const    *signers,
                                                          const char * const    *recipients,
                                                          MissiveCryptoFlags     flags,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
MISSIVE_AVAILABLE_IN_1_0
GMimeMessage *missive_crypto_context_sign_and_encrypt_finish (MissiveCryptoContext  *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);
MISSIVE_AVAILABLE_IN_1_0
GMimeMessage *missive_crypto_context_sign_and_encrypt    (MissiveCryptoContext  *self,
                                                          GMimeMessage          *message,
                                                          const char * const    *signers,
                                                          const char * const    *recipients,
                                                          MissiveCryptoFlags     flags,
                                                          GCancellable          *cancellable,
                                                          GError               **error);

MISSIVE_AVAILABLE_IN_1_0
void          missive_crypto_context_decrypt_and_verify_async (MissiveCryptoContext  *self,
                                                          GMimeMessage          *message,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
MISSIVE_AVAILABLE_IN_1_0
GMimeMessage *missive_crypto_context_decrypt_and_verify_finish (MissiveCryptoContext  *self,
                                                          GAsyncResult          *result,
                                                          MissiveDecryptResult **decrypt_result,
                                                          GError               **error);
MISSIVE_AVAILABLE_IN_1_0
GMimeMessage *missive_crypto_context_decrypt_and_verify  (MissiveCryptoContext  *self,
                                                          GMimeMessage          *message,
                                                          MissiveDecryptResult **decrypt_result,
                                                          GCancellable          *cancellable,
                                                          GError               **error);

MISSIVE_AVAILABLE_IN_1_0
void          missive_crypto_context_list_keys_async     (MissiveCryptoContext  *self,
                                                          const char            *pattern,
                                                          gboolean               secret_only,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
MISSIVE_AVAILABLE_IN_1_0
GListModel   *missive_crypto_context_list_keys_finish    (MissiveCryptoContext  *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);
MISSIVE_AVAILABLE_IN_1_0
GListModel   *missive_crypto_context_list_keys           (MissiveCryptoContext  *self,
                                                          const char            *pattern,
                                                          gboolean               secret_only,
                                                          GCancellable          *cancellable,
                                                          GError               **error);

MISSIVE_AVAILABLE_IN_1_0
void          missive_crypto_context_import_keys_async   (MissiveCryptoContext  *self,
                                                          GBytes                *data,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
MISSIVE_AVAILABLE_IN_1_0
char        **missive_crypto_context_import_keys_finish  (MissiveCryptoContext  *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);
MISSIVE_AVAILABLE_IN_1_0
char        **missive_crypto_context_import_keys         (MissiveCryptoContext  *self,
                                                          GBytes                *data,
                                                          GCancellable          *cancellable,
                                                          GError               **error);

MISSIVE_AVAILABLE_IN_1_0
void          missive_crypto_context_export_keys_async   (MissiveCryptoContext  *self,
                                                          const char * const    *patterns,
                                                          gboolean               secret,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
MISSIVE_AVAILABLE_IN_1_0
GBytes       *missive_crypto_context_export_keys_finish  (MissiveCryptoContext  *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);
MISSIVE_AVAILABLE_IN_1_0
GBytes       *missive_crypto_context_export_keys         (MissiveCryptoContext  *self,
                                                          const char * const    *patterns,
                                                          gboolean               secret,
                                                          GCancellable          *cancellable,
                                                          GError               **error);

/* Checks without decrypting, and opening a received message. */
MISSIVE_AVAILABLE_IN_1_0
gboolean      missive_crypto_message_is_encrypted        (GMimeMessage          *message);
MISSIVE_AVAILABLE_IN_1_0
gboolean      missive_crypto_message_is_signed           (GMimeMessage          *message);

MISSIVE_AVAILABLE_IN_1_0
void          missive_crypto_context_open_message_async  (MissiveCryptoContext  *self,
                                                          GMimeMessage          *message,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveOpenedMessage *missive_crypto_context_open_message_finish (MissiveCryptoContext  *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);
MISSIVE_AVAILABLE_IN_1_0
MissiveOpenedMessage *missive_crypto_context_open_message (MissiveCryptoContext  *self,
                                                          GMimeMessage          *message,
                                                          GCancellable          *cancellable,
                                                          GError               **error);

/* Autocrypt (Level 1): the header of an outgoing message. */
MISSIVE_AVAILABLE_IN_1_0
void          missive_crypto_context_get_autocrypt_header_async (MissiveCryptoContext  *self,
                                                          const char            *addr,
                                                          gboolean               prefer_encrypt,
                                                          GCancellable          *cancellable,
                                                          GAsyncReadyCallback    callback,
                                                          gpointer               user_data);
MISSIVE_AVAILABLE_IN_1_0
MissiveAutocryptHeader *missive_crypto_context_get_autocrypt_header_finish (MissiveCryptoContext  *self,
                                                          GAsyncResult          *result,
                                                          GError               **error);
MISSIVE_AVAILABLE_IN_1_0
MissiveAutocryptHeader *missive_crypto_context_get_autocrypt_header (MissiveCryptoContext  *self,
                                                          const char            *addr,
                                                          gboolean               prefer_encrypt,
                                                          GCancellable          *cancellable,
                                                          GError               **error);

G_END_DECLS
