// SPDX-License-Identifier: BSD-2-Clause
/*
 * FP and vector registers stay with their vCPU (issue #9, defects 2, 3).
 *
 * fpvec=pair (a guest with two vCPUs on one hart): each vCPU fills f0-f31
 * and fcsr (and, with V, v0-v31, vl, vtype, vxrm) with its own pattern,
 * leaves its FS/VS field Dirty, Clean or Off, then sleeps until the other
 * vCPU has written its own pattern on the same hart, turns the field on
 * again (Initial) and reads everything back: it must find its own values,
 * whatever state it left the field in. Natively the registers do not
 * change while the field is Off or Clean.
 *
 * fpvec=spy (beside a pair on the same hart): never writes a register;
 * every round it turns FS/VS on and reads them: all must still be the
 * zeros it started with, never another guest's values.
 */
#include "guest.h"
#include <libfdt.h>
#include <sbi/sbi_string.h>

#define ROUNDS 24
#define TIMEOUT 50000000UL
#define FS_SHIFT 13
#define VS_SHIFT 9
#define XS_OFF 0UL
#define XS_INITIAL 1UL
#define XS_CLEAN 2UL
#define MAX_VLENB 256

#define FP_OPT ".option push\n.option arch,+d\n"
#define V_OPT ".option push\n.option arch,+v\n"
#define OPT_END "\n.option pop"

static volatile unsigned long round_done[MAX_HARTS];
static volatile unsigned long bad[MAX_HARTS], vbad[MAX_HARTS];
static volatile unsigned long finished[MAX_HARTS];
static bool has_v;
static unsigned long vlenb;
static u8 vbuf[MAX_HARTS][32 * MAX_VLENB] __attribute__((aligned(16)));
static u8 vpat[MAX_HARTS][32 * MAX_VLENB] __attribute__((aligned(16)));

/* f0-f31 from or into f[0..31], through memory */
#define FP_IRP                                                                 \
	".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,"         \
	"21,22,23,24,25,26,27,28,29,30,31\n"

static unsigned long pattern(unsigned long seed, unsigned long n)
{
	return seed ? (seed * 0x9e3779b97f4a7c15UL) ^ (n * 0x100000001b3UL) : 0;
}

static void set_field(unsigned int shift, unsigned long val)
{
	csrc(sstatus, 3UL << shift);
	csrs(sstatus, val << shift);
}

/* The fcsr value for a seed: a valid rounding mode, some flags */
static unsigned long fcsr_of(unsigned long seed)
{
	return seed ? ((seed % 5) << 5) | (seed & 0x1f) : 0;
}

static void fp_write(unsigned long seed)
{
	unsigned long f[32], i;

	for (i = 0; i < 32; i++)
		f[i] = pattern(seed, i);
	__asm__ __volatile__(FP_OPT FP_IRP "fld f\\n, (8 * \\n)(%0)\n"
					   ".endr\nfscsr %1" OPT_END
			     :
			     : "r"(f), "r"(fcsr_of(seed))
			     : "memory");
}

/* How many of f0-f31 and fcsr differ from what seed wrote */
static unsigned long fp_check(unsigned long seed)
{
	unsigned long f[32], i, n = 0, fcsr;

	__asm__ __volatile__(FP_OPT FP_IRP "fsd f\\n, (8 * \\n)(%1)\n"
					   ".endr\nfrcsr %0" OPT_END
			     : "=r"(fcsr)
			     : "r"(f)
			     : "memory");
	for (i = 0; i < 32; i++)
		n += f[i] != pattern(seed, i);
	return n + (fcsr != fcsr_of(seed));
}

/* Whole-register loads and stores ignore vl and vtype (V spec §7.9) */
static void v_load_all(const u8 *p)
{
	unsigned long g = 8 * vlenb;

	__asm__ __volatile__(V_OPT "csrw vstart, zero\n"
				   "vl8re8.v v0, (%0)\n"
				   "vl8re8.v v8, (%1)\n"
				   "vl8re8.v v16, (%2)\n"
				   "vl8re8.v v24, (%3)" OPT_END
			     :
			     : "r"(p), "r"(p + g), "r"(p + 2 * g),
			       "r"(p + 3 * g)
			     : "memory");
}

static void v_store_all(u8 *p)
{
	unsigned long g = 8 * vlenb;

	__asm__ __volatile__(V_OPT "vs8r.v v0, (%0)\n"
				   "vs8r.v v8, (%1)\n"
				   "vs8r.v v16, (%2)\n"
				   "vs8r.v v24, (%3)" OPT_END
			     :
			     : "r"(p), "r"(p + g), "r"(p + 2 * g),
			       "r"(p + 3 * g)
			     : "memory");
}

/* vtype for a seed: SEW 8..64, LMUL 1..8, tail/mask agnostic bits */
static unsigned long v_vtype(unsigned long seed)
{
	return ((seed % 4) << 3) | (seed % 4) | (((seed >> 2) & 3) << 6);
}

static void v_write(unsigned long me, unsigned long seed)
{
	unsigned long i, avl = 1 + seed % 7, vt = v_vtype(seed), vl;

	for (i = 0; i < 32 * vlenb; i++)
		vpat[me][i] = (u8)(pattern(seed, i / 8) >> (8 * (i % 8)));
	v_load_all(vpat[me]);
	__asm__ __volatile__(V_OPT "vsetvl %0, %1, %2\ncsrw vxrm, %3" OPT_END
			     : "=r"(vl)
			     : "r"(avl), "r"(vt), "r"(seed & 3));
}

static unsigned long v_check(unsigned long me, unsigned long seed)
{
	unsigned long i, n = 0, vl, vt, xrm;
	unsigned long want_vl = 1 + seed % 7, vlmax;

	__asm__ __volatile__(V_OPT "csrr %0, vl\ncsrr %1, vtype\n"
				   "csrr %2, vxrm" OPT_END
			     : "=r"(vl), "=r"(vt), "=r"(xrm));
	v_store_all(vbuf[me]);
	for (i = 0; i < 32 * vlenb; i++)
		n += vbuf[me][i] != (seed ? vpat[me][i] : 0);
	/* VLMAX = LMUL * VLEN / SEW (V spec §3.4.2) */
	vlmax = (vlenb * 8 << (seed % 4)) / (8UL << (seed % 4));
	if (want_vl > vlmax)
		want_vl = vlmax;
	if (seed)
		n += (vt != v_vtype(seed)) + (vl != want_vl) +
		     (xrm != (seed & 3));
	else
		n += vl != 0 || !(vt >> 63) || xrm;
	return n;
}

/* One of this vCPU's rounds: FS/VS left in state `how` while away */
static void pair_round(unsigned long me, unsigned long r)
{
	unsigned long other = !me, seed = 1 + r * 2 + me;
	unsigned long how = r % 3 == 0 ? XS_OFF : r % 3 == 1 ? XS_CLEAN : 3;

	set_field(FS_SHIFT, XS_INITIAL);
	fp_write(seed);
	if (has_v) {
		set_field(VS_SHIFT, XS_INITIAL);
		v_write(me, seed);
	}
	if (how != 3) {
		set_field(FS_SHIFT, how);
		if (has_v)
			set_field(VS_SHIFT, how);
	}
	round_done[me] = r + 1;
	/* the other vCPU writes its own values on this hart meanwhile */
	wait_ge(&round_done[other], r + 1, TIMEOUT);
	set_field(FS_SHIFT, XS_INITIAL);
	bad[me] += fp_check(seed);
	if (has_v) {
		set_field(VS_SHIFT, XS_INITIAL);
		vbad[me] += v_check(me, seed);
	}
}

static void pair(unsigned long me)
{
	unsigned long r;

	for (r = 0; r < ROUNDS; r++)
		pair_round(me, r);
	finished[me] = 1;
}

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	(void)opaque;
	pair(hart);
}

/* 'v' among the single letters of cpu@0's riscv,isa */
static bool dt_has_v(const void *fdt)
{
	int node = fdt_path_offset(fdt, "/cpus/cpu@0"), len, i;
	const char *isa = node < 0 ? NULL
				   : fdt_getprop(fdt, node, "riscv,isa", &len);

	for (i = 4; isa && i < len && isa[i] && isa[i] != '_'; i++)
		if (isa[i] == 'v')
			return true;
	return false;
}

static void spy(const void *fdt)
{
	unsigned long r, n = 0, vn = 0;

	for (r = 0; r < ROUNDS * 4; r++) {
		set_field(FS_SHIFT, XS_INITIAL);
		n += fp_check(0);
		if (has_v) {
			set_field(VS_SHIFT, XS_INITIAL);
			vn += v_check(0, 0);
		}
		set_field(FS_SHIFT, XS_OFF);
		set_field(VS_SHIFT, XS_OFF);
		sleep_ticks(dt_timebase(fdt) / 500);
	}
	check_eq("spy_fp_never_sees_others", n, 0);
	if (has_v)
		check_eq("spy_vector_never_sees_others", vn, 0);
	else
		skip("spy_vector_never_sees_others", "no V in the ISA");
}

void guest_main(unsigned long hart, const void *fdt)
{
	int len;
	const char *mode = dt_bootarg(fdt, "fpvec", &len);

	has_v = dt_has_v(fdt);
	if (has_v) {
		set_field(VS_SHIFT, XS_INITIAL);
		vlenb = csrr(0xc22); /* vlenb */
		if (vlenb > MAX_VLENB)
			has_v = false;
	}
	gprintf("# fpvec: V %s, vlenb %lu\n", has_v ? "on" : "off", vlenb);
	if (mode && len == 3 && !sbi_memcmp(mode, "spy", 3)) {
		spy(fdt);
		return;
	}
	if (hart || dt_nharts(fdt) < 2) {
		skip("fp_own_values", "needs vCPU 0 of 2");
		return;
	}
	check("pair_started",
	      !sbi_hart_start(1, (unsigned long)crt_secondary, 0).error);
	pair(0);
	check("pair_finished", wait_until(&finished[1], 1, TIMEOUT));
	check_eq("fp_own_values_vcpu0", bad[0], 0);
	check_eq("fp_own_values_vcpu1", bad[1], 0);
	if (has_v) {
		check_eq("vector_own_values_vcpu0", vbad[0], 0);
		check_eq("vector_own_values_vcpu1", vbad[1], 0);
	} else {
		skip("vector_own_values", "no V in the ISA");
	}
	wait_hart_state(1, SBI_HSM_STATE_STOPPED, TIMEOUT);
}
