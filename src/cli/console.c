/* Colour for a person at a terminal; see console.h. */
#include "cli/console.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static enum console_color_mode color_mode = CONSOLE_COLOR_AUTO;
/* -1: not decided yet; decided once per stream, on first use. */
static int decided[3] = { -1, -1, -1 };

int console_parse_color(const char *arg)
{
	if (!strcmp(arg, "auto") || !strcmp(arg, "tty") || !strcmp(arg, "if-tty"))
		return CONSOLE_COLOR_AUTO;
	if (!strcmp(arg, "never") || !strcmp(arg, "none") || !strcmp(arg, "no"))
		return CONSOLE_COLOR_NEVER;
	if (!strcmp(arg, "always") || !strcmp(arg, "yes") || !strcmp(arg, "force"))
		return CONSOLE_COLOR_ALWAYS;
	return -1;
}

void console_set_color(enum console_color_mode mode)
{
	color_mode = mode;
	decided[1] = decided[2] = -1;
}

bool console_color(int fd)
{
	if (fd != 1 && fd != 2)
		return false;
	if (decided[fd] < 0) {
		const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
		if (color_mode == CONSOLE_COLOR_ALWAYS)
			decided[fd] = 1;
		else if (color_mode == CONSOLE_COLOR_NEVER)
			decided[fd] = 0;
		else /* https://no-color.org: set and not empty means no colour */
			decided[fd] = isatty(fd) && !(no && *no) && !(term && !strcmp(term, "dumb"));
	}
	return decided[fd];
}

const char *console_on(int fd, enum console_tone tone)
{
	static const char *const sgr[] = {
		[TONE_NAME] = "\033[1m",      /* bold */
		[TONE_ERROR] = "\033[31m",    /* red */
		[TONE_SIGNAL] = "\033[33m",   /* yellow */
		[TONE_COMMENT] = "\033[2m",   /* dim */
		[TONE_GOOD] = "\033[1;32m",   /* bold green */
		[TONE_BAD] = "\033[1;31m",    /* bold red */
		[TONE_NOTE] = "\033[36m",     /* cyan */
	};
	return console_color(fd) ? sgr[tone] : "";
}

const char *console_off(int fd)
{
	return console_color(fd) ? "\033[0m" : "";
}
