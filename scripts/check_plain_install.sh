#!/usr/bin/env bash
# The ordinary install, as a new user does it: a fresh venv made by the system
# python3, its own pip as shipped (never upgraded: pip 23.2 with Python 3.11
# silently drops extras such as lxml[html_clean] that newer pips resolve),
# `pip install .`, then one HTML report ingested with that venv's `tawthiq`.
# Fails when the package as declared in pyproject.toml cannot ingest HTML.
# pip's cache is used, so a second run takes seconds, not minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A copy of the project, so pip's in-tree build leaves no build/ or egg-info here.
mkdir "$work/project"
cp -a pyproject.toml README.md src "$work/project/"
find "$work/project" -name __pycache__ -prune -exec rm -rf {} +

"$PY" -m venv "$work/venv"
echo "$("$work/venv/bin/python" --version), $("$work/venv/bin/python" -m pip --version | cut -d' ' -f1-2) (as shipped)"
(cd "$work/project" && "$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check .)

export TAWTHIQ_DATABASE_URL="sqlite:///$work/plain.db" TAWTHIQ_DATA_DIR="$work/originals"
"$work/venv/bin/tawthiq" init >/dev/null
cp samples/03-qutayfah-checkpoint-arrests.html "$work/report.html"
if ! out=$("$work/venv/bin/tawthiq" ingest "$work/report.html" 2>&1); then
  echo "$out" >&2
  echo "plain install: ingesting an HTML report failed" >&2
  exit 1
fi
echo "$out" | tail -1
grep -q '^1 new' <<<"$out" || { echo "plain install: the HTML report was not stored: $out" >&2; exit 1; }
echo "plain install: OK"
