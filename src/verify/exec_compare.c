#include "verify/exec_compare.h"

#include <string.h>

static void hex(struct strbuf *sb, struct sp_bytes b)
{
	if (!b.len) {
		sb_puts(sb, "(none)");
		return;
	}
	for (size_t i = 0; i < b.len && i < 8; i++)
		sb_printf(sb, "%02x", b.data[i]);
	sb_puts(sb, "...");
}

bool exec_compare_report(struct strbuf *sb, const struct sp_event *rec, const struct sp_event *rep,
			 const struct sp_diff *d)
{
	if (!strcmp(d->field, EXEC_FIELD_FILE)) {
		sb_puts(sb, "the file's contents are not the recorded ones: sha256 ");
		hex(sb, rec->file_digest);
		sb_puts(sb, " vs ");
		hex(sb, rep->file_digest);
		sb_puts(sb, " (its timestamps, written back as recorded, would hide the change)");
		return true;
	}
	bool image = !strcmp(d->field, EXEC_FIELD_IMAGE);
	if (!image && strcmp(d->field, EXEC_FIELD_INTERP))
		return false;
	const struct sp_bytes *path = &rec->entry[0].buf;
	int len = (int)strnlen((const char *)path->data, path->len);
	sb_printf(sb, "%s %.*s is not the recorded one: sha256 ", image ? "executed file" : "interpreter of",
		  path->data ? len : 0, path->data ? (const char *)path->data : "");
	hex(sb, image ? rec->exec_image : rec->exec_interp);
	sb_puts(sb, " vs ");
	hex(sb, image ? rep->exec_image : rep->exec_interp);
	return true;
}
