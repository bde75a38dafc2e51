// SPDX-License-Identifier: BSD-2-Clause
/*
 * gwalk_classify (hyp/arch/gwalk.c): whether a load/store guest-page fault
 * with htinst 0 was the instruction's own access or the VS-stage walk's.
 * The input is a guest's page-table memory (a few 4 KiB pages at fuzzed
 * GPAs, filled with fuzzed PTEs), vsatp, the virtual address and the
 * faulting GPA. A reference walk written from the spec (priv. §10.3.2,
 * recursive, as a hardware walker does it) says which PTE addresses the
 * walk reads and where the leaf maps; the classifier must agree:
 * IMPLICIT only if a PTE the walk reads lies on the faulting page (and
 * no earlier PTE was unreadable or invalid), EXPLICIT only if the leaf
 * maps the address onto the faulting page, and at most 5 reads.
 */
#include "fuzz.h"
#include "../../hyp/arch/gwalk.h"

#define PAGES 6
#define PAGE 4096UL

static struct {
	gpa_t base[PAGES];
	u64 pte[PAGES][PAGE / 8];
	unsigned int n;
} mem;
static unsigned int reads;

static int read_pte(void *ctx, gpa_t gpa, u64 *pte)
{
	unsigned int i;

	(void)ctx;
	reads++;
	FZ_CHECK(!(gpa & 7), "PTE read at unaligned 0x%lx", gpa);
	for (i = 0; i < mem.n; i++)
		if (gpa - mem.base[i] < PAGE) {
			*pte = mem.pte[i][(gpa - mem.base[i]) / 8];
			return 0;
		}
	return -1;
}

/* The spec's walk, level by level from the top; fills what it read */
static enum gwalk_kind ref(unsigned long satp, unsigned long va, gpa_t fault)
{
	unsigned long mode = satp >> 60, levels, i;
	gpa_t a = (satp & ((1UL << 44) - 1)) * PAGE, pa;
	u64 pte;

	if (!mode)
		return va / PAGE == fault / PAGE ? GWALK_EXPLICIT
						 : GWALK_UNKNOWN;
	if (mode < 8 || mode > 10)
		return GWALK_UNKNOWN;
	levels = mode - 5; /* Sv39: 3, Sv48: 4, Sv57: 5 */
	for (i = levels; i-- > 0;) {
		gpa_t at = a + ((va >> (12 + 9 * i)) & 0x1ff) * 8;

		if (at / PAGE == fault / PAGE)
			return GWALK_IMPLICIT;
		if (read_pte(NULL, at, &pte) || !(pte & 1))
			return GWALK_UNKNOWN;
		a = ((pte >> 10) & ((1UL << 44) - 1)) * PAGE;
		if (!(pte & 0xe))
			continue;
		/* a leaf at level i: the rest of va is the offset */
		pa = a + (va & ((1UL << (12 + 9 * i)) - 1));
		return pa / PAGE == fault / PAGE ? GWALK_EXPLICIT
						 : GWALK_UNKNOWN;
	}
	return GWALK_UNKNOWN;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fz f = { data, size };
	unsigned long satp, va, i, j;
	enum gwalk_kind want, got;
	gpa_t fault;

	memset(&mem, 0, sizeof(mem));
	mem.n = fz_u8(&f) % (PAGES + 1);
	for (i = 0; i < mem.n; i++)
		mem.base[i] = (fz_edge(&f) & ((1UL << 41) - 1)) & ~(PAGE - 1);
	satp = (fz_u8(&f) % 12UL) << 60 |
	       (mem.n ? mem.base[fz_u8(&f) % mem.n] / PAGE : fz_u64(&f) >> 20);
	va = fz_edge(&f);
	fault = fz_u8(&f) & 1 ? fz_edge(&f)
			      : (mem.n ? mem.base[fz_u8(&f) % mem.n] : 0) +
					fz_u32(&f) % PAGE;
	/*
	 * PTEs: mostly at the slots the walk for va reads (its VPN at some
	 * level), pointing to our pages or anywhere, leaves or not, so that
	 * walks go deep; the rest anywhere in a page.
	 */
	for (i = 0; i < mem.n && fz_more(&f); i++)
		for (j = 0; j < 8 && fz_more(&f); j++) {
			u8 tag = fz_u8(&f), where = fz_u8(&f);
			gpa_t to = tag & 0x80 ? mem.base[tag % mem.n]
					      : fz_edge(&f) & ~(PAGE - 1);
			unsigned long slot =
				where & 0x80 ? where % (PAGE / 8)
					     : (va >> (12 + 9 * (where % 5))) &
						       0x1ff;

			mem.pte[i][slot] = (to / PAGE) << 10 |
					   (tag & 0x40 ? 1 : tag & 0xf);
		}
	reads = 0;
	want = ref(satp, va, fault);
	reads = 0;
	got = gwalk_classify(satp, va, fault, read_pte, NULL);
	FZ_CHECK(got == want, "satp 0x%lx va 0x%lx fault 0x%lx: got %d want %d",
		 satp, va, fault, got, want);
	FZ_CHECK(reads <= 5, "%u PTE reads", reads);
	return 0;
}
