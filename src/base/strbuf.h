/* A growing string for building output lines. */
#ifndef SPERRIPS_STRBUF_H
#define SPERRIPS_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *s;
	size_t len, cap;
};

void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_puts(struct strbuf *sb, const char *s);
void sb_putn(struct strbuf *sb, const char *s, size_t n);
void sb_clear(struct strbuf *sb);
void sb_free(struct strbuf *sb);

#endif
