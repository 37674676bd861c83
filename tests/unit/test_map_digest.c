/* Mapped file bytes by content: the page digests (src/trace/map_digest.h),
 * which page replay names (src/verify/map_compare.h) and the store of
 * pages by content (src/format/map_store.h). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/strbuf.h"
#include "format/map_store.h"
#include "trace/map_digest.h"
#include "verify/map_compare.h"

static uint8_t bytes[3 * MAP_PAGE + 100];

static void hexof(const uint8_t *d, char *out)
{
	for (unsigned i = 0; i < MAP_DIGEST_LEN; i++)
		sprintf(out + 2 * i, "%02x", d[i]);
}

/* SHA-256 of 4096 zero bytes, and of the 100 zero bytes of a short page
 * (sha256sum of /dev/zero cut to those lengths). */
#define ZERO_PAGE "ad7facb2586fc6e966c004d7d1d16b024f5805ff7cb47c7a85dabd8b48892ca7"
#define ZERO_100 "cd00e292c5970d3c5e2f0ffa5171e555bc46bfc4faddfb4a418b6840b86e79a3"

static void one_digest_per_page_last_one_short(void **state)
{
	(void)state;
	memset(bytes, 0, sizeof(bytes));
	uint8_t d[4 * MAP_DIGEST_LEN];
	assert_int_equal(map_digest_pages(sizeof(bytes)), 4);
	assert_int_equal(map_digest_pages(MAP_PAGE), 1);
	assert_int_equal(map_digest_pages(0), 0);
	assert_int_equal(map_digest_hash(bytes, sizeof(bytes), d), 0);
	char h[65];
	hexof(d, h);
	assert_string_equal(h, ZERO_PAGE);
	hexof(d + 2 * MAP_DIGEST_LEN, h);
	assert_string_equal(h, ZERO_PAGE);
	hexof(d + 3 * MAP_DIGEST_LEN, h);
	assert_string_equal(h, ZERO_100);
}

static uint8_t rec_d[4 * MAP_DIGEST_LEN], rep_d[4 * MAP_DIGEST_LEN];

static void mapping(struct sp_event *ev, uint8_t *d, size_t len, uint64_t file_off)
{
	memset(ev, 0, sizeof(*ev));
	ev->nargs = 6;
	ev->entry[5].value = file_off;
	ev->returned = true;
	ev->map_path = "/lib/x86_64-linux-gnu/libc.so.6";
	assert_int_equal(map_digest_hash(bytes, len, d), 0);
	ev->map_digests = (struct sp_bytes){ d, map_digest_pages(len) * MAP_DIGEST_LEN };
	ev->map_len = len;
}

static void the_first_differing_page_is_named(void **state)
{
	(void)state;
	struct sp_event rec, rep;
	memset(bytes, 0x90, sizeof(bytes));
	mapping(&rec, rec_d, sizeof(bytes), 0x26000);
	mapping(&rep, rep_d, sizeof(bytes), 0x26000);
	assert_true(map_compare_by_digest(&rec));
	assert_int_equal(map_compare_first(&rec, &rep), -1);
	/* one byte in the third page */
	bytes[2 * MAP_PAGE + 7] ^= 1;
	mapping(&rep, rep_d, sizeof(bytes), 0x26000);
	assert_int_equal(map_compare_first(&rec, &rep), 2 * MAP_PAGE);
	struct sp_diff d = { .field = MAP_FIELD_PAGE, .offset = 2 * MAP_PAGE };
	struct strbuf sb = { 0 };
	assert_true(map_compare_report(&sb, &rec, &rep, &d, NULL));
	char want[256], a[65], b[65];
	hexof(rec_d + 2 * MAP_DIGEST_LEN, a);
	hexof(rep_d + 2 * MAP_DIGEST_LEN, b);
	snprintf(want, sizeof(want), "mapped bytes of /lib/x86_64-linux-gnu/libc.so.6 differ in the page at file "
		 "offset 0x28000: sha256 %.16s... vs %.16s...", a, b);
	assert_string_equal(sb.s, want);
	sb_free(&sb);
	/* a shorter mapping: the page only the recording has */
	bytes[2 * MAP_PAGE + 7] ^= 1;
	mapping(&rep, rep_d, 2 * MAP_PAGE, 0x26000);
	assert_int_equal(map_compare_first(&rec, &rep), 2 * MAP_PAGE);
	/* another difference is not one of ours */
	struct sp_diff other = { .field = "buffer" };
	struct strbuf none = { 0 };
	assert_false(map_compare_report(&none, &rec, &rep, &other, NULL));
	assert_null(none.s);
}

static void the_store_returns_a_page_by_its_digest(void **state)
{
	(void)state;
	char dir[] = "/tmp/sperrips-store-XXXXXX";
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)(i * 7);
	struct sp_event ev;
	mapping(&ev, rec_d, sizeof(bytes), 0);
	ev.ret.flags = SP_HAS_BUF;
	ev.ret.buf = (struct sp_bytes){ bytes, sizeof(bytes) };
	assert_int_equal(map_store_put(dir, &ev), 0);
	assert_int_equal(map_store_put(dir, &ev), 0); /* there already: nothing to do */
	uint8_t page[MAP_PAGE];
	assert_int_equal(map_store_get(dir, rec_d + MAP_DIGEST_LEN, page, sizeof(page)), MAP_PAGE);
	assert_memory_equal(page, bytes + MAP_PAGE, MAP_PAGE);
	assert_int_equal(map_store_get(dir, rec_d + 3 * MAP_DIGEST_LEN, page, sizeof(page)), 100);
	assert_memory_equal(page, bytes + 3 * MAP_PAGE, 100);
	uint8_t unknown[MAP_DIGEST_LEN] = { 1 };
	assert_int_equal(map_store_get(dir, unknown, page, sizeof(page)), -ENOENT);
	/* a page whose bytes do not match its name is refused */
	char path[512], hex[65];
	hexof(rec_d, hex);
	snprintf(path, sizeof(path), "%s/sha256/%.2s/%s", dir, hex, hex + 2);
	FILE *f = fopen(path, "r+b");
	assert_non_null(f);
	fputc('X', f);
	fclose(f);
	assert_int_equal(map_store_get(dir, rec_d, page, sizeof(page)), -EBADMSG);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_digest_per_page_last_one_short),
		cmocka_unit_test(the_first_differing_page_is_named),
		cmocka_unit_test(the_store_returns_a_page_by_its_digest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
