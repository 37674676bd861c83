/* One value of a struct field as show prints it, for the verdict's
 * "st_mode differs: S_IFCHR|0666 vs S_IFREG|0644". */
#ifndef SPERRIPS_RENDER_FIELD_H
#define SPERRIPS_RENDER_FIELD_H

#include <stdint.h>

#include "base/strbuf.h"
#include "syscalls/structs.h"

/** Append `v`, the value of field `f`, as show names it: a file mode as
 *  S_IFREG|0644, a device number as makedev(0x1, 0x3), a field with a
 *  format by its names (flags, signals...), a signal handler as SIG_DFL,
 *  SIG_IGN or its address, other pointers in hex, the rest in decimal. */
void render_field_value(struct strbuf *sb, const struct sfield *f, uint64_t v);

#endif
