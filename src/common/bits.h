/* SPDX-License-Identifier: MIT */
/*
 * Bit helpers: sign extension, masks by operand size, parity, little-endian
 * loads and stores. Pure functions; no state.
 */
#ifndef KILN_COMMON_BITS_H
#define KILN_COMMON_BITS_H

#include <stdbool.h>
#include <stdint.h>

/* All-ones mask for an operand of 'size' bytes (1, 2 or 4). */
static inline uint32_t size_mask(int size)
{
    return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

/* The sign bit of an operand of 'size' bytes. */
static inline uint32_t size_sign(int size)
{
    return 1u << (size * 8 - 1);
}

/* Sign-extend the low 'size' bytes of v to 32 bits. */
static inline uint32_t sext(uint32_t v, int size)
{
    if (size == 1)
        return (uint32_t)(int32_t)(int8_t)v;
    if (size == 2)
        return (uint32_t)(int32_t)(int16_t)v;
    return v;
}

/* True when the low byte of v has an even number of set bits (x86 PF). */
static inline bool parity_even(uint32_t v)
{
    return !__builtin_parity(v & 0xff);
}

static inline uint16_t load_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t load_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void store_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void store_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline uint64_t load_le64(const uint8_t *p)
{
    return (uint64_t)load_le32(p) | (uint64_t)load_le32(p + 4) << 32;
}

static inline void store_le64(uint8_t *p, uint64_t v)
{
    store_le32(p, (uint32_t)v);
    store_le32(p + 4, (uint32_t)(v >> 32));
}

/* Little-endian access of 'size' bytes (1, 2 or 4). */
static inline uint32_t load_le(const uint8_t *p, int size)
{
    return size == 1 ? p[0] : size == 2 ? load_le16(p) : load_le32(p);
}

static inline void store_le(uint8_t *p, int size, uint32_t v)
{
    if (size == 1)
        p[0] = (uint8_t)v;
    else if (size == 2)
        store_le16(p, (uint16_t)v);
    else
        store_le32(p, v);
}

#endif
