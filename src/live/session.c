/* serve: one recorder's session (see session.h). */
#include "live/session.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "live/channel.h"

/* While the replay runs after the recording ended, the recorder hears
 * from us this often, so that its own timeout means "verifier gone". */
#define KEEPALIVE_MS 2000
/* What is kept of the replay's verdict for the recorder. */
#define VERDICT_MAX 6000

void live_log(const char *fmt, ...)
{
	char line[1200];
	int n = snprintf(line, sizeof(line), "%s serve: ", progname);
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	size_t len = (size_t)n + (k < 0 ? 0 : (size_t)k < sizeof(line) - (size_t)n - 1 ? (size_t)k
										     : sizeof(line) - (size_t)n - 2);
	line[len++] = '\n';
	/* one write: lines of sessions side by side do not mix */
	if (write(2, line, len) < 0) {
		/* nowhere to say it */
	}
}

/* SIGTERM or SIGINT to the session (serve stopping): its replay is told
 * the same, and finishes its differences file marked interrupted. */
static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static char *session_path(const struct live_serve_conf *conf, unsigned id, const char *ext)
{
	size_t n = strlen(conf->out_dir) + 48;
	char *p = xmalloc(n);
	snprintf(p, n, "%s/session-%u.%s", conf->out_dir, id, ext);
	return p;
}

/* The replay, in a child: the recording from `data` as it comes. */
static pid_t start_replay(const struct live_serve_conf *conf, int data, int notify, const int *close_fds,
			  const char *log, const char *diff, const char *out)
{
	int logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	if (logfd < 0)
		return -1;
	pid_t pid = fork();
	if (pid != 0) {
		close(logfd);
		return pid;
	}
	/* The replay dies with its session; it reads the pipe as its
	 * standard input and says everything into the log. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	signal(SIGPIPE, SIG_DFL);
	/* Its input ends only when no writer is left: the session's ends of
	 * the pipes and the link are not the replay's to hold. */
	for (const int *c = close_fds; *c >= 0; c++)
		close(*c);
	int dn = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (dup2(data, 0) < 0 || dup2(logfd, 2) < 0 || dn < 0 || dup2(dn, 1) < 0)
		_exit(EXIT_TRACER);
	struct replay_opts o = conf->replay;
	o.input = "-";
	o.output = diff;
	o.stdout_path = out;
	o.live = true;
	o.notify_fd = notify;
	_exit(replay_run(&o));
}

/* The verdict lines of the log: from the line replay's verdict starts
 * with to the end, without our program's name in front; else (the replay
 * could not start) its last line. */
static void read_verdict(const char *log, char *out, size_t cap)
{
	uint8_t *text = NULL;
	size_t len = 0;
	out[0] = 0;
	if (read_file(log, &text, &len) < 0)
		return;
	char *s = (char *)text;
	s[len ? len - 1 : 0] = 0; /* the last newline (or nothing) */
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "%s: replay of job ", progname);
	char *v = NULL;
	for (char *p = s; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, prefix, strlen(prefix)))
			v = p;
	if (!v) {
		v = strrchr(s, '\n');
		v = v ? v + 1 : s;
	}
	size_t skip = strlen(progname) + 2;
	if (!strncmp(v, progname, skip - 2) && v[skip - 2] == ':')
		v += skip;
	snprintf(out, cap, "%s", v);
	free(text);
}

/* The session's state while the recording flows. */
struct flow {
	struct live_chan c;
	int data;             /* the replay's input, -1 once closed */
	int rec;              /* session-N.rec */
	uint8_t *pending;     /* received, not yet taken by the replay */
	size_t pend_len, pend_off;
	uint64_t received;
	bool ended;           /* the recorder's END came */
	bool replay_gone;     /* the replay stopped reading (it ended) */
	char lost[320];       /* why the recording stopped coming, "" if it did not */
};

static int write_file_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t k = write(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

/* One message from the recorder. 0 to go on, -1 when the flow stops
 * (f->lost says why, unless it was the end). */
static int take_message(struct flow *f)
{
	enum live_kind kind;
	const uint8_t *p;
	size_t n;
	int k = live_recv(&f->c, &kind, &p, &n);
	if (k == 0) {
		snprintf(f->lost, sizeof(f->lost), "the recorder closed the connection after %llu bytes, before the end "
			 "of the recording", (unsigned long long)f->received);
		return -1;
	}
	if (k < 0) {
		snprintf(f->lost, sizeof(f->lost), "%s (after %llu bytes)", f->c.err, (unsigned long long)f->received);
		return -1;
	}
	if (kind == LIVE_DATA) {
		if (f->rec >= 0 && write_file_all(f->rec, p, n) < 0) {
			close(f->rec); /* the copy is a convenience: the replay goes on */
			f->rec = -1;
		}
		f->received += n;
		if (!f->replay_gone) {
			memcpy(f->pending, p, n);
			f->pend_len = n;
			f->pend_off = 0;
		}
		return 0;
	}
	if (kind == LIVE_KEEPALIVE)
		return 0; /* a recorder whose program is quiet */
	if (kind == LIVE_END && n == 8) {
		uint64_t size = 0;
		for (int i = 0; i < 8; i++)
			size = size << 8 | p[i];
		if (size != f->received) {
			snprintf(f->lost, sizeof(f->lost), "the recorder says %llu bytes were sent, %llu came",
				 (unsigned long long)size, (unsigned long long)f->received);
			return -1;
		}
		f->ended = true;
		return 0;
	}
	snprintf(f->lost, sizeof(f->lost), "unexpected message of kind %#x from the recorder", (unsigned)kind);
	return -1;
}

/* The replay's first unacceptable difference, as it says it: logged and
 * passed on to the recorder at once. Returns false at the end of the pipe
 * (the replay is over). */
static bool take_notify(struct flow *f, int notify, unsigned id, bool *said)
{
	char buf[1100];
	ssize_t k = read(notify, buf, sizeof(buf) - 1);
	if (k < 0 && errno == EINTR)
		return true;
	if (k <= 0)
		return false;
	buf[k] = 0;
	buf[strcspn(buf, "\n")] = 0;
	/* after the stream was cut, the replay only finds that it ends */
	if (!*said && !f->lost[0]) {
		*said = true;
		live_log("session %u: first unacceptable difference: %s", id, buf);
		if (!f->lost[0])
			live_send(&f->c, LIVE_FIRST, buf, strlen(buf));
	}
	return true;
}

int live_session_run(const struct live_serve_conf *conf, int fd, unsigned id, const char *peer)
{
	struct flow f = { .data = -1, .rec = -1 };
	if (live_chan_init(&f.c, fd, conf->timeout_ms) < 0) {
		close(fd);
		live_log("session %u from %s: out of memory", id, peer);
		return EXIT_TRACER;
	}
	if (live_handshake_server(&f.c, &conf->key, conf->allowed, conf->n_allowed) < 0) {
		live_log("session %u from %s: refused: %s", id, peer, f.c.err);
		live_chan_close(&f.c);
		return EXIT_LIVE_LOST;
	}
	const char *who = "?";
	for (size_t i = 0; i < conf->n_allowed; i++)
		if (!memcmp(conf->allowed[i], f.c.peer, 32))
			who = conf->allowed_names[i];
	char fp[17];
	seal_fingerprint(f.c.peer, fp);
	char *rec = session_path(conf, id, "rec"), *diff = session_path(conf, id, "diff"),
	     *log = session_path(conf, id, "log"), *out = session_path(conf, id, "out");
	live_log("session %u from %s: started: recorder key %s (%s); writing %s", id, peer, fp, who, diff);
	int rc = EXIT_LIVE_LOST;
	int dp[2] = { -1, -1 }, np[2] = { -1, -1 };
	f.pending = malloc(LIVE_FRAME_MAX);
	f.rec = open(rec, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (!f.pending || pipe2(dp, O_CLOEXEC) < 0 || pipe2(np, O_CLOEXEC) < 0) {
		live_log("session %u: ended without a verdict: %s", id, strerror(errno));
		goto out;
	}
	/* A deep pipe: the replay may lag a little without holding the link. */
	fcntl(dp[1], F_SETPIPE_SZ, 1 << 20);
	int others[] = { dp[1], np[0], f.c.fd, -1 };
	pid_t child = start_replay(conf, dp[0], np[1], others, log, diff, out);
	close(dp[0]);
	close(np[1]);
	dp[0] = np[1] = -1;
	if (child < 0) {
		live_log("session %u: ended without a verdict: cannot start the replay: %s", id, strerror(errno));
		goto out;
	}
	f.data = dp[1];
	dp[1] = -1;
	fcntl(f.data, F_SETFL, O_NONBLOCK);
	signal(SIGPIPE, SIG_IGN);
	struct sigaction sa = { .sa_handler = on_stop };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	bool said = false, replay_over = false;
	uint64_t last = now_ms(), last_sent = now_ms();
	while (!replay_over) {
		bool want_net = !f.lost[0] && !f.ended && f.pend_off == f.pend_len;
		if (f.data >= 0 && (f.ended || f.lost[0]) && f.pend_off == f.pend_len) {
			close(f.data); /* the replay reads the end of the recording */
			f.data = -1;
		}
		struct pollfd p[3] = {
			{ .fd = want_net ? f.c.fd : -1, .events = POLLIN },
			{ .fd = f.data >= 0 && f.pend_off < f.pend_len ? f.data : -1, .events = POLLOUT },
			{ .fd = np[0], .events = POLLIN },
		};
		int k = poll(p, 3, 500);
		if (k < 0 && errno != EINTR)
			break;
		uint64_t now = now_ms();
		if (stop_signal && !f.lost[0]) {
			snprintf(f.lost, sizeof(f.lost), "the verifier was stopped by SIG%s",
				 sigabbrev_np(stop_signal) ? sigabbrev_np(stop_signal) : "?");
			f.pend_off = f.pend_len = 0;
		}
		if (!want_net)
			last = now; /* waiting for the replay, not for the recorder */
		if (p[2].revents && !take_notify(&f, np[0], id, &said))
			replay_over = true;
		if (p[1].revents) {
			ssize_t w = write(f.data, f.pending + f.pend_off, f.pend_len - f.pend_off);
			if (w > 0) {
				f.pend_off += (size_t)w;
			} else if (w < 0 && errno == EPIPE) {
				/* the replay ended early (it stopped at a divergence):
				 * its verdict is all there is to wait for */
				f.replay_gone = true;
				f.pend_off = f.pend_len = 0;
				close(f.data);
				f.data = -1;
			}
		}
		if (p[0].revents) {
			last = now;
			if (take_message(&f) < 0 && f.data >= 0 && !f.ended) {
				/* no more is coming: the replay must not wait for it */
				f.pend_off = f.pend_len = 0;
			}
		} else if (want_net && now - last >= (uint64_t)conf->timeout_ms) {
			snprintf(f.lost, sizeof(f.lost), "stalled: nothing from the recorder for %d s (after %llu bytes)",
				 conf->timeout_ms / 1000, (unsigned long long)f.received);
		}
		if (f.lost[0] && !replay_over && f.data < 0) {
			/* cut short: the replay would judge half a recording */
			kill(child, SIGTERM);
		}
		if (f.ended && !f.lost[0] && now - last_sent >= KEEPALIVE_MS) {
			last_sent = now;
			if (live_send(&f.c, LIVE_KEEPALIVE, NULL, 0) < 0)
				snprintf(f.lost, sizeof(f.lost), "%s while the replay went on", f.c.err);
		}
	}
	int st = 0;
	while (waitpid(child, &st, 0) < 0 && errno == EINTR)
		;
	int replay_rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (f.lost[0]) {
		live_log("session %u: ended without a verdict: %s", id, f.lost);
		goto out;
	}
	char verdict[VERDICT_MAX];
	read_verdict(log, verdict, sizeof(verdict));
	live_log("session %u: verdict: %.*s", id, (int)strcspn(verdict, "\n"), verdict);
	uint8_t msg[1 + VERDICT_MAX];
	msg[0] = (uint8_t)replay_rc;
	size_t n = strlen(verdict);
	memcpy(msg + 1, verdict, n);
	if (live_send(&f.c, LIVE_VERDICT, msg, 1 + n) < 0)
		live_log("session %u: the verdict could not be sent: %s", id, f.c.err);
	rc = replay_rc;
out:
	if (f.data >= 0)
		close(f.data);
	for (int i = 0; i < 2; i++) {
		if (dp[i] >= 0)
			close(dp[i]);
		if (np[i] >= 0)
			close(np[i]);
	}
	if (f.rec >= 0)
		close(f.rec);
	free(f.pending);
	live_chan_close(&f.c);
	free(rec);
	free(diff);
	free(log);
	free(out);
	return rc;
}
