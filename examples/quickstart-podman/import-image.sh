#!/usr/bin/env bash
# Builds the podman quickstart's image on this machine, without a registry: a root file system
# holding a static busybox (its sh and httpd) and a page in /www, tarred and imported.
#
#   examples/quickstart-podman/import-image.sh
#
# Needs podman and a static busybox (Debian/Ubuntu: apt-get install busybox-static). Does nothing
# if the image is already there.
set -euo pipefail

image=localhost/berth-quickstart-busybox:1.0

die() {
  printf 'import-image.sh: %s\n' "$*" >&2
  exit 1
}

command -v podman >/dev/null 2>&1 || die "podman is not installed"
if podman image exists "$image"; then
  echo "$image is already there."
  exit 0
fi
busybox=
for candidate in /bin/busybox /usr/bin/busybox; do
  if [ -x "$candidate" ]; then
    busybox=$candidate
    break
  fi
done
[ -n "$busybox" ] || die "no busybox: install a static one (apt-get install busybox-static)"
# The image holds nothing else, so busybox must not need a shared library.
if ldd "$busybox" >/dev/null 2>&1; then
  die "$busybox is linked dynamically: install busybox-static"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
mkdir -p "$rootfs/bin" "$rootfs/www" "$rootfs/tmp"
cp "$busybox" "$rootfs/bin/busybox"
for applet in sh httpd; do
  ln -s busybox "$rootfs/bin/$applet"
done
echo "hello from a Berth quickstart container" >"$rootfs/www/index.html"
tar -C "$rootfs" -cf "$work/rootfs.tar" .
podman import --quiet "$work/rootfs.tar" "$image" >/dev/null
echo "Imported $image."
