/* A stat'ed file by content (issue 9): at the exit of a successful stat,
 * fstat, lstat, newfstatat or statx of a regular file, the SHA-256 of the
 * file's bytes. Replay accepts differing timestamps and writes the
 * recorded ones back; programs that trust a file's mtime as a cache key
 * (git's index, make, python's .pyc, rsync) then take the "unchanged"
 * path and never read a file that did change. The digest tells a
 * timestamp that moved because the file was installed or copied at
 * another time from one that moved because its contents changed. */
#ifndef SPERRIPS_FILE_DIGEST_H
#define SPERRIPS_FILE_DIGEST_H

#include <stdint.h>
#include <sys/types.h>

#include "base/event.h"

#define FILE_DIGEST_LEN 32
/* No digest of a file larger than this: its size still must match. */
#define FILE_DIGEST_MAX_FILE ((uint64_t)64 << 20)
/* Bytes read for digests in one run, at most (find or du over a tree
 * stat every file; what comes after the budget is compared by stat data
 * alone). Files seen before, unchanged, are not read again. */
#define FILE_DIGEST_BUDGET ((uint64_t)512 << 20)

/** The run starts now: files changed since (mtime or ctime after this
 *  moment) are not digested. Such a file was written during the run,
 *  by the program or beside it: what the program wrote is compared where
 *  it wrote it, and the same file written on replay is as new there. The
 *  digest is for files older than the run, whose timestamps replay
 *  writes back. Record calls it before the program starts; replay does
 *  not (a file given a time in the future would escape): it digests every
 *  file, and compares where both sides have a digest. */
void file_digest_start(void);

/** At most `bytes` read for digests in this run (default
 *  FILE_DIGEST_BUDGET; 0: no digests at all). */
void file_digest_budget(uint64_t bytes);

/** At the exit stop of a successful stat-family call of `tid`: if the
 *  struct it filled names a regular file, non-empty, older than the run,
 *  on a disk file system, set ev->file_digest (the event's arena) to the SHA-256 of that
 *  file's contents, read through the tracee's descriptors, root and
 *  working directory. Nothing is set where the file cannot be read, is no
 *  longer the one stat'ed, or is past the limits above. */
void file_digest_capture(struct sp_event *ev, pid_t tid);

/** Bytes read for digests in this run so far (for tests and -v). */
uint64_t file_digest_bytes_read(void);

#endif
