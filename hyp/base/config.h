/* SPDX-License-Identifier: BSD-2-Clause */
/* Static sizing: everything HS uses is allocated from these. */
#ifndef HYP_CONFIG_H
#define HYP_CONFIG_H

#include <sbivisor/shared.h>

#define CONFIG_MAX_HARTS SHV_MAX_HARTS /* hart ids 0..MAX-1 */
#define CONFIG_MAX_GUESTS 4
#define CONFIG_MAX_VCPUS (CONFIG_MAX_GUESTS * SHV_MAX_VCPUS)
#define CONFIG_STACK_SIZE 8192
#define CONFIG_GSTAGE_PAGES 64 /* 4 KiB table pages for all guests */
/* the generated guest device tree: a cpu node per vCPU */
#define CONFIG_GUESTDT_SIZE (SHV_MAX_HARTS <= 8 ? 16384 : 65536)
#define CONFIG_BOOTARGS_MAX 1024
#define CONFIG_SLICE_US 10000 /* round-robin time slice by default */
#define CONFIG_MAX_VDEVS 8    /* emulated device windows per guest */
#define CONFIG_GUEST_HOOKS 4  /* guest lifecycle hook tables (core/guest.h) */
#define CONFIG_MAX_THREADS 4  /* hypervisor threads (the shell, back ends) */
#define CONFIG_THREAD_STACK 8192
/* Vector state per vCPU: hosts with a longer VLEN get no guest V */
#define CONFIG_MAX_VLENB 32 /* VLEN up to 256 bits */

#endif
