/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef ISCSI_TESTS_H
#define ISCSI_TESTS_H

int register_pdu_tests(void);
int register_params_tests(void);
int register_chap_tests(void);
int register_login_tests(void);

#endif
