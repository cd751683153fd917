/* missive-openpgp-keyrings.c: keys from more than one GnuPG home
 *
 * MissiveCryptoContext:keyrings names GnuPG homes searched after the
 * context's own home. A name is looked up home by home, in order; the
 * first usable key wins. gpg works in one home per run, so:
 *
 * - the operation runs in the home of its signers (all signers must come
 *   from one home), or in the context's home when there are none;
 * - a recipient whose key lives in another home is exported from there
 *   (public part only) into a private temporary directory and handed to
 *   gpg with --recipient-file (GPGME's "--file" keyword), so no keyring
 *   is changed; its validity is checked in the home it came from.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "missive-openpgp-private.h"

static gboolean
key_usable (gpgme_key_t key,
            gboolean    for_signing)
{
  if (key->revoked || key->expired || key->disabled || key->invalid)
    return FALSE;
  return for_signing ? (key->can_sign && key->secret) : key->can_encrypt;
}

/* An e-mail address alone matches only that address ("<a@b>"), not every
 * user id that contains it. */
static char *
pattern_for (const char *name)
{
  if (strchr (name, '@') != NULL && strchr (name, '<') == NULL && strchr (name, ' ') == NULL)
    return g_strdup_printf ("<%s>", name);
  return g_strdup (name);
}

gboolean
missive_openpgp_lookup_key (MissiveOpenpgpOp  *op,
                            const char        *name,
                            gboolean           for_signing,
                            gpgme_key_t       *key_out,
                            GError           **error)
{
  g_autofree char *pattern = pattern_for (name);
  gpgme_key_t found = NULL, key = NULL;
  gpgme_error_t err;

  *key_out = NULL;
  err = gpgme_op_keylist_start (op->ctx, pattern, for_signing);
  while (err == 0 && (err = gpgme_op_keylist_next (op->ctx, &key)) == 0)
    {
      if (found == NULL && key_usable (key, for_signing))
        found = key;
      else
        gpgme_key_unref (key);
    }
  gpgme_op_keylist_end (op->ctx);
  if (err != 0 && gpgme_err_code (err) != GPG_ERR_EOF)
    {
      if (found != NULL)
        gpgme_key_unref (found);
      g_propagate_error (error, missive_openpgp_error (op, err, "Looking up keys"));
      return FALSE;
    }
  *key_out = found;
  return TRUE;
}

/* ---- the homes of one operation -------------------------------------------- */

struct _MissiveOpenpgpHomes
{
  MissiveOpenpgpOp *op;        /* not owned: the operation's context */
  GPtrArray *homes;            /* char *, [0] the context's (may be NULL) */
  GPtrArray *lookups;          /* MissiveOpenpgpOp *, one per home, lazily */
  guint op_home;               /* the home op->ctx works in */
  char *tmpdir;                /* recipient key files, removed at the end */
  GPtrArray *files;
};

MissiveOpenpgpHomes *
missive_openpgp_homes_new (MissiveOpenpgpOp *op)
{
  MissiveOpenpgpHomes *homes = g_new0 (MissiveOpenpgpHomes, 1);
  const char * const *keyrings = missive_crypto_context_get_keyrings (op->self);

  homes->op = op;
  homes->homes = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (homes->homes, g_strdup (missive_crypto_context_get_home_directory (op->self)));
  for (gsize i = 0; keyrings != NULL && keyrings[i] != NULL; i++)
    g_ptr_array_add (homes->homes, g_strdup (keyrings[i]));
  homes->lookups = g_ptr_array_new_with_free_func ((GDestroyNotify) missive_openpgp_op_free);
  g_ptr_array_set_size (homes->lookups, homes->homes->len);
  homes->files = g_ptr_array_new_with_free_func (g_free);
  return homes;
}

void
missive_openpgp_homes_free (MissiveOpenpgpHomes *homes)
{
  if (homes == NULL)
    return;
  for (guint i = 0; i < homes->files->len; i++)
    g_remove (g_ptr_array_index (homes->files, i));
  if (homes->tmpdir != NULL)
    g_rmdir (homes->tmpdir);
  g_free (homes->tmpdir);
  g_ptr_array_unref (homes->files);
  g_ptr_array_unref (homes->lookups);
  g_ptr_array_unref (homes->homes);
  g_free (homes);
}

guint
missive_openpgp_homes_count (MissiveOpenpgpHomes *homes)
{
  return homes->homes->len;
}

const char *
missive_openpgp_homes_get (MissiveOpenpgpHomes *homes,
                           guint                index)
{
  return g_ptr_array_index (homes->homes, index);
}

/* Moves the operation's GPGME context to home @index. */
gboolean
missive_openpgp_homes_use (MissiveOpenpgpHomes  *homes,
                           guint                 index,
                           GError              **error)
{
  gpgme_error_t err;

  if (index == homes->op_home)
    return TRUE;
  err = gpgme_ctx_set_engine_info (homes->op->ctx, GPGME_PROTOCOL_OpenPGP, NULL,
                                   g_ptr_array_index (homes->homes, index));
  if (err != 0)
    {
      g_propagate_error (error, missive_openpgp_error (homes->op, err, "Starting GnuPG"));
      return FALSE;
    }
  homes->op_home = index;
  return TRUE;
}

/* The GPGME context that looks keys up in home @index. */
static MissiveOpenpgpOp *
lookup_op (MissiveOpenpgpHomes  *homes,
           guint                 index,
           GError              **error)
{
  MissiveOpenpgpOp *op = g_ptr_array_index (homes->lookups, index);
  gpgme_error_t err;

  if (index == homes->op_home)
    return homes->op;
  if (op != NULL)
    return op;
  op = missive_openpgp_op_new (homes->op->self, homes->op->cancellable, error);
  if (op == NULL)
    return NULL;
  err = gpgme_ctx_set_engine_info (op->ctx, GPGME_PROTOCOL_OpenPGP, NULL,
                                   g_ptr_array_index (homes->homes, index));
  if (err != 0)
    {
      g_propagate_error (error, missive_openpgp_error (op, err, "Starting GnuPG"));
      missive_openpgp_op_free (op);
      return NULL;
    }
  g_ptr_array_index (homes->lookups, index) = op;
  return op;
}

/* Finds @name in the homes, in order: *@index is the home, *@key the key
 * (NULL with no error when no home has a usable one). */
static gboolean
find_in_homes (MissiveOpenpgpHomes  *homes,
               const char           *name,
               gboolean              for_signing,
               guint                *index,
               gpgme_key_t          *key,
               GError              **error)
{
  for (guint i = 0; i < homes->homes->len; i++)
    {
      MissiveOpenpgpOp *op = lookup_op (homes, i, error);

      if (op == NULL || !missive_openpgp_lookup_key (op, name, for_signing, key, error))
        return FALSE;
      if (*key != NULL)
        {
          *index = i;
          return TRUE;
        }
    }
  return TRUE;
}

static GError *
not_found (MissiveOpenpgpHomes *homes,
           const char          *name,
           gboolean             for_signing)
{
  const char *what = for_signing ? "to sign with" : "to encrypt to";

  if (homes->homes->len == 1)
    return g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND,
                        "No usable OpenPGP key %s was found for “%s”", what, name);
  return g_error_new (MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND,
                      "No usable OpenPGP key %s was found for “%s” in any of the %u GnuPG homes",
                      what, name, homes->homes->len);
}

gboolean
missive_openpgp_homes_find_signers (MissiveOpenpgpHomes  *homes,
                                    const char * const   *names,
                                    GPtrArray            *keys,
                                    GArray               *key_homes,
                                    GError              **error)
{
  for (gsize i = 0; names != NULL && names[i] != NULL; i++)
    {
      gpgme_key_t key = NULL;
      guint index = 0;

      if (!find_in_homes (homes, names[i], TRUE, &index, &key, error))
        return FALSE;
      if (key == NULL)
        {
          g_propagate_error (error, not_found (homes, names[i], TRUE));
          return FALSE;
        }
      g_ptr_array_add (keys, key);
      g_array_append_val (key_homes, index);
    }
  return TRUE;
}

/* The best validity any user id of @key has in its home. */
static gpgme_validity_t
key_validity (gpgme_key_t key)
{
  gpgme_validity_t best = GPGME_VALIDITY_UNKNOWN;

  for (gpgme_user_id_t uid = key->uids; uid != NULL; uid = uid->next)
    if (!uid->revoked && !uid->invalid && uid->validity > best)
      best = uid->validity;
  return best;
}

/* Exports the public key @key from @op's home into a new file. */
static char *
export_to_file (MissiveOpenpgpHomes  *homes,
                MissiveOpenpgpOp     *op,
                gpgme_key_t           key,
                GError              **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gpgme_data_t out;
  gpgme_error_t err;

  if (homes->tmpdir == NULL)
    {
      g_autoptr(GError) local = NULL;

      homes->tmpdir = g_dir_make_tmp ("missive-keys-XXXXXX", &local);
      if (homes->tmpdir == NULL)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                       "Encryption failed: cannot make a temporary directory: %s", local->message);
          return NULL;
        }
    }

  gpgme_set_armor (op->ctx, 0);
  gpgme_data_new (&out);
  err = gpgme_op_export (op->ctx, key->fpr, GPGME_EXPORT_MODE_MINIMAL, out);
  gpgme_set_armor (op->ctx, 1);
  bytes = missive_gpgme_data_steal_bytes (out);
  if (err != 0)
    {
      g_propagate_error (error, missive_openpgp_error (op, err, "Exporting a recipient's key"));
      return NULL;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND,
                   "Encryption failed: the key %s could not be exported", key->fpr);
      return NULL;
    }

  path = g_strdup_printf ("%s/key-%u.gpg", homes->tmpdir, homes->files->len);
  if (!g_file_set_contents_full (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 G_FILE_SET_CONTENTS_NONE, 0600, NULL))
    {
      g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_FAILED,
                   "Encryption failed: cannot write a recipient's key to %s", path);
      return NULL;
    }
  g_ptr_array_add (homes->files, g_strdup (path));
  return g_steal_pointer (&path);
}

gboolean
missive_openpgp_homes_find_recipients (MissiveOpenpgpHomes  *homes,
                                       const char * const   *names,
                                       GPtrArray            *keys,
                                       char                **recpstring,
                                       GError              **error)
{
  g_autoptr(GString) fprs = g_string_new (NULL);
  g_autoptr(GString) files = g_string_new (NULL);
  gboolean always_trust = missive_crypto_context_get_always_trust (homes->op->self);

  for (gsize i = 0; names != NULL && names[i] != NULL; i++)
    {
      gpgme_key_t key = NULL;
      guint index = 0;
      g_autofree char *path = NULL;

      if (!find_in_homes (homes, names[i], FALSE, &index, &key, error))
        return FALSE;
      if (key == NULL)
        {
          g_propagate_error (error, not_found (homes, names[i], FALSE));
          return FALSE;
        }
      g_ptr_array_add (keys, key);
      if (index == homes->op_home)
        {
          g_string_append_printf (fprs, "%s\n", key->fpr);
          continue;
        }
      /* gpg trusts a --recipient-file key blindly: ask its own home. */
      if (!always_trust && key_validity (key) < GPGME_VALIDITY_FULL)
        {
          g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_KEY_NOT_FOUND,
                       "Encryption failed: the key %s of “%s” is not valid in %s "
                       "(certify it there, or set always-trust)",
                       key->fpr, names[i], (const char *) g_ptr_array_index (homes->homes, index));
          return FALSE;
        }
      path = export_to_file (homes, lookup_op (homes, index, NULL), key, error);
      if (path == NULL)
        return FALSE;
      g_string_append_printf (files, "%s\n", path);
    }
  /* Every key in the operation's home: the plain key array does. */
  *recpstring = files->len == 0 ? NULL : g_strdup_printf ("%s--file\n%s", fprs->str, files->str);
  return TRUE;
}
