// SPDX-License-Identifier: BSD-2-Clause
/*
 * A guest that touches guest-physical memory it does not have. Under a
 * hypervisor the access is a guest-page fault (priv. spec §8.5.1, causes
 * 20/21/23) that the guest cannot handle: sbivisor stops the guest with a
 * one-line report (docs/architecture.md "HS inside", "a fault that a guest can
 * cause never halts the hypervisor") and powers off, as it was the only guest.
 *
 * The mode comes from the kernel command line, "fault=MODE" (default load):
 *   load      ld from 0x40000000 (no RAM, no device in the guest DT)
 *   store     sd to 0x40000000
 *   amo       amoadd.d on 0x40000000 (reported as a store/AMO fault)
 *   fetch     jump to 0x40000000
 *   reserved  ld from the first /reserved-memory region (firmware and
 *             hypervisor below guest RAM: never mapped for the guest)
 * Options, for guests configured next to others (tests/system/test_multi.py):
 *   fault.addr=GPA      access GPA instead of 0x40000000 (load, store, amo,
 *                       fetch), e.g. where another guest's RAM lies in
 *                       host memory
 *   fault.scribble=GPA  first fill 1 MiB at GPA (in the guest's own RAM,
 *                       below its image) with a pattern and read it back,
 *                       e.g. at the hypervisor's host address: a guest
 *                       whose RAM is not identity-mapped reaches only its
 *                       own RAM there (check "fault_scribble_readback")
 *   fault.delay=TICKS   busy-wait that many timebase ticks before the
 *                       access (silently: no console output meanwhile)
 * Execution must not continue past the access: if it does, or if the
 * fault comes back to the guest as an exception, the guest reports the
 * failing check "fault_not_stopped" and shuts down normally.
 *
 * Not run natively: there the same accesses are access faults that go to
 * the guest's own trap handler.
 */
#include <libfdt.h>
#include "guest.h"

#define FAULT_GPA 0x40000000UL
#define SCRIBBLE_SIZE 0x100000UL

enum mode { LOAD, STORE, AMO, FETCH, RESERVED };

static const char *const mode_names[] = {
	[LOAD] = "load",   [STORE] = "store",	    [AMO] = "amo",
	[FETCH] = "fetch", [RESERVED] = "reserved",
};

/* Where execution goes if the access ever returns to the guest */
static void __attribute__((noreturn)) fault_continued(void)
{
	unsigned long h = hartid() < MAX_HARTS ? hartid() : 0, c;

	for (c = 0; c < 24; c++)
		if (exc_count[h][c])
			gprintf("# fault: guest took exception %lu\n", c);
	check("fault_not_stopped", 0);
	guest_exit();
}

static int parse_mode(const void *fdt)
{
	const char *v;
	int len, m;

	v = dt_bootarg(fdt, "fault", &len);
	if (!v)
		return LOAD;
	for (m = 0; m <= RESERVED; m++)
		if ((int)sbi_strlen(mode_names[m]) == len &&
		    !sbi_strncmp(v, mode_names[m], len))
			return m;
	return -1;
}

/* Fill and read back [at, at + SCRIBBLE_SIZE): own RAM, not the image */
static void scribble(const void *fdt, unsigned long at)
{
	extern char _start[], _bss_end[];
	unsigned long ram, size, i, f = (unsigned long)fdt;
	volatile unsigned long *p = (volatile unsigned long *)at;
	int ok = 1;

	if (!dt_ram(fdt, &ram, &size) || at % 8 || at < ram ||
	    at + SCRIBBLE_SIZE > ram + size ||
	    (at < (unsigned long)_bss_end &&
	     (unsigned long)_start < at + SCRIBBLE_SIZE) ||
	    (at < f + fdt_totalsize(fdt) && f < at + SCRIBBLE_SIZE)) {
		check("fault_scribble_own_ram", 0);
		return;
	}
	gprintf("# fault: scribbling 0x%lx bytes at 0x%lx\n", SCRIBBLE_SIZE,
		at);
	for (i = 0; i < SCRIBBLE_SIZE / 8; i++)
		p[i] = 0x5ca1ab1e00000000UL ^ (at + 8 * i);
	for (i = 0; i < SCRIBBLE_SIZE / 8; i++)
		ok &= p[i] == (0x5ca1ab1e00000000UL ^ (at + 8 * i));
	check("fault_scribble_readback", ok);
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long gpa = FAULT_GPA, v = 0, at;
	int m = parse_mode(fdt), rc;

	if (m < 0) {
		check("fault_mode_known", 0);
		return;
	}
	rc = dt_bootarg_ulong(fdt, "fault.scribble", &at);
	if (rc < 0) {
		check("fault_scribble_addr_valid", 0);
		return;
	}
	if (rc)
		scribble(fdt, at);
	rc = dt_bootarg_ulong(fdt, "fault.addr", &gpa);
	if (rc < 0 || (rc && m == RESERVED)) {
		check("fault_addr_valid", 0);
		return;
	}
	if (m == RESERVED) {
		gpa = dt_reserved(fdt);
		if (!gpa) {
			check("fault_reserved_memory_in_dt", 0);
			return;
		}
	}
	gprintf("# fault: hart %lu, %s at 0x%lx\n", hart, mode_names[m], gpa);
	if (dt_bootarg_ulong(fdt, "fault.delay", &v) > 0)
		sleep_ticks(v);
	v = 0;
	exc_resume[hart < MAX_HARTS ? hart : 0] =
		(unsigned long)fault_continued;
	switch (m) {
	case LOAD:
	case RESERVED:
		v = *(volatile unsigned long *)gpa;
		break;
	case STORE:
		*(volatile unsigned long *)gpa = 0x5a5a;
		break;
	case AMO:
		__asm__ __volatile__("amoadd.d %0, %1, (%2)"
				     : "=r"(v)
				     : "r"(1UL), "r"(gpa)
				     : "memory");
		break;
	case FETCH:
		((void (*)(void))gpa)();
		break;
	}
	gprintf("# fault: access returned 0x%lx\n", v);
	fault_continued();
}
