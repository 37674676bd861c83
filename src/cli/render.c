#include "cli/render.h"
#include "cli/render_signal.h"

#include <ctype.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <string.h>
#include <time.h>

#include "cli/names.h"
#include "cli/render_setting.h"
#include "format/seal.h"
#include "syscalls/structs.h"
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
		case '\v': sb_puts(sb, "\\v"); break;
		case '\f': sb_puts(sb, "\\f"); break;
		case '"': sb_puts(sb, "\\\""); break;
		case '\\': sb_puts(sb, "\\\\"); break;
		default:
			if (c >= 32 && c < 127) {
				char ch = (char)c;
				sb_putn(sb, &ch, 1);
			} else if (i + 1 < shown && p[i + 1] >= '0' && p[i + 1] <= '7') {
				/* strace's octal escapes: three digits where an
				 * octal digit follows, so that it is not absorbed */
				sb_printf(sb, "\\%03o", c);
			} else {
				sb_printf(sb, "\\%o", c);
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
		/* With the type, strace names the set-id and sticky bits too. */
		if (mode & 04000)
			sb_puts(sb, "S_ISUID|");
		if (mode & 02000)
			sb_puts(sb, "S_ISGID|");
		if (mode & 01000)
			sb_puts(sb, "S_ISVTX|");
		mode &= 0777;
	}
	sb_printf(sb, "%#04llo", (unsigned long long)(mode & 07777));
}

void render_mode(struct strbuf *sb, uint64_t mode)
{
	mode_str(sb, mode, true);
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

/* A struct by its layout (structs.c): {field=value, ...}; an array of them
 * as [{...}, ...]. Names from the field's format where it has one. */
static bool all_zero(const struct sp_bytes *b, size_t off, size_t n)
{
	for (size_t i = off; i < off + n && i < b->len; i++)
		if (b->data[i])
			return false;
	return true;
}

static void layout_one(struct strbuf *sb, const struct slayout *l, const struct sp_bytes *b, size_t base,
		       const struct render_opts *o)
{
	const char *open = NULL; /* the nested struct whose fields are being shown */
	size_t open_len = 0;
	bool first = true;
	sb_puts(sb, "{");
	for (size_t i = 0; i < l->n; i++) {
		const struct sfield *f = &l->f[i];
		/* A struct the program sized (landlock_ruleset_attr of an older
		 * ABI): the fields it has. */
		if (base + f->off + (f->type == FT_BYTES || f->type == FT_STR ? 1 : f->size) > b->len)
			break;
		/* Reserved and padding bytes are left out while they are zero,
		 * and what strace does not show either. */
		if ((f->type == FT_BYTES && all_zero(b, base + f->off, f->size)) || f->fmt == F_HIDDEN)
			continue;
		const char *dot = strchr(f->name, '.');
		const char *name = dot ? dot + 1 : f->name;
		if (open && (!dot || (size_t)(dot - f->name) != open_len || strncmp(f->name, open, open_len))) {
			sb_puts(sb, "}");
			open = NULL;
		}
		if (!first)
			sb_puts(sb, ", ");
		first = false;
		if (dot && !open) {
			open = f->name;
			open_len = (size_t)(dot - f->name);
			sb_printf(sb, "%.*s={", (int)open_len, open);
		}
		sb_printf(sb, "%s=", name);
		size_t off = base + f->off;
		if (f->type == FT_BYTES || f->type == FT_STR) {
			size_t n = off >= b->len ? 0 : (b->len - off < f->size ? b->len - off : f->size);
			if (f->type == FT_STR)
				n = strnlen((const char *)b->data + off, n);
			render_bytes(sb, b->data + off, n, o->strsize);
		} else if (f->type == FT_PTR) {
			uint64_t p = ld(b, off, 8);
			sb_printf(sb, p ? "%#" PRIx64 : "NULL", p);
		} else if (f->size > 8) {
			sb_printf(sb, "%#" PRIx64 "...", ld(b, off, 8));
		} else if (f->fmt && names_for_fmt(f->fmt)) {
			char tmp[512];
			names_format(tmp, sizeof(tmp), names_for_fmt(f->fmt), ld(b, off, f->size));
			sb_puts(sb, tmp);
		} else if (f->size == 8) {
			sb_printf(sb, "%" PRIu64, ld(b, off, 8));
		} else {
			sb_printf(sb, "%" PRId64, lds(b, off, f->size));
		}
	}
	if (open)
		sb_puts(sb, "}");
	sb_puts(sb, "}");
}

static void layout_str(struct strbuf *sb, const struct slayout *l, const struct sp_bytes *b, bool array,
		       const struct render_opts *o)
{
	if (!array || !l->size || b->len <= l->size || b->len % l->size) {
		layout_one(sb, l, b, 0, o);
		return;
	}
	sb_puts(sb, "[");
	for (size_t base = 0; base + l->size <= b->len; base += l->size) {
		if (base)
			sb_puts(sb, ", ");
		if (base / l->size >= 16) {
			sb_puts(sb, "...");
			break;
		}
		layout_one(sb, l, b, base, o);
	}
	sb_puts(sb, "]");
}

/* A wait status as strace shows it: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]. */
static void wait_status_str(struct strbuf *sb, uint32_t s)
{
	char sig[24];
	if ((s & 0x7f) == 0)
		sb_printf(sb, "[{WIFEXITED(s) && WEXITSTATUS(s) == %u}]", (s >> 8) & 0xff);
	else if ((s & 0xff) == 0x7f)
		sb_printf(sb, "[{WIFSTOPPED(s) && WSTOPSIG(s) == %s}]", names_signal((int)((s >> 8) & 0xff), sig, sizeof(sig)));
	else if (s == 0xffff)
		sb_puts(sb, "[{WIFCONTINUED(s)}]");
	else
		sb_printf(sb, "[{WIFSIGNALED(s) && WTERMSIG(s) == %s%s}]", names_signal((int)(s & 0x7f), sig, sizeof(sig)),
			  s & 0x80 ? " && WCOREDUMP(s)" : "");
}

/* An mmsghdr array as strace shows it; per message the argument's items
 * hold its iov_len values, then each iovec's data (capture.c read_mmsg_items). */
static void mmsg_str(struct strbuf *sb, const struct sp_arg *a, const struct render_opts *o)
{
	const struct sp_bytes *b = &a->buf;
	uint32_t k = 0;
	sb_puts(sb, "[");
	for (size_t m = 0; m + 64 <= b->len; m += 64) {
		uint64_t name = ld(b, m, 8), iov = ld(b, m + 16, 8), iovlen = ld(b, m + 24, 8);
		uint64_t control = ld(b, m + 32, 8), controllen = ld(b, m + 40, 8);
		char fl[128];
		sb_printf(sb, "%s{msg_hdr={msg_name=", m ? ", " : "");
		sb_printf(sb, name ? "%#" PRIx64 : "NULL", name);
		sb_printf(sb, ", msg_namelen=%u, msg_iov=", (unsigned)ld(b, m + 8, 4));
		if (!iov) {
			sb_puts(sb, "NULL");
		} else if (k + 1 + iovlen > a->n_items || a->items[k].len != iovlen * 8) {
			sb_printf(sb, "%#" PRIx64, iov);
		} else {
			const struct sp_bytes *lens = &a->items[k++];
			sb_puts(sb, "[");
			for (uint64_t i = 0; i < iovlen; i++, k++) {
				sb_printf(sb, "%s{iov_base=", i ? ", " : "");
				render_bytes(sb, a->items[k].data, a->items[k].len, o->strsize);
				sb_printf(sb, ", iov_len=%" PRIu64 "}", ld(lens, 8 * i, 8));
			}
			sb_puts(sb, "]");
		}
		sb_printf(sb, ", msg_iovlen=%" PRIu64, iovlen);
		if (control)
			sb_printf(sb, ", msg_control=%#" PRIx64, control);
		names_format(fl, sizeof(fl), names_for_fmt(F_MSG_FLAGS), ld(b, m + 48, 4));
		sb_printf(sb, ", msg_controllen=%" PRIu64 ", msg_flags=%s}, msg_len=%u}", controllen, fl,
			  (unsigned)ld(b, m + 56, 4));
	}
	sb_puts(sb, "]");
}

/* A resource limit as strace shows it: RLIM64_INFINITY, 8192*1024, 100. */
static void rlim_str(struct strbuf *sb, uint64_t v)
{
	if (v == UINT64_MAX)
		sb_puts(sb, "RLIM64_INFINITY");
	else if (v && v % 1024 == 0)
		sb_printf(sb, "%" PRIu64 "*1024", v / 1024);
	else
		sb_printf(sb, "%" PRIu64, v);
}

/* getdents64's buffer: strace (without -v) counts the entries. */
static size_t dirent64_count(const struct sp_bytes *b)
{
	size_t n = 0;
	for (size_t off = 0; off + 19 <= b->len; n++) {
		size_t reclen = (size_t)ld(b, off + 16, 2);
		if (reclen < 19)
			break;
		off += reclen;
	}
	return n;
}

static void struct_str(struct strbuf *sb, const struct sp_arg *a, const struct render_opts *o)
{
	const struct sp_bytes *b = &a->buf;
	switch (a->kind) {
	case K_STRUCT_STAT: {
		/* strace's abbreviated form: the type and size, or the device. */
		uint64_t mode = ld(b, 24, 4);
		sb_puts(sb, "{st_mode=");
		mode_str(sb, mode, true);
		if ((mode & 0170000) == 0020000 || (mode & 0170000) == 0060000) {
			uint64_t dev = ld(b, 40, 8);
			sb_printf(sb, ", st_rdev=makedev(%#" PRIx64 ", %#" PRIx64 "), ...}",
				  ((dev >> 8) & 0xfff) | ((dev >> 32) & ~(uint64_t)0xfff), (dev & 0xff) | ((dev >> 12) & ~(uint64_t)0xff));
		} else {
			sb_printf(sb, ", st_size=%" PRId64 ", ...}", lds(b, 48, 8));
		}
		return;
	}
	case K_STRUCT_STATX: {
		char mask[512], attr[256];
		names_format(mask, sizeof(mask), names_for_fmt(F_STATX_MASK), ld(b, 0, 4));
		names_format(attr, sizeof(attr), names_statx_attrs(), ld(b, 8, 8));
		sb_printf(sb, "{stx_mask=%s, stx_attributes=%s, stx_mode=", mask, attr);
		mode_str(sb, ld(b, 28, 2), true);
		sb_printf(sb, ", stx_size=%" PRIu64 ", ...}", ld(b, 40, 8));
		return;
	}
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
			  ", freeram=%" PRIu64 ", sharedram=%" PRIu64 ", bufferram=%" PRIu64 ", totalswap=%" PRIu64
			  ", freeswap=%" PRIu64 ", procs=%u, totalhigh=%" PRIu64 ", freehigh=%" PRIu64 ", mem_unit=%u}",
			  lds(b, 0, 8), ld(b, 8, 8), ld(b, 16, 8), ld(b, 24, 8), ld(b, 32, 8), ld(b, 40, 8), ld(b, 48, 8),
			  ld(b, 56, 8), ld(b, 64, 8), ld(b, 72, 8), (unsigned)ld(b, 80, 2), ld(b, 88, 8), ld(b, 96, 8),
			  (unsigned)ld(b, 104, 4));
		return;
	case K_STRUCT_RLIMIT64:
		sb_puts(sb, "{rlim_cur=");
		rlim_str(sb, ld(b, 0, 8));
		sb_puts(sb, ", rlim_max=");
		rlim_str(sb, ld(b, 8, 8));
		sb_puts(sb, "}");
		return;
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
		char fl[256];
		names_format(fl, sizeof(fl), names_for_fmt(F_SA_FLAGS), ld(b, 8, 8));
		sb_printf(sb, ", sa_flags=%s", fl);
		/* SA_RESTORER says the restorer is meaningful; strace shows it then only. */
		if (ld(b, 8, 8) & 0x04000000)
			sb_printf(sb, ld(b, 16, 8) ? ", sa_restorer=%#" PRIx64 : ", sa_restorer=NULL", ld(b, 16, 8));
		sb_puts(sb, "}");
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
		sb_printf(sb, "{ws_row=%u, ws_col=%u, ws_xpixel=%u, ws_ypixel=%u}", (unsigned)ld(b, 0, 2),
			  (unsigned)ld(b, 2, 2), (unsigned)ld(b, 4, 2), (unsigned)ld(b, 6, 2));
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
	case K_STRUCT_F_OWNER_EX: {
		static const char *const types[] = { "F_OWNER_TID", "F_OWNER_PID", "F_OWNER_PGRP" };
		int t = (int)lds(b, 0, 4);
		if (t >= 0 && t <= 2)
			sb_printf(sb, "{type=%s, pid=%d}", types[t], (int)lds(b, 4, 4));
		else
			sb_printf(sb, "{type=%d, pid=%d}", t, (int)lds(b, 4, 4));
		return;
	}
	case K_STRUCT_FLOCK: {
		static const char *const types[] = { "F_RDLCK", "F_WRLCK", "F_UNLCK" };
		char wh[32];
		int t = (int)lds(b, 0, 2);
		names_format(wh, sizeof(wh), names_for_fmt(F_WHENCE), (uint64_t)lds(b, 2, 2));
		if (t >= 0 && t <= 2)
			sb_printf(sb, "{l_type=%s", types[t]);
		else
			sb_printf(sb, "{l_type=%d", t);
		sb_printf(sb, ", l_whence=%s, l_start=%" PRId64 ", l_len=%" PRId64 ", l_pid=%d}", wh, lds(b, 8, 8),
			  lds(b, 16, 8), (int)lds(b, 24, 4));
		return;
	}
	case K_STRUCT_EPOLL_EVENT: {
		char ev[256];
		names_format(ev, sizeof(ev), names_epoll_events(), ld(b, 0, 4));
		sb_printf(sb, "{events=%s, data={u32=%u, u64=%" PRIu64 "}}", ev, (unsigned)ld(b, 4, 4), ld(b, 4, 8));
		return;
	}
	case K_STRUCT_CLONE_ARGS: {
		char fl[512], sig[24];
		names_format(fl, sizeof(fl), names_for_fmt(F_CLONE_FLAGS), ld(b, 0, 8));
		sb_printf(sb, "{flags=%s", fl);
		static const struct { const char *n; size_t off; } ptrs[] = {
			{ "pidfd", 8 }, { "child_tid", 16 }, { "parent_tid", 24 },
		};
		for (size_t i = 0; i < 3; i++)
			if (ld(b, ptrs[i].off, 8))
				sb_printf(sb, ", %s=%#" PRIx64, ptrs[i].n, ld(b, ptrs[i].off, 8));
		uint64_t es = ld(b, 32, 8);
		sb_printf(sb, ", exit_signal=%s", es ? names_signal((int)es, sig, sizeof(sig)) : "0");
		if (ld(b, 40, 8))
			sb_printf(sb, ", stack=%#" PRIx64 ", stack_size=%#" PRIx64, ld(b, 40, 8), ld(b, 48, 8));
		if (ld(b, 56, 8))
			sb_printf(sb, ", tls=%#" PRIx64, ld(b, 56, 8));
		if (ld(b, 64, 8))
			sb_printf(sb, ", set_tid=%#" PRIx64 ", set_tid_size=%" PRIu64, ld(b, 64, 8), ld(b, 72, 8));
		if (b->len >= 88 && ld(b, 80, 8))
			sb_printf(sb, ", cgroup=%" PRIu64, ld(b, 80, 8));
		sb_puts(sb, "}");
		return;
	}
	case K_STRUCT_SIGINFO: {
		char sig[24];
		sb_printf(sb, "{si_signo=%s, si_code=%d", names_signal((int)lds(b, 0, 4), sig, sizeof(sig)),
			  (int)lds(b, 8, 4));
		if (lds(b, 16, 4))
			sb_printf(sb, ", si_pid=%d, si_uid=%u", (int)lds(b, 16, 4), (unsigned)ld(b, 20, 4));
		sb_puts(sb, "}");
		return;
	}
	case K_STRUCT_SCHED_PARAM:
		sb_printf(sb, "[%d]", (int)lds(b, 0, 4)); /* strace's form */
		return;
	case K_STRUCT_TMS:
		sb_printf(sb, "{tms_utime=%" PRIu64 ", tms_stime=%" PRIu64 ", tms_cutime=%" PRIu64 ", tms_cstime=%" PRIu64 "}",
			  ld(b, 0, 8), ld(b, 8, 8), ld(b, 16, 8), ld(b, 24, 8));
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
	/* A struct with a layout: its fields, strace-style. */
	const struct slayout *l = struct_layout(a->kind);
	if (l && b->len >= l->size) {
		layout_str(sb, l, b, b->len > l->size, o);
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
	if (fmt == F_FUTEX_OP) {
		/* FUTEX_WAKE_PRIVATE, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME */
		char tmp[64];
		uint32_t op = (uint32_t)v;
		names_format(tmp, sizeof(tmp), l, op & 127);
		sb_printf(sb, "%s%s", tmp, op & 128 ? "_PRIVATE" : "");
		if (op & 256)
			sb_puts(sb, "|FUTEX_CLOCK_REALTIME");
		if (op & ~0x1ffu)
			sb_printf(sb, "|%#x", op & ~0x1ffu);
		return;
	}
	if (fmt == F_IPC_FLAGS) {
		/* IPC_CREAT|0600: flags by name, the permission bits in octal. */
		char tmp[128] = "";
		if (v & ~0777u)
			names_format(tmp, sizeof(tmp), l, v & ~0777u);
		sb_printf(sb, "%s%s%#03" PRIo64, tmp, tmp[0] ? "|" : "", v & 0777);
		return;
	}
	if (fmt == F_MKNOD_MODE) {
		mode_str(sb, v, true);
		return;
	}
	if (fmt == F_DEV) {
		uint32_t dev = (uint32_t)v;
		sb_printf(sb, "makedev(%#x, %#x)", (dev >> 8) & 0xfff, (dev & 0xff) | ((dev >> 12) & 0xfff00));
		return;
	}
	if (fmt == F_KEY_SERIAL) {
		/* KEY_SPEC_* by name, a serial as the number it is. */
		char tmp[64];
		names_format(tmp, sizeof(tmp), l, (uint32_t)v);
		if (tmp[0] == 'K')
			sb_puts(sb, tmp);
		else
			sb_printf(sb, "%d", (int32_t)v);
		return;
	}
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

static void pointer_str(struct strbuf *sb, const struct sp_arg *a, const struct sc_arg *ad,
			const struct render_opts *o)
{
	if (!a->ptr && !(a->flags & SP_HAS_BUF) && !a->n_items) {
		sb_puts(sb, "NULL");
		return;
	}
	/* Not (wholly) readable: the kernel would have failed with EFAULT, and
	 * strace shows the address; so do we, even for the part we could read. */
	if (a->flags & SP_UNREADABLE && !a->n_items) {
		sb_printf(sb, "%#" PRIx64, a->ptr);
		return;
	}
	if (ad && ad->st && (a->flags & SP_HAS_BUF)) {
		const struct slayout *l = struct_layout_st(ad->st);
		if (ad->st == ST_WAIT_STATUS && a->buf.len >= 4) {
			wait_status_str(sb, (uint32_t)ld(&a->buf, 0, 4));
			return;
		}
		if (ad->st == ST_MMSG_SEND || ad->st == ST_MMSG_RECV) {
			mmsg_str(sb, a, o);
			return;
		}
		if (ad->st == ST_PTR && a->buf.len >= 8) {
			sb_printf(sb, ld(&a->buf, 0, 8) ? "[%#" PRIx64 "]" : "[NULL]", ld(&a->buf, 0, 8));
			return;
		}
		if (ad->st == ST_INT && a->buf.len < 4) {
			/* shorter than the int it should be: strace shows where */
			sb_printf(sb, "%#" PRIx64, a->ptr);
			return;
		}
		if (ad->st == ST_INT && a->buf.len > 4) {
			/* a socket option that is not an int: its bytes */
			render_bytes(sb, a->buf.data, a->buf.len, o->strsize);
			return;
		}
		if (ad->st == ST_INT && a->buf.len >= 4) {
			if (names_for_fmt(ad->fmt)) { /* get_mempolicy's [MPOL_DEFAULT] */
				char tmp[128];
				names_format(tmp, sizeof(tmp), names_for_fmt(ad->fmt), ld(&a->buf, 0, 4));
				sb_printf(sb, "[%s]", tmp);
			} else {
				sb_printf(sb, "[%d]", (int)lds(&a->buf, 0, 4));
			}
			return;
		}
		if (ad->st == ST_U64 && a->buf.len >= 8) {
			if (a->buf.len == 8) {
				sb_printf(sb, "[%" PRIu64 "]", ld(&a->buf, 0, 8));
				return;
			}
			sb_puts(sb, "[");
			for (size_t i = 0; i + 8 <= a->buf.len; i += 8)
				sb_printf(sb, "%s%" PRIu64, i ? ", " : "", ld(&a->buf, i, 8));
			sb_puts(sb, "]");
			return;
		}
		if (ad->st == ST_DIRENTS) {
			sb_printf(sb, "%#" PRIx64 " /* %zu entries */", a->ptr, dirent64_count(&a->buf));
			return;
		}
		if (l && (a->buf.len >= l->size || (ad->size != S_FIXED && a->buf.len))) {
			/* An array where the row says so: n structs, or n per count. */
			bool array = ad->size == S_FIXED ? ad->n > l->size : ad->n > 1;
			layout_str(sb, l, &a->buf, array, o);
			return;
		}
	}
	switch (a->kind) {
	case K_CHAR_PTR:
		/* strace prints paths whole; -s limits data, not names */
		render_bytes(sb, a->buf.data, a->buf.len, o->strsize > 4096 ? o->strsize : 4096);
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
		if (ad && ad->fmt == F_CSTR) /* getcwd's path, without its NUL */
			render_bytes(sb, a->buf.data, strnlen((const char *)a->buf.data, a->buf.len), 4096);
		else
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
		} else if (v <= -512 && v >= -516 && names_restart_text((int)-v)) {
			/* The program never sees a restart code: strace's "?" */
			sb_printf(sb, "? %s (%s)", names_errno((int)-v), names_restart_text((int)-v));
		} else if (v < 0 && v >= -4095 && !(d->flags & SC_RET_NONE)) {
			const char *n = names_errno((int)-v);
			if (n)
				sb_printf(sb, "-1 %s (%s)", n, strerror((int)-v));
			else
				sb_printf(sb, "-1 (errno %" PRId64 ")", -v);
		} else if (r->kind == K_VOID_ADDR || r->kind == K_PASLR_FOLLOW || (d->flags & SC_RET_PTR)) {
			sb_printf(sb, "%#" PRIx64, r->value);
		} else if (d->ret_fmt == F_SCHED_POLICY || d->ret_fmt == F_OPEN_FLAGS ||
			   (d->ret_fmt == F_FD_FLAGS && v != 0)) {
			/* strace: the number, then its meaning. */
			char tmp[256];
			names_format(tmp, sizeof(tmp), names_for_fmt(d->ret_fmt), r->value);
			if (d->ret_fmt == F_OPEN_FLAGS || d->ret_fmt == F_FD_FLAGS)
				sb_printf(sb, "%#" PRIx64 " (flags %s)", r->value, tmp);
			else
				sb_printf(sb, "%" PRId64 " (%s)", v, tmp);
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
	int64_t rv = (int64_t)ev->ret.value;
	if (at_exit && ev->returned && ad && ad->dir == D_OUT && rv < 0 && rv >= -4095 && !(d->flags & SC_OUT_IF_INTR))
		/* The kernel filled nothing: strace shows where it would have. */
		sb_printf(sb, a->ptr ? "%#" PRIx64 : "NULL", a->ptr);
	else if (ad && ad->fmt == F_PTR_ONLY)
		sb_printf(sb, a->ptr ? "%#" PRIx64 : "NULL", a->ptr);
	else if (ad && ad->st == ST_MMSG_SEND && a != &ev->entry[i] && !a->n_items) {
		/* sendmmsg at exit: msg_len as filled, the data as it was sent. */
		struct sp_arg both = *a;
		both.items = ev->entry[i].items;
		both.n_items = ev->entry[i].n_items;
		pointer_str(sb, &both, ad, o);
	} else if (is_pointer_kind(a, ad))
		pointer_str(sb, a, ad, o);
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
	if (!name && (ev->nr & SC_NR_I386)) /* another ABI's number, never an x86_64 name */
		sb_printf(sb, "syscall_i386_%u(", ev->nr & ~SC_NR_I386);
	else
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

/* A file mapping by content (issue 12): its path, the SHA-256 of each page
 * (64 hex digits a page, one string) and the bytes they cover. */
static void map_json(json_object *o, const struct sp_event *ev)
{
	if (!ev->map_digests.len)
		return;
	if (ev->map_path)
		json_object_object_add(o, "map_path", json_object_new_string(ev->map_path));
	json_object_object_add(o, "map_page_sha256_hex", hex_obj(ev->map_digests));
	json_object_object_add(o, "map_length", json_object_new_uint64(ev->map_len));
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
	if (a->flags & SP_NOT_CAPTURED)
		json_object_object_add(o, "not_captured", json_object_new_boolean(1));
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
	if (ev->nr & SC_NR_I386)
		json_object_object_add(o, "abi", json_object_new_string("i386"));
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
	map_json(o, ev);
	/* A stat'ed file's contents (issue 9). */
	if (ev->file_digest.len)
		json_object_object_add(o, "file_sha256_hex", hex_obj(ev->file_digest));
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
	/* A recorder killed before its trailer left the header's count (0):
	 * the syscalls read are the count then. */
	bool counted = kind == TF_RECORDING && !m->number_of_syscalls && count;
	fprintf(out, "# recorded: %s; %" PRIu64 " syscalls%s; ASLR %d%s%s\n", when,
		counted ? count : m->number_of_syscalls, counted ? " in the file (no trailer)" : "",
		m->aslr_state, m->tracee_aslr_off ? " (off in the tracee)" : "",
		m->vdso_hidden ? "; vDSO hidden" : "");
	uname_line(out, "recorded on", &m->uname);
	if (m->replay_uname.sysname)
		uname_line(out, "replayed on", &m->replay_uname);
	if (m->n_env)
		fprintf(out, "# environment: %zu variables\n", m->n_env);
	render_setting(out, m);
	if (m->interrupted)
		fprintf(out, "# INTERRUPTED: the tracer was stopped before the program ended\n");
	if (m->backend)
		fprintf(out, "# recorded with the %s backend; %" PRIu64 " syscall records lost%s\n", m->backend,
			m->lost_records, m->lost_records ? ": the recording is INCOMPLETE" : "");
	if (kind == TF_DIFFERENCES)
		fprintf(out, "# %" PRIu64 " differing syscalls in the file (%" PRIu64 " pairs); verdict: %s\n",
			m->number_of_differences, count, m->verdict ? m->verdict : "-");
}

/* "signer": its key in hex, the fingerprint the text listing shows, and
 * whether --verify checked that every record is that key's. */
static void signer_json(json_object *o, const struct render_signer *signer)
{
	if (!signer || !signer->key)
		return;
	char hex[2 * SEAL_PUBLIC_BYTES + 1], fp[17];
	for (size_t i = 0; i < SEAL_PUBLIC_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", signer->key[i]);
	seal_fingerprint(signer->key, fp);
	json_object *s = json_object_new_object();
	json_object_object_add(s, "key", json_object_new_string(hex));
	json_object_object_add(s, "fingerprint", json_object_new_string(fp));
	json_object_object_add(s, "verified", json_object_new_boolean(signer->verified_with != NULL));
	if (signer->verified_with)
		json_object_object_add(s, "verified_with", json_object_new_string(signer->verified_with));
	json_object_object_add(o, "signer", s);
}

void render_meta_json(FILE *out, const struct tf_meta *m, enum tf_kind kind, uint64_t count, const char *incomplete,
		      const struct render_signer *signer)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "kind", json_object_new_string(kind == TF_RECORDING ? "recording" : "differences"));
	json_object_object_add(o, "count", json_object_new_uint64(count));
	if (incomplete)
		json_object_object_add(o, "incomplete", json_object_new_string(incomplete));
	signer_json(o, signer);
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
		json_object_object_add(o, "backend", json_object_new_string(m->backend ? m->backend : "ptrace"));
		json_object_object_add(o, "lost_records", json_object_new_uint64(m->lost_records));
		if (m->started_ns)
			json_object_object_add(o, "started_ns", json_object_new_uint64(m->started_ns));
		if (m->ended_ns)
			json_object_object_add(o, "ended_ns", json_object_new_uint64(m->ended_ns));
		json_object_object_add(o, "exit_status", json_object_new_int(m->exit_status));
		if (m->verdict)
			json_object_object_add(o, "verdict", json_object_new_string(m->verdict));
		json_object_object_add(o, "result_flags", json_object_new_int((int)m->result_flags));
		render_setting_json(o, m);
	}
	fprintf(out, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

void render_excerpt(struct strbuf *sb, const uint8_t *p, size_t n, size_t at)
{
	size_t start = at > 8 ? at - 8 : 0;
	if (start > n)
		start = n;
	if (start)
		sb_puts(sb, "...");
	render_bytes(sb, p + start, n - start, 24);
}
