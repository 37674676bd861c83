#include "verify/translate.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "syscalls/ids.h"
#include "syscalls/table.h"
#include "trace/tracee_mem.h"
#include "trace/tracer.h"
#include "verify/policy.h"
#include "verify/ptrmap.h"

/* One map per kind of identifier; file handles by a digest of their bytes. */
enum { TM_PID, TM_IPC, TM_KEY, TM_TIMER, TM_INODE, TM_PORT, TM_HANDLE, TM_N };

#define NCLOCKS 16        /* clock ids with an offset: CLOCK_REALTIME .. CLOCK_TAI and beyond */
#define NFDCLOCKS 1024    /* timerfd descriptors whose clock is remembered */
#define NTIMERS 64        /* POSIX timers whose clock is remembered */
#define HANDLE_MAX (8 + 128) /* struct file_handle with MAX_HANDLE_SZ bytes */
#define CONTROL_MAX 4096  /* ancillary data looked at for credentials */

/* Program memory changed at an entry stop, put back at the exit stop. */
struct saved {
	pid_t tid;
	uint64_t addr;
	uint8_t len;
	uint8_t bytes[HANDLE_MAX];
};

/* A file handle: its bytes as the kernel gave them in this run. */
struct handle {
	uint8_t len;
	uint8_t bytes[HANDLE_MAX];
};

struct translate {
	struct ptrmap map[TM_N];
	/* replayed - recorded clock, in ns, as of the last clock read */
	int64_t clock_off[NCLOCKS];
	bool have_off[NCLOCKS];
	int8_t fd_clock[NFDCLOCKS];            /* timerfd -> clock id + 1 (0: unknown) */
	struct { int32_t id; int8_t clock; } timers[NTIMERS];
	size_t n_timers;
	struct saved *saved;
	size_t n_saved, cap_saved;
	/* Replayed file handles, found through TM_HANDLE (recorded digest ->
	 * index + 1 here); the last one name_to_handle_at gave, until reviewed. */
	struct handle *handles;
	size_t n_handles;
	struct handle fresh;
	pid_t fresh_tid;
	uint64_t n_translated;
};

struct translate *translate_new(void)
{
	struct translate *tr = xcalloc(1, sizeof(*tr));
	for (int i = 0; i < TM_N; i++)
		ptrmap_init(&tr->map[i]);
	return tr;
}

void translate_free(struct translate *tr)
{
	if (!tr)
		return;
	for (int i = 0; i < TM_N; i++)
		ptrmap_free(&tr->map[i]);
	free(tr->saved);
	free(tr->handles);
	free(tr);
}

uint64_t translate_count(const struct translate *tr)
{
	return tr->n_translated;
}

static int map_of(unsigned kind)
{
	switch (kind) {
	case IDK_PID: case IDK_PID_SIGNED: case IDK_F_OWNER_EX: case IDK_SIGINFO:
		return TM_PID;
	case IDK_IPC:
		return TM_IPC;
	case IDK_KEY:
		return TM_KEY;
	case IDK_TIMER:
		return TM_TIMER;
	}
	return -1;
}

/* The magnitude that is an identifier (a pid of -pgid is the pgid), or -1
 * for the values that mean something else (0: the caller, -1: everyone,
 * negative key serials: the special keyrings). */
static int64_t id_part(unsigned kind, int64_t v)
{
	switch (kind) {
	case IDK_PID: case IDK_F_OWNER_EX: case IDK_SIGINFO: case IDK_KEY:
		return v > 0 ? v : -1;
	case IDK_PID_SIGNED:
		return v > 0 ? v : v < -1 ? -v : -1;
	case IDK_IPC: case IDK_TIMER:
		return v >= 0 ? v : -1;
	}
	return -1;
}

/* The value the kernel must see for recorded value `v` (an int). */
static int32_t to_replayed(struct translate *tr, unsigned kind, int32_t v)
{
	int64_t id = id_part(kind, v);
	uint64_t rep;
	if (id < 0 || !ptrmap_to_replayed(&tr->map[map_of(kind)], (uint64_t)id, &rep))
		return v;
	return v < 0 ? -(int32_t)rep : (int32_t)rep;
}

/* Pair a recorded and a replayed identifier. False if the pair breaks the
 * map, or if one is an identifier and the other is not. */
static bool pair_ids(struct translate *tr, unsigned kind, int64_t rec, int64_t rep)
{
	int64_t a = id_part(kind, rec), b = id_part(kind, rep);
	if (a < 0 || b < 0)
		return a == b && rec == rep;
	if ((rec < 0) != (rep < 0))
		return false;
	return ptrmap_pair(&tr->map[map_of(kind)], (uint64_t)a, (uint64_t)b);
}

/* wait4 reaped another child than recorded: the children ended in another
 * order, which the syscall schedule does not fix. Both must be children the
 * runs already paired (at clone); the recorded pid is written back, so the
 * program goes on as recorded, and the difference counts as scheduling. */
static bool reaped_in_other_order(struct translate *tr, const char *name, int64_t rec, int64_t rep)
{
	uint64_t other;
	const struct ptrmap *m = &tr->map[map_of(IDK_PID)];
	return rec > 0 && rep > 0 && !strcmp(name, "wait4") && ptrmap_to_replayed(m, (uint64_t)rec, &other) &&
	       other != (uint64_t)rep && ptrmap_to_recorded(m, (uint64_t)rep, &other);
}

/* ---- changing the program's memory for one call ---- */

static int poke(struct translate *tr, struct tracee *t, uint64_t addr, const void *now, size_t len)
{
	uint8_t old[HANDLE_MAX];
	if (len > sizeof(old) || mem_read(t->tid, addr, old, len) != (ssize_t)len)
		return 0; /* unreadable: the kernel will say EFAULT, as it did when recorded */
	if (!memcmp(old, now, len))
		return 0;
	if (tr->n_saved == tr->cap_saved) {
		tr->cap_saved = tr->cap_saved ? tr->cap_saved * 2 : 8;
		tr->saved = realloc(tr->saved, tr->cap_saved * sizeof(*tr->saved));
		if (!tr->saved)
			die(EXIT_TRACER, "out of memory");
	}
	int e = mem_write(t->tid, addr, now, len);
	if (e < 0)
		return e;
	struct saved *s = &tr->saved[tr->n_saved++];
	s->tid = t->tid;
	s->addr = addr;
	s->len = (uint8_t)len;
	memcpy(s->bytes, old, len);
	tr->n_translated++;
	return 0;
}

static int poke_id(struct translate *tr, struct tracee *t, uint64_t addr, unsigned kind)
{
	int32_t v;
	if (!addr || mem_read(t->tid, addr, &v, 4) != 4)
		return 0;
	int32_t w = to_replayed(tr, kind, v);
	return poke(tr, t, addr, &w, 4);
}

/* ---- identifiers ---- */

/* Entry differences in identifier arguments: the program holds a value the
 * kernel gave it in this run (an out-argument replay does not capture), so
 * it is the replayed one already: pair it and leave it alone. Returns the
 * arguments not to translate. */
static unsigned entry_ids_seen(struct translate *tr, const struct sp_event *rec, struct sp_event *rep,
			       const struct sc_idref *ids, size_t n)
{
	unsigned keep = 0;
	for (int k = 0; k < rep->n_diffs; k++) {
		struct sp_diff *d = &rep->diffs[k];
		if (d->at_exit || d->arg == 0 || strcmp(d->field, "value") || d->klass != PC_MUST)
			continue;
		int i = d->arg - 1;
		for (size_t j = 0; j < n; j++) {
			if (ids[j].where != i || !sc_id_applies(&ids[j], rep->raw_args))
				continue;
			keep |= 1u << i;
			if (pair_ids(tr, ids[j].kind, (int32_t)rec->entry[i].value, (int32_t)rep->entry[i].value)) {
				d->klass = PC_ACCEPT;
				d->label = sc_idkind_label(ids[j].kind);
			} else {
				d->flag = RF_WRONG_INTEGER;
			}
			break;
		}
	}
	return keep;
}

static int entry_ids(struct translate *tr, struct tracee *t, const struct sp_event *rec, struct sp_event *rep)
{
	size_t n;
	const struct sc_idref *ids = sc_ids(rep->nr, &n);
	if (!ids)
		return 0;
	unsigned keep = entry_ids_seen(tr, rec, rep, ids, n);
	for (size_t j = 0; j < n; j++) {
		const struct sc_idref *r = &ids[j];
		if (r->where == SC_ID_RET || !sc_id_applies(r, rep->raw_args))
			continue;
		int i = r->where & 7, e = 0;
		if (keep & 1u << i)
			continue;
		uint64_t a = rep->raw_args[i];
		if (r->where & SC_ID_PTR) {
			e = poke_id(tr, t, a, r->kind);
		} else if (r->kind == IDK_F_OWNER_EX) {
			e = a ? poke_id(tr, t, a + 4, IDK_PID) : 0;
		} else if (r->kind == IDK_SIGINFO) {
			e = a ? poke_id(tr, t, a + 16, IDK_PID) : 0;
		} else {
			int32_t w = to_replayed(tr, r->kind, (int32_t)a);
			if (w != (int32_t)a) {
				e = tracer_set_arg(t, i, (uint64_t)(int64_t)w);
				tr->n_translated++;
			}
		}
		if (e < 0)
			return e;
	}
	return 0;
}

/* ---- socket addresses ---- */

static int entry_sockaddr(struct translate *tr, struct tracee *t, uint64_t addr, uint64_t len)
{
	uint8_t h[4];
	if (!addr || len < 4 || mem_read(t->tid, addr, h, 4) != 4)
		return 0;
	unsigned family = h[0] | h[1] << 8, port = (unsigned)h[2] << 8 | h[3];
	uint64_t to;
	if ((family != 2 && family != 10) || !port || !ptrmap_to_replayed(&tr->map[TM_PORT], port, &to))
		return 0;
	uint8_t p[2] = { (uint8_t)(to >> 8), (uint8_t)to };
	return poke(tr, t, addr + 2, p, 2);
}

static int entry_sockaddrs(struct translate *tr, struct tracee *t, const char *name, const uint64_t *a)
{
	if (!strcmp(name, "connect") || !strcmp(name, "bind"))
		return entry_sockaddr(tr, t, a[1], a[2]);
	if (!strcmp(name, "sendto"))
		return entry_sockaddr(tr, t, a[4], a[5]);
	if (!strcmp(name, "sendmsg") && a[1]) {
		uint64_t nm = 0;
		uint32_t nl = 0;
		if (mem_read(t->tid, a[1], &nm, 8) == 8 && mem_read(t->tid, a[1] + 8, &nl, 4) == 4)
			return entry_sockaddr(tr, t, nm, nl);
	}
	return 0;
}

/* ---- credentials and file handles ---- */

/* sendmsg's SCM_CREDENTIALS: the pid in struct ucred. */
static int entry_credentials(struct translate *tr, struct tracee *t, uint64_t msg)
{
	uint64_t hdr[6];
	if (!msg || mem_read(t->tid, msg, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr) || !hdr[4] || hdr[5] < 16)
		return 0;
	uint64_t control = hdr[4], len = hdr[5] < CONTROL_MAX ? hdr[5] : CONTROL_MAX;
	uint8_t *c = xcalloc(1, len);
	int e = 0;
	if (mem_read(t->tid, control, c, len) == (ssize_t)len) {
		for (uint64_t off = 0; off + 16 <= len && !e;) {
			uint64_t clen;
			int32_t level, type;
			memcpy(&clen, c + off, 8);
			memcpy(&level, c + off + 8, 4);
			memcpy(&type, c + off + 12, 4);
			if (clen < 16 || off + clen > len)
				break;
			if (level == 1 && type == 2 && clen >= 28) /* SOL_SOCKET, SCM_CREDENTIALS */
				e = poke_id(tr, t, control + off + 16, IDK_PID);
			off += (clen + 7) & ~(uint64_t)7;
		}
	}
	free(c);
	return e;
}

static uint64_t digest(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}

/* struct file_handle at `addr`: its header and handle_bytes bytes. */
static bool read_handle(pid_t tid, uint64_t addr, struct handle *h)
{
	uint32_t n;
	if (!addr || mem_read(tid, addr, &n, 4) != 4 || n > HANDLE_MAX - 8)
		return false;
	h->len = (uint8_t)(8 + n);
	return mem_read(tid, addr, h->bytes, h->len) == h->len;
}

/* open_by_handle_at with a recorded handle: the replayed one for it. */
static int entry_handle(struct translate *tr, struct tracee *t, uint64_t addr)
{
	struct handle h;
	uint64_t to;
	if (!read_handle(t->tid, addr, &h) || !ptrmap_to_replayed(&tr->map[TM_HANDLE], digest(h.bytes, h.len), &to))
		return 0;
	for (size_t i = 0; i < tr->n_handles; i++) {
		struct handle *r = &tr->handles[i];
		if (r->len == h.len && digest(r->bytes, r->len) == to)
			return poke(tr, t, addr, r->bytes, r->len);
	}
	return 0;
}

/* ---- absolute times ---- */

static int norm_clock(int64_t c)
{
	if (c == 5)  /* CLOCK_REALTIME_COARSE reads CLOCK_REALTIME */
		return 0;
	if (c == 6)  /* CLOCK_MONOTONIC_COARSE reads CLOCK_MONOTONIC */
		return 1;
	return c >= 0 && c < NCLOCKS ? (int)c : -1;
}

/* Move the timespec at `addr` from the recorded clock to the replayed one. */
static int shift_time(struct translate *tr, struct tracee *t, uint64_t addr, int64_t clock, bool zero_is_off)
{
	int c = norm_clock(clock);
	int64_t ts[2];
	if (!addr || c < 0 || !tr->have_off[c] || !tr->clock_off[c] || mem_read(t->tid, addr, ts, 16) != 16)
		return 0;
	if (zero_is_off && !ts[0] && !ts[1])
		return 0; /* it_value 0 disarms the timer */
	if (ts[1] < 0 || ts[1] >= 1000000000)
		return 0; /* invalid: the kernel says EINVAL either way */
	int64_t ns = ts[1] + tr->clock_off[c] % 1000000000;
	ts[0] += tr->clock_off[c] / 1000000000 + (ns >= 1000000000) - (ns < 0);
	ts[1] = ns < 0 ? ns + 1000000000 : ns % 1000000000;
	return poke(tr, t, addr, ts, 16);
}

static int timer_clock(const struct translate *tr, int32_t id)
{
	for (size_t i = tr->n_timers; i-- > 0;)
		if (tr->timers[i].id == id)
			return tr->timers[i].clock;
	return -1;
}

static int entry_times(struct translate *tr, struct tracee *t, const char *name, const uint64_t *a)
{
	if (!strcmp(name, "futex")) {
		unsigned op = (unsigned)a[1], cmd = op & 127;
		bool rt = op & 256;  /* FUTEX_CLOCK_REALTIME */
		if (cmd == 9 || cmd == 11 || cmd == 13) /* WAIT_BITSET, WAIT_REQUEUE_PI, LOCK_PI2 */
			return shift_time(tr, t, a[3], rt ? 0 : 1, false);
		if (cmd == 6) /* LOCK_PI: always CLOCK_REALTIME */
			return shift_time(tr, t, a[3], 0, false);
		return 0;
	}
	if (!strcmp(name, "clock_nanosleep"))
		return a[1] & 1 ? shift_time(tr, t, a[2], (int32_t)a[0], false) : 0; /* TIMER_ABSTIME */
	if (!strcmp(name, "clock_settime"))
		return shift_time(tr, t, a[1], (int32_t)a[0], false);
	if (!strcmp(name, "timerfd_settime")) {
		int fd = (int32_t)a[0];
		if (!(a[1] & 1) || fd < 0 || fd >= NFDCLOCKS || !tr->fd_clock[fd]) /* TFD_TIMER_ABSTIME */
			return 0;
		return shift_time(tr, t, a[2] ? a[2] + 16 : 0, tr->fd_clock[fd] - 1, true);
	}
	if (!strcmp(name, "timer_settime"))
		return a[1] & 1 ? shift_time(tr, t, a[2] ? a[2] + 16 : 0, timer_clock(tr, (int32_t)a[0]), true) : 0;
	if (!strcmp(name, "mq_timedsend") || !strcmp(name, "mq_timedreceive"))
		return shift_time(tr, t, a[4], 0, false);
	if (!strcmp(name, "futex_waitv"))
		return shift_time(tr, t, a[3], (int32_t)a[4], false);
	if (!strcmp(name, "futex_wait"))
		return shift_time(tr, t, a[4], (int32_t)a[5], false);
	return 0;
}

int translate_entry(struct translate *tr, struct tracee *t, const struct sp_event *rec, struct sp_event *rep)
{
	const char *name = sc_name(rep->nr);
	int e = entry_ids(tr, t, rec, rep);
	if (!e && name)
		e = entry_sockaddrs(tr, t, name, rep->raw_args);
	if (!e && name && !strcmp(name, "sendmsg"))
		e = entry_credentials(tr, t, rep->raw_args[1]);
	if (!e && name && !strcmp(name, "open_by_handle_at"))
		e = entry_handle(tr, t, rep->raw_args[1]);
	if (!e && name) {
		/* A timer id was translated in its register: the clock is the replayed timer's. */
		uint64_t a[6];
		memcpy(a, rep->raw_args, sizeof(a));
		if (!strcmp(name, "timer_settime"))
			a[0] = (uint64_t)(int64_t)to_replayed(tr, IDK_TIMER, (int32_t)a[0]);
		e = entry_times(tr, t, name, a);
	}
	return e;
}

int translate_exit(struct translate *tr, struct tracee *t, const struct sp_event *rep)
{
	int err = 0;
	/* Newest first, so that overlapping changes end as the program had them. */
	for (size_t i = tr->n_saved; i-- > 0;) {
		struct saved *s = &tr->saved[i];
		int e = s->tid == t->tid ? mem_write(s->tid, s->addr, s->bytes, s->len) : 0;
		if (e < 0 && !err)
			err = e;
	}
	size_t k = 0;
	for (size_t i = 0; i < tr->n_saved; i++)
		if (tr->saved[i].tid != t->tid)
			tr->saved[k++] = tr->saved[i];
	tr->n_saved = k;
	const char *name = sc_name(rep->nr);
	if (!name || !rep->returned)
		return err;
	int64_t ret = (int64_t)rep->ret.value;
	if (!strcmp(name, "timerfd_create") && ret >= 0 && ret < NFDCLOCKS) {
		int c = norm_clock((int32_t)rep->raw_args[0]);
		tr->fd_clock[ret] = (int8_t)(c + 1);
	} else if (!strcmp(name, "name_to_handle_at") && ret == 0) {
		/* The handle this run got, before the recorded one may be written over it. */
		tr->fresh.len = 0;
		if (!read_handle(t->tid, rep->raw_args[2], &tr->fresh))
			tr->fresh.len = 0;
	} else if (!strcmp(name, "timer_create") && ret == 0 && rep->raw_args[2]) {
		int32_t id;
		if (mem_read(t->tid, rep->raw_args[2], &id, 4) == 4) {
			size_t i = tr->n_timers < NTIMERS ? tr->n_timers++ : (size_t)(id & (NTIMERS - 1));
			tr->timers[i].id = id;
			tr->timers[i].clock = (int8_t)norm_clock((int32_t)rep->raw_args[0]);
		}
	}
	return err;
}

int translate_unmatched_entry(struct translate *tr, struct tracee *t, const struct sp_event *rep)
{
	const char *name = sc_name(rep->nr);
	return name ? entry_times(tr, t, name, rep->raw_args) : 0;
}

/* Write the clock value at `addr` (a timespec, or a timeval when `unit` is
 * 1000 ns) moved back by the clock's offset. */
static int unshift_time(struct translate *tr, struct tracee *t, uint64_t addr, int c, int64_t unit)
{
	int64_t v[2];
	if (!addr || c < 0 || !tr->have_off[c] || mem_read(t->tid, addr, v, 16) != 16)
		return 0;
	int64_t per_s = 1000000000 / unit;
	if (v[1] < 0 || v[1] >= per_s)
		return 0;
	int64_t ns = v[1] * unit - tr->clock_off[c] % 1000000000;
	v[0] -= tr->clock_off[c] / 1000000000 + (ns < 0) - (ns >= 1000000000);
	ns = ns < 0 ? ns + 1000000000 : ns % 1000000000;
	v[1] = ns / unit;
	return mem_write(t->tid, addr, v, 16);
}

int translate_unmatched_exit(struct translate *tr, struct tracee *t, const struct sp_event *rep)
{
	const char *name = sc_name(rep->nr);
	if (!name || !rep->returned || rep->ret.value != 0)
		return 0;
	if (!strcmp(name, "clock_gettime"))
		return unshift_time(tr, t, rep->raw_args[1], norm_clock((int32_t)rep->raw_args[0]), 1);
	if (!strcmp(name, "gettimeofday"))
		return unshift_time(tr, t, rep->raw_args[0], 0, 1000);
	return 0;
}

/* ---- what the kernel wrote: learn, accept or flag ---- */

static int64_t ts_ns(struct sp_bytes b, int64_t unit)
{
	int64_t v[2];
	memcpy(v, b.data, 16);
	return v[0] * 1000000000 + v[1] * unit;
}

/* The clock offsets: every clock read replay answers with the recorded value. */
static void learn_clock(struct translate *tr, const char *name, const struct sp_event *rec, const struct sp_event *rep)
{
	int c = -1, arg = 0;
	int64_t unit = 1;
	if (!strcmp(name, "clock_gettime")) {
		c = norm_clock((int32_t)rep->raw_args[0]);
		arg = 1;
	} else if (!strcmp(name, "gettimeofday")) {
		c = 0;
		unit = 1000;
	}
	if (c < 0 || rep->nargs <= arg || rec->nargs <= arg || (int64_t)rep->ret.value != 0)
		return;
	struct sp_bytes a = rec->exit[arg].buf, b = rep->exit[arg].buf;
	if (a.len != 16 || b.len != 16)
		return;
	tr->clock_off[c] = ts_ns(b, unit) - ts_ns(a, unit);
	tr->have_off[c] = true;
}

/* readlink of a descriptor's link: "socket:[N]", "pipe:[N]", "anon_inode:[N]"...
 * Returns the length of the prefix up to '[' and sets *ino, or 0. */
static size_t inode_link(struct sp_bytes b, uint64_t *ino)
{
	const char *s = (const char *)b.data;
	size_t i = 0;
	while (i < b.len && s[i] != ':' && s[i] != '/')
		i++;
	if (i == 0 || i + 3 > b.len || s[i] != ':' || s[i + 1] != '[' || s[b.len - 1] != ']')
		return 0;
	uint64_t v = 0;
	for (size_t k = i + 2; k + 1 < b.len; k++) {
		if (s[k] < '0' || s[k] > '9' || v > UINT64_MAX / 10)
			return 0;
		v = v * 10 + (uint64_t)(s[k] - '0');
	}
	*ino = v;
	return i + 2;
}

/* readlink(at) naming an inode: -1 not such a call, 1 the inodes map, 0 they break the map. */
static int readlink_inode(struct translate *tr, const char *name, const struct sp_event *rec, const struct sp_event *rep)
{
	int i = !strcmp(name, "readlink") ? 1 : !strcmp(name, "readlinkat") ? 2 : -1;
	if (i < 0 || rec->nargs <= i || rep->nargs <= i)
		return -1;
	struct sp_bytes a = rec->exit[i].buf, b = rep->exit[i].buf;
	uint64_t x, y;
	size_t pa = inode_link(a, &x), pb = inode_link(b, &y);
	if (!pa || !pb)
		return -1;
	if (pa != pb || memcmp(a.data, b.data, pa))
		return 0;
	return ptrmap_pair(&tr->map[TM_INODE], x, y);
}

/* True if a and b (same length) differ only inside [lo1, hi1) and [lo2, hi2). */
static bool differ_only_in(struct sp_bytes a, struct sp_bytes b, size_t lo1, size_t hi1, size_t lo2, size_t hi2)
{
	if (a.len != b.len)
		return false;
	for (size_t i = 0; i < a.len; i++)
		if (a.data[i] != b.data[i] && !(i >= lo1 && i < hi1) && !(i >= lo2 && i < hi2))
			return false;
	return true;
}

static int32_t int_at(struct sp_bytes b, size_t off)
{
	int32_t v = 0;
	if (off + 4 <= b.len)
		memcpy(&v, b.data + off, 4);
	return v;
}

static void accept(struct sp_diff *d, bool ok, const char *label)
{
	if (ok) {
		d->klass = PC_ACCEPT;
		d->label = label;
	} else {
		d->klass = PC_MUST;
		d->label = NULL;
		d->flag = RF_WRONG_INTEGER;
	}
}

/* A pid in a struct the kernel filled (siginfo, ucred, f_owner_ex):
 * 1 accepted, 0 it breaks the map, -1 not such a struct. */
static int struct_pid(struct translate *tr, const char *name, const struct sp_event *rep, int i,
		      struct sp_bytes a, struct sp_bytes b)
{
	const uint64_t *r = rep->raw_args;
	size_t at;
	size_t lo2 = 0, hi2 = 0;
	if (rep->exit[i].kind == K_STRUCT_SIGINFO) {
		at = 16;
		if (int_at(a, 0) == 17 && int_at(b, 0) == 17) { /* SIGCHLD: si_utime, si_stime are CPU times */
			lo2 = 32;
			hi2 = 48;
		}
	} else if (!strcmp(name, "getsockopt") && i == 3 && r[1] == 1 && r[2] == 17) { /* SO_PEERCRED */
		at = 0;
	} else if (!strcmp(name, "fcntl") && i == 2 && r[1] == 16) { /* F_GETOWN_EX */
		at = 4;
	} else {
		return -1;
	}
	if (a.len < at + 4 || !differ_only_in(a, b, at, at + 4, lo2, hi2))
		return -1;
	return pair_ids(tr, IDK_PID, int_at(a, at), int_at(b, at));
}

/* A socket address the kernel filled, differing in its port only. */
static int sockaddr_port(struct translate *tr, struct sp_bytes a, struct sp_bytes b)
{
	if (a.len < 4 || a.len != b.len || memcmp(a.data, b.data, 2) || !differ_only_in(a, b, 2, 4, 0, 0))
		return -1;
	unsigned family = a.data[0] | a.data[1] << 8;
	if (family != 2 && family != 10)
		return -1;
	return ptrmap_pair(&tr->map[TM_PORT], (unsigned)a.data[2] << 8 | a.data[3], (unsigned)b.data[2] << 8 | b.data[3]);
}

static const struct sc_idref *id_row(uint32_t nr, unsigned where, const uint64_t *args)
{
	size_t n;
	const struct sc_idref *ids = sc_ids(nr, &n);
	for (size_t j = 0; j < n; j++)
		if (ids[j].where == where && sc_id_applies(&ids[j], args))
			return &ids[j];
	return NULL;
}

/* name_to_handle_at: pair the recorded handle with this run's. -1 if
 * either is unknown (an untyped call: the program keeps this run's). */
static int pair_handle(struct translate *tr, const char *name, const struct sp_event *rec)
{
	struct handle h = tr->fresh;
	tr->fresh.len = 0;
	if (strcmp(name, "name_to_handle_at") || !h.len || rec->nargs < 3)
		return -1;
	struct sp_bytes a = rec->exit[2].buf;
	uint32_t n;
	if (a.len < 8)
		return -1;
	memcpy(&n, a.data, 4);
	if (n > HANDLE_MAX - 8 || 8 + n > a.len)
		return -1;
	uint64_t x = digest(a.data, 8 + n), y = digest(h.bytes, h.len);
	uint64_t known;
	bool seen = ptrmap_to_recorded(&tr->map[TM_HANDLE], y, &known);
	if (!ptrmap_pair(&tr->map[TM_HANDLE], x, y))
		return 0;
	if (!seen) {
		tr->handles = realloc(tr->handles, (tr->n_handles + 1) * sizeof(*tr->handles));
		if (!tr->handles)
			die(EXIT_TRACER, "out of memory");
		tr->handles[tr->n_handles++] = h;
	}
	return 1;
}

/* recvmsg's SCM_CREDENTIALS differing in the pid only: 1 paired, 0 the
 * pair breaks the map, -1 not such a difference. */
static int control_pid(struct translate *tr, struct sp_bytes a, struct sp_bytes b, uint64_t at)
{
	if (a.len != b.len)
		return -1;
	for (uint64_t off = 0; off + 16 <= a.len;) {
		uint64_t clen;
		int32_t level, type;
		memcpy(&clen, a.data + off, 8);
		memcpy(&level, a.data + off + 8, 4);
		memcpy(&type, a.data + off + 12, 4);
		if (clen < 16 || off + clen > a.len)
			return -1;
		if (at >= off && at < off + clen) {
			struct sp_bytes x = { a.data + off, clen }, y = { b.data + off, clen };
			if (level != 1 || type != 2 || clen < 28 || !differ_only_in(x, y, 16, 20, 0, 0))
				return -1;
			return pair_ids(tr, IDK_PID, int_at(x, 16), int_at(y, 16));
		}
		off += (clen + 7) & ~(uint64_t)7;
	}
	return -1;
}

void translate_review(struct translate *tr, const struct sp_event *rec, struct sp_event *rep)
{
	const char *name = sc_name(rep->nr);
	if (!name || !rec->returned || !rep->returned)
		return;
	learn_clock(tr, name, rec, rep);
	int inode = readlink_inode(tr, name, rec, rep);
	int handle = pair_handle(tr, name, rec);
	for (int k = 0; k < rep->n_diffs; k++) {
		struct sp_diff *d = &rep->diffs[k];
		if (!d->at_exit || d->klass == PC_IGNORE)
			continue;
		int i = d->arg - 1;
		if (d->arg == 0 && !strcmp(d->field, "value")) {
			int64_t a = (int64_t)rec->ret.value, b = (int64_t)rep->ret.value;
			const struct sc_idref *row = id_row(rep->nr, SC_ID_RET, rep->raw_args);
			if (inode >= 0)
				accept(d, inode, "socket inodes");
			else if (reaped_in_other_order(tr, name, a, b))
				accept(d, 1, "scheduling");
			else if (row)
				accept(d, pair_ids(tr, row->kind, a, b), sc_idkind_label(row->kind));
			else if (d->klass == PC_ACCEPT && d->label && !strcmp(d->label, "pids"))
				accept(d, pair_ids(tr, IDK_PID, a, b), d->label);
			continue;
		}
		if (d->arg == 0 || i >= rec->nargs || i >= rep->nargs)
			continue;
		struct sp_bytes a = rec->exit[i].buf, b = rep->exit[i].buf;
		if (inode >= 0 && !strcmp(d->field, "buffer")) {
			accept(d, inode, "socket inodes");
		} else if (handle >= 0 && i == 2) {
			accept(d, handle, "file handles");
		} else if (!strcmp(d->field, "msg_control_data")) {
			int ok = control_pid(tr, rec->exit[i].control, rep->exit[i].control, d->offset);
			if (ok >= 0)
				accept(d, ok, "pids");
		} else if (!strcmp(d->field, "sin_port")) {
			int ok = sockaddr_port(tr, a, b);
			if (ok >= 0)
				accept(d, ok, "local ports");
		} else if (!strcmp(d->field, "msg_name_data")) {
			int ok = sockaddr_port(tr, rec->exit[i].name, rep->exit[i].name);
			if (ok >= 0)
				accept(d, ok, "local ports");
		} else {
			/* the buffer, or a field of a typed struct that holds a pid
			 * (siginfo's si_pid, ucred's pid, f_owner_ex's pid) */
			const struct sc_idref *row = id_row(rep->nr, SC_ID_PTR | (unsigned)i, rep->raw_args);
			int ok = row ? (a.len == 4 && b.len == 4 ? pair_ids(tr, row->kind, int_at(a, 0), int_at(b, 0)) : -1)
				     : struct_pid(tr, name, rep, i, a, b);
			if (ok >= 0)
				accept(d, ok, row ? sc_idkind_label(row->kind) : "pids");
		}
	}
}
