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

#define SHV_SHARED_SIZE 0x8000
#define SHV_SHARED_BASE (SHV_HS_BASE + SHV_HS_SIZE - SHV_SHARED_SIZE)

#endif
