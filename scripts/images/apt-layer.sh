#!/bin/sh
# Runs inside a base image's build container (scripts/build-images.sh mounts it, so it leaves no
# file in the image): installs Debian packages from bookworm, its updates and security suites,
# without recommends, docs, man pages or locales. The .deb files go to the mounted cache.
# Usage: apt-layer.sh MIRROR PACKAGE...
set -eu
mirror="$1"; shift
export DEBIAN_FRONTEND=noninteractive
cat >/etc/apt/sources.list <<LIST
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
LIST
echo 'APT::Install-Recommends "false";' >/etc/apt/apt.conf.d/90lean
printf 'path-exclude /usr/share/doc/*\npath-exclude /usr/share/man/*\npath-exclude /usr/share/locale/*\n' \
  >/etc/dpkg/dpkg.cfg.d/90lean
# Java's postinst links its man pages through update-alternatives, which needs the directory.
mkdir -p /usr/share/man/man1
apt-get update -qq
apt-get upgrade -y -qq >/dev/null
apt-get install -y -qq "$@" >/dev/null
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old /var/log/apt /var/log/dpkg.log
