/* Struct field values by name; see render_field.h. */
#include "cli/render_field.h"

#include <inttypes.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "cli/names.h"
#include "cli/render.h"

static bool ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);
	return n >= m && !strcmp(s + n - m, end);
}

void render_field_value(struct strbuf *sb, const struct sfield *f, uint64_t v)
{
	const char *name = strrchr(f->name, '.') ? strrchr(f->name, '.') + 1 : f->name;
	if (f->type == FT_PTR) {
		if (ends_with(name, "handler") && v <= 1)
			sb_puts(sb, v ? "SIG_IGN" : "SIG_DFL");
		else
			sb_printf(sb, v ? "%#" PRIx64 : "NULL", v);
	} else if (!strcmp(name, "st_mode") || !strcmp(name, "stx_mode")) {
		render_mode(sb, v);
	} else if (!strcmp(name, "st_rdev") || !strcmp(name, "st_dev")) {
		sb_printf(sb, "makedev(%#x, %#x)", major(v), minor(v));
	} else if (f->fmt && names_for_fmt(f->fmt)) {
		char tmp[512];
		names_format(tmp, sizeof(tmp), names_for_fmt(f->fmt), v);
		sb_puts(sb, tmp);
	} else {
		sb_printf(sb, "%" PRIu64, v);
	}
}
