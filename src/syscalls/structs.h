/* Field layouts of the x86_64 structs the kernel reads and fills, as data:
 * compare walks them to name the field that differs, and to keep pointers
 * inside structs (handlers, msghdr buffers) apart from plain values; show
 * prints them field by field. Each layout is checked at compile time against
 * the kernel's own type where the build headers have it (structs.c). */
#ifndef SPERRIPS_SYSCALLS_STRUCTS_H
#define SPERRIPS_SYSCALLS_STRUCTS_H

#include <stddef.h>
#include <stdint.h>

enum { FT_INT = 0, FT_PTR = 1, FT_BYTES = 2, FT_STR = 3 /* bytes holding a C string */ };

/* sfield.flags: bytes whose value means nothing in one direction. */
enum {
	SF_NOT_INPUT = 1 << 0, /* the kernel ignores it when handed the struct (l_pid of F_SETLK) */
	SF_PADDING = 1 << 1,   /* padding: never read, and copied back unchanged or not at all */
};

struct sfield {
	const char *name;
	uint16_t off, size;
	uint8_t type;
	uint8_t role;    /* enum sc_role (table.h): a pid inside a struct */
	uint8_t fmt;     /* enum sc_fmt for show; 0 = decimal. A name "a.b" is
			  * field b of the nested struct a, shown as a={b=...} */
	uint8_t flags;         /* SF_* */
};

struct slayout {
	const struct sfield *f;
	size_t n;
	size_t size;     /* sizeof the kernel's struct (an array's element) */
};

/* Structs a table row names directly (sc_arg.st), for the syscalls whose
 * structs have no wire kind of their own: captured as bytes, described here. */
enum sc_struct {
	ST_NONE = 0,
	ST_SEMBUF, ST_SIGEVENT, ST_MQ_ATTR, ST_SCHED_ATTR, ST_PERF_EVENT_ATTR,
	ST_BPF_MAP_CREATE, ST_IO_URING_PARAMS, ST_LANDLOCK_RULESET_ATTR,
	ST_LANDLOCK_PATH_BENEATH, ST_XATTR_ARGS, ST_FUTEX_WAITV, ST_MNT_ID_REQ,
	ST_STATMOUNT, ST_CACHESTAT_RANGE, ST_CACHESTAT, ST_MOUNT_ATTR,
	ST_FILE_HANDLE, ST_UTIMBUF, ST_TIMEX, ST_IOCB, ST_IO_EVENT, ST_IOVEC,
	ST_SIGINFO, ST_FLOCK, ST_F_OWNER_EX, ST_WAIT_STATUS, ST_EPOLL_EVENT,
	ST_SHMID_DS, ST_MSQID_DS, ST_SEMID_DS, ST_MSGBUF, ST_KEXEC_SEGMENT,
	ST_FILE_ATTR, ST_LSM_CTX, ST_OPEN_HOW, ST_CLONE_ARGS, ST_INT, ST_U64,
	ST_DIRENTS, ST_PTR, ST_MMSG_SEND, ST_MMSG_RECV, ST_FILE_HANDLE_OUT,
	ST_MAX
};

/** The layout of struct kind `kind` (enum sp_kind), or NULL for plain bytes. */
const struct slayout *struct_layout(unsigned kind);
/** The layout of struct `st` (enum sc_struct), or NULL. */
const struct slayout *struct_layout_st(unsigned st);
/** The layout of a struct argument: its row's sc_struct if it names one,
 *  else that of its wire kind. `d` may be NULL, `i` is 0-based. */
struct sc_desc;
const struct slayout *struct_layout_for(const struct sc_desc *d, int i, unsigned kind);
/** The struct's name in C ("statx", "io_uring_params"), for show and tests. */
const char *struct_name_st(unsigned st);
/** The size of one element when `kind` comes as an array (iovec, pollfd),
 *  or 0: the buffer is one struct. */
size_t struct_elem_size(unsigned kind);

#endif
