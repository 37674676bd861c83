/* Threads, one per file named on the command line, each opening and
 * reading its file and writing what it read: their syscalls interleave in
 * an order replay must follow. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *reader(void *arg)
{
	char buf[256];
	int fd = open(arg, O_RDONLY);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n > 0 && write(1, buf, (size_t)n) < 0)
		return NULL;
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t[16];
	int n = argc - 1 > 16 ? 16 : argc - 1;
	for (int i = 0; i < n; i++)
		pthread_create(&t[i], NULL, reader, argv[i + 1]);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	return 0;
}
