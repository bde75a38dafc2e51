/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_TYPES_H
#define HYP_TYPES_H

#include <sbi/sbi_types.h>

/* Distinct names for the address spaces (KVM style) */
typedef unsigned long gpa_t; /* guest-physical */
typedef unsigned long hpa_t; /* host-physical (HS runs with satp = Bare) */
typedef unsigned long gva_t; /* guest-virtual */

/* In the window M may touch (include/sbivisor/layout.h) */
#define SHV_SHARED_DATA __attribute__((section(".shv_shared")))

/* Sentinels, not errors (errors are negative SBI codes) */
#define NO_HART (-1L)	   /* a hart id: none */
#define NO_CHAR (-1)	   /* console input: nothing waiting (legacy getchar) */
#define NO_DEADLINE (~0UL) /* a timer that never fires */

#define PAGE_BYTES 4096UL /* base pages: stage 2, guest RAM, windows */
#define PAGE_OFFSET (PAGE_BYTES - 1) /* the offset bits of an address */

#define USEC_PER_SEC 1000000UL
#define MSEC_PER_SEC 1000UL

#define KIB(x) ((unsigned long)(x) << 10)
#define MIB(x) ((unsigned long)(x) << 20)
#define GIB(x) ((unsigned long)(x) << 30)

#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((unsigned long)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((unsigned long)(a)-1))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
