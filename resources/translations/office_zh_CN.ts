<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>AdminPanel</name>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="338" />
            <source>New seal…</source>
            <translation>新建印章…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="341" />
            <source>No seals to manage</source>
            <translation>没有您可管理的印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="346" />
            <source>Seals you manage</source>
            <translation>我管理的印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="356" />
            <source>Choose a seal</source>
            <translation>选择一枚印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="358" />
            <source>Suspend</source>
            <translation>暂停使用</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="359" />
            <source>Reactivate</source>
            <translation>恢复启用</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="360" />
            <source>Revoke…</source>
            <translation>注销…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="423" />
            <source>%1 · %2 · valid %3 to %4</source>
            <translation>%1 · %2 · 有效期 %3 至 %4</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="455" />
            <source>Choose the owning body to see the picture.</source>
            <translation>选择所属单位后显示印模。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="467" />
            <source>Drawn from the body's name; the server draws the same picture.</source>
            <translation>按单位名称生成；服务器生成的印模与此相同。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="487" />
            <source>Seal created</source>
            <translation>已新建印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="493" />
            <source>Seal suspended</source>
            <translation>已暂停</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="493" />
            <source>Seal reactivated</source>
            <translation>已恢复</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="494" />
            <source>Seal revoked</source>
            <translation>已注销</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="501" />
            <source>Revoke the seal</source>
            <translation>注销印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="502" />
            <source>Revoking is final: %1 can never be used again. Revoke it?</source>
            <translation>注销后不可恢复：%1 将永久停用。确定注销吗？</translation>
        </message>
    </context>
    <context>
        <name>ApproveDialog</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="180" />
            <source>Approve the request</source>
            <translation>批准用印申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="183" />
            <source>{title} ({seal})</source>
            <translation>{title}（{seal}）</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="187" />
            <source>Agreed</source>
            <translation>同意</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="188" />
            <source>Opinion</source>
            <translation>审批意见</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="190" />
            <source>Sign by hand (signed with your personal certificate)</source>
            <translation>手写签批（以个人签名证书签名）</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="195" />
            <source>This device has no personal signing certificate yet: enrol one on the Seals tab to sign by hand.</source>
            <translation>本机尚无个人签名证书：在“印章”页登记后可手写签批。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="203" />
            <source>Undo stroke</source>
            <translation>撤销一笔</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="205" />
            <source>Clear</source>
            <translation>清除</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="210" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="212" />
            <source>Approve</source>
            <translation>批准</translation>
        </message>
    </context>
    <context>
        <name>ContactRow</name>
        <message>
            <location filename="../../modules/directory/views.py" line="440" />
            <source>Copy %1</source>
            <translation>复制%1</translation>
        </message>
    </context>
    <context>
        <name>DirectoryPage</name>
        <message>
            <location filename="../../modules/directory/views.py" line="583" />
            <source>Directory</source>
            <translation>通讯录</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="587" />
            <source>Search name, pinyin or initials</source>
            <translation>搜索姓名、拼音或首字母</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="591" />
            <source>Search the directory</source>
            <translation>搜索通讯录</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="614" />
            <source>Nobody matches.</source>
            <translation>没有找到匹配的人员。</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="636" />
            <source>No one in this unit.</source>
            <translation>该单位暂无人员。</translation>
        </message>
    </context>
    <context>
        <name>Documents</name>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="68" />
            <location filename="../../modules/documents/views/dialogs.py" line="133" />
            <source>Register</source>
            <extracomment>Qt's translation call; every string of the documents screens has the context "Documents" (catalog: resources/translations/office_zh_CN.ts).</extracomment>
            <translation>登记</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="68" />
            <location filename="../../modules/documents/views/dialogs.py" line="234" />
            <source>Dispatch</source>
            <translation>核发</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="69" />
            <location filename="../../modules/documents/views/detail.py" line="426" />
            <location filename="../../modules/documents/views/dialogs.py" line="205" />
            <source>Request a seal</source>
            <translation>用印申请</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="70" />
            <location filename="../../modules/documents/views/detail.py" line="430" />
            <location filename="../../modules/documents/views/page.py" line="612" />
            <source>Return to the sending body</source>
            <translation>退回发文机关</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="71" />
            <location filename="../../modules/documents/views/dialogs.py" line="283" />
            <source>Recall distribution</source>
            <translation>撤回分发</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="71" />
            <location filename="../../modules/documents/views/detail.py" line="374" />
            <location filename="../../modules/documents/views/detail.py" line="433" />
            <location filename="../../modules/documents/views/dialogs.py" line="309" />
            <source>Archive</source>
            <translation>归档</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="72" />
            <location filename="../../modules/documents/views/dialogs.py" line="376" />
            <source>Compare revisions</source>
            <translation>修订对比</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="72" />
            <location filename="../../modules/documents/views/page.py" line="646" />
            <source>Export processing form PDF</source>
            <translation>导出办文单 PDF</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="95" />
            <source>Search by name or pinyin</source>
            <translation>输入姓名或拼音搜索</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="144" />
            <location filename="../../modules/documents/views/detail.py" line="418" />
            <location filename="../../modules/documents/views/page.py" line="612" />
            <source>Return</source>
            <translation>退回</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="145" />
            <location filename="../../modules/documents/views/detail.py" line="605" />
            <source>Transfer</source>
            <translation>转办</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="145" />
            <location filename="../../modules/documents/views/detail.py" line="605" />
            <source>Delegate</source>
            <translation>委托</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="146" />
            <location filename="../../modules/documents/views/detail.py" line="606" />
            <source>Add signer</source>
            <translation>加签</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="146" />
            <location filename="../../modules/documents/views/detail.py" line="607" />
            <source>Remove signer</source>
            <translation>减签</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="147" />
            <location filename="../../modules/documents/views/detail.py" line="608" />
            <source>Withdraw</source>
            <translation>撤回</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="147" />
            <location filename="../../modules/documents/views/detail.py" line="608" />
            <source>Urge</source>
            <translation>催办</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="147" />
            <location filename="../../modules/documents/views/detail.py" line="609" />
            <source>Void</source>
            <translation>作废</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="160" />
            <source>Common opinions…</source>
            <translation>常用意见…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="163" />
            <source>Common</source>
            <translation>常用</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="166" />
            <source>Opinion</source>
            <translation>意见</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="167" />
            <source>{kind} (optional)</source>
            <translation>{kind}（可不填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="176" />
            <source>Person for {step}</source>
            <translation>{step}人</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="182" />
            <source>Return to</source>
            <translation>退回到</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="183" />
            <source>Reason for returning (required)</source>
            <translation>退回理由（必填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="184" />
            <location filename="../../modules/documents/views/detail.py" line="202" />
            <location filename="../../modules/documents/views/dialogs.py" line="267" />
            <source>Reason</source>
            <translation>理由</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="188" />
            <source>Transfer to</source>
            <translation>转给</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="188" />
            <source>Delegate to</source>
            <translation>委托给</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="189" />
            <source>Signer to add</source>
            <translation>加签人</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="191" />
            <source>Note on the transfer (optional)</source>
            <translation>转办说明（可不填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="192" />
            <location filename="../../modules/documents/views/models.py" line="190" />
            <source>Note</source>
            <translation>说明</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="196" />
            <source>Signer to remove</source>
            <translation>减去</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="198" />
            <source>Message (optional)</source>
            <translation>催办内容（可不填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="199" />
            <source>Message</source>
            <translation>内容</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="201" />
            <source>Reason for voiding (required)</source>
            <translation>作废理由（必填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="204" />
            <source>Withdraw your last step? Only possible while nobody has handled the next step yet.</source>
            <translation>撤回您的上一步办理？下一环节尚无人办理时才能撤回。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="211" />
            <source>OK</source>
            <translation>确定</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="213" />
            <location filename="../../modules/documents/views/dialogs.py" line="87" />
            <location filename="../../modules/documents/views/editor.py" line="422" />
            <source>Cancel</source>
            <extracomment>Qt's translation call; every string of the documents screens has the context "Documents" (catalog: resources/translations/office_zh_CN.ts).</extracomment>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="252" />
            <location filename="../../modules/documents/views/dialogs.py" line="271" />
            <source>Please give a reason.</source>
            <translation>请填写理由。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="257" />
            <source>Please choose a person first.</source>
            <translation>请先选择人员。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="276" />
            <source>Drafting note</source>
            <extracomment>Opinion rows of the form: step keys (labels: :meth:`row_labels`).</extracomment>
            <translation>拟稿说明</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="276" />
            <source>Review opinion</source>
            <translation>核稿意见</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="277" />
            <source>Countersign opinion</source>
            <translation>会签意见</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="277" />
            <source>Sign-off</source>
            <translation>签发</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="278" />
            <source>Recheck</source>
            <translation>复核</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="278" />
            <source>Registration</source>
            <translation>登记</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="279" />
            <source>Screening opinion</source>
            <translation>初审意见</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="279" />
            <source>Proposed handling</source>
            <translation>拟办意见</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="280" />
            <source>Leader's instruction</source>
            <translation>领导批示</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="280" />
            <source>Handling</source>
            <translation>办理情况</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="281" />
            <source>Circulation</source>
            <translation>传阅</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="281" />
            <source>Completion</source>
            <translation>办结</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="320" />
            <source>Outgoing document form</source>
            <translation>发文稿纸</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="320" />
            <source>Incoming document form</source>
            <translation>收文处理笺</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="327" />
            <location filename="../../modules/documents/views/editor.py" line="374" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="330" />
            <location filename="../../modules/documents/views/dialogs.py" line="144" />
            <location filename="../../modules/documents/views/dialogs.py" line="152" />
            <location filename="../../modules/documents/views/dialogs.py" line="206" />
            <location filename="../../modules/documents/views/dialogs.py" line="235" />
            <source>Document number</source>
            <translation>发文字号</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="330" />
            <location filename="../../modules/documents/views/dialogs.py" line="161" />
            <source>Sender's number</source>
            <translation>来文字号</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="331" />
            <source>(numbered at registration)</source>
            <translation>（登记时编号）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="332" />
            <location filename="../../modules/documents/views/editor.py" line="371" />
            <source>Urgency</source>
            <translation>紧急程度</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="335" />
            <source>Drafting unit</source>
            <translation>拟稿单位</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="335" />
            <location filename="../../modules/documents/views/dialogs.py" line="159" />
            <source>Sending body</source>
            <translation>来文机关</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="338" />
            <source>Drafter</source>
            <translation>拟稿人</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="338" />
            <location filename="../../modules/documents/views/dialogs.py" line="152" />
            <source>Receipt number</source>
            <translation>收文号</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="341" />
            <location filename="../../modules/documents/views/dialogs.py" line="155" />
            <location filename="../../modules/documents/views/dialogs.py" line="237" />
            <location filename="../../modules/documents/views/editor.py" line="379" />
            <source>Main recipients</source>
            <translation>主送</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="344" />
            <location filename="../../modules/documents/views/dialogs.py" line="156" />
            <location filename="../../modules/documents/views/dialogs.py" line="238" />
            <location filename="../../modules/documents/views/editor.py" line="381" />
            <source>Copied to</source>
            <translation>抄送</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="355" />
            <location filename="../../modules/documents/views/detail.py" line="526" />
            <location filename="../../modules/documents/views/models.py" line="222" />
            <source>{writer} (for {person})</source>
            <translation>{writer}（代{person}）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="364" />
            <source>Other opinions</source>
            <translation>其他意见</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="370" />
            <source>Retention {period}</source>
            <translation>保管期限 {period}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="372" />
            <source>Archive no. {number}</source>
            <translation>档号 {number}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="420" />
            <source>Edit draft</source>
            <translation>修改稿件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="422" />
            <source>More</source>
            <translation>更多</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="456" />
            <location filename="../../modules/documents/views/detail.py" line="561" />
            <source>Preparing the text…</source>
            <translation>正在准备正文…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="458" />
            <source>Text</source>
            <translation>正文</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="472" />
            <source>Processing form</source>
            <translation>办文单</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="478" />
            <source>By person</source>
            <translation>按人员</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="494" />
            <source>By body</source>
            <translation>按单位</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="498" />
            <source>Flow record</source>
            <translation>流转记录</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="504" />
            <location filename="../../modules/documents/views/editor.py" line="409" />
            <source>Attachments</source>
            <translation>附件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="512" />
            <location filename="../../modules/documents/views/models.py" line="124" />
            <source>(untitled)</source>
            <extracomment>Qt's translation call; every string of the documents screens has the context "Documents" (catalog: resources/translations/office_zh_CN.ts). (tab, (sort_at, id) of the last row): the view wants the next page.</extracomment>
            <translation>（无标题）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="515" />
            <source>Revision {n}</source>
            <translation>第{n}稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="517" />
            <source>Electronic seal requested (approved and stamped in Seals)</source>
            <translation>已提交电子用印申请（在“印章”中审批、盖章）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="528" />
            <source>Delivered {delivered} · opened {opened} · took {took}</source>
            <translation>送达 {delivered} · 打开 {opened} · 用时 {took}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="537" />
            <source>Delivered</source>
            <translation>已送达</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="537" />
            <source>Signed for</source>
            <translation>已签收</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="538" />
            <source>Registered</source>
            <translation>已登记</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="538" />
            <source>Returned</source>
            <translation>已退回</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="539" />
            <source>Recalled</source>
            <translation>已撤回</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="539" />
            <location filename="../../modules/documents/views/page.py" line="77" />
            <source>Completed</source>
            <translation>已办结</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="540" />
            <source>Archived</source>
            <translation>已归档</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="541" />
            <source>{body}　{state}　delivered {delivered}　took {took}</source>
            <translation>{body}　{state}　送达 {delivered}　用时 {took}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="552" />
            <source>Attachments {n}</source>
            <translation>附件 {n}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="570" />
            <source>The text is downloading; it shows once online.</source>
            <translation>正文正在下载，联网后自动显示。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="571" />
            <source>The text is not available yet.</source>
            <translation>正文暂不可用。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="137" />
            <source>Agency code, e.g. 粤政数</source>
            <translation>机关代字，如 粤政数</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="146" />
            <source>Already numbered; registering again keeps the number.</source>
            <translation>本件已编号，再次登记沿用原文号。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="150" />
            <source>Agency code</source>
            <translation>机关代字</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="150" />
            <source>Receipt prefix</source>
            <translation>收文字头</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="151" />
            <location filename="../../modules/documents/views/dialogs.py" line="330" />
            <source>Year</source>
            <translation>年度</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="169" />
            <source>Seal on paper (confirmed by the seal custodian)</source>
            <translation>线下用印（由印章管理员确认）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="170" />
            <location filename="../../modules/documents/views/dialogs.py" line="242" />
            <source>Seal</source>
            <translation>用印</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="172" />
            <source>This body has no electronic seal to request.</source>
            <translation>本机关尚无可申请的电子印章。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="180" />
            <source>{code}〔{year}〕N号 (N is assigned by the system)</source>
            <translation>{code}〔{year}〕N号　（序号由系统统一编排）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="182" />
            <source>(enter the agency code)</source>
            <translation>（请填写机关代字）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="186" />
            <source>Please enter the agency code.</source>
            <translation>请填写机关代字。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="188" />
            <source>Please choose the main recipients in the draft first.</source>
            <translation>请先在稿件中选择主送机关。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="205" />
            <source>Submit request</source>
            <translation>提交申请</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="211" />
            <source>Seal to use</source>
            <translation>印章</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="213" />
            <source>Purpose</source>
            <translation>事由</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="215" />
            <source>Copies</source>
            <translation>份数</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="218" />
            <source>This body has no electronic seal you may request; seal on paper and the seal custodian confirms it.</source>
            <translation>本机关尚无您可申请的电子印章，请线下用印后由印章管理员确认。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="223" />
            <source>Please choose the seal to use.</source>
            <translation>请选择要使用的印章。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="234" />
            <source>Confirm dispatch</source>
            <translation>确认核发</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="240" />
            <source>Electronic seal applied</source>
            <translation>已加盖电子印章</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="240" />
            <source>Seal request pending</source>
            <translation>用印申请待办</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="241" />
            <source>Waiting for the seal</source>
            <translation>待用印</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="243" />
            <source>No seal needed</source>
            <translation>无需用印</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="245" />
            <source>Seal on paper confirmed</source>
            <translation>线下用印已确认</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="248" />
            <source>Dispatch sends it to the {n} bodies above; each body's clerk signs for it.</source>
            <translation>核发后将向以上 {n} 个机关分发，各机关收发员签收。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="253" />
            <source>Please choose the main recipients first.</source>
            <translation>请先选择主送机关。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="265" />
            <source>Reason (required)</source>
            <translation>理由（必填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="283" />
            <source>Recall</source>
            <translation>撤回</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="284" />
            <source>Only bodies that have not signed for it can be recalled; it then no longer shows in their incoming documents.</source>
            <translation>只能撤回尚未签收的机关；撤回后对方收文中不再显示。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="297" />
            <source>Please choose the bodies to recall from.</source>
            <translation>请选择要撤回的机关。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="315" />
            <source>Retention period</source>
            <translation>保管期限</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="318" />
            <source>Fonds number, e.g. Z001</source>
            <translation>全宗号，如 Z001</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="323" />
            <source>Unit code (optional)</source>
            <translation>机构代码（可不填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="327" />
            <source>Archive number (optional; composed once the fonds number is filled in)</source>
            <translation>档号（可不填，填写全宗号后自动生成）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="329" />
            <source>Fonds number</source>
            <translation>全宗号</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="329" />
            <source>Category code</source>
            <translation>门类代码</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="330" />
            <source>Unit code</source>
            <translation>机构代码</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="331" />
            <source>Item number</source>
            <translation>件号</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="331" />
            <source>Archive number</source>
            <translation>档号</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="333" />
            <source>Archive number format: fonds-category·year-retention code-unit code-item</source>
            <translation>档号格式：全宗号-门类代码·年度-保管期限代码-机构代码-件号</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="386" />
            <source>Revision {n} {who}</source>
            <translation>第{n}稿 {who}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="388" />
            <source> ({note})</source>
            <translation>（{note}）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="394" />
            <source>Older</source>
            <translation>旧稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="395" />
            <source>Newer</source>
            <translation>新稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="404" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="417" />
            <source>Only one revision: nothing to compare.</source>
            <translation>只有一稿，无可对比的修订。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="419" />
            <source>Comparing…</source>
            <translation>正在比较…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="424" />
            <source>Revision {old} → revision {new}: {added} characters added, {deleted} deleted</source>
            <translation>第{old}稿 → 第{new}稿：增加 {added} 字，删除 {deleted} 字</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="57" />
            <source>Body text</source>
            <extracomment>Qt's translation call; every string of the documents screens has the context "Documents" (catalog: resources/translations/office_zh_CN.ts).</extracomment>
            <translation>正文</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="57" />
            <source>Heading 1</source>
            <translation>一级标题</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="57" />
            <source>Heading 2</source>
            <translation>二级标题</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="57" />
            <source>Heading 3</source>
            <translation>三级标题</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="57" />
            <source>Heading 4</source>
            <translation>四级标题</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="105" />
            <source>Type the text here. Set heading levels with the buttons above or Ctrl+1…4; numbering is automatic.</source>
            <translation>在此输入正文。标题层级用上方按钮或 Ctrl+1…4 设置，序号自动编排。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="307" />
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="350" />
            <location filename="../../modules/documents/views/editor.py" line="453" />
            <source>New draft</source>
            <translation>拟稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="369" />
            <source>None</source>
            <translation>无</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="370" />
            <source>Document type</source>
            <translation>文种</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="373" />
            <source>e.g. 关于……的通知</source>
            <translation>关于……的通知</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="376" />
            <source>e.g. ××市人民政府办公室文件</source>
            <translation>××市人民政府办公室文件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="377" />
            <source>Issuer mark</source>
            <translation>发文机关标志</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="378" />
            <source>＋ Choose main recipients</source>
            <translation>＋ 选择主送机关</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="380" />
            <source>＋ Choose copy recipients</source>
            <translation>＋ 选择抄送机关</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="383" />
            <source>Issuing body signature</source>
            <translation>发文机关署名</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="384" />
            <source>Signature</source>
            <translation>署名</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="395" />
            <source>{name} (Ctrl+{n})</source>
            <translation>{name}（Ctrl+{n}）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="411" />
            <source>＋ Add attachment</source>
            <translation>＋ 添加附件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="424" />
            <source>Save draft</source>
            <translation>保存草稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="426" />
            <source>Submit for review</source>
            <translation>提交核稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="470" />
            <source>Edit draft (revision {n})</source>
            <translation>修改稿（第{n}稿）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="538" />
            <source>Add attachment</source>
            <translation>添加附件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="538" />
            <source>PDF files (*.pdf);;All files (*)</source>
            <translation>PDF 文件 (*.pdf);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/models.py" line="189" />
            <source>Step</source>
            <translation>环节</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/models.py" line="189" />
            <source>Handled by</source>
            <translation>办理人</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/models.py" line="189" />
            <source>Delivered at</source>
            <translation>送达</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/models.py" line="189" />
            <source>Opened at</source>
            <translation>打开</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/models.py" line="189" />
            <source>Acted</source>
            <translation>办理</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/models.py" line="189" />
            <source>Took</source>
            <translation>用时</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="76" />
            <source>All statuses</source>
            <extracomment>Qt's translation call; every string of the documents screens has the context "Documents" (catalog: resources/translations/office_zh_CN.ts).</extracomment>
            <translation>全部状态</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="76" />
            <source>Draft</source>
            <translation>草稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="76" />
            <source>In progress</source>
            <translation>办理中</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="77" />
            <source>Voided</source>
            <translation>已作废</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="82" />
            <source>Any time</source>
            <translation>不限时间</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="82" />
            <source>Last 7 days</source>
            <translation>近7天</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="82" />
            <source>Last 30 days</source>
            <translation>近30天</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="83" />
            <source>Last year</source>
            <translation>近一年</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="88" />
            <source>To do</source>
            <translation>待办</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="88" />
            <source>Done</source>
            <translation>已办</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="88" />
            <source>Started by me</source>
            <translation>我发起</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="89" />
            <source>Circulated</source>
            <translation>传阅</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="89" />
            <source>All</source>
            <translation>全部</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="208" />
            <source>Waiting for {names}</source>
            <translation>待 {names}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="262" />
            <source>Documents</source>
            <translation>公文</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="266" />
            <source>＋ New draft</source>
            <translation>＋ 拟稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="276" />
            <source>Search titles, numbers, text, opinions, attachments</source>
            <translation>搜索标题、文号、正文、意见、附件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="280" />
            <source>Search documents</source>
            <translation>搜索公文</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="286" />
            <source>All types</source>
            <translation>全部文种</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="326" />
            <location filename="../../modules/documents/views/page.py" line="472" />
            <source>No documents here.</source>
            <translation>这里没有公文。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="330" />
            <source>Batch approval</source>
            <translation>批量签批</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="333" />
            <location filename="../../modules/documents/views/page.py" line="680" />
            <source>Approve selected</source>
            <translation>签批所选</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="355" />
            <source>Choose a document on the left to see it.</source>
            <translation>选择左侧的公文查看。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="467" />
            <source>{n} found</source>
            <translation>找到 {n} 件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="469" />
            <source> (only the first 200 shown)</source>
            <translation>（仅显示前 200 件）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="472" />
            <source>No matching documents.</source>
            <translation>没有找到相关公文。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="537" />
            <location filename="../../modules/documents/views/page.py" line="834" />
            <source>Not applied: {reasons}</source>
            <translation>未生效：{reasons}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="613" />
            <source>Return a document that does not meet the requirements to its sender; it is then completed here.</source>
            <translation>来文不符合收文要求时退回发文机关，本件随即办结。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="647" />
            <source>Processing form-{title}.pdf</source>
            <translation>办文单-{title}.pdf</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="648" />
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="659" />
            <source>Processing form exported: {path}</source>
            <translation>办文单已导出：{path}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="680" />
            <source>Approve selected ({n})</source>
            <translation>签批所选（{n}）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="693" />
            <source>Approved: {n}</source>
            <translation>已签批 {n} 件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="694" />
            <source> (sent once online when offline)</source>
            <translation>（离线时联网后提交）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="698" />
            <source>Batch approval result</source>
            <translation>批量签批结果</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="772" />
            <source>Attachment “{name}” is downloading; it opens once online.</source>
            <translation>附件“{name}”正在下载，联网后可打开。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="777" />
            <source>Attachment “{name}” downloaded ({kb} KB).</source>
            <translation>附件“{name}”已下载（{kb} KB）。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="793" />
            <source>Choose bodies</source>
            <translation>选择机关</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="806" />
            <source>Search by body name</source>
            <translation>输入机关名称搜索</translation>
        </message>
    </context>
    <context>
        <name>DropArea</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="737" />
            <source>Drop a PDF file here, or choose one with the button below</source>
            <translation>将 PDF 文件拖放到这里，或点击下方按钮选择文件</translation>
        </message>
    </context>
    <context>
        <name>InkPad</name>
        <message>
            <location filename="../../modules/seals/views/ink.py" line="186" />
            <source>Signature pad</source>
            <extracomment>Pen width at pressure 0.5, as a fraction of the pad's height.</extracomment>
            <translation>手写签名板</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/ink.py" line="187" />
            <source>Sign here by hand</source>
            <translation>请在此处手写签名</translation>
        </message>
    </context>
    <context>
        <name>LoginView</name>
        <message>
            <location filename="../../office_app/login.py" line="185" />
            <source>Office collaboration — sign in</source>
            <translation>协同办公 — 登录</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="212" />
            <source>Office collaboration</source>
            <translation>协同办公</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="215" />
            <source>Documents, meetings, supervision and seals — also offline.</source>
            <translation>公文、会议、督办、印章，离线也能办公。</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="223" />
            <location filename="../../office_app/login.py" line="234" />
            <source>Server address</source>
            <translation>服务器地址</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="226" />
            <location filename="../../office_app/login.py" line="227" />
            <location filename="../../office_app/login.py" line="235" />
            <source>Account</source>
            <translation>账号</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="230" />
            <location filename="../../office_app/login.py" line="231" />
            <location filename="../../office_app/login.py" line="236" />
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="241" />
            <source>Sign-in problem</source>
            <translation>登录提示</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="244" />
            <location filename="../../office_app/login.py" line="398" />
            <source>Sign in</source>
            <translation>登录</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="247" />
            <source>Enter offline with the saved session</source>
            <translation>使用本机保存的会话离线进入</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="256" />
            <location filename="../../office_app/login.py" line="301" />
            <source>Demo server — choose an account to try:</source>
            <translation>演示服务器 — 选择一个账号体验：</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="270" />
            <source>Demo accounts</source>
            <translation>演示账号</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="300" />
            <source>Demo server — choose an account to try (password %1):</source>
            <translation>演示服务器 — 选择一个账号体验（密码 %1）：</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="326" />
            <source>Enter the server address, starting with http:// or https://.</source>
            <translation>请输入服务器地址，以 http:// 或 https:// 开头。</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="330" />
            <source>Enter your account.</source>
            <translation>请输入账号。</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="343" />
            <source>Enter your password.</source>
            <translation>请输入密码。</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="345" />
            <source>Signing in…</source>
            <translation>正在登录…</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="359" />
            <source>Opening…</source>
            <translation>正在打开…</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="379" />
            <source>If you have signed in on this device before, you can enter offline.</source>
            <translation>如果曾在本机登录过，可以离线进入。</translation>
        </message>
        <message>
            <location filename="../../office_app/run.py" line="82" />
            <source>Signing out…</source>
            <translation>正在退出登录…</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../office_app/main_window.py" line="104" />
            <location filename="../../office_app/main_window.py" line="152" />
            <source>Office collaboration</source>
            <translation>协同办公</translation>
        </message>
        <message>
            <location filename="../../office_app/main_window.py" line="201" />
            <source>Back</source>
            <translation>返回</translation>
        </message>
    </context>
    <context>
        <name>Navigation</name>
        <message>
            <location filename="../../office_app/navigation.py" line="50" />
            <source>Workbench</source>
            <extracomment>Bottom tab bar at phone width (at most five): the rest sit under 更多 (more).</extracomment>
            <translation>工作台</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="51" />
            <source>Documents</source>
            <translation>公文</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="52" />
            <source>Meetings</source>
            <translation>会议</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="53" />
            <source>Supervision</source>
            <translation>督办</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="54" />
            <source>Seals</source>
            <translation>印章</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="55" />
            <source>Directory</source>
            <translation>通讯录</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="56" />
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="57" />
            <source>More</source>
            <translation>更多</translation>
        </message>
    </context>
    <context>
        <name>PeoplePicker</name>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="71" />
            <source>Filter by name</source>
            <translation>按姓名筛选</translation>
        </message>
    </context>
    <context>
        <name>PersonDetail</name>
        <message>
            <location filename="../../modules/directory/views.py" line="470" />
            <source>Choose a person to see the details.</source>
            <translation>选择一位人员查看详细信息。</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="501" />
            <source>Posts</source>
            <translation>职务</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="511" />
            <source>Phone</source>
            <translation>电话</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="512" />
            <source>Email</source>
            <translation>邮箱</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="550" />
            <source>Copied: %1</source>
            <translation>已复制：%1</translation>
        </message>
    </context>
    <context>
        <name>PlaceholderPage</name>
        <message>
            <location filename="../../office_app/widgets.py" line="140" />
            <source>This module could not be loaded.</source>
            <extracomment>Minimum height of anything tappable at phone width (Apple HIG / Material: 44–48 px). Window width at which the layout switches from phone to wide.</extracomment>
            <translation>该模块加载失败</translation>
        </message>
        <message>
            <location filename="../../office_app/widgets.py" line="141" />
            <source>The error has been logged; please contact the administrator.</source>
            <translation>错误已记录，请联系管理员。</translation>
        </message>
        <message>
            <location filename="../../office_app/widgets.py" line="143" />
            <source>This module is under construction.</source>
            <translation>该模块正在建设中</translation>
        </message>
        <message>
            <location filename="../../office_app/widgets.py" line="144" />
            <source>It will appear here once it is installed.</source>
            <translation>模块上线后将在此处显示。</translation>
        </message>
    </context>
    <context>
        <name>RegisterPanel</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="633" />
            <location filename="../../modules/seals/views/page.py" line="687" />
            <source>All seals</source>
            <translation>全部印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="642" />
            <source>Search title, reason, requester</source>
            <translation>搜索标题、事由、申请人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="644" />
            <source>Export CSV…</source>
            <translation>导出 CSV…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="696" />
            <source>{n} register entries</source>
            <translation>共 {n} 条用印记录</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="700" />
            <source>Export the seal register</source>
            <translation>导出用印登记簿</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="701" />
            <source>seal-register-{day}.csv</source>
            <translation>用印登记-{day}.csv</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="702" />
            <source>CSV files (*.csv)</source>
            <translation>CSV 文件 (*.csv)</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="708" />
            <source>Exported to {name}</source>
            <translation>已导出到 {name}</translation>
        </message>
    </context>
    <context>
        <name>RequestDialog</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="126" />
            <source>Request to use a seal — {name}</source>
            <translation>申请用印 — {name}</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="130" />
            <source>Choose a PDF file…</source>
            <translation>选择 PDF 文件…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="133" />
            <source>Document title</source>
            <translation>文件标题</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="135" />
            <source>Reason for the seal, e.g. a request sent to a higher body</source>
            <translation>用印事由，例如：对外报送请示</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="139" />
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="140" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="141" />
            <source>Reason</source>
            <translation>用印事由</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="142" />
            <source>Copies</source>
            <translation>份数</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="145" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="147" />
            <source>Submit request</source>
            <translation>提交申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="154" />
            <source>Choose the file to seal</source>
            <translation>选择待用印文件</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="155" />
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
    </context>
    <context>
        <name>RequestsPanel</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="258" />
            <source>No use requests</source>
            <translation>暂无用印申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="264" />
            <location filename="../../modules/seals/views/page.py" line="333" />
            <source>Choose a request to see it</source>
            <translation>选择一个用印申请查看详情</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="268" />
            <source>Signed by hand (with a personal certificate)</source>
            <translation>手写签批（以个人签名证书签名）</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="276" />
            <source>Approve…</source>
            <translation>批准…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="277" />
            <source>Refuse…</source>
            <translation>拒绝…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="278" />
            <source>Withdraw</source>
            <translation>撤销申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="279" />
            <source>Stamp…</source>
            <translation>用印…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="280" />
            <source>View file</source>
            <translation>查看文件</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="342" />
            <source>Seal</source>
            <translation>印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="342" />
            <source>Reason</source>
            <translation>用印事由</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="343" />
            <source>Copies</source>
            <translation>份数</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="343" />
            <source>{copies} ({used} used)</source>
            <translation>{copies} 份（已用 {used} 份）</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="345" />
            <source>Requester</source>
            <translation>申请人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="346" />
            <source>Requested</source>
            <translation>申请时间</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="347" />
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="350" />
            <source>Decided by</source>
            <translation>审批人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="353" />
            <source>Opinion</source>
            <translation>审批意见</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="354" />
            <source>File digest</source>
            <translation>文件摘要</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="378" />
            <source>Approved</source>
            <translation>已批准</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="384" />
            <source>Refuse the request</source>
            <translation>拒绝用印申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="385" />
            <source>Reason for refusing:</source>
            <translation>拒绝理由：</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="388" />
            <source>Refused</source>
            <translation>已拒绝</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="394" />
            <source>Withdrawn</source>
            <translation>已撤销</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="410" />
            <source>File</source>
            <translation>文件</translation>
        </message>
    </context>
    <context>
        <name>SealForm</name>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="121" />
            <source>New seal</source>
            <translation>新建印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="123" />
            <source>e.g. Office of the City Government seal</source>
            <translation>例如：某某市人民政府办公室公章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="125" />
            <source>Official seal</source>
            <translation>单位公章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="125" />
            <source>Department seal</source>
            <translation>部门章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="126" />
            <source>Contract seal</source>
            <translation>合同章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="126" />
            <source>Personal seal</source>
            <translation>个人名章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="140" />
            <source>Optional, e.g. 合同专用章</source>
            <translation>可选，例如：合同专用章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="143" />
            <source>%1 mm</source>
            <translation>%1 毫米</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="144" />
            <source>Draw the picture</source>
            <translation>自动生成印模</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="145" />
            <source>Upload a picture (PNG)</source>
            <translation>上传印模（PNG）</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="147" />
            <source>Choose PNG…</source>
            <translation>选择 PNG…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="160" />
            <source>Create seal</source>
            <translation>新建</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="161" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="167" />
            <location filename="../../modules/seals/views/admin.py" line="276" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="168" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="169" />
            <location filename="../../modules/seals/views/admin.py" line="278" />
            <source>Owning body</source>
            <translation>所属单位</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="170" />
            <source>Custodians</source>
            <translation>保管人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="171" />
            <source>Approvers</source>
            <translation>审批领导</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="172" />
            <source>Allowed requesters</source>
            <translation>可申请人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="173" />
            <source>Valid from</source>
            <translation>启用日期</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="174" />
            <source>Valid until</source>
            <translation>截止日期</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="175" />
            <source>Text under the star</source>
            <translation>星下文字</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="176" />
            <source>Diameter</source>
            <translation>直径</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="186" />
            <source>Width</source>
            <translation>宽</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="188" />
            <source>Height</source>
            <translation>高</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="192" />
            <source>Picture</source>
            <translation>印模</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="247" />
            <source>Choose the seal picture</source>
            <translation>选择印模图片</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="248" />
            <source>PNG pictures (*.png)</source>
            <translation>PNG 图片 (*.png)</translation>
        </message>
    </context>
    <context>
        <name>SealLabels</name>
        <message>
            <location filename="../../modules/seals/views/models.py" line="35" />
            <source>Active</source>
            <translation>启用</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="35" />
            <source>Suspended</source>
            <translation>暂停使用</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="35" />
            <source>Revoked</source>
            <translation>已注销</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="41" />
            <source>Pending</source>
            <translation>待审批</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="41" />
            <source>Approved</source>
            <translation>已批准</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="41" />
            <location filename="../../modules/seals/views/models.py" line="59" />
            <source>Refused</source>
            <translation>已拒绝</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="42" />
            <source>Used up</source>
            <translation>已用完</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="42" />
            <source>Withdrawn</source>
            <translation>已撤销</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="48" />
            <source>Official seal</source>
            <translation>单位公章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="48" />
            <source>Department seal</source>
            <translation>部门章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="49" />
            <source>Contract seal</source>
            <translation>合同章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="49" />
            <source>Personal seal</source>
            <translation>个人名章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="59" />
            <source>Refused: {reason}</source>
            <translation>已拒绝：{reason}</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="60" />
            <source>Stamped</source>
            <translation>已用印</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="122" />
            <source>I keep it</source>
            <translation>我保管</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="124" />
            <source>I approve</source>
            <translation>我审批</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="126" />
            <source>I may request</source>
            <translation>可申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="171" />
            <source>{used}/{copies} copies</source>
            <translation>{used}/{copies} 份</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="201" />
            <source>Stamped at</source>
            <extracomment>language of the refusal reasons (the server's message catalog)</extracomment>
            <translation>用印时间</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="201" />
            <source>Seal</source>
            <translation>印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="202" />
            <source>Document title</source>
            <translation>文件标题</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="202" />
            <source>Reason</source>
            <translation>用印事由</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="203" />
            <source>Requester</source>
            <translation>申请人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="203" />
            <source>Approver</source>
            <translation>审批人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="204" />
            <source>Stamped by</source>
            <translation>盖章人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="204" />
            <source>Copy</source>
            <translation>份次</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="205" />
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="205" />
            <source>Digest after stamping</source>
            <translation>用印后文件摘要</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="257" />
            <source>Verdict</source>
            <translation>结论</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="257" />
            <source>Signer</source>
            <translation>签章人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="257" />
            <source>Organisation</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="258" />
            <source>Signed at</source>
            <translation>签章时间</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="258" />
            <source>Covers</source>
            <translation>覆盖范围</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="258" />
            <source>Notes</source>
            <translation>说明</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="289" />
            <source>; </source>
            <translation>；</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="290" />
            <source>Signature valid; the file was not changed</source>
            <translation>签名有效，文件未被改动</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="300" />
            <source>Valid</source>
            <translation>有效</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="300" />
            <source>Invalid</source>
            <translation>无效</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="306" />
            <source>Entire file</source>
            <translation>整个文件</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="307" />
            <source>The version signed</source>
            <translation>签章时的版本</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="308" />
            <source>Part</source>
            <translation>部分</translation>
        </message>
    </context>
    <context>
        <name>SealsPage</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="70" />
            <source>To decide</source>
            <translation>待我审批</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="71" />
            <source>To stamp</source>
            <translation>待用印</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="72" />
            <source>My requests</source>
            <translation>我的申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="73" />
            <source>All</source>
            <translation>全部</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="81" />
            <source>Internal error; try again later, and tell the administrator if it persists.</source>
            <translation>内部错误，请稍后重试；如仍出现请联系管理员。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="856" />
            <location filename="../../modules/seals/views/page.py" line="877" />
            <source>Seals</source>
            <translation>印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="876" />
            <source>Use requests</source>
            <translation>用印申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="878" />
            <source>Register</source>
            <translation>用印登记</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="879" />
            <source>Verify</source>
            <translation>验证</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="1004" />
            <source>Administration</source>
            <translation>印章管理</translation>
        </message>
    </context>
    <context>
        <name>SealsPanel</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="466" />
            <source>You have no seals to see</source>
            <translation>您没有可查看的印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="471" />
            <location filename="../../modules/seals/views/page.py" line="537" />
            <source>Enrol a personal signing certificate</source>
            <translation>登记个人签名证书</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="485" />
            <source>Choose a seal to see it</source>
            <translation>选择一枚印章查看详情</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="491" />
            <source>Request use…</source>
            <translation>申请用印…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="493" />
            <source>Suspend</source>
            <translation>暂停使用</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="494" />
            <source>Suspended</source>
            <translation>已暂停</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="495" />
            <source>Reactivate</source>
            <translation>恢复启用</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="497" />
            <source>Reactivated</source>
            <translation>已恢复</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="525" />
            <source>Personal signing certificate enrolled (serial {serial}); you can sign approvals by hand.</source>
            <translation>个人签名证书已登记（序列号 {serial}），审批时可手写签批。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="527" />
            <location filename="../../modules/seals/views/page.py" line="532" />
            <source>Enrol again</source>
            <translation>重新登记</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="530" />
            <source>Personal signing key made; waiting for the server to issue the certificate (usable after the next sync).</source>
            <translation>已生成个人签名密钥，等待服务器签发证书（联网同步后可用）。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="535" />
            <source>No personal signing certificate yet. Once enrolled you can sign approvals by hand, offline too.</source>
            <translation>尚未登记个人签名证书。登记后，审批用印时可手写签批，离线也能签名。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="547" />
            <source>, </source>
            <translation>、</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="551" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="552" />
            <source>Owning body</source>
            <translation>所属单位</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="553" />
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="554" />
            <source>Custodians</source>
            <translation>保管人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="555" />
            <source>Approvers</source>
            <translation>审批领导</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="556" />
            <source>Allowed requesters</source>
            <translation>可申请人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="557" />
            <source>Valid</source>
            <translation>有效期</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="557" />
            <source>{start} to {end}</source>
            <translation>{start} 至 {end}</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="560" />
            <source>Certificate serial</source>
            <translation>证书序列号</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="606" />
            <source>Request submitted</source>
            <translation>已提交用印申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="615" />
            <source>Personal signing key made; the certificate is issued on the next sync</source>
            <translation>已生成个人签名密钥，证书将在同步后签发</translation>
        </message>
    </context>
    <context>
        <name>SettingsPage</name>
        <message>
            <location filename="../../office_app/settings_page.py" line="57" />
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="61" />
            <location filename="../../office_app/settings_page.py" line="69" />
            <source>Account</source>
            <translation>账号</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="64" />
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="66" />
            <source>Post</source>
            <translation>职务</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="71" />
            <source>Server</source>
            <translation>服务器</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="73" />
            <source>Sign out</source>
            <translation>退出登录</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="81" />
            <source>Display</source>
            <translation>显示</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="87" />
            <location filename="../../office_app/settings_page.py" line="89" />
            <source>Language</source>
            <translation>界面语言</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="91" />
            <source>Follow the system</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="92" />
            <source>Light</source>
            <translation>浅色</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="92" />
            <source>Dark</source>
            <translation>深色</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="96" />
            <source>Theme</source>
            <translation>主题</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="99" />
            <source>Sync</source>
            <translation>同步</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="111" />
            <source>Sync every</source>
            <translation>同步间隔</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="112" />
            <source>Changes from others also arrive at once while online.</source>
            <translation>在线时，他人的更新会即时送达。</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="116" />
            <source>Sync now</source>
            <translation>立即同步</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="124" />
            <source>About</source>
            <translation>关于</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="127" />
            <source>Office collaboration 0.1 — documents, meetings, supervision and e-seals. Works offline; changes upload when the connection is back. For non-classified documents only.</source>
            <translation>协同办公 0.1 — 公文流转、会议、督办与电子印章。支持离线办公，恢复连接后自动上传。仅用于非涉密公文。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/settings_page.py" line="169" />
            <source>%n second(s)</source>
            <extracomment>Choices offered for the periodic sync, in seconds.</extracomment>
            <translation>
                <numerusform>%n 秒</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/settings_page.py" line="171" />
            <source>%n minute(s)</source>
            <translation>
                <numerusform>%n 分钟</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/settings_page.py" line="172" />
            <source>%n hour(s)</source>
            <translation>
                <numerusform>%n 小时</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>StampDialog</name>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="329" />
            <source>Apply the electronic seal</source>
            <extracomment>seal centre in PDF points (origin bottom-left) per page</extracomment>
            <translation>加盖电子印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="347" />
            <source>Placed by GB/T 9704: the seal sits centred over the issuing body's name and the date.</source>
            <translation>公文按 GB/T 9704 自动定位：印章居中压在发文机关署名和成文日期上。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="350" />
            <source>Drag the seal to where it goes (pages can be turned).</source>
            <translation>拖动印章到盖章位置（可翻页）。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="355" />
            <source>Previous page</source>
            <translation>上一页</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="356" />
            <source>Next page</source>
            <translation>下一页</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="366" />
            <source>Add a riding seal across the pages</source>
            <translation>加盖骑缝章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="368" />
            <source>Add a verification QR code</source>
            <translation>附验证二维码</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="390" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="392" />
            <location filename="../../modules/seals/views/stamp.py" line="437" />
            <source>Apply seal</source>
            <translation>加盖印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="403" />
            <source>Page {page} of {n}</source>
            <translation>第 {page} / {n} 页</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="410" />
            <source>Stamping…</source>
            <translation>正在用印…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="426" />
            <source>Sealed with “{seal}” (copy {copy}) and entered in the register. File digest {digest}…</source>
            <translation>已加盖“{seal}”（第 {copy} 份），已记入用印登记簿。文件摘要 {digest}…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="432" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="441" />
            <source>Internal error; try again later.</source>
            <translation>内部错误，请稍后重试。</translation>
        </message>
    </context>
    <context>
        <name>StatusPopup</name>
        <message>
            <location filename="../../office_app/status.py" line="227" />
            <source>Sync status</source>
            <translation>同步状态</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="240" />
            <source>Not accepted by the server</source>
            <translation>服务器未接受的操作</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="255" />
            <source>Sync now</source>
            <translation>立即同步</translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="267" />
            <source>%n change(s) saved on this device, waiting to upload. They upload automatically when the connection is back.</source>
            <translation>
                <numerusform>%n 项操作已保存在本机，等待上传；恢复连接后会自动上传。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="270" />
            <source>Everything is uploaded.</source>
            <translation>所有操作均已上传。</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="273" />
            <source>Last problem: %1</source>
            <translation>最近的问题：%1</translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="305" />
            <source>… and %n more</source>
            <translation>
                <numerusform>…… 还有 %n 项</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="316" />
            <source>Conflict</source>
            <translation>冲突</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="317" />
            <source>Rejected</source>
            <translation>被拒绝</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="327" />
            <location filename="../../office_app/status.py" line="330" />
            <source>Dismiss</source>
            <translation>知道了</translation>
        </message>
    </context>
    <context>
        <name>SyncStatus</name>
        <message>
            <location filename="../../office_app/status.py" line="37" />
            <source>Not synced yet</source>
            <translation>尚未同步</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="43" />
            <source>Synced just now</source>
            <translation>刚刚同步</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="51" />
            <source>Synced on %1</source>
            <translation>同步于 %1</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="73" />
            <source>Connecting…</source>
            <translation>正在连接…</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="75" />
            <location filename="../../office_app/status.py" line="97" />
            <source>Online</source>
            <translation>在线</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="76" />
            <location filename="../../office_app/status.py" line="93" />
            <source>Offline</source>
            <translation>离线</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="79" />
            <source>Syncing…</source>
            <translation>正在同步…</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="95" />
            <source>Syncing</source>
            <translation>同步中</translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="45" />
            <source>Synced %n min ago</source>
            <translation>
                <numerusform>%n 分钟前同步</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="48" />
            <source>Synced %n h ago</source>
            <translation>
                <numerusform>%n 小时前同步</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="81" />
            <source>%n waiting to upload</source>
            <translation>
                <numerusform>%n 项待上传</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="84" />
            <source>%n not accepted</source>
            <translation>
                <numerusform>%n 项未被接受</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="102" />
            <source>%n to upload</source>
            <translation>
                <numerusform>%n 项待上传</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="104" />
            <source>%n refused</source>
            <translation>
                <numerusform>%n 项未接受</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>VerifyPanel</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="764" />
            <source>Choose a PDF file…</source>
            <translation>选择 PDF 文件…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="784" />
            <source>Choose the file to verify</source>
            <translation>选择要验证的文件</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="785" />
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="791" />
            <source>Verifying {name}…</source>
            <translation>正在验证 {name}…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="810" />
            <source>{name}: the file has no electronic seal.</source>
            <translation>{name}：文件中没有电子签章。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="812" />
            <source>{name}: all {n} seals are valid; the file was not changed after sealing.</source>
            <translation>{name}：{n} 个签章全部有效，签章后文件未被改动。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="816" />
            <source>; </source>
            <translation>；</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="817" />
            <source>{name}: {bad} seal(s) invalid or the file changed after sealing. {extra}</source>
            <translation>{name}：{bad} 个签章无效或文件在签章后被改动。{extra}</translation>
        </message>
    </context>
    <context>
        <name>Workbench</name>
        <message>
            <location filename="../../office_app/workbench.py" line="54" />
            <source>To sign off</source>
            <translation>待签发</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="55" />
            <source>To instruct</source>
            <translation>待批办</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="56" />
            <source>To review</source>
            <translation>待核稿</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="57" />
            <source>To countersign</source>
            <translation>待会签</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="58" />
            <source>To handle</source>
            <translation>待办理</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="59" />
            <source>To read</source>
            <translation>待阅</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="60" />
            <source>Meeting</source>
            <translation>会议</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="61" />
            <source>Supervision</source>
            <translation>督办</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="62" />
            <source>Seal request</source>
            <translation>待用印</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="65" />
            <source>Extra urgent</source>
            <translation>特急</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="66" />
            <source>Urgent</source>
            <translation>加急</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="218" />
            <source>Overdue %1</source>
            <extracomment>Filters behind the four count cards.</extracomment>
            <translation>已超期 %1</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="219" />
            <source>Due %1</source>
            <translation>截止 %1</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="354" />
            <source>Good morning</source>
            <translation>上午好</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="356" />
            <source>Good afternoon</source>
            <translation>下午好</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="357" />
            <source>Good evening</source>
            <translation>晚上好</translation>
        </message>
    </context>
    <context>
        <name>WorkbenchPage</name>
        <message>
            <location filename="../../office_app/workbench.py" line="390" />
            <source>To do</source>
            <translation>待办</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="391" />
            <source>To read</source>
            <translation>待阅</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="392" />
            <source>Supervision</source>
            <translation>督办</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="393" />
            <source>Meetings</source>
            <translation>会议</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="403" />
            <source>My to-do list</source>
            <translation>我的待办</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="421" />
            <source>Nothing to do. Well done!</source>
            <translation>暂无待办事项。</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="434" />
            <source>%1, %2</source>
            <translation>%2，%1</translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/workbench.py" line="500" />
            <source>%n item(s)</source>
            <translation>
                <numerusform>共 %n 项</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/workbench.py" line="502" />
            <source>%1 · %n item(s) · click again to show all</source>
            <translation>
                <numerusform>%1 · %n 项 · 再次点击显示全部</numerusform>
            </translation>
        </message>
    </context>
</TS>
