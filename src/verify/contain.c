/* Which syscalls act outside the program's own memory. After the first
 * unacceptable difference a lax replay goes on comparing, but the values it
 * writes back come from the recording, not from this machine: a pid read
 * from a file, a path, a length. Executing the program's calls from then on
 * would let a recording steer real acts here (kill a process whose pid the
 * recorded file held, overwrite a file). So such calls are skipped and given
 * their recorded result. This list is code on purpose: no policy file or
 * recording can shorten it. Unknown syscalls are emulated too, and so is
 * every ioctl (TIOCSTI types into a terminal). What containment cannot see:
 * stores through a shared writable file mapping made before it began.
 * (replay.c lets writes to the standard output and error it gave the
 * program through: the user's own view of the run.) */
#include "verify/contain.h"

#include <fcntl.h>
#include <string.h>

/* Calls whose effects stay inside the program (or only read the world). */
static const char *const inside[] = {
	"read", "pread64", "readv", "preadv", "preadv2", "recvfrom", "recvmsg", "recvmmsg",
	"close", "close_range", "fstat", "stat", "lstat", "newfstatat", "statx", "statfs", "fstatfs",
	"lseek", "mmap", "mprotect", "munmap", "mremap", "madvise", "brk", "msync", "mincore",
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending", "rt_sigtimedwait",
	"rt_sigsuspend", "sigaltstack", "access", "faccessat", "faccessat2", "getcwd", "chdir",
	"fchdir", "readlink", "readlinkat", "getdents", "getdents64", "dup", "dup2", "dup3", "pipe",
	"pipe2", "fcntl", "poll", "ppoll", "select", "pselect6", "epoll_create",
	"epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd",
	"eventfd2", "signalfd", "signalfd4", "timerfd_create", "timerfd_settime", "timerfd_gettime",
	"nanosleep", "clock_nanosleep", "clock_gettime", "clock_getres", "gettimeofday", "time",
	"getpid", "getppid", "gettid", "getuid", "geteuid", "getgid", "getegid", "getgroups",
	"getresuid", "getresgid", "getpgrp", "getpgid", "getsid", "getrlimit", "prlimit64",
	"getrusage", "times", "sysinfo", "uname", "getrandom", "getcpu", "sched_yield",
	"sched_getaffinity", "sched_getparam", "sched_getscheduler", "arch_prctl", "prctl",
	"set_tid_address", "set_robust_list", "get_robust_list", "rseq", "futex", "futex_wait",
	"futex_wake", "futex_waitv", "exit", "exit_group", "wait4", "waitid", "clone", "clone3",
	"fork", "vfork", "socket", "socketpair", "getsockname", "getpeername", "getsockopt",
	"setsockopt", "alarm", "setitimer", "getitimer", "pause", "umask", "memfd_create",
	"membarrier", "getxattr", "lgetxattr", "fgetxattr", "listxattr", "llistxattr", "flistxattr",
	"inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch", "capget",
	"timer_create", "timer_settime", "timer_gettime", "timer_getoverrun", "timer_delete",
	"fadvise64", "readahead", "mlock", "munlock", "mlockall", "munlockall", "mlock2",
	"pkey_alloc", "pkey_free", "pkey_mprotect", "get_mempolicy", "personality", "fsync",
	"fdatasync", "syncfs", "sync_file_range", "flock", "sched_getattr", "getpriority",
	"ioprio_get", "pidfd_open", "kcmp", "name_to_handle_at", "open_by_handle_at", "statmount",
	"listmount", "cachestat", "mseal", "map_shadow_stack", "set_mempolicy", "mbind",
	"lsm_get_self_attr", "lsm_list_modules", "landlock_create_ruleset", "landlock_add_rule",
	"landlock_restrict_self", "seccomp", "accept", "accept4", "listen",
};

/* Calls that wait for another party: once the program's own writes are
 * emulated, the data or event they wait for may never come (a process that
 * sends to itself through a socket), so they are emulated too rather than
 * left to block the replay forever. Reads wait only on pipes and sockets. */
static const char *const waiting[] = {
	"poll", "ppoll", "select", "pselect6", "epoll_wait", "epoll_pwait", "epoll_pwait2",
	"accept", "accept4", "pause", "rt_sigsuspend", "rt_sigtimedwait",
};
static const char *const stream_reads[] = {
	"read", "readv", "recvfrom", "recvmsg", "recvmmsg",
};

static bool in_list(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}


enum contain_action contain_action(const char *name, const uint64_t args[6], bool fd0_is_stream)
{
	if (!name)
		return CONTAIN_EMULATE;
	if (in_list(waiting, sizeof(waiting) / sizeof(waiting[0]), name) ||
	    (fd0_is_stream && in_list(stream_reads, sizeof(stream_reads) / sizeof(stream_reads[0]), name)))
		return CONTAIN_EMULATE;
	if (!strcmp(name, "execve") || !strcmp(name, "execveat"))
		return CONTAIN_STOP;
	/* open only to read is harmless; to write, create or truncate is not */
	int flags = -1;
	if (!strcmp(name, "open"))
		flags = (int)args[1];
	else if (!strcmp(name, "openat"))
		flags = (int)args[2];
	else if (!strcmp(name, "creat"))
		return CONTAIN_EMULATE;
	else if (!strcmp(name, "openat2"))
		return CONTAIN_EMULATE; /* its flags are behind a pointer */
	if (flags >= 0)
		return (flags & (O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND)) == O_RDONLY &&
		       (flags & O_TMPFILE) != O_TMPFILE ? CONTAIN_RUN : CONTAIN_EMULATE;
	return in_list(inside, sizeof(inside) / sizeof(inside[0]), name) ? CONTAIN_RUN : CONTAIN_EMULATE;
}
