"""The audit trail's action codes in words, and the categories an auditor filters by.

Pure (no Qt, HTTP or database): the server uses :data:`CATEGORIES` to turn a category
into action prefixes and :func:`action_words` for export columns; the client uses both
for the filter bar and the table.

Action codes are dotted (``auth.login``, ``intent.documents.act``, ``blob.download``,
``device.revoke``). An ``intent.<name>`` code is an intent the server applied or
refused; its words come from :data:`INTENT_ZH` (Chinese) or the intent definition's
``summary`` (English, :mod:`modules.common.intents`), falling back to the name.
"""

from __future__ import annotations

from collections.abc import Iterable

from modules.common import intents as registry
from modules.common.messages import normalise_lang

#: category key -> (English, Chinese, action-code prefixes). An entry belongs to a
#: category when its action starts with one of the prefixes (a prefix ending in "."
#: names a family, one without names a code and the codes below it).
CATEGORIES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "signin": ("Sign-in", "登录", ("auth.",)),
    "administration": ("Administration", "管理", (
        "intent.directory.", "directory.", "intent.calendar.", "calendar.", "settings.")),
    "seals": ("Seals", "印章", ("intent.seals.", "seal.", "seals.")),
    "documents": ("Documents", "公文", ("intent.documents.", "document.", "documents.")),
    "downloads": ("Downloads and exports", "下载与导出", (
        "blob.", "archive.export", "audit.export", "export.")),
    "devices": ("Devices", "设备", ("device.",)),
}

RESULTS: dict[str, tuple[str, str]] = {
    "ok": ("Succeeded", "成功"),
    "refused": ("Refused", "拒绝"),
    "failed": ("Failed", "失败"),
}

#: Fixed action codes -> (English, Chinese).
ACTIONS: dict[str, tuple[str, str]] = {
    "auth.login": ("Signed in", "登录"),
    "auth.login_failed": ("Sign-in failed", "登录失败"),
    "auth.locked": ("Account locked after failed sign-ins", "多次登录失败，账号锁定"),
    "auth.logout": ("Signed out", "退出登录"),
    "auth.token_reuse": ("A used session token was presented again; the session was ended",
                         "已失效的会话令牌被再次使用，会话已终止"),
    "auth.refresh_refused": ("Session renewal refused (device revoked)", "拒绝续期会话（设备已吊销）"),
    "auth.password_change": ("Changed the password", "修改密码"),
    "directory.body_create": ("Created a body", "新建机构"),
    "directory.body_update": ("Changed a body", "修改机构"),
    "directory.body_retire": ("Retired a body", "撤销机构"),
    "directory.person_create": ("Created a person", "新建人员"),
    "directory.person_update": ("Changed a person", "修改人员"),
    "directory.person_deactivate": ("Deactivated a person", "停用人员"),
    "directory.account_set": ("Set a person's account", "设置人员账号"),
    "directory.post_add": ("Added a post", "新增岗位"),
    "directory.post_update": ("Changed a post", "修改岗位"),
    "directory.post_remove": ("Removed a post", "删除岗位"),
    "directory.import": ("Imported the directory", "导入组织机构"),
    "directory.appoint": ("Appointed an administrator duty at the server console",
                          "在服务器控制台任命管理员职责"),
    "blob.download": ("Downloaded a file", "下载文件"),
    "archive.export": ("Exported an archive package", "导出归档包"),
    "device.revoke": ("Revoked a device", "吊销设备"),
    "device.remove": ("Removed a device", "移除设备"),
    "device.wiped": ("A device confirmed it wiped its data", "设备确认已清除数据"),
    "audit.export": ("Exported the audit trail", "导出审计日志"),
    "audit.read": ("Read the audit trail", "查看审计日志"),
}

#: Intent name -> Chinese words (English comes from the definition's summary).
INTENT_ZH: dict[str, str] = {
    "calendar.set_year": "录入全年节假日与调休",
    "directory.update_contact": "修改手机或电子邮箱",
    "documents.act": "办理公文环节（同意、退回、转办、委托、加签或减签）",
    "documents.archive": "公文归档",
    "documents.batch_approve": "批量同意公文",
    "documents.create_draft": "拟稿",
    "documents.dispatch": "核发收文",
    "documents.intake": "收文录入",
    "documents.mark_opened": "阅知回执",
    "documents.recall": "撤回未签收的公文",
    "documents.register": "公文登记（编发文字号或收文号）",
    "documents.request_seal": "公文送用印",
    "documents.return_to_sender": "退文",
    "documents.save_draft": "保存修改稿",
    "documents.sign_for": "签收公文",
    "meetings.add_decision": "记录议定事项",
    "meetings.book_room": "预订会议室",
    "meetings.cancel_booking": "取消会议室预订",
    "meetings.cancel_meeting": "取消会议",
    "meetings.cancel_series": "取消例会",
    "meetings.chase_replies": "催回执",
    "meetings.check_in": "扫码签到",
    "meetings.check_in_by_hand": "代为签到",
    "meetings.close_meeting": "结束会议",
    "meetings.create_feed_token": "生成日历订阅链接",
    "meetings.create_series": "创建例会",
    "meetings.decide_booking": "审批会议室预订",
    "meetings.decide_topic": "审定申报议题",
    "meetings.edit_decision": "修改议定事项",
    "meetings.import_calendar_reply": "导入日历回执",
    "meetings.nominate": "指定参会人员",
    "meetings.order_agenda": "调整议程顺序",
    "meetings.propose_topic": "申报议题",
    "meetings.publish_meeting": "发布会议通知",
    "meetings.publish_series": "发布例会",
    "meetings.remove_agenda_item": "删除议程",
    "meetings.remove_decision": "删除议定事项",
    "meetings.reply": "会议回执",
    "meetings.revoke_feed_token": "吊销日历订阅链接",
    "meetings.save_agenda_item": "保存议题",
    "meetings.save_meeting": "保存会议",
    "meetings.save_room": "保存会议室",
    "meetings.save_seating": "保存座次",
    "meetings.send_decision": "议定事项转督办",
    "meetings.start_minutes": "起草会议纪要",
    "meetings.update_series": "修改例会",
    "seals.approve_request": "批准用印申请",
    "seals.cancel_request": "撤回用印申请",
    "seals.create_seal": "登记电子印章",
    "seals.enrol_person_key": "申领个人签名证书",
    "seals.refuse_request": "拒绝用印申请",
    "seals.request_use": "用印申请",
    "seals.set_seal_state": "停用、恢复或注销印章",
    "seals.stamp": "盖章",
    "supervision.acknowledge": "督办签收",
    "supervision.cancel": "撤销督办事项",
    "supervision.cancel_subtask": "撤回子任务",
    "supervision.decide_extension": "审批延期",
    "supervision.draft_report": "起草督办报告",
    "supervision.from_instruction": "批示转督办",
    "supervision.register": "督办立项",
    "supervision.report": "督办反馈",
    "supervision.report_subtask": "子任务反馈",
    "supervision.request_completion": "申请办结",
    "supervision.request_extension": "申请延期",
    "supervision.split": "分解督办任务",
    "supervision.strike_off": "销号",
    "supervision.terminate": "中止督办事项",
    "supervision.urge": "催办",
    "supervision.verify": "办结审核",
}

#: Feature prefix of an intent -> (English, Chinese), for intents without words.
FEATURES: dict[str, tuple[str, str]] = {
    "directory": ("Directory", "通讯录"),
    "documents": ("Documents", "公文"),
    "meetings": ("Meetings", "会议"),
    "supervision": ("Supervision", "督办"),
    "seals": ("Seals", "印章"),
    "calendar": ("Working-day calendar", "工作日历"),
}

INTENT_PREFIX = "intent."


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if normalise_lang(lang) == "en" else pair[1]


def category_names(lang: str) -> list[tuple[str, str]]:
    """``(key, words)`` of every category, in display order."""
    return [(key, _pick((en, zh), lang)) for key, (en, zh, _) in CATEGORIES.items()]


def category_prefixes(keys: Iterable[str]) -> tuple[str, ...]:
    """The action prefixes of ``keys`` (unknown keys give none; see :func:`unknown_categories`)."""
    out: list[str] = []
    for key in keys:
        out.extend(CATEGORIES.get(key, ("", "", ()))[2])
    return tuple(dict.fromkeys(out))


def unknown_categories(keys: Iterable[str]) -> list[str]:
    """The keys that name no category (sorted)."""
    return sorted(k for k in set(keys) if k not in CATEGORIES)


def category_of(action: str) -> str:
    """The first category whose prefixes match ``action`` ('' when none does)."""
    for key, (_, _, prefixes) in CATEGORIES.items():
        if any(action.startswith(p) for p in prefixes):
            return key
    return ""


def result_words(result: str, lang: str) -> str:
    """``ok`` / ``refused`` / ``failed`` in words (other values as they are)."""
    pair = RESULTS.get(result)
    return _pick(pair, lang) if pair else result


def intent_words(name: str, lang: str) -> str:
    """An intent name in words: Chinese from :data:`INTENT_ZH`, English from the
    definition's summary; otherwise "<feature>: <name>"."""
    en = normalise_lang(lang) == "en"
    if not en and name in INTENT_ZH:
        return INTENT_ZH[name]
    definition = registry.get(name)
    if en and definition is not None and definition.summary:
        return definition.summary.strip()
    feature = FEATURES.get(name.split(".", 1)[0])
    if feature is None:
        return name
    return f"{_pick(feature, lang)}{': ' if en else '：'}{name}"


def action_words(action: str, lang: str) -> str:
    """The action code in a short sentence in ``lang`` (the code itself when unknown)."""
    pair = ACTIONS.get(action)
    if pair is not None:
        return _pick(pair, lang)
    if action.startswith(INTENT_PREFIX):
        return intent_words(action[len(INTENT_PREFIX):], lang)
    return action
