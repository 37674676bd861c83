/* The live link: framing, the authenticated handshake, sealed messages
 * (see channel.h for the protocol). */
#include "live/channel.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "format/seal.h"

#define MAGIC "sperrips-live-1"  /* 15 characters and its NUL: 16 bytes */
#define MAGIC_LEN 16
#define HELLO_C (1 + MAGIC_LEN + 32 + crypto_kx_PUBLICKEYBYTES)
#define HELLO_S (1 + 32 + crypto_kx_PUBLICKEYBYTES + crypto_sign_BYTES)
#define PROOF_C (1 + crypto_sign_BYTES)
#define HEADER_LEN (1 + crypto_secretstream_xchacha20poly1305_HEADERBYTES)
#define REASON_MAX 200

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Wait until `fd` is ready for `events` or the deadline passes. 0 or -errno. */
static int wait_fd(int fd, short events, uint64_t deadline)
{
	for (;;) {
		uint64_t now = now_ms();
		if (now >= deadline)
			return -ETIMEDOUT;
		struct pollfd p = { .fd = fd, .events = events };
		int k = poll(&p, 1, (int)(deadline - now));
		if (k > 0)
			return 0;
		if (k < 0 && errno != EINTR)
			return -errno;
	}
}

static int write_all(int fd, const uint8_t *p, size_t n, uint64_t deadline)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (k > 0) {
			p += k;
			n -= (size_t)k;
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno != EAGAIN)
			return -errno;
		int e = wait_fd(fd, POLLOUT, deadline);
		if (e)
			return e;
	}
	return 0;
}

/* Read exactly `n` bytes. 0, -ENODATA if the peer closed before the first,
 * -ECONNRESET if after it, or -errno. */
static int read_all(int fd, uint8_t *p, size_t n, uint64_t deadline)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = recv(fd, p + got, n - got, MSG_DONTWAIT);
		if (k > 0) {
			got += (size_t)k;
			continue;
		}
		if (k == 0)
			return got ? -ECONNRESET : -ENODATA;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		int e = wait_fd(fd, POLLIN, deadline);
		if (e)
			return e;
	}
	return 0;
}

int live_frame_write(int fd, const void *p, size_t n, int timeout_ms)
{
	if (n > LIVE_FRAME_MAX)
		return -EMSGSIZE;
	uint8_t len[8];
	for (int i = 0; i < 8; i++)
		len[i] = (uint8_t)((uint64_t)n >> (56 - 8 * i));
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;
	int e = write_all(fd, len, sizeof(len), deadline);
	return e ? e : write_all(fd, p, n, deadline);
}

long live_frame_read(int fd, uint8_t *buf, size_t cap, int timeout_ms, uint64_t *declared)
{
	uint8_t len[8];
	uint64_t deadline = now_ms() + (uint64_t)timeout_ms;
	int e = read_all(fd, len, sizeof(len), deadline);
	if (e)
		return e;
	uint64_t n = 0;
	for (int i = 0; i < 8; i++)
		n = n << 8 | len[i];
	if (declared)
		*declared = n;
	if (n > cap)
		return -EMSGSIZE;
	e = read_all(fd, buf, (size_t)n, deadline);
	if (e)
		return e == -ENODATA ? -ECONNRESET : e;
	return (long)n;
}

int live_chan_init(struct live_chan *c, int fd, int timeout_ms)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->timeout_ms = timeout_ms;
	c->frame = malloc(LIVE_FRAME_MAX);
	c->plain = malloc(LIVE_FRAME_MAX);
	if (!c->frame || !c->plain || sodium_init() < 0) {
		free(c->frame);
		free(c->plain);
		c->frame = c->plain = NULL;
		return -ENOMEM;
	}
	return 0;
}

void live_chan_close(struct live_chan *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	sodium_memzero(&c->tx, sizeof(c->tx));
	sodium_memzero(&c->rx, sizeof(c->rx));
	free(c->frame);
	free(c->plain);
	c->frame = c->plain = NULL;
}

/* A failure of the link itself, in words. */
static void link_error(struct live_chan *c, long e, uint64_t declared, const char *when)
{
	if (e == -ENODATA || e == -ECONNRESET)
		snprintf(c->err, sizeof(c->err), "the connection was closed %s", when);
	else if (e == -ETIMEDOUT)
		snprintf(c->err, sizeof(c->err), "no answer within %d s %s (stalled)", c->timeout_ms / 1000, when);
	else if (e == -EMSGSIZE)
		snprintf(c->err, sizeof(c->err), "a frame of %llu bytes announced %s, more than the %zu allowed: refused",
			 (unsigned long long)declared, when, LIVE_FRAME_MAX);
	else
		snprintf(c->err, sizeof(c->err), "%s %s", strerror((int)-e), when);
}

/* A handshake frame of exactly `want` bytes and kind `kind` (or a
 * refusal, whose reason goes into c->err). 0 or -1. */
static int hs_read(struct live_chan *c, uint8_t kind, size_t want, const char *when)
{
	uint64_t declared = 0;
	long n = live_frame_read(c->fd, c->frame, LIVE_FRAME_MAX < 4096 ? LIVE_FRAME_MAX : 4096, c->timeout_ms,
				 &declared);
	if (n < 0) {
		link_error(c, n, declared, when);
		return -1;
	}
	if (n >= 1 && c->frame[0] == 'R') {
		size_t len = (size_t)n - 1 < REASON_MAX ? (size_t)n - 1 : REASON_MAX;
		char reason[REASON_MAX + 1];
		for (size_t i = 0; i < len; i++) /* one printable line, whatever was sent */
			reason[i] = c->frame[1 + i] >= 0x20 && c->frame[1 + i] < 0x7f ? (char)c->frame[1 + i] : '?';
		reason[len] = 0;
		snprintf(c->err, sizeof(c->err), "refused by the peer: %s", reason);
		return -1;
	}
	if ((size_t)n != want || c->frame[0] != kind) {
		snprintf(c->err, sizeof(c->err), "not a sperrips live peer (unexpected %ld-byte message %s)", n, when);
		return -1;
	}
	return 0;
}

/* Tell the peer why, in one line (best effort: it may be gone). */
static void hs_refuse(struct live_chan *c, const char *reason)
{
	uint8_t f[1 + REASON_MAX];
	size_t n = strlen(reason) < REASON_MAX ? strlen(reason) : REASON_MAX;
	f[0] = 'R';
	memcpy(f + 1, reason, n);
	live_frame_write(c->fd, f, 1 + n, 2000);
}

/* T(role) of channel.h, signed or checked. */
static void transcript(uint8_t *t, size_t *len, const char *role, const uint8_t *cid, const uint8_t *ckx,
		       const uint8_t *sid, const uint8_t *skx)
{
	size_t n = 0;
	n += (size_t)sprintf((char *)t, "%s %s", MAGIC, role);
	memcpy(t + n, cid, 32), n += 32;
	memcpy(t + n, ckx, crypto_kx_PUBLICKEYBYTES), n += crypto_kx_PUBLICKEYBYTES;
	memcpy(t + n, sid, 32), n += 32;
	memcpy(t + n, skx, crypto_kx_PUBLICKEYBYTES), n += crypto_kx_PUBLICKEYBYTES;
	*len = n;
}

/* Both sides: send our stream header, read theirs. */
static int start_streams(struct live_chan *c, const uint8_t *rx_key, const uint8_t *tx_key, bool send_first)
{
	uint8_t h[HEADER_LEN];
	h[0] = 'S';
	crypto_secretstream_xchacha20poly1305_init_push(&c->tx, h + 1, tx_key);
	for (int step = 0; step < 2; step++) {
		if ((step == 0) == send_first) {
			int e = live_frame_write(c->fd, h, sizeof(h), c->timeout_ms);
			if (e) {
				link_error(c, e, 0, "during the handshake");
				return -1;
			}
		} else {
			if (hs_read(c, 'S', HEADER_LEN, "during the handshake") < 0)
				return -1;
			if (crypto_secretstream_xchacha20poly1305_init_pull(&c->rx, c->frame + 1, rx_key) != 0) {
				snprintf(c->err, sizeof(c->err), "the peer's stream header is not valid");
				return -1;
			}
		}
	}
	c->keyed = true;
	return 0;
}

int live_handshake_client(struct live_chan *c, const struct seal_signer *me, const uint8_t server[32])
{
	uint8_t kx_pk[crypto_kx_PUBLICKEYBYTES], kx_sk[crypto_kx_SECRETKEYBYTES];
	uint8_t rx[crypto_kx_SESSIONKEYBYTES], tx[crypto_kx_SESSIONKEYBYTES];
	uint8_t t[64 + 2 * 32 + 2 * crypto_kx_PUBLICKEYBYTES];
	size_t tlen;
	int rc = -1;
	crypto_kx_keypair(kx_pk, kx_sk);
	uint8_t hello[HELLO_C] = { 'H' };
	memcpy(hello + 1, MAGIC, MAGIC_LEN);
	memcpy(hello + 1 + MAGIC_LEN, me->pub, 32);
	memcpy(hello + 1 + MAGIC_LEN + 32, kx_pk, sizeof(kx_pk));
	int e = live_frame_write(c->fd, hello, sizeof(hello), c->timeout_ms);
	if (e) {
		link_error(c, e, 0, "before the handshake");
		goto out;
	}
	if (hs_read(c, 'H', HELLO_S, "during the handshake") < 0)
		goto out;
	const uint8_t *sid = c->frame + 1, *skx = c->frame + 1 + 32, *sig = c->frame + 1 + 32 + crypto_kx_PUBLICKEYBYTES;
	if (sodium_memcmp(sid, server, 32) != 0) {
		char got[17], want[17];
		seal_fingerprint(sid, got);
		seal_fingerprint(server, want);
		snprintf(c->err, sizeof(c->err), "the verifier's key is %s, not the expected %s: refused", got, want);
		hs_refuse(c, "the recorder expects another verifier key");
		goto out;
	}
	transcript(t, &tlen, "server", me->pub, kx_pk, sid, skx);
	if (crypto_sign_verify_detached(sig, t, tlen, server) != 0) {
		snprintf(c->err, sizeof(c->err), "the verifier's proof of its key does not verify: refused");
		hs_refuse(c, "your signature does not verify");
		goto out;
	}
	uint8_t skx_copy[crypto_kx_PUBLICKEYBYTES];
	memcpy(skx_copy, skx, sizeof(skx_copy));
	memcpy(c->peer, sid, 32);
	uint8_t proof[PROOF_C] = { 'H' };
	transcript(t, &tlen, "client", me->pub, kx_pk, server, skx_copy);
	crypto_sign_detached(proof + 1, NULL, t, tlen, me->sk);
	e = live_frame_write(c->fd, proof, sizeof(proof), c->timeout_ms);
	if (e) {
		link_error(c, e, 0, "during the handshake");
		goto out;
	}
	if (crypto_kx_client_session_keys(rx, tx, kx_pk, kx_sk, skx_copy) != 0) {
		snprintf(c->err, sizeof(c->err), "the verifier's exchange key is not acceptable");
		goto out;
	}
	rc = start_streams(c, rx, tx, false);
out:
	sodium_memzero(kx_sk, sizeof(kx_sk));
	sodium_memzero(rx, sizeof(rx));
	sodium_memzero(tx, sizeof(tx));
	return rc;
}

int live_handshake_server(struct live_chan *c, const struct seal_signer *me, const uint8_t (*allowed)[32],
			  size_t n_allowed)
{
	uint8_t kx_pk[crypto_kx_PUBLICKEYBYTES], kx_sk[crypto_kx_SECRETKEYBYTES];
	uint8_t rx[crypto_kx_SESSIONKEYBYTES], tx[crypto_kx_SESSIONKEYBYTES];
	uint8_t cid[32], ckx[crypto_kx_PUBLICKEYBYTES];
	uint8_t t[64 + 2 * 32 + 2 * crypto_kx_PUBLICKEYBYTES];
	size_t tlen;
	int rc = -1;
	crypto_kx_keypair(kx_pk, kx_sk);
	if (hs_read(c, 'H', HELLO_C, "before the handshake") < 0)
		goto out;
	if (memcmp(c->frame + 1, MAGIC, MAGIC_LEN) != 0) {
		snprintf(c->err, sizeof(c->err), "not a sperrips live recorder (bad greeting)");
		goto out;
	}
	memcpy(cid, c->frame + 1 + MAGIC_LEN, 32);
	memcpy(ckx, c->frame + 1 + MAGIC_LEN + 32, sizeof(ckx));
	bool known = false;
	for (size_t i = 0; i < n_allowed; i++)
		known |= sodium_memcmp(allowed[i], cid, 32) == 0;
	if (!known) {
		char fp[17];
		seal_fingerprint(cid, fp);
		snprintf(c->err, sizeof(c->err), "key %s is not allowed (serve --allow): refused", fp);
		char why[96];
		snprintf(why, sizeof(why), "your key %s is not allowed by this verifier", fp);
		hs_refuse(c, why);
		goto out;
	}
	uint8_t hello[HELLO_S] = { 'H' };
	memcpy(hello + 1, me->pub, 32);
	memcpy(hello + 1 + 32, kx_pk, sizeof(kx_pk));
	transcript(t, &tlen, "server", cid, ckx, me->pub, kx_pk);
	crypto_sign_detached(hello + 1 + 32 + sizeof(kx_pk), NULL, t, tlen, me->sk);
	int e = live_frame_write(c->fd, hello, sizeof(hello), c->timeout_ms);
	if (e) {
		link_error(c, e, 0, "during the handshake");
		goto out;
	}
	if (hs_read(c, 'H', PROOF_C, "during the handshake") < 0)
		goto out;
	transcript(t, &tlen, "client", cid, ckx, me->pub, kx_pk);
	if (crypto_sign_verify_detached(c->frame + 1, t, tlen, cid) != 0) {
		char fp[17];
		seal_fingerprint(cid, fp);
		snprintf(c->err, sizeof(c->err), "the recorder's proof of key %s does not verify: refused", fp);
		hs_refuse(c, "your proof of your key does not verify");
		goto out;
	}
	if (crypto_kx_server_session_keys(rx, tx, kx_pk, kx_sk, ckx) != 0) {
		snprintf(c->err, sizeof(c->err), "the recorder's exchange key is not acceptable: refused");
		hs_refuse(c, "your exchange key is not acceptable");
		goto out;
	}
	memcpy(c->peer, cid, 32);
	rc = start_streams(c, rx, tx, true);
out:
	sodium_memzero(kx_sk, sizeof(kx_sk));
	sodium_memzero(rx, sizeof(rx));
	sodium_memzero(tx, sizeof(tx));
	return rc;
}

int live_send(struct live_chan *c, enum live_kind kind, const void *p, size_t n)
{
	if (!c->keyed || n + LIVE_OVERHEAD > LIVE_FRAME_MAX) {
		snprintf(c->err, sizeof(c->err), "internal: message of %zu bytes cannot be sent", n);
		return -1;
	}
	c->plain[0] = (uint8_t)kind;
	if (n)
		memcpy(c->plain + 1, p, n);
	unsigned long long clen;
	crypto_secretstream_xchacha20poly1305_push(&c->tx, c->frame, &clen, c->plain, n + 1, NULL, 0,
						   crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
	int e = live_frame_write(c->fd, c->frame, (size_t)clen, c->timeout_ms);
	if (e) {
		link_error(c, e, 0, "while sending");
		return -1;
	}
	return 0;
}

int live_recv(struct live_chan *c, enum live_kind *kind, const uint8_t **p, size_t *n)
{
	uint64_t declared = 0;
	long len = live_frame_read(c->fd, c->frame, LIVE_FRAME_MAX, c->timeout_ms, &declared);
	if (len == -ENODATA)
		return 0;
	if (len < 0) {
		link_error(c, len, declared, "while receiving");
		return -1;
	}
	unsigned long long mlen;
	unsigned char tag;
	if ((size_t)len < LIVE_OVERHEAD ||
	    crypto_secretstream_xchacha20poly1305_pull(&c->rx, c->plain, &mlen, &tag, c->frame, (size_t)len, NULL, 0) !=
		    0 || mlen < 1) {
		snprintf(c->err, sizeof(c->err), "a frame of %ld bytes does not open (altered, replayed or garbage)", len);
		return -1;
	}
	*kind = (enum live_kind)c->plain[0];
	*p = c->plain + 1;
	*n = (size_t)mlen - 1;
	return 1;
}

/* Split "HOST:PORT" (HOST may be [v6]); host "" or "*" gives NULL. */
static int split_hostport(const char *s, char *host, size_t hostlen, char *port, size_t portlen)
{
	const char *colon = strrchr(s, ':');
	if (!colon || !colon[1] || strlen(colon + 1) >= portlen)
		return -1;
	size_t hl = (size_t)(colon - s);
	const char *h = s;
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']')
		h++, hl -= 2;
	if (hl >= hostlen)
		return -1;
	memcpy(host, h, hl);
	host[hl] = 0;
	snprintf(port, portlen, "%s", colon + 1);
	return 0;
}

int live_connect(const char *hostport, int timeout_ms, char *err, size_t errlen)
{
	char host[256], port[16];
	if (split_hostport(hostport, host, sizeof(host), port, sizeof(port)) < 0 || !host[0]) {
		snprintf(err, errlen, "%s: expected HOST:PORT", hostport);
		return -1;
	}
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res;
	int e = getaddrinfo(host, port, &hints, &res);
	if (e) {
		snprintf(err, errlen, "%s: %s", hostport, gai_strerror(e));
		return -1;
	}
	int fd = -1, last = 0;
	for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
		if (fd < 0) {
			last = errno;
			continue;
		}
		if (connect(fd, a->ai_addr, a->ai_addrlen) < 0 && errno != EINPROGRESS) {
			last = errno;
			close(fd);
			fd = -1;
			continue;
		}
		int w = wait_fd(fd, POLLOUT, now_ms() + (uint64_t)timeout_ms);
		int soerr = 0;
		socklen_t sl = sizeof(soerr);
		if (w || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0 || soerr) {
			last = w ? -w : soerr ? soerr : errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0) {
		snprintf(err, errlen, "cannot connect to %s: %s", hostport, strerror(last));
		return -1;
	}
	int one = 1;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int live_listen(const char *hostport, char *err, size_t errlen)
{
	char host[256], port[16];
	if (split_hostport(hostport, host, sizeof(host), port, sizeof(port)) < 0) {
		snprintf(err, errlen, "%s: expected ADDR:PORT", hostport);
		return -1;
	}
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE }, *res;
	int e = getaddrinfo(host[0] && strcmp(host, "*") ? host : NULL, port, &hints, &res);
	if (e) {
		snprintf(err, errlen, "%s: %s", hostport, gai_strerror(e));
		return -1;
	}
	int fd = -1, last = 0;
	for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0) {
			last = errno;
			continue;
		}
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, a->ai_addr, a->ai_addrlen) < 0 || listen(fd, 64) < 0) {
			last = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		snprintf(err, errlen, "cannot listen on %s: %s", hostport, strerror(last));
	return fd;
}

int live_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return -1;
}
