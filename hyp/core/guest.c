// SPDX-License-Identifier: BSD-2-Clause
/* Guest and vCPU tables, VMIDs, stage-2 memory and guest lifecycle. */
#include <sbi/sbi_string.h>
#include "arch/insn.h"
#include "core/guest.h"
#include "core/hart.h"
#include "core/mmio.h"
#include "../../lib/hmask.h"
#include "../../lib/range.h"

/* each holds the record M reads on the fast path (struct shv_guest) */
static struct guest guests[CONFIG_MAX_GUESTS] SHV_SHARED_DATA;
static struct vcpu vcpus[CONFIG_MAX_VCPUS];
static unsigned long vcpus_used;
static unsigned long guests_live;
static bool guests_keep_running; /* the machine outlives its guests */
static const struct guest_hooks *guest_hooks[CONFIG_GUEST_HOOKS];
static unsigned long guest_nhooks;
/* Until a floor above gives guests a console: output goes nowhere */
static unsigned long guest_no_write(struct guest *g, const char *buf,
				    unsigned long n)
{
	(void)g;
	(void)buf;
	return n;
}

static long guest_no_read(struct guest *g, char *buf, unsigned long n)
{
	(void)g;
	(void)buf;
	(void)n;
	return 0;
}

static int guest_no_getc(struct guest *g)
{
	(void)g;
	return NO_CHAR;
}

static const struct guest_console guest_no_console = {
	.write = guest_no_write,
	.read = guest_no_read,
	.getc = guest_no_getc,
};

const struct guest_console *guest_console = &guest_no_console;

void guest_add_hooks(const struct guest_hooks *h)
{
	if (guest_nhooks < CONFIG_GUEST_HOOKS)
		guest_hooks[guest_nhooks++] = h;
	else
		hyp_halt("too many guest hooks (CONFIG_GUEST_HOOKS)");
}

void guest_set_console(const struct guest_console *c)
{
	guest_console = c ? c : &guest_no_console;
}

/* The one hook that loads guests (the configuration's), or NULL */
static const struct guest_hooks *guest_loader(void)
{
	unsigned long i;

	for (i = 0; i < guest_nhooks; i++)
		if (guest_hooks[i]->load_begin && guest_hooks[i]->load_step)
			return guest_hooks[i];
	return NULL;
}

static int guest_load_begin(struct guest *g)
{
	const struct guest_hooks *l = guest_loader();

	return l ? l->load_begin(g) : SBI_ERR_NOT_SUPPORTED;
}

static u64 gstage_roots[CONFIG_MAX_GUESTS][GSTAGE_ROOT_ENTRIES]
	__attribute__((aligned(GSTAGE_ROOT_SIZE)));
static u64 gstage_pool[CONFIG_GSTAGE_PAGES][512]
	__attribute__((aligned(PAGE_BYTES)));
static unsigned long gstage_pool_used;
static unsigned long vmid_bits, vmid_next = 1;

static void *guest_table_page(void *ctx)
{
	u64 *p;

	(void)ctx;
	if (gstage_pool_used >= CONFIG_GSTAGE_PAGES)
		return NULL;
	p = gstage_pool[gstage_pool_used++];
	sbi_memset(p, 0, PAGE_BYTES);
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

bool guest_ram_range(struct guest *g, gpa_t gpa, unsigned long len, hpa_t *hpa)
{
	if (!range_within(g->ram_gpa, g->ram_size, gpa, len))
		return false;
	*hpa = g->ram_hpa + (gpa - g->ram_gpa);
	return true;
}

struct guest *guest_create(const char *name, unsigned long nvcpus,
			   unsigned long affinity, gpa_t ram_gpa, hpa_t ram_hpa,
			   unsigned long size)
{
	struct gstage_alloc alloc = { guest_table_page, NULL };
	struct guest *g = NULL;
	unsigned long i;
	long home;
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
	if (hmask_nth(affinity, 0) < 0) {
		hyp_printf("sbivisor: guest '%s': no hart to run on\n", name);
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
	g->shared.flags = platform.has_sstc ? SHV_G_SSTC : 0;
	g->shared.ext_avail = (1UL << SHV_EXT_COUNT) - 1;
	g->shared.ext_avail &= ~(1UL << SHV_EXT_OTHER);
	for (i = 0; i < nvcpus; i++) {
		struct vcpu *v = &vcpus[vcpus_used++];

		g->vcpu[i] = v;
		/* vCPU i starts on the i-th hart of its affinity */
		home = hmask_nth(affinity, i);
		vcpu_init(v, g, i, home);
		g->shared.hart_mask |= 1UL << v->hart;
	}
	g->state = GUEST_RUNNING;
	return g;
}

int guest_map_device(struct guest *g, gpa_t gpa, unsigned long size)
{
	return gstage_map(&g->gs, ALIGN_DOWN(gpa, PAGE_BYTES),
			  ALIGN_DOWN(gpa, PAGE_BYTES),
			  ALIGN_UP(size + (gpa & PAGE_OFFSET), PAGE_BYTES),
			  GSTAGE_R | GSTAGE_W);
}

static void guest_boot_vcpu0(struct guest *g);

void guest_start(struct guest *g)
{
	__atomic_fetch_add(&guests_live, 1, __ATOMIC_RELAXED);
	guest_boot_vcpu0(g);
}

static const char *const guest_cause_names[24] = {
	[0] = "instruction misaligned",
	[1] = "instruction access fault",
	[2] = "illegal instruction",
	[3] = "breakpoint",
	[4] = "load misaligned",
	[5] = "load access fault",
	[6] = "store misaligned",
	[7] = "store access fault",
	[8] = "user ecall",
	[10] = "supervisor ecall",
	[12] = "instruction page fault",
	[13] = "load page fault",
	[15] = "store page fault",
	[20] = "instruction guest-page fault",
	[21] = "load guest-page fault",
	[22] = "virtual instruction",
	[23] = "store guest-page fault",
};

void guest_keep_running(bool keep)
{
	guests_keep_running = keep;
}

/* Any guest made at boot, running or not; NULL if none */
struct guest *guest_at(unsigned long id)
{
	return id < CONFIG_MAX_GUESTS && guests[id].state != GUEST_FREE
		       ? &guests[id]
		       : NULL;
}

struct guest *guest_find(const char *what)
{
	unsigned long i, id = 0;
	const char *p;

	for (i = 0; i < CONFIG_MAX_GUESTS; i++)
		if (guest_at(i) && !sbi_strcmp(guests[i].name, what))
			return &guests[i];
	for (p = what; *p >= '0' && *p <= '9' && id < CONFIG_MAX_GUESTS; p++)
		id = id * 10 + (*p - '0');
	return p != what && !*p ? guest_at(id) : NULL;
}

struct guest *guest_by_id(unsigned long id)
{
	struct guest *g = guest_at(id);

	return g && g->state == GUEST_RUNNING ? g : NULL;
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

/*
 * One line for a guest fault. The faulting guest-physical address:
 * htval holds it shifted right by 2 (priv. spec §9.4.4); for the
 * instruction's own access the low bits are stval's, for an implicit
 * access (a page-table walk) they are the PTE's own, 0.
 */
void guest_report_exit(struct vcpu *v, const char *what, unsigned long cause,
		       unsigned long stval, unsigned long htval, bool implicit)
{
	unsigned long gpa = (htval << 2) | (implicit ? 0 : stval & 3);
	const char *name = cause < 24 ? guest_cause_names[cause] : NULL;

	hyp_printf("sbivisor: guest '%s' vcpu %lu: %s (cause %lu) at "
		   "sepc=0x%lx stval=0x%lx gpa=0x%lx: %s\n",
		   v->guest->name, v->id, name ? name : "trap", cause,
		   v->regs.pc, stval, gpa, what);
}

/*
 * The same, from the trap CSRs as the guest's exit left them. A
 * guest-page fault whose htinst is a pseudoinstruction (priv. spec
 * §9.6.3) came from the walk of the guest's page tables: QEMU 10 says
 * so, QEMU 7.2 leaves htinst 0 (then the access counts as explicit).
 */
void guest_report_fault(struct vcpu *v, const char *what)
{
	unsigned long cause = csr_read(CSR_SCAUSE);
	struct insn_access a;
	bool implicit = (cause == CAUSE_FETCH_GUEST_PAGE_FAULT ||
			 cause == CAUSE_LOAD_GUEST_PAGE_FAULT ||
			 cause == CAUSE_STORE_GUEST_PAGE_FAULT) &&
			insn_decode_htinst(csr_read(CSR_HTINST), &a) ==
				INSN_HT_IMPLICIT;

	guest_report_exit(v, what, cause, csr_read(CSR_STVAL),
			  csr_read(CSR_HTVAL), implicit);
}

/*
 * HS memory in use after boot (sbivisor.stats): the static pools, the
 * shared window's tables included (hyp/arch/hyp.lds)
 */
extern char _hyp_start_addr[], _hyp_end[], _shv_shared_start[],
	_shv_shared_end[];

void guest_print_mem_stats(void)
{
	unsigned long i, n = 0;

	for (i = 0; i < CONFIG_MAX_GUESTS; i++)
		if (guests[i].state != GUEST_FREE)
			n++;
	hyp_printf("sbivisor-stats: mem hs_bytes=%lu hs_region=%lu "
		   "stage2_pages=%lu/%lu guests=%lu/%lu vcpus=%lu/%lu\n",
		   (unsigned long)(_hyp_end - _hyp_start_addr +
				   (_shv_shared_end - _shv_shared_start)),
		   (unsigned long)SHV_HS_SIZE, gstage_pool_used,
		   (unsigned long)CONFIG_GSTAGE_PAGES, n,
		   (unsigned long)CONFIG_MAX_GUESTS, vcpus_used,
		   (unsigned long)CONFIG_MAX_VCPUS);
}

void guest_print_stats(struct guest *g)
{
	static const char *const ext[SHV_EXT_COUNT] = {
		"BASE", "TIME", "IPI",	  "RFENCE", "HSM",
		"SRST", "DBCN", "LEGACY", "OTHER"
	};
	unsigned long i, e, c;

	for (i = 0; i < g->nvcpus; i++) {
		struct vcpu *v = g->vcpu[i];

		hyp_printf("sbivisor-stats: guest=%s vcpu=%lu hart=%lu "
			   "migrations=%lu runtime_ticks=%lu\n",
			   g->name, i, v->hart, v->migrations,
			   (unsigned long)v->se.runtime);
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
	for (i = 0; i < g->ndevs; i++)
		hyp_printf("sbivisor-stats: guest=%s dev=%s reads=%lu "
			   "writes=%lu\n",
			   g->name, g->devs[i].ops->name, g->devs[i].reads,
			   g->devs[i].writes);
	for (i = 0; i < guest_nhooks; i++)
		if (guest_hooks[i]->stats)
			guest_hooks[i]->stats(g);
}

/* Stop every vCPU of g; the last guest gone powers the machine off. */
void guest_stop(struct guest *g, const char *why)
{
	unsigned long i;
	int running = GUEST_RUNNING;

	if (!__atomic_compare_exchange_n(&g->state, &running, GUEST_DEAD, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
		return;
	hyp_printf("sbivisor: guest '%s' stopped: %s\n", g->name, why);
	if (platform.opt_stats)
		guest_print_stats(g);
	for (i = 0; i < guest_nhooks; i++)
		if (guest_hooks[i]->stop)
			guest_hooks[i]->stop(g);
	for (i = 0; i < g->nvcpus; i++)
		if (g->vcpu[i]->hart != hart_self()->hartid)
			hart_kick(g->vcpu[i]->hart);
	if (__atomic_sub_fetch(&guests_live, 1, __ATOMIC_ACQ_REL))
		return;
	if (guests_keep_running) {
		hyp_printf("sbivisor: no guest left; the machine keeps "
			   "running as configured\n");
		return;
	}
	hyp_printf("sbivisor: no guest left, powering off\n");
	hyp_machine_reset(SBI_SRST_RESET_TYPE_SHUTDOWN,
			  SBI_SRST_RESET_REASON_NONE);
}

static void guest_boot_vcpu0(struct guest *g)
{
	struct vcpu *v = g->vcpu[0];

	v->start_pc = g->entry;
	v->start_arg = g->dtb_gpa;
	__atomic_store_n(&v->start_posted, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&v->state, SBI_HSM_STATE_START_PENDING,
			 __ATOMIC_RELEASE);
	hart_kick(v->hart);
}

/*
 * Boot a configured guest again (its modules are pristine), from state
 * `from`: running (a reboot) or dead (a start from the shell). Take every
 * vCPU off its hart, reset its devices, reload, start vCPU 0 again.
 * Other guests run on meanwhile.
 */
static bool guest_restart(struct guest *g, int from)
{
	struct vcpu *v;
	unsigned long i, me = hart_self()->hartid;

	if (!__atomic_compare_exchange_n(&g->state, &from, GUEST_RESETTING,
					 false, __ATOMIC_SEQ_CST,
					 __ATOMIC_RELAXED))
		return false;
	if (from == GUEST_DEAD) {
		hyp_printf("sbivisor: guest '%s' starts again\n", g->name);
		__atomic_fetch_add(&guests_live, 1, __ATOMIC_RELAXED);
	} else {
		hyp_printf("sbivisor: guest '%s' reboots\n", g->name);
	}
	/*
	 * Every vCPU leaves the guest first (the kick; vcpu_should_run sees
	 * RESETTING), and only then is its HSM state reset: an HSM call that
	 * another vCPU was serving meanwhile (hart_start, hart_suspend) must
	 * not survive into the new boot.
	 */
	for (i = 0; i < g->nvcpus; i++)
		if (g->vcpu[i]->hart != me)
			hart_kick(g->vcpu[i]->hart);
	for (i = 0; i < g->nvcpus; i++)
		while (__atomic_load_n(&g->vcpu[i]->running,
				       __ATOMIC_SEQ_CST) &&
		       g->vcpu[i]->hart != me)
			;
	for (i = 0; i < g->nvcpus; i++) {
		v = g->vcpu[i];
		__atomic_store_n(&v->state, SBI_HSM_STATE_STOPPED,
				 __ATOMIC_SEQ_CST);
		__atomic_store_n(&v->start_posted, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&v->shared->pending, 0, __ATOMIC_RELAXED);
		v->timer = -1UL;
		v->wait = VCPU_WAIT_NONE;
	}
	mmio_reset_all(g);
	for (i = 0; i < guest_nhooks; i++)
		if (guest_hooks[i]->reset)
			guest_hooks[i]->reset(g, from == GUEST_DEAD);
	if (guest_load_begin(g)) {
		g->state = GUEST_RUNNING;
		guest_stop(g, "cannot reload its modules");
		return true;
	}
	/* vCPU 0's hart copies the modules, step by step (guest_load_step) */
	__atomic_store_n(&g->state, GUEST_LOADING, __ATOMIC_SEQ_CST);
	hart_kick(g->vcpu[0]->hart);
	return true;
}

/*
 * One step of a reboot's module copy, run by the scheduler as vCPU 0 of
 * a LOADING guest: the copy is accounted to that guest and preempted
 * like its code would be (a step is bounded: GCFG_STEP bytes).
 */
void guest_load_step(struct guest *g)
{
	const struct guest_hooks *l = guest_loader();
	int rc = l ? l->load_step(g) : 1;

	if (!rc)
		return;
	__atomic_store_n(&g->state, GUEST_RUNNING, __ATOMIC_SEQ_CST);
	if (rc < 0)
		guest_stop(g, "cannot reload its modules");
	else
		guest_boot_vcpu0(g);
}

int guest_start_again(struct guest *g)
{
	if (__atomic_load_n(&g->state, __ATOMIC_ACQUIRE) != GUEST_DEAD)
		return SBI_ERR_ALREADY_STARTED;
	if (!g->reloadable)
		return SBI_ERR_NOT_SUPPORTED; /* no pristine image to reload */
	return guest_restart(g, GUEST_DEAD) ? 0 : SBI_ERR_ALREADY_STARTED;
}

void guest_reset_request(struct guest *g, unsigned long type,
			 unsigned long reason)
{
	if (type == SBI_SRST_RESET_TYPE_SHUTDOWN) {
		guest_stop(g, "shutdown");
		return;
	}
	if (g->reloadable) {
		guest_restart(g, GUEST_RUNNING);
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
		if (platform.opt_stats)
			guest_print_stats(g);
		hyp_machine_reset(type, reason);
	}
	guest_stop(g, "reboot requested, but no pristine image to reload");
}
