/* many: one call each of many syscalls, with fixed arguments that give the
 * same result on every run (mostly errors: a missing path, descriptor -1),
 * so that `show` can be set beside strace's output for the same calls
 * (tests/e2e/test_strace_compare.py). The calls run between two markers,
 * openat("/sperrips-begin") and openat("/sperrips-end"), both ENOENT. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define P "/nonexistent/sperrips"
#define Q "/nonexistent/sperrips2"
#define S(x) ((long)(x))
#define SYS_fchmodat2 452 /* newer than the build headers */
#define SYS_mseal 462

static char buf[4096];
static int fds[2];
static uint64_t zero8;
static long ts_small[2] = { 0, 1000 };
static struct { uint16_t family, port; uint32_t addr; char pad[8]; } sin = { 2, 0x0900, 0x0100007f, { 0 } };

/* sendmmsg and recvmmsg over a datagram socketpair (descriptors 3 and 4). */
struct iov { void *base; size_t len; };
struct mmsg { void *name; uint32_t namelen; struct iov *iov; size_t iovlen; void *control; size_t controllen;
	      int flags, pad; uint32_t len; };
static struct iov send_iov[2] = { { "abc", 3 }, { "hello", 5 } };
static char r1[3], r2[8];
static struct iov recv_iov[2] = { { r1, 3 }, { r2, 8 } };
static struct mmsg send_m[2] = { { .iov = &send_iov[0], .iovlen = 1 }, { .iov = &send_iov[1], .iovlen = 1 } };
static struct mmsg recv_m[2] = { { .iov = &recv_iov[0], .iovlen = 1 }, { .iov = &recv_iov[1], .iovlen = 1 } };

static int one = 1, sockval;
static uint32_t socklen = 4;
/* the kernel's struct sigaction: handler, flags, restorer, mask */
static struct { long handler, flags, restorer, mask; } act = { 1 /* SIG_IGN */, 0x14000000, 0, 1 << 1 }, oldact;
static struct { void *sp; int flags; size_t size; } oldstack;

struct call {
	long nr, a[6];
};

static const struct call calls[] = {
	{ SYS_open, { S(P), O_RDONLY } },
	{ SYS_open, { S(P), O_WRONLY | O_CREAT | O_TRUNC, 0644 } },
	{ SYS_stat, { S(P), S(buf) } },
	{ SYS_lstat, { S(P), S(buf) } },
	{ SYS_access, { S(P), R_OK | W_OK } },
	{ SYS_access, { S(P), F_OK } },
	{ SYS_truncate, { S(P), 10 } },
	{ SYS_chdir, { S(P) } },
	{ SYS_rename, { S(P), S(Q) } },
	{ SYS_mkdir, { S(P), 0755 } },
	{ SYS_rmdir, { S(P) } },
	{ SYS_creat, { S(P), 0644 } },
	{ SYS_link, { S(P), S(Q) } },
	{ SYS_unlink, { S(P) } },
	{ SYS_symlink, { S(P), S(Q) } },
	{ SYS_readlink, { S(P), S(buf), 64 } },
	{ SYS_chmod, { S(P), 0644 } },
	{ SYS_chown, { S(P), 0, 0 } },
	{ SYS_lchown, { S(P), 0, 0 } },
	{ SYS_utime, { S(P), 0 } },
	{ SYS_statfs, { S(P), S(buf) } },
	{ SYS_chroot, { S(P) } },
	{ SYS_setxattr, { S(P), S("user.x"), S("v"), 1, 0 } },
	{ SYS_lsetxattr, { S(P), S("user.x"), S("v"), 1, 1 } },
	{ SYS_getxattr, { S(P), S("user.x"), S(buf), 8 } },
	{ SYS_lgetxattr, { S(P), S("user.x"), S(buf), 8 } },
	{ SYS_listxattr, { S(P), S(buf), 8 } },
	{ SYS_llistxattr, { S(P), S(buf), 8 } },
	{ SYS_removexattr, { S(P), S("user.x") } },
	{ SYS_lremovexattr, { S(P), S("user.x") } },
	{ SYS_utimes, { S(P), 0 } },
	{ SYS_openat, { AT_FDCWD, S(P), O_RDONLY | O_CLOEXEC } },
	{ SYS_openat, { AT_FDCWD, S(P), O_RDWR | O_CREAT | O_EXCL, 0600 } },
	{ SYS_mkdirat, { AT_FDCWD, S(P), 0700 } },
	{ SYS_fchownat, { AT_FDCWD, S(P), 0, 0, 0 } },
	{ SYS_futimesat, { AT_FDCWD, S(P), 0 } },
	{ SYS_newfstatat, { AT_FDCWD, S(P), S(buf), 0 } },
	{ SYS_newfstatat, { AT_FDCWD, S(P), S(buf), AT_SYMLINK_NOFOLLOW } },
	{ SYS_unlinkat, { AT_FDCWD, S(P), 0 } },
	{ SYS_unlinkat, { AT_FDCWD, S(P), AT_REMOVEDIR } },
	{ SYS_renameat, { AT_FDCWD, S(P), AT_FDCWD, S(Q) } },
	{ SYS_linkat, { AT_FDCWD, S(P), AT_FDCWD, S(Q), 0 } },
	{ SYS_symlinkat, { S(P), AT_FDCWD, S(Q) } },
	{ SYS_readlinkat, { AT_FDCWD, S(P), S(buf), 64 } },
	{ SYS_fchmodat, { AT_FDCWD, S(P), 0644 } },
	{ SYS_faccessat, { AT_FDCWD, S(P), R_OK } },
	{ SYS_faccessat2, { AT_FDCWD, S(P), X_OK, AT_EACCESS } },
	{ SYS_utimensat, { AT_FDCWD, S(P), 0, 0 } },
	{ SYS_renameat2, { AT_FDCWD, S(P), AT_FDCWD, S(Q), 1 } },
	{ SYS_statx, { AT_FDCWD, S(P), 0, 0x7ff, S(buf) } },
	{ SYS_read, { -1, S(buf), 8 } },
	{ SYS_write, { -1, S("abc"), 3 } },
	{ SYS_close, { -1 } },
	{ SYS_fstat, { -1, S(buf) } },
	{ SYS_lseek, { -1, 0, SEEK_SET } },
	{ SYS_lseek, { -1, 10, SEEK_END } },
	{ SYS_pread64, { -1, S(buf), 8, 0 } },
	{ SYS_pwrite64, { -1, S("abc"), 3, 5 } },
	{ SYS_dup, { -1 } },
	{ SYS_dup2, { -1, 5 } },
	{ SYS_dup3, { -1, 5, O_CLOEXEC } },
	{ SYS_fcntl, { -1, F_GETFD } },
	{ SYS_fcntl, { -1, F_SETFD, FD_CLOEXEC } },
	{ SYS_fcntl, { -1, F_GETFL } },
	{ SYS_fcntl, { -1, F_SETFL, O_NONBLOCK } },
	{ SYS_fcntl, { -1, F_DUPFD, 10 } },
	{ SYS_fsync, { -1 } },
	{ SYS_fdatasync, { -1 } },
	{ SYS_ftruncate, { -1, 0 } },
	{ SYS_getdents64, { -1, S(buf), 64 } },
	{ SYS_getdents, { -1, S(buf), 64 } },
	{ SYS_fchdir, { -1 } },
	{ SYS_fchmod, { -1, 0600 } },
	{ SYS_fchown, { -1, 0, 0 } },
	{ SYS_fstatfs, { -1, S(buf) } },
	{ SYS_readahead, { -1, 0, 0 } },
	{ SYS_fsetxattr, { -1, S("user.x"), S("v"), 1, 0 } },
	{ SYS_fgetxattr, { -1, S("user.x"), S(buf), 8 } },
	{ SYS_flistxattr, { -1, S(buf), 8 } },
	{ SYS_fremovexattr, { -1, S("user.x") } },
	{ SYS_fadvise64, { -1, 0, 0, 0 } },
	{ SYS_epoll_wait, { -1, S(buf), 1, 0 } },
	{ SYS_inotify_rm_watch, { -1, 1 } },
	{ SYS_sync_file_range, { -1, 0, 0, 0 } },
	{ SYS_tee, { -1, -1, 8, 0 } },
	{ SYS_splice, { -1, 0, -1, 0, 8, 0 } },
	{ SYS_fallocate, { -1, 0, 0, 8 } },
	{ SYS_timerfd_gettime, { -1, S(buf) } },
	{ SYS_syncfs, { -1 } },
	{ SYS_shutdown, { -1, 0 } },
	{ SYS_listen, { -1, 1 } },
	{ SYS_accept, { -1, 0, 0 } },
	{ SYS_accept4, { -1, 0, 0, 0 } },
	{ SYS_sendto, { -1, S("abc"), 3, 0, 0, 0 } },
	{ SYS_recvfrom, { -1, S(buf), 8, 0, 0, 0 } },
	{ SYS_bind, { -1, S(&sin), 16 } },
	{ SYS_connect, { -1, S(&sin), 16 } },
	{ SYS_copy_file_range, { -1, 0, -1, 0, 8, 0 } },
	{ SYS_ioctl, { -1, 0x5401, S(buf) } },
	{ SYS_ioctl, { -1, 0x541b, S(buf) } },
	{ SYS_flock, { -1, 2 } },
	{ SYS_getpid, { 0 } },
	{ SYS_getppid, { 0 } },
	{ SYS_getuid, { 0 } },
	{ SYS_geteuid, { 0 } },
	{ SYS_getgid, { 0 } },
	{ SYS_getegid, { 0 } },
	{ SYS_gettid, { 0 } },
	{ SYS_getpgrp, { 0 } },
	{ SYS_getsid, { 0 } },
	{ SYS_getpgid, { 0 } },
	{ SYS_setpgid, { 0, 0 } },
	{ SYS_umask, { 022 } },
	{ SYS_umask, { 022 } },
	{ SYS_sched_yield, { 0 } },
	{ SYS_sched_get_priority_max, { 1 } },
	{ SYS_sched_get_priority_min, { 1 } },
	{ SYS_alarm, { 0 } },
	{ SYS_nanosleep, { S(ts_small), 0 } },
	{ SYS_getitimer, { 0, S(buf) } },
	{ SYS_kill, { 0, 0 } },
	{ SYS_rt_sigprocmask, { SIG_BLOCK, 0, S(buf), 8 } },
	{ SYS_rt_sigpending, { S(buf), 8 } },
	{ SYS_clock_getres, { CLOCK_MONOTONIC, S(buf) } },
	{ SYS_clock_nanosleep, { CLOCK_MONOTONIC, 0, S(ts_small), 0 } },
	{ SYS_socket, { 1, 1, 0 } },
	{ SYS_close, { 3 } },
	{ SYS_socketpair, { 1, 1, 0, S(fds) } },
	{ SYS_close, { 3 } },
	{ SYS_close, { 4 } },
	{ SYS_socketpair, { 1, 2, 0, S(fds) } },
	{ SYS_sendmmsg, { 3, S(send_m), 2, 0 } },
	{ SYS_recvmmsg, { 4, S(recv_m), 2, 0, 0 } },
	{ SYS_close, { 3 } },
	{ SYS_close, { 4 } },
	{ SYS_socket, { 2, 2, 0 } },
	{ SYS_setsockopt, { 3, 1, 2, S(&one), 4 } },
	{ SYS_getsockopt, { 3, 1, 3, S(&sockval), S(&socklen) } },
	{ SYS_setsockopt, { 3, 6, 1, S(&one), 4 } },
	{ SYS_close, { 3 } },
	{ SYS_rt_sigaction, { SIGURG, S(&act), 0, 8 } },
	{ SYS_rt_sigaction, { SIGURG, 0, S(&oldact), 8 } },
	{ SYS_sigaltstack, { 0, S(&oldstack) } },
	{ SYS_pipe, { S(fds) } },
	{ SYS_close, { 3 } },
	{ SYS_close, { 4 } },
	{ SYS_pipe2, { S(fds), O_CLOEXEC } },
	{ SYS_close, { 3 } },
	{ SYS_close, { 4 } },
	{ SYS_eventfd2, { 0, 02000000 } },
	{ SYS_close, { 3 } },
	{ SYS_epoll_create1, { 02000000 } },
	{ SYS_close, { 3 } },
	{ SYS_timerfd_create, { CLOCK_MONOTONIC, 02000000 } },
	{ SYS_close, { 3 } },
	{ SYS_memfd_create, { S("many"), 1 } },
	{ SYS_close, { 3 } },
	{ SYS_inotify_init1, { 02000000 } },
	{ SYS_close, { 3 } },
	{ SYS_getrandom, { S(buf), 0, 0 } },
	{ SYS_close_range, { 1000, 1001, 0 } },
	{ SYS_getgroups, { 0, 0 } },
	{ SYS_mprotect, { 0, 0, 1 } },
	{ SYS_madvise, { 0, 0, 0 } },
	{ SYS_mlock, { 0, 0 } },
	{ SYS_munlock, { 0, 0 } },
	{ SYS_msync, { 0, 0, 1 } },
	{ SYS_munmap, { 0, 0 } },
	{ SYS_mq_unlink, { S("/sperrips-none") } },
	{ SYS_rt_sigsuspend, { 0, 8 } },
	{ SYS_sigaltstack, { 0, 0 } },
	{ SYS_setsid, { 0 } },
	{ SYS_sync, { 0 } },
	{ SYS_munlockall, { 0 } },
	{ SYS_timer_delete, { 12345 } },
	{ SYS_timer_getoverrun, { 12345 } },
	{ SYS_io_destroy, { 0 } },
	{ SYS_fchmodat2, { AT_FDCWD, S(P), 0644, 0 } },
	{ SYS_pidfd_open, { 999999, 0 } },
	{ SYS_pidfd_send_signal, { -1, 0, 0, 0 } },
	{ SYS_pidfd_getfd, { -1, 0, 0 } },
	{ SYS_process_mrelease, { -1, 0 } },
	{ SYS_landlock_restrict_self, { -1, 0 } },
	{ SYS_set_mempolicy, { 0, 0, 0 } },
	{ SYS_mseal, { 0, 0, 0 } },
	{ SYS_mlock2, { 0, 0, 1 } },
	{ SYS_pkey_free, { 100 } },
	{ SYS_semget, { 0x1234, 1, 0 } },
	{ SYS_msgget, { 0x1234, 0 } },
	{ SYS_shmget, { 0x1234, 4096, 0 } },
	{ SYS_getcpu, { 0, 0, 0 } },
	{ SYS_ptrace, { 100, 0, 0, 0 } },
	{ SYS_setfsuid, { -1 } },
	{ SYS_setfsgid, { -1 } },
	{ SYS_acct, { S(P) } },
	{ SYS_swapoff, { S(P) } },
	{ SYS_setns, { -1, 0 } },
	{ SYS_unshare, { 0 } },
	{ SYS_epoll_create, { 1 } },
	{ SYS_close, { 3 } },
	{ SYS_signalfd4, { -1, 0, 8, 0 } },
	{ SYS_inotify_add_watch, { -1, S(P), 1 } },
	{ SYS_mknodat, { AT_FDCWD, S(P), 010644, 0 } },
	{ SYS_fsopen, { S("none-such"), 0 } },
	{ SYS_open_tree, { -1, S(P), 0 } },
	{ SYS_fspick, { -1, S(P), 0 } },
	{ SYS_memfd_secret, { 1000 } },
	{ SYS_userfaultfd, { 1 << 20 } },
	{ SYS_membarrier, { 0, 0, 0 } },
	{ SYS_seccomp, { 100, 0, 0 } },
	{ SYS_getpriority, { 0, 0 } },
	{ SYS_sched_getscheduler, { 0 } },
	{ SYS_sched_getparam, { 0, S(buf) } },
	{ SYS_sched_rr_get_interval, { 0, S(buf) } },
	{ SYS_ioprio_get, { 1, 0 } },
	{ SYS_get_robust_list, { 0, S(buf), S(buf + 8) } },
	{ SYS_io_setup, { 0, S(&zero8) } },
	{ SYS_kcmp, { 0, 0, 100, 0, 0 } },
	{ SYS_waitid, { 0, 0, 0, 4, 0 } },
	{ SYS_wait4, { -1, 0, 1, 0 } },
	{ SYS_tkill, { 999999, 0 } },
	{ SYS_tgkill, { 999999, 999999, 0 } },
	{ SYS_rt_sigqueueinfo, { 999999, 0, S(buf) } },
	{ SYS_sched_setparam, { 999999, S(buf) } },
	{ SYS_getrlimit, { 100, S(buf) } },
	{ SYS_prlimit64, { 999999, 7, 0, S(buf) } },
	{ SYS_capget, { 0, 0 } },
	{ SYS_personality, { 0xffffffff } },
	{ SYS_timer_gettime, { 12345, S(buf) } },
	{ SYS_mq_open, { S("sperrips-none"), O_RDONLY, 0, 0 } },
};

int main(void)
{
	syscall(SYS_openat, AT_FDCWD, "/sperrips-begin", O_RDONLY);
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		const struct call *c = &calls[i];
		syscall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5]);
	}
	syscall(SYS_openat, AT_FDCWD, "/sperrips-end", O_RDONLY);
	return 0;
}
