/* The bpf recording backend (see bpf_record.h). Two threads deliver to the
 * phase: the tracer's (lifecycle: clone, exec, signals, ends) and the drain
 * thread (the syscalls the ring holds); one lock keeps them apart, and the
 * tracer's side drains the ring before each event of its own, so that a
 * thread's syscalls come before its signals and its end. */
#include "trace/bpf_record.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "base/arena.h"
#include "syscalls/table.h"
#include "trace/bpf_plan.h"
#include "trace/bpf_source.h"
#include "trace/capture.h"
#include "trace/tracee_mem.h"

/* Bytes the event arena keeps between records (as the tracer keeps). */
#define ARENA_KEEP (4u << 20)

struct bpf_record {
	struct bpf_source *src;
	uint64_t load_ns;
	struct tracer_ops inner;   /* the phase's own callbacks */
	pthread_mutex_t mu;
	pthread_t drainer;
	bool running;
	atomic_bool stopping;
	pid_t first;               /* the program's first process */
	bool exec_skipped;         /* its launcher execve's exit record */
	bool failed;               /* the phase's on_exit asked to stop */
	uint64_t seq;              /* the order of syscalls, signals and ends */
	uint64_t uncaptured;
	uint64_t throttled;        /* throttle stops the tracer took back */
	struct sp_event ev;
	struct arena arena;
	struct tracee stub;        /* stands for the thread a record names */
};


static bool mark_arg(struct sp_arg *a)
{
	if (a->flags & SP_UNREADABLE)
		a->flags |= SP_NOT_CAPTURED;
	return a->flags & SP_UNREADABLE;
}

/* Whatever the capture code could not read from the window is bytes BPF
 * did not copy (a fault at exit may be a page not yet in, not the
 * program's bad pointer): marked not captured, so that replay leaves them
 * unverified. What the ptrace side reads beside the call (the bytes a
 * copy_file_range moved, from the file afterwards; the digests of an
 * executed file) cannot be read from a program that ran on: not captured
 * either. */
static bool mark_uncaptured(struct sp_event *ev, uint32_t rec_flags)
{
	bool any = false;
	/* Nothing was copied: every pointer's bytes are missing, those of a
	 * sockaddr whose length lies behind another pointer too. */
	bool none = rec_flags & (SP_BPF_REC_FAULT | SP_BPF_REC_NOT_CAPTURED | SP_BPF_REC_NO_ENTRY);
	for (int i = 0; i < ev->nargs && i < SP_MAX_ARGS; i++) {
		if (none && ev->entry[i].ptr && (ev->entry[i].flags & SP_HAS_PTR)) {
			ev->entry[i].flags |= SP_UNREADABLE;
			ev->exit[i].flags |= SP_UNREADABLE;
		}
		any |= mark_arg(&ev->entry[i]);
		any |= mark_arg(&ev->exit[i]);
	}
	any |= mark_arg(&ev->ret);
	if (ev->desc && (ev->desc->flags & (SC_RET_MOVED | SC_EXEC)) && ev->returned) {
		ev->ret.flags &= (uint8_t)~SP_HAS_BUF;
		ev->ret.buf = (struct sp_bytes){ 0 };
		ev->ret.flags |= SP_UNREADABLE | SP_NOT_CAPTURED;
		ev->exec_image = ev->exec_interp = (struct sp_bytes){ 0 };
		any = true;
	}
	return any;
}

/* One record into one event, by the ptrace side's own capture code reading
 * from the captured buffer instead of the tracee: the same rows make the
 * same arguments, and every byte BPF did not copy reads as unmapped, so it
 * is marked unreadable rather than missing. */
static int deliver(const struct sp_bpf_rec *rec, void *arg)
{
	struct bpf_record *b = arg;
	pid_t tid = (pid_t)rec->tid;

	/* The launcher's execve, followed from inside: the ptrace recorder
	 * starts after it too. */
	if (!b->exec_skipped && (rec->flags & SP_BPF_REC_NO_ENTRY) && rec->tgid == (uint32_t)b->first &&
	    rec->nr == SYS_execve) {
		b->exec_skipped = true;
		return 0;
	}
	/* A new child's return from clone, fork or vfork: it never entered
	 * the call (the ptrace side sees no entry either, and records it in
	 * the parent only). */
	if ((rec->flags & SP_BPF_REC_NO_ENTRY) && rec->ret == 0 &&
	    (rec->nr == SYS_clone || rec->nr == SYS_fork || rec->nr == SYS_vfork || rec->nr == SYS_clone3))
		return 0;
	if (b->failed)
		return 0;
	struct sp_bpf_plan p = bpf_plan_for(rec->nr);
	struct mem_window w = { 0 }, w2 = { 0 };
	if (p.arg < 6 && p.size != SP_BPF_SZ_NONE && p.size != SP_BPF_SZ_PTRACE &&
	    !(rec->flags & (SP_BPF_REC_FAULT | SP_BPF_REC_NO_ENTRY)))
		w = (struct mem_window){ rec->args[p.arg], rec->data, rec->len, NULL };
	/* A second buffer: in the second half of the data. */
	if (w.data && p.arg2 < 6 && p.size2 != SP_BPF_SZ_NONE && p.size2 != SP_BPF_SZ_PTRACE) {
		w2 = (struct mem_window){ rec->args[p.arg2], rec->data + SP_BPF_HALF, rec->len2, NULL };
		w.next = &w2;
	}
	mem_use_window(&w);
	event_reset(&b->ev);
	capture_entry(&b->ev, tid, rec->nr, (const uint64_t *)rec->args);
	b->ev.tid = (uint32_t)tid;
	b->ev.seq = ++b->seq;
	if (!b->ev.is_exit_call) {
		capture_exit(&b->ev, tid, rec->ret);
		b->ev.seq_exit = ++b->seq;
	}
	mem_use_window(NULL);
	if (mark_uncaptured(&b->ev, rec->flags) || (rec->flags & SP_BPF_REC_TRUNCATED))
		b->uncaptured++;
	b->stub.tid = b->stub.vtid = tid;
	b->stub.last_nr = (int)rec->nr;
	if (b->inner.on_exit(b->inner.ctx, &b->stub, &b->ev) < 0)
		b->failed = true;
	return 0;
}

/* With the lock held. */
static void drain(struct bpf_record *b)
{
	while (bpf_source_poll(b->src, 0, deliver, b) > 0)
		;
}

static void *drain_main(void *arg)
{
	struct bpf_record *b = arg;
	struct pollfd pfd = { .fd = bpf_source_fd(b->src), .events = POLLIN };

	while (!atomic_load(&b->stopping)) {
		/* Woken by the BPF side once a batch waits; the timeout takes
		 * the rest of a slow program's records. */
		poll(&pfd, 1, 20);
		pthread_mutex_lock(&b->mu);
		drain(b);
		pthread_mutex_unlock(&b->mu);
	}
	return NULL;
}

static void lock_drained(struct bpf_record *b)
{
	pthread_mutex_lock(&b->mu);
	drain(b);
}

static void br_started(void *ctx, struct tracee *t)
{
	struct bpf_record *b = ctx;

	b->first = t->tid;
	/* Failing here leaves nothing recorded; the empty recording and the
	 * count say so. It only fails with the map full. */
	bpf_source_follow(b->src, t->tid);
}

static int br_on_exit(void *ctx, struct tracee *t, struct sp_event *ev)
{
	/* Never called: there are no syscall stops. */
	(void)ctx, (void)t, (void)ev;
	return 0;
}

static int br_on_signal(void *ctx, struct tracee *t, struct sp_event *ev, int *deliver_sig)
{
	struct bpf_record *b = ctx;
	int k = 0;

	lock_drained(b);
	/* The BPF side's throttle (the kernel sent it: SI_KERNEL): the ring
	 * is drained now; the thread goes on without it, unrecorded. */
	if (ev->sig.signo == SP_BPF_THROTTLE_SIG && ev->sig.siginfo.len >= sizeof(siginfo_t)) {
		siginfo_t si;
		memcpy(&si, ev->sig.siginfo.data, sizeof(si));
		if (si.si_code == SI_KERNEL) {
			b->throttled++;
			*deliver_sig = 0;
			pthread_mutex_unlock(&b->mu);
			return 0;
		}
	}
	ev->seq = ++b->seq;
	if (b->inner.on_signal)
		k = b->inner.on_signal(b->inner.ctx, t, ev, deliver_sig);
	if (b->failed)
		k = -1;
	pthread_mutex_unlock(&b->mu);
	return k;
}

static void br_on_end(void *ctx, struct tracee *t, struct sp_event *ev)
{
	struct bpf_record *b = ctx;

	lock_drained(b);
	ev->seq = ++b->seq;
	if (b->inner.on_end)
		b->inner.on_end(b->inner.ctx, t, ev);
	pthread_mutex_unlock(&b->mu);
}

static int br_on_exit_stop(void *ctx, struct tracee *t)
{
	struct bpf_record *b = ctx;
	int k = 0;

	lock_drained(b);
	t->exit_stop_seq = ++b->seq;
	if (b->inner.on_exit_stop)
		k = b->inner.on_exit_stop(b->inner.ctx, t);
	if (b->failed)
		k = -1;
	pthread_mutex_unlock(&b->mu);
	return k;
}

static void br_on_exiting(void *ctx, pid_t pid)
{
	struct bpf_record *b = ctx;

	pthread_mutex_lock(&b->mu);
	if (b->inner.on_exiting)
		b->inner.on_exiting(b->inner.ctx, pid);
	pthread_mutex_unlock(&b->mu);
}

static void br_on_clone(void *ctx, struct tracee *parent, struct tracee *child)
{
	struct bpf_record *b = ctx;

	pthread_mutex_lock(&b->mu);
	if (b->inner.on_clone)
		b->inner.on_clone(b->inner.ctx, parent, child);
	pthread_mutex_unlock(&b->mu);
}

static void br_on_gone(void *ctx, struct tracee *t)
{
	struct bpf_record *b = ctx;

	pthread_mutex_lock(&b->mu);
	if (b->inner.on_gone)
		b->inner.on_gone(b->inner.ctx, t);
	pthread_mutex_unlock(&b->mu);
}

static void br_on_tid_change(void *ctx, struct tracee *t, pid_t old_vtid)
{
	struct bpf_record *b = ctx;

	lock_drained(b);
	if (b->inner.on_tid_change)
		b->inner.on_tid_change(b->inner.ctx, t, old_vtid);
	pthread_mutex_unlock(&b->mu);
}

static void br_on_left_behind(void *ctx, struct tracee *const *left, int n)
{
	struct bpf_record *b = ctx;

	pthread_mutex_lock(&b->mu);
	if (b->inner.on_left_behind)
		b->inner.on_left_behind(b->inner.ctx, left, n);
	pthread_mutex_unlock(&b->mu);
}

int bpf_record_open(struct bpf_record **out, char *why, size_t whylen)
{
	struct bpf_record *b = calloc(1, sizeof(*b));

	if (!b)
		return -ENOMEM;
	int err = bpf_source_open(&b->src, &b->load_ns, why, whylen);
	if (err) {
		free(b);
		return err;
	}
	pthread_mutex_init(&b->mu, NULL);
	arena_init(&b->arena, ARENA_KEEP);
	b->ev.arena = &b->arena;
	b->stub.last_nr = -1;
	b->stub.started = true;
	b->first = -1;
	*out = b;
	return 0;
}

int bpf_record_wrap(struct bpf_record *b, struct tracer_ops *ops)
{
	if (!ops->on_exit)
		return -EINVAL;
	b->inner = *ops;
	*ops = (struct tracer_ops){
		.ctx = b,
		.on_exit = br_on_exit,
		.on_exiting = br_on_exiting,
		.on_exit_stop = br_on_exit_stop,
		.on_clone = br_on_clone,
		.on_gone = br_on_gone,
		.on_signal = br_on_signal,
		.on_tid_change = br_on_tid_change,
		.on_end = br_on_end,
		.on_left_behind = br_on_left_behind,
		.no_syscall_stops = true,
		.on_started = br_started,
	};
	b->stub.tr = NULL;
	int e = pthread_create(&b->drainer, NULL, drain_main, b);
	if (e)
		return -e;
	b->running = true;
	return 0;
}

uint64_t bpf_record_finish(struct bpf_record *b, uint64_t *load_ns)
{
	if (b->running) {
		atomic_store(&b->stopping, true);
		pthread_join(b->drainer, NULL);
		b->running = false;
	}
	/* Every process has ended: the ring holds all that is left. */
	pthread_mutex_lock(&b->mu);
	drain(b);
	pthread_mutex_unlock(&b->mu);
	if (load_ns)
		*load_ns = b->load_ns;
	return bpf_source_lost(b->src);
}

uint64_t bpf_record_uncaptured(const struct bpf_record *b)
{
	return b->uncaptured;
}

uint64_t bpf_record_throttled(const struct bpf_record *b)
{
	return b->throttled;
}

void bpf_record_close(struct bpf_record *b)
{
	if (!b)
		return;
	if (b->running) {
		atomic_store(&b->stopping, true);
		pthread_join(b->drainer, NULL);
	}
	bpf_source_close(b->src);
	arena_free(&b->arena);
	pthread_mutex_destroy(&b->mu);
	free(b);
}
