/* config.json in the prototype's format (src/base/job.h config_load). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sandbox/container.h"
#include "base/job.h"

static char tmpdir[] = "/tmp/sperrips-unit-cfg-XXXXXX";
static char cfg[300];

static int setup_dir(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(cfg, sizeof(cfg), "%s/config.json", tmpdir);
	return 0;
}

static int teardown_dir(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_cfg(const char *text)
{
	FILE *f = fopen(cfg, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Load `text`; expect failure whose message contains every string given. */
static bool need_path = true;

static void expect_error(const char *text, const char *must1, const char *must2)
{
	write_cfg(text);
	struct job j;
	bool rec = false;
	char err[512] = "";
	int r = config_load(cfg, &j, &rec, err, sizeof(err));
	if (r == 0) {
		job_free(&j);
		fail_msg("config accepted:\n%s", text);
	}
	assert_int_equal(r, -1);
	assert_true(err[0] != 0);
	assert_null(strchr(err, '\n'));
	if (need_path && !strstr(err, cfg))
		fail_msg("message \"%s\" does not name the file", err);
	if (must1 && !strstr(err, must1))
		fail_msg("message \"%s\" does not mention \"%s\"", err, must1);
	if (must2 && !strstr(err, must2))
		fail_msg("message \"%s\" does not mention \"%s\"", err, must2);
}

/* The prototype's own configuration, as seed.md describes it. */
static const char prototype_cfg[] =
	"{\n"
	"  \"recording\": true,\n"
	"  \"command\": \"eval_cat\",\n"
	"  \"lax_policy\": true,\n"
	"  \"commands\": {\n"
	"    \"eval_cat\": { \"args\": [\"/root/cat\", \"/etc/hostname\"], \"stdin\": \"\", \"is_hex\": false },\n"
	"    \"eval_echo\": { \"args\": [\"/root/echo\", \"Hello world!\"], \"stdin\": \"some input\\n\" },\n"
	"    \"eval_bin\": { \"args\": [\"/bin/cat\"], \"stdin\": \"00ff 41\\n0a\", \"is_hex\": true }\n"
	"  },\n"
	"  \"container\": {\n"
	"    \"enable_container\": false,\n"
	"    \"mount_point\": \"/mnt/sperrips\",\n"
	"    \"ol_lowerdir\": \"/srv/bullseye\",\n"
	"    \"ol_upperdir\": \"/srv/upper\",\n"
	"    \"ol_workdir\": \"/srv/work\"\n"
	"  },\n"
	"  \"workdir\": \"/root\",\n"
	"  \"stdout_file\": \"/tmp/out.txt\",\n"
	"  \"stderr_file\": \"/tmp/out.txt\",\n"
	"  \"verbosity\": 2\n"
	"}\n";

static void prototype_config(void **state)
{
	(void)state;
	write_cfg(prototype_cfg);
	struct job j;
	bool rec = false;
	char err[512] = "";
	if (config_load(cfg, &j, &rec, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_true(rec);
	assert_string_equal(j.name, "eval_cat");
	assert_int_equal(j.argc, 2);
	assert_string_equal(j.argv[0], "/root/cat");
	assert_string_equal(j.argv[1], "/etc/hostname");
	assert_null(j.argv[2]);
	assert_int_equal(j.stdin_len, 0);
	assert_non_null(j.policy);
	assert_string_equal(j.policy, "lax");
	assert_string_equal(j.workdir, "/root");
	assert_string_equal(j.stdout_path, "/tmp/out.txt");
	assert_string_equal(j.stderr_path, "/tmp/out.txt");
	assert_int_equal(j.verbosity, 2);
	assert_null(j.container);
	assert_int_equal(j.n_env, 0); /* the prototype ran with an empty environment */
	assert_false(j.aslr);
	job_free(&j);
}

static char *replace(const char *text, const char *from, const char *to)
{
	const char *p = strstr(text, from);
	assert_non_null(p);
	char *out = malloc(strlen(text) + strlen(to) + 1);
	assert_non_null(out);
	size_t k = (size_t)(p - text);
	memcpy(out, text, k);
	strcpy(out + k, to);
	strcat(out, p + strlen(from));
	return out;
}

static void text_stdin_and_replaying(void **state)
{
	(void)state;
	char *a = replace(prototype_cfg, "\"command\": \"eval_cat\"", "\"command\": \"eval_echo\"");
	char *t = replace(a, "\"recording\": true", "\"recording\": false");
	char *u = replace(t, "\"lax_policy\": true", "\"lax_policy\": false");
	write_cfg(u);
	free(a);
	free(t);
	free(u);
	struct job j;
	bool rec = true;
	char err[512] = "";
	if (config_load(cfg, &j, &rec, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_false(rec);
	assert_string_equal(j.name, "eval_echo");
	assert_string_equal(j.argv[1], "Hello world!");
	assert_int_equal(j.stdin_len, 11);
	assert_memory_equal(j.stdin_data, "some input\n", 11);
	assert_string_equal(j.policy, "strict");
	job_free(&j);
}

static void hex_stdin(void **state)
{
	(void)state;
	char *t = replace(prototype_cfg, "\"command\": \"eval_cat\"", "\"command\": \"eval_bin\"");
	write_cfg(t);
	free(t);
	struct job j;
	bool rec = false;
	char err[512] = "";
	if (config_load(cfg, &j, &rec, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	static const uint8_t want[] = { 0x00, 0xff, 0x41, 0x0a };
	assert_int_equal(j.stdin_len, sizeof(want));
	assert_memory_equal(j.stdin_data, want, sizeof(want));
	job_free(&j);

	expect_error("{\"command\": \"x\", \"commands\": {\"x\": {\"args\": [\"/bin/cat\"], \"stdin\": \"zz\", \"is_hex\": true}}}",
		     "hex", NULL);
	expect_error("{\"command\": \"x\", \"commands\": {\"x\": {\"args\": [\"/bin/cat\"], \"stdin\": \"abc\", \"is_hex\": true}}}",
		     "hex", NULL);
}

static void minimal_config_defaults(void **state)
{
	(void)state;
	write_cfg("{\"command\": \"j\", \"commands\": {\"j\": {\"args\": [\"/bin/true\"]}}}");
	struct job j;
	bool rec = false;
	char err[512] = "";
	if (config_load(cfg, &j, &rec, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_true(rec); /* recording unless said otherwise */
	assert_string_equal(j.name, "j");
	assert_int_equal(j.argc, 1);
	assert_null(j.workdir);
	assert_null(j.stdout_path);
	assert_int_equal(j.stdin_len, 0);
	assert_true(j.pin);
	job_free(&j);
}

static void missing_and_unknown_command(void **state)
{
	(void)state;
	expect_error("{\"commands\": {\"j\": {\"args\": [\"/bin/true\"]}}}", "command", NULL);
	expect_error("{\"command\": \"other\", \"commands\": {\"j\": {\"args\": [\"/bin/true\"]}}}", "other", NULL);
	expect_error("{\"command\": \"j\"}", "commands", NULL);
	expect_error("{\"command\": \"j\", \"commands\": {\"j\": {}}}", "args", NULL);
	expect_error("{\"command\": \"j\", \"commands\": {\"j\": {\"args\": []}}}", "args", NULL);
}

static void wrong_types(void **state)
{
	(void)state;
	expect_error("{\"command\": 5, \"commands\": {\"j\": {\"args\": [\"/bin/true\"]}}}", "command", NULL);
	expect_error("{\"command\": \"j\", \"commands\": [1, 2]}", "commands", NULL);
	expect_error("{\"command\": \"j\", \"commands\": {\"j\": {\"args\": \"/bin/true\"}}}", "args", NULL);
	expect_error("{\"command\": \"j\", \"commands\": {\"j\": {\"args\": [\"/bin/true\", 7]}}}", "args", NULL);
	expect_error("{\"recording\": \"yes\", \"command\": \"j\", \"commands\": {\"j\": {\"args\": [\"/bin/true\"]}}}",
		     "recording", NULL);
	expect_error("{\"command\": \"j\", \"workdir\": 3, \"commands\": {\"j\": {\"args\": [\"/bin/true\"]}}}",
		     "workdir", NULL);
	expect_error("{\"command\": \"j\", \"verbosity\": \"loud\", \"commands\": {\"j\": {\"args\": [\"/bin/true\"]}}}",
		     "verbosity", NULL);
	expect_error("{\"command\": \"j\", \"verbosity\": 9, \"commands\": {\"j\": {\"args\": [\"/bin/true\"]}}}",
		     "verbosity", NULL);
	expect_error("{\"command\": \"j\", \"commands\": {\"j\": {\"args\": [\"/bin/cat\"], \"stdin\": 12}}}", "stdin", NULL);
	expect_error("[1, 2, 3]", "object", NULL);
}

static void invalid_json_names_file_and_line(void **state)
{
	(void)state;
	/* A missing comma on line 3. */
	expect_error("{\n  \"command\": \"j\"\n  \"commands\": {}\n}\n", ":3:", NULL);
	/* Cut short. */
	expect_error("{\n  \"command\": \"j\",\n", "invalid JSON", NULL);
	/* Trailing garbage on line 2. */
	expect_error("{\"command\": \"j\", \"commands\": {\"j\": {\"args\": [\"/bin/true\"]}}}\nxyz\n", ":2:", NULL);
	expect_error("", "JSON", NULL);
}

static void trailing_whitespace_is_fine(void **state)
{
	(void)state;
	write_cfg("{\"command\": \"j\", \"commands\": {\"j\": {\"args\": [\"/bin/true\"]}}}\n\n  \t\n");
	struct job j;
	bool rec;
	char err[512] = "";
	if (config_load(cfg, &j, &rec, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	job_free(&j);
}

static void container_keys(void **state)
{
	(void)state;
	char *t = replace(prototype_cfg, "\"enable_container\": false", "\"enable_container\": true");
	write_cfg(t);
	struct job j;
	bool rec;
	char err[512] = "";
	if (config_load(cfg, &j, &rec, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_non_null(j.container);
	assert_string_equal(j.container->lower, "/srv/bullseye");
	assert_string_equal(j.container->upper, "/srv/upper");
	assert_string_equal(j.container->work, "/srv/work");
	assert_string_equal(j.container->mount_point, "/mnt/sperrips");
	assert_false(j.container->net_none);
	job_free(&j);
	/* Without a lower layer there is no root to run in: say which key. */
	char *u = replace(t, "\"ol_lowerdir\": \"/srv/bullseye\",", "");
	need_path = false;
	expect_error(u, "ol_lowerdir", NULL);
	need_path = true;
	free(u);
	free(t);
}

static void missing_file(void **state)
{
	(void)state;
	struct job j;
	bool rec;
	char err[512] = "";
	char path[400];
	snprintf(path, sizeof(path), "%s/nope.json", tmpdir);
	assert_int_equal(config_load(path, &j, &rec, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	assert_null(strchr(err, '\n'));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(prototype_config),
		cmocka_unit_test(text_stdin_and_replaying),
		cmocka_unit_test(hex_stdin),
		cmocka_unit_test(minimal_config_defaults),
		cmocka_unit_test(missing_and_unknown_command),
		cmocka_unit_test(wrong_types),
		cmocka_unit_test(invalid_json_names_file_and_line),
		cmocka_unit_test(trailing_whitespace_is_fine),
		cmocka_unit_test(container_keys),
		cmocka_unit_test(missing_file),
	};
	return cmocka_run_group_tests_name("config", tests, setup_dir, teardown_dir);
}
