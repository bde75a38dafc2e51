/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where M and HS meet in memory (plain #defines: the HS linker script
 * includes this too). SHV_HS_BASE and SHV_HS_SIZE come from the build.
 *
 * The shared window: the last SHV_SHARED_SIZE bytes of HS's region hold
 * every structure M reads or writes (shared.h: the per-hart areas and the
 * guest records, within HS's hart and guest tables). It is M's only way
 * into HS memory: with Smepmp (mseccfg.MML) M may touch S memory only
 * where a PMP rule says so, and OpenSBI's root domain gets one rule for
 * this window, read/write for M and S alike (platform/platform.c).
 * NAPOT: a power of two, aligned to its size.
 */
#ifndef SBIVISOR_LAYOUT_H
#define SBIVISOR_LAYOUT_H

/* hart ids 0..SHV_MAX_HARTS-1 (the build's MAX_HARTS, at most 64) */
#ifndef SHV_MAX_HARTS
#define SHV_MAX_HARTS 8
#endif
/* a bit for each of those hart ids (a shift by 64 would be undefined) */
#define SHV_HARTS_ALL                                                          \
	(SHV_MAX_HARTS >= 64 ? ~0UL : (1UL << (SHV_MAX_HARTS & 63)) - 1)

/* the hart and guest tables grow with the hart count (shared.h) */
#if SHV_MAX_HARTS <= 8
#define SHV_SHARED_SIZE 0x8000
#else
#define SHV_SHARED_SIZE 0x20000
#endif
#define SHV_SHARED_BASE (SHV_HS_BASE + SHV_HS_SIZE - SHV_SHARED_SIZE)

#endif
