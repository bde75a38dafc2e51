/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_GUEST_H
#define HYP_GUEST_H

#include "hyp.h"
#include "gstage.h"
#include "vcpu.h"

enum guest_state { GUEST_FREE, GUEST_RUNNING, GUEST_DEAD };

struct guest {
	struct shv_guest shared; /* read by M on the fast path */
	struct gstage gs;
	char name[16];
	int state;
	unsigned long id;
	unsigned long vmid;
	unsigned long nvcpus;
	gpa_t bank_gpa; /* DT memory bank base; [bank, ram) is reserved */
	gpa_t ram_gpa;
	hpa_t ram_hpa;
	unsigned long ram_size;
	gpa_t entry, dtb_gpa;
	gpa_t initrd_start, initrd_end;
	struct vcpu *vcpu[SHV_MAX_VCPUS];
};

/* A guest's RAM: translate [gpa, gpa + len) into one host range. */
bool guest_ram_range(struct guest *g, gpa_t gpa, unsigned long len,
		     hpa_t *hpa);

struct guest *guest_create(const char *name, unsigned long nvcpus,
			   gpa_t ram_gpa, hpa_t ram_hpa, unsigned long size);
int guest_map_device(struct guest *g, gpa_t gpa, unsigned long size);
void guest_start(struct guest *g);
void guest_stop(struct guest *g, const char *why);
void guest_reset_request(struct guest *g, unsigned long type,
			 unsigned long reason);
void guest_report_fault(struct vcpu *v, const char *what);
void guest_print_stats(struct guest *g);

/* boot.c */
int boot_default_guest(void);

#endif
