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
	F_UNSIGNED, F_MAX
};

struct sc_arg {
	uint8_t kind;  /* enum sp_kind written to the file */
	uint8_t dir;   /* enum sc_dir */
	uint8_t size;  /* enum sc_size */
	uint8_t ref;   /* argument index (0-based) for S_ARG, S_RET, S_SOCKLEN, S_IOV */
	uint16_t n;    /* S_FIXED size, S_ARG element size */
	uint8_t fmt;   /* enum sc_fmt */
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
};

struct sc_desc;
/** Pick the row for this call when an argument decides the others' types
 *  (fcntl, ioctl, prctl); returns `d` itself when nothing changes. */
typedef const struct sc_desc *(*sc_variant_fn)(const struct sc_desc *d,
						const uint64_t args[6]);

struct sc_desc {
	const char *name;
	uint8_t nargs;
	uint8_t flags;
	uint8_t ret_fmt;          /* enum sc_fmt of the return value */
	struct sc_arg args[6];
	sc_variant_fn variant;
};

/** The row for syscall `nr`: typed if known, otherwise a row with the
 *  generated name (or "syscall_NNN") and six RAW arguments. Never NULL. */
const struct sc_desc *sc_lookup(uint32_t nr);
/** The row as refined by its variant function for these register values. */
const struct sc_desc *sc_resolve(uint32_t nr, const uint64_t args[6]);
/** True if the table has a typed description for `nr`. */
bool sc_is_typed(uint32_t nr);
/** The syscall's name from the kernel headers, or NULL. */
const char *sc_name(uint32_t nr);
/** The number of the syscall called `name`, or -1. */
int sc_number(const char *name);
/** One past the highest syscall number the table knows. */
uint32_t sc_count(void);

#endif
