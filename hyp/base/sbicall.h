/* SPDX-License-Identifier: BSD-2-Clause */
/* SBI calls from HS to the firmware (OpenSBI and sbivisor's M-mode part) */
#ifndef HYP_BASE_SBICALL_H
#define HYP_BASE_SBICALL_H

/* An SBI call from HS to OpenSBI */
struct sbiret {
	long error;
	unsigned long value;
};

static inline struct sbiret sbicall6(unsigned long eid, unsigned long fid,
				     unsigned long a0, unsigned long a1,
				     unsigned long a2, unsigned long a3,
				     unsigned long a4, unsigned long a5)
{
	register unsigned long r0 asm("a0") = a0;
	register unsigned long r1 asm("a1") = a1;
	register unsigned long r2 asm("a2") = a2;
	register unsigned long r3 asm("a3") = a3;
	register unsigned long r4 asm("a4") = a4;
	register unsigned long r5 asm("a5") = a5;
	register unsigned long r6 asm("a6") = fid;
	register unsigned long r7 asm("a7") = eid;
	struct sbiret ret;

	asm volatile("ecall"
		     : "+r"(r0), "+r"(r1)
		     : "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r6), "r"(r7)
		     : "memory");
	ret.error = r0;
	ret.value = r1;
	return ret;
}

static inline struct sbiret sbicall(unsigned long eid, unsigned long fid,
				    unsigned long a0, unsigned long a1,
				    unsigned long a2, unsigned long a3,
				    unsigned long a4)
{
	return sbicall6(eid, fid, a0, a1, a2, a3, a4, 0);
}

#endif
