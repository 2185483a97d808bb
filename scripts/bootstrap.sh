#!/usr/bin/env bash
# Shared set-up for run.sh and test.sh: a virtual environment in .venv with the
# project installed (re-done when pyproject.toml changes), then the system
# libraries the installed Qt needs, found with ldd on Qt's own libraries and
# plugins (the xcb window plugin when a display is used), installed with
# apt-get when running as root, else printed as one apt-get line.
# Usage: scripts/bootstrap.sh [dev]
#   dev: also the tools the tests use (Xvfb, xdotool, ImageMagick, pdfsig), the
#        xcb plugin's libraries, so the real-window test runs, and the [ocr] extra,
#        so the intake tests read scans for real.
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"

PY="${PYTHON:-python3}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
fi
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)${extra:+-$extra}"
if [ ! -f "$stamp" ]; then
  if [ "$extra" = "dev" ]; then
    .venv/bin/python -m pip install -q -e ".[dev,ocr]"
  else
    .venv/bin/python -m pip install -q -e .
  fi
  touch "$stamp"
fi

# Debian package of a shared library (soname). Exceptions first; otherwise the
# Debian naming rule: lower-case name plus major version, with a hyphen when the
# name ends in a digit (libxcb-icccm.so.4 -> libxcb-icccm4,
# libxkbcommon-x11.so.0 -> libxkbcommon-x11-0).
package_of() {
  case "$1" in
    libglib-2.0.so.*|libgthread-2.0.so.*|libgobject-2.0.so.*|libgio-2.0.so.*) echo libglib2.0-0 ;;
    libGL.so.1) echo libgl1 ;;
    libGLX.so.0) echo libglx0 ;;
    libOpenGL.so.0) echo libopengl0 ;;
    libgssapi_krb5.so.2) echo libgssapi-krb5-2 ;;
    libz.so.1) echo zlib1g ;;
    libstdc++.so.6) echo libstdc++6 ;;
    libgcc_s.so.1) echo libgcc-s1 ;;
    *)
      local base="${1%%.so.*}" major="${1##*.so.}"
      major="${major%%.*}"
      base="$(echo "$base" | tr '[:upper:]' '[:lower:]')"
      case "$base" in *[0-9]) echo "$base-$major" ;; *) echo "$base$major" ;; esac
      ;;
  esac
}

# "not found" libraries of the given files, one soname per line.
missing_libs() {
  local f
  for f in "$@"; do
    [ -e "$f" ] && ldd "$f" 2>/dev/null | awk '/=> not found/ {print $1}'
  done | sort -u
}

qt_dir="$(ls -d .venv/lib/python3*/site-packages/PySide6/Qt 2>/dev/null | head -n1)"
if [ -z "$qt_dir" ]; then
  echo "PySide6 is not installed in .venv (pip install failed?)." >&2
  exit 1
fi
# Always: what every platform needs (widgets, PDF view, the offscreen plugin).
targets=("$qt_dir"/lib/libQt6Gui.so.6 "$qt_dir"/lib/libQt6Widgets.so.6
         "$qt_dir"/lib/libQt6Pdf.so.6 "$qt_dir"/plugins/platforms/libqoffscreen.so)
# A display: the xcb plugin and its X11 integration library.
platform="${QT_QPA_PLATFORM:-}"
if [ "$extra" = "dev" ] || { [ -n "${DISPLAY:-}" ] && { [ -z "$platform" ] || [ "${platform#xcb}" != "$platform" ]; }; }; then
  targets+=("$qt_dir"/plugins/platforms/libqxcb.so "$qt_dir"/lib/libQt6XcbQpa.so*)
fi

need_apt=()
while read -r soname; do
  [ -n "$soname" ] && need_apt+=("$(package_of "$soname")")
done < <(missing_libs "${targets[@]}")
if [ "$extra" = "dev" ]; then
  command -v pdfsig >/dev/null 2>&1 || need_apt+=(poppler-utils)
  command -v Xvfb >/dev/null 2>&1 || need_apt+=(xvfb)
  command -v xdotool >/dev/null 2>&1 || need_apt+=(xdotool)
  command -v import >/dev/null 2>&1 || need_apt+=(imagemagick)
  command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || need_apt+=(pgbouncer)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  mapfile -t need_apt < <(printf '%s\n' "${need_apt[@]}" | sort -u)
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${need_apt[@]}" >/dev/null
    still="$(missing_libs "${targets[@]}")"
    if [ -n "$still" ]; then
      echo "Qt still misses these libraries after installing: $still" >&2
      exit 1
    fi
  else
    echo "Qt needs system packages that are not installed. Please run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${need_apt[*]}" >&2
    exit 1
  fi
fi
