/* The replay phase: run the program again, check every syscall against the
 * recording, let the kernel really execute it, write the recorded values
 * back where the policy allows, and give a verdict. */
#include "verify/replay.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "trace/capture.h"
#include "verify/compare.h"
#include "verify/fdnames.h"
#include "verify/streams.h"
#include "verify/exec_compare.h"
#include "verify/map_compare.h"
#include "sandbox/launch.h"
#include "verify/contain.h"
#include "verify/policy.h"
#include "verify/preflight.h"
#include "verify/replay_setting.h"
#include "verify/ptrmap.h"
#include "verify/translate.h"
#include "verify/schedule.h"
#include "verify/sched_class.h"
#include "cli/record.h"
#include "cli/names.h"
#include "cli/console.h"
#include "cli/render.h"
#include "cli/render_field.h"
#include "cli/watch.h"
#include "syscalls/structs.h"
#include "syscalls/table.h"
#include "trace/sysstate.h"
#include "trace/tracee_mem.h"
#include "format/tracefile.h"
#include "trace/tracer.h"
#include "base/util.h"

#define CONTEXT 4        /* matching syscalls shown before a divergence */
#define MAX_REPORT 40    /* unacceptable differences listed in the verdict */
#define MAX_LABELS 32
/* No stop for this long while threads wait for their turn: the thread
 * whose turn it is is blocked in the kernel, and the order is relaxed. */
#define SCHED_IDLE_MS 30
/* With threads sharing memory, the one in user space is let go only after
 * this long without a step: it is most likely computing (sort sorting its
 * buffer), not spinning. */
#define SCHED_USER_IDLE_MS 10000
/* An open whose recorded descriptor is still taken here waits at most
 * this long for the close that frees it (the run may have gone another
 * way, and that close may never come). */
#define FD_HOLD_MS 1000
/* How far (items of the recording, and elastic calls of the thread) replay
 * reads ahead to find the open or close a thread is about to make. */
#define FD_READ_AHEAD 512

/* One replayed tracee and the recorded process it stands for. */
struct rtrace {
	struct rtrace *next;
	pid_t tid;
	uint32_t rec_tid;      /* the recorded tid; valid if `mapped` */
	bool mapped;
	bool stranger;         /* a process the recording does not know */
	bool emulated;         /* the syscall in progress was skipped (containment) */
	bool have_rec;
	uint64_t index;        /* of `rec` in the recording */
	struct arena arena;
	struct sp_event rec;   /* the recorded syscall (or signal) being replayed */
	/* The schedule (schedule.c): where this thread stands in the order. */
	struct sched_thread st;
	struct tracee *t;      /* while it is traced */
	bool in_call;          /* its recorded entry was taken, the exit not yet */
	bool end_loose;        /* its end may come long after its exit stop */
	bool end_after_wait;   /* its end's turn moved past a wait4 that missed it */
	bool restarting;       /* a signal we suppressed interrupted the call: the
				* kernel restarts it, which is not a new syscall */
	bool inject_sent;      /* the recorded signal `inject_signo` is queued */
	int inject_signo;
	uint32_t switch_to;    /* after its execve: the leader's recorded tid */
	bool rec_kept;         /* `rec` is still to be replayed (an extra call came first) */
	struct item *rec_item; /* `rec` as read from the file (for the context of a report) */
	bool extra_call;       /* the call in progress has no recorded counterpart */
	bool deferred;         /* the call was skipped to let a signal come first */
	uint32_t deferred_nr;
	int64_t fd_hold;       /* held before an open that got this descriptor */
	uint64_t fd_hold_ns;   /* ... since then */
	uint64_t fd_hold_over; /* the open (its exit's seq) whose hold ran out */
	pid_t tgid;            /* its process (0: not looked up yet) */
};

/* A recorded item as read from the file, shared by whoever still needs
 * it: a process's queue until the process asks for it, the process while
 * it replays it, the context of a divergence report (the last CONTEXT
 * matched). The recording is read once, front to back: nothing is read
 * again from the file. */
struct item {
	unsigned refs;
	uint64_t id;           /* its place among the items read */
	struct tf_raw raw;
};

static struct item *item_ref(struct item *it)
{
	if (it)
		it->refs++;
	return it;
}

static void item_put(struct item *it)
{
	if (it && !--it->refs) {
		free(it->raw.data);
		free(it);
	}
}

/* One recorded process's items read from the file before it asked for
 * them (another process's were wanted): an in-memory queue, as long as
 * what the recorded processes interleave. */
struct pending {
	uint32_t tid;
	struct item **item;
	uint64_t *idx;
	uint64_t *seq;         /* the item's place in the order */
	int32_t *signo;        /* a signal's number, 0 for a syscall */
	bool *at_exit;         /* a signal that came as the previous call returned */
	uint32_t *nr;          /* a syscall's number */
	uint64_t *seq_exit;    /* ... and the place of its exit */
	int64_t *ret;          /* ... its return value */
	uint64_t *arg0;        /* ... and its first argument */
	size_t head, n, cap;
};

struct replayer {
	const struct replay_opts *o;
	struct policy pol;
	struct ptrmap ptrs;
	struct compare_ctx cmp;
	struct fdnames fdn;            /* descriptor names and kinds */
	struct tf_reader *in;
	const struct tf_meta *meta;
	struct tf_meta meta_own;       /* what `meta` points to: the whole file's, read before the run */
	struct tf_writer *out;
	struct arena scratch;
	struct rtrace *cur;            /* the tracee whose syscall is being handled */
	struct rtrace *all;            /* every replayed tracee, for the end of the run */
	/* The recording is read in order; a syscall of a process that has not
	 * asked for its next one yet is set aside (in memory) until it does. */
	uint64_t next_index;           /* the index in the recording of the next syscall read */
	uint64_t next_id;              /* the place of the next item read */
	bool eof;                      /* all read */
	struct pending *pend;
	size_t n_pend;
	uint64_t matched;              /* syscalls compared */
	struct translate *tr;          /* recorded -> replayed values handed back to the kernel */
	struct item *ring[CONTEXT];    /* the last matched syscalls */
	uint64_t ring_n;
	uint32_t flags;
	uint64_t n_must, n_accept, n_replayed, n_pairs;
	uint64_t n_refused_writes;     /* recorded values kept out of shared or read-only mappings */
	bool contained;                /* an unacceptable difference was met: no more acts outside */
	uint64_t contained_at;         /* the recorded syscall from which on */
	uint64_t n_emulated;           /* calls skipped and given their recorded result */
	dev_t std_dev[2];              /* what replay gave the program as stdout and stderr: */
	ino_t std_ino[2];              /* writes there still run when contained */
	const char *labels[MAX_LABELS];
	uint64_t label_n[MAX_LABELS];
	int n_labels;
	struct strbuf report;
	int report_lines;
	/* Files named as changed after the recording was made (once each). */
	uint64_t hinted[16][2];
	int n_hinted;
	bool stop;                     /* strict, fatal or divergence: end the run */
	bool diverged;
	int out_err;
	struct render_opts ro;
	/* Replay drives: threads take their steps in the recorded order. */
	struct schedule sched;
	bool ordered;                  /* the recording has the order (seq numbers) */
	bool order_known;
	struct arena peek_arena;
	struct sp_event peek_ev;
	uint64_t peek_id;              /* the item peek_ev holds, or UINT64_MAX */
	uint64_t relaxed_at;           /* index of the first relaxation */
	uint64_t steps;                /* recorded steps taken (entries, exits, signals) */
	uint64_t idle_steps;           /* `steps` when last looked at while threads wait, */
	uint64_t idle_since_ns;        /* and since when it has not moved (or the last relaxation) */
	uint64_t progress_ns;          /* when it last moved */
	uint64_t n_natural;            /* signals that arose on replay, suppressed */
	uint64_t n_renumbered;         /* new descriptors moved to their recorded number */
	uint64_t n_injected;           /* recorded signals delivered */
	struct watch watch;            /* -v lines and the progress line */
	bool notified;                 /* the first unacceptable difference went to o->notify_fd */
};

/* ---- reporting ---- */


static const struct sp_arg *diff_arg(const struct sp_event *ev, const struct sp_diff *d)
{
	if (d->arg == 0)
		return &ev->ret;
	return d->at_exit ? &ev->exit[d->arg - 1] : &ev->entry[d->arg - 1];
}

static struct sp_bytes field_bytes(const struct sp_arg *a, const struct sp_diff *d)
{
	if (!strcmp(d->field, "msg_name_data"))
		return a->name;
	if (!strcmp(d->field, "msg_control_data"))
		return a->control;
	if ((!strcmp(d->field, "data") || !strcmp(d->field, "strings")) && a->n_items) {
		/* The item holding the offset. */
		uint64_t off = d->offset;
		for (uint32_t i = 0; i < a->n_items; i++) {
			if (off < a->items[i].len || i + 1 == a->n_items)
				return a->items[i];
			off -= a->items[i].len;
		}
	}
	return a->buf;
}

/* How many bytes of a `size`-byte field at `off` the buffer holds. */
static size_t field_part(struct sp_bytes b, uint64_t off, size_t size)
{
	if (off >= b.len)
		return 0;
	return b.len - off < size ? b.len - off : size;
}

/* One difference, without a newline:
 * #29 read(3, ...) buffer differs at byte 0: "Hello" vs "Evil!" [FLAG] */
static void diff_text(struct replayer *r, struct strbuf *sb, const struct sp_event *rec, const struct sp_event *rep,
		      const struct sp_diff *d)
{
	const char *name = sc_name(rep->nr);
	sb_printf(sb, "#%" PRIu64 " %s(", r->cur->index, name ? name : "?");
	if (rep->nargs) {
		render_arg(sb, rec, 0, false, &r->ro);
		fdnames_render(&r->fdn, sb, rep, 0);
		/* A path after a directory descriptor (openat, newfstatat,
		 * readlinkat ...): the file the difference is about. */
		const struct sc_desc *dsc = sc_lookup(rep->nr);
		int shown = 1;
		if (rep->nargs > 1 && dsc && (dsc->flags & SC_TYPED) && dsc->args[1].size == S_STR &&
		    dsc->args[1].dir == D_IN && rec->entry[1].buf.len && rec->entry[1].buf.data[0]) {
			sb_puts(sb, ", ");
			render_arg(sb, rec, 1, false, &r->ro);
			shown = 2;
		}
		if (rep->nargs > shown)
			sb_puts(sb, ", ...");
	}
	sb_puts(sb, ") ");
	const struct sp_arg *a = diff_arg(rec, d), *b = diff_arg(rep, d);
	const char *what = d->arg == 0 ? "return value" : NULL;
	char argname[32];
	if (!what) {
		snprintf(argname, sizeof(argname), "argument %u", d->arg);
		what = argname;
	}
	if (exec_compare_report(sb, rec, rep, d)) {
		/* a replaced program or interpreter: named by exec_compare */
	} else if (map_compare_report(sb, rec, rep, d, r->o->map_store)) {
		/* a mapped page recorded by its digest: named by map_compare */
	} else if (!strcmp(d->field, "value") && d->arg == 0) {
		sb_puts(sb, "return value differs: ");
		render_arg(sb, rec, -1, true, &r->ro);
		sb_puts(sb, " vs ");
		render_arg(sb, rep, -1, true, &r->ro);
	} else if (!strcmp(d->field, "value") || !strcmp(d->field, "length") || !strcmp(d->field, "type")) {
		sb_printf(sb, "%s %s differs: %" PRIu64 " vs %" PRIu64, what, d->field, a->value, b->value);
	} else if (!strcmp(d->field, "pipe_stream")) {
		struct sp_bytes x, y;
		streams_last_mismatch(r->cmp.streams, &x, &y);
		sb_printf(sb, "the pipe's byte stream differs at byte %" PRIu64 " of the stream: ", d->offset);
		render_bytes(sb, x.data, x.len, 24);
		sb_puts(sb, " vs ");
		render_bytes(sb, y.data, y.len, 24);
	} else if (!strcmp(d->field, "dir_listing") || !strcmp(d->field, "mount_table")) {
		sb_puts(sb, r->cmp.why.s ? r->cmp.why.s : d->field);
	} else if (!strcmp(d->field, "ptr")) {
		sb_printf(sb, "%s pointer %#" PRIx64 " vs %#" PRIx64 " breaks the address mapping", what, a->ptr, b->ptr);
	} else {
		const struct slayout *l = struct_layout(a->kind);
		const struct sfield *f = NULL;
		for (size_t i = 0; l && i < l->n; i++)
			if (!strcmp(l->f[i].name, d->field))
				f = &l->f[i];
		if (f && f->type == FT_INT && f->size <= 8) {
			/* A struct read only in part (at a page end) ends inside this
			 * field: its readable low bytes are the values compared. */
			uint64_t u = 0, v = 0;
			size_t na = field_part(a->buf, d->offset, f->size), nb = field_part(b->buf, d->offset, f->size);
			if (na)
				memcpy(&u, a->buf.data + d->offset, na);
			if (nb)
				memcpy(&v, b->buf.data + d->offset, nb);
			sb_printf(sb, "%s differs: ", d->field);
			render_field_value(sb, f, u);
			sb_puts(sb, " vs ");
			render_field_value(sb, f, v);
			if (na < f->size || nb < f->size)
				sb_printf(sb, " (%zu vs %zu of its %u bytes readable)", na, nb, (unsigned)f->size);
		} else if (f && f->type == FT_PTR && d->offset + 8 <= a->buf.len && d->offset + 8 <= b->buf.len) {
			uint64_t u, v;
			memcpy(&u, a->buf.data + d->offset, 8);
			memcpy(&v, b->buf.data + d->offset, 8);
			sb_printf(sb, "%s differs: ", d->field);
			render_field_value(sb, f, u);
			sb_puts(sb, " vs ");
			render_field_value(sb, f, v);
		} else if (f && f->type == FT_BYTES) {
			sb_printf(sb, "%s differs: ", d->field);
			struct sp_bytes x = { a->buf.data + f->off, 0 }, y = { b->buf.data + f->off, 0 };
			if (f->off < a->buf.len)
				x.len = strnlen((const char *)x.data, a->buf.len - f->off < f->size ? a->buf.len - f->off : f->size);
			if (f->off < b->buf.len)
				y.len = strnlen((const char *)y.data, b->buf.len - f->off < f->size ? b->buf.len - f->off : f->size);
			render_bytes(sb, x.data, x.len, 64);
			sb_puts(sb, " vs ");
			render_bytes(sb, y.data, y.len, 64);
		} else {
			struct sp_bytes x = field_bytes(a, d), y = field_bytes(b, d);
			/* a return value with bytes: a mapping's, or bytes moved in the kernel */
			const char *ret_bytes = (sc_lookup(rep->nr)->flags & SC_RET_MOVED) ? "moved bytes" : "mapped bytes";
			const char *label = !strcmp(d->field, "buffer") && d->arg == 0 ? ret_bytes : d->field;
			uint64_t off = d->offset;
			if (x.data == a->buf.data && d->arg == 0)
				label = ret_bytes;
			if (x.len != y.len && !strcmp(d->field, "length"))
				label = "length";
			/* "mapped bytes differ", "items differ", "buffer differs", "sa_mask differs" */
			bool plural = !strcmp(label, ret_bytes) || !strcmp(label, "strings") || !strcmp(label, "items");
			sb_printf(sb, "%s differ%s at byte %" PRIu64 ": ", label, plural ? "" : "s", off);
			render_excerpt(sb, x.data, x.len, off);
			sb_puts(sb, " vs ");
			render_excerpt(sb, y.data, y.len, off);
			if (x.len != y.len)
				sb_printf(sb, " (%zu vs %zu bytes)", x.len, y.len);
		}
	}
	char fl[256];
	sb_printf(sb, " [%s]", policy_flag_names(d->flag, fl, sizeof(fl)));
}

/* One line of the verdict for an unacceptable difference. */
static void report_line(struct replayer *r, const struct sp_event *rec, const struct sp_event *rep,
			const struct sp_diff *d)
{
	r->report_lines++;
	if (r->report_lines > MAX_REPORT)
		return;
	struct strbuf *sb = &r->report;
	sb_puts(sb, "  ");
	diff_text(r, sb, rec, rep, d);
	sb_puts(sb, "\n");
	if (d->flag & RF_UNDEFINED_SYSTEM_STATE)
		sb_puts(sb, "    the descriptor tables differ (a descriptor open in one run and not in the other?): "
			    "the replay cannot go on\n");
}

/* -vv: a difference as it is found, acceptable ones too. */
/* Live (replay_opts.notify_fd): the first unacceptable difference, as
 * its report line, the moment it is found, so that the verifier can say it
 * while the recorded program may still be running. */
static void notify_first(struct replayer *r)
{
	if (r->o->notify_fd <= 0 || r->notified || !r->report.len)
		return;
	r->notified = true;
	const char *s = r->report.s;
	while (*s == ' ')
		s++;
	size_t n = strcspn(s, "\n");
	char line[1024];
	int k = snprintf(line, sizeof(line), "%.*s\n", (int)(n < sizeof(line) - 2 ? n : sizeof(line) - 2), s);
	if (write(r->o->notify_fd, line, (size_t)k) < 0) {
		/* the verifier went away: the verdict still goes to stderr */
	}
}

static void say_difference(struct replayer *r, const struct sp_event *rep, const struct sp_diff *d)
{
	struct strbuf sb = { 0 };
	diff_text(r, &sb, &r->cur->rec, rep, d);
	if (d->klass == PC_ACCEPT)
		watch_say(&r->watch, 2, "acceptable%s%s%s: %s", d->label ? " (" : "", d->label ? d->label : "",
			  d->label ? ")" : "", sb.s);
	else
		watch_say(&r->watch, 2, "%s: %s", d->klass == PC_MUST ? "unacceptable" : "ignored", sb.s);
	sb_free(&sb);
}

static void count_label(struct replayer *r, const char *label)
{
	if (!label)
		label = "other";
	for (int i = 0; i < r->n_labels; i++)
		if (!strcmp(r->labels[i], label)) {
			r->label_n[i]++;
			return;
		}
	if (r->n_labels < MAX_LABELS) {
		r->labels[r->n_labels] = label;
		r->label_n[r->n_labels++] = 1;
	}
}

static bool fatal_flag(uint32_t f)
{
	return f & (RF_UNEXPECTED_ARGUMENT | RF_ERROR_WRITING_TO_CHILD | RF_DIFFERENT_SYSCALLS_ENCOUNTERED |
		    RF_FAILED_PARSING_RECFILE | RF_UNDEFINED_SYSTEM_STATE);
}

/* The file a must-match difference is about, as it is here: from the
 * replayed stat struct (a stat'ed file's contents), else through the
 * call's descriptor (a read's bytes, a mapped page). False if none. */
static bool differing_file(struct replayer *r, const struct sp_event *rep, const struct sp_diff *d, struct stat *st)
{
	const struct sc_desc *desc = rep->desc;
	if (!desc || !r->cur->t)
		return false;
	if (!strcmp(d->field, EXEC_FIELD_FILE)) {
		for (int i = 0; i < rep->nargs; i++)
			if (desc->args[i].kind == K_STRUCT_STAT && rep->exit[i].buf.len >= sizeof(*st)) {
				memcpy(st, rep->exit[i].buf.data, sizeof(*st));
				return true;
			}
		return false; /* statx: the hint is for the other calls to give */
	}
	int fd;
	if (!strcmp(d->field, MAP_FIELD_PAGE) && rep->nargs > 4)
		fd = (int)rep->raw_args[4];
	else if (!strcmp(d->field, "buffer") && rep->nargs && desc->args[0].fmt == F_FD)
		fd = (int)rep->raw_args[0];
	else
		return false;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)r->cur->t->tid, fd);
	return stat(path, st) == 0;
}

/* A file that differs because it was changed while the program was being
 * recorded (git status rewrites its index, python writes a .pyc: the
 * recorded run changed its own input) gets a line saying so, once. A file
 * changed after the recording ended gets none: that is a change of the
 * world, the finding itself. */
static void hint_changed_later(struct replayer *r, const struct sp_event *rep, const struct sp_diff *d)
{
	struct stat st;
	if (!r->meta || !r->meta->started_ns || !r->meta->ended_ns || r->n_hinted >= 16 ||
	    !differing_file(r, rep, d, &st) || !S_ISREG(st.st_mode))
		return;
	uint64_t mtime = (uint64_t)st.st_mtim.tv_sec * 1000000000u + (uint64_t)st.st_mtim.tv_nsec;
	if (mtime < r->meta->started_ns || mtime > r->meta->ended_ns)
		return;
	for (int i = 0; i < r->n_hinted; i++)
		if (r->hinted[i][0] == st.st_dev && r->hinted[i][1] == st.st_ino)
			return;
	r->hinted[r->n_hinted][0] = st.st_dev;
	r->hinted[r->n_hinted++][1] = st.st_ino;
	char when[40] = "?";
	time_t b = st.st_mtim.tv_sec;
	struct tm tm;
	if (gmtime_r(&b, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	sb_printf(&r->report, "    the file was last changed at %s, while the program was being recorded: the "
		  "recorded run changed its own input, and this replay sees what it wrote\n", when);
}

/* Account for the differences of a finished (or abandoned) syscall and
 * write the pair to the differences file. */
static void settle(struct replayer *r, struct sp_event *rep)
{
	if (!rep->n_diffs)
		return;
	for (int i = 0; i < rep->n_diffs; i++) {
		struct sp_diff *d = &rep->diffs[i];
		if (r->o->verbosity >= 2)
			say_difference(r, rep, d);
		if (d->klass == PC_ACCEPT) {
			r->n_accept++;
			count_label(r, d->label);
			if (d->flag == RF_UNAME_DIFFERENT)
				r->flags |= d->flag;
		} else {
			r->n_must++;
			r->flags |= d->flag;
			report_line(r, &r->cur->rec, rep, d);
			if (r->report_lines <= MAX_REPORT)
				hint_changed_later(r, rep, d);
			notify_first(r);
			if (r->pol.strict || fatal_flag(d->flag))
				r->stop = true;
		}
		if (d->replayed)
			r->n_replayed++;
	}
	r->n_pairs++;
	if (!r->out_err) {
		int e = tf_write_pair(r->out, &r->cur->rec, rep, r->cur->index);
		if (e < 0)
			r->out_err = e;
	}
}

/* ---- writing recorded values into the tracee ---- */

static int write_checked(struct replayer *r, struct tracee *t, uint64_t addr, struct sp_bytes b, uint64_t cap,
			 bool *corrupt)
{
	if (b.len > cap) {
		*corrupt = true;
		r->flags |= RF_POTENTIAL_MEMORY_CORRUPTION;
		return 0;
	}
	if (!addr || !b.len)
		return 0;
	return mem_write(t->tid, addr, b.data, b.len);
}

/* The recorded bytes of a struct, with the replayed pointers inside it
 * kept: the tracee must go on using its own addresses. */
static struct sp_bytes merged(struct replayer *r, const struct sp_arg *rec, const struct sp_arg *rep)
{
	const struct slayout *l = struct_layout(rec->kind);
	if (!l || rec->buf.len != rep->buf.len || !(rep->flags & SP_HAS_BUF))
		return rec->buf;
	uint8_t *m = arena_alloc(&r->scratch, rec->buf.len);
	if (!m)
		return rec->buf;
	memcpy(m, rec->buf.data, rec->buf.len);
	size_t elem = rec->kind == K_IOVEC_ARRAY ? 16 : rec->buf.len;
	for (size_t base = 0; base + elem <= rec->buf.len; base += elem)
		for (size_t i = 0; i < l->n; i++)
			if (l->f[i].type == FT_PTR && base + l->f[i].off + 8 <= rec->buf.len)
				memcpy(m + base + l->f[i].off, rep->buf.data + base + l->f[i].off, 8);
	return (struct sp_bytes){ m, rec->buf.len };
}

static int patch_iovs(struct replayer *r, struct tracee *t, const struct sp_arg *rec, const uint8_t *iov,
		      size_t n_iov, bool *corrupt)
{
	for (uint32_t k = 0; k < rec->n_items && k < n_iov; k++) {
		uint64_t base, len;
		memcpy(&base, iov + 16 * k, 8);
		memcpy(&len, iov + 16 * k + 8, 8);
		int e = write_checked(r, t, base, rec->items[k], len, corrupt);
		if (e < 0)
			return e;
	}
	return 0;
}

static int patch_arg(struct replayer *r, struct tracee *t, struct sp_event *rep, int i)
{
	const struct sp_arg *a = &r->cur->rec.exit[i];
	struct sp_arg *b = &rep->exit[i];
	uint64_t addr = b->ptr ? b->ptr : rep->entry[i].ptr;
	bool corrupt = false;
	int e = 0;
	if (a->kind == K_STRUCT_MSGHDR) {
		if (b->buf.len < 56 || a->buf.len < 56)
			return 0;
		const uint8_t *m = b->buf.data;
		uint64_t name, iov, iovlen, control;
		memcpy(&name, m, 8);
		memcpy(&iov, m + 16, 8);
		memcpy(&iovlen, m + 24, 8);
		memcpy(&control, m + 32, 8);
		uint32_t namecap = 0;
		uint64_t controlcap = 0;
		if (rep->entry[i].buf.len >= 56) {
			memcpy(&namecap, rep->entry[i].buf.data + 8, 4);
			memcpy(&controlcap, rep->entry[i].buf.data + 40, 8);
		}
		e = write_checked(r, t, name, a->name, namecap, &corrupt);
		if (!e)
			e = write_checked(r, t, control, a->control, controlcap, &corrupt);
		if (!e && iov && iovlen) {
			size_t n = iovlen > 1024 ? 1024 : iovlen;
			uint8_t *vec = arena_alloc(&r->scratch, n * 16);
			if (vec && mem_read(t->tid, iov, vec, n * 16) == (ssize_t)(n * 16))
				e = patch_iovs(r, t, a, vec, n, &corrupt);
		}
		/* The lengths and flags the kernel wrote into the msghdr itself. */
		if (!e && !corrupt) {
			e = mem_write(t->tid, addr + 8, a->buf.data + 8, 4);
			if (!e)
				e = mem_write(t->tid, addr + 40, a->buf.data + 40, 12);
		}
	} else if (a->kind == K_IOVEC_ARRAY) {
		if (b->flags & SP_HAS_BUF)
			e = patch_iovs(r, t, a, b->buf.data, b->buf.len / 16, &corrupt);
	} else if (a->flags & SP_HAS_BUF) {
		e = write_checked(r, t, addr, merged(r, a, b), capture_capacity(rep, i), &corrupt);
	}
	return corrupt ? 1 : e;
}

/* Would `ret` be a return value the call's own arguments rule out? A
 * call whose result counts the bytes it put in a buffer (read, recvfrom,
 * getdents64, readlink ...) cannot return more than the buffer's size. */
static bool impossible_return(const struct sp_event *rep, uint64_t ret)
{
	const struct sc_desc *d = sc_resolve(rep->nr, rep->raw_args);
	if ((int64_t)ret < 0)
		return false; /* an error code */
	for (int i = 0; i < d->nargs && i < 6; i++)
		if (d->args[i].size == S_RET && d->args[i].ref < 6 && ret > rep->raw_args[d->args[i].ref])
			return true;
	return false;
}

/* Write the recorded values behind the differences the policy lets us
 * replay. Returns -1 if the tracee could not be written. */
static int patch(struct replayer *r, struct tracee *t, struct sp_event *rep)
{
	unsigned done = 0, failed = 0;
	if (sched_class_keep_result(rep))
		return 0;
	for (int k = 0; k < rep->n_diffs; k++) {
		struct sp_diff *d = &rep->diffs[k];
		if (!d->at_exit || (d->klass == PC_MUST && r->pol.strict) || d->klass == PC_IGNORE)
			continue;
		if (!strcmp(d->field, "ptr") || !strcmp(d->field, "length") || !strcmp(d->field, "type"))
			continue; /* addresses stay the tracee's own */
		unsigned bit = 1u << d->arg;
		if (failed & bit)
			continue;
		if (done & bit) {
			d->replayed = true;
			continue;
		}
		int e = 0;
		if (d->arg == 0) {
			const struct sp_arg *a = &r->cur->rec.ret;
			if (!strcmp(d->field, "value") && a->kind != K_VOID_ADDR && a->kind != K_PASLR_FOLLOW) {
				if (impossible_return(rep, a->value)) {
					/* e.g. a read of 64 bytes that "returned" 100000 */
					failed |= bit;
					d->flag |= RF_POTENTIAL_MEMORY_CORRUPTION;
					d->klass = PC_MUST;
					continue;
				}
				e = tracer_set_return(t, a->value);
			}
			else if (!strcmp(d->field, "value"))
				continue; /* a mapped address: the pointer map covers it */
			else if (sc_lookup(rep->nr)->flags & SC_RET_MOVED)
				continue; /* bytes moved in the kernel: nothing of the program's to write */
			else if (!strcmp(d->field, MAP_FIELD_PAGE) && !(a->flags & SP_HAS_BUF))
				continue; /* recorded by digest only: no bytes to write back */
			else {
				bool corrupt = false;
				e = write_checked(r, t, rep->ret.ptr, a->buf, capture_capacity(rep, -1), &corrupt);
				if (corrupt)
					e = 1;
			}
		} else {
			e = patch_arg(r, t, rep, d->arg - 1);
		}
		arena_reset(&r->scratch);
		if (e == 1) {
			/* Larger than the tracee's buffer: nothing written. */
			failed |= bit;
			d->flag |= RF_POTENTIAL_MEMORY_CORRUPTION;
			d->klass = PC_MUST;
			continue;
		}
		if (e == -EACCES) {
			/* A shared or read-only mapping: never written (mem_write),
			 * so the difference stays, unreplayed. */
			failed |= bit;
			d->klass = PC_MUST;
			r->n_refused_writes++;
			continue;
		}
		if (e < 0) {
			d->flag |= RF_ERROR_WRITING_TO_CHILD;
			d->klass = PC_MUST;
			return -1;
		}
		done |= bit;
		d->replayed = true;
	}
	return 0;
}

/* ---- divergence ---- */

static void report_divergence(struct replayer *r, const struct sp_event *rep, bool recording_ended)
{
	struct strbuf *sb = &r->report;
	struct strbuf line = { 0 };
	r->flags |= RF_DIFFERENT_SYSCALLS_ENCOUNTERED;
	r->diverged = true;
	r->n_must++;
	/* #N is the syscall's position in the recording (all processes, from
	 * 0), which runs ahead of the count compared when processes interleave. */
	if (rep && recording_ended)
		sb_printf(sb, "  the executions diverged after %" PRIu64 " matching syscalls: the recording ends there\n",
			  r->matched);
	else if (rep)
		sb_printf(sb, "  the executions diverged at recorded syscall #%" PRIu64 ", after %" PRIu64
			  " matching syscalls (process %u of the recording)\n", r->cur->index,
			  r->matched - (r->cur->have_rec ? 1 : 0), r->cur->rec_tid);
	else
		sb_printf(sb, "  the program ended after %" PRIu64 " matching syscalls but the recording goes on "
			  "at recorded syscall #%" PRIu64 "\n", r->matched, r->cur->index);
	/* The last matching syscalls, kept as read from the recording. */
	uint64_t n = r->ring_n < CONTEXT ? r->ring_n : CONTEXT;
	struct arena a;
	arena_init(&a, 1 << 16);
	struct sp_event ctx = { .arena = &a };
	for (uint64_t k = r->ring_n - n; k < r->ring_n; k++) {
		if (k + 1 == r->ring_n && (r->cur->have_rec || !rep))
			break; /* that one is the expected syscall, shown below */
		struct item *it = r->ring[k % CONTEXT];
		if (it && tf_decode_raw(r->in, &it->raw, &ctx) == 1) {
			sb_clear(&line);
			render_event(&line, &ctx, &r->ro);
			sb_printf(sb, "    matched   %s\n", line.s);
		}
	}
	arena_free(&a);
	if (r->cur->have_rec) {
		sb_clear(&line);
		render_event(&line, &r->cur->rec, &r->ro);
		sb_printf(sb, "    expected  %s\n", line.s);
	} else if (r->cur->stranger) {
		sb_puts(sb, "    expected  (no such process in the recording)\n");
	} else {
		sb_puts(sb, "    expected  (end of the recording)\n");
	}
	if (rep) {
		sb_clear(&line);
		render_call(&line, rep, &r->ro);
		sb_printf(sb, "    actual    %s\n", line.s);
	} else {
		sb_puts(sb, "    actual    (the program ended)\n");
	}
	sb_free(&line);
	notify_first(r);
}

/* ---- reading the recording, process by process ---- */

static struct pending *pending_for(struct replayer *r, uint32_t tid, bool create)
{
	for (size_t i = 0; i < r->n_pend; i++)
		if (r->pend[i].tid == tid)
			return &r->pend[i];
	if (!create)
		return NULL;
	struct pending *p = realloc(r->pend, (r->n_pend + 1) * sizeof(*p));
	if (!p)
		die(EXIT_TRACER, "out of memory");
	r->pend = p;
	p = &r->pend[r->n_pend++];
	memset(p, 0, sizeof(*p));
	p->tid = tid;
	return p;
}

/* Keep the matched syscall `it` for the context of a divergence report. */
static void ring_push(struct replayer *r, struct item *it)
{
	struct item **slot = &r->ring[r->ring_n % CONTEXT];
	item_put(*slot);
	*slot = item_ref(it);
	r->ring_n++;
}

/* Takes the caller's reference to `it`. */
static void set_aside(struct replayer *r, const struct sp_event *ev, struct item *it, uint64_t idx)
{
	struct pending *q = pending_for(r, ev->tid, true);
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 16;
		q->item = realloc(q->item, q->cap * sizeof(*q->item));
		q->idx = realloc(q->idx, q->cap * sizeof(*q->idx));
		q->seq = realloc(q->seq, q->cap * sizeof(*q->seq));
		q->signo = realloc(q->signo, q->cap * sizeof(*q->signo));
		q->at_exit = realloc(q->at_exit, q->cap * sizeof(*q->at_exit));
		q->nr = realloc(q->nr, q->cap * sizeof(*q->nr));
		q->seq_exit = realloc(q->seq_exit, q->cap * sizeof(*q->seq_exit));
		q->ret = realloc(q->ret, q->cap * sizeof(*q->ret));
		q->arg0 = realloc(q->arg0, q->cap * sizeof(*q->arg0));
		if (!q->item || !q->idx || !q->seq || !q->signo || !q->at_exit || !q->nr || !q->seq_exit || !q->ret ||
		    !q->arg0)
			die(EXIT_TRACER, "out of memory");
	}
	q->item[q->n] = it;
	q->idx[q->n] = idx;
	q->seq[q->n] = ev->seq;
	q->at_exit[q->n] = ev->is_signal && ev->sig.at_exit;
	q->nr[q->n] = ev->nr;
	q->seq_exit[q->n] = ev->returned ? ev->seq_exit : ev->is_signal && ev->sig.exited ? ev->sig.exit_stop_seq : 0;
	q->ret[q->n] = ev->returned ? (int64_t)ev->ret.value : 0;
	q->arg0[q->n] = ev->nargs ? ev->entry[0].value : 0;
	q->signo[q->n++] = !ev->is_signal ? 0 : ev->sig.exited ? -1 : ev->sig.signo;
}

/* The recording has the order when its first item carries a seq number
 * (recordings of older versions do not: their threads run as they come). */
static void learn_order(struct replayer *r, const struct sp_event *ev)
{
	if (r->order_known)
		return;
	r->order_known = true;
	r->ordered = ev->seq != 0;
}

/* Live: the stream has ended, its trailer read; what only the trailer
 * says becomes known now. Only these scalars change: the strings of the
 * header stay where the run's messages point to them. */
static void live_trailer(struct replayer *r)
{
	const struct tf_meta *m = tf_meta(r->in);
	if (!m)
		return;
	r->meta_own.number_of_syscalls = m->number_of_syscalls;
	r->meta_own.number_of_signals = m->number_of_signals;
	r->meta_own.exit_status = m->exit_status;
	r->meta_own.interrupted = m->interrupted;
}

/* The next item of the recording, read from the file (a new reference),
 * and decoded into `ev`. 1, 0 at the end, -1 if it cannot be read. */
static int read_item(struct replayer *r, struct sp_event *ev, struct item **out)
{
	struct item *it = xcalloc(1, sizeof(*it));
	int k = tf_next_raw(r->in, &it->raw);
	if (k == 1 && tf_decode_raw(r->in, &it->raw, ev) != 1)
		k = -1;
	if (k != 1) {
		free(it->raw.data);
		free(it);
		r->eof = k == 0;
		if (r->eof && r->o->live)
			live_trailer(r);
		return k;
	}
	it->refs = 1;
	it->id = r->next_id++;
	learn_order(r, ev);
	*out = it;
	return 1;
}

/* `rt` replays `it` (decoded into rt->rec): it holds it from now on. */
static void hold(struct rtrace *rt, struct item *it)
{
	item_put(rt->rec_item);
	rt->rec_item = it;
}

/* The next recorded item (syscall or signal) of `rt`'s process into
 * rt->rec (and rt->rec_item): 1, 0 if the recording has no more for it,
 * -1 if it cannot be read. */
static int next_recorded(struct replayer *r, struct rtrace *rt)
{
	struct pending *q = rt->mapped ? pending_for(r, rt->rec_tid, false) : NULL;
	if (q && q->head < q->n) {
		struct item *it = q->item[q->head];
		q->item[q->head] = NULL;
		rt->index = q->idx[q->head++];
		if (q->head == q->n)
			q->head = q->n = 0;
		hold(rt, it);
		if (it->id == r->peek_id) {
			/* Read ahead just now: take it as it is decoded (swap the events
			 * and their arenas) instead of decoding it again. */
			struct arena a = rt->arena;
			struct sp_event e = rt->rec;
			rt->arena = r->peek_arena;
			rt->rec = r->peek_ev;
			rt->rec.arena = &rt->arena;
			r->peek_arena = a;
			r->peek_ev = e;
			r->peek_ev.arena = &r->peek_arena;
			r->peek_id = UINT64_MAX;
			return 1;
		}
		return tf_decode_raw(r->in, &it->raw, &rt->rec);
	}
	while (!r->eof) {
		struct item *it;
		int k = read_item(r, &rt->rec, &it);
		if (k <= 0)
			return k;
		uint64_t idx = rt->rec.is_signal ? r->next_index : r->next_index++;
		if (!rt->mapped) {
			/* The first process: the recording starts with it. */
			rt->rec_tid = rt->rec.tid;
			rt->mapped = true;
		}
		if (rt->rec.tid == rt->rec_tid) {
			rt->index = idx;
			hold(rt, it);
			return 1;
		}
		/* Another process's: decoded into rt->rec, which is decoded again below. */
		set_aside(r, &rt->rec, it, idx);
	}
	return 0;
}

/* The next recorded item of `rec_tid` without taking it: its seq and
 * signal number (0: a syscall, -1: the thread's end). Reads ahead, setting items aside. False
 * if there is none. */
/* Read the recording's next item into its thread's queue. False at its
 * end (or if it cannot be read: the replay finds out when it gets there). */
static bool read_aside(struct replayer *r)
{
	if (r->eof)
		return false;
	r->peek_id = UINT64_MAX;
	struct item *it;
	if (read_item(r, &r->peek_ev, &it) <= 0)
		return false;
	r->peek_id = it->id;
	uint64_t idx = r->peek_ev.is_signal ? r->next_index : r->next_index++;
	set_aside(r, &r->peek_ev, it, idx);
	return true;
}

static bool peek_item_at(struct replayer *r, uint32_t rec_tid, uint64_t *seq, int *signo, bool *at_exit)
{
	struct pending *q = pending_for(r, rec_tid, false);
	for (;;) {
		if (q && q->head < q->n) {
			*seq = q->seq[q->head];
			*signo = q->signo[q->head];
			if (at_exit)
				*at_exit = q->at_exit[q->head];
			return true;
		}
		if (!read_aside(r))
			return false;
		/* set_aside may have moved the queues (a new process's): look again */
		q = pending_for(r, rec_tid, false);
	}
}

static bool peek_item(struct replayer *r, uint32_t rec_tid, uint64_t *seq, int *signo)
{
	return peek_item_at(r, rec_tid, seq, signo, NULL);
}

/* A thread's recorded steps still to come: the call kept for later (an
 * extra call came first), then its queue as far as it has been read. */
struct upcoming {
	int32_t signo;     /* 0 a syscall, -1 its end, else a signal */
	uint32_t nr;
	int64_t ret;
	uint64_t arg0, seq, seq_exit;
};

/** The `k`th step still to come of `rt` (0 the next). False past the end. */
static bool upcoming_step(struct replayer *r, struct rtrace *rt, size_t k, struct upcoming *u)
{
	if (rt->rec_kept && rt->have_rec && !rt->rec.is_signal) {
		if (k == 0) {
			*u = (struct upcoming){ .nr = rt->rec.nr,
						.ret = rt->rec.returned ? event_ret(&rt->rec) : 0,
						.arg0 = rt->rec.nargs ? rt->rec.entry[0].value : 0,
						.seq = rt->rec.seq,
						.seq_exit = rt->rec.returned ? rt->rec.seq_exit : 0 };
			return true;
		}
		k--;
	}
	struct pending *q = pending_for(r, rt->rec_tid, false);
	if (!q || q->head + k >= q->n)
		return false;
	size_t i = q->head + k;
	*u = (struct upcoming){ .signo = q->signo[i], .nr = q->nr[i], .ret = q->ret[i], .arg0 = q->arg0[i],
				.seq = q->seq[i], .seq_exit = q->seq_exit[i] };
	return true;
}

/* A wait4 that did not reap `rt` (WNOHANG found it alive) while the
 * recording saw it stop at its exit: the death came after the wait looked.
 * A turn inside that call would release the thread while the wait may not
 * have looked yet here: it dies once the call is done. */
static bool is_named(uint32_t nr, const char *want)
{
	const char *name = sc_name(nr);
	return name && !strcmp(name, want);
}

static uint64_t after_waits_that_missed(struct replayer *r, struct rtrace *rt, uint64_t turn)
{
	uint64_t first = turn;
	for (size_t i = 0; i < r->sched.n_live; i++) {
		struct rtrace *o = r->sched.live[i]->owner;
		if (o == rt || !o->mapped || o->stranger)
			continue;
		struct upcoming u;
		bool have = o->in_call && o->have_rec && !o->rec.is_signal;
		if (have)
			u = (struct upcoming){ .nr = o->rec.nr, .ret = o->rec.returned ? event_ret(&o->rec) : 0,
					       .seq = o->rec.seq, .seq_exit = o->rec.returned ? o->rec.seq_exit : 0 };
		for (size_t k = 0; have || upcoming_step(r, o, k, &u); k++, have = false) {
			if (u.seq > turn)
				break;
			if (!u.signo && is_named(u.nr, "wait4") && u.seq_exit > turn && u.ret != (int64_t)rt->rec_tid)
				turn = u.seq_exit + 1;
		}
	}
	rt->end_after_wait = turn != first;
	return turn;
}

/* The place of `rt`'s recorded end (next in its queue, at `seq`) in the
 * order: where it stopped at its exit event, when that was recorded. The
 * steps recorded after that stop wait until the thread is gone here too
 * (a parent's wait4 then finds it as it did), those before it do not (a
 * wait4 WNOHANG that found it alive). A leader whose threads live on stays
 * a zombie until they end: its end is where the recording saw it.
 * Two threads dying at once die in the order their ends were seen: the
 * exit stops came in one order, but the one released first may be the
 * slower to die (`yes | head -1`: the shell's wait4(-1) reaped head, whose
 * exit stop came second, first). */
static uint64_t end_turn(struct replayer *r, struct rtrace *rt, uint64_t seq)
{
	struct pending *q = pending_for(r, rt->rec_tid, false);
	if (rt->end_loose || !q || q->head >= q->n || q->signo[q->head] != -1 || !q->seq_exit[q->head])
		return seq;
	uint64_t turn = q->seq_exit[q->head];
	for (size_t i = 0; i < r->sched.n_live; i++) {
		struct rtrace *o = r->sched.live[i]->owner;
		if (o == rt || !o->mapped || o->stranger)
			continue;
		/* Its end, read ahead already if it comes before ours. */
		struct pending *p = pending_for(r, o->rec_tid, false);
		for (size_t k = p ? p->head : 0; p && k < p->n && p->seq[k] < seq; k++)
			if (p->signo[k] == -1 && p->seq_exit[k] && p->seq_exit[k] < seq && p->seq[k] > turn)
				turn = p->seq[k];
	}
	return after_waits_that_missed(r, rt, turn);
}

/* The schedule asks where a thread that is not stopped stands. */
static uint64_t sched_peek(void *ctx, struct sched_thread *th)
{
	struct replayer *r = ctx;
	struct rtrace *rt = th->owner;
	if (rt->in_call)
		return rt->rec.returned && rt->rec.seq_exit ? rt->rec.seq_exit : SCHED_NONE;
	if (rt->rec_kept)
		return rt->rec.seq ? rt->rec.seq : SCHED_NONE;
	uint64_t seq;
	int signo;
	if (!peek_item(r, rt->rec_tid, &seq, &signo) || !seq)
		return SCHED_NONE;
	return signo == -1 ? end_turn(r, rt, seq) : seq;
}

/* Anything of the recording that no process asked for? Loads it into
 * r->cur (for the report) and returns true. */
static bool recording_goes_on(struct replayer *r)
{
	bool threaded = r->ordered && r->sched.max_live > 1;
	for (;;) {
		for (size_t i = 0; i < r->n_pend; i++) {
			struct pending *q = &r->pend[i];
			if (q->head < q->n) {
				r->cur->rec_tid = q->tid;
				r->cur->mapped = true;
				break;
			}
		}
		if (next_recorded(r, r->cur) != 1)
			return false;
		/* Signals left over are not syscalls the program failed to make. */
		if (r->cur->rec.is_signal)
			continue;
		/* Nor is a thread's last lock wait that never returned (exit_group
		 * ended it): whether the thread got to it before the end is the
		 * interleaving, as for one lock call more than recorded. With
		 * threads sharing memory, nor is any elastic call (a lock wake, a
		 * clock read, an arena's mprotect) the thread had left when the
		 * program ended: exit_group came earlier in its work here. */
		if (threaded && sched_class_elastic(&r->cur->rec) &&
		    (!r->cur->rec.returned ? sched_class_optional(r->cur->rec.nr) : r->cmp.threads_interleave)) {
			count_label(r, "scheduling");
			r->n_accept++;
			continue;
		}
		ring_push(r, r->cur->rec_item);
		return true;
	}
}

static struct rtrace *rtrace_of(struct replayer *r, struct tracee *t)
{
	if (!t->user) {
		/* once per thread, not per syscall: /proc here needs the host tid */
		fdnames_host_tid((uint32_t)t->vtid, (uint32_t)t->tid);
		struct rtrace *rt = xcalloc(1, sizeof(*rt));
		rt->tid = t->tid;
		rt->t = t;
		arena_init(&rt->arena, 4 << 20);
		rt->rec.arena = &rt->arena;
		rt->st.owner = rt;
		rt->next = r->all;
		r->all = rt;
		/* The first tracee maps to the recording's first process; any
		 * other one is mapped by rp_on_clone before it runs. */
		rt->stranger = r->all->next != NULL;
		t->user = rt;
	}
	return t->user;
}

/* ---- the schedule: signals and turns ---- */

static bool interrupted_value(int64_t v)
{
	return v == -EINTR || (v <= -512 && v >= -516); /* -ERESTARTSYS .. -ERESTART_RESTARTBLOCK */
}

/* Is `rt`'s next recorded item a signal? Queue it for the thread (tkill),
 * so that it arrives where it did: at the next return to user space, or
 * right away inside the call it interrupted when recorded. A signal that
 * came while the thread ran its own code is left for the next syscall
 * entry (deliver_before_call) unless `any`. */
static void queue_recorded_signal_if(struct replayer *r, struct rtrace *rt, struct tracee *t, bool any)
{
	uint64_t seq;
	int signo;
	bool at_exit;
	if (!r->ordered || rt->inject_sent || !rt->mapped || !peek_item_at(r, rt->rec_tid, &seq, &signo, &at_exit) ||
	    signo <= 0 || (!at_exit && !any))
		return;
	if (tracer_kill(t, signo) == 0) {
		rt->inject_sent = true;
		rt->inject_signo = signo;
	}
}

static void queue_recorded_signal(struct replayer *r, struct rtrace *rt, struct tracee *t)
{
	queue_recorded_signal_if(r, rt, t, false);
}

static bool in_order(struct replayer *r, struct rtrace *rt)
{
	return r->ordered && rt->mapped && !rt->stranger && rt->st.live;
}

/* Park `rt` at a stop until its step `seq` is its turn. */
static int park(struct rtrace *rt, enum sched_park kind, uint64_t seq)
{
	rt->st.park = kind;
	rt->st.waiting = seq;
	rt->st.needs_kernel = false;
	return TRACER_PARK;
}

static int park_entry(struct rtrace *rt, uint64_t seq, bool needs_kernel)
{
	park(rt, SCHED_AT_ENTRY, seq);
	rt->st.needs_kernel = needs_kernel;
	return TRACER_PARK;
}

static void note_relaxed(struct replayer *r, struct rtrace *rt, uint64_t idle_ms)
{
	uint64_t at = rt->in_call ? rt->index : rt->index + 1;
	if (r->sched.relaxations == 1)
		r->relaxed_at = at;
	const char *where = rt->st.park == SCHED_AT_END ? "dying" : rt->in_call ? "inside" : "before";
	watch_say(&r->watch, 2, "schedule relaxed: thread %" PRIu32 " %s syscall #%" PRIu64 " let go after %" PRIu64
		  " ms without a step", rt->rec_tid, where, at, idle_ms);
}
/* ---- tracer callbacks ---- */

/* A mapped thread takes part in the order from its first stop on. */
static void join(struct replayer *r, struct rtrace *rt)
{
	if (r->ordered && rt->mapped && !rt->stranger && !rt->st.live && rt->t &&
	    sched_add(&r->sched, &rt->st) < 0)
		die(EXIT_TRACER, "out of memory");
}

static const char *fd_name(void *arg, uint32_t tid, int fd, char *buf, size_t len)
{
	return fdnames_name(arg, tid, fd, buf, len);
}

/* Does the clone in progress make a thread of the same memory (CLONE_VM)? */
static bool shares_memory(const struct sp_event *ev)
{
	const char *name = sc_name(ev->nr);
	uint64_t flags = 0;
	if (!name)
		return false;
	if (!strcmp(name, "clone"))
		flags = ev->raw_args[0];
	else if (!strcmp(name, "clone3") && ev->nargs && ev->entry[0].buf.len >= 8)
		memcpy(&flags, ev->entry[0].buf.data, 8);
	return flags & 0x100; /* CLONE_VM */
}

static void rp_on_clone(void *ctx, struct tracee *parent, struct tracee *child)
{
	struct replayer *r = ctx;
	struct rtrace *p = rtrace_of(r, parent), *c = rtrace_of(r, child);
	/* The parent is inside the recorded clone/fork/vfork, whose return
	 * value is the recorded child's tid (as the program saw it, which is
	 * how the recording names its threads). */
	const char *name = p->have_rec ? sc_name(p->rec.nr) : NULL;
	if (name && p->rec.returned && (int64_t)p->rec.ret.value > 0 &&
	    (!strcmp(name, "clone") || !strcmp(name, "clone3") || !strcmp(name, "fork") || !strcmp(name, "vfork"))) {
		c->rec_tid = (uint32_t)p->rec.ret.value;
		c->mapped = true;
		c->stranger = false;
		join(r, c);
	}
	if (r->ordered && shares_memory(&parent->ev))
		r->cmp.threads_interleave = true;
}

static void rp_on_gone(void *ctx, struct tracee *t)
{
	struct replayer *r = ctx;
	struct rtrace *rt = t->user;
	if (rt) {
		sched_remove(&r->sched, &rt->st);
		rt->t = NULL;
	}
	t->user = NULL; /* the rtrace stays on r->all until the end */
}


static void contain_from(struct replayer *r);

/* Does a must-match difference put the program on recorded data (so that
 * what it does next may not be this machine's to do)? Not a stat'ed
 * file's changed contents: only its stat data was written back, as for
 * any acceptable difference; a read of the file then differs and
 * contains. */
static bool contains(const struct sp_diff *d)
{
	return d->klass == PC_MUST && strcmp(d->field, EXEC_FIELD_FILE);
}

/* write/writev to descriptor 1 or 2 while it is still the standard output
 * or error replay gave the program: the user's own view of the run. */
static bool is_own_output(struct replayer *r, struct tracee *t, const struct sp_event *ev)
{
	const char *name = sc_name(ev->nr);
	uint64_t fd = ev->raw_args[0];
	if (!name || (strcmp(name, "write") && strcmp(name, "writev")) || (fd != 1 && fd != 2))
		return false;
	char path[64];
	struct stat st;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)t->tid, (int)fd);
	return stat(path, &st) == 0 && st.st_dev == r->std_dev[fd - 1] && st.st_ino == r->std_ino[fd - 1];
}
static int finish_emulated(struct replayer *r, struct tracee *t);

/* Is `t` its process's leader with other threads alive (from /proc: the
 * tracer does not know thread groups)? */
static bool leader_with_threads(const struct tracee *t)
{
	char path[64], line[128];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)t->tid);
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	long tgid = 0, n = 1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "Tgid:", 5))
			tgid = strtol(line + 5, NULL, 10);
		else if (!strncmp(line, "Threads:", 8))
			n = strtol(line + 8, NULL, 10);
	fclose(f);
	return tgid == t->tid && n > 1;
}

/* The thread stopped at its exit event, not gone yet: it dies at its
 * recorded exit stop's turn, so that what others see of it (wait4 WNOHANG,
 * kill(pid, 0), /proc) follows the recorded order. */
static int rp_on_exit_stop(void *ctx, struct tracee *t)
{
	struct replayer *r = ctx;
	struct rtrace *rt = t->user;
	if (!rt || !in_order(r, rt))
		return 0;
	/* Parked at a stop it has left (a kill took it from there): that
	 * step will not be taken. */
	rt->st.park = SCHED_RUNNING;
	if (rt->in_call)
		return 0;
	sched_leave_user(&r->sched, &rt->st);
	sched_leave_kernel(&r->sched, &rt->st);
	uint64_t seq;
	int signo;
	if (!peek_item(r, rt->rec_tid, &seq, &signo) || signo != -1)
		return 0;
	if (leader_with_threads(t))
		rt->end_loose = true;
	uint64_t turn = end_turn(r, rt, seq);
	rt->st.next = SCHED_UNKNOWN;
	/* No exit stop recorded (turn == seq): it ends when it ends, unless
	 * a wait that missed it made its turn later. */
	if (rt->end_loose || (turn == seq && !rt->end_after_wait) || sched_turn(&r->sched, &rt->st, turn))
		return 0;
	return park(rt, SCHED_AT_END, turn);
}

/* The thread ended: its recorded end is taken (whoever comes after it in
 * the order was held back until now). */
static void rp_on_end(void *ctx, struct tracee *t, struct sp_event *ev)
{
	struct replayer *r = ctx;
	(void)ev;
	struct rtrace *rt = t->user;
	uint64_t seq;
	int signo;
	if (rt && r->ordered && rt->mapped && !rt->stranger && !rt->in_call &&
	    peek_item(r, rt->rec_tid, &seq, &signo) && signo == -1)
		next_recorded(r, rt);
}

/* A thread other than the leader ran execve: it goes on under the leader's
 * tid, and the recording names it by the leader's from there on. */
static void rp_on_tid_change(void *ctx, struct tracee *t, pid_t old_vtid)
{
	struct replayer *r = ctx;
	(void)old_vtid;
	struct rtrace *rt = rtrace_of(r, t);
	fdnames_host_tid((uint32_t)t->vtid, (uint32_t)t->tid);
	for (struct rtrace *o = r->all; o; o = o->next)
		if (o != rt && o->tid == t->tid && o->mapped) {
			rt->switch_to = o->rec_tid;
			break;
		}
	rt->tid = t->tid;
}

/* A recorded signal the replay never delivered where it was due. */
static void missed_signal(struct replayer *r, struct rtrace *rt)
{
	char name[32];
	names_signal(rt->rec.sig.signo, name, sizeof(name));
	r->n_must++;
	r->flags |= RF_DIFFERENT_SYSCALLS_ENCOUNTERED;
	sb_printf(&r->report, "  %s recorded for thread %u before syscall #%" PRIu64 " was not delivered on replay\n",
		  name, rt->rec_tid, rt->index);
	notify_first(r);
	rt->inject_sent = false;
}

/* The thread's syscall entry, at its turn: the next recorded syscall of
 * its process must be this one; compare the arguments. */
static void stepped(struct replayer *r, struct sched_thread *st)
{
	sched_stepped(st);
	r->steps++;
}

static int unmatched_unwritable(struct replayer *r)
{
	r->flags |= RF_ERROR_WRITING_TO_CHILD;
	r->stop = true;
	return -1;
}

/* May `ev` be in one run and not the other (sched_class_elastic)? With
 * threads sharing memory, so may a write to an output compared whole
 * (wstreams.h): which thread writes which part of it is the interleaving.
 * Such a write is taken into its output here: `recorded` the recorded one
 * this thread skips, else one the replay makes more. */
static bool to_whole_output(struct replayer *r, const struct sp_event *ev, uint32_t rep_tid, uint64_t *id)
{
	const char *name = sc_name(ev->nr);
	if (!r->cmp.threads_interleave || !r->cmp.wstreams || !name || strcmp(name, "write") || ev->nargs < 3 ||
	    (ev->entry[1].flags & SP_TRUNCATED))
		return false;
	*id = 0;
	int src = fdnames_source(&r->fdn, rep_tid, (int)ev->entry[0].value, id);
	return (src == PS_NONE || src == PS_PIPE) && *id;
}

/* A write to an output compared whole: how much one call wrote is the
 * interleaving too (the last short write may fall to the other thread).
 * The count and the result are scheduling, and the result stays this
 * run's: a recorded shorter count written back would make the program
 * write the rest again. */
static bool whole_output_result(struct replayer *r, struct sp_event *ev)
{
	uint64_t id;
	if (!to_whole_output(r, ev, ev->tid, &id))
		return false;
	for (int i = 0; i < ev->n_diffs; i++) {
		struct sp_diff *d = &ev->diffs[i];
		if (d->klass == PC_MUST && (d->arg == 0 || d->arg == 3) && !strcmp(d->field, "value")) {
			d->klass = PC_ACCEPT;
			d->label = "scheduling";
		}
	}
	return true;
}

static bool take_elastic(struct replayer *r, const struct sp_event *ev, uint32_t rep_tid, bool recorded)
{
	if (sched_class_elastic(ev))
		return true;
	uint64_t id;
	if (!to_whole_output(r, ev, rep_tid, &id))
		return false;
	int fd = (int)ev->entry[0].value;
	char buf[256];
	const char *what = fdnames_name(&r->fdn, rep_tid, fd, buf, sizeof(buf));
	struct sp_bytes none = { NULL, 0 };
	return wstreams_add(r->cmp.wstreams, id | (1ull << 63), what ? what : "?", ev->seq,
			    recorded ? ev->entry[1].buf : none, recorded ? none : ev->entry[1].buf) == 0;
}

static int entry_step(struct replayer *r, struct tracee *t, struct sp_event *ev)
{
	if (r->cur->stranger) {
		r->cur->have_rec = false;
		report_divergence(r, ev, false);
		r->stop = true;
		return -1;
	}
	int k;
	if (r->cur->rec_kept) {
		r->cur->rec_kept = false;
		k = 1;
	} else {
		while ((k = next_recorded(r, r->cur)) == 1 && r->cur->rec.is_signal)
			if (!r->cur->rec.sig.exited)
				missed_signal(r, r->cur);
	}
	/* Lock calls follow the interleaving of the threads' user code, which
	 * a syscall order cannot fix: a futex call the recording has and the
	 * replay not (or the reverse) is a scheduling difference, replayed. */
	bool threaded = r->ordered && r->sched.max_live > 1;
	while (k == 1 && threaded && r->cur->rec.nr != ev->nr && take_elastic(r, &r->cur->rec, ev->tid, true)) {
		count_label(r, "scheduling");
		r->n_accept++;
		k = next_recorded(r, r->cur);
		while (k == 1 && r->cur->rec.is_signal) {
			if (!r->cur->rec.sig.exited)
				missed_signal(r, r->cur);
			k = next_recorded(r, r->cur);
		}
	}
	if (k == 0 && threaded && !(r->meta && r->meta->interrupted) && take_elastic(r, ev, ev->tid, false)) {
		/* One more lock call than recorded, after the thread's last one. */
		count_label(r, "scheduling");
		r->n_accept++;
		r->cur->extra_call = true;
		return translate_unmatched_entry(r->tr, t, ev) < 0 ? unmatched_unwritable(r) : 0;
	}
	if (k == 1 && threaded && r->cur->rec.nr != ev->nr && take_elastic(r, ev, ev->tid, false)) {
		count_label(r, "scheduling");
		r->n_accept++;
		r->cur->rec_kept = true;
		r->cur->extra_call = true;
		return translate_unmatched_entry(r->tr, t, ev) < 0 ? unmatched_unwritable(r) : 0;
	}
	join(r, r->cur);
	if (k < 0) {
		r->cur->have_rec = false;
		r->flags |= RF_FAILED_PARSING_RECFILE;
		sb_printf(&r->report, "  the recording cannot be read at syscall #%" PRIu64 ": %s\n", r->cur->index,
			  tf_error(r->in));
		r->n_must++;
		notify_first(r);
		r->stop = true;
		return -1;
	}
	if (k == 0) {
		r->cur->have_rec = false;
		if (r->meta && r->meta->interrupted) {
			/* The recording was cut short on purpose: compared all of it. */
			r->stop = true;
			return -1;
		}
		report_divergence(r, ev, true);
		r->stop = true;
		return -1;
	}
	r->cur->have_rec = true;
	r->cur->in_call = true;
	stepped(r, &r->cur->st);
	if (in_order(r, r->cur) && r->sched.n_live > 1 && !sched_class_waits(ev->nr) && !sched_class_optional(ev->nr) &&
	    !ev->is_exit_call)
		sched_enter_kernel(&r->sched, &r->cur->st);
	r->matched++;
	ring_push(r, r->cur->rec_item);
	if (r->cur->rec.nr != ev->nr) {
		report_divergence(r, ev, false);
		r->stop = true;
		return -1;
	}
	compare_event(&r->cmp, &r->cur->rec, ev, false);
	if (translate_entry(r->tr, t, &r->cur->rec, ev) < 0) {
		r->flags |= RF_ERROR_WRITING_TO_CHILD;
		r->stop = true;
		return -1;
	}
	if (ev->n_diffs && r->ordered)
		sched_class_apply(&r->cur->rec, ev);
	if (ev->n_diffs && r->cmp.threads_interleave) {
		sched_class_apply_memory(&r->cur->rec, ev);
		whole_output_result(r, ev);
	}
	for (int i = 0; i < ev->n_diffs; i++)
		if (ev->diffs[i].klass == PC_MUST && (r->pol.strict || fatal_flag(ev->diffs[i].flag))) {
			settle(r, ev);
			return -1;
		}
	for (int i = 0; i < ev->n_diffs && !r->contained; i++)
		if (contains(&ev->diffs[i]))
			contain_from(r);
	r->cur->emulated = false;
	if (r->contained) {
		char fdn[64];
		const char *n0 = fdnames_name(&r->fdn, (uint32_t)t->tid, (int)ev->raw_args[0], fdn, sizeof(fdn));
		bool stream = n0 && (!strncmp(n0, "pipe:", 5) || !strncmp(n0, "socket:", 7));
		enum contain_action a = contain_action(sc_name(ev->nr), ev->raw_args, stream);
		if (a == CONTAIN_EMULATE && is_own_output(r, t, ev))
			a = CONTAIN_RUN;
		if (a == CONTAIN_STOP) {
			sb_printf(&r->report, "  #%" PRIu64 " %s: not run (contained: a new program image cannot be "
				  "emulated); the replay ends there\n", r->cur->index, sc_name(ev->nr));
			r->stop = true;
			return -1;
		}
		if (a == CONTAIN_EMULATE) {
			if (tracer_skip_syscall(t) < 0) {
				r->flags |= RF_ERROR_WRITING_TO_CHILD;
				r->stop = true;
				return -1;
			}
			r->cur->emulated = true;
		}
	}
	/* Interrupted by a signal when recorded: the signal is queued now, so
	 * that the call is interrupted here too and not left to the timing. */
	if (r->cur->rec.returned && interrupted_value(event_ret(&r->cur->rec)))
		queue_recorded_signal_if(r, r->cur, t, true);
	return 0;
}

/* The first unacceptable difference: from here on the program runs on
 * recorded data that is not this machine's, so its acts are emulated. */
static void contain_from(struct replayer *r)
{
	if (r->pol.strict || r->contained)
		return;
	r->contained = true;
	r->contained_at = r->cur->index;
}

/* A skipped call: the recorded result in its place, nothing compared (the
 * kernel did not run it). */
static int finish_emulated(struct replayer *r, struct tracee *t)
{
	r->n_emulated++;
	const struct sp_arg *ret = &r->cur->rec.ret;
	if (r->cur->rec.returned && tracer_set_return(t, ret->value) < 0)
		return -1;
	return 0;
}

/* The thread's next recorded item is a signal that came while it ran its
 * own code, before this syscall: skip the call for now, queue the signal
 * and make the kernel restart the call once the handler is done (so the
 * handler runs first, as recorded). */
static int entry_or_signal(struct replayer *r, struct tracee *t, struct sp_event *ev)
{
	struct rtrace *rt = r->cur;
	uint64_t seq;
	int signo;
	if (r->ordered && rt->mapped && !rt->stranger && !rt->inject_sent && !rt->rec_kept &&
	    peek_item(r, rt->rec_tid, &seq, &signo) && signo > 0) {
		queue_recorded_signal_if(r, rt, t, true);
		if (rt->inject_sent && tracer_skip_syscall(t) == 0) {
			rt->deferred_nr = ev->nr;
			rt->deferred = true;
			return 0;
		}
	}
	return entry_step(r, t, ev);
}

static bool fd_taken(pid_t tid, int64_t fd)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd/%lld", (int)tid, (long long)fd);
	return access(path, F_OK) == 0;
}

/* Two threads' calls overlapped when recorded and the kernel ran a close
 * before an open that entered first: the open got the descriptor the close
 * freed. About to make such an open (its recorded descriptor is still open
 * here), let the thread waiting to close it go first. True if one went. */
static bool is_close(uint32_t nr)
{
	return is_named(nr, "close");
}

static bool close_first(struct replayer *r, struct rtrace *rt, struct tracee *t)
{
	struct upcoming u, v;
	if (!upcoming_step(r, rt, 0, &u) || u.signo)
		return false;
	bool opens = sched_class_takes_fd(u.nr) && u.ret >= 0;
	bool closes = is_close(u.nr);
	if (!opens && !closes)
		return false;
	int64_t fd = opens ? u.ret : (int64_t)u.arg0;
	if (opens && !fd_taken(t->tid, fd))
		return false;
	for (size_t i = 0; i < r->sched.n_live; i++) {
		struct rtrace *o = r->sched.live[i]->owner;
		if (o == rt || !o->t || o->st.park != SCHED_AT_ENTRY || o->st.held || !upcoming_step(r, o, 0, &v) ||
		    v.signo || v.seq > u.seq_exit || !sched_kernel_free(&r->sched, &o->st))
			continue;
		/* An open about to take `fd`: the close of `fd` goes first. A
		 * close of `fd`: an open that got a higher one (so `fd` was
		 * still taken then) goes first. */
		if (opens && !(is_close(v.nr) && (int64_t)v.arg0 == fd))
			continue;
		if (closes && !(sched_class_takes_fd(v.nr) && v.ret > fd))
			continue;
		o->st.park = SCHED_RUNNING;
		struct rtrace *keep = r->cur;
		r->cur = o;
		int k = entry_or_signal(r, o->t, &o->t->ev);
		r->cur = keep;
		if (k < 0)
			return false;
		tracer_resume(o->t, 0);
		return true;
	}
	return false;
}

/* Calls that hand bytes to a pipe's or socket's reader: with the last
 * reader closed they fail (EPIPE), so one that succeeded beside a close
 * ran before it. */
static bool feeds_reader(uint32_t nr)
{
	static const char *const calls[] = { "write", "writev", "sendto", "sendmsg", "sendmmsg", "splice", "vmsplice",
					     "tee" };
	const char *name = sc_name(nr);
	for (size_t i = 0; name && i < sizeof(calls) / sizeof(calls[0]); i++)
		if (!strcmp(name, calls[i]))
			return true;
	return false;
}

/* The turn at which `rt`'s next call may enter when descriptors are at
 * stake: a close waits for an overlapping open (one that entered before the
 * close returned) that got a higher descriptor, so the closed one was still
 * taken then, and, between processes, for an overlapping write that
 * succeeded (the close may have taken its reader away: `yes | head -1`,
 * where head closes the pipe while yes writes; seq numbers are the
 * tracer's view, and which of two overlapping calls the kernel ran first
 * only their results tell; threads sharing memory write to outputs
 * compared whole, in counts that may differ, so no close waits for one of
 * their writes); an open whose descriptor is still taken here waits for
 * the overlapping close that freed it; an open waits for an overlapping open
 * that got a lower descriptor (it took it first). Returns `seq` or a later
 * turn. */
static uint64_t fd_turn(struct replayer *r, struct rtrace *rt, struct tracee *t, uint64_t seq)
{
	struct upcoming u, v;
	if (!upcoming_step(r, rt, 0, &u) || u.signo)
		return seq;
	bool opens = sched_class_takes_fd(u.nr) && u.ret >= 0;
	bool closes = is_close(u.nr);
	if (!opens && !closes)
		return seq;
	int64_t fd = opens ? u.ret : (int64_t)u.arg0;
	uint64_t until = u.seq_exit, turn = seq;
	bool taken = !opens || fd_taken(t->tid, fd);
	for (size_t i = 0; i < r->sched.n_live; i++) {
		struct rtrace *o = r->sched.live[i]->owner;
		if (o == rt || !o->mapped)
			continue;
		uint64_t sq;
		int sg;
		peek_item(r, o->rec_tid, &sq, &sg); /* reads its next item ahead if needed */
		/* The close that freed the descriptor may be a few calls on in a
		 * thread that went another way (lock calls more or fewer). */
		for (size_t k = 0; opens && taken && upcoming_step(r, o, k, &v) && v.seq < seq; k++)
			if (!v.signo && is_close(v.nr) && (int64_t)v.arg0 == fd && v.seq_exit > turn)
				turn = v.seq_exit;
		if (!upcoming_step(r, o, 0, &v) || v.signo || v.seq > until || !v.seq_exit)
			continue;
		/* Two opens in the kernel at once: the one that got the lower
		 * descriptor took it first, whichever entered first. */
		bool lower_open = opens && sched_class_takes_fd(v.nr) && v.ret >= 0 && v.ret < fd;
		bool want = opens ? (taken && is_close(v.nr) && (int64_t)v.arg0 == fd) || lower_open
				  : (sched_class_takes_fd(v.nr) && v.ret > fd) ||
					    (!r->cmp.threads_interleave && feeds_reader(v.nr) && v.ret > 0);
		if (want && v.seq_exit > turn)
			turn = v.seq_exit;
	}
	return turn;
}

/* The process `rt`'s thread belongs to (whose descriptor table it shares),
 * read once: an execve from a thread keeps the process. */
static pid_t tgid_of(struct rtrace *rt)
{
	if (rt->tgid)
		return rt->tgid;
	char path[64], line[128];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)rt->t->tid);
	FILE *f = fopen(path, "re");
	pid_t tgid = -1;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	if (f)
		fclose(f);
	if (tgid > 0)
		rt->tgid = tgid;
	return tgid;
}

/* A call that takes or frees a descriptor, as recorded: which one, and
 * where it stands in the order. */
struct fd_call {
	bool closes;     /* a close of `fd`; else an open that got `fd` */
	int64_t fd;
	uint64_t until;  /* an open: its exit; a close: its entry */
};

/* Another thread of `rt`'s process with a call still to come here that
 * was recorded as done before `c` and that decides what `c` finds: for an
 * open, a close of its descriptor (it frees it) or an open that got a
 * lower one (it takes that one first); for a close, an open that got a
 * higher one (the closed one was still taken then). NULL if none. */
static struct rtrace *fd_step_before(struct replayer *r, struct rtrace *rt, const struct fd_call *c)
{
	for (size_t i = 0; i < r->sched.n_live; i++) {
		struct rtrace *o = r->sched.live[i]->owner;
		if (o == rt || !o->t || !o->mapped || o->stranger)
			continue;
		struct upcoming v;
		bool found = false;
		for (size_t k = 0; !found && upcoming_step(r, o, k, &v) && v.seq < c->until; k++) {
			if (v.signo || !v.seq_exit || v.seq_exit >= c->until)
				continue;
			bool opens = sched_class_takes_fd(v.nr) && v.ret >= 0;
			found = c->closes ? opens && v.ret > c->fd
					  : (is_close(v.nr) && (int64_t)v.arg0 == c->fd) || (opens && v.ret < c->fd);
		}
		if (!found)
			continue;
		pid_t tgid = tgid_of(rt);
		if (tgid > 0 && tgid_of(o) == tgid)
			return o;
	}
	return NULL;
}

/* The recorded open or close `rt` is about to make (a call numbered `nr`),
 * if it is one that took or freed a descriptor. Recorded elastic calls
 * before it (locks, anonymous memory) that this run did not make are
 * passed over, as the replay will pass them. */
static bool next_fd_call(struct replayer *r, struct rtrace *rt, uint32_t nr, struct fd_call *c)
{
	struct upcoming u;
	size_t k = 0;
	if (!sched_class_takes_fd(nr) && !is_close(nr))
		return false;
	for (;;) {
		/* Read on in the recording as far as the call (a bounded way:
		 * a thread spinning on a lock has many such calls). */
		size_t read = 0;
		while (!upcoming_step(r, rt, k, &u) && read++ < FD_READ_AHEAD && read_aside(r))
			;
		if (!upcoming_step(r, rt, k, &u) || u.signo || u.nr == nr || !sched_class_maybe_elastic(u.nr) ||
		    ++k > FD_READ_AHEAD)
			break;
	}
	if (!upcoming_step(r, rt, k, &u) || u.signo || u.nr != nr || u.ret < 0 || !u.seq_exit)
		return false;
	c->closes = is_close(nr);
	c->fd = c->closes ? (int64_t)u.arg0 : u.ret;
	c->until = c->closes ? u.seq : u.seq_exit;
	return true;
}

/* An open or close about to run ahead of another thread of the process
 * whose call, recorded before it, decides what it finds (fd_step_before):
 * that thread was let out of the order (blocked in a lock call the
 * recording lacks) and the turns went on past it. An open would take
 * another number, or the one the other still holds; a close would free a
 * number an open recorded before it did not get. The call is held until
 * that thread's call is done. Meanwhile the other threads take their
 * turns past it: that thread may wait for a lock that one of them holds
 * until its turn. True if held. */
static bool fd_hold(struct replayer *r, struct rtrace *rt, const struct sp_event *ev)
{
	struct fd_call c;
	struct rtrace *other;
	if (!next_fd_call(r, rt, ev->nr, &c) || c.until == rt->fd_hold_over || !(other = fd_step_before(r, rt, &c)))
		return false;
	if (!rt->st.held) {
		watch_say(&r->watch, 2, "schedule: thread %" PRIu32 " held before its %s of descriptor %lld until thread "
			  "%" PRIu32 " opens or closes one first, as recorded", rt->rec_tid, c.closes ? "close" : "open",
			  (long long)c.fd, other->rec_tid);
		rt->fd_hold = c.fd;
		rt->fd_hold_ns = monotonic_ns();
	}
	rt->st.held = true;
	rt->st.relaxed = false; /* back in the order once the hold ends */
	return true;
}

/* Holds whose other call is done (no longer to come) or that waited too
 * long end: those threads take their turns again. */
static void fd_holds_end(struct replayer *r)
{
	uint64_t now = monotonic_ns();
	for (size_t i = 0; i < r->sched.n_live; i++) {
		struct sched_thread *th = r->sched.live[i];
		struct rtrace *rt = th->owner;
		if (!th->held)
			continue;
		struct fd_call c = { 0 };
		bool still = rt->t && next_fd_call(r, rt, rt->t->ev.nr, &c) && fd_step_before(r, rt, &c);
		if (still && now - rt->fd_hold_ns < FD_HOLD_MS * 1000000ull)
			continue;
		th->held = false;
		if (still) {
			rt->fd_hold_over = c.until; /* not held again for this call */
			watch_say(&r->watch, 2, "schedule: thread %" PRIu32 " held before a call for %d ms: what another "
				  "thread was to open or close first (descriptor %lld) has not come; it goes on",
				  rt->rec_tid, FD_HOLD_MS, (long long)rt->fd_hold);
		}
	}
}

/* A wait for a child without WNOHANG: it enters at its own turn and
 * sleeps there, so that it reaps the first child to die, as recorded (the
 * children die in their recorded order). Entering late, it would find
 * several dead and take the oldest. */
static bool blocking_wait(const struct sp_event *ev)
{
	const char *name = sc_name(ev->nr);
	if (!name)
		return false;
	if (!strcmp(name, "wait4"))
		return !(ev->raw_args[2] & WNOHANG);
	if (!strcmp(name, "waitid"))
		return !(ev->raw_args[3] & WNOHANG);
	return false;
}

static int rp_on_entry(void *ctx, struct tracee *t, struct sp_event *ev)
{
	struct replayer *r = ctx;
	if (r->stop)
		return -1;
	struct rtrace *rt = r->cur = rtrace_of(r, t);
	sched_leave_user(&r->sched, &rt->st);
	if (rt->restarting) {
		/* The kernel restarting the call a suppressed signal interrupted
		 * (the same call, or restart_syscall): not a new syscall. */
		rt->restarting = false;
		if (rt->have_rec && (ev->nr == rt->rec.nr || ev->nr == 219 /* restart_syscall */))
			return 0;
	}
	if (in_order(r, rt) && r->sched.n_live > 1) {
		uint64_t seq = sched_peek(r, &rt->st);
		/* What a call does happens somewhere between its entry and its
		 * exit; what it returns reflects what the others did by then (a
		 * read of a pipe, wait4, the next free descriptor). It therefore
		 * enters only when every step recorded before its exit is done:
		 * at its exit's turn. */
		struct pending *q = pending_for(r, rt->rec_tid, false);
		bool waits = sched_class_waits(ev->nr) || sched_class_optional(ev->nr);
		if (waits && q && q->head < q->n && q->seq[q->head] == seq && !q->signo[q->head] &&
		    q->seq_exit[q->head] > seq + 1 && q->nr[q->head] == ev->nr && !blocking_wait(ev))
			seq = q->seq_exit[q->head];
		struct upcoming u;
		if (!waits && upcoming_step(r, rt, 0, &u) && u.seq == seq) {
			seq = fd_turn(r, rt, t, seq);
			if (r->cmp.threads_interleave && fd_hold(r, rt, ev))
				return park_entry(rt, seq, true);
		}
		/* Any other call does its work right away (a descriptor taken or
		 * freed): one such call in the kernel at a time, in entry order. */
		if (!sched_turn(&r->sched, &rt->st, seq) || (!waits && !sched_kernel_free(&r->sched, &rt->st)) ||
		    (!waits && close_first(r, rt, t)))
			return park_entry(rt, seq, !waits);
	}
	return entry_or_signal(r, t, ev);
}

/* The thread's syscall exit, at its turn: compare and write back. */
static int exit_step(struct replayer *r, struct tracee *t, struct sp_event *ev)
{
	struct rtrace *rt = r->cur;
	if (rt->emulated) {
		/* Contained: the kernel did not run it. Its entry was compared
		 * (those differences stand); its result is the recorded one. */
		rt->emulated = false;
		if (finish_emulated(r, t) < 0) {
			r->flags |= RF_ERROR_WRITING_TO_CHILD;
			r->stop = true;
		}
	} else if (!ev->is_exit_call) {
		compare_event(&r->cmp, &rt->rec, ev, true);
		replay_setting_accept_std_stat(r->meta, t->tid, r->std_dev, r->std_ino, &rt->rec, ev);
		if (ev->n_diffs && r->ordered)
			sched_class_apply(&rt->rec, ev);
		bool keep = false;
		if (ev->n_diffs && r->cmp.threads_interleave) {
			sched_class_apply_memory(&rt->rec, ev);
			keep = whole_output_result(r, ev);
		}
		translate_review(r->tr, &rt->rec, ev);
		if (ev->n_diffs && !keep && patch(r, t, ev) < 0)
			r->stop = true;
	}
	settle(r, ev);
	for (int i = 0; i < ev->n_diffs && !r->contained; i++)
		if (contains(&ev->diffs[i]))
			contain_from(r);
	fdnames_after(&r->fdn, ev);
	rt->in_call = false;
	stepped(r, &rt->st);
	if (rt->switch_to) {
		rt->rec_tid = rt->switch_to;
		rt->switch_to = 0;
	}
	if (!r->stop && !ev->is_exit_call)
		queue_recorded_signal(r, rt, t);
	if (in_order(r, rt) && !ev->is_exit_call)
		sched_enter_user(&r->sched, &rt->st);
	return r->stop ? -1 : 0;
}

/* Threads that opened in another order than recorded got each other's
 * descriptor numbers (the lowest free one). If the recorded number is free
 * here, the new descriptor is moved there (dup3 + close, made by the
 * thread itself) before anything compares it: the program goes on with the
 * numbers it had, and the other thread's open will find its own free. */
static void renumber_fd(struct replayer *r, struct rtrace *rt, struct tracee *t, struct sp_event *ev)
{
	if (!r->cmp.threads_interleave || !rt->have_rec || !rt->rec.returned || !ev->returned ||
	    rt->rec.nr != ev->nr || !sched_class_takes_fd(ev->nr))
		return;
	int64_t want = event_ret(&rt->rec), got = event_ret(ev);
	if (want < 0 || got < 0 || want == got || want > INT32_MAX)
		return;
	if (fd_taken(t->tid, want))
		return; /* taken: the numbers stay apart, and the verdict says so */
	char path[64];
	bool cloexec = false;
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%lld", (int)t->tid, (long long)got);
	FILE *f = fopen(path, "re");
	char line[128];
	while (f && fgets(line, sizeof(line), f)) {
		unsigned long flags;
		if (sscanf(line, "flags: %lo", &flags) == 1)
			cloexec = flags & O_CLOEXEC;
	}
	if (f)
		fclose(f);
	long res;
	const long dup_args[3] = { (long)got, (long)want, cloexec ? O_CLOEXEC : 0 };
	const long close_args[3] = { (long)got, 0, 0 };
	if (tracer_inject_syscall(t, SYS_dup3, dup_args, &res) < 0 || res != want)
		return;
	if (tracer_inject_syscall(t, SYS_close, close_args, &res) < 0 || tracer_set_return(t, (uint64_t)want) < 0)
		return;
	ev->ret.value = (uint64_t)want;
	count_label(r, "scheduling");
	r->n_accept++;
	r->n_renumbered++;
}

static int rp_on_exit(void *ctx, struct tracee *t, struct sp_event *ev)
{
	struct replayer *r = ctx;
	struct rtrace *rt = r->cur = rtrace_of(r, t);
	sched_leave_kernel(&r->sched, &rt->st);
	if (translate_exit(r->tr, t, ev) < 0 && ev->returned && !r->stop) {
		r->flags |= RF_ERROR_WRITING_TO_CHILD;
		r->stop = true;
	}
	if (rt->deferred) {
		/* The skipped call: made again after the handler. */
		rt->deferred = false;
		if (!ev->unfinished)
			tracer_restart_syscall(t, rt->deferred_nr);
		return r->stop ? -1 : 0;
	}
	if (rt->extra_call) {
		rt->extra_call = false; /* not in the recording: nothing to compare */
		if (translate_unmatched_exit(r->tr, t, ev) < 0 && ev->returned && !r->stop) {
			r->flags |= RF_ERROR_WRITING_TO_CHILD;
			r->stop = true;
		}
		return r->stop ? -1 : 0;
	}
	if (!rt->have_rec || r->stop)
		return r->stop ? -1 : 0;
	if (ev->unfinished) {
		rt->in_call = false;
		settle(r, ev);
		return 0;
	}
	renumber_fd(r, rt, t, ev);
	int64_t v = event_ret(ev);
	if (r->ordered && !ev->is_exit_call && v <= -512 && v >= -516 && rt->rec.returned &&
	    !interrupted_value(event_ret(&rt->rec)))
		rt->restarting = true; /* a suppressed signal interrupted it: it restarts */
	if (rt->restarting)
		return 0;
	if (in_order(r, rt) && !ev->is_exit_call && rt->rec.seq_exit &&
	    (!sched_user_free(&r->sched, &rt->st) || !sched_turn(&r->sched, &rt->st, rt->rec.seq_exit)))
		return park(rt, SCHED_AT_EXIT, rt->rec.seq_exit);
	return exit_step(r, t, ev);
}

/* The recorded signal we queued, at its turn: delivered with the recorded
 * siginfo. */
static int signal_step(struct replayer *r, struct tracee *t, int *deliver)
{
	struct rtrace *rt = r->cur;
	int k = next_recorded(r, rt);
	rt->inject_sent = false;
	stepped(r, &rt->st);
	if (k != 1 || !rt->rec.is_signal) {
		*deliver = 0;
		return k < 0 ? -1 : 0;
	}
	if (rt->rec.sig.siginfo.len)
		tracer_set_siginfo(t, rt->rec.sig.siginfo.data, rt->rec.sig.siginfo.len);
	*deliver = rt->rec.sig.signo;
	r->n_injected++;
	queue_recorded_signal_if(r, rt, t, true);
	return 0;
}

static int rp_on_signal(void *ctx, struct tracee *t, struct sp_event *ev, int *deliver)
{
	struct replayer *r = ctx;
	struct rtrace *rt = r->cur = rtrace_of(r, t);
	if (!r->ordered || !rt->mapped || rt->stranger || r->stop)
		return 0; /* delivered as it comes */
	int32_t code = 0;
	if (ev->sig.siginfo.len >= 12)
		memcpy(&code, ev->sig.siginfo.data + 8, 4);
	int s = ev->sig.signo;
	if (code > 0 && (s == SIGSEGV || s == SIGBUS || s == SIGFPE || s == SIGILL || s == SIGTRAP)) {
		/* A fault: the instruction would fault again if suppressed. It is
		 * delivered, and stands for the recorded one if that is next. */
		uint64_t seq;
		int signo;
		if (peek_item(r, rt->rec_tid, &seq, &signo) && signo == s) {
			next_recorded(r, rt);
			stepped(r, &rt->st);
		}
		*deliver = s;
		return 0;
	}
	/* Ours, queued by tkill, or one of the same number that arose at the
	 * same time and took its place (a standard signal is pending once):
	 * either way the recorded one is due. */
	bool ours = rt->inject_sent && s == rt->inject_signo;
	if (!ours) {
		/* Arose on replay: the recorded signals are delivered instead,
		 * each at its recorded point. */
		*deliver = 0;
		r->n_natural++;
		return 0;
	}
	uint64_t seq;
	int signo;
	if (in_order(r, rt) && peek_item(r, rt->rec_tid, &seq, &signo) &&
	    (!sched_user_free(&r->sched, &rt->st) || !sched_turn(&r->sched, &rt->st, seq)))
		return park(rt, SCHED_AT_SIGNAL, seq);
	int k = signal_step(r, t, deliver);
	if (in_order(r, rt))
		sched_enter_user(&r->sched, &rt->st);
	return k;
}

/* Parked threads whose turn has come take their step; when nothing moved
 * for a while, the thread whose turn it is is blocked in the kernel (on
 * one we hold): let the others pass it, and say so in the verdict. */
static int rp_on_idle(void *ctx, bool timed_out)
{
	struct replayer *r = ctx;
	/* Stops that are no recorded step (one lock call or clock read more
	 * than recorded, again and again) are no progress either: threads
	 * spinning on a timed lock wait for one that is held at its turn. */
	uint64_t now = monotonic_ns();
	if (r->steps != r->idle_steps) {
		r->idle_steps = r->steps;
		r->idle_since_ns = r->progress_ns = now;
	} else if (now - r->idle_since_ns >= SCHED_IDLE_MS * 1000000ull) {
		timed_out = true;
	}
	if (timed_out)
		r->idle_since_ns = now;
	/* Processes do not share memory: what one computes the others do not
	 * see, so one in user space long is let go at once, as any other. */
	bool user_too = !r->cmp.threads_interleave || now - r->progress_ns >= SCHED_USER_IDLE_MS * 1000000ull;
	for (;;) {
		if (r->stop)
			return -1;
		fd_holds_end(r);
		struct sched_thread *th = sched_ready(&r->sched);
		if (!th) {
			if (!timed_out)
				return 0;
			timed_out = false;
			struct sched_thread *x = sched_relax(&r->sched, user_too);
			if (!x)
				return 0;
			note_relaxed(r, x->owner, (now - r->progress_ns) / 1000000);
			continue;
		}
		struct rtrace *rt = r->cur = th->owner;
		struct tracee *t = rt->t;
		/* Its turn came; a close its open waits for may have come
		 * into view since it stopped. */
		if (th->park == SCHED_AT_ENTRY && r->cmp.threads_interleave && fd_hold(r, rt, &t->ev))
			continue;
		enum sched_park kind = th->park;
		th->park = SCHED_RUNNING;
		int k = 0, deliver = 0;
		if (kind == SCHED_AT_ENTRY) {
			k = entry_or_signal(r, t, &t->ev);
			if (k >= 0 && t->ev.is_exit_call) {
				t->in_syscall = false;
				k = exit_step(r, t, &t->ev);
			}
		} else if (kind == SCHED_AT_EXIT) {
			k = exit_step(r, t, &t->ev);
		} else if (kind == SCHED_AT_END) {
			k = 0; /* it dies now */
		} else {
			k = signal_step(r, t, &deliver);
			if (in_order(r, rt))
				sched_enter_user(&r->sched, &rt->st);
		}
		if (k < 0)
			return -1;
		tracer_resume(t, deliver);
	}
}

/* ---- the command ---- */

static void print_verdict(struct replayer *r, const char *verdict, uint64_t count)
{
	const char *job = r->meta && r->meta->job_name ? r->meta->job_name : "?";
	uint64_t total = r->meta ? r->meta->number_of_syscalls : 0;
	const char *on = console_on(2, !strcmp(verdict, "identical") || !strcmp(verdict, "equivalent") ? TONE_GOOD
				    : TONE_BAD), *off = console_off(2);
	if (total)
		fprintf(stderr, "%s: replay of job \"%s\" (%" PRIu64 " of %" PRIu64 " recorded syscalls compared): %s%s%s",
			progname, job, count, total, on, verdict, off);
	else
		fprintf(stderr, "%s: replay of job \"%s\" (%" PRIu64 " syscalls compared): %s%s%s", progname, job, count,
			on, verdict, off);
	if (!strcmp(verdict, "equivalent")) {
		fprintf(stderr, ": %" PRIu64 " acceptable difference%s replayed", r->n_accept, r->n_accept == 1 ? "" : "s");
		if (r->n_labels) {
			fprintf(stderr, " (");
			for (int i = 0; i < r->n_labels; i++)
				fprintf(stderr, "%s%s %" PRIu64, i ? ", " : "", r->labels[i], r->label_n[i]);
			fprintf(stderr, ")");
		}
		if (r->cmp.mapped)
			fprintf(stderr, "%s%" PRIu64 " addresses mapped", r->n_accept ? "; " : ": ", r->cmp.mapped);
	} else if (!strcmp(verdict, "DIFFERENT")) {
		fprintf(stderr, ": %" PRIu64 " unacceptable difference%s", r->n_must, r->n_must == 1 ? "" : "s");
		if (r->n_accept)
			fprintf(stderr, ", %" PRIu64 " acceptable", r->n_accept);
	}
	fputc('\n', stderr);
	if (r->meta && r->meta->interrupted)
		fprintf(stderr, "  the recording is partial (its recorder was interrupted): compared up to where it ends, "
			"then the program was stopped\n");
	if (r->sched.relaxations)
		fprintf(stderr, "  schedule relaxed %" PRIu64 " time%s (a thread blocked at its recorded turn, first before "
			"syscall #%" PRIu64 "): the other threads went on past it\n", r->sched.relaxations,
			r->sched.relaxations == 1 ? "" : "s", r->relaxed_at);
	if (r->n_renumbered)
		fprintf(stderr, "  %" PRIu64 " new descriptor%s moved to the number recorded (threads opened in another "
			"order)\n", r->n_renumbered, r->n_renumbered == 1 ? "" : "s");
	if (r->report.len)
		fputs(r->report.s, stderr);
	if (r->report_lines > MAX_REPORT)
		fprintf(stderr, "  ... and %d more\n", r->report_lines - MAX_REPORT);
	if (r->cmp.dropped)
		fprintf(stderr, "  %" PRIu64 " more difference%s beyond %d in one syscall not listed (%" PRIu64
			" of them must-match, counted above)\n", r->cmp.dropped, r->cmp.dropped == 1 ? "" : "s",
			SP_MAX_DIFFS, r->cmp.dropped_must);
	if (r->contained)
		fprintf(stderr, "  contained from syscall #%" PRIu64 " on: %" PRIu64 " call%s acting outside the program "
			"emulated from the recording, not run\n", r->contained_at, r->n_emulated,
			r->n_emulated == 1 ? "" : "s");
	if (r->n_refused_writes)
		fprintf(stderr, "  %" PRIu64 " recorded value%s not written back: the program's memory there is a shared "
			"or read-only mapping\n", r->n_refused_writes, r->n_refused_writes == 1 ? "" : "s");
	char fl[512];
	if (r->flags)
		fprintf(stderr, "  flags: %s%s%s\n", console_on(2, r->n_must ? TONE_ERROR : TONE_NOTE),
			policy_flag_names(r->flags, fl, sizeof(fl)), console_off(2));
}

static void job_from_meta(struct job *j, const struct tf_meta *m, const struct replay_opts *o,
			  const struct setting *want)
{
	memset(j, 0, sizeof(*j));
	j->name = m->job_name;
	j->argv = m->argv;
	j->argc = m->argc;
	j->stdin_data = m->stdin_bytes;
	j->stdin_len = m->stdin_len;
	j->env = m->env;
	j->n_env = m->n_env;
	j->workdir = o->workdir ? (char *)o->workdir : m->workdir;
	j->stdout_path = (char *)o->stdout_path;
	j->stderr_path = (char *)o->stderr_path;
	/* Recordings without our fields (the prototype's) ran with ASLR on. */
	j->aslr = o->aslr >= 0 ? o->aslr : !m->tracee_aslr_off;
	/* As recorded: a recording made with the vDSO visible (the prototype's)
	 * has no clock syscalls to match; one made unpinned is replayed so. */
	j->keep_vdso = !m->vdso_hidden;
	j->pin = o->pin && m->pinned;
	j->verbosity = o->verbosity;
	j->container = o->container;
	j->want = want; /* restored by launch where it can be (replay_setting.h) */
}

int replay_run(const struct replay_opts *o)
{
	struct replayer r;
	struct setting_notes cnotes = { 0 };    /* the container part of the setting */
	struct container_opts *own_c = NULL;    /* the recorded root, when not given */
	memset(&r, 0, sizeof(r));
	r.o = o;
	/* From the start: a signal while the recording is read still ends the
	 * run with a finished differences file (the tracer sees it at once). */
	tracer_catch_signals();
	r.ro.strsize = 32;
	char err[512];
	if (policy_load(&r.pol, o->policy, err, sizeof(err)) < 0) {
		warnx_("%s", err);
		return EXIT_USAGE;
	}
	/* The recording is read twice, front to back: once whole before
	 * anything runs (every item must read, the metadata written last is
	 * needed to start), then while replaying. From a pipe it is copied to a
	 * temporary file first. */
	const char *name = strcmp(o->input, "-") ? o->input : "(standard input)";
	/* Live, the stream is read once as it comes (the file is not whole
	 * yet): the header says what to run, each record is checked as it is
	 * read, the trailer comes last (live_trailer). */
	int in_fd = -1;
	if (o->live)
		r.in = tf_open(o->input, err, sizeof(err));
	else
		in_fd = o->verify_key ? tf_input_copy(o->input, err, sizeof(err)) : tf_input_file(o->input, err, sizeof(err));
	if (o->live ? !r.in : in_fd < 0) {
		warnx_("cannot replay: %s", err);
		policy_free(&r.pol);
		return EXIT_BAD_RECORDING;
	}
	int rc = EXIT_BAD_RECORDING;
	struct tf_reader *check = r.in ? r.in : tf_open_fd(tf_reopen(in_fd), name, err, sizeof(err));
	if (!check) {
		warnx_("cannot replay: %s", err);
		goto out_in;
	}
	if (tf_kind(check) != TF_RECORDING) {
		warnx_("cannot replay %s: it is a differences file, not a recording", name);
		if (check != r.in)
			tf_close(check);
		goto out_in;
	}
	/* --verify: the header names the key, every record is checked against
	 * the chain as it is read, and the seal at the end, all before
	 * anything runs (tracefile.h: tf_signer). */
	if (o->verify_key && tf_verify_signer(check, o->verify_key, o->verify_path, err, sizeof(err)) < 0) {
		warnx_("cannot replay %s: %s", name, err);
		if (check != r.in)
			tf_close(check);
		goto out_in;
	}
	if (!o->live && tf_validate(check) < 0) {
		warnx_("cannot replay %s: %s", name, tf_error(check));
		if (check != r.in)
			tf_close(check);
		goto out_in;
	}
	char origin[256] = "";
	if (!o->verify_key)
		tf_origin_note(check, origin, sizeof(origin));
	if (!tf_meta(check) || tf_incomplete(check)) {
		warnx_("cannot replay %s: the recording is incomplete (%s)", name,
		       tf_incomplete(check) ? tf_incomplete(check) : "no metadata");
		if (check != r.in)
			tf_close(check);
		goto out_in;
	}
	if (tf_meta_copy(&r.meta_own, tf_meta(check)) < 0)
		die(EXIT_TRACER, "out of memory");
	r.meta = &r.meta_own;
	if (!o->live) {
		tf_close(check);
		r.in = tf_open_fd(tf_reopen(in_fd), name, err, sizeof(err));
	}
	if (!r.in) {
		warnx_("cannot replay: %s", err);
		goto out_in;
	}
	if (!r.meta->argc) {
		warnx_("cannot replay %s: the recording names no command", name);
		goto out_in;
	}
	if (o->expect_job && strcmp(o->expect_job, r.meta->job_name ? r.meta->job_name : "")) {
		warnx_("%s is a recording of job \"%s\", not \"%s\" [COMPARING_DIFFERENT_JOBS]", name,
		       r.meta->job_name ? r.meta->job_name : "", o->expect_job);
		goto out_in;
	}
	struct job j;
	struct setting want;
	replay_setting_from_meta(&want, r.meta, o->workdir != NULL);
	job_from_meta(&j, r.meta, o, &want);
	j.container = replay_setting_container(r.meta, o->container, &own_c, &cnotes);
	bool verbose = o->verbosity > 0 || isatty(2);
	if (preflight_check(stderr, r.meta, &j, j.container != NULL) < 0) {
		rc = EXIT_USAGE;
		goto out_in;
	}
	struct launch l;
	rc = launch_prepare(&l, &j);
	if (rc) {
		launch_release(&l);
		goto out_in;
	}
	replay_setting_say(stderr, &cnotes, &l, r.meta, o, verbose);
	/* Just before the program starts (a refusal says only why): what it
	 * runs comes from a file whose origin nobody checked. */
	if (origin[0])
		fprintf(stderr, "%s: %s\n", progname, origin);
	preflight_say_command(stderr, &j, j.container != NULL);
	for (int i = 0; i < 2; i++) {
		struct stat st;
		int fd = i ? (l.err_fd >= 0 ? l.err_fd : 2) : (l.out_fd >= 0 ? l.out_fd : 1);
		if (fstat(fd, &st) == 0) {
			r.std_dev[i] = st.st_dev;
			r.std_ino[i] = st.st_ino;
		}
	}
	r.out = tf_writer_open(o->output);
	if (!r.out) {
		warnx_("cannot write %s: %s", o->output, strerror(errno));
		launch_release(&l);
		rc = EXIT_OUTPUT;
		goto out_in;
	}
	tf_write_equal(r.out, false); /* marks the file as differences from its first bytes */
	ptrmap_init(&r.ptrs);
	r.tr = translate_new();
	r.cmp.pol = &r.pol;
	r.cmp.ptrs = &r.ptrs;
	fdnames_init(&r.fdn);
	r.cmp.source = fdnames_source;
	r.cmp.drain = fdnames_drain;
	r.cmp.source_arg = &r.fdn;
	r.cmp.streams = streams_new();
	r.cmp.wstreams = wstreams_new();
	r.cmp.name = fd_name;
	r.cmp.dirs = dirlists_new();
	r.cmp.texts = texts_new();
	arena_init(&r.scratch, 1 << 20);
	/* What is left of the recording once the program ended is read through this one. */
	struct rtrace tail = { 0 };
	arena_init(&tail.arena, 4 << 20);
	tail.rec.arena = &tail.arena;
	r.cur = &tail;
	sched_init(&r.sched, sched_peek, &r);
	arena_init(&r.peek_arena, 1 << 20);
	r.peek_ev.arena = &r.peek_arena;
	r.peek_id = UINT64_MAX;
	struct tracer_ops ops = { .ctx = &r, .on_entry = rp_on_entry, .on_exit = rp_on_exit,
				  .on_clone = rp_on_clone, .on_gone = rp_on_gone, .on_signal = rp_on_signal,
				  .on_idle = rp_on_idle, .idle_ms = SCHED_IDLE_MS, .on_tid_change = rp_on_tid_change,
				  .on_end = rp_on_end, .on_exit_stop = rp_on_exit_stop };
	struct tracer_result res;
	watch_init(&r.watch, "replay", r.meta->argv[0], o->verbosity, r.meta->number_of_syscalls);
	watch_say(&r.watch, 1, "%s: job \"%s\", %" PRIu64 " syscalls recorded on %s; policy %s; writing %s", o->input,
		  r.meta->job_name ? r.meta->job_name : "", r.meta->number_of_syscalls,
		  r.meta->uname.nodename ? r.meta->uname.nodename : "?", o->policy, o->output);
	watch_wrap(&r.watch, &ops);
	tracer_catch_signals();
	enum tracer_status st = tracer_run(&l.spawn, &ops, &res);
	watch_done(&r.watch);
	watch_say(&r.watch, 1, "%" PRIu64 " syscalls compared in %.2f s", r.matched, watch_elapsed(&r.watch));
	launch_release(&l);
	uint64_t compared = r.matched;
	if (st == TRACER_SPAWN_FAILED) {
		warnx_("cannot start %s: %s", r.meta->argv[0], res.error);
		tf_writer_close(r.out);
		unlink(o->output);
		rc = EXIT_NO_TRACEE;
		goto out_all;
	}
	if (st == TRACER_OK && !r.stop) {
		/* The program ended: the recording must end here too. */
		r.cur = &tail;
		if (!r.meta->interrupted && recording_goes_on(&r)) {
			tail.have_rec = true;
			report_divergence(&r, NULL, false);
		}
		if (!r.diverged && r.meta->exit_status != res.wait_status && !r.meta->interrupted &&
		    r.meta->number_of_syscalls) {
			r.flags |= RF_UNDEFINED_SYSTEM_STATE;
			r.n_must++;
			sb_printf(&r.report, "  the program ended with wait status %#x, recorded %#x\n", res.wait_status,
				  r.meta->exit_status);
		}
	}
	if (st == TRACER_OK && !r.diverged) {
		/* A pipe whose recorded bytes the replay never got to compare, a
		 * directory listing left with entries on one side only. */
		int k = compare_finish(&r.cmp, &r.report);
		r.report_lines += k;
		r.n_must += (uint64_t)k;
		if (k)
			r.flags |= RF_UNEXPECTED_MEMORY_CONTENT;
	}
	r.n_must += r.cmp.dropped_must;
	const char *verdict = r.n_must ? "DIFFERENT" : (r.n_accept || r.cmp.mapped) ? "equivalent" : "identical";
	if (st == TRACER_INTERRUPTED)
		verdict = "interrupted";
	else if (st == TRACER_ERROR)
		verdict = "failed";
	/* The metadata: the recording's, with this machine and the result. */
	struct tf_meta m;
	if (tf_meta_copy(&m, r.meta) == 0) {
		free(m.verdict);
		m.verdict = xstrdup(verdict);
		m.time_replayed = (uint64_t)time(NULL);
		sysstate_uname(&m.replay_uname);
		m.number_of_differences = r.n_pairs;
		m.result_flags = r.flags;
		m.interrupted = st == TRACER_INTERRUPTED;
		if (!r.out_err)
			r.out_err = tf_write_metadata(r.out, &m);
		tf_meta_free(&m);
	}
	if (!r.out_err)
		r.out_err = tf_write_equal(r.out, r.n_must == 0 && r.n_accept == 0 && st == TRACER_OK);
	int cerr = tf_writer_close(r.out);
	if (!r.out_err)
		r.out_err = cerr;
	print_verdict(&r, verdict, compared);
	if (r.out_err) {
		warnx_("writing %s failed: %s", o->output, strerror(-r.out_err));
		rc = EXIT_OUTPUT;
	} else if (st == TRACER_INTERRUPTED) {
		warnx_("interrupted by SIG%s: the tracee was killed; %s is finished and marked interrupted",
		       sigabbrev_np(res.signal) ? sigabbrev_np(res.signal) : "?", o->output);
		rc = 128 + res.signal;
	} else if (st == TRACER_ERROR) {
		warnx_("tracing failed: %s", res.error);
		rc = EXIT_TRACER;
	} else {
		if (o->verbosity >= 0 && r.n_pairs)
			fprintf(stderr, "  %" PRIu64 " differing syscall%s written to %s\n", r.n_pairs,
				r.n_pairs == 1 ? "" : "s", o->output);
		rc = r.n_must ? EXIT_DIFFERENT : EXIT_SAME;
	}
out_all:
	ptrmap_free(&r.ptrs);
	fdnames_free(&r.fdn);
	streams_free(r.cmp.streams);
	wstreams_free(r.cmp.wstreams);
	dirlists_free(r.cmp.dirs);
	texts_free(r.cmp.texts);
	sb_free(&r.cmp.why);
	translate_free(r.tr);
	arena_free(&tail.arena);
	item_put(tail.rec_item);
	for (int i = 0; i < CONTEXT; i++)
		item_put(r.ring[i]);
	while (r.all) {
		struct rtrace *next = r.all->next;
		item_put(r.all->rec_item);
		arena_free(&r.all->arena);
		free(r.all);
		r.all = next;
	}
	for (size_t i = 0; i < r.n_pend; i++) {
		for (size_t k = r.pend[i].head; k < r.pend[i].n; k++)
			item_put(r.pend[i].item[k]);
		free(r.pend[i].item);
		free(r.pend[i].idx);
		free(r.pend[i].seq);
		free(r.pend[i].signo);
		free(r.pend[i].at_exit);
		free(r.pend[i].nr);
		free(r.pend[i].seq_exit);
		free(r.pend[i].ret);
		free(r.pend[i].arg0);
	}
	sched_free(&r.sched);
	arena_free(&r.peek_arena);
	free(r.pend);
	arena_free(&r.scratch);
	sb_free(&r.report);
out_in:
	replay_setting_free(own_c, &cnotes);
	tf_close(r.in);
	if (r.meta)
		tf_meta_free(&r.meta_own);
	if (in_fd >= 0)
		close(in_fd);
	policy_free(&r.pol);
	return rc;
}
