// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI RFENCE (v2.0 §8, hart masks §3.1): remote_fence_i, remote_sfence_vma
 * and remote_sfence_vma_asid succeed for self, a peer, every hart (base -1)
 * and a full mask, over ranges (0,0 and size -1: everything, §8 intro; one
 * page); a wrapping range returns SUCCESS or INVALID_ADDRESS; an invalid
 * hart id is INVALID_PARAM; remote_hfence_* (FIDs 3-6) are NOT_SUPPORTED
 * when the harts lack the H extension. Functional: code rewritten and
 * fenced runs anew on a peer; a page-table change under Sv39 is seen after
 * remote_sfence_vma[_asid] on self and on a peer.
 */
#include <libfdt.h>
#include "guest.h"

#define TIMEOUT 20000000UL    /* 2 s at 10 MHz */
#define PEER_LIFE 300000000UL /* 30 s: a peer never waits longer */
#define PAGE 4096UL
#define TEST_VA 0x40000000UL
#define PTE_LEAF 0xcfUL /* D A X W R V */
#define INSN_LI_A0(v) (0x00000513U | (v) << 20)
#define INSN_RET 0x00008067U

static unsigned long pt_root[512] __attribute__((aligned(PAGE)));
static unsigned long pt_mid[512] __attribute__((aligned(PAGE)));
static unsigned long pt_leaf[512] __attribute__((aligned(PAGE)));
static unsigned long data[2][512] __attribute__((aligned(PAGE)));
static unsigned int code[4] __attribute__((aligned(64)));

static volatile unsigned long step, ack, got[5], peer_asid, quit;
static volatile unsigned long script_hart = -1UL;

static struct ret rfence(unsigned long fid, unsigned long mask,
			 unsigned long base, unsigned long start,
			 unsigned long size, unsigned long id)
{
	return ecall(SBI_EXT_RFENCE, fid, mask, base, start, size, id, 0);
}

static unsigned long pte(void *pa, unsigned long flags)
{
	return (unsigned long)pa >> 12 << 10 | flags;
}

/* Sv39 identity gigapage over RAM, plus TEST_VA -> data[which] */
static void map_test_page(int which)
{
	pt_leaf[0] = pte(data[which], PTE_LEAF & ~0x8UL);
	__asm__ __volatile__("fence rw, rw" ::: "memory");
}

static unsigned long paging_on(unsigned long asid)
{
	pt_root[2] = pte((void *)0x80000000UL, PTE_LEAF);
	pt_root[TEST_VA >> 30] = pte(pt_mid, 1);
	pt_mid[0] = pte(pt_leaf, 1);
	__asm__ __volatile__("fence rw, rw" ::: "memory");
	csrw(satp, 8UL << 60 | asid << 44 | (unsigned long)pt_root >> 12);
	__asm__ __volatile__("sfence.vma" ::: "memory");
	return csrr(satp) >> 44 & 0xffff; /* the ASID bits kept */
}

static void paging_off(void)
{
	csrw(satp, 0);
	__asm__ __volatile__("sfence.vma" ::: "memory");
}

static unsigned long read_va(void)
{
	return *(volatile unsigned long *)TEST_VA;
}

static long run_code(void)
{
	return ((long (*)(void))code)();
}

static void write_code(unsigned int v)
{
	code[0] = INSN_LI_A0(v);
	code[1] = INSN_RET;
	__asm__ __volatile__("fence rw, rw" ::: "memory");
}

/* The peer's side: each step waits for the boot hart's go */
static void script(void)
{
	wait_ge(&step, 1, TIMEOUT);
	got[0] = run_code();
	ack = 1;
	wait_ge(&step, 2, TIMEOUT);
	got[1] = run_code();
	peer_asid = paging_on(1);
	got[2] = read_va();
	ack = 2;
	wait_ge(&step, 3, TIMEOUT);
	got[3] = read_va();
	ack = 3;
	wait_ge(&step, 4, TIMEOUT);
	got[4] = read_va();
	paging_off();
	ack = 4;
}

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	unsigned long end = rdtime() + PEER_LIFE;

	(void)opaque;
	if (hart == script_hart)
		script();
	/* idle in wfi until told to quit (SIE off: wfi wakes on SSIP) */
	csrs(sie, MIP_SSIP | MIP_STIP);
	sbi_set_timer(end);
	while (!quit && rdtime() < end) {
		wfi();
		csrc(sip, MIP_SSIP);
	}
	sbi_set_timer(-1UL);
	csrc(sie, MIP_SSIP | MIP_STIP);
}

/* Go to the peer's next step and wait for its answer */
static int go(unsigned long n)
{
	step = n;
	return wait_ge(&ack, n, TIMEOUT);
}

static void functional_peer(unsigned long p)
{
	int ok;

	data[0][0] = 0xa;
	data[1][0] = 0xb;
	map_test_page(0);
	write_code(1);
	ok = !rfence(0, 1, p, 0, 0, 0).error && go(1) && got[0] == 1;
	write_code(2);
	ok = ok && !rfence(0, 1, p, 0, 0, 0).error && go(2) && got[1] == 2;
	check("rfence_fence_i_code_peer", ok);

	ok = got[2] == 0xa;
	map_test_page(1);
	ok = ok && !rfence(1, 1, p, TEST_VA, PAGE, 0).error && go(3) &&
	     got[3] == 0xb;
	check("rfence_sfence_vma_walk_peer", ok);
	map_test_page(0);
	ok = ok && !rfence(2, 1, p, TEST_VA, PAGE, peer_asid).error && go(4) &&
	     got[4] == 0xa;
	check("rfence_sfence_vma_asid_walk_peer", ok);
}

static void functional_self(unsigned long me)
{
	unsigned long asid;
	int ok;

	write_code(3);
	ok = !rfence(0, 1, me, 0, 0, 0).error && run_code() == 3;
	write_code(4);
	ok = ok && !rfence(0, 1, me, 0, 0, 0).error && run_code() == 4;
	check("rfence_fence_i_code_self", ok);

	data[0][0] = 0x1a;
	data[1][0] = 0x1b;
	map_test_page(0);
	asid = paging_on(2);
	ok = read_va() == 0x1a;
	map_test_page(1);
	ok = ok && !rfence(1, 1, me, TEST_VA, PAGE, 0).error &&
	     read_va() == 0x1b;
	check("rfence_sfence_vma_walk_self", ok);
	map_test_page(0);
	ok = ok && !rfence(2, 1, me, TEST_VA, PAGE, asid).error &&
	     read_va() == 0x1a;
	check("rfence_sfence_vma_asid_walk_self", ok);
	paging_off();
}

/* FIDs 0-2 to one target, over every range: all SUCCESS */
static void targets(const char *const names[3], unsigned long mask,
		    unsigned long base)
{
	static const unsigned long range[][2] = {
		{ 0, 0 },
		{ 0, -1UL },
		{ TEST_VA, PAGE },
		{ 0x80200000UL, PAGE },
		{ TEST_VA, 100 * PAGE },
	};
	unsigned long fid, i;
	int ok;

	for (fid = 0; fid < 3; fid++) {
		ok = 1;
		for (i = 0; i < sizeof(range) / sizeof(range[0]); i++)
			ok &= !rfence(fid, mask, base, range[i][0], range[i][1],
				      1)
				       .error;
		check(names[fid], ok);
	}
}

/* Does the boot hart's ISA string name the H extension? */
static int isa_has_h(const void *fdt, unsigned long me)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;
	const char *isa;
	const fdt32_t *reg;

	fdt_for_each_subnode(node, fdt, cpus) {
		reg = fdt_getprop(fdt, node, "reg", NULL);
		isa = fdt_getprop(fdt, node, "riscv,isa", NULL);
		if (!reg || !isa || fdt32_to_cpu(*reg) != me)
			continue;
		for (isa += 4; *isa && *isa != '_'; isa++)
			if (*isa == 'h')
				return 1;
	}
	return 0;
}

void guest_main(unsigned long hart, const void *fdt)
{
	static const char *const hf[] = {
		"rfence_hfence_gvma_vmid",
		"rfence_hfence_gvma",
		"rfence_hfence_vvma_asid",
		"rfence_hfence_vvma",
	};
	unsigned long nharts = dt_nharts(fdt), p = (hart + 1) % nharts, h;
	int has_h = isa_has_h(fdt, hart);
	long e;

	gprintf("# rfence: hart %lu, %lu harts, h=%d\n", hart, nharts, has_h);
	functional_self(hart);
	script_hart = p;
	for (h = 0; h < nharts && h < MAX_HARTS; h++)
		if (h != hart &&
		    sbi_hart_start(h, (unsigned long)crt_secondary, 0).error)
			gprintf("# hart %lu did not start\n", h);

	targets((const char *const[]){ "rfence_fence_i_self",
				       "rfence_sfence_vma_self",
				       "rfence_sfence_vma_asid_self" },
		1UL << hart, 0);
	targets((const char *const[]){ "rfence_fence_i_all",
				       "rfence_sfence_vma_all",
				       "rfence_sfence_vma_asid_all" },
		0, -1UL);
	targets((const char *const[]){ "rfence_fence_i_mask_all",
				       "rfence_sfence_vma_mask_all",
				       "rfence_sfence_vma_asid_mask_all" },
		(1UL << nharts) - 1, 0);
	check_eq("rfence_empty_mask", rfence(0, 0, 0, 0, 0, 0).error, 0);
	e = rfence(1, 0, -1UL, -PAGE, 2 * PAGE, 0).error;
	check("rfence_sfence_vma_wrap", !e || e == SBI_ERR_INVALID_ADDRESS);
	e = rfence(2, 0, -1UL, -PAGE, 2 * PAGE, 1).error;
	check("rfence_sfence_vma_asid_wrap",
	      !e || e == SBI_ERR_INVALID_ADDRESS);
	/*
	 * The top of the address space: start + size does not overflow but
	 * a page cursor past the last page would (issue #9: M flushed for
	 * ever). To itself, then to every hart.
	 */
	check_eq("rfence_sfence_vma_top_self",
		 rfence(1, 1UL << hart, 0, -PAGE / 2, PAGE / 4, 0).error, 0);
	check_eq("rfence_sfence_vma_asid_top_all",
		 rfence(2, 0, -1UL, -2 * PAGE, 2 * PAGE - 1, 1).error, 0);
	check_eq("rfence_sfence_vma_top_all",
		 rfence(1, 0, -1UL, -PAGE, PAGE, 0).error, 0);
	check_eq("rfence_fence_i_invalid_hart",
		 rfence(0, 1, nharts, 0, 0, 0).error, SBI_ERR_INVALID_PARAM);
	check_eq("rfence_sfence_vma_invalid_hart",
		 rfence(1, 1UL << hart | 1UL << nharts, 0, 0, 0, 0).error,
		 SBI_ERR_INVALID_PARAM);
	check_eq("rfence_sfence_vma_asid_invalid_hart",
		 rfence(2, 1, -2UL, 0, 0, 1).error, SBI_ERR_INVALID_PARAM);
	/* without H the target harts cannot support them (§8.4-8.7) */
	for (h = 0; h < 4; h++) {
		e = rfence(3 + h, 0, -1UL, 0, 0, 0).error;
		check(hf[h], has_h ? !e || e == SBI_ERR_NOT_SUPPORTED
				   : e == SBI_ERR_NOT_SUPPORTED);
	}

	if (nharts >= 2) {
		targets((const char *const[]){ "rfence_fence_i_peer",
					       "rfence_sfence_vma_peer",
					       "rfence_sfence_vma_asid_peer" },
			1, p);
		functional_peer(p);
	} else {
		static const char *const multi[] = {
			"rfence_fence_i_peer",
			"rfence_sfence_vma_peer",
			"rfence_sfence_vma_asid_peer",
			"rfence_fence_i_code_peer",
			"rfence_sfence_vma_walk_peer",
			"rfence_sfence_vma_asid_walk_peer",
		};
		for (h = 0; h < 6; h++)
			skip(multi[h], "single hart");
	}
	quit = 1;
	for (h = 0; h < nharts && h < MAX_HARTS; h++) {
		if (h == hart)
			continue;
		sbi_send_ipi(1, h);
		wait_hart_state(h, SBI_HSM_STATE_STOPPED, TIMEOUT);
	}
}
