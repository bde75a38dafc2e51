// SPDX-License-Identifier: BSD-2-Clause
/* Device-tree-aware mutation for the DTB fuzzers (see fuzz.h). */
#include "fuzz.h"
#include "../../hyp/types.h"
#include <libfdt.h>

#define MAX_NODES 256

/* Names the configuration parser, passthrough and hostdt read */
static const char *const prop_names[] = {
	"compatible",
	"reg",
	"cpus",
	"memory",
	"bootargs",
	"sbivisor,harts",
	"sbivisor,sched",
	"sbivisor,priority",
	"sbivisor,timeslice-us",
	"sbivisor,period-us",
	"sbivisor,budget-us",
	"sbivisor,pin-vcpus",
	"sbivisor,identity",
	"sbivisor,no-vuart",
	"sbivisor,passthrough",
	"sbivisor,keep-running",
	"sbivisor,peer",
	"sbivisor,doorbell",
	"#address-cells",
	"#size-cells",
	"#interrupt-cells",
	"interrupts",
	"interrupts-extended",
	"interrupt-parent",
	"phandle",
	"ranges",
	"status",
	"device_type",
	"stdout-path",
	"riscv,isa",
	"mmu-type",
	"timebase-frequency",
	"riscv,ndev",
	"reg-shift",
	"clock-frequency",
	"linux,initrd-start",
	"linux,initrd-end",
	"clocks",
	"vdd-supply",
	"pinctrl-0",
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

/* A property value into val (up to 64 bytes); returns its length */
static int value(const void *fdt, u8 *val)
{
	fdt32_t c[16];
	int n, i, k = rnd() % 8;

	switch (k) {
	case 0:
		return 0; /* an empty flag */
	case 1:
	case 2:
		k = rnd() % ARRAY_SIZE(strings);
		memcpy(val, strings[k].s, strings[k].len);
		return strings[k].len;
	case 7:
		n = rnd() % 24;
		for (i = 0; i < n; i++)
			val[i] = rnd();
		return n;
	default: /* 1, 2 or 4 cells mostly: u32, u64, a <base size> pair */
		n = (int[]){ 1, 2, 4, 1, 2, 4, 3, 8 }[rnd() % 8];
		for (i = 0; i < n; i++)
			c[i] = cpu_to_fdt32(cell(fdt));
		memcpy(val, c, 4 * n);
		return 4 * n;
	}
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

	/* most edits under /chosen, where the configuration lives */
	if (rnd() % 2) {
		k = fdt_path_offset(fdt, "/chosen");
		node = k < 0 ? node : k;
		k = fdt_first_subnode(fdt, node);
		for (off = rnd() % 4; k >= 0 && off; off--)
			k = fdt_next_subnode(fdt, k);
		node = k >= 0 && rnd() % 4 ? k : node;
	}
	switch (rnd() % 8) {
	case 0:
	case 1:
		len = value(fdt, val);
		return fdt_setprop(fdt, node,
				   prop_names[rnd() % ARRAY_SIZE(prop_names)],
				   val, len);
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
		len = value(fdt, val);
		return fdt_setprop(fdt, k, rnd() % 2 ? "compatible" : "reg",
				   val, len);
	case 4:
		return node ? fdt_del_node(fdt, node) : -1;
	case 5: /* copy a property to another node */
		p = some_prop(fdt, other, &off);
		v = p ? fdt_getprop_by_offset(fdt, off, &p, &len) : NULL;
		if (!v || len > (int)sizeof(val))
			return -1;
		snprintf(name, sizeof(name), "%s", p);
		memcpy(val, v, len);
		return fdt_setprop(fdt, node, name, val, len);
	default: /* one cell of a property: a new value, or off by a bit */
		p = some_prop(fdt, node, &off);
		v = p ? fdt_getprop_by_offset(fdt, off, &p, &len) : NULL;
		if (!v || len < 4)
			return -1;
		snprintf(name, sizeof(name), "%s", p);
		k = 4 * (rnd() % (len / 4));
		memcpy(&c, (const u8 *)v + k, 4);
		c = rnd() % 2 ? cpu_to_fdt32(cell(fdt))
			      : cpu_to_fdt32(fdt32_to_cpu(c) ^
					     (1U << rnd() % 32));
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
	if (rnd() % 2 || size < FDT_V17_SIZE || fdt_check_full(data, size) ||
	    !(fdt = malloc(room)))
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
