/* SPDX-License-Identifier: MIT */
/*
 * Between fdc.c (registers, command phase, seeks, status commands, reset)
 * and fdc_data.c (the execution phase of READ/WRITE/VERIFY/READ TRACK/READ
 * ID/FORMAT) only; nothing else includes it. Bit names follow the Intel
 * 82077AA datasheet (290166-007): section 2 for the DOR and MSR, section 5
 * for the command codes and status registers ST0-ST3.
 */
#ifndef KILN_DEVICES_FDC_INTERNAL_H
#define KILN_DEVICES_FDC_INTERNAL_H

#include "devices/fdc.h"

/* Phases of the command protocol. */
enum { FDC_PH_COMMAND, FDC_PH_EXEC, FDC_PH_RESULT };

/* What the execution timer does next (struct fdc_xfer.stage). */
enum {
    FDC_XS_NONE,
    FDC_XS_POLL,     /* raise the post-reset polling interrupt */
    FDC_XS_START,    /* a data command's bytes are in: checks, implied seek */
    FDC_XS_SECTOR,   /* locate and move the current sector */
    FDC_XS_DMA_WAIT, /* sector in/out of the buffer waits for channel 2 */
    FDC_XS_PIO,      /* the host empties or fills the buffer through the FIFO */
    FDC_XS_STALL,    /* no index pulses (no diskette, motor off): wait */
    FDC_XS_RESULT,   /* enter the result phase */
};

/* Command codes (first byte, bits 4-0). */
#define FDC_CMD_READ_TRACK 0x02
#define FDC_CMD_WRITE      0x05
#define FDC_CMD_READ       0x06
#define FDC_CMD_WRITE_DEL  0x09
#define FDC_CMD_READ_ID    0x0a
#define FDC_CMD_READ_DEL   0x0c
#define FDC_CMD_FORMAT     0x0d
#define FDC_CMD_VERIFY     0x16

#define ST0_IC_AT  0x40 /* abnormal termination */
#define ST0_IC_INV 0x80 /* invalid command */
#define ST0_IC_POL 0xc0 /* polling: ready changed */
#define ST0_SE     0x20
#define ST0_EC     0x10
#define ST1_EN     0x80
#define ST1_DE     0x20
#define ST1_OR     0x10
#define ST1_ND     0x04
#define ST1_NW     0x02
#define ST1_MA     0x01
#define ST2_CM     0x40
#define ST2_DD     0x20
#define ST2_WC     0x10
#define ST2_BC     0x02
#define ST2_MD     0x01

#define DOR_DSEL   0x03
#define DOR_NRESET 0x04
#define DOR_DMAEN  0x08

#define SPEC2_ND   0x01 /* SPECIFY: non-DMA mode */
#define CONF_EIS   0x40
#define CONF_EFIFO 0x20
#define CONF_POLL  0x10 /* set: polling disabled */

/* Time for one step pulse at the current SRT and data rate, in ns. */
uint64_t fdc_step_ns(const struct fdc *f);

/* The drive on the DS pins (DOR bits 1-0), or NULL when none is connected there. */
struct fdc_drive *fdc_selected(struct fdc *f);

/* Issue 'pulses' step pulses to 'dr' (outward toward track 0 when 'out'). */
void fdc_step(struct fdc_drive *dr, unsigned pulses, bool out);

/* Drive the interrupt latch and recompute the IRQ 6 pin. */
void fdc_set_int(struct fdc *f, bool pending);

/* Enter the result phase with 'n' bytes; 'irq' raises the result interrupt. */
void fdc_enter_result(struct fdc *f, const uint8_t *res, int n, bool irq);

/* fdc_data.c: start a data command whose bytes are in f->cmd. */
void fdc_data_start(struct fdc *f);

/* fdc_data.c: the execution timer fired in one of the data stages. */
void fdc_data_timer(struct fdc *f);

/* fdc_data.c: the host has emptied (read) or filled (write) the PIO buffer. */
void fdc_data_pio_done(struct fdc *f);

/* fdc_data.c: channel 2 became serviceable while DREQ was held. */
void fdc_data_dma_ready(void *opaque);

#endif
