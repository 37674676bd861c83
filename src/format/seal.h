/* Tamper evidence of a recording (issue 12): a hash chain over its records
 * and an Ed25519 signature over the chain's last value.
 *
 * A signed recording's header (its first metadata field) names the
 * signer's public key (Metadata.signer). From there on every record (each
 * top-level field: the header, a syscall, a signal, the trailer) is chained
 * to the one before it by BLAKE2b-256, over its exact bytes as in the file
 * (tag, length and body):
 *
 *     h_0 = BLAKE2b-256("sperrips chain v1")
 *     h_i = BLAKE2b-256(key = h_(i-1), message = record_i)
 *
 * and followed by a check field (Recording.check, field 16, fixed32): the
 * first 4 bytes of h_i. After the trailer's check comes the seal
 * (Recording.seal, field 17): the last chain value and the signature of
 * "sperrips seal v1\0" || h_n. The check fields say where a record was
 * changed, removed or moved (the first one whose check fails); the
 * signature says that the whole chain, header first, is the signer's.
 * Neither is part of the chain. */
#ifndef SPERRIPS_SEAL_H
#define SPERRIPS_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#define SEAL_PUBLIC_BYTES 32
#define SEAL_SEED_BYTES 32
#define SEAL_SECRET_BYTES 64 /* libsodium's: the seed, then the public key */
#define SEAL_CHAIN_BYTES 32
#define SEAL_CHECK_BYTES 4
#define SEAL_SIG_BYTES 64

/* Top-level tags: (field << 3) | wire type. Numbers from 16 up, as
 * format.md asks of our fields (never one the prototype may have): each
 * tag is a two-byte varint, the low 7 bits with 0x80, then 0x01. */
#define SEAL_TAG_CHECK 0x85 /* Recording.check, field 16, fixed32: 0x85 0x01 */
#define SEAL_TAG_SEAL 0x8a  /* Recording.seal, field 17, length-delimited: 0x8a 0x01 */
#define SEAL_TAG_BYTES 2
/* A check field as written: its tag and the 4 bytes. */
#define SEAL_CHECK_FIELD (SEAL_TAG_BYTES + SEAL_CHECK_BYTES)
/* The seal's body: chain (field 1) and signature (field 2), in this
 * order and nothing else (a reader takes no other layout). */
#define SEAL_BODY_BYTES (2 + SEAL_CHAIN_BYTES + 2 + SEAL_SIG_BYTES)

/** The running chain: the last value and the hash of the record being read
 *  or written. */
struct seal_chain {
	uint8_t h[SEAL_CHAIN_BYTES];
	uint64_t records;     /* records chained so far */
	crypto_generichash_state st;
};

/** A signing key: the public half and libsodium's secret key. */
struct seal_signer {
	uint8_t pub[SEAL_PUBLIC_BYTES];
	uint8_t sk[SEAL_SECRET_BYTES];
};

/** A new chain at h_0, ready for the first record (aligned as libsodium's
 *  state must be; free with free()). NULL if out of memory or libsodium
 *  cannot start. */
struct seal_chain *seal_chain_new(void);
/** Add bytes of the current record. */
void seal_chain_feed(struct seal_chain *c, const void *p, size_t n);
/** The current record is complete: move to h_i and put its check field
 *  (tag and 4 bytes, SEAL_CHECK_FIELD bytes) into `field`. */
void seal_chain_end(struct seal_chain *c, uint8_t field[SEAL_CHECK_FIELD]);
/** Reader's side of seal_chain_end: 0 if `check` (the 4 bytes after the
 *  tag) is the one of the record just fed, -1 if not (the chain moves on
 *  either way). */
int seal_chain_check(struct seal_chain *c, const uint8_t check[SEAL_CHECK_BYTES]);

/** The seal after the last record: its body (SEAL_BODY_BYTES). */
void seal_make(const struct seal_chain *c, const struct seal_signer *s, uint8_t body[SEAL_BODY_BYTES]);
/** Check a seal's body against the chain read and the header's key.
 *  0; -EPROTO if the body is not laid out as seal_make writes it;
 *  -ESPIPE if its chain value is not the one read (a record changed and
 *  every check after it made again); -EBADMSG if the signature is not
 *  the key's. */
int seal_verify(const struct seal_chain *c, const uint8_t pub[SEAL_PUBLIC_BYTES], const uint8_t *body,
		size_t len);

/** A new random key pair. 0 or -1. */
int seal_keygen(struct seal_signer *s);
/** The key pair of a seed (what a secret key file holds). */
int seal_from_seed(struct seal_signer *s, const uint8_t seed[SEAL_SEED_BYTES]);

/* Key files: one line each, "sperrips-ed25519-public HEX" (32 bytes) and
 * "sperrips-ed25519-secret HEX" (the 32-byte seed). */

/** The text of a public / secret key file. `out` holds at least 128 bytes. */
void seal_format_public(const uint8_t pub[SEAL_PUBLIC_BYTES], char *out, size_t outlen);
void seal_format_secret(const struct seal_signer *s, char *out, size_t outlen);
/** Read a public key file. 0, -errno if it cannot be read, -EINVAL if it
 *  is not a public key file (a secret key file given by mistake: -EPERM). */
int seal_read_public(const char *path, uint8_t pub[SEAL_PUBLIC_BYTES]);
/** Read a secret key file. 0, -errno, -EINVAL if it is not one (a public
 *  key file: -EPERM). */
int seal_read_secret(const char *path, struct seal_signer *s);
/** A short fingerprint of a public key for messages: its first 8 bytes in
 *  hex (17 bytes with the NUL). */
void seal_fingerprint(const uint8_t pub[SEAL_PUBLIC_BYTES], char out[17]);

#endif
