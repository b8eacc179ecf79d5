/* SPDX-License-Identifier: MIT */
/*
 * 32-bit paging walk (see mmu.h). Page-table entries are read and updated
 * in guest physical memory with phys_read/phys_write, as the processor's
 * locked read-modify-write cycles do.
 */
#include "cpu/mmu.h"

enum {
    PTE_P = 1u << 0,
    PTE_RW = 1u << 1,
    PTE_US = 1u << 2,
    PTE_A = 1u << 5,
    PTE_D = 1u << 6,
    PTE_PS = 1u << 7,
    PTE_G = 1u << 8,
    CR4_PSE = 1u << 4,
    CR4_PGE = 1u << 7,
};

void mmu_flush(struct cpu *c)
{
    tlb_flush_all(&c->tlb);
}

void mmu_load_cr3(struct cpu *c, uint32_t cr3)
{
    c->cr[3] = cr3;
    tlb_flush_nonglobal(&c->tlb);
}

/* Host pointer of the physical page, when all of it is plain RAM. */
static uint8_t *host_page(const struct cpu *c, uint32_t phys)
{
    const struct cpu_bus *b = &c->bus;
    uint32_t end = phys + 0xfff;
    if (!b->ram || end < phys || end >= b->ram_size)
        return NULL;
    if (end >= b->hole_start && phys < b->hole_end)
        return NULL;
    return b->ram + phys;
}

static int page_fault(struct cpu *c, uint32_t lin, bool present, enum mem_access acc, bool user)
{
    c->cr[2] = lin;
    uint32_t err = (present ? 1u : 0) | (acc == ACC_WRITE ? 2u : 0) | (user ? 4u : 0);
    return cpu_fault_err(c, EXC_PF, err);
}

static struct tlb_entry *fill(struct cpu *c, uint32_t lin, bool user, uint32_t phys, bool writable,
                              bool global)
{
    struct tlb_entry *e = &c->tlb.e[user ? TLB_USER : TLB_SUPERVISOR][tlb_index(lin)];
    uint32_t page = lin & ~0xfffu;
    phys &= ~0xfffu;
    e->host = host_page(c, phys);
    e->addend = (uintptr_t)e->host - page;
    uint32_t mmio = e->host ? 0 : TLB_MMIO;
    e->tag_read = page | mmio;
    e->tag_write = writable ? page | mmio : TLB_INVALID;
    if (writable && c->jit.code_pages && phys < c->bus.ram_size && c->jit.code_pages[phys >> 12])
        e->tag_write |= TLB_CODE;
    e->phys = phys;
    e->global = global;
    return e;
}

int mmu_translate(struct cpu *c, uint32_t lin, enum mem_access acc, bool user,
                  struct tlb_entry **out)
{
    c->tlb.misses++;
    if (!(c->cr[0] & CR0_PG)) {
        *out = fill(c, lin, user, lin & c->phys_mask, true, false);
        return 0;
    }
    bool write = acc == ACC_WRITE;
    bool wp = c->cr[0] & CR0_WP;
    uint32_t pde_addr = ((c->cr[3] & ~0xfffu) | ((lin >> 20) & 0xffc)) & c->phys_mask;
    uint32_t pde = phys_read(c, pde_addr, 4);
    if (!(pde & PTE_P))
        return page_fault(c, lin, false, acc, user);

    bool large = (c->cr[4] & CR4_PSE) && (pde & PTE_PS);
    uint32_t entry = pde, entry_addr = pde_addr, rights = pde, phys;
    if (large) {
        phys = (pde & 0xffc00000u) | (lin & 0x3ff000u);
    } else {
        uint32_t pte_addr = ((pde & ~0xfffu) | ((lin >> 10) & 0xffc)) & c->phys_mask;
        uint32_t pte = phys_read(c, pte_addr, 4);
        if (!(pte & PTE_P))
            return page_fault(c, lin, false, acc, user);
        rights = pde & pte; /* both levels must allow U/S and R/W */
        entry = pte;
        entry_addr = pte_addr;
        phys = pte & ~0xfffu;
    }
    /* Access rights (SDM Vol. 3A 4.6). */
    bool may_write = user ? (rights & PTE_RW) : (!wp || (rights & PTE_RW));
    if (user && !(rights & PTE_US))
        return page_fault(c, lin, true, acc, user);
    if (write && !may_write)
        return page_fault(c, lin, true, acc, user);

    /* Accessed and dirty flags: set in the directory entry, then the page entry. */
    if (!large && !(pde & PTE_A))
        phys_write(c, pde_addr, 4, pde | PTE_A);
    uint32_t want = PTE_A | (write ? PTE_D : 0);
    if ((entry & want) != want) {
        entry |= want;
        phys_write(c, entry_addr, 4, entry);
    }
    /* Writes may hit only once the page is dirty, so the first write walks and sets D. */
    bool global = (c->cr[4] & CR4_PGE) && (entry & PTE_G);
    *out = fill(c, lin, user, phys & c->phys_mask, may_write && (entry & PTE_D), global);
    return 0;
}
