/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_SHELL_H
#define HYP_SHELL_H

#include "types.h"

/* The shell thread on this hart (before the other harts start) */
int shell_init(unsigned long hartid);
bool shell_present(void);
/* From the console multiplexer while the shell has the focus */
void shell_input(char c);
void shell_kick(void);	  /* input was queued */
void shell_focused(void); /* the focus just came: show a prompt */

#endif
