/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shared by the libFuzzer targets (tests/fuzz/fuzz_*.c, docs/testing.md):
 * the input read as a stream of fields, interesting values, and the check
 * that stops the run with a message and a crash libFuzzer records.
 *
 * OpenSBI's sbi_types.h comes first: the host's stdbool.h, pulled in
 * later, then only redefines bool as the macro _Bool.
 */
#ifndef TEST_FUZZ_H
#define TEST_FUZZ_H

#include <sbi/sbi_types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

/* A failed invariant is a finding: say which, then crash */
#define FZ_CHECK(cond, ...)                                                    \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr,                                        \
				"%s:%d: check '%s' failed: ", __FILE__,        \
				__LINE__, #cond);                              \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
			abort();                                               \
		}                                                              \
	} while (0)

/* The input as a stream: fields past its end read as zero */
struct fz {
	const u8 *p;
	size_t n;
};

static inline bool fz_more(const struct fz *f)
{
	return f->n > 0;
}

/* k <= 8 bytes, little-endian */
static inline u64 fz_bytes(struct fz *f, unsigned int k)
{
	u64 v = 0;
	unsigned int i;

	for (i = 0; i < k && f->n; i++, f->p++, f->n--)
		v |= (u64)*f->p << (8 * i);
	return v;
}

static inline u8 fz_u8(struct fz *f)
{
	return fz_bytes(f, 1);
}

static inline u32 fz_u32(struct fz *f)
{
	return fz_bytes(f, 4);
}

static inline u64 fz_u64(struct fz *f)
{
	return fz_bytes(f, 8);
}

/*
 * A 64-bit value, mostly near the edges where range arithmetic breaks
 * (0, powers of two and their neighbours, all ones, the top of memory):
 * a tag byte picks the shape, so a mutated byte moves across shapes.
 */
static inline u64 fz_edge(struct fz *f)
{
	u8 tag = fz_u8(f);
	unsigned int bit = fz_u8(f) % 64;
	int delta = (int)(tag >> 3) % 5 - 2; /* -2 .. 2 */

	switch (tag & 7) {
	case 0:
		return fz_u8(f);
	case 1:
		return (1ULL << bit) + delta;
	case 2:
		return ~0ULL - fz_u8(f);
	case 3:
		return -(1ULL << bit) + delta;
	case 4:
		return fz_u32(f);
	case 5: /* page or 2 MiB multiples */
		return (u64)fz_u32(f) << (tag & 0x10 ? 21 : 12);
	default:
		return fz_u64(f);
	}
}

/*
 * Semantic coverage: libFuzzer counts the bytes of this section like
 * edges ("extra counters"), so an input that reaches a new accepted state
 * (a configuration with 16 vCPUs, with two windows...) stays in the corpus
 * even when it takes no new branch: the accepted ones are where rules
 * the parser forgot would show. Defined in fdt_mutate.c.
 */
#define FZ_FEATURES 512
extern u8 fz_features[FZ_FEATURES];

static inline void fz_feature(unsigned int group, unsigned int value)
{
	fz_features[(group * 32 + value % 32) % FZ_FEATURES] = 1;
}

/*
 * Device-tree-aware mutation for the fuzzers whose input is a DTB
 * (fuzz_cfg, fuzz_guestdt; fdt_mutate.c): libFuzzer's byte flips rarely keep
 * a blob well-formed, so half the mutations edit the tree through libfdt
 * instead: set a property the parsers read to an interesting value, drop
 * one, add or remove a node, copy a property, nudge one cell.
 */
size_t LLVMFuzzerMutate(u8 *data, size_t size, size_t max_size);
size_t fdt_mutate(u8 *data, size_t size, size_t max_size, unsigned int seed);

/*
 * The input as a DTB in a copy of exactly its size (ASan sees any read
 * past it), or NULL if the header is missing or claims more than the
 * input holds. Free it with free().
 */
void *fdt_input(const u8 *data, size_t size);

#endif
