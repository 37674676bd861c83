/* The replay schedule: which thread may take its next step (enter or
 * complete a syscall, take a signal) now, in the order the recording gives
 * every step of every thread (the Syscall seq/seq_exit and Signal seq
 * numbers). The scheduler only decides; replay does the steps and tells it
 * where each thread stands. It knows nothing of files or ptrace. */
#ifndef SPERRIPS_SCHEDULE_H
#define SPERRIPS_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCHED_NONE UINT64_MAX    /* the thread has no recorded step left */
#define SCHED_UNKNOWN (UINT64_MAX - 1)

/* Where a parked thread stands: before a syscall, at its exit, before a
 * signal, or dying (at its exit event, before it is gone). */
enum sched_park { SCHED_RUNNING = 0, SCHED_AT_ENTRY, SCHED_AT_EXIT, SCHED_AT_SIGNAL, SCHED_AT_END };

struct sched_thread {
	uint64_t next;       /* seq of its next recorded step, or SCHED_* */
	uint64_t waiting;    /* parked: the seq of the step it waits to take */
	enum sched_park park;
	bool needs_kernel;   /* parked at an entry that must wait for the kernel token */
	bool live;
	bool relaxed;        /* left out of the order: it blocked at its turn */
	bool let_in;         /* let into a waiting call early, no step taken since */
	bool held;           /* parked until something the replay waits for (a
			      * descriptor freed): not ready even at its turn,
			      * and the others do not wait for it meanwhile */
	void *owner;         /* the replay's own state for this thread */
	size_t slot;
};

struct schedule {
	struct sched_thread **live;
	size_t n_live, cap;
	size_t max_live;       /* the most threads in the order at once */
	/* The seq of `th`'s next step, read ahead in the recording if needed. */
	uint64_t (*peek)(void *ctx, struct sched_thread *th);
	void *ctx;
	uint64_t relaxations;  /* times a blocked thread's turn was given away */
	/* The one thread running in user space (between a syscall exit or a
	 * signal and its next syscall entry), or NULL. Threads of a job share
	 * memory: running their user code one at a time, in the recorded order
	 * of their syscalls, makes what each reads from the others' writes
	 * follow that order too. Threads inside the kernel do not count. */
	struct sched_thread *user;
	/* The one thread inside a call that does its work at once (not a
	 * wait): such calls run one at a time, so that what they take and
	 * free (descriptors, memory) goes in the recorded order. */
	struct sched_thread *kernel;
};

/** Start with no threads. */
void sched_init(struct schedule *s, uint64_t (*peek)(void *, struct sched_thread *), void *ctx);
void sched_free(struct schedule *s);
/** `th` takes part in the order from now on (next unknown). 0 or -ENOMEM. */
int sched_add(struct schedule *s, struct sched_thread *th);
/** `th` is gone: its steps no longer hold anyone back. */
void sched_remove(struct schedule *s, struct sched_thread *th);
/** May `th` take its step `seq` now? True when no other thread in the order
 *  has an earlier step to take (threads with unknown next steps are peeked). */
bool sched_turn(struct schedule *s, struct sched_thread *th, uint64_t seq);
/** `th` took a step: its next one is unknown until peeked again. */
static inline void sched_stepped(struct sched_thread *th)
{
	th->next = SCHED_UNKNOWN;
	th->relaxed = false;
	th->let_in = false;
}
/** Is `th` let back into user space now (after an exit or a signal)? */
static inline bool sched_user_free(const struct schedule *s, const struct sched_thread *th)
{
	return !s->user || s->user == th || !s->user->live;
}
/** `th` goes back to user space, alone. */
static inline void sched_enter_user(struct schedule *s, struct sched_thread *th)
{
	s->user = th;
}
/** `th` stopped (a syscall entry, its end): user space is free. */
static inline void sched_leave_user(struct schedule *s, struct sched_thread *th)
{
	if (s->user == th)
		s->user = NULL;
}
static inline bool sched_kernel_free(const struct schedule *s, const struct sched_thread *th)
{
	return !s->kernel || s->kernel == th || !s->kernel->live;
}
static inline void sched_enter_kernel(struct schedule *s, struct sched_thread *th)
{
	s->kernel = th;
}
static inline void sched_leave_kernel(struct schedule *s, struct sched_thread *th)
{
	if (s->kernel == th)
		s->kernel = NULL;
}
/** A parked thread whose turn it is now, or NULL. */
struct sched_thread *sched_ready(struct schedule *s);
/** No step was taken for a while and threads are parked: the thread whose
 *  step comes first is blocked (in the kernel, waiting for a thread we
 *  hold). Leave it out of the order until its next stop and return it
 *  (NULL if none could be found). The thread running in user space is
 *  let go only if `user_too`: far more often than spinning on memory it
 *  is computing, and letting another run beside it changes what both see
 *  of the memory they share; the caller waits much longer for it. Nor is
 *  any other thread let go while it computes (without `user_too`): it may
 *  yet release what they wait for. */
struct sched_thread *sched_relax(struct schedule *s, bool user_too);

#endif
