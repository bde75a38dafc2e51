// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fuzzer for the guest device-tree generator (hyp/config/guestdt.c) and the
 * host facts it draws on (hyp/host/hostdt.c): the input is a host DTB, mutated
 * as a tree (fdt_mutate.c), taken through what HS does at boot: hostdt_parse,
 * then the default guest, or cfg_parse and each configured guest, whose
 * device tree guestdt_build writes (small glue below stands in for guest.c
 * and guest_cfg.c). Checks:
 *
 * - hostdt: the kernel command line loses exactly its sbivisor.* words
 *   (against a model), strings stay terminated;
 * - the guest ISA string fits any buffer and offers nothing that traps
 *   in VS or that HS does not switch (h, AIA, Zawrs, Zkr, Svadu, ...);
 * - a tree guestdt_build says it wrote passes fdt_check_full, its nodes have
 *   unique names and phandles, every interrupt parent exists, and it
 *   says what the guest is: vCPUs, ISA, memory, bootargs, initrd,
 *   console, vPLIC contexts, passed-through windows, shared memory.
 */
#include "fuzz.h"
#include "../../hyp/config/guestdt.h"
#include "../../hyp/host/hostdt.h"
#include "../../hyp/config/cfg.h"
#include <libfdt.h>
#include "../../lib/dt.h"

#define HYP_END 0x80180000UL /* end of firmware + HS: guest RAM above */

struct platform platform;
static struct cfg cfg;
/* the guest's board: what guestdt.c describes besides the guest */
static struct board brd;
/* what guestdt.c reads of a vPLIC through the interface: kind, sources */
static const struct virqchip_ops plic_ops = { .kind = VIRQCHIP_PLIC };
static struct virqchip plic_chip = { .ops = &plic_ops,
				     .nsrc = CFG_GUEST_PLIC_NDEV };

struct board *board_of(struct guest *g)
{
	(void)g;
	return &brd;
}
static char isa[sizeof(hostdt.isa)];

int hyp_printf(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

/* guest_cfg.c's: the peer of a window, by the index the parser set */
const struct cfg_guest *guest_cfg_peer(const struct cfg_guest *c,
				       const struct cfg_shm *s)
{
	(void)c;
	return s->peer_idx >= 0 && (u32)s->peer_idx < cfg.nguests
		       ? &cfg.g[s->peer_idx]
		       : NULL;
}

/* The command line without sbivisor.* words, one space between words */
static void check_bootargs(const void *fdt)
{
	static char want[CONFIG_BOOTARGS_MAX];
	const char *s = NULL, *w;
	size_t n = 0, k, i;
	bool stats = false;
	int chosen = fdt_path_offset(fdt, "/chosen");

	if (chosen >= 0)
		s = fdt_getprop(fdt, chosen, "bootargs", NULL);
	while (s && *s) {
		while (*s == ' ')
			s++;
		for (w = s; *s && *s != ' '; s++)
			;
		k = s - w;
		if (k >= 9 && !strncmp(w, "sbivisor.", 9)) {
			stats |= k == 14 && !strncmp(w + 9, "stats", 5);
			continue;
		}
		if (k && n && n < sizeof(want) - 1)
			want[n++] = ' ';
		for (i = 0; i < k && n < sizeof(want) - 1; i++)
			want[n++] = w[i];
	}
	want[n] = '\0';
	FZ_CHECK(!strcmp(hostdt.bootargs, want), "bootargs '%s', expected '%s'",
		 hostdt.bootargs, want);
	FZ_CHECK(platform.opt_stats == stats, "sbivisor.stats");
}

/* What a guest must never be offered, whatever the host has */
static void check_isa(const char *out, size_t size)
{
	static const char *const never[] = { "smaia",	 "ssaia", "smstateen",
					     "sscofpmf", "zawrs", "zkr",
					     "zihpm",	 "smepmp" };
	const char *s = out, *e;
	size_t i, n;

	FZ_CHECK(strnlen(out, size) < size, "ISA not terminated in %zu", size);
	for (i = 0; s[i] && s[i] != '_'; i++)
		FZ_CHECK(i < 4 || (s[i] != 'h' &&
				   (s[i] != 'v' || platform.vlenb)),
			 "ISA '%s' offers '%c'", out, s[i]);
	for (s = strchr(out, '_'); s; s = e) {
		e = strchr(s + 1, '_');
		n = e ? (size_t)(e - s - 1) : strlen(s + 1);
		FZ_CHECK(n, "empty extension in '%s'", out);
		for (i = 0; i < ARRAY_SIZE(never); i++)
			FZ_CHECK(n != strlen(never[i]) ||
					 strncmp(s + 1, never[i], n),
				 "ISA '%s' offers %s", out, never[i]);
		FZ_CHECK(platform.has_sstc || n != 4 ||
				 strncmp(s + 1, "sstc", 4),
			 "sstc without Sstc");
		/* hardware A/D updating only where HS set henvcfg.ADUE */
		FZ_CHECK((platform.henvcfg & ENVCFG_ADUE) || n != 5 ||
				 strncmp(s + 1, "svadu", 5),
			 "svadu without henvcfg.ADUE");
		FZ_CHECK(platform.vlenb || strncmp(s + 1, "zv", 2),
			 "ISA '%s' offers vectors", out);
	}
}

static u64 prop_u64(const void *fdt, int node, const char *name, int idx)
{
	const fdt64_t *p;
	int len;

	p = fdt_getprop(fdt, node, name, &len);
	FZ_CHECK(p && len >= 8 * (idx + 1), "no property %s", name);
	return fdt64_ld(p + idx);
}

/*
 * Unique sibling names (passed-through devices too, whatever the host
 * called them: DT spec 2.2.1), unique phandles, interrupt parents that
 * exist
 */
static void check_structure(const void *fdt)
{
	int node, other, depth = 0, len;
	const fdt32_t *p;
	const char *a, *b;

	for (node = 0; node >= 0 && depth >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		a = fdt_get_name(fdt, node, NULL);
		FZ_CHECK(a, "node without a name");
		fdt_for_each_subnode(other, fdt, fdt_parent_offset(fdt, node)) {
			b = fdt_get_name(fdt, other, NULL);
			FZ_CHECK(!node || other == node || strcmp(a, b),
				 "two nodes named '%s'", a);
			if (!node)
				break; /* the root has no siblings */
		}
		p = fdt_getprop(fdt, node, "phandle", &len);
		if (p)
			FZ_CHECK(fdt_node_offset_by_phandle(fdt, fdt32_ld(p)) ==
					 node,
				 "phandle 0x%x twice", fdt32_ld(p));
		p = fdt_getprop(fdt, node, "interrupt-parent", &len);
		if (p)
			FZ_CHECK(len == 4 && fdt_node_offset_by_phandle(
						     fdt, fdt32_ld(p)) >= 0,
				 "'%s': no interrupt parent", a);
	}
}

/* The /soc child whose name ends with suffix, and how many there are */
static int soc_node_ending(const void *fdt, const char *suffix, int *count)
{
	int soc = fdt_path_offset(fdt, "/soc"), n, len, found = -1;
	size_t k = strlen(suffix);
	const char *name;

	*count = 0;
	fdt_for_each_subnode(n, fdt, soc) {
		name = fdt_get_name(fdt, n, &len);
		if (name && (size_t)len >= k &&
		    !memcmp(name + len - k, suffix, k)) {
			found = n;
			++*count;
		}
	}
	return found;
}

/*
 * riscv,isa-extensions against riscv,isa (a model of its own): every
 * letter after "rv64"/"rv32" and every '_'-separated extension, in order,
 * each once; "g" as i m a f d zicsr zifencei
 */
static void check_isa_extensions(const void *fdt, int node, const char *isa)
{
	static const char g[] = "i\0m\0a\0f\0d\0zicsr\0zifencei";
	char want[sizeof(hostdt.isa) + 64];
	const char *ext, *base, *p;
	size_t n = 0, k;
	int len;

	ext = fdt_getprop(fdt, node, "riscv,isa-extensions", &len);
	base = fdt_getprop(fdt, node, "riscv,isa-base", NULL);
	if (!ext) {
		FZ_CHECK(!base, "riscv,isa-base without riscv,isa-extensions");
		return;
	}
	FZ_CHECK(base && strlen(isa) >= 5 && !strncmp(base, isa, 4) &&
			 !strcmp(base + 4, "i"),
		 "riscv,isa-base '%s' for '%s'", base ? base : "", isa);
	for (p = isa + 4; *p && *p != '_'; p++) {
		if (*p == 'g') {
			memcpy(want + n, g, sizeof(g));
			n += sizeof(g);
			continue;
		}
		want[n++] = *p;
		want[n++] = '\0';
	}
	while (*p == '_') {
		k = strcspn(++p, "_");
		if (k) {
			memcpy(want + n, p, k);
			n += k;
			want[n++] = '\0';
		}
		p += k;
	}
	FZ_CHECK((size_t)len == n && !memcmp(ext, want, n),
		 "riscv,isa-extensions for '%s'", isa);
}

static void check_tree(const void *fdt, size_t size, const struct guest *g)
{
	char name[48];
	const char *s;
	int node, n = 0, len;
	unsigned long i;

	FZ_CHECK(!fdt_check_full(fdt, size), "fdt_check_full: %d",
		 fdt_check_full(fdt, size));
	check_structure(fdt);
	fdt_for_each_subnode(node, fdt, fdt_path_offset(fdt, "/cpus")) {
		s = fdt_getprop(fdt, node, "riscv,isa", &len);
		FZ_CHECK(s && !strcmp(s, isa), "cpu ISA");
		check_isa_extensions(fdt, node, s);
		FZ_CHECK(fdt32_ld(fdt_getprop(fdt, node, "reg", NULL)) ==
				 (u32)n,
			 "cpu reg");
		n++;
	}
	FZ_CHECK(n == (int)g->nvcpus, "%d cpus, %lu vCPUs", n, g->nvcpus);
	snprintf(name, sizeof(name), "/memory@%lx", g->bank_gpa);
	node = fdt_path_offset(fdt, name);
	FZ_CHECK(prop_u64(fdt, node, "reg", 0) == g->bank_gpa &&
			 prop_u64(fdt, node, "reg", 1) ==
				 g->ram_gpa + g->ram_size - g->bank_gpa,
		 "memory");
	node = fdt_path_offset(fdt, "/chosen");
	s = fdt_getprop(fdt, node, "bootargs", NULL);
	FZ_CHECK(s && !strcmp(s, g->bootargs), "bootargs");
	FZ_CHECK(g->initrd_end <= g->initrd_start ||
			 prop_u64(fdt, node, "linux,initrd-end", 0) ==
				 g->initrd_end,
		 "initrd");
	s = fdt_getprop(fdt, node, "stdout-path", NULL);
	FZ_CHECK(!brd.uart_size || (s && fdt_path_offset(fdt, s) > 0),
		 "stdout-path '%s'", s ? s : "");
	snprintf(name, sizeof(name), "/soc/plic@%lx", brd.irqchip_gpa);
	node = fdt_path_offset(fdt, name);
	FZ_CHECK(!brd.irqchip ||
			 (fdt_getprop(fdt, node, "interrupts-extended", &len) &&
			  len == 8 * (int)g->nvcpus),
		 "vPLIC contexts");
	/*
	 * Each passed-through device (a host node without "compatible" is
	 * not described) is one node at its window's address, with that
	 * window, whatever the host called it
	 */
	for (i = 0; i < brd.npt; i++) {
		if (!fdt_getprop(hostdt.fdt, brd.pt[i].node, "compatible",
				 NULL))
			continue;
		snprintf(name, sizeof(name), "@%lx", brd.pt[i].base);
		node = soc_node_ending(fdt, name, &len);
		FZ_CHECK(len == 1 &&
				 prop_u64(fdt, node, "reg", 0) ==
					 brd.pt[i].base &&
				 prop_u64(fdt, node, "reg", 1) ==
					 brd.pt[i].size,
			 "passthrough at 0x%lx: %d nodes", brd.pt[i].base, len);
	}
	for (i = 0; brd.cfg && i < brd.cfg->nshm; i++) {
		snprintf(name, sizeof(name), "/soc/shmem@%lx",
			 brd.cfg->shm[i].gpa);
		node = fdt_path_offset(fdt, name);
		FZ_CHECK(prop_u64(fdt, node, "reg", 1) == brd.cfg->shm[i].size,
			 "window %s", name);
	}
}

/* Write g's tree with HS's features off, then on, and a short buffer */
static void build(struct guest *g, unsigned int seed)
{
	static const unsigned long flags[2][3] = {
		{ 0, 0, 0 },
		{ 1, 32,
		  ENVCFG_CBIE | ENVCFG_CBCFE | ENVCFG_CBZE | ENVCFG_PBMTE |
			  ENVCFG_ADUE },
	};
	size_t size, n, k;
	void *out;
	char *cut;
	int f, rc;

	for (f = 0; f < 2; f++) {
		platform.has_sstc = flags[f][0];
		platform.vlenb = flags[f][1];
		platform.henvcfg = flags[f][2];
		guestdt_guest_isa(hostdt.isa, isa, sizeof(isa));
		check_isa(isa, sizeof(isa));
		/* any buffer size: terminated, a prefix of the full string */
		n = 1 + seed % (strlen(isa) + 2);
		cut = malloc(n);
		guestdt_guest_isa(hostdt.isa, cut, n);
		check_isa(cut, n);
		for (k = 0; cut[k] && cut[k] != '_'; k++)
			FZ_CHECK(cut[k] == isa[k], "cut ISA '%s' of '%s'", cut,
				 isa);
		free(cut);
		size = f ? CONFIG_GUESTDT_SIZE
			 : 64 + seed % CONFIG_GUESTDT_SIZE;
		out = malloc(size);
		rc = guestdt_build(g, out, size);
		FZ_CHECK(rc == 0 || (rc == -1 && size < CONFIG_GUESTDT_SIZE),
			 "guestdt_build: %d in %zu bytes", rc, size);
		if (!rc) {
			check_tree(out, size, g);
			/* trees of new shapes stay in the corpus (fuzz.h) */
			fz_feature(0, g->nvcpus);
			fz_feature(1, brd.npt + 16 * !brd.cfg);
			fz_feature(2, brd.cfg ? brd.cfg->nshm : 0);
			fz_feature(3, g->identity + 2 * !!brd.irqchip +
					      4 * !!brd.uart_size +
					      8 * !!brd.vuart_irq +
					      16 * (g->initrd_end > 0));
			fz_feature(4, strlen(isa) / 8);
		}
		free(out);
	}
}

/* boot.c's default guest: every hart, identity RAM, host devices */
static void default_guest(struct guest *g)
{
	u64 lo = HYP_END,
	    hi = ALIGN_DOWN(platform.mem_base + platform.mem_size, MIB(2));
	int plic;

	if (!platform.nharts || lo < platform.mem_base || hi <= lo + MIB(2))
		return;
	g->nvcpus = platform.nharts;
	g->ram_gpa = lo;
	g->ram_size = hi - lo;
	g->bank_gpa = ALIGN_DOWN(lo, MIB(2));
	if (g->bank_gpa < platform.mem_base)
		g->bank_gpa = platform.mem_base;
	g->bootargs = hostdt.bootargs;
	g->identity = true;
	g->initrd_start = hostdt.initrd_start;
	g->initrd_end = hostdt.initrd_end;
	/* a vPLIC where the host's PLIC is, if it has one (hostirq.c) */
	plic = dt_next_device(hostdt.fdt, -1, "riscv,plic0");
	if (plic < 0)
		plic = dt_next_device(hostdt.fdt, -1, "sifive,plic-1.0.0");
	brd.irqchip = plic >= 0 &&
				      !dt_reg(hostdt.fdt, plic, 0,
					      &brd.irqchip_gpa,
					      &brd.irqchip_size, NULL) &&
				      brd.irqchip_size &&
				      brd.irqchip_gpa + brd.irqchip_size >
					      brd.irqchip_gpa
			      ? &plic_chip
			      : NULL;
	if (hostdt.uart_node >= 0) {
		brd.uart_gpa = hostdt.uart_base;
		brd.uart_size = hostdt.uart_size;
		brd.vuart_irq = hostdt.uart_16550 ? hostdt.uart_irq : 0;
	}
	brd.pt = hostdt.pt;
	brd.npt = hostdt.npt;
}

/* guest_cfg.c's configured guest i, and its initrd below the DTB */
static void configured_guest(struct guest *g, const struct cfg_guest *c)
{
	u64 dtb = c->mem_base + c->mem_size - CONFIG_GUESTDT_SIZE;

	g->nvcpus = c->nvcpus;
	g->ram_gpa = g->bank_gpa = c->mem_base;
	g->ram_size = c->mem_size;
	g->bootargs = c->bootargs;
	brd.cfg = c;
	g->identity = c->identity;
	brd.irqchip = &plic_chip;
	brd.irqchip_gpa = CFG_GUEST_PLIC_GPA;
	brd.irqchip_size = CFG_GUEST_PLIC_SIZE;
	if (c->vuart) {
		brd.uart_gpa = CFG_GUEST_UART_GPA;
		brd.uart_size = CFG_GUEST_UART_SIZE;
		brd.vuart_irq = CFG_GUEST_UART_IRQ;
	}
	brd.pt = c->pt;
	brd.npt = c->npt;
	if (c->initrd.size && c->initrd.size < dtb - c->mem_base) {
		g->initrd_start = ALIGN_DOWN(dtb - c->initrd.size, 4096);
		g->initrd_end = g->initrd_start + c->initrd.size;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct guest g;
	struct cfg_limits lim;
	char err[CFG_ERR_MAX];
	void *fdt = fdt_input(data, size);
	u32 i;

	if (!fdt)
		return 0;
	memset(&hostdt_tables, 0, sizeof(hostdt_tables));
	if (hostdt_parse(fdt))
		goto out;
	check_bootargs(fdt);
	FZ_CHECK(strnlen(hostdt.isa, sizeof(hostdt.isa)) < sizeof(hostdt.isa) &&
			 strnlen(hostdt.mmu, sizeof(hostdt.mmu)) <
				 sizeof(hostdt.mmu),
		 "hostdt strings");
	lim = (struct cfg_limits){ .harts = platform.hart_mask,
				   .ram_base = platform.mem_base,
				   .ram_size = platform.mem_size,
				   .reserved_base = platform.mem_base,
				   .reserved_size = HYP_END - platform.mem_base,
				   .fdt_base = (hpa_t)fdt,
				   .fdt_size = fdt_totalsize(fdt),
				   .max_vcpus_per_hart = SHV_MAX_VCPUS };
	if (cfg_parse(fdt, &lim, &cfg, err, sizeof(err)))
		goto out;
	if (!cfg.nguests) {
		memset(&g, 0, sizeof(g));
		memset(&brd, 0, sizeof(brd));
		default_guest(&g);
		if (g.nvcpus)
			build(&g, size);
	}
	for (i = 0; i < cfg.nguests; i++) {
		memset(&g, 0, sizeof(g));
		memset(&brd, 0, sizeof(brd));
		configured_guest(&g, &cfg.g[i]);
		build(&g, size + i);
	}
out:
	free(fdt);
	return 0;
}

size_t LLVMFuzzerCustomMutator(u8 *data, size_t size, size_t max_size,
			       unsigned int seed)
{
	return fdt_mutate(data, size, max_size, seed);
}
