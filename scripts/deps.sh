#!/usr/bin/env bash
# Install everything sbivisor needs on Debian 12 and bring OpenSBI 1.6's
# source tarball from Debian's source archive (docs/testing.md).
# Idempotent: a second run only checks.
set -euo pipefail

PKGS="gcc-riscv64-linux-gnu binutils-riscv64-linux-gnu libc6-dev-riscv64-cross
qemu-system-misc device-tree-compiler libfdt-dev libcmocka-dev
python3-pytest python3-pexpect make gcc pkg-config bc bison flex
libssl-dev libelf-dev cpio xz-utils u-boot-qemu linux-source-6.1
dpkg-dev clang-format clang libclang-rt-14-dev"

OPENSBI_VER=1.6
OPENSBI_SHA256=d11702103f177a2914e94eec57ce5ed820296d874f6b6525c4482e55d71a3667
DEPS_DIR=${DEPS_DIR:-/var/cache/sbivisor}
SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo

missing=
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
		--no-install-recommends $missing
fi

# deb-src entries: trixie for OpenSBI's tarball, bookworm for busybox.
src_list=/etc/apt/sources.list.d/sbivisor-src.sources
if [ ! -f "$src_list" ]; then
	uris=$(grep -h '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null |
		head -n 1 | sed 's/^URIs:[[:space:]]*//')
	[ -n "$uris" ] || uris=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list)
	[ -n "$uris" ] || { echo "deps: cannot find a Debian mirror URI" >&2; exit 1; }
	$SUDO tee "$src_list" >/dev/null <<EOT
Types: deb-src
URIs: $uris
Suites: trixie bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
	$SUDO apt-get update -qq
fi

tarball=$DEPS_DIR/opensbi_$OPENSBI_VER.orig.tar.gz
srcdir=$DEPS_DIR/opensbi-$OPENSBI_VER
$SUDO mkdir -p "$DEPS_DIR"
if [ ! -f "$srcdir/.unpacked" ]; then
	if ! [ -f "$tarball" ] ||
	   ! echo "$OPENSBI_SHA256  $tarball" | sha256sum -c --quiet >/dev/null 2>&1; then
		uri=$(apt-get source --print-uris "opensbi=$OPENSBI_VER-1" 2>/dev/null |
			grep -o "'[^']*opensbi_$OPENSBI_VER.orig.tar.gz'" | tr -d "'" | head -n 1)
		[ -n "$uri" ] || { echo "deps: no URI for opensbi_$OPENSBI_VER.orig.tar.gz" >&2; exit 1; }
		echo "deps: downloading $uri"
		$SUDO /usr/lib/apt/apt-helper download-file "$uri" "$tarball" \
			"SHA256:$OPENSBI_SHA256"
	fi
	echo "$OPENSBI_SHA256  $tarball" | sha256sum -c --quiet
	$SUDO rm -rf "$srcdir" "$srcdir.tmp"
	$SUDO mkdir -p "$srcdir.tmp"
	$SUDO tar -xzf "$tarball" -C "$srcdir.tmp" --strip-components=1
	$SUDO touch "$srcdir.tmp/.unpacked"
	$SUDO mv "$srcdir.tmp" "$srcdir"
fi
# bookworm-backports, read through a private apt configuration that holds
# only that suite (docs/testing.md, "Two emulators"): the system's own
# sources, packages and QEMU 7.2 stay as they are; apt checks the packages
# against the archive's signed lists; dpkg -x unpacks them into the cache.
adir=$DEPS_DIR/apt-backports
aopt="-o Dir::Etc::SourceList=/dev/null
-o Dir::Etc::SourceParts=$adir/sources.list.d -o Dir::State::Lists=$adir/lists
-o Dir::Cache::archives=$adir/archives -o APT::Sandbox::User=root"
backports_ready=
backports() {
	[ -z "$backports_ready" ] || return 0
	$SUDO mkdir -p "$adir/sources.list.d" "$adir/lists/partial" \
		"$adir/archives/partial"
	uris=$(grep -h '^URIs:' /etc/apt/sources.list.d/debian.sources 2>/dev/null |
		head -n 1 | sed 's/^URIs:[[:space:]]*//')
	[ -n "$uris" ] || uris=$(awk '$1=="deb"{print $2; exit}' /etc/apt/sources.list)
	$SUDO tee "$adir/sources.list.d/backports.sources" >/dev/null <<EOT
Types: deb
URIs: $uris
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
	# shellcheck disable=SC2086
	$SUDO apt-get $aopt update -qq
	backports_ready=1
}
# backports_get DIR PACKAGE...: DIR/root holds the packages unpacked
backports_get() {
	local dir=$1 deb p
	shift
	backports
	# shellcheck disable=SC2086
	(cd "$adir/archives" && $SUDO apt-get $aopt download -qq "$@")
	$SUDO rm -rf "$dir.tmp"
	$SUDO mkdir -p "$dir.tmp/root"
	for p in "$@"; do
		for deb in "$adir/archives/${p}"_*.deb; do
			$SUDO dpkg -x "$deb" "$dir.tmp/root"
		done
	done
}

# QEMU 10, beside Debian's QEMU 7.2, which stays the system's
qdir=$DEPS_DIR/qemu10
qbin=$qdir/root/usr/bin/qemu-system-riscv64
if [ ! -x "$qdir/qemu-system-riscv64" ]; then
	echo "deps: downloading QEMU 10 from bookworm-backports"
	backports_get "$qdir" qemu-system-riscv qemu-system-data
	# what tests and users run: the binary with its own data files
	$SUDO tee "$qdir.tmp/qemu-system-riscv64" >/dev/null <<EOT
#!/bin/sh
# QEMU 10 with its own data files; no audio: the audio probe would load
# QEMU 7.2's modules (the only ones installed), which QEMU 10 refuses
exec "$qdir/root/usr/bin/qemu-system-riscv64" -L "$qdir/root/usr/share/qemu" \\
	-audio none "\$@"
EOT
	$SUDO chmod +x "$qdir.tmp/qemu-system-riscv64"
	$SUDO rm -rf "$qdir"
	$SUDO mv "$qdir.tmp" "$qdir"
fi

# Linux 6.12's source, the second guest kernel (tests/linux/build.sh)
ldir=$DEPS_DIR/linux-source-6.12
if ! ls "$ldir"/root/usr/src/linux-source-6.12.tar.xz >/dev/null 2>&1; then
	echo "deps: downloading linux-source-6.12 from bookworm-backports"
	backports_get "$ldir" linux-source-6.12
	$SUDO rm -rf "$ldir"
	$SUDO mv "$ldir.tmp" "$ldir"
	# only the tarball is used: not the package's docs, not the .deb
	$SUDO rm -rf "$ldir/root/usr/share" "$adir"/archives/linux-source-6.12_*.deb
fi
if ! qver=$("$qdir/qemu-system-riscv64" --version 2>&1 | head -n 1); then
	echo "deps: QEMU 10 does not run: $qver" >&2
	ldd "$qbin" | grep 'not found' >&2 || true
	exit 1
fi
echo "deps: ok (OpenSBI $OPENSBI_VER at $srcdir; $qver at $qdir;" \
	"Linux 6.12 source at $ldir)"
