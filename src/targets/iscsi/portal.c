// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_iscsi: portals, drivers/iscsi/portals/<addr>:<port>/.  Each is a
 * listening TCP socket with a thread that accepts connections and starts
 * them (conn.c).  Removing a portal closes the socket and ends the
 * connections accepted through it.
 */
#define pr_fmt(fmt) "scst_iscsi: " fmt

#include <linux/inet.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <net/sock.h>

#include "iscsi.h"

/* "1.2.3.4:3260" or "[::1]:3260" */
static int iscsi_portal_parse(const char *name, struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	const char *colon = strrchr(name, ':'), *end;
	u16 port;

	memset(ss, 0, sizeof(*ss));
	if (!colon || kstrtou16(colon + 1, 10, &port) || !port)
		return -EINVAL;
	if (name[0] == '[') {
		if (colon == name || colon[-1] != ']')
			return -EINVAL;
		if (!in6_pton(name + 1, colon - 1 - (name + 1),
			      s6->sin6_addr.s6_addr, -1, &end) ||
		    end != colon - 1)
			return -EINVAL;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		return 0;
	}
	if (!in4_pton(name, colon - name, (u8 *)&s4->sin_addr.s_addr, -1,
		      &end) || end != colon)
		return -EINVAL;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	return 0;
}

static int iscsi_portal_thread(void *data)
{
	struct iscsi_portal *portal = data;
	struct socket *sock;
	int ret;

	while (!kthread_should_stop()) {
		ret = kernel_accept(portal->sock, &sock, 0);
		if (ret == -EAGAIN || ret == -EINTR || ret == -ECONNABORTED)
			continue;
		if (ret) {
			/* shut down by iscsi_portal_destroy() */
			while (!kthread_should_stop()) {
				set_current_state(TASK_INTERRUPTIBLE);
				if (!kthread_should_stop())
					schedule();
				__set_current_state(TASK_RUNNING);
			}
			break;
		}
		iscsi_conn_start(portal, sock);
	}
	return 0;
}

static int iscsi_portal_listen(struct iscsi_portal *portal)
{
	struct socket *sock;
	int len = portal->addr.ss_family == AF_INET6 ?
		  sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	int ret;

	ret = sock_create_kern(&init_net, portal->addr.ss_family, SOCK_STREAM,
			       IPPROTO_TCP, &sock);
	if (ret)
		return ret;
	sock_set_reuseaddr(sock->sk);
	ret = kernel_bind(sock, (struct sockaddr *)&portal->addr, len);
	if (!ret)
		ret = kernel_listen(sock, 128);
	if (ret) {
		sock_release(sock);
		return ret;
	}
	portal->sock = sock;
	return 0;
}

/**
 * iscsi_portal_create() - listen on an address
 * @name: "<IPv4>:<port>" or "[<IPv6>]:<port>"
 *
 * Return: the portal, or an ERR_PTR().
 */
struct iscsi_portal *iscsi_portal_create(const char *name)
{
	struct iscsi_portal *portal;
	int ret;

	portal = kzalloc(sizeof(*portal), GFP_KERNEL);
	if (!portal)
		return ERR_PTR(-ENOMEM);
	portal->max_connections = ISCSI_PORTAL_MAX_CONNS;
	portal->max_logins = ISCSI_PORTAL_MAX_LOGINS;
	portal->login_timeout = ISCSI_LOGIN_TIMEOUT;
	portal->disc_idle_timeout = ISCSI_DISC_IDLE_TIMEOUT;
	portal->tpgt = ISCSI_TPGT;
	iscsi_stats_init(&portal->stats);
	ret = iscsi_portal_parse(name, &portal->addr);
	if (ret) {
		pr_warn("drivers/iscsi/portals: %s: expected <IPv4>:<port> or [<IPv6>]:<port>\n",
			name);
		goto free;
	}
	ret = iscsi_portal_listen(portal);
	if (ret) {
		pr_warn("drivers/iscsi/portals: %s: cannot listen: %d\n", name,
			ret);
		goto free;
	}
	portal->thread = kthread_run(iscsi_portal_thread, portal,
				     "iscsi_portal");
	if (IS_ERR(portal->thread)) {
		ret = PTR_ERR(portal->thread);
		sock_release(portal->sock);
		goto free;
	}
	return portal;
free:
	kfree(portal);
	return ERR_PTR(ret);
}

/**
 * iscsi_portal_destroy() - stop listening, end the portal's connections
 * @portal: the portal
 */
void iscsi_portal_destroy(struct iscsi_portal *portal)
{
	struct iscsi_conn *conn;

	kernel_sock_shutdown(portal->sock, SHUT_RDWR);
	kthread_stop(portal->thread);
	sock_release(portal->sock);

	mutex_lock(&iscsi_mutex);
	list_for_each_entry(conn, &iscsi_conns, entry) {
		if (conn->portal != portal)
			continue;
		conn->portal = NULL;
		iscsi_conn_kill(conn);
	}
	mutex_unlock(&iscsi_mutex);
	kfree(portal);
}
