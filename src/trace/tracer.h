/* The tracer: starts a program under ptrace and drives its stops, handing
 * each syscall, captured as an event, to the phase (record or replay). It
 * knows nothing of files and policies. Built for many tracees: per-tid
 * state, waitpid(-1, __WALL), clone/fork/vfork/exec/exit events. */
#ifndef SPERRIPS_TRACER_H
#define SPERRIPS_TRACER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/event.h"

struct spawn_opts {
	const char *path;            /* the program to execute */
	char *const *argv;
	char *const *envp;           /* NULL: an empty environment */
	const uint8_t *stdin_data;   /* fed through a pipe */
	size_t stdin_len;
	int stdout_fd, stderr_fd;    /* -1: inherit the tracer's */
	const char *workdir;         /* NULL: the tracer's */
	bool aslr;                   /* keep ASLR on for the tracee */
	bool hide_vdso;              /* make time calls real syscalls */
	bool pin;                    /* tracer and tracee on one CPU */
	bool new_session;            /* setsid: no controlling terminal */
	/* Containers: extra clone flags, a hook in the child before exec
	 * (returns -1 and writes a one-line reason into err), and one in the
	 * parent right after the clone (the child waits for it). */
	unsigned long clone_flags;
	int (*child_setup)(void *arg, char *err, size_t errlen);
	int (*parent_setup)(void *arg, pid_t child, char *err, size_t errlen);
	void *setup_arg;
	/* Containers with an init: child_setup forked the program off the
	 * clone child, which stays as PID 1 of the namespace, untraced; this
	 * names the program's pid (-1 if it cannot). NULL: the child itself. */
	pid_t (*tracee_of)(void *arg, pid_t child);
};

struct tracer;

struct tracee {
	pid_t tid;
	pid_t vtid;         /* the tid as the program sees it (its PID namespace) */
	bool started;       /* past the launcher's execve */
	bool in_syscall;
	bool exec_seen;
	bool fresh;         /* a new child whose ptrace SIGSTOP is still to come */
	bool announced;     /* its parent's clone/fork/vfork event was seen */
	bool held;          /* stopped until that event names its parent */
	bool parked;        /* a phase callback asked to keep it stopped */
	bool listening;     /* in a group-stop (PTRACE_LISTEN), until SIGCONT */
	uint64_t exit_stop_seq; /* its place in the order at its exit event stop */
	int last_nr;        /* the last syscall it completed, -1 none */
	bool last_interrupted; /* ... returned -EINTR or -ERESTART* */
	uint64_t exit_ip;   /* its instruction pointer at that syscall's exit */
	struct tracer *tr;
	void *user;         /* the phase's own state for this tracee */
	struct sp_event ev; /* the syscall in progress */
	struct arena arena;
};

struct tracer_ops {
	void *ctx;
	/** A syscall entered; `ev` holds its entry arguments. Return <0 to
	 *  stop tracing (the tracees are killed). */
	int (*on_entry)(void *ctx, struct tracee *t, struct sp_event *ev);
	/** A syscall completed (or never will: ev->unfinished, or
	 *  ev->is_exit_call at entry). Return <0 to stop tracing. */
	int (*on_exit)(void *ctx, struct tracee *t, struct sp_event *ev);
	/** The first tracee is about to exit; its memory is still there. */
	void (*on_exiting)(void *ctx, pid_t pid);
	/** A started tracee stopped at its exit event (PTRACE_EVENT_EXIT):
	 *  it is dying but not gone (t->exit_stop_seq is its place in the
	 *  order). Return TRACER_PARK to keep it there, <0 to stop tracing. */
	int (*on_exit_stop)(void *ctx, struct tracee *t);
	/** `parent` (stopped inside clone/fork/vfork) created `child`; called
	 *  before the child makes any syscall. */
	void (*on_clone)(void *ctx, struct tracee *parent, struct tracee *child);
	/** A tracee is gone; free what `user` points to. */
	void (*on_gone)(void *ctx, struct tracee *t);
	/** A signal is about to be delivered to `t` (a signal-delivery stop):
	 *  `ev` holds it (is_signal, seq, siginfo). Set *deliver to the signal
	 *  to deliver (0 suppresses it). NULL: delivered as is. */
	int (*on_signal)(void *ctx, struct tracee *t, struct sp_event *ev, int *deliver);
	/** Called before each wait while a tracee is parked, and when no stop
	 *  came for `idle_ms` (timed_out): the phase resumes parked tracees
	 *  with tracer_resume. Return <0 to stop tracing. */
	int (*on_idle)(void *ctx, bool timed_out);
	unsigned idle_ms;
	/** A thread that was not its process's leader completed execve and
	 *  took over the leader's tid: `t` is the execing thread's state under
	 *  the leader's tid, `old_vtid` its own former one. */
	void (*on_tid_change)(void *ctx, struct tracee *t, pid_t old_vtid);
	/** A started tracee ended (it is a zombie or gone): `ev` says how
	 *  (is_signal, sig.exited, sig.status, seq). */
	void (*on_end)(void *ctx, struct tracee *t, struct sp_event *ev);
	/** The first process ended but `n` tracees it left behind (a daemon,
	 *  a background job) are still traced: the run goes on until they end. */
	void (*on_left_behind)(void *ctx, struct tracee *const *left, int n);
	/** Lifecycle only (the bpf backend, issue 15): no syscall stops; the
	 *  tracees stop only at fork/clone/exec/exit events and signals, and
	 *  the program counts as started at its first execve event. */
	bool no_syscall_stops;
	/** With no_syscall_stops: the program's execve happened (its exit is
	 *  still to come); `t` is the first tracee. */
	void (*on_started)(void *ctx, struct tracee *t);
};

/* on_entry / on_exit / on_signal may return this: keep the tracee stopped
 * (parked) until the phase resumes it with tracer_resume. */
#define TRACER_PARK 1

enum tracer_status {
	TRACER_OK = 0,          /* all tracees exited */
	TRACER_SPAWN_FAILED,    /* the program could not be started */
	TRACER_STOPPED,         /* a callback asked to stop */
	TRACER_INTERRUPTED,     /* SIGINT, SIGTERM or SIGHUP reached the tracer */
	TRACER_ERROR,           /* ptrace failed */
};

struct tracer_result {
	int wait_status;        /* of the first tracee: raw waitpid status */
	int signal;             /* with TRACER_INTERRUPTED: which signal */
	pid_t pid;
	uint64_t stops;
	char error[256];
};

/** Start the program and trace it to the end. */
enum tracer_status tracer_run(const struct spawn_opts *o, const struct tracer_ops *ops,
			      struct tracer_result *res);

/** Set the return value the tracee will see (at an exit stop). 0 or -errno. */
int tracer_set_return(struct tracee *t, uint64_t value);
/** At `t`'s syscall-exit stop: make it run syscall `nr` with the first three
 *  `args` now, by running its `syscall` instruction again, and put back its
 *  registers (so it goes on from the exit of its own call). *ret is the
 *  injected call's result. 0, or -errno (-EAGAIN: another stop came in
 *  between; whether the call ran is unknown). Used by replay to give a new
 *  descriptor the number it had when recorded (dup3 + close). */
int tracer_inject_syscall(struct tracee *t, long nr, const long args[3], long *ret);
/** Set argument `i` (0-based) the kernel will see (at an entry stop). */
int tracer_set_arg(struct tracee *t, int i, uint64_t value);

/** Resume a parked tracee (delivering `sig` at a signal-delivery stop). */
int tracer_resume(struct tracee *t, int sig);
/** At a syscall-entry stop: the kernel skips the call (it will report an
 *  exit stop, where tracer_restart_syscall makes it run again later). */
int tracer_skip_syscall(struct tracee *t);
/** At the exit stop of a skipped call: return -ERESTARTNOINTR, so that the
 *  call `nr` is made again once the signal queued for the thread has been
 *  handled (the handler runs first, as if it came just before the call). */
int tracer_restart_syscall(struct tracee *t, uint32_t nr);
/** Queue signal `sig` for thread `t` (tgkill from the tracer). */
int tracer_kill(struct tracee *t, int sig);
/** At a signal-delivery stop: replace the siginfo the tracee will get. */
int tracer_set_siginfo(struct tracee *t, const void *si, size_t len);
/** Tracees being traced now. */
int tracer_count(const struct tracer *tr);
/** The tracees being traced now (tracer_count of them). */
struct tracee *const *tracer_tracees(const struct tracer *tr);

/** Catch SIGINT/SIGTERM/SIGHUP so that tracer_run can finish cleanly. */
void tracer_catch_signals(void);

#endif
