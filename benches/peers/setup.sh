#!/usr/bin/env bash
# A virtual environment of its own for the Python peers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${OP1_PEERS_VENV:-$here/../../target/peers-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip
  "$venv/bin/pip" install -q pandas openpyxl polars fastexcel xlsxwriter pyarrow
fi
echo "$venv"
