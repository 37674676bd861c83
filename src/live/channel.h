/* The live link between `record --to` and `serve` (issue 14): frames on a
 * TCP connection, a handshake in which both sides prove their Ed25519
 * identity (the keys of `sperrips keygen`), then one libsodium
 * secretstream (XChaCha20-Poly1305) per direction. No crypto of our own:
 * libsodium's crypto_kx makes the session keys, crypto_sign proves who
 * made the ephemeral kx keys, crypto_secretstream seals every frame (an
 * altered, dropped, reordered or replayed frame fails to open).
 *
 * Framing: an 8-byte big-endian length, then that many bytes. A length
 * above LIVE_FRAME_MAX is refused before anything is allocated (a 2^40
 * prefix is garbage or an attack, never a frame).
 *
 * Handshake (plaintext frames, the first byte is the kind):
 *   C -> S  'H' magic(16) C_id(32) C_kx(32)
 *   S -> C  'H' S_id(32) S_kx(32) sig_S(T("server"))   or 'R' reason
 *   C -> S  'H' sig_C(T("client"))                     or 'R' reason
 *   S -> C  'S' S's secretstream header                or 'R' reason
 *   C -> S  'S' C's secretstream header
 * where T(role) = "sperrips-live-1 " role || C_id || C_kx || S_id || S_kx:
 * each side signs both ephemeral keys, so neither can be replayed into
 * another session. A refusal carries a one-line reason the other side
 * prints. */
#ifndef SPERRIPS_LIVE_CHANNEL_H
#define SPERRIPS_LIVE_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

struct seal_signer;

/** The largest frame accepted or sent (its bytes after the length). */
#define LIVE_FRAME_MAX ((size_t)1 << 20)
/** Recording bytes per data message: well within a frame. */
#define LIVE_CHUNK ((size_t)256 << 10)
/** Bytes a sealed message adds to its payload: the kind and libsodium's. */
#define LIVE_OVERHEAD (1 + crypto_secretstream_xchacha20poly1305_ABYTES)

/** What a sealed message is. */
enum live_kind {
	LIVE_DATA = 'D',      /* recorder -> verifier: the next bytes of the recording */
	LIVE_END = 'E',       /* recorder -> verifier: the recording is whole (8 bytes: its size) */
	LIVE_FIRST = 'F',     /* verifier -> recorder: the first unacceptable difference (text) */
	LIVE_KEEPALIVE = 'K', /* verifier -> recorder: still replaying */
	LIVE_VERDICT = 'V',   /* verifier -> recorder: status byte, then the verdict's text */
};

/** One end of a link. */
struct live_chan {
	int fd;
	int timeout_ms;       /* the longest wait for one frame to come or go */
	bool keyed;           /* the handshake is done: frames are sealed */
	uint8_t peer[32];     /* the peer's Ed25519 key, once it proved it */
	crypto_secretstream_xchacha20poly1305_state tx, rx;
	uint8_t *frame;       /* LIVE_FRAME_MAX: the frame as received */
	uint8_t *plain;       /* LIVE_FRAME_MAX: the message opened */
	char err[256];        /* the last failure, one line */
};

/** Set up `c` on the connected socket `fd` (owned by `c` from then on).
 *  0 or -ENOMEM. */
int live_chan_init(struct live_chan *c, int fd, int timeout_ms);
/** Close the socket and free the buffers (the keys are wiped). */
void live_chan_close(struct live_chan *c);

/** Write one frame of `n` bytes (n <= LIVE_FRAME_MAX) within `timeout_ms`.
 *  0 or -errno (-ETIMEDOUT, -EPIPE...). */
int live_frame_write(int fd, const void *p, size_t n, int timeout_ms);
/** Read one frame into `buf` (room for `cap` bytes) within `timeout_ms`.
 *  Its length, or -ENODATA if the peer closed before a frame began,
 *  -ECONNRESET if it closed inside one, -ETIMEDOUT, -EMSGSIZE if the
 *  declared length (in *declared) is above `cap` (nothing more is read). */
long live_frame_read(int fd, uint8_t *buf, size_t cap, int timeout_ms, uint64_t *declared);

/** The recorder's handshake: prove `me`, accept only a verifier holding
 *  `server`. 0, or -1 with the reason in c->err. */
int live_handshake_client(struct live_chan *c, const struct seal_signer *me, const uint8_t server[32]);
/** The verifier's handshake: prove `me`, accept only a recorder whose key
 *  is one of the `n` in `allowed`. 0 (c->peer names it), or -1 with the
 *  reason in c->err. */
int live_handshake_server(struct live_chan *c, const struct seal_signer *me, const uint8_t (*allowed)[32],
			  size_t n);

/** Seal and send one message. 0, or -1 with the reason in c->err. */
int live_send(struct live_chan *c, enum live_kind kind, const void *p, size_t n);
/** Receive and open one message: its kind and bytes (valid until the next
 *  call). 1, 0 if the peer closed cleanly between messages, -1 with the
 *  reason in c->err (a frame that does not open, too long, cut, late). */
int live_recv(struct live_chan *c, enum live_kind *kind, const uint8_t **p, size_t *n);

/** "HOST:PORT" into a connected TCP socket (`timeout_ms` to connect).
 *  The descriptor, or -1 with a reason in `err`. */
int live_connect(const char *hostport, int timeout_ms, char *err, size_t errlen);
/** "ADDR:PORT" (ADDR may be empty or *: every address) into a listening
 *  socket. The descriptor, or -1 with a reason in `err`. */
int live_listen(const char *hostport, char *err, size_t errlen);
/** The port a listening socket got (for ADDR:0). */
int live_local_port(int fd);

#endif
