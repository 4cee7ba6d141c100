#!/bin/sh
# Bootstrap the build: make sure the build dependencies are present, then
# generate configure and run it with the arguments given.
set -e
cd "$(dirname "$0")"

DEB_PKGS="build-essential pkg-config autoconf automake libtool libyajl-dev libpcre2-dev check libxlsxwriter-dev"
RPM_PKGS="gcc make pkgconf-pkg-config autoconf automake libtool yajl-devel pcre2-devel check-devel libxlsxwriter-devel"
BREW_PKGS="pkg-config autoconf automake libtool yajl pcre2 check libxlsxwriter"

missing() {
	for t in autoreconf aclocal automake libtoolize pkg-config cc make; do
		command -v "$t" >/dev/null 2>&1 || return 0
	done
	for m in yajl libpcre2-8 check xlsxwriter; do
		pkg-config --exists "$m" 2>/dev/null || return 0
	done
	return 1
}

if missing; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo -n"
	if command -v apt-get >/dev/null 2>&1 && { [ -z "$sudo" ] || sudo -n true 2>/dev/null; }; then
		echo "autogen.sh: installing build dependencies with apt-get" >&2
		$sudo apt-get update -qq
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $DEB_PKGS >&2
	fi
	if missing; then
		cat >&2 <<MSG
autogen.sh: build dependencies are missing. Install them with one of:
  apt-get install $DEB_PKGS
  dnf install $RPM_PKGS
  brew install $BREW_PKGS
MSG
		exit 1
	fi
fi

mkdir -p m4 build-aux
autoreconf -fi
exec ./configure "$@"
