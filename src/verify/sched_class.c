/* Which calls report timing rather than content (see sched_class.h). The
 * data a program reads after a poll said "ready" is still compared by its
 * own read, so accepting the readiness hides nothing the program took in. */
#include "verify/sched_class.h"

#include <string.h>

#include "syscalls/table.h"
#include "verify/policy.h"

static const char *const timing_calls[] = {
	"futex", "futex_waitv", "sched_yield", "poll", "ppoll", "select", "pselect6",
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "nanosleep", "clock_nanosleep",
};

static bool timing_call(uint32_t nr)
{
	const char *name = sc_name(nr);
	if (!name)
		return false;
	for (size_t i = 0; i < sizeof(timing_calls) / sizeof(timing_calls[0]); i++)
		if (!strcmp(name, timing_calls[i]))
			return true;
	return false;
}

/* Calls with no effect outside the thread but the timing itself: taking a
 * lock (futex), giving up the CPU, reading the clock to compute a deadline
 * for a timed wait. */
static const char *const optional_calls[] = {
	"futex", "sched_yield", "clock_gettime", "gettimeofday",
};

bool sched_class_optional(uint32_t nr)
{
	const char *name = sc_name(nr);
	if (!name)
		return false;
	for (size_t i = 0; i < sizeof(optional_calls) / sizeof(optional_calls[0]); i++)
		if (!strcmp(name, optional_calls[i]))
			return true;
	return false;
}

bool sched_class_keep_result(const struct sp_event *ev)
{
	const char *name = sc_name(ev->nr);
	return name && !strcmp(name, "futex");
}

bool sched_class_elastic(const struct sp_event *ev)
{
	static const char *const memory_calls[] = { "mprotect", "munmap", "madvise", "brk" };
	const char *name = sc_name(ev->nr);
	if (!name)
		return false;
	if (sched_class_optional(ev->nr))
		return true;
	for (size_t i = 0; i < sizeof(memory_calls) / sizeof(memory_calls[0]); i++)
		if (!strcmp(name, memory_calls[i]))
			return true;
	/* mmap(addr, len, prot, flags, fd, off): MAP_ANONYMOUS is 0x20 */
	return !strcmp(name, "mmap") && ev->nargs >= 4 && (ev->entry[3].value & 0x20);
}

static const char *const waiting_calls[] = {
	"read", "readv", "recvfrom", "recvmsg", "recvmmsg", "wait4", "waitid",
	"poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait", "epoll_pwait2",
};

bool sched_class_waits(uint32_t nr)
{
	const char *name = sc_name(nr);
	if (!name)
		return false;
	for (size_t i = 0; i < sizeof(waiting_calls) / sizeof(waiting_calls[0]); i++)
		if (!strcmp(name, waiting_calls[i]))
			return true;
	return false;
}

bool sched_class_takes_fd(uint32_t nr)
{
	static const char *const calls[] = {
		"open", "openat", "openat2", "creat", "socket", "accept", "accept4", "dup", "eventfd2",
		"epoll_create1", "memfd_create", "timerfd_create", "signalfd4", "inotify_init1", "pidfd_open",
	};
	const char *name = sc_name(nr);
	for (size_t i = 0; name && i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcmp(name, calls[i]))
			return true;
	return false;
}

int sched_class_apply_memory(const struct sp_event *rec, struct sp_event *rep)
{
	if (rec->nr != rep->nr || sched_class_optional(rep->nr) || !sched_class_elastic(rep) || !sched_class_elastic(rec))
		return 0;
	int n = 0;
	for (int i = 0; i < rep->n_diffs; i++) {
		struct sp_diff *d = &rep->diffs[i];
		if (d->klass != PC_MUST)
			continue;
		d->klass = PC_ACCEPT;
		d->label = "scheduling";
		n++;
	}
	return n;
}

int sched_class_apply(const struct sp_event *rec, struct sp_event *rep)
{
	if (rec->nr != rep->nr || !timing_call(rep->nr))
		return 0;
	int n = 0;
	bool futex = !strcmp(sc_name(rep->nr), "futex");
	for (int i = 0; i < rep->n_diffs; i++) {
		struct sp_diff *d = &rep->diffs[i];
		/* Which futex operation a thread makes, and on which word, is the
		 * lock's state at that instant: the interleaving of user code. */
		if (d->klass != PC_MUST || (!d->at_exit && !futex))
			continue;
		if (futex) {
			d->klass = PC_ACCEPT;
			d->label = "scheduling";
			n++;
			continue;
		}
		/* The return value and what the kernel wrote back (revents, fd
		 * sets, the remaining time); never the pointers themselves. */
		if (d->field && (!strcmp(d->field, "ptr") || !strcmp(d->field, "length")))
			continue;
		d->klass = PC_ACCEPT;
		d->label = "scheduling";
		n++;
	}
	return n;
}
