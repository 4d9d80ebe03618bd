// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: header and data digests, CRC32C (RFC 7143 11.1, 13.1).
 *
 * A digest starts from ~0, covers the header (BHS and AHS) or the data
 * segment with its padding, and goes on the wire inverted, least
 * significant byte first.
 */
#include <linux/crc32c.h>
#include <linux/highmem.h>
#include <linux/scatterlist.h>

#include "iscsi.h"

/**
 * iscsi_crc() - continue a CRC32C over a buffer
 * @buf: the bytes
 * @len: their number
 * @crc: the running value; ~0 to start
 */
u32 iscsi_crc(const void *buf, size_t len, u32 crc)
{
	return crc32c(crc, buf, len);
}

/**
 * iscsi_crc_sg() - continue a CRC32C over a part of a scatterlist
 * @sg: the list
 * @off: byte offset of the part
 * @len: its length
 * @crc: the running value
 */
u32 iscsi_crc_sg(struct scatterlist *sg, u32 off, u32 len, u32 crc)
{
	u32 n, poff;
	void *p;

	for (; sg && len; sg = sg_next(sg)) {
		if (off >= sg->length) {
			off -= sg->length;
			continue;
		}
		n = min(sg->length - off, len);
		poff = sg->offset + off;
		while (n) {
			struct page *page = nth_page(sg_page(sg),
						     poff >> PAGE_SHIFT);
			u32 chunk = min_t(u32, n, PAGE_SIZE -
					  offset_in_page(poff));

			p = kmap_local_page(page);
			crc = crc32c(crc, p + offset_in_page(poff), chunk);
			kunmap_local(p);
			poff += chunk;
			n -= chunk;
			len -= chunk;
		}
		off = 0;
	}
	return crc;
}

/**
 * iscsi_crc_put() - the wire form of a finished CRC
 * @crc: the running value
 * @out: 4 bytes
 */
void iscsi_crc_put(u32 crc, u8 *out)
{
	put_unaligned_le32(~crc, out);
}

/**
 * iscsi_crc_check() - compare a finished CRC with a received digest
 * @crc: the running value
 * @wire: the 4 received bytes
 */
bool iscsi_crc_check(u32 crc, const u8 *wire)
{
	return get_unaligned_le32(wire) == ~crc;
}
