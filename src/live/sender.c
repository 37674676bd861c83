/* record --to: the sender thread (see sender.h). */
#include "live/sender.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "format/seal.h"
#include "live/channel.h"

/* How often the thread looks for new records when it has sent them all:
 * the verifier lags the recorder by about this much (and a wake-up costs
 * the recorder nothing: the thread runs beside it, not in its loop). */
#define POLL_MS 5
#define TEXT_MAX 8192
/* The longest the verifier goes without hearing from us (its --timeout
 * must be longer). */
#define KEEPALIVE_MS 1000

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct live_sender {
	struct live_chan c;
	const struct live_target *t;
	int file;                        /* the recording, read back */
	pthread_t thread;
	bool started;
	_Atomic uint64_t avail;          /* bytes of whole records in the file */
	_Atomic uint64_t total;          /* at the end: the recording's size */
	_Atomic int ended;               /* 0 running, 1 whole, 2 cut */
	/* Written by the thread, read after it was joined. */
	uint64_t sent;
	uint64_t last_send;              /* when we last sent anything (ms) */
	int status;                      /* the verdict's status (replay's exit status), -1 none */
	char verdict[TEXT_MAX];
	char first[1024];                /* the first unacceptable difference, if the verifier said one */
	char lost[320];                  /* why the link was lost, "" if it was not */
	uint8_t *buf;
};

struct live_sender *live_sender_connect(const struct live_target *t, char *err, size_t errlen)
{
	int fd = live_connect(t->to, t->timeout_ms, err, errlen);
	if (fd < 0)
		return NULL;
	struct live_sender *s = calloc(1, sizeof(*s));
	if (!s || live_chan_init(&s->c, fd, t->timeout_ms) < 0) {
		snprintf(err, errlen, "out of memory");
		close(fd);
		free(s);
		return NULL;
	}
	s->t = t;
	s->file = -1;
	s->status = -1;
	if (live_handshake_client(&s->c, t->key, t->server) < 0) {
		snprintf(err, errlen, "%s: %s", t->to, s->c.err);
		live_chan_close(&s->c);
		free(s);
		return NULL;
	}
	return s;
}

static void copy_text(char *dst, size_t cap, const uint8_t *p, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	for (size_t i = 0; i < n; i++) /* lines of text, nothing that moves a terminal */
		dst[i] = (p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\n' ? (char)p[i] : '?';
	dst[n] = 0;
}

/* One message of the verifier. 1 if it was the verdict, 0 to go on, -1
 * if the link failed (s->lost says why). */
static int take_message(struct live_sender *s)
{
	enum live_kind kind;
	const uint8_t *p;
	size_t n;
	int k = live_recv(&s->c, &kind, &p, &n);
	if (k == 0) {
		snprintf(s->lost, sizeof(s->lost), "the verifier closed the connection without a verdict");
		return -1;
	}
	if (k < 0) {
		snprintf(s->lost, sizeof(s->lost), "%s", s->c.err);
		return -1;
	}
	switch (kind) {
	case LIVE_KEEPALIVE:
		return 0;
	case LIVE_FIRST:
		copy_text(s->first, sizeof(s->first), p, n);
		return 0;
	case LIVE_VERDICT:
		if (n < 1)
			break;
		s->status = p[0];
		copy_text(s->verdict, sizeof(s->verdict), p + 1, n - 1);
		return 1;
	default:
		break;
	}
	snprintf(s->lost, sizeof(s->lost), "the verifier sent a message of an unknown kind (%#x)", (unsigned)kind);
	return -1;
}

/* Read `n` bytes at `off` of the recording (all there: the writer said so). */
static int read_at(int fd, uint8_t *p, size_t n, uint64_t off)
{
	while (n) {
		ssize_t k = pread(fd, p, n, (off_t)off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? -errno : -ENODATA;
		p += k;
		n -= (size_t)k;
		off += (uint64_t)k;
	}
	return 0;
}

static void *sender_main(void *arg)
{
	struct live_sender *s = arg;
	for (;;) {
		uint64_t avail = atomic_load_explicit(&s->avail, memory_order_acquire);
		int ended = atomic_load_explicit(&s->ended, memory_order_acquire);
		if (ended)
			avail = atomic_load_explicit(&s->total, memory_order_acquire);
		if (s->sent < avail) {
			size_t n = avail - s->sent < LIVE_CHUNK ? (size_t)(avail - s->sent) : LIVE_CHUNK;
			int e = read_at(s->file, s->buf, n, s->sent);
			if (e) {
				snprintf(s->lost, sizeof(s->lost), "cannot read the recording back at byte %llu: %s",
					 (unsigned long long)s->sent, strerror(-e));
				return NULL;
			}
			if (live_send(&s->c, LIVE_DATA, s->buf, n) < 0) {
				snprintf(s->lost, sizeof(s->lost), "%s", s->c.err);
				return NULL;
			}
			s->sent += n;
			s->last_send = now_ms();
		} else if (ended == 1) {
			uint8_t size[8];
			for (int i = 0; i < 8; i++)
				size[i] = (uint8_t)(s->sent >> (56 - 8 * i));
			if (live_send(&s->c, LIVE_END, size, sizeof(size)) < 0) {
				snprintf(s->lost, sizeof(s->lost), "%s", s->c.err);
				return NULL;
			}
			break;
		} else if (ended) {
			snprintf(s->lost, sizeof(s->lost), "the recording could not be finished: the stream was cut "
				 "after %llu bytes", (unsigned long long)s->sent);
			return NULL;
		}
		/* Anything from the verifier (a first difference, an early
		 * verdict when its replay stopped), else wait for records. */
		struct pollfd p = { .fd = s->c.fd, .events = POLLIN };
		int k = poll(&p, 1, s->sent < avail ? 0 : POLL_MS);
		/* A program that makes no syscall for a while (sleeping, computing)
		 * is not a stalled recorder: say so to the verifier. */
		uint64_t now = now_ms();
		if (s->sent == avail && now - s->last_send >= KEEPALIVE_MS) {
			if (live_send(&s->c, LIVE_KEEPALIVE, NULL, 0) < 0) {
				snprintf(s->lost, sizeof(s->lost), "%s", s->c.err);
				return NULL;
			}
			s->last_send = now;
		}
		if (k > 0) {
			int m = take_message(s);
			if (m != 0)
				return NULL;
		}
	}
	/* All sent: the verdict comes once the verifier's replay ends
	 * (keepalives meanwhile, so a silence of timeout_ms means it is gone). */
	while (take_message(s) == 0)
		;
	return NULL;
}

int live_sender_start(struct live_sender *s, const char *path)
{
	s->file = open(path, O_RDONLY | O_CLOEXEC);
	if (s->file < 0)
		return -errno;
	s->buf = malloc(LIVE_CHUNK);
	if (!s->buf)
		return -ENOMEM;
	/* Signals are the recorder's (SIGINT ends the recording): the thread
	 * takes none. It is made before the tracer pins itself to one CPU,
	 * so it keeps every CPU and does not take the tracer's time. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int e = pthread_create(&s->thread, NULL, sender_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e)
		return -e;
	s->started = true;
	return 0;
}

void live_sender_progress(struct live_sender *s, uint64_t bytes)
{
	atomic_store_explicit(&s->avail, bytes, memory_order_release);
}

void live_sender_end(struct live_sender *s, uint64_t bytes, bool whole)
{
	atomic_store_explicit(&s->total, bytes, memory_order_release);
	atomic_store_explicit(&s->ended, whole ? 1 : 2, memory_order_release);
}

static void sender_free(struct live_sender *s)
{
	live_chan_close(&s->c);
	if (s->file >= 0)
		close(s->file);
	free(s->buf);
	free(s);
}

void live_sender_abort(struct live_sender *s)
{
	if (!s)
		return;
	if (s->started) {
		live_sender_end(s, atomic_load(&s->avail), false);
		shutdown(s->c.fd, SHUT_RDWR); /* the thread sees the link gone */
		pthread_join(s->thread, NULL);
	}
	sender_free(s);
}

int live_sender_finish(struct live_sender *s, const char *file, int rc)
{
	if (!s->started) { /* the recording never began: nothing to say */
		sender_free(s);
		return rc;
	}
	pthread_join(s->thread, NULL);
	if (rc != EXIT_SAME && s->status < 0 && atomic_load(&s->ended) == 2) {
		/* the recording itself failed (said already): no live check to speak of */
		sender_free(s);
		return rc;
	}
	char fp[17];
	seal_fingerprint(s->t->server, fp);
	int live_rc;
	if (s->status >= 0) {
		/* The verdict as the verifier's replay printed it: its first line
		 * after our prefix, then its detail lines. */
		fprintf(stderr, "%s: live verdict of %s (key %s): %s%s", progname, s->t->to, fp, s->verdict,
			s->verdict[0] && s->verdict[strlen(s->verdict) - 1] == '\n' ? "" : "\n");
		live_rc = s->status == EXIT_SAME ? EXIT_SAME : s->status == EXIT_DIFFERENT ? EXIT_DIFFERENT
											: EXIT_LIVE_LOST;
	} else {
		fprintf(stderr, "%s: the live check was lost: %s (%llu bytes of the recording sent); %s is complete "
			"(replay it with sperrips replay -i %s)\n", progname, s->lost[0] ? s->lost : "no verdict",
			(unsigned long long)s->sent, file, file);
		if (s->first[0])
			fprintf(stderr, "  the verifier had found before: %s%s", s->first,
				s->first[strlen(s->first) - 1] == '\n' ? "" : "\n");
		live_rc = EXIT_LIVE_LOST;
	}
	bool gate = s->t->fail_on_different;
	sender_free(s);
	if (rc != EXIT_SAME || !gate)
		return rc;
	return live_rc;
}
