// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fuzzer for the guest configuration parser (hyp/config/cfg.c, cfg_dt.c and the
 * passthrough rules of cfg_pt.c): the input is a whole host DTB, mutated
 * by fdt_mutate.c as a tree. It is parsed against two hosts' limits and
 * with error buffers of every size; then:
 *
 * - an error is -EINVAL, one line "<path>: <message>" that fits its
 *   buffer, no guest kept; a shorter buffer gives the same line, cut;
 * - a configuration that passed obeys every rule of docs/config.md,
 *   checked here again from the parsed tables (a rule the parser forgot
 *   shows up as a table that breaks it);
 * - parsing is deterministic (no uninitialised state leaks in).
 */
#include "fuzz.h"
#include <sbi/sbi_error.h>
#include "../../hyp/config/cfg.h"
#include <libfdt.h>

#define BELL 0x1000UL
#define PLIC_END (CFG_GUEST_PLIC_GPA + CFG_GUEST_PLIC_SIZE)
#define UART_END (CFG_GUEST_UART_GPA + 0x1000UL)

typedef unsigned __int128 u128;

/*
 * QEMU virt -smp 4 -m 512M and -smp 2 -m 1G: firmware + HS reserved, the
 * host device tree somewhere in RAM
 */
static const struct cfg_limits limits[] = {
	{ .harts = 0xf,
	  .ram_base = 0x80000000,
	  .ram_size = 0x20000000,
	  .reserved_base = 0x80000000,
	  .reserved_size = 0x180000,
	  .fdt_base = 0x9fe00000,
	  .fdt_size = 0x2000,
	  .max_vcpus_per_hart = 16 },
	{ .harts = 0x3,
	  .ram_base = 0x80000000,
	  .ram_size = 0x40000000,
	  .reserved_base = 0x80000000,
	  .reserved_size = 0x200000,
	  .fdt_base = 0x87e00000,
	  .fdt_size = 0x10000,
	  .max_vcpus_per_hart = 3 },
};

static struct cfg cfg, cfg2;

/* Ranges that may not share a byte (neither wraps: checked first) */
static bool meet(u64 a, u64 as, u64 b, u64 bs)
{
	return as && bs && a < b + bs && b < a + as;
}

static bool inside(u64 a, u64 as, u64 b, u64 bs)
{
	return a >= b && (u128)a + as <= (u128)b + bs;
}

static bool good_name(const char *s)
{
	size_t n = strnlen(s, CFG_NAME_MAX), k;

	for (k = 0; k < n; k++)
		if (!((s[k] >= 'a' && s[k] <= 'z') ||
		      (s[k] >= '0' && s[k] <= '9') || s[k] == '_' ||
		      s[k] == '-'))
			return false;
	return n && n < CFG_NAME_MAX;
}

static const struct cfg_module *mods(const struct cfg_guest *g, int k)
{
	return k == 0 ? &g->kernel : k == 1 ? &g->initrd : &g->dtb;
}

/* The host ranges of guest i: identity RAM (k = 3), then modules */
static bool host_range(const struct cfg_guest *g, int k, u64 *b, u64 *s)
{
	if (k == 3) {
		*b = g->mem_base;
		*s = g->identity ? g->mem_size : 0;
	} else {
		*b = mods(g, k)->base;
		*s = mods(g, k)->size;
	}
	return *s != 0;
}

static void check_guest(const struct cfg_limits *lim, u32 i, u32 *load)
{
	const struct cfg_guest *g = &cfg.g[i], *o, *p;
	const struct cfg_shm *s;
	const struct ptdev *d;
	u64 b, sz, b2, sz2;
	u32 j, k, m, v, h, n;
	int x, y;

	FZ_CHECK(good_name(g->name), "guest %u: name", i);
	for (j = 0; j < i; j++)
		FZ_CHECK(strcmp(g->name, cfg.g[j].name), "duplicate name");
	FZ_CHECK(g->nvcpus >= 1 && g->nvcpus <= SHV_MAX_VCPUS, "nvcpus %u",
		 g->nvcpus);
	FZ_CHECK(g->affinity && !(g->affinity & ~lim->harts), "affinity 0x%lx",
		 g->affinity);
	for (v = 0; v < g->nvcpus; v++) {
		h = cfg_vcpu_hart(g, v);
		FZ_CHECK(h < 64 && (g->affinity >> h) & 1, "vCPU %u on %u", v,
			 h);
		load[h]++;
	}
	if (g->sched == CFG_SCHED_RR)
		FZ_CHECK(g->slice_us && !g->period_us && !g->budget_us,
			 "guest %u: rr parameters", i);
	else
		FZ_CHECK(g->sched == CFG_SCHED_RM && !g->slice_us &&
				 !g->pinned && g->budget_us &&
				 g->budget_us <= g->period_us,
			 "rm parameters");
	FZ_CHECK(!(g->mem_base % MIB(2)) && g->mem_size >= MIB(2) &&
			 !(g->mem_size % MIB(2)) &&
			 g->mem_base + g->mem_size > g->mem_base,
		 "memory 0x%lx+0x%lx", g->mem_base, g->mem_size);
	FZ_CHECK(!meet(g->mem_base, g->mem_size, CFG_GUEST_PLIC_GPA,
		       CFG_GUEST_PLIC_SIZE) &&
			 !meet(g->mem_base, g->mem_size, CFG_GUEST_UART_GPA,
			       0x1000),
		 "RAM over an emulated device");
	FZ_CHECK(g->kernel.size, "no kernel");
	FZ_CHECK(strnlen(g->bootargs, CFG_BOOTARGS_MAX) < CFG_BOOTARGS_MAX,
		 "bootargs");

	/* host ranges: in RAM, off the hypervisor and the tree, disjoint */
	for (x = 0; x < 4; x++) {
		if (!host_range(g, x, &b, &sz))
			continue;
		FZ_CHECK(inside(b, sz, lim->ram_base, lim->ram_size) &&
				 !meet(b, sz, lim->reserved_base,
				       lim->reserved_size) &&
				 !meet(b, sz, lim->fdt_base, lim->fdt_size),
			 "guest %u range %d 0x%llx+0x%llx", i, x,
			 (unsigned long long)b, (unsigned long long)sz);
		for (j = 0; j <= i; j++)
			for (y = 0; y < 4; y++)
				FZ_CHECK((j == i && y >= x) ||
						 !host_range(&cfg.g[j], y, &b2,
							     &sz2) ||
						 !meet(b, sz, b2, sz2),
					 "guest %u range %d meets %u.%d", i, x,
					 j, y);
	}

	/* shared memory: aligned, off RAM and devices, paired */
	FZ_CHECK(g->nshm <= CFG_MAX_SHM, "nshm");
	for (k = 0; k < g->nshm; k++) {
		s = &g->shm[k];
		FZ_CHECK(s->size && !(s->gpa % 0x1000) && !(s->size % 0x1000) &&
				 (u128)s->gpa + s->size + BELL <= (u128)1 << 64,
			 "window 0x%lx+0x%lx", s->gpa, s->size);
		FZ_CHECK(!meet(s->gpa, s->size + BELL, g->mem_base,
			       g->mem_size) &&
				 !meet(s->gpa, s->size + BELL,
				       CFG_GUEST_PLIC_GPA,
				       CFG_GUEST_PLIC_SIZE) &&
				 !meet(s->gpa, s->size + BELL,
				       CFG_GUEST_UART_GPA, 0x1000),
			 "window over RAM or a device");
		for (m = 0; m < k; m++)
			FZ_CHECK(!meet(s->gpa, s->size + BELL, g->shm[m].gpa,
				       g->shm[m].size + BELL) &&
					 strcmp(s->peer, g->shm[m].peer),
				 "windows %u and %u", m, k);
		FZ_CHECK(s->peer_idx >= 0 && (u32)s->peer_idx < cfg.nguests &&
				 (u32)s->peer_idx != i,
			 "peer %d", s->peer_idx);
		p = &cfg.g[s->peer_idx];
		FZ_CHECK(!strcmp(p->name, s->peer), "peer name");
		for (n = 0, m = 0; m < p->nshm; m++)
			n += !strcmp(p->shm[m].peer, g->name) &&
			     p->shm[m].size == s->size;
		FZ_CHECK(n == 1, "%u matching windows in the peer", n);
		FZ_CHECK(s->irq <= CFG_GUEST_PLIC_NDEV &&
				 (s->irq != CFG_GUEST_UART_IRQ || !p->vuart),
			 "doorbell %u", s->irq);
	}

	/* passthrough: identity guests, free windows, distinct sources */
	FZ_CHECK(g->npt <= CFG_MAX_PT && (!g->npt || g->identity), "npt");
	for (k = 0; k < g->npt; k++) {
		d = &g->pt[k];
		FZ_CHECK(d->node > 0 && d->size &&
				 !((d->base | d->size) & 0xfff) &&
				 d->base + d->size > d->base,
			 "device window 0x%lx+0x%lx", d->base, d->size);
		FZ_CHECK(!meet(d->base, d->size, lim->ram_base,
			       lim->ram_size) &&
				 !meet(d->base, d->size, CFG_GUEST_PLIC_GPA,
				       CFG_GUEST_PLIC_SIZE) &&
				 (!g->vuart ||
				  !meet(d->base, d->size, CFG_GUEST_UART_GPA,
					0x1000)),
			 "device over RAM or an emulated device");
		for (m = 0; m < g->nshm; m++)
			FZ_CHECK(!meet(d->base, d->size, g->shm[m].gpa,
				       g->shm[m].size + BELL),
				 "device over a window");
		FZ_CHECK(d->irq <= CFG_GUEST_PLIC_NDEV &&
				 (!g->vuart || d->irq != CFG_GUEST_UART_IRQ),
			 "device source %u", d->irq);
		for (j = 0; j <= i; j++) {
			o = &cfg.g[j];
			for (m = 0; m < (j == i ? k : o->npt); m++)
				FZ_CHECK(o->pt[m].node != d->node &&
						 !meet(d->base, d->size,
						       o->pt[m].base,
						       o->pt[m].size) &&
						 (!d->irq ||
						  o->pt[m].irq != d->irq),
					 "devices %u.%u and %u.%u", j, m, i, k);
		}
	}
}

/* Doorbells rung into a guest are not its devices' sources */
static void check_doorbells(void)
{
	u32 i, j, k, m;

	for (i = 0; i < cfg.nguests; i++)
		for (k = 0; k < cfg.g[i].nshm; k++)
			for (j = 0, m = cfg.g[i].shm[k].peer_idx;
			     cfg.g[i].shm[k].irq && j < cfg.g[m].npt; j++)
				FZ_CHECK(cfg.g[m].pt[j].irq !=
						 cfg.g[i].shm[k].irq,
					 "doorbell %u is a device's",
					 cfg.g[i].shm[k].irq);
}

/* RAM sbivisor allocates fits beside what is taken */
static void check_total(const struct cfg_limits *lim)
{
	u128 avail = lim->ram_size, need = 0;
	u32 i, k;
	int x;
	u64 b, s;

	/* reserved lies inside host RAM in both limits above */
	avail -= lim->reserved_size;
	for (i = 0; i < cfg.nguests; i++) {
		for (x = 0; x < 4; x++)
			if (host_range(&cfg.g[i], x, &b, &s))
				avail -= s;
		need += cfg.g[i].identity ? 0 : cfg.g[i].mem_size;
		for (k = 0; k < cfg.g[i].nshm; k++)
			need += (u32)cfg.g[i].shm[k].peer_idx > i
					? cfg.g[i].shm[k].size
					: 0;
	}
	FZ_CHECK(need <= avail, "guests need more RAM than there is");
}

/* Accepted configurations, told apart by their shape (fuzz.h) */
static void features(void)
{
	const struct cfg_guest *g;
	u32 i;

	fz_feature(0, cfg.nguests);
	for (i = 0; i < cfg.nguests; i++) {
		g = &cfg.g[i];
		fz_feature(1 + i, g->nvcpus);
		fz_feature(5,
			   i * 8 + g->sched * 4 + g->identity * 2 + g->vuart);
		fz_feature(6, i * 8 + g->nshm);
		fz_feature(7, i * 8 + g->npt);
		fz_feature(8, __builtin_popcountl(g->affinity) + 8 * g->pinned);
		fz_feature(9, (g->mem_size >> 21) + (g->mem_base >> 28));
		fz_feature(10, !!g->initrd.size + 2 * !!g->dtb.size +
				       4 * (g->nshm && g->shm[0].irq));
	}
}

static void check_ok(const struct cfg_limits *lim)
{
	u32 load[64] = { 0 }, i, h;

	FZ_CHECK(cfg.nguests <= CONFIG_MAX_GUESTS, "%u guests", cfg.nguests);
	features();
	for (i = 0; i < cfg.nguests; i++)
		check_guest(lim, i, load);
	for (h = 0; h < 64; h++)
		FZ_CHECK(load[h] <= lim->max_vcpus_per_hart,
			 "hart %u carries %u vCPUs", h, load[h]);
	check_doorbells();
	check_total(lim);
}

/* 0 when accepted; checks the outcome either way */
static int parse(const void *fdt, const struct cfg_limits *lim, bool again)
{
	static char full[CFG_ERR_MAX];
	size_t n, len;
	char *err;
	int rc, rc2;

	memset(&cfg, 0xa5, sizeof(cfg));
	rc = cfg_parse(fdt, lim, &cfg, full, sizeof(full));
	if (!rc) {
		FZ_CHECK(!full[0], "error text on success: %s", full);
		check_ok(lim);
	} else {
		len = strnlen(full, sizeof(full));
		FZ_CHECK(rc == SBI_EINVAL && !cfg.nguests, "rc %d", rc);
		FZ_CHECK(len > 0 && len < sizeof(full) && full[0] == '/' &&
				 strstr(full, ": "),
			 "error line '%.*s'", (int)len, full);
	}
	if (!again)
		return rc;
	/* a shorter buffer: same outcome, the line cut to fit */
	n = 1 + (fdt_totalsize(fdt) + rc) % sizeof(full);
	err = malloc(n);
	memset(&cfg2, 0x5a, sizeof(cfg2));
	rc2 = cfg_parse(fdt, lim, &cfg2, err, n);
	FZ_CHECK(rc2 == rc && !memcmp(&cfg, &cfg2, sizeof(cfg)),
		 "second parse differs: %d, %d", rc, rc2);
	FZ_CHECK(strnlen(err, n) < n && !strncmp(err, full, strlen(err)) &&
			 (strlen(err) == n - 1 || !strcmp(err, full)),
		 "%zu-byte buffer: '%s' for '%s'", n, err, full);
	free(err);
	return rc;
}

/*
 * An accepted configuration, one cell of its /chosen part moved by one
 * (or by a page, 1 or 2 MiB) either way, parsed again: off-by-one rules
 * show at these edges, and reaching them by mutation alone takes long.
 */
/* Cell properties (1 to 4 cells) under /chosen: the k-th; *n: how many */
static fdt32_t *cell_prop(void *fdt, int k, int *n, int *len)
{
	int node, depth = 0, prop;
	const char *name;
	fdt32_t *v;

	*n = 0;
	for (node = fdt_path_offset(fdt, "/chosen"); node >= 0 && depth >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		fdt_for_each_property_offset(prop, fdt, node) {
			v = (fdt32_t *)fdt_getprop_by_offset(fdt, prop, &name,
							     len);
			if (v && *len >= 4 && *len <= 16 && !(*len % 4) &&
			    (*n)++ == k)
				return v;
		}
	}
	return NULL;
}

static void probe(void *fdt, const struct cfg_limits *lim, u32 seed)
{
	static const u32 step[] = { 1, 0x1000, 0x100000, 0x200000 };
	fdt32_t *v;
	int n, len;
	u32 d, keep;

	cell_prop(fdt, -1, &n, &len);
	v = n ? cell_prop(fdt, seed % n, &n, &len) : NULL;
	if (!v)
		return;
	/* in place: the blob keeps its layout */
	v += (seed >> 8) % (len / 4);
	/* a property's cells need not be aligned: loads and stores by byte */
	keep = fdt32_ld(v);
	d = step[(seed >> 12) % ARRAY_SIZE(step)];
	fdt32_st(v, keep + d);
	parse(fdt, lim, false);
	fdt32_st(v, keep - d);
	parse(fdt, lim, false);
	fdt32_st(v, keep);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	void *fdt = fdt_input(data, size);
	unsigned int i;

	if (!fdt)
		return 0;
	/* parsed twice with one of the limits: once is enough */
	for (i = 0; i < ARRAY_SIZE(limits); i++)
		if (!parse(fdt, &limits[i], i == size % ARRAY_SIZE(limits)))
			probe(fdt, &limits[i], data[size / 2] * 65599 + size);
	free(fdt);
	return 0;
}

size_t LLVMFuzzerCustomMutator(u8 *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	return fdt_mutate(data, size, max_size, seed);
}
