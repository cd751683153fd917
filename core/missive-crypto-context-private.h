/* missive-crypto-context-private.h: shared by the crypto context's files
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

G_BEGIN_DECLS

/* Set in an operation's worker thread (NULL when it ends): the main
 * context passphrase requests are sent to. */
void missive_crypto_context_set_operation_context (GMainContext *context);

/* An operation of MissiveCryptoContext (see missive-crypto-context-ops.c):
 * the public functions fill in an OpArgs, the core runs the backend's
 * virtual method in a worker thread with a CryptoOp. */
typedef enum
{
  OP_SIGN,
  OP_ENCRYPT,
  OP_DECRYPT,
  OP_VERIFY,
  OP_LIST_KEYS,
  OP_IMPORT_KEYS,
  OP_EXPORT_KEYS,
} OpKind;

/* The arguments of any operation, as the public functions get them. */
typedef struct
{
  OpKind kind;
  gpointer tag;
  GMimeMessage *message;
  const char * const *signers;
  const char * const *recipients;
  MissiveCryptoFlags flags;
  gboolean sign;             /* encrypt: sign as well */
  gboolean flag;             /* decrypt: verify; list: secret only; export: secret */
  const char *pattern;
  const char * const *patterns;
  GBytes *data;
} OpArgs;

typedef struct
{
  OpKind kind;
  GMainContext *context;
  GMimeMessage *message;
  char **signers;
  char **recipients;
  MissiveCryptoFlags flags;
  gboolean flag;
  char *pattern;
  char **patterns;
  GBytes *data;

  GMimeMessage *out_message;
  MissiveDecryptResult *decrypt_result;
  GListModel *list;
  char **fingerprints;
  GBytes *out_data;
} CryptoOp;

void          missive_crypto_op_start    (MissiveCryptoContext  *self,
                                          const OpArgs          *args,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data);
CryptoOp     *missive_crypto_op_finish   (MissiveCryptoContext  *self,
                                          GAsyncResult          *result,
                                          gpointer               tag,
                                          GError               **error);
GAsyncResult *missive_crypto_op_run_sync (MissiveCryptoContext  *self,
                                          const OpArgs          *args,
                                          GCancellable          *cancellable);

/* missive-opened-message.c */
MissiveOpenedMessage *missive_opened_message_new (GMimeMessage         *message,
                                                  GListModel           *signatures,
                                                  MissiveDecryptResult *decrypt_result);

G_END_DECLS
