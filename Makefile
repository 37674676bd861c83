# sperrips — build, demo, tests, benchmarks.
# `make` builds build/sperrips; `make demo` and `make check` first install the
# Debian packages they need (scripts/deps), so they work on a fresh machine.

CC       ?= cc
BUILD    ?= build
SAN      ?=
CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Werror -Wno-missing-field-initializers $(SAN)
CPPFLAGS += -Isrc -I$(BUILD) -D_GNU_SOURCE
LDFLAGS  += $(SAN)
LDLIBS   += -lprotobuf-c -ljson-c -lcrypto

VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
COMMIT   := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
CPPFLAGS += -DSPERRIPS_VERSION='"$(VERSION)"' -DSPERRIPS_COMMIT='"$(COMMIT)"'

LIB_SRC  := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
LIB_OBJ  := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRC)) $(BUILD)/obj/sperrips.pb-c.o
GEN      := $(BUILD)/sperrips.pb-c.h $(BUILD)/help.h

.PHONY: all deps demo check test unit e2e bench clean sanitize fuzz man install uninstall deb
all: $(BUILD)/sperrips

deps:
	@scripts/deps

$(BUILD)/sperrips.pb-c.c $(BUILD)/sperrips.pb-c.h: proto/sperrips.proto
	@mkdir -p $(BUILD)
	protoc-c --proto_path=proto --c_out=$(BUILD) proto/sperrips.proto

# Each command's --help, from its man page source.
$(BUILD)/help.h: scripts/gen-help $(wildcard doc/sperrips-*.1.scd)
	@mkdir -p $(BUILD)
	scripts/gen-help > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/sperrips.pb-c.o: $(BUILD)/sperrips.pb-c.c $(BUILD)/sperrips.pb-c.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Wno-unused-parameter -c -o $@ $<

$(BUILD)/obj/%.o: src/%.c $(GEN)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libsperrips.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/sperrips: $(BUILD)/obj/cli/main.o $(BUILD)/libsperrips.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# Tests ----------------------------------------------------------------------
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
TRACEE_SRC := $(wildcard tests/tracees/*.c)
TRACEE_BIN := $(patsubst tests/tracees/%.c,$(BUILD)/tracees/%,$(TRACEE_SRC))

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsperrips.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(BUILD)/libsperrips.a $(LDFLAGS) $(LDLIBS) -lcmocka

# Tracees are plain programs; no sanitizer so their syscalls stay exactly known.
$(BUILD)/tracees/%: tests/tracees/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/pyproto/sperrips_pb2.py: proto/sperrips.proto
	@mkdir -p $(dir $@)
	protoc --proto_path=proto --python_out=$(dir $@) proto/sperrips.proto

test: $(BUILD)/sperrips $(UNIT_BIN) $(TRACEE_BIN) $(BUILD)/pyproto/sperrips_pb2.py
	@BUILD=$(BUILD) tests/run

# In CI (CI set) also the slow container tests over a debootstrap root
# (built once, cached in build/cache) and the sanitizer pass.
check: deps
	@if [ -n "$$CI" ]; then export SPERRIPS_SLOW=1; fi; $(MAKE) --no-print-directory test
	@if [ -n "$$CI" ]; then SPERRIPS_SLOW=1 $(MAKE) --no-print-directory sanitize; fi

# The same tests built with AddressSanitizer and UBSan, in a separate tree.
sanitize:
	@$(MAKE) --no-print-directory BUILD=build/asan SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' CFLAGS='-O1 -g' test

demo: deps
	@$(MAKE) --no-print-directory all $(BUILD)/tracees/hello_demo
	@scripts/demo $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory all
	@bench/run $(BENCH_ARGS)

clean:
	rm -rf build

# Install --------------------------------------------------------------------
# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, the man pages
# (doc/*.scd through scdoc), bash and zsh completion, the config.json format.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DOCDIR  ?= $(PREFIX)/share/doc/sperrips
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/vendor-completions
MAN_SRC := $(wildcard doc/*.1.scd)
MAN     := $(patsubst doc/%.scd,$(BUILD)/man/%,$(MAN_SRC))

$(BUILD)/man/%: doc/%.scd
	@mkdir -p $(dir $@)
	@command -v scdoc >/dev/null || { echo "sperrips: scdoc is needed for the man pages (apt-get install scdoc)" >&2; exit 1; }
	scdoc < $< > $@.tmp && mv $@.tmp $@

man: $(MAN)

install: all man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR) $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 755 $(BUILD)/sperrips $(DESTDIR)$(BINDIR)/sperrips
	install -m 644 $(MAN) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 doc/config.md $(DESTDIR)$(DOCDIR)/config.md
	install -m 644 completions/sperrips.bash $(DESTDIR)$(BASHCOMPDIR)/sperrips
	install -m 644 completions/_sperrips $(DESTDIR)$(ZSHCOMPDIR)/_sperrips

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/sperrips $(DESTDIR)$(DOCDIR)/config.md \
	      $(DESTDIR)$(BASHCOMPDIR)/sperrips $(DESTDIR)$(ZSHCOMPDIR)/_sperrips \
	      $(patsubst doc/%.scd,$(DESTDIR)$(MANDIR)/man1/%,$(MAN_SRC))
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null

# A Debian package with Debian's own tools (debian/), into build/deb/. It is
# built from a copy of the tree in $(BUILD)/debsrc, since dpkg-buildpackage
# writes its results beside the source folder.
deb:
	@scripts/deps --deb
	rm -rf $(BUILD)/debsrc && mkdir -p $(BUILD)/debsrc/sperrips $(BUILD)/deb
	tar -c --exclude=./build --exclude=./.git --exclude=./debian/.debhelper --exclude=./debian/sperrips . \
	  | tar -x -C $(BUILD)/debsrc/sperrips
	cd $(BUILD)/debsrc/sperrips && dpkg-buildpackage -us -uc -b
	mv $(BUILD)/debsrc/*.deb $(BUILD)/debsrc/*.buildinfo $(BUILD)/debsrc/*.changes $(BUILD)/deb/
	@ls $(BUILD)/deb/*.deb

# Fuzz the reader and the renderer with libFuzzer (clang); not part of check.
FUZZ_SECONDS ?= 60
FUZZ_SRC := $(LIB_SRC) $(BUILD)/sperrips.pb-c.c
$(BUILD)/fuzz/fuzz_reader: tests/fuzz/fuzz_reader.c $(LIB_SRC) $(GEN)
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $< $(FUZZ_SRC) $(LDLIBS)

fuzz: deps $(BUILD)/fuzz/fuzz_reader $(BUILD)/tracees/loop
	@mkdir -p $(BUILD)/fuzz/corpus
	@$(BUILD)/sperrips record -o $(BUILD)/fuzz/seed.bin --stdout /dev/null -- $(BUILD)/tracees/loop 3 2>/dev/null; \
	 head -c 3000 $(BUILD)/fuzz/seed.bin > $(BUILD)/fuzz/corpus/head.bin; \
	 tail -c 3000 $(BUILD)/fuzz/seed.bin > $(BUILD)/fuzz/corpus/tail.bin
	$(BUILD)/fuzz/fuzz_reader -max_total_time=$(FUZZ_SECONDS) -max_len=8192 $(BUILD)/fuzz/corpus
