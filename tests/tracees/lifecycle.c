/* lifecycle: every way a program makes new tasks, for the bpf backend
 * (issue 15, done when 4), each step waited for, so that each task's
 * syscalls are the same from run to run:
 *   fork: the child reads argv[1] and writes it to stdout;
 *   vfork + execve: the child runs this program again with "exec", which
 *     writes one line;
 *   a thread (clone): reads argv[1] and writes it;
 *   then BURST getppid calls and exit_group at once, so that the last
 *   records are still in the ring when the process ends. */
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define BURST 2000

static void copy_file(const char *path)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
	if (fd >= 0)
		close(fd);
	if (n > 0 && write(1, buf, (size_t)n) != n)
		_exit(4);
}

static void *thread_main(void *arg)
{
	copy_file(arg);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "exec")) {
		static const char line[] = "exec'd\n";
		return write(1, line, sizeof(line) - 1) == sizeof(line) - 1 ? 0 : 5;
	}
	if (argc < 2)
		return 2;
	pid_t pid = fork();
	if (pid == 0) {
		copy_file(argv[1]);
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		return 3;
	pid = vfork();
	if (pid == 0) {
		char *const args[] = { argv[0], "exec", NULL };
		execv(argv[0], args);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		return 3;
	pthread_t t;
	if (pthread_create(&t, NULL, thread_main, argv[1]) || pthread_join(t, NULL))
		return 3;
	for (int i = 0; i < BURST; i++)
		syscall(SYS_getppid);
	syscall(SYS_exit_group, 0);
	return 0;
}
