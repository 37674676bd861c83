/* sigstate: prints the signals it started with ignored and blocked, one
 * line each ("ignored: 10 13"), asking the kernel for each signal in turn
 * (rt_sigaction with no new action, rt_sigprocmask). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	char line[512];
	size_t n = 0;
	n += (size_t)snprintf(line + n, sizeof(line) - n, "ignored:");
	for (int sig = 1; sig < 32; sig++) {
		struct sigaction sa;
		if (sig != SIGKILL && sig != SIGSTOP && sigaction(sig, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %d", sig);
	}
	sigset_t set;
	sigprocmask(SIG_BLOCK, NULL, &set);
	n += (size_t)snprintf(line + n, sizeof(line) - n, "\nblocked:");
	for (int sig = 1; sig < 32; sig++)
		if (sigismember(&set, sig) == 1)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %d", sig);
	n += (size_t)snprintf(line + n, sizeof(line) - n, "\n");
	return write(1, line, n) == (ssize_t)n ? 0 : 1;
}
