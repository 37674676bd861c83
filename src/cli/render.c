#include "cli/render.h"
#include "cli/render_signal.h"

#include <ctype.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <string.h>
#include <time.h>

#include "cli/names.h"
#include "syscalls/table.h"

static const char *const kind_names[K_MAX] = {
	"NONE", "VOID_ADDR", "INT", "LONG", "CHAR_PTR", "SIZE_T", "OUT_BUFFER", "OFF_T",
	"STRUCT_STAT", "MODE_T", "UID_T", "STRUCT_SOCKADDR", "STRUCT_CAP_USER_HEADER_T",
	"STRUCT_CAP_USER_DATA_T", "STRUCT_POLLFD", "STRUCT_SIGACTION", "STRUCT_SET_ITIMERVAL",
	"SIGSET_T", "SIGSET_T_PTR", "SOCKLEN_T", "VOID_PTR_FOLLOW", "STRUCT_MSGHDR",
	"STRUCT_F_OWNER_EX", "STRUCT_FLOCK", "UINT64_PTR", "IGNORE", "UINT64_PTR_PTR",
	"STRUCT_UTSNAME", "STRUCT_TIMESPEC", "STRUCT_SYSINFO", "SIGNED_INT", "STRUCT_STATFS",
	"STRUCT_RLIMIT64", "PID_T", "STRUCT_ROBUST_LIST_HEAD", "STRUCT_RUSAGE", "SOCKLEN_T_PTR",
	"STRUCT_TIMEVAL", "STRUCT_IOVEC", "PASLR_FOLLOW", "STRUCT_TIMEZONE", "DIFFERS",
	"STRUCT_STATX", "IOVEC_ARRAY", "STRING_ARRAY", "STRUCT_RSEQ", "STRUCT_OPEN_HOW", "RAW",
	"STRUCT_CLONE_ARGS", "INT_ARRAY", "STRUCT_EPOLL_EVENT", "STRUCT_SCHED_PARAM",
	"STRUCT_ITIMERSPEC", "STRUCT_TERMIOS", "STRUCT_WINSIZE", "FD_SET", "STRUCT_MMSGHDR",
	"STRUCT_SIGINFO", "STRUCT_STACK", "STRUCT_TMS", "STRUCT_TIMEX", "STRUCT_SIGEVENT",
	"STRUCT_IFREQ",
};

const char *render_kind_name(unsigned kind)
{
	return kind < K_MAX && kind_names[kind] ? kind_names[kind] : "UNKNOWN";
}

void render_bytes(struct strbuf *sb, const uint8_t *p, size_t n, size_t max)
{
	size_t shown = n < max ? n : max;
	sb_putn(sb, "\"", 1);
	for (size_t i = 0; i < shown; i++) {
		uint8_t c = p[i];
		switch (c) {
		case '\n': sb_puts(sb, "\\n"); break;
		case '\t': sb_puts(sb, "\\t"); break;
		case '\r': sb_puts(sb, "\\r"); break;
		case '"': sb_puts(sb, "\\\""); break;
		case '\\': sb_puts(sb, "\\\\"); break;
		default:
			if (c >= 32 && c < 127) {
				char ch = (char)c;
				sb_putn(sb, &ch, 1);
			} else {
				sb_printf(sb, "\\x%02x", c);
			}
		}
	}
	sb_putn(sb, "\"", 1);
	if (shown < n)
		sb_puts(sb, "...");
}

/* Little-endian loads from a captured struct, 0 past its end. */
static uint64_t ld(const struct sp_bytes *b, size_t off, size_t size)
{
	uint64_t v = 0;
	if (off + size <= b->len)
		memcpy(&v, b->data + off, size);
	return v;
}

static int64_t lds(const struct sp_bytes *b, size_t off, size_t size)
{
	uint64_t v = ld(b, off, size);
	if (size < 8 && (v >> (size * 8 - 1)) & 1)
		v |= ~(uint64_t)0 << (size * 8);
	return (int64_t)v;
}

static void mode_str(struct strbuf *sb, uint64_t mode, bool with_type)
{
	static const struct { unsigned v; const char *n; } types[] = {
		{ 0140000, "S_IFSOCK" }, { 0120000, "S_IFLNK" }, { 0100000, "S_IFREG" }, { 0060000, "S_IFBLK" },
		{ 0040000, "S_IFDIR" }, { 0020000, "S_IFCHR" }, { 0010000, "S_IFIFO" },
	};
	if (with_type) {
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if ((mode & 0170000) == types[i].v) {
				sb_printf(sb, "%s|", types[i].n);
				break;
			}
	}
	sb_printf(sb, "%#04llo", (unsigned long long)(mode & 07777));
}

static void timespec_str(struct strbuf *sb, const struct sp_bytes *b, size_t off, const char *sec, const char *sub)
{
	sb_printf(sb, "{%s=%" PRId64 ", %s=%" PRId64 "}", sec, lds(b, off, 8), sub, lds(b, off + 8, 8));
}

static void sockaddr_str(struct strbuf *sb, const struct sp_bytes *b)
{
	unsigned family = (unsigned)ld(b, 0, 2);
	char fam[32];
	names_format(fam, sizeof(fam), names_for_fmt(F_SOCK_DOMAIN), family);
	if (family == 2 && b->len >= 8) {
		const uint8_t *a = b->data + 4;
		unsigned port = (unsigned)(b->data[2] << 8 | b->data[3]);
		sb_printf(sb, "{sa_family=AF_INET, sin_port=htons(%u), sin_addr=inet_addr(\"%u.%u.%u.%u\")}",
			  port, a[0], a[1], a[2], a[3]);
	} else if (family == 1) {
		sb_puts(sb, "{sa_family=AF_UNIX, sun_path=");
		size_t n = b->len > 2 ? b->len - 2 : 0;
		const uint8_t *p = b->data + 2;
		size_t k = 0;
		while (k < n && (p[k] || k == 0))
			k++;
		render_bytes(sb, p, k, 108);
		sb_puts(sb, "}");
	} else if (family == 10 && b->len >= 24) {
		unsigned port = (unsigned)(b->data[2] << 8 | b->data[3]);
		sb_printf(sb, "{sa_family=AF_INET6, sin6_port=htons(%u), sin6_addr=", port);
		for (int i = 0; i < 16; i += 2)
			sb_printf(sb, "%s%x", i ? ":" : "", b->data[8 + i] << 8 | b->data[9 + i]);
		sb_puts(sb, "}");
	} else {
		sb_printf(sb, "{sa_family=%s, ...}", fam);
	}
}

static void sigset_str(struct strbuf *sb, const struct sp_bytes *b)
{
	uint64_t set = ld(b, 0, b->len < 8 ? b->len : 8);
	char name[24];
	if (__builtin_popcountll(set) > 32) {
		sb_puts(sb, "~[");
		set = ~set;
	} else {
		sb_puts(sb, "[");
	}
	bool first = true;
	for (int s = 1; s <= 64; s++)
		if (set & (1ull << (s - 1))) {
			const char *n = names_signal(s, name, sizeof(name));
			sb_printf(sb, "%s%s", first ? "" : " ", strncmp(n, "SIG", 3) ? n : n + 3);
			first = false;
		}
	sb_puts(sb, "]");
}

static void struct_str(struct strbuf *sb, const struct sp_arg *a, const struct render_opts *o)
{
	const struct sp_bytes *b = &a->buf;
	switch (a->kind) {
	case K_STRUCT_STAT:
		sb_puts(sb, "{st_mode=");
		mode_str(sb, ld(b, 24, 4), true);
		sb_printf(sb, ", st_size=%" PRId64 ", st_ino=%" PRIu64 ", st_dev=%#" PRIx64 ", st_nlink=%" PRIu64
			  ", st_uid=%u, st_gid=%u, st_mtime=%" PRId64 "}",
			  lds(b, 48, 8), ld(b, 8, 8), ld(b, 0, 8), ld(b, 16, 8), (unsigned)ld(b, 28, 4),
			  (unsigned)ld(b, 32, 4), lds(b, 88, 8));
		return;
	case K_STRUCT_STATX:
		sb_printf(sb, "{stx_mask=%#" PRIx64 ", stx_mode=", ld(b, 0, 4));
		mode_str(sb, ld(b, 28, 2), true);
		sb_printf(sb, ", stx_size=%" PRIu64 ", stx_ino=%" PRIu64 ", stx_nlink=%" PRIu64
			  ", stx_uid=%u, stx_gid=%u, stx_mtime=%" PRId64 "}",
			  ld(b, 40, 8), ld(b, 32, 8), ld(b, 16, 4), (unsigned)ld(b, 20, 4), (unsigned)ld(b, 24, 4),
			  lds(b, 112, 8));
		return;
	case K_STRUCT_TIMESPEC:
		timespec_str(sb, b, 0, "tv_sec", "tv_nsec");
		return;
	case K_STRUCT_TIMEVAL:
		timespec_str(sb, b, 0, "tv_sec", "tv_usec");
		return;
	case K_STRUCT_TIMEZONE:
		sb_printf(sb, "{tz_minuteswest=%d, tz_dsttime=%d}", (int)lds(b, 0, 4), (int)lds(b, 4, 4));
		return;
	case K_STRUCT_SET_ITIMERVAL:
		sb_puts(sb, "{it_interval=");
		timespec_str(sb, b, 0, "tv_sec", "tv_usec");
		sb_puts(sb, ", it_value=");
		timespec_str(sb, b, 16, "tv_sec", "tv_usec");
		sb_puts(sb, "}");
		return;
	case K_STRUCT_UTSNAME: {
		static const char *const f[] = { "sysname", "nodename", "release", "version", "machine", "domainname" };
		sb_puts(sb, "{");
		for (int i = 0; i < 6; i++) {
			size_t off = (size_t)i * 65;
			if (off >= b->len)
				break;
			const uint8_t *s = b->data + off;
			size_t n = strnlen((const char *)s, b->len - off < 65 ? b->len - off : 65);
			sb_printf(sb, "%s%s=", i ? ", " : "", f[i]);
			render_bytes(sb, s, n, o->strsize);
		}
		sb_puts(sb, "}");
		return;
	}
	case K_STRUCT_SYSINFO:
		sb_printf(sb, "{uptime=%" PRId64 ", loads=[%" PRIu64 ", %" PRIu64 ", %" PRIu64 "], totalram=%" PRIu64
			  ", freeram=%" PRIu64 ", procs=%u, mem_unit=%u}",
			  lds(b, 0, 8), ld(b, 8, 8), ld(b, 16, 8), ld(b, 24, 8), ld(b, 32, 8), ld(b, 40, 8),
			  (unsigned)ld(b, 80, 2), (unsigned)ld(b, 104, 4));
		return;
	case K_STRUCT_RLIMIT64: {
		uint64_t cur = ld(b, 0, 8), max = ld(b, 8, 8);
		sb_puts(sb, "{rlim_cur=");
		if (cur == UINT64_MAX)
			sb_puts(sb, "RLIM64_INFINITY");
		else
			sb_printf(sb, "%" PRIu64, cur);
		sb_puts(sb, ", rlim_max=");
		if (max == UINT64_MAX)
			sb_puts(sb, "RLIM64_INFINITY");
		else
			sb_printf(sb, "%" PRIu64, max);
		sb_puts(sb, "}");
		return;
	}
	case K_STRUCT_SOCKADDR:
		sockaddr_str(sb, b);
		return;
	case K_SIGSET_T_PTR:
	case K_SIGSET_T:
		sigset_str(sb, b);
		return;
	case K_STRUCT_SIGACTION: {
		uint64_t h = ld(b, 0, 8);
		if (h == 0)
			sb_puts(sb, "{sa_handler=SIG_DFL");
		else if (h == 1)
			sb_puts(sb, "{sa_handler=SIG_IGN");
		else
			sb_printf(sb, "{sa_handler=%#" PRIx64, h);
		struct sp_bytes mask = { b->data + (b->len >= 32 ? 24 : 0), b->len >= 32 ? 8 : 0 };
		sb_puts(sb, ", sa_mask=");
		sigset_str(sb, &mask);
		sb_printf(sb, ", sa_flags=%#" PRIx64 ", sa_restorer=%#" PRIx64 "}", ld(b, 8, 8), ld(b, 16, 8));
		return;
	}
	case K_INT_ARRAY:
		sb_puts(sb, "[");
		for (size_t i = 0; i + 4 <= b->len; i += 4)
			sb_printf(sb, "%s%d", i ? ", " : "", (int)lds(b, i, 4));
		sb_puts(sb, "]");
		return;
	case K_SOCKLEN_T_PTR:
		sb_printf(sb, "[%u]", (unsigned)ld(b, 0, 4));
		return;
	case K_UINT64_PTR:
		sb_printf(sb, "[%" PRIu64 "]", ld(b, 0, b->len < 8 ? b->len : 8));
		return;
	case K_STRUCT_POLLFD:
		sb_puts(sb, "[");
		for (size_t i = 0; i + 8 <= b->len; i += 8) {
			char ev[96], rev[96];
			names_format(ev, sizeof(ev), names_for_fmt(F_POLL_EVENTS), ld(b, i + 4, 2));
			names_format(rev, sizeof(rev), names_for_fmt(F_POLL_EVENTS), ld(b, i + 6, 2));
			sb_printf(sb, "%s{fd=%d, events=%s, revents=%s}", i ? ", " : "", (int)lds(b, i, 4), ev, rev);
		}
		sb_puts(sb, "]");
		return;
	case K_STRUCT_ROBUST_LIST_HEAD:
		sb_printf(sb, "{list={next=%#" PRIx64 "}, futex_offset=%" PRId64 ", list_op_pending=%#" PRIx64 "}",
			  ld(b, 0, 8), lds(b, 8, 8), ld(b, 16, 8));
		return;
	case K_STRUCT_RSEQ:
		sb_printf(sb, "{cpu_id_start=%u, cpu_id=%d, rseq_cs=%#" PRIx64 ", flags=%u}",
			  (unsigned)ld(b, 0, 4), (int)lds(b, 4, 4), ld(b, 8, 8), (unsigned)ld(b, 16, 4));
		return;
	case K_STRUCT_WINSIZE:
		sb_printf(sb, "{ws_row=%u, ws_col=%u}", (unsigned)ld(b, 0, 2), (unsigned)ld(b, 2, 2));
		return;
	case K_STRUCT_OPEN_HOW: {
		char fl[256];
		names_format(fl, sizeof(fl), names_for_fmt(F_OPEN_FLAGS), ld(b, 0, 8));
		sb_printf(sb, "{flags=%s, mode=%#" PRIo64 ", resolve=%#" PRIx64 "}", fl, ld(b, 8, 8), ld(b, 16, 8));
		return;
	}
	case K_STRUCT_CAP_USER_HEADER_T:
		sb_printf(sb, "{version=%#x, pid=%d}", (unsigned)ld(b, 0, 4), (int)lds(b, 4, 4));
		return;
	case K_STRUCT_CAP_USER_DATA_T:
		sb_printf(sb, "{effective=%#x, permitted=%#x, inheritable=%#x}", (unsigned)ld(b, 0, 4),
			  (unsigned)ld(b, 4, 4), (unsigned)ld(b, 8, 4));
		return;
	case K_STRUCT_STATFS:
		sb_printf(sb, "{f_type=%#" PRIx64 ", f_bsize=%" PRIu64 ", f_blocks=%" PRIu64 ", f_bfree=%" PRIu64 "}",
			  ld(b, 0, 8), ld(b, 8, 8), ld(b, 16, 8), ld(b, 24, 8));
		return;
	case K_STRUCT_F_OWNER_EX:
		sb_printf(sb, "{type=%d, pid=%d}", (int)lds(b, 0, 4), (int)lds(b, 4, 4));
		return;
	case K_STRUCT_FLOCK:
		sb_printf(sb, "{l_type=%d, l_whence=%d, l_start=%" PRId64 ", l_len=%" PRId64 ", l_pid=%d}",
			  (int)lds(b, 0, 2), (int)lds(b, 2, 2), lds(b, 8, 8), lds(b, 16, 8), (int)lds(b, 24, 4));
		return;
	case K_STRUCT_RUSAGE:
		sb_puts(sb, "{ru_utime=");
		timespec_str(sb, b, 0, "tv_sec", "tv_usec");
		sb_puts(sb, ", ru_stime=");
		timespec_str(sb, b, 16, "tv_sec", "tv_usec");
		sb_printf(sb, ", ru_maxrss=%" PRId64 ", ...}", lds(b, 32, 8));
		return;
	case K_STRUCT_ITIMERSPEC:
		sb_puts(sb, "{it_interval=");
		timespec_str(sb, b, 0, "tv_sec", "tv_nsec");
		sb_puts(sb, ", it_value=");
		timespec_str(sb, b, 16, "tv_sec", "tv_nsec");
		sb_puts(sb, "}");
		return;
	}
	/* Everything else: the raw bytes. */
	render_bytes(sb, b->data, b->len, o->strsize);
}

/* The raw register value of argument i, rebuilt from what was stored. */
static uint64_t raw_of(const struct sp_arg *a)
{
	return (a->flags & SP_HAS_PTR) || a->kind == K_VOID_ADDR ? a->ptr : a->value;
}

static const struct sc_desc *desc_of(const struct sp_event *ev)
{
	uint64_t raw[6] = { 0 };
	for (int i = 0; i < ev->nargs && i < 6; i++)
		raw[i] = raw_of(&ev->entry[i]);
	return sc_resolve(ev->nr, raw);
}

static void scalar_str(struct strbuf *sb, const struct sp_arg *a, int fmt)
{
	uint64_t v = a->value;
	const struct name_list *l = names_for_fmt(fmt);
	if (l) {
		char tmp[512];
		names_format(tmp, sizeof(tmp), l, fmt == F_FUTEX_OP || a->kind == K_INT ? (uint32_t)v : v);
		sb_puts(sb, tmp);
		return;
	}
	switch (fmt) {
	case F_HEX:
		sb_printf(sb, "%#" PRIx64, v);
		return;
	case F_OCT:
	case F_MODE:
		sb_printf(sb, "%#" PRIo64, v);
		return;
	case F_PTR:
		if (v == 0)
			sb_puts(sb, "NULL");
		else
			sb_printf(sb, "%#" PRIx64, v);
		return;
	case F_DIRFD:
		if ((int32_t)v == -100) {
			sb_puts(sb, "AT_FDCWD");
			return;
		}
		break;
	case F_SIGNAL: {
		char n[24];
		sb_puts(sb, names_signal((int)v, n, sizeof(n)));
		return;
	}
	case F_UNSIGNED:
		sb_printf(sb, "%" PRIu64, a->kind == K_INT ? (uint32_t)v : v);
		return;
	}
	if (a->kind == K_INT || a->kind == K_UID_T || a->kind == K_PID_T || a->kind == K_SOCKLEN_T)
		sb_printf(sb, "%d", (int32_t)v);
	else if (a->kind == K_RAW)
		sb_printf(sb, "%#" PRIx64, v);
	else
		sb_printf(sb, "%" PRId64, (int64_t)v);
}

static void items_str(struct strbuf *sb, const struct sp_arg *a, const struct render_opts *o, bool iov)
{
	sb_puts(sb, "[");
	for (uint32_t i = 0; i < a->n_items; i++) {
		if (i)
			sb_puts(sb, ", ");
		if (i >= 16) {
			sb_printf(sb, "... /* %u more */", a->n_items - i);
			break;
		}
		if (iov) {
			sb_puts(sb, "{iov_base=");
			render_bytes(sb, a->items[i].data, a->items[i].len, o->strsize);
			uint64_t len = a->items[i].len;
			/* An iovec array's own bytes hold each iov_len; a msghdr's
			 * buffer is the msghdr, so there the data length is all we have. */
			if (a->kind == K_IOVEC_ARRAY && a->flags & SP_HAS_BUF && a->buf.len >= 16 * (i + 1))
				memcpy(&len, a->buf.data + 16 * i + 8, 8);
			sb_printf(sb, ", iov_len=%" PRIu64 "}", len);
		} else {
			render_bytes(sb, a->items[i].data, a->items[i].len, o->strsize);
		}
	}
	sb_puts(sb, "]");
}

static void pointer_str(struct strbuf *sb, const struct sp_arg *a, const struct render_opts *o)
{
	if (!a->ptr && !(a->flags & SP_HAS_BUF) && !a->n_items) {
		sb_puts(sb, "NULL");
		return;
	}
	if (a->flags & SP_UNREADABLE && !(a->flags & SP_HAS_BUF) && !a->n_items) {
		sb_printf(sb, "%#" PRIx64, a->ptr);
		return;
	}
	switch (a->kind) {
	case K_CHAR_PTR:
		render_bytes(sb, a->buf.data, a->buf.len, o->strsize);
		return;
	case K_STRING_ARRAY:
		items_str(sb, a, o, false);
		return;
	case K_IOVEC_ARRAY:
		items_str(sb, a, o, true);
		return;
	case K_STRUCT_MSGHDR: {
		sb_puts(sb, "{msg_name=");
		if (a->name.len) {
			struct sp_arg n = { .kind = K_STRUCT_SOCKADDR, .buf = a->name };
			sockaddr_str(sb, &n.buf);
		} else {
			sb_puts(sb, "NULL");
		}
		sb_puts(sb, ", msg_iov=");
		items_str(sb, a, o, true);
		sb_printf(sb, ", msg_controllen=%zu, msg_flags=%#" PRIx64 "}", a->control.len, ld(&a->buf, 48, 4));
		return;
	}
	case K_OUT_BUFFER:
	case K_VOID_PTR_FOLLOW:
	case K_PASLR_FOLLOW:
		if (!(a->flags & SP_HAS_BUF)) {
			sb_printf(sb, "%#" PRIx64, a->ptr);
			return;
		}
		render_bytes(sb, a->buf.data, a->buf.len, o->strsize);
		return;
	}
	if (!(a->flags & SP_HAS_BUF)) {
		sb_printf(sb, "%#" PRIx64, a->ptr);
		return;
	}
	struct_str(sb, a, o);
}

static bool is_pointer_kind(const struct sp_arg *a, const struct sc_arg *d)
{
	if (d && (d->dir != D_NONE || d->size != S_NONE))
		return true;
	switch (a->kind) {
	case K_VOID_ADDR: case K_INT: case K_LONG: case K_SIZE_T: case K_OFF_T: case K_MODE_T:
	case K_UID_T: case K_SIGSET_T: case K_SOCKLEN_T: case K_IGNORE: case K_SIGNED_INT:
	case K_PID_T: case K_RAW: case K_NONE:
		return false;
	}
	return true;
}

void render_arg(struct strbuf *sb, const struct sp_event *ev, int i, bool at_exit, const struct render_opts *o)
{
	const struct sc_desc *d = desc_of(ev);
	if (i < 0) {
		const struct sp_arg *r = &ev->ret;
		int64_t v = (int64_t)r->value;
		if (!ev->returned) {
			sb_puts(sb, "?");
		} else if (v < 0 && v >= -4095 && !(d->flags & SC_RET_NONE)) {
			const char *n = names_errno((int)-v);
			if (n)
				sb_printf(sb, "-1 %s (%s)", n, strerror((int)-v));
			else
				sb_printf(sb, "-1 (errno %" PRId64 ")", -v);
		} else if (r->kind == K_VOID_ADDR || r->kind == K_PASLR_FOLLOW || (d->flags & SC_RET_PTR)) {
			sb_printf(sb, "%#" PRIx64, r->value);
		} else if (d->ret_fmt != F_DEC && d->ret_fmt != F_FD && names_for_fmt(d->ret_fmt)) {
			struct sp_arg tmp = *r;
			tmp.kind = K_LONG;
			scalar_str(sb, &tmp, d->ret_fmt);
		} else if (d->ret_fmt == F_OCT) {
			sb_printf(sb, "%#" PRIo64, r->value);
		} else {
			sb_printf(sb, "%" PRId64, v);
		}
		return;
	}
	const struct sc_arg *ad = i < d->nargs ? &d->args[i] : NULL;
	const struct sp_arg *a = at_exit && ev->returned ? &ev->exit[i] : &ev->entry[i];
	if (is_pointer_kind(a, ad))
		pointer_str(sb, a, o);
	else if (a->kind == K_VOID_ADDR)
		sb_printf(sb, a->ptr ? "%#" PRIx64 : "NULL", a->ptr);
	else
		scalar_str(sb, a, ad ? ad->fmt : F_DEC);
}

static void render_args(struct strbuf *sb, const struct sp_event *ev, bool at_exit, const struct render_opts *o)
{
	const struct sc_desc *d = desc_of(ev);
	const char *name = sc_name(ev->nr);
	if (o->show_tid && ev->tid)
		sb_printf(sb, "[pid %u] ", ev->tid);
	sb_printf(sb, "%s(", name ? name : d->name);
	for (int i = 0; i < ev->nargs; i++) {
		/* open's mode means something only with O_CREAT or O_TMPFILE; strace
		 * leaves it out otherwise, and so do we. */
		if (i > 0 && i < d->nargs && d->args[i].fmt == F_MODE && d->args[i - 1].fmt == F_OPEN_FLAGS &&
		    !(ev->entry[i - 1].value & 020000100))
			continue;
		if (i)
			sb_puts(sb, ", ");
		/* Out-arguments are shown as the kernel filled them. */
		bool out = i < d->nargs && (d->args[i].dir == D_OUT || d->args[i].dir == D_INOUT);
		render_arg(sb, ev, i, at_exit && out, o);
	}
	sb_puts(sb, ")");
}

void render_call(struct strbuf *sb, const struct sp_event *ev, const struct render_opts *o)
{
	render_args(sb, ev, false, o);
}

void render_event(struct strbuf *sb, const struct sp_event *ev, const struct render_opts *o)
{
	if (ev->is_signal) {
		render_signal(sb, ev, o);
		return;
	}
	render_args(sb, ev, true, o);
	sb_puts(sb, " = ");
	render_arg(sb, ev, -1, true, o);
	if (ev->unfinished)
		sb_puts(sb, " <unfinished>");
}

/* ---- JSON ---- */

static json_object *hex_obj(struct sp_bytes b)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(b.len * 2 + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < b.len; i++) {
		s[2 * i] = digits[b.data[i] >> 4];
		s[2 * i + 1] = digits[b.data[i] & 15];
	}
	json_object *o = json_object_new_string_len(s, (int)(b.len * 2));
	free(s);
	return o;
}

static json_object *arg_json(const struct sp_arg *a)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string(render_kind_name(a->kind)));
	json_object_object_add(o, "value", json_object_new_uint64(a->value));
	if (a->flags & SP_HAS_PTR || a->ptr)
		json_object_object_add(o, "ptr", json_object_new_uint64(a->ptr));
	if (a->flags & SP_HAS_BUF)
		json_object_object_add(o, "hex", hex_obj(a->buf));
	if (a->flags & SP_SAME_AS_ENTRY)
		json_object_object_add(o, "same_as_entry", json_object_new_boolean(1));
	if (a->flags & SP_UNREADABLE)
		json_object_object_add(o, "unreadable", json_object_new_boolean(1));
	if (a->flags & SP_TRUNCATED)
		json_object_object_add(o, "full_length", json_object_new_uint64(a->full_len));
	if (a->name.len)
		json_object_object_add(o, "name_hex", hex_obj(a->name));
	if (a->control.len)
		json_object_object_add(o, "control_hex", hex_obj(a->control));
	if (a->n_items) {
		json_object *arr = json_object_new_array();
		for (uint32_t i = 0; i < a->n_items; i++)
			json_object_array_add(arr, hex_obj(a->items[i]));
		json_object_object_add(o, "items_hex", arr);
	}
	return o;
}

void render_event_json(struct strbuf *sb, const struct sp_event *ev, uint64_t index)
{
	if (ev->is_signal) {
		render_signal_json(sb, ev);
		return;
	}
	json_object *o = json_object_new_object();
	const char *name = sc_name(ev->nr);
	json_object_object_add(o, "index", json_object_new_uint64(index));
	json_object_object_add(o, "nr", json_object_new_int((int)ev->nr));
	json_object_object_add(o, "name", json_object_new_string(name ? name : sc_lookup(ev->nr)->name));
	if (ev->seq)
		json_object_object_add(o, "seq", json_object_new_uint64(ev->seq));
	if (ev->seq_exit)
		json_object_object_add(o, "seq_exit", json_object_new_uint64(ev->seq_exit));
	if (ev->tid)
		json_object_object_add(o, "tid", json_object_new_int((int)ev->tid));
	json_object *entry = json_object_new_array(), *exit = json_object_new_array();
	for (int i = 0; i < ev->nargs; i++) {
		json_object_array_add(entry, arg_json(&ev->entry[i]));
		if (ev->returned)
			json_object_array_add(exit, arg_json(&ev->exit[i]));
	}
	json_object_object_add(o, "entry", entry);
	if (ev->returned) {
		json_object_object_add(o, "exit", exit);
		json_object_object_add(o, "return", arg_json(&ev->ret));
		json_object_object_add(o, "retval", json_object_new_int64((int64_t)ev->ret.value));
	} else {
		json_object_put(exit);
	}
	if (ev->is_exit_call)
		json_object_object_add(o, "exit_call", json_object_new_boolean(1));
	if (ev->unfinished)
		json_object_object_add(o, "unfinished", json_object_new_boolean(1));
	if (ev->n_diffs) {
		json_object *arr = json_object_new_array();
		for (int i = 0; i < ev->n_diffs; i++) {
			const struct sp_diff *d = &ev->diffs[i];
			json_object *x = json_object_new_object();
			json_object_object_add(x, "arg", json_object_new_int(d->arg));
			json_object_object_add(x, "at_exit", json_object_new_boolean(d->at_exit));
			json_object_object_add(x, "field", json_object_new_string(d->field ? d->field : ""));
			json_object_object_add(x, "flag", json_object_new_int((int)d->flag));
			json_object_object_add(x, "class", json_object_new_int(d->klass));
			json_object_object_add(x, "offset", json_object_new_uint64(d->offset));
			json_object_object_add(x, "replayed", json_object_new_boolean(d->replayed));
			json_object_array_add(arr, x);
		}
		json_object_object_add(o, "differences", arr);
	}
	struct strbuf text = { 0 };
	struct render_opts ro = { .strsize = 64 };
	render_event(&text, ev, &ro);
	json_object_object_add(o, "text", json_object_new_string(text.s));
	sb_free(&text);
	sb_puts(sb, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static void uname_line(FILE *out, const char *label, const struct tf_uname *u)
{
	fprintf(out, "# %s: %s %s %s %s %s\n", label, u->sysname ? u->sysname : "?", u->nodename ? u->nodename : "?",
		u->release ? u->release : "?", u->version ? u->version : "?", u->machine ? u->machine : "?");
}

void render_meta(FILE *out, const struct tf_meta *m, enum tf_kind kind, uint64_t count)
{
	struct strbuf sb = { 0 };
	fprintf(out, "# %s of job \"%s\", written by %s\n", kind == TF_RECORDING ? "recording" : "differences",
		m->job_name ? m->job_name : "", m->version ? m->version : "?");
	sb_puts(&sb, "# command:");
	for (size_t i = 0; i < m->argc; i++) {
		sb_puts(&sb, " ");
		render_bytes(&sb, (const uint8_t *)m->argv[i], strlen(m->argv[i]), 256);
	}
	if (m->stdin_len) {
		sb_puts(&sb, " < ");
		render_bytes(&sb, m->stdin_bytes, m->stdin_len, 64);
	}
	fprintf(out, "%s\n", sb.s);
	sb_free(&sb);
	time_t t = (time_t)m->time_recorded;
	char when[64] = "?";
	struct tm tm;
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	fprintf(out, "# recorded: %s; %" PRIu64 " syscalls; ASLR %d%s%s\n", when, m->number_of_syscalls,
		m->aslr_state, m->tracee_aslr_off ? " (off in the tracee)" : "",
		m->vdso_hidden ? "; vDSO hidden" : "");
	uname_line(out, "recorded on", &m->uname);
	if (m->replay_uname.sysname)
		uname_line(out, "replayed on", &m->replay_uname);
	if (m->n_env)
		fprintf(out, "# environment: %zu variables\n", m->n_env);
	if (m->interrupted)
		fprintf(out, "# INTERRUPTED: the tracer was stopped before the program ended\n");
	if (kind == TF_DIFFERENCES)
		fprintf(out, "# %" PRIu64 " differing syscalls in the file (%" PRIu64 " pairs); verdict: %s\n",
			m->number_of_differences, count, m->verdict ? m->verdict : "-");
}

void render_meta_json(FILE *out, const struct tf_meta *m, enum tf_kind kind, uint64_t count, const char *incomplete)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "kind", json_object_new_string(kind == TF_RECORDING ? "recording" : "differences"));
	json_object_object_add(o, "count", json_object_new_uint64(count));
	if (incomplete)
		json_object_object_add(o, "incomplete", json_object_new_string(incomplete));
	if (m) {
		json_object_object_add(o, "version", json_object_new_string(m->version ? m->version : ""));
		json_object_object_add(o, "job", json_object_new_string(m->job_name ? m->job_name : ""));
		json_object_object_add(o, "time_recorded", json_object_new_uint64(m->time_recorded));
		json_object *argv = json_object_new_array();
		for (size_t i = 0; i < m->argc; i++)
			json_object_array_add(argv, json_object_new_string(m->argv[i]));
		json_object_object_add(o, "argv", argv);
		json_object_object_add(o, "stdin_hex", hex_obj((struct sp_bytes){ m->stdin_bytes, m->stdin_len }));
		json_object_object_add(o, "number_of_syscalls", json_object_new_uint64(m->number_of_syscalls));
		json_object_object_add(o, "number_of_differences", json_object_new_uint64(m->number_of_differences));
		json_object_object_add(o, "release", json_object_new_string(m->uname.release ? m->uname.release : ""));
		json_object_object_add(o, "nodename", json_object_new_string(m->uname.nodename ? m->uname.nodename : ""));
		json_object_object_add(o, "aslr_state", json_object_new_int(m->aslr_state));
		json_object_object_add(o, "memory_ranges", json_object_new_uint64(m->n_ranges));
		json_object_object_add(o, "interrupted", json_object_new_boolean(m->interrupted));
		json_object_object_add(o, "exit_status", json_object_new_int(m->exit_status));
		if (m->verdict)
			json_object_object_add(o, "verdict", json_object_new_string(m->verdict));
		json_object_object_add(o, "result_flags", json_object_new_int((int)m->result_flags));
	}
	fprintf(out, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}
