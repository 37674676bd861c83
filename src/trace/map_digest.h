/* Mapped file bytes by content (issue 12): the bytes an mmap of a file
 * puts in the program's memory are kept as one SHA-256 per 4 KiB page, so
 * that a recording of a libc-linked program does not carry libc twice and
 * a difference on replay is still located to a page. */
#ifndef SPERRIPS_MAP_DIGEST_H
#define SPERRIPS_MAP_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/event.h"

#define MAP_PAGE 4096u
#define MAP_DIGEST_LEN 32u

/** Pages (the last one may be short) in `len` mapped bytes. */
static inline size_t map_digest_pages(uint64_t len)
{
	return (size_t)((len + MAP_PAGE - 1) / MAP_PAGE);
}

/** SHA-256 of each MAP_PAGE-byte page of `data` (`len` bytes; the last
 *  page may be short) into `out`, MAP_DIGEST_LEN bytes a page. Returns 0. */
int map_digest_hash(const uint8_t *data, size_t len, uint8_t *out);

/** At the exit stop of a successful mmap of a file, after capture read the
 *  mapped bytes into ev->ret.buf: set ev->map_path (what /proc/TID/fd/FD
 *  names), ev->map_digests and ev->map_len, in the event's arena. Nothing
 *  is set for anonymous mappings or when nothing could be read. */
void map_digest_capture(struct sp_event *ev, pid_t tid);

/** Reuse page digests within this run (record turns it on, unless the
 *  bytes themselves are kept): a file mapped again, unchanged (same device,
 *  inode, size, mtime and ctime), is not read from the tracee again, its
 *  pages' digests come from the first mapping (the loader maps each
 *  library once whole, then segment by segment). Replay leaves it off: it
 *  checks what each mapping really holds. */
void map_digest_reuse(bool on);

/** At the exit stop of a successful mmap of a file: if reuse is on and
 *  every page the mapping can show was digested before, fill ev->ret (the
 *  address, no bytes) and the map fields as map_digest_capture would have,
 *  and return true; otherwise do nothing and return false. */
bool map_digest_cached(struct sp_event *ev, pid_t tid);

#endif
