#!/usr/bin/env bash
# The container image's base, made from Debian's own packages without a Docker daemon or an image registry:
# debootstrap (minbase) with Debian's OpenJDK 17 JRE, its CA certificates and the time-zone data, cleaned of
# package caches and docs, a user of its own (uid 10001, not root), saved in `docker save` format. Jib builds
# the service's image on it (`tar://`, see pom.xml), and `ContainerImageIT` starts what Jib made.
#
#   src/container/base-image.sh target/container/base-image.tar
#
# Needs root (debootstrap installs into a chroot) and Debian's debootstrap; .ci/run installs it. An existing
# tar is kept: delete it to make a new base (a new Debian point release, security updates).
set -euo pipefail
out=${1:?usage: base-image.sh OUT.tar}
suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
if [ -s "$out" ]; then
  echo "base image $out exists; delete it to build a new one"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "base-image.sh: debootstrap needs root (run as root, or build with -Dcontainer.skip=true)" >&2
  exit 2
fi
if ! command -v debootstrap >/dev/null; then
  echo "base-image.sh: Debian's debootstrap is missing: apt-get install debootstrap (or -Dcontainer.skip=true)" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates,tzdata \
  "$suite" "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || { tail -30 "$work/debootstrap.log" >&2; exit 1; }
chroot "$root" /usr/sbin/groupadd --gid 10001 refunddesk
chroot "$root" /usr/sbin/useradd --no-create-home --uid 10001 --gid 10001 --home-dir /var/lib/refunddesk \
  --shell /usr/sbin/nologin refunddesk
# the working directory: the H2 file of the demo profile, disk evidence and calendars unless mounted elsewhere
install -d -o 10001 -g 10001 "$root/var/lib/refunddesk"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
  "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/*.log "$root"/var/cache/debconf/*-old
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'zh_CN' ! -name 'locale.alias' -exec rm -rf {} +
# the mount points a runtime provides, empty in the image
rm -rf "${root:?}"/proc/* "${root:?}"/sys/* "${root:?}"/dev/* "${root:?}"/run/* "${root:?}"/tmp/*

image=$work/image
mkdir -p "$image"
tar --numeric-owner --sort=name --mtime='@0' -C "$root" -cf "$image/layer.tar" .
layer_sha=$(sha256sum "$image/layer.tar" | cut -d' ' -f1)
debian_version=$(cat "$root/etc/debian_version")
cat >"$image/config.json" <<JSON
{"architecture":"amd64","os":"linux",
 "config":{"User":"10001:10001","WorkingDir":"/var/lib/refunddesk",
   "Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
          "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64","LANG=C.UTF-8","TZ=Asia/Shanghai"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$layer_sha"]},
 "history":[{"created":"1970-01-01T00:00:00Z",
   "created_by":"src/container/base-image.sh: debootstrap --variant=minbase $suite ($debian_version) + openjdk-17-jre-headless"}]}
JSON
config_sha=$(sha256sum "$image/config.json" | cut -d' ' -f1)
mv "$image/config.json" "$image/$config_sha.json"
printf '[{"Config":"%s.json","RepoTags":["refund-dispute-base:%s"],"Layers":["layer.tar"]}]\n' \
  "$config_sha" "$suite" >"$image/manifest.json"
mkdir -p "$(dirname "$out")"
tar -C "$image" -cf "$out.partial" manifest.json "$config_sha.json" layer.tar
mv "$out.partial" "$out"
echo "base image $out: Debian $debian_version, $(du -h "$out" | cut -f1)"
