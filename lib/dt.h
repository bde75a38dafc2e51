/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Device-tree readers shared by the host device tree (hyp/host/hostdt.c)
 * and the configuration's checks (hyp/config/cfg_pt.c), over libfdt.
 */
#ifndef LIB_DT_H
#define LIB_DT_H

#include <libfdt.h>

/*
 * Every tag of the structure block in one bounded pass: node names end
 * inside the block, property lengths fit what is left of it, the block
 * ends with FDT_END. libfdt's own walk (fdt_next_tag) adds a property's
 * length to an int offset: a length near 2^31 wrapped it back into the
 * block and fdt_check_full walked for ever (found by fuzz_cfg). *first:
 * the offset of the first FDT_BEGIN_NODE, or -1. 0 or -FDT_ERR_*.
 */
static inline int dt_check_struct(const void *fdt, int *first)
{
	const char *s = (const char *)fdt + fdt_off_dt_struct(fdt);
	unsigned long size, off = 0, len;
	unsigned int tag;

	size = fdt_version(fdt) >= 17
		       ? fdt_size_dt_struct(fdt)
		       : fdt_totalsize(fdt) - fdt_off_dt_struct(fdt);
	*first = -1;
	/* a name or a value's padding can take off up to 3 bytes past size */
	while (off + 4 <= size) {
		tag = fdt32_ld((const fdt32_t *)(s + off));
		off += 4;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (*first < 0)
				*first = (int)off - 4;
			for (len = 0; off + len < size && s[off + len]; len++)
				;
			if (off + len >= size)
				return -FDT_ERR_BADSTRUCTURE;
			off += (len + 4) & ~3UL; /* the NUL, then padding */
			break;
		case FDT_PROP:
			if (size - off < 8)
				return -FDT_ERR_BADSTRUCTURE;
			len = fdt32_ld((const fdt32_t *)(s + off));
			off += 8;
			if (len > size - off)
				return -FDT_ERR_BADSTRUCTURE;
			off += (len + 3) & ~3UL;
			break;
		case FDT_END_NODE:
		case FDT_NOP:
			break;
		case FDT_END:
			return 0;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
	}
	return -FDT_ERR_TRUNCATED;
}

/*
 * A whole blob checked before any walk: its header, every tag
 * (dt_check_struct), then libfdt's fdt_check_full. libfdt 1.6's
 * fdt_check_full reads the first node's name without checking that there
 * is one (NULL on an old version's name without a '/'): that is checked
 * first. The buffer holds fdt_totalsize(fdt) bytes. 0 or a negative
 * libfdt error.
 */
static inline int dt_check(const void *fdt)
{
	int first, len, err = fdt_check_header(fdt);

	if (!err)
		err = dt_check_struct(fdt, &first);
	if (err)
		return err;
	if (first >= 0 && !fdt_get_name(fdt, first, &len))
		return len < 0 ? len : -FDT_ERR_BADSTRUCTURE;
	return fdt_check_full(fdt, fdt_totalsize(fdt));
}

/*
 * What the hypervisor, or the firmware under it, uses a host node for
 * (by its compatible), or NULL: such a device is never passed through.
 */
static inline const char *dt_hyp_device(const void *fdt, int node)
{
	static const struct {
		const char *compat, *what;
	} used[] = {
		{ "riscv,plic0", "interrupt controller" },
		{ "sifive,plic-1.0.0", "interrupt controller" },
		{ "riscv,aplic", "interrupt controller" },
		{ "riscv,imsics", "interrupt controller" },
		{ "riscv,cpu-intc", "interrupt controller" },
		{ "riscv,clint0", "timer and IPIs" },
		{ "sifive,clint0", "timer and IPIs" },
		{ "riscv,aclint-mtimer", "timer and IPIs" },
		{ "riscv,aclint-mswi", "timer and IPIs" },
		{ "riscv,aclint-sswi", "timer and IPIs" },
		{ "sifive,test0", "machine reset" },
		{ "syscon-poweroff", "machine reset" },
		{ "syscon-reboot", "machine reset" },
	};
	unsigned long k;

	for (k = 0; k < sizeof(used) / sizeof(used[0]); k++)
		if (!fdt_node_check_compatible(fdt, node, used[k].compat))
			return used[k].what;
	return NULL;
}

/* A big-endian value of n 32-bit cells (n <= 2), read unaligned-safe */
static inline unsigned long dt_cells(const fdt32_t *p, int n)
{
	unsigned long v = 0;

	while (n-- > 0)
		v = (v << 32) | fdt32_ld(p++);
	return v;
}

/*
 * Entry idx of node's "reg", in its parent's #address-cells (1 or 2) and
 * #size-cells (0 to 2): 0, or a negative libfdt error. *n (if given): how
 * many entries the property has.
 */
static inline int dt_reg(const void *fdt, int node, int idx,
			 unsigned long *base, unsigned long *size, int *n)
{
	int parent = fdt_parent_offset(fdt, node), len, ac, sc;
	const fdt32_t *reg;

	if (parent < 0)
		return parent;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	reg = (const fdt32_t *)fdt_getprop(fdt, node, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2 || idx < 0 ||
	    len < (idx + 1) * (ac + sc) * 4)
		return -FDT_ERR_NOTFOUND;
	if (n)
		*n = len / ((ac + sc) * 4);
	reg += idx * (ac + sc);
	*base = dt_cells(reg, ac);
	*size = dt_cells(reg + ac, sc);
	return 0;
}

/*
 * The hart id of the CPU whose interrupt-controller node has phandle (an
 * entry of an "interrupts-extended" list), or a negative libfdt error.
 */
static inline long dt_intc_hart(const void *fdt, unsigned int phandle)
{
	int intc = fdt_node_offset_by_phandle(fdt, phandle), cpu, len;
	const fdt32_t *reg;

	if (intc < 0)
		return intc;
	cpu = fdt_parent_offset(fdt, intc);
	reg = cpu < 0 ? NULL
		      : (const fdt32_t *)fdt_getprop(fdt, cpu, "reg", &len);
	return reg && len >= 4 ? (long)fdt32_ld(&reg[len / 4 - 1])
			       : -FDT_ERR_BADVALUE;
}

/*
 * Whether node is /chosen or inside it. /chosen holds configuration (the
 * guests' nodes and their modules), never a device of the machine, so no
 * device lookup may return a node there, whatever its compatible says.
 */
static inline int dt_in_chosen(const void *fdt, int node)
{
	int chosen = fdt_path_offset(fdt, "/chosen");

	/* /chosen is a child of the root: its subtree follows its offset */
	return chosen >= 0 && node >= chosen &&
	       fdt_supernode_atdepth_offset(fdt, node, 1, NULL) == chosen;
}

/*
 * The next device node after start (-1: from the top) compatible with
 * compat, skipping /chosen; or < 0.
 */
static inline int dt_next_device(const void *fdt, int start, const char *compat)
{
	int node = start;

	do
		node = fdt_node_offset_by_compatible(fdt, node, compat);
	while (node >= 0 && dt_in_chosen(fdt, node));
	return node;
}

/*
 * The node /chosen/stdout-path names, without its ":options"; or < 0.
 * A path into /chosen itself names no device.
 */
static inline int dt_stdout_node(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len, n, node;
	const char *p;

	p = chosen < 0 ? NULL
		       : (const char *)fdt_getprop(fdt, chosen, "stdout-path",
						   &len);
	if (!p || len < 1)
		return -FDT_ERR_NOTFOUND;
	for (n = 0; n < len && p[n] && p[n] != ':'; n++)
		;
	/* an alias (no leading '/') is resolved by libfdt */
	node = fdt_path_offset_namelen(fdt, p, n);
	return node >= 0 && dt_in_chosen(fdt, node) ? -FDT_ERR_NOTFOUND : node;
}

#endif
