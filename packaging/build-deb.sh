#!/usr/bin/env bash
# packaging/build-deb.sh ROOT VERSION OUTDIR
# Turns ROOT (a `make install-files DESTDIR=ROOT PREFIX=/usr` tree) into
# OUTDIR/commitbridge_VERSION_ARCH.deb with dpkg-deb. The Depends line comes from the programs'
# shared libraries (dpkg-shlibdeps, when dpkg-dev is installed), else from a list made that way on
# Debian bookworm.
set -euo pipefail
root="$1" version="$2" outdir="$3"

command -v dpkg-deb >/dev/null || { echo "build-deb.sh: dpkg-deb not found (it comes with dpkg)" >&2; exit 2; }
arch="$(dpkg --print-architecture)"

# Debian ships man pages compressed.
find "$root/usr/share/man" -type f -name '*.[1-9]' -exec gzip -9nf {} +

depends=""
if command -v dpkg-shlibdeps >/dev/null; then
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    mkdir -p "$work/debian"
    printf 'Source: commitbridge\n\nPackage: commitbridge\nArchitecture: any\n' > "$work/debian/control"
    programs=("$(cd "$root" && pwd)"/usr/bin/*)
    depends="$(cd "$work" && dpkg-shlibdeps -O "${programs[@]}" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
fi
if [ -z "$depends" ]; then
    depends="libc6 (>= 2.35), libgcc-s1 (>= 3.3.1), libgit2-1.5 (>= 1.5.0), libsqlite3-0 (>= 3.20.0), libstdc++6 (>= 12), zlib1g (>= 1:1.1.4)"
fi

mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: commitbridge
Version: $version
Architecture: $arch
Maintainer: commitbridge maintainers <commitbridge@users.noreply.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Section: vcs
Priority: optional
Description: post git commits that reference Pivotal Tracker stories to Tracker
 commitbridge reads git history through libgit2 and posts the commits whose messages
 reference Pivotal Tracker stories to a Tracker v5 API, exactly once: from git hooks,
 from CI, or by replaying a range. Includes commitbridge-commit-msg, the small program
 its commit-msg hook runs, and tracker-sim, a local simulator of the Tracker API.
CONTROL

deb="$outdir/commitbridge_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
dpkg-deb --field "$deb" Package Version Architecture Depends
