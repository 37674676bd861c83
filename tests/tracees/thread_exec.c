/* A thread that is not the leader calls execve: the kernel gives it the
 * leader's tid and ends every other thread (the tid switch strace
 * handles). The new program prints one line. */
#include <pthread.h>
#include <unistd.h>

static void *run(void *arg)
{
	char *const argv[] = { "/bin/echo", "exec from a thread", NULL };
	(void)arg;
	execv(argv[0], argv);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, run, NULL);
	pthread_join(t, NULL);
	return 1; /* not reached: the exec replaces the whole process */
}
