/* Outputs written by several threads, compared whole (see wstreams.h). */
#include "verify/wstreams.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/render.h"

struct chunk {
	uint64_t seq;
	size_t off, len;      /* in the output's recorded bytes, as they came */
};

struct output {
	uint64_t id;
	char *name;
	struct chunk *c;      /* recorded writes, in the order they were matched */
	size_t n, cap;
	uint8_t *rec, *rep;   /* recorded bytes as they came; replayed bytes in order */
	size_t rec_len, rec_cap, rep_len, rep_cap;
};

struct wstreams {
	struct output *o;
	size_t n, cap;
	size_t total;
};

struct wstreams *wstreams_new(void)
{
	return calloc(1, sizeof(struct wstreams));
}

void wstreams_free(struct wstreams *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->n; i++) {
		free(w->o[i].name);
		free(w->o[i].c);
		free(w->o[i].rec);
		free(w->o[i].rep);
	}
	free(w->o);
	free(w);
}

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

static struct output *output_of(struct wstreams *w, uint64_t id, const char *name)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->o[i].id == id)
			return &w->o[i];
	if (grow((void **)&w->o, &w->cap, w->n + 1, sizeof(*w->o)) < 0)
		return NULL;
	struct output *o = &w->o[w->n];
	memset(o, 0, sizeof(*o));
	o->id = id;
	o->name = strdup(name ? name : "?");
	if (!o->name)
		return NULL;
	w->n++;
	return o;
}

int wstreams_add(struct wstreams *w, uint64_t id, const char *name, uint64_t seq, struct sp_bytes rec,
		 struct sp_bytes rep)
{
	if (w->total + rec.len + rep.len > WSTREAMS_MAX_BYTES)
		return -ENOSPC;
	struct output *o = output_of(w, id, name);
	if (!o || grow((void **)&o->c, &o->cap, o->n + 1, sizeof(*o->c)) < 0 ||
	    grow((void **)&o->rec, &o->rec_cap, o->rec_len + rec.len, 1) < 0 ||
	    grow((void **)&o->rep, &o->rep_cap, o->rep_len + rep.len, 1) < 0)
		return -ENOMEM;
	o->c[o->n++] = (struct chunk){ seq, o->rec_len, rec.len };
	if (rec.len)
		memcpy(o->rec + o->rec_len, rec.data, rec.len);
	if (rep.len)
		memcpy(o->rep + o->rep_len, rep.data, rep.len);
	o->rec_len += rec.len;
	o->rep_len += rep.len;
	w->total += rec.len + rep.len;
	return 0;
}

static int by_seq(const void *a, const void *b)
{
	const struct chunk *x = a, *y = b;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* The recorded output in recorded order. NULL on out of memory. */
static uint8_t *recorded_output(struct output *o)
{
	uint8_t *b = malloc(o->rec_len ? o->rec_len : 1);
	if (!b)
		return NULL;
	qsort(o->c, o->n, sizeof(*o->c), by_seq);
	size_t at = 0;
	for (size_t i = 0; i < o->n; i++) {
		memcpy(b + at, o->rec + o->c[i].off, o->c[i].len);
		at += o->c[i].len;
	}
	return b;
}

int wstreams_report(struct wstreams *w, struct strbuf *sb)
{
	int lines = 0;
	for (size_t i = 0; w && i < w->n; i++) {
		struct output *o = &w->o[i];
		uint8_t *rec = recorded_output(o);
		if (!rec) {
			sb_printf(sb, "  %s: the output its threads wrote could not be compared: out of memory "
				  "[UNEXPECTED_MEMORY_CONTENT]\n", o->name);
			lines++;
			continue;
		}
		size_t n = o->rec_len < o->rep_len ? o->rec_len : o->rep_len, at = 0;
		while (at < n && rec[at] == o->rep[at])
			at++;
		if (at < n || o->rec_len != o->rep_len) {
			sb_printf(sb, "  %s: the output its threads wrote differs at byte %zu (%zu bytes recorded, %zu "
				  "replayed): ", o->name, at, o->rec_len, o->rep_len);
			render_excerpt(sb, rec, o->rec_len, at);
			sb_puts(sb, " vs ");
			render_excerpt(sb, o->rep, o->rep_len, at);
			sb_puts(sb, " [UNEXPECTED_MEMORY_CONTENT]\n");
			lines++;
		}
		free(rec);
	}
	return lines;
}
