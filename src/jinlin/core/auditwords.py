"""The audit log in words a secretary reads: what kind of object, which fields, which counts.

Events store keys (`resident`, `kind:residents`, `count:12`, `masked`) so that they can be
searched; the page shows them in Chinese. No Django here: plain strings in, plain strings out.
"""

from __future__ import annotations

OBJECT_LABELS = {
    "resident": "居民",
    "household": "户",
    "household_sheet": "一户一档打印页",
    "building": "楼组",
    "compound": "小区",
    "area": "居民区",
    "user": "账号",
    "token": "API 令牌",
    "group": "群体名单",
    "notice": "通知",
    "need": "服务需求",
    "building_activity": "楼组活动",
    "concern": "民声诉求",
    "case": "个案",
    "concern_subcategory": "按类别的诉求名单",
    "party_group_contacts": "党小组联系户",
    "party_reorganisation": "党组织调整",
    "subdistrict_overview": "街道总览",
    "woodpecker_report": "纠错报告",
    "woodpecker_round": "啄木鸟评选",
    "woodpecker_award": "啄木鸟奖",
    "ledger": "台账",
    "job": "后台任务",
}

# Objects named by a code rather than an id: the code's label (ledgers.columns.LEDGER_LABELS).
CODE_LABELS = {
    "ledger": {
        "visits": "走访台账",
        "concerns": "民情日志",
        "cases": "个案台账",
        "patrols": "巡查台账",
        "meetings": "党小组会议/活动记录",
    },
}

FIELD_LABELS = {
    "id_number": "身份证号",
    "phone": "联系电话",
    "emergency_contact_phone": "紧急联系人电话",
    "health": "健康状况",
    "sensitive_groups": "敏感群体",
    "masked": "脱敏",
    "name": "姓名",
    "contact": "联系方式",
    "valid_only": "只导入无误的行",
    # An account's reach (core.signals.REACH_FIELDS).
    "role": "角色",
    "area": "居民区",
    "subdistrict": "街道",
    "party_organisation": "党组织",
    "is_active": "启用",
    "is_staff": "管理后台",
    "is_superuser": "超级管理员",
    "owner": "负责人",
    "patch_compounds": "包片小区",
    "patch_buildings": "包片楼组",
}

# `key:value` fields: the key's label and, for some, the value's.
KEY_LABELS = {
    "kind": "类型",
    "rows": "行数",
    "created": "新建",
    "updated": "更新",
    "unchanged": "未变",
    "errors": "错误",
    "count": "条数",
    "via": "途径",
    "into": "并入个案",
    "cases": "个案",
    "concerns": "诉求",
    "actions": "措施",
    "range": "日期范围",
    "format": "格式",
    "worker": "经办人",
}
VALUE_LABELS = {
    "kind": {"residents": "居民", "households": "户", "party-members": "党员", "ledger": "台账"},
    "via": {"page": "页面", "api": "接口", "export": "导出", "pdf": "PDF"},
}


def object_label(object_type: str) -> str:
    return OBJECT_LABELS.get(object_type, object_type)


def field_label(field: str) -> str:
    """ "kind:residents" → "类型：居民"; "count:12" → "条数：12"; "masked" → "脱敏"."""
    key, separator, value = field.partition(":")
    if not separator:
        return FIELD_LABELS.get(field, field)
    shown = VALUE_LABELS.get(key, {}).get(value, value)
    return f"{KEY_LABELS.get(key, key)}：{shown}"
