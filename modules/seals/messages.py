"""Message codes of the seals feature used by both the client and the server."""

from __future__ import annotations

from modules.common.messages import register

register(
    {
        "seal.stamp_needs_online": {
            "zh_CN": "加盖电子印章须连接服务器：{detail}",
            "en": "Stamping needs a connection to the server: {detail}",
        },
        "seal.stamp_pending": {
            "zh_CN": "用印指令已提交，但尚未得到服务器确认；联网后将自动完成。",
            "en": "The stamping order was sent but not yet confirmed; it completes once online.",
        },
        "seal.create_pending": {
            "zh_CN": "新建印章已提交，但尚未得到服务器确认；联网后将自动完成。",
            "en": "The new seal was sent but not yet confirmed; it is created once online.",
        },
        "seal.exists": {
            "zh_CN": "印章编号“{seal_id}”已被使用。",
            "en": "Seal id '{seal_id}' is already taken.",
        },
        "seal.no_personal_key": {
            "zh_CN": "本机没有您的个人签名密钥，请先登记个人签名证书。",
            "en": "This device holds no personal signing key; enrol your signing certificate first.",
        },
        "seal.keyring_unavailable": {
            "zh_CN": "本机没有可用的系统密钥环，无法保存个人签名密钥。",
            "en": "This device has no usable system keyring to keep the personal signing key.",
        },
        "seal.cert_not_synced": {
            "zh_CN": "个人签名证书尚未同步到本机，请联网同步后再签批。",
            "en": "Your signing certificate has not reached this device yet; sync and try again.",
        },
        "seal.pdf_unavailable": {
            "zh_CN": "文件尚未下载到本机，请联网同步后再打开。",
            "en": "The file is not on this device yet; sync and open it again.",
        },
        "seal.file_unreadable": {
            "zh_CN": "无法读取文件“{path}”：{detail}",
            "en": "The file '{path}' cannot be read: {detail}",
        },
        "seal.not_found": {
            "zh_CN": "找不到印章“{seal_id}”。",
            "en": "Seal '{seal_id}' does not exist.",
        },
        "seal.request_not_found": {
            "zh_CN": "找不到用印申请“{request_id}”。",
            "en": "Seal use request '{request_id}' does not exist.",
        },
        "seal.request_exists": {
            "zh_CN": "用印申请编号“{request_id}”已被使用。",
            "en": "Seal use request id '{request_id}' is already taken.",
        },
        "seal.pdf_not_uploaded": {
            "zh_CN": "待用印文件尚未上传完成，请联网同步后再提交。",
            "en": "The PDF to stamp has not been uploaded yet; sync and submit again.",
        },
        "seal.pdf_missing": {
            "zh_CN": "服务器上找不到待用印文件（{sha}）。",
            "en": "The PDF to stamp is missing on the server ({sha}).",
        },
        "seal.auto_placement_unavailable": {
            "zh_CN": "该文件不是按公文格式生成的，无法自动定位盖章位置，请拖放印章指定位置。",
            "en": "This file was not produced by the document renderer; drag the seal to place it.",
        },
        "seal.admin_required": {
            "zh_CN": "只有印章管理员可以{action}。",
            "en": "Only seal administrators may {action}.",
        },
        "seal.body_not_found": {
            "zh_CN": "找不到单位“{body_id}”。",
            "en": "Body '{body_id}' does not exist.",
        },
        "seal.person_not_found": {
            "zh_CN": "找不到人员“{person_id}”。",
            "en": "Person '{person_id}' does not exist.",
        },
        "seal.bad_public_key": {
            "zh_CN": "签名公钥无法读取（需要 PEM 格式的 EC P-256 或 RSA 公钥）。",
            "en": "The signing public key cannot be read (a PEM EC P-256 or RSA key is needed).",
        },
        "seal.not_enrolled": {
            "zh_CN": "{person} 尚未登记个人签名证书，无法核验手写签批。",
            "en": "{person} has no enrolled signing certificate; the signature cannot be checked.",
        },
        "seal.approval_cert_not_enrolled": {
            "zh_CN": "签批所用证书不是 {person} 当前登记的个人签名证书。",
            "en": "The signature was not made with {person}'s enrolled signing certificate.",
        },
        "seal.entry_not_found": {
            "zh_CN": "找不到用印登记“{entry_id}”。",
            "en": "Register entry '{entry_id}' does not exist.",
        },
        "seal.signature_strokes_required": {
            "zh_CN": "手写签批需要笔迹数据。",
            "en": "A handwritten sign-off needs its strokes.",
        },
    }
)
