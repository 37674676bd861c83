/* libFuzzer harness: any bytes as a JSON policy file (replay --policy),
 * then every lookup the comparison makes. Bad files must give a one-line
 * error, never a crash or a leak. Run by make fuzz. */
#include <stdint.h>
#include <string.h>

#include "fuzz_util.h"
#include "verify/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("policy", data, size);
	if (!path)
		return 0;
	struct policy p;
	memset(&p, 0, sizeof(p));
	char err[512];
	if (policy_load(&p, path, err, sizeof(err)) < 0) {
		if (!memchr(err, '\n', strnlen(err, sizeof(err))) && err[0])
			return 0;
		__builtin_trap(); /* the error must be one non-empty line */
	}
	static const char *const names[] = { "read", "write", "openat", "mmap", "getpid", "" };
	static const char *const fields[] = { "value", "bytes", "ptr", "" };
	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++)
		for (int a = 0; a <= POLICY_RET; a++)
			for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
				policy_lookup(&p, names[n], a, fields[f]);
	policy_free(&p);
	return 0;
}
