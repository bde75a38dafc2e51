// SPDX-License-Identifier: BSD-2-Clause
/*
 * Console line attribution (tests/system/test_multi.py): after
 * conline.before=TICKS (bootargs, default 0) writes the start of a line,
 * stays silent for conline.wait=TICKS (default 5000000: 0.5 s at 10 MHz)
 * while something else - another guest, the hypervisor - may write to the
 * console, then ends the line:
 *   "# conline: start" ... " end\n"
 * With guest names on, both parts must come out on lines of this guest.
 */
#include "guest.h"

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long before = 0, wait = 5000000;

	if (dt_bootarg_ulong(fdt, "conline.before", &before) < 0 ||
	    dt_bootarg_ulong(fdt, "conline.wait", &wait) < 0)
		check("conline_args_valid", 0);
	gprintf("# conline: hart %lu\n", hart);
	sleep_ticks(before);
	gprintf("# conline: start");
	sleep_ticks(wait);
	gprintf(" end\n");
}
