// SPDX-License-Identifier: BSD-2-Clause
/*
 * "sbivisor,passthrough" (docs/config.md): host devices a configured guest
 * drives itself, named by phandles into the host device tree. Only for
 * identity-mapped guests: a device's DMA uses host-physical addresses and
 * bypasses stage 2 and PMP (docs/architecture.md "Memory and boot"). Each
 * device is one MMIO window on a bus mapped 1:1 to the host's physical
 * addresses, mapped into the guest at its host address, and at most one source
 * of the host PLIC, forwarded into the guest's vPLIC under the same number.
 * Everything the hypervisor itself drives, and everything the guest's other
 * windows or interrupts already use, is refused.
 */
#include <sbi/sbi_string.h>
#include "config/cfg_ctx.h"

#define CFG_PT_PROP "sbivisor,passthrough"

/* One <address size> pair, size cells given, in the parent bus's cells */
static bool cfg_pt_reg(const void *fdt, int node, u64 *base, u64 *size)
{
	int parent = fdt_parent_offset(fdt, node), n;

	return parent >= 0 && fdt_size_cells(fdt, parent) >= 1 &&
	       !dt_reg(fdt, node, 0, base, size, &n) && n == 1;
}

/* Whether node lies in the subtree at path (the node itself included) */
static bool cfg_pt_under(const void *fdt, int node, const char *path)
{
	int top = fdt_path_offset(fdt, path);

	for (; top >= 0 && node > 0; node = fdt_parent_offset(fdt, node))
		if (node == top)
			return true;
	return false;
}

/* What the hypervisor uses node for, or NULL */
static const char *cfg_pt_hyp_use(const void *fdt, int node)
{
	const char *type = fdt_getprop(fdt, node, "device_type", NULL);
	const char *what = dt_hyp_device(fdt, node);

	if (node == dt_stdout_node(fdt))
		return "console";
	if (what)
		return what;
	if (type && !sbi_strcmp(type, "memory"))
		return "memory";
	if (cfg_pt_under(fdt, node, "/cpus"))
		return "CPU";
	if (cfg_pt_under(fdt, node, "/chosen"))
		return "configuration";
	return NULL;
}

/*
 * fn(c, node, what, arg) for each device the hypervisor uses that has a
 * window, the console first, then in tree order; stops at the first
 * non-zero result and returns it.
 */
static int cfg_pt_each_hyp(struct cfg_ctx *c,
			   int (*fn)(struct cfg_ctx *c, int node,
				     const char *what, void *arg),
			   void *arg)
{
	const char *what;
	int node, depth = 0, rc;

	node = dt_stdout_node(c->fdt);
	rc = node >= 0 ? fn(c, node, "console", arg) : 0;
	for (node = fdt_next_node(c->fdt, -1, &depth); !rc && node >= 0;
	     node = fdt_next_node(c->fdt, node, &depth)) {
		what = dt_hyp_device(c->fdt, node);
		if (what)
			rc = fn(c, node, what, arg);
	}
	return rc;
}

struct cfg_pt_win {
	const char *dev;
	u64 base, size;
};

/* The window of arg over node's, a device the hypervisor uses */
static int cfg_pt_clash(struct cfg_ctx *c, int node, const char *what, u64 b,
			u64 s, const struct cfg_pt_win *w)
{
	char path[CFG_PATH_MAX];

	if (!range_common(w->base, w->size, b, s))
		return 0;
	cfg_path(c, node, path, sizeof(path));
	return cfg_fail(c, CFG_PT_PROP,
			"%s: overlaps %s, used by the hypervisor (%s)", w->dev,
			path, what);
}

static int cfg_pt_clash_node(struct cfg_ctx *c, int node, const char *what,
			     void *arg)
{
	u64 b, s;

	if (!cfg_pt_reg(c->fdt, node, &b, &s))
		return 0;
	return cfg_pt_clash(c, node, what, b, s, arg);
}

static int cfg_pt_collect(struct cfg_ctx *c, int node, const char *what,
			  void *arg)
{
	u64 b, s;

	(void)arg;
	if (!cfg_pt_reg(c->fdt, node, &b, &s))
		return 0;
	if (c->nhyp >= CFG_HYP_WINDOWS)
		return 1;
	c->hyp[c->nhyp++] = (struct cfg_hyp_window){ b, s, node, what };
	return 0;
}

static int cfg_pt_hyp_overlap(struct cfg_ctx *c, const char *dev, u64 base,
			      u64 size)
{
	struct cfg_pt_win w = { dev, base, size };
	const struct cfg_hyp_window *h;
	int i, rc = 0;

	if (!c->hyp_known && cfg_pt_each_hyp(c, cfg_pt_collect, NULL))
		c->nhyp = -1;
	c->hyp_known = true;
	if (c->nhyp < 0)
		return cfg_pt_each_hyp(c, cfg_pt_clash_node, &w);
	for (i = 0; !rc && i < c->nhyp; i++) {
		h = &c->hyp[i];
		rc = cfg_pt_clash(c, h->node, h->what, h->base, h->size, &w);
	}
	return rc;
}

/*
 * Every bus between the device and the root must map its addresses 1:1
 * (an empty "ranges"): the window is then a host-physical range.
 */
static bool cfg_pt_bus_identity(const void *fdt, int node)
{
	const void *ranges;
	int len;

	for (node = fdt_parent_offset(fdt, node); node > 0;
	     node = fdt_parent_offset(fdt, node)) {
		ranges = fdt_getprop(fdt, node, "ranges", &len);
		if (!ranges || len)
			return false;
	}
	return node == 0;
}

/* The node's interrupt parent (its own or inherited), or -1 */
static int cfg_pt_irq_parent(const void *fdt, int node)
{
	const fdt32_t *p;
	int len;

	for (; node >= 0; node = fdt_parent_offset(fdt, node)) {
		p = fdt_getprop(fdt, node, "interrupt-parent", &len);
		if (p)
			return len == 4
				       ? fdt_node_offset_by_phandle(fdt,
								    fdt32_ld(p))
				       : -FDT_ERR_BADVALUE;
	}
	return -FDT_ERR_NOTFOUND;
}

/*
 * The cells of one interrupt on node if it is a host controller HS takes
 * interrupts from: a PLIC (the source) or an APLIC (source, trigger); 0
 * for any other node.
 */
static int cfg_pt_irq_cells(const void *fdt, int node)
{
	const fdt32_t *cells;
	int len, want;

	if (node < 0)
		return 0;
	if (!fdt_node_check_compatible(fdt, node, "riscv,plic0") ||
	    !fdt_node_check_compatible(fdt, node, "sifive,plic-1.0.0"))
		want = 1;
	else if (!fdt_node_check_compatible(fdt, node, "riscv,aplic"))
		want = 2;
	else
		return 0;
	cells = fdt_getprop(fdt, node, "#interrupt-cells", &len);
	return cells && len == 4 && fdt32_ld(cells) == (u32)want ? want : 0;
}

/* The node's one host source: 1, 0 when it has none, <0 error */
static int cfg_pt_irq(struct cfg_ctx *c, int node, const char *dev, u32 *irq)
{
	const fdt32_t *p;
	int len, n;

	*irq = 0;
	p = fdt_getprop(c->fdt, node, "interrupts", &len);
	if (!p && !fdt_getprop(c->fdt, node, "interrupts-extended", NULL))
		return 0;
	n = p ? cfg_pt_irq_cells(c->fdt, cfg_pt_irq_parent(c->fdt, node)) : 0;
	if (!n)
		return cfg_fail(c, CFG_PT_PROP,
				"%s: interrupts not on the host PLIC or APLIC",
				dev);
	if (len != 4 * n)
		return cfg_fail(c, CFG_PT_PROP,
				"%s: 'interrupts' is not one source", dev);
	*irq = fdt32_ld(p);
	return 1;
}

/* The source src of dev against the guest's and the other devices' */
static int cfg_pt_source(struct cfg_ctx *c, int i, const char *dev, u32 src)
{
	struct cfg_guest *g = &c->cfg->g[i];
	int con = dt_stdout_node(c->fdt), j;
	char path[CFG_PATH_MAX];
	const fdt32_t *p;
	u32 k;
	int len;

	if (!src || src > CFG_GUEST_PLIC_NDEV)
		return cfg_fail(c, CFG_PT_PROP, "%s: source %u outside 1..%d",
				dev, src, CFG_GUEST_PLIC_NDEV);
	if (g->vuart && src == CFG_GUEST_UART_IRQ)
		return cfg_fail(c, CFG_PT_PROP,
				"%s: source %u is the emulated UART's", dev,
				src);
	p = con < 0 ? NULL : fdt_getprop(c->fdt, con, "interrupts", &len);
	if (p && len >= 4 && fdt32_ld(p) == src) {
		cfg_path(c, con, path, sizeof(path));
		return cfg_fail(c, CFG_PT_PROP, "%s: source %u is also %s's",
				dev, src, path);
	}
	for (j = 0; j <= i; j++) {
		for (k = 0; k < c->cfg->g[j].npt; k++) {
			if (c->cfg->g[j].pt[k].irq != src)
				continue;
			cfg_path(c, c->cfg->g[j].pt[k].node, path,
				 sizeof(path));
			return cfg_fail(c, CFG_PT_PROP,
					"%s: source %u is also %s's", dev, src,
					path);
		}
	}
	return 0;
}

/* The window against the guest's emulated devices, windows and devices */
static int cfg_pt_space(struct cfg_ctx *c, int i, const char *dev, u64 base,
			u64 size)
{
	struct cfg_guest *g = &c->cfg->g[i], *o;
	char path[CFG_PATH_MAX];
	u32 k;
	int j;

	if (range_common(base, size, CFG_GUEST_PLIC_GPA, CFG_GUEST_PLIC_SIZE))
		return cfg_fail(c, CFG_PT_PROP,
				"%s: overlaps the emulated PLIC at 0x%lx", dev,
				CFG_GUEST_PLIC_GPA);
	if (g->vuart && range_common(base, size, CFG_GUEST_UART_GPA,
				     ALIGN_UP(CFG_GUEST_UART_SIZE, CFG_PAGE)))
		return cfg_fail(c, CFG_PT_PROP,
				"%s: overlaps the emulated UART at 0x%lx", dev,
				CFG_GUEST_UART_GPA);
	for (k = 0; k < g->nshm; k++) {
		if (!range_common(base, size, g->shm[k].gpa,
				  g->shm[k].size + CFG_BELL))
			continue;
		cfg_path(c, c->shm[i][k], path, sizeof(path));
		return cfg_fail(c, CFG_PT_PROP, "%s: overlaps %s", dev, path);
	}
	/* other guests' devices too: the host has one of each */
	for (j = 0; j <= i; j++) {
		o = &c->cfg->g[j];
		for (k = 0; k < o->npt; k++) {
			if (!range_common(base, size, o->pt[k].base,
					  o->pt[k].size))
				continue;
			cfg_path(c, o->pt[k].node, path, sizeof(path));
			return cfg_fail(c, CFG_PT_PROP, "%s: overlaps %s", dev,
					path);
		}
	}
	return 0;
}

/* The node a phandle names, if it is no other guest's and not ours */
static int cfg_pt_node(struct cfg_ctx *c, int i, u32 phandle, int *node)
{
	char dev[CFG_PATH_MAX];
	const char *what;
	u32 k;
	int j;

	*node = phandle && phandle != ~0U
			? fdt_node_offset_by_phandle(c->fdt, phandle)
			: -FDT_ERR_BADPHANDLE;
	if (*node < 0)
		return cfg_fail(c, CFG_PT_PROP, "phandle 0x%x matches no node",
				phandle);
	cfg_path(c, *node, dev, sizeof(dev));
	for (j = 0; j <= i; j++) {
		for (k = 0; k < c->cfg->g[j].npt; k++) {
			if (c->cfg->g[j].pt[k].node != *node)
				continue;
			if (j == i)
				return cfg_fail(c, CFG_PT_PROP,
						"%s: listed twice", dev);
			return cfg_fail(c, CFG_PT_PROP,
					"%s: already passed to guest '%s'", dev,
					c->cfg->g[j].name);
		}
	}
	what = cfg_pt_hyp_use(c->fdt, *node);
	if (what)
		return cfg_fail(c, CFG_PT_PROP,
				"%s: used by the hypervisor (%s)", dev, what);
	return 0;
}

/* One device of guest i's list, appended to its pt[] when it is fit */
static int cfg_pt_device(struct cfg_ctx *c, int i, u32 phandle)
{
	struct cfg_guest *g = &c->cfg->g[i];
	const struct cfg_limits *lim = c->lim;
	char dev[CFG_PATH_MAX];
	u64 base, size;
	int node, rc;
	u32 irq = 0;

	rc = cfg_pt_node(c, i, phandle, &node);
	if (rc)
		return rc;
	cfg_path(c, node, dev, sizeof(dev));
	if (!cfg_pt_reg(c->fdt, node, &base, &size))
		return cfg_fail(c, CFG_PT_PROP,
				"%s: no usable 'reg' (one <address size> pair)",
				dev);
	if (!size || base % CFG_PAGE || size % CFG_PAGE || base + size < base)
		return cfg_fail(c, CFG_PT_PROP,
				"%s: window 0x%lx+0x%lx empty, not page "
				"aligned "
				"or wrapping",
				dev, base, size);
	if (!cfg_pt_bus_identity(c->fdt, node))
		return cfg_fail(c, CFG_PT_PROP,
				"%s: not on a bus mapped 1:1 (empty 'ranges')",
				dev);
	/* the guest's own RAM, identity-mapped, lies in host RAM */
	if (range_common(base, size, lim->ram_base, lim->ram_size))
		return cfg_fail(c, CFG_PT_PROP, "%s: overlaps host RAM", dev);
	rc = cfg_pt_hyp_overlap(c, dev, base, size);
	if (!rc)
		rc = cfg_pt_space(c, i, dev, base, size);
	if (!rc)
		rc = cfg_pt_irq(c, node, dev, &irq);
	if (rc > 0)
		rc = cfg_pt_source(c, i, dev, irq);
	if (rc)
		return rc;
	g->pt[g->npt].node = node;
	g->pt[g->npt].base = base;
	g->pt[g->npt].size = size;
	g->pt[g->npt++].irq = irq;
	return 0;
}

int cfg_pt_parse(struct cfg_ctx *c, int i)
{
	struct cfg_guest *g = &c->cfg->g[i];
	const fdt32_t *p;
	int len, k, rc;

	p = fdt_getprop(c->fdt, c->at, CFG_PT_PROP, &len);
	if (!p)
		return 0;
	if (!g->identity)
		return cfg_fail(c, CFG_PT_PROP,
				"only for sbivisor,identity guests");
	if (!len || len % 4)
		return cfg_fail(c, CFG_PT_PROP, "length %d, expected 4 * n",
				len);
	if (len / 4 > CFG_MAX_PT)
		return cfg_fail(c, CFG_PT_PROP, "more than %d devices",
				CFG_MAX_PT);
	for (k = 0; k < len / 4; k++) {
		rc = cfg_pt_device(c, i, fdt32_ld(p + k));
		if (rc)
			return rc;
	}
	return 0;
}

/*
 * Once the windows are paired: no device source may be one a peer's
 * doorbell raises in this guest (the vPLIC would mix the two up).
 */
int cfg_pt_doorbells(struct cfg_ctx *c, int i)
{
	struct cfg_guest *g = &c->cfg->g[i], *p;
	char dev[CFG_PATH_MAX], bell[CFG_PATH_MAX];
	u32 j, k, m;

	c->at = c->node[i];
	for (k = 0; k < g->npt; k++) {
		for (j = 0; g->pt[k].irq && j < c->cfg->nguests; j++) {
			p = &c->cfg->g[j];
			for (m = 0; m < p->nshm; m++) {
				if (p->shm[m].peer_idx != i ||
				    p->shm[m].irq != g->pt[k].irq)
					continue;
				cfg_path(c, g->pt[k].node, dev, sizeof(dev));
				cfg_path(c, c->shm[j][m], bell, sizeof(bell));
				return cfg_fail(c, CFG_PT_PROP,
						"%s: source %u is rung by %s",
						dev, g->pt[k].irq, bell);
			}
		}
	}
	return 0;
}
