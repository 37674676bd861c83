/* Reading recording and differences files as a stream, field by field,
 * never whole and never seeking; and the metadata as plain C. */
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
#include "format/zframes.h"
#include "format/seal.h"
#include "format/wire_check.h"
#include "base/arena.h"
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
	free(m->backend);
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
	d->backend = dup_or_null(s->backend);
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
	m->backend = p->backend && *p->backend ? dup_or_null(p->backend) : NULL;
	m->lost_records = p->lost_records;
	m->started_ns = p->started_ns;
	m->ended_ns = p->ended_ns;
	m->net_none = p->net_none;
	m->time_replayed = p->time_replayed;
	m->stdout_kind = dup_or_null(p->stdout_kind);
	m->stderr_kind = dup_or_null(p->stderr_kind);
	m->number_of_signals = p->number_of_signals;
	m->setting_recorded = p->setting_recorded;
	m->sig_ignored = p->signals_ignored;
	m->sig_blocked = p->signals_blocked;
	m->std_flags[0] = p->stdout_flags;
	m->std_flags[1] = p->stderr_flags;
	m->net_raw = p->net_raw;
}

/* ====================================================================== */
/* Reading: one pass over a stream, never a seek                          */
/* ====================================================================== */

struct tf_reader {
	FILE *f;
	struct zf_reader *zin;     /* the plain bytes of f: sniffed, maybe decompressed */
	char *path;
	enum tf_kind kind;
	uint64_t pos;              /* bytes consumed: offsets in messages */
	bool ended;                /* the end was met (clean, cut short or bad) */
	/* A field header read ahead (tf_open reads up to the first item). */
	bool have_next;
	uint64_t next_tag, next_len, next_start;
	bool has_meta;
	uint32_t meta_part;        /* Metadata.metadata_part, merged */
	struct tf_meta meta;
	uint8_t *meta_raw;         /* every metadata payload so far, concatenated: */
	size_t meta_raw_len;       /* unpacked as one, they merge as protobuf says */
	uint64_t count, signals, fields;
	bool saw_equal, equal_first, equal_last;
	char incomplete[160];
	char error[200];
	uint8_t *buf;
	size_t cap;
	ProtobufCMessage *current; /* unpacked message the last events point into */
	/* protobuf-c allocates every sub-message and byte string it unpacks:
	 * from the arena of the event being read (`into`), which owns them
	 * until that event is reset, instead of malloc/free per field; counted,
	 * so that one item cannot take more than TF_MAX_UNPACKED. */
	ProtobufCAllocator alloc;
	struct arena *into;
	size_t unpacked;
	bool refused;
	/* tf_validate: items whose wire format checks out are not unpacked
	 * (the replay decodes them again anyway); the others are, for the
	 * exact verdict and reason. */
	bool check_only;
	ProtobufCAllocator malloc_alloc; /* the metadata: counted malloc */
	/* A signed recording (format/seal.h): the header names the signer;
	 * from there on each record's bytes (its field header as read, in
	 * `hdr`, and its body) go through the chain and its check must
	 * follow it (chain_record), before the record is decoded. */
	uint8_t hdr[24];
	size_t hdr_len;
	struct seal_chain *chain;
	uint8_t signer[SEAL_PUBLIC_BYTES];
	bool sealed;               /* the seal was read and holds */
};

static void *pb_alloc(void *data, size_t size)
{
	struct tf_reader *r = data;
	if (size > TF_MAX_UNPACKED - r->unpacked) {
		r->refused = true;
		return NULL; /* protobuf-c gives up cleanly: refused by the caller */
	}
	r->unpacked += size;
	return arena_alloc(r->into, size);
}

static void pb_free(void *data, void *p)
{
	(void)data, (void)p; /* the arena is emptied as a whole */
}

static void *pb_malloc(void *data, size_t size)
{
	struct tf_reader *r = data;
	if (size > TF_MAX_UNPACKED - r->unpacked) {
		r->refused = true;
		return NULL;
	}
	r->unpacked += size;
	return malloc(size);
}

static void pb_mfree(void *data, void *p)
{
	(void)data;
	free(p);
}

/* The one-line reason an item at `start` did not unpack. */
static void unpack_failed(struct tf_reader *r, const char *what, uint64_t start)
{
	if (r->refused)
		snprintf(r->error, sizeof(r->error), "%s at byte %llu needs more than %zu MiB of memory to read (refused)",
			 what, (unsigned long long)start, TF_MAX_UNPACKED >> 20);
	else
		snprintf(r->error, sizeof(r->error), "%s at byte %llu does not parse", what, (unsigned long long)start);
}

static int rd_byte(struct tf_reader *r)
{
	int c = getc(r->f);
	if (c != EOF)
		r->pos++;
	return c;
}

/* Read a varint. 1 ok, 0 clean EOF before it, -1 cut or bad. */
static int read_varint(struct tf_reader *r, uint64_t *out)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		int c = rd_byte(r);
		if (c == EOF)
			return shift == 0 ? 0 : -1;
		if (r->hdr_len < sizeof(r->hdr)) /* a field header's bytes, as read */
			r->hdr[r->hdr_len++] = (uint8_t)c;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*out = v;
			return 1;
		}
	}
	return -1;
}

/* Read the next top-level field's header. 1 ok (tag, len), 0 end, -1
 * error (r->error) or cut short (r->incomplete; reading ends there). */
static int next_field(struct tf_reader *r, uint64_t *tag, uint64_t *len, uint64_t *start)
{
	if (r->have_next) {
		r->have_next = false;
		*tag = r->next_tag;
		*len = r->next_len;
		*start = r->next_start;
		return 1;
	}
	if (r->ended)
		return 0;
	*start = r->pos;
	r->hdr_len = 0;
	int k = read_varint(r, tag);
	if (k == 0)
		return 0;
	if (r->sealed) {
		snprintf(r->error, sizeof(r->error), "bytes after the seal at byte %llu (the seal ends a signed recording)",
			 (unsigned long long)*start);
		return -1;
	}
	if (k > 0 && *tag == SEAL_TAG_CHECK) {
		/* a record's check is read with the record: one here has lost
		 * its record (removed), or the header lost its signer */
		if (r->chain)
			snprintf(r->error, sizeof(r->error), "bad record at byte %llu: a check value where a record "
				 "should start", (unsigned long long)*start);
		else /* the header it belongs to lost its signer */
			snprintf(r->error, sizeof(r->error), "bad record at byte 0: the header names no signer, yet a "
				 "check value follows at byte %llu", (unsigned long long)*start);
		return -1;
	}
	if (k > 0 && *tag == 0) {
		/* No field has number 0: these are the zeros a killed writer left
		 * past its data (its window of the file was preallocated). */
		snprintf(r->incomplete, sizeof(r->incomplete),
			 "ends in zeros at byte %llu (the recorder was killed before finishing the file)",
			 (unsigned long long)*start);
		return -1;
	}
	if (k < 0) {
		snprintf(r->incomplete, sizeof(r->incomplete), "cut short at byte %llu (inside a field header)",
			 (unsigned long long)*start);
		return -1;
	}
	uint64_t field = *tag >> 3, wt = *tag & 7;
	if (wt == 0) {
		if (field != 3) {
			snprintf(r->error, sizeof(r->error), "not a sperrips recording (unexpected field %llu at byte %llu)",
				 (unsigned long long)field, (unsigned long long)*start);
			return -1;
		}
		k = read_varint(r, len);
		if (k <= 0) {
			snprintf(r->incomplete, sizeof(r->incomplete), "cut short at byte %llu", (unsigned long long)*start);
			return -1;
		}
		return 1;
	}
	if (wt == 0 && r->chain) {
		snprintf(r->error, sizeof(r->error), "bad record at byte %llu: field %llu has no place in a signed recording",
			 (unsigned long long)*start, (unsigned long long)field);
		return -1;
	}
	if (wt != 2 || (field != 1 && field != 2 && field != 60 && *tag != SEAL_TAG_SEAL)) {
		snprintf(r->error, sizeof(r->error),
			 "not a sperrips recording (unexpected field %llu, wire type %llu at byte %llu)",
			 (unsigned long long)field, (unsigned long long)wt, (unsigned long long)*start);
		return -1;
	}
	k = read_varint(r, len);
	if (k <= 0) {
		snprintf(r->incomplete, sizeof(r->incomplete), "cut short at byte %llu (inside a field header)",
			 (unsigned long long)*start);
		return -1;
	}
	if (*len > TF_MAX_RECORD) {
		snprintf(r->error, sizeof(r->error),
			 "record at byte %llu is %llu bytes, more than the %zu MiB a record may have (refused)",
			 (unsigned long long)*start, (unsigned long long)*len, TF_MAX_RECORD >> 20);
		return -1;
	}
	return 1;
}

/* A signed recording: the record at `start` (its field header in r->hdr,
 * its body `p`) is chained, and the check that follows it read and
 * compared, before anything decodes it. 0, or -1 with the record's offset
 * in r->error. */
static int chain_record(struct tf_reader *r, uint64_t start, const uint8_t *p, uint64_t len)
{
	seal_chain_feed(r->chain, r->hdr, r->hdr_len);
	seal_chain_feed(r->chain, p, len);
	uint8_t f[SEAL_CHECK_FIELD];
	size_t got = 0;
	for (int c; got < sizeof(f) && (c = rd_byte(r)) != EOF;)
		f[got++] = (uint8_t)c;
	if (got < sizeof(f) || f[0] != SEAL_TAG_CHECK || f[1] != 0x01) {
		snprintf(r->error, sizeof(r->error), "bad record at byte %llu: its check value does not follow it%s",
			 (unsigned long long)start, got < sizeof(f) ? " (the file ends)" : "");
		r->ended = true;
		return -1;
	}
	if (seal_chain_check(r->chain, f + SEAL_TAG_BYTES) < 0) {
		snprintf(r->error, sizeof(r->error),
			 "bad record at byte %llu: it fails its check (changed, or a record before it removed or moved)",
			 (unsigned long long)start);
		r->ended = true;
		return -1;
	}
	return 0;
}

/* The seal at `start` (`len` bytes): the end of a signed recording. 0, or
 * -1 with the reason in r->error. */
static int take_seal(struct tf_reader *r, uint64_t len, uint64_t start)
{
	uint8_t body[SEAL_BODY_BYTES];
	const char *why = NULL;
	size_t got = 0;
	if (!r->chain)
		why = "a seal in a recording whose header names no signer";
	else if (len != SEAL_BODY_BYTES)
		why = "not a seal (wrong length)";
	else /* byte by byte, as the checks: all of it through rd_byte */
		for (int c; got < len && (c = rd_byte(r)) != EOF;)
			body[got++] = (uint8_t)c;
	if (!why && got < len)
		why = "the file ends inside the seal";
	if (!why) {
		switch (seal_verify(r->chain, r->signer, body, len)) {
		case 0:
			r->sealed = true;
			return 0;
		case -ESPIPE:
			why = "the seal's chain value is not the records' (a record changed and the checks after it "
			      "made again)";
			break;
		case -EBADMSG:
			why = "the signature is not the header's signer's";
			break;
		default:
			why = "not a seal (its layout)";
		}
	}
	snprintf(r->error, sizeof(r->error), "bad seal at byte %llu: %s", (unsigned long long)start, why);
	r->ended = true;
	return -1;
}

/* Read `len` payload bytes of the field at `start` into `dst`. 0, or -1
 * cut short (r->incomplete). */
static int read_into(struct tf_reader *r, uint8_t *dst, uint64_t len, uint64_t tag, uint64_t start)
{
	size_t got = len ? fread(dst, 1, len, r->f) : 0;
	r->pos += got;
	if (got == len)
		return r->chain ? chain_record(r, start, dst, len) : 0;
	if (ferror(r->f)) {
		snprintf(r->error, sizeof(r->error), "read error at byte %llu: %s", (unsigned long long)r->pos,
			 strerror(errno));
		return -1;
	}
	snprintf(r->incomplete, sizeof(r->incomplete), "cut short inside %s %llu at byte %llu (%zu of %llu bytes)",
		 tag == TAG_METADATA ? "the metadata," : tag == TAG_SIGNAL ? "signal" : "item",
		 (unsigned long long)(tag == TAG_SIGNAL ? r->signals : r->count) + 1, (unsigned long long)start, got,
		 (unsigned long long)len);
	return -1;
}

/* Read a payload into the reader's buffer (at most TF_MAX_RECORD: next_field
 * refused longer ones). */
static int read_payload(struct tf_reader *r, uint64_t len, uint64_t tag, uint64_t start)
{
	if (len > r->cap) {
		uint8_t *b = realloc(r->buf, len);
		if (!b) {
			snprintf(r->error, sizeof(r->error), "out of memory for a record of %llu bytes",
				 (unsigned long long)len);
			return -1;
		}
		r->buf = b;
		r->cap = len;
	}
	return read_into(r, r->buf, len, tag, start);
}

/* A metadata field: merged into what came before (as protobuf merges a
 * message field that occurs twice), by unpacking all of them as one. */
static int take_metadata(struct tf_reader *r, uint64_t len, uint64_t start)
{
	if (len > TF_MAX_RECORD - r->meta_raw_len) {
		snprintf(r->error, sizeof(r->error),
			 "metadata at byte %llu makes the metadata more than the %zu MiB a record may have (refused)",
			 (unsigned long long)start, TF_MAX_RECORD >> 20);
		return -1;
	}
	uint8_t *m = realloc(r->meta_raw, r->meta_raw_len + len + 1);
	if (!m) {
		snprintf(r->error, sizeof(r->error), "out of memory");
		return -1;
	}
	r->meta_raw = m;
	if (read_into(r, r->meta_raw + r->meta_raw_len, len, TAG_METADATA, start) < 0)
		return -1;
	r->meta_raw_len += len;
	r->unpacked = 0;
	r->refused = false;
	Msc__Metadata *md = msc__metadata__unpack(&r->malloc_alloc, r->meta_raw_len, r->meta_raw);
	if (!md) {
		unpack_failed(r, "metadata", start);
		if (!r->refused)
			snprintf(r->error, sizeof(r->error), "not a sperrips recording (metadata at byte %llu does not parse)",
				 (unsigned long long)start);
		return -1;
	}
	if (r->has_meta)
		tf_meta_free(&r->meta);
	meta_from_pb(&r->meta, md);
	r->meta_part = md->metadata_part;
	r->has_meta = true;
	/* Only a header, the file's first field, can make it a signed one. */
	bool signs = start == 0 && md->signer.len == SEAL_PUBLIC_BYTES;
	if (signs)
		memcpy(r->signer, md->signer.data, SEAL_PUBLIC_BYTES);
	msc__metadata__free_unpacked(md, &r->malloc_alloc);
	if (signs) {
		r->chain = seal_chain_new();
		if (!r->chain) {
			snprintf(r->error, sizeof(r->error), "out of memory");
			return -1;
		}
		return chain_record(r, start, r->meta_raw, len);
	}
	return 0;
}

/* Compressed input (zframes.h): a frame that does not decompress is an
 * error, a frame cut short the reason the input ended. True if either. */
static bool stream_note(struct tf_reader *r)
{
	const char *e = zf_reader_failed(r->zin);
	if (e) {
		snprintf(r->error, sizeof(r->error), "%s", e);
		r->incomplete[0] = 0;
		return true;
	}
	e = zf_reader_cut(r->zin);
	if (e && !r->error[0]) {
		snprintf(r->incomplete, sizeof(r->incomplete), "%s", e);
		return true;
	}
	return false;
}

/* What the end of the input says, once met: incomplete if no metadata,
 * or if a differences file of ours lost its final verdict. */
static void at_end(struct tf_reader *r)
{
	if (r->ended)
		return;
	r->ended = true;
	r->have_next = false;
	if (stream_note(r) || r->error[0] || r->incomplete[0])
		return;
	if (r->chain && !r->sealed)
		snprintf(r->error, sizeof(r->error),
			 "bad record at byte %llu: the signed recording ends there, without %s",
			 (unsigned long long)r->pos, r->meta_part == 2 ? "its seal" : "its trailer and seal");
	else if (!r->has_meta)
		snprintf(r->incomplete, sizeof(r->incomplete), "no metadata (the recorder stopped before finishing the file)");
	else if (r->meta_part == 1)
		snprintf(r->incomplete, sizeof(r->incomplete),
			 "no trailer, only the header (the recorder stopped before finishing the file)");
	/* Our differences files open with `equal` = false and close with the
	 * real verdict after the metadata; without that last field the file
	 * was cut (the prototype's files start with the metadata instead). */
	else if (r->equal_first && !r->equal_last)
		snprintf(r->incomplete, sizeof(r->incomplete), "cut short before its final verdict (the equal field)");
}

/* Advance to the next item: consume metadata and equal fields on the way.
 * 1 with the item's header (tag, len, start), 0 at the end, -1 error. */
static int next_item_header(struct tf_reader *r, uint64_t *tag, uint64_t *len, uint64_t *start)
{
	for (;;) {
		int k = next_field(r, tag, len, start);
		if (k <= 0) {
			at_end(r);
			return r->error[0] ? -1 : 0;
		}
		r->fields++;
		if ((*tag >> 3) == 3) {
			r->equal_first |= r->fields == 1;
			r->saw_equal = true;
			r->equal_last = true;
			continue;
		}
		r->equal_last = false;
		if (*tag == TAG_METADATA) {
			if (take_metadata(r, *len, *start) < 0) {
				at_end(r);
				return r->error[0] ? -1 : 0;
			}
			continue;
		}
		if (*tag == SEAL_TAG_SEAL) {
			if (take_seal(r, *len, *start) < 0) {
				at_end(r);
				return -1;
			}
			continue;
		}
		return 1;
	}
}

struct tf_reader *tf_open_fd(int fd, const char *path, char *err, size_t errlen)
{
	struct tf_reader *r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return NULL;
	}
	r->alloc = (ProtobufCAllocator){ pb_alloc, pb_free, r };
	r->malloc_alloc = (ProtobufCAllocator){ pb_malloc, pb_mfree, r };
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: is a directory", path);
		close(fd);
		free(r);
		return NULL;
	}
	r->f = zf_fdopen(fd, &r->zin);
	r->path = strdup(path);
	if (!r->f || !r->path) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (!r->f)
			close(fd);
		tf_close(r);
		return NULL;
	}
	setvbuf(r->f, NULL, _IOFBF, 1 << 16);
	/* Up to the first item: the header, and what kind of file this is. */
	uint64_t tag, len, start;
	int k = next_item_header(r, &tag, &len, &start);
	if (k < 0)
		goto fail;
	if (r->fields == 0 && zf_reader_cut(r->zin)) {
		snprintf(r->error, sizeof(r->error), "incomplete recording: %s, before its first complete field",
			 zf_reader_cut(r->zin));
		goto fail;
	}
	if (r->fields == 0) {
		snprintf(r->error, sizeof(r->error), r->pos == 0 ? "empty file, not a sperrips recording"
								  : "not a sperrips recording (no complete field)");
		goto fail;
	}
	/* A DiffPair starts with a length-delimited field (tag 0x0a or 0x12);
	 * a Syscall with its varint type (0x08) or, for read (type 0), its
	 * entry arguments (0x12). Only `equal` settles 0x12 for sure. */
	int first = -1;
	if (k > 0 && tag == TAG_ITEM && len > 0) {
		first = getc(r->f);
		if (first != EOF)
			ungetc(first, r->f);
	}
	r->kind = (r->saw_equal || first == 0x0a) ? TF_DIFFERENCES : TF_RECORDING;
	if (k > 0) {
		r->have_next = true;
		r->next_tag = tag;
		r->next_len = len;
		r->next_start = start;
	}
	return r;
fail:
	snprintf(err, errlen, "%s: %s", path, r->error);
	tf_close(r);
	return NULL;
}

struct tf_reader *tf_open(const char *path, char *err, size_t errlen)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : fcntl(0, F_DUPFD_CLOEXEC, 3);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	return tf_open_fd(fd, strcmp(path, "-") ? path : "(standard input)", err, errlen);
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

const uint8_t *tf_signer(const struct tf_reader *r)
{
	return r->chain ? r->signer : NULL;
}

bool tf_sealed(const struct tf_reader *r)
{
	return r->sealed;
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
	if (p->not_captured)
		a->flags |= SP_NOT_CAPTURED;
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
	ev->file_digest = bytes_of(s->file_sha256);
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

/* An item that does not unpack, followed by the end of the input or by the
 * zeros of a killed writer's reserved tail: the writer died while writing
 * it. It does not count, and reading ends before it. */
static bool partial_item(struct tf_reader *r, uint64_t start)
{
	int c = getc(r->f);
	if (c != EOF && c != 0)
		return false;
	if (c == EOF && stream_note(r)) {
		r->ended = true;
		return true;
	}
	snprintf(r->incomplete, sizeof(r->incomplete),
		 "cut short inside item %llu at byte %llu (the recorder was killed while writing it)",
		 (unsigned long long)r->count + 1, (unsigned long long)start);
	r->ended = true;
	return true;
}

/* Unpack `len` bytes at `data` with `desc` into r->into, within the limit.
 * The message, or NULL with the reason in r->error (or r->incomplete for
 * the half-written last item of a killed writer, when `tail` allows). */
static ProtobufCMessage *unpack_item(struct tf_reader *r, const ProtobufCMessageDescriptor *desc, size_t len,
				     const uint8_t *data, uint64_t start, bool tail)
{
	r->unpacked = 0;
	r->refused = false;
	ProtobufCMessage *m = protobuf_c_message_unpack(desc, &r->alloc, len, data);
	if (m)
		return m;
	if (tail && !r->refused && partial_item(r, start))
		return NULL;
	unpack_failed(r, "item", start);
	r->ended = true;
	return NULL;
}

/* Advance to the next item field and unpack it with `desc` into `into`;
 * a signal (with `sig_desc`, else skipped) is unpacked with that one and
 * returns 2. */
static int next_item(struct tf_reader *r, const ProtobufCMessageDescriptor *desc, struct arena *into,
		     const ProtobufCMessageDescriptor *sig_desc)
{
	drop_current(r);
	r->into = into;
	for (;;) {
		uint64_t tag, len, start;
		int k = next_item_header(r, &tag, &len, &start);
		if (k <= 0)
			return k;
		bool sig = tag == TAG_SIGNAL;
		if (read_payload(r, len, tag, start) < 0) {
			at_end(r);
			return r->error[0] ? -1 : 0;
		}
		if (sig && !sig_desc) {
			r->signals++;
			continue;
		}
		if (!(r->check_only && wire_check(sig ? sig_desc : desc, r->buf, len, TF_MAX_UNPACKED))) {
			r->current = unpack_item(r, sig ? sig_desc : desc, len, r->buf, start, true);
			if (!r->current)
				return r->error[0] ? -1 : 0;
		}
		if (sig)
			r->signals++;
		else
			r->count++;
		return sig ? 2 : 1;
	}
}

static void signal_from_pb(struct sp_event *ev, const Msc__Signal *s)
{
	ev->is_signal = true;
	ev->tid = s->tid;
	ev->seq = s->seq;
	ev->sig.signo = (int32_t)s->signo;
	ev->sig.interrupted = s->interrupted;
	ev->sig.siginfo = bytes_of(s->siginfo);
	ev->sig.exited = s->exited;
	ev->sig.at_exit = s->at_exit;
	ev->sig.status = s->status;
	ev->sig.exit_stop_seq = s->exit_stop_seq;
}

int tf_next_event(struct tf_reader *r, struct sp_event *ev)
{
	event_reset(ev);
	int k = next_item(r, &msc__syscall__descriptor, ev->arena, &msc__signal__descriptor);
	if (k <= 0)
		return k;
	if (k == 2) {
		signal_from_pb(ev, (const Msc__Signal *)r->current);
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

int tf_validate(struct tf_reader *r)
{
	const ProtobufCMessageDescriptor *desc =
		r->kind == TF_RECORDING ? &msc__syscall__descriptor : &msc__diff_pair__descriptor;
	struct arena a;
	arena_init(&a, 1 << 16);
	int k;
	r->check_only = true;
	while ((k = next_item(r, desc, &a, r->kind == TF_RECORDING ? &msc__signal__descriptor : NULL)) > 0)
		arena_reset(&a);
	r->check_only = false;
	drop_current(r);
	arena_free(&a);
	return k < 0 ? -1 : 0;
}

int tf_next_raw(struct tf_reader *r, struct tf_raw *raw)
{
	drop_current(r);
	uint64_t tag, len, start;
	int k = next_item_header(r, &tag, &len, &start);
	if (k <= 0)
		return k;
	uint8_t *data = malloc(len ? len : 1);
	if (!data) {
		snprintf(r->error, sizeof(r->error), "out of memory for a record of %llu bytes", (unsigned long long)len);
		r->ended = true;
		return -1;
	}
	if (read_into(r, data, len, tag, start) < 0) {
		free(data);
		at_end(r);
		return r->error[0] ? -1 : 0;
	}
	*raw = (struct tf_raw){ .data = data, .len = len, .signal = tag == TAG_SIGNAL, .at = start };
	if (raw->signal)
		r->signals++;
	else
		r->count++;
	return 1;
}

int tf_decode_raw(struct tf_reader *r, const struct tf_raw *raw, struct sp_event *ev)
{
	event_reset(ev);
	r->into = ev->arena;
	ProtobufCMessage *m = unpack_item(r, raw->signal ? &msc__signal__descriptor : &msc__syscall__descriptor,
					  raw->len, raw->data, raw->at, false);
	if (!m)
		return -1;
	if (raw->signal) {
		signal_from_pb(ev, (const Msc__Signal *)m);
		return 1;
	}
	if (event_from_pb(ev, (Msc__Syscall *)m) < 0) {
		snprintf(r->error, sizeof(r->error), "out of memory");
		return -1;
	}
	return 1;
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
	free(r->meta_raw);
	free(r->buf);
	free(r->path);
	free(r->chain);
	free(r);
}
