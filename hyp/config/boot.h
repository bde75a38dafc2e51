/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_CONFIG_BOOT_H
#define HYP_CONFIG_BOOT_H

/* The default guest, when /chosen configures none (boot.c) */
int boot_default_guest(void);

#endif
