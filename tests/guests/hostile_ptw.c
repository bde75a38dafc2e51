// SPDX-License-Identifier: BSD-2-Clause
/*
 * Hostile guest: its own Sv39 page tables point into an emulated device,
 * so the hardware's page-table walk itself reads a PTE from MMIO. Such an
 * implicit access is a guest-page fault like any other, but it is no
 * load or store of the instruction at sepc: emulating that instruction
 * against the device (a read of a register as if the program had loaded
 * it, a THR or doorbell write made by a walk) is wrong. htinst says so
 * (0x2000/0x3000 pseudoinstructions, priv. spec §9.6.3); where it is 0
 * (QEMU 7.2 always) stval, the faulting virtual address, is not the GPA's
 * page. The guest must be stopped with a one-line report whose gpa is the
 * PTE's address (docs/architecture.md "HS inside": "not MMIO: the guest is
 * stopped").
 *
 * Tables: the root maps 0-1 GiB (devices, RW) and 2-3 GiB (its RAM, RWX)
 * with gigapages, identity; the root's entry for 1-2 GiB is a pointer to
 * a "table" on the device page, so VA 0x40000000 + k * 2 MiB walks the
 * device's word k. "ptw=MODE":
 *   load_plic store_plic fetch_plic   ld/sd/jump at VA 0x40600000: the
 *                                     walk reads the vPLIC at +0x18
 *   load_uart store_uart              ld/sb at VA 0x40000000: the walk
 *                                     reads the UART at +0 (RBR/THR)
 *   load_bell store_bell              lw/sw at VA 0x40000000: the walk
 *                                     reads the doorbell word
 *   root_plic                         satp's root table is the vPLIC
 *                                     page: the next fetch walks it (+0x10)
 *   load_plic_odd                     lbu at VA 0x40600003: the report's
 *                                     gpa is still the PTE's (+0x18)
 *   leaf_uart                         a walk through a table in RAM to a
 *                                     last-level table on the UART page:
 *                                     ld at VA 0x40005000 reads +0x28
 * It first checks that its tables work ("ptw_paging_on"); if the attack
 * returns, it prints the failing check "hostile_not_stopped".
 *
 * "ptw=insn" is no attack on the walk: MMIO instructions the hypervisor
 * must fetch through this guest's tables and emulate (checks, then a
 * normal shutdown) - one on a page of its own, one straddling two pages
 * mapped in the reverse of their physical order (each half translated on
 * its own; the page that physically follows holds a decoy half that
 * would store x0 instead of a0). "ptw=insn_xonly": the first page is
 * execute-only, which HLVX must read (QEMU 7.2's cannot). "ptw=insn_shm":
 * the root table sits in the shared-memory window, which is memory the
 * guest may keep its tables in like any other.
 */
#include "hostile.h"

#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PTE_LEAF (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define SATP_SV39 (8UL << 60)
#define PLIC 0x0c000000UL
#define UART 0x10000000UL
#define VA_DEV 0x40000000UL
#define VA_CODE 0xc0000000UL
#define PTE_XO (PTE_V | PTE_X | PTE_A)
#define PTE_RX (PTE_XO | PTE_R)

static unsigned long root[512] __attribute__((aligned(4096)));
static unsigned long mid[512] __attribute__((aligned(4096)));
static volatile unsigned long probe_word = 0x5eed;
static unsigned long l1[512] __attribute__((aligned(4096)));
static unsigned long l0[512] __attribute__((aligned(4096)));
static unsigned short code[4][2048] __attribute__((aligned(4096)));

enum { LOAD, STORE, FETCH, ROOT, LEAF, LOAD_ODD, INSN, INSN_XONLY, INSN_SHM };

struct mode {
	const char *name;
	char dev; /* 'p'lic, 'u'art, 'b'ell */
	int how;
	unsigned long k; /* the device word the walk reads */
};

static const struct mode modes[] = {
	{ "load_plic", 'p', LOAD, 3 },	  { "store_plic", 'p', STORE, 3 },
	{ "fetch_plic", 'p', FETCH, 3 },  { "root_plic", 'p', ROOT, 2 },
	{ "load_uart", 'u', LOAD, 0 },	  { "store_uart", 'u', STORE, 0 },
	{ "load_bell", 'b', LOAD, 0 },	  { "store_bell", 'b', STORE, 0 },
	{ "leaf_uart", 'u', LEAF, 5 },	  { "load_plic_odd", 'p', LOAD_ODD, 3 },
	{ "insn", 'p', INSN, 0 },	  { "insn_xonly", 'p', INSN_XONLY, 0 },
	{ "insn_shm", 'p', INSN_SHM, 0 },
};

static inline unsigned long pte(unsigned long pa, unsigned long flags)
{
	return (pa >> 12) << 10 | flags;
}

static void satp_on(unsigned long root_pa)
{
	__asm__ __volatile__("sfence.vma\n csrw satp, %0\n sfence.vma"
			     :
			     : "r"(SATP_SV39 | root_pa >> 12)
			     : "memory");
}

static void __attribute__((noreturn)) returned(void)
{
	unsigned long c;

	csrw(satp, 0);
	for (c = 0; c < 24; c++)
		if (exc_count[0][c])
			gprintf("# hostile_ptw: exception %lu\n", c);
	hostile_not_stopped("walk", 0);
}

static void attack(const struct mode *m, unsigned long dev)
{
	unsigned long va = VA_DEV + (m->k << (m->how == LEAF ? 12 : 21));
	unsigned long v = 0;

	gprintf("# hostile_ptw: %s: PTE at 0x%lx\n", m->name, dev + 8 * m->k);
	hostile_try(m->name);
	exc_resume[0] = (unsigned long)returned;
	switch (m->how) {
	case LOAD_ODD:
		v = *(volatile unsigned char *)(va + 3);
		break;
	case LEAF:
	case LOAD:
		if (m->dev == 'b')
			v = *(volatile unsigned int *)va;
		else
			v = *(volatile unsigned long *)va;
		break;
	case STORE:
		if (m->dev == 'u')
			*(volatile unsigned char *)va = 'Z';
		else if (m->dev == 'b')
			*(volatile unsigned int *)va = 1;
		else
			*(volatile unsigned long *)va = 7;
		break;
	case FETCH:
		((void (*)(void))va)();
		break;
	case ROOT:
		/* the next instruction fetch walks a root on the device */
		satp_on(dev);
		break;
	}
	csrw(satp, 0);
	hostile_not_stopped(m->name, v);
}

static void insn(unsigned long first_page, unsigned long shm)
{
	volatile unsigned int *prio = (volatile unsigned int *)(PLIC + 12);
	unsigned long (*f)(unsigned long, unsigned long);

	/* page 0: lw a0, 0(a1); ret */
	code[0][0] = 0xa503;
	code[0][1] = 0x0005;
	code[0][2] = 0x8082;
	/* sw a0, 0(a1) from the end of page 2 on to page 1; then ret */
	code[2][2047] = 0xa023;
	code[1][0] = 0x00a5;
	code[1][1] = 0x8082;
	code[3][0] = 0x0005; /* the decoy: sw zero, 0(a1) */
	__asm__ __volatile__("fence.i" ::: "memory");
	l0[0] = pte((unsigned long)code[0], first_page);
	l0[1] = pte((unsigned long)code[2], PTE_RX);
	l0[2] = pte((unsigned long)code[1], PTE_RX);
	l1[0] = pte((unsigned long)l0, PTE_V);
	root[3] = pte((unsigned long)l1, PTE_V);
	root[1] = pte(VA_DEV, PTE_LEAF); /* 1-2 GiB: identity, the window */
	satp_on((unsigned long)root);
	if (shm) {
		/* the root table in the shared window: ordinary memory too */
		sbi_memcpy((void *)shm, root, sizeof(root));
		satp_on(shm);
	}
	hostile_try("insn");
	*prio = 5;
	f = (unsigned long (*)(unsigned long, unsigned long))VA_CODE;
	check_eq(first_page == PTE_XO ? "ptw_insn_execute_only_page"
				      : "ptw_insn_through_tables",
		 f(0, (unsigned long)prio), 5);
	f = (unsigned long (*)(unsigned long, unsigned long))(VA_CODE + 0x1ffe);
	f(6, (unsigned long)prio);
	check_eq("ptw_insn_straddles_pages", *prio, 6);
	csrw(satp, 0);
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long bell = 0, size, dev, i;
	const struct mode *m = NULL;
	int len = 0;
	const char *s = dt_bootarg(fdt, "ptw", &len);

	for (i = 0; s && i < ARRAY_SIZE(modes); i++)
		if ((int)sbi_strlen(modes[i].name) == len &&
		    !sbi_strncmp(s, modes[i].name, len))
			m = &modes[i];
	if (hart || !m ||
	    !hostile_dt_reg(fdt, "sbivisor,shmem", 1, &bell, &size)) {
		check("hostile_ptw_setup", 0);
		return;
	}
	dev = m->dev == 'p' ? PLIC : m->dev == 'u' ? UART : bell;
	root[0] = pte(0, PTE_LEAF);
	/* a pointer: the next level is dev (LEAF: the one after mid) */
	root[1] = pte(m->how == LEAF ? (unsigned long)mid : dev, PTE_V);
	mid[0] = pte(dev, PTE_V);
	root[2] = pte(0x80000000UL, PTE_LEAF | PTE_X);
	satp_on((unsigned long)root);
	check_eq("ptw_paging_on", probe_word, 0x5eed);
	if (m->how >= INSN)
		insn(m->how == INSN_XONLY ? PTE_XO : PTE_RX,
		     m->how == INSN_SHM ? bell - size : 0);
	else
		attack(m, dev);
}
