/* Directory listings compared as whole listings: the entries of one
 * opened directory come in several getdents64 calls, and in another
 * order on another file system (a copied root, a recreated folder, another
 * machine's hash seed), so a call can hold other entries than recorded
 * while the listing as a whole has the same names. Each call feeds the
 * entries one side has and the other not yet; at the end of the listing
 * (the recorded call that returns 0) nothing may be left. Pure logic. */
#ifndef SPERRIPS_VERIFY_DIRLISTS_H
#define SPERRIPS_VERIFY_DIRLISTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"

struct dirlists;

/** One directory entry: its name (not NUL-terminated) and d_type. */
struct dirent_name {
	const char *name;
	size_t len;
	uint8_t type;
};

struct dirlists *dirlists_new(void);
void dirlists_free(struct dirlists *d);

/** True if listing `key` has entries seen on one side only. */
bool dirlists_pending(const struct dirlists *d, uint64_t key);

/** Feed one call of listing `key`: the recorded entries and the replayed
 *  ones. 0, or -ENOMEM. */
int dirlists_feed(struct dirlists *d, uint64_t key, const struct dirent_name *rec, size_t nrec,
		  const struct dirent_name *rep, size_t nrep);

/** Listing `key` ended (or its descriptor went away): true if every entry
 *  was on both sides. If not, describes the first entries on one side only
 *  into sb. The listing is forgotten either way. */
bool dirlists_end(struct dirlists *d, uint64_t key, struct strbuf *sb);

/** Forget every listing of descriptors whose key has `fd` in its low 32
 *  bits (the number was closed or reused), describing into sb the first
 *  that ended with unmatched entries. Returns how many such listings. */
int dirlists_forget_fd(struct dirlists *d, int fd, struct strbuf *sb);

/** True if some listing has entries on one side only (a listing whose
 *  entries all found their pair is not kept). */
bool dirlists_any(const struct dirlists *d);

/** Lines for the verdict about listings left with entries on one side
 *  only when the program ended. Returns how many. */
int dirlists_report_left(const struct dirlists *d, struct strbuf *sb);

/** The key of a listing: the replayed thread and its descriptor. */
static inline uint64_t dirlists_key(uint32_t tid, int fd)
{
	return (uint64_t)tid << 32 | (uint32_t)fd;
}

#endif
