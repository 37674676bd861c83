/* hello_demo: the built-in example of `make demo`. Reads the host name from
 * /etc/hostname (or the file named by argv[1]), takes 8 random bytes, reads
 * the clock and greets: a few syscalls of every kind a recording shows. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/etc/hostname";
	char host[256] = "somewhere";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, host, sizeof(host) - 1);
		close(fd);
		if (n > 0) {
			host[n] = 0;
			host[strcspn(host, "\r\n")] = 0;
		} else {
			strcpy(host, "somewhere");
		}
	}
	unsigned char lucky[8] = { 0 };
	if (getrandom(lucky, sizeof(lucky), 0) != (ssize_t)sizeof(lucky))
		return 1;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	char msg[512];
	int len = snprintf(msg, sizeof(msg),
			   "Hello from %s! It is %lld seconds past 1970; lucky bytes %02x%02x%02x%02x%02x%02x%02x%02x.\n",
			   host, (long long)ts.tv_sec, lucky[0], lucky[1], lucky[2], lucky[3], lucky[4], lucky[5],
			   lucky[6], lucky[7]);
	if (write(1, msg, (size_t)len) != len)
		return 1;
	return 0;
}
