/* busy MS: makes small syscalls (getppid, and clock_gettime, a real
 * syscall under sperrips, which hides the vDSO) until MS milliseconds have
 * passed, then writes "done\n" to standard error. A run that lasts long
 * enough for record's and replay's progress line whatever the machine's
 * speed; replayed, the recorded clock values make it loop as often. */
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long ms_now(void)
{
	struct timespec ts;
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	long long ms = argc > 1 ? atoll(argv[1]) : 1000, end = ms_now() + ms;
	while (ms_now() < end)
		for (int i = 0; i < 100; i++)
			syscall(SYS_getppid);
	return write(2, "done\n", 5) == 5 ? 0 : 1;
}
