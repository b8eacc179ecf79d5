/* SPDX-License-Identifier: MIT */
/*
 * In-memory checkpoints (see checkpoint.h), through the snapshot code's
 * own sections: what savevm writes to a file, kept in buffers, and put
 * back the way loadvm does (timers cancelled, sections loaded, clock set,
 * timers armed again).
 */
#include "frontend/checkpoint.h"

#include <stdlib.h>
#include <string.h>

#include "frontend/snapshot_state.h"

_Static_assert(CHECKPOINT_MAX_SECTIONS >= 9, "room for the snapshot's sections");

bool checkpoint_take(struct checkpoint *cp, const struct cpu *c, struct pc *pc)
{
    memset(cp, 0, sizeof(*cp));
    if (snap_section_total() > CHECKPOINT_MAX_SECTIONS)
        return false;
    for (int i = 0; i < snap_section_total(); i++) {
        const struct snap_section *s = snap_section(i);
        size_t n = s->save_size ? s->save_size(pc) : s->size(pc);
        cp->sec[i] = malloc(n ? n : 1);
        if (!cp->sec[i]) {
            checkpoint_free(cp);
            return false;
        }
        s->save(c, pc, cp->sec[i]);
        cp->sec_len[i] = n;
        cp->bytes += n;
    }
    cp->deadlines = malloc(sizeof(uint64_t) * (size_t)snap_timer_count());
    if (!cp->deadlines) {
        checkpoint_free(cp);
        return false;
    }
    snap_timers_deadlines(pc, cp->deadlines);
    cp->clock_now = pc->clock.now;
    cp->exceptions = c->exceptions;
    return true;
}

void checkpoint_restore(const struct checkpoint *cp, struct cpu *c, struct pc *pc)
{
    snap_timers_cancel(pc);
    for (int i = 0; i < snap_section_total(); i++)
        snap_section(i)->load(c, pc, cp->sec[i], cp->sec_len[i]);
    pc->clock.now = cp->clock_now;
    snap_timers_rearm(pc, cp->deadlines);
    c->exceptions = cp->exceptions;
}

void checkpoint_free(struct checkpoint *cp)
{
    for (int i = 0; i < CHECKPOINT_MAX_SECTIONS; i++)
        free(cp->sec[i]);
    free(cp->deadlines);
    memset(cp, 0, sizeof(*cp));
}
