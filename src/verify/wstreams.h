/* What threads sharing a descriptor write through it, compared as one
 * output. `sort --parallel=2` writes its result through whichever merge
 * thread holds the output lock: when the threads interleave otherwise on
 * replay, each thread writes other parts of the same output, and a
 * comparison call by call would flag every write. The recorded output is
 * the recorded writes in their recorded order (seq); the replayed output
 * is the replayed writes in the order they ran. Both are compared whole at
 * the end. Pure logic: no tracee access. */
#ifndef SPERRIPS_VERIFY_WSTREAMS_H
#define SPERRIPS_VERIFY_WSTREAMS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/event.h"
#include "base/strbuf.h"

/* The most bytes kept for all outputs together; beyond it, writes are
 * compared call by call again. */
#define WSTREAMS_MAX_BYTES (256u << 20)

struct wstreams;

struct wstreams *wstreams_new(void);
void wstreams_free(struct wstreams *w);

/** One write to the output `id` (a file's or pipe's inode, named `name`
 *  for the verdict): the recorded call's bytes and its recorded order
 *  `seq`, and the bytes the replayed call wrote. Returns 0 if kept, or
 *  -ENOSPC beyond WSTREAMS_MAX_BYTES (the caller compares this write
 *  itself), or -ENOMEM. */
int wstreams_add(struct wstreams *w, uint64_t id, const char *name, uint64_t seq, struct sp_bytes rec,
		 struct sp_bytes rep);

/** Compare each output whole: one line per output that differs, with the
 *  first differing byte and both sides around it. Returns how many. */
int wstreams_report(struct wstreams *w, struct strbuf *sb);

#endif
