/* missive-smime-agent.c: asking the application for S/MIME passphrases
 *
 * GPGME cannot put gpgsm into loopback pinentry mode (its CMS engine has
 * no such option), so a protected secret key would make gpg-agent start
 * its own pinentry. Instead, before an operation that needs a secret key,
 * the backend asks gpg-agent itself (GPGME's Assuan protocol, on the
 * agent's socket of the same home directory) whether the key is protected
 * and its passphrase not cached. If so it emits passphrase-requested and
 * unlocks the key in the agent's loopback mode with a throwaway signature
 * (PKSIGN over a zero digest): the agent checks the passphrase, reports a
 * wrong one (asked again, at most MISSIVE_SMIME_PASSPHRASE_ATTEMPTS
 * times) and caches a right one, which gpgsm then finds.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <string.h>

#include "missive-smime-private.h"

typedef struct
{
  const char *passphrase;   /* the answer to INQUIRE PASSPHRASE */
  gboolean    found;        /* KEYINFO: a status line was seen */
  gboolean    protected;    /* KEYINFO: protection "P" */
  gboolean    cached;       /* KEYINFO: the passphrase is cached */
} AgentCall;

static gpgme_error_t
agent_inquire_cb (void         *opaque,
                  const char   *name,
                  const char   *args,
                  gpgme_data_t *r_data)
{
  AgentCall *call = opaque;

  if (name == NULL)
    {
      /* GPGME is done with the data it got from us. */
      if (*r_data != NULL)
        gpgme_data_release (*r_data);
      *r_data = NULL;
      return 0;
    }
  if (strcmp (name, "PASSPHRASE") == 0 && call->passphrase != NULL)
    {
      /* copy=0: no second copy of the secret; ours outlives the call. */
      return gpgme_data_new_from_mem (r_data, call->passphrase,
                                      strlen (call->passphrase), 0);
    }
  return 0;
}

static gpgme_error_t
agent_status_cb (void       *opaque,
                 const char *status,
                 const char *args)
{
  AgentCall *call = opaque;
  g_auto(GStrv) fields = NULL;

  if (strcmp (status, "KEYINFO") != 0 || args == NULL)
    return 0;
  /* KEYGRIP TYPE SERIALNO IDSTR CACHED PROTECTION FPR TTL FLAGS */
  fields = g_strsplit (args, " ", 0);
  if (g_strv_length (fields) >= 6)
    {
      call->found = TRUE;
      call->cached = strcmp (fields[4], "1") == 0;
      call->protected = strcmp (fields[5], "P") == 0;
    }
  return 0;
}

static gpgme_error_t
agent_transact (gpgme_ctx_t  agent,
                const char  *command,
                AgentCall   *call)
{
  gpgme_error_t op_err = 0;
  gpgme_error_t err;

  err = gpgme_op_assuan_transact_ext (agent, command, NULL, NULL,
                                      agent_inquire_cb, call,
                                      agent_status_cb, call, &op_err);
  return err != 0 ? err : op_err;
}

/* gpgconf --homedir HOME --list-dirs NAME (or --launch gpg-agent). */
static char *
run_gpgconf (const char *home,
             const char *argument,
             const char *value,
             GError    **error)
{
  const char *gpgconf = gpgme_get_dirinfo ("gpgconf-name");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  int status = 0;

  g_ptr_array_add (argv, (char *) (gpgconf != NULL ? gpgconf : "gpgconf"));
  if (home != NULL)
    {
      g_ptr_array_add (argv, (char *) "--homedir");
      g_ptr_array_add (argv, (char *) home);
    }
  g_ptr_array_add (argv, (char *) argument);
  g_ptr_array_add (argv, (char *) value);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, error))
    return NULL;
  if (!g_spawn_check_wait_status (status, error))
    return NULL;
  return g_strstrip (g_steal_pointer (&out));
}

static gpgme_ctx_t
agent_connect (const char *home,
               GError    **error)
{
  g_autofree char *socket_path = NULL;
  gpgme_ctx_t agent = NULL;
  gpgme_error_t err;
  AgentCall call = { 0 };

  socket_path = run_gpgconf (home, "--list-dirs", "agent-socket", error);
  if (socket_path == NULL)
    return NULL;

  for (int attempt = 0; attempt < 2; attempt++)
    {
      err = gpgme_new (&agent);
      if (!err)
        err = gpgme_set_protocol (agent, GPGME_PROTOCOL_ASSUAN);
      if (!err)
        err = gpgme_ctx_set_engine_info (agent, GPGME_PROTOCOL_ASSUAN,
                                         socket_path, home);
      /* The first command connects. */
      if (!err)
        err = agent_transact (agent, "GETINFO version", &call);
      if (!err)
        return agent;
      if (agent != NULL)
        gpgme_release (agent);
      agent = NULL;
      if (attempt == 0)
        {
          g_autofree char *ignored = run_gpgconf (home, "--launch", "gpg-agent", NULL);
        }
    }
  missive_smime_set_error (error, err, MISSIVE_ERROR_FAILED,
                           "Could not reach gpg-agent to unlock the S/MIME key");
  return NULL;
}

/* Unlocks one key, asking for its passphrase; TRUE when it is usable now. */
static gboolean
unlock_key (MissiveSmimeContext *self,
            gpgme_ctx_t          agent,
            gpgme_key_t          key,
            GCancellable        *cancellable,
            GError             **error)
{
  MissiveCryptoContext *context = MISSIVE_CRYPTO_CONTEXT (self);
  const char *grip = key->subkeys->keygrip;
  g_autofree char *keyinfo = g_strdup_printf ("KEYINFO %s", grip);
  g_autofree char *sigkey = g_strdup_printf ("SIGKEY %s", grip);
  g_autofree char *description = missive_smime_key_describe (key);
  AgentCall call = { 0 };
  gpgme_error_t err;

  err = agent_transact (agent, keyinfo, &call);
  if (err || !call.found || !call.protected || call.cached)
    return TRUE;   /* unknown to the agent (a smartcard?), clear or cached */

  err = agent_transact (agent, "OPTION pinentry-mode=loopback", &call);
  if (missive_smime_set_error (error, err, MISSIVE_ERROR_FAILED,
                               "gpg-agent refused loopback passphrase entry "
                               "(allow-loopback-pinentry is off)"))
    return FALSE;

  for (int attempt = 0; attempt < MISSIVE_SMIME_PASSPHRASE_ATTEMPTS; attempt++)
    {
      char *passphrase;

      passphrase = missive_crypto_context_request_passphrase (context, key->subkeys->fpr,
                                                              description, attempt > 0,
                                                              cancellable);
      if (missive_smime_check_cancelled (cancellable, error))
        {
          missive_sasl_secret_free (passphrase);
          return FALSE;
        }
      if (passphrase == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       "No passphrase was given for the S/MIME key of %s",
                       description != NULL ? description : key->subkeys->fpr);
          return FALSE;
        }
      err = agent_transact (agent, sigkey, &call);
      if (!err)
        err = agent_transact (agent, "SETHASH --hash=sha256 "
                              "0000000000000000000000000000000000000000000000000000000000000000",
                              &call);
      if (!err)
        {
          call.passphrase = passphrase;
          err = agent_transact (agent, "PKSIGN", &call);
          call.passphrase = NULL;
        }
      missive_sasl_secret_free (passphrase);
      if (!err)
        return TRUE;
      if (gpgme_err_code (err) != GPG_ERR_BAD_PASSPHRASE)
        {
          missive_smime_set_error (error, err, MISSIVE_ERROR_FAILED,
                                   "Could not unlock the S/MIME key");
          return FALSE;
        }
    }
  g_set_error (error, MISSIVE_ERROR, MISSIVE_ERROR_BAD_PASSPHRASE,
               "Wrong passphrase for the S/MIME key of %s (%d attempts)",
               description != NULL ? description : key->subkeys->fpr,
               MISSIVE_SMIME_PASSPHRASE_ATTEMPTS);
  return FALSE;
}

/* Makes sure the secret keys of @keys (gpgme_key_t) can be used without
 * a pinentry, asking the application for the passphrases it needs. */
gboolean
missive_smime_unlock_keys (MissiveSmimeContext *self,
                           GPtrArray           *keys,
                           GCancellable        *cancellable,
                           GError             **error)
{
  g_autofree char *home = NULL;
  gpgme_ctx_t agent = NULL;
  gboolean ok = TRUE;

  home = g_strdup (missive_crypto_context_get_home_directory (MISSIVE_CRYPTO_CONTEXT (self)));
  if (home != NULL && *home == '\0')
    g_clear_pointer (&home, g_free);

  for (guint i = 0; ok && i < keys->len; i++)
    {
      gpgme_key_t key = g_ptr_array_index (keys, i);

      if (key->subkeys == NULL || key->subkeys->keygrip == NULL)
        continue;
      if (agent == NULL)
        {
          agent = agent_connect (home, error);
          if (agent == NULL)
            return FALSE;
        }
      ok = unlock_key (self, agent, key, cancellable, error);
    }
  if (agent != NULL)
    gpgme_release (agent);
  return ok;
}
