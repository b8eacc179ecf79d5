/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the AT DMA pair through its ports on a real bus: address and
 * count programming through the flip-flop, page registers, masks, master
 * clear, the cascade requirement, transfers to and from memory with terminal
 * count, auto-initialisation, address decrement, verify, 64 KiB / 128 KiB
 * wrap, 16-bit channels' word addressing and the status register. Expected
 * values come from the Intel 8237A datasheet and the AT's page-register map.
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "devices/dma.h"

#define RAM_SIZE (4u << 20)

struct fx {
    struct bus *bus;
    struct dma dma;
    int mem_calls;
    int ready_calls;
};

static void mem_cb(void *opaque, uint32_t addr, void *buf, size_t len, bool to_memory)
{
    struct fx *f = opaque;
    uint8_t *ram = bus_ram(f->bus);
    f->mem_calls++;
    ck_assert_uint_le(addr + len, RAM_SIZE);
    if (to_memory)
        memcpy(ram + addr, buf, len);
    else
        memcpy(buf, ram + addr, len);
}

static void ready_cb(void *opaque)
{
    struct fx *f = opaque;
    f->ready_calls++;
}

static void outb(struct fx *f, uint16_t port, uint8_t v)
{
    bus_io_write(f->bus, port, 1, v);
}

static uint8_t inb(struct fx *f, uint16_t port)
{
    return (uint8_t)bus_io_read(f->bus, port, 1);
}

static void fx_init(struct fx *f)
{
    memset(f, 0, sizeof(*f));
    f->bus = bus_new(RAM_SIZE);
    ck_assert_ptr_nonnull(f->bus);
    ck_assert(dma_init(&f->dma, f->bus, mem_cb, f));
}

static void fx_free(struct fx *f)
{
    bus_free(f->bus);
}

/* What every AT BIOS does: channel 4 a cascade, unmasked. */
static void cascade(struct fx *f)
{
    outb(f, 0xd6, 0xc0);
    outb(f, 0xd4, 0x00);
}

/* Program 8-bit channel 'ch' (0-3): page, address, count (units - 1), mode, unmask. */
static void prog8(struct fx *f, int ch, uint8_t page, uint16_t addr, uint16_t count, uint8_t mode)
{
    static const uint16_t page_port[4] = {0x87, 0x83, 0x81, 0x82};
    outb(f, 0x0a, (uint8_t)(0x04 | ch));
    outb(f, 0x0c, 0);
    outb(f, (uint16_t)(ch * 2), (uint8_t)addr);
    outb(f, (uint16_t)(ch * 2), (uint8_t)(addr >> 8));
    outb(f, (uint16_t)(ch * 2 + 1), (uint8_t)count);
    outb(f, (uint16_t)(ch * 2 + 1), (uint8_t)(count >> 8));
    outb(f, page_port[ch], page);
    outb(f, 0x0b, (uint8_t)(mode | ch));
    outb(f, 0x0a, (uint8_t)ch);
}

/* The same for 16-bit channel 'ch' (5-7): word address and word count. */
static void prog16(struct fx *f, int ch, uint8_t page, uint16_t waddr, uint16_t wcount,
                   uint8_t mode)
{
    static const uint16_t page_port[4] = {0x8f, 0x8b, 0x89, 0x8a};
    int i = ch - 4;
    outb(f, 0xd4, (uint8_t)(0x04 | i));
    outb(f, 0xd8, 0);
    outb(f, (uint16_t)(0xc0 + i * 4), (uint8_t)waddr);
    outb(f, (uint16_t)(0xc0 + i * 4), (uint8_t)(waddr >> 8));
    outb(f, (uint16_t)(0xc2 + i * 4), (uint8_t)wcount);
    outb(f, (uint16_t)(0xc2 + i * 4), (uint8_t)(wcount >> 8));
    outb(f, page_port[i], page);
    outb(f, 0xd6, (uint8_t)(mode | i));
    outb(f, 0xd4, (uint8_t)i);
}

/* Modes: single transfer, and write (to memory) / read (from memory) / verify. */
#define M_WRITE  0x44
#define M_READ   0x48
#define M_VERIFY 0x40
#define M_AUTO   0x10
#define M_DEC    0x20

START_TEST(test_address_count_flip_flop)
{
    struct fx f;
    fx_init(&f);
    outb(&f, 0x0c, 0);
    outb(&f, 0x04, 0x34);
    outb(&f, 0x04, 0x12);
    outb(&f, 0x05, 0xff);
    outb(&f, 0x05, 0x01);
    outb(&f, 0x0c, 0);
    ck_assert_uint_eq(inb(&f, 0x04), 0x34);
    ck_assert_uint_eq(inb(&f, 0x04), 0x12);
    ck_assert_uint_eq(inb(&f, 0x05), 0xff);
    ck_assert_uint_eq(inb(&f, 0x05), 0x01);
    /* A stray byte leaves the flip-flop on the high byte until cleared. */
    outb(&f, 0x04, 0x99);
    ck_assert_uint_eq(inb(&f, 0x04), 0x12);
    outb(&f, 0x0c, 0);
    ck_assert_uint_eq(inb(&f, 0x04), 0x99);
    /* 16-bit controller: registers on even ports, odd ones alias. */
    outb(&f, 0xd8, 0);
    outb(&f, 0xc4, 0xcd);
    outb(&f, 0xc5, 0xab);
    outb(&f, 0xd9, 0);
    ck_assert_uint_eq(inb(&f, 0xc4), 0xcd);
    ck_assert_uint_eq(inb(&f, 0xc4), 0xab);
    fx_free(&f);
}
END_TEST

START_TEST(test_page_registers)
{
    struct fx f;
    fx_init(&f);
    static const uint16_t ports[8] = {0x87, 0x83, 0x81, 0x82, 0x8f, 0x8b, 0x89, 0x8a};
    for (int ch = 0; ch < 8; ch++)
        outb(&f, ports[ch], (uint8_t)(0x10 + ch));
    for (int ch = 0; ch < 8; ch++)
        ck_assert_uint_eq(inb(&f, ports[ch]), 0x10 + ch);
    outb(&f, 0x0c, 0);
    outb(&f, 0x04, 0x56);
    outb(&f, 0x04, 0x34);
    ck_assert_uint_eq(dma_address(&f.dma, 2), 0x123456);
    /* Channel 5: page bit 0 unused, word address shifted left. */
    outb(&f, 0x8b, 0x13);
    outb(&f, 0xd8, 0);
    outb(&f, 0xc4, 0x00);
    outb(&f, 0xc4, 0x10);
    ck_assert_uint_eq(dma_address(&f.dma, 5), 0x122000);
    /* Port 80h (POST) and the unused page ports are not ours. */
    ck_assert_uint_eq(inb(&f, 0x80), 0xff);
    ck_assert_uint_eq(inb(&f, 0x84), 0xff);
    fx_free(&f);
}
END_TEST

START_TEST(test_transfer_to_memory_tc)
{
    struct fx f;
    fx_init(&f);
    cascade(&f);
    prog8(&f, 2, 0x01, 0x0100, 511, M_WRITE);
    ck_assert(dma_channel_ready(&f.dma, 2));
    uint8_t buf[1024];
    for (int i = 0; i < 1024; i++)
        buf[i] = (uint8_t)(i * 3 + 1);
    bool tc = true;
    ck_assert_int_eq(dma_transfer(&f.dma, 2, buf, 100, true, &tc), 100);
    ck_assert(!tc);
    outb(&f, 0x0c, 0);
    ck_assert_uint_eq(inb(&f, 0x04), 100); /* current address 0164h */
    ck_assert_uint_eq(inb(&f, 0x04), 0x01);
    ck_assert_uint_eq(inb(&f, 0x05), (511 - 100) & 0xff);
    ck_assert_uint_eq(inb(&f, 0x05), (511 - 100) >> 8);
    ck_assert_uint_eq(inb(&f, 0x08) & 0x0f, 0);
    ck_assert_int_eq(dma_transfer(&f.dma, 2, buf + 100, 1024 - 100, true, &tc), 412);
    ck_assert(tc);
    ck_assert_mem_eq(bus_ram(f.bus) + 0x10100, buf, 512);
    ck_assert_uint_eq(bus_ram(f.bus)[0x10100 + 512], 0);
    /* Status: TC for channel 2, cleared by the read; the channel masked itself. */
    ck_assert_uint_eq(inb(&f, 0x08) & 0x0f, 0x04);
    ck_assert_uint_eq(inb(&f, 0x08) & 0x0f, 0x00);
    ck_assert(!dma_channel_ready(&f.dma, 2));
    ck_assert_uint_eq(inb(&f, 0x0f) & 0x04, 0x04);
    ck_assert_int_eq(dma_transfer(&f.dma, 2, buf, 16, true, &tc), 0);
    fx_free(&f);
}
END_TEST

START_TEST(test_read_from_memory_and_verify)
{
    struct fx f;
    fx_init(&f);
    cascade(&f);
    uint8_t *ram = bus_ram(f.bus);
    for (int i = 0; i < 256; i++)
        ram[0x20000 + i] = (uint8_t)(0xa0 ^ i);
    prog8(&f, 1, 0x02, 0x0000, 255, M_READ);
    uint8_t buf[256];
    bool tc;
    ck_assert_int_eq(dma_transfer(&f.dma, 1, buf, 256, false, &tc), 256);
    ck_assert(tc);
    ck_assert_mem_eq(buf, ram + 0x20000, 256);
    /* Verify: counts run, memory untouched, the device is given FFh. */
    prog8(&f, 1, 0x02, 0x0000, 255, M_VERIFY);
    int calls = f.mem_calls;
    memset(buf, 0, sizeof(buf));
    ck_assert_int_eq(dma_transfer(&f.dma, 1, buf, 256, true, &tc), 256);
    ck_assert(tc);
    ck_assert_int_eq(f.mem_calls, calls);
    ck_assert_uint_eq(ram[0x20000], 0xa0);
    ck_assert_int_eq(dma_transfer(&f.dma, 1, buf, 0, false, &tc), 0);
    prog8(&f, 1, 0x02, 0x0000, 255, M_VERIFY);
    ck_assert_int_eq(dma_transfer(&f.dma, 1, buf, 10, false, &tc), 10);
    ck_assert_uint_eq(buf[0], 0xff);
    /* A write-mode channel and a device that reads: nothing moves, counts run. */
    prog8(&f, 1, 0x02, 0x0000, 255, M_WRITE);
    ck_assert_int_eq(dma_transfer(&f.dma, 1, buf, 16, false, &tc), 16);
    ck_assert_int_eq(f.mem_calls, calls);
    ck_assert_uint_eq(dma_remaining(&f.dma, 1), 240);
    fx_free(&f);
}
END_TEST

START_TEST(test_autoinit)
{
    struct fx f;
    fx_init(&f);
    cascade(&f);
    prog8(&f, 3, 0x03, 0x0010, 15, M_WRITE | M_AUTO);
    uint8_t a[16], b[16];
    memset(a, 0x11, sizeof(a));
    memset(b, 0x22, sizeof(b));
    bool tc;
    ck_assert_int_eq(dma_transfer(&f.dma, 3, a, 16, true, &tc), 16);
    ck_assert(tc);
    ck_assert(dma_channel_ready(&f.dma, 3)); /* auto-init: not masked */
    ck_assert_uint_eq(dma_address(&f.dma, 3), 0x030010);
    ck_assert_uint_eq(dma_remaining(&f.dma, 3), 16);
    ck_assert_int_eq(dma_transfer(&f.dma, 3, b, 8, true, &tc), 8);
    ck_assert(!tc);
    ck_assert_mem_eq(bus_ram(f.bus) + 0x30010, b, 8);
    ck_assert_mem_eq(bus_ram(f.bus) + 0x30018, a + 8, 8);
    fx_free(&f);
}
END_TEST

START_TEST(test_decrement)
{
    struct fx f;
    fx_init(&f);
    cascade(&f);
    prog8(&f, 2, 0x00, 0x8003, 3, M_WRITE | M_DEC);
    uint8_t buf[4] = {1, 2, 3, 4};
    bool tc;
    ck_assert_int_eq(dma_transfer(&f.dma, 2, buf, 4, true, &tc), 4);
    ck_assert(tc);
    const uint8_t want[4] = {4, 3, 2, 1};
    ck_assert_mem_eq(bus_ram(f.bus) + 0x8000, want, 4);
    fx_free(&f);
}
END_TEST

/* 8-bit channels wrap inside their 64 KiB page: the page register never carries. */
START_TEST(test_wrap_64k)
{
    struct fx f;
    fx_init(&f);
    cascade(&f);
    prog8(&f, 2, 0x01, 0xfffe, 3, M_WRITE);
    uint8_t buf[4] = {0xa1, 0xa2, 0xa3, 0xa4};
    bool tc;
    ck_assert_int_eq(dma_transfer(&f.dma, 2, buf, 4, true, &tc), 4);
    uint8_t *ram = bus_ram(f.bus);
    ck_assert_uint_eq(ram[0x1fffe], 0xa1);
    ck_assert_uint_eq(ram[0x1ffff], 0xa2);
    ck_assert_uint_eq(ram[0x10000], 0xa3);
    ck_assert_uint_eq(ram[0x10001], 0xa4);
    ck_assert_uint_eq(ram[0x20000], 0x00);
    fx_free(&f);
}
END_TEST

START_TEST(test_16bit_channel)
{
    struct fx f;
    fx_init(&f);
    /* Channels 5-7 need no cascade; page 03h: bit 0 ignored, so base 020000h. */
    prog16(&f, 5, 0x03, 0x0800, 255, M_WRITE);
    ck_assert_uint_eq(dma_address(&f.dma, 5), 0x021000);
    uint8_t buf[1024];
    for (int i = 0; i < 1024; i++)
        buf[i] = (uint8_t)(i ^ 0x5c);
    bool tc;
    ck_assert_int_eq(dma_transfer(&f.dma, 5, buf, 1024, true, &tc), 512);
    ck_assert(tc);
    ck_assert_mem_eq(bus_ram(f.bus) + 0x21000, buf, 512);
    ck_assert_uint_eq(inb(&f, 0xd0) & 0x0f, 0x02); /* TC of channel 5 in the second chip */
    /* Word address FFFFh: the next word wraps inside the 128 KiB block. */
    prog16(&f, 6, 0x02, 0xffff, 1, M_WRITE);
    uint8_t w[5] = {1, 2, 3, 4, 5};
    ck_assert_int_eq(dma_transfer(&f.dma, 6, w, 5, true, &tc), 4); /* whole words only */
    ck_assert(tc);
    uint8_t *ram = bus_ram(f.bus);
    ck_assert_uint_eq(ram[0x3fffe], 1);
    ck_assert_uint_eq(ram[0x3ffff], 2);
    ck_assert_uint_eq(ram[0x20000], 3);
    ck_assert_uint_eq(ram[0x20001], 4);
    /* Channel 4 is the cascade, never a transfer channel. */
    ck_assert(!dma_channel_ready(&f.dma, 4));
    fx_free(&f);
}
END_TEST

START_TEST(test_masks_and_cascade)
{
    struct fx f;
    fx_init(&f);
    uint8_t buf[4] = {0};
    bool tc;
    /* Power-on: everything masked. */
    ck_assert_uint_eq(inb(&f, 0x0f) & 0x0f, 0x0f);
    prog8(&f, 2, 0, 0x1000, 3, M_WRITE);
    /* Channel 2 unmasked, but channel 4 is not yet a cascade. */
    ck_assert(!dma_channel_ready(&f.dma, 2));
    ck_assert_int_eq(dma_transfer(&f.dma, 2, buf, 4, true, &tc), 0);
    outb(&f, 0xd6, 0xc0);
    ck_assert(!dma_channel_ready(&f.dma, 2)); /* still masked */
    outb(&f, 0xd4, 0x00);
    ck_assert(dma_channel_ready(&f.dma, 2));
    outb(&f, 0x08, 0x04); /* controller disable */
    ck_assert(!dma_channel_ready(&f.dma, 2));
    outb(&f, 0x08, 0x00);
    outb(&f, 0x0a, 0x06); /* single mask set */
    ck_assert(!dma_channel_ready(&f.dma, 2));
    outb(&f, 0x0e, 0); /* clear all masks */
    ck_assert(dma_channel_ready(&f.dma, 2));
    ck_assert(dma_channel_ready(&f.dma, 0));
    outb(&f, 0x0f, 0x0b); /* write all mask bits: 0, 1, 3 */
    ck_assert(dma_channel_ready(&f.dma, 2));
    ck_assert(!dma_channel_ready(&f.dma, 3));
    outb(&f, 0x0d, 0); /* master clear: all masked again */
    ck_assert(!dma_channel_ready(&f.dma, 2));
    ck_assert_uint_eq(inb(&f, 0x0f) & 0x0f, 0x0f);
    /* A channel in cascade mode does not transfer. */
    outb(&f, 0x0e, 0);
    outb(&f, 0x0b, 0xc2);
    ck_assert(!dma_channel_ready(&f.dma, 2));
    fx_free(&f);
}
END_TEST

START_TEST(test_drq_status_and_ready_callback)
{
    struct fx f;
    fx_init(&f);
    cascade(&f);
    dma_attach(&f.dma, 2, ready_cb, &f);
    dma_set_drq(&f.dma, 2, true);
    ck_assert_uint_eq(inb(&f, 0x08) & 0xf0, 0x40);
    prog8(&f, 2, 0, 0x1000, 3, M_WRITE); /* the final unmask makes it ready */
    ck_assert_int_eq(f.ready_calls, 1);
    outb(&f, 0x0b, M_WRITE | 2); /* still ready: no second call */
    ck_assert_int_eq(f.ready_calls, 1);
    dma_set_drq(&f.dma, 2, false);
    ck_assert_uint_eq(inb(&f, 0x08) & 0xf0, 0x00);
    /* Software request bits show in the status register too. */
    outb(&f, 0x09, 0x05);
    ck_assert_uint_eq(inb(&f, 0x08) & 0xf0, 0x20);
    outb(&f, 0x09, 0x01);
    ck_assert_uint_eq(inb(&f, 0x08) & 0xf0, 0x00);
    fx_free(&f);
}
END_TEST

/* Any byte on any port, then transfers: nothing may crash or go out of RAM. */
START_TEST(test_port_fuzz)
{
    struct fx f;
    fx_init(&f);
    uint32_t s = 12345;
    uint8_t buf[300];
    for (int i = 0; i < 20000; i++) {
        s = s * 1103515245u + 12345u;
        uint16_t port =
            (s >> 8) & 1 ? (uint16_t)(0xc0 + (s >> 16) % 32) : (uint16_t)((s >> 16) % 16);
        if ((s >> 24) % 5 == 0)
            inb(&f, port);
        else
            outb(&f, port, (uint8_t)(s >> 3));
        for (int p = 0; p < 8; p++)
            outb(&f, (uint16_t)(0x80 + (p == 0 ? 7 : p)), 0x00); /* keep inside 4 MiB */
        outb(&f, 0x8f, 0);
        outb(&f, 0x89, 0);
        outb(&f, 0x8a, 0);
        outb(&f, 0x8b, 0);
        int ch = (int)(s >> 13) % 8;
        bool tc;
        int n = dma_transfer(&f.dma, ch, buf, (int)((s >> 5) % sizeof(buf)), (s >> 4) & 1, &tc);
        ck_assert_int_ge(n, 0);
        ck_assert_int_le(n, (int)sizeof(buf));
    }
    fx_free(&f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("devices_dma");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_address_count_flip_flop);
    tcase_add_test(tc, test_page_registers);
    tcase_add_test(tc, test_transfer_to_memory_tc);
    tcase_add_test(tc, test_read_from_memory_and_verify);
    tcase_add_test(tc, test_autoinit);
    tcase_add_test(tc, test_decrement);
    tcase_add_test(tc, test_wrap_64k);
    tcase_add_test(tc, test_16bit_channel);
    tcase_add_test(tc, test_masks_and_cascade);
    tcase_add_test(tc, test_drq_status_and_ready_callback);
    tcase_add_test(tc, test_port_fuzz);
    suite_add_tcase(s, tc);
    return check_run(s);
}
