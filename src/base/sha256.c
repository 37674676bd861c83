/* OpenSSL's low-level SHA-256 calls, not EVP: the first EVP digest of a
 * process initialises OpenSSL's providers and reads its configuration,
 * 1-2 ms of CPU, more than hashing all mapped pages of a short command
 * costs; these calls go straight to the same (SHA-NI) code. They are
 * deprecated since OpenSSL 3.0 but kept by it, hence the API level. */
#define OPENSSL_API_COMPAT 0x10100000L
#include "base/sha256.h"

#include <openssl/sha.h>

_Static_assert(sizeof(SHA256_CTX) <= sizeof(struct sha256), "struct sha256 holds a SHA256_CTX");
_Static_assert(_Alignof(SHA256_CTX) <= _Alignof(struct sha256), "struct sha256 is aligned for a SHA256_CTX");

void sha256_init(struct sha256 *s)
{
	SHA256_Init((SHA256_CTX *)s->ctx);
}

void sha256_update(struct sha256 *s, const void *data, size_t n)
{
	SHA256_Update((SHA256_CTX *)s->ctx, data, n);
}

void sha256_final(struct sha256 *s, uint8_t out[SHA256_LEN])
{
	SHA256_Final(out, (SHA256_CTX *)s->ctx);
}

void sha256(const void *data, size_t n, uint8_t out[SHA256_LEN])
{
	struct sha256 s;
	sha256_init(&s);
	sha256_update(&s, data, n);
	sha256_final(&s, out);
}
