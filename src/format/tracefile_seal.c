/* What --verify asks of a reader's input, and what replay says of an
 * input whose origin is not checked (tracefile.h). */
#include "format/tracefile.h"

#include <stdio.h>
#include <string.h>

#include "format/seal.h"

int tf_verify_signer(const struct tf_reader *r, const uint8_t key[32], const char *keyfile, char *err,
		     size_t errlen)
{
	const uint8_t *signer = tf_signer(r);
	char want[17], got[17];
	seal_fingerprint(key, want);
	if (!signer) {
		snprintf(err, errlen, "bad record at byte 0: the header names no signer (not a signed recording; "
			 "--verify %s wants key %s)", keyfile, want);
		return -1;
	}
	if (memcmp(signer, key, SEAL_PUBLIC_BYTES)) {
		seal_fingerprint(signer, got);
		snprintf(err, errlen, "bad record at byte 0: signed by key %s, not by %s (key %s)", got, keyfile, want);
		return -1;
	}
	return 0;
}

void tf_origin_note(const struct tf_reader *r, char *out, size_t outlen)
{
	const uint8_t *signer = tf_signer(r);
	if (!signer) {
		snprintf(out, outlen, "note: the recording is not signed: its origin is unchecked");
		return;
	}
	char fp[17];
	seal_fingerprint(signer, fp);
	snprintf(out, outlen, "note: the recording is signed by key %s, but no --verify KEY.pub said whose key "
		 "that is: its origin is unchecked", fp);
}
