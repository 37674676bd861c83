/* config.json in the prototype's format (seed.md), through json-c. */
#include "base/job.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/container.h"
#include "base/util.h"

void job_free(struct job *j)
{
	free(j->name);
	strv_free(j->argv, j->argc);
	free(j->stdin_data);
	strv_free(j->env, j->n_env);
	free(j->workdir);
	free(j->stdout_path);
	free(j->stderr_path);
	free(j->output);
	free(j->input);
	free(j->policy);
	free(j->map_store);
	container_opts_free(j->container);
	memset(j, 0, sizeof(*j));
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); goto out; } while (0)

/* Optional key of a given type: 1 found, 0 absent, -1 of another type. */
static int get(json_object *o, const char *key, json_type type, json_object **out)
{
	if (!json_object_object_get_ex(o, key, out) || json_object_is_type(*out, json_type_null))
		return 0;
	if (!json_object_is_type(*out, type)) {
		/* Integers are acceptable where a boolean is expected (0/1). */
		if (type == json_type_boolean && json_object_is_type(*out, json_type_int))
			return 1;
		return -1;
	}
	return 1;
}

static const char *type_name(json_type t)
{
	switch (t) {
	case json_type_boolean: return "a boolean";
	case json_type_int: return "an integer";
	case json_type_string: return "a string";
	case json_type_object: return "an object";
	case json_type_array: return "an array";
	default: return "a value";
	}
}

int config_load(const char *path, struct job *j, bool *recording, char *err, size_t errlen)
{
	int rc = -1;
	memset(j, 0, sizeof(*j));
	j->pin = true;
	uint8_t *text = NULL;
	size_t len = 0;
	int e = read_file(path, &text, &len);
	if (e < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(-e));
		return -1;
	}
	text = realloc(text, len + 1);
	text[len] = 0;
	json_tokener *tok = json_tokener_new();
	json_object *root = json_tokener_parse_ex(tok, (char *)text, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	if (!root || jerr != json_tokener_success || (size_t)json_tokener_get_parse_end(tok) < len) {
		/* Allow trailing whitespace only. */
		size_t end = json_tokener_get_parse_end(tok);
		while (root && end < len && (text[end] == ' ' || text[end] == '\n' || text[end] == '\t' || text[end] == '\r'))
			end++;
		if (!root || end < len) {
			int line = 1;
			for (size_t i = 0; i < json_tokener_get_parse_end(tok) && i < len; i++)
				line += text[i] == '\n';
			snprintf(err, errlen, "%s:%d: invalid JSON: %s", path, line,
				 root ? "unexpected text after the object" : json_tokener_error_desc(jerr));
			json_object_put(root);
			json_tokener_free(tok);
			free(text);
			return -1;
		}
	}
	json_tokener_free(tok);
	json_object *v, *cmds, *cmd;
#define GET(obj, key, type)                                                              \
	({                                                                               \
		int k_ = get(obj, key, type, &v);                                        \
		if (k_ < 0)                                                              \
			FAIL("%s: \"%s\" must be %s", path, key, type_name(type));        \
		k_;                                                                      \
	})
	if (!json_object_is_type(root, json_type_object))
		FAIL("%s: the configuration must be a JSON object", path);
	*recording = true;
	if (GET(root, "recording", json_type_boolean))
		*recording = json_object_get_boolean(v);
	if (!GET(root, "command", json_type_string))
		FAIL("%s: \"command\" (the name of the job to run) is missing", path);
	const char *name = json_object_get_string(v);
	j->name = xstrdup(name);
	if (!GET(root, "commands", json_type_object))
		FAIL("%s: \"commands\" is missing", path);
	cmds = v;
	if (!json_object_object_get_ex(cmds, name, &cmd) || !json_object_is_type(cmd, json_type_object))
		FAIL("%s: \"commands\" has no job \"%s\"", path, name);
	if (!GET(cmd, "args", json_type_array) || json_object_array_length(v) == 0)
		FAIL("%s: commands.%s.args must be a non-empty array (args[0] is the program)", path, name);
	j->argc = json_object_array_length(v);
	j->argv = xcalloc(j->argc + 1, sizeof(char *));
	for (size_t i = 0; i < j->argc; i++) {
		json_object *a = json_object_array_get_idx(v, i);
		if (!json_object_is_type(a, json_type_string))
			FAIL("%s: commands.%s.args[%zu] must be a string", path, name, i);
		j->argv[i] = xstrdup(json_object_get_string(a));
	}
	bool is_hex = false;
	if (GET(cmd, "is_hex", json_type_boolean))
		is_hex = json_object_get_boolean(v);
	if (GET(cmd, "stdin", json_type_string)) {
		const char *s = json_object_get_string(v);
		if (is_hex) {
			if (hex_decode(s, &j->stdin_data, &j->stdin_len) < 0)
				FAIL("%s: commands.%s.stdin is not hex although is_hex is true", path, name);
		} else {
			j->stdin_len = (size_t)json_object_get_string_len(v);
			j->stdin_data = xmalloc(j->stdin_len + 1);
			memcpy(j->stdin_data, s, j->stdin_len);
		}
	}
	if (GET(root, "lax_policy", json_type_boolean))
		j->policy = xstrdup(json_object_get_boolean(v) ? "lax" : "strict");
	if (GET(root, "workdir", json_type_string))
		j->workdir = xstrdup(json_object_get_string(v));
	if (GET(root, "stdout_file", json_type_string))
		j->stdout_path = xstrdup(json_object_get_string(v));
	if (GET(root, "stderr_file", json_type_string))
		j->stderr_path = xstrdup(json_object_get_string(v));
	if (GET(root, "verbosity", json_type_int)) {
		j->verbosity = json_object_get_int(v);
		if (j->verbosity < 0 || j->verbosity > 3)
			FAIL("%s: \"verbosity\" must be 0 to 3", path);
	}
	if (GET(root, "container", json_type_object)) {
		json_object *c = v;
		bool enable = false;
		if (GET(c, "enable_container", json_type_boolean))
			enable = json_object_get_boolean(v);
		if (enable) {
			const char *keys[] = { "mount_point", "ol_lowerdir", "ol_upperdir", "ol_workdir" };
			const char *vals[4] = { NULL, NULL, NULL, NULL };
			for (int i = 0; i < 4; i++)
				if (GET(c, keys[i], json_type_string))
					vals[i] = json_object_get_string(v);
			if (container_from_config(&j->container, vals[0], vals[1], vals[2], vals[3], err, errlen) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	json_object_put(root);
	free(text);
	if (rc < 0) {
		job_free(j);
		/* it quotes names from the file (a job named "\nx" was found by fuzzing) */
		str_one_line(err);
	}
	return rc;
}
