// SPDX-License-Identifier: BSD-2-Clause
/*
 * Guests from the configuration in /chosen (docs/config.md): RAM carved
 * from host memory the firmware, the hypervisor, the FDT and the modules
 * do not use; modules copied in at boot and again at every reboot (they
 * stay pristine where the loader put them); their own vPLIC, emulated
 * UART and device tree, at the addresses of QEMU's virt board; host
 * devices passed through to identity-mapped ones.
 */
#include <libfdt.h>
#include <sbi/sbi_string.h>
#include "config/cfg.h"
#include "config/guest_cfg.h"
#include "config/guestdt.h"
#include "config/shmem.h"
#include "core/hart.h"
#include "core/migrate.h"
#include "host/hostdt.h"

#define GCFG_KERNEL_OFFSET MIB(2)
#define GCFG_MAX_TAKEN (CONFIG_MAX_GUESTS * 4 + 4)

static struct cfg gcfg;
static hpa_t gcfg_lo, gcfg_hi; /* host RAM guests may be given */

/* Host ranges guest RAM must not take: modules, FDT, identity guests */
static struct {
	hpa_t base;
	unsigned long size;
} gcfg_taken[GCFG_MAX_TAKEN];
static unsigned long gcfg_ntaken;

static void gcfg_take(hpa_t base, unsigned long size)
{
	if (size && gcfg_ntaken < GCFG_MAX_TAKEN) {
		gcfg_taken[gcfg_ntaken].base = base;
		gcfg_taken[gcfg_ntaken++].size = size;
	}
}

/* The highest taken range overlapping [base, base + size), or -1 */
static long gcfg_clash(hpa_t base, unsigned long size)
{
	unsigned long i;
	long best = -1;

	for (i = 0; i < gcfg_ntaken; i++)
		if (base < gcfg_taken[i].base + gcfg_taken[i].size &&
		    gcfg_taken[i].base < base + size &&
		    (best < 0 || gcfg_taken[i].base > gcfg_taken[best].base))
			best = i;
	return best;
}

/* size bytes, 2 MiB aligned, from the top of [lo, hi) down; 0: none */
static hpa_t gcfg_alloc(unsigned long size, hpa_t lo, hpa_t hi)
{
	hpa_t at;
	long c;

	if (hi < lo + size)
		return 0;
	at = ALIGN_DOWN(hi - size, MIB(2));
	while (at >= lo && (c = gcfg_clash(at, size)) >= 0) {
		if (gcfg_taken[c].base < lo + size)
			return 0;
		at = ALIGN_DOWN(gcfg_taken[c].base - size, MIB(2));
	}
	if (at < lo)
		return 0;
	gcfg_take(at, size);
	return at;
}

/* The configured guest a shared-memory window leads to */
const struct cfg_guest *guest_cfg_peer(const struct cfg_guest *c,
				       const struct cfg_shm *s)
{
	(void)c;
	return s->peer_idx >= 0 && (u32)s->peer_idx < gcfg.nguests
		       ? &gcfg.g[s->peer_idx]
		       : NULL;
}

/* Host memory for a configured guest's use (shared-memory windows) */
hpa_t guest_alloc_host(unsigned long size)
{
	return gcfg_alloc(ALIGN_UP(size, PAGE_BYTES), gcfg_lo, gcfg_hi);
}

/* Where [gpa, gpa + len) of g's RAM is in HS; the caller checked the fit */
static void *gcfg_hva(struct guest *g, gpa_t gpa, unsigned long len)
{
	hpa_t hpa;

	if (!guest_ram_range(g, gpa, len, &hpa))
		hyp_halt("guest module placement out of its RAM");
	return (void *)hpa;
}

/*
 * (Re)load g: the kernel 2 MiB above the RAM base, where fw_jump puts it
 * (2 MiB aligned, as Linux wants), the DTB in the last CONFIG_GUESTDT_SIZE
 * bytes, the initrd just below it.
 */
static int guest_cfg_load_begin(struct guest *g)
{
	const struct cfg_guest *c = board_of(g)->cfg;
	gpa_t dtb = g->ram_gpa + g->ram_size - CONFIG_GUESTDT_SIZE,
	      initrd = dtb;
	gpa_t kernel = g->ram_gpa + GCFG_KERNEL_OFFSET;

	if (c->initrd.size && c->initrd.size < dtb - kernel)
		initrd = ALIGN_DOWN(dtb - c->initrd.size, PAGE_BYTES);
	if (g->ram_size <= GCFG_KERNEL_OFFSET + CONFIG_GUESTDT_SIZE ||
	    c->initrd.size >= dtb - kernel ||
	    c->kernel.size > initrd - kernel ||
	    c->dtb.size > CONFIG_GUESTDT_SIZE) {
		hyp_printf("sbivisor: guest '%s': modules do not fit its RAM\n",
			   g->name);
		return SBI_ERR_INVALID_PARAM;
	}
	g->entry = kernel;
	g->dtb_gpa = dtb;
	g->initrd_start = c->initrd.size ? initrd : 0;
	g->initrd_end = c->initrd.size ? initrd + c->initrd.size : 0;
	board_of(g)->load_pos = 0;
	return 0;
}

/*
 * Copy the next GCFG_STEP bytes of the modules (kernel, initrd, DTB, in
 * that order) into g's RAM, at the places guest_cfg_load_begin() chose;
 * the generated device tree is the last step. A reboot runs the steps in
 * the guest's own vCPU 0 (guest.c), so however big the modules, a hart
 * is never held long with interrupts off. 1: done, 0: more, or an SBI
 * error.
 */
#define GCFG_STEP KIB(256)

static int guest_cfg_load_step(struct guest *g)
{
	const struct cfg_guest *c = board_of(g)->cfg;
	const struct {
		gpa_t to;
		hpa_t from;
		unsigned long size;
	} seg[] = {
		{ g->entry, c->kernel.base, c->kernel.size },
		{ g->initrd_start, c->initrd.base, c->initrd.size },
		{ g->dtb_gpa, c->dtb.base, c->dtb.size },
	};
	unsigned long i, pos = board_of(g)->load_pos, budget = GCFG_STEP, n;

	for (i = 0; i < ARRAY_SIZE(seg) && budget; i++) {
		if (pos >= seg[i].size) {
			pos -= seg[i].size;
			continue;
		}
		n = seg[i].size - pos < budget ? seg[i].size - pos : budget;
		sbi_memcpy(gcfg_hva(g, seg[i].to + pos, n),
			   (void *)(seg[i].from + pos), n);
		board_of(g)->load_pos += n;
		budget -= n;
		pos = 0;
	}
	if (!budget)
		return 0;
	if (!c->dtb.size &&
	    guestdt_build(g, gcfg_hva(g, g->dtb_gpa, CONFIG_GUESTDT_SIZE),
			  CONFIG_GUESTDT_SIZE))
		return SBI_ERR_FAILED;
	return 1;
}

/* At boot: all at once (nothing else runs yet) */
static int guest_cfg_load(struct guest *g)
{
	int rc = guest_cfg_load_begin(g);

	while (!rc)
		rc = guest_cfg_load_step(g);
	return rc < 0 ? rc : 0;
}

/* Reboots and shell starts of configured guests reload their modules */
static const struct guest_hooks gcfg_hooks = {
	.load_begin = guest_cfg_load_begin,
	.load_step = guest_cfg_load_step,
};

static void gcfg_sched(struct guest *g, const struct cfg_guest *c)
{
	u64 tick_us = platform.timebase / USEC_PER_SEC
			      ? platform.timebase / USEC_PER_SEC
			      : 1;
	unsigned long i;

	for (i = 0; i < g->nvcpus; i++) {
		struct sched_entity *se = &g->vcpu[i]->se;

		se->cls = c->sched == CFG_SCHED_RM ? SCHED_RM : SCHED_RR;
		se->priority = c->priority;
		se->slice = c->slice_us * tick_us;
		se->period = c->period_us * tick_us;
		se->budget = c->budget_us * tick_us;
	}
}

/*
 * The host devices of an identity guest (the parser checked them): host
 * interrupts go to the hart of its vCPU 0, the first of its affinity.
 */
static int gcfg_passthrough(struct guest *g, const struct cfg_guest *c)
{
	unsigned long hart = cfg_vcpu_hart(c, 0);
	char path[64];
	u32 i;

	for (i = 0; i < c->npt; i++) {
		if (fdt_get_path(hostdt.fdt, c->pt[i].node, path,
				 sizeof(path)) < 0)
			sbi_strncpy(path, "?", sizeof(path));
		hyp_printf("sbivisor: guest '%s': passthrough %s at 0x%lx "
			   "(0x%lx bytes), irq %u on hart %lu\n",
			   g->name, path, c->pt[i].base, c->pt[i].size,
			   c->pt[i].irq, hart);
	}
	return board_passthrough(board_of(g), c->pt, c->npt, hart);
}

static struct guest *gcfg_create(const struct cfg_guest *c)
{
	hpa_t hpa = c->identity ? c->mem_base
				: gcfg_alloc(c->mem_size, gcfg_lo, gcfg_hi);
	struct board *b;
	struct guest *g;
	unsigned long i;

	if (!hpa) {
		hyp_printf("sbivisor: guest '%s': no room for 0x%lx bytes of "
			   "RAM\n",
			   c->name, c->mem_size);
		return NULL;
	}
	/* nothing of a previous owner of this memory may leak in */
	sbi_memset((void *)hpa, 0, c->mem_size);
	g = guest_create(c->name, c->nvcpus, c->affinity, c->mem_base, hpa,
			 c->mem_size);
	if (!g)
		return NULL;
	b = board_init(g);
	b->cfg = c;
	g->reloadable = true;
	g->identity = c->identity;
	g->bootargs = c->bootargs;
	gcfg_sched(g, c);
	for (i = 0; !c->pinned && i < g->nvcpus; i++)
		migrate_allow(g->vcpu[i], c->affinity);
	if (board_plic_init(b, CFG_GUEST_PLIC_GPA, CFG_GUEST_PLIC_SIZE,
			    CFG_GUEST_PLIC_NDEV))
		return NULL;
	if (c->vuart &&
	    board_uart_init(b, CFG_GUEST_UART_GPA, CFG_GUEST_UART_SIZE, 0,
			    CFG_GUEST_UART_IRQ))
		return NULL;
	hyp_printf("sbivisor: guest '%s': %u vCPUs, RAM 0x%lx at host 0x%lx "
		   "(0x%lx bytes), %s, vmid %lu\n",
		   g->name, c->nvcpus, c->mem_base, hpa, c->mem_size,
		   c->sched == CFG_SCHED_RM ? "rate-monotonic" : "round-robin",
		   g->vmid);
	return gcfg_passthrough(g, c) ? NULL : g;
}

/* 0: no configuration (make the default guest); 1: guests made; <0 */
int guest_cfg_boot(const void *fdt, hpa_t hyp_end)
{
	struct cfg_limits lim = {
		.harts = platform.hart_mask,
		.ram_base = platform.mem_base,
		.ram_size = platform.mem_size,
		.reserved_base = platform.mem_base,
		.reserved_size = hyp_end - platform.mem_base,
		.fdt_base = (hpa_t)fdt,
		.fdt_size = fdt_totalsize(fdt),
		.max_vcpus_per_hart = SHV_MAX_VCPUS,
	};
	struct guest *gs[CONFIG_MAX_GUESTS];
	char err[CFG_ERR_MAX];
	unsigned long i;

	if (cfg_parse(fdt, &lim, &gcfg, err, sizeof(err))) {
		hyp_printf("sbivisor: configuration error: %s\n", err);
		return SBI_ERR_INVALID_PARAM;
	}
	if (!gcfg.nguests)
		return 0;
	gcfg_lo = ALIGN_UP(hyp_end, MIB(2));
	gcfg_hi = platform.mem_base + platform.mem_size;
	gcfg_take(hostdt.fdt_base, ALIGN_UP(hostdt.fdt_size, PAGE_BYTES));
	for (i = 0; i < gcfg.nguests; i++) {
		const struct cfg_guest *c = &gcfg.g[i];

		gcfg_take(c->kernel.base, c->kernel.size);
		gcfg_take(c->initrd.base, c->initrd.size);
		gcfg_take(c->dtb.base, c->dtb.size);
		if (c->identity)
			gcfg_take(c->mem_base, c->mem_size);
	}
	conout_set_prefix(true);
	guest_keep_running(gcfg.keep_running);
	guest_add_hooks(&gcfg_hooks);
	for (i = 0; i < gcfg.nguests; i++) {
		gs[i] = gcfg_create(&gcfg.g[i]);
		if (!gs[i])
			return SBI_ERR_FAILED;
	}
	if (shmem_setup(&gcfg, gs))
		return SBI_ERR_FAILED;
	for (i = 0; i < gcfg.nguests; i++)
		if (guest_cfg_load(gs[i]))
			return SBI_ERR_FAILED;
	for (i = 0; i < gcfg.nguests; i++)
		guest_start(gs[i]);
	return 1;
}
