/* Small helpers shared by the commands: errors, checked allocation, hex. */
#ifndef SPERRIPS_UTIL_H
#define SPERRIPS_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

/* Exit statuses (README, --help). */
enum {
	EXIT_SAME = 0,          /* recorded; or replay identical / equivalent */
	EXIT_DIFFERENT = 1,     /* replay found unacceptable differences */
	EXIT_USAGE = 2,         /* bad command line or configuration */
	EXIT_BAD_RECORDING = 3, /* recording unreadable, truncated or of another job */
	EXIT_NO_TRACEE = 4,     /* the program could not be started */
	EXIT_OUTPUT = 5,        /* an output file could not be written */
	EXIT_TRACER = 6,        /* ptrace or another system call of the tracer failed */
	EXIT_LIVE_LOST = 7,     /* record --to: no verdict (verifier unreachable, refused, or the link lost) */
	/* 128 + N: the tracer was stopped by signal N (the file is finished) */
};

extern const char *progname;

/** Print "sperrips: <message>" on stderr. */
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Print "sperrips: <message>" and exit with `status`. */
noreturn void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
char *xstrdup(const char *s);
/** Decode hex (whitespace allowed between bytes) into a new buffer. -1 if not hex. */
int hex_decode(const char *hex, uint8_t **out, size_t *len);
/** Free `n` strings of `v` and `v` itself (NULL is fine). */
void strv_free(char **v, size_t n);
/** A copy of `n` strings (NULL entries become ""), NULL-terminated. NULL if out of memory. */
char **strv_copy(char *const *v, size_t n);
/** Write all `n` bytes of `p` to `fd` (short writes and EINTR continued). 0 or -errno. */
int write_all(int fd, const void *p, size_t n);
/** Read a whole file into a new buffer. 0 or -errno. */
int read_file(const char *path, uint8_t **out, size_t *len);
/** Control bytes in `s` (a message quoting names from a file) become '?',
 *  so that the message stays one line. */
void str_one_line(char *s);
/** CLOCK_MONOTONIC in nanoseconds. */
uint64_t monotonic_ns(void);
/** CLOCK_REALTIME in nanoseconds, to compare with file timestamps: a file
 *  written before this call is not newer. (Not the coarse clock: since
 *  Linux 6.13 a file's mtime and ctime may be fine-grained, later than
 *  the coarse time of the same tick.) One written just after may still
 *  carry a coarse time a little older. */
uint64_t file_clock_ns(void);

#endif
