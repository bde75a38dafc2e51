#!/usr/bin/env bash
# Build the Linux guest used by the system tests and `make run`: Linux 6.1
# from Debian's linux-source-6.1, or 6.12 from bookworm-backports'
# linux-source-6.12 (`make deps` unpacks it), each tinyconfig +
# guest.config + guest-<version>.config, and an initramfs with busybox
# (Debian's source, static) and our init script. Everything is cached
# outside the work tree, keyed by the inputs' hash, so the build happens
# once per machine. Prints nothing but errors and "linux: ..." progress;
# outputs $OUT/Image and $OUT/rootfs.cpio.gz.
# Usage: build.sh [--cached] [--version 6.1|6.12] [OUT]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
CACHE=${SBIVISOR_CACHE:-/var/cache/sbivisor}
CROSS=${CROSS_COMPILE:-riscv64-linux-gnu-}
# --cached: only copy what the cache already has; exit 2 if it lacks any
CACHED_ONLY=0
if [ "${1:-}" = --cached ]; then
	CACHED_ONLY=1
	shift
fi
VERSION=6.1
if [ "${1:-}" = --version ]; then
	VERSION=${2:?}
	shift 2
fi
case $VERSION in
6.1) KSRC_TAR=/usr/src/linux-source-6.1.tar.xz ;;
6.12) KSRC_TAR=$CACHE/linux-source-6.12/root/usr/src/linux-source-6.12.tar.xz ;;
*) echo "linux: no recipe for Linux $VERSION (6.1 or 6.12)" >&2; exit 1 ;;
esac
[ -f "$KSRC_TAR" ] || { echo "linux: $KSRC_TAR missing: run make deps" >&2
	exit 1; }
OUT=${1:-$here/../../build/linux}
JOBS=$(nproc)
frags=("$here/guest.config" "$here/guest-$VERSION.config")

# Bump a recipe version when the steps that make that part change.
KERNEL_RECIPE=1
BUSYBOX_RECIPE=1
ROOTFS_RECIPE=1
key=$( (sha256sum "$KSRC_TAR" | cut -c1-16; cat "${frags[@]}"
	echo "$KERNEL_RECIPE $CROSS") | sha256sum | cut -c1-16)
kdir=$CACHE/linux-$key
rkey=$( (cat "$here"/rootfs/*; echo "$ROOTFS_RECIPE $BUSYBOX_RECIPE $key") |
	sha256sum | cut -c1-16)
rdir=$CACHE/rootfs-$rkey
mkdir -p "$CACHE" "$OUT"
if [ $CACHED_ONLY = 1 ]; then
	[ -f "$kdir/Image" ] && [ -f "$rdir/rootfs.cpio.gz" ] || exit 2
fi

if [ ! -f "$kdir/Image" ]; then
	echo "linux: building Linux $VERSION (once per machine, a few minutes)"
	rm -rf "$kdir.tmp" && mkdir -p "$kdir.tmp"
	tar -xJf "$KSRC_TAR" -C "$kdir.tmp" --strip-components=1
	(
		cd "$kdir.tmp"
		make -s ARCH=riscv CROSS_COMPILE=$CROSS tinyconfig >/dev/null
		scripts/kconfig/merge_config.sh -m .config "${frags[@]}" \
			>/dev/null
		make -s ARCH=riscv CROSS_COMPILE=$CROSS olddefconfig >/dev/null
		# every fragment line must have survived the merge
		while IFS= read -r l; do
			case "$l" in CONFIG_*=n) grep -q "^# ${l%=n} is not set" .config ||
				{ echo "linux: config lost: $l" >&2; exit 1; } ;;
			CONFIG_*) grep -qx "$l" .config ||
				{ echo "linux: config lost: $l" >&2; exit 1; } ;;
			esac
		done < <(cat "${frags[@]}")
		make -s ARCH=riscv CROSS_COMPILE=$CROSS -j"$JOBS" Image \
			>/dev/null 2>build.log || { tail -30 build.log >&2; exit 1; }
	)
	mkdir -p "$kdir"
	cp "$kdir.tmp/arch/riscv/boot/Image" "$kdir.tmp/.config" "$kdir/"
	rm -rf "$kdir.tmp"
fi

busybox=$CACHE/busybox-static-riscv64-$BUSYBOX_RECIPE
if [ ! -x "$busybox" ]; then
	echo "linux: building busybox (static, riscv64) from Debian's source"
	bdir=$CACHE/busybox-src
	rm -rf "$bdir" && mkdir -p "$bdir"
	(cd "$bdir" && apt-get source -qq --download-only busybox/bookworm \
		>/dev/null 2>&1 && dpkg-source -x --no-check ./busybox_*.dsc src \
		>/dev/null)
	(
		cd "$bdir/src"
		cp debian/config/pkg/static .config
		# applets that need what a static cross build lacks
		sed -i -e 's/^CONFIG_PAM=y/# CONFIG_PAM is not set/' \
			-e 's/^CONFIG_SELINUX=y/# CONFIG_SELINUX is not set/' \
			-e 's/^CONFIG_FEATURE_SYSTEMD=y/# CONFIG_FEATURE_SYSTEMD is not set/' .config
		(yes "" || true) | make -s CROSS_COMPILE=$CROSS oldconfig \
			>/dev/null 2>&1
		make -s CROSS_COMPILE=$CROSS -j"$JOBS" busybox >build.log 2>&1 ||
			{ tail -30 build.log >&2; exit 1; }
	)
	cp "$bdir/src/busybox" "$busybox.tmp" && mv "$busybox.tmp" "$busybox"
	rm -rf "$bdir"
fi

if [ ! -f "$rdir/rootfs.cpio.gz" ]; then
	echo "linux: building the initramfs"
	rm -rf "$rdir.tmp" && mkdir -p "$rdir.tmp/root"
	r=$rdir.tmp/root
	mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc}
	cp "$busybox" "$r/bin/busybox"
	mkdir -p "$r/etc/init.d"
	ln -s ../bin/busybox "$r/sbin/init"
	ln -s busybox "$r/bin/sh"
	install -m 644 "$here/rootfs/inittab" "$r/etc/inittab"
	install -m 755 "$here/rootfs/rcS" "$r/etc/init.d/rcS"
	${CROSS}gcc -static -O2 -Wall -Werror -pthread -o "$r/bin/stress" \
		"$here/rootfs/stress.c"
	ln -s sbin/init "$r/init"
	(cd "$r" && find . | cpio -o -H newc --quiet | gzip -9) \
		> "$rdir.tmp/rootfs.cpio.gz"
	mkdir -p "$rdir"
	mv "$rdir.tmp/rootfs.cpio.gz" "$rdir/"
	rm -rf "$rdir.tmp"
fi
cp "$kdir/Image" "$OUT/Image"
cp "$rdir/rootfs.cpio.gz" "$OUT/rootfs.cpio.gz"
echo "linux: $OUT/Image, $OUT/rootfs.cpio.gz"
