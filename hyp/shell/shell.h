/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_SHELL_H
#define HYP_SHELL_H

#include "base/types.h"

/*
 * The shell thread on this hart and its console port (before the other
 * harts start)
 */
int shell_init(unsigned long hartid);

#endif
