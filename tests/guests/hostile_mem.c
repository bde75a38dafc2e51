// SPDX-License-Identifier: BSD-2-Clause
/*
 * Hostile guest: one access per boot to memory that is not its own. It
 * runs as an identity-mapped configured guest (tests/configs/
 * hostile-identity.dts: RAM 0x88000000-0x89ffffff at the same host
 * addresses, linked at 0x88200000), so its guest-physical addresses are
 * host addresses and the firmware, the hypervisor, the other guests and
 * the host's own devices are all "there" - and none is mapped for it:
 * each access is a guest-page fault that stops the guest with a one-line
 * report (docs/architecture.md "HS inside"), the victim beside it finishing its
 * checks. Where the address is an emulated device, it behaves as that device.
 *
 * Bootargs: "mem=TARGET" (below, or "addr" with "mem.addr=GPA", e.g. the
 * victim's RAM in host memory), "mem.op=load|store|fetch|amo" (default
 * load). Targets whose access must stop the guest:
 *   fw fw_data hs hs_end      OpenSBI (code, data) and HS (first, last word)
 *   below_ram ram_end         the words either side of its own RAM
 *   module host_fdt ram_top   the victim's kernel module, the host DT,
 *                             the last page of host RAM (-m 512M)
 *   null bootrom test_dev rtc clint mtimecmp virtio pcie
 *                             QEMU virt's devices the guest was not given
 *                             (a store of 0x5555 to test_dev would power
 *                             the machine off; one to clint would IPI M)
 *   hole plic_past uart_past  no device, right past the emulated ones
 *   gpa_last gpa_over top     the last word of the 41-bit guest-physical
 *                             space, the first past it, the top page
 *   plic uart                 fetch only: no instruction comes from a
 *                             device (loads and stores are below)
 * and "devices": the emulated vPLIC and UART read and write as devices
 * (TAP checks, then a normal shutdown). If an access that must stop the
 * guest returns, or comes back as an exception, it prints the failing
 * check "hostile_not_stopped".
 */
#include "hostile.h"

/* Linked where its identity-mapped RAM starts + 2 MiB (guest.ld) */
__asm__(".globl GUEST_BASE\n.equ GUEST_BASE, 0x88200000\n");

enum op { LOAD, STORE, FETCH, AMO };
static const char *const op_names[] = { "load", "store", "fetch", "amo" };

struct target {
	const char *name;
	unsigned long addr;
};

static const struct target fixed[] = {
	{ "fw", 0x80000000UL },
	{ "fw_data", 0x80040000UL },
	{ "hs", 0x80080000UL },
	{ "hs_end", 0x8017fff8UL },
	{ "module", 0x90200000UL },
	{ "host_fdt", 0x9fe00000UL },
	{ "ram_top", 0x9ffff000UL },
	{ "null", 0 },
	{ "bootrom", 0x1000 },
	{ "test_dev", 0x100000 },
	{ "rtc", 0x101000 },
	{ "clint", 0x2000000UL },
	{ "mtimecmp", 0x2004000UL },
	{ "virtio", 0x10001000UL },
	{ "pcie", 0x30000000UL },
	{ "hole", 0x40000000UL },
	{ "plic_past", 0x0c600000UL },
	{ "uart_past", 0x10000100UL },
	{ "gpa_last", (1UL << 41) - 8 },
	{ "gpa_over", 1UL << 41 },
	{ "top", 0xfffffffffffff000UL },
	/* fetch only: loads and stores there are the devices' ("devices") */
	{ "plic", 0x0c000000UL },
	{ "uart", 0x10000000UL },
};

static void __attribute__((noreturn)) returned(void)
{
	unsigned long c;

	for (c = 0; c < 24; c++)
		if (exc_count[0][c])
			gprintf("# hostile_mem: exception %lu\n", c);
	hostile_not_stopped("access", 0);
}

static void attack(enum op op, unsigned long gpa)
{
	unsigned long v = 0;

	gprintf("# hostile_mem: %s at 0x%lx\n", op_names[op], gpa);
	hostile_try(op_names[op]);
	exc_resume[0] = (unsigned long)returned;
	switch (op) {
	case LOAD:
		v = *(volatile unsigned long *)gpa;
		break;
	case STORE:
		/* sifive_test's "pass": the machine would power off */
		*(volatile unsigned long *)gpa = 0x5555;
		break;
	case AMO:
		__asm__ __volatile__("amoadd.d %0, %1, (%2)"
				     : "=r"(v)
				     : "r"(1UL), "r"(gpa)
				     : "memory");
		break;
	case FETCH:
		((void (*)(void))gpa)();
		break;
	}
	hostile_not_stopped(op_names[op], v);
}

static unsigned int rd32(unsigned long a)
{
	return *(volatile unsigned int *)a;
}

/* The emulated devices of an identity guest, at the host's addresses */
static void devices(void)
{
	volatile unsigned char *uart = (volatile unsigned char *)0x10000000UL;

	hostile_try("devices");
	/* PLIC priority of source 3: WARL 0..7 (QEMU virt's PLIC) */
	*(volatile unsigned int *)0x0c00000cUL = 5;
	check_eq("mem_plic_priority", rd32(0x0c00000cUL), 5);
	*(volatile unsigned int *)0x0c00000cUL = 0xffffffff;
	check_eq("mem_plic_priority_warl", rd32(0x0c00000cUL), 7);
	check_eq("mem_plic_source0", rd32(0x0c000000UL), 0);
	check_eq("mem_plic_claim_none", rd32(0x0c200004UL), 0);
	/* 16550: THR empty and idle, no input; the scratch register */
	check_eq("mem_uart_lsr", uart[5], 0x60);
	uart[7] = 0xa5;
	check_eq("mem_uart_scratch", uart[7], 0xa5);
}

static int find(const void *fdt, unsigned long *gpa)
{
	unsigned long ram, size, i;
	int len = 0;
	const char *t = dt_bootarg(fdt, "mem", &len);

	if (!t || !dt_ram(fdt, &ram, &size))
		return -1;
	if (len == 4 && !sbi_strncmp(t, "addr", 4))
		return dt_bootarg_ulong(fdt, "mem.addr", gpa) > 0 ? 1 : -1;
	if (len == 9 && !sbi_strncmp(t, "below_ram", 9)) {
		*gpa = ram - 8;
		return 1;
	}
	if (len == 7 && !sbi_strncmp(t, "ram_end", 7)) {
		*gpa = ram + size;
		return 1;
	}
	if (len == 7 && !sbi_strncmp(t, "devices", 7))
		return 0;
	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		if ((int)sbi_strlen(fixed[i].name) == len &&
		    !sbi_strncmp(t, fixed[i].name, len)) {
			*gpa = fixed[i].addr;
			return 1;
		}
	return -1;
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long gpa = 0, ram, size;
	int op = hostile_select(fdt, "mem.op", op_names, ARRAY_SIZE(op_names));
	int t = find(fdt, &gpa);

	if (!dt_bootarg(fdt, "mem.op", &(int){ 0 }))
		op = LOAD;
	if (op < 0 || t < 0 || hart || !dt_ram(fdt, &ram, &size) ||
	    ram != 0x88000000UL) {
		check("hostile_mem_setup", 0);
		return;
	}
	if (!t) {
		devices();
		return;
	}
	/* a little time for the victim to start first */
	sleep_ticks(100000);
	attack(op, gpa);
}
