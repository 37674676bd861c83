/* Compare a replayed syscall with its recording, value by value, and
 * classify each difference with the policy. Pure logic: no tracee access. */
#ifndef SPERRIPS_COMPARE_H
#define SPERRIPS_COMPARE_H

#include <stdbool.h>

#include "base/event.h"
#include "verify/policy.h"
#include "base/strbuf.h"
#include "verify/dirlists.h"
#include "verify/ptrmap.h"
#include "verify/streams.h"
#include "verify/wstreams.h"
#include "verify/texts.h"

struct compare_ctx {
	const struct policy *pol;
	struct ptrmap *ptrs;
	/* What descriptor `fd` of replayed `tid` is (enum policy_source; for a
	 * pipe *id names it). Asked only about reads whose bytes differ, or
	 * while some pipe's streams are apart. NULL: every descriptor is a file. */
	int (*source)(void *arg, uint32_t tid, int fd, uint64_t *id);
	/* Take up to n bytes out of pipe `fd` of `tid` without waiting (the
	 * ones the recorded reader got and the replayed one not yet): bytes
	 * read, or <0. NULL: never. */
	long (*drain)(void *arg, uint32_t tid, int fd, uint8_t *buf, size_t n);
	void *source_arg;
	struct streams *streams;  /* pipes compared as streams; NULL: read by read */
	/* With threads_interleave: writes to a file or pipe compared as the
	 * whole output at the end (wstreams.h); NULL: write by write. */
	struct wstreams *wstreams;
	/* The name of descriptor `fd` of `tid` for the verdict, or NULL. */
	const char *(*name)(void *arg, uint32_t tid, int fd, char *buf, size_t len);
	struct dirlists *dirs;    /* listings compared as wholes; NULL: call by call */
	struct texts *texts;      /* mount tables compared as wholes; NULL: read by read */
	struct strbuf why;        /* the verdict's words for the last "dir_listing" or "mount_table" difference */
	uint64_t mapped;   /* pointers that differ but map consistently */
	/* Threads share the memory and their user code interleaves otherwise
	 * than recorded: which thread's allocation comes first, and so the
	 * address a string or buffer lands at, is that interleaving. A pointer
	 * that breaks the map is then acceptable ("scheduling"); the bytes
	 * behind it are still compared. */
	bool threads_interleave;
	/* Differences beyond SP_MAX_DIFFS in one event: counted, and a
	 * must-match one takes the place of an acceptable one (never lost). */
	uint64_t dropped;
	uint64_t dropped_must;    /* must-match ones that found no place (all 16 are must-match) */
	/* Stat'ed files found changed (their recorded digests): each is
	 * named at its first stat only, not at every one after. */
	uint8_t changed_files[32][32];
	unsigned n_changed_files;
};

/** Compare `rep` with `rec` at entry (at_exit false: the entry arguments)
 *  or at exit (out-arguments and the return value); append the differences
 *  to rep->diffs. Returns the number appended. */
int compare_event(struct compare_ctx *c, const struct sp_event *rec, struct sp_event *rep, bool at_exit);

/** At the end of the run: lines for the verdict about pipe streams and
 *  directory listings left with bytes or entries on one side only (each
 *  a must-match difference). Returns how many lines. */
int compare_finish(struct compare_ctx *c, struct strbuf *sb);

/** Number of bytes of `a` and `b` that agree from the start. */
size_t compare_common_prefix(struct sp_bytes a, struct sp_bytes b);

#endif
