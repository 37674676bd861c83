/* maxrss PROGRAM [ARG...]: run PROGRAM, wait for it with wait4 and print
 * "maxrss_kib N" (its peak resident set size) as the last line on stderr;
 * exit with its exit status (128+N if killed by signal N).
 *
 * Not a tracee but a measuring tool for the tests: ru_maxrss of a process
 * counts the memory of whatever it was before its execve, so a program
 * started straight from Python reports Python's size. Started from this
 * small program it reports its own. */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: maxrss PROGRAM [ARG...]\n");
		return 2;
	}
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("wait4");
		return 2;
	}
	fprintf(stderr, "maxrss_kib %ld\n", ru.ru_maxrss);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}
