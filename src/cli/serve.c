/* sperrips serve: the live verifier (issue 14). Accepts recorders on a TCP
 * port, each in a process of its own (live/session.c), several at once. */
#include "cli/serve.h"

#include <errno.h>
#include <stdbool.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/util.h"
#include "live/channel.h"
#include "live/session.h"
#include "sandbox/container.h"
#include "help.h" /* generated from doc/sperrips-*.1.scd */

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

enum { OPT_LISTEN = 256, OPT_KEY, OPT_ALLOW, OPT_OUT, OPT_TIMEOUT, OPT_MAX, OPT_POLICY, OPT_NO_PIN };

static noreturn void serve_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s serve: ", progname);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see sperrips serve --help)\n");
	exit(EXIT_USAGE);
}

static int positive(const char *opt, const char *arg, long max)
{
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 1 || v > max) {
		char msg[96];
		snprintf(msg, sizeof(msg), "%s %%s: expected a number from 1 to %ld", opt, max);
		serve_usage(msg, arg);
	}
	return (int)v;
}

/* The accepted peer's address, for the log. */
static void peer_name(const struct sockaddr_storage *ss, socklen_t len, char *out, size_t cap)
{
	char host[64], port[16];
	if (getnameinfo((const struct sockaddr *)ss, len, host, sizeof(host), port, sizeof(port),
			NI_NUMERICHOST | NI_NUMERICSERV))
		snprintf(out, cap, "?");
	else
		snprintf(out, cap, "%.63s:%.15s", host, port);
}

/* Key files named by --key, --server, --allow: refused with the option's name. */
static const char *key_problem(int e, bool secret)
{
	if (e == -EPERM)
		return secret ? "a public key file, not a secret one" : "a secret key file, not a public one";
	if (e == -EINVAL)
		return secret ? "not a sperrips secret key file" : "not a sperrips public key file";
	return strerror(-e);
}

void live_load_secret(const char *opt, const char *path, struct seal_signer *out)
{
	int e = seal_read_secret(path, out);
	if (e)
		die(EXIT_USAGE, "%s %s: %s (sperrips keygen NAME writes NAME.key)", opt, path, key_problem(e, true));
}

void live_load_public(const char *opt, const char *path, uint8_t out[32])
{
	int e = seal_read_public(path, out);
	if (e)
		die(EXIT_USAGE, "%s %s: %s (sperrips keygen NAME writes NAME.pub)", opt, path, key_problem(e, false));
}

int serve_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, OPT_LISTEN },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "allow", required_argument, NULL, OPT_ALLOW },
		{ "out", required_argument, NULL, OPT_OUT },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "max-sessions", required_argument, NULL, OPT_MAX },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "no-pin", no_argument, NULL, OPT_NO_PIN },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		CONTAINER_LONG_OPTIONS,
		{ 0 },
	};
	struct live_serve_conf conf = { .out_dir = ".", .timeout_ms = 30000 };
	conf.replay = (struct replay_opts){ .policy = "lax", .aslr = -1, .pin = true };
	const char *listen_at = NULL, *key = NULL;
	int max_sessions = 32, c;
	char cerr[256];
	conf.allowed = xcalloc((size_t)argc, sizeof(*conf.allowed));
	conf.allowed_names = xcalloc((size_t)argc, sizeof(char *));
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:vh", opts, NULL)) != -1) {
		switch (c) {
		case OPT_LISTEN: listen_at = optarg; break;
		case OPT_KEY: key = optarg; break;
		case OPT_ALLOW:
			live_load_public("serve --allow", optarg, conf.allowed[conf.n_allowed]);
			conf.allowed_names[conf.n_allowed++] = optarg;
			break;
		case OPT_OUT: conf.out_dir = optarg; break;
		case OPT_TIMEOUT: conf.timeout_ms = positive("--timeout", optarg, 86400) * 1000; break;
		case OPT_MAX: max_sessions = positive("--max-sessions", optarg, 1024); break;
		case OPT_POLICY: conf.replay.policy = optarg; break;
		case OPT_NO_PIN: conf.replay.pin = false; break;
		case 'v': conf.replay.verbosity++; break;
		case CONTAINER_OPT_FIRST ... CONTAINER_OPT_LAST:
			if (container_parse_opt(&conf.replay.container, c, optarg, cerr, sizeof(cerr)) < 0)
				serve_usage("%s", cerr);
			break;
		case 'h': fputs(help_serve, stdout); exit(0);
		case ':': serve_usage("option %s needs a value", argv[optind - 1]);
		default: serve_usage("unknown option %s", argv[optind - 1]);
		}
	}
	if (optind != argc)
		serve_usage("unexpected argument \"%s\"", argv[optind]);
	if (!listen_at)
		serve_usage("%s", "--listen ADDR:PORT is needed");
	if (!key)
		serve_usage("%s", "--key S.key is needed (sperrips keygen NAME writes NAME.key)");
	if (!conf.n_allowed)
		serve_usage("%s", "at least one --allow R.pub is needed: no recorder could be served");
	if (strcmp(conf.replay.policy, "lax") && strcmp(conf.replay.policy, "strict") && access(conf.replay.policy, F_OK))
		serve_usage("--policy %s: neither lax, strict nor an existing policy file", conf.replay.policy);
	live_load_secret("serve --key", key, &conf.key);
	struct stat st;
	if (stat(conf.out_dir, &st) < 0 && (errno != ENOENT || mkdir(conf.out_dir, 0755) < 0))
		die(EXIT_OUTPUT, "serve --out %s: %s", conf.out_dir, strerror(errno));
	else if (stat(conf.out_dir, &st) == 0 && !S_ISDIR(st.st_mode))
		die(EXIT_USAGE, "serve --out %s: not a directory", conf.out_dir);
	int lfd = live_listen(listen_at, cerr, sizeof(cerr));
	if (lfd < 0)
		die(EXIT_USAGE, "serve: %s", cerr);
	struct sigaction sa = { .sa_handler = on_stop };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	char fp[17];
	seal_fingerprint(conf.key.pub, fp);
	live_log("listening on %s (port %d), key %s, %zu recorder key%s allowed, writing into %s", listen_at,
		 live_local_port(lfd), fp, conf.n_allowed, conf.n_allowed == 1 ? "" : "s", conf.out_dir);
	pid_t *kids = xcalloc((size_t)max_sessions, sizeof(pid_t));
	int n_kids = 0;
	unsigned next_id = 1;
	while (!stop_signal) {
		/* Sessions that ended: their slot is free again. */
		for (int i = 0; i < n_kids;) {
			if (waitpid(kids[i], NULL, WNOHANG) == kids[i])
				kids[i] = kids[--n_kids];
			else
				i++;
		}
		struct pollfd p = { .fd = lfd, .events = POLLIN };
		if (poll(&p, 1, 200) <= 0)
			continue;
		struct sockaddr_storage ss;
		socklen_t sl = sizeof(ss);
		int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		char peer[96 + 16];
		peer_name(&ss, sl, peer, sizeof(peer));
		unsigned id = next_id++;
		if (n_kids >= max_sessions) {
			live_log("session %u from %s: refused: %d sessions running (--max-sessions)", id, peer, n_kids);
			static const char busy[] = "Rthe verifier is busy (all its sessions are taken): try again later";
			live_frame_write(fd, busy, sizeof(busy) - 1, 1000);
			close(fd);
			continue;
		}
		pid_t pid = fork();
		if (pid == 0) {
			close(lfd);
			signal(SIGINT, SIG_DFL);
			signal(SIGTERM, SIG_DFL);
			_exit(live_session_run(&conf, fd, id, peer));
		}
		close(fd);
		if (pid < 0)
			live_log("session %u from %s: refused: cannot fork: %s", id, peer, strerror(errno));
		else
			kids[n_kids++] = pid;
	}
	/* Stopped: the sessions end with us (their replays are told by the
	 * same signal, and finish their files marked interrupted). */
	for (int i = 0; i < n_kids; i++)
		kill(kids[i], SIGTERM);
	for (int i = 0; i < n_kids; i++)
		waitpid(kids[i], NULL, 0);
	live_log("stopped by SIG%s; %u session%s served", sigabbrev_np(stop_signal) ? sigabbrev_np(stop_signal) : "?",
		 next_id - 1, next_id == 2 ? "" : "s");
	close(lfd);
	sodium_memzero(&conf.key, sizeof(conf.key));
	free(kids);
	free(conf.allowed);
	free(conf.allowed_names);
	container_opts_free(conf.replay.container);
	return 128 + stop_signal;
}
