/* forker: a process tree. The parent forks two children one after the
 * other; each child reads a file given as argv[1] (or /etc/hostname) and
 * writes what it read; the parent waits for each and reports its status. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void child(const char *path, int n)
{
	char buf[128];
	int fd = open(path, O_RDONLY);
	ssize_t k = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
	char line[200];
	int len = snprintf(line, sizeof(line), "child %d read %zd bytes\n", n, k);
	if (write(1, line, (size_t)len) != len)
		_exit(2);
	_exit(k > 0 ? 0 : 1);
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/etc/hostname";
	for (int n = 1; n <= 2; n++) {
		pid_t pid = fork();
		if (pid < 0)
			return 3;
		if (pid == 0)
			child(path, n);
		int status = 0;
		if (waitpid(pid, &status, 0) != pid)
			return 4;
		char line[64];
		int len = snprintf(line, sizeof(line), "parent: child %d exited with %d\n", n, WEXITSTATUS(status));
		if (write(1, line, (size_t)len) != len)
			return 5;
	}
	return 0;
}
