// SPDX-License-Identifier: BSD-2-Clause
#include <libfdt.h>
#include <sbi/sbi_string.h>
#include "host/hostdt.h"
#include "../../lib/dt.h"
#include "../../lib/range.h"

/* The host device tree's facts, parsed once at boot (hostdt.h) */
struct hostdt_info hostdt_tables;

static unsigned long hostdt_prop_ulong(const void *fdt, int node,
				       const char *name)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (!p || (len != 4 && len != 8))
		return 0;
	return dt_cells(p, len / 4);
}

/* Copy bootargs minus sbivisor.* words, noting the options they set. */
static void hostdt_bootargs(const char *s)
{
	char *out = hostdt_tables.bootargs,
	     *end = out + sizeof(hostdt_tables.bootargs) - 1;
	const char *w;
	unsigned long n;

	while (*s) {
		while (*s == ' ')
			s++;
		for (w = s; *s && *s != ' '; s++)
			;
		n = s - w;
		if (!n)
			break;
		if (n >= 9 && !sbi_strncmp(w, "sbivisor.", 9)) {
			if (n == 14 && !sbi_strncmp(w + 9, "stats", 5))
				platform.opt_stats = true;
			continue;
		}
		if (out != hostdt_tables.bootargs && out < end)
			*out++ = ' ';
		while (n-- && out < end)
			*out++ = *w++;
	}
	*out = '\0';
}

static void hostdt_cpus(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node, len;
	const char *s;
	unsigned long id;

	platform.timebase = hostdt_prop_ulong(fdt, cpus, "timebase-frequency");
	fdt_for_each_subnode(node, fdt, cpus) {
		s = fdt_getprop(fdt, node, "device_type", &len);
		if (!s || sbi_strcmp(s, "cpu"))
			continue;
		s = fdt_getprop(fdt, node, "status", &len);
		if (s && sbi_strcmp(s, "okay") && sbi_strcmp(s, "ok"))
			continue;
		id = hostdt_prop_ulong(fdt, node, "reg");
		if (id >= CONFIG_MAX_HARTS ||
		    platform.nharts >= CONFIG_MAX_HARTS) {
			hyp_printf("sbivisor: hart %lu stays parked: this "
				   "build "
				   "runs guests on hart ids 0-%d only\n",
				   id, CONFIG_MAX_HARTS - 1);
			continue;
		}
		platform.hartids[platform.nharts++] = id;
		platform.hart_mask |= 1UL << id;
		if (!platform.timebase)
			platform.timebase = hostdt_prop_ulong(fdt, node,
							      "timebase-"
							      "frequency");
		s = fdt_getprop(fdt, node, "riscv,isa", &len);
		if (s && !hostdt_tables.isa[0])
			sbi_strncpy(hostdt_tables.isa, s,
				    sizeof(hostdt_tables.isa) - 1);
		s = fdt_getprop(fdt, node, "mmu-type", &len);
		if (s && !hostdt_tables.mmu[0])
			sbi_strncpy(hostdt_tables.mmu, s,
				    sizeof(hostdt_tables.mmu) - 1);
		if (platform.nharts == 1) {
			hostdt_tables.cbom_block = hostdt_prop_ulong(
				fdt, node, "riscv,cbom-block-size");
			hostdt_tables.cboz_block = hostdt_prop_ulong(
				fdt, node, "riscv,cboz-block-size");
			hostdt_tables.cbop_block = hostdt_prop_ulong(
				fdt, node, "riscv,cbop-block-size");
		}
	}
}

static void hostdt_uart(const void *fdt)
{
	int node = dt_stdout_node(fdt);

	if (node < 0)
		return;
	if (dt_reg(fdt, node, 0, &hostdt_tables.uart_base,
		   &hostdt_tables.uart_size, NULL))
		return;
	hostdt_tables.uart_node = node;
	hostdt_tables.uart_irq = hostdt_irq(fdt, node);
	hostdt_tables.uart_shift = hostdt_prop_ulong(fdt, node, "reg-shift");
	hostdt_tables.uart_16550 =
		!fdt_node_check_compatible(fdt, node, "ns16550a") ||
		!fdt_node_check_compatible(fdt, node, "ns16550");
	hostdt_tables.uart_width = hostdt_prop_ulong(fdt, node, "reg-io-width");
	if (!hostdt_tables.uart_width)
		hostdt_tables.uart_width = 1;
	/* registers 1, 2, 4 or 8 bytes apart: anything else is not ours */
	if (hostdt_tables.uart_shift > 3 ||
	    (hostdt_tables.uart_width != 1 && hostdt_tables.uart_width != 4)) {
		hyp_printf("sbivisor: console UART reg-shift %lu, "
			   "reg-io-width %lu: not used as a 16550\n",
			   (unsigned long)hostdt_tables.uart_shift,
			   (unsigned long)hostdt_tables.uart_width);
		hostdt_tables.uart_16550 = false;
		hostdt_tables.uart_shift = 0;
		hostdt_tables.uart_width = 1;
	}
	fdt_get_path(fdt, node, hostdt_tables.uart_path,
		     sizeof(hostdt_tables.uart_path));
}

u32 hostdt_irq(const void *fdt, int node)
{
	const fdt32_t *p;
	int len;

	/* the source is the first cell: a PLIC has one, an APLIC two */
	p = fdt_getprop(fdt, node, "interrupts", &len);
	return p && (len == 4 || len == 8) ? fdt32_ld(p) : 0;
}

/*
 * Whether [base, base + size) overlaps a device already collected, the
 * console, or a device the hypervisor uses (lib/dt.h): a malformed tree
 * must not hand the default guest the host's interrupt controller.
 */
static bool hostdt_pt_taken(const void *fdt, hpa_t base, unsigned long size)
{
	const struct ptdev *d;
	int node, depth = 0;
	unsigned long i;
	hpa_t b, s;

	for (i = 0; i < hostdt_tables.npt; i++) {
		d = &hostdt_tables.pt[i];
		if (range_common(base, size, d->base, d->size))
			return true;
	}
	if (range_common(base, size, hostdt_tables.uart_base,
			 hostdt_tables.uart_size))
		return true;
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth))
		if (dt_hyp_device(fdt, node) &&
		    !dt_reg(fdt, node, 0, &b, &s, NULL) &&
		    range_common(base, size, b, s))
			return true;
	return false;
}

/*
 * Devices passed through to the default guest: DMA-capable virtio-mmio
 * (safe only because that guest is identity-mapped and trusted:
 * docs/devices.md) and the RTC, which does no DMA.
 */
static void hostdt_passthrough(const void *fdt)
{
	static const char *const compat[] = { "virtio,mmio", "google,goldfish-"
							     "rtc" };
	struct ptdev *d;
	unsigned long i;
	int node;

	for (i = 0; i < ARRAY_SIZE(compat); i++) {
		for (node = dt_next_device(fdt, -1, compat[i]); node >= 0;
		     node = dt_next_device(fdt, node, compat[i])) {
			if (hostdt_tables.npt >= HOSTDT_MAX_PT)
				return;
			d = &hostdt_tables.pt[hostdt_tables.npt];
			if (dt_reg(fdt, node, 0, &d->base, &d->size, NULL) ||
			    (d->base | d->size) & PAGE_OFFSET || !d->size ||
			    d->base + d->size < d->base)
				continue;
			if (node == hostdt_tables.uart_node)
				continue; /* the console is the hypervisor's */
			if (hostdt_pt_taken(fdt, d->base, d->size)) {
				hyp_printf("sbivisor: host device at 0x%lx "
					   "overlaps another or one the "
					   "hypervisor uses: not passed "
					   "through\n",
					   d->base);
				continue;
			}
			d->node = node;
			d->irq = hostdt_irq(fdt, node);
			hostdt_tables.npt++;
		}
	}
}

int hostdt_parse(const void *fdt)
{
	int node, chosen;
	const char *s;

	/* the whole blob is checked once: the walks below trust its shape */
	if (dt_check(fdt))
		return SBI_ERR_INVALID_PARAM;
	hostdt_tables.fdt = fdt;
	hostdt_tables.fdt_base = (hpa_t)fdt;
	hostdt_tables.fdt_size = fdt_totalsize(fdt);
	hostdt_tables.uart_node = -1;
	/* the facts it owns start from nothing (boot runs this once) */
	platform.timebase = platform.nharts = platform.hart_mask = 0;
	platform.mem_base = platform.mem_size = 0;
	platform.opt_stats = false;
	hostdt_cpus(fdt);
	node = -1;
	do
		node = fdt_node_offset_by_prop_value(
			fdt, node, "device_type", "memory", sizeof("memory"));
	while (node >= 0 && dt_in_chosen(fdt, node));
	if (node < 0 ||
	    dt_reg(fdt, node, 0, &platform.mem_base, &platform.mem_size, NULL))
		return SBI_ERR_INVALID_PARAM;
	chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen >= 0) {
		s = fdt_getprop(fdt, chosen, "bootargs", NULL);
		if (s)
			hostdt_bootargs(s);
		hostdt_tables.initrd_start =
			hostdt_prop_ulong(fdt, chosen, "linux,initrd-start");
		hostdt_tables.initrd_end =
			hostdt_prop_ulong(fdt, chosen, "linux,initrd-end");
		hostdt_uart(fdt);
	}
	hostdt_passthrough(fdt);
	return platform.nharts ? 0 : SBI_ERR_INVALID_PARAM;
}
