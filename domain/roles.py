"""Staff roles and programmes: the closed vocabularies every module shares."""

from __future__ import annotations

from typing import Final

# Staff roles (domain notes §2.1 StaffRoleAssigned; 审核确认办法 2021 §11).
COUNTY_CLERK: Final = "县级经办"
TOWNSHIP_CLERK: Final = "乡镇经办"
REVIEWER: Final = "审核"
APPROVER: Final = "审批"
FINANCE: Final = "财务"
VILLAGE_COMMITTEE: Final = "村(居)委会成员"
GROUP_LEADER: Final = "村民小组长"
DISCIPLINE: Final = "纪检"
AUDIT: Final = "审计"

ROLES: Final = frozenset(
    {
        COUNTY_CLERK,
        TOWNSHIP_CLERK,
        REVIEWER,
        APPROVER,
        FINANCE,
        VILLAGE_COMMITTEE,
        GROUP_LEADER,
        DISCIPLINE,
        AUDIT,
    }
)

# Roles that read and flag but never alter cases or money.
OVERSIGHT_ROLES: Final = frozenset({DISCIPLINE, AUDIT})

# Programmes.
DIBAO: Final = "低保"
TEKUN: Final = "特困"
LINSHI: Final = "临时救助"
CANJI: Final = "残疾人两项补贴"
GUER: Final = "孤儿"

PROGRAMMES: Final = frozenset({DIBAO, TEKUN, LINSHI, CANJI, GUER})

# The eight 近亲属 relations (审核审批办法 2012 §14).
SPOUSE: Final = "配偶"
PARENT: Final = "父母"
CHILD: Final = "子女"
SIBLING: Final = "兄弟姐妹"
GRANDPARENT: Final = "祖父母"
MATERNAL_GRANDPARENT: Final = "外祖父母"
GRANDCHILD: Final = "孙子女"
MATERNAL_GRANDCHILD: Final = "外孙子女"

RELATIONS: Final = frozenset(
    {
        SPOUSE,
        PARENT,
        CHILD,
        SIBLING,
        GRANDPARENT,
        MATERNAL_GRANDPARENT,
        GRANDCHILD,
        MATERNAL_GRANDCHILD,
    }
)
