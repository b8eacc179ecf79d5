/* SPDX-License-Identifier: MIT */
/*
 * The sections of a snapshot (snapshot_state.c): each knows how to write
 * one part of the machine into a buffer and to put it back. Private to
 * snapshot*.c.
 */
#ifndef KILN_FRONTEND_SNAPSHOT_STATE_H
#define KILN_FRONTEND_SNAPSHOT_STATE_H

#include "frontend/snapshot.h"

struct snap_section {
    char tag[5];
    /* Fixed sections: the bytes they hold for this machine, exactly.
     * Variable sections: the most they can hold. */
    size_t (*size)(const struct pc *pc);
    /* Bytes save() writes now (variable sections), or NULL for size(). */
    size_t (*save_size)(const struct pc *pc);
    /* Copy the state into 'out' (the save size). */
    void (*save)(const struct cpu *cpu, struct pc *pc, uint8_t *out);
    /* Whether the 'len' bytes at 'in' hold state the devices can run from
     * (a variable section also checks 'len'); false with the reason in
     * 'why'. NULL: any bytes of the right length do. */
    bool (*check)(const struct pc *pc, const uint8_t *in, size_t len, char *why, size_t whylen);
    /* Put the state back from 'in' (already checked). */
    void (*load)(struct cpu *cpu, struct pc *pc, const uint8_t *in, size_t len);
    bool variable;
};

extern const struct snap_section snap_sections[];
extern const int snap_section_count;

/* The storage sections (snapshot_storage.c): DMA, floppy, IDE, PCI and the
 * disks' in-memory write overlays. */
extern const struct snap_section snap_storage_sections[];
extern const int snap_storage_section_count;

/* Every section in file order: snap_sections, then the storage ones. */
int snap_section_total(void);
const struct snap_section *snap_section(int i);

/* A byte range of a structure kept from the live machine on load. */
struct keep {
    size_t off, len;
};
#define KEEP(type, field)                                                                          \
    {                                                                                              \
        offsetof(type, field), sizeof(((type *)0)->field)                                          \
    }

/* memcpy 'saved' over 'live' ('size' bytes), except the 'keep' ranges,
 * which are in ascending order of offset. */
void snap_restore_keeping(void *live, const void *saved, size_t size, const struct keep *keep,
                          int n);

/* The storage devices' timers (0 .. snap_storage_timer_count() - 1). */
struct clock_timer *snap_storage_timer(struct pc *pc, int i);
int snap_storage_timer_count(void);

/* Layout facts of the storage sections, for snap_fingerprint(). */
uint64_t snap_storage_layout(void);

/* A number that changes when the layout of any saved structure changes:
 * snapshots are only read by the build (and host ABI) that wrote them. */
uint64_t snap_fingerprint(void);

/* Cancel every device timer that sections restore (before loading), and
 * arm them again from their restored deadlines (after). */
void snap_timers_cancel(struct pc *pc);
void snap_timers_rearm(struct pc *pc, const uint64_t *deadlines);
int snap_timer_count(void);
void snap_timers_deadlines(struct pc *pc, uint64_t *out);

#endif
