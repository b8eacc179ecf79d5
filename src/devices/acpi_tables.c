/* SPDX-License-Identifier: MIT */
/*
 * The Kiln PC's ACPI tables (see acpi_tables.h), built byte by byte.
 * Layout inside the 4 KiB area: RSDP at 0, RSDT at 20h, FACS at 80h (it
 * must be 64-byte aligned), FADT at C0h, DSDT at 140h.
 *
 * The DSDT's AML, as ASL:
 *   Scope (\_SB) {
 *       Device (PCI0) {
 *           Name (_HID, EisaId ("PNP0A03"))
 *           Name (_ADR, Zero)
 *           Name (_CRS, ResourceTemplate () { bus 0-FF; I/O CF8-CFF;
 *               I/O 0-CF7 and D00-FFFF; memory A0000-BFFFF and the hole
 *               from the top of RAM to FEBFFFFF })
 *       }
 *   }
 *   Name (\_S5, Package (4) { Zero, Zero, Zero, Zero })
 * There is no _PRT: an OS then takes each PCI function's IRQ from its
 * interrupt-line register, which the BIOS fills from the PIIX3's routing.
 * Spec: ACPI 1.0b sections 5.2 (tables), 6.4 (resource descriptors),
 * 16 (AML encoding).
 */
#include "devices/acpi_tables.h"

#include <assert.h>
#include <string.h>

#include "common/bits.h"
#include "devices/acpi_pm.h"

enum {
    RSDP_AT = 0x00,
    RSDT_AT = 0x20,
    FACS_AT = 0x80,
    FADT_AT = 0xc0,
    DSDT_AT = 0x140,
    FACS_LEN = 64,
    PCI_HOLE_END = 0xfebfffff,
};

/* AML opcodes and prefixes used here. */
enum {
    AML_ZERO = 0x00,
    AML_NAME = 0x08,
    AML_BYTE = 0x0a,
    AML_DWORD = 0x0c,
    AML_SCOPE = 0x10,
    AML_BUFFER = 0x11,
    AML_PACKAGE = 0x12,
    AML_ROOT = 0x5c,
    AML_EXT = 0x5b,
    AML_DEVICE = 0x82, /* after AML_EXT */
};

/* ---- byte emitter ---- */

struct emit {
    uint8_t *p;
    size_t n;
};

static void bytes(struct emit *e, const void *src, size_t len)
{
    memcpy(e->p + e->n, src, len);
    e->n += len;
}

static void u8(struct emit *e, uint8_t v)
{
    e->p[e->n++] = v;
}

static void u16(struct emit *e, uint16_t v)
{
    store_le16(e->p + e->n, v);
    e->n += 2;
}

static void u32(struct emit *e, uint32_t v)
{
    store_le32(e->p + e->n, v);
    e->n += 4;
}

static uint8_t checksum(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    return (uint8_t)-sum;
}

/* The common table header; length and checksum are filled by table_end. */
static void table_begin(struct emit *e, const char sig[4], uint8_t revision)
{
    bytes(e, sig, 4);
    u32(e, 0);
    u8(e, revision);
    u8(e, 0);
    bytes(e, "KILN  ", 6);
    bytes(e, "KILN PC ", 8);
    u32(e, 1);        /* OEM revision */
    bytes(e, "KILN", 4); /* creator */
    u32(e, 1);
}

static void table_end(struct emit *e, size_t start)
{
    uint8_t *t = e->p + start;
    store_le32(t + 4, (uint32_t)(e->n - start));
    t[9] = checksum(t, e->n - start);
}

/* ---- AML ---- */

/* Open a package: PkgLength is written when it closes, shortest form. */
static size_t pkg_begin(struct emit *e)
{
    return e->n;
}

static void pkg_end(struct emit *e, size_t start)
{
    size_t body = e->n - start;
    size_t len = body + 1 < 0x40 ? body + 1 : body + 2; /* the encoding counts itself */
    size_t extra = len - body;
    memmove(e->p + start + extra, e->p + start, body);
    if (extra == 1) {
        e->p[start] = (uint8_t)len;
    } else {
        e->p[start] = (uint8_t)(0x40 | (len & 0x0f));
        e->p[start + 1] = (uint8_t)(len >> 4);
    }
    e->n += extra;
}

static void name(struct emit *e, const char seg[4])
{
    u8(e, AML_NAME);
    bytes(e, seg, 4);
}

/* The EISA ID "PNP0A03" compressed: three 5-bit letters, then hex digits. */
static uint32_t eisa_id(const char id[7])
{
    uint32_t letters = (uint32_t)((id[0] - '@') << 10 | (id[1] - '@') << 5 | (id[2] - '@'));
    uint32_t product = 0;
    for (int i = 3; i < 7; i++)
        product = product << 4 | (uint32_t)(id[i] <= '9' ? id[i] - '0' : id[i] - 'A' + 10);
    /* Stored big-endian: the bytes in order are letters hi, lo, product hi, lo. */
    return (letters >> 8) | (letters & 0xff) << 8 | (product >> 8) << 16 | (product & 0xff) << 24;
}

/* Word (16-bit) address space descriptor: a bus range or an I/O window. */
static void word_space(struct emit *e, uint8_t type, uint8_t type_flags, uint16_t min,
                       uint16_t max)
{
    u8(e, 0x88);
    u16(e, 13);
    u8(e, type);
    u8(e, 0x0c); /* producer, positive decode, minimum and maximum fixed */
    u8(e, type_flags);
    u16(e, 0);   /* granularity */
    u16(e, min);
    u16(e, max);
    u16(e, 0);   /* translation */
    u16(e, (uint16_t)(max - min + 1));
}

/* DWord (32-bit) memory window, read/write. */
static void dword_memory(struct emit *e, bool cacheable, uint32_t min, uint32_t max)
{
    u8(e, 0x87);
    u16(e, 23);
    u8(e, 0);    /* memory */
    u8(e, 0x0c);
    u8(e, cacheable ? 0x03 : 0x01);
    u32(e, 0);
    u32(e, min);
    u32(e, max);
    u32(e, 0);
    u32(e, max - min + 1);
}

static void pci_crs(struct emit *e, const struct acpi_tables_config *cfg)
{
    name(e, "_CRS");
    u8(e, AML_BUFFER);
    size_t pkg = pkg_begin(e);
    u8(e, AML_BYTE);
    size_t size_at = e->n;
    u8(e, 0);
    size_t start = e->n;
    word_space(e, 2, 0, 0x00, 0xff);                       /* bus numbers */
    const uint8_t cf8[] = {0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08};
    bytes(e, cf8, sizeof(cf8));                            /* consumed: CF8-CFF */
    word_space(e, 1, 0x03, 0x0000, 0x0cf7);                /* I/O windows, ISA and */
    word_space(e, 1, 0x03, 0x0d00, 0xffff);                /* non-ISA ranges */
    dword_memory(e, true, 0xa0000, 0xbffff);               /* VGA memory */
    dword_memory(e, false, cfg->ram_size, PCI_HOLE_END);   /* the PCI hole */
    u8(e, 0x79);                                           /* end tag, no checksum */
    u8(e, 0);
    e->p[size_at] = (uint8_t)(e->n - start);
    pkg_end(e, pkg);
}

static void dsdt(struct emit *e, const struct acpi_tables_config *cfg)
{
    size_t start = e->n;
    table_begin(e, "DSDT", 1); /* revision 1: 32-bit integers */
    u8(e, AML_SCOPE);
    size_t scope = pkg_begin(e);
    u8(e, AML_ROOT);
    bytes(e, "_SB_", 4);
    u8(e, AML_EXT);
    u8(e, AML_DEVICE);
    size_t dev = pkg_begin(e);
    bytes(e, "PCI0", 4);
    name(e, "_HID");
    u8(e, AML_DWORD);
    u32(e, eisa_id("PNP0A03"));
    name(e, "_ADR");
    u8(e, AML_ZERO);
    pci_crs(e, cfg);
    pkg_end(e, dev);
    pkg_end(e, scope);

    u8(e, AML_NAME);
    u8(e, AML_ROOT);
    bytes(e, "_S5_", 4);
    u8(e, AML_PACKAGE);
    size_t s5 = pkg_begin(e);
    u8(e, 4);
    for (int i = 0; i < 4; i++)
        u8(e, AML_ZERO); /* SLP_TYP 0: the PIIX4's soft off */
    pkg_end(e, s5);
    table_end(e, start);
}

/* ---- fixed tables ---- */

static void fadt(struct emit *e, uint32_t phys)
{
    size_t start = e->n;
    table_begin(e, "FACP", 1);
    u32(e, phys + FACS_AT);
    u32(e, phys + DSDT_AT);
    u8(e, 0);               /* INT_MODEL: dual 8259 */
    u8(e, 0);               /* reserved */
    u16(e, ACPI_PM_SCI_IRQ);
    u32(e, 0);              /* SMI_CMD: no SMM, always in ACPI mode */
    u8(e, 0);               /* ACPI_ENABLE */
    u8(e, 0);               /* ACPI_DISABLE */
    u8(e, 0);               /* S4BIOS_REQ */
    u8(e, 0);               /* reserved */
    u32(e, ACPI_PM_BASE + ACPI_PM1_STS); /* PM1a event block */
    u32(e, 0);
    u32(e, ACPI_PM_BASE + ACPI_PM1_CNT); /* PM1a control block */
    u32(e, 0);
    u32(e, 0);              /* PM2 control */
    u32(e, ACPI_PM_BASE + ACPI_PM_TMR);
    u32(e, ACPI_PM_BASE + ACPI_GPE0_STS);
    u32(e, 0);              /* GPE1 */
    u8(e, 4);               /* PM1_EVT_LEN */
    u8(e, 2);               /* PM1_CNT_LEN */
    u8(e, 0);               /* PM2_CNT_LEN */
    u8(e, 4);               /* PM_TMR_LEN */
    u8(e, 4);               /* GPE0_BLK_LEN */
    u8(e, 0);               /* GPE1_BLK_LEN */
    u8(e, 0);               /* GPE1_BASE */
    u8(e, 0);               /* reserved */
    u16(e, 101);            /* P_LVL2_LAT over 100: no C2 */
    u16(e, 1001);           /* P_LVL3_LAT over 1000: no C3 */
    u16(e, 0);              /* FLUSH_SIZE, FLUSH_STRIDE: WBINVD works */
    u16(e, 0);
    u8(e, 0);               /* DUTY_OFFSET, DUTY_WIDTH: no throttling */
    u8(e, 0);
    u8(e, 0);               /* DAY_ALRM, MON_ALRM: not supported */
    u8(e, 0);
    u8(e, 0x32);            /* CENTURY: the CMOS byte */
    u8(e, 0);               /* reserved (1.0) */
    u8(e, 0);
    u8(e, 0);
    /* WBINVD, C1 on all processors, no fixed power or sleep button, RTC wake
     * status not fixed; the timer is 24 bits (no TMR_VAL_EXT). */
    u32(e, 0x01 | 0x04 | 0x10 | 0x20 | 0x40);
    table_end(e, start);
}

static void facs(struct emit *e)
{
    bytes(e, "FACS", 4);
    u32(e, FACS_LEN);
    u32(e, 0); /* hardware signature */
    u32(e, 0); /* firmware waking vector */
    u32(e, 0); /* global lock */
    u32(e, 0); /* flags: no S4BIOS */
    memset(e->p + e->n, 0, FACS_LEN - 24);
    e->n += FACS_LEN - 24;
}

static void rsdt(struct emit *e, uint32_t phys)
{
    size_t start = e->n;
    table_begin(e, "RSDT", 1);
    u32(e, phys + FADT_AT);
    table_end(e, start);
}

static void rsdp(struct emit *e, uint32_t phys)
{
    size_t start = e->n;
    bytes(e, "RSD PTR ", 8);
    u8(e, 0);
    bytes(e, "KILN  ", 6);
    u8(e, 0); /* ACPI 1.0 */
    u32(e, phys + RSDT_AT);
    e->p[start + 8] = checksum(e->p + start, 20);
}

/* Move on to offset 'at' of the (zeroed) area; the layout above keeps
 * every table clear of the next. */
static void pad_to(struct emit *e, size_t at)
{
    assert(e->n <= at);
    e->n = at;
}

size_t acpi_tables_build(uint8_t *out, uint32_t phys, const struct acpi_tables_config *cfg)
{
    struct emit e = {out, 0};
    memset(out, 0, ACPI_TABLES_SIZE);
    rsdp(&e, phys);
    pad_to(&e, RSDT_AT);
    rsdt(&e, phys);
    pad_to(&e, FACS_AT);
    facs(&e);
    pad_to(&e, FADT_AT);
    fadt(&e, phys);
    pad_to(&e, DSDT_AT);
    dsdt(&e, cfg);
    return e.n;
}
