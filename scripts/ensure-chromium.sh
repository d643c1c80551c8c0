#!/bin/sh
# The browser tests drive Debian's chromium package (browser downloads are impossible on these machines).
# Installs it when it is missing; does nothing when /usr/bin/chromium is there.
set -eu
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "chromium is missing: run 'apt-get update && apt-get install -y chromium' as root" >&2
  exit 1
fi
echo "installing Debian's chromium package for the browser tests (once)" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
