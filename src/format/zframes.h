/* zstd compression of a recording's byte stream, in independent frames
 * (issue 12). A compressed file is exactly the plain stream (format.md)
 * cut into zstd frames: `zstd -dc` of it is a plain recording. The writer
 * makes one frame per buffer it flushes (up to 1 MiB of records, and at
 * every flush: the trailer, an interrupted recorder), so a file cut short
 * reads up to its last complete frame. The reader sniffs the first bytes
 * and reads compressed and plain input alike, as a stream (no seek). */
#ifndef SPERRIPS_ZFRAMES_H
#define SPERRIPS_ZFRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The levels `record --compress=LEVEL` takes, and the default. Levels up
 * to 19 keep zstd's window at 8 MiB at most (zstd's own tables), within
 * what the reader accepts. */
#define ZF_LEVEL_MIN 1
#define ZF_LEVEL_MAX 19
#define ZF_LEVEL_DEFAULT 1
/* `record` without --compress or --no-compress (why: doc/sperrips-record.1.scd). */
#define ZF_RECORD_DEFAULT ZF_LEVEL_DEFAULT

/* The largest window a frame may ask of the reader: 16 MiB, as a record
 * may have on disk (TF_MAX_RECORD). A frame that needs more (a forged
 * window size, or a single-segment frame declaring more content) is
 * refused before anything is allocated for it, so decompressing costs at
 * most about this much memory whatever a frame declares or expands to. */
#define ZF_WINDOW_LOG_MAX 24

/* ----- writing ----- */

struct zf_writer;

/** A compressor at `level` (ZF_LEVEL_MIN..ZF_LEVEL_MAX) writing its frames
 *  to `fd` (not owned). NULL with errno (EINVAL for a level out of range,
 *  ENOMEM). */
struct zf_writer *zf_writer_new(int fd, int level);
/** Compress `a` then `b` (either may be empty) as one complete frame and
 *  write it to the descriptor. 0 or -errno (-EIO if zstd itself fails). */
int zf_write_frame(struct zf_writer *z, const void *a, size_t alen, const void *b, size_t blen);
/** Compressed bytes written so far (frames included). */
uint64_t zf_compressed_bytes(const struct zf_writer *z);
void zf_writer_free(struct zf_writer *z);
/** Replace the plain recording at `path` by its compression at `level`,
 *  in frames of 1 MiB of plain bytes: written to a new file beside it
 *  (same mode), which is then renamed over it. On failure the plain file
 *  is left as it was. 0 or -errno. */
int zf_compress_file(const char *path, int level);

/* ----- reading ----- */

struct zf_reader;

/** A stdio stream of the plain bytes of `fd` (owned by the stream from
 *  then on): the bytes themselves, or, when they start with a zstd frame,
 *  their decompression. Reading it never seeks. `*zr` is set to the state
 *  zf_reader_failed and zf_reader_cut query; it lives until the stream is
 *  fclose'd. NULL with errno if the stream cannot be made (fd stays
 *  open then). */
FILE *zf_fdopen(int fd, struct zf_reader **zr);
/** Whether the input is zstd-compressed (known once the stream was read). */
bool zf_reader_compressed(const struct zf_reader *zr);
/** After a read error of the stream: the one-line reason (a corrupt
 *  frame, a frame asking too much memory, a read error), else NULL. */
const char *zf_reader_failed(const struct zf_reader *zr);
/** At the end of the stream: a one-line note if the input ended inside a
 *  frame (the file was cut short), else NULL. */
const char *zf_reader_cut(const struct zf_reader *zr);

#endif
