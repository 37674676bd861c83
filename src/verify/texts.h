/* Whole files read through one descriptor, kept until the program has
 * read them to the end: a mount table whose lines are longer on one side
 * (mount ids 68 vs 105) is cut into reads at other places, so its reads
 * can only be compared once joined. Pure logic. */
#ifndef SPERRIPS_VERIFY_TEXTS_H
#define SPERRIPS_VERIFY_TEXTS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/event.h"

struct texts;

struct texts *texts_new(void);
void texts_free(struct texts *t);

/** Append one read of file `key` (recorded and replayed bytes). 0 or -ENOMEM. */
int texts_add(struct texts *t, uint64_t key, struct sp_bytes rec, struct sp_bytes rep);

/** The bytes read so far through `key` (valid until the next call on t);
 *  false if nothing was kept. */
bool texts_get(const struct texts *t, uint64_t key, struct sp_bytes *rec, struct sp_bytes *rep);

/** True if some file is kept. */
bool texts_any(const struct texts *t);

/** Forget file `key`; with `fd` >= 0 instead, every key of that descriptor
 *  number (closed or reused). */
void texts_drop(struct texts *t, uint64_t key);
void texts_drop_fd(struct texts *t, int fd);

#endif
