/* sperrips keygen, and the key files of --sign and --verify. */
#ifndef SPERRIPS_KEYGEN_H
#define SPERRIPS_KEYGEN_H

#include <stdint.h>

struct seal_signer;

/** sperrips keygen NAME: writes NAME.key (mode 0600) and NAME.pub, never
 *  over an existing file. Returns the exit status. */
int keygen_main(int argc, char **argv);
/** The signing key of `path` (--sign), or exit 2 with a one-line reason. */
struct seal_signer *keygen_load_signer(const char *path);
/** The public key of `path` (--verify) into `pub`, or exit 2 with a
 *  one-line reason. */
void keygen_load_public(const char *path, uint8_t pub[32]);

#endif
