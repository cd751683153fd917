/* missive-body-part.c: one part of a message's MIME structure
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "config.h"

#include <missive/missive.h>

/**
 * MissiveBodyPart:
 *
 * One part of a message's MIME structure, as the server describes it
 * (IMAP `BODYSTRUCTURE`) without fetching the content: media type and
 * subtype, parameters, transfer encoding, size, disposition, and for a
 * multipart its children. Each part knows its section ("1", "1.2", ...),
 * which is what [method@Store.fetch_part] takes to fetch that part alone.
 *
 * A `message/rfc822` part carries the embedded message's envelope as a
 * [class@MessageInfo] ([method@BodyPart.get_message_info]) and the
 * embedded message's body as its only child.
 *
 * Media types, subtypes and parameter names are kept in lower case and
 * looked up without regard to case; parameter values are kept as given.
 *
 * Since: 1.0
 */

typedef struct
{
  char *name;
  char *value;
} Param;

struct _MissiveBodyPart
{
  GObject parent_instance;

  char *media_type;
  char *media_subtype;
  char *content_type;
  GArray *parameters;             /* of Param */
  char *id;
  char *description;
  char *encoding;
  guint64 size;
  guint64 lines;
  char *md5;
  char *disposition;
  GArray *disposition_parameters; /* of Param */
  char **language;
  char *location;
  char *section;
  GListStore *children;
  MissiveMessageInfo *message_info;
};

G_DEFINE_FINAL_TYPE (MissiveBodyPart, missive_body_part, G_TYPE_OBJECT)

static void
param_clear (gpointer data)
{
  Param *param = data;

  g_free (param->name);
  g_free (param->value);
}

static GArray *
params_new (void)
{
  GArray *params = g_array_new (FALSE, FALSE, sizeof (Param));

  g_array_set_clear_func (params, param_clear);
  return params;
}

static void
params_set (GArray     *params,
            const char *name,
            const char *value)
{
  Param param;

  for (guint i = 0; i < params->len; i++)
    {
      Param *p = &g_array_index (params, Param, i);

      if (g_ascii_strcasecmp (p->name, name) != 0)
        continue;
      if (value == NULL)
        {
          g_array_remove_index (params, i);
        }
      else
        {
          char *copy = g_strdup (value);

          g_free (p->value);
          p->value = copy;
        }
      return;
    }
  if (value == NULL)
    return;
  param.name = g_ascii_strdown (name, -1);
  param.value = g_strdup (value);
  g_array_append_val (params, param);
}

static const char *
params_get (GArray     *params,
            const char *name)
{
  for (guint i = 0; i < params->len; i++)
    {
      Param *p = &g_array_index (params, Param, i);

      if (g_ascii_strcasecmp (p->name, name) == 0)
        return p->value;
    }
  return NULL;
}

static char **
params_names (GArray *params)
{
  char **names = g_new0 (char *, params->len + 1);

  for (guint i = 0; i < params->len; i++)
    names[i] = g_strdup (g_array_index (params, Param, i).name);
  return names;
}

static void
missive_body_part_finalize (GObject *object)
{
  MissiveBodyPart *self = MISSIVE_BODY_PART (object);

  g_clear_pointer (&self->media_type, g_free);
  g_clear_pointer (&self->media_subtype, g_free);
  g_clear_pointer (&self->content_type, g_free);
  g_clear_pointer (&self->parameters, g_array_unref);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->encoding, g_free);
  g_clear_pointer (&self->md5, g_free);
  g_clear_pointer (&self->disposition, g_free);
  g_clear_pointer (&self->disposition_parameters, g_array_unref);
  g_clear_pointer (&self->language, g_strfreev);
  g_clear_pointer (&self->location, g_free);
  g_clear_pointer (&self->section, g_free);
  g_clear_object (&self->children);
  g_clear_object (&self->message_info);

  G_OBJECT_CLASS (missive_body_part_parent_class)->finalize (object);
}

static void
missive_body_part_class_init (MissiveBodyPartClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = missive_body_part_finalize;
}

static void
update_content_type (MissiveBodyPart *self)
{
  g_free (self->content_type);
  self->content_type = g_strconcat (self->media_type, "/", self->media_subtype, NULL);
}

static void
missive_body_part_init (MissiveBodyPart *self)
{
  self->media_type = g_strdup ("text");
  self->media_subtype = g_strdup ("plain");
  update_content_type (self);
  self->parameters = params_new ();
  self->disposition_parameters = params_new ();
  self->children = g_list_store_new (MISSIVE_TYPE_BODY_PART);
}

/**
 * missive_body_part_new:
 *
 * Creates a body part of type `text/plain` (MIME's default) with nothing
 * else set.
 *
 * Returns: (transfer full): a new body part
 *
 * Since: 1.0
 */
MissiveBodyPart *
missive_body_part_new (void)
{
  return g_object_new (MISSIVE_TYPE_BODY_PART, NULL);
}

/**
 * missive_body_part_get_media_type:
 * @self: a body part
 *
 * Gets the media type, in lower case: "text", "multipart", "image"...
 *
 * Returns: the media type
 *
 * Since: 1.0
 */
const char *
missive_body_part_get_media_type (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);
  return self->media_type;
}

/**
 * missive_body_part_set_media_type:
 * @self: a body part
 * @media_type: the media type, e.g. "TEXT" or "multipart"
 *
 * Sets the media type; it is kept in lower case.
 *
 * Since: 1.0
 */
void
missive_body_part_set_media_type (MissiveBodyPart *self,
                                  const char      *media_type)
{
  g_return_if_fail (MISSIVE_IS_BODY_PART (self));
  g_return_if_fail (media_type != NULL);

  g_free (self->media_type);
  self->media_type = g_ascii_strdown (media_type, -1);
  update_content_type (self);
}

/**
 * missive_body_part_get_media_subtype:
 * @self: a body part
 *
 * Gets the media subtype, in lower case: "plain", "mixed", "png"...
 *
 * Returns: the media subtype
 *
 * Since: 1.0
 */
const char *
missive_body_part_get_media_subtype (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);
  return self->media_subtype;
}

/**
 * missive_body_part_set_media_subtype:
 * @self: a body part
 * @media_subtype: the media subtype, e.g. "PLAIN"
 *
 * Sets the media subtype; it is kept in lower case.
 *
 * Since: 1.0
 */
void
missive_body_part_set_media_subtype (MissiveBodyPart *self,
                                     const char      *media_subtype)
{
  g_return_if_fail (MISSIVE_IS_BODY_PART (self));
  g_return_if_fail (media_subtype != NULL);

  g_free (self->media_subtype);
  self->media_subtype = g_ascii_strdown (media_subtype, -1);
  update_content_type (self);
}

/**
 * missive_body_part_get_content_type:
 * @self: a body part
 *
 * Gets type and subtype together, e.g. "text/plain", without parameters.
 *
 * Returns: the content type
 *
 * Since: 1.0
 */
const char *
missive_body_part_get_content_type (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);
  return self->content_type;
}

/**
 * missive_body_part_is_multipart:
 * @self: a body part
 *
 * Checks whether @self is a `multipart/...` part, whose content is its
 * children.
 *
 * Returns: %TRUE for a multipart
 *
 * Since: 1.0
 */
gboolean
missive_body_part_is_multipart (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), FALSE);
  return g_str_equal (self->media_type, "multipart");
}

/**
 * missive_body_part_set_parameter:
 * @self: a body part
 * @name: a Content-Type parameter name, e.g. "charset"
 * @value: (nullable): its value; %NULL removes the parameter
 *
 * Sets (or replaces, or removes) a Content-Type parameter.
 *
 * Since: 1.0
 */
void
missive_body_part_set_parameter (MissiveBodyPart *self,
                                 const char      *name,
                                 const char      *value)
{
  g_return_if_fail (MISSIVE_IS_BODY_PART (self));
  g_return_if_fail (name != NULL);

  params_set (self->parameters, name, value);
}

/**
 * missive_body_part_get_parameter:
 * @self: a body part
 * @name: a parameter name, in any case
 *
 * Gets a Content-Type parameter.
 *
 * Returns: (nullable): its value, or %NULL if there is none
 *
 * Since: 1.0
 */
const char *
missive_body_part_get_parameter (MissiveBodyPart *self,
                                 const char      *name)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return params_get (self->parameters, name);
}

/**
 * missive_body_part_get_parameter_names:
 * @self: a body part
 *
 * Lists the Content-Type parameters, in lower case and in the order they
 * were set.
 *
 * Returns: (array zero-terminated=1) (transfer full): the names
 *
 * Since: 1.0
 */
char **
missive_body_part_get_parameter_names (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);
  return params_names (self->parameters);
}

/**
 * missive_body_part_get_charset:
 * @self: a body part
 *
 * Gets the "charset" parameter, the character set of a text part.
 *
 * Returns: (nullable): the charset, or %NULL
 *
 * Since: 1.0
 */
const char *
missive_body_part_get_charset (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);
  return params_get (self->parameters, "charset");
}

#define STRING_ACCESSORS(field)                                             \
const char *                                                                \
missive_body_part_get_##field (MissiveBodyPart *self)                       \
{                                                                           \
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);                 \
  return self->field;                                                       \
}                                                                           \
                                                                            \
void                                                                        \
missive_body_part_set_##field (MissiveBodyPart *self,                       \
                               const char      *field)                      \
{                                                                           \
  char *copy;                                                               \
                                                                            \
  g_return_if_fail (MISSIVE_IS_BODY_PART (self));                           \
                                                                            \
  copy = g_strdup (field);                                                  \
  g_free (self->field);                                                     \
  self->field = copy;                                                       \
}

/**
 * missive_body_part_get_id:
 * @self: a body part
 *
 * Gets the Content-ID of the part.
 *
 * Returns: (nullable): the Content-ID, or %NULL
 *
 * Since: 1.0
 */
/**
 * missive_body_part_set_id:
 * @self: a body part
 * @id: (nullable): the Content-ID
 *
 * Sets the Content-ID of the part.
 *
 * Since: 1.0
 */
STRING_ACCESSORS (id)

/**
 * missive_body_part_get_description:
 * @self: a body part
 *
 * Gets the Content-Description of the part.
 *
 * Returns: (nullable): the description, or %NULL
 *
 * Since: 1.0
 */
/**
 * missive_body_part_set_description:
 * @self: a body part
 * @description: (nullable): the Content-Description
 *
 * Sets the Content-Description of the part.
 *
 * Since: 1.0
 */
STRING_ACCESSORS (description)

/**
 * missive_body_part_get_encoding:
 * @self: a body part
 *
 * Gets the Content-Transfer-Encoding of the part as the server gave it,
 * e.g. "BASE64" or "7BIT".
 *
 * Returns: (nullable): the encoding, or %NULL
 *
 * Since: 1.0
 */
/**
 * missive_body_part_set_encoding:
 * @self: a body part
 * @encoding: (nullable): the Content-Transfer-Encoding
 *
 * Sets the Content-Transfer-Encoding of the part.
 *
 * Since: 1.0
 */
STRING_ACCESSORS (encoding)

/**
 * missive_body_part_get_md5:
 * @self: a body part
 *
 * Gets the Content-MD5 of the part.
 *
 * Returns: (nullable): the MD5 as sent, or %NULL
 *
 * Since: 1.0
 */
/**
 * missive_body_part_set_md5:
 * @self: a body part
 * @md5: (nullable): the Content-MD5
 *
 * Sets the Content-MD5 of the part.
 *
 * Since: 1.0
 */
STRING_ACCESSORS (md5)

/**
 * missive_body_part_get_location:
 * @self: a body part
 *
 * Gets the Content-Location of the part.
 *
 * Returns: (nullable): the location (a URI), or %NULL
 *
 * Since: 1.0
 */
/**
 * missive_body_part_set_location:
 * @self: a body part
 * @location: (nullable): the Content-Location
 *
 * Sets the Content-Location of the part.
 *
 * Since: 1.0
 */
STRING_ACCESSORS (location)

/**
 * missive_body_part_get_section:
 * @self: a body part
 *
 * Gets the part's section: its place in the message, "1", "2.1" and so
 * on, as IMAP numbers parts. The root of a single-part message is "1";
 * the root of a multipart message has no section (%NULL).
 *
 * Returns: (nullable): the section, or %NULL
 *
 * Since: 1.0
 */
/**
 * missive_body_part_set_section:
 * @self: a body part
 * @section: (nullable): the section, e.g. "1.2"
 *
 * Sets the part's section.
 *
 * Since: 1.0
 */
STRING_ACCESSORS (section)

/**
 * missive_body_part_get_size:
 * @self: a body part
 *
 * Gets the size of the part's content in bytes, in its transfer encoding.
 *
 * Returns: the size
 *
 * Since: 1.0
 */
guint64
missive_body_part_get_size (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), 0);
  return self->size;
}

/**
 * missive_body_part_set_size:
 * @self: a body part
 * @size: the size in bytes
 *
 * Sets the size of the part's content.
 *
 * Since: 1.0
 */
void
missive_body_part_set_size (MissiveBodyPart *self,
                            guint64          size)
{
  g_return_if_fail (MISSIVE_IS_BODY_PART (self));
  self->size = size;
}

/**
 * missive_body_part_get_lines:
 * @self: a body part
 *
 * Gets the number of lines of a text or message/rfc822 part.
 *
 * Returns: the number of lines, or 0
 *
 * Since: 1.0
 */
guint64
missive_body_part_get_lines (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), 0);
  return self->lines;
}

/**
 * missive_body_part_set_lines:
 * @self: a body part
 * @lines: the number of lines
 *
 * Sets the number of lines of the part.
 *
 * Since: 1.0
 */
void
missive_body_part_set_lines (MissiveBodyPart *self,
                             guint64          lines)
{
  g_return_if_fail (MISSIVE_IS_BODY_PART (self));
  self->lines = lines;
}

/**
 * missive_body_part_get_disposition:
 * @self: a body part
 *
 * Gets the Content-Disposition, in lower case: "inline", "attachment"...
 *
 * Returns: (nullable): the disposition, or %NULL
 *
 * Since: 1.0
 */
const char *
missive_body_part_get_disposition (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);
  return self->disposition;
}

/**
 * missive_body_part_set_disposition:
 * @self: a body part
 * @disposition: (nullable): the Content-Disposition, e.g. "ATTACHMENT"
 *
 * Sets the Content-Disposition; it is kept in lower case.
 *
 * Since: 1.0
 */
void
missive_body_part_set_disposition (MissiveBodyPart *self,
                                   const char      *disposition)
{
  char *copy;

  g_return_if_fail (MISSIVE_IS_BODY_PART (self));

  copy = disposition != NULL ? g_ascii_strdown (disposition, -1) : NULL;
  g_free (self->disposition);
  self->disposition = copy;
}

/**
 * missive_body_part_set_disposition_parameter:
 * @self: a body part
 * @name: a Content-Disposition parameter name, e.g. "filename"
 * @value: (nullable): its value; %NULL removes the parameter
 *
 * Sets (or replaces, or removes) a Content-Disposition parameter.
 *
 * Since: 1.0
 */
void
missive_body_part_set_disposition_parameter (MissiveBodyPart *self,
                                             const char      *name,
                                             const char      *value)
{
  g_return_if_fail (MISSIVE_IS_BODY_PART (self));
  g_return_if_fail (name != NULL);

  params_set (self->disposition_parameters, name, value);
}

/**
 * missive_body_part_get_disposition_parameter:
 * @self: a body part
 * @name: a parameter name, in any case
 *
 * Gets a Content-Disposition parameter.
 *
 * Returns: (nullable): its value, or %NULL if there is none
 *
 * Since: 1.0
 */
const char *
missive_body_part_get_disposition_parameter (MissiveBodyPart *self,
                                             const char      *name)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return params_get (self->disposition_parameters, name);
}

/**
 * missive_body_part_get_disposition_parameter_names:
 * @self: a body part
 *
 * Lists the Content-Disposition parameters, in lower case and in the
 * order they were set.
 *
 * Returns: (array zero-terminated=1) (transfer full): the names
 *
 * Since: 1.0
 */
char **
missive_body_part_get_disposition_parameter_names (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);
  return params_names (self->disposition_parameters);
}

/**
 * missive_body_part_get_language:
 * @self: a body part
 *
 * Gets the Content-Language tags of the part.
 *
 * Returns: (array zero-terminated=1) (transfer none) (nullable): the
 *   language tags, or %NULL
 *
 * Since: 1.0
 */
const char * const *
missive_body_part_get_language (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);
  return (const char * const *) self->language;
}

/**
 * missive_body_part_set_language:
 * @self: a body part
 * @language: (array zero-terminated=1) (nullable): language tags, e.g.
 *   "en", "de-CH"
 *
 * Sets the Content-Language tags of the part.
 *
 * Since: 1.0
 */
void
missive_body_part_set_language (MissiveBodyPart    *self,
                                const char * const *language)
{
  char **copy;

  g_return_if_fail (MISSIVE_IS_BODY_PART (self));

  copy = g_strdupv ((char **) language);
  g_strfreev (self->language);
  self->language = copy;
}

/**
 * missive_body_part_add_child:
 * @self: a body part
 * @child: a part of @self: a part of a multipart, or the body of a
 *   message/rfc822 part
 *
 * Appends @child to the children of @self.
 *
 * Since: 1.0
 */
void
missive_body_part_add_child (MissiveBodyPart *self,
                             MissiveBodyPart *child)
{
  g_return_if_fail (MISSIVE_IS_BODY_PART (self));
  g_return_if_fail (MISSIVE_IS_BODY_PART (child));
  g_return_if_fail (self != child);

  g_list_store_append (self->children, child);
}

/**
 * missive_body_part_get_children:
 * @self: a body part
 *
 * Gets the children of @self, in order.
 *
 * Returns: (transfer none): a #GListModel of [class@BodyPart]
 *
 * Since: 1.0
 */
GListModel *
missive_body_part_get_children (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);
  return G_LIST_MODEL (self->children);
}

/**
 * missive_body_part_get_n_children:
 * @self: a body part
 *
 * Counts the children of @self.
 *
 * Returns: the number of children
 *
 * Since: 1.0
 */
guint
missive_body_part_get_n_children (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->children));
}

/**
 * missive_body_part_get_child:
 * @self: a body part
 * @index: the child's position
 *
 * Gets one child of @self.
 *
 * Returns: (transfer none) (nullable): the child, or %NULL if @index is
 *   out of range
 *
 * Since: 1.0
 */
MissiveBodyPart *
missive_body_part_get_child (MissiveBodyPart *self,
                             guint            index)
{
  g_autoptr(MissiveBodyPart) child = NULL;

  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);

  child = g_list_model_get_item (G_LIST_MODEL (self->children), index);
  /* The list keeps its own reference. */
  return child;
}

/**
 * missive_body_part_find_section:
 * @self: a body part
 * @section: a section, e.g. "2.1"
 *
 * Finds the part with the given section among @self and its descendants.
 *
 * Returns: (transfer none) (nullable): the part, or %NULL
 *
 * Since: 1.0
 */
MissiveBodyPart *
missive_body_part_find_section (MissiveBodyPart *self,
                                const char      *section)
{
  guint n;

  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);
  g_return_val_if_fail (section != NULL, NULL);

  if (g_strcmp0 (self->section, section) == 0)
    return self;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->children));
  for (guint i = 0; i < n; i++)
    {
      MissiveBodyPart *found =
        missive_body_part_find_section (missive_body_part_get_child (self, i), section);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/**
 * missive_body_part_get_message_info:
 * @self: a body part
 *
 * Gets the envelope of the message embedded in a message/rfc822 part.
 *
 * Returns: (transfer none) (nullable): the embedded message's summary, or
 *   %NULL
 *
 * Since: 1.0
 */
MissiveMessageInfo *
missive_body_part_get_message_info (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);
  return self->message_info;
}

/**
 * missive_body_part_set_message_info:
 * @self: a body part
 * @info: (nullable): the embedded message's summary
 *
 * Sets the envelope of the message embedded in a message/rfc822 part.
 *
 * Since: 1.0
 */
void
missive_body_part_set_message_info (MissiveBodyPart    *self,
                                    MissiveMessageInfo *info)
{
  g_return_if_fail (MISSIVE_IS_BODY_PART (self));
  g_return_if_fail (info == NULL || MISSIVE_IS_MESSAGE_INFO (info));

  g_set_object (&self->message_info, info);
}

/**
 * missive_body_part_get_filename:
 * @self: a body part
 *
 * Gets the file name a part suggests: the "filename" parameter of its
 * Content-Disposition, or else the older "name" parameter of its
 * Content-Type.
 *
 * Returns: (nullable): the file name, or %NULL
 *
 * Since: 1.0
 */
const char *
missive_body_part_get_filename (MissiveBodyPart *self)
{
  const char *name;

  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), NULL);

  name = params_get (self->disposition_parameters, "filename");
  if (name == NULL)
    name = params_get (self->parameters, "name");
  return name;
}

/**
 * missive_body_part_is_attachment:
 * @self: a body part
 *
 * Guesses whether a part is an attachment rather than part of the text:
 * its disposition is "attachment", or it has no disposition but a file
 * name and is neither a multipart nor a message.
 *
 * Returns: %TRUE for an attachment
 *
 * Since: 1.0
 */
gboolean
missive_body_part_is_attachment (MissiveBodyPart *self)
{
  g_return_val_if_fail (MISSIVE_IS_BODY_PART (self), FALSE);

  if (self->disposition != NULL)
    return g_str_equal (self->disposition, "attachment");
  if (g_str_equal (self->media_type, "multipart") || g_str_equal (self->media_type, "message"))
    return FALSE;
  return missive_body_part_get_filename (self) != NULL;
}
