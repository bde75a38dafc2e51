// SPDX-License-Identifier: BSD-2-Clause
/*
 * The host AIA as the host interrupt controller (irqchip.h): the APLIC's
 * supervisor-level domain in MSI delivery mode, each hart's S-level IMSIC
 * interrupt file (RISC-V AIA 1.0, chapters 3 and 4). OpenSBI owns the
 * machine-level domain: it delegates the sources to the supervisor domain
 * and programs its MSI address configuration (smsiaddrcfg); HS sets up
 * the supervisor domain and the IMSIC files.
 *
 * Source n is sent as interrupt identity n (EIID = source number), so an
 * IMSIC file enables every identity up to the last source and the APLIC
 * alone decides which sources are on and which hart takes each. A hart's
 * file is reachable only through that hart's CSRs: hart_init runs there.
 */
#include <libfdt.h>
#include "base/lock.h"
#include "host/irqchip.h"
#include "../../lib/dt.h"

/* APLIC domain registers (AIA §4.5) */
#define APLIC_DOMAINCFG 0x0000
#define APLIC_DOMAINCFG_IE (1U << 8)
#define APLIC_DOMAINCFG_DM (1U << 2) /* MSI delivery mode */
#define APLIC_SOURCECFG(n) (0x0004 + 4 * ((n)-1))
#define APLIC_SOURCECFG_D (1U << 10)
#define APLIC_SM_INACTIVE 0
#define APLIC_SM_EDGE_RISE 4
#define APLIC_SM_EDGE_FALL 5
#define APLIC_SM_LEVEL_HIGH 6
#define APLIC_SM_LEVEL_LOW 7
#define APLIC_SETIENUM 0x1edc
#define APLIC_CLRIENUM 0x1fdc
#define APLIC_IN_CLRIP(n) (0x1d00 + 4 * ((n) / 32))
#define APLIC_SETIPNUM_LE 0x2000
#define APLIC_TARGET(n) (0x3004 + 4 * ((n)-1))
#define APLIC_TARGET_HART_SHIFT 18
#define APLIC_TARGET_HART_MAX 0x3fff
#define APLIC_MAX_SRC 1023

/* IMSIC interrupt-file registers, through siselect/sireg (AIA §3.8) */
#define IMSIC_EIDELIVERY 0x70
#define IMSIC_EITHRESHOLD 0x72
#define IMSIC_EIE0 0xc0
#define IMSIC_TOPEI_ID(v) (((v) >> 16) & 0x7ff)

#define AIA_NO_INDEX 0xffffffffU
#define AIA_MAX_NDEV 127 /* sources hostirq.c keeps (HOSTIRQ_MAX - 1) */

static struct {
	hpa_t base;
	u32 ndev;
	/* IMSIC hart index of each hart id's S-level file, for target */
	u32 index[CONFIG_MAX_HARTS];
	u8 sm[AIA_MAX_NDEV + 1];   /* source mode each source is set to */
	bool on[AIA_MAX_NDEV + 1]; /* enabled in the domain */
	struct spinlock lock;
} aia;

static u32 aia_read(unsigned long off)
{
	return *(volatile u32 *)(aia.base + off);
}

static void aia_write(unsigned long off, u32 v)
{
	*(volatile u32 *)(aia.base + off) = v;
}

/* An "interrupts" type cell (Linux's IRQ_TYPE_*) as an APLIC source mode */
static u8 aia_mode(u32 type)
{
	switch (type) {
	case 1:
		return APLIC_SM_EDGE_RISE;
	case 2:
		return APLIC_SM_EDGE_FALL;
	case 8:
		return APLIC_SM_LEVEL_LOW;
	default:
		return APLIC_SM_LEVEL_HIGH;
	}
}

static bool aia_level(u32 src)
{
	return aia.sm[src] == APLIC_SM_LEVEL_HIGH ||
	       aia.sm[src] == APLIC_SM_LEVEL_LOW;
}

/*
 * The S-level IMSIC: an "riscv,imsics" node whose files raise supervisor
 * external interrupts; each hart's index is its entry in the list.
 */
static int aia_imsic(const void *fdt, u32 *phandle)
{
	const fdt32_t *ie;
	int node, len, i;
	long hart;

	for (node = dt_next_device(fdt, -1, "riscv,imsics"); node >= 0;
	     node = dt_next_device(fdt, node, "riscv,imsics")) {
		ie = fdt_getprop(fdt, node, "interrupts-extended", &len);
		if (!ie || len < 8 || len % 8 || fdt32_ld(&ie[1]) != IRQ_S_EXT)
			continue;
		for (i = 0; i < len / 8 && i <= APLIC_TARGET_HART_MAX; i++) {
			hart = dt_intc_hart(fdt, fdt32_ld(&ie[2 * i]));
			if (fdt32_ld(&ie[2 * i + 1]) == IRQ_S_EXT &&
			    hart >= 0 && hart < CONFIG_MAX_HARTS)
				aia.index[hart] = i;
		}
		*phandle = fdt_get_phandle(fdt, node);
		return *phandle ? node : -FDT_ERR_BADPHANDLE;
	}
	return -FDT_ERR_NOTFOUND;
}

/* Each source's trigger, from the devices that name this APLIC parent */
static void aia_triggers(const void *fdt, u32 phandle)
{
	const fdt32_t *irq, *parent;
	int node, depth = 0, len, i;
	u32 src;

	for (i = 0; i <= AIA_MAX_NDEV; i++)
		aia.sm[i] = APLIC_SM_LEVEL_HIGH;
	for (node = fdt_next_node(fdt, -1, &depth); node >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		parent = fdt_getprop(fdt, node, "interrupt-parent", &len);
		if (!parent || len != 4 || fdt32_ld(parent) != phandle)
			continue;
		irq = fdt_getprop(fdt, node, "interrupts", &len);
		for (i = 0; irq && i + 1 < len / 4; i += 2) {
			src = fdt32_ld(&irq[i]);
			if (src && src <= aia.ndev)
				aia.sm[src] = aia_mode(fdt32_ld(&irq[i + 1]));
		}
	}
}

static int aia_probe(const void *fdt)
{
	const fdt32_t *msi, *n;
	unsigned long size;
	int imsic, node, len, i;
	u32 imsic_ph = 0, src;

	for (i = 0; i < CONFIG_MAX_HARTS; i++)
		aia.index[i] = AIA_NO_INDEX;
	imsic = aia_imsic(fdt, &imsic_ph);
	/* the supervisor domain: the APLIC whose MSIs go to that file */
	for (node = dt_next_device(fdt, -1, "riscv,aplic"); node >= 0;
	     node = dt_next_device(fdt, node, "riscv,aplic")) {
		msi = fdt_getprop(fdt, node, "msi-parent", &len);
		if (imsic >= 0 && msi && len == 4 && fdt32_ld(msi) == imsic_ph)
			break;
		if (!msi && !fdt_getprop(fdt, node, "riscv,children", NULL)) {
			hyp_printf("sbivisor: host APLIC in direct mode: not "
				   "supported, console input is polled\n");
			return SBI_ERR_NOT_SUPPORTED;
		}
	}
	if (node < 0)
		return SBI_ERR_NOT_SUPPORTED;
	n = fdt_getprop(fdt, node, "riscv,num-sources", &len);
	if (!n || len != 4 || dt_reg(fdt, node, 0, &aia.base, &size, NULL) ||
	    size < APLIC_TARGET(APLIC_MAX_SRC) + 4) {
		hyp_printf("sbivisor: host APLIC: malformed node\n");
		aia.base = 0;
		return SBI_ERR_INVALID_PARAM;
	}
	aia.ndev = fdt32_ld(n);
	if (aia.ndev > AIA_MAX_NDEV)
		aia.ndev = AIA_MAX_NDEV;
	/* identities 1..ndev must exist in every file */
	n = fdt_getprop(fdt, imsic, "riscv,num-ids", &len);
	if (n && len == 4 && fdt32_ld(n) < aia.ndev)
		aia.ndev = fdt32_ld(n);
	aia_triggers(fdt, fdt_get_phandle(fdt, node));
	/* MSI mode, every source off until routed (AIA §4.5.1, §4.5.2) */
	aia_write(APLIC_DOMAINCFG, 0);
	for (src = 1; src <= aia.ndev; src++) {
		aia_write(APLIC_CLRIENUM, src);
		if (aia_read(APLIC_SOURCECFG(src)) & APLIC_SOURCECFG_D)
			continue; /* delegated on to a child: not ours */
		aia_write(APLIC_SOURCECFG(src), APLIC_SM_INACTIVE);
	}
	aia_write(APLIC_DOMAINCFG, APLIC_DOMAINCFG_IE | APLIC_DOMAINCFG_DM);
	return 0;
}

static u32 aia_ndev(void)
{
	return aia.ndev;
}

static bool aia_has_hart(unsigned long hartid)
{
	return hartid < CONFIG_MAX_HARTS && aia.index[hartid] != AIA_NO_INDEX;
}

/* MSIs carry no priority: identities order themselves (AIA §3.9) */
static void aia_set_priority(u32 src, u32 prio)
{
	(void)src;
	(void)prio;
}

/*
 * An MSI clears the source's pending bit; a level source still asserted
 * is not sent again by itself. Writing its number to setipnum sets it
 * pending again only while the input is asserted (AIA §4.9.2). On QEMU
 * 7.2 that write alone stormed a Linux guest with interrupts no device
 * had raised: the rectified input (in_clrip) is read first.
 */
static void aia_rearm(u32 src)
{
	if (src && src <= aia.ndev && aia.on[src] && aia_level(src) &&
	    aia_read(APLIC_IN_CLRIP(src)) & (1U << (src % 32)))
		aia_write(APLIC_SETIPNUM_LE, src);
}

static void aia_enable(u32 src, unsigned long hartid, bool on)
{
	if (!src || src > aia.ndev || !aia_has_hart(hartid))
		return;
	spin_lock(&aia.lock);
	if (on) {
		aia_write(APLIC_SOURCECFG(src), aia.sm[src]);
		if (aia_read(APLIC_SOURCECFG(src)) != aia.sm[src]) {
			/* not delegated to this domain by the firmware */
			spin_unlock(&aia.lock);
			hyp_printf("sbivisor: host APLIC source %u is not "
				   "delegated to S-mode\n",
				   src);
			return;
		}
		aia_write(APLIC_TARGET(src),
			  aia.index[hartid] << APLIC_TARGET_HART_SHIFT | src);
		aia_write(APLIC_SETIENUM, src);
	} else {
		aia_write(APLIC_CLRIENUM, src);
	}
	aia.on[src] = on;
	spin_unlock(&aia.lock);
	/* a level that stayed up while it was off is sent now */
	if (on)
		aia_rearm(src);
}

static void aia_file_write(unsigned long sel, unsigned long v)
{
	csr_write(CSR_SISELECT, sel);
	csr_write(CSR_SIREG, v);
}

/* This hart's S-level file: delivery on, identities 1..ndev enabled */
static void aia_hart_init(unsigned long hartid)
{
	unsigned long reg, bits;
	u32 first;

	(void)hartid;
	/* on RV64 eie registers are the even selectors, 64 bits each */
	for (reg = 0; reg * 64 <= aia.ndev; reg++) {
		first = reg * 64;
		bits = aia.ndev - first >= 63 ? ~0UL
					      : (2UL << (aia.ndev - first)) - 1;
		if (!reg)
			bits &= ~1UL; /* identity 0 does not exist */
		aia_file_write(IMSIC_EIE0 + 2 * reg, bits);
	}
	aia_file_write(IMSIC_EITHRESHOLD, 0);
	aia_file_write(IMSIC_EIDELIVERY, 1);
}

/* Claiming is a write to stopei: the top identity leaves the file */
static u32 aia_claim(unsigned long hartid)
{
	(void)hartid;
	return IMSIC_TOPEI_ID(csr_swap(CSR_STOPEI, 0));
}

static void aia_complete(u32 src, unsigned long hartid)
{
	(void)hartid;
	aia_rearm(src);
}

/* Off first: a completion would send a level still up at once */
static void aia_retire(u32 src, unsigned long hartid)
{
	aia_enable(src, hartid, false);
}

/* Nothing a PLIC guest could mirror */
static void aia_window(hpa_t *base, unsigned long *size)
{
	*base = 0;
	*size = 0;
}

const struct irqchip aia_irqchip = {
	.name = "aia",
	.probe = aia_probe,
	.ndev = aia_ndev,
	.has_hart = aia_has_hart,
	.set_priority = aia_set_priority,
	.enable = aia_enable,
	.hart_init = aia_hart_init,
	.claim = aia_claim,
	.complete = aia_complete,
	.retire = aia_retire,
	.window = aia_window,
};
