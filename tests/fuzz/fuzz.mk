# libFuzzer fuzzers (clang, ASan + UBSan) for the code that takes guest- or
# user-controlled data; docs/testing.md, "Fuzzers". `make fuzzers` builds
# them into build/fuzz/, `make fuzz` runs each for FUZZ_TIME seconds.

FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FB := $(B)/fuzz
FUZZ_NAMES := insn vplic vuart hmask gstage cfg guestdt gwalk
FUZZ_BINS := $(FUZZ_NAMES:%=$(FB)/fuzz_%)

# OpenSBI's headers as system headers: sbi_types.h and the host's libc
# define NULL and size_t each their own way. HS's own libfdt and string
# routines are compiled for the host too (instrumented, so the fuzzer
# sees their branches), as HS compiles them in place.
FUZZ_SAN := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fsanitize-coverage-ignorelist=tests/fuzz/coverage.ignore
FUZZ_CFLAGS := -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Werror -Wvla \
	-D__riscv_xlen=64 -Iinclude -Ihyp -isystem $(OPENSBI_SRC)/include \
	-isystem $(OPENSBI_SRC)/lib/utils/libfdt
FUZZ_DEPS := tests/fuzz/fuzz.h tests/fuzz/fuzz.mk tests/fuzz/coverage.ignore \
	$(wildcard hyp/*/*.h lib/*.h \
	include/sbivisor/*.h)
FUZZ_EXT := $(LIBFDT:%.c=$(FB)/ext/%.o) $(FB)/ext/sbi_string.o

# Per target: the code under test and the harness's own helpers
FUZZ_SRC_insn := hyp/arch/insn.c
FUZZ_SRC_vplic := hyp/dev/vplic.c
FUZZ_SRC_vuart := hyp/dev/vuart.c
FUZZ_SRC_hmask :=
FUZZ_SRC_gstage := hyp/core/gstage.c
FUZZ_SRC_gwalk := hyp/arch/gwalk.c
FUZZ_SRC_cfg := hyp/config/cfg.c hyp/config/cfg_dt.c hyp/config/cfg_pt.c lib/print.c \
	tests/fuzz/fdt_mutate.c
FUZZ_SRC_guestdt := hyp/config/guestdt.c hyp/config/guestdt_isa.c hyp/host/hostdt.c hyp/config/cfg.c hyp/config/cfg_dt.c \
	hyp/config/cfg_pt.c lib/print.c tests/fuzz/fdt_mutate.c
# guestdt.c and hostdt.c include hyp.h (RISC-V asm): hyp_host.h stands in
$(FB)/fuzz_guestdt: FUZZ_EXTRA := -include tests/fuzz/hyp_host.h
$(FB)/fuzz_guestdt: tests/fuzz/hyp_host.h
$(FB)/fuzz_cfg $(FB)/fuzz_guestdt: $(FUZZ_EXT)

.PHONY: fuzzers fuzz
fuzzers: $(FUZZ_BINS)

fuzz: fuzzers
	@$(PYTHON) scripts/fuzz.py --time $(FUZZ_TIME)

# One rule per target: the harness, then the code under test
define FUZZ_RULE
$(FB)/fuzz_$(1): tests/fuzz/fuzz_$(1).c $(FUZZ_SRC_$(1)) $(FUZZ_DEPS)
	@mkdir -p $$(@D)
	@echo "  FUZZCC    $$@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) $$(FUZZ_EXTRA) -o $$@ $$< \
		$(FUZZ_SRC_$(1)) $$(filter $(FB)/ext/%.o,$$^)
endef
$(foreach t,$(FUZZ_NAMES),$(eval $(call FUZZ_RULE,$(t))))

# libfdt reads a blob's header offsets as the firmware gave them: a
# misaligned one means misaligned loads (RISC-V takes them, slowly), not
# a fault of ours. It is built with -fwrapv as HS builds it (Makefile).
# Everything else it does stays checked, and its branches are covered,
# but its comparisons are not traced: the harness's mutator and
# dictionaries know the format, and tracing cost 2-3x the speed.
FUZZ_EXT_SAN := -fsanitize=address,undefined \
	-fsanitize-coverage=inline-8bit-counters,pc-table \
	-fno-sanitize-recover=all -fno-sanitize=alignment -fwrapv
$(FB)/ext/%.o: $(OPENSBI_SRC)/lib/utils/libfdt/%.c tests/fuzz/fuzz.mk
	@mkdir -p $(@D)
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -w $(FUZZ_EXT_SAN) -c -o $@ $<

$(FB)/ext/sbi_string.o: $(OPENSBI_SRC)/lib/sbi/sbi_string.c tests/fuzz/fuzz.mk
	@mkdir -p $(@D)
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -w $(FUZZ_EXT_SAN) -c -o $@ $<
