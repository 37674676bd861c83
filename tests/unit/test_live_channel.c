/* The live link (src/live/channel.h): framing with its size cap, the
 * handshake in which both sides prove their keys, sealed messages that
 * refuse a changed byte; and the writer's byte count the sender trusts
 * (tf_written: every byte of it is in the file). The peer runs in a child
 * process over a socketpair and reports what it saw through a pipe. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/event.h"
#include "format/seal.h"
#include "format/tracefile.h"
#include "live/channel.h"

static struct seal_signer srv, rec, other;

static int setup_keys(void **state)
{
	(void)state;
	uint8_t seed[32];
	memset(seed, 1, sizeof(seed));
	seal_from_seed(&srv, seed);
	memset(seed, 2, sizeof(seed));
	seal_from_seed(&rec, seed);
	memset(seed, 3, sizeof(seed));
	seal_from_seed(&other, seed);
	return 0;
}

/* The server side in a child: handshake allowing `allowed`, then echo
 * one message back with its kind lowered; what it saw goes to `report`
 * as one line ("ok" or its error). */
static pid_t server_child(int fd, const uint8_t *allowed, int report)
{
	pid_t pid = fork();
	if (pid)
		return pid;
	struct live_chan c;
	char line[300];
	if (live_chan_init(&c, fd, 3000) < 0)
		_exit(2);
	const uint8_t(*allow)[32] = (const uint8_t(*)[32])allowed;
	if (live_handshake_server(&c, &srv, allow, 1) < 0) {
		snprintf(line, sizeof(line), "%s", c.err);
	} else {
		enum live_kind k;
		const uint8_t *p;
		size_t n;
		int r = live_recv(&c, &k, &p, &n);
		if (r == 1) {
			uint8_t copy[64];
			memcpy(copy, p, n < sizeof(copy) ? n : sizeof(copy));
			live_send(&c, LIVE_VERDICT, copy, n < sizeof(copy) ? n : sizeof(copy));
			snprintf(line, sizeof(line), "ok %c %zu %s", (char)k,
				 (size_t)!memcmp(c.peer, rec.pub, 32), n ? "data" : "empty");
		} else {
			snprintf(line, sizeof(line), "recv %d: %s", r, c.err);
		}
	}
	if (write(report, line, strlen(line)) < 0)
		_exit(3);
	live_chan_close(&c);
	_exit(0);
}

static void read_report(int fd, char *buf, size_t cap)
{
	ssize_t n = read(fd, buf, cap - 1);
	buf[n > 0 ? n : 0] = 0;
}

static void test_handshake_and_messages(void **state)
{
	(void)state;
	int sv[2], rp[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(pipe(rp), 0);
	pid_t pid = server_child(sv[1], rec.pub, rp[1]);
	close(sv[1]);
	close(rp[1]);
	struct live_chan c;
	assert_int_equal(live_chan_init(&c, sv[0], 3000), 0);
	assert_int_equal(live_handshake_client(&c, &rec, srv.pub), 0);
	assert_memory_equal(c.peer, srv.pub, 32);
	assert_int_equal(live_send(&c, LIVE_DATA, "recorded bytes", 14), 0);
	enum live_kind k;
	const uint8_t *p;
	size_t n;
	assert_int_equal(live_recv(&c, &k, &p, &n), 1);
	assert_int_equal(k, LIVE_VERDICT);
	assert_int_equal(n, 14);
	assert_memory_equal(p, "recorded bytes", 14);
	char line[300];
	read_report(rp[0], line, sizeof(line));
	assert_string_equal(line, "ok D 1 data");
	/* the server closed: a clean end between messages */
	assert_int_equal(live_recv(&c, &k, &p, &n), 0);
	live_chan_close(&c);
	waitpid(pid, NULL, 0);
	close(rp[0]);
}

static void test_recorder_not_allowed(void **state)
{
	(void)state;
	int sv[2], rp[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(pipe(rp), 0);
	pid_t pid = server_child(sv[1], other.pub, rp[1]); /* allows another key */
	close(sv[1]);
	close(rp[1]);
	struct live_chan c;
	assert_int_equal(live_chan_init(&c, sv[0], 3000), 0);
	assert_int_equal(live_handshake_client(&c, &rec, srv.pub), -1);
	char fp[17], want[200];
	seal_fingerprint(rec.pub, fp);
	snprintf(want, sizeof(want), "refused by the peer: your key %s is not allowed by this verifier", fp);
	assert_string_equal(c.err, want);
	char line[300];
	read_report(rp[0], line, sizeof(line));
	snprintf(want, sizeof(want), "key %s is not allowed (serve --allow): refused", fp);
	assert_string_equal(line, want);
	live_chan_close(&c);
	waitpid(pid, NULL, 0);
	close(rp[0]);
}

static void test_wrong_verifier_key(void **state)
{
	(void)state;
	int sv[2], rp[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(pipe(rp), 0);
	pid_t pid = server_child(sv[1], rec.pub, rp[1]);
	close(sv[1]);
	close(rp[1]);
	struct live_chan c;
	assert_int_equal(live_chan_init(&c, sv[0], 3000), 0);
	/* the recorder expects `other` as its verifier */
	assert_int_equal(live_handshake_client(&c, &rec, other.pub), -1);
	char got[17], exp[17], want[200];
	seal_fingerprint(srv.pub, got);
	seal_fingerprint(other.pub, exp);
	snprintf(want, sizeof(want), "the verifier's key is %s, not the expected %s: refused", got, exp);
	assert_string_equal(c.err, want);
	char line[300];
	read_report(rp[0], line, sizeof(line));
	assert_string_equal(line, "refused by the peer: the recorder expects another verifier key");
	live_chan_close(&c);
	waitpid(pid, NULL, 0);
	close(rp[0]);
}

/* A 2^40 length prefix: refused from the 8 bytes alone. */
static void test_huge_length_refused(void **state)
{
	(void)state;
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	uint8_t len[8] = { 0, 0, 0x01, 0, 0, 0, 0, 0 };
	assert_int_equal(write(sv[1], len, 8), 8);
	assert_int_equal(write(sv[1], "xy", 2), 2);
	uint8_t buf[64];
	uint64_t declared = 0;
	assert_int_equal(live_frame_read(sv[0], buf, sizeof(buf), 1000, &declared), -EMSGSIZE);
	assert_int_equal(declared, (uint64_t)1 << 40);
	/* nothing past the prefix was taken */
	assert_int_equal(read(sv[0], buf, sizeof(buf)), 2);
	/* and the server side says it in words, before any handshake */
	struct live_chan c;
	assert_int_equal(write(sv[1], len, 8), 8);
	assert_int_equal(live_chan_init(&c, sv[0], 1000), 0);
	uint8_t allowed[1][32];
	memcpy(allowed[0], rec.pub, 32);
	assert_int_equal(live_handshake_server(&c, &srv, (const uint8_t(*)[32])allowed, 1), -1);
	assert_string_equal(c.err, "a frame of 1099511627776 bytes announced before the handshake, more than the 1048576 "
				   "allowed: refused");
	live_chan_close(&c);
	close(sv[1]);
}

static void test_frames_cut_and_late(void **state)
{
	(void)state;
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	uint8_t buf[64];
	struct timespec a, b;
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(live_frame_read(sv[0], buf, sizeof(buf), 200, NULL), -ETIMEDOUT);
	clock_gettime(CLOCK_MONOTONIC, &b);
	long ms = (b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000;
	assert_true(ms >= 190 && ms < 2000);
	assert_int_equal(live_frame_write(sv[1], "abc", 3, 1000), 0);
	assert_int_equal(live_frame_read(sv[0], buf, sizeof(buf), 1000, NULL), 3);
	assert_memory_equal(buf, "abc", 3);
	/* a frame cut inside: the peer closed in the middle */
	uint8_t len[8] = { 0, 0, 0, 0, 0, 0, 0, 10 };
	assert_int_equal(write(sv[1], len, 8), 8);
	assert_int_equal(write(sv[1], "12345", 5), 5);
	close(sv[1]);
	assert_int_equal(live_frame_read(sv[0], buf, sizeof(buf), 1000, NULL), -ECONNRESET);
	assert_int_equal(live_frame_read(sv[0], buf, sizeof(buf), 1000, NULL), -ENODATA);
	close(sv[0]);
	assert_int_equal(live_frame_write(-1, "x", 1, 10), -EBADF);
	uint8_t big[16];
	assert_int_equal(live_frame_write(0, big, LIVE_FRAME_MAX + 1, 10), -EMSGSIZE);
}

/* Two keyed ends made by a real handshake, for the sealing tests. */
static void keyed_pair(struct live_chan *cl, int *server_raw, pid_t *pid)
{
	int sv[2], rp[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(pipe(rp), 0);
	*pid = server_child(sv[1], rec.pub, rp[1]);
	close(rp[1]);
	close(rp[0]);
	*server_raw = sv[1];
	assert_int_equal(live_chan_init(cl, sv[0], 3000), 0);
	assert_int_equal(live_handshake_client(cl, &rec, srv.pub), 0);
}

/* A changed byte in a sealed frame: it does not open, and says so. */
static void test_altered_frame_refused(void **state)
{
	(void)state;
	struct live_chan c;
	int raw;
	pid_t pid;
	keyed_pair(&c, &raw, &pid);
	/* The child echoes: send one message, then change a byte of the
	 * answer as it comes (read it raw, flip, feed it to ourselves). */
	assert_int_equal(live_send(&c, LIVE_DATA, "abcdef", 6), 0);
	uint8_t frame[256];
	long n = live_frame_read(c.fd, frame, sizeof(frame), 3000, NULL);
	assert_true(n > 0);
	frame[n / 2] ^= 0x20;
	int sp[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	assert_int_equal(live_frame_write(sp[1], frame, (size_t)n, 1000), 0);
	int keep = c.fd;
	c.fd = sp[0];
	enum live_kind k;
	const uint8_t *p;
	size_t len;
	assert_int_equal(live_recv(&c, &k, &p, &len), -1);
	char want[120];
	snprintf(want, sizeof(want), "a frame of %ld bytes does not open (altered, replayed or garbage)", n);
	assert_string_equal(c.err, want);
	close(sp[1]);
	c.fd = keep;
	close(sp[0]);
	live_chan_close(&c);
	close(raw);
	waitpid(pid, NULL, 0);
}

/* record --to streams what tf_written says is in the file: after a
 * syscall, a signal and the end of a thread, exactly the file's size. */
static void test_written_is_in_file(void **state)
{
	(void)state;
	char path[] = "/tmp/sperrips-unit-live-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct tf_writer *w = tf_writer_open(path);
	assert_non_null(w);
	assert_true(tf_writer_durable(w));
	struct arena a;
	arena_init(&a, 1 << 16);
	struct sp_event ev = { .arena = &a };
	ev.nr = 39;
	ev.tid = 7;
	assert_int_equal(tf_write_event(w, &ev), 0);
	uint64_t after_call = tf_written(w);
	struct sp_event sig = { .arena = &a, .is_signal = true, .tid = 7 };
	sig.sig.signo = 17;
	sig.sig.status = 3;
	assert_int_equal(tf_write_signal(w, &sig), 0);
	sig.sig.signo = 0;
	sig.sig.exited = true;
	assert_int_equal(tf_write_signal(w, &sig), 0);
	uint64_t total = tf_written(w);
	assert_true(total > after_call);
	assert_int_equal(tf_writer_close(w), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal((uint64_t)st.st_size, total);
	arena_free(&a);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handshake_and_messages),
		cmocka_unit_test(test_recorder_not_allowed),
		cmocka_unit_test(test_wrong_verifier_key),
		cmocka_unit_test(test_huge_length_refused),
		cmocka_unit_test(test_frames_cut_and_late),
		cmocka_unit_test(test_altered_frame_refused),
		cmocka_unit_test(test_written_is_in_file),
	};
	return cmocka_run_group_tests(tests, setup_keys, NULL);
}
