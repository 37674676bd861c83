#include "trace/capture.h"
#include "trace/capture_moved.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include "syscalls/structs.h"
#include "syscalls/table.h"
#include "trace/tracee_mem.h"
#include "trace/exec_digest.h"
#include "trace/file_digest.h"
#include "trace/map_digest.h"

#define STR_MAX 4096       /* paths and names: PATH_MAX */
#define STRV_MAX 4096      /* execve argv/envp entries */
#define IOV_MAX_CAPTURE 1024

static bool is_error(int64_t rval)
{
	return rval < 0 && rval >= -4095;
}

/* Read `len` bytes at `addr` into the event's arena as a's buffer. */
static void read_buf(struct sp_event *ev, pid_t tid, struct sp_arg *a, uint64_t addr, size_t len)
{
	a->ptr = addr;
	a->flags |= SP_HAS_PTR;
	a->value = len;
	if (!addr)
		return;
	if (len > CAPTURE_MAX) {
		a->flags |= SP_TRUNCATED;
		a->full_len = len;
		len = CAPTURE_MAX;
	}
	uint8_t *dst = arena_alloc(ev->arena, len ? len : 1);
	ssize_t n = dst ? mem_read(tid, addr, dst, len) : -ENOMEM;
	if (n < 0) {
		a->flags |= SP_UNREADABLE;
		return;
	}
	/* Only part of it readable (the mapping ends): the bytes are kept,
	 * and marked, since the kernel would have failed with EFAULT. */
	if ((size_t)n < len)
		a->flags |= SP_UNREADABLE;
	a->flags |= SP_HAS_BUF;
	a->buf.data = dst;
	a->buf.len = (size_t)n;
}

/* True if a string of `n` bytes read at `addr` without reaching `max` ended
 * at an unreadable page rather than at its NUL. mem_read_str stops early
 * only at a page boundary, and a NUL there is the next page's first byte. */
static bool str_cut(pid_t tid, uint64_t addr, size_t n, size_t max)
{
	if (n >= max || ((addr + n) & 4095) != 0)
		return false;
	char c;
	return mem_read(tid, addr + n, &c, 1) != 1;
}

static void read_str(struct sp_event *ev, pid_t tid, struct sp_bytes *out, uint64_t addr, uint8_t *flags)
{
	char *dst = arena_alloc(ev->arena, STR_MAX);
	ssize_t n = dst ? mem_read_str(tid, addr, dst, STR_MAX) : -ENOMEM;
	if (n < 0) {
		*flags |= SP_UNREADABLE;
		out->data = NULL;
		out->len = 0;
		return;
	}
	if (str_cut(tid, addr, (size_t)n, STR_MAX))
		*flags |= SP_UNREADABLE;
	out->data = (const uint8_t *)dst;
	out->len = (size_t)n;
}

/* The data of each iovec: all of it (in), or the first `total` bytes (out).
 * All elements are read with one process_vm_readv (per 64); on a short read
 * the elements from the failing one on are read one by one, as before. */
static void read_iov_items(struct sp_event *ev, pid_t tid, struct sp_arg *a,
			   const uint8_t *iov, size_t count, uint64_t total, bool bounded)
{
	if (count > IOV_MAX_CAPTURE)
		count = IOV_MAX_CAPTURE;
	a->items = arena_alloc(ev->arena, (count ? count : 1) * sizeof(*a->items));
	if (!a->items)
		return;
	a->n_items = (uint32_t)count;
	struct mem_seg seg[IOV_MAX_CAPTURE];
	for (size_t i = 0; i < count; i++) {
		uint64_t base, len;
		memcpy(&base, iov + 16 * i, 8);
		memcpy(&len, iov + 16 * i + 8, 8);
		if (bounded) {
			len = len < total ? len : total;
			total -= len;
		}
		if (len > CAPTURE_MAX)
			len = CAPTURE_MAX;
		a->items[i].data = NULL;
		a->items[i].len = 0;
		seg[i] = (struct mem_seg){ base, NULL, 0 };
		if (!base || !len)
			continue;
		seg[i].dst = arena_alloc(ev->arena, len);
		if (!seg[i].dst) {
			a->flags |= SP_UNREADABLE; /* as a failed read */
			continue;
		}
		seg[i].len = len;
	}
	size_t ok = mem_readv(tid, seg, count);
	for (size_t i = 0; i < count; i++) {
		if (!seg[i].len)
			continue;
		ssize_t n = i < ok ? (ssize_t)seg[i].len : mem_read(tid, seg[i].addr, seg[i].dst, seg[i].len);
		if (n < 0) {
			a->flags |= SP_UNREADABLE;
			continue;
		}
		a->items[i].data = seg[i].dst;
		a->items[i].len = (size_t)n;
	}
}

/* struct msghdr: name, control and iovec data next to the struct itself.
 * At a recvmsg exit, `total` bounds the iovec data to what was received. */
static void read_msghdr(struct sp_event *ev, pid_t tid, struct sp_arg *a, uint64_t addr,
			bool at_exit, int64_t total)
{
	read_buf(ev, tid, a, addr, 56);
	if (!(a->flags & SP_HAS_BUF) || a->buf.len < 56)
		return;
	const uint8_t *m = a->buf.data;
	uint64_t name, iov, iovlen, control, controllen;
	uint32_t namelen;
	memcpy(&name, m, 8);
	memcpy(&namelen, m + 8, 4);
	memcpy(&iov, m + 16, 8);
	memcpy(&iovlen, m + 24, 8);
	memcpy(&control, m + 32, 8);
	memcpy(&controllen, m + 40, 8);
	/* Name, control and the iovec array in one process_vm_readv; what it
	 * could not read (it stops at the first bad range) one by one. */
	size_t n = iovlen > IOV_MAX_CAPTURE ? IOV_MAX_CAPTURE : iovlen;
	size_t name_sz = namelen > 128 ? 128 : namelen;
	size_t control_sz = controllen > 65536 ? 65536 : controllen;
	struct mem_seg seg[3] = { { 0 } };
	if (name && namelen)
		seg[0] = (struct mem_seg){ name, arena_alloc(ev->arena, name_sz), name_sz };
	if (control && controllen)
		seg[1] = (struct mem_seg){ control, arena_alloc(ev->arena, control_sz), control_sz };
	if (iov && iovlen)
		seg[2] = (struct mem_seg){ iov, arena_alloc(ev->arena, n * 16), n * 16 };
	ssize_t got[3];
	bool nomem = false;
	for (int i = 0; i < 3; i++)
		nomem |= seg[i].len && !seg[i].dst;
	size_t ok = nomem ? 0 : mem_readv(tid, seg, 3);
	for (int i = 0; i < 3; i++) {
		if (!seg[i].len)
			got[i] = 0;
		else if (!seg[i].dst)
			got[i] = -ENOMEM;
		else
			got[i] = (size_t)i < ok ? (ssize_t)seg[i].len : mem_read(tid, seg[i].addr, seg[i].dst, seg[i].len);
	}
	/* A name or control that cannot be read is left empty. */
	if (seg[0].len && got[0] >= 0)
		a->name = (struct sp_bytes){ seg[0].dst, (size_t)got[0] };
	if (seg[1].len && got[1] >= 0)
		a->control = (struct sp_bytes){ seg[1].dst, (size_t)got[1] };
	if (iov && iovlen) {
		if (got[2] == (ssize_t)(n * 16))
			read_iov_items(ev, tid, a, seg[2].dst, n, at_exit ? (uint64_t)(total > 0 ? total : 0) : 0, at_exit);
		else
			a->flags |= SP_UNREADABLE;
	}
}

/* The iovecs of an mmsghdr array (sendmmsg at entry, recvmmsg at exit for
 * the messages received, each up to its msg_len). Per message, one item
 * with its iov_len values (8 bytes each: no pointers, so that a replay at
 * other addresses compares equal), then one item per iovec's data. */
static void read_mmsg_items(struct sp_event *ev, pid_t tid, struct sp_arg *a, size_t count, bool bounded)
{
	if (!(a->flags & SP_HAS_BUF))
		return;
	if (count > a->buf.len / 64)
		count = a->buf.len / 64;
	size_t total = 0;
	for (size_t m = 0; m < count; m++) {
		uint64_t iovlen;
		memcpy(&iovlen, a->buf.data + 64 * m + 24, 8);
		total += 1 + (iovlen > IOV_MAX_CAPTURE ? IOV_MAX_CAPTURE : iovlen);
	}
	if (!total || total > IOV_MAX_CAPTURE)
		return;
	struct sp_bytes *items = arena_alloc(ev->arena, total * sizeof(*items));
	if (!items)
		return;
	size_t k = 0;
	for (size_t m = 0; m < count; m++) {
		uint64_t iov, iovlen;
		uint32_t len;
		memcpy(&iov, a->buf.data + 64 * m + 16, 8);
		memcpy(&iovlen, a->buf.data + 64 * m + 24, 8);
		memcpy(&len, a->buf.data + 64 * m + 56, 4);
		if (iovlen > IOV_MAX_CAPTURE)
			iovlen = IOV_MAX_CAPTURE;
		uint8_t *vec = iovlen ? arena_alloc(ev->arena, iovlen * 16) : NULL;
		bool ok = vec && iov && mem_read(tid, iov, vec, iovlen * 16) == (ssize_t)(iovlen * 16);
		struct sp_arg one = { 0 };
		if (ok)
			read_iov_items(ev, tid, &one, vec, iovlen, len, bounded);
		if (!ok || one.n_items != iovlen)
			a->flags |= SP_UNREADABLE;
		uint8_t *lens = iovlen ? arena_alloc(ev->arena, iovlen * 8) : NULL;
		for (size_t i = 0; ok && lens && i < iovlen; i++)
			memcpy(lens + 8 * i, vec + 16 * i + 8, 8);
		items[k++] = (struct sp_bytes){ lens, ok && lens ? iovlen * 8 : 0 };
		for (size_t i = 0; i < iovlen; i++)
			items[k++] = i < one.n_items ? one.items[i] : (struct sp_bytes){ NULL, 0 };
	}
	a->items = items;
	a->n_items = (uint32_t)k;
}

static void read_strv(struct sp_event *ev, pid_t tid, struct sp_arg *a, uint64_t addr)
{
	a->ptr = addr;
	a->flags |= SP_HAS_PTR;
	if (!addr)
		return;
	uint64_t ptrs[STRV_MAX];
	size_t n = 0;
	/* Read the pointer array in page-sized pieces until its NULL. */
	while (n < STRV_MAX) {
		size_t want = 512 - ((addr + 8 * n) & 4095) / 8;
		if (want > STRV_MAX - n)
			want = STRV_MAX - n;
		ssize_t got = mem_read(tid, addr + 8 * n, ptrs + n, want * 8);
		if (got < 8) {
			a->flags |= SP_UNREADABLE;
			break;
		}
		size_t k = (size_t)got / 8, i;
		for (i = 0; i < k && ptrs[n + i]; i++)
			;
		n += i;
		if (i < k)
			break;
	}
	a->items = arena_alloc(ev->arena, (n ? n : 1) * sizeof(*a->items));
	if (!a->items)
		return;
	a->n_items = (uint32_t)n;
	a->value = n;
	for (size_t i = 0; i < n; i++)
		read_str(ev, tid, &a->items[i], ptrs[i], &a->flags);
}

static uint64_t socklen_at(pid_t tid, uint64_t addr)
{
	int32_t len = 0; /* the kernel's int addrlen: negative is refused */
	if (addr && mem_read(tid, addr, &len, 4) != 4)
		return 0;
	return len < 0 ? 0 : (uint64_t)len;
}

/* Argument `ref` used as a length or count, as the kernel sees it: an int
 * with garbage in the high half of its register is still an int. */
static uint64_t ref_len(const struct sp_event *ev, unsigned ref)
{
	if (ref >= SP_MAX_ARGS)
		return 0;
	return sc_arg_length(&ev->desc->args[ref], ev->raw_args[ref]);
}

/* The length of an S_FIXED or S_ARG buffer at entry. */
static uint64_t arg_len(const struct sp_event *ev, const struct sc_arg *d)
{
	if (d->size == S_FIXED)
		return d->n;
	if (d->size == S_ARG_PLUS)
		return ref_len(ev, d->ref) + d->n;
	uint64_t len = ref_len(ev, d->ref) * (d->n ? d->n : 1);
	if (d->kind == K_SIGSET_T_PTR && len > 128)
		len = 128;
	return len;
}

/* Argument `i` at entry. `pre`, if not NULL, holds the argument's bytes
 * already read by capture_entry's prefetch: a string's first piece (no more
 * than mem_str_chunk) or a whole in-buffer. */
static void arg_entry(struct sp_event *ev, pid_t tid, int i, struct sp_arg *a, const struct mem_seg *pre)
{
	const struct sc_arg *d = &ev->desc->args[i];
	const uint64_t *args = ev->raw_args;
	uint64_t v = args[i];
	memset(a, 0, sizeof(*a));
	a->kind = d->kind;
	if (d->dir == D_NONE && d->size == S_NONE) {
		if (d->kind == K_VOID_ADDR) {
			a->ptr = v;
			a->flags |= SP_HAS_PTR;
		} else {
			/* Truncated to the C type, as the kernel does. */
			a->value = sc_arg_value(d, v);
		}
		return;
	}
	bool read_now = d->dir == D_IN || d->dir == D_INOUT;
	uint64_t len = 0;
	switch (d->size) {
	case S_STR:
		a->ptr = v;
		a->flags |= SP_HAS_PTR;
		if (v && pre) {
			char *dst = pre->dst;
			char *nul = memchr(dst, 0, pre->len);
			ssize_t n = nul ? nul - dst : mem_read_str_from(tid, v, dst, STR_MAX, pre->len);
			a->buf = (struct sp_bytes){ (const uint8_t *)dst, (size_t)n };
			a->flags |= SP_HAS_BUF;
			if (!nul && str_cut(tid, v, (size_t)n, STR_MAX))
				a->flags |= SP_UNREADABLE;
		} else if (v) {
			read_str(ev, tid, &a->buf, v, &a->flags);
			if (!(a->flags & SP_UNREADABLE))
				a->flags |= SP_HAS_BUF;
		}
		return;
	case S_STRV:
		read_strv(ev, tid, a, v);
		return;
	case S_MSGHDR:
		if (v)
			read_msghdr(ev, tid, a, v, false, 0);
		a->ptr = v;
		a->flags |= SP_HAS_PTR;
		return;
	case S_MSGHDR_RET:
		/* Only the struct: what its pointers point to is for the kernel to fill. */
		read_buf(ev, tid, a, v, 56);
		return;
	case S_IOV:
	case S_IOV_RET: {
		uint64_t want = ref_len(ev, d->ref);
		size_t count = want > IOV_MAX_CAPTURE ? IOV_MAX_CAPTURE : want;
		read_buf(ev, tid, a, v, count * 16);
		if (read_now && (a->flags & SP_HAS_BUF))
			read_iov_items(ev, tid, a, a->buf.data, a->buf.len / 16, 0, false);
		return;
	}
	case S_FIXED:
	case S_ARG:
	case S_ARG_PLUS:
		len = arg_len(ev, d);
		break;
	case S_RET_PLUS:
		len = ref_len(ev, d->ref) + d->n;
		break;
	case S_RET:
		len = d->ref < 6 ? ref_len(ev, d->ref) * (d->n ? d->n : 1) : 0;
		break;
	case S_SOCKLEN:
		len = socklen_at(tid, args[d->ref]);
		break;
	}
	if (read_now && pre) {
		/* What read_buf does after a complete read. */
		a->ptr = v;
		a->flags |= SP_HAS_PTR | SP_HAS_BUF;
		a->value = len;
		a->buf = (struct sp_bytes){ pre->dst, pre->len };
	} else if (read_now) {
		read_buf(ev, tid, a, v, len);
		if (d->st == ST_MMSG_SEND) /* sendmmsg: the data as it is sent */
			read_mmsg_items(ev, tid, a, a->buf.len / 64, false);
	} else {
		a->ptr = v;
		a->flags |= SP_HAS_PTR;
		a->value = len;
	}
}

void capture_arg_entry(struct sp_event *ev, pid_t tid, int i, struct sp_arg *a)
{
	arg_entry(ev, tid, i, a, NULL);
}


/* In-buffers up to this size take part in the entry prefetch. */
#define PREFETCH_BUF_MAX 4096

/* Plan the entry prefetch: seg[i] is what argument i would read first, a
 * string's first piece or a small in-buffer, or empty. Returns how many. */
static int prefetch_plan(const struct sp_event *ev, struct mem_seg seg[SP_MAX_ARGS])
{
	int k = 0;
	for (int i = 0; i < ev->nargs; i++) {
		const struct sc_arg *d = &ev->desc->args[i];
		uint64_t v = ev->raw_args[i];
		seg[i] = (struct mem_seg){ v, NULL, 0 };
		if (!v)
			continue;
		if (d->size == S_STR) {
			seg[i].len = mem_str_chunk(v, STR_MAX);
		} else if ((d->dir == D_IN || d->dir == D_INOUT) &&
			   (d->size == S_FIXED || d->size == S_ARG || d->size == S_ARG_PLUS)) {
			uint64_t len = arg_len(ev, d);
			seg[i].len = len <= PREFETCH_BUF_MAX ? (size_t)len : 0;
		}
		k += seg[i].len != 0;
	}
	return k;
}

void capture_entry(struct sp_event *ev, pid_t tid, uint32_t nr, const uint64_t args[6])
{
	ev->nr = nr;
	ev->tid = (uint32_t)tid;
	memcpy(ev->raw_args, args, sizeof(ev->raw_args));
	ev->desc = sc_resolve(nr, args);
	ev->nargs = ev->desc->nargs;
	ev->is_exit_call = (ev->desc->flags & SC_NORETURN) != 0;
	/* When two or more arguments have bytes to read at once (getxattr's
	 * path and name, ppoll's fds, timeout and mask), read them with one
	 * process_vm_readv. An argument whose piece it could not read (it
	 * stops at the first bad range) is read on its own, as without it. */
	struct mem_seg seg[SP_MAX_ARGS];
	size_t ok = 0;
	if (prefetch_plan(ev, seg) >= 2) {
		bool nomem = false;
		for (int i = 0; i < ev->nargs; i++) {
			if (!seg[i].len)
				continue;
			seg[i].dst = arena_alloc(ev->arena, ev->desc->args[i].size == S_STR ? STR_MAX : seg[i].len);
			nomem |= !seg[i].dst;
		}
		if (!nomem)
			ok = mem_readv(tid, seg, ev->nargs);
	}
	for (int i = 0; i < ev->nargs; i++)
		arg_entry(ev, tid, i, &ev->entry[i], (size_t)i < ok && seg[i].len ? &seg[i] : NULL);
}

static bool same_bytes(struct sp_bytes a, struct sp_bytes b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

/* Out- and in-out arguments at exit; in-arguments are not read again: the
 * kernel does not write them, and a second read would cost a syscall. */
static void capture_arg_exit(struct sp_event *ev, pid_t tid, int i, int64_t rval)
{
	const struct sc_arg *d = &ev->desc->args[i];
	const struct sp_arg *in = &ev->entry[i];
	struct sp_arg *a = &ev->exit[i];
	const uint64_t *args = ev->raw_args;
	uint64_t v = args[i];
	if (d->dir == D_NONE || d->dir == D_IN || !v) {
		*a = *in;
		if (a->flags & SP_HAS_BUF || a->n_items)
			a->flags |= SP_SAME_AS_ENTRY;
		return;
	}
	memset(a, 0, sizeof(*a));
	a->kind = d->kind;
	/* Out-arguments the kernel did not write hold whatever was there before. */
	bool failed = is_error(rval) || ((ev->desc->flags & SC_OUT_IF_POS) && rval <= 0);
	if (ev->desc->flags & SC_OUT_IF_INTR) /* nanosleep: the time left, if interrupted */
		failed = !(rval == -EINTR || rval == -512 || rval == -513 || rval == -514 || rval == -516);
	uint64_t len = in->value;
	switch (d->size) {
	case S_RET:
		len = failed ? 0 : (uint64_t)rval * (d->n ? d->n : 1);
		if (d->ref < 6 && len > in->value)
			len = in->value;
		break;
	case S_RET_PLUS:
		len = failed ? 0 : (uint64_t)rval + d->n;
		if (len > in->value)
			len = in->value;
		break;
	case S_SOCKLEN: {
		uint64_t now = socklen_at(tid, args[d->ref]);
		len = now < in->value ? now : in->value;
		break;
	}
	case S_IOV_RET:
		read_buf(ev, tid, a, v, in->value);
		if (!failed && (a->flags & SP_HAS_BUF))
			read_iov_items(ev, tid, a, a->buf.data, a->buf.len / 16, (uint64_t)rval, true);
		return;
	case S_MSGHDR_RET:
		if (failed)
			read_buf(ev, tid, a, v, 56); /* nothing was received */
		else
			read_msghdr(ev, tid, a, v, true, rval);
		a->ptr = v;
		a->flags |= SP_HAS_PTR;
		return;
	default:
		break;
	}
	if (failed && d->dir == D_OUT) {
		/* The kernel filled nothing. */
		a->ptr = v;
		a->flags |= SP_HAS_PTR;
		a->value = len;
		return;
	}
	read_buf(ev, tid, a, v, len);
	if (d->st == ST_MMSG_RECV && rval > 0) /* recvmmsg: what each message received */
		read_mmsg_items(ev, tid, a, (size_t)rval, true);
	if (d->dir == D_INOUT && (in->flags & SP_HAS_BUF) && (a->flags & SP_HAS_BUF) &&
	    same_bytes(in->buf, a->buf)) {
		a->buf = in->buf;
		a->flags |= SP_SAME_AS_ENTRY;
	}
}

void capture_exit(struct sp_event *ev, pid_t tid, int64_t rval)
{
	const struct sc_desc *d = ev->desc;
	ev->returned = true;
	for (int i = 0; i < ev->nargs; i++)
		capture_arg_exit(ev, tid, i, rval);
	struct sp_arg *r = &ev->ret;
	memset(r, 0, sizeof(*r));
	r->value = (uint64_t)rval;
	if (d->flags & SC_RET_MAP) {
		r->kind = K_PASLR_FOLLOW;
		r->ptr = (uint64_t)rval;
		r->flags |= SP_HAS_PTR;
		/* The mapped bytes of a file mapping: how a swapped library shows. */
		const uint64_t *a = ev->raw_args;
		bool anon = (a[3] & 0x20) != 0; /* MAP_ANONYMOUS */
		if (!is_error(rval) && !anon && (int32_t)a[4] >= 0 && !map_digest_cached(ev, tid)) {
			read_buf(ev, tid, r, (uint64_t)rval, a[1]);
			r->value = (uint64_t)rval;
			map_digest_capture(ev, tid);
		}
	} else if (d->flags & SC_RET_PTR) {
		r->kind = K_VOID_ADDR;
		r->ptr = (uint64_t)rval;
		r->flags |= SP_HAS_PTR;
	} else {
		r->kind = K_SIGNED_INT;
		if ((d->flags & SC_RET_MOVED) && rval > 0)
			capture_moved(ev, tid, rval);
	}
	if (ev->nr == SYS_execve && rval == 0)
		exec_digest_capture(ev, tid);
	else if ((d->flags & SC_STAT) && rval == 0)
		file_digest_capture(ev, tid);
}

void event_reset(struct sp_event *ev)
{
	if (ev->arena)
		arena_reset(ev->arena);
	/* Arguments past nargs are never written, so they are still zero:
	 * clearing only the used ones keeps this off the profile. */
	size_t n = ev->nargs > SP_MAX_ARGS ? SP_MAX_ARGS : ev->nargs;
	memset(ev->entry, 0, n * sizeof(ev->entry[0]));
	memset(ev->exit, 0, n * sizeof(ev->exit[0]));
	memset(&ev->ret, 0, sizeof(ev->ret));
	memset(ev->raw_args, 0, sizeof(ev->raw_args));
	ev->nr = ev->tid = 0;
	ev->nargs = 0;
	ev->is_exit_call = ev->returned = ev->unfinished = false;
	ev->seq = ev->seq_exit = 0;
	ev->is_signal = false;
	memset(&ev->sig, 0, sizeof(ev->sig));
	ev->desc = NULL;
	ev->n_diffs = 0;
	ev->exec_image = ev->exec_interp = (struct sp_bytes){ 0 };
	ev->file_digest = (struct sp_bytes){ 0 };
	ev->map_path = NULL;
	ev->map_digests = (struct sp_bytes){ 0 };
	ev->map_len = 0;
}

uint64_t capture_capacity(const struct sp_event *ev, int i)
{
	if (i < 0) /* mmap: the mapping's length */
		return (ev->desc->flags & SC_RET_MAP) ? ev->raw_args[1] : 0;
	const struct sc_arg *d = &ev->desc->args[i];
	switch (d->size) {
	case S_FIXED:
		return d->n;
	case S_ARG:
		return ref_len(ev, d->ref) * (d->n ? d->n : 1);
	case S_ARG_PLUS:
	case S_RET_PLUS:
		return ref_len(ev, d->ref) + d->n;
	case S_RET:
		if (d->ref < 6)
			return ref_len(ev, d->ref) * (d->n ? d->n : 1);
		return 0;
	case S_SOCKLEN:
	case S_STR:
		return ev->entry[i].value;
	case S_MSGHDR:
	case S_MSGHDR_RET:
		return 56;
	case S_IOV:
	case S_IOV_RET:
		return ref_len(ev, d->ref) * 16;
	}
	return 0;
}
