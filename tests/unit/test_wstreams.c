/* Outputs written by several threads, compared whole (src/verify/wstreams.h):
 * the same bytes in other chunks and another split between the threads
 * agree; a changed, missing or extra byte is one line naming the output,
 * the byte and both sides. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "verify/wstreams.h"

static struct sp_bytes B(const char *s)
{
	return (struct sp_bytes){ (const uint8_t *)s, s ? strlen(s) : 0 };
}

static const struct sp_bytes NONE = { NULL, 0 };

static void other_split_between_threads_agrees(void **state)
{
	(void)state;
	struct wstreams *w = wstreams_new();
	struct strbuf sb = { 0 };
	/* Recorded: thread A wrote "abc" (seq 10) then thread B "def" (seq 20).
	 * Replayed: B's call ran first and wrote "abcd", A's wrote "ef". */
	assert_int_equal(wstreams_add(w, 7, "/out", 20, B("def"), B("abcd")), 0);
	assert_int_equal(wstreams_add(w, 7, "/out", 10, B("abc"), B("ef")), 0);
	/* One more write on replay, one fewer recorded: elastic calls. */
	assert_int_equal(wstreams_add(w, 7, "/out", 30, B("gh"), NONE), 0);
	assert_int_equal(wstreams_add(w, 7, "/out", 0, NONE, B("gh")), 0);
	assert_int_equal(wstreams_report(w, &sb), 0);
	assert_int_equal(sb.len, 0);
	sb_free(&sb);
	wstreams_free(w);
}

static void changed_byte_is_one_line(void **state)
{
	(void)state;
	struct wstreams *w = wstreams_new();
	struct strbuf sb = { 0 };
	assert_int_equal(wstreams_add(w, 7, "/out", 2, B("world\n"), B("hello ")), 0);
	assert_int_equal(wstreams_add(w, 7, "/out", 1, B("hello "), B("wOrld\n")), 0);
	assert_int_equal(wstreams_add(w, 9, "pipe:[9]", 1, B("same"), B("same")), 0);
	assert_int_equal(wstreams_report(w, &sb), 1);
	assert_string_equal(sb.s, "  /out: the output its threads wrote differs at byte 7 (12 bytes recorded, 12 replayed): "
				  "\"hello world\\n\" vs \"hello wOrld\\n\" [UNEXPECTED_MEMORY_CONTENT]\n");
	sb_free(&sb);
	wstreams_free(w);
}

static void missing_tail_is_a_difference(void **state)
{
	(void)state;
	struct wstreams *w = wstreams_new();
	struct strbuf sb = { 0 };
	assert_int_equal(wstreams_add(w, 3, "/log", 1, B("abc"), B("abc")), 0);
	assert_int_equal(wstreams_add(w, 3, "/log", 2, B("def"), NONE), 0);
	assert_int_equal(wstreams_report(w, &sb), 1);
	assert_string_equal(sb.s, "  /log: the output its threads wrote differs at byte 3 (6 bytes recorded, 3 replayed): "
				  "\"abcdef\" vs \"abc\" [UNEXPECTED_MEMORY_CONTENT]\n");
	sb_free(&sb);
	wstreams_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(other_split_between_threads_agrees),
		cmocka_unit_test(changed_byte_is_one_line),
		cmocka_unit_test(missing_tail_is_a_difference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
