/* Compare a replayed syscall with its recording, value by value, and
 * classify each difference with the policy. Pure logic: no tracee access. */
#ifndef SPERRIPS_COMPARE_H
#define SPERRIPS_COMPARE_H

#include <stdbool.h>

#include "base/event.h"
#include "verify/policy.h"
#include "verify/ptrmap.h"

struct compare_ctx {
	const struct policy *pol;
	struct ptrmap *ptrs;
	uint64_t mapped;   /* pointers that differ but map consistently */
	uint64_t dropped;  /* differences beyond SP_MAX_DIFFS in one event */
};

/** Compare `rep` with `rec` at entry (at_exit false: the entry arguments)
 *  or at exit (out-arguments and the return value); append the differences
 *  to rep->diffs. Returns the number appended. */
int compare_event(struct compare_ctx *c, const struct sp_event *rec, struct sp_event *rep, bool at_exit);

/** Number of bytes of `a` and `b` that agree from the start. */
size_t compare_common_prefix(struct sp_bytes a, struct sp_bytes b);

#endif
