#include "trace/tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "trace/capture.h"
#include "syscalls/table.h"
#include "trace/tracee_mem.h"

#define ARENA_KEEP (4u << 20)
#define SIGINFO_SIZE 128

static volatile sig_atomic_t stop_signal;

static volatile sig_atomic_t idle_alarm;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static void on_alarm(int sig)
{
	(void)sig;
	idle_alarm = 1;
}

void tracer_catch_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: waitpid returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_alarm; /* the bounded wait while tracees are parked */
	sigaction(SIGALRM, &sa, NULL);
}

/* ---- the tracee table ---- */

/* No fixed cap: the table grows with the job (thousands of threads or
 * processes), as strace's does. */
struct tracer {
	struct tracee **t;
	int n, cap;
	struct tracee *last;  /* the last one found: stops come in runs */
	uint64_t seq;         /* entry, exit and signal stops so far (record order) */
	int n_parked;
	pid_t first;
	pid_t init;           /* an untraced init (spawn_opts.tracee_of), or -1 */
	const struct tracer_ops *ops;
	struct tracer_result *res;
	const struct spawn_opts *o;
	bool started_any;   /* the program's execve succeeded */
};

static struct tracee *find(struct tracer *tr, pid_t tid)
{
	if (tr->last && tr->last->tid == tid)
		return tr->last;
	for (int i = 0; i < tr->n; i++)
		if (tr->t[i]->tid == tid)
			return tr->last = tr->t[i];
	return NULL;
}

/* The tid as the program sees it: the last NSpid of /proc/TID/status (the
 * innermost PID namespace). Recordings name threads this way, so that a
 * recorded fork's return value and the child's records agree, inside a
 * container as outside. */
static pid_t ns_tid(pid_t tid)
{
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	FILE *f = fopen(path, "re");
	if (!f)
		return tid;
	pid_t v = tid;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "NSpid:", 6)) {
			char *p = line + 6, *end;
			for (;;) {
				long x = strtol(p, &end, 10);
				if (end == p)
					break;
				v = (pid_t)x;
				p = end;
			}
			break;
		}
	fclose(f);
	return v;
}

static struct tracee *add(struct tracer *tr, pid_t tid)
{
	if (tr->n == tr->cap) {
		int cap = tr->cap ? tr->cap * 2 : 16;
		struct tracee **a = realloc(tr->t, (size_t)cap * sizeof(*a));
		if (!a)
			return NULL;
		tr->t = a;
		tr->cap = cap;
	}
	struct tracee *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->tid = tid;
	t->vtid = tr->o->clone_flags & CLONE_NEWPID ? ns_tid(tid) : tid;
	t->last_nr = -1;
	t->tr = tr;
	arena_init(&t->arena, ARENA_KEEP);
	t->ev.arena = &t->arena;
	tr->t[tr->n++] = t;
	return t;
}

int tracer_count(const struct tracer *tr)
{
	return tr->n;
}

struct tracee *const *tracer_tracees(const struct tracer *tr)
{
	return tr->t;
}

static void drop(struct tracer *tr, struct tracee *t)
{
	if (tr->ops->on_gone)
		tr->ops->on_gone(tr->ops->ctx, t);
	if (t->parked)
		tr->n_parked--;
	if (tr->last == t)
		tr->last = NULL;
	for (int i = 0; i < tr->n; i++)
		if (tr->t[i] == t) {
			tr->t[i] = tr->t[--tr->n];
			break;
		}
	arena_free(&t->arena);
	free(t);
}

/* A syscall in progress when its tracee vanished: hand it on as unfinished. */
static void finish_unfinished(struct tracer *tr, struct tracee *t)
{
	if (t->started && t->in_syscall && !t->ev.is_exit_call) {
		t->ev.unfinished = true;
		tr->ops->on_exit(tr->ops->ctx, t, &t->ev);
	}
	t->in_syscall = false;
}

/* ---- spawning ---- */

struct child_pipes {
	int stdin_r, stdin_w;
	int err_r, err_w;     /* the child's reason if it cannot start */
	int sync_r, sync_w;   /* the child waits until the parent's hook ran */
	int ready_r, ready_w; /* the child is set up and about to exec */
	int go_r, go_w;       /* the tracer has seized it: exec */
};

static void child_fail(int fd, const char *what, int err)
{
	char msg[320];
	int n = snprintf(msg, sizeof(msg), "%s: %s", what, strerror(err));
	if (write(fd, msg, (size_t)n) < 0)
		_exit(126);
	_exit(126);
}

static void __attribute__((noreturn)) child_main(const struct spawn_opts *o, struct child_pipes *p)
{
	close(p->stdin_w);
	close(p->err_r);
	close(p->ready_r);
	close(p->go_w);
	if (p->sync_w >= 0)
		close(p->sync_w);
	if (p->sync_r >= 0) {
		char c;
		if (read(p->sync_r, &c, 1) != 1)
			_exit(126); /* the parent's hook failed */
		close(p->sync_r);
	}
	/* Own process group: a Ctrl-C on the terminal reaches the tracer,
	 * which ends the run cleanly, and not the tracee behind its back. */
	if (!o->new_session)
		setpgid(0, 0);
	/* Containers: a session of its own (and so a group of its own), with
	 * no controlling terminal, so nothing can be typed into the caller's
	 * (TIOCSTI). */
	else if (setsid() < 0)
		child_fail(p->err_w, "setsid", errno);
	if (o->child_setup) {
		char err[256] = "container setup failed";
		if (o->child_setup(o->setup_arg, err, sizeof(err)) < 0) {
			if (write(p->err_w, err, strlen(err)) < 0)
				_exit(126);
			_exit(126);
		}
	}
	if (dup2(p->stdin_r, 0) < 0)
		child_fail(p->err_w, "stdin", errno);
	if (p->stdin_r != 0)
		close(p->stdin_r);
	if (o->stdout_fd >= 0 && dup2(o->stdout_fd, 1) < 0)
		child_fail(p->err_w, "stdout", errno);
	if (o->stderr_fd >= 0 && dup2(o->stderr_fd, 2) < 0)
		child_fail(p->err_w, "stderr", errno);
	/* Nothing of the tracer's but 0, 1 and 2 reaches the program: an fd the
	 * shell left open would shift every descriptor number it gets. */
	if (syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */) < 0) {
		for (int fd = 3; fd < 1024; fd++)
			if (fd != p->err_w)
				close(fd);
	}
	if (o->workdir && chdir(o->workdir) < 0)
		child_fail(p->err_w, o->workdir, errno);
	if (!o->aslr && personality(ADDR_NO_RANDOMIZE) < 0)
		child_fail(p->err_w, "personality", errno);
	/* The tracer seizes us now (PTRACE_SEIZE, so that group-stops can be
	 * told apart and kept: kill -STOP of the program must stop it), after
	 * the setup, so that nothing the setup does is traced. */
	char c = 'r';
	if (write(p->ready_w, &c, 1) != 1 || read(p->go_r, &c, 1) != 1)
		_exit(126);
	static char *const empty_env[] = { NULL };
	execve(o->path, o->argv, o->envp ? o->envp : empty_env);
	child_fail(p->err_w, o->path, errno);
	_exit(127);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int feed_stdin(int fd, const uint8_t *data, size_t len, char *err, size_t errlen)
{
	if (len > 65536) {
		/* The whole input must fit into the pipe before the tracee runs. */
		long max = 1 << 20;
		FILE *f = fopen("/proc/sys/fs/pipe-max-size", "r");
		if (f) {
			if (fscanf(f, "%ld", &max) != 1)
				max = 1 << 20;
			fclose(f);
		}
		if ((long)len > max || fcntl(fd, F_SETPIPE_SZ, (int)len) < 0) {
			snprintf(err, errlen, "standard input of %zu bytes is larger than a pipe holds (%ld)", len, max);
			return -1;
		}
	}
	size_t done = 0;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "standard input: %s", strerror(errno));
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

static void pin_to_current_cpu(void)
{
	int cpu = sched_getcpu();
	if (cpu < 0)
		return;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Start the child stopped before its execve. Returns its pid or -1. */
static pid_t spawn(const struct spawn_opts *o, struct tracer_result *res, int *err_fd, pid_t *init)
{
	*init = -1;
	struct child_pipes p = { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1 };
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) < 0)
		goto sys_fail;
	p.ready_r = fds[0];
	p.ready_w = fds[1];
	if (pipe2(fds, O_CLOEXEC) < 0)
		goto sys_fail;
	p.go_r = fds[0];
	p.go_w = fds[1];
	if (pipe2(fds, O_CLOEXEC) < 0)
		goto sys_fail;
	p.stdin_r = fds[0];
	p.stdin_w = fds[1];
	if (pipe2(fds, O_CLOEXEC) < 0)
		goto sys_fail;
	p.err_r = fds[0];
	p.err_w = fds[1];
	if (o->parent_setup) {
		if (pipe2(fds, O_CLOEXEC) < 0)
			goto sys_fail;
		p.sync_r = fds[0];
		p.sync_w = fds[1];
	}
	if (feed_stdin(p.stdin_w, o->stdin_data, o->stdin_len, res->error, sizeof(res->error)) < 0)
		goto fail;
	close_fd(&p.stdin_w);
	if (o->pin)
		pin_to_current_cpu();
	pid_t pid = (pid_t)syscall(SYS_clone, SIGCHLD | o->clone_flags, 0, 0, 0, 0);
	if (pid < 0)
		goto sys_fail;
	if (pid == 0)
		child_main(o, &p);
	close_fd(&p.stdin_r);
	close_fd(&p.err_w);
	close_fd(&p.sync_r);
	if (o->parent_setup) {
		if (o->parent_setup(o->setup_arg, pid, res->error, sizeof(res->error)) < 0) {
			close_fd(&p.sync_w);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			goto fail;
		}
		if (write(p.sync_w, "g", 1) != 1) {
			close_fd(&p.sync_w);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			goto sys_fail;
		}
		close_fd(&p.sync_w);
	}
	close_fd(&p.ready_w);
	close_fd(&p.go_r);
	char c;
	ssize_t got;
	while ((got = read(p.ready_r, &c, 1)) < 0 && errno == EINTR)
		;
	if (got == 1 && o->tracee_of) {
		pid_t prog = o->tracee_of(o->setup_arg, pid);
		if (prog < 0) {
			snprintf(res->error, sizeof(res->error), "cannot find the program below the container's init");
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			goto fail;
		}
		*init = pid;
		pid = prog;
	}
	if (got == 1) {
		long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEEXEC | PTRACE_O_TRACECLONE |
			    PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACEEXIT;
		if (ptrace(PTRACE_SEIZE, pid, 0, opts) < 0) {
			snprintf(res->error, sizeof(res->error), "ptrace(SEIZE): %s", strerror(errno));
			kill(*init > 0 ? *init : pid, SIGKILL);
			waitpid(*init > 0 ? *init : pid, NULL, 0);
			*init = -1;
			goto fail;
		}
		if (write(p.go_w, "g", 1) != 1) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, __WALL);
			if (*init > 0) {
				waitpid(*init, NULL, 0);
				*init = -1;
			}
			goto sys_fail;
		}
	}
	/* Otherwise the child failed during its setup: its exit tells. */
	close_fd(&p.ready_r);
	close_fd(&p.go_w);
	*err_fd = p.err_r;
	return pid;
sys_fail:
	snprintf(res->error, sizeof(res->error), "cannot start the tracee: %s", strerror(errno));
fail:
	close_fd(&p.stdin_r);
	close_fd(&p.stdin_w);
	close_fd(&p.err_r);
	close_fd(&p.err_w);
	close_fd(&p.sync_r);
	close_fd(&p.sync_w);
	close_fd(&p.ready_r);
	close_fd(&p.ready_w);
	close_fd(&p.go_r);
	close_fd(&p.go_w);
	return -1;
}

/* The child's own account of why it could not start, if it gave one. */
static void read_child_error(int fd, struct tracer_result *res)
{
	char msg[sizeof(res->error)];
	ssize_t n = read(fd, msg, sizeof(msg) - 1);
	if (n > 0) {
		msg[n] = 0;
		snprintf(res->error, sizeof(res->error), "%s", msg);
	}
}

/* Turn the vDSO's auxv entry into AT_IGNORE so that the C library makes
 * real syscalls for the time (which are then recorded and comparable). */
static void hide_vdso(pid_t tid)
{
	struct user_regs_struct regs;
	if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0)
		return;
	uint64_t sp = regs.rsp, argc;
	if (mem_read(tid, sp, &argc, 8) != 8 || argc > 1 << 20)
		return;
	uint64_t p = sp + 8 * (argc + 2), w;
	while (mem_read(tid, p, &w, 8) == 8 && w) /* envp */
		p += 8;
	p += 8;
	for (int i = 0; i < 64; i++, p += 16) {
		uint64_t pair[2];
		if (mem_read(tid, p, pair, 16) != 16 || pair[0] == 0 /* AT_NULL */)
			return;
		if (pair[0] == 33 /* AT_SYSINFO_EHDR */) {
			uint64_t ignore = 1; /* AT_IGNORE */
			mem_write(tid, p, &ignore, 8);
			return;
		}
	}
}

int tracer_set_arg(struct tracee *t, int i, uint64_t value)
{
	static const size_t regs[6] = {
		offsetof(struct user_regs_struct, rdi), offsetof(struct user_regs_struct, rsi),
		offsetof(struct user_regs_struct, rdx), offsetof(struct user_regs_struct, r10),
		offsetof(struct user_regs_struct, r8), offsetof(struct user_regs_struct, r9),
	};
	if (i < 0 || i > 5)
		return -EINVAL;
	if (ptrace(PTRACE_POKEUSER, t->tid, regs[i], value) < 0)
		return -errno;
	return 0;
}

int tracer_set_return(struct tracee *t, uint64_t value)
{
	if (ptrace(PTRACE_POKEUSER, t->tid, offsetof(struct user_regs_struct, rax), value) < 0)
		return -errno;
	return 0;
}

/* Wait for `tid`'s next stop; true if it is a syscall stop. */
static bool next_syscall_stop(pid_t tid)
{
	int st;
	if (ptrace(PTRACE_SYSCALL, tid, 0, 0) < 0)
		return false;
	while (waitpid(tid, &st, __WALL) < 0)
		if (errno != EINTR)
			return false;
	return WIFSTOPPED(st) && WSTOPSIG(st) == (SIGTRAP | 0x80);
}

int tracer_inject_syscall(struct tracee *t, long nr, const long args[3], long *ret)
{
	struct user_regs_struct saved, regs;
	if (ptrace(PTRACE_GETREGS, t->tid, 0, &saved) < 0)
		return -errno;
	/* The instruction that made the call: `syscall` (0f 05), made again. */
	uint8_t insn[2];
	if (mem_read(t->tid, saved.rip - 2, insn, 2) != 2 || insn[0] != 0x0f || insn[1] != 0x05)
		return -ENOTSUP;
	regs = saved;
	regs.rax = regs.orig_rax = (unsigned long long)nr;
	regs.rdi = (unsigned long long)args[0];
	regs.rsi = (unsigned long long)args[1];
	regs.rdx = (unsigned long long)args[2];
	regs.rip -= 2;
	if (ptrace(PTRACE_SETREGS, t->tid, 0, &regs) < 0)
		return -errno;
	int err = 0;
	if (!next_syscall_stop(t->tid) || !next_syscall_stop(t->tid))
		err = -EAGAIN; /* another stop came (a signal): the call may not have run */
	else if (ptrace(PTRACE_GETREGS, t->tid, 0, &regs) < 0)
		err = -errno;
	else
		*ret = (long)regs.rax;
	/* Back where it was: the exit of its own call. */
	if (ptrace(PTRACE_SETREGS, t->tid, 0, &saved) < 0 && !err)
		err = -errno;
	return err;
}

/* ---- the stop loop ---- */

/* PTRACE_CONT with tracer_ops.no_syscall_stops: the run's resume request. */
static int resume_req = PTRACE_SYSCALL;

static int resume(pid_t tid, int sig)
{
	return ptrace(resume_req, tid, 0, sig);
}

int tracer_resume(struct tracee *t, int sig)
{
	if (t->parked) {
		t->parked = false;
		t->tr->n_parked--;
	}
	if (resume(t->tid, sig) < 0 && errno != ESRCH)
		return -errno;
	return 0;
}

int tracer_skip_syscall(struct tracee *t)
{
	if (ptrace(PTRACE_POKEUSER, t->tid, offsetof(struct user_regs_struct, orig_rax), (long)-1) < 0)
		return -errno;
	return 0;
}

int tracer_restart_syscall(struct tracee *t, uint32_t nr)
{
	if (ptrace(PTRACE_POKEUSER, t->tid, offsetof(struct user_regs_struct, orig_rax), (long)nr) < 0 ||
	    ptrace(PTRACE_POKEUSER, t->tid, offsetof(struct user_regs_struct, rax), (long)-513 /* -ERESTARTNOINTR */) < 0)
		return -errno;
	return 0;
}

int tracer_kill(struct tracee *t, int sig)
{
	if (syscall(SYS_tkill, t->tid, sig) < 0)
		return -errno;
	return 0;
}

int tracer_set_siginfo(struct tracee *t, const void *si, size_t len)
{
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	memcpy(&info, si, len < sizeof(info) ? len : sizeof(info));
	if (ptrace(PTRACE_SETSIGINFO, t->tid, 0, &info) < 0)
		return -errno;
	return 0;
}

/* SIGKILL does not end every ptrace stop: a tracee held at its exit
 * event stop (replay parks dying threads there) stays until resumed.
 * Resume each (ESRCH for one that runs, harmless). */
static void kill_all(struct tracer *tr)
{
	for (int i = 0; i < tr->n; i++)
		kill(tr->t[i]->tid, SIGKILL);
	for (int i = 0; i < tr->n; i++)
		ptrace(PTRACE_CONT, tr->t[i]->tid, 0, 0);
}

/* Wait for every tracee to vanish after SIGKILL, passing on what was in flight. */
static void reap_all(struct tracer *tr)
{
	kill_all(tr);
	while (tr->n > 0) {
		int status;
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (tid == tr->init) {
			tr->init = -1;
			continue;
		}
		struct tracee *t = find(tr, tid);
		if (!t) {
			/* A thread born while we killed: it stopped before we knew it,
			 * and its process cannot end while it stays stopped. */
			if (WIFSTOPPED(status)) {
				kill(tid, SIGKILL);
				ptrace(PTRACE_CONT, tid, 0, 0);
			}
			continue;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (tid == tr->first)
				tr->res->wait_status = status;
			finish_unfinished(tr, t);
			drop(tr, t);
		} else {
			ptrace(PTRACE_CONT, tid, 0, 0);
		}
	}
	while (tr->n > 0)
		drop(tr, tr->t[0]);
}

static bool interrupted_ret(int64_t v)
{
	return v == -EINTR || (v <= -512 && v >= -516); /* -ERESTARTSYS .. -ERESTART_RESTARTBLOCK */
}

/* 0 resume, TRACER_PARK keep it stopped, -1 stop tracing. */
static int syscall_stop(struct tracer *tr, struct tracee *t)
{
	struct __ptrace_syscall_info info;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof(info), &info) <= 0)
		return 0; /* the tracee is gone; its exit will be reported */
	if (info.op == PTRACE_SYSCALL_INFO_ENTRY) {
		t->in_syscall = true;
		if (!t->started)
			return 0;
		event_reset(&t->ev);
		capture_entry(&t->ev, t->tid, sc_nr_for_arch(info.arch, info.entry.nr),
			      (const uint64_t *)info.entry.args);
		t->ev.tid = (uint32_t)t->vtid;
		t->ev.seq = ++tr->seq;
		int k = 0;
		if (tr->ops->on_entry && (k = tr->ops->on_entry(tr->ops->ctx, t, &t->ev)) < 0)
			return -1;
		if (t->ev.is_exit_call && k != TRACER_PARK) {
			t->in_syscall = false;
			if (tr->ops->on_exit(tr->ops->ctx, t, &t->ev) < 0)
				return -1;
		}
		return k == TRACER_PARK ? TRACER_PARK : 0;
	}
	if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
		bool was_in = t->in_syscall;
		t->in_syscall = false;
		if (!t->started) {
			if (t->exec_seen && info.exit.rval == 0)
				t->started = tr->started_any = true; /* the launcher's execve returned */
			return 0;
		}
		if (!was_in)
			return 0;
		capture_exit(&t->ev, t->tid, info.exit.rval);
		t->ev.seq_exit = ++tr->seq;
		t->last_nr = (int)t->ev.nr;
		t->exit_ip = info.instruction_pointer;
		t->last_interrupted = interrupted_ret(info.exit.rval);
		int k = tr->ops->on_exit(tr->ops->ctx, t, &t->ev);
		return k < 0 ? -1 : k;
	}
	return 0;
}

/* A signal-delivery stop of a started tracee: hand it to the phase as an
 * event of its own. 0 resume with *deliver, TRACER_PARK, -1 stop. */
static int signal_stop(struct tracer *tr, struct tracee *t, const siginfo_t *si, int sig, int *deliver)
{
	*deliver = sig;
	if (!tr->ops->on_signal || !t->started)
		return 0;
	event_reset(&t->ev);
	t->ev.is_signal = true;
	t->ev.tid = (uint32_t)t->vtid;
	t->ev.seq = ++tr->seq;
	t->ev.sig.signo = sig;
	t->ev.sig.interrupted = t->last_interrupted ? t->last_nr : -1;
	struct __ptrace_syscall_info info;
	if (t->last_nr >= 0 && ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof(info), &info) > 0)
		t->ev.sig.at_exit = info.instruction_pointer == t->exit_ip;
	uint8_t *copy = arena_alloc(&t->arena, SIGINFO_SIZE);
	if (copy) {
		memset(copy, 0, SIGINFO_SIZE);
		memcpy(copy, si, sizeof(*si) < SIGINFO_SIZE ? sizeof(*si) : SIGINFO_SIZE);
		t->ev.sig.siginfo = (struct sp_bytes){ copy, SIGINFO_SIZE };
	}
	/* A handler runs next: what it does is between two syscalls again. */
	t->last_interrupted = false;
	int k = tr->ops->on_signal(tr->ops->ctx, t, &t->ev, deliver);
	return k < 0 ? -1 : k;
}

/* The end of a started tracee, as an event in the order of the others. */
static void report_end(struct tracer *tr, struct tracee *t, int status)
{
	if (!t->started || !tr->ops->on_end)
		return;
	event_reset(&t->ev);
	t->ev.is_signal = true;
	t->ev.tid = (uint32_t)t->vtid;
	t->ev.seq = ++tr->seq;
	t->ev.sig.interrupted = -1;
	t->ev.sig.exited = true;
	t->ev.sig.status = status;
	t->ev.sig.exit_stop_seq = t->exit_stop_seq;
	tr->ops->on_end(tr->ops->ctx, t, &t->ev);
}

/* A thread other than the leader completed execve: the kernel gave it the
 * leader's tid, and the leader is gone without a word. Keep the execing
 * thread's state (it is inside execve) under the leader's tid. */
static struct tracee *exec_tid_switch(struct tracer *tr, struct tracee *leader)
{
	unsigned long old = 0;
	if (ptrace(PTRACE_GETEVENTMSG, leader->tid, 0, &old) < 0 || (pid_t)old == leader->tid)
		return leader;
	struct tracee *t = find(tr, (pid_t)old);
	if (!t)
		return leader;
	pid_t old_vtid = t->vtid;
	pid_t tid = leader->tid, vtid = leader->vtid;
	finish_unfinished(tr, leader);
	drop(tr, leader);
	t->tid = tid;
	t->vtid = vtid;
	if (tr->ops->on_tid_change)
		tr->ops->on_tid_change(tr->ops->ctx, t, old_vtid);
	return t;
}

/* Wait for the next stop; with tracees parked, for at most `ms` (then 0
 * with *timed_out). */
static pid_t wait_next(int *status, unsigned ms, bool *timed_out)
{
	*timed_out = false;
	if (!ms)
		return waitpid(-1, status, __WALL);
	struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } }, off = { { 0, 0 }, { 0, 0 } };
	idle_alarm = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	pid_t tid = waitpid(-1, status, __WALL);
	int e = errno;
	setitimer(ITIMER_REAL, &off, NULL);
	if (tid < 0 && e == EINTR && idle_alarm && !stop_signal) {
		*timed_out = true;
		return 0;
	}
	errno = e;
	return tid;
}

static bool group_stop_sig(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

enum tracer_status tracer_run(const struct spawn_opts *o, const struct tracer_ops *ops,
			      struct tracer_result *res)
{
	memset(res, 0, sizeof(*res));
	struct tracer tr = { .ops = ops, .res = res, .o = o };
	int err_fd = -1;
	resume_req = ops->no_syscall_stops ? PTRACE_CONT : PTRACE_SYSCALL;
	pid_t pid = spawn(o, res, &err_fd, &tr.init);
	if (pid < 0)
		return TRACER_SPAWN_FAILED;
	res->pid = pid;
	tr.first = pid;
	/* Seized before its execve: the first stop is the exec event. */
	struct tracee *first = add(&tr, pid);
	if (!first) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, __WALL);
		if (tr.init > 0) {
			kill(tr.init, SIGKILL);
			waitpid(tr.init, NULL, __WALL);
		}
		close(err_fd);
		snprintf(res->error, sizeof(res->error), "out of memory");
		return TRACER_ERROR;
	}
	first->announced = true;
	enum tracer_status st = TRACER_OK;
	bool timed_out = false;
	while (tr.n > 0) {
		if (stop_signal) {
			res->signal = stop_signal;
			st = TRACER_INTERRUPTED;
			reap_all(&tr);
			break;
		}
		if (tr.n_parked && ops->on_idle && ops->on_idle(ops->ctx, timed_out) < 0) {
			st = TRACER_STOPPED;
			reap_all(&tr);
			break;
		}
		int status;
		pid_t tid = wait_next(&status, tr.n_parked && ops->on_idle ? ops->idle_ms : 0, &timed_out);
		if (tid == 0)
			continue;
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			snprintf(res->error, sizeof(res->error), "waitpid: %s", strerror(errno));
			st = TRACER_ERROR;
			reap_all(&tr);
			break;
		}
		if (tid == tr.init) {
			/* The container's init: it ends after the program. */
			tr.init = -1;
			continue;
		}
		res->stops++;
		struct tracee *t = find(&tr, tid);
		if (!t) {
			/* A new child may report before its parent's clone event. */
			t = add(&tr, tid);
			if (!t) {
				kill(tid, SIGKILL);
				continue;
			}
			t->started = true;
			t->fresh = true;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (tid == pid)
				res->wait_status = status;
			finish_unfinished(&tr, t);
			report_end(&tr, t, status);
			drop(&tr, t);
			if (tid == pid && tr.n > 0 && ops->on_left_behind)
				ops->on_left_behind(ops->ctx, tr.t, tr.n);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (t->parked) {
			/* A kill took it from where it was parked (it reports its
			 * exit event): it is no longer there. */
			t->parked = false;
			tr.n_parked--;
		}
		int sig = WSTOPSIG(status);
		int event = status >> 16;
		int inject = 0, k = 0;
		if (sig == (SIGTRAP | 0x80)) {
			k = syscall_stop(&tr, t);
		} else if (event == PTRACE_EVENT_STOP) {
			if (t->fresh) {
				/* A new child's first stop (seized children start so). */
				t->fresh = false;
				if (!t->announced && t != first) {
					/* It reported before its parent's clone event: keep it
					 * stopped until the event says whose child it is. */
					t->held = true;
					continue;
				}
			} else if (group_stop_sig(sig)) {
				/* Job control: stay stopped until SIGCONT (which reports
				 * again), as the program would without us. */
				t->listening = true;
				if (ptrace(PTRACE_LISTEN, tid, 0, 0) < 0 && errno != ESRCH)
					resume(tid, 0);
				continue;
			}
			t->listening = false;
		} else if (sig == SIGTRAP && event) {
			if (event == PTRACE_EVENT_EXEC) {
				if (!t->started && ops->no_syscall_stops) {
					/* No exit stop will tell that it returned. */
					t->exec_seen = t->started = tr.started_any = true;
					if (ops->on_started)
						ops->on_started(ops->ctx, t);
				} else if (!t->started)
					t->exec_seen = true;
				else
					t = exec_tid_switch(&tr, t);
				/* Every new image gets a fresh auxv: hide it there too,
				 * or a child's clock reads after execve go unseen. */
				if (o->hide_vdso)
					hide_vdso(t->tid);
			} else if (event == PTRACE_EVENT_EXIT) {
				if (tid == pid && ops->on_exiting)
					ops->on_exiting(ops->ctx, tid);
				if (t->started) {
					t->exit_stop_seq = ++tr.seq;
					if (ops->on_exit_stop)
						k = ops->on_exit_stop(ops->ctx, t);
				}
			} else if (event == PTRACE_EVENT_CLONE || event == PTRACE_EVENT_FORK ||
				   event == PTRACE_EVENT_VFORK) {
				unsigned long child;
				if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &child) == 0) {
					struct tracee *c = find(&tr, (pid_t)child);
					if (!c && (c = add(&tr, (pid_t)child)) != NULL) {
						c->started = t->started;
						c->fresh = true;
					}
					if (c && !c->announced) {
						c->announced = true;
						if (ops->on_clone)
							ops->on_clone(ops->ctx, t, c);
						if (c->held) {
							c->held = false;
							resume(c->tid, 0);
						}
					}
				}
			}
		} else {
			siginfo_t si;
			if (ptrace(PTRACE_GETSIGINFO, tid, 0, &si) == 0)
				k = signal_stop(&tr, t, &si, sig, &inject);
		}
		if (k < 0) {
			st = TRACER_STOPPED;
			reap_all(&tr);
			break;
		}
		if (k == TRACER_PARK) {
			if (!t->parked) {
				t->parked = true;
				tr.n_parked++;
			}
			continue;
		}
		if (resume(tid, inject) < 0 && errno != ESRCH) {
			snprintf(res->error, sizeof(res->error), "ptrace(SYSCALL): %s", strerror(errno));
			st = TRACER_ERROR;
			reap_all(&tr);
			break;
		}
	}
	free(tr.t);
	if (tr.init > 0) {
		/* Waiting for its last child, or for the tracer's SIGKILL: as
		 * PID 1 of its namespace it takes every process there along. */
		kill(tr.init, SIGKILL);
		while (waitpid(tr.init, NULL, __WALL) < 0 && errno == EINTR)
			;
	}
	if (st == TRACER_OK && !tr.started_any) {
		read_child_error(err_fd, res);
		if (!res->error[0])
			snprintf(res->error, sizeof(res->error), "%s: could not be executed", o->path);
		close(err_fd);
		return TRACER_SPAWN_FAILED;
	}
	read_child_error(err_fd, res);
	close(err_fd);
	return st;
}
