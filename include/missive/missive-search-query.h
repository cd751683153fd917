/* missive-search-query.h: search criteria for a store
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined(__MISSIVE_H_INSIDE__) && !defined(MISSIVE_COMPILATION)
#error "Only <missive/missive.h> can be included directly."
#endif

#include <missive/missive-types.h>
#include <missive/missive-message-set.h>

G_BEGIN_DECLS

/**
 * MissiveSearchField:
 * @MISSIVE_SEARCH_FIELD_FROM: the From header
 * @MISSIVE_SEARCH_FIELD_TO: the To header
 * @MISSIVE_SEARCH_FIELD_CC: the Cc header
 * @MISSIVE_SEARCH_FIELD_BCC: the Bcc header
 * @MISSIVE_SEARCH_FIELD_SUBJECT: the Subject header
 * @MISSIVE_SEARCH_FIELD_BODY: the body of the message
 * @MISSIVE_SEARCH_FIELD_TEXT: the header and the body
 *
 * Where [method@SearchQuery.add_text] looks for its text.
 *
 * Since: 1.0
 */
typedef enum
{
  MISSIVE_SEARCH_FIELD_FROM,
  MISSIVE_SEARCH_FIELD_TO,
  MISSIVE_SEARCH_FIELD_CC,
  MISSIVE_SEARCH_FIELD_BCC,
  MISSIVE_SEARCH_FIELD_SUBJECT,
  MISSIVE_SEARCH_FIELD_BODY,
  MISSIVE_SEARCH_FIELD_TEXT,
} MissiveSearchField;

/**
 * MissiveSearchDate:
 * @MISSIVE_SEARCH_DATE_BEFORE: received before the day
 * @MISSIVE_SEARCH_DATE_ON: received on the day
 * @MISSIVE_SEARCH_DATE_SINCE: received on or after the day
 * @MISSIVE_SEARCH_DATE_SENT_BEFORE: the Date header is before the day
 * @MISSIVE_SEARCH_DATE_SENT_ON: the Date header is on the day
 * @MISSIVE_SEARCH_DATE_SENT_SINCE: the Date header is on or after the day
 *
 * Which date [method@SearchQuery.add_date] compares, and how. "Received"
 * is the internal date the server keeps. Only the day counts, not the
 * time.
 *
 * Since: 1.0
 */
typedef enum
{
  MISSIVE_SEARCH_DATE_BEFORE,
  MISSIVE_SEARCH_DATE_ON,
  MISSIVE_SEARCH_DATE_SINCE,
  MISSIVE_SEARCH_DATE_SENT_BEFORE,
  MISSIVE_SEARCH_DATE_SENT_ON,
  MISSIVE_SEARCH_DATE_SENT_SINCE,
} MissiveSearchDate;

#define MISSIVE_TYPE_SEARCH_QUERY (missive_search_query_get_type ())
MISSIVE_AVAILABLE_IN_1_0
G_DECLARE_FINAL_TYPE (MissiveSearchQuery, missive_search_query, MISSIVE, SEARCH_QUERY, GObject)

MISSIVE_AVAILABLE_IN_1_0
MissiveSearchQuery *missive_search_query_new           (void);
MISSIVE_AVAILABLE_IN_1_0
MissiveSearchQuery *missive_search_query_new_raw       (const char         *criteria);

MISSIVE_AVAILABLE_IN_1_0
void                missive_search_query_add_raw       (MissiveSearchQuery *self,
                                                        const char         *criteria);
MISSIVE_AVAILABLE_IN_1_0
void                missive_search_query_add_all       (MissiveSearchQuery *self);
MISSIVE_AVAILABLE_IN_1_0
void                missive_search_query_add_flag      (MissiveSearchQuery *self,
                                                        const char         *flag,
                                                        gboolean            set);
MISSIVE_AVAILABLE_IN_1_0
void                missive_search_query_add_text      (MissiveSearchQuery *self,
                                                        MissiveSearchField  field,
                                                        const char         *value);
MISSIVE_AVAILABLE_IN_1_0
void                missive_search_query_add_header    (MissiveSearchQuery *self,
                                                        const char         *name,
                                                        const char         *value);
MISSIVE_AVAILABLE_IN_1_0
void                missive_search_query_add_date      (MissiveSearchQuery *self,
                                                        MissiveSearchDate   which,
                                                        GDateTime          *date);
MISSIVE_AVAILABLE_IN_1_0
void                missive_search_query_add_size      (MissiveSearchQuery *self,
                                                        gboolean            larger,
                                                        guint64             size);
MISSIVE_AVAILABLE_IN_1_0
void                missive_search_query_add_ids       (MissiveSearchQuery *self,
                                                        MissiveMessageSet  *set,
                                                        gboolean            uids);
MISSIVE_AVAILABLE_IN_1_0
void                missive_search_query_add_modseq    (MissiveSearchQuery *self,
                                                        guint64             modseq);
MISSIVE_AVAILABLE_IN_1_0
void                missive_search_query_add_not       (MissiveSearchQuery *self,
                                                        MissiveSearchQuery *query);
MISSIVE_AVAILABLE_IN_1_0
void                missive_search_query_add_or        (MissiveSearchQuery *self,
                                                        MissiveSearchQuery *a,
                                                        MissiveSearchQuery *b);
MISSIVE_AVAILABLE_IN_1_0
void                missive_search_query_add_gmail_raw (MissiveSearchQuery *self,
                                                        const char         *query);

MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_search_query_is_empty      (MissiveSearchQuery *self);
MISSIVE_AVAILABLE_IN_1_0
gboolean            missive_search_query_needs_utf8    (MissiveSearchQuery *self);
MISSIVE_AVAILABLE_IN_1_0
char               *missive_search_query_to_string     (MissiveSearchQuery *self);

G_END_DECLS
