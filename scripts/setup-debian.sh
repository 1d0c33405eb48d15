#!/bin/sh
# Install the Debian 12 packages quality_escape builds and tests with, when missing.
# Idempotent: does nothing (and needs no network) when everything is present.
set -eu
PKGS="postgresql-15 postgresql-server-dev-15 postgresql-15-pgtap postgresql-15-cron pgtap postgresql-common make gcc"
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages:$missing; run 'make demo' or 'make test' as root, or install them with apt-get" >&2
    exit 1
fi
echo "setup: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# The packaged default cluster is not used: every run gets a throwaway cluster from pg_virtualenv.
mkdir -p /etc/postgresql-common
if [ ! -e /etc/postgresql-common/createcluster.conf ] || ! grep -q '^create_main_cluster' /etc/postgresql-common/createcluster.conf; then
    echo "create_main_cluster = false" >> /etc/postgresql-common/createcluster.conf
fi
apt-get install -y -qq --no-install-recommends $missing
