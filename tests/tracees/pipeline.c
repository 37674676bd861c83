/* pipeline [--serial] WRITER... -- READER...: runs WRITER | READER (real
 * programs, by path) with pipe, fork and execv, and waits for each by its
 * pid; with --serial the reader starts once the writer has exited (what
 * the writer writes must fit the pipe, 64 KiB), so how the reader's reads
 * cut the stream does not depend on scheduling. A
 * pipeline without a shell: a shell's SIGCHLD handler runs when the
 * children happen to exit, which replay does not schedule yet, while the
 * bytes through the pipe are what the test is about. For the same reason
 * SIGCHLD stays blocked here (a child's exit would otherwise interrupt
 * wait4 at a moment of the scheduler's choosing); the children get the
 * mask they were started with. Exits with the reader's status. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static sigset_t old_mask;

static pid_t start(char **argv, int in, int out, int other)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	if ((in >= 0 && dup2(in, 0) < 0) || (out >= 0 && dup2(out, 1) < 0))
		_exit(126);
	close(other);
	close(in >= 0 ? in : out);
	execv(argv[0], argv);
	_exit(127);
}

int main(int argc, char **argv)
{
	int first = 1, serial = argc > 1 && !strcmp(argv[1], "--serial");
	first += serial;
	int sep = first;
	while (sep < argc && strcmp(argv[sep], "--"))
		sep++;
	if (sep <= first || sep + 1 >= argc) {
		fprintf(stderr, "usage: pipeline [--serial] WRITER... -- READER...\n");
		return 2;
	}
	argv[sep] = NULL;
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, &old_mask) < 0)
		return 3;
	int p[2];
	if (pipe(p) < 0)
		return 3;
	int ws = 0, rs = 0;
	pid_t w = start(argv + first, -1, p[1], p[0]);
	if (w < 0 || (serial && waitpid(w, &ws, 0) != w))
		return 4;
	pid_t r = start(argv + sep + 1, p[0], -1, p[1]);
	close(p[0]);
	close(p[1]);
	if (r < 0 || (!serial && waitpid(w, &ws, 0) != w) || waitpid(r, &rs, 0) != r)
		return 4;
	return WIFEXITED(rs) ? WEXITSTATUS(rs) : 5;
}
