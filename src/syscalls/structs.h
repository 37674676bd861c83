/* Field layouts of the x86_64 structs the kernel fills, as data: compare
 * walks them to name the field that differs, and to keep pointers inside
 * structs (handlers, msghdr buffers) apart from plain values. */
#ifndef SPERRIPS_SYSCALLS_STRUCTS_H
#define SPERRIPS_SYSCALLS_STRUCTS_H

#include <stddef.h>
#include <stdint.h>

enum { FT_INT = 0, FT_PTR = 1, FT_BYTES = 2 };

/* sfield.flags: bytes whose value means nothing in one direction. */
enum {
	SF_NOT_INPUT = 1 << 0, /* the kernel ignores it when handed the struct (l_pid of F_SETLK) */
	SF_PADDING = 1 << 1,   /* padding: never read, and copied back unchanged or not at all */
};

struct sfield {
	const char *name;
	uint16_t off, size;
	uint8_t type;
	uint8_t flags;         /* SF_* */
};

struct slayout {
	const struct sfield *f;
	size_t n;
};

/** The layout of struct kind `kind` (enum sp_kind), or NULL for plain bytes. */
const struct slayout *struct_layout(unsigned kind);
/** The size of one element when `kind` comes as an array (iovec, pollfd),
 *  or 0: the buffer is one struct. */
size_t struct_elem_size(unsigned kind);

#endif
