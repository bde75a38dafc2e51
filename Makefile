# sbivisor: OpenSBI 1.6 + M-mode guest SBI fast path + HS hypervisor.
# `make run` boots the demo; `make test` runs every test (see README).

CROSS_COMPILE ?= riscv64-linux-gnu-
DEPS_DIR ?= /var/cache/sbivisor
OPENSBI_SRC ?= $(DEPS_DIR)/opensbi-1.6
FASTPATH ?= 1
PYTHON ?= /usr/bin/python3
# make run's emulator: QEMU 10 from bookworm-backports (make deps unpacks
# it in the cache); QEMU=qemu-system-riscv64 for Debian 12's QEMU 7.2
QEMU ?= $(DEPS_DIR)/qemu10/qemu-system-riscv64

# Image layout (docs/architecture.md "Memory and boot", docs/architecture.md): OpenSBI at FW_BASE,
# HS at FW_BASE + HS_OFFSET for HS_SIZE bytes, the file padded to IMAGE_PAD
# so the loader's kernel lands at FW_BASE + IMAGE_PAD. Guest RAM starts at
# the end of HS: payloads such as U-Boot keep their early stack just below
# their load address, as they do on fw_jump.bin.
#
# MAX_HARTS: the hart ids guests run on (0..MAX_HARTS-1; more are parked).
# 8 keeps the compact layout. Past 8, OpenSBI's own region (12 KiB of
# stack and scratch per hart, its PMP rules rounded up to naturally
# aligned powers of two) reaches past 0x80080000, so HS moves to 2 MiB
# and the payload to 6 MiB, with the same gap below the payload
# (docs/architecture.md). At most 64: hart masks are one word.
FW_BASE := 0x80000000
MAX_HARTS ?= 8
ifeq ($(shell [ $(MAX_HARTS) -ge 1 ] && [ $(MAX_HARTS) -le 64 ] && echo ok),)
$(error MAX_HARTS=$(MAX_HARTS): 1 to 64)
endif
ifeq ($(shell [ $(MAX_HARTS) -le 8 ] && echo small),small)
HS_OFFSET := 0x80000
HS_SIZE := 0x100000
IMAGE_PAD := 0x200000
VARIANT :=
else
HS_OFFSET := 0x200000
HS_SIZE := 0x200000
IMAGE_PAD := 0x600000
VARIANT := -h$(MAX_HARTS)
endif
HS_BASE := $(shell printf '0x%x' $$(($(FW_BASE) + $(HS_OFFSET))))

B := build
V := $(B)/fp$(FASTPATH)$(VARIANT)
CC := $(CROSS_COMPILE)gcc
OBJCOPY := $(CROSS_COMPILE)objcopy

HS_ARCH := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
	-mno-relax
HS_BASEFLAGS := $(HS_ARCH) -ffreestanding -fno-builtin -fno-common \
	-fno-stack-protector -fno-pie -nostdlib -O2 -g -MMD -MP \
	-Iinclude -Ihyp -I$(OPENSBI_SRC)/include -I$(OPENSBI_SRC)/lib/utils/libfdt \
	-I$(V)/gen -DSHV_HS_BASE=$(HS_BASE) -DSHV_HS_SIZE=$(HS_SIZE) \
	-DSHV_MAX_HARTS=$(MAX_HARTS)
HS_CFLAGS := $(HS_BASEFLAGS) -Wall -Wextra -Werror -Wvla \
	-Wno-unused-parameter
# libfdt adds blob-given lengths to int offsets and checks the sum after:
# those checks hold only if the sum wraps, so it is told that it does
# (docs/security.md, the host device tree row)
EXT_CFLAGS := $(HS_BASEFLAGS) -w -fwrapv

# hyp/ in floors (docs/architecture.md): main.c on top, the rest in folders
HYP_SRCS := $(wildcard hyp/*.c hyp/*/*.c) lib/sbibase.c \
	lib/print.c
HYP_SRCS := $(filter-out hyp/core/asm-offsets.c,$(HYP_SRCS))
HYP_ASMS := $(wildcard hyp/*/*.S)
LIBFDT := fdt.c fdt_addresses.c fdt_check.c fdt_ro.c fdt_rw.c fdt_sw.c fdt_wip.c \
	fdt_strerror.c
HYP_OBJS := $(HYP_SRCS:%.c=$(V)/%.o) $(HYP_ASMS:%.S=$(V)/%.o) \
	$(LIBFDT:%.c=$(V)/ext/libfdt/%.o) $(V)/ext/sbi_string.o

OPENSBI_OUT := $(V)/opensbi
FW_DYNAMIC := $(OPENSBI_OUT)/platform/platform/firmware/fw_dynamic.bin
STOCK_OUT := $(B)/opensbi-stock
STOCK_FW := $(STOCK_OUT)/platform/generic/firmware/fw_jump.bin

GUEST_KERNEL ?=
GUEST_INITRD ?=

.PHONY: all deps run run-demo test bench soak unit guests stock linux \
	linux-6.1 linux-6.12 \
	build-all clean format format-check FORCE
all: $(B)/sbivisor.bin $(B)/sbivisor.elf

deps:
	@scripts/deps.sh

# ---- M-mode: OpenSBI with our platform (out of tree, generic reused) ----
# OpenSBI's build does not track our -D flags: rebuild when they change
LAYOUT := $(FW_BASE) $(HS_BASE) $(HS_SIZE) $(FASTPATH) $(MAX_HARTS) \
	$(OPENSBI_SRC)
$(V)/layout.stamp: FORCE
	@mkdir -p $(@D)
	@echo "$(LAYOUT)" | cmp -s - $@ || \
		{ rm -rf $(OPENSBI_OUT); echo "$(LAYOUT)" > $@; }

# Offsets for firmware assembly (shared area, M's per-hart state)
$(V)/gen/masm-offsets.h: firmware/masm-offsets.c firmware/mhart.h \
		include/sbivisor/*.h lib/sbibase.h
	@mkdir -p $(@D)
	@$(CC) $(HS_CFLAGS) -S -o $(V)/gen/masm-offsets.s $<
	@sed -n 's/.*->\([A-Z_0-9]*\) \([0-9-]*\).*/#define \1 \2/p' \
		$(V)/gen/masm-offsets.s > $@.tmp && mv $@.tmp $@

$(FW_DYNAMIC): $(V)/layout.stamp $(V)/gen/masm-offsets.h FORCE
	@test -f $(OPENSBI_SRC)/Makefile || \
		{ echo "OpenSBI source missing: run 'make deps'" >&2; exit 1; }
	@{ $(MAKE) -s -C $(OPENSBI_SRC) PLATFORM_DIR=$(CURDIR) PLATFORM=platform \
		O=$(abspath $(OPENSBI_OUT)) CROSS_COMPILE=$(CROSS_COMPILE) \
		SHV_GEN=$(abspath $(V)/gen) \
		SHV_FW_BASE=$(FW_BASE) SHV_HS_BASE=$(HS_BASE) \
		SHV_HS_SIZE=$(HS_SIZE) SHV_FASTPATH=$(FASTPATH) \
		SHV_MAX_HARTS=$(MAX_HARTS) 2>&1; \
		echo $$? > $(V)/opensbi.rc; } | \
		grep -v "autoconf.h\|^ [A-Z-]* *[a-z]" || true
	@test "$$(cat $(V)/opensbi.rc)" = 0 && test -f $@

# ---- HS hypervisor ----
$(V)/gen/asm-offsets.h: hyp/core/asm-offsets.c hyp/*/*.h include/sbivisor/*.h
	@mkdir -p $(@D)
	@$(CC) $(HS_CFLAGS) -S -o $(V)/gen/asm-offsets.s $<
	@sed -n 's/.*->\([A-Z_0-9]*\) \([0-9-]*\).*/#define \1 \2/p' \
		$(V)/gen/asm-offsets.s > $@.tmp && mv $@.tmp $@

# Embedded guest (GUEST_KERNEL=): sizes reach boot.c through embed.h
EMBED_KSIZE = $(if $(GUEST_KERNEL),$(shell stat -c %s $(GUEST_KERNEL)),0)
EMBED_ISIZE = $(if $(GUEST_INITRD),$(shell stat -c %s $(GUEST_INITRD)),0)
EMBED_IOFF = $(shell echo $$(( ($(EMBED_KSIZE) + 0x1fffff) & ~0x1fffff )))
$(V)/gen/embed.h: FORCE
	@mkdir -p $(@D)
	@printf '#define SHV_EMBED_KERNEL_ADDR %sUL\n#define SHV_EMBED_KERNEL_SIZE %sUL\n#define SHV_EMBED_INITRD_OFFSET %sUL\n#define SHV_EMBED_INITRD_SIZE %sUL\n' \
		$(shell printf '0x%x' $$(($(FW_BASE) + $(IMAGE_PAD)))) \
		$(EMBED_KSIZE) $(if $(GUEST_INITRD),$(EMBED_IOFF),0) \
		$(EMBED_ISIZE) > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@

$(V)/hyp/config/boot.o: $(V)/gen/embed.h

$(V)/%.o: %.c $(V)/gen/asm-offsets.h
	@mkdir -p $(@D)
	@echo "  CC        $<"
	@$(CC) $(HS_CFLAGS) -c -o $@ $<

$(V)/%.o: %.S $(V)/gen/asm-offsets.h
	@mkdir -p $(@D)
	@echo "  AS        $<"
	@$(CC) $(HS_CFLAGS) -D__ASSEMBLER__ -c -o $@ $<

$(V)/ext/libfdt/%.o: $(OPENSBI_SRC)/lib/utils/libfdt/%.c
	@mkdir -p $(@D)
	@echo "  CC        $<"
	@$(CC) $(EXT_CFLAGS) -c -o $@ $<

$(V)/ext/sbi_string.o: $(OPENSBI_SRC)/lib/sbi/sbi_string.c
	@mkdir -p $(@D)
	@echo "  CC        $<"
	@$(CC) $(EXT_CFLAGS) -c -o $@ $<

$(V)/hyp.ld: hyp/arch/hyp.lds include/sbivisor/layout.h Makefile
	@mkdir -p $(@D)
	@$(CC) -E -P -x c -Iinclude -DSHV_HS_BASE=$(HS_BASE) \
		-DSHV_HS_SIZE=$(HS_SIZE) -DSHV_MAX_HARTS=$(MAX_HARTS) $< -o $@

$(V)/hyp.elf: $(HYP_OBJS) $(V)/hyp.ld
	@echo "  LD        $@"
	@$(CC) $(HS_ARCH) -nostdlib -static -Wl,--gc-sections -Wl,--no-warn-rwx-segments -Wl,-T,$(V)/hyp.ld \
		-o $@ $(HYP_OBJS) -lgcc

$(V)/hyp.bin: $(V)/hyp.elf
	@$(OBJCOPY) -O binary $< $@

$(V)/sbivisor.bin: $(FW_DYNAMIC) $(V)/hyp.bin scripts/mkimage.sh \
		$(GUEST_KERNEL) $(GUEST_INITRD)
	@scripts/mkimage.sh $@ $(FW_DYNAMIC) $(HS_OFFSET) $(V)/hyp.bin \
		$(IMAGE_PAD) $(GUEST_KERNEL) $(if $(GUEST_INITRD),$(GUEST_INITRD) $(EMBED_IOFF))

# build/sbivisor.bin is the variant this invocation asked for
$(B)/sbivisor.bin: $(V)/sbivisor.bin FORCE
	@cp $< $@
	@cp $< $(B)/sbivisor-fp$(FASTPATH)$(VARIANT).bin
	@echo "  IMAGE     $@ (FASTPATH=$(FASTPATH)$(if $(VARIANT), MAX_HARTS=$(MAX_HARTS)))"

# A loadable ELF of the whole image; symbols: $(V)/hyp.elf and
# $(OPENSBI_OUT)/platform/platform/firmware/fw_dynamic.elf
$(B)/sbivisor.elf: $(B)/sbivisor.bin
	@$(OBJCOPY) -I binary -O elf64-littleriscv -B riscv \
		--change-addresses $(FW_BASE) --set-section-flags .data=alloc,load,code \
		--rename-section .data=.image $< $@

# ---- Stock OpenSBI 1.6 from the same source: the native baseline ----
stock: $(STOCK_FW)
$(STOCK_FW):
	$(MAKE) -s -C $(OPENSBI_SRC) PLATFORM=generic O=$(abspath $(STOCK_OUT)) \
		CROSS_COMPILE=$(CROSS_COMPILE)

include tests/tests.mk
include tests/fuzz/fuzz.mk

# ---- the two commands ----
# Both variants of the image, the test guests, the native baseline and the
# unit tests, then everything under pytest (one closing summary line).
build-all:
	@$(MAKE) --no-print-directory FASTPATH=0 all
	@$(MAKE) --no-print-directory FASTPATH=1 MAX_HARTS=64 all
	@$(MAKE) --no-print-directory FASTPATH=1 all guests unit stock linux \
		linux-6.12 fuzzers

# The system tests run on QEMU 10 (bookworm-backports, the primary) and on
# Debian 12's QEMU 7.2 (scripts/systest.py; TEST_QEMU=10 or 7.2 for one).
test: deps
	@$(MAKE) --no-print-directory build-all
	$(PYTHON) scripts/systest.py $(TEST_QEMU:%=--qemu %) -- $(PYTEST_ARGS)

# Path lengths under QEMU icount, native vs FASTPATH=1 vs FASTPATH=0, the
# footprint and Linux's boot time (docs/benchmarks.md); BENCH_ARGS=--help
# The Linux boot comparison runs when the Linux guest is already built
# (`make linux`, once per machine): a fresh machine gets the rest in
# minutes instead of waiting for a kernel build.
# On both emulators, QEMU 10 first (BENCH_QEMU=10 or 7.2 for one).
BENCH_QEMU ?= 10 7.2
QEMU_10 := $(DEPS_DIR)/qemu10/qemu-system-riscv64
QEMU_7.2 := qemu-system-riscv64
bench: deps
	@$(MAKE) --no-print-directory FASTPATH=0 all
	@$(MAKE) --no-print-directory FASTPATH=1 all guests unit stock
	@linux=; tests/linux/build.sh --cached $(B)/linux || { linux=--no-linux; \
		echo "bench: the Linux guest is not built yet (make linux):" \
			"Linux boot comparison skipped"; }; \
	for q in $(BENCH_QEMU); do \
		case $$q in 10) qemu=$(QEMU_10);; *) qemu=$(QEMU_7.2);; esac; \
		QEMU=$$qemu $(PYTHON) scripts/bench.py $$linux $(BENCH_ARGS) || \
			exit 1; \
	done

# The soak (issue #9, docs/testing.md): IPI, RFENCE, timer and DBCN storms,
# 100 guest reboots and a rate-monotonic guest on two harts for
# SOAK_MINUTES (default 10; not part of `make test`). Ends with
# `soak: PASS ...` or `soak: FAIL <reason>`.
SOAK_MINUTES ?= 10
soak: deps
	@$(MAKE) --no-print-directory FASTPATH=1 all guests
	$(PYTHON) scripts/soak.py --minutes $(SOAK_MINUTES)

# The Linux guests (cached per machine outside the tree, see tests/linux):
# 6.1 in build/linux, 6.12 in build/linux-6.12. `make run LINUX=6.12`
# boots the second.
LINUX ?= 6.1
LINUX_DIR := $(B)/linux$(if $(filter-out 6.1,$(LINUX)),-$(LINUX))
linux linux-6.1:
	@tests/linux/build.sh $(B)/linux
linux-6.12:
	@tests/linux/build.sh --version 6.12 $(B)/linux-6.12

# A scratch disk for the demo: its first sector carries a marker
$(B)/disk.img:
	@mkdir -p $(@D)
	@printf 'sbivisor-disk-marker\n' > $@.tmp
	@truncate -s 16M $@.tmp && mv $@.tmp $@

# The demo: Linux as the default guest on 4 harts with a passed-through
# virtio disk and network; `poweroff` in the guest ends QEMU.
LINUX_QEMU_ARGS = -M virt -smp 4 -m 1G -nographic -bios $(B)/sbivisor.bin \
	-kernel $(LINUX_DIR)/Image -initrd $(LINUX_DIR)/rootfs.cpio.gz \
	-append "console=ttyS0" \
	-drive file=$(B)/disk.img,if=none,format=raw,id=hd0 \
	-device virtio-blk-device,drive=hd0 \
	-netdev user,id=n0 -device virtio-net-device,netdev=n0
# `make run CONFIG=cfg.dts MODULES="file@addr ..."` boots the configured
# guests instead (docs/config.md): the config is merged into QEMU's DT.
CONFIG ?=
MODULES ?=
RUN_SMP ?= 2
RUN_MEM ?= 512M
ifeq ($(CONFIG),)
run: deps
	@$(MAKE) --no-print-directory all linux-$(LINUX) $(B)/disk.img
	$(QEMU) $(LINUX_QEMU_ARGS)
else
run: deps
	@$(MAKE) --no-print-directory all guests
	@QEMU=$(QEMU) scripts/mkconfig.sh $(CONFIG) $(B)/config.dtb -smp $(RUN_SMP) \
		-m $(RUN_MEM) >/dev/null
	$(QEMU) -M virt -smp $(RUN_SMP) -m $(RUN_MEM) -nographic \
		-bios $(B)/sbivisor.bin -dtb $(B)/config.dtb \
		$(foreach m,$(MODULES),-device loader,file=$(firstword \
		$(subst @, ,$(m))),addr=$(lastword $(subst @, ,$(m))),force-raw=on)
endif

# The bare-metal demo guest: every SBI call, on 2 harts, with counters.
run-demo: deps
	@$(MAKE) --no-print-directory all guests
	$(QEMU) -M virt -smp 2 -m 512M -nographic -bios $(B)/sbivisor.bin \
		-kernel $(B)/guests/demo.bin -append "sbivisor.stats"

clean:
	rm -rf $(B)

# Linux kernel style, as .clang-format says: `make format` rewrites,
# `make format-check` lists the files that differ.
C_SOURCES = $(shell git ls-files '*.c' '*.h' 2>/dev/null)
format:
	clang-format -i $(C_SOURCES)
format-check:
	@for f in $(C_SOURCES); do clang-format $$f | cmp -s - $$f || \
		echo "format: $$f"; done

-include $(HYP_OBJS:.o=.d)
