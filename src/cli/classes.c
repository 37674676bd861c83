/* Syscall classes, as strace users know them from `-e trace=%file`. Most are
 * name lists; %desc is read off the table itself: every call that takes or
 * returns a descriptor. */
#include "cli/classes.h"

#include <string.h>

#include "syscalls/table.h"

static const char *const file_calls[] = {
	"open", "openat", "openat2", "creat", "stat", "lstat", "newfstatat", "statx", "access",
	"faccessat", "faccessat2", "execve", "execveat", "chdir", "chroot", "mkdir", "mkdirat",
	"rmdir", "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat",
	"unlink", "unlinkat", "readlink", "readlinkat", "chmod", "fchmodat", "fchmodat2", "chown",
	"lchown", "fchownat", "truncate", "utime", "utimes", "futimesat", "utimensat", "mknod",
	"mknodat", "mount", "umount2", "pivot_root", "swapon", "swapoff", "statfs", "setxattr",
	"lsetxattr", "getxattr", "lgetxattr", "listxattr", "llistxattr", "removexattr",
	"lremovexattr", "setxattrat", "getxattrat", "listxattrat", "removexattrat",
	"name_to_handle_at", "inotify_add_watch", "fanotify_mark", "acct", "uselib", "quotactl",
	"open_tree", "open_tree_attr", "move_mount", "mount_setattr", "fspick", NULL,
};
static const char *const net_calls[] = {
	"socket", "socketpair", "bind", "connect", "listen", "accept", "accept4", "getsockname",
	"getpeername", "sendto", "recvfrom", "sendmsg", "recvmsg", "sendmmsg", "recvmmsg",
	"shutdown", "setsockopt", "getsockopt", NULL,
};
static const char *const process_calls[] = {
	"clone", "clone3", "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4",
	"waitid", "kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_open",
	"pidfd_send_signal", "unshare", "setns", NULL,
};
static const char *const signal_calls[] = {
	"rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigpending", "rt_sigtimedwait",
	"rt_sigqueueinfo", "rt_tgsigqueueinfo", "rt_sigsuspend", "sigaltstack", "kill", "tkill",
	"tgkill", "pause", "signalfd", "signalfd4", "pidfd_send_signal", NULL,
};
static const char *const memory_calls[] = {
	"mmap", "mprotect", "munmap", "brk", "mremap", "msync", "mincore", "madvise", "mlock",
	"munlock", "mlockall", "munlockall", "mlock2", "remap_file_pages", "mbind",
	"get_mempolicy", "set_mempolicy", "set_mempolicy_home_node", "migrate_pages",
	"move_pages", "pkey_mprotect", "process_madvise", "process_mrelease", "shmat", "shmdt",
	"mseal", "map_shadow_stack", NULL,
};
static const char *const ipc_calls[] = {
	"msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop", "semctl",
	"shmget", "shmat", "shmctl", "shmdt", NULL,
};
static const char *const clock_calls[] = {
	"adjtimex", "clock_adjtime", "clock_getres", "clock_gettime", "clock_settime",
	"gettimeofday", "settimeofday", "time", NULL,
};
static const char *const creds_calls[] = {
	"getuid", "geteuid", "getgid", "getegid", "setuid", "setgid", "setreuid", "setregid",
	"setresuid", "getresuid", "setresgid", "getresgid", "setfsuid", "setfsgid", "getgroups",
	"setgroups", "capget", "capset", "prctl", NULL,
};

static const struct {
	const char *name;
	const char *const *calls; /* NULL: read off the table (%desc) */
} classes[] = {
	{ "file", file_calls }, { "desc", NULL }, { "net", net_calls }, { "network", net_calls },
	{ "process", process_calls }, { "signal", signal_calls }, { "memory", memory_calls },
	{ "ipc", ipc_calls }, { "clock", clock_calls }, { "creds", creds_calls },
};

static int find_class(const char *name)
{
	if (*name == '%')
		name++;
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (!strcmp(classes[i].name, name))
			return (int)i;
	return -1;
}

bool sc_class_known(const char *name)
{
	return find_class(name) >= 0;
}

static bool takes_descriptor(unsigned nr)
{
	const struct sc_desc *d = sc_lookup(nr);
	if (d->ret_fmt == F_FD)
		return true;
	for (int i = 0; i < d->nargs && i < 6; i++)
		if (d->args[i].fmt == F_FD || d->args[i].fmt == F_DIRFD)
			return true;
	return false;
}

bool sc_class_has(const char *name, unsigned nr)
{
	int c = find_class(name);
	if (c < 0)
		return false;
	if (!classes[c].calls)
		return takes_descriptor(nr);
	const char *n = sc_name(nr);
	if (!n)
		return false;
	for (const char *const *p = classes[c].calls; *p; p++)
		if (!strcmp(*p, n))
			return true;
	return false;
}

const char *sc_class_list(void)
{
	return "%file, %desc, %net, %process, %signal, %memory, %ipc, %clock, %creds";
}
