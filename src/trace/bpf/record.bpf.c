// SPDX-License-Identifier: GPL-2.0
/* The BPF half of the bpf recording backend: on every syscall of a followed
 * process, one record (arguments, return value, the bytes its capture plan
 * names) into one ring buffer. Processes are followed by thread group id;
 * children are added by the fork tracepoint, which runs before the child
 * does. Built with clang -target bpf against the running kernel's BTF
 * (CO-RE), so one object fits every kernel with BTF. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "trace/bpf/record_abi.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);  /* tgid */
	__type(value, __u8);
} pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SP_BPF_NR_MAX);
	__type(key, __u32);
	__type(value, struct sp_bpf_plan);
} plans SEC(".maps");

struct enter {
	__u64 args[6];
	__u32 nr;
};

/* Entry arguments of the calls in flight, by thread id. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct enter);
} inflight SEC(".maps");

/* Where a record is built: the ring gets only its used bytes (the header
 * and `len` bytes of data), not SP_BPF_DATA_MAX every time. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sp_bpf_rec);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24);
} ring SEC(".maps");

/* [0]: records lost because the ring was full; [1]: throttle stops. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

static __always_inline int followed(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	return bpf_map_lookup_elem(&pids, &tgid) != NULL;
}

static __always_inline void count(__u32 k)
{
	__u64 *v = bpf_map_lookup_elem(&lost, &k);

	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline void count_lost(void)
{
	count(0);
}

/* Lossless: the ring more than half full stops the thread (SIGSTOP, sent
 * as it returns to user space); the tracer sees the signal-delivery stop,
 * drains the ring, suppresses the signal and resumes it (bpf_record.c). */
#define THROTTLE_BYTES (1 << 23)

static __always_inline void throttle(void)
{
	if (bpf_ringbuf_query(&ring, BPF_RB_AVAIL_DATA) > THROTTLE_BYTES &&
	    bpf_send_signal_thread(SP_BPF_THROTTLE_SIG) == 0)
		count(1);
}

/* Copy one planned buffer into dst (at most max bytes: SP_BPF_DATA_MAX or
 * SP_BPF_HALF), at exit, so that out-buffers are filled and in-buffers the
 * kernel touched are paged in. Returns the bytes copied. */
static __always_inline __u32 capture_one(struct sp_bpf_rec *rec, __u8 *dst, __u32 max, __u8 arg, __u8 size,
					  __u8 ref, __u32 n)
{
	__u64 len = 0;
	const void *ptr;
	long err;

	if (size == SP_BPF_SZ_NONE || arg >= 6)
		return 0;
	if (size == SP_BPF_SZ_PTRACE) {
		rec->flags |= SP_BPF_REC_NOT_CAPTURED;
		return 0;
	}
	ptr = (const void *)rec->args[arg & 7];
	if (!ptr)
		return 0;
	switch (size) {
	case SP_BPF_SZ_FIXED:
		len = n;
		break;
	case SP_BPF_SZ_ARG:
		if (ref < 6)
			len = rec->args[ref & 7] * (n ? n : 1);
		break;
	case SP_BPF_SZ_RET:
		len = rec->ret > 0 ? (__u64)rec->ret : 0;
		if (ref < 6 && len > rec->args[ref & 7])
			len = rec->args[ref & 7];
		break;
	case SP_BPF_SZ_STR:
		if (max == SP_BPF_DATA_MAX)
			err = bpf_probe_read_user_str(dst, SP_BPF_DATA_MAX, ptr);
		else
			err = bpf_probe_read_user_str(dst, SP_BPF_HALF, ptr);
		if (err < 0) {
			rec->flags |= SP_BPF_REC_FAULT;
			return 0;
		}
		return err;
	}
	if (len > max) {
		rec->flags |= SP_BPF_REC_TRUNCATED;
		len = max;
	}
	/* Keeps the bound visible to the verifier after clang's rewrites. */
	asm volatile("" : "+r"(len));
	if (len == 0 || len > SP_BPF_DATA_MAX)
		return 0;
	if (max != SP_BPF_DATA_MAX && len > SP_BPF_HALF)
		return 0;
	if (bpf_probe_read_user(dst, len, ptr) < 0) {
		rec->flags |= SP_BPF_REC_FAULT;
		return 0;
	}
	return len;
}

static __always_inline void capture(struct sp_bpf_rec *rec, const struct sp_bpf_plan *p)
{
	if (p->size2 == SP_BPF_SZ_NONE) {
		rec->len = capture_one(rec, rec->data, SP_BPF_DATA_MAX, p->arg, p->size, p->ref, p->n);
		return;
	}
	rec->len = capture_one(rec, rec->data, SP_BPF_HALF, p->arg, p->size, p->ref, p->n);
	rec->len2 = capture_one(rec, rec->data + SP_BPF_HALF, SP_BPF_HALF, p->arg2, p->size2, p->ref2, p->n2);
}

/* Batched wakeups: waking the reader for every record costs more than the
 * record; it is woken once WAKE_BYTES are waiting, and at a process's end.
 * The reader also drains on its poll timeout. */
#define WAKE_BYTES (1 << 20)

static __always_inline __u64 wakeup_flag(__u32 flags)
{
	if ((flags & SP_BPF_REC_NORETURN) ||
	    bpf_ringbuf_query(&ring, BPF_RB_AVAIL_DATA) >= WAKE_BYTES)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

static __always_inline void emit(const struct enter *e, __s64 ret, __u32 flags)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct sp_bpf_rec *rec;
	struct sp_bpf_plan *p;
	__u32 nr = e->nr, zero = 0;
	__u64 size;
	int i;

	rec = bpf_map_lookup_elem(&scratch, &zero);
	if (!rec)
		return;
	rec->tgid = id >> 32;
	rec->tid = (__u32)id;
	rec->nr = nr;
	rec->flags = flags;
	for (i = 0; i < 6; i++)
		rec->args[i] = e->args[i];
	rec->ret = ret;
	rec->len = 0;
	rec->len2 = 0;
	p = bpf_map_lookup_elem(&plans, &nr);
	if (p && !(flags & SP_BPF_REC_NO_ENTRY))
		capture(rec, p);
	size = rec->len2 ? SP_BPF_HALF + (__u64)rec->len2 : rec->len;
	asm volatile("" : "+r"(size));
	if (size > SP_BPF_DATA_MAX)
		size = SP_BPF_DATA_MAX;
	if (bpf_ringbuf_output(&ring, rec, SP_BPF_REC_HDR + size, wakeup_flag(flags)) < 0)
		count_lost();
}

static __always_inline void read_args(struct enter *e, struct pt_regs *regs)
{
	e->args[0] = BPF_CORE_READ(regs, di);
	e->args[1] = BPF_CORE_READ(regs, si);
	e->args[2] = BPF_CORE_READ(regs, dx);
	e->args[3] = BPF_CORE_READ(regs, r10);
	e->args[4] = BPF_CORE_READ(regs, r8);
	e->args[5] = BPF_CORE_READ(regs, r9);
}

SEC("raw_tracepoint/sys_enter")
int sp_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct sp_bpf_plan *p;
	struct enter e = {};

	if (!followed())
		return 0;
	e.nr = (__u32)ctx->args[1];
	read_args(&e, regs);
	p = bpf_map_lookup_elem(&plans, &e.nr);
	if (p && (p->flags & SP_BPF_PLAN_NORETURN)) {
		emit(&e, 0, SP_BPF_REC_NORETURN);
		return 0;
	}
	bpf_map_update_elem(&inflight, &tid, &e, BPF_ANY);
	return 0;
}

SEC("raw_tracepoint/sys_exit")
int sp_sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct enter *e, none = {};

	if (!followed())
		return 0;
	e = bpf_map_lookup_elem(&inflight, &tid);
	if (!e) {
		/* Entered before the process was followed: say so rather
		 * than leave the call out; the arguments are the registers
		 * as they are at exit, the bytes are not captured. */
		none.nr = (__u32)BPF_CORE_READ(regs, orig_ax);
		read_args(&none, regs);
		emit(&none, (__s64)ctx->args[1], SP_BPF_REC_NO_ENTRY);
		return 0;
	}
	emit(e, (__s64)ctx->args[1], 0);
	bpf_map_delete_elem(&inflight, &tid);
	throttle();
	return 0;
}

/* A child of a followed process is followed from its first instruction:
 * this runs in the parent, inside fork, before the child is woken. */
SEC("raw_tracepoint/sched_process_fork")
int sp_fork(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx->args[0];
	struct task_struct *child = (struct task_struct *)ctx->args[1];
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;

	if (ptgid == ctgid || !bpf_map_lookup_elem(&pids, &ptgid))
		return 0;
	bpf_map_update_elem(&pids, &ctgid, &one, BPF_ANY);
	return 0;
}
