"""Message catalog for expected errors: machine code -> sentence in zh_CN and en.

Modules register their own codes with :func:`register` at import time, so each feature
keeps its messages beside its rules. Templates use ``str.format`` fields named after the
error's params; a missing param renders as an empty string rather than failing.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

DEFAULT_LANG = "zh_CN"

CATALOG: dict[str, dict[str, str]] = {
    "internal_error": {
        "zh_CN": "系统内部错误，已记录（请求编号 {request_id}）。请稍后重试或联系管理员。",
        "en": "Internal error; it has been logged (request {request_id}). Try again later or contact the administrator.",
    },
    "request.malformed_json": {
        "zh_CN": "请求内容不是有效的 JSON：{detail}",
        "en": "The request body is not valid JSON: {detail}",
    },
    "request.invalid": {
        "zh_CN": "请求参数有误：{detail}",
        "en": "Invalid request: {detail}",
    },
    "request.too_large": {
        "zh_CN": "请求内容过大（上限 {limit} 字节）。",
        "en": "The request is too large (limit {limit} bytes).",
    },
    "request.not_found": {
        "zh_CN": "请求的地址不存在：{path}",
        "en": "No such address: {path}",
    },
    "request.method_not_allowed": {
        "zh_CN": "该地址不支持此操作（{method}）。",
        "en": "This address does not support {method}.",
    },
    "request.invalid_text": {
        "zh_CN": "“{field}”含有无法保存的字符（无效的 Unicode 编码或控制字符）。",
        "en": "“{field}” contains characters that cannot be stored (invalid Unicode or a control character).",
    },
    "request.too_long": {
        "zh_CN": "“{field}”过长（最多 {limit} 个字符）。",
        "en": "“{field}” is too long (at most {limit} characters).",
    },
    "auth.required": {
        "zh_CN": "请先登录。",
        "en": "Please sign in first.",
    },
    "auth.invalid_credentials": {
        "zh_CN": "账号或密码错误。",
        "en": "Wrong account or password.",
    },
    "auth.locked": {
        "zh_CN": "登录失败次数过多，账号已锁定，请在 {minutes} 分钟后重试。",
        "en": "Too many failed sign-ins; the account is locked for {minutes} minutes.",
    },
    "auth.token_expired": {
        "zh_CN": "登录已过期，请重新登录。",
        "en": "Your session has expired; please sign in again.",
    },
    "auth.token_invalid": {
        "zh_CN": "登录凭据无效，请重新登录。",
        "en": "Your sign-in is no longer valid; please sign in again.",
    },
    "auth.account_disabled": {
        "zh_CN": "该账号已停用。",
        "en": "This account is disabled.",
    },
    "auth.weak_password": {
        "zh_CN": "新密码至少 {min_length} 位，且须同时包含字母和数字。",
        "en": "The new password needs at least {min_length} characters with letters and digits.",
    },
    "auth.wrong_password": {
        "zh_CN": "原密码不正确。",
        "en": "The current password is wrong.",
    },
    "auth.device_revoked": {
        "zh_CN": "此设备已被移除（管理员吊销或本人在其他设备上移除），本机数据已清除，请重新登录。",
        "en": "This device has been removed (revoked by an administrator or by you on another "
              "device); its local data is wiped. Please sign in again.",
    },
    "permission.denied": {
        "zh_CN": "您没有权限执行此操作：{action}",
        "en": "You are not allowed to do this: {action}",
    },
    "sync.unknown_mutation": {
        "zh_CN": "客户端版本与服务器不匹配：未知的操作“{name}”。请升级客户端。",
        "en": "Client and server do not match: unknown operation '{name}'. Please update the client.",
    },
    "sync.bad_cursor": {
        "zh_CN": "同步位置无效，需要重新完整同步。",
        "en": "The sync position is not valid; a full resync is needed.",
    },
    "sync.resync_required": {
        "zh_CN": "本地数据需要与服务器完整重新同步。",
        "en": "The local data needs a full resync with the server.",
    },
    "sync.batch_too_large": {
        "zh_CN": "一次提交的操作过多（上限 {limit} 条）。",
        "en": "Too many operations in one push (limit {limit}).",
    },
    "sync.mutation_id_reused": {
        "zh_CN": "操作编号 {id} 已用于另一项操作。",
        "en": "Operation id {id} was already used for a different operation.",
    },
    "blob.hash_mismatch": {
        "zh_CN": "文件内容校验失败（SHA-256 不符），请重新上传。",
        "en": "The file failed its SHA-256 check; please upload it again.",
    },
    "blob.not_found": {
        "zh_CN": "文件不存在或无权访问。",
        "en": "The file does not exist or you may not read it.",
    },
    "blob.bad_offset": {
        "zh_CN": "上传位置不连续：服务器已有 {have} 字节，收到的起点是 {offset}。",
        "en": "Upload out of order: the server has {have} bytes, the chunk starts at {offset}.",
    },
    "blob.past_total": {
        "zh_CN": "上传的数据块超出了文件声明的大小（到第 {end} 字节，文件共 {total} 字节）。",
        "en": "The uploaded chunk runs past the declared file size (to byte {end} of {total}).",
    },
    "blob.too_large": {
        "zh_CN": "文件过大（上限 {limit} 字节）。",
        "en": "The file is too large (limit {limit} bytes).",
    },
    "offline": {
        "zh_CN": "无法连接服务器，已转为离线模式。",
        "en": "The server cannot be reached; working offline.",
    },
    "document.classified_refused": {
        "zh_CN": "本系统仅处理非涉密公文，不能录入或保存标有密级（{level}）的文件。请通过涉密渠道办理。",
        "en": "This system handles non-classified documents only; a document marked {level} cannot be entered or stored. Use the classified channel.",
    },
}


def register(entries: Mapping[str, Mapping[str, str]]) -> None:
    """Add a module's codes to the catalog. A code registered twice must not change."""
    for code, texts in entries.items():
        if "zh_CN" not in texts or "en" not in texts:
            raise ValueError(f"message {code!r} needs zh_CN and en texts")
        existing = CATALOG.get(code)
        if existing is not None and dict(existing) != dict(texts):
            raise ValueError(f"message {code!r} registered twice with different texts")
        CATALOG[code] = dict(texts)


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def normalise_lang(lang: str | None) -> str:
    """Map an Accept-Language value or locale name onto ``zh_CN`` or ``en``."""
    if not lang:
        return DEFAULT_LANG
    first = lang.split(",")[0].strip().lower().replace("-", "_")
    return "en" if first.startswith("en") else DEFAULT_LANG


def render(code: str, lang: str | None, params: Mapping[str, Any] | None = None) -> str:
    """The sentence for ``code`` in ``lang``; unknown codes fall back to the code itself."""
    texts = CATALOG.get(code)
    lang = normalise_lang(lang)
    if texts is None:
        return code
    template = texts.get(lang) or texts[DEFAULT_LANG]
    formatter = string.Formatter()
    return formatter.vformat(template, (), _Lenient(params or {}))
