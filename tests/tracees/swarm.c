/* swarm threads N | swarm forks N: N threads that each make a syscall and
 * end, all alive at once; or N children forked one after the other, each
 * exiting at once and reaped. More tracees than any fixed table holds. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_barrier_t all_up;

static void *worker(void *arg)
{
	(void)arg;
	getpid();
	pthread_barrier_wait(&all_up);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	int n = atoi(argv[2]);
	if (!strcmp(argv[1], "threads")) {
		pthread_t *t = calloc((size_t)n, sizeof(*t));
		pthread_barrier_init(&all_up, NULL, (unsigned)n + 1);
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 64 << 10);
		for (int i = 0; i < n; i++)
			if (pthread_create(&t[i], &attr, worker, NULL))
				return 1;
		pthread_barrier_wait(&all_up);
		for (int i = 0; i < n; i++)
			pthread_join(t[i], NULL);
		printf("%d threads\n", n);
		return 0;
	}
	int done = 0;
	for (int i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(i & 0x7f);
		int st;
		if (p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == (i & 0x7f))
			done++;
	}
	printf("%d children\n", done);
	return 0;
}
