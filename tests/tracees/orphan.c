/* Leaves an orphan and looks whether anyone reaps it: the child forks a
 * grandchild and exits at once; the grandchild ends 100 ms later; we wait
 * for the child only (never for anyone else), then print the grandchild's
 * state: "orphan: zombie" if nobody reaped it, "orphan: reaped" if gone.
 * In a container this tells whether PID 1 reaps orphans. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	int fds[2];
	if (pipe(fds) < 0)
		return 2;
	pid_t child = fork();
	if (child < 0)
		return 2;
	if (child == 0) {
		pid_t gc = fork();
		if (gc == 0) {
			struct timespec ts = { 0, 100 * 1000 * 1000 };
			nanosleep(&ts, NULL);
			_exit(0);
		}
		if (write(fds[1], &gc, sizeof(gc)) != sizeof(gc))
			_exit(2);
		_exit(0);
	}
	pid_t gc = -1;
	if (read(fds[0], &gc, sizeof(gc)) != sizeof(gc) || waitpid(child, NULL, 0) != child)
		return 2;
	struct timespec ts = { 0, 500 * 1000 * 1000 };
	nanosleep(&ts, NULL);
	char path[64], line[256] = "";
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)gc);
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("orphan: %s\n", errno == ENOENT ? "reaped" : strerror(errno));
		return 0;
	}
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	char *r = strrchr(line, ')');
	printf("orphan: %s\n", r && r[1] == ' ' && r[2] == 'Z' ? "zombie" : "running");
	return 0;
}
