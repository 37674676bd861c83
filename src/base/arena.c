#include "base/arena.h"

#include <stdint.h>
#include <stdlib.h>

struct arena_chunk {
	struct arena_chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

void arena_init(struct arena *a, size_t keep)
{
	a->head = NULL;
	a->keep = keep;
}

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct arena_chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		size_t size = 64 * 1024;
		if (c && c->size * 2 > size)
			size = c->size * 2;
		if (size < n)
			size = n;
		struct arena_chunk *nc = malloc(sizeof(*nc) + size);
		if (!nc)
			return NULL;
		nc->size = size;
		nc->used = 0;
		nc->next = c;
		a->head = c = nc;
	}
	void *p = c->data + c->used;
	c->used += n;
	return p;
}

void arena_reset(struct arena *a)
{
	/* Keep the newest chunk (the largest) if it fits the budget. */
	struct arena_chunk *c = a->head, *keep = NULL;
	if (c && c->size <= a->keep) {
		keep = c;
		c = c->next;
		keep->next = NULL;
		keep->used = 0;
	}
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = keep;
}

void arena_free(struct arena *a)
{
	a->keep = 0;
	arena_reset(a);
}
