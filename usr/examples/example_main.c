// SPDX-License-Identifier: GPL-2.0-only
/*
 * main() of the example handlers: parse the options, open the backend,
 * register the device with scst_user and serve it until SIGTERM/SIGINT.
 * Closing /dev/scst_user on exit makes the kernel remove the device.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "example.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

/* "64M", "1G", "4096" -> bytes; 0 on error */
static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 0);
	unsigned int shift = 0;

	const char *units = "kmgt", *u = *end ? strchr(units, *end | 0x20) : NULL;

	if (u) {
		shift = 10 * (unsigned int)(u - units + 1);
		end++;
	}
	if (*end || end == s || (v << shift) >> shift != v)
		return 0;
	return (uint64_t)v << shift;
}

static void exec_cmd(void *arg, const struct scst_user_msg *m, uint8_t *buf,
		     struct scst_user_reply *r)
{
	scstu_sbc_exec(arg, m, buf, r);
}

static int usage(void)
{
	fputs(example_usage, stderr);
	return 2;
}

int main(int argc, char **argv)
{
	struct scstu_params p = {
		.type = 0, .block_size = 512, .queue_depth = 32,
		.slot_size = 1 << 20,
	};
	struct example_backend be = { 0 };
	struct sigaction sa;
	static struct scstu_sbc disk;
	struct scstu_dev dev;
	const char *file = NULL;
	uint64_t size = 0;
	int c, err;

	while ((c = getopt(argc, argv, "n:s:f:b:q:x:h")) != -1) {
		switch (c) {
		case 'n':
			p.name = optarg;
			break;
		case 's':
			size = parse_size(optarg);
			if (!size)
				return usage();
			break;
		case 'f':
			file = optarg;
			break;
		case 'b':
			p.block_size = (uint32_t)parse_size(optarg);
			break;
		case 'q':
			p.queue_depth = (uint32_t)atoi(optarg);
			break;
		case 'x':
			p.slot_size = (uint32_t)parse_size(optarg);
			break;
		default:
			return usage();
		}
	}
	if (optind != argc || !p.name || (example_needs_file && !file) ||
	    (!example_needs_file && (file || !size)))
		return usage();

	err = example_backend_open(&be, file, size);
	if (err) {
		fprintf(stderr, "%s: backend: %s\n", p.name, strerror(-err));
		return 1;
	}
	p.nr_blocks = be.size / (p.block_size ? p.block_size : 1);
	err = scstu_sbc_init(&disk, p.name, p.block_size, p.nr_blocks,
			     p.slot_size, be.wce, be.ops, be.priv);
	if (err) {
		fprintf(stderr, "%s: bad block size or max transfer\n", p.name);
		return 2;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: interrupt the ioctl */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	err = scstu_open(&dev, &p);
	if (err) {
		fprintf(stderr, "%s: register with %s: %s\n", p.name,
			SCST_USER_DEV_PATH, strerror(-err));
		example_backend_close(&be);
		return 1;
	}
	printf("%s: serving %llu blocks of %u bytes, queue depth %u\n", p.name,
	       (unsigned long long)p.nr_blocks, p.block_size, dev.nr_slots);
	fflush(stdout);

	err = scstu_serve(&dev, exec_cmd, &disk, &stop);
	printf("%s: %llu commands in %llu batches%s%s\n", p.name,
	       (unsigned long long)dev.cmds, (unsigned long long)dev.batches,
	       err ? ", stopped: " : "", err ? strerror(-err) : "");
	scstu_close(&dev);
	example_backend_close(&be);
	return err ? 1 : 0;
}
