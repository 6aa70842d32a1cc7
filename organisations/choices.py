from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    """党政群机构 and the other bodies that use the registry."""

    COUNTY_LEADERSHIP = "county_leadership", _("county Party committee and government")
    ORGANISATION_DEPT = "organisation_dept", _("organisation department")
    CIVIL_AFFAIRS = "civil_affairs", _("civil affairs bureau")
    AGRICULTURE = "agriculture", _("agriculture and rural affairs bureau")
    COUNTY_DEPARTMENT = "county_department", _("other county department or mass organisation")
    TOWNSHIP = "township", _("township / sumu / street")
    PROVINCIAL_DEPARTMENT = "provincial_department", _("provincial department")
    PORTAL = "portal", _("government portal")


# The three departments that review an access request (审核把关): seed 000 §2,
# seed 002 §3(1) — "由组织、民政、农牧部门审核把关".
REVIEWING_KINDS = (OrgKind.ORGANISATION_DEPT, OrgKind.CIVIL_AFFAIRS, OrgKind.AGRICULTURE)


class Role(models.TextChoices):
    TOWNSHIP_STAFF = "township_staff", _("township staff")
    DEPT_SUBMITTER = "dept_submitter", _("department submitter")
    COUNTY_REVIEWER = "county_reviewer", _("county reviewer")
    COUNTY_APPROVER = "county_approver", _("county approver")
    CATALOGUE_KEEPER = "catalogue_keeper", _("county catalogue keeper")
    PROVINCIAL_ADMIN = "provincial_admin", _("provincial admin")
    MONITOR = "monitor", _("burden monitor")
    AUDITOR = "auditor", _("auditor (read-only)")
    PORTAL_CLIENT = "portal_client", _("portal client (API only)")
    # The three administrators kept apart (三员分立, MLPS 2.0 level 3): the
    # system administrator, the security administrator, and the auditor above
    # as the audit administrator. See organisations/duties.py.
    SYSTEM_ADMIN = "system_admin", _("system administrator")
    SECURITY_ADMIN = "security_admin", _("security administrator")


# Which organisation kinds a role may belong to; checked in User.clean() and
# in the service that creates users.
ROLE_ORG_KINDS: dict[str, set[str]] = {
    Role.TOWNSHIP_STAFF: {OrgKind.TOWNSHIP},
    Role.DEPT_SUBMITTER: {
        OrgKind.ORGANISATION_DEPT,
        OrgKind.CIVIL_AFFAIRS,
        OrgKind.AGRICULTURE,
        OrgKind.COUNTY_DEPARTMENT,
        OrgKind.PROVINCIAL_DEPARTMENT,
        OrgKind.TOWNSHIP,
    },
    Role.COUNTY_REVIEWER: set(REVIEWING_KINDS),
    Role.COUNTY_APPROVER: {OrgKind.COUNTY_LEADERSHIP},
    Role.CATALOGUE_KEEPER: {OrgKind.CIVIL_AFFAIRS, OrgKind.COUNTY_LEADERSHIP},
    Role.PROVINCIAL_ADMIN: {OrgKind.PROVINCIAL_DEPARTMENT},
    Role.MONITOR: {OrgKind.TOWNSHIP, OrgKind.CIVIL_AFFAIRS},
    Role.AUDITOR: set(OrgKind.values),
    Role.PORTAL_CLIENT: {OrgKind.PORTAL, OrgKind.COUNTY_DEPARTMENT, OrgKind.PROVINCIAL_DEPARTMENT},
    Role.SYSTEM_ADMIN: set(OrgKind.values) - {OrgKind.PORTAL},
    Role.SECURITY_ADMIN: set(OrgKind.values) - {OrgKind.PORTAL},
}

# The administrators who work in /admin/ (staff status follows the role).
STAFF_ROLES = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}

# Roles that sign in with a second factor (TOTP) as well as a password: those
# who approve, administer or audit (MLPS 2.0 level 3, GB/T 22239-2019
# §8.1.4.1 d: two or more authentication techniques for administrators).
# Superusers always do too.
TWO_FACTOR_ROLES = {
    Role.COUNTY_APPROVER,
    Role.PROVINCIAL_ADMIN,
    Role.AUDITOR,
    Role.SYSTEM_ADMIN,
    Role.SECURITY_ADMIN,
}
