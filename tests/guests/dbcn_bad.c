// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI Debug Console (v2.0 §12) with buffers S-mode may not access (§3.2:
 * "The SBI implementation MUST check that the supervisor-mode software is
 * allowed to access the specified physical memory range"): ranges that wrap
 * around the address space, reach past the end of RAM, have no memory
 * behind them, lie on a device, or are longer than all of RAM. Each must
 * get SBI_ERR_INVALID_PARAM, with nothing written or read, and the guest
 * must survive them all: the last check is "dbcn_bad_survived".
 *
 * Not run on stock OpenSBI 1.6: it accepts wrapping ranges and hangs the
 * hart on an unbacked address or a huge length (docs/sbi.md).
 */
#include <libfdt.h>
#include "guest.h"

#define EINVAL SBI_ERR_INVALID_PARAM
#define PAD 4096

/* If an implementation wrongly accepts a long range at pad, it prints blanks */
static char pad[PAD] __attribute__((aligned(PAD)));

static long dbcn(unsigned long fid, unsigned long n, unsigned long lo)
{
	return ecall(SBI_EXT_DBCN, fid, n, lo, 0, 0, 0, 0).error;
}

static long wr(unsigned long n, unsigned long lo)
{
	return dbcn(SBI_EXT_DBCN_CONSOLE_WRITE, n, lo);
}

static long rd(unsigned long n, unsigned long lo)
{
	return dbcn(SBI_EXT_DBCN_CONSOLE_READ, n, lo);
}

static unsigned long dt_reg(const void *fdt, const char *compat)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, compat), len;
	const fdt32_t *reg;

	reg = node < 0 ? NULL : fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < 8)
		return 0;
	return (unsigned long)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1]);
}

static void test_wrap(unsigned long in_ram)
{
	check_eq("dbcn_write_wrap", wr(64, -16UL), EINVAL);
	check_eq("dbcn_read_wrap", rd(64, -16UL), EINVAL);
	/* the end wraps to an address inside RAM */
	check_eq("dbcn_write_wrap_into_ram", wr(in_ram + 32, -16UL), EINVAL);
	check_eq("dbcn_write_len_max", wr(-1UL, (unsigned long)pad), EINVAL);
}

/* Longer than all of RAM: the range is not the guest's, however long */
static void test_huge(void)
{
	check_eq("dbcn_write_huge_len", wr(1UL << 40, (unsigned long)pad),
		 EINVAL);
	check_eq("dbcn_read_huge_len", rd(1UL << 40, (unsigned long)pad),
		 EINVAL);
}

static void test_ram_end(const void *fdt, unsigned long end)
{
	unsigned long f = (unsigned long)fdt, fend = f + fdt_totalsize(fdt);

	check_eq("dbcn_write_over_ram_end", wr(64, end - 16), EINVAL);
	check_eq("dbcn_read_over_ram_end", rd(64, end - 16), EINVAL);
	check_eq("dbcn_write_past_ram_end", wr(16, end), EINVAL);
	check_eq("dbcn_read_past_ram_end", rd(16, end), EINVAL);
	/* one byte too many for the last page of RAM */
	if (fend <= end - PAD || f >= end) {
		sbi_memset((void *)(end - PAD), ' ', PAD - 1);
		((char *)end)[-1] = '\n';
		check_eq("dbcn_write_over_ram_end_long", wr(PAD + 1, end - PAD),
			 EINVAL);
	} else {
		skip("dbcn_write_over_ram_end_long", "device tree at RAM end");
	}
}

/* Physical addresses that are not RAM in this guest's device tree */
static void test_not_ram(const void *fdt)
{
	unsigned long uart = dt_reg(fdt, "ns16550a");

	check_eq("dbcn_write_addr_zero", wr(16, 0), EINVAL);
	check_eq("dbcn_read_addr_zero", rd(16, 0), EINVAL);
	check_eq("dbcn_write_boot_rom", wr(16, 0x1000), EINVAL);
	check_eq("dbcn_write_unmapped_hole", wr(16, 0x40000000), EINVAL);
	check_eq("dbcn_write_above_4g", wr(16, 0x100000000UL), EINVAL);
	if (uart) {
		check_eq("dbcn_write_device_mmio", wr(8, uart), EINVAL);
		check_eq("dbcn_read_device_mmio", rd(8, uart), EINVAL);
	} else {
		skip("dbcn_write_device_mmio", "no ns16550a in device tree");
		skip("dbcn_read_device_mmio", "no ns16550a in device tree");
	}
}

void guest_main(unsigned long hart, const void *fdt)
{
	static const char ok_line[] = "# dbcn-bad-after\n";
	unsigned long ram = 0, size = 0;
	struct ret r;

	gprintf("# dbcn_bad: hart %lu\n", hart);
	sbi_memset(pad, ' ', PAD - 1);
	pad[PAD - 1] = '\n';
	if (!dt_ram(fdt, &ram, &size)) {
		check("dbcn_bad_dt_ram", 0);
		return;
	}
	test_wrap((unsigned long)pad);
	test_huge();
	test_ram_end(fdt, ram + size);
	test_not_ram(fdt);
	r = ecall(SBI_EXT_DBCN, SBI_EXT_DBCN_CONSOLE_WRITE, sizeof(ok_line) - 1,
		  (unsigned long)ok_line, 0, 0, 0, 0);
	check("dbcn_write_after_bad",
	      !r.error && r.value && r.value <= sizeof(ok_line) - 1);
	check("dbcn_bad_survived", 1);
}
