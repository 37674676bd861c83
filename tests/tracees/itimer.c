/* A setitimer SIGALRM handler counts ticks while the program works and
 * makes syscalls: the signals arrive at points that depend on the timing,
 * which replay must reproduce from the recording. Prints the tick count. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	ticks++;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { { 0, 2000 }, { 0, 2000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	volatile unsigned long x = 0;
	while (ticks < 20) {
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
		getppid();
	}
	struct itimerval off = { { 0, 0 }, { 0, 0 } };
	setitimer(ITIMER_REAL, &off, NULL);
	printf("ticks %d\n", (int)ticks);
	return 0;
}
