// SPDX-License-Identifier: BSD-2-Clause
/* Device-tree-aware mutation for the DTB fuzzers (see fuzz.h). */
#include "fuzz.h"
#include "../../hyp/base/types.h"
#include <libfdt.h>
#include "../../lib/dt.h"

#define MAX_NODES 256

u8 fz_features[FZ_FEATURES] __attribute__((used, section("__libfuzzer_extra_"
							 "counters")));

/* Where a property belongs: host nodes, /chosen, guests, their children */
enum { R_HOST = 1, R_CHOSEN = 2, R_GUEST = 4, R_CHILD = 8 };

/* What its value looks like */
enum { K_CELLS, K_SMALL, K_HARTS, K_RANGE, K_STR, K_FLAG, K_PHANDLES, K_IRQ };

/* The properties the configuration parser, passthrough and hostdt read */
static const struct {
	const char *name;
	u8 kind, roles;
} props[] = {
	{ "compatible", K_STR, R_HOST | R_GUEST | R_CHILD },
	{ "reg", K_RANGE, R_HOST | R_CHILD },
	{ "cpus", K_SMALL, R_GUEST },
	{ "memory", K_RANGE, R_GUEST },
	{ "bootargs", K_STR, R_GUEST | R_CHOSEN },
	{ "sbivisor,harts", K_HARTS, R_GUEST },
	{ "sbivisor,sched", K_STR, R_GUEST },
	{ "sbivisor,priority", K_SMALL, R_GUEST },
	{ "sbivisor,timeslice-us", K_CELLS, R_GUEST },
	{ "sbivisor,period-us", K_CELLS, R_GUEST },
	{ "sbivisor,budget-us", K_CELLS, R_GUEST },
	{ "sbivisor,pin-vcpus", K_FLAG, R_GUEST },
	{ "sbivisor,identity", K_FLAG, R_GUEST },
	{ "sbivisor,no-vuart", K_FLAG, R_GUEST },
	{ "sbivisor,passthrough", K_PHANDLES, R_GUEST },
	{ "sbivisor,keep-running", K_FLAG, R_CHOSEN },
	{ "sbivisor,peer", K_STR, R_CHILD },
	{ "sbivisor,doorbell", K_IRQ, R_CHILD },
	{ "#address-cells", K_SMALL, R_HOST | R_GUEST },
	{ "#size-cells", K_SMALL, R_HOST | R_GUEST },
	{ "#interrupt-cells", K_SMALL, R_HOST },
	{ "interrupts", K_IRQ, R_HOST },
	{ "interrupts-extended", K_PHANDLES, R_HOST },
	{ "interrupt-parent", K_PHANDLES, R_HOST },
	{ "phandle", K_PHANDLES, R_HOST | R_GUEST | R_CHILD },
	{ "ranges", K_FLAG, R_HOST },
	{ "status", K_STR, R_HOST },
	{ "device_type", K_STR, R_HOST },
	{ "stdout-path", K_STR, R_CHOSEN },
	{ "riscv,isa", K_STR, R_HOST },
	{ "mmu-type", K_STR, R_HOST },
	{ "timebase-frequency", K_CELLS, R_HOST },
	{ "riscv,ndev", K_IRQ, R_HOST },
	{ "reg-shift", K_SMALL, R_HOST },
	{ "clock-frequency", K_CELLS, R_HOST },
	{ "linux,initrd-start", K_RANGE, R_CHOSEN },
	{ "linux,initrd-end", K_RANGE, R_CHOSEN },
	{ "clocks", K_PHANDLES, R_HOST },
	{ "vdd-supply", K_PHANDLES, R_HOST },
	{ "pinctrl-0", K_PHANDLES, R_HOST },
};

/* Values as dtc writes them: string lists keep their inner NULs */
#define S(x)                                                                   \
	{                                                                      \
		x, sizeof(x)                                                   \
	}
static const struct {
	const char *s;
	int len;
} strings[] = {
	S("sbivisor,guest"),
	S("multiboot,kernel\0multiboot,module"),
	S("multiboot,ramdisk\0multiboot,module"),
	S("multiboot,device-tree\0multiboot,module"),
	S("sbivisor,shmem"),
	S("rr"),
	S("rm"),
	S("okay"),
	S("disabled"),
	S("cpu"),
	S("memory"),
	S("ns16550a"),
	S("virtio,mmio"),
	S("google,goldfish-rtc"),
	S("sifive,plic-1.0.0\0riscv,plic0"),
	S("sifive,test0"),
	S("riscv,clint0"),
	S("/soc/serial@10000000"),
	S("/soc/rtc@101000:115200"),
	S("serial0"),
	S("rv64imafdch_zicsr_zifencei_zba_zbb_sstc_zicboz_zve32x_xfoo"),
	S("rv64imacvh_svpbmt_zicbom"),
	S("riscv,sv39"),
	S("console=ttyS0 sbivisor.stats"),
	S("guest0"),
	S("ping"),
	S(""),
};

static const char *const node_names[] = {
	"guest0",	    "ping",	  "kernel",
	"ramdisk@90400000", "dtb",	  "shm@f0000000",
	"shm@40000000",	    "rtc@101000", "serial",
	"virtio_mmio@1",    "a",	  "UPPER",
	"guest_a",	    "g-1",	  "x0123456789abcdef",
};

static u32 rnd_state;

static u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* A 32-bit cell the parsers care about */
static u32 cell(const void *fdt)
{
	static const u32 v[] = {
		0,	    1,		2,	    3,		4,
		7,	    10,		11,	    16,		17,
		63,	    64,		95,	    96,		0x1000,
		0x200000,   0x2000000,	0x0c000000, 0x10000000, 0x80000000,
		0x80200000, 0x88000000, 0x90000000, 0xf0000000, 0xfffff000,
		0xffffffff, 1000,	200,	    10000,	0x101000,
	};
	u32 x = rnd();

	switch (x % 4) {
	case 0:
		return x >> 8;
	case 1: /* a phandle that exists, or one past */
		return 1 + (x >> 8) % ((u64)fdt_get_max_phandle(fdt) + 1);
	default:
		return v[(x >> 8) % ARRAY_SIZE(v)];
	}
}

/* An address or size near what QEMU virt and the configurations use */
static u64 addr(void)
{
	static const u64 v[] = {
		0x80000000, 0x80200000, 0x88000000,  0x90000000, 0xa0000000,
		0xf0000000, 0x40000000, 0x0c000000,  0x10000000, 0x101000,
		0x10008000, 0x3000000,	0x100000000, 0,		 0x1000,
		0x10000,    0x20000,	0x200000,    0x2000000,	 0x20000000,
		0x600000,   0x100,	~0ULL,	     1ULL << 41, 1ULL << 56,
	};
	u64 x = v[rnd() % ARRAY_SIZE(v)];

	switch (rnd() % 4) {
	case 0: /* some pages or MiB further, or back */
		return x + (u64[]){ 0x1000, 0x100000, 0x200000 }[rnd() % 3] *
				   (rnd() % 8 - 3);
	case 1:
		return x ^ (1ULL << rnd() % 64);
	default:
		return x;
	}
}

/* A value of the kind into val (up to 64 bytes); returns its length */
static int value(const void *fdt, int kind, u8 *val)
{
	fdt32_t c[16];
	u64 a, b;
	int n, i;

	/* a quarter of the time, whatever the kind */
	if (!(rnd() % 4))
		kind = rnd() % (K_IRQ + 1);
	switch (kind) {
	case K_FLAG:
		return 0;
	case K_STR:
		i = rnd() % ARRAY_SIZE(strings);
		memcpy(val, strings[i].s, strings[i].len);
		return strings[i].len;
	case K_SMALL:
		n = 1;
		c[0] = cpu_to_fdt32(rnd() % 4 ? rnd() % 20 : cell(fdt));
		break;
	case K_HARTS: /* mostly ascending hart ids */
		n = 1 + rnd() % 5;
		for (i = 0; i < n; i++)
			c[i] = cpu_to_fdt32(i + rnd() % 3 +
					    (rnd() % 8 ? 0 : 60));
		break;
	case K_RANGE: /* <base size> in 2 + 2 cells, or 1 + 1, or odd */
		a = addr();
		b = addr();
		n = (int[]){ 4, 4, 4, 2, 3, 1 }[rnd() % 6];
		c[0] = cpu_to_fdt32(n == 4 ? a >> 32 : a);
		c[1] = cpu_to_fdt32(n == 4 ? a : b);
		c[2] = cpu_to_fdt32(b >> 32);
		c[3] = cpu_to_fdt32(b);
		break;
	case K_PHANDLES:
		n = rnd() % 4 ? 1 : 1 + rnd() % 9;
		for (i = 0; i < n; i++)
			c[i] = cpu_to_fdt32(cell(fdt));
		break;
	case K_IRQ:
		n = 1;
		c[0] = cpu_to_fdt32(rnd() % 4 ? rnd() % 100 : cell(fdt));
		break;
	default:
		n = 1 + rnd() % 4;
		for (i = 0; i < n; i++)
			c[i] = cpu_to_fdt32(cell(fdt));
		break;
	}
	memcpy(val, c, 4 * n);
	return 4 * n;
}

/* Where node sits: /chosen, a guest under it, a guest's child, host */
static int role(const void *fdt, int node)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), up;

	if (chosen < 0 || node <= 0)
		return R_HOST;
	if (node == chosen)
		return R_CHOSEN;
	up = fdt_parent_offset(fdt, node);
	if (up == chosen)
		return R_GUEST;
	return up > 0 && fdt_parent_offset(fdt, up) == chosen ? R_CHILD
							      : R_HOST;
}

/* A property name for a node of that role (or any, at times) */
static int pick_prop(int r)
{
	int i, n = 0, pick[ARRAY_SIZE(props)];

	for (i = 0; i < (int)ARRAY_SIZE(props); i++)
		if (props[i].roles & r || !(rnd() % 16))
			pick[n++] = i;
	return n ? pick[rnd() % n] : (int)(rnd() % ARRAY_SIZE(props));
}

/* A property of node, or NULL */
static const char *some_prop(const void *fdt, int node, int *off)
{
	int p, n = 0, pick;
	const char *name = NULL;

	fdt_for_each_property_offset(p, fdt, node)
		n++;
	if (!n)
		return NULL;
	pick = rnd() % n;
	fdt_for_each_property_offset(p, fdt, node) {
		if (!pick--) {
			fdt_getprop_by_offset(fdt, p, &name, NULL);
			*off = p;
			return name;
		}
	}
	return NULL;
}

/* One structural edit; 0 when it took */
static int edit(void *fdt, const int *nodes, int nnodes)
{
	int node = nodes[rnd() % nnodes], other = nodes[rnd() % nnodes];
	char name[64];
	const char *p;
	const void *v;
	u8 val[64];
	int len, off, k;
	fdt32_t c;

	/* most edits in /chosen's subtree, where the configuration lives */
	k = fdt_path_offset(fdt, "/chosen");
	if (k >= 0 && rnd() % 4) {
		for (off = 0, node = k; off < nnodes && nodes[off] < k; off++)
			;
		for (len = off;
		     len < nnodes &&
		     (nodes[len] == k || role(fdt, nodes[len]) != R_HOST);
		     len++)
			;
		if (len > off)
			node = nodes[off + rnd() % (len - off)];
	}
	switch (rnd() % 10) {
	case 0:
	case 1:
		k = pick_prop(role(fdt, node));
		len = value(fdt, props[k].kind, val);
		return fdt_setprop(fdt, node, props[k].name, val, len);
	case 8:
	case 9: /* a property it has, to a new value of its kind */
		p = some_prop(fdt, node, &off);
		if (!p)
			return -1;
		snprintf(name, sizeof(name), "%s", p);
		for (k = 0; k < (int)ARRAY_SIZE(props); k++)
			if (!strcmp(props[k].name, name))
				break;
		len = value(fdt,
			    k < (int)ARRAY_SIZE(props) ? props[k].kind
						       : K_CELLS,
			    val);
		return fdt_setprop(fdt, node, name, val, len);
	case 2:
		p = some_prop(fdt, node, &off);
		if (!p)
			return -1;
		snprintf(name, sizeof(name), "%s", p);
		return fdt_delprop(fdt, node, name);
	case 3:
		k = fdt_add_subnode(fdt, node,
				    node_names[rnd() % ARRAY_SIZE(node_names)]);
		if (k < 0)
			return k;
		off = rnd() % 2; /* a compatible string, or a window */
		len = value(fdt, off ? K_STR : K_RANGE, val);
		return fdt_setprop(fdt, k, off ? "compatible" : "reg", val,
				   len);
	case 4:
		return node ? fdt_del_node(fdt, node) : -1;
	case 5: /* copy a property to another node */
		p = some_prop(fdt, other, &off);
		v = p ? fdt_getprop_by_offset(fdt, off, &p, &len) : NULL;
		/* the tree being edited is not checked: a length can be < 0 */
		if (!v || len < 0 || len > (int)sizeof(val))
			return -1;
		snprintf(name, sizeof(name), "%s", p);
		memcpy(val, v, len);
		return fdt_setprop(fdt, node, name, val, len);
	default: /* one cell of a property: new, off by one or by a bit */
		p = some_prop(fdt, node, &off);
		v = p ? fdt_getprop_by_offset(fdt, off, &p, &len) : NULL;
		if (!v || len < 4)
			return -1;
		snprintf(name, sizeof(name), "%s", p);
		k = 4 * (rnd() % (len / 4));
		memcpy(&c, (const u8 *)v + k, 4);
		switch (rnd() % 3) {
		case 0:
			c = cpu_to_fdt32(cell(fdt));
			break;
		case 1:
			c = cpu_to_fdt32(fdt32_to_cpu(c) + rnd() % 3 - 1);
			break;
		default:
			c = cpu_to_fdt32(fdt32_to_cpu(c) ^ (1U << rnd() % 32));
		}
		return fdt_setprop_inplace_namelen_partial(
			fdt, node, name, strlen(name), k, &c, 4);
	}
}

size_t fdt_mutate(u8 *data, size_t size, size_t max_size, unsigned int seed)
{
	int nodes[MAX_NODES], nnodes = 0, node, depth = 0, n;
	size_t room = max_size + 4096, out;
	void *fdt;

	rnd_state = seed | 1;
	if (rnd() % 2 || size < FDT_V17_SIZE || fdt_totalsize(data) > size ||
	    dt_check(data) || !(fdt = malloc(room)))
		return LLVMFuzzerMutate(data, size, max_size);
	if (fdt_open_into(data, fdt, room)) {
		free(fdt);
		return LLVMFuzzerMutate(data, size, max_size);
	}
	for (node = 0; node >= 0 && depth >= 0 && nnodes < MAX_NODES;
	     node = fdt_next_node(fdt, node, &depth))
		nodes[nnodes++] = node;
	/* one to three edits; node offsets move, so re-read them after */
	for (n = 1 + rnd() % 3; n > 0; n--) {
		edit(fdt, nodes, nnodes);
		for (nnodes = 0, node = 0, depth = 0;
		     node >= 0 && depth >= 0 && nnodes < MAX_NODES;
		     node = fdt_next_node(fdt, node, &depth))
			nodes[nnodes++] = node;
		if (!nnodes)
			break;
	}
	fdt_pack(fdt);
	out = fdt_totalsize(fdt);
	if (fdt_check_header(fdt) || out > max_size) {
		free(fdt);
		return LLVMFuzzerMutate(data, size, max_size);
	}
	memcpy(data, fdt, out);
	free(fdt);
	return out;
}

void *fdt_input(const u8 *data, size_t size)
{
	void *fdt;

	if (size < FDT_V17_SIZE || fdt_totalsize(data) > size)
		return NULL;
	fdt = malloc(size);
	if (fdt)
		memcpy(fdt, data, size);
	return fdt;
}
