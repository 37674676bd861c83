/* sperrips: command line. record, replay, show; the prototype's
 * --recording/--replaying with config.json. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox/container.h"
#include "sandbox/setting.h"
#include "base/job.h"
#include "cli/classes.h"
#include "cli/console.h"
#include "cli/keygen.h"
#include "cli/record.h"
#include "cli/serve.h"
#include "live/sender.h"
#include "verify/replay.h"
#include "cli/show.h"
#include "format/zframes.h"
#include "syscalls/table.h"
#include "base/util.h"
#include "format/seal.h"
#include "help.h" /* generated from doc/sperrips-*.1.scd */

static const char usage_text[] =
	"usage: sperrips record [-o FILE] [--job NAME] [--stdin TEXT | --stdin-hex HEX | --stdin-file F]\n"
	"                       [--stdout F] [--stderr F] [--workdir DIR] [--env K=V]... [--aslr] [--no-pin]\n"
	"                       [--exit-status] [--map-bytes] [--file-digests=SIZE] [--store DIR] [--compress[=LEVEL] | --no-compress]\n"
	"                       [--sign NAME.key] [--backend=ptrace|bpf|auto] [-v...]\n"
	"                       [--to HOST:PORT --key R.key --server S.pub [--fail-on-different]]\n"
	"                       [--rootfs DIR [--upper DIR] [--work DIR] [--keep-upper] [--net=none]]\n"
	"                       -- PROGRAM [ARG...]\n"
	"       sperrips rootfs DIR [--suite bullseye|bookworm] [--include PKG,...] [--mirror URL]\n"
	"       sperrips replay [-i recording.bin] [-o differences.bin] [--policy lax|strict|FILE] [--verify NAME.pub]\n"
	"                       [--stdout F] [--stderr F] [--workdir DIR] [--aslr] [--no-pin] [--store DIR] [-v...]\n"
	"                       [--color[=auto|never|always]]\n"
	"                       [--rootfs DIR [--upper DIR] [--work DIR] [--keep-upper] [--net=none]]\n"
	"       sperrips show FILE [--json] [-s SIZE] [-f] [-e NAME,...] [-c] [--verify NAME.pub]\n"
	"                     [--color[=auto|never|always]]\n"
	"       sperrips keygen NAME\n"
	"       sperrips serve --listen ADDR:PORT --key S.key --allow R.pub [--allow ...] [--out DIR]\n"
	"                      [--timeout SECS] [--max-sessions N] [--policy ...] [--rootfs DIR ...]\n"
	"       sperrips --recording | --replaying [-c config.json]\n"
	"       sperrips COMMAND --help | sperrips --help | --version\n"
	"\n"
	"record   run PROGRAM under ptrace and write every syscall it makes to FILE\n"
	"         (default recording.bin); empty environment, ASLR off, vDSO hidden.\n"
	CONTAINER_USAGE
	"rootfs   build a root file system for --rootfs with debootstrap --variant=minbase.\n"
	"replay   run the recorded command again under ptrace, compare every syscall\n"
	"         with the recording, write acceptable differences (random bytes,\n"
	"         clocks, pids, inode numbers) back into the program, and print the\n"
	"         verdict: identical, equivalent or DIFFERENT. lax (default) replays\n"
	"         unacceptable differences too and goes on; strict stops at the first.\n"
	"show     print a recording or differences file, one strace-like line per\n"
	"         syscall, or JSON lines with --json; -f prefixes the tid, -e shows\n"
	"         only the named syscalls, -c counts calls and errors per syscall.\n"
	"keygen   write an Ed25519 key pair: NAME.key (secret, for record --sign) and\n"
	"         NAME.pub (for show and replay --verify, which refuse a recording\n"
	"         that is not the signer's, naming the first bad record).\n"
	"serve    the live verifier: replay recordings streamed by record --to as\n"
	"         they arrive, several at once, and send each recorder its verdict.\n"
	"\n"
	"exit status: 0 success; 1 replay found unacceptable differences; 2 usage or\n"
	"configuration error; 3 unreadable, truncated or mismatched recording; 4 the\n"
	"program could not be started; 5 an output file could not be written; 6 the\n"
	"tracer failed; 7 record --to: no live verdict (with --fail-on-different);\n"
	"128+N the tracer was stopped by signal N (file finished).\n";

static noreturn void usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: ", progname);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see sperrips --help)\n");
	exit(EXIT_USAGE);
}

/* getopt's own messages lack the command and a way on; ours name both.
 * Option strings start with ":" so that a missing value comes back as ':'. */
static noreturn void option_error(const char *cmd, int c, char **argv)
{
	const char *arg = argv[optind - 1];
	if (c == ':')
		fprintf(stderr, "%s %s: option %s needs a value (see sperrips %s --help)\n", progname, cmd, arg, cmd);
	else if (optopt)
		fprintf(stderr, "%s %s: unknown option -%c (see sperrips %s --help)\n", progname, cmd, optopt, cmd);
	else
		fprintf(stderr, "%s %s: unknown option %s (see sperrips %s --help)\n", progname, cmd, arg, cmd);
	exit(EXIT_USAGE);
}

/* Data waiting on our standard input (`echo hi | sperrips record -- cat`)?
 * The program gets a pipe of its own, so that input would be lost silently.
 * An empty pipe, a terminal or /dev/null are fine. */
static bool stdin_has_data(void)
{
	struct stat st;
	if (fstat(0, &st) < 0)
		return false;
	if (S_ISREG(st.st_mode)) {
		off_t at = lseek(0, 0, SEEK_CUR);
		return at >= 0 && at < st.st_size;
	}
	if (!S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode))
		return false;
	/* a writer started with us may not have written yet: give it a moment */
	struct pollfd p = { .fd = 0, .events = POLLIN };
	int avail = 0;
	return poll(&p, 1, 50) == 1 && (p.revents & POLLIN) && ioctl(0, FIONREAD, &avail) == 0 && avail > 0;
}

/* --color[=WHEN]: alone it means always, as with ls and grep. */
static void color_option(const char *arg)
{
	int mode = arg ? console_parse_color(arg) : CONSOLE_COLOR_ALWAYS;
	if (mode < 0)
		usage_error("--color=%s: expected auto, never or always", arg);
	console_set_color((enum console_color_mode)mode);
}

static char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return xstrdup(s ? s + 1 : path);
}

enum {
	OPT_JOB = 256, OPT_STDIN, OPT_STDIN_HEX, OPT_STDIN_FILE, OPT_STDOUT, OPT_STDERR, OPT_WORKDIR,
	OPT_ENV, OPT_ASLR, OPT_NO_PIN, OPT_JSON, OPT_POLICY, OPT_EXIT_STATUS, OPT_MAP_BYTES, OPT_FILE_DIGESTS, OPT_BACKEND, OPT_STORE, OPT_COLOR,
	OPT_COMPRESS, OPT_NO_COMPRESS, OPT_SIGN, OPT_VERIFY, OPT_TO, OPT_KEY, OPT_SERVER, OPT_FAIL_ON_DIFFERENT,
};

/* --compress[=LEVEL]: a zstd level, ZF_LEVEL_MIN..ZF_LEVEL_MAX. */
_Static_assert(ZF_LEVEL_MIN == 1 && ZF_LEVEL_MAX == 19, "the message below names the levels");
static int compress_option(const char *arg)
{
	if (!arg)
		return ZF_LEVEL_DEFAULT;
	char *end;
	errno = 0;
	long v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < ZF_LEVEL_MIN || v > ZF_LEVEL_MAX)
		usage_error("--compress=%s: expected a zstd level from 1 to 19", arg);
	return (int)v;
}

/* "512M", "1G", "0": a size in bytes, with a binary K, M or G after it. */
static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	if (!isdigit((unsigned char)*s))
		return -1;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned shift = 0;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	else if (*end == 'G' || *end == 'g')
		shift = 30;
	if (shift)
		end++;
	if (errno || *end || v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

static int cmd_record(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "job", required_argument, NULL, OPT_JOB },
		{ "stdin", required_argument, NULL, OPT_STDIN },
		{ "stdin-hex", required_argument, NULL, OPT_STDIN_HEX },
		{ "stdin-file", required_argument, NULL, OPT_STDIN_FILE },
		{ "stdout", required_argument, NULL, OPT_STDOUT },
		{ "stderr", required_argument, NULL, OPT_STDERR },
		{ "workdir", required_argument, NULL, OPT_WORKDIR },
		{ "env", required_argument, NULL, OPT_ENV },
		{ "aslr", no_argument, NULL, OPT_ASLR },
		{ "no-pin", no_argument, NULL, OPT_NO_PIN },
		{ "exit-status", no_argument, NULL, OPT_EXIT_STATUS },
		{ "map-bytes", no_argument, NULL, OPT_MAP_BYTES },
		{ "file-digests", required_argument, NULL, OPT_FILE_DIGESTS },
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "store", required_argument, NULL, OPT_STORE },
		{ "compress", optional_argument, NULL, OPT_COMPRESS },
		{ "no-compress", no_argument, NULL, OPT_NO_COMPRESS },
		{ "sign", required_argument, NULL, OPT_SIGN },
		{ "to", required_argument, NULL, OPT_TO },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "server", required_argument, NULL, OPT_SERVER },
		{ "fail-on-different", no_argument, NULL, OPT_FAIL_ON_DIFFERENT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		CONTAINER_LONG_OPTIONS,
		{ 0 },
	};
	struct job j = { .pin = true, .compress = ZF_RECORD_DEFAULT };
	struct seal_signer *signer = NULL, *live_key = NULL;
	struct live_target live = { .timeout_ms = 60000 };
	const char *live_server = NULL;
	char cerr[256];
	int stdin_given = 0, c;
	j.env = xcalloc(argc + 1, sizeof(char *));
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:o:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'o': free(j.output); j.output = xstrdup(optarg); break;
		case OPT_JOB: free(j.name); j.name = xstrdup(optarg); break;
		case OPT_STDIN:
		case OPT_STDIN_HEX:
		case OPT_STDIN_FILE:
			if (stdin_given++)
				usage_error("%s", "only one of --stdin, --stdin-hex and --stdin-file may be given");
			if (c == OPT_STDIN) {
				j.stdin_len = strlen(optarg);
				j.stdin_data = (uint8_t *)xstrdup(optarg);
			} else if (c == OPT_STDIN_HEX) {
				if (hex_decode(optarg, &j.stdin_data, &j.stdin_len) < 0)
					usage_error("--stdin-hex: not hexadecimal: %s", optarg);
			} else {
				/* "-": sperrips' own standard input, passed through and recorded */
				int e = read_file(strcmp(optarg, "-") ? optarg : "/dev/stdin", &j.stdin_data,
						  &j.stdin_len);
				if (e < 0)
					die(EXIT_USAGE, "--stdin-file %s: %s", optarg, strerror(-e));
			}
			break;
		case OPT_STDOUT: j.stdout_path = xstrdup(optarg); break;
		case OPT_STDERR: j.stderr_path = xstrdup(optarg); break;
		case OPT_WORKDIR: j.workdir = xstrdup(optarg); break;
		case OPT_ENV:
			if (!strchr(optarg, '='))
				usage_error("--env %s: expected KEY=VALUE", optarg);
			j.env[j.n_env++] = xstrdup(optarg);
			break;
		case OPT_ASLR: j.aslr = true; break;
		case OPT_NO_PIN: j.pin = false; break;
		case 'v': j.verbosity++; break;
		case CONTAINER_OPT_FIRST ... CONTAINER_OPT_LAST:
			if (container_parse_opt(&j.container, c, optarg, cerr, sizeof(cerr)) < 0)
				usage_error("%s", cerr);
			break;
		case OPT_EXIT_STATUS: j.exit_status = true; break;
		case OPT_MAP_BYTES: j.map_bytes = true; break;
		case OPT_FILE_DIGESTS:
			if (parse_size(optarg, &j.file_digests) < 0)
				usage_error("--file-digests=%s: expected a size in bytes (K, M or G after it), 0 for none",
					    optarg);
			j.file_digests_set = true;
			break;
		case OPT_BACKEND:
			if (!strcmp(optarg, "ptrace"))
				j.backend = JOB_BACKEND_PTRACE;
			else if (!strcmp(optarg, "bpf"))
				j.backend = JOB_BACKEND_BPF;
			else if (!strcmp(optarg, "auto"))
				j.backend = JOB_BACKEND_AUTO;
			else
				usage_error("--backend=%s: expected ptrace, bpf or auto", optarg);
			break;
		case OPT_STORE: free(j.map_store); j.map_store = xstrdup(optarg); break;
		case OPT_COMPRESS: j.compress = compress_option(optarg); break;
		case OPT_NO_COMPRESS: j.compress = 0; break;
		case OPT_SIGN:
			free(signer);
			signer = keygen_load_signer(optarg);
			break;
		case OPT_TO: live.to = optarg; break;
		case OPT_KEY:
			if (!live_key)
				live_key = xmalloc(sizeof(*live_key));
			live_load_secret("record --key", optarg, live_key);
			break;
		case OPT_SERVER:
			live_load_public("record --server", optarg, live.server);
			live_server = optarg;
			break;
		case OPT_FAIL_ON_DIFFERENT: live.fail_on_different = true; break;
		case 'h': fputs(help_record, stdout); exit(0);
		default: option_error("record", c, argv);
		}
	}
	if (!stdin_given && stdin_has_data())
		usage_error("%s", "record: standard input holds data the program would never see: it reads only "
				  "what --stdin, --stdin-hex or --stdin-file give (--stdin-file - passes this input "
				  "through, recorded)");
	if (optind >= argc)
		usage_error("%s", "record: no program given (sperrips record [OPTIONS] -- PROGRAM [ARG...])");
	if (live.to && (!live_key || !live_server))
		usage_error("%s", "record --to needs --key R.key (who records) and --server S.pub (who verifies)");
	if (!live.to && (live_key || live_server || live.fail_on_different))
		usage_error("%s", "record: --key, --server and --fail-on-different go with --to HOST:PORT");
	if (j.backend == JOB_BACKEND_BPF && j.container)
		usage_error("%s", "record --backend=bpf: not in a container yet (--rootfs); use --backend=ptrace");
	j.argc = (size_t)(argc - optind);
	j.argv = xcalloc(j.argc + 1, sizeof(char *));
	for (size_t i = 0; i < j.argc; i++)
		j.argv[i] = xstrdup(argv[optind + (int)i]);
	if (!j.output)
		j.output = xstrdup("recording.bin");
	if (!j.name)
		j.name = base_name(j.argv[0]);
	j.signer = signer;
	live.key = live_key;
	j.live = live.to ? &live : NULL;
	int rc = record_run(&j);
	job_free(&j);
	for (int i = 0; i < 2; i++) {
		struct seal_signer *k = i ? live_key : signer;
		if (k)
			sodium_memzero(k, sizeof(*k));
		free(k);
	}
	return rc;
}

static int cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "input", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "policy", required_argument, NULL, OPT_POLICY },
		{ "stdout", required_argument, NULL, OPT_STDOUT },
		{ "stderr", required_argument, NULL, OPT_STDERR },
		{ "workdir", required_argument, NULL, OPT_WORKDIR },
		{ "aslr", no_argument, NULL, OPT_ASLR },
		{ "no-pin", no_argument, NULL, OPT_NO_PIN },
		{ "store", required_argument, NULL, OPT_STORE },
		{ "verify", required_argument, NULL, OPT_VERIFY },
		{ "verbose", no_argument, NULL, 'v' },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "colour", optional_argument, NULL, OPT_COLOR },
		{ "help", no_argument, NULL, 'h' },
		CONTAINER_LONG_OPTIONS,
		{ 0 },
	};
	struct replay_opts o = { .input = "recording.bin", .output = "differences.bin", .policy = "lax",
				 .aslr = -1, .pin = true };
	char cerr[256];
	uint8_t key[SEAL_PUBLIC_BYTES];
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:i:o:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'i': o.input = optarg; break;
		case 'o': o.output = optarg; break;
		case OPT_POLICY: o.policy = optarg; break;
		case OPT_STDOUT: o.stdout_path = optarg; break;
		case OPT_STDERR: o.stderr_path = optarg; break;
		case OPT_WORKDIR: o.workdir = optarg; break;
		case OPT_ASLR: o.aslr = 1; break;
		case OPT_NO_PIN: o.pin = false; break;
		case OPT_STORE: o.map_store = optarg; break;
		case OPT_VERIFY:
			keygen_load_public(optarg, key);
			o.verify_key = key;
			o.verify_path = optarg;
			break;
		case 'v': o.verbosity++; break;
		case OPT_COLOR: color_option(optarg); break;
		case CONTAINER_OPT_FIRST ... CONTAINER_OPT_LAST:
			if (container_parse_opt(&o.container, c, optarg, cerr, sizeof(cerr)) < 0)
				usage_error("%s", cerr);
			break;
		case 'h': fputs(help_replay, stdout); exit(0);
		default: option_error("replay", c, argv);
		}
	}
	if (strcmp(o.policy, "lax") && strcmp(o.policy, "strict") && access(o.policy, F_OK))
		usage_error("--policy %s: neither lax, strict nor an existing policy file", o.policy);
	if (optind != argc)
		usage_error("replay: unexpected argument \"%s\" (the command comes from the recording)", argv[optind]);
	int rc = replay_run(&o);
	container_opts_free(o.container);
	return rc;
}

static int cmd_show(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "strsize", required_argument, NULL, 's' },
		{ "summary", no_argument, NULL, 'c' },
		{ "verify", required_argument, NULL, OPT_VERIFY },
		{ "color", optional_argument, NULL, OPT_COLOR },
		{ "colour", optional_argument, NULL, OPT_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct show_opts o = { .strsize = 32 };
	uint8_t key[SEAL_PUBLIC_BYTES];
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":s:fe:ch", opts, NULL)) != -1) {
		switch (c) {
		case OPT_JSON: o.json = true; break;
		case 's': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);
			if (*end || !(*optarg >= '0' && *optarg <= '9'))
				usage_error("-s %s: expected a number of bytes", optarg);
			o.strsize = v;
			break;
		}
		case 'f': o.show_tid = true; break;
		case 'e':
			/* strace's -e trace=NAME,NAME or plain NAME,NAME */
			o.only = strncmp(optarg, "trace=", 6) ? optarg : optarg + 6;
			for (const char *p = o.only; *p;) {
				size_t len = strcspn(p, ",");
				char name[64];
				snprintf(name, sizeof(name), "%.*s", (int)(len < 63 ? len : 63), p);
				if (sc_number(name) < 0 && !sc_class_known(name)) {
					fprintf(stderr, "%s show: -e: no syscall or class called \"%s\" (classes: %s)\n",
						progname, name, sc_class_list());
					exit(EXIT_USAGE);
				}
				p += len + (p[len] == ',');
			}
			break;
		case 'c': o.stats = true; break;
		case OPT_VERIFY:
			keygen_load_public(optarg, key);
			o.verify_key = key;
			o.verify_path = optarg;
			break;
		case OPT_COLOR: color_option(optarg); break;
		case 'h': fputs(help_show, stdout); exit(0);
		default: option_error("show", c, argv);
		}
	}
	if (optind != argc - 1)
		usage_error("%s", "show: expected exactly one FILE");
	return show_file(argv[optind], &o);
}

/* The prototype wrote its files into `workdir`; with the container that is
 * a path inside it, which lies in the upper layer on the host. */
static char *seed_file(const struct job *j, const char *name)
{
	if (j->container)
		return container_job_file(j->container, j->workdir, name);
	const char *dir = j->workdir ? j->workdir : ".";
	char *s = xmalloc(strlen(dir) + strlen(name) + 2);
	sprintf(s, "%s/%s", dir, name);
	return s;
}

/* The prototype's interface: config.json decides the job and the phase. */
static int cmd_seed(int argc, char **argv, int mode)
{
	const char *config = "config.json";
	int c;
	static const struct option opts[] = {
		{ "recording", no_argument, NULL, 'R' },
		{ "replaying", no_argument, NULL, 'P' },
		{ "config", required_argument, NULL, 'c' },
		{ 0 },
	};
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:", opts, NULL)) != -1) {
		switch (c) {
		case 'R': mode = 1; break;
		case 'P': mode = 2; break;
		case 'c': config = optarg; break;
		default: exit(EXIT_USAGE);
		}
	}
	struct job j;
	bool recording;
	char err[512];
	if (config_load(config, &j, &recording, err, sizeof(err)) < 0)
		die(EXIT_USAGE, "%s", err);
	if (mode == 0)
		mode = recording ? 1 : 2;
	if (mode == 2) {
		char *in = seed_file(&j, "recording.bin");
		char *out = seed_file(&j, "differences.bin");
		struct replay_opts o = { .input = in, .output = out, .policy = j.policy ? j.policy : "lax",
					 .stdout_path = j.stdout_path, .stderr_path = j.stderr_path,
					 .expect_job = j.name, .aslr = -1, .pin = true, .verbosity = j.verbosity,
					 .container = j.container };
		int rc = replay_run(&o);
		if (rc == EXIT_SAME || rc == EXIT_DIFFERENT)
			printf("%s\n", out);
		free(in);
		free(out);
		job_free(&j);
		return rc;
	}
	j.output = seed_file(&j, "recording.bin");
	int rc = record_run(&j);
	if (rc == 0)
		printf("%s\n", j.output);
	job_free(&j);
	return rc;
}

int main(int argc, char **argv)
{
	setting_note_start(); /* before any handler of ours hides an ignored signal */
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("sperrips %s (%s)\n", SPERRIPS_VERSION, SPERRIPS_COMMIT);
		return 0;
	}
	if (!strcmp(cmd, "record"))
		return cmd_record(argc - 1, argv + 1);
	if (!strcmp(cmd, "rootfs"))
		return rootfs_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "replay"))
		return cmd_replay(argc - 1, argv + 1);
	if (!strcmp(cmd, "show"))
		return cmd_show(argc - 1, argv + 1);
	if (!strcmp(cmd, "keygen"))
		return keygen_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "serve"))
		return serve_main(argc - 1, argv + 1);
	if (!strcmp(cmd, "--recording") || !strcmp(cmd, "--replaying") || !strcmp(cmd, "-c"))
		return cmd_seed(argc, argv, !strcmp(cmd, "--recording") ? 1 : !strcmp(cmd, "--replaying") ? 2 : 0);
	usage_error("unknown command \"%s\"", cmd);
}
