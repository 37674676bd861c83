/* The terminal side (src/cli/console.h, render_field.h): --color values,
 * colour only where asked or on a terminal, and struct field values named
 * as show names them in the verdict. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli/console.h"
#include "cli/render_field.h"
#include "syscalls/table.h"

static void color_values(void **state)
{
	(void)state;
	assert_int_equal(console_parse_color("auto"), CONSOLE_COLOR_AUTO);
	assert_int_equal(console_parse_color("never"), CONSOLE_COLOR_NEVER);
	assert_int_equal(console_parse_color("always"), CONSOLE_COLOR_ALWAYS);
	assert_int_equal(console_parse_color("sometimes"), -1);
	assert_int_equal(console_parse_color(""), -1);
}

static void color_modes(void **state)
{
	(void)state;
	console_set_color(CONSOLE_COLOR_ALWAYS);
	assert_string_equal(console_on(1, TONE_ERROR), "\033[31m");
	assert_string_equal(console_on(2, TONE_BAD), "\033[1;31m");
	assert_string_equal(console_off(2), "\033[0m");
	assert_false(console_color(3)); /* only stdout and stderr */
	console_set_color(CONSOLE_COLOR_NEVER);
	assert_string_equal(console_on(1, TONE_ERROR), "");
	assert_string_equal(console_off(1), "");
	/* auto under the test runner: output is a file or a pipe */
	console_set_color(CONSOLE_COLOR_AUTO);
	setenv("NO_COLOR", "1", 1);
	assert_false(console_color(1));
	assert_false(console_color(2));
	unsetenv("NO_COLOR");
}

static const char *field(const struct sfield *f, uint64_t v)
{
	static struct strbuf sb;
	sb_clear(&sb);
	render_field_value(&sb, f, v);
	return sb.s;
}

static void field_values(void **state)
{
	(void)state;
	struct sfield mode = { .name = "st_mode", .size = 4, .type = FT_INT };
	assert_string_equal(field(&mode, 0100600), "S_IFREG|0600");
	assert_string_equal(field(&mode, 020666), "S_IFCHR|0666");
	assert_string_equal(field(&mode, 0104755), "S_IFREG|S_ISUID|0755");
	struct sfield xmode = { .name = "stx_mode", .size = 2, .type = FT_INT };
	assert_string_equal(field(&xmode, 040755), "S_IFDIR|0755");
	struct sfield rdev = { .name = "st_rdev", .size = 8, .type = FT_INT };
	assert_string_equal(field(&rdev, 0x103), "makedev(0x1, 0x3)");
	struct sfield handler = { .name = "sa_handler", .size = 8, .type = FT_PTR };
	assert_string_equal(field(&handler, 0), "SIG_DFL");
	assert_string_equal(field(&handler, 1), "SIG_IGN");
	assert_string_equal(field(&handler, 0x555555566dc0), "0x555555566dc0");
	struct sfield ptr = { .name = "ss_sp", .size = 8, .type = FT_PTR };
	assert_string_equal(field(&ptr, 0), "NULL");
	assert_string_equal(field(&ptr, 1), "0x1");
	struct sfield flags = { .name = "ss_flags", .size = 4, .type = FT_INT, .fmt = F_SS_FLAGS };
	assert_string_equal(field(&flags, 2), "SS_DISABLE");
	struct sfield size = { .name = "st_size", .size = 8, .type = FT_INT };
	assert_string_equal(field(&size, 1516), "1516");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(color_values),
		cmocka_unit_test(color_modes),
		cmocka_unit_test(field_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
