/* See render_setting.h. */
#include "cli/render_setting.h"

#include <fcntl.h>
#include <string.h>

#include "base/strbuf.h"
#include "cli/render.h"
#include "sandbox/setting.h"

static void quoted(struct strbuf *sb, const char *s)
{
	render_bytes(sb, (const uint8_t *)s, strlen(s), 256);
}

void render_setting(FILE *out, const struct tf_meta *m)
{
	struct strbuf sb = { 0 };
	sb_puts(&sb, "# setting: working directory ");
	if (m->workdir && *m->workdir)
		quoted(&sb, m->workdir);
	else
		sb_puts(&sb, "(not recorded)");
	const char *kinds[2] = { m->stdout_kind, m->stderr_kind };
	for (int i = 0; i < 2; i++) {
		bool known = kinds[i] && *kinds[i];
		sb_printf(&sb, "; %s %s", i ? "stderr" : "stdout", known ? setting_kind_words(kinds[i]) : "(not recorded)");
		if (known && m->setting_recorded && !strcmp(kinds[i], "file") && (m->std_flags[i] & O_APPEND))
			sb_puts(&sb, " (appended to)");
	}
	sb_puts(&sb, "; root ");
	if (m->container_root && *m->container_root) {
		sb_puts(&sb, "a container over ");
		quoted(&sb, m->container_root);
		sb_puts(&sb, m->net_none ? ", no network" : m->net_raw ? ", the host's network with raw sockets"
									: ", the host's network");
	} else {
		sb_puts(&sb, "the host");
	}
	if (m->setting_recorded) {
		sb_puts(&sb, "; signals ignored ");
		setting_sig_names(&sb, m->sig_ignored);
		sb_puts(&sb, ", blocked ");
		setting_sig_names(&sb, m->sig_blocked);
	} else {
		sb_puts(&sb, "; signals (not recorded)");
	}
	fprintf(out, "%s\n", sb.s);
	sb_free(&sb);
}

static json_object *str_or_empty(const char *s)
{
	return json_object_new_string(s ? s : "");
}

void render_setting_json(json_object *o, const struct tf_meta *m)
{
	json_object_object_add(o, "workdir", str_or_empty(m->workdir));
	json_object_object_add(o, "stdout_kind", str_or_empty(m->stdout_kind));
	json_object_object_add(o, "stderr_kind", str_or_empty(m->stderr_kind));
	json_object_object_add(o, "container_root", str_or_empty(m->container_root));
	json_object_object_add(o, "net_none", json_object_new_boolean(m->net_none));
	json_object_object_add(o, "net_raw", json_object_new_boolean(m->net_raw));
	if (m->setting_recorded) {
		json_object_object_add(o, "signals_ignored", json_object_new_uint64(m->sig_ignored));
		json_object_object_add(o, "signals_blocked", json_object_new_uint64(m->sig_blocked));
		json_object_object_add(o, "stdout_flags", json_object_new_int((int)m->std_flags[0]));
		json_object_object_add(o, "stderr_flags", json_object_new_int((int)m->std_flags[1]));
	}
}
