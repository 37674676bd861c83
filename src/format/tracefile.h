/* Recording and differences files: the only code that touches the
 * generated protobuf-c types. Files are written as a stream of top-level
 * fields (format.md): a recording's metadata header first, one field per
 * syscall or difference pair as it completes, the metadata (trailer) last;
 * they are read back field by field as a stream, never whole. */
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
	char *backend;                   /* "bpf" (issue 15), NULL: ptrace */
	uint64_t lost_records;           /* syscall records the BPF ring lost */
	uint64_t started_ns, ended_ns;   /* the recording's span (CLOCK_REALTIME), 0 unknown */
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
/** Compress everything written from now on into zstd frames at `level`
 *  (format/zframes.h): one frame per buffer flushed, about 1 MiB of
 *  records, and at every tf_flush. Before the first byte only. A regular
 *  file is then written through a buffer, not a shared mapping: a SIGKILL
 *  of the writer loses the frame in the making. 0 or -errno. */
int tf_writer_compress(struct tf_writer *w, int level);
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
/** A recording's metadata in two parts (issue 12), which protobuf merges
 *  into one: the header, before the first syscall, holds what is known at
 *  the start (command, argv, environment, stdin, settings, the machine);
 *  the trailer, after the last, everything but the command (counts, end
 *  status, interrupted, the memory ranges). Repeated fields are written
 *  once only (protobuf would concatenate them): the command's in the
 *  header, the ranges in the trailer. 0 or -errno. */
int tf_write_header(struct tf_writer *w, const struct tf_meta *m);
int tf_write_trailer(struct tf_writer *w, const struct tf_meta *m);
struct seal_signer;
/** Make the recording a signed one (format/seal.h): before anything is
 *  written. The header then names the signer's public key, every record is
 *  followed by its check and tf_write_trailer ends the file with the seal.
 *  0, -EINVAL if something was written already, -ENOMEM. */
int tf_writer_sign(struct tf_writer *w, const struct seal_signer *s);
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
/** Does every record reach the file as it is written (a regular file,
 *  written through a shared mapping), so that it survives the recorder's
 *  death? */
bool tf_writer_durable(const struct tf_writer *w);

/* Test hooks (tests/unit/test_encoder.c): the item tf_write_event /
 * tf_write_pair append (top-level tag and length included), encoded the
 * reference way, through the generated structs and protobuf-c, into
 * malloc'd memory. 0 or -ENOMEM. */
int tf_encode_event_reference(const struct sp_event *ev, uint8_t **out, size_t *len);
int tf_encode_pair_reference(const struct sp_event *rec, const struct sp_event *rep,
			     uint64_t index, uint8_t **out, size_t *len);

/* ----- reading ----- */

/* What one reader holds at most, whatever the file says (README, "Limits"):
 * a top-level field (a syscall, a pair, the metadata) longer than
 * TF_MAX_RECORD is refused, and so is one whose unpacking would take more
 * than TF_MAX_UNPACKED bytes (many tiny sub-messages cost far more memory
 * unpacked than on the wire: 40 MB of empty arguments took 3 GB). A
 * reader's memory is thus bounded by about TF_MAX_RECORD + TF_MAX_UNPACKED,
 * whatever the size of the file. */
#define TF_MAX_RECORD ((size_t)16 << 20)
#define TF_MAX_UNPACKED ((size_t)20 << 20)

enum tf_kind { TF_RECORDING, TF_DIFFERENCES };

struct tf_reader;

/* The reader is a pure stream reader: it reads its input once, from the
 * first byte to the last, and never seeks (no fseeko, no file size), so a
 * pipe or a FIFO reads like a file. What the file says as a whole (the
 * metadata, the counts, whether it is complete) is therefore known as far
 * as it has been read: the metadata written first (a header, issue 12) at
 * once, the rest once tf_next_event/tf_next_pair returned 0 or -1. */

/** Open `path` ("-": standard input) and read up to its first item:
 *  the metadata written before it, if any, and whether it is a recording
 *  or a differences file. NULL with a one-line reason in `err` if the
 *  input cannot be opened or does not start like one of our files. */
struct tf_reader *tf_open(const char *path, char *err, size_t errlen);
/** The same on an open descriptor (owned by the reader from then on);
 *  `name` is the input's name in messages. */
struct tf_reader *tf_open_fd(int fd, const char *name, char *err, size_t errlen);
enum tf_kind tf_kind(const struct tf_reader *r);
/** The metadata read so far, every metadata field merged as protobuf
 *  merges them (a header first, a trailer last); NULL if none yet. */
const struct tf_meta *tf_meta(const struct tf_reader *r);
/** Syscalls (or pairs) read so far: all of them once at the end. */
uint64_t tf_count(const struct tf_reader *r);
/** Signals read so far. */
uint64_t tf_count_signals(const struct tf_reader *r);
/** At the end: NULL if the file ended cleanly, otherwise why it is
 *  incomplete. Before the end, NULL. */
const char *tf_incomplete(const struct tf_reader *r);
/** The next syscall or signal (ev->is_signal) of a recording into `ev`
 *  (whose arena must be set), in the order they were written. Returns 1,
 *  0 at the end, or -1 with a reason in tf_error(). The bytes stay valid
 *  until the next call. */
int tf_next_event(struct tf_reader *r, struct sp_event *ev);
/** The next pair of a differences file; `index` may be NULL. */
int tf_next_pair(struct tf_reader *r, struct sp_event *rec, struct sp_event *rep, uint64_t *index);
const char *tf_error(const struct tf_reader *r);
/** A signed recording (format/seal.h): the signer's public key its header
 *  names (32 bytes), or NULL if it is not signed. From the header on, each
 *  record is checked against the chain as it is read, before it is
 *  decoded: a bad one ends reading with -1 and its offset in tf_error(),
 *  as does a signed recording that ends without a valid seal. */
const uint8_t *tf_signer(const struct tf_reader *r);
/** The seal of a signed recording was read and holds: every record up to
 *  it is the signer's. Final once reading returned 0. */
bool tf_sealed(const struct tf_reader *r);
/** --verify KEYFILE: 0 if the header names `key` (32 bytes) as the signer;
 *  -1 with a one-line reason (an unsigned recording, another signer) in
 *  `err`. Call after tf_open; the rest is checked as the file is read. */
int tf_verify_signer(const struct tf_reader *r, const uint8_t key[32], const char *keyfile, char *err,
		     size_t errlen);
/** The one-line note replay prints for a recording no --verify checked
 *  (unsigned, or signed by a key nobody named). */
void tf_origin_note(const struct tf_reader *r, char *out, size_t outlen);
/** Read every remaining item to the end, unpacking each as
 *  tf_next_event/tf_next_pair would (within the same limits), keeping
 *  none: 0 if all of them unpack, or -1 with the first bad one in
 *  tf_error(). For replay, before it starts anything; the metadata, counts
 *  and tf_incomplete() are then final. */
int tf_validate(struct tf_reader *r);

/** One item of a recording as it is in the file, for a reader that keeps
 *  items to decode later (replay's per-process queues). */
struct tf_raw {
	uint8_t *data;   /* the item's bytes (malloc'd, the caller's to free) */
	size_t len;
	bool signal;     /* a Recording.signal, else a syscall */
	uint64_t at;     /* its byte offset in the input, for messages */
};
/** The next item of a recording without decoding it. 1, 0 at the end,
 *  -1 with a reason in tf_error(). */
int tf_next_raw(struct tf_reader *r, struct tf_raw *raw);
/** Decode an item tf_next_raw returned into `ev` (reset first; its bytes
 *  live in ev's arena, not in `raw`). 1, or -1 with a reason in tf_error(). */
int tf_decode_raw(struct tf_reader *r, const struct tf_raw *raw, struct sp_event *ev);
void tf_close(struct tf_reader *r);

/** For a reader that reads its input more than once (replay: every item
 *  checked before anything runs): a descriptor of a regular file holding
 *  the input `path` ("-": standard input). A regular file is the input
 *  itself; anything else (a pipe, a FIFO) is copied, front to back, into
 *  an unlinked temporary file first. -1 with a one-line reason in `err`. */
int tf_input_file(const char *path, char *err, size_t errlen);
/** The same, but a regular file is copied too: an unlinked temporary file
 *  nobody else can change between one pass and the next (replay --verify
 *  replays the very bytes it verified). */
int tf_input_copy(const char *path, char *err, size_t errlen);
/** A new descriptor of the same file with its own position at byte 0
 *  (through /proc/self/fd), for one more pass without seeking. -1 with
 *  errno. */
int tf_reopen(int fd);

#endif
