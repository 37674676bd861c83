/* Replay's view of the executed image (trace/exec_digest.h): the verdict
 * line that names a replaced program or interpreter. */
#ifndef SPERRIPS_EXEC_COMPARE_H
#define SPERRIPS_EXEC_COMPARE_H

#include <stdbool.h>

#include "base/event.h"
#include "base/strbuf.h"

/* The diff fields (sp_diff.field) of the two digests. */
#define EXEC_FIELD_IMAGE "exec_image"
#define EXEC_FIELD_INTERP "exec_interp"
/* ... and of a stat'ed file's contents (file_digest.h) */
#define EXEC_FIELD_FILE "file_content"

/** If `d` is a difference of the executed image or interpreter, append its
 *  description ("executed file /usr/bin/id is not the recorded one: sha256
 *  ... vs ...") to `sb` and return true; otherwise append nothing. */
bool exec_compare_report(struct strbuf *sb, const struct sp_event *rec, const struct sp_event *rep,
			 const struct sp_diff *d);

#endif
