// SPDX-License-Identifier: GPL-2.0-only
/*
 * scst_resv.c - reservation conflict decision for a decoded command
 *
 * Implements the three column patterns described at enum scst_resv_class
 * (scst_cdb.h). All-registrants reservations have every registered I_T
 * nexus as a holder, which the caller reports through @holder.
 */
#include "scst_resv.h"

static bool pr_type_exclusive_access(u8 pr_type)
{
	return pr_type == SCST_PR_TYPE_EA || pr_type == SCST_PR_TYPE_EA_RO ||
	       pr_type == SCST_PR_TYPE_EA_AR;
}

/**
 * scst_pr_type_registrants() - registrants-only or all-registrants type?
 * @pr_type: reservation type
 *
 * Return: true if every registered I_T nexus has the access of the holder.
 */
bool scst_pr_type_registrants(u8 pr_type)
{
	return pr_type == SCST_PR_TYPE_WE_RO || pr_type == SCST_PR_TYPE_EA_RO ||
	       pr_type == SCST_PR_TYPE_WE_AR || pr_type == SCST_PR_TYPE_EA_AR;
}
SCST_LIB_EXPORT(scst_pr_type_registrants);

/**
 * scst_pr_type_all_registrants() - is every registrant a holder?
 * @pr_type: reservation type
 *
 * Return: true for the all-registrants types, which stay until the last
 * registration goes and are reported with reservation key 0.
 */
bool scst_pr_type_all_registrants(u8 pr_type)
{
	return pr_type == SCST_PR_TYPE_WE_AR || pr_type == SCST_PR_TYPE_EA_AR;
}
SCST_LIB_EXPORT(scst_pr_type_all_registrants);

/**
 * scst_pr_type_valid() - one of the six reservation types of SPC-4?
 * @pr_type: TYPE field value
 */
bool scst_pr_type_valid(u8 pr_type)
{
	return pr_type == SCST_PR_TYPE_WE || pr_type == SCST_PR_TYPE_EA ||
	       scst_pr_type_registrants(pr_type);
}
SCST_LIB_EXPORT(scst_pr_type_valid);

static bool pr_out_conflict(u16 sa, bool registered)
{
	/*
	 * An unregistered I_T nexus may only register; everything else it
	 * sends gets RESERVATION CONFLICT (SPC-4 5.13).
	 */
	if (registered)
		return false;
	return sa != SCST_PR_OUT_REGISTER &&
	       sa != SCST_PR_OUT_REGISTER_IGNORE;
}

/**
 * scst_resv_pr_conflict() - does a command conflict with a persistent
 *	reservation?
 * @ci: the decoded command
 * @pr_type: type of the reservation held on the LU (SCST_PR_TYPE_*), or
 *	SCST_PR_TYPE_NONE if registrations exist but no reservation
 * @holder: the I_T nexus of the command holds the reservation
 * @registered: the I_T nexus of the command is registered
 *
 * Call only when the LU has at least one registration.
 *
 * Return: true if the command must be completed with RESERVATION
 * CONFLICT status.
 */
bool scst_resv_pr_conflict(const struct scst_cdb_info *ci, u8 pr_type,
			   bool holder, bool registered)
{
	if (ci->resv == SCST_RESV_PR_OUT)
		return pr_out_conflict(ci->service_action, registered);
	if (ci->resv == SCST_RESV_SPC2)
		/* RESERVE/RELEASE(6/10) are refused while PRs are in use */
		return true;
	if (pr_type == SCST_PR_TYPE_NONE || holder ||
	    ci->resv == SCST_RESV_ALLOWED)
		return false;
	if (scst_pr_type_registrants(pr_type) && registered)
		return false;
	if (ci->resv == SCST_RESV_READ)
		return pr_type_exclusive_access(pr_type);
	return true;
}
SCST_LIB_EXPORT(scst_resv_pr_conflict);

/**
 * scst_resv_spc2_conflict() - does a command conflict with a RESERVE(6/10)
 *	reservation held by another I_T nexus?
 * @ci: the decoded command
 *
 * Return: true if the command must be completed with RESERVATION
 * CONFLICT status. RELEASE from a non-holder is not a conflict (it
 * completes with GOOD without releasing anything).
 */
bool scst_resv_spc2_conflict(const struct scst_cdb_info *ci)
{
	return !(ci->flags & SCST_CDB_SPC2_ALLOWED);
}
SCST_LIB_EXPORT(scst_resv_spc2_conflict);
