/* Recording and differences files: the only code that touches the
 * generated protobuf-c types. Files are written as a stream of top-level
 * fields (format.md): one per syscall or difference pair as it completes,
 * the metadata last; they are read back field by field, never whole. */
#ifndef SPERRIPS_TRACEFILE_H
#define SPERRIPS_TRACEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/event.h"

/* Top-level field tags of both files: (field number << 3) | wire type. */
#define TAG_METADATA 0x0a /* Recording/Differences.metadata, length-delimited */
#define TAG_ITEM 0x12     /* Recording.syscall / Differences.differences */
#define TAG_EQUAL 0x18    /* Differences.equal, a varint */
#define TAG_SIGNAL 0x1e2  /* Recording.signal (field 60), length-delimited */

struct tf_uname {
	char *sysname, *nodename, *release, *version, *machine, *domainname;
};

struct tf_range {
	char *section;
	int64_t from, to;
};

/** Everything the metadata field says, as plain C (strings are owned by the
 *  struct when it comes from tf_open; the writer only reads them). */
struct tf_meta {
	char *version;
	uint64_t time_recorded;
	char **argv;
	size_t argc;
	uint8_t *stdin_bytes;   /* exact bytes; `stdin_len` of them */
	size_t stdin_len;
	char **env;
	size_t n_env;
	char *workdir;
	uint64_t number_of_syscalls;
	char *job_name;
	uint64_t number_of_differences;
	struct tf_uname uname;
	int32_t aslr_state;
	struct tf_range *ranges;
	size_t n_ranges;
	bool tracee_aslr_off, vdso_hidden, interrupted, pinned, net_none;
	int32_t exit_status;
	uint32_t result_flags;
	char *verdict;
	char *container_root;
	uint64_t time_replayed;
	struct tf_uname replay_uname;
	char *stdout_kind, *stderr_kind; /* "file", "pipe", "tty", ... */
	bool setting_recorded;           /* the four fields below are known */
	uint64_t sig_ignored, sig_blocked; /* bit n-1: signal n ignored / blocked at the start */
	uint32_t std_flags[2];           /* stdout's and stderr's O_ACCMODE|O_APPEND */
	bool net_raw;                    /* container with --net-raw */
	uint64_t number_of_signals;
};

/** Free the strings of `u` and clear it. */
void tf_uname_free(struct tf_uname *u);
/** Free the strings and arrays of a tf_meta filled by tf_open or tf_meta_copy. */
void tf_meta_free(struct tf_meta *m);
/** Deep copy of `src` into `dst`. 0 or -ENOMEM. */
int tf_meta_copy(struct tf_meta *dst, const struct tf_meta *src);

/* ----- writing ----- */

struct tf_writer;

/** Create (truncate) `path` for writing. NULL with errno set on failure. */
struct tf_writer *tf_writer_open(const char *path);
/** Append one syscall (a Recording's field 2). 0 or -errno (sticky). */
int tf_write_event(struct tf_writer *w, const struct sp_event *ev);
/** Append one signal (ev->is_signal; a Recording's field 60). 0 or -errno. */
int tf_write_signal(struct tf_writer *w, const struct sp_event *ev);
/** Append one (recorded, replayed) pair (a Differences' field 2). */
int tf_write_pair(struct tf_writer *w, const struct sp_event *rec,
		  const struct sp_event *rep, uint64_t index);
/** Append a Differences' `equal` field (the last one written wins). */
int tf_write_equal(struct tf_writer *w, bool equal);
/** Append the metadata field. */
int tf_write_metadata(struct tf_writer *w, const struct tf_meta *m);
/** Push buffered bytes to the file. 0 or -errno. */
int tf_flush(struct tf_writer *w);
/** Flush, close and free. Returns the first error met while writing, or 0. */
int tf_writer_close(struct tf_writer *w);
/** Bytes handed to the writer so far. */
uint64_t tf_written(const struct tf_writer *w);
/** How many items (syscalls) are surely in the file: all written ones for a
 *  regular file (they go through a shared mapping of it), those of the last
 *  successful write otherwise. What a disk-full message may claim. */
uint64_t tf_items_in_file(const struct tf_writer *w);

/* Test hooks (tests/unit/test_encoder.c): the item tf_write_event /
 * tf_write_pair append (top-level tag and length included), encoded the
 * reference way, through the generated structs and protobuf-c, into
 * malloc'd memory. 0 or -ENOMEM. */
int tf_encode_event_reference(const struct sp_event *ev, uint8_t **out, size_t *len);
int tf_encode_pair_reference(const struct sp_event *rec, const struct sp_event *rep,
			     uint64_t index, uint8_t **out, size_t *len);

/* ----- reading ----- */

enum tf_kind { TF_RECORDING, TF_DIFFERENCES };

struct tf_reader;

/** Open and scan `path`: check every top-level field, find the metadata,
 *  tell recordings from differences. On failure returns NULL and puts a
 *  one-line reason in `err`. */
struct tf_reader *tf_open(const char *path, char *err, size_t errlen);
enum tf_kind tf_kind(const struct tf_reader *r);
/** The metadata, or NULL if the file has none (cut short). */
const struct tf_meta *tf_meta(const struct tf_reader *r);
/** Syscalls (or pairs) the file holds, counted by the scan. */
uint64_t tf_count(const struct tf_reader *r);
/** Signals the recording holds, counted by the scan. */
uint64_t tf_count_signals(const struct tf_reader *r);
/** NULL if the file ends cleanly; otherwise why it is incomplete. */
const char *tf_incomplete(const struct tf_reader *r);
/** The next syscall or signal (ev->is_signal) of a recording into `ev`
 *  (whose arena must be set), in the order they were written. Returns 1,
 *  0 at the end, or -1 with a reason in tf_error(). The bytes stay valid
 *  until the next call. */
int tf_next_event(struct tf_reader *r, struct sp_event *ev);
/** The next pair of a differences file; `index` may be NULL. */
int tf_next_pair(struct tf_reader *r, struct sp_event *rec, struct sp_event *rep, uint64_t *index);
const char *tf_error(const struct tf_reader *r);
/** Where the next item starts, for tf_seek (to read events again later). */
int64_t tf_tell(const struct tf_reader *r);
/** Continue reading at an offset tf_tell returned. 0 or -1. */
int tf_seek(struct tf_reader *r, int64_t off);
void tf_close(struct tf_reader *r);

#endif
