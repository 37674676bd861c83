/* Signed recordings (src/format/seal.h): the chain against values computed
 * with Python's hashlib (blake2b, an implementation of its own), Ed25519
 * against RFC 8032, the seal and the key files; then a signed recording
 * written by the writer and read back, and every single-byte change of it
 * refused by the reader with the offset of the record it falls in. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "format/seal.h"
#include "format/tracefile.h"

#include "unit_tmpdir.h"

static void unhex(const char *h, uint8_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

/* python3: hashlib.blake2b(b"sperrips chain v1", digest_size=32) */
static const char h0_hex[] = "6c2259e9489f4da2f5104c5c3c0a9fb66e18da505b9abdd9abdb7ff9a8dff0c4";
/* blake2b(b"\x12\x03abc", key=h0, digest_size=32), then of b"" keyed with that */
static const char h1_hex[] = "88bbfde1cf69539258db7969082313702c69bee39784c1151cd0b710fc9da2c9";
static const char h2_hex[] = "4f43483e6cef51873009494ee792d2a3ba6ee6c635b4696eaae876c22be52430";

static void chain_matches_blake2b(void **state)
{
	(void)state;
	uint8_t want[32], field[SEAL_CHECK_FIELD];
	struct seal_chain *c = seal_chain_new();
	assert_non_null(c);
	unhex(h0_hex, want, 32);
	assert_memory_equal(c->h, want, 32);
	/* a record fed in pieces hashes as its bytes in one */
	seal_chain_feed(c, "\x12", 1);
	seal_chain_feed(c, "\x03" "a", 2);
	seal_chain_feed(c, "bc", 2);
	seal_chain_end(c, field);
	unhex(h1_hex, want, 32);
	assert_memory_equal(c->h, want, 32);
	assert_int_equal(field[0], 0x85); /* (16 << 3) | 5, a two-byte varint */
	assert_int_equal(field[1], 0x01);
	assert_memory_equal(field + 2, want, SEAL_CHECK_BYTES);
	assert_int_equal(c->records, 1);
	seal_chain_end(c, field); /* an empty record is still a link */
	unhex(h2_hex, want, 32);
	assert_memory_equal(c->h, want, 32);
	free(c);

	/* the reader's side: the same bytes check, others do not */
	c = seal_chain_new();
	seal_chain_feed(c, "\x12\x03" "abc", 5);
	unhex(h1_hex, want, 32);
	assert_int_equal(seal_chain_check(c, want), 0);
	seal_chain_feed(c, "x", 1);
	assert_int_equal(seal_chain_check(c, want), -1);
	free(c);
	c = seal_chain_new();
	seal_chain_feed(c, "\x12\x03" "abd", 5);
	assert_int_equal(seal_chain_check(c, want), -1);
	free(c);
}

/* RFC 8032, 7.1, test 1: the key pair of a seed. */
static void key_pair_of_seed(void **state)
{
	(void)state;
	uint8_t seed[32], pub[32];
	unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", seed, 32);
	unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", pub, 32);
	struct seal_signer s;
	assert_int_equal(seal_from_seed(&s, seed), 0);
	assert_memory_equal(s.pub, pub, 32);
	char fp[17];
	seal_fingerprint(pub, fp);
	assert_string_equal(fp, "d75a980182b10ab7");
}

static void seal_verifies_and_refuses(void **state)
{
	(void)state;
	struct seal_signer s, other;
	assert_int_equal(seal_keygen(&s), 0);
	assert_int_equal(seal_keygen(&other), 0);
	struct seal_chain *c = seal_chain_new();
	uint8_t field[SEAL_CHECK_FIELD], body[SEAL_BODY_BYTES];
	seal_chain_feed(c, "record", 6);
	seal_chain_end(c, field);
	seal_make(c, &s, body);
	assert_int_equal(body[0], 0x0a);
	assert_int_equal(body[1], 32);
	assert_memory_equal(body + 2, c->h, 32);
	assert_int_equal(body[34], 0x12);
	assert_int_equal(body[35], 64);
	assert_int_equal(seal_verify(c, s.pub, body, sizeof(body)), 0);
	assert_int_equal(seal_verify(c, other.pub, body, sizeof(body)), -EBADMSG);
	assert_int_equal(seal_verify(c, s.pub, body, sizeof(body) - 1), -EPROTO);
	for (size_t i = 0; i < sizeof(body); i++) {
		body[i] ^= 0x20;
		int e = seal_verify(c, s.pub, body, sizeof(body));
		body[i] ^= 0x20;
		assert_int_equal(e, i < 2 || i == 34 || i == 35 ? -EPROTO : i < 34 ? -ESPIPE : -EBADMSG);
	}
	/* a chain one record longer: the seal is not its */
	seal_chain_end(c, field);
	assert_int_equal(seal_verify(c, s.pub, body, sizeof(body)), -ESPIPE);
	free(c);
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void key_files(void **state)
{
	(void)state;
	struct seal_signer s, back;
	uint8_t pub[32];
	char text[160];
	assert_int_equal(seal_keygen(&s), 0);
	seal_format_secret(&s, text, sizeof(text));
	assert_int_equal(strlen(text), strlen("sperrips-ed25519-secret ") + 64 + 1);
	assert_memory_equal(text, "sperrips-ed25519-secret ", 24);
	write_text(path_in("k.key"), text);
	seal_format_public(s.pub, text, sizeof(text));
	assert_memory_equal(text, "sperrips-ed25519-public ", 24);
	write_text(path_in("k.pub"), text);
	assert_int_equal(seal_read_secret(path_in("k.key"), &back), 0);
	assert_memory_equal(back.pub, s.pub, 32);
	assert_memory_equal(back.sk, s.sk, 64);
	assert_int_equal(seal_read_public(path_in("k.pub"), pub), 0);
	assert_memory_equal(pub, s.pub, 32);
	/* the wrong kind, a missing file, garbage */
	assert_int_equal(seal_read_public(path_in("k.key"), pub), -EPERM);
	assert_int_equal(seal_read_secret(path_in("k.pub"), &back), -EPERM);
	assert_int_equal(seal_read_public(path_in("none.pub"), pub), -ENOENT);
	text[strlen(text) - 1] = 0; /* without the newline: still one */
	write_text(path_in("n.pub"), text);
	assert_int_equal(seal_read_public(path_in("n.pub"), pub), 0);
	strcat(text, "\nmore\n");
	write_text(path_in("j.pub"), text);
	assert_int_equal(seal_read_public(path_in("j.pub"), pub), -EINVAL);
	write_text(path_in("s.pub"), "sperrips-ed25519-public 00ff");
	assert_int_equal(seal_read_public(path_in("s.pub"), pub), -EINVAL);
	write_text(path_in("x.pub"), "sperrips-ed25519-public "
				     "zz5a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a\n");
	assert_int_equal(seal_read_public(path_in("x.pub"), pub), -EINVAL);
	write_text(path_in("e.pub"), "");
	assert_int_equal(seal_read_public(path_in("e.pub"), pub), -EINVAL);
}

/* ---- a signed recording, written and read back ---- */

static struct tf_meta meta_of(char **argv, size_t argc)
{
	struct tf_meta m = { 0 };
	m.version = "sperrips test";
	m.argv = argv;
	m.argc = argc;
	m.job_name = "seal";
	return m;
}

/* Syscall i: write(1, BYTES, n), the bytes of a size that takes the
 * writer's every path: a few bytes, and 100 KiB written straight from
 * the event (past its buffer). */
static void build_event(struct sp_event *ev, int i, uint8_t *big, size_t big_len)
{
	event_reset(ev);
	ev->tid = 77;
	ev->seq = (uint64_t)i + 1;
	if (i == 2) {
		ev->is_signal = true;
		ev->sig.signo = 17;
		return;
	}
	ev->nr = 1;
	ev->nargs = 3;
	size_t n = i == 3 ? big_len : (size_t)i + 3;
	ev->entry[0] = (struct sp_arg){ .kind = K_INT, .value = 1 };
	ev->entry[1] = (struct sp_arg){ .kind = K_VOID_PTR_FOLLOW, .ptr = 0x1000, .flags = SP_HAS_PTR | SP_HAS_BUF,
					.buf = { big, n } };
	ev->entry[2] = (struct sp_arg){ .kind = K_SIZE_T, .value = n };
	for (int k = 0; k < 3; k++)
		ev->exit[k] = ev->entry[k];
	ev->returned = true;
	ev->ret = (struct sp_arg){ .kind = K_SIGNED_INT, .value = n };
}

#define N_ITEMS 5

/* A signed recording of N_ITEMS records (one a signal) with `s`. Returns
 * its size. */
static size_t write_signed(const char *path, const struct seal_signer *s, size_t big_len)
{
	char *argv[] = { "/bin/echo", "hi" };
	struct tf_meta m = meta_of(argv, 2);
	uint8_t *big = malloc(big_len);
	assert_non_null(big);
	for (size_t i = 0; i < big_len; i++)
		big[i] = (uint8_t)(i * 7);
	struct tf_writer *w = tf_writer_open(path);
	assert_non_null(w);
	assert_int_equal(tf_writer_sign(w, s), 0);
	assert_int_equal(tf_write_header(w, &m), 0);
	assert_int_equal(tf_writer_sign(w, s), -EINVAL); /* too late: the chain started */
	struct arena a;
	arena_init(&a, 1 << 16);
	struct sp_event ev = { .arena = &a };
	for (int i = 0; i < N_ITEMS; i++) {
		build_event(&ev, i, big, big_len);
		assert_int_equal(ev.is_signal ? tf_write_signal(w, &ev) : tf_write_event(w, &ev), 0);
	}
	m.number_of_syscalls = N_ITEMS - 1;
	m.number_of_signals = 1;
	assert_int_equal(tf_write_trailer(w, &m), 0);
	assert_int_equal(tf_writer_close(w), 0);
	arena_free(&a);
	free(big);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return (size_t)st.st_size;
}

/* Read `path` to its end: 0 if it reads whole and sealed, else -1 with the
 * reason in `why`. */
static int read_all(const char *path, char *why, size_t len, int *events)
{
	struct tf_reader *r = tf_open(path, why, len);
	if (!r)
		return -1;
	struct arena a;
	arena_init(&a, 1 << 16);
	struct sp_event ev = { .arena = &a };
	int k, n = 0;
	while ((k = tf_next_event(r, &ev)) == 1)
		n++;
	int rc = 0;
	if (k < 0)
		snprintf(why, len, "%s", tf_error(r)), rc = -1;
	else if (tf_incomplete(r))
		snprintf(why, len, "%s", tf_incomplete(r)), rc = -1;
	else if (!tf_sealed(r))
		snprintf(why, len, "not sealed"), rc = -1;
	if (events)
		*events = n;
	arena_free(&a);
	tf_close(r);
	return rc;
}

static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct stat st;
	assert_int_equal(fstat(fileno(f), &st), 0);
	uint8_t *b = malloc((size_t)st.st_size + 1);
	assert_non_null(b);
	assert_int_equal(fread(b, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	*n = (size_t)st.st_size;
	return b;
}

/* The records of a signed file: where each starts (with its check after
 * it); the seal last. Returns how many. */
static int spans(const uint8_t *b, size_t n, size_t *start, int max)
{
	int k = 0;
	for (size_t pos = 0; pos < n && k < max;) {
		start[k++] = pos;
		size_t p = pos;
		uint64_t tag = 0, len = 0;
		for (int sh = 0;; sh += 7) {
			tag |= (uint64_t)(b[p] & 0x7f) << sh;
			if (!(b[p++] & 0x80))
				break;
		}
		for (int sh = 0;; sh += 7) {
			len |= (uint64_t)(b[p] & 0x7f) << sh;
			if (!(b[p++] & 0x80))
				break;
		}
		pos = p + len;
		if (tag != SEAL_TAG_SEAL) {
			assert_int_equal(b[pos], 0x85);
			assert_int_equal(b[pos + 1], 0x01);
			pos += SEAL_CHECK_FIELD;
		}
	}
	return k;
}

static void signed_file_reads_back(void **state)
{
	(void)state;
	struct seal_signer s;
	assert_int_equal(seal_keygen(&s), 0);
	const char *path = path_in("signed.bin");
	write_signed(path, &s, 100 << 10);
	char err[512];
	struct tf_reader *r = tf_open(path, err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	assert_non_null(tf_signer(r));
	assert_memory_equal(tf_signer(r), s.pub, 32);
	assert_int_equal(tf_verify_signer(r, s.pub, "k.pub", err, sizeof(err)), 0);
	struct seal_signer other;
	assert_int_equal(seal_keygen(&other), 0);
	assert_int_equal(tf_verify_signer(r, other.pub, "o.pub", err, sizeof(err)), -1);
	char want[300], a[17], b[17];
	seal_fingerprint(s.pub, a);
	seal_fingerprint(other.pub, b);
	snprintf(want, sizeof(want), "bad record at byte 0: signed by key %s, not by o.pub (key %s)", a, b);
	assert_string_equal(err, want);
	assert_false(tf_sealed(r));
	assert_int_equal(tf_validate(r), 0);
	assert_true(tf_sealed(r));
	assert_null(tf_incomplete(r));
	assert_int_equal(tf_count(r), N_ITEMS - 1);
	assert_int_equal(tf_count_signals(r), 1);
	tf_close(r);
	int n;
	assert_int_equal(read_all(path, err, sizeof(err), &n), 0);
	assert_int_equal(n, N_ITEMS);

	/* tf_next_raw (replay's queues) checks as it reads too */
	r = tf_open(path, err, sizeof(err));
	struct tf_raw raw;
	n = 0;
	while (tf_next_raw(r, &raw) == 1) {
		free(raw.data);
		n++;
	}
	assert_int_equal(n, N_ITEMS);
	assert_true(tf_sealed(r));
	tf_close(r);
}

/* An unsigned recording: no signer; --verify refuses it at byte 0. */
static void unsigned_file_has_no_signer(void **state)
{
	(void)state;
	const char *path = path_in("unsigned.bin");
	char *argv[] = { "/bin/true" };
	struct tf_meta m = meta_of(argv, 1);
	struct tf_writer *w = tf_writer_open(path);
	assert_int_equal(tf_write_header(w, &m), 0);
	assert_int_equal(tf_write_trailer(w, &m), 0);
	assert_int_equal(tf_writer_close(w), 0);
	char err[512];
	struct tf_reader *r = tf_open(path, err, sizeof(err));
	assert_non_null(r);
	assert_null(tf_signer(r));
	uint8_t key[32] = { 1 };
	assert_int_equal(tf_verify_signer(r, key, "k.pub", err, sizeof(err)), -1);
	assert_string_equal(err, "bad record at byte 0: the header names no signer (not a signed recording; "
				 "--verify k.pub wants key 0100000000000000)");
	tf_origin_note(r, err, sizeof(err));
	assert_string_equal(err, "note: the recording is not signed: its origin is unchecked");
	assert_int_equal(tf_validate(r), 0);
	assert_false(tf_sealed(r));
	tf_close(r);
}

static void write_bytes_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

static int first_offset(const char *why)
{
	const char *p = strstr(why, "at byte ");
	assert_non_null(p);
	return atoi(p + 8);
}

/* Every byte of a signed recording changed (three ways), one at a time:
 * refused, naming the record (with its check) the byte is in. */
static void every_changed_byte_is_refused(void **state)
{
	(void)state;
	struct seal_signer s;
	assert_int_equal(seal_keygen(&s), 0);
	const char *path = path_in("flip-src.bin"), *bad = path_in("flip.bin");
	write_signed(path, &s, 300);
	size_t n;
	uint8_t *b = slurp(path, &n);
	size_t start[N_ITEMS + 4];
	int k = spans(b, n, start, N_ITEMS + 4);
	assert_int_equal(k, N_ITEMS + 3); /* header, items, trailer, seal */
	static const uint8_t masks[] = { 0x01, 0x80, 0xff };
	char why[512];
	for (size_t i = 0; i < n; i++)
		for (size_t m = 0; m < sizeof(masks); m++) {
			b[i] ^= masks[m];
			write_bytes_file(bad, b, n);
			b[i] ^= masks[m];
			if (read_all(bad, why, sizeof(why), NULL) == 0)
				fail_msg("byte %zu ^ %#x: read as sealed", i, masks[m]);
			int at = 0;
			while (at + 1 < k && start[at + 1] <= i)
				at++;
			if (first_offset(why) != (int)start[at])
				fail_msg("byte %zu ^ %#x: %s (the record starts at %zu)", i, masks[m], why, start[at]);
		}
	free(b);
}

/* The file with the bytes [from, to) taken out and `ins` put in at `at`
 * (an offset in the original), read: the reason it is refused. */
static const char *refusal(const uint8_t *b, size_t n, size_t from, size_t to, const uint8_t *ins, size_t ins_len,
			   size_t at)
{
	static char why[512];
	uint8_t *o = malloc(n + ins_len);
	assert_non_null(o);
	size_t len = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == at && ins_len) {
			memcpy(o + len, ins, ins_len);
			len += ins_len;
		}
		if (i < n && (i < from || i >= to))
			o[len++] = b[i];
	}
	const char *bad = path_in("edit.bin");
	write_bytes_file(bad, o, len);
	free(o);
	if (read_all(bad, why, sizeof(why), NULL) == 0)
		fail_msg("an edited file read as sealed");
	return why;
}

/* A record removed (with its check or without), two swapped, the trailer
 * or the seal cut, bytes after the seal: each refused at the exact record. */
static void removed_moved_cut(void **state)
{
	(void)state;
	struct seal_signer s;
	assert_int_equal(seal_keygen(&s), 0);
	const char *path = path_in("edit-src.bin");
	write_signed(path, &s, 300);
	size_t n;
	uint8_t *b = slurp(path, &n);
	size_t st[N_ITEMS + 4];
	int k = spans(b, n, st, N_ITEMS + 4);
	assert_int_equal(k, N_ITEMS + 3);
	char want[200];
	/* records 1..N_ITEMS are the items; k-2 the trailer, k-1 the seal */
	snprintf(want, sizeof(want), "bad record at byte %zu: it fails its check (changed, or a record before it "
		 "removed or moved)", st[2]);
	assert_string_equal(refusal(b, n, st[2], st[3], NULL, 0, 0), want);
	/* the record alone, its check left: a check where a record starts */
	snprintf(want, sizeof(want), "bad record at byte %zu: a check value where a record should start", st[2]);
	assert_string_equal(refusal(b, n, st[2], st[3] - SEAL_CHECK_FIELD, NULL, 0, 0), want);
	/* items 2 and 3 swapped (3 put before 2) */
	snprintf(want, sizeof(want), "bad record at byte %zu: it fails its check (changed, or a record before it "
		 "removed or moved)", st[2]);
	assert_string_equal(refusal(b, n, st[3], st[4], b + st[3], st[4] - st[3], st[2]), want);
	/* a record repeated */
	snprintf(want, sizeof(want), "bad record at byte %zu: it fails its check (changed, or a record before it "
		 "removed or moved)", st[3]);
	assert_string_equal(refusal(b, n, 0, 0, b + st[2], st[3] - st[2], st[3]), want);
	/* cut before the trailer, before the seal, inside the seal */
	snprintf(want, sizeof(want), "bad record at byte %zu: the signed recording ends there, without its trailer "
		 "and seal", st[k - 2]);
	assert_string_equal(refusal(b, n, st[k - 2], n, NULL, 0, 0), want);
	snprintf(want, sizeof(want), "bad record at byte %zu: the signed recording ends there, without its seal",
		 st[k - 1]);
	assert_string_equal(refusal(b, n, st[k - 1], n, NULL, 0, 0), want);
	snprintf(want, sizeof(want), "bad seal at byte %zu: the file ends inside the seal", st[k - 1]);
	assert_string_equal(refusal(b, n, n - 1, n, NULL, 0, 0), want);
	/* a record (with its check) put after the seal */
	snprintf(want, sizeof(want), "bytes after the seal at byte %zu (the seal ends a signed recording)", n);
	assert_string_equal(refusal(b, n, 0, 0, b + st[1], st[2] - st[1], n), want);
	free(b);
}

/* Someone without the key changes a record and makes every check after it
 * again (the chain is no secret): the signature alone is left to catch
 * it, at the seal. */
static void recomputed_chain_fails_the_signature(void **state)
{
	(void)state;
	struct seal_signer s;
	assert_int_equal(seal_keygen(&s), 0);
	const char *path = path_in("forge-src.bin");
	write_signed(path, &s, 300);
	size_t n;
	uint8_t *b = slurp(path, &n);
	size_t st[N_ITEMS + 4];
	int k = spans(b, n, st, N_ITEMS + 4);
	b[st[4] + 100] ^= 1; /* inside the 300 bytes written by item 3 */
	struct seal_chain *c = seal_chain_new();
	for (int i = 0; i < k - 1; i++) {
		size_t end = st[i + 1] - SEAL_CHECK_FIELD;
		seal_chain_feed(c, b + st[i], end - st[i]);
		seal_chain_end(c, b + end);
	}
	const char *bad = path_in("forged.bin");
	char why[512], want[200];
	write_bytes_file(bad, b, n);
	snprintf(want, sizeof(want), "bad seal at byte %zu: the seal's chain value is not the records' (a record "
		 "changed and the checks after it made again)", st[k - 1]);
	assert_int_equal(read_all(bad, why, sizeof(why), NULL), -1);
	assert_string_equal(why, want);
	/* and with the seal's chain value made again too */
	memcpy(b + st[k - 1] + 5, c->h, 32); /* after the seal's tag (2), length, and chain's tag and length */
	write_bytes_file(bad, b, n);
	snprintf(want, sizeof(want), "bad seal at byte %zu: the signature is not the header's signer's", st[k - 1]);
	assert_int_equal(read_all(bad, why, sizeof(why), NULL), -1);
	assert_string_equal(why, want);
	free(c);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chain_matches_blake2b),
		cmocka_unit_test(key_pair_of_seed),
		cmocka_unit_test(seal_verifies_and_refuses),
		cmocka_unit_test(key_files),
		cmocka_unit_test(signed_file_reads_back),
		cmocka_unit_test(unsigned_file_has_no_signer),
		cmocka_unit_test(every_changed_byte_is_refused),
		cmocka_unit_test(removed_moved_cut),
		cmocka_unit_test(recomputed_chain_fails_the_signature),
	};
	return cmocka_run_group_tests_name("seal", tests, setup_dir, teardown_dir);
}
