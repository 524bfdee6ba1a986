#!/usr/bin/env sh
# Seed 001's FCN example: a 1248x384 image reaches 39x12; which transposed convolution
# brings it back to pool4's 78x24? Exit status 1 when the size cannot be reached.
set -e
convshape conv-transpose2d --i 39,12 --k 4 --s 2 --p same -f tf --o 78,24
convshape conv-transpose2d --i 39,12 --k 4 --s 2 --p 1 --o 78,24 --json
