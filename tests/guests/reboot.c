// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI System Reset (v2.0 §10): a reboot request does not return; the
 * system (under a hypervisor: the guest's world, here the whole machine
 * since it is the only guest) starts again from the firmware, and QEMU
 * reloads this image, so the guest boots again and asks again. Nothing
 * survives the reboot for the guest to tell its boots apart: the system
 * test counts the "# reboot: boot" banners and kills QEMU at the second.
 *
 * The request comes from the kernel command line, "reboot=MODE":
 *   cold      type 1 (cold reboot), reason 0 (no reason) - the default
 *   warm      type 2 (warm reboot), reason 0
 *   sysfail   type 1, reason 1 (system failure)
 *   impl      type 1, reason 0xE0000000 (SBI implementation specific):
 *             an implementation either honours it (reboots) or refuses
 *             it with SBI_ERR_INVALID_PARAM ("platform-specific and
 *             unimplemented"); it must not hang
 * If the call returns, the guest says so in a TAP check and shuts down.
 */
#include <sbi/sbi_string.h>
#include "guest.h"

struct reboot_mode {
	const char *name;
	unsigned long type, reason;
	int may_refuse;
};

static const struct reboot_mode modes[] = {
	{ "cold", SBI_SRST_RESET_TYPE_COLD_REBOOT, SBI_SRST_RESET_REASON_NONE,
	  0 },
	{ "warm", SBI_SRST_RESET_TYPE_WARM_REBOOT, SBI_SRST_RESET_REASON_NONE,
	  0 },
	{ "sysfail", SBI_SRST_RESET_TYPE_COLD_REBOOT,
	  SBI_SRST_RESET_REASON_SYSFAIL, 0 },
	{ "impl", SBI_SRST_RESET_TYPE_COLD_REBOOT, 0xE0000000, 1 },
};

static const struct reboot_mode *parse_mode(const void *fdt)
{
	const char *v = NULL;
	unsigned long i;
	int len = 0;

	v = dt_bootarg(fdt, "reboot", &len);
	if (!v || !len)
		return &modes[0];
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if ((int)sbi_strlen(modes[i].name) == len &&
		    !sbi_strncmp(v, modes[i].name, len))
			return &modes[i];
	return NULL;
}

void guest_main(unsigned long hart, const void *fdt)
{
	const struct reboot_mode *m = parse_mode(fdt);
	struct ret r;

	if (!m) {
		check("reboot_mode_known", 0);
		return;
	}
	gprintf("# reboot: boot, hart %lu, mode %s\n", hart, m->name);
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_PROBE_EXT, SBI_EXT_SRST, 0, 0, 0,
		  0, 0);
	check("reboot_srst_probe", !r.error && r.value);
	r = ecall(SBI_EXT_SRST, SBI_EXT_SRST_RESET, m->type, m->reason, 0, 0, 0,
		  0);
	gprintf("# reboot: request returned, error %ld\n", r.error);
	if (m->may_refuse)
		check_eq("reboot_refused_invalid_param", r.error,
			 SBI_ERR_INVALID_PARAM);
	else
		check("reboot_does_not_return", 0);
}
