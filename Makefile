# sperrips — build, demo, tests, benchmarks.
# `make` builds build/sperrips; `make demo` and `make check` first install the
# Debian packages they need (scripts/deps), so they work on a fresh machine.

CC       ?= cc
BUILD    ?= build
SAN      ?=
CFLAGS   ?= -O2 -g
# override: also when CFLAGS is given on the command line (make sanitize
# gives -O1 -g), or the sanitizers would be linked but never compiled in.
override CFLAGS += -std=gnu11 -Wall -Wextra -Werror -Wno-missing-field-initializers $(SAN)
CPPFLAGS += -Isrc -I$(BUILD) -D_GNU_SOURCE
LDFLAGS  += $(SAN)
LDLIBS   += -lprotobuf-c -ljson-c -lcrypto -lzstd -lsodium

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

# The BPF recorder (issue 15): vmlinux.h from the running kernel's BTF by
# bpftool, src/trace/bpf/*.bpf.c compiled by clang -target bpf (CO-RE), a
# skeleton by bpftool gen skeleton, linked with libbpf. Without any of them
# the build goes on without the backend and says why (SPERRIPS_BPF_WHY).
BTF       ?= /sys/kernel/btf/vmlinux
BPFTOOL   ?= $(shell command -v bpftool || ls /usr/sbin/bpftool 2>/dev/null)
BPF_CLANG ?= clang
BPF_WHY := $(strip \
	$(if $(shell command -v $(BPF_CLANG)),,clang not found) \
	$(if $(BPFTOOL),,bpftool not found) \
	$(if $(wildcard $(BTF)),,no kernel BTF at $(BTF)) \
	$(if $(wildcard /usr/include/bpf/libbpf.h),,libbpf-dev not installed))
ifeq ($(BPF_WHY),)
LDLIBS += -lbpf -lelf -lz
$(BUILD)/obj/trace/bpf_source.o: CPPFLAGS += -DSPERRIPS_HAVE_BPF
$(BUILD)/obj/trace/bpf_source.o: $(BUILD)/record.skel.h
else
$(BUILD)/obj/trace/bpf_source.o: CPPFLAGS += -DSPERRIPS_BPF_WHY='"$(BPF_WHY)"'
endif

$(BUILD)/vmlinux.h:
	@mkdir -p $(BUILD)
	$(BPFTOOL) btf dump file $(BTF) format c > $@.tmp && mv $@.tmp $@

$(BUILD)/record.bpf.o: src/trace/bpf/record.bpf.c src/trace/bpf/record_abi.h $(BUILD)/vmlinux.h
	$(BPF_CLANG) -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror -Isrc -I$(BUILD) -c -o $@ $<

$(BUILD)/record.skel.h: $(BUILD)/record.bpf.o
	$(BPFTOOL) gen skeleton $< name record_bpf > $@.tmp && mv $@.tmp $@

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

# Fuzzing of everything that reads input (not part of check): each harness
# tests/fuzz/fuzz_NAME.c runs under clang's libFuzzer with ASan/UBSan for
# FUZZ_SECONDS on inputs up to FUZZ_MAX_LEN, then a gcc ASan/UBSan build of
# the same harness (driver.c) replays its whole corpus as a regression.
FUZZ_SECONDS ?= 60
FUZZ_MAX_LEN ?= 4194304
FUZZ_NAMES := reader compare policy config
FUZZ_SRC := $(LIB_SRC) $(BUILD)/sperrips.pb-c.c
FUZZ_CFLAGS := $(CPPFLAGS) -Itests/fuzz -std=gnu11 -g -O1 -fno-sanitize-recover=all
$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(LIB_SRC) $(GEN)
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_SRC) $(LDLIBS)

$(BUILD)/fuzz/gcc_%: tests/fuzz/fuzz_%.c tests/fuzz/driver.c tests/fuzz/fuzz_util.h $(LIB_SRC) $(GEN)
	@mkdir -p $(dir $@)
	gcc $(FUZZ_CFLAGS) -fsanitize=address,undefined -o $@ $< tests/fuzz/driver.c $(FUZZ_SRC) $(LDLIBS)

fuzz: deps $(foreach n,$(FUZZ_NAMES),$(BUILD)/fuzz/fuzz_$(n) $(BUILD)/fuzz/gcc_$(n)) $(BUILD)/sperrips $(BUILD)/tracees/loop
	@BUILD=$(BUILD) tests/fuzz/seed
	@for n in $(FUZZ_NAMES); do \
		echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
		$(BUILD)/fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAX_LEN) -rss_limit_mb=4096 \
			-print_final_stats=1 $(BUILD)/fuzz/corpus-$$n 2>$(BUILD)/fuzz/$$n.log; rc=$$?; \
		grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==ERROR)" $(BUILD)/fuzz/$$n.log; \
		[ $$rc = 0 ] || { echo "fuzz: $$n failed, see $(BUILD)/fuzz/$$n.log"; exit 1; }; \
		$(BUILD)/fuzz/gcc_$$n $(BUILD)/fuzz/corpus-$$n $$(ls -d tests/fuzz/regress/$$n 2>/dev/null) || { echo "fuzz: gcc build of $$n failed on the corpus"; exit 1; }; \
	done
