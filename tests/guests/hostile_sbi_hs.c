// SPDX-License-Identifier: BSD-2-Clause
/*
 * Hostile guest: bad arguments to the SBI extensions sbivisor serves in
 * HS (HSM, SRST, DBCN), and SBI calls from U-mode. Every call must
 * return with the error SBI v2.0 defines and preserve every register but
 * a0/a1 (hostile.h); no call may stop, suspend or reset anything.
 * Bootarg "hostile.ext=GROUP", one group per boot: hsm, srst, dbcn,
 * umode ("all": each in turn). The guest has two vCPUs; vCPU 1 is
 * started and stopped by the hsm group.
 */
#include "hostile.h"

#define EINVAL SBI_ERR_INVALID_PARAM
#define EADDR SBI_ERR_INVALID_ADDRESS
#define WAIT 5000000UL /* 0.5 s at 10 MHz */
#define SECONDARY_MAGIC 0x5ec0dUL

static unsigned long nvcpus, ram_base, ram_size, shm, shm_size;
static volatile unsigned long sec_hart = -1UL, sec_opaque, sec_release;

void guest_secondary(unsigned long hart, unsigned long opaque)
{
	sec_opaque = opaque;
	__atomic_store_n(&sec_hart, hart, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&sec_release, __ATOMIC_ACQUIRE))
		;
}

/* HSM (§9): ids, addresses and suspend types */
static void hsm_start_addresses(void)
{
	static const char *const names[] = {
		"zero",	     "minus_one", "odd",	"ram_end",
		"below_ram", "plic",	  "shm_window", "top_page",
	};
	unsigned long addr[] = {
		0,
		-1UL,
		(unsigned long)crt_secondary + 1,
		ram_base + ram_size,
		ram_base - 2,
		0x0c000000UL,
		shm ? shm : 0x40000000UL,
		0xfffffffffffff000UL,
	};
	unsigned long i;
	char name[64];

	for (i = 0; i < ARRAY_SIZE(addr); i++) {
		print_snprintf(name, sizeof(name), "sbi_hsm_start_addr_%s",
			       names[i]);
		hostile_try(name);
		hexpect(name, hcall(SBI_EXT_HSM, 0, 1, addr[i], 0, 0, 0),
			EADDR);
		print_snprintf(name, sizeof(name), "sbi_hsm_suspend_addr_%s",
			       names[i]);
		hexpect(name,
			hcall(SBI_EXT_HSM, 3, 0x80000000UL, addr[i], 0, 0, 0),
			EADDR);
	}
	check_eq("sbi_hsm_still_stopped_after_bad_starts",
		 hcall(SBI_EXT_HSM, 2, 1, 0, 0, 0, 0).value,
		 SBI_HSM_STATE_STOPPED);
}

static void hsm_restart(void)
{
	unsigned long entry = (unsigned long)crt_secondary;
	struct ret r;
	int i;

	for (i = 0; i < 2; i++) {
		sec_hart = -1UL;
		sec_release = 0;
		hostile_try("sbi_hsm_start");
		r = hcall(SBI_EXT_HSM, 0, 1, entry, SECONDARY_MAGIC + i, 0, 0);
		check_eq(i ? "sbi_hsm_restart" : "sbi_hsm_start", r.error, 0);
		check(i ? "sbi_hsm_restart_runs" : "sbi_hsm_start_runs",
		      wait_until(&sec_hart, 1, WAIT) &&
			      sec_opaque == SECONDARY_MAGIC + i);
		hexpect(i ? "sbi_hsm_restart_again" : "sbi_hsm_start_again",
			hcall(SBI_EXT_HSM, 0, 1, entry, 0, 0, 0),
			SBI_ERR_ALREADY_AVAILABLE);
		__atomic_store_n(&sec_release, 1, __ATOMIC_RELEASE);
		check(i ? "sbi_hsm_restarted_stops" : "sbi_hsm_started_stops",
		      wait_hart_state(1, SBI_HSM_STATE_STOPPED, WAIT));
	}
}

static void group_hsm(void)
{
	static const unsigned long bad_types[] = {
		1,
		2,
		0x0fffffffUL,
		0x10000000UL,
		0x7fffffffUL,
		0x80000001UL,
		0x8fffffffUL,
		0x90000000UL,
		0xffffffffUL,
		(1UL << 32) | 2,
	};
	unsigned long entry = (unsigned long)crt_secondary, i, bad = 0;
	struct ret r;

	hostile_try("hsm");
	r = hcall(SBI_EXT_HSM, 2, 0, -1UL, -1UL, -1UL, -1UL);
	check("sbi_hsm_status_self_started",
	      !r.error && r.value == SBI_HSM_STATE_STARTED);
	hexpect("sbi_hsm_status_past_last",
		hcall(SBI_EXT_HSM, 2, nvcpus, 0, 0, 0, 0), EINVAL);
	hexpect("sbi_hsm_status_minus_one",
		hcall(SBI_EXT_HSM, 2, -1UL, 0, 0, 0, 0), EINVAL);
	/* hart ids are XLEN wide: 2^32 is not hart 0 */
	hexpect("sbi_hsm_status_2_32",
		hcall(SBI_EXT_HSM, 2, 1UL << 32, 0, 0, 0, 0), EINVAL);
	hexpect("sbi_hsm_start_past_last",
		hcall(SBI_EXT_HSM, 0, nvcpus, entry, 0, 0, 0), EINVAL);
	hexpect("sbi_hsm_start_2_32",
		hcall(SBI_EXT_HSM, 0, 1UL << 32, entry, 0, 0, 0), EINVAL);
	hexpect("sbi_hsm_start_self", hcall(SBI_EXT_HSM, 0, 0, entry, 0, 0, 0),
		SBI_ERR_ALREADY_AVAILABLE);
	if (nvcpus >= 2) {
		hsm_start_addresses();
		hsm_restart();
	} else {
		skip("sbi_hsm_start_addresses", "one vCPU");
	}
	hostile_try("sbi_hsm_suspend_bad_types");
	for (i = 0; i < ARRAY_SIZE(bad_types); i++) {
		r = hcall(SBI_EXT_HSM, 3, bad_types[i], entry, 0, 0, 0);
		if (r.error != EINVAL && bad++ < 4)
			gprintf("#   suspend type 0x%lx -> %ld\n", bad_types[i],
				r.error);
	}
	check("sbi_hsm_suspend_bad_types", !bad);
	hsweep("sbi_hsm_unknown_fids", SBI_EXT_HSM, 4);
	hgroup_end("sbi", "hsm");
}

/* SRST (§10): reserved and vendor types and reasons, never a valid pair */
static void group_srst(void)
{
	static const unsigned long bad[][2] = {
		{ 3, 0 },
		{ 0xefffffffUL, 0 },
		{ 0xf0000000UL, 0 },
		{ 0xffffffffUL, 1 },
		{ (1UL << 32) | 3, 0 },
		{ 0, 2 },
		{ 1, 0xdfffffffUL },
		{ 2, 0x10000 },
		{ (1UL << 32), (1UL << 32) | 2 },
		{ HOSTILE_JUNK0, -1UL },
	};
	unsigned long i, n = 0;
	struct ret r;

	hostile_try("sbi_srst_invalid");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		r = hcall(SBI_EXT_SRST, 0, bad[i][0], bad[i][1], 0, 0, 0);
		if (r.error != EINVAL && n++ < 4)
			gprintf("#   reset 0x%lx/0x%lx -> %ld\n", bad[i][0],
				bad[i][1], r.error);
	}
	check("sbi_srst_invalid", !n);
	hsweep("sbi_srst_unknown_fids", SBI_EXT_SRST, 1);
	hgroup_end("sbi", "srst");
}

/* DBCN (§12): what dbcn_bad.c does not try */
static void group_dbcn(void)
{
	static char buf[16] = "# hostile dbcn\n";
	unsigned long b = (unsigned long)buf;
	struct ret r;

	hostile_try("dbcn");
	hexpect("sbi_dbcn_write_hi_one", hcall(SBI_EXT_DBCN, 0, 4, b, 1, 0, 0),
		EINVAL);
	hexpect("sbi_dbcn_read_hi_max",
		hcall(SBI_EXT_DBCN, 1, 4, b, -1UL, 0, 0), EINVAL);
	hexpect("sbi_dbcn_write_top_byte",
		hcall(SBI_EXT_DBCN, 0, 1, -1UL, 0, 0, 0), EINVAL);
	hexpect("sbi_dbcn_read_len_max",
		hcall(SBI_EXT_DBCN, 1, -1UL, b, 0, 0, 0), EINVAL);
	/*
	 * The shared window is memory the guest may access, but not its
	 * RAM: written, or refused as sbivisor documents (docs/sbi.md)
	 */
	if (shm) {
		sbi_memcpy((void *)shm, "# hostile dbcn window\n", 22);
		r = hcall(SBI_EXT_DBCN, 0, 22, shm, 0, 0, 0);
		check("sbi_dbcn_write_shm_window",
		      r.error == EINVAL || (!r.error && r.value == 22));
	}
	hexpect("sbi_dbcn_read_plic",
		hcall(SBI_EXT_DBCN, 1, 4, 0x0c000000UL, 0, 0, 0), EINVAL);
	r = hcall(SBI_EXT_DBCN, 0, 0, b, 0, 0, 0);
	check("sbi_dbcn_write_empty", !r.error && !r.value);
	r = hcall(SBI_EXT_DBCN, 0, sizeof(buf) - 1, b, 0, -1UL, -1UL);
	check("sbi_dbcn_write_junk_upper_args",
	      !r.error && r.value && r.value < sizeof(buf));
	/* write_byte takes the low 8 bits: '\n' */
	hexpect("sbi_dbcn_write_byte_wide",
		hcall(SBI_EXT_DBCN, 2, 0xffffff0aUL, 0, 0, 0, 0), 0);
	hsweep("sbi_dbcn_unknown_fids", SBI_EXT_DBCN, 3);
	hgroup_end("sbi", "dbcn");
}

/*
 * U-mode (VU) has no SBI: its ecall is cause 8, delegated to this
 * guest's own trap handler (priv. spec §3.3.1), whatever a7 says. Run a
 * user function that calls SRST shutdown, legacy shutdown or BASE; a
 * trap handler of our own records the cause and comes back to S-mode.
 */
unsigned long hostile_u_cause, hostile_u_epc, hostile_u_a0, hostile_u_sp,
	hostile_u_stvec;
void hostile_u_run(unsigned long eid, unsigned long fid, unsigned long a0);
extern char hostile_u_ecall[];
/* one instruction a line */
/* clang-format off */
__asm__(".pushsection .text\n"
	".globl hostile_u_run\n"
	".align 2\n"
	"hostile_u_run:\n"
	HOSTILE_ASM_SAVE_CALLEE
	"	la	t0, hostile_u_sp\n"
	"	sd	sp, 0(t0)\n"
	"	csrr	t0, stvec\n"
	"	la	t1, hostile_u_stvec\n"
	"	sd	t0, 0(t1)\n"
	"	la	t0, 1f\n"
	"	csrw	stvec, t0\n"
	"	la	t0, hostile_u_ecall\n"
	"	csrw	sepc, t0\n"
	"	li	t0, 0x100\n" /* sstatus.SPP = U */
	"	csrc	sstatus, t0\n"
	"	mv	a7, a0\n"
	"	mv	a6, a1\n"
	"	mv	a0, a2\n"
	"	li	a1, 0\n"
	"	sret\n"
	"hostile_u_ecall:\n"
	"	ecall\n"
	"	unimp\n" /* an ecall that returned to U-mode traps here */
	".align 2\n"
	"1:	csrr	t0, scause\n"
	"	la	t1, hostile_u_cause\n"
	"	sd	t0, 0(t1)\n"
	"	csrr	t0, sepc\n"
	"	la	t1, hostile_u_epc\n"
	"	sd	t0, 0(t1)\n"
	"	la	t1, hostile_u_a0\n"
	"	sd	a0, 0(t1)\n"
	"	la	t0, 2f\n"
	"	csrw	sepc, t0\n"
	"	li	t0, 0x100\n"
	"	csrs	sstatus, t0\n"
	"	sret\n"
	"2:	la	t0, hostile_u_sp\n"
	"	ld	sp, 0(t0)\n"
	"	la	t0, hostile_u_stvec\n"
	"	ld	t0, 0(t0)\n"
	"	csrw	stvec, t0\n"
	HOSTILE_ASM_RESTORE_CALLEE_RET
	".popsection\n");
/* clang-format on */

static void umode_call(const char *name, unsigned long eid, unsigned long fid,
		       unsigned long a0)
{
	hostile_u_cause = hostile_u_epc = hostile_u_a0 = -1UL;
	hostile_try(name);
	hostile_u_run(eid, fid, a0);
	check(name, hostile_u_cause == CAUSE_USER_ECALL &&
			    hostile_u_epc == (unsigned long)hostile_u_ecall &&
			    hostile_u_a0 == a0);
	if (hostile_u_cause != CAUSE_USER_ECALL)
		gprintf("#   %s: cause %ld at 0x%lx, a0 0x%lx\n", name,
			(long)hostile_u_cause, hostile_u_epc, hostile_u_a0);
}

static void group_umode(void)
{
	umode_call("sbi_umode_srst_shutdown_traps", SBI_EXT_SRST, 0,
		   SBI_SRST_RESET_TYPE_SHUTDOWN);
	umode_call("sbi_umode_legacy_shutdown_traps", 0x08, 0, 0);
	umode_call("sbi_umode_base_probe_traps", SBI_EXT_BASE, 3, SBI_EXT_SRST);
	umode_call("sbi_umode_ipi_traps", SBI_EXT_IPI, 0, 1);
}

static const char *const group_names[] = { "hsm", "srst", "dbcn", "umode",
					   "all" };
static void (*const groups[])(void) = { group_hsm, group_srst, group_dbcn,
					group_umode };

void guest_main(unsigned long hart, const void *fdt)
{
	nvcpus = dt_nharts(fdt);
	hostile_dt_reg(fdt, "sbivisor,shmem", 0, &shm, &shm_size);
	gprintf("# hostile_sbi_hs: hart %lu, %lu vCPUs\n", hart, nvcpus);
	if (hart || !dt_ram(fdt, &ram_base, &ram_size) ||
	    !hostile_groups(fdt, group_names, groups, ARRAY_SIZE(groups))) {
		check("hostile_sbi_setup", 0);
		return;
	}
	check("hostile_sbi_survived", 1);
}
