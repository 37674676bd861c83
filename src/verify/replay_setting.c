/* See replay_setting.h. */
#include "verify/replay_setting.h"

#include <string.h>
#include <sys/stat.h>

#include "base/util.h"
#include "sandbox/container.h"
#include "syscalls/table.h"
#include "verify/policy.h"

void replay_setting_from_meta(struct setting *s, const struct tf_meta *m, bool workdir_given)
{
	memset(s, 0, sizeof(*s));
	s->workdir_recorded = !workdir_given;
	s->std_kind[0] = m->stdout_kind && *m->stdout_kind ? m->stdout_kind : NULL;
	s->std_kind[1] = m->stderr_kind && *m->stderr_kind ? m->stderr_kind : NULL;
	/* Older recordings have neither the masks nor the flags. */
	s->signals_known = m->setting_recorded;
	if (m->setting_recorded) {
		s->std_flags[0] = m->std_flags[0];
		s->std_flags[1] = m->std_flags[1];
		s->sig_ignored = m->sig_ignored;
		s->sig_blocked = m->sig_blocked;
	}
}

struct container_opts *replay_setting_container(const struct tf_meta *m, struct container_opts *given,
						struct container_opts **made, struct setting_notes *notes)
{
	*made = NULL;
	const char *root = m->container_root && *m->container_root ? m->container_root : NULL;
	struct container_opts *c = given;
	if (!root) {
		if (given)
			sb_printf(&notes->cannot, "setting: root: a container over %s here (--rootfs), the recording ran "
				  "on the host\n", given->lower);
		return given;
	}
	if (!c) {
		/* Not asked for: the recorded root, if there is one here, is
		 * the setting; else preflight refuses to run on the host. */
		struct stat st;
		char err[256];
		if (stat(root, &st) < 0 || !S_ISDIR(st.st_mode) ||
		    container_parse_opt(made, CONTAINER_OPT_ROOTFS, root, err, sizeof(err)) < 0)
			return NULL;
		c = *made;
		sb_printf(&notes->cannot, "setting: root: a container over %s, as recorded (--rootfs %s)\n", root, root);
	} else if (strcmp(c->lower, root)) {
		sb_printf(&notes->restored, "setting: root: a container over %s here (--rootfs), recorded over %s\n",
			  c->lower, root);
	}
	if (m->net_none && !c->net_none) {
		if (c->net_raw) {
			sb_puts(&notes->cannot, "setting: network: the host's here (--net-raw), the recording had none "
				"(--net=none): calls that use it will differ\n");
		} else {
			c->net_none = true;
			sb_puts(&notes->restored, "setting: network: none, as recorded (--net=none)\n");
		}
	} else if (!m->net_none && c->net_none) {
		sb_puts(&notes->cannot, "setting: network: none here (--net=none), the recording had the host's: calls "
			"that use it will differ\n");
	}
	if (m->net_raw && !c->net_raw)
		sb_puts(&notes->cannot, "setting: the recording was made with --net-raw (raw sockets on the host's "
			"network), not given here: calls that use them will differ\n");
	return c;
}

void replay_setting_free(struct container_opts *made, struct setting_notes *notes)
{
	container_opts_free(made);
	sb_free(&notes->cannot);
	sb_free(&notes->restored);
}

static void say_lines(FILE *out, const struct strbuf *sb)
{
	for (const char *p = sb->s; p && *p;) {
		size_t n = strcspn(p, "\n");
		fprintf(out, "%s: %.*s\n", progname, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

void replay_setting_say(FILE *out, const struct setting_notes *a, const struct launch *l, const struct tf_meta *m,
			const struct replay_opts *o, bool verbose)
{
	say_lines(out, &a->cannot);
	say_lines(out, &l->notes.cannot);
	/* A program looks at its standard output (fstat, isatty): a file the
	 * caller named for it overrides the recorded kind. */
	const char *was[2] = { m->stdout_kind, m->stderr_kind }, *now[2] = { l->stdout_kind, l->stderr_kind };
	const char *given[2] = { o->stdout_path, o->stderr_path };
	for (int i = 0; i < 2; i++)
		if (given[i] && was[i] && *was[i] && now[i] && strcmp(was[i], now[i]))
			fprintf(out, "%s: setting: standard %s is %s here (--std%s), the recording's was %s: calls that "
				"look at it will differ\n", progname, i ? "error" : "output", setting_kind_words(now[i]),
				i ? "err" : "out", setting_kind_words(was[i]));
	if (verbose) {
		say_lines(out, &a->restored);
		say_lines(out, &l->notes.restored);
	}
	fflush(out);
}

/* fstat(1), newfstatat(2, "", AT_EMPTY_PATH), statx(1, "", AT_EMPTY_PATH):
 * the descriptor itself; lseek(1, ...) (`*seek` set): its position. */
static int std_stat_fd(const struct sp_event *rec, bool *seek)
{
	const char *name = sc_name(rec->nr);
	*seek = false;
	if (!name || rec->nargs < 2)
		return -1;
	int64_t fd = (int32_t)rec->entry[0].value;
	if (fd != 1 && fd != 2)
		return -1;
	if (!strcmp(name, "fstat"))
		return (int)fd;
	if (!strcmp(name, "lseek")) {
		*seek = true;
		return (int)fd;
	}
	if ((!strcmp(name, "newfstatat") || !strcmp(name, "statx")) &&
	    (rec->entry[1].buf.len == 0 || (rec->entry[1].buf.len == 1 && !rec->entry[1].buf.data[0])))
		return (int)fd;
	return -1;
}

int replay_setting_accept_std_stat(const struct tf_meta *m, pid_t tid, const dev_t dev[2], const ino_t ino[2],
				   const struct sp_event *rec, struct sp_event *rep)
{
	bool seek;
	int fd = rep->n_diffs ? std_stat_fd(rec, &seek) : -1;
	if (!m || fd < 0)
		return 0;
	const char *kind = fd == 1 ? m->stdout_kind : m->stderr_kind;
	if (!kind || strcmp(kind, "file"))
		return 0;
	/* Still the descriptor replay gave it, not a file it opened there. */
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)tid, fd);
	if (stat(path, &st) < 0 || st.st_dev != dev[fd - 1] || st.st_ino != ino[fd - 1])
		return 0;
	int n = 0;
	for (int i = 0; i < rep->n_diffs; i++) {
		struct sp_diff *d = &rep->diffs[i];
		if (d->klass != PC_MUST || !d->at_exit)
			continue;
		if (seek) {
			/* The position in the caller's file (after its earlier
			 * lines): an error on one side only still counts. */
			if (d->arg != 0 || strcmp(d->field, "value") || event_ret(rec) < 0 || event_ret(rep) < 0)
				continue;
		} else if (d->arg == 0 || !strcmp(d->field, "buffer") || !strcmp(d->field, "value") ||
			   !strcmp(d->field, "ptr")) {
			continue;
		}
		if (!strcmp(d->field, "st_mode") || !strcmp(d->field, "stx_mode")) {
			/* A file must still be a file: only the permission bits may differ. */
			const struct sp_bytes a = rec->exit[d->arg - 1].buf, b = rep->exit[d->arg - 1].buf;
			uint16_t x = 0, y = 0;
			if (d->offset + 2 > a.len || d->offset + 2 > b.len)
				continue;
			memcpy(&x, a.data + d->offset, 2);
			memcpy(&y, b.data + d->offset, 2);
			if ((x & S_IFMT) != (y & S_IFMT))
				continue;
		}
		d->klass = PC_ACCEPT;
		d->flag = 0;
		d->label = "standard output setting";
		n++;
	}
	return n;
}
