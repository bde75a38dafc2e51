// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guest configuration from /chosen (docs/config.md). One pass over the
 * guest nodes checks each guest on its own and against the guests before
 * it; a second pass pairs the shared-memory windows, checks passed-through
 * interrupts against the doorbells, and checks that the RAM the hypervisor
 * must allocate fits. Every property length is checked before a cell is
 * read: a malformed tree gives an error, never a bad access.
 */
#include <sbi/sbi_string.h>
#include "config/cfg_ctx.h"
#include "../../lib/hmask.h"
#include "../../lib/print.h"

static const char *const cfg_mod_compat[CFG_NMOD] = { "multiboot,kernel",
						      "multiboot,ramdisk",
						      "multiboot,device-tree" };
static const char *const cfg_mod_name[CFG_NMOD] = { "kernel", "ramdisk",
						    "device-tree" };

unsigned long cfg_vcpu_hart(const struct cfg_guest *g, u32 vcpu)
{
	long h = hmask_nth(g->affinity, vcpu);

	return h < 0 ? 0 : h;
}

static int cfg_name(struct cfg_ctx *c, int i)
{
	struct cfg_guest *g = &c->cfg->g[i];
	const char *name;
	int len, k;

	name = fdt_get_name(c->fdt, c->at, &len);
	for (k = 0; name && k < len && len < CFG_NAME_MAX; k++)
		if (!((name[k] >= 'a' && name[k] <= 'z') ||
		      (name[k] >= '0' && name[k] <= '9') || name[k] == '_' ||
		      name[k] == '-'))
			break;
	if (!name || !len || k != len)
		return cfg_fail(c, NULL,
				"bad guest name (1-%d characters of "
				"a-z 0-9 _ -)",
				CFG_NAME_MAX - 1);
	sbi_memcpy(g->name, name, len);
	g->name[len] = '\0';
	for (k = 0; k < i; k++)
		if (!sbi_strcmp(c->cfg->g[k].name, g->name))
			return cfg_fail(c, NULL, "duplicate guest name '%s'",
					g->name);
	return 0;
}

/* vCPU count, home harts, and the load they put on each hart */
static int cfg_vcpus(struct cfg_ctx *c, struct cfg_guest *g)
{
	const char *prop = "cpus";
	const fdt32_t *p;
	u32 h, prev = 0, v;
	int len, k, rc;

	g->nvcpus = 1;
	rc = cfg_u32(c, "cpus", &g->nvcpus);
	if (rc < 0)
		return rc;
	if (!g->nvcpus || g->nvcpus > SHV_MAX_VCPUS)
		return cfg_fail(c, "cpus", "%u vCPUs (1 to %d)", g->nvcpus,
				SHV_MAX_VCPUS);
	g->affinity = c->lim->harts;
	p = fdt_getprop(c->fdt, c->at, "sbivisor,harts", &len);
	if (p) {
		prop = "sbivisor,harts";
		g->affinity = 0;
		if (!len || len % 4)
			return cfg_fail(c, prop, "length %d, expected 4 * n",
					len);
	}
	for (k = 0; p && k < len / 4; k++, prev = h) {
		h = fdt32_ld(p + k);
		if (h >= CFG_HARTS_MAX || !((c->lim->harts >> h) & 1))
			return cfg_fail(c, prop, "hart %u does not exist", h);
		if (k && h <= prev)
			return cfg_fail(c, prop, "not in ascending order");
		g->affinity |= 1UL << h;
	}
	for (v = 0; v < g->nvcpus; v++) {
		h = cfg_vcpu_hart(g, v);
		if (c->lim->max_vcpus_per_hart &&
		    ++c->load[h] > c->lim->max_vcpus_per_hart)
			return cfg_fail(c, prop,
					"hart %u would carry %u vCPUs (at most "
					"%u)",
					h, c->load[h],
					c->lim->max_vcpus_per_hart);
	}
	return 0;
}

/* Priority and time slice for "rr", period and budget for "rm" */
static int cfg_sched(struct cfg_ctx *c, struct cfg_guest *g)
{
	static const char *const name[4] = { "sbivisor,priority",
					     "sbivisor,timeslice-us",
					     "sbivisor,period-us",
					     "sbivisor,budget-us" };
	u32 v[4] = { 0, CONFIG_SLICE_US, 0, 0 };
	const char *s;
	bool rm;
	int k, rc;

	rc = cfg_string(c, "sbivisor,sched", &s);
	if (rc < 0)
		return rc;
	if (rc && sbi_strcmp(s, "rr") && sbi_strcmp(s, "rm"))
		return cfg_fail(c, "sbivisor,sched",
				"unknown policy '%s' (\"rr\" or \"rm\")", s);
	rm = rc && !sbi_strcmp(s, "rm");
	for (k = 0; k < 4; k++) {
		rc = cfg_u32(c, name[k], &v[k]);
		if (rc < 0)
			return rc;
		if (rc && rm != (k >= 2))
			return cfg_fail(c, name[k],
					"only with sbivisor,sched = \"%s\"",
					rm ? "rr" : "rm");
		if (!rc && rm && k >= 2)
			return cfg_fail(c, name[k],
					"required with sbivisor,sched = "
					"\"rm\"");
		if (k && rm == (k >= 2) && !v[k])
			return cfg_fail(c, name[k], "must be > 0");
	}
	if (v[3] > v[2])
		return cfg_fail(c, name[3], "%u exceeds the period %u", v[3],
				v[2]);
	rc = cfg_flag(c, "sbivisor,pin-vcpus", &g->pinned);
	if (rc < 0)
		return rc;
	if (g->pinned && rm)
		return cfg_fail(c, "sbivisor,pin-vcpus",
				"rate-monotonic vCPUs are always pinned");
	g->sched = rm ? CFG_SCHED_RM : CFG_SCHED_RR;
	g->priority = v[0];
	g->slice_us = rm ? 0 : v[1];
	g->period_us = v[2];
	g->budget_us = v[3];
	return 0;
}

/*
 * A host range (identity RAM of guest i, or one of its modules) against
 * host RAM, the reserved range, and the identity RAM and modules of
 * guests 0..i. Modules stay out of identity RAM, their own guest's too:
 * they are copied into guest RAM at every (re)boot.
 */
static int cfg_host_range(struct cfg_ctx *c, const char *prop, int i, bool mod,
			  u64 base, u64 size)
{
	const struct cfg_limits *lim = c->lim;
	const char *what = mod ? "module " : "";
	char path[CFG_PATH_MAX];
	struct cfg_guest *o;
	int j, k;

	if (base + size < base ||
	    range_common(base, size, lim->ram_base, lim->ram_size) != size)
		return cfg_fail(c, prop, "%soutside host RAM", what);
	if (range_common(base, size, lim->reserved_base, lim->reserved_size))
		return cfg_fail(c, prop, "%soverlaps the hypervisor", what);
	if (range_common(base, size, lim->fdt_base, lim->fdt_size))
		return cfg_fail(c, prop, "%soverlaps the host device tree",
				what);
	for (j = 0; j <= i; j++) {
		o = &c->cfg->g[j];
		if (o->identity && (mod || j < i) &&
		    range_common(base, size, o->mem_base, o->mem_size))
			return cfg_fail(c, prop, "%soverlaps guest '%s'", what,
					o->name);
		for (k = 0; k < CFG_NMOD; k++) {
			if (c->mod[j][k] < 0 ||
			    !range_common(base, size, c->modp[j][k]->base,
					  c->modp[j][k]->size))
				continue;
			cfg_path(c, c->mod[j][k], path, sizeof(path));
			return cfg_fail(c, prop, "%soverlaps %s", what, path);
		}
	}
	return 0;
}

/* A guest-physical range against the emulated devices' windows */
static int cfg_devices(struct cfg_ctx *c, const char *prop, u64 gpa, u64 size)
{
	if (range_common(gpa, size, CFG_GUEST_PLIC_GPA, CFG_GUEST_PLIC_SIZE))
		return cfg_fail(c, prop, "overlaps the emulated PLIC at 0x%lx",
				CFG_GUEST_PLIC_GPA);
	if (range_common(gpa, size, CFG_GUEST_UART_GPA,
			 ALIGN_UP(CFG_GUEST_UART_SIZE, CFG_PAGE)))
		return cfg_fail(c, prop, "overlaps the emulated UART at 0x%lx",
				CFG_GUEST_UART_GPA);
	return 0;
}

static int cfg_memory(struct cfg_ctx *c, int i)
{
	struct cfg_guest *g = &c->cfg->g[i];
	const fdt32_t *p;
	u64 base, size;
	int len, rc;

	p = fdt_getprop(c->fdt, c->at, "memory", &len);
	if (!p)
		return cfg_fail(c, NULL, "missing property 'memory'");
	if (len != 8 && len != 16)
		return cfg_fail(c, "memory", "length %d, expected 8 or 16",
				len);
	base = len == 8 ? CFG_MEM_BASE : dt_cells(p, 2);
	size = dt_cells(p + len / 4 - 2, 2);
	if (base % MIB(2))
		return cfg_fail(c, "memory", "base 0x%lx not 2 MiB aligned",
				base);
	if (size < MIB(2) || size % MIB(2))
		return cfg_fail(c, "memory",
				"size 0x%lx not a positive multiple of 2 MiB",
				size);
	if (base + size < base)
		return cfg_fail(c, "memory", "range wraps around");
	g->mem_base = base;
	g->mem_size = size;
	rc = cfg_devices(c, "memory", base, size);
	if (!rc)
		rc = cfg_flag(c, "sbivisor,identity", &g->identity);
	if (rc <= 0)
		return rc;
	return cfg_host_range(c, "memory", i, false, base, size);
}

static int cfg_module(struct cfg_ctx *c, int i, int kind, int ac, int sc)
{
	struct cfg_guest *g = &c->cfg->g[i];
	struct cfg_module *m;
	u64 base, size;
	int rc;

	if (c->mod[i][kind] >= 0)
		return cfg_fail(c, NULL, "second %s module",
				cfg_mod_name[kind]);
	rc = cfg_known(c, CFG_MOD_PROPS);
	if (!rc)
		rc = cfg_reg(c, ac, sc, &base, &size);
	if (!rc && !size)
		rc = cfg_fail(c, "reg", "empty module");
	if (!rc)
		rc = cfg_host_range(c, "reg", i, true, base, size);
	if (rc)
		return rc;
	m = kind == CFG_KERNEL	  ? &g->kernel
	    : kind == CFG_RAMDISK ? &g->initrd
				  : &g->dtb;
	m->base = base;
	m->size = size;
	c->mod[i][kind] = c->at;
	c->modp[i][kind] = m;
	return 0;
}

static int cfg_shmem(struct cfg_ctx *c, int i, int ac, int sc)
{
	struct cfg_guest *g = &c->cfg->g[i];
	struct cfg_shm *s = &g->shm[g->nshm];
	char path[CFG_PATH_MAX];
	const char *peer;
	u64 gpa, size;
	u32 k;
	int rc;

	if (g->nshm == CFG_MAX_SHM)
		return cfg_fail(c, NULL, "more than %d shared-memory windows",
				CFG_MAX_SHM);
	rc = cfg_known(c, CFG_SHM_PROPS);
	if (!rc)
		rc = cfg_string(c, "sbivisor,peer", &peer);
	if (!rc)
		return cfg_fail(c, NULL, "missing property 'sbivisor,peer'");
	if (rc > 0 && sbi_strlen(peer) >= CFG_NAME_MAX)
		return cfg_fail(c, "sbivisor,peer", "no guest '%s'", peer);
	if (rc > 0)
		rc = cfg_reg(c, ac, sc, &gpa, &size);
	if (rc)
		return rc;
	if (!size || gpa % CFG_PAGE || size % CFG_PAGE)
		return cfg_fail(c, "reg",
				"window 0x%lx+0x%lx empty or not page aligned",
				gpa, size);
	/* the window, then its doorbell page */
	if (gpa + size < gpa || gpa + size + CFG_BELL < gpa + size)
		return cfg_fail(c, "reg", "range wraps around");
	if (range_common(gpa, size + CFG_BELL, g->mem_base, g->mem_size))
		return cfg_fail(c, "reg", "overlaps the guest's RAM");
	rc = cfg_devices(c, "reg", gpa, size + CFG_BELL);
	if (rc)
		return rc;
	for (k = 0; k < g->nshm; k++) {
		if (!range_common(gpa, size + CFG_BELL, g->shm[k].gpa,
				  g->shm[k].size + CFG_BELL))
			continue;
		cfg_path(c, c->shm[i][k], path, sizeof(path));
		return cfg_fail(c, "reg", "overlaps %s", path);
	}
	rc = cfg_u32(c, "sbivisor,doorbell", &s->irq);
	if (rc < 0)
		return rc;
	if (rc && (!s->irq || s->irq > CFG_GUEST_PLIC_NDEV))
		return cfg_fail(c, "sbivisor,doorbell",
				"source %u outside 1..%d", s->irq,
				CFG_GUEST_PLIC_NDEV);
	sbi_strncpy(s->peer, peer, CFG_NAME_MAX);
	s->peer_idx = -1;
	s->gpa = gpa;
	s->size = size;
	c->shm[i][g->nshm++] = c->at;
	return 0;
}

/* Module and shared-memory nodes: reg in the guest node's cells */
static int cfg_children(struct cfg_ctx *c, int i)
{
	int node = c->node[i], child, cells[2] = { 2, 2 }, k, rc;
	u32 v;

	for (k = 0; k < 2; k++) {
		v = 2;
		rc = cfg_u32(c, k ? "#size-cells" : "#address-cells", &v);
		if (rc < 0)
			return rc;
		if (v != 1 && v != 2)
			return cfg_fail(c, k ? "#size-cells" : "#address-cells",
					"must be 1 or 2");
		cells[k] = v;
	}
	fdt_for_each_subnode(child, c->fdt, node) {
		c->at = child;
		for (k = 0; k < CFG_NMOD; k++)
			if (!fdt_node_check_compatible(c->fdt, child,
						       cfg_mod_compat[k]))
				break;
		if (k < CFG_NMOD)
			rc = cfg_module(c, i, k, cells[0], cells[1]);
		else if (!fdt_node_check_compatible(c->fdt, child,
						    "sbivisor,shmem"))
			rc = cfg_shmem(c, i, cells[0], cells[1]);
		else
			rc = cfg_fail(c, NULL,
				      "not a module or shared-memory node");
		if (rc)
			return rc;
	}
	c->at = node;
	if (child != -FDT_ERR_NOTFOUND)
		return cfg_fail(c, NULL, "malformed node (%s)",
				fdt_strerror(child));
	if (c->mod[i][CFG_KERNEL] < 0)
		return cfg_fail(c, NULL, "missing kernel module");
	return 0;
}

static int cfg_guest(struct cfg_ctx *c, int i)
{
	struct cfg_guest *g = &c->cfg->g[i];
	const char *s;
	bool novuart;
	int rc;

	c->at = c->node[i];
	rc = cfg_name(c, i);
	if (!rc)
		rc = cfg_known(c, CFG_GUEST_PROPS);
	if (!rc)
		rc = cfg_vcpus(c, g);
	if (!rc)
		rc = cfg_sched(c, g);
	if (!rc)
		rc = cfg_memory(c, i);
	if (rc >= 0)
		rc = cfg_flag(c, "sbivisor,no-vuart", &novuart);
	if (rc >= 0)
		rc = cfg_string(c, "bootargs", &s);
	if (rc < 0)
		return rc;
	g->vuart = !novuart;
	if (rc && sbi_strlen(s) >= CFG_BOOTARGS_MAX)
		return cfg_fail(c, "bootargs", "longer than %d characters",
				CFG_BOOTARGS_MAX - 1);
	if (rc)
		sbi_memcpy(g->bootargs, s, sbi_strlen(s) + 1);
	rc = cfg_children(c, i);
	/* after the children: devices may not cover the windows */
	return rc ? rc : cfg_pt_parse(c, i);
}

/* Window k of guest i pairs with the one window of its peer towards i */
static int cfg_pair(struct cfg_ctx *c, int i, u32 k)
{
	struct cfg_guest *g = &c->cfg->g[i], *p = NULL;
	struct cfg_shm *s = &g->shm[k];
	char path[CFG_PATH_MAX];
	u32 j, m;

	c->at = c->shm[i][k];
	for (j = 0; j < c->cfg->nguests; j++)
		if (!sbi_strcmp(c->cfg->g[j].name, s->peer))
			p = &c->cfg->g[j];
	if (!p)
		return cfg_fail(c, "sbivisor,peer", "no guest '%s'", s->peer);
	if (p == g)
		return cfg_fail(c, "sbivisor,peer", "the guest itself");
	for (m = 0; m < k; m++)
		if (!sbi_strcmp(g->shm[m].peer, s->peer))
			return cfg_fail(c, "sbivisor,peer",
					"second window to guest '%s'", p->name);
	for (m = 0; m < p->nshm; m++)
		if (!sbi_strcmp(p->shm[m].peer, g->name))
			break;
	if (m == p->nshm)
		return cfg_fail(c, "sbivisor,peer",
				"guest '%s' declares no matching window",
				p->name);
	if (p->shm[m].size != s->size) {
		cfg_path(c, c->shm[p - c->cfg->g][m], path, sizeof(path));
		return cfg_fail(c, "reg", "size 0x%lx differs from 0x%lx in %s",
				s->size, p->shm[m].size, path);
	}
	if (s->irq == CFG_GUEST_UART_IRQ && p->vuart)
		return cfg_fail(c, "sbivisor,doorbell",
				"source %u is the UART's in guest '%s'", s->irq,
				p->name);
	s->peer_idx = p - c->cfg->g;
	return 0;
}

/* RAM the hypervisor allocates must fit in what nothing else uses */
static int cfg_total(struct cfg_ctx *c)
{
	const struct cfg_limits *lim = c->lim;
	u64 avail, need = 0, add;
	struct cfg_guest *g;
	u32 i, k;

	/* reserved, identity RAM, modules: disjoint, inside RAM */
	avail = lim->ram_size - range_common(lim->reserved_base,
					     lim->reserved_size, lim->ram_base,
					     lim->ram_size);
	for (i = 0; i < c->cfg->nguests; i++) {
		g = &c->cfg->g[i];
		avail -= g->identity ? g->mem_size : 0;
		for (k = 0; k < CFG_NMOD; k++)
			avail -= c->mod[i][k] >= 0 ? c->modp[i][k]->size : 0;
	}
	for (i = 0; i < c->cfg->nguests; i++) {
		g = &c->cfg->g[i];
		add = g->identity ? 0 : g->mem_size;
		for (k = 0; k < g->nshm; k++) /* each pair once */
			if ((u32)g->shm[k].peer_idx > i)
				add += g->shm[k].size;
		need = need + add < need ? ~0UL : need + add;
		c->at = c->node[i];
		if (need > avail)
			return cfg_fail(c, "memory",
					"guests need 0x%lx bytes of RAM, 0x%lx "
					"available",
					need, avail);
	}
	return 0;
}

int cfg_parse(const void *fdt, const struct cfg_limits *lim, struct cfg *cfg,
	      char *err, unsigned long errlen)
{
	struct cfg_ctx c;
	int chosen, node, rc;
	u32 i, k, n = 0;

	sbi_memset(&c, 0, sizeof(c));
	sbi_memset(c.mod, -1, sizeof(c.mod));
	sbi_memset(cfg, 0, sizeof(*cfg));
	c.fdt = fdt;
	c.lim = lim;
	c.cfg = cfg;
	c.err = err;
	c.errlen = errlen;
	c.at = -1;
	if (err && errlen)
		err[0] = '\0';
	/*
	 * The whole structure once: passthrough phandles lead anywhere in
	 * the tree, and libfdt's lookups are safe only on a sound one.
	 */
	rc = dt_check(fdt);
	chosen = rc ? rc : fdt_path_offset(fdt, "/chosen");
	if (chosen == -FDT_ERR_NOTFOUND)
		return 0;
	if (chosen < 0)
		return cfg_fail(&c, NULL, "bad device tree (%s)",
				fdt_strerror(chosen));
	c.at = chosen;
	rc = cfg_flag(&c, "sbivisor,keep-running", &cfg->keep_running);
	fdt_for_each_subnode(node, fdt, chosen) {
		if (rc < 0)
			break;
		if (fdt_node_check_compatible(fdt, node, "sbivisor,guest"))
			continue;
		c.at = node;
		if (n == CONFIG_MAX_GUESTS) {
			rc = cfg_fail(&c, NULL, "more than %d guests",
				      CONFIG_MAX_GUESTS);
			break;
		}
		c.node[n] = node;
		rc = cfg_guest(&c, n++);
	}
	c.at = chosen;
	if (rc >= 0 && node != -FDT_ERR_NOTFOUND)
		rc = cfg_fail(&c, NULL, "malformed node (%s)",
			      fdt_strerror(node));
	cfg->nguests = n;
	for (i = 0; i < n && rc >= 0; i++)
		for (k = 0; k < cfg->g[i].nshm && rc >= 0; k++)
			rc = cfg_pair(&c, i, k);
	for (i = 0; i < n && rc >= 0; i++)
		rc = cfg_pt_doorbells(&c, i);
	if (rc >= 0)
		rc = cfg_total(&c);
	if (rc < 0)
		cfg->nguests = 0;
	return rc < 0 ? rc : 0;
}
