// SPDX-License-Identifier: BSD-2-Clause
/*
 * The default guest (docs/architecture.md "Memory and boot"): one vCPU per
 * hart, pinned; all RAM HS does not use, identity-mapped; the kernel the loader
 * placed (or the one embedded in the image) run in place.
 */
#include "config/board.h"
#include "config/boot.h"
#include "config/cfg.h"
#include "config/guestdt.h"
#include "host/hostdt.h"
#include "host/hostirq.h"
#include "../../lib/range.h"
#include "embed.h" /* generated: sizes of a GUEST_KERNEL= embedded guest */

/*
 * Guest RAM starts where HS ends. The DT memory bank still starts at the
 * host's RAM base (2 MiB aligned, as Linux wants) with the firmware and HS
 * below BOOT_RAM_START described as no-map reserved memory, as QEMU's own
 * DT describes OpenSBI's region natively.
 */
#define BOOT_RAM_START (SHV_HS_BASE + SHV_HS_SIZE)

static int boot_fail(const char *what, unsigned long a, unsigned long b)
{
	hyp_printf("sbivisor: default guest: %s (0x%lx, 0x%lx)\n", what, a, b);
	return SBI_ERR_INVALID_PARAM;
}

/* Whether [base, base + size) meets the guest's RAM or a host device */
static bool boot_window_taken(struct guest *g, hpa_t base, unsigned long size)
{
	unsigned long i;

	if (range_common(base, size, g->ram_hpa, g->ram_size) ||
	    range_common(base, size, hostdt.uart_base, hostdt.uart_size))
		return true;
	for (i = 0; i < hostdt.npt; i++)
		if (range_common(base, size, hostdt.pt[i].base,
				 hostdt.pt[i].size))
			return true;
	return false;
}

/*
 * The default guest's devices, at their host addresses: the vPLIC and a
 * 16550A emulated where the host's are; virtio-mmio and the RTC passed
 * through with their interrupts forwarded into the vPLIC.
 */
static int boot_default_devices(struct board *b)
{
	struct guest *g = b->g;
	unsigned long size;
	hpa_t base;

	hostirq_window(&base, &size);
	if (hostirq_present() && !size) {
		/*
		 * A host controller a PLIC guest cannot mirror (AIA): the
		 * vPLIC goes where guests configured in /chosen have it,
		 * if nothing of this identity-mapped guest is there.
		 */
		base = CFG_GUEST_PLIC_GPA;
		size = CFG_GUEST_PLIC_SIZE;
		if (boot_window_taken(g, base, size))
			return boot_fail("no room for the vPLIC", base, size);
	}
	if (hostirq_present() && board_plic_init(b, base, size, hostirq_ndev()))
		return boot_fail("cannot set up the vPLIC", base, 0);
	if (hostdt.uart_node >= 0 && hostdt.uart_16550) {
		if (board_uart_init(b, hostdt.uart_base, hostdt.uart_size,
				    hostdt.uart_shift, hostdt.uart_irq))
			return boot_fail("cannot emulate the UART",
					 hostdt.uart_base, 0);
	} else if (hostdt.uart_node >= 0) {
		/* a UART we cannot emulate is passed through */
		b->uart_gpa = hostdt.uart_base;
		b->uart_size = hostdt.uart_size;
		if (guest_map_device(g, hostdt.uart_base, hostdt.uart_size))
			return boot_fail("cannot map the UART",
					 hostdt.uart_base, 0);
	}
	if (board_passthrough(b, hostdt.pt, hostdt.npt, platform.boot_hart))
		return boot_fail("cannot pass the host devices through",
				 hostdt.npt, 0);
	return 0;
}

int boot_default_guest(void)
{
	hpa_t lo = BOOT_RAM_START, hi = platform.mem_base + platform.mem_size;
	gpa_t kernel, initrd_start = 0, initrd_end = 0, dtb;
	struct board *b;
	struct guest *g;
	int rc;

	if (hostdt.fdt_base >= lo && hostdt.fdt_base < hi)
		hi = hostdt.fdt_base; /* keep the host FDT out of the guest */
	hi = ALIGN_DOWN(hi, MIB(2));
	if (lo < platform.mem_base || hi <= lo + MIB(2))
		return boot_fail("no RAM left for the guest", lo, hi);

	if (SHV_EMBED_KERNEL_SIZE) {
		kernel = SHV_EMBED_KERNEL_ADDR;
		if (SHV_EMBED_INITRD_SIZE) {
			initrd_start = kernel + SHV_EMBED_INITRD_OFFSET;
			initrd_end = initrd_start + SHV_EMBED_INITRD_SIZE;
		}
	} else {
		kernel = sbicall(SHV_EID, SHV_FID_GET_INFO,
				 SHV_INFO_KERNEL_ADDR, 0, 0, 0, 0)
				 .value;
		initrd_start = hostdt.initrd_start;
		initrd_end = hostdt.initrd_end;
	}
	if (!kernel)
		return boot_fail("no kernel: pass -kernel, or build with "
				 "GUEST_KERNEL=",
				 0, 0);
	if (kernel < lo || kernel >= hi)
		return boot_fail("kernel lies outside guest RAM", kernel, lo);
	dtb = hi - CONFIG_GUESTDT_SIZE;
	if (initrd_end > initrd_start &&
	    (initrd_start < lo || initrd_end > dtb))
		return boot_fail("initrd lies outside guest RAM", initrd_start,
				 initrd_end);

	g = guest_create("default", platform.nharts, platform.hart_mask, lo, lo,
			 hi - lo);
	if (!g)
		return SBI_ERR_FAILED;
	g->bank_gpa = ALIGN_DOWN(lo, MIB(2));
	if (g->bank_gpa < platform.mem_base)
		g->bank_gpa = platform.mem_base;
	g->initrd_start = initrd_start;
	g->initrd_end = initrd_end;
	g->identity = true;
	g->bootargs = hostdt.bootargs;
	b = board_init(g);
	rc = boot_default_devices(b);
	if (rc)
		return rc;
	if (guestdt_build(g, (void *)dtb, CONFIG_GUESTDT_SIZE))
		return boot_fail("guest device tree does not fit", dtb, 0);
	g->entry = kernel;
	g->dtb_gpa = dtb;
	hyp_printf("sbivisor: guest '%s': %lu vCPUs, RAM 0x%lx-0x%lx, "
		   "entry 0x%lx, dtb 0x%lx, vmid %lu\n",
		   g->name, g->nvcpus, lo, hi - 1, kernel, dtb, g->vmid);
	guest_start(g);
	return 0;
}
