/* mapfile MODE FILE: map FILE (MODE "shared": read-write, MAP_SHARED;
 * "private-ro": read-only, MAP_PRIVATE), print its first 16 bytes, exit.
 * Only reads the mapping: whatever it holds afterwards was put there by
 * someone else. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	int shared = !strcmp(argv[1], "shared");
	int fd = open(argv[2], shared ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return 3;
	char *p = mmap(NULL, 4096, shared ? PROT_READ | PROT_WRITE : PROT_READ, shared ? MAP_SHARED : MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return 4;
	printf("%.16s\n", p);
	return 0;
}
