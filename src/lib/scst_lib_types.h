/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scst_lib_types.h - basic types and helpers for the SCST protocol library
 *
 * The files in src/lib are built twice: into scst.ko by Kbuild and into the
 * host unit tests and fuzzers. This header is the only place where the two
 * environments differ. In the kernel the unaligned big-endian accessors come
 * from the kernel through scst_compat.h (which knows whether the running
 * kernel has <linux/unaligned.h> or <asm/unaligned.h>); in user space they
 * are implemented here with plain byte shifts.
 */
#ifndef SCST_LIB_TYPES_H
#define SCST_LIB_TYPES_H

#ifdef __KERNEL__

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/export.h>
#include <scst_compat.h>	/* get/put_unaligned_be*() */

/* export a library function from scst.ko, right after its closing brace */
#define SCST_LIB_EXPORT(sym) EXPORT_SYMBOL_GPL(sym)

#else /* !__KERNEL__ */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/* no exports in user space */
#define SCST_LIB_EXPORT(sym)

#ifndef EOPNOTSUPP
#define EOPNOTSUPP 95
#endif

static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = p;

	return (u16)((b[0] << 8) | b[1]);
}

static inline u32 get_unaligned_be24(const void *p)
{
	const u8 *b = p;

	return ((u32)b[0] << 16) | ((u32)b[1] << 8) | b[2];
}

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = p;

	return ((u32)b[0] << 24) | ((u32)b[1] << 16) | ((u32)b[2] << 8) | b[3];
}

static inline u64 get_unaligned_be64(const void *p)
{
	const u8 *b = p;

	return ((u64)get_unaligned_be32(b) << 32) | get_unaligned_be32(b + 4);
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = (u8)(v >> 8);
	b[1] = (u8)v;
}

static inline void put_unaligned_be24(u32 v, void *p)
{
	u8 *b = p;

	b[0] = (u8)(v >> 16);
	b[1] = (u8)(v >> 8);
	b[2] = (u8)v;
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = (u8)(v >> 24);
	b[1] = (u8)(v >> 16);
	b[2] = (u8)(v >> 8);
	b[3] = (u8)v;
}

static inline void put_unaligned_be64(u64 v, void *p)
{
	u8 *b = p;

	put_unaligned_be32((u32)(v >> 32), b);
	put_unaligned_be32((u32)v, b + 4);
}

#endif /* __KERNEL__ */

#endif /* SCST_LIB_TYPES_H */
