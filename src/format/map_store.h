/* A content-addressed folder of mapped file pages (record and replay
 * --store DIR): each page is a file DIR/sha256/XX/REST named by the hex
 * SHA-256 of its bytes, written once and shared by every recording that
 * maps it, so a recording keeps only the digests and replay can still show
 * the recorded bytes of a page that differs. */
#ifndef SPERRIPS_MAP_STORE_H
#define SPERRIPS_MAP_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/event.h"

/** Put every page of the file mapping `ev` (its ret.buf and map_digests)
 *  into the store at `dir`, those not there yet. 0, or -errno of the first
 *  page that could not be written. */
int map_store_put(const char *dir, const struct sp_event *ev);

/** Read the page whose SHA-256 is `digest` from the store at `dir` into
 *  `out` (up to `size` bytes). The number of bytes read, or -errno
 *  (-ENOENT: not in the store). The bytes are checked against the digest
 *  (-EBADMSG if they do not match it). */
ssize_t map_store_get(const char *dir, const uint8_t digest[32], uint8_t *out, size_t size);

#endif
