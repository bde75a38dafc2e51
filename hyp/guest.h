/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HYP_GUEST_H
#define HYP_GUEST_H

#include "hyp.h"
#include "gstage.h"
#include "vcpu.h"
#include "vdev.h"
#include "vplic.h"
#include "vuart.h"
#include "conmux.h"
#include "conout.h"
#include "ptdev.h"

struct cfg_guest;
struct cfg_shm;

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
	const struct cfg_guest *cfg; /* configured guest: modules to reload */
	unsigned long load_pos;	     /* bytes of the modules copied so far */
	gpa_t uart_gpa, plic_gpa;
	unsigned long uart_size, plic_size;
	struct vcpu *vcpu[SHV_MAX_VCPUS];
	/* emulated devices: windows left unmapped in stage 2 */
	struct vdev devs[CONFIG_MAX_VDEVS];
	unsigned long ndevs;
	struct vdev *mmio_hit; /* the last one accessed (mmio.c) */
	struct vplic vplic;
	bool has_vplic;
	bool identity; /* GPA = HPA, trusted: may get DMA passthrough */
	struct vuart vuart;
	u32 vuart_irq;
	u32 fwd[VPLIC_WORDS];	/* vPLIC sources that are host interrupts */
	const struct ptdev *pt; /* host devices passed through */
	unsigned long npt;
	struct conmux_q con_in;	    /* console input for this guest only */
	struct conout_port con_out; /* its console output */
};

/* A guest's RAM: translate [gpa, gpa + len) into one host range. */
bool guest_ram_range(struct guest *g, gpa_t gpa, unsigned long len, hpa_t *hpa);

struct guest *guest_create(const char *name, unsigned long nvcpus,
			   unsigned long affinity, gpa_t ram_gpa, hpa_t ram_hpa,
			   unsigned long size);
int guest_map_device(struct guest *g, gpa_t gpa, unsigned long size);
int guest_passthrough(struct guest *g, const struct ptdev *d, unsigned long n,
		      unsigned long hartid);
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

/* guest_irq.c */
int guest_irq_init(struct guest *g, gpa_t plic_gpa, unsigned long size,
		   u32 ndev);
int guest_irq_forward(struct guest *g, u32 src, unsigned long hartid);
void guest_irq_stop(struct guest *g);
void guest_irq_restart(struct guest *g);
int guest_uart_init(struct guest *g, gpa_t gpa, unsigned long size,
		    unsigned int shift, u32 irq);
void guest_console_input(struct guest *g);

/* guest_cfg.c */
int guest_cfg_boot(const void *fdt, hpa_t hyp_end);
int guest_cfg_load(struct guest *g);
int guest_cfg_load_begin(struct guest *g);
int guest_cfg_load_step(struct guest *g);
void guest_load_step(struct guest *g);
hpa_t guest_alloc_host(unsigned long size);
const struct cfg_guest *guest_cfg_peer(const struct cfg_guest *c,
				       const struct cfg_shm *s);
void guest_keep_running(bool keep);

/* boot.c */
int boot_default_guest(void);

#endif
