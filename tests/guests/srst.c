// SPDX-License-Identifier: BSD-2-Clause
/*
 * SBI System Reset (v2.0 §10): reserved reset types (0x3-0xEFFFFFFF) and
 * unimplemented vendor types (0xF0000000+), and reserved reasons
 * (0x2-0xDFFFFFFF), get SBI_ERR_INVALID_PARAM and reset nothing: this hart
 * and the others keep running. Both arguments are uint32_t, so only their
 * low 32 bits count (§3). An unknown FID gets SBI_ERR_NOT_SUPPORTED (§3).
 * The valid shutdown is guest_exit's: the system test checks that the
 * machine then powers off with status 0.
 */
#include "guest.h"

#define TIMEOUT 20000000UL /* 2 s */
#define SHUTDOWN SBI_SRST_RESET_TYPE_SHUTDOWN
#define COLD SBI_SRST_RESET_TYPE_COLD_REBOOT
#define WARM SBI_SRST_RESET_TYPE_WARM_REBOOT
#define NONE SBI_SRST_RESET_REASON_NONE

static volatile unsigned long ticks, stop_peer, peer_up;

static long srst(unsigned long type, unsigned long reason)
{
	return ecall(SBI_EXT_SRST, SBI_EXT_SRST_RESET, type, reason, 0, 0, 0, 0)
		.error;
}

/* A second hart counts until told to stop: it must not be reset */
void guest_secondary(unsigned long hart, unsigned long opaque)
{
	(void)hart;
	(void)opaque;
	peer_up = 1;
	while (!stop_peer)
		__atomic_add_fetch(&ticks, 1, __ATOMIC_RELAXED);
}

static void bad_types(void)
{
	static const struct {
		const char *name;
		unsigned long type;
	} t[] = {
		{ "srst_type_reserved_first", 3 },
		{ "srst_type_reserved_0x1000", 0x1000 },
		{ "srst_type_reserved_last", 0xEFFFFFFF },
		{ "srst_type_vendor_first", 0xF0000000 },
		{ "srst_type_vendor_last", 0xFFFFFFFF },
		{ "srst_type_reserved_high_bits", (1UL << 32) | 3 },
	};
	unsigned long i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		check_eq(t[i].name, srst(t[i].type, NONE),
			 SBI_ERR_INVALID_PARAM);
}

static void bad_reasons(void)
{
	static const struct {
		const char *name;
		unsigned long type, reason;
	} t[] = {
		{ "srst_reason_reserved_first", SHUTDOWN, 2 },
		{ "srst_reason_reserved_last", SHUTDOWN, 0xDFFFFFFF },
		{ "srst_reason_reserved_cold", COLD, 2 },
		{ "srst_reason_reserved_warm", WARM, 0x12345678 },
		{ "srst_reason_reserved_high_bits", SHUTDOWN, (1UL << 32) | 2 },
		{ "srst_both_reserved", 3, 2 },
	};
	unsigned long i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		check_eq(t[i].name, srst(t[i].type, t[i].reason),
			 SBI_ERR_INVALID_PARAM);
}

void guest_main(unsigned long hart, const void *fdt)
{
	unsigned long nharts = dt_nharts(fdt), peer = hart ? 0 : 1, before;
	struct ret r;
	int have_peer = 0;

	gprintf("# srst: hart %lu, %lu harts\n", hart, nharts);
	r = ecall(SBI_EXT_BASE, SBI_EXT_BASE_PROBE_EXT, SBI_EXT_SRST, 0, 0, 0,
		  0, 0);
	check("srst_probe", !r.error && r.value);
	if (nharts >= 2 && peer < MAX_HARTS) {
		r = sbi_hart_start(peer, (unsigned long)crt_secondary, 0);
		have_peer = !r.error && wait_until(&peer_up, 1, TIMEOUT);
		if (!have_peer)
			gprintf("# srst: hart %lu did not start (%ld)\n", peer,
				r.error);
	}
	bad_types();
	bad_reasons();
	r = ecall(SBI_EXT_SRST, 1, SHUTDOWN, NONE, 0, 0, 0, 0);
	check_eq("srst_unknown_fid", r.error, SBI_ERR_NOT_SUPPORTED);
	check("srst_caller_survives", 1);
	if (!have_peer) {
		skip("srst_other_hart_survives", "no second hart");
		return;
	}
	before = ticks;
	check("srst_other_hart_survives",
	      wait_ge(&ticks, before + 1000, TIMEOUT));
	stop_peer = 1;
	check("srst_other_hart_stops",
	      wait_hart_state(peer, SBI_HSM_STATE_STOPPED, TIMEOUT));
}
