#!/bin/sh
# Assemble sbivisor.bin (docs/architecture.md "Memory and boot"): OpenSBI fw_dynamic.bin padded to
# the HS offset, the HS binary padded to the 2 MiB guest boundary, then an
# optional embedded guest kernel and initrd (the initrd 2 MiB aligned).
# usage: mkimage.sh OUT FW_BIN HS_OFFSET HS_BIN PAD [KERNEL [INITRD INITRD_OFF]]
set -eu
out=$1 fw=$2 hs_off=$3 hs=$4 pad=$5
kernel=${6:-} initrd=${7:-} initrd_off=${8:-0}
fw_size=$(stat -c %s "$fw")
hs_size=$(stat -c %s "$hs")
if [ "$fw_size" -gt $((hs_off)) ]; then
	echo "mkimage: $fw ($fw_size bytes) overlaps HS at $hs_off" >&2
	exit 1
fi
if [ $((hs_off + hs_size)) -gt $((pad)) ]; then
	echo "mkimage: HS binary does not fit below $pad" >&2
	exit 1
fi
tmp=$out.tmp
cp "$fw" "$tmp"
truncate -s $((hs_off)) "$tmp"
cat "$hs" >> "$tmp"
truncate -s $((pad)) "$tmp"
if [ -n "$kernel" ]; then
	cat "$kernel" >> "$tmp"
	if [ -n "$initrd" ]; then
		truncate -s $((pad + initrd_off)) "$tmp"
		cat "$initrd" >> "$tmp"
	fi
fi
mv "$tmp" "$out"
