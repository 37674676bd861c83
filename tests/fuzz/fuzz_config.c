/* libFuzzer harness: any bytes as config.json (the prototype's job file).
 * Bad files must give a one-line error, never a crash or a leak. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/job.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("config", data, size);
	if (!path)
		return 0;
	struct job j;
	memset(&j, 0, sizeof(j));
	bool recording = false;
	char err[512] = "";
	if (config_load(path, &j, &recording, err, sizeof(err)) < 0 &&
	    (!err[0] || memchr(err, '\n', strnlen(err, sizeof(err)))))
		__builtin_trap(); /* the error must be one non-empty line */
	job_free(&j);
	return 0;
}
