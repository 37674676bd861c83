/* The "scheduling" class of acceptable differences: results that only
 * reflect the timing between threads and processes. */
#ifndef SPERRIPS_SCHED_CLASS_H
#define SPERRIPS_SCHED_CLASS_H

#include "base/event.h"

/** Turn the must-match differences of `rep` that only reflect timing
 *  (futex wake counts and timeouts, sched_yield, which descriptors a poll
 *  found ready) into acceptable ones labelled "scheduling", so that the
 *  recorded result is replayed and counted, never passed silently.
 *  Returns how many were turned. */
int sched_class_apply(const struct sp_event *rec, struct sp_event *rep);
/** Is a call numbered `nr` one whose presence depends on the timing
 *  between threads (futex, sched_yield), so that one the recording has and
 *  the replay not, or the reverse, is a scheduling difference? */
bool sched_class_optional(uint32_t nr);
/** Does a call numbered `nr` wait for what other threads or processes do
 *  and return what they did by then (reads of pipes and sockets, wait4,
 *  poll)? Replay enters such a call only once they did all they did
 *  before it returned when recorded. Lock waits are not among them: a
 *  futex entered after its wake would wait forever. */
bool sched_class_waits(uint32_t nr);
/** Is `ev` (recorded or replayed) a call that may be there in one run and
 *  not in the other when threads run: the optional calls above, and the
 *  calls that only shape the process's own anonymous memory (mmap of
 *  MAP_ANONYMOUS, mprotect, munmap, madvise, brk). Which thread grows or
 *  takes a malloc arena, and when, is decided by a trylock between the
 *  threads' user code: the interleaving. None of them acts outside the
 *  process, and what the program later does with the memory is compared
 *  by the calls that take it in or out. */
bool sched_class_elastic(const struct sp_event *ev);
/** Can a call numbered `nr` be elastic (for mmap: when anonymous), as far
 *  as its number tells? */
bool sched_class_maybe_elastic(uint32_t nr);
/** Threads sharing memory interleave otherwise than recorded: the
 *  must-match differences of an elastic memory call (mprotect of another
 *  length, mmap at another address) become "scheduling". Returns how many. */
int sched_class_apply_memory(const struct sp_event *rec, struct sp_event *rep);
/** Does a call numbered `nr` return a new descriptor (the lowest free)? */
bool sched_class_takes_fd(uint32_t nr);
/** Must the replayed result of `ev` stay as the kernel gave it, even where
 *  it differs acceptably? A futex result written into a lock the thread
 *  really holds or not would break the lock (glibc aborts). */
bool sched_class_keep_result(const struct sp_event *ev);

#endif
