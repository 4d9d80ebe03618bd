/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Types for the pure C part of the iSCSI target (pdu.c, params.c,
 * chap_fmt.c): built into scst_iscsi.ko and into the host unit tests and
 * fuzzers.  Only this header knows which of the two it is.
 */
#ifndef _ISC_TYPES_H
#define _ISC_TYPES_H

#include <scst_lib_types.h>

#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/ctype.h>
#else
#include <stdio.h>
#include <ctype.h>
#endif

#endif /* _ISC_TYPES_H */
