/* floor: the cheapest possible ptrace tracer, the price every ptrace tool pays.
 *
 * usage: floor [-i] PROGRAM [ARG...]
 *
 *   -i  also PTRACE_GET_SYSCALL_INFO at every syscall stop: the least a
 *       recorder must do (it needs the number, arguments and return value),
 *       for measuring what is left above it (not one of bench/run's runners).
 *
 * Forks, the child does PTRACE_TRACEME + raise(SIGSTOP) + execvp; the parent
 * sets TRACESYSGOOD|EXITKILL and then only loops PTRACE_SYSCALL + waitpid.
 * No register reads, no memory reads, no output.  Tracer and tracee are
 * pinned to the CPU the tracer starts on: a stop then costs a context switch
 * on one CPU instead of a cross-CPU wakeup (about 8x cheaper here).
 * Children, forks and threads are followed (TRACEFORK|VFORK|CLONE, the same
 * set strace -f and sperrips follow), so a shell script workload is traced as
 * a whole; their stops cost the same PTRACE_SYSCALL + waitpid and nothing
 * more.  TRACEEXEC turns the post-execve SIGTRAP into an event stop
 * (no signal to filter).  The first child's exit status is passed through (128+N for signal N).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int info = 0;
	if (argc > 1 && !strcmp(argv[1], "-i")) {
		info = 1;
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: floor [-i] PROGRAM [ARG...]\n");
		return 2;
	}
	int cpu = sched_getcpu();
	if (cpu >= 0) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) < 0)
			perror("sched_setaffinity");
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0) {
			perror("ptrace(TRACEME)");
			_exit(127);
		}
		raise(SIGSTOP);
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) < 0 || !WIFSTOPPED(status)) {
		fprintf(stderr, "floor: child did not stop\n");
		return 1;
	}
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL | PTRACE_O_TRACEFORK |
		    PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC;
	if (ptrace(PTRACE_SETOPTIONS, pid, 0, opts) < 0) {
		perror("ptrace(SETOPTIONS)");
		return 1;
	}
	int rc = 1;
	ptrace(PTRACE_SYSCALL, pid, 0, 0);
	for (;;) {
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				return rc; /* every tracee is gone */
			perror("waitpid");
			return 1;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (tid == pid)
				rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			continue;
		}
		int sig = 0;
		if (WIFSTOPPED(status)) {
			int s = WSTOPSIG(status);
			/* Syscall stops (SIGTRAP|0x80) and ptrace events (SIGTRAP with
			 * an event in the high bits) are not signals; a new child's
			 * first SIGSTOP comes from ptrace.  Pass real signals on. */
			if (s == (SIGTRAP | 0x80)) {
				if (info) {
					struct __ptrace_syscall_info si;
					ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof(si), &si);
				}
			} else if (s == SIGTRAP && (status >> 16))
				sig = 0;
			else if (s == SIGSTOP && tid != pid)
				sig = 0; /* an auto-attached child's initial stop (approximation) */
			else
				sig = s;
		}
		ptrace(PTRACE_SYSCALL, tid, 0, sig);
	}
}
