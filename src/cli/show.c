/* show: a recording as strace-like lines or JSON lines; a differences file
 * as recorded/replayed pairs. */
#include "cli/show.h"
#include "cli/classes.h"
#include "cli/console.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/policy.h"
#include "cli/render.h"
#include "syscalls/table.h"
#include "format/tracefile.h"
#include "format/seal.h"
#include "base/util.h"

/* A line of the listing, on a terminal in colour: the syscall's name
 * bold, an error return red, signals and ends yellow. Elsewhere the
 * bytes are exactly render_event's. */
static void print_line(FILE *out, const char *s, const struct sp_event *ev)
{
	if (!console_color(1)) {
		fprintf(out, "%s\n", s);
		return;
	}
	if (ev->is_signal) {
		fprintf(out, "%s%s%s\n", console_on(1, TONE_SIGNAL), s, console_off(1));
		return;
	}
	const char *name = s;
	if (!strncmp(s, "[pid ", 5) && strstr(s, "] "))
		name = strstr(s, "] ") + 2;
	const char *paren = strchr(name, '(');
	if (!paren) {
		fprintf(out, "%s\n", s);
		return;
	}
	int64_t v = event_ret(ev);
	/* the return part is last, after the last " = " */
	const char *eq = ev->returned && v < 0 && v >= -4095 ? strstr(s, " = ") : NULL;
	for (const char *q = eq; q; q = strstr(q + 1, " = "))
		eq = q;
	fprintf(out, "%.*s%s%.*s%s", (int)(name - s), s, console_on(1, TONE_NAME), (int)(paren - name), name,
	       console_off(1));
	if (eq)
		fprintf(out, "%.*s = %s%s%s\n", (int)(eq - paren), paren, console_on(1, TONE_ERROR), eq + 3, console_off(1));
	else
		fprintf(out, "%s\n", paren);
}

/* The metadata header, "# ..." lines, dim on a terminal. */
static void print_meta(const struct tf_meta *m, enum tf_kind kind, uint64_t count)
{
	if (!console_color(1)) {
		render_meta(stdout, m, kind, count);
		return;
	}
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f) {
		render_meta(stdout, m, kind, count);
		return;
	}
	render_meta(f, m, kind, count);
	fclose(f);
	for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		printf("%s%.*s%s\n", console_on(1, TONE_COMMENT), (int)(nl ? nl - line : (ptrdiff_t)strlen(line)), line,
		       console_off(1));
	}
	free(text);
}

static void print_pair(FILE *out, const struct sp_event *rec, const struct sp_event *rep, uint64_t index,
		       const struct render_opts *o)
{
	struct strbuf a = { 0 }, b = { 0 };
	render_event(&a, rec, o);
	render_event(&b, rep, o);
	fprintf(out, "#%llu\n  recorded: %s\n  replayed: %s\n", (unsigned long long)index, a.s, b.s);
	static const char *const klass[] = { "must match", "acceptable", "ignored" };
	for (int i = 0; i < rep->n_diffs; i++) {
		const struct sp_diff *d = &rep->diffs[i];
		char what[32], flags[256];
		if (d->arg)
			snprintf(what, sizeof(what), "argument %u", d->arg);
		else
			snprintf(what, sizeof(what), "return value");
		fprintf(out, "  - %s, %s at %s: %s, %s%s%s%s\n", what, d->field ? d->field : "",
			d->at_exit ? "exit" : "entry", policy_flag_names(d->flag, flags, sizeof(flags)),
			console_on(1, d->klass == PC_MUST ? TONE_ERROR : TONE_NOTE), d->klass < 3 ? klass[d->klass] : "?",
			console_off(1), d->replayed ? ", replayed" : "");
	}
	sb_free(&a);
	sb_free(&b);
}

/* Is syscall `nr` called `name` in the comma-separated list `only` of
 * syscall names and classes (%file, %net, ...)? */
static bool wanted(const char *only, unsigned nr, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = only; p && *p;) {
		size_t len = strcspn(p, ",");
		char tok[64];
		snprintf(tok, sizeof(tok), "%.*s", (int)(len < 63 ? len : 63), p);
		if ((len == n && !strncmp(p, name, n)) || sc_class_has(tok, nr))
			return true;
		p += len + (p[len] == ',');
	}
	return false;
}

struct stat_row {
	uint32_t nr;
	uint64_t calls, errors;
};

static int by_calls(const void *a, const void *b)
{
	const struct stat_row *x = a, *y = b;
	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return x->nr < y->nr ? -1 : x->nr > y->nr;
}

/* Like strace -c, without the times (a recording has none). */
static void print_stats(struct stat_row *rows, size_t n, bool json)
{
	qsort(rows, n, sizeof(*rows), by_calls);
	uint64_t calls = 0, errors = 0;
	if (json) {
		for (size_t i = 0; i < n; i++) {
			if (!rows[i].calls)
				continue;
			const char *name = sc_name(rows[i].nr);
			printf("{\"syscall\":\"%s\",\"calls\":%llu,\"errors\":%llu}\n",
			       name ? name : sc_lookup(rows[i].nr)->name, (unsigned long long)rows[i].calls,
			       (unsigned long long)rows[i].errors);
			calls += rows[i].calls;
			errors += rows[i].errors;
		}
		printf("{\"total\":true,\"calls\":%llu,\"errors\":%llu}\n", (unsigned long long)calls,
		       (unsigned long long)errors);
		return;
	}
	printf("%9s %9s %s\n", "calls", "errors", "syscall");
	printf("--------- --------- ----------------\n");
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].calls)
			continue;
		const char *name = sc_name(rows[i].nr);
		if (rows[i].errors)
			printf("%9llu %9llu %s\n", (unsigned long long)rows[i].calls, (unsigned long long)rows[i].errors,
			       name ? name : sc_lookup(rows[i].nr)->name);
		else
			printf("%9llu %9s %s\n", (unsigned long long)rows[i].calls, "",
			       name ? name : sc_lookup(rows[i].nr)->name);
		calls += rows[i].calls;
		errors += rows[i].errors;
	}
	printf("--------- --------- ----------------\n");
	printf("%9llu %9llu total\n", (unsigned long long)calls, (unsigned long long)errors);
}

/* A signed recording's header line: whose key, and whether --verify
 * checked it. */
static void show_signature(const struct tf_reader *r, const struct show_opts *o)
{
	const uint8_t *signer = tf_signer(r);
	if (!signer)
		return;
	char fp[17];
	seal_fingerprint(signer, fp);
	if (o->verify_key)
		printf("%s# signed by key %s, verified with %s: every record is the signer's%s\n",
		       console_on(1, TONE_COMMENT), fp, o->verify_path, console_off(1));
	else
		printf("%s# signed by key %s, not verified (--verify KEY.pub checks whose key it is)%s\n",
		       console_on(1, TONE_COMMENT), fp, console_off(1));
}

/* Copy the spooled listing to standard output. 0 or -1. */
static int copy_spool(FILE *spool)
{
	if (fflush(spool) == EOF)
		return -1;
	rewind(spool); /* our own temporary file, not the input */
	char buf[1 << 16];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), spool)) > 0)
		if (fwrite(buf, 1, n, stdout) != n)
			return -1;
	return ferror(spool) ? -1 : 0;
}

int show_file(const char *path, const struct show_opts *o)
{
	bool json = o->json;
	char err[512];
	const char *name = strcmp(path, "-") ? path : "(standard input)";
	struct tf_reader *r = tf_open(path, err, sizeof(err));
	if (!r) {
		warnx_("%s", err);
		return EXIT_BAD_RECORDING;
	}
	if (o->verify_key && tf_verify_signer(r, o->verify_key, o->verify_path, err, sizeof(err)) < 0) {
		warnx_("%s: %s", name, err);
		tf_close(r);
		return EXIT_BAD_RECORDING;
	}
	enum tf_kind kind = tf_kind(r);
	/* The input is read once, front to back (it may be a pipe), and what
	 * the listing starts with (the metadata, the count, whether the file
	 * is complete) is known only at its end: the lines go to a temporary
	 * file until then, so memory stays bounded whatever the input's size. */
	FILE *out = stdout, *spool = NULL;
	if (!o->stats) {
		spool = tmpfile();
		if (!spool) {
			warnx_("%s: cannot make a temporary file for the listing: %s", name, strerror(errno));
			tf_close(r);
			return EXIT_OUTPUT;
		}
		out = spool;
	}
	struct arena a1, a2;
	arena_init(&a1, 1 << 20);
	arena_init(&a2, 1 << 20);
	struct sp_event ev = { .arena = &a1 }, rep = { .arena = &a2 };
	struct render_opts ro = { .strsize = o->strsize, .show_tid = o->show_tid };
	struct stat_row *rows = NULL;
	size_t n_rows = 0;
	if (o->stats) {
		n_rows = sc_count() + 1;
		rows = xcalloc(n_rows, sizeof(*rows));
		for (size_t i = 0; i < n_rows; i++)
			rows[i].nr = (uint32_t)i;
	}
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
		if (ev.is_signal) {
			/* A signal between the syscalls: not one of them (-c counts
			 * syscalls only; -e keeps signals, as strace does). */
			if (o->stats)
				continue;
			sb_clear(&sb);
			if (json) {
				render_event_json(&sb, &ev, index);
				fprintf(out, "%s\n", sb.s);
			} else {
				render_event(&sb, &ev, &ro);
				print_line(out, sb.s, &ev);
			}
			continue;
		}
		n++;
		if (o->only) {
			const char *name = sc_name(ev.nr);
			if (!wanted(o->only, ev.nr, name ? name : sc_lookup(ev.nr)->name))
				continue;
		}
		if (o->stats) {
			struct stat_row *row = &rows[ev.nr < n_rows ? ev.nr : n_rows - 1];
			int64_t v = (int64_t)ev.ret.value;
			row->calls++;
			row->errors += ev.returned && v < 0 && v >= -4095;
			continue;
		}
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
			fprintf(out, "%s\n", sb.s);
		} else if (kind == TF_RECORDING) {
			render_event(&sb, &ev, &ro);
			print_line(out, sb.s, &ev);
		} else {
			print_pair(out, &ev, &rep, index, &ro);
		}
	}
	sb_free(&sb);
	/* The whole input read: the metadata, merged, and the count are final. */
	const struct tf_meta *m = tf_meta(r);
	const char *incomplete = tf_incomplete(r);
	int rc = EXIT_SAME;
	/* --verify refuses: nothing of a file that is not the signer's is shown */
	bool refused = o->verify_key && (k < 0 || incomplete || !tf_sealed(r));
	if (refused) {
		if (spool)
			fclose(spool);
		free(rows);
	} else if (o->stats) {
		print_stats(rows, n_rows, json);
		free(rows);
	} else {
		if (json)
			render_meta_json(stdout, m, kind, tf_count(r), incomplete,
					 &(struct render_signer){ tf_signer(r), o->verify_key ? o->verify_path : NULL });
		else if (m)
			print_meta(m, kind, tf_count(r));
		if (!json && m)
			show_signature(r, o);
		if (!json && !m)
			printf("# %s without metadata\n", kind == TF_RECORDING ? "recording" : "differences");
		if (copy_spool(spool) < 0) {
			warnx_("%s: cannot copy the listing from its temporary file: %s", name, strerror(errno));
			rc = EXIT_OUTPUT;
		}
		fclose(spool);
	}
	fflush(stdout);
	if (refused && k >= 0 && !incomplete) {
		warnx_("%s: not sealed (read to its end)", name); /* cannot happen: the reader says why first */
		rc = EXIT_BAD_RECORDING;
	} else if (k < 0) {
		warnx_("%s: %s (after %llu syscalls)", name, tf_error(r), (unsigned long long)n);
		rc = EXIT_BAD_RECORDING;
	} else if (incomplete) {
		warnx_("%s: incomplete: %s; shown up to the last complete syscall (%llu)", name, incomplete,
		       (unsigned long long)n);
		rc = EXIT_BAD_RECORDING;
	}
	arena_free(&a1);
	arena_free(&a2);
	tf_close(r);
	return rc;
}
