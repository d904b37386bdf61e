#!/usr/bin/env bash
# The project's C formatting, as the checked-in .clang-format says, with
# clang-format 14. Every .c and .h file of the project counts: not build/
# (where the third-party sources live) nor .git/.
#   tools/format.sh --check   one line "PASS lint/clang-format" or
#                             "FAIL lint/clang-format: ..." listing the files
#                             that differ and the fix; exit 1 if any (make lint)
#   tools/format.sh --fix     reformat them in place (make format)
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
mode=${1:-}
case "$mode" in
    --check | --fix) ;;
    *) echo "usage: tools/format.sh --check | --fix" >&2; exit 2 ;;
esac

cf=""
for c in clang-format-14 clang-format; do
    if command -v "$c" >/dev/null 2>&1 && "$c" --version | grep -q 'version 14\.'; then
        cf=$c
        break
    fi
done
if [ -z "$cf" ]; then
    echo "FAIL lint/clang-format: clang-format 14 is not installed (fix: apt-get install clang-format-14)"
    exit 1
fi

mapfile -t files < <(find . -path ./build -prune -o -path ./.git -prune -o \
    -type f \( -name '*.c' -o -name '*.h' \) -print | sed 's|^\./||' | LC_ALL=C sort)

if [ "$mode" = --fix ]; then
    "$cf" -i "${files[@]}"
    exit
fi

# --dry-run --Werror names each file that differs in "FILE:LINE:COL: error".
mapfile -t bad < <("$cf" --dry-run --Werror "${files[@]}" 2>&1 |
    sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: .*/\1/p' | LC_ALL=C sort -u)
if [ ${#bad[@]} -eq 0 ]; then
    echo "PASS lint/clang-format (${#files[@]} files)"
    exit 0
fi
echo "FAIL lint/clang-format: ${#bad[@]} of ${#files[@]} files are not formatted as .clang-format says:" \
    "${bad[*]}; fix: make format (clang-format-14 -i FILE...)"
printf '  not formatted: %s\n' "${bad[@]}"
echo "  fix: make format   (or: $cf -i FILE...; see the changes: $cf --dry-run FILE)"
exit 1
