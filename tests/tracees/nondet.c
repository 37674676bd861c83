/* nondet: the calls whose results differ from run to run. Prints, one per
 * line, what each returned, so that a test can compare the recording with it:
 *   getrandom <32 hex digits>
 *   clock_gettime <sec> <nsec>
 *   gettimeofday <sec> <usec>
 *   time <sec>
 *   getpid <pid>
 *   gettid <tid>
 *   uname <sysname> <release> <machine>
 *   mmap <address in hex, 0x...>
 * The time calls go through the C library (which would use the vDSO if the
 * tracer did not hide it); the others are raw syscalls. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	unsigned char rnd[16];
	memset(rnd, 0, sizeof(rnd));
	long n = syscall(SYS_getrandom, rnd, sizeof(rnd), 0);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct timeval tv;
	gettimeofday(&tv, NULL);
	time_t t = time(NULL);
	long pid = syscall(SYS_getpid);
	long tid = syscall(SYS_gettid);
	struct utsname u;
	syscall(SYS_uname, &u);
	void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	printf("getrandom ");
	for (int i = 0; i < (int)sizeof(rnd); i++)
		printf("%02x", rnd[i]);
	printf("\n");
	if (n != (long)sizeof(rnd))
		return 3;
	printf("clock_gettime %lld %ld\n", (long long)ts.tv_sec, (long)ts.tv_nsec);
	printf("gettimeofday %lld %ld\n", (long long)tv.tv_sec, (long)tv.tv_usec);
	printf("time %lld\n", (long long)t);
	printf("getpid %ld\n", pid);
	printf("gettid %ld\n", tid);
	printf("uname %s %s %s\n", u.sysname, u.release, u.machine);
	printf("mmap %p\n", m);
	return m == MAP_FAILED ? 4 : 0;
}
