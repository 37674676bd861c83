/* What sperrips writes for a person at a terminal: colour (on a terminal
 * only, NO_COLOR and --color= honoured). Pipes, files and CI get plain
 * text, byte for byte the same as without this module. */
#ifndef SPERRIPS_CONSOLE_H
#define SPERRIPS_CONSOLE_H

#include <stdbool.h>

enum console_color_mode { CONSOLE_COLOR_AUTO, CONSOLE_COLOR_NEVER, CONSOLE_COLOR_ALWAYS };

/* What a piece of text is; each has one colour. */
enum console_tone {
	TONE_NAME,    /* a syscall's name in show */
	TONE_ERROR,   /* an error return, an unacceptable difference */
	TONE_SIGNAL,  /* a signal, a process ending */
	TONE_COMMENT, /* show's "# ..." header lines */
	TONE_GOOD,    /* identical, equivalent */
	TONE_BAD,     /* DIFFERENT */
	TONE_NOTE,    /* acceptable differences (-vv), notes */
};

/** "auto", "never" or "always" (also "tty", "none", "yes"/"no" as ls has
 *  them) to a mode; -1 for anything else. */
int console_parse_color(const char *arg);
/** Set how colour is decided for stdout and stderr (default auto): auto
 *  colours a stream that is a terminal, unless NO_COLOR is set and not
 *  empty or TERM is "dumb". */
void console_set_color(enum console_color_mode mode);
/** Whether text written to `fd` (1 or 2) is coloured. */
bool console_color(int fd);
/** The escape sequence that starts `tone` on `fd`, or "" without colour. */
const char *console_on(int fd, enum console_tone tone);
/** The sequence that ends it, or "". */
const char *console_off(int fd);

#endif
