/* SPDX-License-Identifier: MIT */
/*
 * The Linux/x86 32-bit boot protocol: the protected-mode kernel of a
 * bzImage at 1 MiB, the initrd as high as the kernel allows, the command
 * line, and a zero page (struct boot_params) with the setup header and an
 * E820 map, entered in flat protected mode with ESI pointing at it.
 * Spec: Documentation/arch/x86/boot.rst ("32-bit boot protocol", header
 * fields) and zero-page.rst (boot_params offsets).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bits.h"
#include "frontend/loader.h"

enum {
    LINUX_PARAMS = 0x10000,  /* the zero page */
    LINUX_CMDLINE = 0x20000, /* up to 64 KiB of command line */
    LINUX_GDT = 0x9000,
    LINUX_SETUP_DATA = 0x11000, /* one setup_data record: the RNG seed */
    LINUX_KERNEL = 0x100000,
    HDR_MAGIC = 0x53726448, /* "HdrS" at 0x202 */
};

/* Offsets in the setup header and the zero page. */
enum {
    BP_ALT_MEM_K = 0x1e0,
    BP_E820_ENTRIES = 0x1e8,
    BP_SETUP_SECTS = 0x1f1,
    BP_VID_MODE = 0x1fa,
    BP_HEADER_LEN = 0x201, /* the jump at 0x200: 0x202 + this byte ends the header */
    BP_VERSION = 0x206,
    BP_TYPE_OF_LOADER = 0x210,
    BP_LOADFLAGS = 0x211,
    BP_CODE32_START = 0x214,
    BP_RAMDISK_IMAGE = 0x218,
    BP_RAMDISK_SIZE = 0x21c,
    BP_CMD_LINE_PTR = 0x228,
    BP_INITRD_ADDR_MAX = 0x22c,
    BP_CMDLINE_SIZE = 0x238,
    BP_SETUP_DATA = 0x250, /* 64-bit physical pointer, protocol 2.09 and later */
    BP_E820_TABLE = 0x2d0,
};

static void e820_add(uint8_t *bp, uint64_t base, uint64_t len, uint32_t type)
{
    uint8_t *e = bp + BP_E820_TABLE + 20 * bp[BP_E820_ENTRIES];
    store_le32(e, (uint32_t)base);
    store_le32(e + 4, (uint32_t)(base >> 32));
    store_le32(e + 8, (uint32_t)len);
    store_le32(e + 12, (uint32_t)(len >> 32));
    store_le32(e + 16, type);
    bp[BP_E820_ENTRIES]++;
}

int loader_linux(struct cpu *c, const struct loader_args *a, const uint8_t *img, size_t len,
                 char *err, size_t errlen)
{
    if (len < 0x400 || load_le32(img + 0x202) != HDR_MAGIC)
        return 1;
    uint16_t version = load_le16(img + BP_VERSION);
    if (version < 0x0202) {
        snprintf(err, errlen, "'%s': Linux boot protocol %u.%02u is too old (2.02 or later needed)",
                 a->kernel, version >> 8, version & 0xff);
        return -1;
    }
    if (!(img[BP_LOADFLAGS] & 1)) {
        snprintf(err, errlen, "'%s' is a zImage; only bzImage kernels are supported", a->kernel);
        return -1;
    }
    size_t setup = ((size_t)(img[BP_SETUP_SECTS] ? img[BP_SETUP_SECTS] : 4) + 1) * 512;
    if (setup >= len || a->ram_size < LINUX_KERNEL || len - setup > a->ram_size - LINUX_KERNEL) {
        snprintf(err, errlen, "'%s' does not fit in %u MiB of guest memory", a->kernel,
                 a->ram_size >> 20);
        return -1;
    }
    uint8_t *ram = a->ram;
    memcpy(ram + LINUX_KERNEL, img + setup, len - setup);
    uint32_t kernel_end = LINUX_KERNEL + (uint32_t)(len - setup);

    uint8_t *bp = ram + LINUX_PARAMS;
    memset(bp, 0, 0x1000);
    size_t hdr_end = 0x202 + img[BP_HEADER_LEN];
    memcpy(bp + BP_SETUP_SECTS, img + BP_SETUP_SECTS, hdr_end - BP_SETUP_SECTS);
    bp[BP_TYPE_OF_LOADER] = 0xff; /* an unregistered boot loader */
    store_le16(bp + BP_VID_MODE, 0xffff);

    const char *cmd = a->cmdline ? a->cmdline : "";
    size_t cmd_max = version >= 0x0206 ? load_le32(img + BP_CMDLINE_SIZE) : 255;
    if (cmd_max > 0xffff)
        cmd_max = 0xffff;
    size_t cmd_len = strlen(cmd);
    if (cmd_len > cmd_max) {
        snprintf(err, errlen, "kernel command line is %zu bytes; this kernel takes at most %zu",
                 cmd_len, cmd_max);
        return -1;
    }
    memcpy(ram + LINUX_CMDLINE, cmd, cmd_len + 1);
    store_le32(bp + BP_CMD_LINE_PTR, LINUX_CMDLINE);

    if (a->initrd) {
        size_t ilen;
        uint8_t *initrd = loader_read_file(a->initrd, a->ram_size, &ilen, err, errlen);
        if (!initrd)
            return -1;
        uint64_t top = version >= 0x0203 ? (uint64_t)load_le32(img + BP_INITRD_ADDR_MAX) + 1
                                         : 0x38000000u;
        if (top > a->ram_size)
            top = a->ram_size;
        uint64_t at = (top - ilen) & ~0xfffull;
        if (ilen > top || at < ((kernel_end + 0xfffu) & ~0xfffu)) {
            snprintf(err, errlen, "initrd '%s' (%zu bytes) does not fit below %#llx", a->initrd,
                     ilen, (unsigned long long)top);
            free(initrd);
            return -1;
        }
        memcpy(ram + at, initrd, ilen);
        free(initrd);
        store_le32(bp + BP_RAMDISK_IMAGE, (uint32_t)at);
        store_le32(bp + BP_RAMDISK_SIZE, (uint32_t)ilen);
    }

    /* An RNG seed as a SETUP_RNG_SEED record (type 9), so the kernel's random
     * pool is ready at once instead of waiting for interrupt entropy. */
    if (a->rng_seed && version >= 0x0209) {
        uint8_t *sd = ram + LINUX_SETUP_DATA;
        memset(sd, 0, 16);
        store_le32(sd + 8, 9);
        store_le32(sd + 12, 32);
        memcpy(sd + 16, a->rng_seed, 32);
        store_le32(bp + BP_SETUP_DATA, LINUX_SETUP_DATA);
    }

    /* The PC memory map: conventional memory, the EBDA and BIOS area, extended memory. */
    e820_add(bp, 0, 0x9fc00, 1);
    e820_add(bp, 0x9fc00, 0x400, 2);
    e820_add(bp, 0xe0000, 0x20000, 2); /* the ROM, with the ACPI tables */
    e820_add(bp, LINUX_KERNEL, a->ram_size - LINUX_KERNEL, 1);
    store_le32(bp + BP_ALT_MEM_K, (a->ram_size - LINUX_KERNEL) >> 10);

    loader_enter_flat32(c, ram, LINUX_GDT, load_le32(img + BP_CODE32_START));
    c->r[R_ESI] = LINUX_PARAMS;
    c->r[R_EBP] = c->r[R_EDI] = c->r[R_EBX] = 0;
    return 0;
}
