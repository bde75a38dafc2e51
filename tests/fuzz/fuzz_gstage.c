// SPDX-License-Identifier: BSD-2-Clause
/*
 * Fuzzer for the stage-2 builder (hyp/core/gstage.c): a sequence of map calls
 * with fuzzed GPA, HPA, size and permissions over a small pool of table
 * pages, then a walk of the tables the hardware would do (priv. spec
 * §9.5), every leaf checked against a reference list of the mappings:
 *
 * - a call succeeds only if its arguments are valid and its range is
 *   free; a range that overlaps a mapping always fails;
 * - a failed call maps at most a prefix of its range (the builder does
 *   not roll back: callers give up on the guest), never anything else;
 *   after running out of table pages, the sequence ends;
 * - every leaf lies in one mapping, translates GPA + k to HPA + k, has
 *   its permissions, V, U, A, D, and is as large as alignment allows;
 * - tables are pool pages, each used once; leaf counters match the walk;
 * - gstage_lookup agrees with the walk.
 */
#include "fuzz.h"
#include <sbi/sbi_ecall_interface.h>
#include "../../hyp/core/gstage.h"

#define POOL 24
#define MAX_MAPS 24
#define PTE_V 1UL
#define PTE_U (1UL << 4)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)
#define PPN(pte) (((pte) >> 10) & ((1UL << 44) - 1))

struct map {
	u64 gpa, hpa, size, prot;
};

static u64 *pool[POOL], *root;
static int used, avail;
static struct map maps[MAX_MAPS];
static int nmaps;
static u64 seen_leaves[GSTAGE_LEVELS];
static int seen_tables;
static u64 fresh_bytes, fresh_end; /* a failed call's leaves */

static void *alloc_page(void *ctx)
{
	(void)ctx;
	if (used >= avail)
		return NULL;
	memset(pool[used], 0, 4096);
	return pool[used++];
}

static bool overlaps(u64 a, u64 as, u64 b, u64 bs)
{
	return a < b + bs && b < a + as;
}

/* The mapping a page belongs to, or NULL */
static const struct map *owner(u64 gpa)
{
	int i;

	for (i = 0; i < nmaps; i++)
		if (gpa - maps[i].gpa < maps[i].size)
			return &maps[i];
	return NULL;
}

/* The largest block at gpa of m that the builder must have used */
static int best_level(const struct map *m, u64 gpa)
{
	u64 off = gpa - m->gpa, blk;
	int level;

	for (level = GSTAGE_LEVELS - 1; level > 0; level--) {
		blk = 1ULL << (12 + 9 * level);
		if (!(gpa & (blk - 1)) && !((m->hpa + off) & (blk - 1)) &&
		    m->size - off >= blk)
			return level;
	}
	return 0;
}

static u64 *table_at(u64 pte)
{
	u64 *t = (u64 *)(PPN(pte) << 12);
	int i;

	for (i = 0; i < used; i++)
		if (pool[i] == t)
			return t;
	FZ_CHECK(0, "pte 0x%llx points outside the pool",
		 (unsigned long long)pte);
	return NULL;
}

/* What a hardware walk finds under table (level, GPA of its entry 0) */
static void walk(const u64 *table, int level, u64 base, const struct map *fresh)
{
	unsigned int n = level == GSTAGE_LEVELS - 1 ? GSTAGE_ROOT_ENTRIES : 512;
	u64 blk = 1ULL << (12 + 9 * level), pte, gpa;
	const struct map *m;
	unsigned int i;

	for (i = 0; i < n; i++) {
		pte = table[i];
		gpa = base + i * blk;
		if (!(pte & PTE_V))
			continue;
		if (!(pte & GSTAGE_RWX)) {
			FZ_CHECK(level > 0, "pointer at 4 KiB level");
			FZ_CHECK(!(pte & ~(PPN(pte) << 10 | PTE_V)),
				 "table pte 0x%llx has flags",
				 (unsigned long long)pte);
			seen_tables++;
			walk(table_at(pte), level - 1, gpa, fresh);
			continue;
		}
		seen_leaves[level]++;
		m = owner(gpa);
		if (!m && fresh && gpa - fresh->gpa < fresh->size) {
			m = fresh;
			fresh_bytes += blk;
			if (gpa + blk > fresh_end)
				fresh_end = gpa + blk;
		}
		FZ_CHECK(m && m->size - (gpa - m->gpa) >= blk,
			 "leaf at 0x%llx (level %d) maps nothing asked for",
			 (unsigned long long)gpa, level);
		FZ_CHECK(PPN(pte) << 12 == m->hpa + (gpa - m->gpa),
			 "0x%llx: wrong HPA", (unsigned long long)gpa);
		FZ_CHECK((pte & 0xff) == (m->prot | PTE_V | PTE_U | PTE_A |
					  PTE_D) &&
				 !(pte >> 54),
			 "0x%llx: pte 0x%llx bits", (unsigned long long)gpa,
			 (unsigned long long)pte);
		FZ_CHECK(level == best_level(m, gpa),
			 "0x%llx: level %d leaf, %d possible",
			 (unsigned long long)gpa, level, best_level(m, gpa));
	}
}

static void check_tables(struct gstage *gs, const struct map *fresh)
{
	int l;

	memset(seen_leaves, 0, sizeof(seen_leaves));
	seen_tables = 0;
	fresh_bytes = 0;
	fresh_end = fresh ? fresh->gpa : 0;
	walk(root, GSTAGE_LEVELS - 1, 0, fresh);
	/* no holes between a failed call's start and its last leaf */
	FZ_CHECK(fresh_bytes == fresh_end - (fresh ? fresh->gpa : 0),
		 "a failed map left 0x%llx bytes up to 0x%llx",
		 (unsigned long long)fresh_bytes,
		 (unsigned long long)fresh_end);
	FZ_CHECK(seen_tables == used, "%d tables reachable, %d allocated",
		 seen_tables, used);
	for (l = 0; l < GSTAGE_LEVELS; l++)
		FZ_CHECK(seen_leaves[l] == gs->leaves[l],
			 "level %d: %llu leaves, counted %lu", l,
			 (unsigned long long)seen_leaves[l], gs->leaves[l]);
}

static bool valid_args(const struct map *m)
{
	return !((m->gpa | m->hpa | m->size) & 0xfff) && m->size &&
	       (m->prot & GSTAGE_RWX) &&
	       !(m->prot & GSTAGE_W && !(m->prot & GSTAGE_R)) &&
	       m->gpa + m->size >= m->gpa &&
	       m->gpa + m->size <= 1ULL << GSTAGE_GPA_BITS &&
	       m->hpa + m->size >= m->hpa && m->hpa + m->size <= 1ULL << 56;
}

/* false once the pool ran out: the table is then abandoned, as HS does */
static bool map_one(struct gstage *gs, struct fz *f)
{
	struct map m;
	bool free_range = true;
	u64 hpa, prot;
	int i, rc;

	m.gpa = fz_edge(f) & ((1ULL << 42) - 1);
	m.size = fz_edge(f) & ((1ULL << 42) - 1);
	/* the HPA often keeps the GPA's alignment, as RAM does */
	m.hpa = fz_u8(f) & 1 ? m.gpa + (fz_edge(f) << 30) : fz_edge(f);
	m.hpa &= (1ULL << 57) - 1;
	m.prot = fz_u8(f) & 0xf;
	for (i = 0; i < nmaps; i++)
		if (overlaps(m.gpa, m.size, maps[i].gpa, maps[i].size))
			free_range = false;
	rc = gstage_map(gs, m.gpa, m.hpa, m.size, m.prot);
	m.prot &= GSTAGE_RWX; /* other bits are not the caller's to set */
	if (!valid_args(&m)) {
		FZ_CHECK(rc == SBI_ERR_INVALID_PARAM,
			 "bad map 0x%llx 0x%llx 0x%llx %llx: %d",
			 (unsigned long long)m.gpa, (unsigned long long)m.hpa,
			 (unsigned long long)m.size, (unsigned long long)m.prot,
			 rc);
		check_tables(gs, NULL);
		return true;
	}
	FZ_CHECK(rc != 0 || free_range, "map over a mapping succeeded");
	FZ_CHECK(rc == 0 || rc == SBI_ERR_FAILED || !free_range,
		 "map of a free range failed with %d", rc);
	FZ_CHECK(rc == 0 || rc == SBI_ERR_INVALID_PARAM || rc == SBI_ERR_FAILED,
		 "map returned %d", rc);
	FZ_CHECK(rc != SBI_ERR_FAILED || used == avail, "out of pages early");
	check_tables(gs, &m);
	if (!rc) {
		maps[nmaps++] = m;
		FZ_CHECK(!gstage_lookup(gs, m.gpa + m.size - 4096, &hpa,
					&prot) &&
				 hpa == m.hpa + m.size - 4096,
			 "last page of a mapping not found");
	} else if (fresh_bytes) {
		/* what it mapped stays: a mapping of its own from now on */
		m.size = fresh_bytes;
		maps[nmaps++] = m;
	}
	/*
	 * Out of pages, the intermediate tables just allocated stay, empty:
	 * a block over one would be refused as an overlap. No caller maps
	 * again after a failure (guest.c, shmem.c give up on the guest).
	 */
	return rc != SBI_ERR_FAILED;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct gstage_alloc a = { alloc_page, NULL };
	struct fz f = { data, size };
	u64 gpa, hpa, prot, want;
	const struct map *m;
	struct gstage gs;
	int i;

	if (!root) {
		root = aligned_alloc(GSTAGE_ROOT_SIZE, GSTAGE_ROOT_SIZE);
		for (i = 0; i < POOL; i++)
			pool[i] = aligned_alloc(4096, 4096);
	}
	used = 0;
	avail = 1 + fz_u8(&f) % POOL;
	nmaps = 0;
	gstage_init(&gs, root, a);
	while (fz_more(&f) && nmaps < MAX_MAPS) {
		if (!map_one(&gs, &f))
			break;
		/* lookups at fuzzed addresses near the mappings */
		gpa = nmaps ? maps[fz_u8(&f) % nmaps].gpa + fz_edge(&f)
			    : fz_edge(&f);
		m = owner(gpa & ~0xfffULL);
		want = m ? m->hpa + (gpa - m->gpa) : 0;
		FZ_CHECK(gstage_lookup(&gs, gpa, &hpa, &prot) ==
					 (m ? 0 : SBI_ERR_INVALID_ADDRESS) &&
				 (!m || (hpa == want && prot == m->prot)),
			 "lookup 0x%llx", (unsigned long long)gpa);
	}
	check_tables(&gs, NULL);
	FZ_CHECK(gstage_hgatp(&gs, 5) ==
			 (8UL << 60 | 5UL << 44 | (unsigned long)root >> 12),
		 "hgatp");
	return 0;
}
