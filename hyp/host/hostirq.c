// SPDX-License-Identifier: BSD-2-Clause
/*
 * The host PLIC's S-mode contexts belong to HS: it claims host interrupts
 * and either serves them (the console UART) or forwards them into a
 * guest's vPLIC, completing them on the host only when the guest has
 * completed them (level-triggered devices keep their line up until
 * served, so an early completion would interrupt again at once).
 */
#include <libfdt.h>
#include "host/hostdt.h"
#include "host/hostirq.h"
#include "base/lock.h"
#include "../../lib/plic.h"

#define HOSTIRQ_NO_CTX 0xffffffffU

struct hostirq_src {
	hostirq_fn fn;
	void *arg;
	u32 ctx;     /* context it is enabled in (and claimed through) */
	bool masked; /* disabled for good (hostirq_mask) */
};

static struct {
	hpa_t base;
	unsigned long size;
	u32 ndev;
	u32 ctx[CONFIG_MAX_HARTS];   /* S-mode context of each hart id */
	bool used[CONFIG_MAX_HARTS]; /* something routed to this hart */
	struct hostirq_src src[HOSTIRQ_MAX];
	struct spinlock lock; /* enable words: several harts may mask at once */
} hostirq;

static inline u32 hostirq_read(unsigned long off)
{
	return *(volatile u32 *)(hostirq.base + off);
}

static inline void hostirq_write(unsigned long off, u32 v)
{
	*(volatile u32 *)(hostirq.base + off) = v;
}

/* The hart id owning a cpu-intc node, or -1 */
static long hostirq_intc_hart(const void *fdt, u32 phandle)
{
	int intc = fdt_node_offset_by_phandle(fdt, phandle), cpu, len;
	const fdt32_t *reg;

	if (intc < 0)
		return -1;
	cpu = fdt_parent_offset(fdt, intc);
	reg = cpu < 0 ? NULL : fdt_getprop(fdt, cpu, "reg", &len);
	return reg && len >= 4 ? (long)fdt32_to_cpu(reg[len / 4 - 1]) : -1;
}

int hostirq_init(const void *fdt)
{
	static const char *const compat[] = { "riscv,plic0", "sifive,plic-1.0."
							     "0" };
	const fdt32_t *ie, *ndev;
	int node = -1, len, i;
	long hart;

	for (i = 0; i < CONFIG_MAX_HARTS; i++)
		hostirq.ctx[i] = HOSTIRQ_NO_CTX;
	for (i = 0; i < (int)ARRAY_SIZE(compat) && node < 0; i++)
		node = fdt_node_offset_by_compatible(fdt, -1, compat[i]);
	if (node < 0)
		return 0; /* no PLIC: no interrupts to forward */
	ndev = fdt_getprop(fdt, node, "riscv,ndev", &len);
	ie = fdt_getprop(fdt, node, "interrupts-extended", &len);
	if (!ndev || !ie || len % 8 ||
	    hostdt_reg(fdt, node, 0, &hostirq.base, &hostirq.size)) {
		hyp_printf("sbivisor: host PLIC: malformed node\n");
		return -1;
	}
	hostirq.ndev = fdt32_to_cpu(*ndev);
	if (hostirq.ndev >= HOSTIRQ_MAX)
		hostirq.ndev = HOSTIRQ_MAX - 1;
	/* context i is entry i; S-mode contexts carry IRQ 9 (SEI) */
	for (i = 0; i < len / 8; i++) {
		if (fdt32_to_cpu(ie[2 * i + 1]) != IRQ_S_EXT)
			continue;
		hart = hostirq_intc_hart(fdt, fdt32_to_cpu(ie[2 * i]));
		if (hart >= 0 && hart < CONFIG_MAX_HARTS)
			hostirq.ctx[hart] = i;
	}
	return 0;
}

bool hostirq_present(void)
{
	return hostirq.base != 0;
}

u32 hostirq_ndev(void)
{
	return hostirq.ndev;
}

hpa_t hostirq_base(void)
{
	return hostirq.base;
}

unsigned long hostirq_size(void)
{
	return hostirq.size;
}

/* Set or clear src's enable bit in its context (read-modify-write) */
static void hostirq_enable(u32 src, bool on)
{
	unsigned long off = PLIC_ENABLE(hostirq.src[src].ctx, src);
	u32 v;

	spin_lock(&hostirq.lock);
	v = hostirq_read(off);
	v = on ? v | (1U << (src % 32)) : v & ~(1U << (src % 32));
	hostirq_write(off, v);
	spin_unlock(&hostirq.lock);
}

int hostirq_route(u32 src, unsigned long hartid, hostirq_fn fn, void *arg)
{
	if (!hostirq_present() || !src || src > hostirq.ndev ||
	    hartid >= CONFIG_MAX_HARTS || hostirq.ctx[hartid] == HOSTIRQ_NO_CTX)
		return SBI_ERR_INVALID_PARAM;
	hostirq.src[src].fn = fn;
	hostirq.src[src].arg = arg;
	hostirq.src[src].ctx = hostirq.ctx[hartid];
	hostirq.used[hartid] = true;
	hostirq_write(PLIC_PRIORITY(src), 1);
	hostirq_enable(src, true);
	return 0;
}

void hostirq_mask(u32 src)
{
	if (src && src <= hostirq.ndev && hostirq.src[src].fn) {
		hostirq.src[src].masked = true;
		hostirq_enable(src, false);
	}
}

/* A masked source's owner runs again (a stopped guest started anew) */
void hostirq_unmask(u32 src)
{
	if (src && src <= hostirq.ndev && hostirq.src[src].fn &&
	    hostirq.src[src].masked) {
		hostirq.src[src].masked = false;
		hostirq_enable(src, true);
	}
}

/*
 * OpenSBI's warm boot of a hart (HSM start) disables every source in the
 * hart's S-mode context and sets its threshold to 7: the sources routed
 * there before the hart started are enabled again here.
 */
void hostirq_hart_init(unsigned long hartid)
{
	u32 ctx, src;

	if (!hostirq_present() || hartid >= CONFIG_MAX_HARTS ||
	    hostirq.ctx[hartid] == HOSTIRQ_NO_CTX)
		return;
	ctx = hostirq.ctx[hartid];
	for (src = 1; src <= hostirq.ndev; src++)
		if (hostirq.src[src].fn && hostirq.src[src].ctx == ctx &&
		    !hostirq.src[src].masked)
			hostirq_enable(src, true);
	hostirq_write(PLIC_THRESHOLD(ctx), 0);
	if (hostirq.used[hartid])
		csr_set(CSR_SIE, MIP_SEIP);
}

void hostirq_handle(unsigned long hartid)
{
	u32 ctx, src;

	if (!hostirq_present() || hartid >= CONFIG_MAX_HARTS ||
	    hostirq.ctx[hartid] == HOSTIRQ_NO_CTX)
		return;
	ctx = hostirq.ctx[hartid];
	while ((src = hostirq_read(PLIC_CLAIM(ctx)))) {
		if (src <= hostirq.ndev && hostirq.src[src].fn)
			hostirq.src[src].fn(src, hostirq.src[src].arg);
		else
			hostirq_write(PLIC_CLAIM(ctx), src); /* not ours */
	}
}

void hostirq_complete(u32 src)
{
	if (src && src <= hostirq.ndev && hostirq.src[src].fn)
		hostirq_write(PLIC_CLAIM(hostirq.src[src].ctx), src);
}
