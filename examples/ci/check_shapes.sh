#!/usr/bin/env sh
# Shape-check the network specs of a repository, for CI or a git hook.
#
#   examples/ci/check_shapes.sh                 check examples/networks/*.toml and *.json
#   examples/ci/check_shapes.sh SPEC...         check these spec files
#   examples/ci/check_shapes.sh --demo          show a failing check (examples/ci/broken_unet.toml)
#
# Exit code: convshape check's own (0: every layer valid, every skip connection aligned, every
# `expect` held; 1: some spec breaks; 2: a spec is malformed), or 1 when a sweep assertion fails.
#
# Sweep assertions (optional): CONVSHAPE_SWEEP holds "SPEC AXIS SIZE..." groups separated by
# ";". Each SIZE must be accepted by the network (`convshape sweep --axis AXIS`); "!SIZE" must
# be rejected. AXIS is a spatial axis (0-based) or "all" for square inputs. Example:
#   CONVSHAPE_SWEEP="examples/networks/unet.toml all 256 512 !255" examples/ci/check_shapes.sh
# (unet.toml has four 2x2 poolings, so it needs a multiple of 16.)
#
# Environment: CONVSHAPE (default: convshape) and PYTHON (default: python3) name the commands.
set -u

CONVSHAPE=${CONVSHAPE:-convshape}
PYTHON=${PYTHON:-python3}
HERE=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" = "--demo" ]; then
    cd "$HERE/../.." || exit 2
    echo "\$ $CONVSHAPE check examples/ci/broken_unet.toml"
    $CONVSHAPE check examples/ci/broken_unet.toml
    code=$?
    echo "(exit code $code: a pipeline running this check fails here)"
    [ "$code" -eq 1 ] && exit 0  # the demo succeeds when the check fails as it should
    exit 1
fi

if [ "$#" -eq 0 ]; then
    # every spec under examples/networks/, from the repository root (two levels up)
    cd "$HERE/../.." || exit 2
    set -- examples/networks/*.toml
    for spec in examples/networks/*.json; do
        [ -e "$spec" ] && set -- "$@" "$spec"
    done
fi

$CONVSHAPE check "$@"
status=$?
[ "$status" -ne 0 ] && exit "$status"

# ---- sweep assertions: a size range a network must (or must not) accept
[ -z "${CONVSHAPE_SWEEP:-}" ] && exit 0
failed=0
IFS_SAVED=$IFS
IFS=';'
for group in $CONVSHAPE_SWEEP; do
    IFS=$IFS_SAVED
    # shellcheck disable=SC2086  # word splitting of the group is intended
    set -- $group
    [ "$#" -lt 3 ] && { echo "CONVSHAPE_SWEEP: need 'SPEC AXIS SIZE...', got '$group'" >&2; exit 2; }
    spec=$1 axis=$2
    shift 2
    if [ "$axis" = "all" ]; then
        json=$($CONVSHAPE sweep "$spec" --range 1..4096 --json)
    else
        json=$($CONVSHAPE sweep "$spec" --range 1..4096 --axis "$axis" --json)
    fi
    # exit 1 of sweep (no valid size) still prints its JSON: the sizes decide
    # {"range": [lo, hi], "valid": [{"start", "stop", "step"}, ...]}, stop inclusive
    if ! printf '%s' "$json" | "$PYTHON" -c '
import json, sys
result = json.load(sys.stdin)
if "valid" not in result:
    sys.exit("sweep failed: " + str(result.get("error", result)))
def accepted(n):
    return any(p["start"] <= n <= p["stop"] and (n - p["start"]) % p["step"] == 0 for p in result["valid"])
bad = []
for word in sys.argv[2:]:
    want = not word.startswith("!")
    n = int(word.lstrip("!"))
    if accepted(n) != want:
        bad.append(f"{n} is " + ("rejected" if want else "accepted"))
if bad:
    sys.exit(f"{sys.argv[1]}: " + "; ".join(bad))
print(f"{sys.argv[1]}: sweep ok for " + " ".join(sys.argv[2:]))
' "$spec (axis $axis)" "$@"; then
        failed=1
    fi
    IFS=';'
done
IFS=$IFS_SAVED
exit "$failed"
