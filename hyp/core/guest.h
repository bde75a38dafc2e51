/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_GUEST_H
#define HYP_GUEST_H

#include "base/hyp.h"
#include "core/gstage.h"
#include "core/vcpu.h"
#include "core/vdev.h"

/* LOADING: a reboot copies the modules in vCPU 0's time (guest.c) */
enum guest_state {
	GUEST_FREE,
	GUEST_RUNNING,
	GUEST_DEAD,
	GUEST_RESETTING,
	GUEST_LOADING
};

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
	const char *bootargs;
	bool reloadable; /* its modules are pristine: it may boot again */
	struct vcpu *vcpu[SHV_MAX_VCPUS];
	/* emulated devices: windows left unmapped in stage 2 */
	struct vdev devs[CONFIG_MAX_VDEVS];
	unsigned long ndevs;
	struct vdev *mmio_hit; /* the last one accessed (mmio.c) */
	bool identity;	       /* GPA = HPA, trusted: may get DMA passthrough */
};

/*
 * What the floors above attach to a guest's life (its board's devices,
 * the configuration's modules), called in registration order:
 *   stop     it stopped for good (its vCPUs are leaving)
 *   reset    before it boots again (its vCPUs are off their harts);
 *            from_dead: a start after a stop, not a reboot
 *   load     copy what it boots from, in bounded steps on vCPU 0's
 *            time: begin once (0, or a negative SBI error), then step
 *            until it returns 1 (done) or an error (0: more to do);
 *            one registrant (the configuration) loads
 *   stats    print its counters (sbivisor.stats, the shell)
 */
struct guest_hooks {
	void (*stop)(struct guest *g);
	void (*reset)(struct guest *g, bool from_dead);
	int (*load_begin)(struct guest *g);
	int (*load_step)(struct guest *g);
	void (*stats)(struct guest *g);
};

void guest_add_hooks(const struct guest_hooks *h);

/*
 * A guest's console as its SBI calls reach it (DBCN, the legacy
 * console): bytes queued or read, never waiting; registered by the
 * floor that gives guests their console (none until then: output is
 * dropped, input is empty).
 */
struct guest_console {
	unsigned long (*write)(struct guest *g, const char *buf,
			       unsigned long n);
	long (*read)(struct guest *g, char *buf, unsigned long n);
	int (*getc)(struct guest *g);
};

extern const struct guest_console *guest_console;
void guest_set_console(const struct guest_console *c);

/* A guest's RAM: translate [gpa, gpa + len) into one host range. */
bool guest_ram_range(struct guest *g, gpa_t gpa, unsigned long len, hpa_t *hpa);

struct guest *guest_create(const char *name, unsigned long nvcpus,
			   unsigned long affinity, gpa_t ram_gpa, hpa_t ram_hpa,
			   unsigned long size);
int guest_map_device(struct guest *g, gpa_t gpa, unsigned long size);
void guest_start(struct guest *g);
void guest_stop(struct guest *g, const char *why);
void guest_reset_request(struct guest *g, unsigned long type,
			 unsigned long reason);
void guest_report_fault(struct vcpu *v, const char *what);
void guest_report_exit(struct vcpu *v, const char *what, unsigned long cause,
		       unsigned long stval, unsigned long htval, bool implicit);
void guest_print_stats(struct guest *g);
void guest_print_mem_stats(void);
struct guest *guest_by_id(unsigned long id);
struct guest *guest_at(unsigned long id); /* any state but free */
struct guest *guest_find(const char *name_or_id);
/* A stopped configured guest boots again (the shell's start) */
int guest_start_again(struct guest *g);
struct guest *guest_next(struct guest *after);

void guest_load_step(struct guest *g);
void guest_keep_running(bool keep);

#endif
