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
};

struct tracee {
	pid_t tid;
	bool started;       /* past the launcher's execve */
	bool in_syscall;
	bool exec_seen;
	bool fresh;         /* a new child whose ptrace SIGSTOP is still to come */
	bool announced;     /* its parent's clone/fork/vfork event was seen */
	bool held;          /* stopped until that event names its parent */
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
	/** `parent` (stopped inside clone/fork/vfork) created `child`; called
	 *  before the child makes any syscall. */
	void (*on_clone)(void *ctx, struct tracee *parent, struct tracee *child);
	/** A tracee is gone; free what `user` points to. */
	void (*on_gone)(void *ctx, struct tracee *t);
};

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
/** Set argument `i` (0-based) the kernel will see (at an entry stop). */
int tracer_set_arg(struct tracee *t, int i, uint64_t value);

/** Catch SIGINT/SIGTERM/SIGHUP so that tracer_run can finish cleanly. */
void tracer_catch_signals(void);

#endif
