// SPDX-License-Identifier: BSD-2-Clause
/*
 * The ISA string a guest's device tree offers (issue #9): only what runs
 * in VS-mode as on the host, or what HS switches on for the guest.
 */
#include <sbi/sbi_string.h>
#include "config/guestdt.h"

/*
 * Multi-letter extensions a guest may be offered: what runs in VS/VU
 * exactly as on the host, or what HS switches on for it. Left out:
 * anything that traps in VS-mode for HS to emulate (Zawrs' wrs.* under
 * hstatus.VTW, Zkr's seed, Zihpm's counters hcounteren keeps off),
 * host-only and M-level features (Smaia/Ssaia, Smstateen, Sscofpmf).
 * Svade runs as on the host; Svadu only where HS set henvcfg.ADUE (a
 * host with Svadu alone): where the host has both, guests get Svade
 * only, as switching ADUE is SBI FWFT's PTE_AD_HW_UPDATING, not served
 * yet.
 */
static const char *const guestdt_isa_plain[] = {
	"zicsr",   "zifencei", "zicntr", "zihintpause", "zihintntl", "zmmul",
	"zaamo",   "zalrsc",   "zacas",	 "zabha",	"za64rs",    "zicond",
	"zba",	   "zbb",      "zbc",	 "zbs",		"zbkb",	     "zbkc",
	"zbkx",	   "zkn",      "zknd",	 "zkne",	"zknh",	     "zks",
	"zksed",   "zksh",     "zkt",	 "zfa",		"zfh",	     "zfhmin",
	"zfbfmin", "zca",      "zcb",	 "zcd",		"zcf",	     "zcmop",
	"zimop",   "zicbop",   "zic64b", "ztso",	"svinval",   "svnapot",
	"svade",
};

static bool guestdt_isa_is(const char *s, unsigned long n, const char *name)
{
	return sbi_strlen(name) == n && !sbi_strncmp(s, name, n);
}

/* Whether the guest gets multi-letter extension s[0..n) */
static bool guestdt_isa_keep(const char *s, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < ARRAY_SIZE(guestdt_isa_plain); i++)
		if (guestdt_isa_is(s, n, guestdt_isa_plain[i]))
			return true;
	if (guestdt_isa_is(s, n, "sstc"))
		return platform.has_sstc;
	if (guestdt_isa_is(s, n, "zicbom"))
		return (platform.henvcfg & ENVCFG_CBIE) &&
		       (platform.henvcfg & ENVCFG_CBCFE);
	if (guestdt_isa_is(s, n, "zicboz"))
		return platform.henvcfg & ENVCFG_CBZE;
	if (guestdt_isa_is(s, n, "svpbmt"))
		return platform.henvcfg & ENVCFG_PBMTE;
	if (guestdt_isa_is(s, n, "svadu"))
		return platform.henvcfg & ENVCFG_ADUE;
	/* vector subsets and crypto: only with V switched per vCPU */
	if (n > 2 && (!sbi_strncmp(s, "zve", 3) || !sbi_strncmp(s, "zvl", 3) ||
		      !sbi_strncmp(s, "zvk", 3) || !sbi_strncmp(s, "zvb", 3) ||
		      !sbi_strncmp(s, "zvf", 3)))
		return platform.vlenb != 0;
	return false;
}

/*
 * The guest's riscv,isa: the host's base and single letters without 'h'
 * (and without 'v' unless HS switches vector state), then the
 * multi-letter extensions guestdt_isa_keep() allows.
 */
void guestdt_guest_isa(const char *host, char *out, unsigned long size)
{
	const char *s = host, *e;
	unsigned long n = 0, len;

	if (!size)
		return;
	for (; *s && *s != '_' && n + 1 < size; s++) {
		if (s - host >= 4 &&
		    (*s == 'h' || (*s == 'v' && !platform.vlenb)))
			continue;
		out[n++] = *s;
	}
	while (*s == '_') {
		for (e = ++s; *e && *e != '_'; e++)
			;
		len = e - s;
		if (len && guestdt_isa_keep(s, len) && n + len + 2 <= size) {
			out[n++] = '_';
			sbi_memcpy(out + n, s, len);
			n += len;
		}
		s = e;
	}
	out[n] = '\0';
}

/* Append item and its NUL to out at *n, if it fits */
static bool guestdt_isa_item(char *out, unsigned long size, unsigned long *n,
			     const char *item, unsigned long len)
{
	if (*n + len + 1 > size)
		return false;
	sbi_memcpy(out + *n, item, len);
	*n += len;
	out[(*n)++] = '\0';
	return true;
}

/*
 * riscv,isa-base and riscv,isa-extensions for a guest ISA string (as
 * guestdt_guest_isa() writes it): the base ("rv64i"), then one string
 * per letter and per multi-letter extension. Kernels that no longer read
 * riscv,isa (Linux 6.12 without RISCV_ISA_FALLBACK) take a hart without
 * these as invalid. The list's length in bytes, or -1 if the ISA string
 * is not "rv32" or "rv64" and letters, or the list does not fit.
 */
int guestdt_isa_extensions(const char *isa, char *base, unsigned long bsize,
			   char *out, unsigned long size)
{
	static const char *const g[] = { "i", "m",     "a",	  "f",
					 "d", "zicsr", "zifencei" };
	const char *s = isa + 4, *e;
	unsigned long n = 0, i;

	if (bsize < 6 || sbi_strncmp(isa, "rv", 2) ||
	    (sbi_strncmp(isa + 2, "64", 2) && sbi_strncmp(isa + 2, "32", 2)) ||
	    (*s != 'i' && *s != 'g'))
		return -1;
	sbi_memcpy(base, isa, 4);
	base[4] = 'i';
	base[5] = '\0';
	for (; *s && *s != '_'; s++) {
		if (*s < 'a' || *s > 'z')
			return -1;
		for (i = 0; *s == 'g' && i < ARRAY_SIZE(g); i++)
			if (!guestdt_isa_item(out, size, &n, g[i],
					      sbi_strlen(g[i])))
				return -1;
		if (*s != 'g' && !guestdt_isa_item(out, size, &n, s, 1))
			return -1;
	}
	while (*s == '_') {
		for (e = ++s; *e && *e != '_'; e++)
			;
		if (e > s && !guestdt_isa_item(out, size, &n, s, e - s))
			return -1;
		s = e;
	}
	return n;
}

/* Whether an ISA string names multi-letter extension ext */
bool guestdt_isa_names(const char *isa, const char *ext)
{
	const char *s, *e;

	for (s = sbi_strchr(isa, '_'); s; s = sbi_strchr(e, '_')) {
		for (e = ++s; *e && *e != '_'; e++)
			;
		if (guestdt_isa_is(s, e - s, ext))
			return true;
	}
	return false;
}