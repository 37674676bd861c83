/* A minimal init for the container: the first process of a PID namespace
 * is its init, which the kernel treats apart: it is sent only the signals
 * it has a handler for (so a program that never expected to be PID 1
 * ignores SIGTERM and SIGINT), every orphan of the namespace becomes its
 * child to reap, and its end kills the namespace. So the clone child stays
 * as PID 1, untraced, and the program runs as its child: this init
 * forwards the usual signals to the program, reaps every orphan, and ends
 * with the program's status. */
#include "sandbox/init.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* Passed on to the program; SIGCHLD tells of children ending. */
static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2 };
#define N_FORWARDED (sizeof(forwarded) / sizeof(forwarded[0]))

static void no_op(int sig)
{
	(void)sig;
}

static void __attribute__((noreturn)) init_loop(pid_t prog, const sigset_t *set)
{
	/* Nothing of the tracer's (pipes, terminal) stays open here: the
	 * tracer reads its pipes to their end. */
	prctl(PR_SET_NAME, "sperrips-init", 0, 0, 0);
	if (syscall(SYS_close_range, 0, ~0U, 0) < 0)
		for (int fd = 0; fd < 1024; fd++)
			close(fd);
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(set, &si);
		if (sig < 0)
			continue;
		if (sig != SIGCHLD) {
			kill(prog, sig);
			continue;
		}
		int st;
		pid_t pid;
		while ((pid = waitpid(-1, &st, WNOHANG | __WALL)) > 0) {
			if (pid != prog)
				continue;
			/* Its end ends the namespace: whatever the program
			 * left running is killed, as when it was PID 1. */
			_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		}
	}
}

int container_init_fork(char *err, size_t errlen)
{
	/* Handlers, not SIG_DFL: the kernel drops a signal with the default
	 * action before it reaches a namespace's init. Blocked from before
	 * the fork, so none is lost; sigwaitinfo takes them. */
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (size_t i = 0; i < N_FORWARDED; i++)
		sigaddset(&set, forwarded[i]);
	struct sigaction sa, old_sa[N_FORWARDED + 1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = no_op;
	if (sigprocmask(SIG_BLOCK, &set, &old) < 0) {
		snprintf(err, errlen, "init: sigprocmask: %s", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i <= N_FORWARDED; i++)
		sigaction(i < N_FORWARDED ? forwarded[i] : SIGCHLD, &sa, &old_sa[i]);
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "init: fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0)
		init_loop(pid, &set);
	/* The program: signals as they were, and dead with the init (the
	 * parent death signal does not survive a fork). */
	for (size_t i = 0; i <= N_FORWARDED; i++)
		sigaction(i < N_FORWARDED ? forwarded[i] : SIGCHLD, &old_sa[i], NULL);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0 || getppid() != 1) {
		snprintf(err, errlen, "init: the program lost its init");
		return -1;
	}
	return 0;
}

/* The only child of `init` (a host pid): the kernel lists it in
 * /proc/PID/task/PID/children; without that file (CONFIG_PROC_CHILDREN
 * off), the process whose parent is `init`. */
pid_t container_tracee_of(void *arg, pid_t init)
{
	(void)arg;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)init, (int)init);
	FILE *f = fopen(path, "r");
	int pid = -1;
	if (f) {
		if (fscanf(f, "%d", &pid) != 1)
			pid = -1;
		fclose(f);
		return pid;
	}
	DIR *d = opendir("/proc");
	struct dirent *e;
	while (d && pid < 0 && (e = readdir(d))) {
		int cand = atoi(e->d_name), ppid;
		if (cand <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", cand);
		FILE *s = fopen(path, "r");
		/* pid (comm) state ppid: comm may hold anything but ends at the last ')' */
		char line[512];
		if (s && fgets(line, sizeof(line), s)) {
			char *r = strrchr(line, ')');
			if (r && sscanf(r + 1, " %*c %d", &ppid) == 1 && ppid == init)
				pid = cand;
		}
		if (s)
			fclose(s);
	}
	if (d)
		closedir(d);
	return pid;
}
