#include "verify/dirlists.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/render.h"

/* An entry seen on one side only: "name" with its type. */
struct lone {
	char *name;
	size_t len;
	uint8_t type;
};

struct listing {
	uint64_t key;
	struct lone *v[2]; /* [0] recorded only, [1] replayed only */
	size_t n[2], cap[2];
};

struct dirlists {
	struct listing *l;
	size_t n, cap;
};

struct dirlists *dirlists_new(void)
{
	return calloc(1, sizeof(struct dirlists));
}

static void listing_free(struct listing *l)
{
	for (int s = 0; s < 2; s++) {
		for (size_t i = 0; i < l->n[s]; i++)
			free(l->v[s][i].name);
		free(l->v[s]);
	}
}

void dirlists_free(struct dirlists *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++)
		listing_free(&d->l[i]);
	free(d->l);
	free(d);
}

static struct listing *find(const struct dirlists *d, uint64_t key)
{
	for (size_t i = 0; d && i < d->n; i++)
		if (d->l[i].key == key)
			return &d->l[i];
	return NULL;
}

bool dirlists_pending(const struct dirlists *d, uint64_t key)
{
	const struct listing *l = find(d, key);
	return l && (l->n[0] || l->n[1]);
}

/* One entry of side `s`: cancels the same entry waiting on the other side,
 * or waits itself. */
static int one(struct listing *l, int s, const struct dirent_name *e)
{
	int o = !s;
	for (size_t i = 0; i < l->n[o]; i++) {
		struct lone *w = &l->v[o][i];
		if (w->len == e->len && w->type == e->type && !memcmp(w->name, e->name, e->len)) {
			free(w->name);
			memmove(w, w + 1, (l->n[o] - i - 1) * sizeof(*w)); /* keep the order for the report */
			l->n[o]--;
			return 0;
		}
	}
	if (l->n[s] == l->cap[s]) {
		size_t cap = l->cap[s] ? l->cap[s] * 2 : 16;
		struct lone *v = realloc(l->v[s], cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		l->v[s] = v;
		l->cap[s] = cap;
	}
	char *name = malloc(e->len + 1);
	if (!name)
		return -ENOMEM;
	memcpy(name, e->name, e->len);
	name[e->len] = 0;
	l->v[s][l->n[s]++] = (struct lone){ name, e->len, e->type };
	return 0;
}

int dirlists_feed(struct dirlists *d, uint64_t key, const struct dirent_name *rec, size_t nrec,
		  const struct dirent_name *rep, size_t nrep)
{
	struct listing *l = find(d, key);
	if (!l) {
		if (d->n == d->cap) {
			size_t cap = d->cap ? d->cap * 2 : 8;
			struct listing *v = realloc(d->l, cap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			d->l = v;
			d->cap = cap;
		}
		l = &d->l[d->n++];
		memset(l, 0, sizeof(*l));
		l->key = key;
	}
	for (size_t i = 0; i < nrec; i++)
		if (one(l, 0, &rec[i]) < 0)
			return -ENOMEM;
	for (size_t i = 0; i < nrep; i++)
		if (one(l, 1, &rep[i]) < 0)
			return -ENOMEM;
	/* Every entry found its pair so far: nothing to remember. */
	if (!l->n[0] && !l->n[1]) {
		listing_free(l);
		*l = d->l[--d->n];
	}
	return 0;
}

static void describe(const struct listing *l, struct strbuf *sb)
{
	static const char *const side[2] = { "recorded", "replayed" };
	bool first = true;
	for (int s = 0; s < 2; s++) {
		if (!l->n[s])
			continue;
		sb_printf(sb, "%s%zu entr%s only %s: ", first ? "" : "; ", l->n[s], l->n[s] == 1 ? "y" : "ies", side[s]);
		first = false;
		for (size_t i = 0; i < l->n[s] && i < 3; i++) {
			if (i)
				sb_puts(sb, ", ");
			render_bytes(sb, (const uint8_t *)l->v[s][i].name, l->v[s][i].len, 64);
		}
		if (l->n[s] > 3)
			sb_puts(sb, ", ...");
	}
}

static bool drop(struct dirlists *d, struct listing *l, struct strbuf *sb)
{
	bool ok = !l->n[0] && !l->n[1];
	if (!ok && sb)
		describe(l, sb);
	listing_free(l);
	*l = d->l[--d->n];
	return ok;
}

bool dirlists_end(struct dirlists *d, uint64_t key, struct strbuf *sb)
{
	struct listing *l = find(d, key);
	return !l || drop(d, l, sb);
}

int dirlists_forget_fd(struct dirlists *d, int fd, struct strbuf *sb)
{
	int bad = 0;
	for (size_t i = 0; d && i < d->n;) {
		struct listing *l = &d->l[i];
		if ((uint32_t)l->key != (uint32_t)fd) {
			i++;
			continue;
		}
		bad += !drop(d, l, bad ? NULL : sb);
	}
	return bad;
}

bool dirlists_any(const struct dirlists *d)
{
	return d && d->n;
}

int dirlists_report_left(const struct dirlists *d, struct strbuf *sb)
{
	int bad = 0;
	for (size_t i = 0; d && i < d->n; i++) {
		const struct listing *l = &d->l[i];
		if (!l->n[0] && !l->n[1])
			continue;
		sb_printf(sb, "  a directory listing of descriptor %u of process %u was left unfinished: ",
			  (uint32_t)l->key, (uint32_t)(l->key >> 32));
		struct strbuf w = { 0 };
		describe(l, &w);
		sb_printf(sb, "%s [UNEXPECTED_MEMORY_CONTENT]\n", w.s ? w.s : "");
		sb_free(&w);
		bad++;
	}
	return bad;
}
