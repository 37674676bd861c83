/* deadline MODE: reads the clock, computes a deadline 400 ms ahead, starts
 * a child that writes to a pipe after 100 ms, waits until the deadline in
 * an absolute-time call, then polls the pipe without waiting: data is there.
 * Replay writes the recorded (older) clock value into the program; unless
 * the deadline is moved to the replay's clock, it is already past when
 * replayed, the wait ends at once and the poll finds nothing. Modes:
 *   nanosleep  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME)
 *   futex      futex(FUTEX_WAIT_BITSET) on CLOCK_MONOTONIC
 *   futex-rt   futex(FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME) on CLOCK_REALTIME
 *   timerfd    timerfd_settime(TFD_TIMER_ABSTIME) on CLOCK_MONOTONIC, read
 *   ppoll      ppoll with the time left until the deadline (relative)
 * Prints "ready N" (N: poll's result); exit status 0 if N is 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2)
		return fprintf(stderr, "usage: deadline MODE\n"), 2;
	const char *m = argv[1];
	clockid_t clk = !strcmp(m, "futex-rt") ? CLOCK_REALTIME : CLOCK_MONOTONIC;
	struct timespec now, dl;
	syscall(SYS_clock_gettime, clk, &now);
	dl = now;
	dl.tv_nsec += 400000000;
	if (dl.tv_nsec >= 1000000000) {
		dl.tv_sec++;
		dl.tv_nsec -= 1000000000;
	}
	int p[2];
	if (pipe(p) < 0)
		return 3;
	pid_t child = (pid_t)syscall(SYS_fork);
	if (child == 0) {
		struct timespec d = { 0, 100000000 };
		syscall(SYS_nanosleep, &d, NULL);
		if (write(p[1], "x", 1) != 1)
			syscall(SYS_exit_group, 1);
		syscall(SYS_exit_group, 0);
	}
	long r = 0;
	if (!strcmp(m, "nanosleep")) {
		r = syscall(SYS_clock_nanosleep, clk, TIMER_ABSTIME, &dl, NULL);
	} else if (!strncmp(m, "futex", 5)) {
		uint32_t word = 0;
		int op = FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG | (clk == CLOCK_REALTIME ? FUTEX_CLOCK_REALTIME : 0);
		r = syscall(SYS_futex, &word, op, 0, &dl, NULL, FUTEX_BITSET_MATCH_ANY);
		r = r < 0 && errno == ETIMEDOUT ? 0 : -1;
	} else if (!strcmp(m, "timerfd")) {
		int t = (int)syscall(SYS_timerfd_create, clk, 0);
		struct itimerspec its = { { 0, 0 }, dl };
		uint64_t n;
		if (t < 0 || syscall(SYS_timerfd_settime, t, TFD_TIMER_ABSTIME, &its, NULL) < 0 ||
		    read(t, &n, 8) != 8)
			r = -1;
	} else if (!strcmp(m, "ppoll")) {
		syscall(SYS_clock_gettime, clk, &now);
		struct timespec left = { dl.tv_sec - now.tv_sec, dl.tv_nsec - now.tv_nsec };
		if (left.tv_nsec < 0) {
			left.tv_sec--;
			left.tv_nsec += 1000000000;
		}
		r = syscall(SYS_ppoll, NULL, 0, &left, NULL, 8);
	} else {
		return 2;
	}
	struct pollfd pf = { p[0], POLLIN, 0 };
	int ready = poll(&pf, 1, 0);
	printf("ready %d\n", ready);
	fflush(stdout);
	int st;
	waitpid(child, &st, 0);
	return r == 0 && ready == 1 ? 0 : 1;
}
