/* Replay's view of a file mapping recorded by content (trace/map_digest.h):
 * which page differs, and the verdict line that names the file and the
 * page's offset in it. */
#ifndef SPERRIPS_MAP_COMPARE_H
#define SPERRIPS_MAP_COMPARE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/event.h"
#include "base/strbuf.h"

/* The diff field (sp_diff.field) of a page whose digest differs; its
 * offset is the page's first byte in the mapping. */
#define MAP_FIELD_PAGE "mapped_page"

/** Whether the recorded mmap `rec` is to be compared by page digests: it
 *  has them (whether or not it holds the bytes too, --map-bytes). */
bool map_compare_by_digest(const struct sp_event *rec);

/** The offset in the mapping of the first page whose recorded and
 *  replayed digests differ (or that one side does not have), or -1 when
 *  every page and the mapped length agree. */
int64_t map_compare_first(const struct sp_event *rec, const struct sp_event *rep);

/** If `d` is a MAP_FIELD_PAGE difference, append its description to `sb`
 *  ("mapped bytes of /usr/lib/.../libc.so.6 differ in the page at file
 *  offset 0x1a2000: sha256 ... vs ...", with the first differing bytes
 *  when the recorded page is in the recording or in the --store folder
 *  `store`, which may be NULL) and return true; otherwise nothing. */
bool map_compare_report(struct strbuf *sb, const struct sp_event *rec, const struct sp_event *rep,
			const struct sp_diff *d, const char *store);

#endif
