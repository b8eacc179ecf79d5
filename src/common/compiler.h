/* SPDX-License-Identifier: MIT */
/*
 * Compiler helpers shared by every module. Owns nothing else: no state, no
 * guest knowledge. KILN_MUST_CHECK marks functions whose non-zero return is
 * a guest fault that the caller must propagate (see STYLE.md, "Four kinds of
 * error").
 */
#ifndef KILN_COMMON_COMPILER_H
#define KILN_COMMON_COMPILER_H

#define KILN_MUST_CHECK __attribute__((warn_unused_result))
#define KILN_UNUSED     __attribute__((unused))
#define KILN_NORETURN   __attribute__((noreturn))
#define KILN_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define KILN_ALWAYS_INLINE inline __attribute__((always_inline))
#define KILN_LIKELY(x)   __builtin_expect(!!(x), 1)
#define KILN_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define KILN_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Propagate a non-zero fault code to the caller. */
#define TRY(expr)                                                                                  \
    do {                                                                                           \
        int try_rc_ = (expr);                                                                      \
        if (try_rc_)                                                                               \
            return try_rc_;                                                                        \
    } while (0)

#endif
