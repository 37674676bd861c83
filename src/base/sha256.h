/* SHA-256 (OpenSSL's implementation, SHA-NI where the CPU has it), for the
 * executed image's digest and the mapped pages' digests. */
#ifndef SPERRIPS_SHA256_H
#define SPERRIPS_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN 32

struct sha256 {
	/* OpenSSL's SHA256_CTX, kept opaque here: 112 bytes, 8-aligned */
	uint64_t ctx[14];
};

/** Start, feed and finish a digest. */
void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
void sha256_final(struct sha256 *s, uint8_t out[SHA256_LEN]);

/** The digest of `n` bytes at `data` into `out`. */
void sha256(const void *data, size_t n, uint8_t out[SHA256_LEN]);

#endif
