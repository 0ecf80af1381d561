#!/usr/bin/env bash
# numpy_products.py through the CBLAS stack, with Debian's python3 and numpy (their
# _multiarray_umath links libblas.so.3; a pyenv python on PATH would bring its own).
#   numpy_remoted.sh SERVER REAL_LIB GUEST_DIR WORK SCRIPT
if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  echo "REMORA-SKIP: /usr/bin/python3 cannot import numpy (install python3-numpy; scripts/setup.sh does)"
  exit 0
fi
here=$(dirname "$0")
exec "$here/run_remoted.sh" "$1" "$2" "$3" "$4" -- /usr/bin/python3 "$5"
