/* The syscall table: one row of pure data per syscall, saying what each
 * argument is, where its bytes are and how long they are. Capture, compare
 * and render all read these rows; none of them switches on syscall numbers. */
#ifndef SPERRIPS_SYSCALLS_TABLE_H
#define SPERRIPS_SYSCALLS_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/event.h"

/* Which way the bytes behind a pointer argument flow. */
enum sc_dir {
	D_NONE = 0,  /* a scalar, or a pointer whose bytes are not captured */
	D_IN = 1,    /* read at entry; the kernel does not write them */
	D_OUT = 2,   /* read at exit only; the kernel fills them */
	D_INOUT = 3, /* read at entry and again at exit */
};

/* How many bytes are behind a pointer argument. */
enum sc_size {
	S_NONE = 0,
	S_FIXED,      /* `n` bytes */
	S_ARG,        /* the value of argument `ref` (times `n` if n > 1) */
	S_RET,        /* the return value, at most argument `ref` (if ref < 6) */
	S_STR,        /* NUL-terminated string */
	S_SOCKLEN,    /* *(socklen_t *)argument `ref`: in at entry, out at exit */
	S_IOV,        /* an iovec array of argument `ref` elements */
	S_IOV_RET,    /* same, data filled by the kernel up to the return value */
	S_STRV,       /* NULL-terminated array of strings */
	S_MSGHDR,     /* struct msghdr with name, control and iovec data */
	S_MSGHDR_RET, /* same, data filled by the kernel */
	S_ARG_PLUS,   /* the value of argument `ref` plus `n` (msgsnd: mtype and mtext) */
	S_RET_PLUS,   /* the return value plus `n`, at most argument `ref` plus `n` (msgrcv) */
};

/* How to print a scalar (render.c has the name lists). */
enum sc_fmt {
	F_DEC = 0, F_HEX, F_OCT, F_FD, F_DIRFD, F_PTR,
	F_OPEN_FLAGS, F_MODE, F_PROT, F_MAP_FLAGS, F_AT_FLAGS, F_ACCESS_MODE,
	F_CLOCK, F_SIGNAL, F_SIGPROCMASK_HOW, F_FCNTL_CMD, F_IOCTL_REQ,
	F_SOCK_DOMAIN, F_SOCK_TYPE, F_ARCH_PRCTL, F_PRCTL, F_WHENCE,
	F_FUTEX_OP, F_RLIMIT, F_MADVISE, F_FADVISE, F_SOCKOPT_LEVEL,
	F_SOCKOPT_NAME, F_POLL_EVENTS, F_MSG_FLAGS, F_CLONE_FLAGS,
	F_GRND_FLAGS, F_ITIMER, F_WAIT_OPTS, F_STATX_MASK, F_SEEK,
	F_UNSIGNED, F_KEY_SERIAL, F_EPOLL_OP, F_EPOLL_CREATE, F_TFD_FLAGS,
	F_TFD_SETTIME, F_XATTR, F_MSYNC, F_MREMAP, F_MFD, F_IN_INIT, F_EFD,
	F_PIPE_FLAGS, F_KEYCTL, F_FAN_INIT, F_FAN_MARK, F_FAN_EVENTS,
	F_IORING_REGISTER, F_IORING_ENTER, F_BPF_CMD, F_MPOL, F_PKEY_ACCESS,
	F_FUTEX2, F_SHUT, F_IPC_CMD, F_IPC_FLAGS, F_SCHED_POLICY, F_MLOCKALL,
	F_RENAME, F_PTRACE, F_LANDLOCK_RULE, F_LANDLOCK_CREATE, F_INOTIFY_MASK,
	F_TIMER_FLAGS, F_DUP3, F_UMOUNT, F_SPLICE, F_CLOSE_RANGE, F_MLOCK2,
	F_ACCESS_AT, F_STATX_FLAGS, F_FD_FLAGS, F_FLOCK, F_PRIO_WHICH,
	F_IOPRIO_WHO, F_IDTYPE, F_MEMBARRIER, F_MKNOD_MODE, F_DEV,
	F_LANDLOCK_FS, F_PERF_TYPE, F_PERF_FLAGS, F_BPF_MAP_TYPE, F_IORING_FEAT,
	F_IORING_SETUP,
	F_HIDDEN,     /* a struct field compared but not shown (strace leaves it out) */
	F_SO_NAME, F_IP_OPT, F_TCP_OPT, F_SA_FLAGS, F_SS_FLAGS, F_IPPROTO,
	F_SECCOMP_OP, F_KCMP_TYPE,
	F_CSTR,       /* an out-buffer holding a C string: shown up to its NUL (getcwd) */
	F_PTR_ONLY,   /* a pointer whose bytes are captured but shown as the address, as strace does */
	F_MAX
};

/* What a value means to the kernel beyond its C type, for replay: a value
 * with a role is not compared as a plain number but translated between the
 * recording and the replay, each role with its own recorded <-> replayed map.
 * A role sits on an argument (its value, or for a struct or int behind a
 * pointer, the value written there), on a row's return value (ret_role) and
 * on struct fields (struct sfield.role, structs.h). */
enum sc_role {
	R_NONE = 0,
	R_PID,        /* a process id (0 and negative values keep their meaning: self, group) */
	R_TID,        /* a thread id */
	R_PGID,       /* a process group or session id */
	R_PIDFD,      /* a descriptor that refers to a process (pidfd_open, clone's pidfd) */
	R_IPC_ID,     /* a System V IPC id the kernel assigned (msgget, semget, shmget) */
	R_KEY_SERIAL, /* a key serial number the kernel assigned (add_key, keyctl) */
	R_TIMER_ID,   /* a POSIX timer id the kernel assigned (timer_create) */
	R_TIME_BACK,  /* a time the kernel writes back: remaining or left-over time,
		       * a timer's current value (nanosleep rem, select timeout) */
	R_FILE_HANDLE, /* a file handle the kernel made (name_to_handle_at), handed back
			* to open_by_handle_at */
	R_MOUNT_ID,   /* a mount id the kernel assigned (name_to_handle_at, listmount,
		       * statmount's request) */
	R_MAX
};

struct sc_arg {
	uint8_t kind;  /* enum sp_kind written to the file */
	uint8_t dir;   /* enum sc_dir */
	uint8_t size;  /* enum sc_size */
	uint8_t ref;   /* argument index (0-based) for S_ARG, S_RET, S_SOCKLEN, S_IOV */
	uint16_t n;    /* S_FIXED size, S_ARG element size */
	uint8_t fmt;   /* enum sc_fmt */
	uint8_t role;  /* enum sc_role */
	uint8_t st;    /* enum sc_struct (structs.h): the struct behind a pointer
			* whose wire kind says only "bytes"; 0 = as the kind says */
};

/* sc_desc.flags */
enum {
	SC_NORETURN = 1 << 0,  /* exit, exit_group: no exit stop */
	SC_RET_PTR = 1 << 1,   /* returns an address (brk, mmap, mremap, shmat) */
	SC_RET_MAP = 1 << 2,   /* mmap: capture the mapped file bytes */
	SC_TYPED = 1 << 3,     /* the row describes the arguments (set by macros) */
	SC_RET_NONE = 1 << 4,  /* rt_sigreturn: the return value is meaningless */
	SC_EXEC = 1 << 5,      /* execve, execveat */
	SC_OUT_IF_POS = 1 << 6, /* out-arguments are written only when it returns > 0 (wait4) */
	SC_OUT_IF_INTR = 1 << 7, /* out-arguments are written only when interrupted
				  * (-EINTR or a restart code: nanosleep's remaining time) */
	SC_RET_MOVED = 1 << 8, /* moves bytes inside the kernel (sendfile, copy_file_range,
				* splice): they are read from the source into the return
				* value's buffer (capture_moved.c) so that they are compared */
	SC_STAT = 1 << 9,      /* fills a struct stat or statx of a file: a regular
				* file's contents are digested too (file_digest.c) */
};

struct sc_desc;
/** Pick the row for this call when an argument decides the others' types
 *  (fcntl, ioctl, prctl); returns `d` itself when nothing changes. */
typedef const struct sc_desc *(*sc_variant_fn)(const struct sc_desc *d,
						const uint64_t args[6]);

struct sc_desc {
	const char *name;
	uint8_t nargs;
	uint16_t flags;
	uint8_t ret_fmt;          /* enum sc_fmt of the return value */
	uint8_t ret_role;         /* enum sc_role of the return value */
	struct sc_arg args[6];
	sc_variant_fn variant;
};

/* Syscall numbers as recorded: an x86_64 number as the kernel has it (the
 * x32 bit included), or, for a call made through another ABI (an i386
 * `int $0x80`), SC_NR_I386 | its i386 number. Those are never decoded with
 * the x86_64 rows: their row has six RAW arguments and no bytes are read. */
#define SC_NR_I386 0x80000000u

/** The recorded number for syscall `nr` made with ABI `audit_arch` (the
 *  AUDIT_ARCH_* of PTRACE_GET_SYSCALL_INFO). */
uint32_t sc_nr_for_arch(uint32_t audit_arch, uint64_t nr);

/** The row for syscall `nr`: typed if known, otherwise a row with the
 *  table's name (or "syscall_NNN") and six RAW arguments. Never NULL. */
const struct sc_desc *sc_lookup(uint32_t nr);
/** The row as refined by its variant function for these register values. */
const struct sc_desc *sc_resolve(uint32_t nr, const uint64_t args[6]);
/** True if the table has a typed description for `nr`. */
bool sc_is_typed(uint32_t nr);
/** The syscall's name (numbers_x86_64.h), or NULL. */
const char *sc_name(uint32_t nr);
/** The kernel's own name for the syscall's entry point (its SYSCALL_DEFINE,
 *  the tracefs event sys_enter_NAME): the name, or e.g. "newstat" for stat;
 *  NULL for numbers outside the x86_64 ABI. */
const char *sc_kernel_name(uint32_t nr);
/** The number of the syscall called `name`, or -1. */
int sc_number(const char *name);
/** The number of the syscall whose kernel entry point is `ksym`, or -1. */
int sc_number_kernel(const char *ksym);
/** The value of a register as the kernel sees argument `d`: truncated to
 *  its C type (int, mode_t, uid_t, pid_t, socklen_t are narrower than a
 *  register; the high half may hold garbage). */
uint64_t sc_arg_value(const struct sc_arg *d, uint64_t reg);
/** Argument `d` used as a length or count: its value, with a negative
 *  signed int counted as 0 (the kernel refuses it without reading). */
uint64_t sc_arg_length(const struct sc_arg *d, uint64_t reg);
/** One past the highest syscall number the table knows. */
uint32_t sc_count(void);

#endif
