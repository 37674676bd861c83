#include "tracefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sperrips.pb-c.h"

/* Top-level field tags: (field number << 3) | wire type 2 (length-delimited). */
#define TAG_METADATA 0x0a
#define TAG_ITEM 0x12     /* Recording.syscall / Differences.differences */
#define TAG_EQUAL 0x18    /* Differences.equal, a varint */

#define WBUF_SIZE (1u << 20)

/* ====================================================================== */
/* Writing                                                                */
/* ====================================================================== */

struct tf_writer {
	ProtobufCBuffer pb;   /* first: protobuf-c appends through it (metadata) */
	int fd;
	int err;
	uint64_t written;
	size_t used;
	uint8_t buf[WBUF_SIZE];
};

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Write two pieces with as few writev calls as the kernel allows. */
static int writev_all(int fd, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	while (alen) {
		struct iovec v[2] = { { (void *)a, alen }, { (void *)b, blen } };
		ssize_t k = writev(fd, v, 2);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if ((size_t)k < alen) {
			a += k;
			alen -= (size_t)k;
			continue;
		}
		k -= (ssize_t)alen;
		alen = 0;
		b += k;
		blen -= (size_t)k;
	}
	return write_all(fd, b, blen);
}

int tf_flush(struct tf_writer *w)
{
	if (w->used && !w->err)
		w->err = write_all(w->fd, w->buf, w->used);
	w->used = 0;
	return w->err;
}

static void w_append(ProtobufCBuffer *pb, size_t len, const uint8_t *data)
{
	struct tf_writer *w = (struct tf_writer *)pb;
	w->written += len;
	if (w->err)
		return;
	if (len > WBUF_SIZE - w->used) {
		tf_flush(w);
		if (len >= WBUF_SIZE / 2) {
			if (!w->err)
				w->err = write_all(w->fd, data, len);
			return;
		}
	}
	memcpy(w->buf + w->used, data, len);
	w->used += len;
}

struct tf_writer *tf_writer_open(const char *path)
{
	struct tf_writer *w = malloc(sizeof(*w));
	if (!w)
		return NULL;
	w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w->fd < 0) {
		int e = errno;
		free(w);
		errno = e;
		return NULL;
	}
	w->pb.append = w_append;
	w->err = 0;
	w->written = 0;
	w->used = 0;
	return w;
}

static void put_varint(struct tf_writer *w, uint64_t v)
{
	uint8_t b[10];
	size_t n = 0;
	do {
		b[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	w_append(&w->pb, n, b);
}

static int put_message(struct tf_writer *w, uint8_t tag, const ProtobufCMessage *m)
{
	size_t size = protobuf_c_message_get_packed_size(m);
	w_append(&w->pb, 1, &tag);
	put_varint(w, size);
	protobuf_c_message_pack_to_buffer(m, &w->pb);
	return w->err;
}

/* ---------------------------------------------------------------------- */
/* The reference encoder: sp_event -> generated structs -> protobuf-c.     */
/* Not used for writing files any more: it is the oracle that             */
/* tests/unit/test_encoder.c holds the direct encoder below to.            */
/* ---------------------------------------------------------------------- */

static ProtobufCBinaryData bin(struct sp_bytes b)
{
	return (ProtobufCBinaryData){ b.len, (uint8_t *)b.data };
}

/* One Argument plus what hangs off it, laid out without heap allocation. */
struct pb_arg {
	Msc__Argument a;
	Msc__Related rel;
	Msc__StructMsghdr msg;
	Msc__StructIovec iov0;
};

static void fill_arg(struct arena *scratch, struct pb_arg *p, const struct sp_arg *s)
{
	msc__argument__init(&p->a);
	p->a.type = (Msc__ArgumentType)s->kind;
	p->a.int64 = s->value;
	p->a.ptr = s->ptr;
	p->a.unreadable = (s->flags & SP_UNREADABLE) != 0;
	p->a.full_length = (s->flags & SP_TRUNCATED) ? s->full_len : 0;
	if (s->flags & SP_SAME_AS_ENTRY) {
		/* The bytes are in the entry copy; store them once. */
		p->a.same_as_entry = 1;
		return;
	}
	if (s->flags & SP_HAS_BUF)
		p->a.buffer = bin(s->buf);
	if (s->kind == K_STRUCT_MSGHDR) {
		msc__related__init(&p->rel);
		msc__struct_msghdr__init(&p->msg);
		p->msg.msg_name = bin(s->name);
		p->msg.msg_control = bin(s->control);
		if (s->n_items) {
			/* The prototype's reader sees the first iovec; ours all. */
			msc__struct_iovec__init(&p->iov0);
			p->iov0.iov_data = bin(s->items[0]);
			p->msg.iovec = &p->iov0;
			p->msg.n_iov = s->n_items;
			p->msg.iov = arena_alloc(scratch, s->n_items * sizeof(ProtobufCBinaryData));
			if (!p->msg.iov) {
				p->msg.n_iov = 0;
			} else {
				for (uint32_t i = 0; i < s->n_items; i++)
					p->msg.iov[i] = bin(s->items[i]);
			}
		}
		p->rel.msghdr = &p->msg;
		p->a.related = &p->rel;
	} else if (s->n_items) {
		p->a.items = arena_alloc(scratch, s->n_items * sizeof(ProtobufCBinaryData));
		if (p->a.items) {
			p->a.n_items = s->n_items;
			for (uint32_t i = 0; i < s->n_items; i++)
				p->a.items[i] = bin(s->items[i]);
		}
	}
}

/* A Syscall message and its parts, on the caller's stack. */
struct pb_syscall {
	Msc__Syscall sc;
	Msc__ArgumentList entry, exit;
	struct pb_arg args[2 * SP_MAX_ARGS + 1];
	Msc__Argument *entry_ptrs[SP_MAX_ARGS], *exit_ptrs[SP_MAX_ARGS];
	Msc__Difference diffs[SP_MAX_DIFFS];
	Msc__Difference *diff_ptrs[SP_MAX_DIFFS];
};

static void fill_syscall(struct arena *scratch, struct pb_syscall *p, const struct sp_event *ev)
{
	msc__syscall__init(&p->sc);
	msc__argument_list__init(&p->entry);
	msc__argument_list__init(&p->exit);
	p->sc.type = (Msc__SyscallOpcode)ev->nr;
	p->sc.tid = ev->tid;
	p->sc.isexitcall = ev->is_exit_call;
	p->sc.unfinished = ev->unfinished;
	int n = ev->nargs > SP_MAX_ARGS ? SP_MAX_ARGS : ev->nargs;
	for (int i = 0; i < n; i++) {
		fill_arg(scratch, &p->args[i], &ev->entry[i]);
		p->entry_ptrs[i] = &p->args[i].a;
	}
	p->entry.n_args = (size_t)n;
	p->entry.args = p->entry_ptrs;
	p->sc.args_on_entry = &p->entry;
	if (ev->returned || ev->is_exit_call) {
		/* exit_group has no exit stop; the prototype still repeated the
		 * arguments, and so do we. */
		const struct sp_arg *ex = ev->returned ? ev->exit : ev->entry;
		for (int i = 0; i < n; i++) {
			fill_arg(scratch, &p->args[SP_MAX_ARGS + i], &ex[i]);
			p->exit_ptrs[i] = &p->args[SP_MAX_ARGS + i].a;
		}
		p->exit.n_args = (size_t)n;
		p->exit.args = p->exit_ptrs;
		p->sc.args_on_exit = &p->exit;
	}
	if (ev->returned) {
		fill_arg(scratch, &p->args[2 * SP_MAX_ARGS], &ev->ret);
		p->sc.return_value = &p->args[2 * SP_MAX_ARGS].a;
	}
	int nd = ev->n_diffs > SP_MAX_DIFFS ? SP_MAX_DIFFS : ev->n_diffs;
	for (int i = 0; i < nd; i++) {
		const struct sp_diff *d = &ev->diffs[i];
		Msc__Difference *m = &p->diffs[i];
		msc__difference__init(m);
		m->arg = d->arg;
		m->at_exit = d->at_exit;
		m->field = (char *)(d->field ? d->field : "");
		m->flag = d->flag;
		m->klass = d->klass;
		m->offset = d->offset;
		m->replayed = d->replayed;
		p->diff_ptrs[i] = m;
	}
	p->sc.n_difference = (size_t)nd;
	p->sc.difference = p->diff_ptrs;
}

/* `m` packed by protobuf-c behind its top-level tag and length, in malloc'd
 * memory. */
static int pack_reference(const ProtobufCMessage *m, uint8_t **out, size_t *len)
{
	size_t size = protobuf_c_message_get_packed_size(m);
	uint8_t *b = malloc(size + 11);
	if (!b)
		return -ENOMEM;
	size_t h = 0;
	b[h++] = TAG_ITEM;
	uint64_t v = size;
	do {
		b[h] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			b[h] |= 0x80;
		h++;
	} while (v);
	*len = h + protobuf_c_message_pack(m, b + h);
	*out = b;
	return 0;
}

int tf_encode_event_reference(const struct sp_event *ev, uint8_t **out, size_t *len)
{
	struct arena scratch;
	arena_init(&scratch, 0);
	struct pb_syscall p;
	fill_syscall(&scratch, &p, ev);
	int r = pack_reference(&p.sc.base, out, len);
	arena_free(&scratch);
	return r;
}

int tf_encode_pair_reference(const struct sp_event *rec, const struct sp_event *rep,
			     uint64_t index, uint8_t **out, size_t *len)
{
	struct arena scratch;
	arena_init(&scratch, 0);
	struct pb_syscall *a = malloc(2 * sizeof(*a));
	if (!a)
		return -ENOMEM;
	Msc__DiffPair pair;
	msc__diff_pair__init(&pair);
	if (rec) {
		fill_syscall(&scratch, &a[0], rec);
		pair.recorded = &a[0].sc;
	}
	if (rep) {
		fill_syscall(&scratch, &a[1], rep);
		pair.replayed = &a[1].sc;
	}
	pair.index = index;
	int r = pack_reference(&pair.base, out, len);
	free(a);
	arena_free(&scratch);
	return r;
}

/* ---------------------------------------------------------------------- */
/* The direct encoder: sp_event -> wire bytes, byte for byte what the      */
/* reference encoder above produces (tests/unit/test_encoder.c checks).    */
/*                                                                        */
/* protobuf-c recomputes every sub-message's size at every level of       */
/* nesting, and the structs cost 13 init calls per syscall. Here each      */
/* sub-message's size is computed once, bottom-up, into a struct sc_size;  */
/* then the fields are emitted in field-number order as protobuf-c does:   */
/* proto3 scalars equal to 0/false and empty bytes/strings are left out;   */
/* a sub-message is written (tag, length, contents, maybe length 0)        */
/* whenever the reference encoder sets its pointer.                        */
/* ---------------------------------------------------------------------- */

/* Field tags, (number << 3) | wire type: 0 varint, 2 length-delimited. */
#define T_VARINT(n) (((uint32_t)(n) << 3) | 0)
#define T_LEN(n) (((uint32_t)(n) << 3) | 2)

/* Payloads from this size on bypass the buffer (writev with the headers). */
#define BIG_PAYLOAD ((size_t)64 << 10)
/* Room for any run of headers emitted between two payloads: at most a few
 * tags (2 bytes) and varints (10 bytes). */
#define HDR_ROOM 64

static inline size_t vsize(uint64_t v)
{
	/* 1 byte per started group of 7 bits. */
	return 1 + (size_t)(63 - __builtin_clzll(v | 1)) / 7;
}

/* protobuf-c packs enums as int32: a negative one takes ten bytes. */
static inline size_t enum_size(uint32_t v)
{
	return (int32_t)v < 0 ? 10 : vsize(v);
}

/* A length-delimited field of `len` bytes with a tag of `tag_bytes` bytes. */
static inline size_t ld_size(size_t tag_bytes, size_t len)
{
	return tag_bytes + vsize(len) + len;
}

static inline uint8_t *put_v(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

/* Make room for `n` header bytes and return where they go; e_end commits
 * what was written up to `p`. */
static inline uint8_t *e_begin(struct tf_writer *w, size_t n)
{
	if (WBUF_SIZE - w->used < n)
		tf_flush(w);
	return w->buf + w->used;
}

static inline void e_end(struct tf_writer *w, uint8_t *p)
{
	w->used = (size_t)(p - w->buf);
}

/* Payload bytes: copied into the buffer, or, when large, written straight
 * from where they are together with the buffered headers. */
static void e_raw(struct tf_writer *w, const void *data, size_t len)
{
	if (len >= BIG_PAYLOAD) {
		if (!w->err)
			w->err = writev_all(w->fd, w->buf, w->used, data, len);
		w->used = 0;
		return;
	}
	if (len > WBUF_SIZE - w->used)
		tf_flush(w);
	memcpy(w->buf + w->used, data, len);
	w->used += len;
}

/* tag, length, bytes */
static inline void e_ld(struct tf_writer *w, uint32_t tag, const uint8_t *data, size_t len)
{
	uint8_t *p = e_begin(w, HDR_ROOM);
	p = put_v(p, tag);
	p = put_v(p, len);
	e_end(w, p);
	if (len)
		e_raw(w, data, len);
}

/* Sizes of one Argument and its sub-messages. */
struct arg_size {
	size_t iov0;  /* StructIovec (the first iovec) */
	size_t msg;   /* StructMsghdr */
	size_t rel;   /* Related */
	size_t arg;   /* Argument */
};

/* Sizes of one Syscall: arguments at entry, at exit, the return value. */
struct sc_size {
	struct arg_size a[2 * SP_MAX_ARGS + 1];
	size_t entry, exit, diff[SP_MAX_DIFFS], total;
	int nargs, ndiffs;
	const struct sp_arg *ex; /* the exit arguments written, or NULL */
};

static size_t items_size(const struct sp_bytes *items, uint32_t n)
{
	size_t s = 0;
	for (uint32_t i = 0; i < n; i++)
		s += ld_size(2, items[i].len); /* fields 16/17: two-byte tags */
	return s;
}

static void arg_size(const struct sp_arg *s, struct arg_size *z)
{
	size_t n = 0;
	if (s->kind)
		n += 1 + enum_size(s->kind);
	if (s->value)
		n += 1 + vsize(s->value);
	if (s->ptr)
		n += 1 + vsize(s->ptr);
	if (s->flags & SP_SAME_AS_ENTRY) {
		n += 3;
	} else {
		if ((s->flags & SP_HAS_BUF) && s->buf.len)
			n += ld_size(1, s->buf.len);
		if (s->kind == K_STRUCT_MSGHDR) {
			size_t m = 0;
			if (s->name.len)
				m += ld_size(1, s->name.len);
			if (s->control.len)
				m += ld_size(1, s->control.len);
			if (s->n_items) {
				z->iov0 = s->items[0].len ? ld_size(1, s->items[0].len) : 0;
				m += ld_size(1, z->iov0);
				m += items_size(s->items, s->n_items);
			}
			z->msg = m;
			z->rel = ld_size(1, m);
			n += ld_size(1, z->rel);
		} else {
			n += items_size(s->items, s->n_items);
		}
	}
	if (s->flags & SP_UNREADABLE)
		n += 3;
	if ((s->flags & SP_TRUNCATED) && s->full_len)
		n += 2 + vsize(s->full_len);
	z->arg = n;
}

static void e_items(struct tf_writer *w, uint32_t tag, const struct sp_bytes *items, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		e_ld(w, tag, items[i].data, items[i].len);
}

/* One Argument's contents (its tag and length are the caller's). */
static void e_arg(struct tf_writer *w, const struct sp_arg *s, const struct arg_size *z)
{
	uint8_t *p = e_begin(w, HDR_ROOM);
	if (s->kind) {
		*p++ = T_VARINT(1);
		p = put_v(p, (uint64_t)(int64_t)(int32_t)s->kind);
	}
	if (s->value) {
		*p++ = T_VARINT(3);
		p = put_v(p, s->value);
	}
	if (s->ptr) {
		*p++ = T_VARINT(4);
		p = put_v(p, s->ptr);
	}
	if (s->flags & SP_SAME_AS_ENTRY) {
		p = put_v(p, T_VARINT(16));
		*p++ = 1;
	} else {
		e_end(w, p);
		if ((s->flags & SP_HAS_BUF) && s->buf.len)
			e_ld(w, T_LEN(5), s->buf.data, s->buf.len);
		if (s->kind == K_STRUCT_MSGHDR) {
			p = e_begin(w, HDR_ROOM);
			*p++ = T_LEN(6); /* Related */
			p = put_v(p, z->rel);
			*p++ = T_LEN(1); /* StructMsghdr */
			p = put_v(p, z->msg);
			e_end(w, p);
			if (s->name.len)
				e_ld(w, T_LEN(1), s->name.data, s->name.len);
			if (s->control.len)
				e_ld(w, T_LEN(2), s->control.data, s->control.len);
			if (s->n_items) {
				p = e_begin(w, HDR_ROOM);
				*p++ = T_LEN(3); /* StructIovec */
				p = put_v(p, z->iov0);
				e_end(w, p);
				if (s->items[0].len)
					e_ld(w, T_LEN(1), s->items[0].data, s->items[0].len);
				e_items(w, T_LEN(16), s->items, s->n_items);
			}
		} else {
			e_items(w, T_LEN(17), s->items, s->n_items);
		}
		p = e_begin(w, HDR_ROOM);
	}
	if (s->flags & SP_UNREADABLE) {
		p = put_v(p, T_VARINT(18));
		*p++ = 1;
	}
	if ((s->flags & SP_TRUNCATED) && s->full_len) {
		p = put_v(p, T_VARINT(19));
		p = put_v(p, s->full_len);
	}
	e_end(w, p);
}

static size_t diff_size(const struct sp_diff *d)
{
	size_t n = 0;
	if (d->arg)
		n += 1 + vsize(d->arg);
	if (d->at_exit)
		n += 2;
	if (d->field && d->field[0])
		n += ld_size(1, strlen(d->field));
	if (d->flag)
		n += 1 + vsize(d->flag);
	if (d->klass)
		n += 1 + vsize(d->klass);
	if (d->offset)
		n += 1 + vsize(d->offset);
	if (d->replayed)
		n += 2;
	return n;
}

static void e_diff(struct tf_writer *w, const struct sp_diff *d, size_t size)
{
	uint8_t *p = e_begin(w, HDR_ROOM);
	p = put_v(p, T_LEN(18));
	p = put_v(p, size);
	if (d->arg) {
		*p++ = T_VARINT(1);
		p = put_v(p, d->arg);
	}
	if (d->at_exit) {
		*p++ = T_VARINT(2);
		*p++ = 1;
	}
	e_end(w, p);
	if (d->field && d->field[0])
		e_ld(w, T_LEN(3), (const uint8_t *)d->field, strlen(d->field));
	p = e_begin(w, HDR_ROOM);
	if (d->flag) {
		*p++ = T_VARINT(4);
		p = put_v(p, d->flag);
	}
	if (d->klass) {
		*p++ = T_VARINT(5);
		p = put_v(p, d->klass);
	}
	if (d->offset) {
		*p++ = T_VARINT(6);
		p = put_v(p, d->offset);
	}
	if (d->replayed) {
		*p++ = T_VARINT(7);
		*p++ = 1;
	}
	e_end(w, p);
}

/* The size of a Syscall and of each of its parts, bottom-up. */
static void syscall_size(const struct sp_event *ev, struct sc_size *z)
{
	int n = ev->nargs > SP_MAX_ARGS ? SP_MAX_ARGS : ev->nargs;
	size_t t = 0;
	z->nargs = n;
	if (ev->nr)
		t += 1 + enum_size(ev->nr);
	z->entry = 0;
	for (int i = 0; i < n; i++) {
		arg_size(&ev->entry[i], &z->a[i]);
		z->entry += ld_size(1, z->a[i].arg);
	}
	t += ld_size(1, z->entry); /* args_on_entry is always there */
	z->ex = NULL;
	if (ev->returned || ev->is_exit_call) {
		/* exit_group has no exit stop; the prototype still repeated the
		 * arguments, and so do we. */
		z->ex = ev->returned ? ev->exit : ev->entry;
		z->exit = 0;
		for (int i = 0; i < n; i++) {
			arg_size(&z->ex[i], &z->a[SP_MAX_ARGS + i]);
			z->exit += ld_size(1, z->a[SP_MAX_ARGS + i].arg);
		}
		t += ld_size(1, z->exit);
	}
	if (ev->returned) {
		arg_size(&ev->ret, &z->a[2 * SP_MAX_ARGS]);
		t += ld_size(1, z->a[2 * SP_MAX_ARGS].arg);
	}
	if (ev->is_exit_call)
		t += 2;
	if (ev->tid)
		t += 2 + vsize(ev->tid);
	if (ev->unfinished)
		t += 3;
	z->ndiffs = ev->n_diffs > SP_MAX_DIFFS ? SP_MAX_DIFFS : ev->n_diffs;
	for (int i = 0; i < z->ndiffs; i++) {
		z->diff[i] = diff_size(&ev->diffs[i]);
		t += ld_size(2, z->diff[i]);
	}
	z->total = t;
}

/* A Syscall's contents (its tag and length are the caller's). */
static void e_syscall(struct tf_writer *w, const struct sp_event *ev, const struct sc_size *z)
{
	uint8_t *p = e_begin(w, HDR_ROOM);
	if (ev->nr) {
		*p++ = T_VARINT(1);
		p = put_v(p, (uint64_t)(int64_t)(int32_t)ev->nr);
	}
	*p++ = T_LEN(2);
	p = put_v(p, z->entry);
	e_end(w, p);
	for (int i = 0; i < z->nargs; i++) {
		p = e_begin(w, HDR_ROOM);
		*p++ = T_LEN(1);
		p = put_v(p, z->a[i].arg);
		e_end(w, p);
		e_arg(w, &ev->entry[i], &z->a[i]);
	}
	if (z->ex) {
		p = e_begin(w, HDR_ROOM);
		*p++ = T_LEN(3);
		p = put_v(p, z->exit);
		e_end(w, p);
		for (int i = 0; i < z->nargs; i++) {
			const struct arg_size *az = &z->a[SP_MAX_ARGS + i];
			p = e_begin(w, HDR_ROOM);
			*p++ = T_LEN(1);
			p = put_v(p, az->arg);
			e_end(w, p);
			e_arg(w, &z->ex[i], az);
		}
	}
	if (ev->returned) {
		const struct arg_size *az = &z->a[2 * SP_MAX_ARGS];
		p = e_begin(w, HDR_ROOM);
		*p++ = T_LEN(4);
		p = put_v(p, az->arg);
		e_end(w, p);
		e_arg(w, &ev->ret, az);
	}
	p = e_begin(w, HDR_ROOM);
	if (ev->is_exit_call) {
		*p++ = T_VARINT(5);
		*p++ = 1;
	}
	if (ev->tid) {
		p = put_v(p, T_VARINT(16));
		p = put_v(p, ev->tid);
	}
	if (ev->unfinished) {
		p = put_v(p, T_VARINT(17));
		*p++ = 1;
	}
	e_end(w, p);
	for (int i = 0; i < z->ndiffs; i++)
		e_diff(w, &ev->diffs[i], z->diff[i]);
}

/* The top-level field header of an item of `size` bytes. */
static void e_item_header(struct tf_writer *w, size_t size)
{
	uint8_t *p = e_begin(w, HDR_ROOM);
	*p++ = TAG_ITEM;
	p = put_v(p, size);
	e_end(w, p);
	w->written += 1 + vsize(size) + size;
}

int tf_write_event(struct tf_writer *w, const struct sp_event *ev)
{
	struct sc_size z;
	syscall_size(ev, &z);
	e_item_header(w, z.total);
	e_syscall(w, ev, &z);
	return w->err;
}

int tf_write_pair(struct tf_writer *w, const struct sp_event *rec,
		  const struct sp_event *rep, uint64_t index)
{
	/* DiffPair: recorded (1), replayed (2), index (16). */
	struct sc_size *z = malloc(2 * sizeof(*z));
	if (!z)
		return w->err ? w->err : -ENOMEM;
	size_t t = 0;
	if (rec) {
		syscall_size(rec, &z[0]);
		t += ld_size(1, z[0].total);
	}
	if (rep) {
		syscall_size(rep, &z[1]);
		t += ld_size(1, z[1].total);
	}
	if (index)
		t += 2 + vsize(index);
	e_item_header(w, t);
	for (int k = 0; k < 2; k++) {
		const struct sp_event *ev = k ? rep : rec;
		if (!ev)
			continue;
		uint8_t *p = e_begin(w, HDR_ROOM);
		*p++ = (uint8_t)T_LEN(k + 1);
		p = put_v(p, z[k].total);
		e_end(w, p);
		e_syscall(w, ev, &z[k]);
	}
	if (index) {
		uint8_t *p = e_begin(w, HDR_ROOM);
		p = put_v(p, T_VARINT(16));
		p = put_v(p, index);
		e_end(w, p);
	}
	free(z);
	return w->err;
}

int tf_write_equal(struct tf_writer *w, bool equal)
{
	uint8_t b[2] = { TAG_EQUAL, equal ? 1 : 0 };
	w_append(&w->pb, 2, b);
	return w->err;
}

static void fill_uname(Msc__SystemInfo *s, const struct tf_uname *u)
{
	msc__system_info__init(s);
	s->sysname = u->sysname ? u->sysname : "";
	s->nodename = u->nodename ? u->nodename : "";
	s->release = u->release ? u->release : "";
	s->version = u->version ? u->version : "";
	s->machine = u->machine ? u->machine : "";
	s->domainname = u->domainname ? u->domainname : "";
}

int tf_write_metadata(struct tf_writer *w, const struct tf_meta *m)
{
	Msc__Metadata md;
	Msc__Command cmd;
	Msc__SystemInfo si, rsi;
	Msc__ASLRInfo aslr;
	msc__metadata__init(&md);
	msc__command__init(&cmd);
	msc__aslrinfo__init(&aslr);
	md.version = m->version ? m->version : "";
	md.time_recorded = m->time_recorded;
	cmd.n_argv = m->argc;
	cmd.argv = m->argv;
	/* The prototype's string field: the bytes up to a NUL, valid UTF-8 or
	 * not (C readers do not check); the exact bytes go in stdin_bytes. */
	char *text = calloc(1, m->stdin_len + 1);
	if (!text)
		return -ENOMEM;
	if (m->stdin_len)
		memcpy(text, m->stdin_bytes, m->stdin_len);
	cmd.stdin = text;
	cmd.stdin_bytes = (ProtobufCBinaryData){ m->stdin_len, m->stdin_bytes };
	cmd.n_env = m->n_env;
	cmd.env = m->env;
	cmd.workdir = m->workdir ? m->workdir : "";
	md.command = &cmd;
	md.number_of_syscalls = m->number_of_syscalls;
	md.job_name = m->job_name ? m->job_name : "";
	md.number_of_differences = m->number_of_differences;
	fill_uname(&si, &m->uname);
	md.sysinfo = &si;
	aslr.state = m->aslr_state;
	aslr.tracee_aslr_off = m->tracee_aslr_off;
	aslr.vdso_hidden = m->vdso_hidden;
	Msc__MemoryRange *ranges = calloc(m->n_ranges ? m->n_ranges : 1, sizeof(*ranges));
	Msc__MemoryRange **rp = calloc(m->n_ranges ? m->n_ranges : 1, sizeof(*rp));
	if (!ranges || !rp) {
		free(text);
		free(ranges);
		free(rp);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->n_ranges; i++) {
		msc__memory_range__init(&ranges[i]);
		ranges[i].section = m->ranges[i].section ? m->ranges[i].section : "";
		ranges[i].from = m->ranges[i].from;
		ranges[i].to = m->ranges[i].to;
		rp[i] = &ranges[i];
	}
	aslr.n_ranges = m->n_ranges;
	aslr.ranges = rp;
	md.aslrinfo = &aslr;
	md.interrupted = m->interrupted;
	md.exit_status = m->exit_status;
	md.pinned = m->pinned;
	md.result_flags = m->result_flags;
	md.verdict = m->verdict ? m->verdict : "";
	md.container_root = m->container_root ? m->container_root : "";
	md.net_none = m->net_none;
	md.time_replayed = m->time_replayed;
	if (m->replay_uname.sysname) {
		fill_uname(&rsi, &m->replay_uname);
		md.replay_sysinfo = &rsi;
	}
	int r = put_message(w, TAG_METADATA, &md.base);
	free(text);
	free(ranges);
	free(rp);
	return r;
}

uint64_t tf_written(const struct tf_writer *w)
{
	return w->written;
}

int tf_writer_close(struct tf_writer *w)
{
	if (!w)
		return 0;
	tf_flush(w);
	int r = w->err;
	if (close(w->fd) < 0 && !r)
		r = -errno;
	free(w);
	return r;
}

/* ====================================================================== */
/* Metadata as plain C                                                    */
/* ====================================================================== */

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

static void uname_free(struct tf_uname *u)
{
	free(u->sysname);
	free(u->nodename);
	free(u->release);
	free(u->version);
	free(u->machine);
	free(u->domainname);
	memset(u, 0, sizeof(*u));
}

static void uname_copy(struct tf_uname *d, const struct tf_uname *s)
{
	d->sysname = dup_or_null(s->sysname);
	d->nodename = dup_or_null(s->nodename);
	d->release = dup_or_null(s->release);
	d->version = dup_or_null(s->version);
	d->machine = dup_or_null(s->machine);
	d->domainname = dup_or_null(s->domainname);
}

static char **strv_copy(char *const *v, size_t n)
{
	char **d = calloc(n + 1, sizeof(*d));
	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++)
		d[i] = strdup(v[i] ? v[i] : "");
	return d;
}

static void strv_free(char **v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void tf_meta_free(struct tf_meta *m)
{
	free(m->version);
	strv_free(m->argv, m->argc);
	free(m->stdin_bytes);
	strv_free(m->env, m->n_env);
	free(m->workdir);
	free(m->job_name);
	uname_free(&m->uname);
	uname_free(&m->replay_uname);
	for (size_t i = 0; i < m->n_ranges; i++)
		free(m->ranges[i].section);
	free(m->ranges);
	free(m->verdict);
	free(m->container_root);
	memset(m, 0, sizeof(*m));
}

int tf_meta_copy(struct tf_meta *d, const struct tf_meta *s)
{
	*d = *s;
	d->version = dup_or_null(s->version);
	d->argv = strv_copy(s->argv, s->argc);
	d->stdin_bytes = malloc(s->stdin_len ? s->stdin_len : 1);
	if (d->stdin_bytes && s->stdin_len)
		memcpy(d->stdin_bytes, s->stdin_bytes, s->stdin_len);
	d->env = strv_copy(s->env, s->n_env);
	d->workdir = dup_or_null(s->workdir);
	d->job_name = dup_or_null(s->job_name);
	uname_copy(&d->uname, &s->uname);
	uname_copy(&d->replay_uname, &s->replay_uname);
	d->ranges = calloc(s->n_ranges ? s->n_ranges : 1, sizeof(*d->ranges));
	if (d->ranges)
		for (size_t i = 0; i < s->n_ranges; i++) {
			d->ranges[i] = s->ranges[i];
			d->ranges[i].section = dup_or_null(s->ranges[i].section);
		}
	d->verdict = dup_or_null(s->verdict);
	d->container_root = dup_or_null(s->container_root);
	if (!d->argv || !d->stdin_bytes || !d->env || !d->ranges)
		return -ENOMEM;
	return 0;
}

static void meta_from_pb(struct tf_meta *m, const Msc__Metadata *p)
{
	memset(m, 0, sizeof(*m));
	m->version = dup_or_null(p->version);
	m->time_recorded = p->time_recorded;
	if (p->command) {
		m->argc = p->command->n_argv;
		m->argv = strv_copy(p->command->argv, p->command->n_argv);
		const uint8_t *src = p->command->stdin_bytes.data;
		size_t len = p->command->stdin_bytes.len;
		if (!len && p->command->stdin) {
			src = (const uint8_t *)p->command->stdin;
			len = strlen(p->command->stdin);
		}
		m->stdin_bytes = malloc(len ? len : 1);
		if (m->stdin_bytes) {
			if (len)
				memcpy(m->stdin_bytes, src, len);
			m->stdin_len = len;
		}
		m->n_env = p->command->n_env;
		m->env = strv_copy(p->command->env, p->command->n_env);
		m->workdir = dup_or_null(p->command->workdir);
	}
	m->number_of_syscalls = p->number_of_syscalls;
	m->job_name = dup_or_null(p->job_name);
	m->number_of_differences = p->number_of_differences;
	if (p->sysinfo) {
		struct tf_uname u = { p->sysinfo->sysname, p->sysinfo->nodename, p->sysinfo->release,
				      p->sysinfo->version, p->sysinfo->machine, p->sysinfo->domainname };
		uname_copy(&m->uname, &u);
	}
	if (p->replay_sysinfo) {
		const Msc__SystemInfo *r = p->replay_sysinfo;
		struct tf_uname u = { r->sysname, r->nodename, r->release, r->version, r->machine, r->domainname };
		uname_copy(&m->replay_uname, &u);
	}
	if (p->aslrinfo) {
		m->aslr_state = p->aslrinfo->state;
		m->tracee_aslr_off = p->aslrinfo->tracee_aslr_off;
		m->vdso_hidden = p->aslrinfo->vdso_hidden;
		m->ranges = calloc(p->aslrinfo->n_ranges + 1, sizeof(*m->ranges));
		if (m->ranges) {
			m->n_ranges = p->aslrinfo->n_ranges;
			for (size_t i = 0; i < m->n_ranges; i++) {
				m->ranges[i].section = dup_or_null(p->aslrinfo->ranges[i]->section);
				m->ranges[i].from = p->aslrinfo->ranges[i]->from;
				m->ranges[i].to = p->aslrinfo->ranges[i]->to;
			}
		}
	}
	m->interrupted = p->interrupted;
	m->exit_status = p->exit_status;
	m->pinned = p->pinned;
	m->result_flags = p->result_flags;
	m->verdict = dup_or_null(p->verdict);
	m->container_root = dup_or_null(p->container_root);
	m->net_none = p->net_none;
	m->time_replayed = p->time_replayed;
}

/* ====================================================================== */
/* Reading                                                                */
/* ====================================================================== */

struct tf_reader {
	FILE *f;
	char *path;
	enum tf_kind kind;
	bool has_meta;
	struct tf_meta meta;
	uint64_t count;
	char incomplete[160];
	char error[200];
	uint8_t *buf;
	size_t cap;
	ProtobufCMessage *current; /* unpacked message the last events point into */
	/* protobuf-c allocates every sub-message and byte string it unpacks:
	 * from the arena of the event being read (allocator_data), which owns
	 * them until that event is reset, instead of malloc/free per field. */
	ProtobufCAllocator alloc;
};

static void *pb_alloc(void *data, size_t size)
{
	return arena_alloc(data, size);
}

static void pb_free(void *data, void *p)
{
	(void)data, (void)p; /* the arena is emptied as a whole */
}

/* Read a varint from the file. 1 ok, 0 clean EOF before it, -1 cut or bad. */
static int read_varint(FILE *f, uint64_t *out)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		int c = getc(f);
		if (c == EOF)
			return shift == 0 ? 0 : -1;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*out = v;
			return 1;
		}
	}
	return -1;
}

/* Read the next top-level field's header. 1 ok (tag, len), 0 EOF, -1 error
 * with r->error or r->incomplete set. */
static int next_field(struct tf_reader *r, uint64_t *tag, uint64_t *len, off_t *start)
{
	*start = ftello(r->f);
	int k = read_varint(r->f, tag);
	if (k == 0)
		return 0;
	if (k < 0) {
		snprintf(r->incomplete, sizeof(r->incomplete), "cut short at byte %lld (inside a field header)", (long long)*start);
		return -1;
	}
	uint64_t field = *tag >> 3, wt = *tag & 7;
	if (wt == 0) {
		if (field != 3) {
			snprintf(r->error, sizeof(r->error), "not a sperrips recording (unexpected field %llu at byte %lld)",
				 (unsigned long long)field, (long long)*start);
			return -1;
		}
		k = read_varint(r->f, len);
		if (k <= 0) {
			snprintf(r->incomplete, sizeof(r->incomplete), "cut short at byte %lld", (long long)*start);
			return -1;
		}
		return 1;
	}
	if (wt != 2 || (field != 1 && field != 2)) {
		snprintf(r->error, sizeof(r->error), "not a sperrips recording (unexpected field %llu, wire type %llu at byte %lld)",
			 (unsigned long long)field, (unsigned long long)wt, (long long)*start);
		return -1;
	}
	k = read_varint(r->f, len);
	if (k <= 0) {
		snprintf(r->incomplete, sizeof(r->incomplete), "cut short at byte %lld (inside a field header)", (long long)*start);
		return -1;
	}
	return 1;
}

static int read_payload(struct tf_reader *r, uint64_t len)
{
	if (len > ((uint64_t)2 << 30)) {
		snprintf(r->error, sizeof(r->error), "field of %llu bytes is larger than protobuf allows", (unsigned long long)len);
		return -1;
	}
	if (len > r->cap) {
		uint8_t *b = realloc(r->buf, len);
		if (!b) {
			snprintf(r->error, sizeof(r->error), "out of memory for a field of %llu bytes", (unsigned long long)len);
			return -1;
		}
		r->buf = b;
		r->cap = len;
	}
	if (len && fread(r->buf, 1, len, r->f) != len) {
		snprintf(r->incomplete, sizeof(r->incomplete), "cut short inside syscall %llu", (unsigned long long)r->count + 1);
		return -1;
	}
	return 0;
}

struct tf_reader *tf_open(const char *path, char *err, size_t errlen)
{
	struct tf_reader *r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	r->alloc = (ProtobufCAllocator){ pb_alloc, pb_free, NULL };
	r->f = fopen(path, "rbe");
	if (!r->f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(r);
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(r->f), &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory", path);
		tf_close(r);
		return NULL;
	}
	setvbuf(r->f, NULL, _IOFBF, 1 << 16);
	r->path = strdup(path);
	bool saw_equal = false;
	int first_item_byte = -1;
	uint64_t fields = 0;
	for (;;) {
		uint64_t tag, len;
		off_t start;
		int k = next_field(r, &tag, &len, &start);
		if (k == 0)
			break;
		if (k < 0) {
			if (r->error[0])
				goto fail;
			break; /* incomplete: keep what came before */
		}
		fields++;
		if ((tag >> 3) == 3) {
			saw_equal = true;
			continue;
		}
		off_t end = ftello(r->f) + (off_t)len;
		if (end > st.st_size) {
			snprintf(r->incomplete, sizeof(r->incomplete), "cut short inside %s %llu (%lld of %llu bytes)",
				 tag == TAG_METADATA ? "the metadata," : "syscall", (unsigned long long)r->count + 1,
				 (long long)(st.st_size - ftello(r->f)), (unsigned long long)len);
			break;
		}
		if (tag == TAG_METADATA) {
			if (read_payload(r, len) < 0)
				goto fail;
			Msc__Metadata *m = msc__metadata__unpack(NULL, len, r->buf);
			if (!m) {
				snprintf(r->error, sizeof(r->error), "not a sperrips recording (metadata at byte %lld does not parse)", (long long)start);
				goto fail;
			}
			if (r->has_meta)
				tf_meta_free(&r->meta);
			meta_from_pb(&r->meta, m);
			r->has_meta = true;
			msc__metadata__free_unpacked(m, NULL);
		} else {
			if (first_item_byte < 0 && len > 0) {
				first_item_byte = getc(r->f);
				ungetc(first_item_byte, r->f);
			}
			r->count++;
			if (fseeko(r->f, (off_t)len, SEEK_CUR) < 0) {
				snprintf(r->error, sizeof(r->error), "seek failed: %s", strerror(errno));
				goto fail;
			}
		}
	}
	if (ferror(r->f)) {
		snprintf(r->error, sizeof(r->error), "read error: %s", strerror(errno));
		goto fail;
	}
	if (fields == 0) {
		snprintf(r->error, sizeof(r->error), st.st_size == 0 ? "empty file, not a sperrips recording"
								    : "not a sperrips recording (no complete field)");
		goto fail;
	}
	/* A DiffPair starts with a length-delimited field (tag 0x0a or 0x12);
	 * a Syscall with its varint type (0x08) or, for read (type 0), its
	 * entry arguments (0x12). Only `equal` settles 0x12 for sure. */
	r->kind = (saw_equal || first_item_byte == 0x0a) ? TF_DIFFERENCES : TF_RECORDING;
	if (!r->has_meta && !r->incomplete[0])
		snprintf(r->incomplete, sizeof(r->incomplete), "no metadata (the recorder stopped before finishing the file)");
	rewind(r->f);
	return r;
fail:
	snprintf(err, errlen, "%s: %s", path, r->error);
	tf_close(r);
	return NULL;
}

enum tf_kind tf_kind(const struct tf_reader *r)
{
	return r->kind;
}

const struct tf_meta *tf_meta(const struct tf_reader *r)
{
	return r->has_meta ? &r->meta : NULL;
}

uint64_t tf_count(const struct tf_reader *r)
{
	return r->count;
}

const char *tf_incomplete(const struct tf_reader *r)
{
	return r->incomplete[0] ? r->incomplete : NULL;
}

const char *tf_error(const struct tf_reader *r)
{
	return r->error;
}

static struct sp_bytes bytes_of(ProtobufCBinaryData b)
{
	return (struct sp_bytes){ b.data, b.len };
}

static int arg_from_pb(struct sp_event *ev, struct sp_arg *a, const Msc__Argument *p, const struct sp_arg *entry)
{
	memset(a, 0, sizeof(*a));
	a->kind = (uint8_t)p->type;
	a->value = p->int64 ? p->int64 : p->int32;
	a->ptr = p->ptr;
	if (p->ptr)
		a->flags |= SP_HAS_PTR;
	if (p->unreadable)
		a->flags |= SP_UNREADABLE;
	if (p->full_length) {
		a->flags |= SP_TRUNCATED;
		a->full_len = p->full_length;
	}
	if (p->same_as_entry && entry) {
		a->buf = entry->buf;
		a->name = entry->name;
		a->control = entry->control;
		a->items = entry->items;
		a->n_items = entry->n_items;
		a->flags |= SP_SAME_AS_ENTRY | (entry->flags & SP_HAS_BUF);
		return 0;
	}
	if (p->buffer.len) {
		a->buf = bytes_of(p->buffer);
		a->flags |= SP_HAS_BUF;
	} else if (p->ptr && !p->unreadable && (a->kind == K_CHAR_PTR || a->kind == K_VOID_PTR_FOLLOW ||
						 (a->kind == K_OUT_BUFFER && entry))) {
		/* proto3 cannot tell empty bytes from none: an empty string, an
		 * empty in-buffer and an out-buffer at exit were read, as 0 bytes. */
		a->flags |= SP_HAS_BUF;
	}
	size_t n = p->n_items;
	ProtobufCBinaryData *items = p->items;
	if (p->related && p->related->msghdr) {
		const Msc__StructMsghdr *m = p->related->msghdr;
		a->name = bytes_of(m->msg_name);
		a->control = bytes_of(m->msg_control);
		n = m->n_iov;
		items = m->iov;
		if (!n && m->iovec) {
			n = 1;
			items = &m->iovec->iov_data;
		}
	}
	if (n) {
		a->items = arena_alloc(ev->arena, n * sizeof(*a->items));
		if (!a->items)
			return -1;
		a->n_items = (uint32_t)n;
		for (size_t i = 0; i < n; i++)
			a->items[i] = bytes_of(items[i]);
	}
	return 0;
}

/* Fill `ev` (reset by the caller, before the unpacking) from `s`. */
static int event_from_pb(struct sp_event *ev, const Msc__Syscall *s)
{
	ev->nr = (uint32_t)s->type;
	ev->tid = s->tid;
	ev->is_exit_call = s->isexitcall;
	ev->unfinished = s->unfinished;
	size_t n = s->args_on_entry ? s->args_on_entry->n_args : 0;
	if (n > SP_MAX_ARGS)
		n = SP_MAX_ARGS;
	ev->nargs = (uint8_t)n;
	for (size_t i = 0; i < n; i++)
		if (arg_from_pb(ev, &ev->entry[i], s->args_on_entry->args[i], NULL) < 0)
			return -1;
	if (s->return_value) {
		ev->returned = true;
		if (arg_from_pb(ev, &ev->ret, s->return_value, NULL) < 0)
			return -1;
	}
	size_t m = s->args_on_exit ? s->args_on_exit->n_args : 0;
	for (size_t i = 0; i < m && i < SP_MAX_ARGS; i++)
		if (arg_from_pb(ev, &ev->exit[i], s->args_on_exit->args[i], i < n ? &ev->entry[i] : NULL) < 0)
			return -1;
	if (m > n && m <= SP_MAX_ARGS)
		ev->nargs = (uint8_t)m;
	for (size_t i = 0; i < s->n_difference && i < SP_MAX_DIFFS; i++) {
		const Msc__Difference *d = s->difference[i];
		struct sp_diff *x = &ev->diffs[ev->n_diffs++];
		x->arg = (uint8_t)d->arg;
		x->at_exit = d->at_exit;
		x->field = d->field;
		x->flag = d->flag;
		x->klass = (uint8_t)d->klass;
		x->offset = d->offset;
		x->replayed = d->replayed;
	}
	return 0;
}

static void drop_current(struct tf_reader *r)
{
	r->current = NULL; /* its memory belongs to the event's arena */
}

/* Advance to the next item field and unpack it with `desc` into `into`. */
static int next_item(struct tf_reader *r, const ProtobufCMessageDescriptor *desc, struct arena *into)
{
	drop_current(r);
	r->alloc.allocator_data = into;
	for (;;) {
		uint64_t tag, len;
		off_t start;
		int k = next_field(r, &tag, &len, &start);
		if (k <= 0)
			return k == 0 || !r->error[0] ? 0 : -1;
		if ((tag >> 3) == 3)
			continue;
		if (tag == TAG_METADATA) {
			if (fseeko(r->f, (off_t)len, SEEK_CUR) < 0)
				return -1;
			continue;
		}
		if (read_payload(r, len) < 0)
			return r->error[0] ? -1 : 0;
		r->current = protobuf_c_message_unpack(desc, &r->alloc, len, r->buf);
		if (!r->current) {
			snprintf(r->error, sizeof(r->error), "item at byte %lld does not parse", (long long)start);
			return -1;
		}
		return 1;
	}
}

int tf_next_event(struct tf_reader *r, struct sp_event *ev)
{
	event_reset(ev);
	int k = next_item(r, &msc__syscall__descriptor, ev->arena);
	if (k <= 0)
		return k;
	if (event_from_pb(ev, (Msc__Syscall *)r->current) < 0) {
		snprintf(r->error, sizeof(r->error), "out of memory");
		return -1;
	}
	return 1;
}

int tf_next_pair(struct tf_reader *r, struct sp_event *rec, struct sp_event *rep, uint64_t *index)
{
	event_reset(rec);
	event_reset(rep);
	int k = next_item(r, &msc__diff_pair__descriptor, rec->arena);
	if (k <= 0)
		return k;
	const Msc__DiffPair *p = (Msc__DiffPair *)r->current;
	if ((p->recorded && event_from_pb(rec, p->recorded) < 0) ||
	    (p->replayed && event_from_pb(rep, p->replayed) < 0)) {
		snprintf(r->error, sizeof(r->error), "out of memory");
		return -1;
	}
	if (index)
		*index = p->index;
	return 1;
}

int64_t tf_tell(const struct tf_reader *r)
{
	return (int64_t)ftello(r->f);
}

int tf_seek(struct tf_reader *r, int64_t off)
{
	return fseeko(r->f, (off_t)off, SEEK_SET);
}

void tf_close(struct tf_reader *r)
{
	if (!r)
		return;
	drop_current(r);
	if (r->f)
		fclose(r->f);
	if (r->has_meta)
		tf_meta_free(&r->meta);
	free(r->buf);
	free(r->path);
	free(r);
}
