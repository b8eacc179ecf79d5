/* SPDX-License-Identifier: MIT */
/*
 * PCI bus 0 (see pci.h): configuration mechanism #1, config writes through
 * per-byte write and write-one-to-clear masks, BAR sizing and decoding,
 * INTx routing through the PIIX3 PIRQ registers, the 82441FX and PIIX3
 * function 0 headers, and the PIIX3 reset control register at CF9h. Owns
 * struct pci; other functions' registers belong to their devices.
 * Follows PCI Local Bus 2.1 (3.2.2.3.2 mechanism #1, 6.2.5 BARs), the
 * 82441FX datasheet (3.2) and the 82371SB datasheet (2.2, 4.1.18).
 */
#include "devices/pci.h"

#include <string.h>

#include "common/bits.h"
#include "common/log.h"

#define CONFADD_ENABLE 0x80000000u
#define CONFADD_MASK   0x80fffffcu /* bits 30:24 and 1:0 are reserved, read 0 */

#define I440FX_PAM0   0x59
#define I440FX_SMRAM  0x72
#define PIIX3_PIRQRC  0x60
#define PIIX_RC_SRST  0x02 /* CF9h bit 1: hard reset (PCIRST#) rather than INIT */
#define PIIX_RC_RCPU  0x04 /* CF9h bit 2: a 0 -> 1 transition resets */
#define PIRQ_DISABLED 0x80

/* ---- config space of one function ---- */

void pci_device_init(struct pci_device *d, uint16_t vendor, uint16_t device, uint8_t revision,
                     uint32_t class_code, uint8_t header_type)
{
    memset(d, 0, sizeof(*d));
    store_le16(d->config + PCI_VENDOR_ID, vendor);
    store_le16(d->config + PCI_DEVICE_ID, device);
    d->config[PCI_REVISION] = revision;
    d->config[PCI_CLASS_PROG] = (uint8_t)class_code;
    d->config[PCI_CLASS_PROG + 1] = (uint8_t)(class_code >> 8);
    d->config[PCI_CLASS_PROG + 2] = (uint8_t)(class_code >> 16);
    d->config[PCI_HEADER_TYPE] = header_type;
    d->wmask[PCI_COMMAND] = PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
    d->wmask[PCI_CACHE_LINE] = 0xff;
    d->wmask[PCI_LATENCY] = 0xff;
    d->wmask[PCI_INTERRUPT_LINE] = 0xff;
    d->w1c[PCI_STATUS + 1] = 0xf9; /* status bits 15:11 and 8 (PCI 2.1, 6.2.3) */
    for (int i = 0; i < 6; i++)
        d->bar[i].mapped = PCI_BAR_UNMAPPED;
    d->devfn = -1;
}

void pci_device_set_bar(struct pci_device *d, int n, uint32_t size, bool io,
                        const struct io_ops *ops, void *opaque)
{
    if (n < 0 || n > 5)
        return;
    uint32_t min = io ? 4 : 16;
    if (size < min)
        size = min;
    /* Round a bad size up to a power of two: the mask must be contiguous. */
    while (size & (size - 1))
        size += size & -size;
    struct pci_bar *bar = &d->bar[n];
    *bar = (struct pci_bar){size, io, ops, opaque, PCI_BAR_UNMAPPED};
    /* I/O BARs keep bits 31:16 writable although only 16 bits are decoded.
     * The 82371SB datasheet hardwires BMIBA's to 0, but BIOSes that size a
     * BAR as ~value + 1 (SeaBIOS) then see a 4 GiB window; QEMU's PIIX
     * models 32-bit I/O BARs and Kiln follows it for compatibility. */
    uint32_t mask = ~(size - 1);
    uint8_t *cfg = d->config + PCI_BAR0 + 4 * n;
    store_le32(cfg, io ? 1 : 0); /* bit 0: I/O space; memory: 32-bit, not prefetchable */
    store_le32(d->wmask + PCI_BAR0 + 4 * n, mask);
}

/* The base BAR n decodes now, or PCI_BAR_UNMAPPED: enabled in the command
 * register, assigned (non-zero) and inside its address space. */
static uint32_t bar_decoded(const struct pci_device *d, int n)
{
    const struct pci_bar *bar = &d->bar[n];
    if (!bar->size)
        return PCI_BAR_UNMAPPED;
    uint16_t cmd = load_le16(d->config + PCI_COMMAND);
    uint32_t v = load_le32(d->config + PCI_BAR0 + 4 * n);
    if (bar->io) {
        uint32_t base = v & 0xfffcu;
        if (!(cmd & PCI_COMMAND_IO) || !base || base + bar->size > 0x10000)
            return PCI_BAR_UNMAPPED;
        return base;
    }
    uint32_t base = v & ~0xfu;
    if (!(cmd & PCI_COMMAND_MEMORY) || !base || (uint64_t)base + bar->size > 0x100000000ull)
        return PCI_BAR_UNMAPPED;
    return base;
}

/* ---- windows: bus ranges that forward to the BAR decoding there ---- */

static struct pci_bar *bar_at(struct pci *p, bool io, uint32_t a, uint32_t *off)
{
    for (int i = 0; i < p->n_list; i++) {
        struct pci_device *d = p->list[i];
        for (int n = 0; n < 6; n++) {
            struct pci_bar *bar = &d->bar[n];
            if (bar->ops && bar->io == io && bar->mapped != PCI_BAR_UNMAPPED &&
                a - bar->mapped < bar->size) {
                *off = a - bar->mapped;
                return bar;
            }
        }
    }
    return NULL;
}

static uint32_t space_read(struct pci *p, bool io, uint32_t a, int size)
{
    uint32_t off;
    struct pci_bar *bar = bar_at(p, io, a, &off);
    if (bar && off + (uint32_t)size <= bar->size)
        return bar->ops->read ? bar->ops->read(bar->opaque, off, size) : size_mask(size);
    if (size > 1) {
        uint32_t v = 0;
        for (int i = 0; i < size; i++)
            v |= space_read(p, io, a + (uint32_t)i, 1) << (8 * i);
        return v;
    }
    /* Nothing decodes here any more: the access falls through as if unclaimed. */
    if (!io && a < bus_ram_size(p->bus))
        return bus_ram(p->bus)[a];
    return 0xff;
}

static void space_write(struct pci *p, bool io, uint32_t a, int size, uint32_t val)
{
    uint32_t off;
    struct pci_bar *bar = bar_at(p, io, a, &off);
    if (bar && off + (uint32_t)size <= bar->size) {
        if (bar->ops->write)
            bar->ops->write(bar->opaque, off, size, val);
        return;
    }
    if (size > 1) {
        for (int i = 0; i < size; i++)
            space_write(p, io, a + (uint32_t)i, 1, val >> (8 * i));
        return;
    }
    if (!io && a < bus_ram_size(p->bus)) {
        bus_ram(p->bus)[a] = (uint8_t)val;
        bus_ram_written(p->bus, a, 1);
    }
}

static uint32_t window_read(void *opaque, uint32_t addr, int size)
{
    struct pci_window *w = opaque;
    return space_read(w->pci, w->io, w->base + addr, size);
}

static void window_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct pci_window *w = opaque;
    space_write(w->pci, w->io, w->base + addr, size, val);
}

static const struct io_ops window_ops = {window_read, window_write};

static const struct pci_window *window_at(const struct pci *p, bool io, uint64_t a)
{
    for (int i = 0; i < p->n_win; i++) {
        const struct pci_window *w = &p->win[i];
        if (w->io == io && a >= w->base && a < (uint64_t)w->base + w->size)
            return w;
    }
    return NULL;
}

static void window_add(struct pci *p, bool io, uint32_t base, uint32_t size)
{
    if (p->n_win == PCI_MAX_WINDOWS) {
        log_msg(LOG_STUB, "pci", "no window left for a BAR at %s %08x", io ? "port" : "address",
                base);
        return;
    }
    struct pci_window *w = &p->win[p->n_win];
    *w = (struct pci_window){p, base, size, io};
    bool ok = io ? bus_map_io(p->bus, (uint16_t)base, size, &window_ops, w)
                 : bus_map_mmio(p->bus, base, size, &window_ops, w);
    if (ok)
        p->n_win++;
    else
        log_msg(LOG_GUEST, "pci", "BAR at %s %08x+%x overlaps a non-PCI device; not decoded",
                io ? "port" : "address", base, size);
}

/* Make sure windows cover [base, base + size), adding them in the gaps. */
static void window_cover(struct pci *p, bool io, uint32_t base, uint32_t size)
{
    uint64_t a = base, end = (uint64_t)base + size;
    while (a < end) {
        const struct pci_window *w = window_at(p, io, a);
        if (w) {
            a = (uint64_t)w->base + w->size;
            continue;
        }
        uint64_t gap_end = end;
        for (int i = 0; i < p->n_win; i++)
            if (p->win[i].io == io && p->win[i].base > a && p->win[i].base < gap_end)
                gap_end = p->win[i].base;
        window_add(p, io, (uint32_t)a, (uint32_t)(gap_end - a));
        a = gap_end;
    }
}

static void update_bars(struct pci_device *d)
{
    for (int n = 0; n < 6; n++) {
        struct pci_bar *bar = &d->bar[n];
        uint32_t base = d->pci ? bar_decoded(d, n) : PCI_BAR_UNMAPPED;
        if (base == bar->mapped)
            continue;
        if (base != PCI_BAR_UNMAPPED && bar->ops)
            window_cover(d->pci, bar->io, base, bar->size);
        bar->mapped = base;
        if (d->bar_changed)
            d->bar_changed(d->opaque, n, base);
    }
}

/* ---- config cycles ---- */

static uint32_t device_read(const struct pci_device *d, unsigned off, int size)
{
    uint32_t v = 0;
    for (int i = 0; i < size; i++) {
        unsigned o = off + (unsigned)i;
        v |= (uint32_t)(o < 256 ? d->config[o] : 0xff) << (8 * i);
    }
    return v;
}

static void device_write(struct pci_device *d, unsigned off, int size, uint32_t val)
{
    uint32_t old = 0;
    bool decode = false;
    if (off >= 256)
        return;
    if (off + (unsigned)size > 256)
        size = (int)(256 - off);
    for (int i = 0; i < size; i++) {
        unsigned o = off + (unsigned)i;
        uint8_t b = (uint8_t)(val >> (8 * i)), cur = d->config[o];
        old |= (uint32_t)cur << (8 * i);
        uint8_t nb = (uint8_t)((cur & ~d->wmask[o]) | (b & d->wmask[o]));
        d->config[o] = (uint8_t)(nb & ~(b & d->w1c[o]));
        if (o == PCI_COMMAND || (o >= PCI_BAR0 && o < PCI_BAR0 + 24))
            decode = true;
    }
    if (decode)
        update_bars(d);
    if (d->config_written)
        d->config_written(d->opaque, (uint8_t)off, size, old);
}

uint32_t pci_config_read(struct pci *p, int devfn, uint8_t off, int size)
{
    if (devfn < 0 || devfn > 255 || !p->slot[devfn])
        return size_mask(size); /* master abort: all-ones, vendor FFFFh */
    return device_read(p->slot[devfn], off, size);
}

void pci_config_write(struct pci *p, int devfn, uint8_t off, int size, uint32_t val)
{
    if (devfn >= 0 && devfn <= 255 && p->slot[devfn])
        device_write(p->slot[devfn], off, size, val);
}

/* CF8h-CFBh: CONFADD takes only whole dwords at CF8h (PCI 2.1, 3.2.2.3.2);
 * other accesses there are ordinary I/O, of which the PIIX3 claims CF9h. */
static uint32_t confadd_read(void *opaque, uint32_t addr, int size)
{
    struct pci *p = opaque;
    if (addr == 0 && size == 4)
        return p->config_address;
    uint32_t v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint32_t)(addr + (uint32_t)i == 1 ? p->rcr : 0xff) << (8 * i);
    return v;
}

static void confadd_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct pci *p = opaque;
    if (addr == 0 && size == 4) {
        p->config_address = val & CONFADD_MASK;
        return;
    }
    for (int i = 0; i < size; i++) {
        if (addr + (uint32_t)i != 1)
            continue;
        uint8_t v = (uint8_t)(val >> (8 * i));
        bool go = (v & PIIX_RC_RCPU) && !(p->rcr & PIIX_RC_RCPU);
        p->rcr = v & (PIIX_RC_SRST | PIIX_RC_RCPU);
        if (go) {
            p->rcr &= (uint8_t)~PIIX_RC_RCPU; /* the reset itself clears RCPU */
            if (p->host_ops.reset)
                p->host_ops.reset(p->host_ops.opaque, v & PIIX_RC_SRST);
        }
    }
}

static const struct io_ops confadd_ops = {confadd_read, confadd_write};

/* The function CONFADD selects for a CONFDATA access, or NULL (mechanism
 * disabled, another bus, or no function there: the cycle master-aborts). */
static struct pci_device *confdata_target(struct pci *p)
{
    uint32_t ca = p->config_address;
    if (!(ca & CONFADD_ENABLE) || ((ca >> 16) & 0xff) != 0)
        return NULL;
    return p->slot[(ca >> 8) & 0xff];
}

static uint32_t confdata_read(void *opaque, uint32_t addr, int size)
{
    struct pci *p = opaque;
    struct pci_device *d = confdata_target(p);
    if (!d)
        return size_mask(size);
    return device_read(d, (p->config_address & 0xfc) + addr, size);
}

static void confdata_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct pci *p = opaque;
    struct pci_device *d = confdata_target(p);
    if (d)
        device_write(d, (p->config_address & 0xfc) + addr, size, val);
}

static const struct io_ops confdata_ops = {confdata_read, confdata_write};

/* ---- INTx routing (PIIX3 PIRQRC[A:D], 82371SB 2.2.10) ---- */

static bool isa_irq_routable(unsigned irq)
{
    /* PIRQRC bits 3:0: IRQ 0-2, 8 and 13 are reserved values. */
    return irq >= 3 && irq <= 15 && irq != 8 && irq != 13;
}

static void update_irqs(struct pci *p)
{
    unsigned pirq = 0;
    for (int i = 0; i < p->n_list; i++) {
        const struct pci_device *d = p->list[i];
        unsigned pin = d->config[PCI_INTERRUPT_PIN];
        if (d->irq_level && pin >= 1 && pin <= 4)
            pirq |= 1u << (((unsigned)(d->devfn >> 3) + pin - 2) & 3);
    }
    uint16_t level = 0;
    for (unsigned i = 0; i < 4; i++) {
        uint8_t rc = p->isa.config[PIIX3_PIRQRC + i];
        if ((pirq & (1u << i)) && !(rc & PIRQ_DISABLED) && isa_irq_routable(rc & 0xfu))
            level |= (uint16_t)(1u << (rc & 0xfu));
    }
    uint16_t changed = level ^ p->isa_level;
    p->isa_level = level;
    for (int n = 0; n < 16; n++)
        if (changed & (1u << n))
            irq_set(&p->isa_irq[n], level & (1u << n));
}

void pci_set_irq(struct pci_device *d, bool level)
{
    if (d->irq_level == level)
        return;
    d->irq_level = level;
    if (d->pci)
        update_irqs(d->pci);
}

/* ---- 82441FX host bridge and PIIX3 function 0 ---- */

void pci_pam_region(int region, uint32_t *base, uint32_t *size)
{
    if (region <= 0 || region >= PCI_PAM_REGIONS) {
        *base = 0xf0000;
        *size = 0x10000;
        return;
    }
    *base = 0xc0000 + (uint32_t)(region - 1) * 0x4000;
    *size = 0x4000;
}

uint8_t pci_pam_attr(const struct pci *p, int region)
{
    if (region <= 0 || region >= PCI_PAM_REGIONS)
        return (p->host.config[I440FX_PAM0] >> 4) & 3;
    /* PAM1 low nibble: C0000-C3FFF, high nibble: C4000-C7FFF, and so on. */
    uint8_t pam = p->host.config[I440FX_PAM0 + 1 + (region - 1) / 2];
    return (uint8_t)(((region - 1) & 1 ? pam >> 4 : pam) & 3);
}

static void host_report(struct pci *p)
{
    for (int r = 0; r < PCI_PAM_REGIONS; r++) {
        uint8_t attr = pci_pam_attr(p, r);
        if (attr != p->pam_seen[r]) {
            p->pam_seen[r] = attr;
            if (p->host_ops.pam_changed)
                p->host_ops.pam_changed(p->host_ops.opaque, r, attr);
        }
    }
    uint8_t smram = p->host.config[I440FX_SMRAM];
    if (smram != p->smram_seen) {
        p->smram_seen = smram;
        if (p->host_ops.smram_changed)
            p->host_ops.smram_changed(p->host_ops.opaque, smram);
    }
}

static void host_written(void *opaque, uint8_t off, int size, uint32_t old)
{
    struct pci *p = opaque;
    if (off <= I440FX_SMRAM && off + size > I440FX_SMRAM) {
        /* 82441FX 3.2.17: once D_LCK is set, D_OPEN, D_LCK and G_SMRAME are
         * read-only until reset; setting D_LCK clears D_OPEN. */
        uint8_t prev = (uint8_t)(old >> (8 * (I440FX_SMRAM - off)));
        uint8_t *r = &p->host.config[I440FX_SMRAM];
        if (prev & PCI_SMRAM_D_LCK)
            *r = (uint8_t)((prev & ~PCI_SMRAM_D_CLS) | (*r & PCI_SMRAM_D_CLS));
        else if (*r & PCI_SMRAM_D_LCK)
            *r &= (uint8_t)~PCI_SMRAM_D_OPEN;
    }
    host_report(p);
}

static void isa_written(void *opaque, uint8_t off, int size, uint32_t old)
{
    struct pci *p = opaque;
    (void)old;
    for (int i = 0; i < size; i++) {
        unsigned o = off + (unsigned)i;
        if (o < PIIX3_PIRQRC || o >= PIIX3_PIRQRC + 4)
            continue;
        uint8_t rc = p->isa.config[o];
        if (!(rc & PIRQ_DISABLED) && !isa_irq_routable(rc & 0xfu))
            log_msg(LOG_GUEST, "pci", "PIRQ%c routed to reserved IRQ %u: not connected",
                    'A' + (int)(o - PIIX3_PIRQRC), rc & 0xfu);
    }
    update_irqs(p);
}

static void set_rw(struct pci_device *d, unsigned off, unsigned n, uint8_t mask)
{
    for (unsigned i = 0; i < n; i++)
        d->wmask[off + i] = mask;
}

static void host_setup(struct pci *p)
{
    struct pci_device *d = &p->host;
    pci_device_init(d, 0x8086, 0x1237, 0x02, 0x060000, 0x00);
    store_le16(d->config + PCI_COMMAND, 0x0006); /* MAE and BME are hardwired on */
    store_le16(d->config + PCI_STATUS, 0x0280);
    d->wmask[PCI_COMMAND] = 0x40;     /* PERRE */
    d->wmask[PCI_COMMAND + 1] = 0x01; /* SERRE */
    d->wmask[PCI_CACHE_LINE] = 0;
    d->wmask[PCI_LATENCY] = 0xf8;
    d->wmask[PCI_INTERRUPT_LINE] = 0;
    set_rw(d, 0x50, 9, 0xff);            /* PMCCFG, DETURBO, DBC, AXC, DRAMR, DRAMC, DRAMT */
    d->wmask[I440FX_PAM0] = 0x30;        /* PAM0 covers F0000-FFFFF only */
    set_rw(d, I440FX_PAM0 + 1, 6, 0x33); /* PAM1-6: RE/WE per 16 KiB half */
    memset(d->config + 0x60, 0x01, 8);   /* DRB0-7 */
    set_rw(d, 0x60, 9, 0xff);            /* DRB0-7, FDHC */
    d->config[0x70] = 0x20;              /* MTT */
    d->config[0x71] = 0x10;              /* CLT */
    set_rw(d, 0x70, 2, 0xff);
    d->config[I440FX_SMRAM] = 0x02;      /* C_BASE_SEG = 010b: A0000-BFFFF */
    d->wmask[I440FX_SMRAM] = PCI_SMRAM_D_OPEN | PCI_SMRAM_D_CLS | PCI_SMRAM_D_LCK |
                             PCI_SMRAM_G_SMRAME;
    d->wmask[0x90] = 0xff; /* ERRCMD */
    d->w1c[0x91] = 0xff;   /* ERRSTS */
    d->wmask[0x93] = 0xff; /* TRC */
    d->config_written = host_written;
    d->opaque = p;
}

static void isa_setup(struct pci *p)
{
    struct pci_device *d = &p->isa;
    pci_device_init(d, 0x8086, 0x7000, 0x00, 0x060100, 0x80); /* multi-function */
    store_le16(d->config + PCI_COMMAND, 0x0007);
    store_le16(d->config + PCI_STATUS, 0x0200);
    d->wmask[PCI_COMMAND] = 0x48; /* SCE, PERRE */
    d->wmask[PCI_COMMAND + 1] = 0x01;
    d->wmask[PCI_CACHE_LINE] = 0;
    d->wmask[PCI_LATENCY] = 0;
    d->wmask[PCI_INTERRUPT_LINE] = 0;
    d->config[0x4c] = 0x4d; /* IORT */
    d->config[0x4e] = 0x03; /* XBCS */
    set_rw(d, 0x4c, 1, 0xff);
    set_rw(d, 0x4e, 2, 0xff);
    memset(d->config + PIIX3_PIRQRC, PIRQ_DISABLED, 4);
    set_rw(d, PIIX3_PIRQRC, 4, 0x8f);
    d->config[0x69] = 0x02; /* TOM */
    set_rw(d, 0x69, 3, 0xff); /* TOM, MSTAT */
    d->config[0x70] = 0x80; /* MBIRQ0 */
    d->config[0x71] = 0x80; /* MBIRQ1 */
    set_rw(d, 0x70, 2, 0xff);
    d->config[0x76] = 0x04; /* MBDMA0-1 */
    d->config[0x77] = 0x04;
    d->config[0x78] = 0x02; /* PCSC */
    set_rw(d, 0x76, 4, 0xff);
    set_rw(d, 0x80, 1, 0xff); /* APICBASE */
    set_rw(d, 0x82, 1, 0xff); /* DLC */
    d->config[0xa0] = 0x08;   /* SMICNTL */
    d->config[0xa8] = 0x0f;   /* FTMR */
    set_rw(d, 0xa0, 16, 0xff); /* SMICNTL .. CTHTMR */
    d->config_written = isa_written;
    d->opaque = p;
}

bool pci_register(struct pci *p, struct pci_device *d, int devfn)
{
    if (devfn < 0 || devfn > 255 || p->slot[devfn] || p->n_list == PCI_MAX_DEVICES)
        return false;
    d->pci = p;
    d->devfn = devfn;
    memcpy(d->reset_config, d->config, sizeof(d->config));
    p->slot[devfn] = d;
    p->list[p->n_list++] = d;
    update_bars(d);
    return true;
}

bool pci_init(struct pci *p, struct bus *b, const struct irq_line isa_irq[16],
              struct pci_host_ops host_ops)
{
    memset(p, 0, sizeof(*p));
    p->bus = b;
    p->host_ops = host_ops;
    for (int i = 0; i < 16; i++)
        p->isa_irq[i] = isa_irq ? isa_irq[i] : (struct irq_line){0};
    host_setup(p);
    isa_setup(p);
    p->smram_seen = p->host.config[I440FX_SMRAM];
    if (!pci_register(p, &p->host, PCI_DEVFN(0, 0)) || !pci_register(p, &p->isa, PCI_DEVFN(1, 0)))
        return false;
    return bus_map_io(b, 0xcf8, 4, &confadd_ops, p) && bus_map_io(b, 0xcfc, 4, &confdata_ops, p);
}

void pci_reset(struct pci *p)
{
    p->config_address = 0;
    p->rcr = 0;
    for (int i = 0; i < p->n_list; i++) {
        struct pci_device *d = p->list[i];
        memcpy(d->config, d->reset_config, sizeof(d->config));
        update_bars(d);
    }
    update_irqs(p);
    host_report(p);
}

/* ---- machine snapshots ---- */

size_t pci_state_size(const struct pci *p)
{
    return PCI_STATE_HEAD + (size_t)p->n_list * PCI_STATE_FUNCTION;
}

void pci_state_save(const struct pci *p, uint8_t *out)
{
    store_le32(out, p->config_address);
    out[4] = p->rcr;
    store_le16(out + 5, p->isa_level);
    for (int i = 0; i < p->n_list; i++) {
        uint8_t *f = out + PCI_STATE_HEAD + (size_t)i * PCI_STATE_FUNCTION;
        f[0] = (uint8_t)p->list[i]->devfn;
        f[1] = p->list[i]->irq_level;
        memcpy(f + 2, p->list[i]->config, 256);
    }
}

bool pci_state_check(const struct pci *p, const uint8_t *in, size_t len)
{
    if (len != pci_state_size(p))
        return false;
    for (int i = 0; i < p->n_list; i++) {
        const uint8_t *f = in + PCI_STATE_HEAD + (size_t)i * PCI_STATE_FUNCTION;
        if (f[0] != p->list[i]->devfn || f[1] > 1)
            return false;
    }
    return true;
}

void pci_state_load(struct pci *p, const uint8_t *in)
{
    p->config_address = load_le32(in);
    p->rcr = in[4];
    /* The interrupt controller comes back with its inputs as they were, so
     * the routed levels count as driven already: update_irqs() below then
     * changes only lines the restored state disagrees with. */
    p->isa_level = load_le16(in + 5);
    for (int i = 0; i < p->n_list; i++) {
        const uint8_t *f = in + PCI_STATE_HEAD + (size_t)i * PCI_STATE_FUNCTION;
        p->list[i]->irq_level = f[1] != 0;
        memcpy(p->list[i]->config, f + 2, 256);
    }
    for (int i = 0; i < p->n_list; i++)
        update_bars(p->list[i]);
    update_irqs(p);
    host_report(p);
}
