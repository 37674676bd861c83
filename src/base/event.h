/* The one event that flows through record, replay and show: a syscall with
 * its arguments read at entry, read again at exit, and its return value. */
#ifndef SPERRIPS_EVENT_H
#define SPERRIPS_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

#define SP_MAX_ARGS 6

struct sc_desc;

/* Argument kinds: the wire format's ArgumentType numbers (format.md). */
enum sp_kind {
	K_NONE = 0, K_VOID_ADDR = 1, K_INT = 2, K_LONG = 3, K_CHAR_PTR = 4,
	K_SIZE_T = 5, K_OUT_BUFFER = 6, K_OFF_T = 7, K_STRUCT_STAT = 8,
	K_MODE_T = 9, K_UID_T = 10, K_STRUCT_SOCKADDR = 11,
	K_STRUCT_CAP_USER_HEADER_T = 12, K_STRUCT_CAP_USER_DATA_T = 13,
	K_STRUCT_POLLFD = 14, K_STRUCT_SIGACTION = 15,
	K_STRUCT_SET_ITIMERVAL = 16, K_SIGSET_T = 17, K_SIGSET_T_PTR = 18,
	K_SOCKLEN_T = 19, K_VOID_PTR_FOLLOW = 20, K_STRUCT_MSGHDR = 21,
	K_STRUCT_F_OWNER_EX = 22, K_STRUCT_FLOCK = 23, K_UINT64_PTR = 24,
	K_IGNORE = 25, K_UINT64_PTR_PTR = 26, K_STRUCT_UTSNAME = 27,
	K_STRUCT_TIMESPEC = 28, K_STRUCT_SYSINFO = 29, K_SIGNED_INT = 30,
	K_STRUCT_STATFS = 31, K_STRUCT_RLIMIT64 = 32, K_PID_T = 33,
	K_STRUCT_ROBUST_LIST_HEAD = 34, K_STRUCT_RUSAGE = 35,
	K_SOCKLEN_T_PTR = 36, K_STRUCT_TIMEVAL = 37, K_STRUCT_IOVEC = 38,
	K_PASLR_FOLLOW = 39, K_STRUCT_TIMEZONE = 40, K_DIFFERS = 41,
	K_STRUCT_STATX = 42, K_IOVEC_ARRAY = 43, K_STRING_ARRAY = 44,
	K_STRUCT_RSEQ = 45, K_STRUCT_OPEN_HOW = 46, K_RAW = 47,
	K_STRUCT_CLONE_ARGS = 48, K_INT_ARRAY = 49, K_STRUCT_EPOLL_EVENT = 50,
	K_STRUCT_SCHED_PARAM = 51, K_STRUCT_ITIMERSPEC = 52,
	K_STRUCT_TERMIOS = 53, K_STRUCT_WINSIZE = 54, K_FD_SET = 55,
	K_STRUCT_MMSGHDR = 56, K_STRUCT_SIGINFO = 57, K_STRUCT_STACK = 58,
	K_STRUCT_TMS = 59, K_STRUCT_TIMEX = 60, K_STRUCT_SIGEVENT = 61,
	K_STRUCT_IFREQ = 62,
	K_MAX
};

/** Bytes owned by someone else (the event's arena or a decoded message). */
struct sp_bytes {
	const uint8_t *data;
	size_t len;
};

/* sp_arg.flags */
enum {
	SP_HAS_BUF = 1 << 0,       /* buf holds the bytes behind ptr */
	SP_UNREADABLE = 1 << 1,    /* ptr was not NULL but could not be read */
	SP_SAME_AS_ENTRY = 1 << 2, /* exit copy: buffers equal to the entry's */
	SP_HAS_PTR = 1 << 3,       /* ptr is meaningful (pointer kinds) */
	SP_TRUNCATED = 1 << 4,     /* buf was cut at the capture limit */
	SP_NOT_CAPTURED = 1 << 5,  /* the recorder could not capture the bytes
				    * (the bpf backend): unverified, never
				    * compared; comes with SP_UNREADABLE */
};

struct sp_arg {
	uint8_t kind;          /* enum sp_kind */
	uint8_t flags;
	uint64_t value;        /* scalar value, or the length for buffers */
	uint64_t ptr;          /* address in the tracee */
	struct sp_bytes buf;   /* bytes behind ptr */
	uint64_t full_len;     /* with SP_TRUNCATED: the length the call named */
	/* msghdr: bytes behind msg_name and msg_control; iovec arrays and
	 * msghdr iovecs: each element's data; execve argv: each string. */
	struct sp_bytes name, control;
	struct sp_bytes *items;
	uint32_t n_items;
};

/** A difference found by replay in one value of a syscall. */
struct sp_diff {
	uint8_t arg;       /* 0 = return value, 1..6 = argument */
	bool at_exit;
	bool replayed;     /* the recorded value was written into the tracee */
	uint8_t klass;     /* enum policy_class */
	uint32_t flag;     /* result flag (seed.md) */
	uint64_t offset;   /* first differing byte within the field */
	const char *field; /* "buffer", "st_ino", "value", ... (static string) */
	const char *label; /* acceptable kind, e.g. "random bytes" (not stored) */
};

#define SP_MAX_DIFFS 16

/** A signal-delivery stop (sp_event.is_signal). */
struct sp_signal {
	int32_t signo;
	int32_t interrupted;   /* syscall nr whose exit it interrupted, or -1 */
	struct sp_bytes siginfo; /* siginfo_t as the kernel gave it (128 bytes) */
	bool exited;           /* not a signal: the thread ended (signo 0) */
	bool at_exit;          /* came as the previous syscall returned */
	int32_t status;        /* ... with this raw wait status */
	/* ... and its place in the order when it stopped at the exit event,
	 * before it died (0: no such stop was seen). Steps before it came
	 * before the thread was gone; replay lets it die there. */
	uint64_t exit_stop_seq;
};

struct sp_event {
	uint32_t nr;           /* syscall number */
	uint32_t tid;
	uint8_t nargs;         /* arguments in entry[] and exit[] */
	bool is_exit_call;     /* exit/exit_group: no exit stop */
	bool returned;         /* exit[] and ret are valid */
	bool unfinished;       /* the call never returned */
	struct sp_arg entry[SP_MAX_ARGS];
	struct sp_arg exit[SP_MAX_ARGS];
	struct sp_arg ret;
	/* The order of the entry and exit stops among all threads of the job
	 * (1, 2, ...; 0 when unknown). A signal uses `seq` only. */
	uint64_t seq, seq_exit;
	bool is_signal;        /* not a syscall: `sig` says which signal */
	struct sp_signal sig;
	uint64_t raw_args[SP_MAX_ARGS]; /* the registers at entry (not stored in files) */
	const struct sc_desc *desc;     /* the table row used to capture it */
	uint8_t n_diffs;
	struct sp_diff diffs[SP_MAX_DIFFS];
	/* execve: SHA-256 of the executed file and of its interpreter
	 * (exec_digest.h); empty where none was taken. */
	struct sp_bytes exec_image, exec_interp;
	/* stat family on a regular file (file_digest.h): SHA-256 of its
	 * contents as the call returned; empty where none was taken. */
	struct sp_bytes file_digest;
	/* mmap of a file (map_digest.h): the file's path, SHA-256 of each
	 * 4 KiB page of the mapped bytes (32 bytes a page) and how many bytes
	 * they cover. ret.buf holds the bytes themselves only where they were
	 * kept. Empty for other calls. */
	const char *map_path;
	struct sp_bytes map_digests;
	uint64_t map_len;
	struct arena *arena;   /* owns the captured bytes */
};

/** Forget the event's contents and the bytes it captured. */
void event_reset(struct sp_event *ev);

/** The register-sized value of a returned syscall as a signed number. */
static inline int64_t event_ret(const struct sp_event *ev)
{
	return (int64_t)ev->ret.value;
}

#endif
