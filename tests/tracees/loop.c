/* loop N: N times getppid() + write 64 bytes into a pipe + read them back,
 * i.e. 3N small syscalls (plus the start-up of a C program). For the memory
 * test (N large) and the benchmarks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
	int p[2];
	char out[64], in[64];
	if (pipe(p) < 0)
		return 2;
	memset(out, 'x', sizeof(out));
	for (long i = 0; i < n; i++) {
		syscall(SYS_getppid);
		if (syscall(SYS_write, p[1], out, sizeof(out)) != (long)sizeof(out))
			return 3;
		if (syscall(SYS_read, p[0], in, sizeof(in)) != (long)sizeof(in))
			return 4;
	}
	return 0;
}
