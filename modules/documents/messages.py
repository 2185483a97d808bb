"""Message codes shared by the documents client (optimistic apply) and server.

Both sides raise these codes from the same rules, so their words live here, once.
"""

from __future__ import annotations

from modules.common import messages

SHARED: dict[str, dict[str, str]] = {
    "document.not_found": {
        "zh_CN": "公文不存在或您无权查看。",
        "en": "The document does not exist or you may not see it.",
    },
    "document.exists": {
        "zh_CN": "公文编号“{id}”已被使用。",
        "en": "The document id '{id}' is already taken.",
    },
    "document.revision_conflict": {
        "zh_CN": "该稿已由{name}于{time}修改为第{no}稿，您的修改未保存，请在最新稿上修改。",
        "en": "{name} already saved draft {no} at {time}; your changes were not saved — edit the latest draft.",
    },
    "document.draft_locked": {
        "zh_CN": "公文已签发，不能再修改正文；如需实质性修改，请退回签发人。",
        "en": "The document is signed; its text can no longer change. Return it to the signer for substantive changes.",
    },
    "document.not_editable": {
        "zh_CN": "当前环节“{step}”不由您办理，不能修改文稿。",
        "en": "You are not handling the current step ({step_en}) and cannot edit the draft.",
    },
    "document.use_intent": {
        "zh_CN": "“{step}”环节请通过“{action}”办理。",
        "en": "The {step_en} step is done through '{action_en}'.",
    },
    "document.wrong_kind": {
        "zh_CN": "该操作仅适用于{kind}。",
        "en": "This action applies to {kind_en} documents only.",
    },
    "document.not_finished": {
        "zh_CN": "公文尚未办结，不能归档。",
        "en": "The document is not finished and cannot be archived.",
    },
    "document.step_not_assignable": {
        "zh_CN": "“{step}”环节由本机关收发员或印章管理员办理，不能指定办理人。",
        "en": "The {step_en} step belongs to the body's registry or seal custodians; it cannot be assigned.",
    },
    "document.return_too_late": {
        "zh_CN": "公文已进入“{step}”环节，不能再退回发文机关。",
        "en": "The document is already at {step_en}; it can no longer be returned to the sender.",
    },
    "document.recalled": {
        "zh_CN": "该公文已由{body}于{time}撤回，您的{attempt}未生效。",
        "en": "{body} recalled this document at {time}; your {attempt_en} did not take effect.",
    },
    "document.returned_to_sender": {
        "zh_CN": "该公文已由{name}于{time}退回发文机关，您的{attempt}未生效。",
        "en": "{name} returned this document to its sender at {time}; your {attempt_en} did not take effect.",
    },
    "document.already_archived": {
        "zh_CN": "该公文已由{name}于{time}归档。",
        "en": "{name} already archived this document at {time}.",
    },
    "document.bad_retention": {
        "zh_CN": "保管期限只能是永久、30年或10年。",
        "en": "The retention period must be 永久, 30年 or 10年.",
    },
    "document.not_registry": {
        "zh_CN": "只有{body}的收发员可以{action}。",
        "en": "Only the registry clerks of {body} may {action_en}.",
    },
    "document.not_member": {
        "zh_CN": "您不在{body}任职，不能以该机关名义拟稿。",
        "en": "You hold no post in {body} and cannot draft in its name.",
    },
}

messages.register(SHARED)
