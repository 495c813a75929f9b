#!/usr/bin/env bash
# Print the path of a CPython of the given minor version (e.g. 3.10), found on PATH or through
# pyenv; otherwise say what to install and fail.
set -euo pipefail
want="$1"
for cand in "python$want" "$HOME/.pyenv/versions/$want"*/bin/python "/root/.pyenv/versions/$want"*/bin/python; do
  p=$(command -v "$cand" 2>/dev/null || true)
  [ -n "$p" ] || continue
  if "$p" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$want' else 1)" 2>/dev/null; then
    echo "$p"; exit 0
  fi
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for p in "$root"/versions/"$want".*/bin/python; do
    [ -x "$p" ] && { echo "$p"; exit 0; }
  done
fi
echo "error: Python $want was not found. Install it, for example: pyenv install $want.13" >&2
echo "       (Rasa 3.6 needs Python 3.10; the other services need Python 3.11.)" >&2
exit 1
