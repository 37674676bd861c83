#include "verify/ptrmap.h"

#include <stdlib.h>

#include "base/util.h"

struct ptrmap_slot {
	uint64_t key, val;
	bool used;
};

static size_t hash(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

void ptrmap_init(struct ptrmap *m)
{
	m->cap = 256;
	m->n = 0;
	m->fwd = xcalloc(m->cap, sizeof(*m->fwd));
	m->rev = xcalloc(m->cap, sizeof(*m->rev));
}

void ptrmap_free(struct ptrmap *m)
{
	free(m->fwd);
	free(m->rev);
	m->fwd = m->rev = NULL;
	m->cap = m->n = 0;
}

static struct ptrmap_slot *slot(const struct ptrmap_slot *t, size_t cap, uint64_t k)
{
	size_t i = hash(k, cap);
	while (t[i].used && t[i].key != k)
		i = (i + 1) & (cap - 1);
	return (struct ptrmap_slot *)&t[i];
}

static void grow(struct ptrmap *m)
{
	size_t cap = m->cap * 2;
	struct ptrmap_slot *f = xcalloc(cap, sizeof(*f)), *r = xcalloc(cap, sizeof(*r));
	for (size_t i = 0; i < m->cap; i++) {
		if (m->fwd[i].used)
			*slot(f, cap, m->fwd[i].key) = m->fwd[i];
		if (m->rev[i].used)
			*slot(r, cap, m->rev[i].key) = m->rev[i];
	}
	free(m->fwd);
	free(m->rev);
	m->fwd = f;
	m->rev = r;
	m->cap = cap;
}

bool ptrmap_pair(struct ptrmap *m, uint64_t rec, uint64_t rep)
{
	struct ptrmap_slot *f = slot(m->fwd, m->cap, rec), *r = slot(m->rev, m->cap, rep);
	if (f->used || r->used)
		return f->used && r->used && f->val == rep && r->val == rec;
	if ((m->n + 1) * 2 > m->cap) {
		grow(m);
		f = slot(m->fwd, m->cap, rec);
		r = slot(m->rev, m->cap, rep);
	}
	*f = (struct ptrmap_slot){ rec, rep, true };
	*r = (struct ptrmap_slot){ rep, rec, true };
	m->n++;
	return true;
}

bool ptrmap_check(struct ptrmap *m, uint64_t rec, uint64_t rep)
{
	if (!rec || !rep)
		return rec == rep;
	return ptrmap_pair(m, rec, rep);
}

bool ptrmap_to_replayed(const struct ptrmap *m, uint64_t rec, uint64_t *rep)
{
	const struct ptrmap_slot *f = slot(m->fwd, m->cap, rec);
	if (f->used)
		*rep = f->val;
	return f->used;
}

bool ptrmap_to_recorded(const struct ptrmap *m, uint64_t rep, uint64_t *rec)
{
	const struct ptrmap_slot *r = slot(m->rev, m->cap, rep);
	if (r->used)
		*rec = r->val;
	return r->used;
}

size_t ptrmap_size(const struct ptrmap *m)
{
	return m->n;
}
