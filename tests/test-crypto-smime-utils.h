/* test-crypto-smime-utils.h: set-up and helpers of test-crypto-smime
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <missive/missive.h>

#define BOB_PASSPHRASE "bob-passphrase"
#define BODY_TEXT "Hello Bob,\n\nthis is a test of S/MIME: \xc3\xa9t\xc3\xa9.\n-- \nAlice\n"

/* The set-up's directory and its gpgsm homes (see crypto-smime-setup.sh). */
extern char *tmp_dir;
extern char *home_dir;
extern char *other_dir;
extern char *empty_dir;
extern char *certs_dir;

gboolean              smime_test_setup     (void);
void                  smime_test_teardown  (void);

gboolean              run_command          (const char * const *argv,
                                            char              **out,
                                            int                *exit_status);
void                  forget_passphrases   (void);
char                 *cert_file            (const char         *name);
MissiveCryptoContext *new_context          (const char         *home);
GMimeMessage         *new_message          (void);
char                 *message_to_string    (GMimeMessage       *message);
GMimeMessage         *message_from_string  (const char         *text);
GMimeMessage         *transmit             (GMimeMessage       *message);
char                 *body_text            (GMimeMessage       *message);
void                  write_file           (const char         *path,
                                            const char         *data,
                                            gssize              length);
GBytes               *part_content         (GMimeObject        *object);
MissiveSignature     *only_signature       (GListModel         *signatures);
char                 *fingerprint_of       (const char         *home,
                                            const char         *pattern);

/* A passphrase-requested handler with scripted answers. */
typedef struct
{
  const char *answers[4];   /* NULL: answer nothing */
  guint       calls;
  gboolean    previous_bad[8];
  char       *key_id;
  char       *user_id;
} Asker;

char                 *on_passphrase        (MissiveCryptoContext *ctx,
                                            const char           *key_id,
                                            const char           *user_id,
                                            gboolean              previous_was_bad,
                                            gpointer              user_data);
void                  asker_clear          (Asker                *asker);
