/* Reading recording and differences files field by field, never whole,
 * and the metadata as plain C. */
#include "format/tracefile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "sperrips.pb-c.h"
#include "base/util.h"

/* ====================================================================== */
/* Metadata as plain C                                                    */
/* ====================================================================== */

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

void tf_uname_free(struct tf_uname *u)
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

void tf_meta_free(struct tf_meta *m)
{
	free(m->version);
	strv_free(m->argv, m->argc);
	free(m->stdin_bytes);
	strv_free(m->env, m->n_env);
	free(m->workdir);
	free(m->job_name);
	tf_uname_free(&m->uname);
	tf_uname_free(&m->replay_uname);
	for (size_t i = 0; i < m->n_ranges; i++)
		free(m->ranges[i].section);
	free(m->ranges);
	free(m->verdict);
	free(m->container_root);
	free(m->stdout_kind);
	free(m->stderr_kind);
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
	d->stdout_kind = dup_or_null(s->stdout_kind);
	d->stderr_kind = dup_or_null(s->stderr_kind);
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
	m->stdout_kind = dup_or_null(p->stdout_kind);
	m->stderr_kind = dup_or_null(p->stderr_kind);
	m->number_of_signals = p->number_of_signals;
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
	uint64_t count, signals;
	char incomplete[160];
	off_t end_at;          /* -1, or where the items end before a zero tail */
	bool zero_tail;
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

static int read_payload(struct tf_reader *r, uint64_t len);

/* Before a zero tail the last item may be half written (the writer was
 * killed inside it, its rest is zeros): if it parses as neither a syscall
 * nor a pair, it does not count and reading ends before it. */
static void drop_partial_item(struct tf_reader *r, off_t start, off_t data, uint64_t len)
{
	if (fseeko(r->f, data, SEEK_SET) < 0 || read_payload(r, len) < 0) {
		r->error[0] = 0;
		return;
	}
	ProtobufCMessage *m = protobuf_c_message_unpack(&msc__syscall__descriptor, NULL, len, r->buf);
	if (!m)
		m = protobuf_c_message_unpack(&msc__diff_pair__descriptor, NULL, len, r->buf);
	if (m) {
		protobuf_c_message_free_unpacked(m, NULL);
		return;
	}
	r->count--;
	r->end_at = start;
	snprintf(r->incomplete, sizeof(r->incomplete),
		 "cut short inside item %llu at byte %lld (the recorder was killed while writing it)",
		 (unsigned long long)r->count + 1, (long long)start);
}

/* Read the next top-level field's header. 1 ok (tag, len), 0 EOF, -1 error
 * with r->error or r->incomplete set. */
static int next_field(struct tf_reader *r, uint64_t *tag, uint64_t *len, off_t *start)
{
	*start = ftello(r->f);
	if (r->end_at >= 0 && *start >= r->end_at)
		return 0;
	int k = read_varint(r->f, tag);
	if (k == 0)
		return 0;
	if (k > 0 && *tag == 0) {
		/* No field has number 0: these are the zeros a killed writer left
		 * past its data (its window of the file was preallocated). */
		snprintf(r->incomplete, sizeof(r->incomplete),
			 "ends in zeros at byte %lld (the recorder was killed before finishing the file)",
			 (long long)*start);
		r->zero_tail = true;
		return -1;
	}
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
	if (wt != 2 || (field != 1 && field != 2 && field != 60)) {
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
	if (r)
		r->end_at = -1;
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
	off_t last_item = -1, last_item_data = -1;
	uint64_t last_item_len = 0;
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
		off_t pos = ftello(r->f);
		if (pos > st.st_size || len > (uint64_t)(st.st_size - pos)) {
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
		} else if (tag == TAG_SIGNAL) {
			r->signals++;
			if (fseeko(r->f, (off_t)len, SEEK_CUR) < 0) {
				snprintf(r->error, sizeof(r->error), "seek failed: %s", strerror(errno));
				goto fail;
			}
		} else {
			if (first_item_byte < 0 && len > 0) {
				first_item_byte = getc(r->f);
				ungetc(first_item_byte, r->f);
			}
			r->count++;
			last_item = start;
			last_item_data = ftello(r->f);
			last_item_len = len;
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
	if (r->zero_tail && last_item >= 0)
		drop_partial_item(r, last_item, last_item_data, last_item_len);
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

uint64_t tf_count_signals(const struct tf_reader *r)
{
	return r->signals;
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

/* Syscall fields 70-72: a file mapping by content (issue 12). */
static void map_fields_from_pb(struct sp_event *ev, const Msc__Syscall *s)
{
	ev->map_path = s->map_path && s->map_path[0] ? s->map_path : NULL;
	ev->map_digests = bytes_of(s->map_page_sha256);
	ev->map_len = s->map_length;
}

/* Fill `ev` (reset by the caller, before the unpacking) from `s`. */
static int event_from_pb(struct sp_event *ev, const Msc__Syscall *s)
{
	ev->nr = (uint32_t)s->type;
	ev->tid = s->tid;
	ev->is_exit_call = s->isexitcall;
	ev->unfinished = s->unfinished;
	ev->seq = s->seq;
	ev->seq_exit = s->seq_exit;
	ev->exec_image = bytes_of(s->exec_image_sha256);
	ev->exec_interp = bytes_of(s->exec_interp_sha256);
	map_fields_from_pb(ev, s);
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

/* Advance to the next item field and unpack it with `desc` into `into`;
 * a signal (with `sig_desc`, else skipped) is unpacked with that one and
 * returns 2. */
static int next_item(struct tf_reader *r, const ProtobufCMessageDescriptor *desc, struct arena *into,
		     const ProtobufCMessageDescriptor *sig_desc)
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
		if (tag == TAG_METADATA || (tag == TAG_SIGNAL && !sig_desc)) {
			if (fseeko(r->f, (off_t)len, SEEK_CUR) < 0)
				return -1;
			continue;
		}
		if (read_payload(r, len) < 0)
			return r->error[0] ? -1 : 0;
		bool sig = tag == TAG_SIGNAL;
		r->current = protobuf_c_message_unpack(sig ? sig_desc : desc, &r->alloc, len, r->buf);
		if (!r->current) {
			snprintf(r->error, sizeof(r->error), "item at byte %lld does not parse", (long long)start);
			return -1;
		}
		return sig ? 2 : 1;
	}
}

int tf_next_event(struct tf_reader *r, struct sp_event *ev)
{
	event_reset(ev);
	int k = next_item(r, &msc__syscall__descriptor, ev->arena, &msc__signal__descriptor);
	if (k <= 0)
		return k;
	if (k == 2) {
		const Msc__Signal *s = (Msc__Signal *)r->current;
		ev->is_signal = true;
		ev->tid = s->tid;
		ev->seq = s->seq;
		ev->sig.signo = (int32_t)s->signo;
		ev->sig.interrupted = s->interrupted;
		ev->sig.siginfo = bytes_of(s->siginfo);
		ev->sig.exited = s->exited;
		ev->sig.at_exit = s->at_exit;
		ev->sig.status = s->status;
		return 1;
	}
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
	int k = next_item(r, &msc__diff_pair__descriptor, rec->arena, NULL);
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

