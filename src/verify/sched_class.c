/* Which calls report timing rather than content (see sched_class.h). The
 * data a program reads after a poll said "ready" is still compared by its
 * own read, so accepting the readiness hides nothing the program took in. */
#include "verify/sched_class.h"

#include <string.h>

#include "syscalls/table.h"
#include "verify/policy.h"

/* Each list below gives the calls of one class by name; class_of() turns
 * them into one bit mask per syscall number, built on first use, so that
 * the per-call questions of replay cost an array index, not a scan of
 * names (they are asked several times for every syscall replayed). */
enum {
	C_TIMING = 1 << 0,   /* reports timing rather than content */
	C_OPTIONAL = 1 << 1, /* may be in one run and not the other */
	C_MEMORY = 1 << 2,   /* changes the address space (elastic with threads) */
	C_WAITS = 1 << 3,    /* may wait for another thread's step */
	C_TAKES_FD = 1 << 4, /* returns a new descriptor */
	C_FUTEX = 1 << 5,
	C_MMAP = 1 << 6,
};

static const char *const timing_calls[] = {
	"futex", "futex_waitv", "sched_yield", "poll", "ppoll", "select", "pselect6",
	"epoll_wait", "epoll_pwait", "epoll_pwait2", "nanosleep", "clock_nanosleep", NULL,
};

/* Calls with no effect outside the thread but the timing itself: taking a
 * lock (futex), giving up the CPU, reading the clock to compute a deadline
 * for a timed wait. */
static const char *const optional_calls[] = {
	"futex", "sched_yield", "clock_gettime", "gettimeofday", NULL,
};

static const char *const memory_calls[] = { "mprotect", "munmap", "madvise", "brk", NULL };

static const char *const waiting_calls[] = {
	"read", "readv", "recvfrom", "recvmsg", "recvmmsg", "wait4", "waitid",
	"poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait", "epoll_pwait2", NULL,
};

static const char *const fd_calls[] = {
	"open", "openat", "openat2", "creat", "socket", "accept", "accept4", "dup", "eventfd2",
	"epoll_create1", "memfd_create", "timerfd_create", "signalfd4", "inotify_init1", "pidfd_open", NULL,
};

static const struct {
	const char *const *names;
	uint8_t bit;
} classes[] = {
	{ timing_calls, C_TIMING }, { optional_calls, C_OPTIONAL }, { memory_calls, C_MEMORY },
	{ waiting_calls, C_WAITS }, { fd_calls, C_TAKES_FD },
};

static uint8_t classes_of_name(const char *name)
{
	uint8_t m = 0;
	if (!name)
		return 0;
	for (size_t c = 0; c < sizeof(classes) / sizeof(classes[0]); c++)
		for (const char *const *n = classes[c].names; *n; n++)
			if (!strcmp(name, *n))
				m |= classes[c].bit;
	if (!strcmp(name, "futex"))
		m |= C_FUTEX;
	if (!strcmp(name, "mmap"))
		m |= C_MMAP;
	return m;
}

#define CACHED_NRS 1024

static uint8_t class_of(uint32_t nr)
{
	static uint8_t cache[CACHED_NRS];
	static bool built;
	if (nr >= CACHED_NRS)
		return classes_of_name(sc_name(nr)); /* an i386 call: shown raw, rare */
	if (!built) {
		for (uint32_t i = 0; i < CACHED_NRS; i++)
			cache[i] = classes_of_name(sc_name(i));
		built = true;
	}
	return cache[nr];
}

static bool timing_call(uint32_t nr)
{
	return class_of(nr) & C_TIMING;
}

bool sched_class_optional(uint32_t nr)
{
	return class_of(nr) & C_OPTIONAL;
}

bool sched_class_keep_result(const struct sp_event *ev)
{
	return class_of(ev->nr) & C_FUTEX;
}

bool sched_class_elastic(const struct sp_event *ev)
{
	uint8_t m = class_of(ev->nr);
	if (m & (C_OPTIONAL | C_MEMORY))
		return true;
	/* mmap(addr, len, prot, flags, fd, off): MAP_ANONYMOUS is 0x20 */
	return (m & C_MMAP) && ev->nargs >= 4 && (ev->entry[3].value & 0x20);
}

bool sched_class_maybe_elastic(uint32_t nr)
{
	return class_of(nr) & (C_OPTIONAL | C_MEMORY | C_MMAP);
}

bool sched_class_waits(uint32_t nr)
{
	return class_of(nr) & C_WAITS;
}

bool sched_class_takes_fd(uint32_t nr)
{
	return class_of(nr) & C_TAKES_FD;
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
	bool futex = class_of(rep->nr) & C_FUTEX;
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
