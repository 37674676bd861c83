/* Writing recording and differences files as a stream (format.md): one
 * top-level field per syscall or pair, appended as it completes, the
 * metadata last (a recording's in two parts: a header before the first
 * syscall, a trailer after the last). Syscalls are encoded directly (see below); the metadata,
 * written once, goes through protobuf-c. */
#include "format/tracefile.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sperrips.pb-c.h"
#include "format/zframes.h"
#include "base/util.h"
#include "format/seal.h"

#define WBUF_SIZE (1u << 20)
#define PAGE_SIZE_ 4096u

/* ====================================================================== */
/* Writing                                                                */
/* ====================================================================== */

/* Where the bytes go until they are in the file. For a regular file that
 * can be preallocated, `buf` is a MAP_SHARED window of the file itself, at
 * file offset `base`: a syscall encoded into it is in the page cache at
 * once and survives a SIGKILL of the tracer (issue: no lost syscalls). The
 * window is preallocated with fallocate, so a full disk is an error here,
 * never a SIGBUS later; what lies past the data is zeros, which the reader
 * takes as the end of a recording whose writer was killed. For a pipe or a
 * file system without fallocate, `buf` is a plain buffer written out when
 * full: there a SIGKILL loses what it holds. */
struct tf_writer {
	ProtobufCBuffer pb;   /* first: protobuf-c appends through it (metadata) */
	int fd;
	int err;
	bool mapped;
	uint64_t written;
	uint64_t base;        /* mapped: file offset of buf[0] */
	size_t used;
	uint64_t items_done, items_safe; /* items encoded; items known to be in the file */
	uint8_t *buf;
	struct zf_writer *z;  /* compressing: each flush of buf is one zstd frame */
	uint8_t sink[128];    /* headers go here once an error stopped the writing */
	/* A signed recording (tf_writer_sign): every byte of a record passes
	 * through the chain as it is produced (w_tap), above where bytes go to
	 * the file; each record ends with its check (w_record_end). */
	struct seal_chain *chain;
	struct seal_signer signer;
};

static inline void w_tap(struct tf_writer *w, const void *p, size_t n)
{
	if (w->chain)
		seal_chain_feed(w->chain, p, n);
}

static int pwrite_all(int fd, const uint8_t *p, size_t n, uint64_t off)
{
	while (n) {
		ssize_t k = pwrite(fd, p, n, (off_t)off);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += k;
		n -= (size_t)k;
		off += (uint64_t)k;
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

/* Mapped: move the window so that it starts at the page holding file
 * offset `end` (the end of the data) and reserve its blocks. The bytes
 * before `end` are already in the file. */
static int window_at(struct tf_writer *w, uint64_t end)
{
	uint64_t base = end & ~(uint64_t)(PAGE_SIZE_ - 1);
	if (w->buf && w->buf != MAP_FAILED)
		munmap(w->buf, WBUF_SIZE);
	w->buf = NULL;
	int e = posix_fallocate(w->fd, (off_t)base, WBUF_SIZE);
	if (e)
		return -e;
	void *m = mmap(NULL, WBUF_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, w->fd, (off_t)base);
	if (m == MAP_FAILED)
		return -errno;
	w->buf = m;
	w->base = base;
	w->used = (size_t)(end - base);
	return 0;
}

int tf_flush(struct tf_writer *w)
{
	if (w->err) {
		w->used = 0;
		return w->err;
	}
	if (w->mapped) {
		w->err = window_at(w, w->base + w->used);
		if (!w->err)
			w->items_safe = w->items_done;
		return w->err;
	}
	if (w->used)
		w->err = w->z ? zf_write_frame(w->z, w->buf, w->used, NULL, 0) : write_all(w->fd, w->buf, w->used);
	if (!w->err)
		w->items_safe = w->items_done;
	w->used = 0;
	return w->err;
}

/* Bytes too large for the window: written at their place in the file. */
static void w_direct(struct tf_writer *w, const void *data, size_t len)
{
	if (w->err)
		return;
	if (w->mapped) {
		uint64_t at = w->base + w->used;
		w->err = pwrite_all(w->fd, data, len, at);
		if (!w->err)
			w->err = window_at(w, at + len);
		return;
	}
	if (w->z && len <= WBUF_SIZE - w->used) { /* frames of about WBUF_SIZE */
		memcpy(w->buf + w->used, data, len);
		w->used += len;
		return;
	}
	w->err = w->z ? zf_write_frame(w->z, w->buf, w->used, data, len)
		      : writev_all(w->fd, w->buf, w->used, data, len);
	w->used = 0;
}

static void w_append(ProtobufCBuffer *pb, size_t len, const uint8_t *data)
{
	struct tf_writer *w = (struct tf_writer *)pb;
	w_tap(w, data, len);
	w->written += len;
	if (w->err)
		return;
	if (len > WBUF_SIZE - w->used) {
		if (len >= WBUF_SIZE / 2) {
			w_direct(w, data, len);
			return;
		}
		tf_flush(w);
		if (w->err)
			return;
	}
	memcpy(w->buf + w->used, data, len);
	w->used += len;
}

struct tf_writer *tf_writer_open(const char *path)
{
	struct tf_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w->fd < 0)
		w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w->fd < 0) {
		int e = errno;
		free(w);
		errno = e;
		return NULL;
	}
	w->pb.append = w_append;
	struct stat st;
	if (fstat(w->fd, &st) == 0 && S_ISREG(st.st_mode) && lseek(w->fd, 0, SEEK_CUR) == 0) {
		w->mapped = true;
		int e = window_at(w, 0);
		if (e == -ENOSPC || e == -EFBIG) {
			close(w->fd);
			free(w);
			errno = -e;
			return NULL;
		}
		if (e) { /* no fallocate or no mmap here (or opened write-only): buffered */
			w->mapped = false;
			if (ftruncate(w->fd, 0) < 0 && !w->err) /* drop a partial reservation */
				w->err = -errno;
		}
	}
	if (!w->mapped) {
		w->buf = malloc(WBUF_SIZE);
		if (!w->buf) {
			close(w->fd);
			free(w);
			errno = ENOMEM;
			return NULL;
		}
	}
	return w;
}

bool tf_writer_durable(const struct tf_writer *w)
{
	return w->mapped;
}

int tf_writer_compress(struct tf_writer *w, int level)
{
	if (w->written || w->z)
		return -EINVAL;
	struct zf_writer *z = zf_writer_new(w->fd, level);
	if (!z)
		return -errno;
	if (w->mapped) { /* frames are written whole: through a buffer */
		munmap(w->buf, WBUF_SIZE);
		w->buf = NULL;
		w->mapped = false;
		w->used = 0;
		if (ftruncate(w->fd, 0) < 0 || !(w->buf = malloc(WBUF_SIZE))) {
			int e = -errno; /* ftruncate's, or malloc's ENOMEM */
			zf_writer_free(z);
			return w->err = e;
		}
	}
	w->z = z;
	return 0;
}

/* A record is complete: in a signed recording its check field follows,
 * itself outside the chain. */
static void w_record_end(struct tf_writer *w)
{
	if (!w->chain)
		return;
	uint8_t f[SEAL_CHECK_FIELD];
	seal_chain_end(w->chain, f);
	struct seal_chain *c = w->chain;
	w->chain = NULL;
	w_append(&w->pb, sizeof(f), f);
	w->chain = c;
}

int tf_writer_sign(struct tf_writer *w, const struct seal_signer *s)
{
	if (w->written || w->chain)
		return -EINVAL; /* the chain starts with the header */
	w->chain = seal_chain_new();
	if (!w->chain)
		return -ENOMEM;
	w->signer = *s;
	return 0;
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
	w_record_end(w);
	return w->err;
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
	if (w->err) /* nothing more reaches the file; encode into the sink */
		return w->sink;
	return w->buf + w->used;
}

static inline void e_end(struct tf_writer *w, uint8_t *p)
{
	if (!w->err) {
		w_tap(w, w->buf + w->used, (size_t)(p - (w->buf + w->used)));
		w->used = (size_t)(p - w->buf);
	}
}

/* Payload bytes: copied into the buffer, or, when large, written straight
 * from where they are together with the buffered headers. */
static void e_raw(struct tf_writer *w, const void *data, size_t len)
{
	w_tap(w, data, len);
	if (len >= BIG_PAYLOAD) {
		w_direct(w, data, len);
		return;
	}
	if (len > WBUF_SIZE - w->used)
		tf_flush(w);
	if (w->err)
		return;
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
	if (s->flags & SP_NOT_CAPTURED)
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
	if (s->flags & SP_NOT_CAPTURED) {
		p = put_v(p, T_VARINT(20));
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

/* Syscall fields 70-72 (issue 12): a file mapping's path, page digests and
 * the length they cover. Size, then encoding. */
static size_t map_fields_size(const struct sp_event *ev)
{
	size_t t = 0;
	if (ev->map_path && ev->map_path[0])
		t += ld_size(2, strlen(ev->map_path));
	if (ev->map_digests.len)
		t += ld_size(2, ev->map_digests.len);
	if (ev->map_len)
		t += 2 + vsize(ev->map_len);
	return t;
}

static void e_map_fields(struct tf_writer *w, const struct sp_event *ev)
{
	if (ev->map_path && ev->map_path[0])
		e_ld(w, T_LEN(70), (const uint8_t *)ev->map_path, strlen(ev->map_path));
	if (ev->map_digests.len)
		e_ld(w, T_LEN(71), ev->map_digests.data, ev->map_digests.len);
	if (ev->map_len) {
		uint8_t *p = e_begin(w, HDR_ROOM);
		p = put_v(p, T_VARINT(72));
		p = put_v(p, ev->map_len);
		e_end(w, p);
	}
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
	if (ev->exec_image.len)
		t += ld_size(2, ev->exec_image.len);
	if (ev->exec_interp.len)
		t += ld_size(2, ev->exec_interp.len);
	if (ev->file_digest.len)
		t += ld_size(2, ev->file_digest.len);
	z->ndiffs = ev->n_diffs > SP_MAX_DIFFS ? SP_MAX_DIFFS : ev->n_diffs;
	for (int i = 0; i < z->ndiffs; i++) {
		z->diff[i] = diff_size(&ev->diffs[i]);
		t += ld_size(2, z->diff[i]);
	}
	if (ev->seq)
		t += 2 + vsize(ev->seq);
	if (ev->seq_exit)
		t += 2 + vsize(ev->seq_exit);
	t += map_fields_size(ev);
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
	if (ev->exec_image.len)
		e_ld(w, T_LEN(50), ev->exec_image.data, ev->exec_image.len);
	if (ev->exec_interp.len)
		e_ld(w, T_LEN(51), ev->exec_interp.data, ev->exec_interp.len);
	if (ev->file_digest.len)
		e_ld(w, T_LEN(73), ev->file_digest.data, ev->file_digest.len);
	for (int i = 0; i < z->ndiffs; i++)
		e_diff(w, &ev->diffs[i], z->diff[i]);
	if (ev->seq || ev->seq_exit) {
		p = e_begin(w, HDR_ROOM);
		if (ev->seq) {
			p = put_v(p, T_VARINT(60));
			p = put_v(p, ev->seq);
		}
		if (ev->seq_exit) {
			p = put_v(p, T_VARINT(61));
			p = put_v(p, ev->seq_exit);
		}
		e_end(w, p);
	}
	e_map_fields(w, ev);
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
	w_record_end(w);
	if (!w->err && ++w->items_done && w->mapped)
		w->items_safe = w->items_done;
	return w->err;
}

int tf_write_signal(struct tf_writer *w, const struct sp_event *ev)
{
	Msc__Signal s;
	msc__signal__init(&s);
	s.signo = (uint32_t)ev->sig.signo;
	s.tid = ev->tid;
	s.seq = ev->seq;
	s.siginfo = (ProtobufCBinaryData){ ev->sig.siginfo.len, (uint8_t *)ev->sig.siginfo.data };
	s.interrupted = ev->sig.interrupted;
	s.exited = ev->sig.exited;
	s.at_exit = ev->sig.at_exit;
	s.status = ev->sig.status;
	s.exit_stop_seq = ev->sig.exit_stop_seq;
	size_t size = protobuf_c_message_get_packed_size(&s.base);
	uint8_t *p = e_begin(w, HDR_ROOM);
	p = put_v(p, TAG_SIGNAL);
	p = put_v(p, size);
	e_end(w, p);
	protobuf_c_message_pack_to_buffer(&s.base, &w->pb);
	/* the body went through w_append, which counted it */
	w->written += vsize(TAG_SIGNAL) + vsize(size);
	w_record_end(w);
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
	w_record_end(w);
	return w->err;
}

int tf_write_equal(struct tf_writer *w, bool equal)
{
	uint8_t b[2] = { TAG_EQUAL, equal ? 1 : 0 };
	w_append(&w->pb, 2, b);
	w_record_end(w);
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

enum meta_part { META_WHOLE, META_HEADER, META_TRAILER };

/* Protobuf merges a message field that occurs twice: scalars and strings
 * of the later one win, repeated fields are concatenated. So the header
 * leaves out the repeated ranges (known at the end), the trailer the
 * command (argv and env would be doubled); the rest may occur in both. */
static int write_meta(struct tf_writer *w, const struct tf_meta *m, enum meta_part part)
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
	md.command = part == META_TRAILER ? NULL : &cmd;
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
	aslr.n_ranges = part == META_HEADER ? 0 : m->n_ranges;
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
	md.stdout_kind = m->stdout_kind ? m->stdout_kind : "";
	md.stderr_kind = m->stderr_kind ? m->stderr_kind : "";
	md.number_of_signals = m->number_of_signals;
	md.backend = m->backend ? m->backend : "";
	md.lost_records = m->lost_records;
	md.started_ns = m->started_ns;
	md.ended_ns = part == META_HEADER ? 0 : m->ended_ns;
	md.metadata_part = part == META_HEADER ? 1 : part == META_TRAILER ? 2 : 0;
	md.setting_recorded = m->setting_recorded;
	md.signals_ignored = m->sig_ignored;
	md.signals_blocked = m->sig_blocked;
	md.stdout_flags = m->std_flags[0];
	md.stderr_flags = m->std_flags[1];
	md.net_raw = m->net_raw;
	if (w->chain && part == META_HEADER) /* announces the chain from the first record on */
		md.signer = (ProtobufCBinaryData){ SEAL_PUBLIC_BYTES, w->signer.pub };
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

int tf_write_metadata(struct tf_writer *w, const struct tf_meta *m)
{
	return write_meta(w, m, META_WHOLE);
}

int tf_write_header(struct tf_writer *w, const struct tf_meta *m)
{
	int r = write_meta(w, m, META_HEADER);
	/* Compressed, the header is a frame of its own: a file cut short, or
	 * a pipe read live, says what ran whatever follows. */
	if (!r && w->z)
		r = tf_flush(w);
	return r;
}

int tf_write_trailer(struct tf_writer *w, const struct tf_meta *m)
{
	int r = write_meta(w, m, META_TRAILER);
	if (r || !w->chain)
		return r;
	/* The seal ends a signed recording: outside the chain it closes. */
	uint8_t f[SEAL_TAG_BYTES + 1 + SEAL_BODY_BYTES] = { SEAL_TAG_SEAL, 0x01, SEAL_BODY_BYTES };
	seal_make(w->chain, &w->signer, f + SEAL_TAG_BYTES + 1);
	struct seal_chain *c = w->chain;
	w->chain = NULL;
	w_append(&w->pb, sizeof(f), f);
	free(c);
	return w->err;
}

uint64_t tf_written(const struct tf_writer *w)
{
	return w->written;
}

uint64_t tf_items_in_file(const struct tf_writer *w)
{
	return w->items_safe;
}

int tf_writer_close(struct tf_writer *w)
{
	if (!w)
		return 0;
	int r;
	if (w->mapped) {
		/* the data is in the file already; cut the zeros past it */
		uint64_t end = w->base + w->used;
		if (w->buf)
			munmap(w->buf, WBUF_SIZE);
		r = w->err;
		if (ftruncate(w->fd, (off_t)end) < 0 && !r)
			r = -errno;
	} else {
		tf_flush(w);
		r = w->err;
		free(w->buf);
		zf_writer_free(w->z);
	}
	if (close(w->fd) < 0 && !r)
		r = -errno;
	free(w->chain);
	sodium_memzero(&w->signer, sizeof(w->signer));
	free(w);
	return r;
}

