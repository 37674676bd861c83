#ifndef SPERRIPS_SHOW_H
#define SPERRIPS_SHOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct show_opts {
	bool json;            /* JSON lines instead of text */
	size_t strsize;       /* strings and buffers cut after this many bytes */
	bool show_tid;        /* "[pid N] " before each line, as strace -f */
	const char *only;     /* comma-separated syscall names to show, or NULL */
	bool stats;           /* a table of calls and errors per syscall instead */
	const uint8_t *verify_key; /* --verify: the signer's public key (32 bytes), or NULL */
	const char *verify_path;   /* the file it came from, for messages */
};

/** Print a recording or differences file. Returns the exit status. */
int show_file(const char *path, const struct show_opts *o);

#endif
