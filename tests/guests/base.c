// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI BASE extension (v2.0 §4) and unknown-call behaviour; and WFI in
 * U-mode, which must trap as an illegal instruction at once (priv. spec
 * §3.3.3) rather than wait: under a hypervisor, VU-mode.
 */
#include "guest.h"

/*
 * long vu_wfi_probe(void): run "wfi; ecall" in U-mode with every
 * interrupt disabled and return the scause of the trap that ends it (an
 * ecall from U, 8, would mean the wfi returned; no return at all, that
 * it waits for ever). Its own stvec brings the hart back to S-mode.
 */
long vu_wfi_probe(void);
__asm__(".text\n.align 2\n.globl vu_wfi_probe\nvu_wfi_probe:\n"
	"la t0, vu_saved\nsd sp, 0(t0)\nsd ra, 8(t0)\ncsrr t1, stvec\n"
	"sd t1, 16(t0)\ncsrr t1, sie\nsd t1, 24(t0)\ncsrw sie, zero\n"
	"la t1, vu_trap\ncsrw stvec, t1\nli t1, 0x100\ncsrc sstatus, t1\n"
	"la t1, vu_code\ncsrw sepc, t1\nsret\n"
	"vu_code:\nwfi\necall\n"
	".align 2\nvu_trap:\ncsrr a0, scause\nli t1, 0x100\n"
	"csrs sstatus, t1\nla t1, vu_back\ncsrw sepc, t1\nsret\n"
	"vu_back:\nla t0, vu_saved\nld sp, 0(t0)\nld ra, 8(t0)\n"
	"ld t1, 16(t0)\ncsrw stvec, t1\nld t1, 24(t0)\ncsrw sie, t1\nret\n");
unsigned long vu_saved[4];

/*
 * senvcfg (priv. spec 1.12) belongs to S-mode, so to the guest: reading
 * it must not trap, whatever the host (on a host with Smstateen the
 * hypervisor must grant it in hstateen0, which resets to 0)
 */
static int senvcfg_reachable(unsigned long hart)
{
	unsigned long h = hart < MAX_HARTS ? hart : 0, v = 0;
	unsigned long n = exc_count[h][CAUSE_ILLEGAL_INSTRUCTION];

	__asm__ __volatile__("la t0, 1f\n"
			     "sd t0, 0(%1)\n"
			     "csrr %0, senvcfg\n"
			     "1:\n"
			     : "+r"(v)
			     : "r"(&exc_resume[h])
			     : "t0", "memory");
	exc_resume[h] = 0;
	return exc_count[h][CAUSE_ILLEGAL_INSTRUCTION] == n;
}

void guest_main(unsigned long hart, const void *fdt)
{
	struct ret r;
	static const struct {
		const char *name;
		unsigned long eid;
	} exts[] = {
		{ "probe_time", SBI_EXT_TIME },
		{ "probe_ipi", SBI_EXT_IPI },
		{ "probe_rfence", SBI_EXT_RFENCE },
		{ "probe_hsm", SBI_EXT_HSM },
		{ "probe_srst", SBI_EXT_SRST },
		{ "probe_dbcn", SBI_EXT_DBCN },
	};
	unsigned long i;

	gprintf("# base: hart %lu, %lu harts\n", hart, dt_nharts(fdt));
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_SPEC_VERSION, 0, 0, 0, 0, 0,
		  0);
	check_eq("spec_version_ok", r.error, 0);
	check("spec_version_2_0", r.value >= 0x2000000 && !(r.value >> 31));
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_IMP_ID, 0, 0, 0, 0, 0, 0);
	check_eq("impl_id", r.value, 1);
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_IMP_VERSION, 0, 0, 0, 0, 0, 0);
	check("impl_version", !r.error && r.value >= 0x10006);
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_PROBE_EXT, exts[i].eid, 0,
			  0, 0, 0, 0);
		check(exts[i].name, !r.error && r.value != 0);
	}
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_PROBE_EXT, 0x0A534256, 0, 0, 0, 0,
		  0);
	check("probe_firmware_private_hidden", !r.error && r.value == 0);
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_PROBE_EXT, 0x12345678, 0, 0, 0, 0,
		  0);
	check("probe_unknown_zero", !r.error && r.value == 0);
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_MVENDORID, 0, 0, 0, 0, 0, 0);
	check_eq("mvendorid_ok", r.error, 0);
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_MARCHID, 0, 0, 0, 0, 0, 0);
	check_eq("marchid_ok", r.error, 0);
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_GET_MIMPID, 0, 0, 0, 0, 0, 0);
	check_eq("mimpid_ok", r.error, 0);
	r = ecall(SBI_EXT_BASE, 99, 0, 0, 0, 0, 0, 0);
	check_eq("base_unknown_fid", r.error, SBI_ERR_NOT_SUPPORTED);
	r = ecall(0x12345678, 0, 0, 0, 0, 0, 0, 0);
	check_eq("unknown_extension", r.error, SBI_ERR_NOT_SUPPORTED);
	r = ecall(0x0A534256, 0, 0, 0, 0, 0, 0, 0);
	check_eq("firmware_private_refused", r.error, SBI_ERR_NOT_SUPPORTED);
	check_eq("u_mode_wfi_illegal", vu_wfi_probe(),
		 CAUSE_ILLEGAL_INSTRUCTION);
	check("senvcfg_reachable", senvcfg_reachable(hart));
}
