// SPDX-License-Identifier: BSD-2-Clause
/* HS boot: parse the host DT, build the guests, bring up every hart. */
/*
 * The top floor: it may include every floor below, and wires them
 * together (docs/architecture.md "Floors").
 */
#include "arch/entry.h"
#include "config/board.h"
#include "config/boot.h"
#include "config/guest_cfg.h"
#include "config/guestdt.h"
#include "console/conout.h"
#include "console/console.h"
#include "core/guest.h"
#include "core/hart.h"
#include "host/hostdt.h"
#include "host/hostirq.h"
#include "sbi/vsbi.h"
#include "shell/shell.h"
#include "../lib/sbibase.h"

extern struct sbibase_info vsbi_base_info;

/*
 * V as the host's ISA string says (QEMU 7.2 lets sstatus.VS be written
 * even without V, so the field proves nothing); guests get it only if HS
 * can hold every vCPU's registers (CONFIG_MAX_VLENB).
 */
static bool hyp_isa_has_letter(char c)
{
	const char *s = hostdt.isa;
	unsigned long i;

	for (i = 4; s[i] && s[i] != '_'; i++)
		if (s[i] == c)
			return true;
	return false;
}

/*
 * Guest features henvcfg switches on where the host has them: cache
 * block management with cbo.inval done as a flush (a guest cannot drop
 * dirty lines HS wrote into its RAM), cbo.zero, Svpbmt, and hardware A/D
 * updating (Svadu) where the host offers it alone: with Svade beside it
 * the default is Svade (OpenSBI leaves menvcfg.ADUE clear, and a guest
 * switching would need SBI FWFT). A bit M did not enable in menvcfg
 * reads back 0 (priv. spec §9.2.6). Every vCPU gets what sticks
 * (vcpu_init); the guest ISA string offers only that (guestdt_isa.c).
 */
static void hyp_probe_henvcfg(void)
{
	unsigned long want = (ENVCFG_CBIE_FLUSH << ENVCFG_CBIE_SHIFT) |
			     ENVCFG_CBCFE | ENVCFG_CBZE | ENVCFG_PBMTE;

	if (guestdt_isa_names(hostdt.isa, "svadu") &&
	    !guestdt_isa_names(hostdt.isa, "svade"))
		want |= ENVCFG_ADUE;

	csr_write(CSR_HENVCFG, want);
	platform.henvcfg = csr_read(CSR_HENVCFG) & want;
	csr_write(CSR_HENVCFG, 0);
}

static void hyp_probe_vector(void)
{
	unsigned long vlenb;

	if (!hyp_isa_has_letter('v'))
		return;
	csr_set(CSR_SSTATUS, SSTATUS_VS);
	vlenb = csr_read(CSR_VLENB);
	csr_clear(CSR_SSTATUS, SSTATUS_VS);
	if (vlenb && vlenb <= CONFIG_MAX_VLENB) {
		platform.vlenb = vlenb;
		return;
	}
	hyp_printf("sbivisor: VLEN %lu bits is more than the %u this build "
		   "switches per vCPU: guests get no V\n",
		   vlenb * 8, CONFIG_MAX_VLENB * 8);
}

static unsigned long hyp_info(unsigned long which)
{
	return sbicall(SHV_EID, SHV_FID_GET_INFO, which, 0, 0, 0, 0).value;
}

static void hyp_hart_init(unsigned long hartid)
{
	struct hart *h = hart_self();
	long rc;

	h->hartid = hartid;
	h->timer = 0; /* unknown: the first deadline is always written */
	h->shared.abi = SHV_ABI_VERSION;
	h->shared.idle_pc = (unsigned long)hyp_wfi_resume;
	rc = sbicall(SHV_EID, SHV_FID_REGISTER_HART, (unsigned long)&h->shared,
		     0, 0, 0, 0)
		     .error;
	if (rc)
		hyp_halt("M-mode refused the shared area");
	vcpu_hart_init();
	/*
	 * Smstateen (priv. spec, "Smstateen/Ssstateen"): hstateen0 resets to
	 * 0, so VS could not even reach senvcfg (a virtual-instruction trap,
	 * an illegal instruction for the guest: Linux 6.12 sets senvcfg.CBZE
	 * where Zicboz is offered). Guests get senvcfg, whose fields henvcfg
	 * gates; not sstateen0, which no vCPU switch saves (a guest would
	 * set its bits for every guest's U-mode), nor the AIA's CSRs, nor
	 * Sdtrig's scontext, until vCPUs have their own.
	 */
	if (platform.hstateen0)
		csr_write(CSR_HSTATEEN0, platform.hstateen0);
	/* HS runs with sstatus.SIE = 0; these only wake WFI and exit guests */
	csr_write(CSR_SIE, MIP_SSIP | MIP_STIP);
	hart_set_timer(h, -1UL);
	h->online = true;
}

void hyp_cold_main(unsigned long hartid, const void *fdt);
void hyp_cold_main(unsigned long hartid, const void *fdt)
{
	unsigned long i, id;
	int rc;

	hyp_printf("sbivisor: HS hypervisor on hart %lu, host FDT at 0x%lx\n",
		   hartid, (unsigned long)fdt);
	if (hyp_info(SHV_INFO_ABI) != SHV_ABI_VERSION)
		hyp_halt("M-mode firmware ABI mismatch");
	platform.fastpath = hyp_info(SHV_INFO_FASTPATH);
	platform.has_sstc = hyp_info(SHV_INFO_STCE);
	platform.hstateen0 = hyp_info(SHV_INFO_SMSTATEEN) ? SMSTATEEN0_HSENVCFG
							  : 0;
	vsbi_base_info.impl_id = 1;
	vsbi_base_info.impl_version = hyp_info(SHV_INFO_IMPL_VERSION);
	vsbi_base_info.mvendorid = hyp_info(SHV_INFO_MVENDORID);
	vsbi_base_info.marchid = hyp_info(SHV_INFO_MARCHID);
	vsbi_base_info.mimpid = hyp_info(SHV_INFO_MIMPID);
	if (hostdt_parse(fdt))
		hyp_halt("cannot parse the host device tree");
	hyp_probe_vector();
	hyp_probe_henvcfg();
	if (hostirq_init(fdt))
		hyp_halt("cannot use the host interrupt controller");
	platform.boot_hart = hartid;
	hart_set_irq_handler(hostirq_handle);
	hyp_hart_init(hartid);
	con_init(hartid);
	vsbi_init();
	board_setup();
	rc = guest_cfg_boot(fdt, SHV_HS_BASE + SHV_HS_SIZE);
	if (rc < 0)
		hyp_halt("bad guest configuration");
	if (!rc && boot_default_guest())
		hyp_halt("no guest to run");
	if (shell_init(hartid) || conout_init(hartid))
		hyp_halt("cannot start the hypervisor shell and console");
	hyp_printf("sbivisor: Ctrl-] s opens the hypervisor shell\n");
	if (platform.opt_stats)
		guest_print_mem_stats();
	hostirq_hart_init(hartid);
	for (i = 0; i < platform.nharts; i++) {
		id = platform.hartids[i];
		if (id != hartid)
			sbicall(SBI_EXT_HSM, SBI_EXT_HSM_HART_START, id,
				(unsigned long)_hyp_secondary, 0, 0, 0);
	}
	hart_schedule();
}

void hyp_secondary_main(unsigned long hartid);
void hyp_secondary_main(unsigned long hartid)
{
	hyp_hart_init(hartid);
	hostirq_hart_init(hartid);
	hart_schedule();
}
