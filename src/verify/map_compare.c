#include "verify/map_compare.h"

#include <inttypes.h>
#include <string.h>

#include "cli/render.h"
#include "format/map_store.h"
#include "trace/map_digest.h"

bool map_compare_by_digest(const struct sp_event *rec)
{
	return rec->map_digests.len != 0;
}

int64_t map_compare_first(const struct sp_event *rec, const struct sp_event *rep)
{
	size_t na = rec->map_digests.len / MAP_DIGEST_LEN, nb = rep->map_digests.len / MAP_DIGEST_LEN;
	size_t n = na < nb ? na : nb;
	for (size_t i = 0; i < n; i++)
		if (memcmp(rec->map_digests.data + i * MAP_DIGEST_LEN, rep->map_digests.data + i * MAP_DIGEST_LEN,
			   MAP_DIGEST_LEN))
			return (int64_t)i * MAP_PAGE;
	/* Same pages as far as both go: a page only one side has. (Lengths
	 * that differ inside the last page changed its digest already.) */
	if (na != nb || rec->map_len != rep->map_len)
		return (int64_t)n * MAP_PAGE;
	return -1;
}

/* The digest of the page at `off`, or an empty one past the mapped bytes. */
static struct sp_bytes page_digest(const struct sp_event *ev, uint64_t off)
{
	size_t at = (size_t)(off / MAP_PAGE) * MAP_DIGEST_LEN;
	if (at + MAP_DIGEST_LEN > ev->map_digests.len)
		return (struct sp_bytes){ NULL, 0 };
	return (struct sp_bytes){ ev->map_digests.data + at, MAP_DIGEST_LEN };
}

static void hex(struct strbuf *sb, struct sp_bytes b)
{
	if (!b.len) {
		sb_puts(sb, "(no page)");
		return;
	}
	for (size_t i = 0; i < 8; i++)
		sb_printf(sb, "%02x", b.data[i]);
	sb_puts(sb, "...");
}

/* The recorded page at `off`: from the recording (--map-bytes) or from the
 * store. Its length, or -1 where neither has it. */
static ssize_t recorded_page(const struct sp_event *rec, uint64_t off, struct sp_bytes want, const char *store,
			     uint8_t *page)
{
	if ((rec->ret.flags & SP_HAS_BUF) && off < rec->ret.buf.len) {
		size_t n = rec->ret.buf.len - off < MAP_PAGE ? (size_t)(rec->ret.buf.len - off) : MAP_PAGE;
		memcpy(page, rec->ret.buf.data + off, n);
		return (ssize_t)n;
	}
	if (!store || !want.len)
		return -1;
	ssize_t n = map_store_get(store, want.data, page, MAP_PAGE);
	return n < 0 ? -1 : n;
}

/* Where the recorded page is known (recording or store): the first byte
 * where it and the replayed one differ, with a few bytes around it. */
static void page_bytes(struct strbuf *sb, const struct sp_event *rec, const struct sp_event *rep, uint64_t off,
		       uint64_t file_off, struct sp_bytes want, const char *store)
{
	static uint8_t page[MAP_PAGE];
	if (!(rep->ret.flags & SP_HAS_BUF) || off >= rep->ret.buf.len)
		return;
	ssize_t n = recorded_page(rec, off, want, store, page);
	if (n < 0)
		return;
	size_t m = rep->ret.buf.len - off < MAP_PAGE ? (size_t)(rep->ret.buf.len - off) : MAP_PAGE;
	const uint8_t *b = rep->ret.buf.data + off;
	size_t i = 0, k = (size_t)n < m ? (size_t)n : m;
	while (i < k && page[i] == b[i])
		i++;
	size_t start = i > 8 ? i - 8 : 0;
	sb_printf(sb, ", at file offset 0x%" PRIx64 ": ", file_off + i);
	if (start)
		sb_puts(sb, "...");
	render_bytes(sb, page + start, (size_t)n - start, 24);
	sb_puts(sb, " vs ");
	if (start)
		sb_puts(sb, "...");
	render_bytes(sb, b + start, m - start, 24);
}

bool map_compare_report(struct strbuf *sb, const struct sp_event *rec, const struct sp_event *rep,
			const struct sp_diff *d, const char *store)
{
	if (strcmp(d->field, MAP_FIELD_PAGE))
		return false;
	uint64_t file_off = (rec->nargs > 5 ? rec->entry[5].value : 0) + d->offset;
	sb_printf(sb, "mapped bytes of %s differ in the page at file offset 0x%" PRIx64 ": sha256 ",
		  rec->map_path ? rec->map_path : "(unknown file)", file_off);
	struct sp_bytes want = page_digest(rec, d->offset);
	hex(sb, want);
	sb_puts(sb, " vs ");
	hex(sb, page_digest(rep, d->offset));
	if (rec->map_len != rep->map_len)
		sb_printf(sb, " (%" PRIu64 " vs %" PRIu64 " bytes mapped)", rec->map_len, rep->map_len);
	page_bytes(sb, rec, rep, d->offset, file_off, want, store);
	return true;
}
