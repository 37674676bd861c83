/* The replay schedule (see schedule.h). Turn checks scan the live threads:
 * a job has few threads at a time, and a lone thread never waits, so a
 * single-threaded program pays nothing for the order. */
#include "verify/schedule.h"

#include <errno.h>
#include <stdlib.h>

void sched_init(struct schedule *s, uint64_t (*peek)(void *, struct sched_thread *), void *ctx)
{
	*s = (struct schedule){ .peek = peek, .ctx = ctx };
}

void sched_free(struct schedule *s)
{
	free(s->live);
	s->live = NULL;
	s->n_live = s->cap = 0;
}

int sched_add(struct schedule *s, struct sched_thread *th)
{
	if (th->live)
		return 0;
	if (s->n_live == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct sched_thread **a = realloc(s->live, cap * sizeof(*a));
		if (!a)
			return -ENOMEM;
		s->live = a;
		s->cap = cap;
	}
	th->live = true;
	th->next = SCHED_UNKNOWN;
	th->park = SCHED_RUNNING;
	th->slot = s->n_live;
	s->live[s->n_live++] = th;
	if (s->n_live > s->max_live)
		s->max_live = s->n_live;
	return 0;
}

void sched_remove(struct schedule *s, struct sched_thread *th)
{
	if (!th->live)
		return;
	th->live = false;
	if (s->user == th)
		s->user = NULL;
	if (s->kernel == th)
		s->kernel = NULL;
	struct sched_thread *last = s->live[--s->n_live];
	s->live[th->slot] = last;
	last->slot = th->slot;
}

static uint64_t next_of(struct schedule *s, struct sched_thread *th)
{
	if (th->park != SCHED_RUNNING)
		return th->waiting;
	if (th->next == SCHED_UNKNOWN)
		th->next = s->peek(s->ctx, th);
	return th->next;
}

bool sched_turn(struct schedule *s, struct sched_thread *th, uint64_t seq)
{
	if (s->n_live < 2 || seq == SCHED_NONE || seq == 0)
		return true;
	for (size_t i = 0; i < s->n_live; i++) {
		struct sched_thread *o = s->live[i];
		if (o == th || o->relaxed || o->held)
			continue;
		if (next_of(s, o) < seq)
			return false;
	}
	return true;
}

struct sched_thread *sched_ready(struct schedule *s)
{
	for (size_t i = 0; i < s->n_live; i++) {
		struct sched_thread *th = s->live[i];
		if (th->park != SCHED_RUNNING && !th->held && (th->park == SCHED_AT_ENTRY || th->park == SCHED_AT_END || sched_user_free(s, th)) &&
		    (!th->needs_kernel || sched_kernel_free(s, th)) && sched_turn(s, th, th->waiting))
			return th;
	}
	return NULL;
}

struct sched_thread *sched_relax(struct schedule *s, bool user_too)
{
	/* A thread computing in user space is progress still to come: it may
	 * release what the blocked one waits for. */
	if (!user_too && s->user && s->user->live)
		return NULL;
	/* The thread in user space did not come back (it spins on memory a
	 * held thread would change?): let the next one run beside it. */
	for (size_t i = 0; user_too && s->user && i < s->n_live; i++) {
		struct sched_thread *th = s->live[i];
		if (th->park != SCHED_RUNNING && th->park != SCHED_AT_ENTRY && sched_turn(s, th, th->waiting)) {
			struct sched_thread *u = s->user;
			s->user = NULL;
			s->relaxations++;
			return u;
		}
	}
	/* The call that went into the kernel did not come back (it blocks,
	 * on one we hold?): let the next one in beside it. */
	for (size_t i = 0; s->kernel && i < s->n_live; i++) {
		struct sched_thread *th = s->live[i];
		if (th->park == SCHED_AT_ENTRY && th->needs_kernel && !th->held && sched_turn(s, th, th->waiting)) {
			struct sched_thread *k = s->kernel;
			s->kernel = NULL;
			s->relaxations++;
			return k;
		}
	}
	/* A thread held before a call that waits (a lock, a pipe read) until
	 * its exit's turn: let it in now. Its exit still waits for its turn,
	 * and going in early releases what a thread blocked in a call the
	 * recording lacks may wait for (the lock it saw taken and is about to
	 * wait on is free by now: sort's threads met in another order). Far
	 * gentler than taking a thread out of the order. Once per thread
	 * until it takes a step: a thread going round a call the recording
	 * lacks (python's 5 ms GIL waits) would be let in for ever while the
	 * one blocked at its turn never is. */
	struct sched_thread *min = NULL;
	uint64_t best = SCHED_NONE;
	for (size_t i = 0; i < s->n_live; i++) {
		struct sched_thread *th = s->live[i];
		if (th->park == SCHED_AT_ENTRY && !th->needs_kernel && !th->let_in && th->waiting < best) {
			best = th->waiting;
			min = th;
		}
	}
	if (min) {
		min->waiting = 0;
		min->let_in = true;
		s->relaxations++;
		return min;
	}
	for (size_t i = 0; i < s->n_live; i++) {
		struct sched_thread *th = s->live[i];
		if (th->relaxed || th->park != SCHED_RUNNING || (!user_too && th == s->user))
			continue;
		uint64_t n = next_of(s, th);
		if (n < best) {
			best = n;
			min = th;
		}
	}
	if (min) {
		min->relaxed = true;
		s->relaxations++;
		return min;
	}
	/* Nobody runs: a thread held dying at its exit stop waits for a
	 * step that will not come here (the run went another way). It dies
	 * now: its death can release the others (a parent's wait). */
	for (size_t i = 0; i < s->n_live; i++) {
		struct sched_thread *th = s->live[i];
		if (th->park == SCHED_AT_END) {
			th->waiting = 0;
			s->relaxations++;
			return th;
		}
	}
	return NULL;
}
