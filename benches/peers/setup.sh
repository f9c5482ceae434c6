#!/usr/bin/env bash
# A virtual environment of its own for the Python peers. Prints its path on
# stdout (and nothing else); pip's chatter goes to stderr. An existing venv is
# topped up when the package list below changes (a stamp file records it).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${OP1_PEERS_VENV:-$here/../../target/peers-venv}"
packages="pandas openpyxl python-calamine polars fastexcel xlsxwriter pyarrow"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade pip >&2
fi
if [ "$(cat "$venv/.op1-peers" 2>/dev/null)" != "$packages" ]; then
  # shellcheck disable=SC2086
  "$venv/bin/pip" install -q $packages >&2
  echo "$packages" >"$venv/.op1-peers"
fi
echo "$venv"
