/* Lines about a run while it runs; see watch.h. */
#include "cli/watch.h"

#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/util.h"
#include "cli/names.h"
#include "syscalls/table.h"

/* The progress line appears once a run has taken this long, and is
 * redrawn at most this often: a short run shows nothing. */
#define FIRST_DRAW_MS 500
#define REDRAW_MS 250

struct watch_proc {
	pid_t tid;       /* host tid; 0: a free slot */
	pid_t vtid;      /* as the program sees it */
	pid_t tgid;      /* host tid of its process's leader */
	uint64_t calls;  /* its own, and for a leader its threads' too */
};

static void now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static void add_ms(struct timespec *ts, long ms)
{
	ts->tv_nsec += (ms % 1000) * 1000000L;
	ts->tv_sec += ms / 1000 + ts->tv_nsec / 1000000000L;
	ts->tv_nsec %= 1000000000L;
}

static bool reached(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec >= b->tv_nsec);
}

double watch_elapsed(const struct watch *w)
{
	struct timespec t;
	now(&t);
	return (double)(t.tv_sec - w->start.tv_sec) + (double)(t.tv_nsec - w->start.tv_nsec) / 1e9;
}

const char *watch_size(char *buf, size_t len, uint64_t bytes)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	if (bytes < 1024) {
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	double v = (double)bytes / 1024;
	int u = 0;
	while (v >= 1024 && u < 3) {
		v /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f %s", v, unit[u]);
	return buf;
}

void watch_init(struct watch *w, const char *phase, const char *program, int verbosity, uint64_t total)
{
	memset(w, 0, sizeof(*w));
	w->phase = phase;
	w->program = program;
	w->verbosity = verbosity;
	w->total = total;
	w->progress = verbosity >= 0 && isatty(2);
	w->execve_nr = sc_number("execve");
	w->execveat_nr = sc_number("execveat");
	w->clone_nr = sc_number("clone");
	w->clone3_nr = sc_number("clone3");
	now(&w->start);
	w->next_draw = w->start;
	add_ms(&w->next_draw, FIRST_DRAW_MS);
}

/* ---- the table of tracees ---- */

static struct watch_proc *slot(struct watch *w, pid_t tid)
{
	size_t mask = w->cap - 1;
	for (size_t i = (size_t)tid * 2654435761u & mask;; i = (i + 1) & mask)
		if (w->procs[i].tid == tid || !w->procs[i].tid)
			return &w->procs[i];
}

/* The entry of `tid`, made if it is new (NULL only out of memory: the
 * lines then miss a count, the run goes on). */
static struct watch_proc *proc(struct watch *w, pid_t tid, bool *made)
{
	*made = false;
	if (w->used * 2 >= w->cap) {
		size_t old = w->cap;
		struct watch_proc *p = w->procs;
		w->cap = old ? old * 2 : 64;
		w->procs = calloc(w->cap, sizeof(*w->procs));
		if (!w->procs) {
			w->procs = p;
			w->cap = old;
			if (!old || w->used + 1 >= old)
				return NULL;
		} else {
			for (size_t i = 0; i < old; i++)
				if (p[i].tid)
					*slot(w, p[i].tid) = p[i];
			free(p);
		}
	}
	struct watch_proc *e = slot(w, tid);
	if (!e->tid) {
		*made = true;
		e->tid = tid;
		e->tgid = tid;
		w->used++;
	}
	return e;
}

/* Tids are not removed (a freed slot would break the probe chains): a
 * reused tid is announced again by its clone and starts over. */

/* Is the clone `parent` is inside making a thread? Read from the call's
 * own flags (clone's first argument, clone3's struct), not from /proc:
 * nothing more happens between the tracer's stops. */
static bool makes_thread(const struct watch *w, const struct tracee *parent)
{
	const struct sp_event *ev = &parent->ev;
	uint64_t flags = 0;
	if ((int)ev->nr == w->clone_nr)
		flags = ev->raw_args[0];
	else if ((int)ev->nr == w->clone3_nr && ev->entry[0].buf.len >= 8)
		memcpy(&flags, ev->entry[0].buf.data, 8);
	return flags & CLONE_THREAD;
}

/* ---- output ---- */

void watch_erase(struct watch *w)
{
	if (!w->shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	w->shown = false;
}

void watch_say(struct watch *w, int level, const char *fmt, ...)
{
	if (w->verbosity < level)
		return;
	watch_erase(w);
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: %s: ", progname, w->phase);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static void draw(struct watch *w)
{
	struct timespec t;
	now(&t);
	if (!reached(&t, &w->next_draw))
		return;
	w->next_draw = t;
	add_ms(&w->next_draw, REDRAW_MS);
	char size[32], of[48] = "", line[256];
	if (w->total)
		snprintf(of, sizeof(of), " of %llu", (unsigned long long)w->total);
	int n = snprintf(line, sizeof(line), "%s: %s: %llu%s syscalls, %s, %.1f s", progname,
			 !strcmp(w->phase, "record") ? "recording" : "replaying", (unsigned long long)w->calls, of,
			 watch_size(size, sizeof(size), w->bytes), watch_elapsed(w));
	/* A line that wraps cannot be redrawn with \r: cut it to the width
	 * (one column spare, where some terminals wrap already). */
	struct winsize ws;
	if (ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 && n >= ws.ws_col)
		n = ws.ws_col - 1;
	/* \r and erase-to-end: the line is redrawn in place, and a shorter
	 * line leaves nothing of a longer one behind */
	fprintf(stderr, "\r\033[K%.*s", n, line);
	fflush(stderr);
	w->shown = true;
}

void watch_done(struct watch *w)
{
	watch_erase(w);
	w->progress = false;
	free(w->procs);
	w->procs = NULL;
	w->cap = w->used = 0;
}

static void how_ended(char *buf, size_t len, int status)
{
	char sig[24];
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by %s%s", names_signal(WTERMSIG(status), sig, sizeof(sig)),
			 WCOREDUMP(status) ? " (core dumped)" : "");
	else
		snprintf(buf, len, "ended (wait status %#x)", status);
}

static uint64_t arg_bytes(const struct sp_arg *a)
{
	uint64_t n = a->buf.len + a->name.len + a->control.len;
	for (uint32_t i = 0; i < a->n_items; i++)
		n += a->items[i].len;
	return n;
}

/* ---- the forwarders ---- */

/* The first tracee is not announced by a clone: it is the program. */
static struct watch_proc *seen(struct watch *w, struct tracee *t)
{
	bool made;
	struct watch_proc *p = proc(w, t->tid, &made);
	if (p && made) {
		p->vtid = t->vtid;
		if (!w->first_seen)
			watch_say(w, 1, "pid %d: started %s", (int)t->vtid, w->program);
	}
	w->first_seen = true;
	return p;
}

static bool writes_to_terminal(const struct sp_event *ev)
{
	static int nrs[5] = { -2 };
	if (nrs[0] == -2) {
		static const char *const names[] = { "write", "writev", "pwrite64", "pwritev", "pwritev2" };
		for (int i = 0; i < 5; i++)
			nrs[i] = sc_number(names[i]);
	}
	if (ev->raw_args[0] != 1 && ev->raw_args[0] != 2)
		return false;
	for (int i = 0; i < 5; i++)
		if ((int)ev->nr == nrs[i])
			return true;
	return false;
}

static int w_on_entry(void *ctx, struct tracee *t, struct sp_event *ev)
{
	struct watch *w = ctx;
	/* The program is about to write to its standard output or error,
	 * likely this terminal: our line goes, or its text would run on
	 * behind ours. */
	if (w->shown && writes_to_terminal(ev))
		watch_erase(w);
	return w->inner.on_entry ? w->inner.on_entry(w->inner.ctx, t, ev) : 0;
}

static int w_on_exit(void *ctx, struct tracee *t, struct sp_event *ev)
{
	struct watch *w = ctx;
	struct watch_proc *p = seen(w, t);
	int k = w->inner.on_exit(w->inner.ctx, t, ev);
	w->calls++;
	for (int i = 0; i < ev->nargs && i < SP_MAX_ARGS; i++)
		w->bytes += arg_bytes(&ev->entry[i]) + (ev->returned ? arg_bytes(&ev->exit[i]) : 0);
	if (p) {
		p->calls++;
		if (p->tgid != p->tid) {
			bool made;
			struct watch_proc *leader = proc(w, p->tgid, &made);
			if (leader && !made)
				leader->calls++;
		}
	}
	if (ev->returned && event_ret(ev) == 0 && w->verbosity >= 1 &&
	    ((int)ev->nr == w->execve_nr || (int)ev->nr == w->execveat_nr)) {
		const struct sp_arg *path = &ev->entry[(int)ev->nr == w->execveat_nr ? 1 : 0];
		watch_say(w, 1, "pid %d: exec'd %.*s", (int)t->vtid, (int)path->buf.len, path->buf.data);
	}
	if (w->progress)
		draw(w);
	return k;
}

static pid_t parent_tgid(struct watch *w, const struct tracee *parent)
{
	bool made;
	struct watch_proc *p = proc(w, parent->tid, &made);
	return p ? p->tgid : parent->tid;
}

static void w_on_clone(void *ctx, struct tracee *parent, struct tracee *child)
{
	struct watch *w = ctx;
	seen(w, parent);
	/* before the child's entry: looking up the parent may grow the table */
	pid_t tgid = makes_thread(w, parent) ? parent_tgid(w, parent) : child->tid;
	bool made;
	struct watch_proc *c = proc(w, child->tid, &made);
	if (c) {
		/* a reused tid starts over */
		c->vtid = child->vtid;
		c->calls = 0;
		c->tgid = tgid;
		if (c->tgid == c->tid)
			watch_say(w, 1, "pid %d: forked by pid %d", (int)child->vtid, (int)parent->vtid);
		else
			watch_say(w, 2, "thread %d: started by %d", (int)child->vtid, (int)parent->vtid);
	}
	if (w->inner.on_clone)
		w->inner.on_clone(w->inner.ctx, parent, child);
}

static void w_on_end(void *ctx, struct tracee *t, struct sp_event *ev)
{
	struct watch *w = ctx;
	struct watch_proc *p = seen(w, t);
	if (p && w->verbosity >= 1) {
		char how[64];
		uint64_t n = p->calls;
		how_ended(how, sizeof(how), ev->sig.status);
		if (p->tgid == p->tid)
			watch_say(w, 1, "pid %d: %s after %llu syscall%s", (int)t->vtid, how, (unsigned long long)n,
				  n == 1 ? "" : "s");
		else
			watch_say(w, 2, "thread %d: ended after %llu syscall%s", (int)t->vtid, (unsigned long long)n,
				  n == 1 ? "" : "s");
	}
	if (w->inner.on_end)
		w->inner.on_end(w->inner.ctx, t, ev);
}

static void w_on_exiting(void *ctx, pid_t pid)
{
	struct watch *w = ctx;
	w->inner.on_exiting(w->inner.ctx, pid);
}

static int w_on_exit_stop(void *ctx, struct tracee *t)
{
	struct watch *w = ctx;
	return w->inner.on_exit_stop(w->inner.ctx, t);
}

static void w_on_gone(void *ctx, struct tracee *t)
{
	struct watch *w = ctx;
	w->inner.on_gone(w->inner.ctx, t);
}

static int w_on_signal(void *ctx, struct tracee *t, struct sp_event *ev, int *deliver)
{
	struct watch *w = ctx;
	int signo = ev->sig.signo;
	int k = w->inner.on_signal(w->inner.ctx, t, ev, deliver);
	/* only what reaches the program: replay suppresses the signals that
	 * arise on their own and delivers the recorded ones */
	if (w->verbosity >= 2 && k == 0 && *deliver) {
		char sig[24];
		watch_say(w, 2, "pid %d: %s delivered", (int)t->vtid, names_signal(signo, sig, sizeof(sig)));
	}
	return k;
}

static int w_on_idle(void *ctx, bool timed_out)
{
	struct watch *w = ctx;
	return w->inner.on_idle(w->inner.ctx, timed_out);
}

static void w_on_tid_change(void *ctx, struct tracee *t, pid_t old_vtid)
{
	struct watch *w = ctx;
	w->inner.on_tid_change(w->inner.ctx, t, old_vtid);
}

static void w_on_left_behind(void *ctx, struct tracee *const *left, int n)
{
	struct watch *w = ctx;
	watch_erase(w);
	w->inner.on_left_behind(w->inner.ctx, left, n);
}

void watch_wrap(struct watch *w, struct tracer_ops *ops)
{
	w->inner = *ops;
	ops->ctx = w;
	ops->on_entry = w_on_entry;
	ops->on_exit = w_on_exit;
	ops->on_clone = w_on_clone;
	ops->on_end = w_on_end;
	/* Callbacks the phase leaves out stay out: the tracer's default for
	 * them (a signal delivered as is, no idle timer) must not change. */
	ops->on_exiting = w->inner.on_exiting ? w_on_exiting : NULL;
	ops->on_exit_stop = w->inner.on_exit_stop ? w_on_exit_stop : NULL;
	ops->on_gone = w->inner.on_gone ? w_on_gone : NULL;
	ops->on_signal = w->inner.on_signal ? w_on_signal : NULL;
	ops->on_idle = w->inner.on_idle ? w_on_idle : NULL;
	ops->on_tid_change = w->inner.on_tid_change ? w_on_tid_change : NULL;
	ops->on_left_behind = w->inner.on_left_behind ? w_on_left_behind : NULL;
}
