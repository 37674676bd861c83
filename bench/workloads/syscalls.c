/* syscalls: 100,000 iterations of getppid + a 64-byte write into a pipe +
 * a 64-byte read back: 300,000 small syscalls, the per-stop cost benchmark. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 100000;
	int fds[2];
	if (pipe(fds) < 0) {
		perror("pipe");
		return 1;
	}
	char buf[64];
	for (int i = 0; i < 64; i++)
		buf[i] = (char)('a' + i % 26);
	for (long i = 0; i < iters; i++) {
		/* syscall(2), not getppid(3): never cached by a C library. */
		syscall(SYS_getppid);
		if (write(fds[1], buf, sizeof(buf)) != sizeof(buf) ||
		    read(fds[0], buf, sizeof(buf)) != sizeof(buf)) {
			perror("pipe I/O");
			return 1;
		}
	}
	return 0;
}
