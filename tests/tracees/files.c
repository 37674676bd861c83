/* files: open the file named by argv[1], read it, copy its bytes to stdout,
 * then try to open a path that does not exist (ENOENT) and exit_group(0).
 * Raw syscalls so that the recording's sequence is exactly known:
 *   openat(AT_FDCWD, argv[1], O_RDONLY) = fd
 *   read(fd, <the file's bytes>, 65536) = n      (repeated until 0)
 *   write(1, <the same bytes>, n) = n
 *   close(fd) = 0
 *   openat(AT_FDCWD, "/nonexistent/sperrips-test", O_RDONLY) = -ENOENT
 *   exit_group(0)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MISSING "/nonexistent/sperrips-test"

static char buf[65536];

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: files FILE\n");
		return 2;
	}
	long fd = syscall(SYS_openat, AT_FDCWD, argv[1], O_RDONLY, 0);
	if (fd < 0)
		return 3;
	for (;;) {
		long n = syscall(SYS_read, fd, buf, sizeof(buf));
		if (n < 0)
			return 4;
		if (n == 0)
			break;
		long off = 0;
		while (off < n) {
			long k = syscall(SYS_write, 1, buf + off, n - off);
			if (k <= 0)
				return 5;
			off += k;
		}
	}
	syscall(SYS_close, fd);
	long bad = syscall(SYS_openat, AT_FDCWD, MISSING, O_RDONLY, 0);
	if (bad >= 0 || errno != ENOENT)
		return 6;
	syscall(SYS_exit_group, 0);
	return 0;
}
