; SPDX-License-Identifier: MIT
; A blank 1.44 MB diskette image (for the BIOS self-test's diskette checks).
        times   1474560 db 0
