/* A bump allocator for the bytes of one event: reset after each syscall, so
 * that the tracer neither allocates per syscall nor grows with their number. */
#ifndef SPERRIPS_ARENA_H
#define SPERRIPS_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;  /* the chunk being filled */
	size_t keep;               /* capacity kept across resets */
};

/** Initialise an empty arena that keeps up to `keep` bytes between resets. */
void arena_init(struct arena *a, size_t keep);
/** `n` bytes, 16-byte aligned, valid until the next reset; NULL if out of memory. */
void *arena_alloc(struct arena *a, size_t n);
/** Drop everything allocated; memory beyond `keep` goes back to the system. */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

#endif
