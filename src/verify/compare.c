#include "verify/compare.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/render.h"
#include "syscalls/structs.h"
#include "syscalls/table.h"
#include "verify/exec_compare.h"
#include "verify/map_compare.h"

size_t compare_common_prefix(struct sp_bytes a, struct sp_bytes b)
{
	size_t n = a.len < b.len ? a.len : b.len, i = 0;
	if (n && memcmp(a.data, b.data, n) == 0)
		return n;
	while (i < n && a.data[i] == b.data[i])
		i++;
	return i;
}

static bool same(struct sp_bytes a, struct sp_bytes b)
{
	return a.len == b.len && (a.len == 0 || a.data == b.data || memcmp(a.data, b.data, a.len) == 0);
}

struct cmp {
	struct compare_ctx *c;
	const struct sp_event *rec;
	struct sp_event *rep;
	const char *name;
	bool at_exit;
	bool dirents;      /* getdents64: its buffer is a directory listing */
	int added;
	/* Rule for the bytes read and the count returned when the descriptor
	 * says what they are (random device, /proc counters, pipe chunks). */
	const struct policy_rule *source;
	int source_arg;    /* the argument holding those bytes */
	bool ret_done;     /* the return value was compared already */
};

/* The slot for one more difference. When all are taken, a must-match
 * difference takes the place of the last acceptable one: the verdict must
 * never lose one. NULL: the difference is only counted. */
static struct sp_diff *slot(struct cmp *x, uint8_t klass)
{
	struct sp_event *ev = x->rep;
	if (ev->n_diffs < SP_MAX_DIFFS)
		return &ev->diffs[ev->n_diffs++];
	x->c->dropped++;
	if (klass != PC_MUST)
		return NULL;
	for (int k = SP_MAX_DIFFS - 1; k >= 0; k--)
		if (ev->diffs[k].klass != PC_MUST)
			return &ev->diffs[k];
	x->c->dropped_must++;
	return NULL;
}

/* Record one difference, unless the policy says to ignore it. */
static void add(struct cmp *x, int arg, const char *field, uint32_t flag, uint64_t offset)
{
	int parg = arg < 0 ? POLICY_RET : arg;
	const struct policy_rule *r = policy_lookup_user(x->c->pol, x->name, parg, field);
	if (!r && x->source && (arg < 0 ? !strcmp(field, "value") : arg == x->source_arg && strcmp(field, "ptr")))
		r = x->source;
	if (!r)
		r = policy_lookup(NULL, x->name, parg, field);
	uint8_t klass = r ? r->klass : PC_MUST;
	if (klass == PC_IGNORE)
		return;
	struct sp_diff *d = slot(x, klass);
	if (!d)
		return;
	memset(d, 0, sizeof(*d));
	d->arg = (uint8_t)(arg < 0 ? 0 : arg + 1);
	d->at_exit = x->at_exit;
	d->klass = klass;
	d->flag = r && r->flag ? r->flag : flag;
	d->offset = offset;
	d->field = field;
	d->label = r ? r->label : NULL;
	x->added++;
}

/* Is the file with recorded digest `md` found changed for the first time?
 * (Past the table's size every one counts as first.) */
static bool first_change(struct compare_ctx *c, struct sp_bytes md)
{
	size_t n = c->n_changed_files < 32 ? c->n_changed_files : 32;
	if (md.len != sizeof(c->changed_files[0]))
		return true;
	for (size_t i = 0; i < n; i++)
		if (!memcmp(c->changed_files[i], md.data, md.len))
			return false;
	memcpy(c->changed_files[c->n_changed_files++ % 32], md.data, md.len);
	return true;
}

static void pointer(struct cmp *x, int arg, const char *field, uint64_t rec, uint64_t rep)
{
	if (!ptrmap_check(x->c->ptrs, rec, rep)) {
		if (!x->c->threads_interleave) {
			add(x, arg, field, RF_WRONG_POINTER, 0);
			return;
		}
		struct sp_diff *d = slot(x, PC_ACCEPT);
		if (d)
			*d = (struct sp_diff){ .arg = (uint8_t)(arg + 1), .at_exit = x->at_exit, .klass = PC_ACCEPT,
					       .flag = RF_WRONG_POINTER, .field = field, .label = "scheduling" };
		x->added++;
	}
	else if (rec != rep)
		x->c->mapped++;
}

static uint32_t content_flag(unsigned kind)
{
	if (kind == K_STRUCT_STAT || kind == K_STRUCT_STATX)
		return RF_STAT_DIFFERS;
	if (kind == K_STRUCT_UTSNAME)
		return RF_UNAME_DIFFERENT;
	return RF_UNEXPECTED_MEMORY_CONTENT;
}

/* The bytes of a socket address the kernel looks at: a pathname socket's
 * path ends at its NUL, an IPv4 address has 8 bytes of padding; the rest
 * is whatever was on the program's stack. */
static size_t sockaddr_len(struct sp_bytes a)
{
	if (a.len < 2)
		return a.len;
	unsigned family = (unsigned)(a.data[0] | a.data[1] << 8);
	size_t n = a.len;
	if (family == 1 && a.len > 2 && a.data[2]) {
		n = 2;
		while (n < a.len && a.data[n])
			n++;
	} else if (family == 2 && a.len > 8) {
		n = 8;
	} else if (family == 10 && a.len > 28) {
		n = 28;
	}
	return n;
}

static bool is_dir(unsigned kind, struct sp_bytes b)
{
	if (kind == K_STRUCT_STAT && b.len >= 28)
		return ((b.data[24] | b.data[25] << 8) & S_IFMT) == S_IFDIR;
	if (kind == K_STRUCT_STATX && b.len >= 30)
		return ((b.data[28] | b.data[29] << 8) & S_IFMT) == S_IFDIR;
	return false;
}

/* The name a field's difference goes by: a directory's size, blocks and
 * link count (2 + its subfolders, /tmp's change all the time) have their
 * own (acceptable) class, a file's must match. */
static const char *field_name(const struct sfield *f, bool dirs)
{
	static const char *const dir_names[][2] = {
		{ "st_size", "dir_st_size" }, { "st_blocks", "dir_st_blocks" }, { "st_nlink", "dir_st_nlink" },
		{ "stx_size", "dir_stx_size" }, { "stx_blocks", "dir_stx_blocks" }, { "stx_nlink", "dir_stx_nlink" },
	};
	for (size_t i = 0; dirs && i < sizeof(dir_names) / sizeof(dir_names[0]); i++)
		if (!strcmp(f->name, dir_names[i][0]))
			return dir_names[i][1];
	return f->name;
}

/* A pointer inside an in-out struct (msghdr's buffers) that the kernel
 * left as it was: checked against the address map at entry already, and
 * said once. */
static bool checked_at_entry(const struct cmp *x, int arg, size_t off, uint64_t u, uint64_t v)
{
	if (!x->at_exit || arg < 0 || arg >= x->rec->nargs || arg >= x->rep->nargs)
		return false;
	const struct sp_arg *ea = &x->rec->entry[arg], *eb = &x->rep->entry[arg];
	if (!(ea->flags & eb->flags & SP_HAS_BUF) || off + 8 > ea->buf.len || off + 8 > eb->buf.len)
		return false;
	uint64_t eu, ev;
	memcpy(&eu, ea->buf.data + off, 8);
	memcpy(&ev, eb->buf.data + off, 8);
	return eu == u && ev == v;
}

/* Bytes of a struct (or an array of them) field by field, pointers mapped. */
static void struct_bytes(struct cmp *x, int arg, unsigned kind, struct sp_bytes a, struct sp_bytes b)
{
	if (kind == K_STRUCT_SOCKADDR) {
		a.len = sockaddr_len(a);
		b.len = sockaddr_len(b);
	}
	const struct slayout *l = struct_layout_for(x->rep->desc, arg, kind); /* the row may name the struct */
	if (!l || a.len != b.len) {
		if (!same(a, b))
			add(x, arg, "buffer", content_flag(kind), compare_common_prefix(a, b));
		return;
	}
	size_t elem = struct_elem_size(kind) ? struct_elem_size(kind) : a.len;
	bool dirs = is_dir(kind, a) && is_dir(kind, b);
	for (size_t base = 0; base + elem <= a.len; base += elem) {
		size_t covered = 0;
		for (size_t i = 0; i < l->n; i++) {
			const struct sfield *f = &l->f[i];
			if (f->off >= elem)
				continue;
			if ((f->flags & SF_PADDING) || (!x->at_exit && (f->flags & SF_NOT_INPUT))) {
				covered = f->off + f->size > covered ? f->off + f->size : covered;
				continue;
			}
			/* A variable-length struct (sockaddr) may end inside its last field. */
			size_t size = f->off + f->size > elem ? elem - f->off : f->size;
			covered = f->off + size > covered ? f->off + size : covered;
			const uint8_t *p = a.data + base + f->off, *q = b.data + base + f->off;
			if (f->type == FT_PTR && size == 8) {
				uint64_t u, v;
				memcpy(&u, p, 8);
				memcpy(&v, q, 8);
				if (!checked_at_entry(x, arg, base + f->off, u, v))
					pointer(x, arg, f->name, u, v);
			} else if (memcmp(p, q, size)) {
				add(x, arg, field_name(f, dirs), content_flag(kind), base + f->off);
			}
		}
		if (covered < elem && memcmp(a.data + base + covered, b.data + base + covered, elem - covered))
			add(x, arg, "buffer", content_flag(kind), base + covered);
	}
}

/* A received IPv4 packet (raw sockets hand over the IP header): the
 * identification and the header checksum that covers it are chosen by the
 * sending kernel; every other byte must match. Returns false if the data is
 * not an IPv4 packet of the same length. */
static bool ipv4_packet(struct cmp *x, int arg, struct sp_bytes a, struct sp_bytes b, uint64_t base)
{
	if (a.len != b.len || a.len < 20 || (a.data[0] >> 4) != 4 || (a.data[0] & 15) * 4u > a.len)
		return false;
	static const struct { const char *name; size_t off, size; } f[] = {
		{ "ip_id", 4, 2 }, { "ip_sum", 10, 2 },
	};
	size_t at = 0;
	for (size_t i = 0; i <= 2; i++) {
		size_t end = i < 2 ? f[i].off : a.len;
		if (memcmp(a.data + at, b.data + at, end - at)) {
			struct sp_bytes ra = { a.data + at, end - at }, rb = { b.data + at, end - at };
			add(x, arg, "data", RF_UNEXPECTED_MEMORY_CONTENT, base + at + compare_common_prefix(ra, rb));
			return true;
		}
		if (i < 2) {
			if (memcmp(a.data + f[i].off, b.data + f[i].off, f[i].size))
				add(x, arg, f[i].name, RF_UNEXPECTED_MEMORY_CONTENT, base + f[i].off);
			at = f[i].off + f[i].size;
		}
	}
	return true;
}

/* Ancillary data, message by message: receive timestamps are clock values. */
static void control_data(struct cmp *x, int arg, struct sp_bytes a, struct sp_bytes b)
{
	size_t off = 0;
	while (a.len == b.len && off + 16 <= a.len) {
		uint64_t len, blen;
		uint32_t level, type;
		memcpy(&len, a.data + off, 8);
		memcpy(&blen, b.data + off, 8);
		memcpy(&level, a.data + off + 8, 4);
		memcpy(&type, a.data + off + 12, 4);
		if (len != blen || len < 16 || off + len > a.len || memcmp(a.data + off + 8, b.data + off + 8, 8))
			break;
		bool stamp = level == 1 && (type == 29 || type == 35 || type == 37); /* SO_TIMESTAMP(NS|ING) */
		if (memcmp(a.data + off + 16, b.data + off + 16, len - 16))
			add(x, arg, stamp ? "cmsg_timestamp" : "msg_control_data", RF_UNEXPECTED_MEMORY_CONTENT, off + 16);
		off += (len + 7) & ~(uint64_t)7;
	}
	if (off < a.len || off < b.len) {
		struct sp_bytes ra = { a.data + off, a.len > off ? a.len - off : 0 };
		struct sp_bytes rb = { b.data + off, b.len > off ? b.len - off : 0 };
		if (!same(ra, rb))
			add(x, arg, "msg_control_data", RF_UNEXPECTED_MEMORY_CONTENT, off + compare_common_prefix(ra, rb));
	}
}

static void items(struct cmp *x, int arg, const struct sp_arg *a, const struct sp_arg *b)
{
	if (a->n_items != b->n_items) {
		add(x, arg, "items", RF_UNEXPECTED_MEMORY_CONTENT, 0);
		return;
	}
	uint64_t off = 0;
	for (uint32_t i = 0; i < a->n_items; i++) {
		if (a->kind == K_STRUCT_MSGHDR && x->at_exit && i == 0 &&
		    ipv4_packet(x, arg, a->items[0], b->items[0], 0)) {
			off += a->items[i].len;
			continue;
		}
		if (!same(a->items[i], b->items[i])) {
			add(x, arg, a->kind == K_STRING_ARRAY ? "strings" : "data", RF_UNEXPECTED_MEMORY_CONTENT,
			    off + compare_common_prefix(a->items[i], b->items[i]));
			return;
		}
		off += a->items[i].len;
	}
}

/* One entry of a getdents64 listing. */
struct dent {
	const char *name;
	size_t len;
	uint8_t type;
	size_t off;  /* of the entry in the buffer */
};

/* The entries of a linux_dirent64 buffer (ino 8, off 8, reclen 2, type 1,
 * name NUL-terminated); NULL if it is not one. */
static struct dent *parse_dents(struct sp_bytes b, size_t *n)
{
	size_t cap = b.len / 20 + 1, k = 0;
	struct dent *v = malloc(cap * sizeof(*v));
	if (!v)
		return NULL;
	for (size_t off = 0; off < b.len;) {
		uint16_t reclen;
		if (off + 20 > b.len)
			goto bad;
		memcpy(&reclen, b.data + off + 16, 2);
		if (reclen < 20 || off + reclen > b.len || k == cap)
			goto bad;
		const char *name = (const char *)b.data + off + 19;
		size_t len = strnlen(name, reclen - 19);
		if (len == reclen - 19u)
			goto bad;
		v[k++] = (struct dent){ name, len, b.data[off + 18], off };
		off += reclen;
	}
	*n = k;
	return v;
bad:
	free(v);
	return NULL;
}

static int dent_cmp(const void *p, const void *q)
{
	const struct dent *a = p, *b = q;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, n);
	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return (int)a->type - (int)b->type;
}

static bool same_dent(const struct dent *a, const struct dent *b)
{
	return dent_cmp(a, b) == 0;
}

static struct dirent_name *names_of(const struct dent *v, size_t n)
{
	struct dirent_name *o = malloc((n ? n : 1) * sizeof(*o));
	for (size_t i = 0; o && i < n; i++)
		o[i] = (struct dirent_name){ v[i].name, v[i].len, v[i].type };
	return o;
}

/* A directory listing: the names and types in it must match; inode
 * numbers, positions (d_off) and the order follow the file system's
 * history. With c->dirs the listing is compared as a whole, across its
 * getdents64 calls (another order moves entries from one call to the
 * next); without, call by call. Returns false if either buffer is not a
 * listing or the call failed: compared as bytes then. */
static bool dirents(struct cmp *x, int arg)
{
	struct compare_ctx *c = x->c;
	const struct sp_arg *pa = &x->rec->exit[arg], *pb = &x->rep->exit[arg];
	int64_t ra = (int64_t)x->rec->ret.value, rb = (int64_t)x->rep->ret.value;
	if (ra < 0 || rb < 0 || ((pa->flags | pb->flags) & (SP_TRUNCATED | SP_UNREADABLE)))
		return false;
	struct sp_bytes a = pa->flags & SP_HAS_BUF ? pa->buf : (struct sp_bytes){ NULL, 0 };
	struct sp_bytes b = pb->flags & SP_HAS_BUF ? pb->buf : (struct sp_bytes){ NULL, 0 };
	size_t na, nb;
	struct dent *u = parse_dents(a, &na), *v = u ? parse_dents(b, &nb) : NULL;
	if (!u || !v) {
		free(u);
		return false;
	}
	uint64_t key = dirlists_key(x->rep->tid, (int)x->rep->entry[0].value);
	bool pending = c->dirs && dirlists_pending(c->dirs, key);
	size_t k = 0;
	while (k < na && k < nb && same_dent(&u[k], &v[k]))
		k++;
	if (k == na && k == nb && !pending && !(c->dirs && ra == 0 && dirlists_pending(c->dirs, key))) {
		if (!same(a, b))
			add(x, arg, "d_ino", RF_UNEXPECTED_MEMORY_CONTENT, 0);
	} else if (c->dirs) {
		struct dirent_name *un = names_of(u + k, na - k), *vn = names_of(v + k, nb - k);
		int e = un && vn ? dirlists_feed(c->dirs, key, un, na - k, vn, nb - k) : -ENOMEM;
		free(un);
		free(vn);
		if (e < 0) {
			free(u);
			free(v);
			return false;
		}
		/* The recorded listing ends here: nothing may be left on one side. */
		if (ra == 0) {
			sb_clear(&c->why);
			sb_puts(&c->why, "the directory listing differs: ");
			if (!dirlists_end(c->dirs, key, &c->why))
				add(x, arg, "dir_listing", RF_UNEXPECTED_MEMORY_CONTENT, 0);
		}
		/* Entries moved between calls: this call's bytes and count. */
		x->source = policy_lookup(NULL, "*", arg, "dirent_order");
		x->source_arg = arg;
		if (!same(a, b))
			add(x, arg, "dirent_order", RF_UNEXPECTED_MEMORY_CONTENT, 0);
		if (ra != rb)
			add(x, -1, "value", RF_WRONG_INTEGER, 0);
		x->ret_done = true;
	} else {
		bool same_set = na == nb;
		if (same_set) {
			qsort(u, na, sizeof(*u), dent_cmp);
			qsort(v, nb, sizeof(*v), dent_cmp);
			for (size_t i = 0; i < na && same_set; i++)
				same_set = same_dent(&u[i], &v[i]);
		}
		if (same_set)
			add(x, arg, "dirent_order", RF_UNEXPECTED_MEMORY_CONTENT, 0);
		else
			add(x, arg, "d_name", RF_UNEXPECTED_MEMORY_CONTENT, k < na ? u[k].off + 19 : a.len);
	}
	free(u);
	free(v);
	return true;
}

static void mount_table_check(struct cmp *x, int arg, uint64_t key, bool whole);

/* Descriptor number `fd` was closed or made anew: a listing read through
 * it is over, whether or not the program read it to its end. */
static void listing_gone(struct cmp *x, int fd)
{
	struct strbuf *sb = &x->c->why;
	sb_clear(sb);
	sb_puts(sb, "the directory listing differs: ");
	if (dirlists_forget_fd(x->c->dirs, fd, sb))
		add(x, 0, "dir_listing", RF_UNEXPECTED_MEMORY_CONTENT, 0);
	/* A mount table closed before its end: what was read must agree. */
	if (texts_any(x->c->texts))
		mount_table_check(x, 0, dirlists_key(x->rep->tid, fd), false);
	texts_drop_fd(x->c->texts, fd);
}

int compare_finish(struct compare_ctx *c, struct strbuf *sb)
{
	return streams_report_unmatched(c->streams, sb) + dirlists_report_left(c->dirs, sb) +
	       wstreams_report(c->wstreams, sb);
}

/* write(fd, buf, n) of threads that interleave otherwise than recorded:
 * its bytes go to the output compared whole at the end. True if taken. */
static bool output_write(struct cmp *x, int i, const struct sp_arg *a, const struct sp_arg *b)
{
	struct compare_ctx *c = x->c;
	if (!c->wstreams || !c->threads_interleave || !c->source || x->at_exit || i != 1 || strcmp(x->name, "write") ||
	    ((a->flags | b->flags) & SP_TRUNCATED) || x->rep->nargs < 3)
		return false;
	int fd = (int)x->rep->entry[0].value;
	uint64_t id = 0;
	int src = c->source(c->source_arg, x->rep->tid, fd, &id);
	if ((src != PS_NONE && src != PS_PIPE) || !id)
		return false;
	char buf[256];
	const char *name = c->name ? c->name(c->source_arg, x->rep->tid, fd, buf, sizeof(buf)) : NULL;
	if (!name) {
		snprintf(buf, sizeof(buf), "inode %" PRIu64, id);
		name = buf;
	}
	/* A pipe's read streams use its inode: the written side is apart. */
	return wstreams_add(c->wstreams, id | (1ull << 63), name, x->rec->seq, a->buf, b->buf) == 0;
}

static bool is_pointer_arg(const struct sp_arg *a)
{
	return (a->flags & SP_HAS_PTR) || a->kind == K_VOID_ADDR;
}

/* Two valid descriptor numbers that differ: the replay's descriptor table
 * is not the recording's, and writing the recorded number back would point
 * the program at another file (or at nothing it can wait on). */
static bool fd_numbers_differ(int64_t a, int64_t b)
{
	return a >= 0 && b >= 0 && a != b;
}

static void compare_arg(struct cmp *x, int i, const struct sp_arg *a, const struct sp_arg *b)
{
	const struct sc_desc *d = x->rep->desc;
	if (d && i < d->nargs && d->args[i].fmt == F_FD && a->kind == K_INT_ARRAY && b->kind == K_INT_ARRAY &&
	    (a->flags & b->flags & SP_HAS_BUF) && a->buf.len == 8 && b->buf.len == 8) {
		int32_t u[2], v[2];
		memcpy(u, a->buf.data, 8);
		memcpy(v, b->buf.data, 8);
		if (!x->at_exit)
			pointer(x, i, "ptr", a->ptr, b->ptr);
		if (fd_numbers_differ(u[0], v[0]) || fd_numbers_differ(u[1], v[1]))
			add(x, i, "fds", RF_UNDEFINED_SYSTEM_STATE, 0);
		else if (memcmp(u, v, 8))
			add(x, i, "fds", RF_UNEXPECTED_MEMORY_CONTENT, 0);
		return;
	}
	if (a->kind != b->kind) {
		add(x, i, "type", RF_UNEXPECTED_ARGUMENT, 0);
		return;
	}
	if (!is_pointer_arg(a) && !is_pointer_arg(b)) {
		if (a->value != b->value)
			add(x, i, "value", a->kind == K_RAW ? RF_UNKNOWN_PARAMETER_TYPE : RF_UNEXPECTED_ARGUMENT_VALUE, 0);
		return;
	}
	/* A pointer argument is the same register at exit: checked once, at entry. */
	if (!x->at_exit)
		pointer(x, i, "ptr", a->ptr, b->ptr);
	/* Bytes the recorder could not capture (bpf backend): unverified, the
	 * length read from them (socklen) with them. */
	if (a->flags & SP_NOT_CAPTURED)
		return;
	/* The length the call named (out-buffers, socklen) must be the same; at
	 * exit it is the length filled, which the buffer comparison covers. */
	if (!x->at_exit && a->value != b->value && a->kind != K_CHAR_PTR && a->kind != K_STRING_ARRAY)
		add(x, i, "length", RF_UNEXPECTED_ARGUMENT_VALUE, 0);
	bool ha = a->flags & SP_HAS_BUF, hb = b->flags & SP_HAS_BUF;
	if (ha != hb) {
		/* An empty buffer is stored as no buffer; only a real read counts. */
		if ((ha ? a->buf.len : b->buf.len) != 0 || ((a->flags ^ b->flags) & SP_UNREADABLE))
			add(x, i, "buffer", RF_UNEXPECTED_MEMORY_CONTENT, 0);
	} else if (ha) {
		struct_bytes(x, i, a->kind, a->buf, b->buf);
	}
	if (a->n_items || b->n_items)
		items(x, i, a, b);
	if (a->kind == K_STRUCT_MSGHDR) {
		if (!same(a->name, b->name))
			add(x, i, "msg_name_data", RF_UNEXPECTED_MEMORY_CONTENT, compare_common_prefix(a->name, b->name));
		if (!same(a->control, b->control))
			control_data(x, i, a->control, b->control);
	}
}

/* The argument holding the bytes a call reads from its descriptor (read,
 * pread64, readv, preadv, recvfrom, getdents64): 0 if it has none. */
static int read_buffer_arg(const struct sc_desc *d)
{
	if (!d || d->nargs < 2 || d->args[0].fmt != F_FD || d->args[1].dir != D_OUT)
		return 0;
	return d->args[1].size == S_RET || d->args[1].size == S_IOV_RET ? 1 : 0;
}

/* The bytes a read delivered: the buffer, or a readv's pieces joined
 * (into *tmp, freed by the caller). */
static struct sp_bytes read_bytes(const struct sp_arg *a, uint8_t **tmp)
{
	if (!a->n_items)
		return a->buf;
	size_t n = 0;
	for (uint32_t i = 0; i < a->n_items; i++)
		n += a->items[i].len;
	*tmp = malloc(n ? n : 1);
	if (!*tmp)
		return (struct sp_bytes){ NULL, 0 };
	n = 0;
	for (uint32_t i = 0; i < a->n_items; i++) {
		memcpy(*tmp + n, a->items[i].data, a->items[i].len);
		n += a->items[i].len;
	}
	return (struct sp_bytes){ *tmp, n };
}

static bool same_read(const struct sp_arg *a, const struct sp_arg *b)
{
	if (!same(a->buf, b->buf) || a->n_items != b->n_items)
		return false;
	for (uint32_t i = 0; i < a->n_items; i++)
		if (!same(a->items[i], b->items[i]))
			return false;
	return true;
}

static bool digits(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return n > 0;
}

/* mountinfo's numbers that name a mount rather than describe it: the
 * mount id, the parent's id, the device number (fields 1 to 3), and the
 * peer groups of optional fields (shared:N, master:N, propagate_from:N).
 * The host hands them out in order, so they differ from run to run. */
static bool mount_id_token(const uint8_t *t, size_t n, int field)
{
	if (field <= 2)
		return digits(t, n);
	if (field == 3) {
		const uint8_t *c = memchr(t, ':', n);
		return c && digits(t, (size_t)(c - t)) && digits(c + 1, n - (size_t)(c - t) - 1);
	}
	static const char *const tags[] = { "shared:", "master:", "propagate_from:" };
	for (size_t i = 0; i < 3; i++) {
		size_t k = strlen(tags[i]);
		if (n > k && !memcmp(t, tags[i], k) && digits(t + k, n - k))
			return true;
	}
	return false;
}

/* A mount table (mounts or mountinfo) with what names mounts on this host
 * cut out: the values of the overlay's host folders (lowerdir=, upperdir=,
 * workdir=) and mountinfo's ids. Into a new buffer (NULL: no memory). */
static char *mounts_without_folders(struct sp_bytes b, size_t *n)
{
	static const char *const keys[] = { "lowerdir=", "upperdir=", "workdir=" };
	char *out = malloc(b.len + 1);
	if (!out)
		return NULL;
	size_t k = 0;
	int field = 1;          /* space-separated field of the line, from 1 */
	bool info = false;      /* the line is mountinfo's (starts with a number) */
	for (size_t i = 0; i < b.len;) {
		if (i == 0 || b.data[i - 1] == '\n') {
			size_t e = i;
			while (e < b.len && b.data[e] != ' ' && b.data[e] != '\n')
				e++;
			info = digits(b.data + i, e - i);
			field = 1;
		}
		if (b.data[i] == ' ' || b.data[i] == '\n') {
			field = b.data[i] == ' ' ? field + 1 : 1;
			out[k++] = (char)b.data[i++];
			continue;
		}
		if (info && (i == 0 || b.data[i - 1] == ' ' || b.data[i - 1] == '\n')) {
			size_t e = i;
			while (e < b.len && b.data[e] != ' ' && b.data[e] != '\n')
				e++;
			if (mount_id_token(b.data + i, e - i, field)) {
				out[k++] = '#';
				i = e;
				continue;
			}
		}
		size_t key = 0;
		for (size_t j = 0; j < 3 && !key; j++) {
			size_t kl = strlen(keys[j]);
			/* An option starts the options field (after a blank) or follows a comma. */
			if (i && (b.data[i - 1] == ',' || b.data[i - 1] == ' ') && i + kl <= b.len &&
			    !memcmp(b.data + i, keys[j], kl))
				key = kl;
		}
		if (!key) {
			out[k++] = (char)b.data[i++];
			continue;
		}
		memcpy(out + k, b.data + i, key);
		k += key;
		i += key;
		while (i < b.len && b.data[i] != ',' && b.data[i] != ' ' && b.data[i] != '\n')
			i++;
	}
	*n = k;
	return out;
}

static bool same_mounts(struct sp_bytes a, struct sp_bytes b)
{
	size_t na, nb;
	char *u = mounts_without_folders(a, &na), *v = u ? mounts_without_folders(b, &nb) : NULL;
	bool eq = u && v && na == nb && !memcmp(u, v, na);
	free(u);
	free(v);
	return eq;
}

/* The mount table read through `fd` so far, compared without what names
 * mounts on this host; a difference is one "mount_table" line. `whole`:
 * read to its end; otherwise (closed before, as busybox df reads only its
 * first 1 KiB) the two runs stopped at places that depend on the length of
 * the host's folder names, so only the lines both read whole are compared. */
static void mount_table_check(struct cmp *x, int arg, uint64_t key, bool whole)
{
	struct sp_bytes a, b;
	if (!texts_get(x->c->texts, key, &a, &b))
		return;
	size_t na, nb;
	char *u = mounts_without_folders(a, &na), *v = u ? mounts_without_folders(b, &nb) : NULL;
	if (u && v && !whole) {
		size_t n = na < nb ? na : nb;
		while (n > 0 && u[n - 1] != '\n')
			n--;
		na = nb = n;
	}
	if (u && v && (na != nb || memcmp(u, v, na))) {
		size_t at = 0;
		while (at < na && at < nb && u[at] == v[at])
			at++;
		struct strbuf *sb = &x->c->why;
		sb_clear(sb);
		sb_printf(sb, "the mount table differs (mount ids and overlay folders aside) at byte %zu: ", at);
		render_excerpt(sb, (const uint8_t *)u, na, at);
		sb_puts(sb, " vs ");
		render_excerpt(sb, (const uint8_t *)v, nb, at);
		add(x, arg, "mount_table", RF_UNEXPECTED_MEMORY_CONTENT, at);
	}
	free(u);
	free(v);
	texts_drop(x->c->texts, key);
}

/* A read of a mount table: kept until the program has read it to its end
 * (mount ids of other lengths cut it into reads at other places), then
 * compared whole. The chunks themselves are acceptable. */
static void mount_table(struct cmp *x, int rb, bool differ)
{
	struct compare_ctx *c = x->c;
	const struct sp_arg *a = &x->rec->exit[rb], *b = &x->rep->exit[rb];
	int64_t ra = (int64_t)x->rec->ret.value, rp = (int64_t)x->rep->ret.value;
	if (!c->texts || a->n_items || b->n_items || ((a->flags | b->flags) & SP_TRUNCATED) || ra < 0 || rp < 0) {
		x->source = differ && !a->n_items && !b->n_items && same_mounts(a->buf, b->buf) ? policy_source_rule(PS_MOUNTS)
											      : NULL;
		return;
	}
	struct sp_bytes ba = ra > 0 && (a->flags & SP_HAS_BUF) ? a->buf : (struct sp_bytes){ NULL, 0 };
	struct sp_bytes bb = rp > 0 && (b->flags & SP_HAS_BUF) ? b->buf : (struct sp_bytes){ NULL, 0 };
	uint64_t key = dirlists_key(x->rep->tid, (int)x->rep->entry[0].value);
	if (texts_add(c->texts, key, ba, bb) < 0)
		return;
	if (ra == 0)
		mount_table_check(x, rb, key, true);
	x->source = differ ? policy_source_rule(PS_MOUNTS) : NULL;
}

/* A read whose bytes differ: ask what its descriptor is. Random bytes and
 * live /proc counters are acceptable; a pipe's bytes are compared as a
 * stream, so only other bytes, not other chunks, are a difference. */
static void read_source(struct cmp *x, int rb)
{
	struct compare_ctx *c = x->c;
	const struct sp_event *rec = x->rec;
	struct sp_event *rep = x->rep;
	const struct sp_arg *a = &rec->exit[rb], *b = &rep->exit[rb];
	bool differ = rec->ret.value != rep->ret.value || !same_read(a, b);
	/* With streams, every read of a pipe counts (its position in the
	 * stream), and of a mount table being read (its end); the caller's
	 * source function keeps the answer per descriptor. */
	if ((!differ && !c->streams && !texts_any(c->texts)) || (int64_t)rep->entry[0].value < 0)
		return;
	uint64_t id = 0;
	int src = c->source(c->source_arg, rep->tid, (int)rep->entry[0].value, &id);
	x->source_arg = rb;
	if (src == PS_MOUNTS) {
		mount_table(x, rb, differ);
		return;
	}
	if (src != PS_PIPE) {
		x->source = differ ? policy_source_rule(src) : NULL;
		return;
	}
	if (!c->streams || ((a->flags | b->flags) & SP_TRUNCATED))
		return;
	uint8_t *ta = NULL, *tb = NULL;
	struct sp_bytes ra = { NULL, 0 }, rp = { NULL, 0 };
	if ((int64_t)rec->ret.value > 0)
		ra = read_bytes(a, &ta);
	if ((int64_t)rep->ret.value > 0)
		rp = read_bytes(b, &tb);
	int64_t at = streams_feed(c->streams, id, ra, rp);
	free(ta);
	free(tb);
	/* The recorded reader got more than the replay's pipe gave: the
	 * program was handed the recorded chunk, so the pipe must lose as many
	 * bytes as it did, or the program ends with bytes left in the pipe
	 * (its writer then fails with EPIPE) that were never compared. */
	size_t owed = streams_owed(c->streams, id);
	if (owed && c->drain) {
		uint8_t *d = malloc(owed);
		long got = d ? c->drain(c->source_arg, rep->tid, (int)rep->entry[0].value, d, owed) : -1;
		if (got > 0) {
			int64_t at2 = streams_feed(c->streams, id, (struct sp_bytes){ NULL, 0 },
						   (struct sp_bytes){ d, (size_t)got });
			if (at < 0 && at2 >= 0)
				at = at2;
		}
		free(d);
	}
	if (at >= 0)
		add(x, rb, "pipe_stream", RF_UNEXPECTED_MEMORY_CONTENT, (uint64_t)at);
	if ((at == -1 && differ) || at >= 0 || at == -3)
		x->source = policy_chunking_rule(); /* the chunks: said once, by the stream */
}

int compare_event(struct compare_ctx *c, const struct sp_event *rec, struct sp_event *rep, bool at_exit)
{
	static int getdents64_nr = -2;
	if (getdents64_nr == -2)
		getdents64_nr = sc_number("getdents64");
	const char *name = sc_name(rep->nr);
	struct cmp x = { c, rec, rep, name ? name : "?", at_exit, (int)rep->nr == getdents64_nr, 0, NULL, 0, false };
	int n = rec->nargs < rep->nargs ? rec->nargs : rep->nargs;
	/* A recorded call that never returned (the recorder was interrupted
	 * inside it) has no exit values to compare with. */
	if (at_exit && !rec->returned)
		return 0;
	int rb = at_exit && c->source && rec->returned && rep->returned ? read_buffer_arg(rep->desc) : 0;
	if (rb && rb < n)
		read_source(&x, rb);
	if (rec->nargs != rep->nargs)
		add(&x, 0, "type", RF_UNEXPECTED_ARGUMENT, 0);
	for (int i = 0; i < n; i++) {
		const struct sp_arg *a = at_exit ? &rec->exit[i] : &rec->entry[i];
		const struct sp_arg *b = at_exit ? &rep->exit[i] : &rep->entry[i];
		/* In-arguments are not read again at exit: compared at entry. */
		if (at_exit && (b->flags & SP_SAME_AS_ENTRY) && (a->flags & SP_SAME_AS_ENTRY))
			continue;
		if (at_exit && !is_pointer_arg(b))
			continue;
		if (at_exit && x.dirents && i == 1 && dirents(&x, i))
			continue;
		if (!at_exit && output_write(&x, i, a, b))
			continue;
		compare_arg(&x, i, a, b);
	}
	if (at_exit && (dirlists_any(c->dirs) || texts_any(c->texts)) && rep->returned && rep->desc) {
		const char *nm = x.name;
		if (rep->desc->ret_fmt == F_FD && event_ret(rep) >= 0)
			listing_gone(&x, (int)event_ret(rep));
		else if (!strcmp(nm, "close") && rep->nargs)
			listing_gone(&x, (int)rep->entry[0].value);
	}
	if (!at_exit || !rec->returned || !rep->returned || x.ret_done)
		return x.added;
	/* A position in a /proc file whose length is live (lseek to its end). */
	if (c->source && rec->ret.value != rep->ret.value && !strcmp(x.name, "lseek") && rep->nargs) {
		uint64_t id;
		int src = c->source(c->source_arg, rep->tid, (int)rep->entry[0].value, &id);
		if (src == PS_MOUNTS || src == PS_SYSTEM_STATE)
			x.source = policy_source_rule(src);
	}
	/* The executed file and its interpreter (exec_compare.h). */
	/* (not captured: the bpf backend digests no executed file) */
	if (!(rec->ret.flags & SP_NOT_CAPTURED) && !same(rec->exec_image, rep->exec_image))
		add(&x, -1, EXEC_FIELD_IMAGE, RF_UNEXPECTED_MEMORY_CONTENT, 0);
	if (!(rec->ret.flags & SP_NOT_CAPTURED) && !same(rec->exec_interp, rep->exec_interp))
		add(&x, -1, EXEC_FIELD_INTERP, RF_UNEXPECTED_MEMORY_CONTENT, 0);
	/* A stat'ed file's contents (file_digest.h): taken on both sides, they
	 * differ. Its timestamps stay acceptable and are written back; this
	 * says the file changed, which those would hide. */
	if (rec->file_digest.len && rep->file_digest.len && !same(rec->file_digest, rep->file_digest) &&
	    first_change(c, rec->file_digest))
		add(&x, -1, EXEC_FIELD_FILE, RF_UNEXPECTED_MEMORY_CONTENT, 0);
	const struct sp_arg *a = &rec->ret, *b = &rep->ret;
	int64_t av = (int64_t)a->value, bv = (int64_t)b->value;
	bool a_err = av < 0 && av >= -4095, b_err = bv < 0 && bv >= -4095;
	if (a->kind == K_VOID_ADDR || a->kind == K_PASLR_FOLLOW) {
		if (a_err || b_err) {
			if (av != bv)
				add(&x, -1, "value", RF_WRONG_INTEGER, 0);
		} else {
			pointer(&x, -1, "value", a->value, b->value);
		}
		if (a->flags & SP_NOT_CAPTURED) {
			/* mapped bytes the recorder could not capture: unverified */
		} else if (map_compare_by_digest(rec)) {
			/* a file mapping recorded by its page digests */
			int64_t at = map_compare_first(rec, rep);
			if (at >= 0)
				add(&x, -1, MAP_FIELD_PAGE, RF_UNEXPECTED_MEMORY_CONTENT, (uint64_t)at);
		} else if ((a->flags & SP_HAS_BUF) || (b->flags & SP_HAS_BUF)) {
			if (!same(a->buf, b->buf))
				add(&x, -1, "buffer", RF_UNEXPECTED_MEMORY_CONTENT, compare_common_prefix(a->buf, b->buf));
		}
	} else {
		if (av != bv && !(rep->desc && (rep->desc->flags & SC_RET_NONE))) {
			bool fd = rep->desc && rep->desc->ret_fmt == F_FD;
			add(&x, -1, "value", fd && fd_numbers_differ(av, bv) ? RF_UNDEFINED_SYSTEM_STATE : RF_WRONG_INTEGER,
			    0);
		}
		/* the bytes a sendfile or copy_file_range moved inside the kernel */
		if (!(a->flags & SP_NOT_CAPTURED) && ((a->flags & SP_HAS_BUF) || (b->flags & SP_HAS_BUF)) &&
		    !same(a->buf, b->buf))
			add(&x, -1, "buffer", RF_UNEXPECTED_MEMORY_CONTENT, compare_common_prefix(a->buf, b->buf));
	}
	return x.added;
}
