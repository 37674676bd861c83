/* The hash chain and the signature of a signed recording (seal.h). */
#include "format/seal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char chain_start[] = "sperrips chain v1";
static const char seal_context[] = "sperrips seal v1"; /* signed with its NUL */

static void chain_open_record(struct seal_chain *c)
{
	/* The previous value keys the hash of the next record: h_i depends on
	 * every record before it, in order. */
	crypto_generichash_init(&c->st, c->h, sizeof(c->h), sizeof(c->h));
}

struct seal_chain *seal_chain_new(void)
{
	if (sodium_init() < 0)
		return NULL;
	struct seal_chain *c = aligned_alloc(64, (sizeof(*c) + 63) & ~(size_t)63);
	if (!c)
		return NULL;
	memset(c, 0, sizeof(*c));
	crypto_generichash(c->h, sizeof(c->h), (const uint8_t *)chain_start, sizeof(chain_start) - 1, NULL, 0);
	chain_open_record(c);
	return c;
}

void seal_chain_feed(struct seal_chain *c, const void *p, size_t n)
{
	if (n)
		crypto_generichash_update(&c->st, p, n);
}

static void chain_close_record(struct seal_chain *c)
{
	crypto_generichash_final(&c->st, c->h, sizeof(c->h));
	c->records++;
	chain_open_record(c);
}

void seal_chain_end(struct seal_chain *c, uint8_t field[SEAL_CHECK_FIELD])
{
	chain_close_record(c);
	field[0] = SEAL_TAG_CHECK;
	field[1] = 0x01;
	memcpy(field + SEAL_TAG_BYTES, c->h, SEAL_CHECK_BYTES);
}

int seal_chain_check(struct seal_chain *c, const uint8_t check[SEAL_CHECK_BYTES])
{
	chain_close_record(c);
	return memcmp(check, c->h, SEAL_CHECK_BYTES) ? -1 : 0;
}

/* What the signature covers: the context string with its NUL, then the
 * last chain value. */
static void signed_message(const struct seal_chain *c, uint8_t *m)
{
	memcpy(m, seal_context, sizeof(seal_context));
	memcpy(m + sizeof(seal_context), c->h, SEAL_CHAIN_BYTES);
}

#define MSG_BYTES (sizeof(seal_context) + SEAL_CHAIN_BYTES)

void seal_make(const struct seal_chain *c, const struct seal_signer *s, uint8_t body[SEAL_BODY_BYTES])
{
	uint8_t m[MSG_BYTES];
	signed_message(c, m);
	body[0] = 0x0a; /* Seal.chain, field 1 */
	body[1] = SEAL_CHAIN_BYTES;
	memcpy(body + 2, c->h, SEAL_CHAIN_BYTES);
	body[2 + SEAL_CHAIN_BYTES] = 0x12; /* Seal.signature, field 2 */
	body[3 + SEAL_CHAIN_BYTES] = SEAL_SIG_BYTES;
	crypto_sign_detached(body + 4 + SEAL_CHAIN_BYTES, NULL, m, sizeof(m), s->sk);
}

int seal_verify(const struct seal_chain *c, const uint8_t pub[SEAL_PUBLIC_BYTES], const uint8_t *body, size_t len)
{
	if (len != SEAL_BODY_BYTES || body[0] != 0x0a || body[1] != SEAL_CHAIN_BYTES ||
	    body[2 + SEAL_CHAIN_BYTES] != 0x12 || body[3 + SEAL_CHAIN_BYTES] != SEAL_SIG_BYTES)
		return -EPROTO;
	if (memcmp(body + 2, c->h, SEAL_CHAIN_BYTES))
		return -ESPIPE;
	uint8_t m[MSG_BYTES];
	signed_message(c, m);
	if (crypto_sign_verify_detached(body + 4 + SEAL_CHAIN_BYTES, m, sizeof(m), pub) != 0)
		return -EBADMSG;
	return 0;
}

int seal_keygen(struct seal_signer *s)
{
	if (sodium_init() < 0)
		return -1;
	return crypto_sign_keypair(s->pub, s->sk) == 0 ? 0 : -1;
}

int seal_from_seed(struct seal_signer *s, const uint8_t seed[SEAL_SEED_BYTES])
{
	if (sodium_init() < 0)
		return -1;
	return crypto_sign_seed_keypair(s->pub, s->sk, seed) == 0 ? 0 : -1;
}

static const char pub_word[] = "sperrips-ed25519-public";
static const char sec_word[] = "sperrips-ed25519-secret";

static void format_key(const char *word, const uint8_t *k, size_t n, char *out, size_t outlen)
{
	char hex[2 * 32 + 1];
	sodium_bin2hex(hex, sizeof(hex), k, n);
	snprintf(out, outlen, "%s %s\n", word, hex);
	sodium_memzero(hex, sizeof(hex));
}

void seal_format_public(const uint8_t pub[SEAL_PUBLIC_BYTES], char *out, size_t outlen)
{
	format_key(pub_word, pub, SEAL_PUBLIC_BYTES, out, outlen);
}

void seal_format_secret(const struct seal_signer *s, char *out, size_t outlen)
{
	/* libsodium's secret key starts with the seed */
	format_key(sec_word, s->sk, SEAL_SEED_BYTES, out, outlen);
}

/* Read a key file: `word`, one space, 64 hex digits, an optional newline,
 * nothing else. 0, -errno, -EINVAL, or -EPERM if it is the other kind. */
static int read_key(const char *path, const char *word, const char *other, uint8_t out[32])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	char buf[160];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	int e = errno;
	close(fd);
	if (n < 0)
		return -e;
	buf[n] = 0;
	int rc = -EINVAL;
	size_t w = strlen(word);
	if (!strncmp(buf, other, strlen(other)))
		rc = -EPERM;
	else if ((size_t)n >= w + 1 + 64 && !strncmp(buf, word, w) && buf[w] == ' ' &&
		 ((size_t)n == w + 65 || ((size_t)n == w + 66 && buf[w + 65] == '\n'))) {
		size_t got = 0;
		const char *end = NULL;
		if (sodium_hex2bin(out, 32, buf + w + 1, 64, NULL, &got, &end) == 0 && got == 32 &&
		    end == buf + w + 65)
			rc = 0;
	}
	sodium_memzero(buf, sizeof(buf));
	return rc;
}

int seal_read_public(const char *path, uint8_t pub[SEAL_PUBLIC_BYTES])
{
	return read_key(path, pub_word, sec_word, pub);
}

int seal_read_secret(const char *path, struct seal_signer *s)
{
	uint8_t seed[SEAL_SEED_BYTES];
	int rc = read_key(path, sec_word, pub_word, seed);
	if (rc == 0 && seal_from_seed(s, seed) < 0)
		rc = -EINVAL;
	sodium_memzero(seed, sizeof(seed));
	return rc;
}

void seal_fingerprint(const uint8_t pub[SEAL_PUBLIC_BYTES], char out[17])
{
	sodium_bin2hex(out, 17, pub, 8);
}
