/* The records the BPF programs (record.bpf.c) write into the ring buffer and
 * the capture plans user space hands them: one layout shared by both sides.
 * Fixed-width kernel types only, so that vmlinux.h and <linux/types.h> both
 * provide them. */
#ifndef SPERRIPS_TRACE_BPF_RECORD_ABI_H
#define SPERRIPS_TRACE_BPF_RECORD_ABI_H

/* Syscall numbers the plan map covers (x86_64 numbers are below 512). */
#define SP_BPF_NR_MAX 512
/* Bytes captured behind one pointer; a power of two (the verifier bounds
 * copy lengths with a mask). */
#define SP_BPF_DATA_MAX 4096

/* The signal the BPF side stops a thread with while the ring is more than
 * half full (SIGSTOP: no program can block, catch or ignore it). */
#define SP_BPF_THROTTLE_SIG 19

/* sp_bpf_plan.size: how long the captured buffer is (a subset of the
 * syscall table's enum sc_size that BPF can follow). */
enum {
	SP_BPF_SZ_NONE = 0,  /* nothing captured */
	SP_BPF_SZ_FIXED,     /* n bytes */
	SP_BPF_SZ_ARG,       /* args[ref] * n bytes */
	SP_BPF_SZ_RET,       /* the return value, at most args[ref] if ref < 6 */
	SP_BPF_SZ_STR,       /* a NUL-terminated string */
	SP_BPF_SZ_PTRACE,    /* a shape BPF cannot follow (iovec, msghdr...) */
};

/* sp_bpf_plan.flags */
enum {
	SP_BPF_PLAN_NORETURN = 1 << 0, /* exit, exit_group: recorded at entry */
};

/* With a second buffer, each gets half of the data: the first at 0, the
 * second at SP_BPF_HALF. */
#define SP_BPF_HALF (SP_BPF_DATA_MAX / 2)

/** What to capture for one syscall number, derived from its syscall table
 *  row (bpf_plan.c), never written by hand. */
struct sp_bpf_plan {
	__u8 arg;   /* the pointer argument whose bytes are captured */
	__u8 size;  /* SP_BPF_SZ_* */
	__u8 ref;   /* length argument index for SZ_ARG and SZ_RET */
	__u8 flags; /* SP_BPF_PLAN_* */
	__u32 n;    /* SZ_FIXED size, SZ_ARG element size */
	/* A second buffer (SZ_NONE: none): the same fields. */
	__u8 arg2, size2, ref2, pad;
	__u32 n2;
};

/* sp_bpf_rec.flags */
enum {
	SP_BPF_REC_FAULT = 1 << 0,       /* reading the buffer faulted: bytes not captured */
	SP_BPF_REC_TRUNCATED = 1 << 1,   /* more than SP_BPF_DATA_MAX bytes: only the first captured */
	SP_BPF_REC_NOT_CAPTURED = 1 << 2, /* the plan needs ptrace (SZ_PTRACE): bytes not captured */
	SP_BPF_REC_NORETURN = 1 << 3,    /* recorded at entry; ret is meaningless */
	SP_BPF_REC_NO_ENTRY = 1 << 4,    /* entered before the process was followed:
					  * arguments as at exit, bytes not captured */
};

/** One syscall: its entry arguments, its result and the bytes of its
 *  planned buffer. */
struct sp_bpf_rec {
	__u32 tgid;
	__u32 tid;
	__u32 nr;
	__u32 flags;    /* SP_BPF_REC_* */
	__u64 args[6];
	__s64 ret;
	__u32 len;      /* bytes valid in data (the first buffer's) */
	__u32 len2;     /* the second buffer's, at data + SP_BPF_HALF */
	__u8 data[SP_BPF_DATA_MAX];
};

/* A record in the ring is its header and its `len` bytes of data, or,
 * with a second buffer, SP_BPF_HALF bytes and `len2` more. */
#define SP_BPF_REC_HDR __builtin_offsetof(struct sp_bpf_rec, data)

#endif
