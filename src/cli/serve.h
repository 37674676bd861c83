#ifndef SPERRIPS_SERVE_H
#define SPERRIPS_SERVE_H

/** sperrips serve: the live verifier's command line and accept loop.
 *  Returns the exit status (128+N when stopped by signal N). */
int serve_main(int argc, char **argv);

#include <stdint.h>
struct seal_signer;
/** The key files of --key, --server, --allow; a bad one ends the program
 *  (exit 2) with a message naming the option `opt`. */
void live_load_secret(const char *opt, const char *path, struct seal_signer *out);
void live_load_public(const char *opt, const char *path, uint8_t out[32]);

#endif
