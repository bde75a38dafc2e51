// SPDX-License-Identifier: BSD-2-Clause
/*
 * The host PLIC as the host interrupt controller (irqchip.h): each
 * hart's S-mode context belongs to HS. Register map: lib/plic.h.
 */
#include <libfdt.h>
#include "base/lock.h"
#include "host/irqchip.h"
#include "../../lib/dt.h"
#include "../../lib/plic.h"

#define PLIC_NO_CTX 0xffffffffU
#define PLIC_MAX_NDEV 127 /* sources hostirq.c keeps (HOSTIRQ_MAX - 1) */

static struct {
	hpa_t base;
	unsigned long size;
	u32 ndev;
	u32 ctx[CONFIG_MAX_HARTS]; /* S-mode context of each hart id */
	struct spinlock lock;	   /* enable words: harts may mask at once */
} plic;

static u32 plic_read(unsigned long off)
{
	return *(volatile u32 *)(plic.base + off);
}

static void plic_write(unsigned long off, u32 v)
{
	*(volatile u32 *)(plic.base + off) = v;
}

static int plic_probe(const void *fdt)
{
	static const char *const compat[] = { "riscv,plic0", "sifive,plic-1.0."
							     "0" };
	const fdt32_t *ie, *ndev;
	int node = -1, len, i;
	long hart;

	for (i = 0; i < CONFIG_MAX_HARTS; i++)
		plic.ctx[i] = PLIC_NO_CTX;
	for (i = 0; i < (int)ARRAY_SIZE(compat) && node < 0; i++)
		node = dt_next_device(fdt, -1, compat[i]);
	if (node < 0)
		return SBI_ERR_NOT_SUPPORTED;
	ndev = fdt_getprop(fdt, node, "riscv,ndev", &len);
	ie = fdt_getprop(fdt, node, "interrupts-extended", &len);
	if (!ndev || !ie || len % 8 ||
	    dt_reg(fdt, node, 0, &plic.base, &plic.size, NULL) || !plic.size ||
	    plic.base + plic.size < plic.base) {
		hyp_printf("sbivisor: host PLIC: malformed node\n");
		plic.base = 0;
		return SBI_ERR_INVALID_PARAM;
	}
	plic.ndev = fdt32_to_cpu(*ndev);
	if (plic.ndev > PLIC_MAX_NDEV)
		plic.ndev = PLIC_MAX_NDEV;
	/* context i is entry i; S-mode contexts carry IRQ 9 (SEI) */
	for (i = 0; i < len / 8; i++) {
		if (fdt32_to_cpu(ie[2 * i + 1]) != IRQ_S_EXT)
			continue;
		hart = dt_intc_hart(fdt, fdt32_to_cpu(ie[2 * i]));
		if (hart >= 0 && hart < CONFIG_MAX_HARTS)
			plic.ctx[hart] = i;
	}
	return 0;
}

static u32 plic_ndev(void)
{
	return plic.ndev;
}

static bool plic_has_hart(unsigned long hartid)
{
	return hartid < CONFIG_MAX_HARTS && plic.ctx[hartid] != PLIC_NO_CTX;
}

static void plic_set_priority(u32 src, u32 prio)
{
	plic_write(PLIC_PRIORITY(src), prio);
}

/* Set or clear src's enable bit in the hart's context (read-modify-write) */
static void plic_enable(u32 src, unsigned long hartid, bool on)
{
	unsigned long off = PLIC_ENABLE(plic.ctx[hartid], src);
	u32 v;

	spin_lock(&plic.lock);
	v = plic_read(off);
	v = on ? v | (1U << (src % 32)) : v & ~(1U << (src % 32));
	plic_write(off, v);
	spin_unlock(&plic.lock);
}

static void plic_hart_init(unsigned long hartid)
{
	plic_write(PLIC_THRESHOLD(plic.ctx[hartid]), 0);
}

static u32 plic_claim(unsigned long hartid)
{
	return plic_read(PLIC_CLAIM(plic.ctx[hartid]));
}

static void plic_complete(u32 src, unsigned long hartid)
{
	plic_write(PLIC_CLAIM(plic.ctx[hartid]), src);
}

/* A PLIC ignores the completion of a source that is not enabled */
static void plic_retire(u32 src, unsigned long hartid)
{
	plic_complete(src, hartid);
	plic_enable(src, hartid, false);
}

static void plic_window(hpa_t *base, unsigned long *size)
{
	*base = plic.base;
	*size = plic.size;
}

const struct irqchip plic_irqchip = {
	.name = "plic",
	.probe = plic_probe,
	.ndev = plic_ndev,
	.has_hart = plic_has_hart,
	.set_priority = plic_set_priority,
	.enable = plic_enable,
	.hart_init = plic_hart_init,
	.claim = plic_claim,
	.complete = plic_complete,
	.retire = plic_retire,
	.window = plic_window,
};
