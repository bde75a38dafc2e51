# Test guests (cross-compiled), host unit tests, system tests.

GUEST_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
	-mno-relax -ffreestanding -fno-builtin -fno-common \
	-fno-stack-protector -fno-pie -nostdlib -O2 -g -Wall -Wextra \
	-Werror -Wvla -I$(OPENSBI_SRC)/include \
	-I$(OPENSBI_SRC)/lib/utils/libfdt
GUEST_NAMES := $(basename $(notdir $(filter-out tests/guests/guest.c,\
	$(wildcard tests/guests/*.c))))
GUEST_RT := $(B)/guests/rt/crt0.o $(B)/guests/rt/guest.o \
	$(B)/guests/rt/print.o $(B)/guests/rt/fdt.o $(B)/guests/rt/fdt_ro.o \
	$(B)/guests/rt/sbi_string.o
GUEST_BINS := $(GUEST_NAMES:%=$(B)/guests/%.bin)

guests: $(GUEST_BINS)

$(B)/guests/rt/crt0.o: tests/guests/crt0.S
	@mkdir -p $(@D)
	@$(CC) $(GUEST_CFLAGS) -c -o $@ $<
$(B)/guests/rt/guest.o: tests/guests/guest.c tests/guests/guest.h
	@mkdir -p $(@D)
	@$(CC) $(GUEST_CFLAGS) -c -o $@ $<
$(B)/guests/rt/print.o: lib/print.c lib/print.h
	@mkdir -p $(@D)
	@$(CC) $(GUEST_CFLAGS) -c -o $@ $<
$(B)/guests/rt/%.o: $(OPENSBI_SRC)/lib/utils/libfdt/%.c
	@mkdir -p $(@D)
	@$(CC) $(GUEST_CFLAGS) -w -c -o $@ $<
$(B)/guests/rt/sbi_string.o: $(OPENSBI_SRC)/lib/sbi/sbi_string.c
	@mkdir -p $(@D)
	@$(CC) $(GUEST_CFLAGS) -w -c -o $@ $<
# Guests linked elsewhere than 0x80200000: identity-mapped configured
# guests run at their host RAM base + 2 MiB (tests/configs/passthrough.dts).
# The symbol must be defined before the script is read.
$(B)/guests/ptrtc.elf: GUEST_LDFLAGS := -Wl,--defsym=GUEST_BASE=0x88200000
$(B)/guests/%.elf: tests/guests/%.c $(wildcard tests/guests/*.h) $(GUEST_RT) \
		tests/guests/guest.ld tests/tests.mk
	@echo "  GUEST     $@"
	@$(CC) $(GUEST_CFLAGS) -static -Wl,--no-warn-rwx-segments \
		$(GUEST_LDFLAGS) -Wl,-T,tests/guests/guest.ld -o $@ $< \
		$(GUEST_RT) -lgcc
$(B)/guests/%.bin: $(B)/guests/%.elf
	@$(OBJCOPY) -O binary $< $@

# ---- host unit tests (cmocka, sanitizers on) ----
UNIT_CFLAGS := -O1 -g -Wall -Wextra -Werror -Wvla -D__riscv_xlen=64 \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Iinclude -Ihyp -I$(OPENSBI_SRC)/include
UNIT_NAMES := $(basename $(notdir $(wildcard tests/unit/test_*.c)))
UNIT_BINS := $(UNIT_NAMES:%=$(B)/unit/%)
UNIT_LIBSRC := lib/sbibase.c lib/print.c hyp/core/gstage.c \
	hyp/arch/insn.c hyp/dev/vplic.c hyp/core/sched.c hyp/core/sched_rr.c hyp/core/sched_rm.c \
	hyp/arch/gwalk.c

# the configuration parser: host libfdt (-lfdt) and OpenSBI's string functions
UNIT_LIBSRC += hyp/config/cfg.c hyp/config/cfg_dt.c hyp/config/cfg_pt.c \
	$(OPENSBI_SRC)/lib/sbi/sbi_string.c

# the parser's tests share their device-tree helpers
CFG_TREE := tests/unit/cfg_tree.c
$(B)/unit/test_cfg $(B)/unit/test_cfg_pt: UNIT_EXTRA := $(CFG_TREE)
$(B)/unit/test_cfg $(B)/unit/test_cfg_pt: $(CFG_TREE) tests/unit/cfg_tree.h

# the guest ISA string: the test includes guestdt_isa.c after the fuzzers'
# host stand-in for hyp.h (RISC-V asm)
$(B)/unit/test_guestdt_isa: hyp/config/guestdt_isa.c tests/fuzz/hyp_host.h

unit: $(UNIT_BINS)
$(B)/unit/%: tests/unit/%.c tests/unit/unit.h $(UNIT_LIBSRC)
	@mkdir -p $(@D)
	@echo "  HOSTCC    $@"
	@gcc $(UNIT_CFLAGS) -o $@ $< $(UNIT_EXTRA) $(UNIT_LIBSRC) -lcmocka -lfdt
.SECONDARY:
