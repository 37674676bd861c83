/* Makes N getpid syscalls, then kills its parent (the tracer) with SIGKILL:
 * a program erasing its own trail. The recording must hold the N calls. */
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10;
	for (long i = 0; i < n; i++)
		syscall(SYS_getpid);
	kill(getppid(), SIGKILL);
	for (;;)
		pause(); /* ends with the tracer (PTRACE_O_EXITKILL) */
}
