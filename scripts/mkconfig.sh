#!/bin/bash
# Turn a guest configuration (a .dts fragment with a "/ { chosen { ... }; };"
# tree, docs/config.md) into the DTB QEMU takes with -dtb: QEMU's own DT for
# this machine (-machine dumpdtb=), decompiled, with the fragment appended
# (dtc merges the repeated / and /chosen nodes), compiled again.
#
# usage: mkconfig.sh CONFIG.dts OUT.dtb [QEMU ARGS...]
#
# The QEMU arguments must be those of the run that uses OUT.dtb: -M/-machine,
# -smp, -m, -cpu, -numa and -object shape the DT and are passed on; any
# other argument (-bios, -kernel, -device loader,..., -nographic...) is
# ignored, so the whole QEMU command line may be given. Guest nodes without
# #address-cells/#size-cells get <2> and <2>, the binding's default. The
# modules to load are listed at the end.
set -euo pipefail

QEMU=${QEMU:-qemu-system-riscv64}
DTC=${DTC:-dtc}
me=mkconfig

usage() {
	echo "usage: $0 CONFIG.dts OUT.dtb [QEMU ARGS...]" >&2
	exit 2
}
[ $# -ge 2 ] || usage
cfg=$1 out=$2
shift 2
[ -r "$cfg" ] || { echo "$me: cannot read $cfg" >&2; exit 1; }

machine=virt
shape=()
sized=
while [ $# -gt 0 ]; do
	opt=$1
	shift
	case $opt in
	-M | -machine | --machine)
		[ $# -gt 0 ] || usage
		machine=$1
		shift
		;;
	-smp | -m | -cpu | -numa | -object)
		[ $# -gt 0 ] || usage
		shape+=("$opt" "$1")
		case $opt in -smp | -m) sized=1 ;; esac
		shift
		;;
	-*)
		# an option of the run: skip it and its value, if it has one
		if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
			shift
		fi
		;;
	*)
		echo "$me: unexpected argument '$opt'" >&2
		usage
		;;
	esac
done
# a machine given as "virt,dumpdtb=..." keeps its other options only
machine=$(printf '%s' "$machine" | sed 's/,dumpdtb=[^,]*//')
case $machine in
virt | virt,*) ;;
*) echo "$me: warning: machine '$machine' is not QEMU virt" >&2 ;;
esac
[ -n "$sized" ] || echo "$me: note: no -smp/-m given: QEMU's defaults" \
	"(1 hart, 128 MiB); give the run the same ones" >&2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. QEMU's DT for this machine
if ! "$QEMU" -M "$machine,dumpdtb=$tmp/qemu.dtb" "${shape[@]}" \
	-nographic >"$tmp/qemu.log" 2>&1 || [ ! -s "$tmp/qemu.dtb" ]; then
	cat "$tmp/qemu.log" >&2
	echo "$me: $QEMU could not dump its device tree" >&2
	exit 1
fi
"$DTC" -q -I dtb -O dts -o "$tmp/qemu.dts" "$tmp/qemu.dtb"

# 2. the fragment after it; a line marker keeps dtc's messages pointing at
# CONFIG.dts and its line numbers (its /dts-v1/ line is blanked, not removed)
{
	cat "$tmp/qemu.dts"
	printf '\n# 1 "%s"\n' "$cfg"
	sed 's|^[[:space:]]*/dts-v1/[[:space:]]*;[[:space:]]*$||' "$cfg"
} >"$tmp/merged.dts"

# 3. compile. Warnings our binding's defaults would cause are off; those
# about QEMU's part (decompiled: phandles are plain numbers) are dropped.
rc=0
"$DTC" -I dts -O dtb -i "$(dirname "$cfg")" \
	-W no-unit_address_vs_reg -W no-avoid_default_addr_size \
	-W no-reg_format -o "$tmp/out.dtb" "$tmp/merged.dts" \
	2>"$tmp/dtc.log" || rc=$?
grep -v "^$tmp/merged.dts:.*Warning" "$tmp/dtc.log" >&2 || true
[ "$rc" -eq 0 ] || { echo "$me: dtc failed on $cfg" >&2; exit 1; }

# 4. explicit cells in guest nodes, and the list of modules to load
guests=()
for n in $(fdtget -l "$tmp/out.dtb" /chosen 2>/dev/null); do
	compat=$(fdtget "$tmp/out.dtb" "/chosen/$n" compatible 2>/dev/null) ||
		continue
	case " $compat " in
	*" sbivisor,guest "*) ;;
	*) continue ;;
	esac
	guests+=("$n")
	for c in '#address-cells' '#size-cells'; do
		fdtget "$tmp/out.dtb" "/chosen/$n" "$c" >/dev/null 2>&1 ||
			fdtput -t u "$tmp/out.dtb" "/chosen/$n" "$c" 2
	done
done
mv "$tmp/out.dtb" "$out"

if [ ${#guests[@]} -eq 0 ]; then
	echo "$me: $out: no guest node (compatible = \"sbivisor,guest\")" \
		"in /chosen: the hypervisor makes its default guest" >&2
	exit 0
fi
echo "$me: $out: guests ${guests[*]}"
for n in "${guests[@]}"; do
	ac=$(fdtget "$out" "/chosen/$n" '#address-cells')
	sc=$(fdtget "$out" "/chosen/$n" '#size-cells')
	for m in $(fdtget -l "$out" "/chosen/$n"); do
		compat=$(fdtget "$out" "/chosen/$n/$m" compatible 2>/dev/null) ||
			continue
		case " $compat " in
		*" multiboot,"*) ;;
		*) continue ;;
		esac
		read -r -a w <<<"$(fdtget -t x "$out" "/chosen/$n/$m" reg \
			2>/dev/null || true)"
		if [ ${#w[@]} -ne $((ac + sc)) ] || [ "$ac" -gt 2 ] ||
			[ "$sc" -gt 2 ]; then
			echo "$me: /chosen/$n/$m: bad reg" >&2
			continue
		fi
		addr=$((0x${w[0]}))
		[ "$ac" -eq 2 ] && addr=$((addr << 32 | 0x${w[1]}))
		size=$((0x${w[ac]}))
		[ "$sc" -eq 2 ] && size=$((size << 32 | 0x${w[ac + 1]}))
		printf '%s:   /chosen/%s/%s: -device loader,file=FILE,addr=0x%x,force-raw=on (FILE up to 0x%x bytes)\n' \
			"$me" "$n" "$m" "$addr" "$size"
	done
done
