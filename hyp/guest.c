// SPDX-License-Identifier: BSD-2-Clause
/* Guest and vCPU tables, VMIDs, stage-2 memory and guest lifecycle. */
#include <sbi/sbi_string.h>
#include "guest.h"
#include "gdt.h"
#include "hart.h"
#include "hostdt.h"

static struct guest guests[CONFIG_MAX_GUESTS];
static struct vcpu vcpus[CONFIG_MAX_VCPUS];
static unsigned long vcpus_used;
static unsigned long guests_live;

static u64 gstage_roots[CONFIG_MAX_GUESTS][GSTAGE_ROOT_ENTRIES]
	__attribute__((aligned(GSTAGE_ROOT_SIZE)));
static u64 gstage_pool[CONFIG_GSTAGE_PAGES][512]
	__attribute__((aligned(4096)));
static unsigned long gstage_pool_used;
static unsigned long vmid_bits, vmid_next = 1;

static void *guest_table_page(void *ctx)
{
	u64 *p;

	(void)ctx;
	if (gstage_pool_used >= CONFIG_GSTAGE_PAGES)
		return NULL;
	p = gstage_pool[gstage_pool_used++];
	sbi_memset(p, 0, 4096);
	return p;
}

/* VMIDLEN is discovered by writing ones with MODE=Bare (priv. §9.2.10) */
static unsigned long guest_vmid_alloc(void)
{
	unsigned long v;

	if (!vmid_bits) {
		csr_write(CSR_HGATP, HGATP_VMID_MASK);
		v = (csr_read(CSR_HGATP) & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT;
		csr_write(CSR_HGATP, 0);
		while (v & 1) {
			vmid_bits++;
			v >>= 1;
		}
	}
	if (vmid_next >= (1UL << vmid_bits))
		return 0;
	return vmid_next++;
}

bool guest_ram_range(struct guest *g, gpa_t gpa, unsigned long len,
		     hpa_t *hpa)
{
	/* overflow-safe: [gpa, gpa + len) inside [ram_gpa, ram_gpa + size) */
	if (gpa < g->ram_gpa || len > g->ram_size ||
	    gpa - g->ram_gpa > g->ram_size - len)
		return false;
	*hpa = g->ram_hpa + (gpa - g->ram_gpa);
	return true;
}

struct guest *guest_create(const char *name, unsigned long nvcpus,
			   gpa_t ram_gpa, hpa_t ram_hpa, unsigned long size)
{
	struct gstage_alloc alloc = { guest_table_page, NULL };
	struct guest *g = NULL;
	unsigned long i;
	int rc;

	for (i = 0; i < CONFIG_MAX_GUESTS; i++) {
		if (guests[i].state == GUEST_FREE) {
			g = &guests[i];
			break;
		}
	}
	if (!g || !nvcpus || nvcpus > SHV_MAX_VCPUS ||
	    vcpus_used + nvcpus > CONFIG_MAX_VCPUS) {
		hyp_printf("sbivisor: guest '%s': no room for %lu vCPUs\n",
			   name, nvcpus);
		return NULL;
	}
	g->id = i;
	sbi_strncpy(g->name, name, sizeof(g->name) - 1);
	g->vmid = guest_vmid_alloc();
	if (!g->vmid) {
		hyp_printf("sbivisor: guest '%s': out of VMIDs\n", name);
		return NULL;
	}
	gstage_init(&g->gs, gstage_roots[i], alloc);
	rc = gstage_map(&g->gs, ram_gpa, ram_hpa, size, GSTAGE_RWX);
	if (rc) {
		hyp_printf("sbivisor: guest '%s': cannot map RAM (%d)\n", name,
			   rc);
		return NULL;
	}
	g->bank_gpa = ram_gpa;
	g->ram_gpa = ram_gpa;
	g->ram_hpa = ram_hpa;
	g->ram_size = size;
	g->nvcpus = nvcpus;
	g->shared.hgatp = gstage_hgatp(&g->gs, g->vmid);
	g->shared.nvcpus = nvcpus;
	g->shared.flags = hyp_has_sstc ? SHV_G_SSTC : 0;
	g->shared.ext_avail = (1UL << SHV_EXT_COUNT) - 1;
	g->shared.ext_avail &= ~(1UL << SHV_EXT_OTHER);
	for (i = 0; i < nvcpus; i++) {
		struct vcpu *v = &vcpus[vcpus_used++];

		g->vcpu[i] = v;
		/* default placement: vCPU i on the i-th hart, pinned */
		vcpu_init(v, g, i, hostdt.hartids[i % hostdt.nharts]);
		g->shared.hart_mask |= 1UL << v->hart;
	}
	g->state = GUEST_RUNNING;
	return g;
}

int guest_map_device(struct guest *g, gpa_t gpa, unsigned long size)
{
	return gstage_map(&g->gs, ALIGN_DOWN(gpa, 4096), ALIGN_DOWN(gpa, 4096),
			  ALIGN_UP(size + (gpa & 0xfff), 4096),
			  GSTAGE_R | GSTAGE_W);
}

void guest_start(struct guest *g)
{
	struct vcpu *v = g->vcpu[0];

	__atomic_fetch_add(&guests_live, 1, __ATOMIC_RELAXED);
	v->start_pc = g->entry;
	v->start_arg = g->dtb_gpa;
	__atomic_store_n(&v->state, SBI_HSM_STATE_START_PENDING,
			 __ATOMIC_RELEASE);
	hart_kick(v->hart);
}

static const char *const guest_cause_names[24] = {
	[0] = "instruction misaligned", [1] = "instruction access fault",
	[2] = "illegal instruction",	[3] = "breakpoint",
	[4] = "load misaligned",	[5] = "load access fault",
	[6] = "store misaligned",	[7] = "store access fault",
	[8] = "user ecall",		[10] = "supervisor ecall",
	[12] = "instruction page fault", [13] = "load page fault",
	[15] = "store page fault",	[20] = "instruction guest-page fault",
	[21] = "load guest-page fault", [22] = "virtual instruction",
	[23] = "store guest-page fault",
};

struct guest *guest_by_id(unsigned long id)
{
	return id < CONFIG_MAX_GUESTS && guests[id].state == GUEST_RUNNING ?
		       &guests[id] :
		       NULL;
}

/* The running guest after 'after' (NULL: the first), cyclically */
struct guest *guest_next(struct guest *after)
{
	unsigned long i, start = after ? after->id + 1 : 0;

	for (i = 0; i < CONFIG_MAX_GUESTS; i++)
		if (guests[(start + i) % CONFIG_MAX_GUESTS].state ==
		    GUEST_RUNNING)
			return &guests[(start + i) % CONFIG_MAX_GUESTS];
	return NULL;
}

void guest_report_fault(struct vcpu *v, const char *what)
{
	unsigned long cause = csr_read(CSR_SCAUSE);
	unsigned long gpa = (csr_read(CSR_HTVAL) << 2) |
			    (csr_read(CSR_STVAL) & 3);
	const char *name = cause < 24 ? guest_cause_names[cause] : NULL;

	hyp_printf("sbivisor: guest '%s' vcpu %lu: %s (cause %lu) at "
		   "sepc=0x%lx stval=0x%lx gpa=0x%lx: %s\n",
		   v->guest->name, v->id, name ? name : "trap", cause,
		   v->regs.pc, csr_read(CSR_STVAL), gpa, what);
}

void guest_print_stats(struct guest *g)
{
	static const char *const ext[SHV_EXT_COUNT] = {
		"BASE", "TIME", "IPI", "RFENCE", "HSM",
		"SRST", "DBCN", "LEGACY", "OTHER"
	};
	unsigned long i, e, c;

	for (i = 0; i < g->nvcpus; i++) {
		struct vcpu *v = g->vcpu[i];

		for (e = 0; e < SHV_EXT_COUNT; e++)
			if (v->shared->calls[e][0] || v->shared->calls[e][1])
				hyp_printf("sbivisor-stats: guest=%s vcpu=%lu "
					   "sbi=%s m=%lu hs=%lu\n",
					   g->name, i, ext[e],
					   v->shared->calls[e][SHV_WHERE_M],
					   v->shared->calls[e][SHV_WHERE_HS]);
		for (c = 0; c < ARRAY_SIZE(v->exits); c++)
			if (v->exits[c])
				hyp_printf("sbivisor-stats: guest=%s vcpu=%lu "
					   "exit=%lu count=%lu\n",
					   g->name, i, c, v->exits[c]);
		for (c = 0; c < ARRAY_SIZE(v->irqs); c++)
			if (v->irqs[c])
				hyp_printf("sbivisor-stats: guest=%s vcpu=%lu "
					   "irq=%lu count=%lu\n",
					   g->name, i, c, v->irqs[c]);
	}
}

/* Stop every vCPU of g; the last guest gone powers the machine off. */
void guest_stop(struct guest *g, const char *why)
{
	unsigned long i;
	int running = GUEST_RUNNING;

	if (!__atomic_compare_exchange_n(&g->state, &running, GUEST_DEAD,
					 false, __ATOMIC_ACQ_REL,
					 __ATOMIC_RELAXED))
		return;
	hyp_printf("sbivisor: guest '%s' stopped: %s\n", g->name, why);
	if (hostdt.opt_stats)
		guest_print_stats(g);
	for (i = 0; i < g->nvcpus; i++)
		if (g->vcpu[i]->hart != hart_self()->hartid)
			hart_kick(g->vcpu[i]->hart);
	if (__atomic_sub_fetch(&guests_live, 1, __ATOMIC_ACQ_REL) == 0) {
		hyp_printf("sbivisor: no guest left, powering off\n");
		hyp_machine_reset(SBI_SRST_RESET_TYPE_SHUTDOWN,
				  SBI_SRST_RESET_REASON_NONE);
	}
}

void guest_reset_request(struct guest *g, unsigned long type,
			 unsigned long reason)
{
	if (type == SBI_SRST_RESET_TYPE_SHUTDOWN) {
		guest_stop(g, "shutdown");
		return;
	}
	/*
	 * The default guest runs the image the loader placed, in place, and
	 * a run may have overwritten it: the only faithful reboot is the
	 * machine's, which reloads it. That is fine while it is alone.
	 */
	if (__atomic_load_n(&guests_live, __ATOMIC_ACQUIRE) == 1) {
		hyp_printf("sbivisor: guest '%s' reboots the machine\n",
			   g->name);
		if (hostdt.opt_stats)
			guest_print_stats(g);
		hyp_machine_reset(type, reason);
	}
	guest_stop(g, "reboot requested, but no pristine image to reload");
}
