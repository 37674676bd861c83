/* show: a recording as strace-like lines or JSON lines; a differences file
 * as recorded/replayed pairs. */
#include "show.h"

#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "render.h"
#include "tracefile.h"
#include "util.h"

static void print_pair(const struct sp_event *rec, const struct sp_event *rep, uint64_t index,
		       const struct render_opts *o)
{
	struct strbuf a = { 0 }, b = { 0 };
	render_event(&a, rec, o);
	render_event(&b, rep, o);
	printf("#%llu\n  recorded: %s\n  replayed: %s\n", (unsigned long long)index, a.s, b.s);
	static const char *const klass[] = { "must match", "acceptable", "ignored" };
	for (int i = 0; i < rep->n_diffs; i++) {
		const struct sp_diff *d = &rep->diffs[i];
		char what[32], flags[256];
		if (d->arg)
			snprintf(what, sizeof(what), "argument %u", d->arg);
		else
			snprintf(what, sizeof(what), "return value");
		printf("  - %s, %s at %s: %s, %s%s\n", what, d->field ? d->field : "", d->at_exit ? "exit" : "entry",
		       policy_flag_names(d->flag, flags, sizeof(flags)), d->klass < 3 ? klass[d->klass] : "?",
		       d->replayed ? ", replayed" : "");
	}
	sb_free(&a);
	sb_free(&b);
}

int show_file(const char *path, bool json, size_t strsize, bool show_tid)
{
	char err[512];
	struct tf_reader *r = tf_open(path, err, sizeof(err));
	if (!r) {
		warnx_("%s", err);
		return EXIT_BAD_RECORDING;
	}
	const struct tf_meta *m = tf_meta(r);
	enum tf_kind kind = tf_kind(r);
	const char *incomplete = tf_incomplete(r);
	if (json)
		render_meta_json(stdout, m, kind, tf_count(r), incomplete);
	else if (m)
		render_meta(stdout, m, kind, tf_count(r));
	else
		printf("# %s without metadata\n", kind == TF_RECORDING ? "recording" : "differences");
	struct arena a1, a2;
	arena_init(&a1, 1 << 20);
	arena_init(&a2, 1 << 20);
	struct sp_event ev = { .arena = &a1 }, rep = { .arena = &a2 };
	struct render_opts ro = { .strsize = strsize, .show_tid = show_tid };
	struct strbuf sb = { 0 };
	uint64_t n = 0;
	int k;
	for (;;) {
		uint64_t index = n;
		if (kind == TF_RECORDING)
			k = tf_next_event(r, &ev);
		else
			k = tf_next_pair(r, &ev, &rep, &index);
		if (k <= 0)
			break;
		n++;
		sb_clear(&sb);
		if (json) {
			if (kind == TF_RECORDING) {
				render_event_json(&sb, &ev, index);
			} else {
				sb_printf(&sb, "{\"index\":%llu,\"recorded\":", (unsigned long long)index);
				render_event_json(&sb, &ev, index);
				sb_puts(&sb, ",\"replayed\":");
				render_event_json(&sb, &rep, index);
				sb_puts(&sb, "}");
			}
			puts(sb.s);
		} else if (kind == TF_RECORDING) {
			render_event(&sb, &ev, &ro);
			puts(sb.s);
		} else {
			print_pair(&ev, &rep, index, &ro);
		}
	}
	sb_free(&sb);
	fflush(stdout);
	int rc = EXIT_SAME;
	if (k < 0) {
		warnx_("%s: %s (after %llu syscalls)", path, tf_error(r), (unsigned long long)n);
		rc = EXIT_BAD_RECORDING;
	} else if (incomplete) {
		warnx_("%s: incomplete: %s; shown up to the last complete syscall (%llu)", path, incomplete,
		       (unsigned long long)n);
		rc = EXIT_BAD_RECORDING;
	}
	arena_free(&a1);
	arena_free(&a2);
	tf_close(r);
	return rc;
}
