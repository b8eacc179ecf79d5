/* SPDX-License-Identifier: MIT */
/*
 * The IDE controller core (see ide.h): the PIIX3 function 1 config header,
 * the legacy command and control block ports, register semantics shared by
 * ATA and ATAPI devices (selection, HOB, nIEN, SRST, INTRQ), the data port
 * and the drive state machine's timer. Commands themselves live in
 * ide_ata.c and ide_atapi.c, DMA in ide_busmaster.c. Follows ATA/ATAPI-6
 * sections 5-7 and 9.x (protocols) and the 82371SB datasheet 2.3 (IDETIM).
 */
#include <stdlib.h>
#include <string.h>

#include "common/bits.h"
#include "common/log.h"
#include "devices/ide_internal.h"

#define PIIX3_IDETIM 0x40 /* primary at 40h, secondary at 42h; bit 15: decode enable */
#define IDETIM_IDE   0x80 /* bit 15, in the high byte */

static const uint16_t cmd_base[2] = {0x1f0, 0x170};
static const uint16_t ctl_base[2] = {0x3f6, 0x376};

bool ide_pci_master_enabled(const struct ide *ide)
{
    return ide->pci.config[PCI_COMMAND] & PCI_COMMAND_MASTER;
}

/* The legacy ports answer only with I/O space on and the channel's IDETIM.IDE set. */
static bool channel_decodes(const struct ide_channel *ch)
{
    const uint8_t *cfg = ch->ide->pci.config;
    return (cfg[PCI_COMMAND] & PCI_COMMAND_IO) &&
           (cfg[PIIX3_IDETIM + 2 * ch->index + 1] & IDETIM_IDE);
}

static bool channel_empty(const struct ide_channel *ch)
{
    return ch->drive[0].kind == IDE_NONE && ch->drive[1].kind == IDE_NONE;
}

/* ---- interrupts and the state machine ---- */

static void update_irq(struct ide_channel *ch)
{
    bool level = ch->drive[ch->cur].irq && !(ch->devctl & DC_NIEN);
    if (level == ch->irq_level)
        return;
    ch->irq_level = level;
    if (level)
        ch->bm_status |= BM_ST_INTR; /* IDEINTS follows the IRQ line's rising edge */
    irq_set(&ch->irq, level);
}

void ide_raise_irq(struct ide_drive *d)
{
    d->irq = true;
    update_irq(d->ch);
}

void ide_schedule(struct ide_drive *d, enum ide_event ev)
{
    struct clock *c = d->ch->ide->clock;
    d->phase = IDE_PH_BUSY;
    d->status = (uint8_t)(ST_BSY | (d->status & (ST_DRDY | ST_DSC)));
    d->event = ev;
    clock_timer_arm(c, &d->timer, clock_now(c) + IDE_DELAY_NS);
}

void ide_set_signature(struct ide_drive *d)
{
    d->nsect = 1;
    d->sect = 1;
    d->lcyl = d->kind == IDE_CDROM ? 0x14 : 0x00;
    d->hcyl = d->kind == IDE_CDROM ? 0xeb : 0x00;
}

void ide_complete(struct ide_drive *d)
{
    d->phase = IDE_PH_IDLE;
    d->status = ST_DRDY | ST_DSC;
    ide_raise_irq(d);
}

void ide_abort(struct ide_drive *d, uint8_t error)
{
    d->phase = IDE_PH_IDLE;
    d->error = error;
    d->status = ST_DRDY | ST_DSC | ST_ERR;
    ide_raise_irq(d);
}

void ide_start_pio_in(struct ide_drive *d, uint32_t len)
{
    d->pos = 0;
    d->end = len;
    d->phase = IDE_PH_PIO_IN;
    d->status = ST_DRDY | ST_DSC | ST_DRQ;
    ide_raise_irq(d);
}

bool ide_stream_fill(struct ide_drive *d)
{
    if (d->buf_pos < d->buf_len)
        return true;
    if (!d->from_medium)
        return false;
    uint32_t ss = ide_secsize(d);
    uint64_t n = (d->left + ss - 1) / ss;
    if (n > IDE_BUF_SIZE / ss)
        n = IDE_BUF_SIZE / ss;
    d->buf_pos = 0;
    d->buf_len = 0;
    if (!n || !d->bd || !blockdev_read(d->bd, d->lba * ss, d->buf, (size_t)(n * ss)))
        return false;
    d->lba += n;
    d->buf_len = (uint32_t)(n * ss);
    return true;
}

/* Power-on or SRST end: the ATA-6 9.12 signature, diagnostic code 01h (passed). */
static void drive_reset_done(struct ide_drive *d)
{
    ide_set_signature(d);
    d->select = 0; /* the signature's device register: device 0 is selected */
    d->ch->cur = 0;
    d->error = 0x01;
    d->phase = IDE_PH_IDLE;
    d->status = d->kind == IDE_DISK ? ST_DRDY | ST_DSC : 0;
    update_irq(d->ch);
}

/* EXECUTE DEVICE DIAGNOSTIC (ATA-6 8.11): both devices run it whatever DEV
 * says; device 0 reports for the pair with an interrupt. */
static void diagnostic_done(struct ide_drive *d)
{
    drive_reset_done(d);
    if (d->unit == 0 || d->ch->drive[0].kind == IDE_NONE)
        ide_raise_irq(d);
}

static void drive_timer(void *opaque)
{
    struct ide_drive *d = opaque;
    enum ide_event ev = d->event;
    d->event = IDE_EV_NONE;
    bool disk = d->kind == IDE_DISK;
    switch (ev) {
    case IDE_EV_EXEC:
        if (d->cmd == 0x90)
            diagnostic_done(d);
        else if (disk)
            ide_ata_exec(d);
        else
            ide_atapi_exec(d);
        break;
    case IDE_EV_PIO_IN: ide_ata_pio_in(d); break;
    case IDE_EV_PIO_OUT: ide_ata_pio_out(d); break;
    case IDE_EV_PACKET: ide_atapi_packet(d); break;
    case IDE_EV_ATAPI_NEXT: ide_atapi_next(d); break;
    case IDE_EV_DMA_DONE:
        if (disk)
            ide_ata_dma_done(d);
        else
            ide_atapi_dma_done(d);
        break;
    case IDE_EV_RESET: drive_reset_done(d); break;
    case IDE_EV_NONE: break;
    }
}

static void drive_stop(struct ide_drive *d)
{
    clock_timer_cancel(d->ch->ide->clock, &d->timer);
    d->event = IDE_EV_NONE;
    d->phase = IDE_PH_IDLE;
    d->irq = false;
    d->buf_pos = d->buf_len = 0;
    d->pos = d->end = 0;
    d->left = 0;
}

/* ---- the data port ---- */

/* The host moved the last byte of the DRQ block. */
static void block_done(struct ide_drive *d)
{
    switch (d->phase) {
    case IDE_PH_PIO_IN:
        if (d->kind == IDE_CDROM && d->cmd == 0xa0)
            ide_atapi_block_done(d);
        else if (d->left)
            ide_ata_block_done(d);
        else {
            d->phase = IDE_PH_IDLE; /* ATA-6 9.7: no interrupt after the last block */
            d->status = ST_DRDY | ST_DSC;
        }
        break;
    case IDE_PH_PIO_OUT: ide_schedule(d, IDE_EV_PIO_OUT); break;
    case IDE_PH_PACKET: ide_schedule(d, IDE_EV_PACKET); break;
    default: break;
    }
}

static uint16_t data_read16(struct ide_channel *ch)
{
    struct ide_drive *d = &ch->drive[ch->cur];
    if (d->phase != IDE_PH_PIO_IN || d->pos >= d->end)
        return 0xffff; /* no DRQ: nothing drives the bus */
    uint16_t v = load_le16(d->buf + d->pos);
    d->pos += 2;
    if (d->pos >= d->end)
        block_done(d);
    return v;
}

static void data_write16(struct ide_channel *ch, uint16_t v)
{
    struct ide_drive *d = &ch->drive[ch->cur];
    if (d->phase == IDE_PH_PACKET && d->pos < d->end) {
        store_le16(d->cdb + d->pos, v);
    } else if (d->phase == IDE_PH_PIO_OUT && d->pos < d->end) {
        store_le16(d->buf + d->pos, v);
    } else {
        return;
    }
    d->pos += 2;
    if (d->pos >= d->end)
        block_done(d);
}

/* ---- command block registers ---- */

static uint8_t reg_read(struct ide_channel *ch, uint32_t reg)
{
    if (channel_empty(ch))
        return 0x7f; /* no device: DD7 is pulled down, the rest float high */
    struct ide_drive *d = &ch->drive[ch->cur];
    bool absent = d->kind == IDE_NONE;
    if (absent) /* ATA-6 9.16.1: device 0 answers for a missing device 1 */
        d = &ch->drive[ch->cur ^ 1];
    bool hob = ch->devctl & DC_HOB;
    switch (reg) {
    case 1: return d->error;
    case 2: return hob ? d->hob_nsect : d->nsect;
    case 3: return hob ? d->hob_sect : d->sect;
    case 4: return hob ? d->hob_lcyl : d->lcyl;
    case 5: return hob ? d->hob_hcyl : d->hcyl;
    case 6: return d->select;
    default:
        if (absent)
            return 0x00;
        d->irq = false; /* reading Status acknowledges INTRQ */
        update_irq(ch);
        return d->status;
    }
}

static void command_write(struct ide_channel *ch, uint8_t cmd)
{
    if (ch->devctl & DC_SRST)
        return; /* both devices are held in reset */
    if (cmd == 0x90) {
        for (int u = 0; u < 2; u++) {
            struct ide_drive *d = &ch->drive[u];
            if (d->kind == IDE_NONE)
                continue;
            drive_stop(d);
            d->cmd = cmd;
            ide_schedule(d, IDE_EV_EXEC);
        }
        update_irq(ch);
        return;
    }
    struct ide_drive *d = &ch->drive[ch->cur];
    if (d->kind == IDE_NONE)
        return; /* nobody there to take it */
    if ((d->status & ST_BSY) && !(cmd == 0x08 && d->kind == IDE_CDROM)) {
        log_msg(LOG_GUEST, "ide", "command %02x to a busy device ignored", cmd);
        return;
    }
    drive_stop(d);
    update_irq(ch);
    d->cmd = cmd;
    d->error = 0;
    ide_schedule(d, IDE_EV_EXEC);
}

static void reg_write(struct ide_channel *ch, uint32_t reg, uint8_t v)
{
    if (reg == 7) {
        command_write(ch, v);
        return;
    }
    ch->devctl &= (uint8_t)~DC_HOB; /* ATA-6 6.20: a register write clears HOB */
    for (int u = 0; u < 2; u++) {
        struct ide_drive *d = &ch->drive[u];
        switch (reg) {
        case 1: d->hob_feature = d->feature; d->feature = v; break;
        case 2: d->hob_nsect = d->nsect; d->nsect = v; break;
        case 3: d->hob_sect = d->sect; d->sect = v; break;
        case 4: d->hob_lcyl = d->lcyl; d->lcyl = v; break;
        case 5: d->hob_hcyl = d->hcyl; d->hcyl = v; break;
        case 6: d->select = v; break;
        default: break;
        }
    }
    if (reg == 6) {
        ch->cur = (v & DEV_DEV) ? 1 : 0;
        update_irq(ch);
    }
}

static uint32_t cmd_read(void *opaque, uint32_t addr, int size)
{
    struct ide_channel *ch = opaque;
    if (!channel_decodes(ch))
        return size_mask(size);
    if (addr == 0) {
        if (channel_empty(ch))
            return size == 1 ? 0x7f : (size == 2 ? 0xff7f : 0xff7fff7f);
        uint32_t v = data_read16(ch);
        if (size == 4)
            v |= (uint32_t)data_read16(ch) << 16; /* PIIX3: a dword is two word cycles */
        return v & size_mask(size);
    }
    uint32_t v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint32_t)(addr + (uint32_t)i < 8 ? reg_read(ch, addr + (uint32_t)i) : 0xff)
             << (8 * i);
    return v;
}

static void cmd_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct ide_channel *ch = opaque;
    if (!channel_decodes(ch))
        return;
    if (addr == 0) {
        data_write16(ch, (uint16_t)val);
        if (size == 4)
            data_write16(ch, (uint16_t)(val >> 16));
        return;
    }
    for (int i = 0; i < size && addr + (uint32_t)i < 8; i++)
        reg_write(ch, addr + (uint32_t)i, (uint8_t)(val >> (8 * i)));
}

/* ---- control block: alternate status / device control ---- */

static uint32_t ctl_read(void *opaque, uint32_t addr, int size)
{
    struct ide_channel *ch = opaque;
    (void)addr;
    if (!channel_decodes(ch))
        return size_mask(size);
    if (channel_empty(ch))
        return 0x7f;
    const struct ide_drive *d = &ch->drive[ch->cur];
    return d->kind == IDE_NONE ? 0x00 : d->status; /* no INTRQ acknowledge */
}

static void ctl_write(void *opaque, uint32_t addr, int size, uint32_t val)
{
    struct ide_channel *ch = opaque;
    (void)addr;
    (void)size;
    if (!channel_decodes(ch))
        return;
    uint8_t old = ch->devctl, v = (uint8_t)val;
    ch->devctl = v;
    bool assert = (v & DC_SRST) && !(old & DC_SRST);
    bool release = !(v & DC_SRST) && (old & DC_SRST);
    for (int u = 0; u < 2 && (assert || release); u++) {
        struct ide_drive *d = &ch->drive[u];
        if (d->kind == IDE_NONE)
            continue;
        drive_stop(d);
        d->phase = IDE_PH_BUSY;
        d->status = ST_BSY;
        if (release) /* ATA-6 9.2: the reset runs when SRST is cleared */
            ide_schedule(d, IDE_EV_RESET);
    }
    update_irq(ch);
}

/* Turning bus mastering on may let a waiting DMA run. */
static void config_written(void *opaque, uint8_t off, int size, uint32_t old)
{
    struct ide *ide = opaque;
    (void)old;
    if (off <= PCI_COMMAND && off + size > PCI_COMMAND)
        for (int i = 0; i < 2; i++)
            ide_bm_try(&ide->ch[i]);
}

static const struct io_ops cmd_ops = {cmd_read, cmd_write};
static const struct io_ops ctl_ops = {ctl_read, ctl_write};

/* ---- set-up ---- */

static void drive_power_on(struct ide_drive *d)
{
    drive_stop(d);
    d->mult = 0;
    d->pio_mode = 0;
    d->mdma_mode = -1;
    d->udma_mode = -1;
    d->wcache = true;
    d->lookahead = true;
    d->feature = d->hob_feature = 0;
    d->hob_nsect = d->hob_sect = d->hob_lcyl = d->hob_hcyl = 0;
    if (d->kind == IDE_DISK)
        ide_disk_setup(d);
    if (d->kind == IDE_CDROM)
        ide_atapi_reset(d);
    drive_reset_done(d);
}

void ide_reset(struct ide *ide)
{
    for (int c = 0; c < 2; c++) {
        struct ide_channel *ch = &ide->ch[c];
        ch->devctl = 0;
        ch->cur = 0;
        for (int u = 0; u < 2; u++)
            drive_power_on(&ch->drive[u]);
        ide_bm_reset(ch);
        update_irq(ch);
    }
}

bool ide_init(struct ide *ide, struct bus *b, struct clock *c, struct pci *pci, int devfn,
              struct irq_line irq14, struct irq_line irq15, ide_dma_fn dma, void *dma_opaque)
{
    memset(ide, 0, sizeof(*ide));
    ide->clock = c;
    ide->dma = dma;
    ide->dma_opaque = dma_opaque;
    struct pci_device *p = &ide->pci;
    pci_device_init(p, 0x8086, 0x7010, 0x00, 0x010180, 0x00); /* IDE, legacy, bus master */
    store_le16(p->config + PCI_STATUS, 0x0280);
    p->wmask[PCI_COMMAND] = PCI_COMMAND_IO | PCI_COMMAND_MASTER; /* MSE is hardwired 0 */
    p->wmask[PCI_CACHE_LINE] = 0;
    p->wmask[PCI_LATENCY] = 0xf0;
    p->wmask[PCI_INTERRUPT_LINE] = 0;
    pci_device_set_bar(p, 4, 16, true, &ide_bm_ops, ide);
    memset(p->wmask + PIIX3_IDETIM, 0xff, 5); /* IDETIM x2, SIDETIM */
    p->config_written = config_written;
    p->opaque = ide;
    for (int i = 0; i < 2; i++) {
        struct ide_channel *ch = &ide->ch[i];
        ch->ide = ide;
        ch->index = i;
        ch->irq = i ? irq15 : irq14;
        for (int u = 0; u < 2; u++) {
            struct ide_drive *d = &ch->drive[u];
            d->ch = ch;
            d->unit = u;
            clock_timer_init(&d->timer, drive_timer, d);
        }
        ide_bm_reset(ch);
    }
    if (!pci_register(pci, p, devfn))
        return false;
    for (int i = 0; i < 2; i++)
        if (!bus_map_io(b, cmd_base[i], 8, &cmd_ops, &ide->ch[i]) ||
            !bus_map_io(b, ctl_base[i], 1, &ctl_ops, &ide->ch[i]))
            return false;
    return true;
}

void ide_free(struct ide *ide)
{
    for (int c = 0; c < 2; c++)
        for (int u = 0; u < 2; u++) {
            struct ide_drive *d = &ide->ch[c].drive[u];
            clock_timer_cancel(ide->clock, &d->timer);
            free(d->buf);
            d->buf = NULL;
        }
}

static struct ide_drive *attach(struct ide *ide, int channel, int unit, enum ide_kind kind)
{
    if (channel < 0 || channel > 1 || unit < 0 || unit > 1)
        return NULL;
    struct ide_drive *d = &ide->ch[channel].drive[unit];
    if (d->kind != IDE_NONE)
        return NULL;
    d->buf = calloc(1, IDE_BUF_SIZE + 4); /* + 4: odd ATAPI blocks are read as whole words */
    if (!d->buf)
        return NULL;
    d->kind = kind;
    return d;
}

bool ide_attach_disk(struct ide *ide, int channel, int unit, struct blockdev *bd)
{
    if (!bd)
        return false;
    struct ide_drive *d = attach(ide, channel, unit, IDE_DISK);
    if (!d)
        return false;
    d->bd = bd;
    d->sectors = blockdev_size(bd) / 512;
    drive_power_on(d);
    return true;
}

bool ide_attach_cdrom(struct ide *ide, int channel, int unit, struct blockdev *disc)
{
    struct ide_drive *d = attach(ide, channel, unit, IDE_CDROM);
    if (!d)
        return false;
    d->bd = disc;
    d->sectors = disc ? blockdev_size(disc) / 2048 : 0;
    drive_power_on(d);
    return true;
}

void ide_cdrom_change(struct ide *ide, int channel, int unit, struct blockdev *disc)
{
    if (channel < 0 || channel > 1 || unit < 0 || unit > 1)
        return;
    struct ide_drive *d = &ide->ch[channel].drive[unit];
    if (d->kind != IDE_CDROM)
        return;
    d->bd = disc;
    d->sectors = disc ? blockdev_size(disc) / 2048 : 0;
    d->tray_open = false;
    /* MMC-2 5.x: a new disc is announced by a media event and UNIT ATTENTION 28h/00h. */
    d->media_event = disc ? 2 : 3; /* NewMedia : MediaRemoval */
    d->unit_attention = disc != NULL;
}
