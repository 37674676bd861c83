#include "cli/names.h"

#include <stdio.h>
#include <string.h>

#include "syscalls/table.h"

#define N(x) { x, #x }
#define LIST(name, isflags, m, ...)                                                   \
	static const struct name_val name##_v[] = { __VA_ARGS__ };                    \
	static const struct name_list name = { name##_v, sizeof(name##_v) / sizeof(name##_v[0]), isflags, m };

/* Values spelled out rather than taken from headers: the names describe
 * the x86_64 ABI of the recording, not the machine showing it. */
LIST(open_flags, true, 3,
     { 0, "O_RDONLY" }, { 1, "O_WRONLY" }, { 2, "O_RDWR" },
     { 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" }, { 01000, "O_TRUNC" },
     { 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" }, { 010000, "O_DSYNC" }, { 020000, "O_ASYNC" },
     { 040000, "O_DIRECT" }, { 0100000, "O_LARGEFILE" }, { 0200000, "O_DIRECTORY" },
     { 0400000, "O_NOFOLLOW" }, { 01000000, "O_NOATIME" }, { 02000000, "O_CLOEXEC" },
     { 04000000, "__O_SYNC" }, { 010000000, "O_PATH" }, { 020000000, "__O_TMPFILE" })
LIST(prot, true, 0,
     { 0, "PROT_NONE" }, { 1, "PROT_READ" }, { 2, "PROT_WRITE" }, { 4, "PROT_EXEC" },
     { 0x01000000, "PROT_GROWSDOWN" }, { 0x02000000, "PROT_GROWSUP" })
LIST(map_flags, true, 0xf,
     { 1, "MAP_SHARED" }, { 2, "MAP_PRIVATE" }, { 3, "MAP_SHARED_VALIDATE" },
     { 0x10, "MAP_FIXED" }, { 0x20, "MAP_ANONYMOUS" }, { 0x40, "MAP_32BIT" }, { 0x100, "MAP_GROWSDOWN" },
     { 0x800, "MAP_DENYWRITE" }, { 0x1000, "MAP_EXECUTABLE" }, { 0x2000, "MAP_LOCKED" },
     { 0x4000, "MAP_NORESERVE" }, { 0x8000, "MAP_POPULATE" }, { 0x10000, "MAP_NONBLOCK" },
     { 0x20000, "MAP_STACK" }, { 0x40000, "MAP_HUGETLB" }, { 0x80000, "MAP_SYNC" },
     { 0x100000, "MAP_FIXED_NOREPLACE" })
LIST(at_flags, true, 0,
     { 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_REMOVEDIR" }, { 0x400, "AT_SYMLINK_FOLLOW" },
     { 0x800, "AT_NO_AUTOMOUNT" }, { 0x1000, "AT_EMPTY_PATH" }, { 0x2000, "AT_STATX_FORCE_SYNC" },
     { 0x4000, "AT_STATX_DONT_SYNC" }, { 0x8000, "AT_RECURSIVE" })
LIST(access_mode, true, 0, { 0, "F_OK" }, { 4, "R_OK" }, { 2, "W_OK" }, { 1, "X_OK" })
LIST(clocks, false, 0,
     { 0, "CLOCK_REALTIME" }, { 1, "CLOCK_MONOTONIC" }, { 2, "CLOCK_PROCESS_CPUTIME_ID" },
     { 3, "CLOCK_THREAD_CPUTIME_ID" }, { 4, "CLOCK_MONOTONIC_RAW" }, { 5, "CLOCK_REALTIME_COARSE" },
     { 6, "CLOCK_MONOTONIC_COARSE" }, { 7, "CLOCK_BOOTTIME" }, { 8, "CLOCK_REALTIME_ALARM" },
     { 9, "CLOCK_BOOTTIME_ALARM" }, { 11, "CLOCK_TAI" })
LIST(sigprocmask_how, false, 0, { 0, "SIG_BLOCK" }, { 1, "SIG_UNBLOCK" }, { 2, "SIG_SETMASK" })
LIST(fcntl_cmd, false, 0,
     { 0, "F_DUPFD" }, { 1, "F_GETFD" }, { 2, "F_SETFD" }, { 3, "F_GETFL" }, { 4, "F_SETFL" },
     { 5, "F_GETLK" }, { 6, "F_SETLK" }, { 7, "F_SETLKW" }, { 8, "F_SETOWN" }, { 9, "F_GETOWN" },
     { 10, "F_SETSIG" }, { 11, "F_GETSIG" }, { 15, "F_SETOWN_EX" }, { 16, "F_GETOWN_EX" },
     { 36, "F_OFD_GETLK" }, { 37, "F_OFD_SETLK" }, { 38, "F_OFD_SETLKW" },
     { 1024, "F_SETLEASE" }, { 1025, "F_GETLEASE" }, { 1026, "F_NOTIFY" },
     { 1030, "F_DUPFD_CLOEXEC" }, { 1031, "F_SETPIPE_SZ" }, { 1032, "F_GETPIPE_SZ" },
     { 1033, "F_ADD_SEALS" }, { 1034, "F_GET_SEALS" })
LIST(ioctl_req, false, 0,
     { 0x5401, "TCGETS" }, { 0x5402, "TCSETS" }, { 0x5403, "TCSETSW" }, { 0x5404, "TCSETSF" },
     { 0x540f, "TIOCGPGRP" }, { 0x5410, "TIOCSPGRP" }, { 0x5413, "TIOCGWINSZ" },
     { 0x5414, "TIOCSWINSZ" }, { 0x541b, "FIONREAD" }, { 0x5421, "FIONBIO" }, { 0x5451, "FIOCLEX" },
     { 0x5450, "FIONCLEX" }, { 0x8912, "SIOCGIFCONF" }, { 0x8913, "SIOCGIFFLAGS" },
     { 0x8915, "SIOCGIFADDR" }, { 0x8921, "SIOCGIFMTU" }, { 0x8927, "SIOCGIFHWADDR" },
     { 0x8933, "SIOCGIFINDEX" })
LIST(sock_domain, false, 0,
     { 0, "AF_UNSPEC" }, { 1, "AF_UNIX" }, { 2, "AF_INET" }, { 10, "AF_INET6" }, { 16, "AF_NETLINK" },
     { 17, "AF_PACKET" })
LIST(sock_type, true, 0xf,
     { 1, "SOCK_STREAM" }, { 2, "SOCK_DGRAM" }, { 3, "SOCK_RAW" }, { 5, "SOCK_SEQPACKET" },
     { 04000, "SOCK_NONBLOCK" }, { 02000000, "SOCK_CLOEXEC" })
LIST(arch_prctl, false, 0,
     { 0x1001, "ARCH_SET_GS" }, { 0x1002, "ARCH_SET_FS" }, { 0x1003, "ARCH_GET_FS" },
     { 0x1004, "ARCH_GET_GS" }, { 0x1011, "ARCH_GET_CPUID" }, { 0x1012, "ARCH_SET_CPUID" },
     { 0x3001, "ARCH_CET_STATUS" }, { 0x1021, "ARCH_GET_XCOMP_SUPP" }, { 0x1022, "ARCH_GET_XCOMP_PERM" },
     { 0x1023, "ARCH_REQ_XCOMP_PERM" })
LIST(prctl_op, false, 0,
     { 1, "PR_SET_PDEATHSIG" }, { 2, "PR_GET_PDEATHSIG" }, { 3, "PR_GET_DUMPABLE" }, { 4, "PR_SET_DUMPABLE" },
     { 8, "PR_SET_KEEPCAPS" }, { 15, "PR_SET_NAME" }, { 16, "PR_GET_NAME" }, { 22, "PR_SET_SECCOMP" },
     { 23, "PR_CAPBSET_READ" }, { 24, "PR_CAPBSET_DROP" }, { 36, "PR_SET_CHILD_SUBREAPER" },
     { 38, "PR_SET_NO_NEW_PRIVS" }, { 39, "PR_GET_NO_NEW_PRIVS" }, { 47, "PR_CAP_AMBIENT" },
     { 0x59616d61, "PR_SET_PTRACER" })
LIST(whence, false, 0, { 0, "SEEK_SET" }, { 1, "SEEK_CUR" }, { 2, "SEEK_END" }, { 3, "SEEK_DATA" }, { 4, "SEEK_HOLE" })
LIST(futex_op, true, 0x7f,
     { 0, "FUTEX_WAIT" }, { 1, "FUTEX_WAKE" }, { 2, "FUTEX_FD" }, { 3, "FUTEX_REQUEUE" },
     { 4, "FUTEX_CMP_REQUEUE" }, { 5, "FUTEX_WAKE_OP" }, { 6, "FUTEX_LOCK_PI" }, { 7, "FUTEX_UNLOCK_PI" },
     { 9, "FUTEX_WAIT_BITSET" }, { 10, "FUTEX_WAKE_BITSET" },
     { 128, "FUTEX_PRIVATE_FLAG" }, { 256, "FUTEX_CLOCK_REALTIME" })
LIST(rlimit, false, 0,
     { 0, "RLIMIT_CPU" }, { 1, "RLIMIT_FSIZE" }, { 2, "RLIMIT_DATA" }, { 3, "RLIMIT_STACK" },
     { 4, "RLIMIT_CORE" }, { 5, "RLIMIT_RSS" }, { 6, "RLIMIT_NPROC" }, { 7, "RLIMIT_NOFILE" },
     { 8, "RLIMIT_MEMLOCK" }, { 9, "RLIMIT_AS" }, { 10, "RLIMIT_LOCKS" }, { 11, "RLIMIT_SIGPENDING" },
     { 12, "RLIMIT_MSGQUEUE" }, { 13, "RLIMIT_NICE" }, { 14, "RLIMIT_RTPRIO" }, { 15, "RLIMIT_RTTIME" })
LIST(madvise, false, 0,
     { 0, "MADV_NORMAL" }, { 1, "MADV_RANDOM" }, { 2, "MADV_SEQUENTIAL" }, { 3, "MADV_WILLNEED" },
     { 4, "MADV_DONTNEED" }, { 8, "MADV_FREE" }, { 14, "MADV_HUGEPAGE" }, { 15, "MADV_NOHUGEPAGE" },
     { 16, "MADV_DONTDUMP" })
LIST(fadvise, false, 0,
     { 0, "POSIX_FADV_NORMAL" }, { 1, "POSIX_FADV_RANDOM" }, { 2, "POSIX_FADV_SEQUENTIAL" },
     { 3, "POSIX_FADV_WILLNEED" }, { 4, "POSIX_FADV_DONTNEED" }, { 5, "POSIX_FADV_NOREUSE" })
LIST(sockopt_level, false, 0, { 0, "SOL_IP" }, { 1, "SOL_SOCKET" }, { 6, "SOL_TCP" }, { 17, "SOL_UDP" },
     { 41, "SOL_IPV6" }, { 58, "SOL_ICMPV6" }, { 255, "SOL_RAW" })
LIST(poll_events, true, 0,
     { 1, "POLLIN" }, { 2, "POLLPRI" }, { 4, "POLLOUT" }, { 8, "POLLERR" }, { 16, "POLLHUP" },
     { 32, "POLLNVAL" }, { 64, "POLLRDNORM" }, { 256, "POLLWRNORM" })
LIST(msg_flags, true, 0,
     { 1, "MSG_OOB" }, { 2, "MSG_PEEK" }, { 4, "MSG_DONTROUTE" }, { 8, "MSG_CTRUNC" }, { 0x20, "MSG_TRUNC" },
     { 0x40, "MSG_DONTWAIT" }, { 0x80, "MSG_EOR" }, { 0x100, "MSG_WAITALL" }, { 0x2000, "MSG_ERRQUEUE" },
     { 0x4000, "MSG_NOSIGNAL" }, { 0x8000, "MSG_MORE" }, { 0x40000000, "MSG_CMSG_CLOEXEC" })
LIST(clone_flags, true, 0xff,
     { 0x100, "CLONE_VM" }, { 0x200, "CLONE_FS" }, { 0x400, "CLONE_FILES" }, { 0x800, "CLONE_SIGHAND" },
     { 0x1000, "CLONE_PIDFD" }, { 0x2000, "CLONE_PTRACE" }, { 0x4000, "CLONE_VFORK" },
     { 0x8000, "CLONE_PARENT" }, { 0x10000, "CLONE_THREAD" }, { 0x20000, "CLONE_NEWNS" },
     { 0x40000, "CLONE_SYSVSEM" }, { 0x80000, "CLONE_SETTLS" }, { 0x100000, "CLONE_PARENT_SETTID" },
     { 0x200000, "CLONE_CHILD_CLEARTID" }, { 0x800000, "CLONE_UNTRACED" },
     { 0x1000000, "CLONE_CHILD_SETTID" }, { 0x2000000, "CLONE_NEWCGROUP" }, { 0x4000000, "CLONE_NEWUTS" },
     { 0x8000000, "CLONE_NEWIPC" }, { 0x10000000, "CLONE_NEWUSER" }, { 0x20000000, "CLONE_NEWPID" },
     { 0x40000000, "CLONE_NEWNET" }, { 0x80000000, "CLONE_IO" })
LIST(grnd_flags, true, 0, { 1, "GRND_NONBLOCK" }, { 2, "GRND_RANDOM" }, { 4, "GRND_INSECURE" })
LIST(itimer, false, 0, { 0, "ITIMER_REAL" }, { 1, "ITIMER_VIRTUAL" }, { 2, "ITIMER_PROF" })
LIST(wait_opts, true, 0,
     { 1, "WNOHANG" }, { 2, "WUNTRACED" }, { 4, "WEXITED" }, { 8, "WCONTINUED" }, { 0x1000000, "WNOWAIT" },
     { 0x20000000, "__WNOTHREAD" }, { 0x40000000, "__WALL" }, { 0x80000000, "__WCLONE" })
LIST(statx_mask, true, 0,
     { 0x1, "STATX_TYPE" }, { 0x2, "STATX_MODE" }, { 0x4, "STATX_NLINK" }, { 0x8, "STATX_UID" },
     { 0x10, "STATX_GID" }, { 0x20, "STATX_ATIME" }, { 0x40, "STATX_MTIME" }, { 0x80, "STATX_CTIME" },
     { 0x100, "STATX_INO" }, { 0x200, "STATX_SIZE" }, { 0x400, "STATX_BLOCKS" }, { 0x800, "STATX_BTIME" },
     { 0x1000, "STATX_MNT_ID" }, { 0x2000, "STATX_DIOALIGN" })

const struct name_list *names_for_fmt(int fmt)
{
	switch (fmt) {
	case F_OPEN_FLAGS: return &open_flags;
	case F_PROT: return &prot;
	case F_MAP_FLAGS: return &map_flags;
	case F_AT_FLAGS: return &at_flags;
	case F_ACCESS_MODE: return &access_mode;
	case F_CLOCK: return &clocks;
	case F_SIGPROCMASK_HOW: return &sigprocmask_how;
	case F_FCNTL_CMD: return &fcntl_cmd;
	case F_IOCTL_REQ: return &ioctl_req;
	case F_SOCK_DOMAIN: return &sock_domain;
	case F_SOCK_TYPE: return &sock_type;
	case F_ARCH_PRCTL: return &arch_prctl;
	case F_PRCTL: return &prctl_op;
	case F_WHENCE: case F_SEEK: return &whence;
	case F_FUTEX_OP: return &futex_op;
	case F_RLIMIT: return &rlimit;
	case F_MADVISE: return &madvise;
	case F_FADVISE: return &fadvise;
	case F_SOCKOPT_LEVEL: return &sockopt_level;
	case F_POLL_EVENTS: return &poll_events;
	case F_MSG_FLAGS: return &msg_flags;
	case F_CLONE_FLAGS: return &clone_flags;
	case F_GRND_FLAGS: return &grnd_flags;
	case F_ITIMER: return &itimer;
	case F_WAIT_OPTS: return &wait_opts;
	case F_STATX_MASK: return &statx_mask;
	}
	return NULL;
}

static size_t append(char *buf, size_t len, size_t at, const char *s)
{
	size_t n = strlen(s);
	if (at < len) {
		size_t k = n < len - at - 1 ? n : len - at - 1;
		memcpy(buf + at, s, k);
		buf[at + k] = 0;
	}
	return at + n;
}

size_t names_format(char *buf, size_t len, const struct name_list *l, uint64_t v)
{
	char tmp[32];
	size_t at = 0;
	if (len)
		buf[0] = 0;
	if (!l->flags) {
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].val == v)
				return append(buf, len, 0, l->v[i].name);
		snprintf(tmp, sizeof(tmp), "%#llx", (unsigned long long)v);
		if (v < 4096)
			snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
		return append(buf, len, 0, tmp);
	}
	uint64_t rest = v;
	bool any = false;
	if (l->mask) {
		/* A leading constant in the low bits (O_RDONLY, SOCK_STREAM, MAP_PRIVATE). */
		uint64_t low = v & l->mask;
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].val == low && (l->v[i].val & ~l->mask) == 0) {
				at = append(buf, len, at, l->v[i].name);
				rest &= ~l->mask;
				any = true;
				break;
			}
	}
	for (size_t i = 0; i < l->n; i++) {
		uint64_t f = l->v[i].val;
		if (!f || (l->mask && (f & ~l->mask) == 0))
			continue;
		if ((rest & f) == f) {
			if (any)
				at = append(buf, len, at, "|");
			at = append(buf, len, at, l->v[i].name);
			rest &= ~f;
			any = true;
		}
	}
	if (rest || !any) {
		if (!any && v == 0) {
			for (size_t i = 0; i < l->n; i++)
				if (l->v[i].val == 0)
					return append(buf, len, 0, l->v[i].name);
		}
		if (any)
			at = append(buf, len, at, "|");
		snprintf(tmp, sizeof(tmp), "%#llx", (unsigned long long)rest);
		at = append(buf, len, at, rest ? tmp : "0");
	}
	return at;
}

const char *names_errno(int e)
{
	return strerrorname_np(e);
}

const char *names_signal(int sig, char *buf, size_t len)
{
	const char *abbrev = sigabbrev_np(sig);
	if (abbrev)
		snprintf(buf, len, "SIG%s", abbrev);
	else if (sig >= 34 && sig <= 64)
		snprintf(buf, len, "SIGRT_%d", sig - 34);
	else
		snprintf(buf, len, "%d", sig);
	return buf;
}
