// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest device tree, generated with libfdt's sequential-write API from
 * the host facts in hostdt and the guest's own layout.
 */
#include <libfdt.h>
#include <sbi/sbi_string.h>
#include "config/guest_cfg.h"
#include "config/guestdt.h"
#include "host/hostdt.h"
#include "host/hostirq.h"
#include "config/cfg.h"
#include "config/shmem.h"
#include "../../lib/print.h"

#define GUESTDT_PT_STEM                                                        \
	31 /* a node name's length before the @ (DT spec 2.2.1) */
#define GUESTDT_UART_CLOCK 3686400 /* the emulated 16550A's, as QEMU virt's */
#define GUESTDT_INTC_PHANDLE_BASE 1
#define GUESTDT_PLIC_PHANDLE 0x100

static int guestdt_u64_pair(void *fdt, const char *name, u64 a, u64 b)
{
	fdt64_t v[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };

	return fdt_property(fdt, name, v, sizeof(v));
}

/*
 * The host's cache-block sizes for the cache-block extensions the guest
 * has: Linux turns Zicbom and Zicboz off without them
 */
static int guestdt_cbo_sizes(void *fdt, const char *isa)
{
	const struct {
		const char *ext, *prop;
		u32 size;
	} cbo[] = {
		{ "zicbom", "riscv,cbom-block-size", hostdt.cbom_block },
		{ "zicboz", "riscv,cboz-block-size", hostdt.cboz_block },
		{ "zicbop", "riscv,cbop-block-size", hostdt.cbop_block },
	};
	unsigned long i;
	int rc = 0;

	for (i = 0; i < ARRAY_SIZE(cbo); i++)
		if (cbo[i].size && guestdt_isa_names(isa, cbo[i].ext))
			rc |= fdt_property_u32(fdt, cbo[i].prop, cbo[i].size);
	return rc;
}

static int guestdt_cpus(void *fdt, struct guest *g)
{
	/* the list: each of at most 26 letters gains a NUL, 'g' 24 more */
	char name[24], isa[sizeof(hostdt.isa)], base[8],
		ext[sizeof(hostdt.isa) + 64];
	unsigned long i;
	int rc = 0, next;

	guestdt_guest_isa(hostdt.isa, isa, sizeof(isa));
	next = guestdt_isa_extensions(isa, base, sizeof(base), ext,
				      sizeof(ext));
	rc |= fdt_begin_node(fdt, "cpus");
	rc |= fdt_property_u32(fdt, "#address-cells", 1);
	rc |= fdt_property_u32(fdt, "#size-cells", 0);
	rc |= fdt_property_u32(fdt, "timebase-frequency", platform.timebase);
	for (i = 0; i < g->nvcpus; i++) {
		print_snprintf(name, sizeof(name), "cpu@%lu", i);
		rc |= fdt_begin_node(fdt, name);
		rc |= fdt_property_string(fdt, "device_type", "cpu");
		rc |= fdt_property_u32(fdt, "reg", i);
		rc |= fdt_property_string(fdt, "status", "okay");
		rc |= fdt_property_string(fdt, "compatible", "riscv");
		rc |= fdt_property_string(fdt, "riscv,isa", isa);
		if (next > 0) {
			rc |= fdt_property_string(fdt, "riscv,isa-base", base);
			rc |= fdt_property(fdt, "riscv,isa-extensions", ext,
					   next);
		}
		rc |= guestdt_cbo_sizes(fdt, isa);
		if (hostdt.mmu[0])
			rc |= fdt_property_string(fdt, "mmu-type", hostdt.mmu);
		rc |= fdt_begin_node(fdt, "interrupt-controller");
		rc |= fdt_property_u32(fdt, "#interrupt-cells", 1);
		rc |= fdt_property(fdt, "interrupt-controller", NULL, 0);
		rc |= fdt_property_string(fdt, "compatible", "riscv,cpu-intc");
		rc |= fdt_property_u32(fdt, "phandle",
				       GUESTDT_INTC_PHANDLE_BASE + i);
		rc |= fdt_end_node(fdt);
		rc |= fdt_end_node(fdt);
	}
	rc |= fdt_end_node(fdt);
	return rc;
}

/* interrupts = <irq> on the guest's vPLIC, when it has one */
static int guestdt_irq(void *fdt, struct guest *g, u32 irq)
{
	int rc = 0;

	if (!irq || !board_of(g)->irqchip)
		return 0;
	rc |= fdt_property_u32(fdt, "interrupts", irq);
	rc |= fdt_property_u32(fdt, "interrupt-parent", GUESTDT_PLIC_PHANDLE);
	return rc;
}

/* The vPLIC: one S-mode context per vCPU (context i = vCPU i) */
static int guestdt_plic(void *fdt, struct guest *g, gpa_t base,
			unsigned long size)
{
	const struct virqchip *c = board_of(g)->irqchip;
	fdt32_t ie[2 * SHV_MAX_VCPUS];
	char name[40];
	unsigned long i;
	int rc = 0;

	if (!c || c->ops->kind != VIRQCHIP_PLIC)
		return 0;
	for (i = 0; i < g->nvcpus; i++) {
		ie[2 * i] = cpu_to_fdt32(GUESTDT_INTC_PHANDLE_BASE + i);
		ie[2 * i + 1] = cpu_to_fdt32(IRQ_S_EXT);
	}
	print_snprintf(name, sizeof(name), "plic@%lx", base);
	rc |= fdt_begin_node(fdt, name);
	rc |= fdt_property_string(fdt, "compatible", "sifive,plic-1.0.0");
	rc |= fdt_property_u32(fdt, "#address-cells", 0);
	rc |= fdt_property_u32(fdt, "#interrupt-cells", 1);
	rc |= fdt_property(fdt, "interrupt-controller", NULL, 0);
	rc |= guestdt_u64_pair(fdt, "reg", base, size);
	rc |= fdt_property_u32(fdt, "riscv,ndev", c->nsrc);
	rc |= fdt_property(fdt, "interrupts-extended", ie,
			   g->nvcpus * 2 * sizeof(fdt32_t));
	rc |= fdt_property_u32(fdt, "phandle", GUESTDT_PLIC_PHANDLE);
	rc |= fdt_end_node(fdt);
	return rc;
}

/* Shared-memory windows, their doorbells and the peer's doorbell IRQ */
static int guestdt_shmem(void *fdt, struct guest *g)
{
	const struct cfg_guest *c = board_of(g)->cfg, *p;
	const struct cfg_shm *s;
	fdt64_t reg[4];
	char name[40];
	u32 i, k, irq;
	int rc = 0;

	for (i = 0; c && i < c->nshm; i++) {
		s = &c->shm[i];
		/* the peer's window towards us names the IRQ it rings here */
		irq = 0;
		p = guest_cfg_peer(c, s);
		for (k = 0; p && k < p->nshm; k++)
			if (!sbi_strcmp(p->shm[k].peer, c->name))
				irq = p->shm[k].irq;
		reg[0] = cpu_to_fdt64(s->gpa);
		reg[1] = cpu_to_fdt64(s->size);
		reg[2] = cpu_to_fdt64(s->gpa + s->size);
		reg[3] = cpu_to_fdt64(SHMEM_DOORBELL_SIZE);
		print_snprintf(name, sizeof(name), "shmem@%lx", s->gpa);
		rc |= fdt_begin_node(fdt, name);
		rc |= fdt_property_string(fdt, "compatible", "sbivisor,shmem");
		rc |= fdt_property(fdt, "reg", reg, sizeof(reg));
		rc |= fdt_property_string(fdt, "sbivisor,peer", s->peer);
		rc |= guestdt_irq(fdt, g, irq);
		rc |= fdt_end_node(fdt);
	}
	return rc;
}

/*
 * Properties of a host device node not copied into the guest's: those
 * written from the passthrough list, and those holding host phandles
 * (meaningless in the guest's tree) with their companions: these names,
 * names ending in -supply, -gpios or -gpio, and pinctrl-*.
 */
static const char guestdt_pt_skip[] =
	"reg interrupts interrupt-parent interrupts-extended phandle "
	"linux,phandle status clocks clock-names assigned-clocks "
	"assigned-clock-parents assigned-clock-rates resets reset-names dmas "
	"dma-names iommus iommu-map power-domains msi-parent msi-map "
	"interconnects memory-region regmap syscon phys mboxes nvmem-cells";

static bool guestdt_pt_copied(const char *name)
{
	static const char *const suffix[] = { "-supply", "-gpios", "-gpio" };
	size_t n = sbi_strlen(name), k;
	const char *w;
	unsigned long i;

	for (w = guestdt_pt_skip; w; w = sbi_strchr(w, ' '), w = w ? w + 1 : w)
		if (!sbi_strncmp(w, name, n) && (w[n] == ' ' || !w[n]))
			return false;
	for (i = 0; i < ARRAY_SIZE(suffix); i++) {
		k = sbi_strlen(suffix[i]);
		if (n >= k && !sbi_strcmp(name + n - k, suffix[i]))
			return false;
	}
	return n && sbi_strncmp(name, "pinctrl-", 8) != 0;
}

/*
 * A passed-through device's node name: the host node's base name (the
 * characters a node name may hold, DT spec §2.2.1) and its window's
 * address. Windows never overlap, so names never repeat, whatever the
 * host's tree called its nodes (two of them may share a name under
 * different parents, and any name may collide with the guest's own).
 */
static void guestdt_pt_name(char *out, unsigned long len, const char *host,
			    hpa_t base)
{
	char stem[GUESTDT_PT_STEM + 1];
	unsigned long n = 0;
	char c;

	for (; host && *host && *host != '@' && n < GUESTDT_PT_STEM; host++) {
		c = *host;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == ',' || c == '.' ||
		    c == '_' || c == '+' || c == '-')
			stem[n++] = c;
	}
	stem[n] = '\0';
	print_snprintf(out, len, "%s@%lx", n ? stem : "device", base);
}

/*
 * Host devices passed through to an identity-mapped guest, at their host
 * addresses: a node named for the device (guestdt_pt_name) with the host
 * node's ordinary properties (compatible first), its window, and its
 * interrupt on the guest's interrupt controller. Subnodes are not copied.
 */
static int guestdt_passthrough(void *fdt, struct guest *g)
{
	char name[GUESTDT_PT_STEM + 20];
	const struct ptdev *d;
	const char *prop;
	const void *val;
	unsigned long i;
	int len, off, rc = 0;

	for (i = 0; i < board_of(g)->npt; i++) {
		d = &board_of(g)->pt[i];
		val = fdt_getprop(hostdt.fdt, d->node, "compatible", &len);
		if (!val)
			continue;
		guestdt_pt_name(name, sizeof(name),
				fdt_get_name(hostdt.fdt, d->node, NULL),
				d->base);
		rc |= fdt_begin_node(fdt, name);
		rc |= fdt_property(fdt, "compatible", val, len);
		fdt_for_each_property_offset(off, hostdt.fdt, d->node) {
			val = fdt_getprop_by_offset(hostdt.fdt, off, &prop,
						    &len);
			if (val && prop && sbi_strcmp(prop, "compatible") &&
			    guestdt_pt_copied(prop))
				rc |= fdt_property(fdt, prop, val, len);
		}
		rc |= guestdt_u64_pair(fdt, "reg", d->base, d->size);
		rc |= guestdt_irq(fdt, g, d->irq);
		rc |= fdt_end_node(fdt);
	}
	return rc;
}

/*
 * The guest's UART: the host's description where the guest sees the
 * host's layout (identity), else the 16550A sbivisor emulates.
 */
static int guestdt_uart(void *fdt, struct guest *g, char *path,
			unsigned long size)
{
	static const char *const props[] = { "compatible", "clock-frequency",
					     "reg-shift", "reg-io-width",
					     "current-speed" };
	const void *val;
	char name[40];
	unsigned long i;
	int len, rc = 0;

	if (!board_of(g)->uart_size)
		return 0;
	print_snprintf(name, sizeof(name), "serial@%lx", board_of(g)->uart_gpa);
	print_snprintf(path, size, "/soc/%s", name);
	rc |= fdt_begin_node(fdt, name);
	rc |= guestdt_u64_pair(fdt, "reg", board_of(g)->uart_gpa,
			       board_of(g)->uart_size);
	for (i = 0; g->identity && i < ARRAY_SIZE(props); i++) {
		val = fdt_getprop(hostdt.fdt, hostdt.uart_node, props[i], &len);
		if (val)
			rc |= fdt_property(fdt, props[i], val, len);
	}
	if (!g->identity) {
		rc |= fdt_property_string(fdt, "compatible", "ns16550a");
		rc |= fdt_property_u32(fdt, "clock-frequency",
				       GUESTDT_UART_CLOCK);
	}
	rc |= guestdt_irq(fdt, g, board_of(g)->vuart_irq);
	rc |= fdt_end_node(fdt);
	return rc;
}

/* Firmware and HS below guest RAM: never mapped, never to be used */
static int guestdt_reserved(void *fdt, gpa_t base, unsigned long size)
{
	char name[40];
	int rc = 0;

	rc |= fdt_begin_node(fdt, "reserved-memory");
	rc |= fdt_property_u32(fdt, "#address-cells", 2);
	rc |= fdt_property_u32(fdt, "#size-cells", 2);
	rc |= fdt_property(fdt, "ranges", NULL, 0);
	print_snprintf(name, sizeof(name), "sbivisor@%lx", base);
	rc |= fdt_begin_node(fdt, name);
	rc |= guestdt_u64_pair(fdt, "reg", base, size);
	rc |= fdt_property(fdt, "no-map", NULL, 0);
	rc |= fdt_end_node(fdt);
	rc |= fdt_end_node(fdt);
	return rc;
}

int guestdt_build(struct guest *g, void *fdt, unsigned long size)
{
	char name[40], uart[64] = "";
	int rc = 0;

	rc |= fdt_create(fdt, size);
	rc |= fdt_finish_reservemap(fdt);
	rc |= fdt_begin_node(fdt, "");
	rc |= fdt_property_u32(fdt, "#address-cells", 2);
	rc |= fdt_property_u32(fdt, "#size-cells", 2);
	rc |= fdt_property_string(fdt, "compatible", "sbivisor,guest");
	rc |= fdt_property_string(fdt, "model", "sbivisor guest");

	rc |= guestdt_cpus(fdt, g);

	print_snprintf(name, sizeof(name), "memory@%lx", g->bank_gpa);
	rc |= fdt_begin_node(fdt, name);
	rc |= fdt_property_string(fdt, "device_type", "memory");
	rc |= guestdt_u64_pair(fdt, "reg", g->bank_gpa,
			       g->ram_gpa + g->ram_size - g->bank_gpa);
	rc |= fdt_end_node(fdt);
	if (g->bank_gpa < g->ram_gpa)
		rc |= guestdt_reserved(fdt, g->bank_gpa,
				       g->ram_gpa - g->bank_gpa);

	rc |= fdt_begin_node(fdt, "soc");
	rc |= fdt_property_u32(fdt, "#address-cells", 2);
	rc |= fdt_property_u32(fdt, "#size-cells", 2);
	rc |= fdt_property_string(fdt, "compatible", "simple-bus");
	rc |= fdt_property(fdt, "ranges", NULL, 0);
	rc |= guestdt_uart(fdt, g, uart, sizeof(uart));
	rc |= guestdt_plic(fdt, g, board_of(g)->irqchip_gpa,
			   board_of(g)->irqchip_size);
	rc |= guestdt_passthrough(fdt, g);
	rc |= guestdt_shmem(fdt, g);
	rc |= fdt_end_node(fdt);

	rc |= fdt_begin_node(fdt, "chosen");
	rc |= fdt_property_string(fdt, "bootargs", g->bootargs);
	if (uart[0])
		rc |= fdt_property_string(fdt, "stdout-path", uart);
	if (g->initrd_end > g->initrd_start) {
		rc |= fdt_property_u64(fdt, "linux,initrd-start",
				       g->initrd_start);
		rc |= fdt_property_u64(fdt, "linux,initrd-end", g->initrd_end);
	}
	rc |= fdt_end_node(fdt);

	rc |= fdt_end_node(fdt);
	rc |= fdt_finish(fdt);
	return rc ? -1 : 0;
}
