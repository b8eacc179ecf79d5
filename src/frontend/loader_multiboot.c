/* SPDX-License-Identifier: MIT */
/*
 * Multiboot v1 loading: the header search, ELF32 program headers or the
 * header's address fields, a module for -initrd, and the information
 * structure (memory sizes, memory map, command line, loader name). Every
 * copy is checked against guest RAM: a kernel image is untrusted input.
 * Spec: The Multiboot Specification 0.6.96, sections 3.1 (header),
 * 3.2 (machine state), 3.3 (boot information).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/bits.h"
#include "frontend/loader.h"

enum {
    MB_MAGIC = 0x1badb002,
    MB_LOADER_MAGIC = 0x2badb002,
    MB_SEARCH = 8192,
    MB_INFO = 0x10000,    /* struct multiboot_info */
    MB_MMAP = 0x10100,    /* memory map entries */
    MB_MODS = 0x10200,    /* module list */
    MB_NAME = 0x10300,    /* boot loader name */
    MB_CMDLINE = 0x20000, /* kernel command line */
    MB_GDT = 0x9000,
    MB_FLAG_AOUT_KLUDGE = 1 << 16,
};

/* Copy n bytes to guest physical 'at', or fail if they do not fit in RAM
 * above the first megabyte's loader area. */
static bool guest_copy(const struct loader_args *a, uint32_t at, const void *src, size_t n)
{
    if (at < 0x100000 || at > a->ram_size || n > a->ram_size - at)
        return false;
    if (src)
        memcpy(a->ram + at, src, n);
    else
        memset(a->ram + at, 0, n);
    return true;
}

static int load_elf(const struct loader_args *a, const uint8_t *img, size_t len, uint32_t *entry,
                    uint32_t *end, char *err, size_t errlen)
{
    if (len < 52 || memcmp(img, "\x7f" "ELF", 4) || img[4] != 1 || img[5] != 1 ||
        load_le16(img + 18) != 3) {
        snprintf(err, errlen, "'%s': Multiboot kernel is not a 32-bit x86 ELF file", a->kernel);
        return -1;
    }
    uint32_t phoff = load_le32(img + 28);
    uint16_t phentsize = load_le16(img + 42), phnum = load_le16(img + 44);
    if (phentsize < 32 || phoff > len || (size_t)phnum * phentsize > len - phoff) {
        snprintf(err, errlen, "'%s': bad ELF program headers", a->kernel);
        return -1;
    }
    *end = 0;
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *ph = img + phoff + (size_t)i * phentsize;
        if (load_le32(ph) != 1) /* PT_LOAD */
            continue;
        uint32_t off = load_le32(ph + 4), paddr = load_le32(ph + 12);
        uint32_t filesz = load_le32(ph + 16), memsz = load_le32(ph + 20);
        if (filesz > memsz || off > len || filesz > len - off ||
            !guest_copy(a, paddr, img + off, filesz) ||
            !guest_copy(a, paddr + filesz, NULL, memsz - filesz)) {
            snprintf(err, errlen, "'%s': ELF segment at %#x does not fit in guest memory",
                     a->kernel, paddr);
            return -1;
        }
        if (paddr + memsz > *end)
            *end = paddr + memsz;
    }
    *entry = load_le32(img + 24);
    return 0;
}

/* The a.out kludge: the header's own load addresses (flag bit 16). */
static int load_kludge(const struct loader_args *a, const uint8_t *img, size_t len,
                       const uint8_t *hdr, uint32_t *entry, uint32_t *end, char *err,
                       size_t errlen)
{
    uint32_t header_addr = load_le32(hdr + 12), load_addr = load_le32(hdr + 16);
    uint32_t load_end = load_le32(hdr + 20), bss_end = load_le32(hdr + 24);
    uint32_t hdr_off = (uint32_t)(hdr - img);
    if (header_addr < load_addr || header_addr - load_addr > hdr_off)
        goto bad;
    uint32_t file_off = hdr_off - (header_addr - load_addr);
    uint32_t size = load_end ? load_end - load_addr : (uint32_t)len - file_off;
    if (load_end && load_end < load_addr)
        goto bad;
    if (size > len - file_off || !guest_copy(a, load_addr, img + file_off, size))
        goto bad;
    *end = load_addr + size;
    if (bss_end) {
        if (bss_end < *end || !guest_copy(a, *end, NULL, bss_end - *end))
            goto bad;
        *end = bss_end;
    }
    *entry = load_le32(hdr + 28);
    return 0;
bad:
    snprintf(err, errlen, "'%s': Multiboot load addresses do not fit in guest memory", a->kernel);
    return -1;
}

static void mmap_entry(uint8_t *p, uint64_t base, uint64_t len, uint32_t type)
{
    store_le32(p, 20); /* size of the rest of the entry */
    store_le32(p + 4, (uint32_t)base);
    store_le32(p + 8, (uint32_t)(base >> 32));
    store_le32(p + 12, (uint32_t)len);
    store_le32(p + 16, (uint32_t)(len >> 32));
    store_le32(p + 20, type);
}

int loader_multiboot(struct cpu *c, const struct loader_args *a, const uint8_t *img, size_t len,
                     char *err, size_t errlen)
{
    const uint8_t *hdr = NULL;
    for (size_t off = 0; off + 12 <= len && off < MB_SEARCH; off += 4) {
        uint32_t magic = load_le32(img + off), flags = load_le32(img + off + 4);
        if (magic == MB_MAGIC && magic + flags + load_le32(img + off + 8) == 0) {
            hdr = img + off;
            break;
        }
    }
    if (!hdr)
        return 1;
    uint32_t flags = load_le32(hdr + 4), entry, end;
    if ((flags & MB_FLAG_AOUT_KLUDGE) && (size_t)(hdr - img) + 32 > len) {
        snprintf(err, errlen, "'%s': truncated Multiboot header", a->kernel);
        return -1;
    }
    int rc = (flags & MB_FLAG_AOUT_KLUDGE)
                 ? load_kludge(a, img, len, hdr, &entry, &end, err, errlen)
                 : load_elf(a, img, len, &entry, &end, err, errlen);
    if (rc)
        return rc;

    uint8_t *ram = a->ram;
    uint8_t *mbi = ram + MB_INFO;
    memset(mbi, 0, 0x400);
    uint32_t info_flags = 1u << 0 | 1u << 2 | 1u << 6 | 1u << 9;
    store_le32(mbi + 4, 639);                               /* mem_lower, KiB */
    store_le32(mbi + 8, (a->ram_size - 0x100000) >> 10);    /* mem_upper, KiB above 1 MiB */
    const char *cmd = a->cmdline ? a->cmdline : "";
    size_t cmd_len = strlen(cmd);
    if (cmd_len >= 0x10000) {
        snprintf(err, errlen, "kernel command line is longer than 64 KiB");
        return -1;
    }
    memcpy(ram + MB_CMDLINE, cmd, cmd_len + 1);
    store_le32(mbi + 16, MB_CMDLINE);
    mmap_entry(ram + MB_MMAP, 0, 0x9fc00, 1);
    mmap_entry(ram + MB_MMAP + 24, 0x9fc00, 0x400, 2);
    mmap_entry(ram + MB_MMAP + 48, 0xf0000, 0x10000, 2);
    mmap_entry(ram + MB_MMAP + 72, 0x100000, a->ram_size - 0x100000, 1);
    store_le32(mbi + 44, 96);
    store_le32(mbi + 48, MB_MMAP);
    strcpy((char *)ram + MB_NAME, "Kiln");
    store_le32(mbi + 64, MB_NAME);
    if (a->initrd) {
        size_t mlen;
        uint8_t *mod = loader_read_file(a->initrd, a->ram_size, &mlen, err, errlen);
        if (!mod)
            return -1;
        uint32_t at = (end + 0xfffu) & ~0xfffu;
        bool ok = at >= end && guest_copy(a, at, mod, mlen);
        free(mod);
        if (!ok) {
            snprintf(err, errlen, "module '%s' does not fit in guest memory", a->initrd);
            return -1;
        }
        uint8_t *m = ram + MB_MODS;
        store_le32(m, at);
        store_le32(m + 4, at + (uint32_t)mlen);
        store_le32(m + 8, MB_CMDLINE); /* the module's string: the command line */
        store_le32(m + 12, 0);
        info_flags |= 1u << 3;
        store_le32(mbi + 20, 1);
        store_le32(mbi + 24, MB_MODS);
    }
    store_le32(mbi, info_flags);
    loader_enter_flat32(c, ram, MB_GDT, entry);
    c->r[R_EAX] = MB_LOADER_MAGIC;
    c->r[R_EBX] = MB_INFO;
    return 0;
}
