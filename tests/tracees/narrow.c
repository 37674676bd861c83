/* narrow: syscalls whose arguments trip a tracer up (issue 11), made with
 * raw syscall() so the registers hold exactly what is written here:
 * integer arguments with garbage in the high half of their register, a
 * setsockopt option of 3 bytes, a path and a struct that end in an
 * unmapped page, an interrupted nanosleep, and constants strace names. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GARBAGE 0xfacefeed00000000ull

static void on_alarm(int sig)
{
	(void)sig;
}

int main(void)
{
	/* int flags with garbage above: the kernel sees MFD_CLOEXEC. */
	long fd = syscall(SYS_memfd_create, "narrow", GARBAGE | MFD_CLOEXEC);
	syscall(SYS_close, fd);
	syscall(SYS_inotify_init1, GARBAGE | 02000000);
	/* umode_t modes with garbage above. */
	syscall(SYS_mkdir, "/nonexistent/narrow", 0xfffffffffff00000ull | 0755);
	/* A socket with a 3-byte option and a socklen_t with garbage above. */
	long s = syscall(SYS_socket, AF_INET, SOCK_DGRAM, 0);
	int one = 1;
	syscall(SYS_setsockopt, s, SOL_SOCKET, SO_REUSEADDR, &one, 3);
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(9), .sin_addr = { htonl(0x7f000001) } };
	syscall(SYS_connect, s, &sin, GARBAGE | sizeof(sin));
	syscall(SYS_close, s);
	/* A path and a struct cut by an unmapped page. */
	char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(page + 4096, 4096);
	memset(page, 'a', 4096);
	syscall(SYS_chdir, page + 4096 - 8);
	syscall(SYS_nanosleep, page + 4096 - 8, NULL);
	/* Constants strace names. */
	long ep = syscall(SYS_epoll_create1, EPOLL_CLOEXEC);
	int p[2];
	syscall(SYS_pipe2, p, O_CLOEXEC | O_NONBLOCK);
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET, .data = { .u64 = 7 } };
	syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], &ev);
	syscall(SYS_dup3, p[0], 100, O_CLOEXEC);
	syscall(SYS_timerfd_create, CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	syscall(SYS_msync, page, 4096, MS_SYNC);
	syscall(SYS_openat, AT_FDCWD, "/nonexistent/narrow", O_RDWR | O_CREAT | O_SYNC, 0600);
	syscall(SYS_openat, AT_FDCWD, "/nonexistent", O_RDWR | O_TMPFILE, 0600);
	syscall(SYS_prctl, 15, "narrow", 11, 12, 13);
	/* An interrupted nanosleep: the kernel's restart code, the time left. */
	struct sigaction sa = { .sa_handler = on_alarm };
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = { .it_value = { 0, 100000 } };
	setitimer(ITIMER_REAL, &it, NULL);
	struct timespec req = { 30, 0 }, rem = { 0, 0 };
	syscall(SYS_nanosleep, &req, &rem);
	/* A child's exit status. */
	pid_t pid = fork();
	if (pid == 0)
		_exit(3);
	int status;
	syscall(SYS_wait4, pid, &status, 0, NULL);
	return 0;
}
