/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the ACPI tables' bytes, read back the way an OS's table
 * parser reads them: the RSDP found by signature with its 20-byte checksum,
 * tables through the RSDT's pointers, each checksummed over its length, the
 * FADT's fields at their ACPI 1.0b offsets, and the DSDT's AML walked by
 * its package lengths (ACPI 1.0b section 16.2.4) down to the \_S5 package
 * and the PCI root's _CRS resource descriptors (section 6.4).
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "common/bits.h"
#include "devices/acpi_pm.h"
#include "devices/acpi_tables.h"

#define BASE ACPI_TABLES_PHYS

static uint8_t area[ACPI_TABLES_SIZE];

static uint8_t sum(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    for (size_t i = 0; i < n; i++)
        s = (uint8_t)(s + p[i]);
    return s;
}

/* A table by physical address, its signature and checksum verified. */
static const uint8_t *table(uint32_t phys, const char *sig)
{
    ck_assert_uint_ge(phys, BASE);
    ck_assert_uint_lt(phys, BASE + ACPI_TABLES_SIZE - 36);
    const uint8_t *t = area + (phys - BASE);
    ck_assert_msg(memcmp(t, sig, 4) == 0, "no %s at %#x", sig, phys);
    uint32_t len = load_le32(t + 4);
    ck_assert_uint_le(phys - BASE + len, ACPI_TABLES_SIZE);
    ck_assert_uint_eq(sum(t, len), 0);
    return t;
}

/* Decode a PkgLength at p; *hdr gets its own size. */
static uint32_t pkg_length(const uint8_t *p, int *hdr)
{
    int follow = p[0] >> 6;
    uint32_t len = follow ? p[0] & 0x0f : p[0] & 0x3f;
    for (int i = 0; i < follow; i++)
        len |= (uint32_t)p[1 + i] << (4 + 8 * i);
    *hdr = 1 + follow;
    return len;
}

static const uint8_t *find(const uint8_t *p, size_t n, const void *needle, size_t len)
{
    for (size_t i = 0; i + len <= n; i++)
        if (memcmp(p + i, needle, len) == 0)
            return p + i;
    return NULL;
}

START_TEST(test_rsdp_rsdt_fadt)
{
    size_t used = acpi_tables_build(area, BASE, &(struct acpi_tables_config){256u << 20});
    ck_assert_uint_le(used, ACPI_TABLES_SIZE);
    ck_assert_uint_eq(BASE % 16, 0);
    ck_assert(BASE >= 0xe0000 && BASE + ACPI_TABLES_SIZE <= 0x100000);
    /* RSDP: "RSD PTR ", revision 0, checksum over the first 20 bytes. */
    ck_assert(memcmp(area, "RSD PTR ", 8) == 0);
    ck_assert_uint_eq(area[15], 0);
    ck_assert_uint_eq(sum(area, 20), 0);
    const uint8_t *rsdt = table(load_le32(area + 16), "RSDT");
    ck_assert_uint_eq(load_le32(rsdt + 4), 36 + 4); /* one entry */
    const uint8_t *fadt = table(load_le32(rsdt + 36), "FACP");
    ck_assert_uint_eq(load_le32(fadt + 4), 116);
    ck_assert_uint_eq(fadt[8], 1);
    /* FACS: 64-byte aligned, 64 bytes long. */
    uint32_t facs = load_le32(fadt + 36);
    ck_assert_uint_eq(facs % 64, 0);
    ck_assert(memcmp(area + (facs - BASE), "FACS", 4) == 0);
    ck_assert_uint_eq(load_le32(area + (facs - BASE) + 4), 64);
    table(load_le32(fadt + 40), "DSDT");
    /* The PIIX4 block: SCI 9, no SMI command port, the register blocks. */
    ck_assert_uint_eq(load_le16(fadt + 46), 9);
    ck_assert_uint_eq(load_le32(fadt + 48), 0);
    ck_assert_uint_eq(load_le32(fadt + 56), 0xb000);
    ck_assert_uint_eq(load_le32(fadt + 64), 0xb004);
    ck_assert_uint_eq(load_le32(fadt + 76), 0xb008);
    ck_assert_uint_eq(load_le32(fadt + 80), 0xb00c);
    ck_assert_uint_eq(fadt[88], 4); /* PM1_EVT_LEN */
    ck_assert_uint_eq(fadt[89], 2); /* PM1_CNT_LEN */
    ck_assert_uint_eq(fadt[91], 4); /* PM_TMR_LEN */
    ck_assert_uint_eq(fadt[92], 4); /* GPE0_BLK_LEN */
    ck_assert_uint_eq(fadt[108], 0x32); /* CENTURY */
    /* A 24-bit timer: TMR_VAL_EXT (bit 8) clear. */
    ck_assert_uint_eq(load_le32(fadt + 112) & 0x100, 0);
    ck_assert_uint_eq(load_le32(fadt + 112) & 1, 1); /* WBINVD */
}
END_TEST

START_TEST(test_dsdt_aml)
{
    const uint32_t ram = 512u << 20;
    acpi_tables_build(area, BASE, &(struct acpi_tables_config){ram});
    const uint8_t *rsdt = table(load_le32(area + 16), "RSDT");
    const uint8_t *fadt = table(load_le32(rsdt + 36), "FACP");
    const uint8_t *dsdt = table(load_le32(fadt + 40), "DSDT");
    uint32_t len = load_le32(dsdt + 4);
    ck_assert_uint_eq(dsdt[8], 1); /* 32-bit integers */
    const uint8_t *aml = dsdt + 36, *end = dsdt + len;

    /* ScopeOp (10h) \_SB_ spanning up to the \_S5_ name. */
    ck_assert_uint_eq(aml[0], 0x10);
    int hdr;
    uint32_t scope = pkg_length(aml + 1, &hdr);
    const uint8_t *after_scope = aml + 1 + scope;
    ck_assert(memcmp(aml + 1 + hdr, "\\_SB_", 5) == 0);
    /* DeviceOp (5Bh 82h) PCI0 inside it, ending with the scope. */
    const uint8_t *dev = aml + 1 + hdr + 5;
    ck_assert_uint_eq(dev[0], 0x5b);
    ck_assert_uint_eq(dev[1], 0x82);
    uint32_t devlen = pkg_length(dev + 2, &hdr);
    ck_assert_ptr_eq(dev + 2 + devlen, after_scope);
    ck_assert(memcmp(dev + 2 + hdr, "PCI0", 4) == 0);
    const uint8_t *body = dev + 2 + hdr + 4;
    size_t blen = (size_t)(after_scope - body);
    /* _HID: EisaId ("PNP0A03") is the DWord 030AD041h. */
    const uint8_t hid[] = {0x08, '_', 'H', 'I', 'D', 0x0c, 0x41, 0xd0, 0x0a, 0x03};
    ck_assert_ptr_nonnull(find(body, blen, hid, sizeof(hid)));

    /* _CRS: NameOp _CRS BufferOp PkgLength BytePrefix size, descriptors. */
    const uint8_t *crs = find(body, blen, "_CRS", 4);
    ck_assert_ptr_nonnull(crs);
    ck_assert_uint_eq(crs[4], 0x11);
    uint32_t buflen = pkg_length(crs + 5, &hdr);
    ck_assert_ptr_eq(crs + 5 + buflen, after_scope);
    ck_assert_uint_eq(crs[5 + hdr], 0x0a);
    const uint8_t *res = crs + 5 + hdr + 2;
    const uint8_t *res_end = res + crs[5 + hdr + 1];
    ck_assert_ptr_eq(res_end, after_scope);
    int words = 0, dwords = 0, io = 0;
    bool bus_ok = false, hole_ok = false, vga_ok = false;
    const uint8_t *r = res;
    while (r < res_end && r[0] != 0x79) {
        if (r[0] == 0x88) { /* word address space: type, min at 8, max at 10 */
            ck_assert_uint_eq(load_le16(r + 1), 13);
            if (r[3] == 2)
                bus_ok = load_le16(r + 8) == 0 && load_le16(r + 10) == 0xff;
            words++;
            r += 16;
        } else if (r[0] == 0x87) { /* dword: min at 10, max at 14, length at 22 */
            ck_assert_uint_eq(load_le16(r + 1), 23);
            uint32_t min = load_le32(r + 10), max = load_le32(r + 14);
            ck_assert_uint_eq(load_le32(r + 22), max - min + 1);
            if (min == ram && max == 0xfebfffff)
                hole_ok = true;
            if (min == 0xa0000 && max == 0xbffff)
                vga_ok = true;
            dwords++;
            r += 26;
        } else if (r[0] == 0x47) { /* I/O port: CF8h, 8 ports */
            ck_assert_uint_eq(load_le16(r + 2), 0xcf8);
            ck_assert_uint_eq(r[7], 8);
            io++;
            r += 8;
        } else {
            ck_abort_msg("unexpected resource descriptor %#x", r[0]);
        }
    }
    ck_assert_ptr_eq(r + 2, res_end); /* the end tag closes the buffer */
    ck_assert_int_eq(words, 3);
    ck_assert_int_eq(dwords, 2);
    ck_assert_int_eq(io, 1);
    ck_assert(bus_ok && hole_ok && vga_ok);

    /* Name (\_S5_, Package (4) {0, 0, 0, 0}) closes the table. */
    const uint8_t s5[] = {0x08, '\\', '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0, 0, 0, 0};
    ck_assert_uint_eq((size_t)(end - after_scope), sizeof(s5));
    ck_assert(memcmp(after_scope, s5, sizeof(s5)) == 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_acpi_tables");
    TCase *tc = tcase_create("acpi_tables");
    tcase_add_test(tc, test_rsdp_rsdt_fadt);
    tcase_add_test(tc, test_dsdt_aml);
    suite_add_tcase(s, tc);
    return check_run(s);
}
