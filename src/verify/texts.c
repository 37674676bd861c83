#include "verify/texts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct text {
	uint64_t key;
	uint8_t *b[2];
	size_t n[2], cap[2];
};

struct texts {
	struct text *v;
	size_t n, cap;
};

struct texts *texts_new(void)
{
	return calloc(1, sizeof(struct texts));
}

void texts_free(struct texts *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].b[0]);
		free(t->v[i].b[1]);
	}
	free(t->v);
	free(t);
}

static struct text *find(const struct texts *t, uint64_t key)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (t->v[i].key == key)
			return &t->v[i];
	return NULL;
}

static int append(struct text *x, int s, struct sp_bytes b)
{
	if (x->n[s] + b.len > x->cap[s]) {
		size_t cap = x->cap[s] ? x->cap[s] : 4096;
		while (cap < x->n[s] + b.len)
			cap *= 2;
		uint8_t *p = realloc(x->b[s], cap);
		if (!p)
			return -ENOMEM;
		x->b[s] = p;
		x->cap[s] = cap;
	}
	if (b.len)
		memcpy(x->b[s] + x->n[s], b.data, b.len);
	x->n[s] += b.len;
	return 0;
}

int texts_add(struct texts *t, uint64_t key, struct sp_bytes rec, struct sp_bytes rep)
{
	struct text *x = find(t, key);
	if (!x) {
		if (t->n == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 8;
			struct text *v = realloc(t->v, cap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			t->v = v;
			t->cap = cap;
		}
		x = &t->v[t->n++];
		memset(x, 0, sizeof(*x));
		x->key = key;
	}
	return append(x, 0, rec) < 0 || append(x, 1, rep) < 0 ? -ENOMEM : 0;
}

bool texts_get(const struct texts *t, uint64_t key, struct sp_bytes *rec, struct sp_bytes *rep)
{
	const struct text *x = find(t, key);
	if (!x)
		return false;
	*rec = (struct sp_bytes){ x->b[0], x->n[0] };
	*rep = (struct sp_bytes){ x->b[1], x->n[1] };
	return true;
}

static void drop_at(struct texts *t, size_t i)
{
	free(t->v[i].b[0]);
	free(t->v[i].b[1]);
	t->v[i] = t->v[--t->n];
}

void texts_drop(struct texts *t, uint64_t key)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (t->v[i].key == key) {
			drop_at(t, i);
			return;
		}
}

void texts_drop_fd(struct texts *t, int fd)
{
	for (size_t i = 0; t && i < t->n;)
		if ((uint32_t)t->v[i].key == (uint32_t)fd)
			drop_at(t, i);
		else
			i++;
}

bool texts_any(const struct texts *t)
{
	return t && t->n;
}
