<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>AdminPanel</name>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="328" />
            <source>New seal…</source>
            <translation>新建印章…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="331" />
            <source>No seals to manage</source>
            <translation>没有您可管理的印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="336" />
            <source>Seals you manage</source>
            <translation>我管理的印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="346" />
            <source>Choose a seal</source>
            <translation>选择一枚印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="348" />
            <source>Suspend</source>
            <translation>暂停使用</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="349" />
            <source>Reactivate</source>
            <translation>恢复启用</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="350" />
            <source>Revoke…</source>
            <translation>注销…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="404" />
            <source>%1 · %2 · valid %3 to %4</source>
            <translation>%1 · %2 · 有效期 %3 至 %4</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="436" />
            <source>Choose the owning body to see the picture.</source>
            <translation>选择所属单位后显示印模。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="447" />
            <source>Drawn from the body's name; the server draws the same picture.</source>
            <translation>按单位名称生成；服务器生成的印模与此相同。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="477" />
            <source>Seal created</source>
            <translation>已新建印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="483" />
            <source>Seal suspended</source>
            <translation>已暂停</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="483" />
            <source>Seal reactivated</source>
            <translation>已恢复</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="484" />
            <source>Seal revoked</source>
            <translation>已注销</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="491" />
            <source>Revoke the seal</source>
            <translation>注销印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="492" />
            <source>Revoking is final: %1 can never be used again. Revoke it?</source>
            <translation>注销后不可恢复：%1 将永久停用。确定注销吗？</translation>
        </message>
    </context>
    <context>
        <name>Agenda</name>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="132" />
            <source>Presenter: %1</source>
            <translation>汇报人：%1</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="134" />
            <source>Proposed by %1</source>
            <translation>%1申报</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="136" />
            <source>Attending this item: %1</source>
            <translation>本议题列席：%1</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="139" />
            <source>%1 material(s)</source>
            <translation>%1份材料</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="157" />
            <source>%1 min</source>
            <translation>%1分钟</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="709" />
            <source>Save the meeting notice</source>
            <translation>保存会议通知</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="719" />
            <source>Notice saved to %1.</source>
            <translation>会议通知已保存到%1。</translation>
        </message>
    </context>
    <context>
        <name>AgendaDialog</name>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="424" />
            <source>Agenda</source>
            <translation>议程</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="431" />
            <source>No agenda items yet.</source>
            <translation>暂无议题。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="434" />
            <source>Add item</source>
            <translation>添加议题</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="435" />
            <source>Edit</source>
            <translation>修改</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="436" />
            <source>Remove</source>
            <translation>删除</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="437" />
            <location filename="../../modules/meetings/views/agenda.py" line="505" />
            <source>Move up</source>
            <translation>上移</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="438" />
            <location filename="../../modules/meetings/views/agenda.py" line="506" />
            <source>Move down</source>
            <translation>下移</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="454" />
            <source>Open material</source>
            <translation>打开材料</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="463" />
            <source>Proposed topics</source>
            <translation>申报的议题</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="467" />
            <source>Accept</source>
            <translation>采纳</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="468" />
            <location filename="../../modules/meetings/views/agenda.py" line="608" />
            <source>Decline</source>
            <translation>不予采纳</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="469" />
            <source>Propose a topic</source>
            <translation>申报议题</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="505" />
            <source>Up</source>
            <translation>上移</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="506" />
            <source>Down</source>
            <translation>下移</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="555" />
            <source>on this device</source>
            <translation>已在本机</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="555" />
            <source>not fetched yet</source>
            <translation>尚未下载</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="579" />
            <source>Removing the item: it goes when the server confirms it.</source>
            <translation>正在删除议题：服务器确认后生效。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="594" />
            <source>Reordering: it shows when the server confirms it.</source>
            <translation>正在调整顺序：服务器确认后显示。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="602" />
            <source>Choose a proposed topic first.</source>
            <translation>请先选择一个申报议题。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="605" />
            <source>That topic has been dealt with already.</source>
            <translation>该议题已处理。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="609" />
            <source>Reason (the unit is told)</source>
            <translation>理由（将告知申报单位）</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="613" />
            <source>Give a reason for declining.</source>
            <translation>请填写不予采纳的理由。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="617" />
            <source>Sent: it takes effect when the server confirms it.</source>
            <translation>已发送：服务器确认后生效。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="647" />
            <source>Fetching %1…</source>
            <translation>正在获取%1…</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="650" />
            <source>Opened %1.</source>
            <translation>已打开%1。</translation>
        </message>
    </context>
    <context>
        <name>ApproveDialog</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="173" />
            <source>Approve the request</source>
            <translation>批准用印申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="176" />
            <source>{title} ({seal})</source>
            <translation>{title}（{seal}）</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="180" />
            <source>Agreed</source>
            <translation>同意</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="181" />
            <source>Opinion</source>
            <translation>审批意见</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="183" />
            <source>Sign by hand (signed with your personal certificate)</source>
            <translation>手写签批（以个人签名证书签名）</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="188" />
            <source>This device has no personal signing certificate yet: enrol one on the Seals tab to sign by hand.</source>
            <translation>本机尚无个人签名证书：在“印章”页登记后可手写签批。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="196" />
            <source>Undo stroke</source>
            <translation>撤销一笔</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="198" />
            <source>Clear</source>
            <translation>清除</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="203" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="205" />
            <source>Approve</source>
            <translation>批准</translation>
        </message>
    </context>
    <context>
        <name>AuditPage</name>
        <message>
            <location filename="../../modules/audit/views.py" line="256" />
            <source>Security audit</source>
            <extracomment>Asks where to save an export: (suggested file name, file filter) -&gt; path or None.</extracomment>
            <translation>安全审计</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="266" />
            <source>Needs a connection: the audit trail is kept on the server only. The search runs again once you are connected.</source>
            <translation>需要联网：审计日志只保存在服务器上，联网后将自动重新查询。</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="271" />
            <source>Try again</source>
            <translation>重试</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="304" />
            <source>Load more</source>
            <translation>加载更多</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="345" />
            <source>From</source>
            <translation>起</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="345" />
            <source>To</source>
            <translation>止</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="354" />
            <source>Dates</source>
            <translation>日期</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="361" />
            <source>Person: name, account or ID</source>
            <translation>人员：姓名、账号或编号</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="364" />
            <source>Category</source>
            <translation>类别</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="365" />
            <source>All categories</source>
            <translation>全部类别</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="369" />
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="370" />
            <source>All results</source>
            <translation>全部结果</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="371" />
            <source>Succeeded</source>
            <translation>成功</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="372" />
            <source>Refused</source>
            <translation>拒绝</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="373" />
            <source>Failed</source>
            <translation>失败</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="374" />
            <source>Target, detail or code</source>
            <translation>对象、详情或代码</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="374" />
            <source>Text</source>
            <translation>文本</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="376" />
            <source>Device or address</source>
            <translation>设备或地址</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="378" />
            <source>Search</source>
            <translation>查询</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="381" />
            <source>Reset</source>
            <translation>重置</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="383" />
            <source>Export CSV</source>
            <translation>导出 CSV</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="386" />
            <source>Export Excel</source>
            <translation>导出 Excel</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="393" />
            <source>Filters</source>
            <extracomment>At phone width the filters beyond the text wait behind this toggle.</extracomment>
            <translation>筛选</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="482" />
            <source>Searching…</source>
            <extracomment>Filters folded away at phone width (unless ``more_filters`` is on).</extracomment>
            <translation>正在查询…</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="514" />
            <source>No entries match the filter.</source>
            <translation>没有符合条件的记录。</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="515" />
            <source>%1 entries shown</source>
            <translation>已显示 %1 条</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="516" />
            <source> · more below</source>
            <translation> · 下方还有更多</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="523" />
            <source>Offline: needs a connection.</source>
            <translation>离线：需要联网。</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="551" />
            <source>Export the audit trail</source>
            <translation>导出审计日志</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="560" />
            <source>Excel workbook (*.xlsx)</source>
            <translation>Excel 工作簿 (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="561" />
            <source>CSV file (*.csv)</source>
            <translation>CSV 文件 (*.csv)</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="568" />
            <source>Exporting…</source>
            <translation>正在导出…</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="577" />
            <source>Exported to %1</source>
            <translation>已导出到 %1</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="596" />
            <source>Sign-in</source>
            <translation>登录</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="597" />
            <source>Administration</source>
            <translation>管理</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="598" />
            <source>Seals</source>
            <translation>印章</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="599" />
            <source>Documents</source>
            <translation>公文</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="600" />
            <source>Downloads and exports</source>
            <translation>下载与导出</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="601" />
            <source>Devices</source>
            <translation>设备</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="620" />
            <source>%1 entries in your scope · chain at No. %2</source>
            <translation>您的审计范围内共 %1 条 · 哈希链至第 %2 条</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="624" />
            <source> · %1 not yet chained</source>
            <translation> · %1 条尚未入链</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="628" />
            <source> · last signed checkpoint %1</source>
            <translation> · 最近签名检查点 %1</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="631" />
            <source> · no signed checkpoint yet</source>
            <translation> · 尚无签名检查点</translation>
        </message>
    </context>
    <context>
        <name>BookDialog</name>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="44" />
            <source>Book a room</source>
            <translation>预订会议室</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="65" />
            <source>e.g. Weekly office meeting</source>
            <translation>如：每周办公例会</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="68" />
            <source>Room</source>
            <translation>会议室</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="69" />
            <source>Day</source>
            <translation>日期</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="70" />
            <source>From</source>
            <translation>开始</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="71" />
            <source>To</source>
            <translation>结束</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="72" />
            <source>Subject</source>
            <translation>会议名称</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="73" />
            <source>People</source>
            <translation>人数</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="75" />
            <source>Free at that time</source>
            <translation>该时段空闲的会议室</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="86" />
            <source>Book</source>
            <translation>预订</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="117" />
            <source>Checking…</source>
            <translation>正在查询…</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="118" />
            <source>No room is free then.</source>
            <translation>该时段没有空闲会议室。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="127" />
            <source>Please give the meeting a subject.</source>
            <translation>请填写会议名称。</translation>
        </message>
    </context>
    <context>
        <name>BulletinDialog</name>
        <message>
            <location filename="../../modules/supervision/views_dashboard_charts.py" line="229" />
            <source>Bulletin draft</source>
            <translation>通报草稿</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard_charts.py" line="232" />
            <source>Generated from the statistics shown; edit it here, copy it, or start a bulletin document from it.</source>
            <translation>根据当前统计生成；可在此修改、复制，或据此起草通报公文。</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard_charts.py" line="238" />
            <source>Copy</source>
            <translation>复制</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard_charts.py" line="241" />
            <source>Start a bulletin document</source>
            <translation>起草通报公文</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard_charts.py" line="245" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
    </context>
    <context>
        <name>CalendarSection</name>
        <message>
            <location filename="../../modules/calendar/views.py" line="78" />
            <source>Holiday</source>
            <translation>放假</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="79" />
            <source>Make-up working day</source>
            <translation>调休上班</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="83" />
            <source>Mon</source>
            <translation>一</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="84" />
            <source>Tue</source>
            <translation>二</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="85" />
            <source>Wed</source>
            <translation>三</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="86" />
            <source>Thu</source>
            <translation>四</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="87" />
            <source>Fri</source>
            <translation>五</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="88" />
            <source>Sat</source>
            <translation>六</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="89" />
            <source>Sun</source>
            <translation>日</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="571" />
            <source>Working-day calendar</source>
            <extracomment>The table and the facts arrived (tests wait for it). ``calendar.set_year`` was queued (its arguments).</extracomment>
            <translation>工作日历</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="580" />
            <source>Loading…</source>
            <translation>正在加载…</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="603" />
            <source>Enter a year…</source>
            <translation>录入年度安排…</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="604" />
            <source>Correct the selected year…</source>
            <translation>更正所选年度…</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="617" />
            <source>Only an administrator of a top-level body enters a new year's schedule, when the State Council's notice appears.</source>
            <translation>国务院办公厅发布年度节假日安排通知后，由省级机关系统管理员录入。</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="625" />
            <source>Working days after a date</source>
            <translation>计算工作日时限</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="638" />
            <location filename="../../modules/calendar/views.py" line="643" />
            <source>Working days</source>
            <translation>工作日数</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="642" />
            <source>From</source>
            <translation>起算日期</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="644" />
            <source>Deadline</source>
            <translation>截止日期</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="668" />
            <source>Covers %1 · table version %2 · %3 year(s) entered by administrators.</source>
            <translation>覆盖%1年 · 版本%2 · 管理员录入%3个年度。</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="672" />
            <source>Bundled years: %1.</source>
            <translation>内置年度：%1。</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="729" />
            <source>The %1 schedule was sent; it takes effect when the server confirms it.</source>
            <translation>%1年节假日安排已提交，服务器确认后生效。</translation>
        </message>
    </context>
    <context>
        <name>CalendarSubscription</name>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="42" />
            <source>Calendar subscription</source>
            <translation>日历订阅</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="44" />
            <source>Subscribe your phone or desktop calendar to this link to see your meetings there. Anyone with the link sees them: keep it to yourself, revoke it if it leaks.</source>
            <translation>在手机或电脑日历中订阅此链接即可看到您的会议。任何拿到链接的人都能看到：请妥善保管，如有泄露请撤销。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="52" />
            <source>Copy link</source>
            <translation>复制链接</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="53" />
            <location filename="../../modules/meetings/views/calendar.py" line="97" />
            <source>New link</source>
            <translation>新链接</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="54" />
            <source>Revoke</source>
            <translation>撤销</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="88" />
            <source>You have no subscription link.</source>
            <translation>您还没有订阅链接。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="93" />
            <source>A link was made on another device; it cannot be shown here. Make a new link (the old one stops working) or revoke it.</source>
            <translation>订阅链接是在另一台设备上生成的，这里无法显示。可生成新链接（旧链接随即失效）或将其撤销。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="97" />
            <source>Make a link</source>
            <translation>生成链接</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="102" />
            <source>Link copied.</source>
            <translation>链接已复制。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="111" />
            <source>New link made; it works once the server has it.</source>
            <translation>已生成新链接，服务器收到后即可使用。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="122" />
            <source>Link revoked; calendars subscribed to it stop updating.</source>
            <translation>链接已撤销，订阅它的日历将不再更新。</translation>
        </message>
    </context>
    <context>
        <name>CheckInDialog</name>
        <message>
            <location filename="../../modules/meetings/views/checkin.py" line="87" />
            <source>Check-in: %1</source>
            <translation>签到：%1</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/checkin.py" line="107" />
            <source>Name of someone without an account</source>
            <translation>无账号人员姓名</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/checkin.py" line="108" />
            <source>Check in by hand</source>
            <translation>手工签到</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/checkin.py" line="120" />
            <source>Done</source>
            <translation>完成</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/checkin.py" line="144" />
            <source>Attendees scan this code with the app, or show you their own code to scan here.</source>
            <translation>参会人员用本应用扫描此码签到，或出示本人签到码在此扫描。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/checkin.py" line="146" />
            <source>Scan or paste an attendee's code, then Enter</source>
            <translation>扫描或粘贴参会人员的签到码，按回车</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/checkin.py" line="148" />
            <source>Show this code at the door, or scan the code shown at the venue.</source>
            <translation>在入口出示此码，或扫描会场展示的签到码。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/checkin.py" line="150" />
            <source>Scan or paste the venue's code, then Enter</source>
            <translation>扫描或粘贴会场签到码，按回车</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/checkin.py" line="156" />
            <source>This device has no check-in code for the meeting yet; it arrives with the next sync.</source>
            <translation>本机尚无该会议的签到码，下次同步后即可使用。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/checkin.py" line="159" />
            <source>The code changes in %1 s</source>
            <translation>签到码%1秒后更新</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/checkin.py" line="183" />
            <source>Checked in.</source>
            <translation>签到成功。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/checkin.py" line="198" />
            <source>%1 is checked in.</source>
            <translation>%1已签到。</translation>
        </message>
    </context>
    <context>
        <name>ChoiceField</name>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="186" />
            <source>Remove</source>
            <extracomment>The user's own bookings that are not over (any usable state), soonest first. The deployment's meeting types (the published list, else the built-in one).</extracomment>
            <translation>移除</translation>
        </message>
    </context>
    <context>
        <name>ContactRow</name>
        <message>
            <location filename="../../modules/directory/views.py" line="312" />
            <source>Copy %1</source>
            <translation>复制%1</translation>
        </message>
    </context>
    <context>
        <name>DashboardToggle</name>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="772" />
            <source>Items</source>
            <translation>事项</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="786" />
            <source>Dashboard</source>
            <translation>看数</translation>
        </message>
    </context>
    <context>
        <name>DaysModel</name>
        <message>
            <location filename="../../modules/calendar/views.py" line="214" />
            <source>Date</source>
            <translation>日期</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="215" />
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="216" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
    </context>
    <context>
        <name>DecisionDialog</name>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="156" />
            <source>Edit decision</source>
            <translation>修改议定事项</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="156" />
            <source>Add decision</source>
            <translation>添加议定事项</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="161" />
            <source>What was decided</source>
            <translation>议定内容</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="163" />
            <source>Decision</source>
            <translation>议定事项</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="170" />
            <source>Lead unit</source>
            <translation>牵头单位</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="180" />
            <source>Co-units</source>
            <translation>协办单位</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="181" />
            <source>Working days</source>
            <translation>工作日</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="182" />
            <source>By date</source>
            <translation>按日期</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="200" />
            <source>Deadline</source>
            <translation>办理期限</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="238" />
            <source>Say what was decided.</source>
            <translation>请填写议定内容。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="242" />
            <source>Choose the lead unit.</source>
            <translation>请选择牵头单位。</translation>
        </message>
    </context>
    <context>
        <name>DesktopNotifier</name>
        <message>
            <location filename="../../office_app/notices.py" line="118" />
            <source>Office collaboration</source>
            <extracomment>How long notices stay on the workbench, and how recent one must be to pop up. A notice was shown (its id) — also emitted without a tray, for tests and logs.</extracomment>
            <translation>协同办公</translation>
        </message>
    </context>
    <context>
        <name>Devices</name>
        <message>
            <location filename="../../office_app/devices.py" line="104" />
            <source>just now</source>
            <translation>刚刚</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="116" />
            <source>Removed · data wiped</source>
            <translation>已移除 · 已清除</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="118" />
            <source>Removed · wiped at its next connection</source>
            <translation>已移除 · 下次联网时清除</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="119" />
            <source>Signed in</source>
            <translation>已登录</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="119" />
            <source>Signed out</source>
            <translation>已退出</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="146" />
            <source>No devices.</source>
            <translation>没有设备。</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="156" />
            <location filename="../../office_app/devices.py" line="282" />
            <location filename="../../office_app/devices.py" line="307" />
            <source>Unnamed device</source>
            <translation>未命名设备</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="158" />
            <source>This device</source>
            <translation>本机</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="164" />
            <source>last seen %1</source>
            <translation>最近使用 %1</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="213" />
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="268" />
            <source>My devices</source>
            <translation>我的设备</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="268" />
            <location filename="../../office_app/devices.py" line="286" />
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="270" />
            <source>Computers and phones that signed in as you. Removing one signs it out at once and wipes its local data the next time it connects.</source>
            <translation>以您的账号登录过的电脑和手机。移除后该设备立即退出登录，并在下次联网时清除本机数据。</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="283" />
            <source>Remove device</source>
            <translation>移除设备</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="284" />
            <source>Remove “%1”? It is signed out at once, and its local data is wiped the next time it connects.</source>
            <translation>移除“%1”？该设备将立即退出登录，并在下次联网时清除本机数据。</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="294" />
            <source>Devices</source>
            <translation>设备</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="294" />
            <location filename="../../office_app/devices.py" line="312" />
            <source>Revoke</source>
            <translation>吊销</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="297" />
            <source>Revoke a lost or stolen device: it is signed out at once and wipes its local data the next time it connects.</source>
            <translation>吊销丢失或被盗的设备：该设备立即退出登录，并在下次联网时清除本机数据。</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="308" />
            <source>Revoke device</source>
            <translation>吊销设备</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="309" />
            <source>Revoke “%1” of %2? It is signed out at once, and its local data is wiped the next time it connects. This is recorded in the audit trail.</source>
            <translation>吊销%2的“%1”？该设备将立即退出登录，并在下次联网时清除本机数据。此操作将记入审计日志。</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="323" />
            <location filename="../../office_app/devices.py" line="335" />
            <source>Sign out</source>
            <translation>退出登录</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="325" />
            <source>Sign out of this computer?</source>
            <translation>要在这台电脑上退出登录吗？</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="326" />
            <source>Forget this device's data</source>
            <translation>清除本机数据</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="342" />
            <source>The local copy, files and changes not yet sent are deleted from this computer.</source>
            <translation>本机数据、文件和尚未上传的修改将从这台电脑上删除。</translation>
        </message>
        <message>
            <location filename="../../office_app/devices.py" line="343" />
            <source>The local copy stays for your next sign-in on this computer.</source>
            <translation>本机数据将保留，供您下次在这台电脑上登录时使用。</translation>
        </message>
    </context>
    <context>
        <name>DirectoryPage</name>
        <message>
            <location filename="../../modules/directory/views.py" line="466" />
            <source>Directory</source>
            <translation>通讯录</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="467" />
            <source>Search name, pinyin or initials</source>
            <translation>搜索姓名、拼音或首字母</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="468" />
            <source>Search the directory</source>
            <translation>搜索通讯录</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="486" />
            <source>Nobody matches.</source>
            <translation>没有找到匹配的人员。</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="503" />
            <source>No one in this unit.</source>
            <translation>该单位暂无人员。</translation>
        </message>
    </context>
    <context>
        <name>Documents</name>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="71" />
            <location filename="../../modules/documents/views/dialogs.py" line="137" />
            <location filename="../../modules/documents/views/intake.py" line="525" />
            <source>Register</source>
            <extracomment>Qt's translation call; every string of the documents screens has the context "Documents" (catalog: resources/translations/office_zh_CN.ts).</extracomment>
            <translation>登记</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="71" />
            <location filename="../../modules/documents/views/dialogs.py" line="246" />
            <source>Dispatch</source>
            <translation>核发</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="72" />
            <location filename="../../modules/documents/views/detail.py" line="471" />
            <location filename="../../modules/documents/views/dialogs.py" line="217" />
            <source>Request a seal</source>
            <translation>用印申请</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="73" />
            <location filename="../../modules/documents/views/detail.py" line="475" />
            <location filename="../../modules/documents/views/page.py" line="604" />
            <source>Return to the sending body</source>
            <translation>退回发文机关</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="74" />
            <location filename="../../modules/documents/views/dialogs.py" line="295" />
            <source>Recall distribution</source>
            <translation>撤回分发</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="74" />
            <location filename="../../modules/documents/views/detail.py" line="373" />
            <location filename="../../modules/documents/views/detail.py" line="478" />
            <location filename="../../modules/documents/views/dialogs.py" line="321" />
            <source>Archive</source>
            <translation>归档</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="75" />
            <location filename="../../modules/documents/views/dialogs.py" line="388" />
            <source>Compare revisions</source>
            <translation>修订对比</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="75" />
            <location filename="../../modules/documents/views/page.py" line="652" />
            <source>Export processing form PDF</source>
            <translation>导出办文单 PDF</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="76" />
            <source>To supervision (督办)</source>
            <translation>转督办</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="99" />
            <source>Search by name or pinyin</source>
            <translation>输入姓名或拼音搜索</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="141" />
            <location filename="../../modules/documents/views/detail.py" line="463" />
            <location filename="../../modules/documents/views/page.py" line="604" />
            <source>Return</source>
            <extracomment>Whether to offer 转督办 for a document (the page sets it: supervision.from_document).</extracomment>
            <translation>退回</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="142" />
            <location filename="../../modules/documents/views/detail.py" line="679" />
            <source>Transfer</source>
            <translation>转办</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="142" />
            <location filename="../../modules/documents/views/detail.py" line="679" />
            <source>Delegate</source>
            <translation>委托</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="143" />
            <location filename="../../modules/documents/views/detail.py" line="680" />
            <source>Add signer</source>
            <translation>加签</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="143" />
            <location filename="../../modules/documents/views/detail.py" line="681" />
            <source>Remove signer</source>
            <translation>减签</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="144" />
            <location filename="../../modules/documents/views/detail.py" line="682" />
            <source>Withdraw</source>
            <translation>撤回</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="144" />
            <location filename="../../modules/documents/views/detail.py" line="682" />
            <source>Urge</source>
            <translation>催办</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="144" />
            <location filename="../../modules/documents/views/detail.py" line="683" />
            <source>Void</source>
            <translation>作废</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="157" />
            <source>Common opinions…</source>
            <translation>常用意见…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="160" />
            <source>Common</source>
            <translation>常用</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="163" />
            <source>Opinion</source>
            <translation>意见</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="164" />
            <source>{kind} (optional)</source>
            <translation>{kind}（可不填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="173" />
            <source>Person for {step}</source>
            <translation>{step}人</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="179" />
            <source>Return to</source>
            <translation>退回到</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="180" />
            <source>Reason for returning (required)</source>
            <translation>退回理由（必填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="181" />
            <location filename="../../modules/documents/views/detail.py" line="199" />
            <location filename="../../modules/documents/views/dialogs.py" line="279" />
            <source>Reason</source>
            <translation>理由</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="185" />
            <source>Transfer to</source>
            <translation>转给</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="185" />
            <source>Delegate to</source>
            <translation>委托给</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="186" />
            <source>Signer to add</source>
            <translation>加签人</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="188" />
            <source>Note on the transfer (optional)</source>
            <translation>转办说明（可不填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="189" />
            <location filename="../../modules/documents/views/models.py" line="160" />
            <source>Note</source>
            <translation>说明</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="193" />
            <source>Signer to remove</source>
            <translation>减去</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="195" />
            <source>Message (optional)</source>
            <translation>催办内容（可不填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="196" />
            <source>Message</source>
            <translation>内容</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="198" />
            <source>Reason for voiding (required)</source>
            <translation>作废理由（必填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="201" />
            <source>Withdraw your last step? Only possible while nobody has handled the next step yet.</source>
            <translation>撤回您的上一步办理？下一环节尚无人办理时才能撤回。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="208" />
            <source>OK</source>
            <translation>确定</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="210" />
            <location filename="../../modules/documents/views/dialogs.py" line="91" />
            <location filename="../../modules/documents/views/editor.py" line="421" />
            <location filename="../../modules/documents/views/intake.py" line="429" />
            <source>Cancel</source>
            <extracomment>Qt's translation call; every string of the documents screens has the context "Documents" (catalog: resources/translations/office_zh_CN.ts).</extracomment>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="249" />
            <location filename="../../modules/documents/views/dialogs.py" line="283" />
            <source>Please give a reason.</source>
            <translation>请填写理由。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="254" />
            <source>Please choose a person first.</source>
            <translation>请先选择人员。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="273" />
            <source>Drafting note</source>
            <extracomment>Opinion rows of the form: step keys (labels: :meth:`row_labels`).</extracomment>
            <translation>拟稿说明</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="273" />
            <source>Review opinion</source>
            <translation>核稿意见</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="274" />
            <source>Countersign opinion</source>
            <translation>会签意见</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="274" />
            <source>Sign-off</source>
            <translation>签发</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="275" />
            <source>Recheck</source>
            <translation>复核</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="275" />
            <source>Registration</source>
            <translation>登记</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="276" />
            <source>Screening opinion</source>
            <translation>初审意见</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="276" />
            <source>Proposed handling</source>
            <translation>拟办意见</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="277" />
            <source>Leader's instruction</source>
            <translation>领导批示</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="277" />
            <source>Handling</source>
            <translation>办理情况</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="278" />
            <source>Circulation</source>
            <translation>传阅</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="278" />
            <source>Completion</source>
            <translation>办结</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="318" />
            <source>Outgoing document form</source>
            <translation>发文稿纸</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="318" />
            <source>Incoming document form</source>
            <translation>收文处理笺</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="325" />
            <location filename="../../modules/documents/views/editor.py" line="373" />
            <location filename="../../modules/documents/views/intake.py" line="80" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="328" />
            <location filename="../../modules/documents/views/dialogs.py" line="148" />
            <location filename="../../modules/documents/views/dialogs.py" line="156" />
            <location filename="../../modules/documents/views/dialogs.py" line="218" />
            <location filename="../../modules/documents/views/dialogs.py" line="247" />
            <location filename="../../modules/documents/views/intake.py" line="79" />
            <source>Document number</source>
            <translation>发文字号</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="328" />
            <location filename="../../modules/documents/views/dialogs.py" line="165" />
            <source>Sender's number</source>
            <translation>来文字号</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="329" />
            <source>(numbered at registration)</source>
            <translation>（登记时编号）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="330" />
            <location filename="../../modules/documents/views/editor.py" line="370" />
            <location filename="../../modules/documents/views/intake.py" line="83" />
            <source>Urgency</source>
            <translation>紧急程度</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="333" />
            <source>Drafting unit</source>
            <translation>拟稿单位</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="333" />
            <location filename="../../modules/documents/views/dialogs.py" line="163" />
            <source>Sending body</source>
            <translation>来文机关</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="336" />
            <source>Drafter</source>
            <translation>拟稿人</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="336" />
            <location filename="../../modules/documents/views/dialogs.py" line="156" />
            <source>Receipt number</source>
            <translation>收文号</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="339" />
            <location filename="../../modules/documents/views/dialogs.py" line="159" />
            <location filename="../../modules/documents/views/dialogs.py" line="249" />
            <location filename="../../modules/documents/views/editor.py" line="378" />
            <location filename="../../modules/documents/views/intake.py" line="84" />
            <source>Main recipients</source>
            <translation>主送</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="343" />
            <location filename="../../modules/documents/views/dialogs.py" line="160" />
            <location filename="../../modules/documents/views/dialogs.py" line="250" />
            <location filename="../../modules/documents/views/editor.py" line="380" />
            <source>Copied to</source>
            <translation>抄送</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="354" />
            <location filename="../../modules/documents/views/detail.py" line="578" />
            <location filename="../../modules/documents/views/models.py" line="169" />
            <source>{writer} (for {person})</source>
            <translation>{writer}（代{person}）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="363" />
            <source>Other opinions</source>
            <translation>其他意见</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="369" />
            <source>Retention {period}</source>
            <translation>保管期限 {period}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="371" />
            <source>Archive no. {number}</source>
            <translation>档号 {number}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="465" />
            <source>Edit draft</source>
            <translation>修改稿件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="467" />
            <source>More</source>
            <translation>更多</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="507" />
            <location filename="../../modules/documents/views/detail.py" line="614" />
            <source>Preparing the text…</source>
            <translation>正在准备正文…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="509" />
            <source>Text</source>
            <translation>正文</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="523" />
            <source>Processing form</source>
            <translation>办文单</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="529" />
            <source>By person</source>
            <translation>按人员</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="545" />
            <source>By body</source>
            <translation>按单位</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="549" />
            <source>Flow record</source>
            <translation>流转记录</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="555" />
            <location filename="../../modules/documents/views/editor.py" line="408" />
            <source>Attachments</source>
            <translation>附件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="564" />
            <location filename="../../modules/documents/views/models.py" line="103" />
            <source>(untitled)</source>
            <extracomment>Qt's translation call; every string of the documents screens has the context "Documents" (catalog: resources/translations/office_zh_CN.ts). (tab, (sort_at, id) of the last row): the view wants the next page.</extracomment>
            <translation>（无标题）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="567" />
            <source>Revision {n}</source>
            <translation>第{n}稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="569" />
            <source>Electronic seal requested (approved and stamped in Seals)</source>
            <translation>已提交电子用印申请（在“印章”中审批、盖章）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="580" />
            <source>Delivered {delivered} · opened {opened} · took {took}</source>
            <translation>送达 {delivered} · 打开 {opened} · 用时 {took}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="589" />
            <source>Delivered</source>
            <translation>已送达</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="589" />
            <source>Signed for</source>
            <translation>已签收</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="590" />
            <source>Registered</source>
            <translation>已登记</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="590" />
            <source>Returned</source>
            <translation>已退回</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="591" />
            <source>Recalled</source>
            <translation>已撤回</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="591" />
            <location filename="../../modules/documents/views/page.py" line="75" />
            <source>Completed</source>
            <translation>已办结</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="592" />
            <source>Archived</source>
            <translation>已归档</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="593" />
            <source>{body}　{state}　delivered {delivered}　took {took}</source>
            <translation>{body}　{state}　送达 {delivered}　用时 {took}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="604" />
            <source>Attachments {n}</source>
            <translation>附件 {n}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="636" />
            <source>The text is downloading; it shows once online.</source>
            <translation>正文正在下载，联网后自动显示。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/detail.py" line="637" />
            <source>The text is not available yet.</source>
            <translation>正文暂不可用。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="141" />
            <source>Agency code, e.g. 粤政数</source>
            <translation>机关代字，如 粤政数</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="150" />
            <source>Already numbered; registering again keeps the number.</source>
            <translation>本件已编号，再次登记沿用原文号。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="154" />
            <source>Agency code</source>
            <translation>机关代字</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="154" />
            <source>Receipt prefix</source>
            <translation>收文字头</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="155" />
            <location filename="../../modules/documents/views/dialogs.py" line="342" />
            <source>Year</source>
            <translation>年度</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="170" />
            <source>Working days, e.g. 5 (optional)</source>
            <translation>工作日数，如 5（可不填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="171" />
            <source>Handling time limit</source>
            <translation>办理时限</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="179" />
            <source>Seal on paper (confirmed by the seal custodian)</source>
            <translation>线下用印（由印章管理员确认）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="180" />
            <location filename="../../modules/documents/views/dialogs.py" line="254" />
            <source>Seal</source>
            <translation>用印</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="182" />
            <source>This body has no electronic seal to request.</source>
            <translation>本机关尚无可申请的电子印章。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="190" />
            <source>{code}〔{year}〕N号 (N is assigned by the system)</source>
            <translation>{code}〔{year}〕N号　（序号由系统统一编排）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="192" />
            <source>(enter the agency code)</source>
            <translation>（请填写机关代字）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="196" />
            <source>Please enter the agency code.</source>
            <translation>请填写机关代字。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="198" />
            <source>Please choose the main recipients in the draft first.</source>
            <translation>请先在稿件中选择主送机关。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="217" />
            <source>Submit request</source>
            <translation>提交申请</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="223" />
            <source>Seal to use</source>
            <translation>印章</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="225" />
            <source>Purpose</source>
            <translation>事由</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="227" />
            <source>Copies</source>
            <translation>份数</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="230" />
            <source>This body has no electronic seal you may request; seal on paper and the seal custodian confirms it.</source>
            <translation>本机关尚无您可申请的电子印章，请线下用印后由印章管理员确认。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="235" />
            <source>Please choose the seal to use.</source>
            <translation>请选择要使用的印章。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="246" />
            <source>Confirm dispatch</source>
            <translation>确认核发</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="252" />
            <source>Electronic seal applied</source>
            <translation>已加盖电子印章</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="252" />
            <source>Seal request pending</source>
            <translation>用印申请待办</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="253" />
            <source>Waiting for the seal</source>
            <translation>待用印</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="255" />
            <source>No seal needed</source>
            <translation>无需用印</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="257" />
            <source>Seal on paper confirmed</source>
            <translation>线下用印已确认</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="260" />
            <source>Dispatch sends it to the {n} bodies above; each body's clerk signs for it.</source>
            <translation>核发后将向以上 {n} 个机关分发，各机关收发员签收。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="265" />
            <source>Please choose the main recipients first.</source>
            <translation>请先选择主送机关。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="277" />
            <source>Reason (required)</source>
            <translation>理由（必填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="295" />
            <source>Recall</source>
            <translation>撤回</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="296" />
            <source>Only bodies that have not signed for it can be recalled; it then no longer shows in their incoming documents.</source>
            <translation>只能撤回尚未签收的机关；撤回后对方收文中不再显示。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="309" />
            <source>Please choose the bodies to recall from.</source>
            <translation>请选择要撤回的机关。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="327" />
            <source>Retention period</source>
            <translation>保管期限</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="330" />
            <source>Fonds number, e.g. Z001</source>
            <translation>全宗号，如 Z001</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="335" />
            <source>Unit code (optional)</source>
            <translation>机构代码（可不填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="339" />
            <source>Archive number (optional; composed once the fonds number is filled in)</source>
            <translation>档号（可不填，填写全宗号后自动生成）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="341" />
            <source>Fonds number</source>
            <translation>全宗号</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="341" />
            <source>Category code</source>
            <translation>门类代码</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="342" />
            <source>Unit code</source>
            <translation>机构代码</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="343" />
            <source>Item number</source>
            <translation>件号</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="343" />
            <source>Archive number</source>
            <translation>档号</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="345" />
            <source>Archive number format: fonds-category·year-retention code-unit code-item</source>
            <translation>档号格式：全宗号-门类代码·年度-保管期限代码-机构代码-件号</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="398" />
            <source>Revision {n} {who}</source>
            <translation>第{n}稿 {who}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="400" />
            <source> ({note})</source>
            <translation>（{note}）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="406" />
            <source>Older</source>
            <translation>旧稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="407" />
            <source>Newer</source>
            <translation>新稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="416" />
            <location filename="../../modules/documents/views/intake.py" line="348" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="429" />
            <source>Only one revision: nothing to compare.</source>
            <translation>只有一稿，无可对比的修订。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="431" />
            <source>Comparing…</source>
            <translation>正在比较…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/dialogs.py" line="436" />
            <source>Revision {old} → revision {new}: {added} characters added, {deleted} deleted</source>
            <translation>第{old}稿 → 第{new}稿：增加 {added} 字，删除 {deleted} 字</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="58" />
            <source>Body text</source>
            <extracomment>Qt's translation call; every string of the documents screens has the context "Documents" (catalog: resources/translations/office_zh_CN.ts).</extracomment>
            <translation>正文</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="58" />
            <source>Heading 1</source>
            <translation>一级标题</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="58" />
            <source>Heading 2</source>
            <translation>二级标题</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="58" />
            <source>Heading 3</source>
            <translation>三级标题</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="58" />
            <source>Heading 4</source>
            <translation>四级标题</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="106" />
            <source>Type the text here. Set heading levels with the buttons above or Ctrl+1…4; numbering is automatic.</source>
            <translation>在此输入正文。标题层级用上方按钮或 Ctrl+1…4 设置，序号自动编排。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="309" />
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="352" />
            <location filename="../../modules/documents/views/editor.py" line="452" />
            <source>New draft</source>
            <translation>拟稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="368" />
            <source>None</source>
            <translation>无</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="369" />
            <source>Document type</source>
            <translation>文种</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="372" />
            <source>e.g. 关于……的通知</source>
            <translation>关于……的通知</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="375" />
            <source>e.g. ××市人民政府办公室文件</source>
            <translation>××市人民政府办公室文件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="376" />
            <source>Issuer mark</source>
            <translation>发文机关标志</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="377" />
            <source>＋ Choose main recipients</source>
            <translation>＋ 选择主送机关</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="379" />
            <source>＋ Choose copy recipients</source>
            <translation>＋ 选择抄送机关</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="382" />
            <source>Issuing body signature</source>
            <translation>发文机关署名</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="383" />
            <source>Signature</source>
            <translation>署名</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="394" />
            <source>{name} (Ctrl+{n})</source>
            <translation>{name}（Ctrl+{n}）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="410" />
            <source>＋ Add attachment</source>
            <translation>＋ 添加附件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="423" />
            <source>Save draft</source>
            <translation>保存草稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="425" />
            <source>Submit for review</source>
            <translation>提交核稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="469" />
            <source>Edit draft (revision {n})</source>
            <translation>修改稿（第{n}稿）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="537" />
            <source>Add attachment</source>
            <translation>添加附件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/editor.py" line="537" />
            <source>PDF files (*.pdf);;All files (*)</source>
            <translation>PDF 文件 (*.pdf);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/models.py" line="159" />
            <source>Step</source>
            <translation>环节</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/models.py" line="159" />
            <source>Handled by</source>
            <translation>办理人</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/models.py" line="159" />
            <source>Delivered at</source>
            <translation>送达</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/models.py" line="159" />
            <source>Opened at</source>
            <translation>打开</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/models.py" line="159" />
            <source>Acted</source>
            <translation>办理</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/models.py" line="159" />
            <source>Took</source>
            <translation>用时</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="74" />
            <source>All statuses</source>
            <extracomment>Qt's translation call; every string of the documents screens has the context "Documents" (catalog: resources/translations/office_zh_CN.ts).</extracomment>
            <translation>全部状态</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="74" />
            <source>Draft</source>
            <translation>草稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="74" />
            <source>In progress</source>
            <translation>办理中</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="75" />
            <source>Voided</source>
            <translation>已作废</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="80" />
            <source>Any time</source>
            <translation>不限时间</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="80" />
            <source>Last 7 days</source>
            <translation>近7天</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="80" />
            <source>Last 30 days</source>
            <translation>近30天</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="81" />
            <source>Last year</source>
            <translation>近一年</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="86" />
            <source>To do</source>
            <translation>待办</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="86" />
            <source>Done</source>
            <translation>已办</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="86" />
            <source>Started by me</source>
            <translation>我发起</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="87" />
            <source>Circulated</source>
            <translation>传阅</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="87" />
            <source>All</source>
            <translation>全部</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="206" />
            <source>Waiting for {names}</source>
            <translation>待 {names}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="267" />
            <source>Documents</source>
            <translation>公文</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="270" />
            <source>＋ New draft</source>
            <translation>＋ 拟稿</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="276" />
            <source>Take in a paper or file document (收文录入)</source>
            <translation>录入纸质或电子来文</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="286" />
            <source>Search titles, numbers, text, opinions, attachments</source>
            <translation>搜索标题、文号、正文、意见、附件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="287" />
            <source>Search documents</source>
            <translation>搜索公文</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="293" />
            <source>All types</source>
            <translation>全部文种</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="326" />
            <location filename="../../modules/documents/views/page.py" line="458" />
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
            <location filename="../../modules/documents/views/page.py" line="690" />
            <source>Approve selected</source>
            <translation>签批所选</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="357" />
            <source>Choose a document on the left to see it.</source>
            <translation>选择左侧的公文查看。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="453" />
            <source>{n} found</source>
            <translation>找到 {n} 件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="455" />
            <source> (only the first 200 shown)</source>
            <translation>（仅显示前 200 件）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="458" />
            <source>No matching documents.</source>
            <translation>没有找到相关公文。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="524" />
            <location filename="../../modules/documents/views/page.py" line="937" />
            <source>Not applied: {reasons}</source>
            <translation>未生效：{reasons}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="605" />
            <source>Return a document that does not meet the requirements to its sender; it is then completed here.</source>
            <translation>来文不符合收文要求时退回发文机关，本件随即办结。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="653" />
            <source>Processing form-{title}.pdf</source>
            <translation>办文单-{title}.pdf</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="654" />
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="669" />
            <source>Processing form exported: {path}</source>
            <translation>办文单已导出：{path}</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="690" />
            <source>Approve selected ({n})</source>
            <translation>签批所选（{n}）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="703" />
            <source>Approved: {n}</source>
            <translation>已签批 {n} 件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="704" />
            <source> (sent once online when offline)</source>
            <translation>（离线时联网后提交）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="708" />
            <source>Batch approval result</source>
            <translation>批量签批结果</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="872" />
            <source>Attachment “{name}” is downloading; it opens once online.</source>
            <translation>附件“{name}”正在下载，联网后可打开。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="877" />
            <source>Attachment “{name}” downloaded ({kb} KB).</source>
            <translation>附件“{name}”已下载（{kb} KB）。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="893" />
            <source>Choose bodies</source>
            <translation>选择机关</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/page.py" line="906" />
            <source>Search by body name</source>
            <translation>输入机关名称搜索</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="78" />
            <source>Issuing body</source>
            <translation>来文单位</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="81" />
            <source>Date written</source>
            <translation>成文日期</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="82" />
            <source>Classification</source>
            <translation>密级</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="85" />
            <source>Attachments (one per line)</source>
            <translation>附件（每行一个）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="86" />
            <source>Pages</source>
            <translation>页数</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="93" />
            <source>not found</source>
            <translation>未识别</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="96" />
            <source>check</source>
            <translation>请核对</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="249" />
            <location filename="../../modules/documents/views/intake.py" line="270" />
            <source>Drop a scan, photo, PDF, Word (.docx) or OFD file here</source>
            <extracomment>Zoom onto the highlighted line (phone width) instead of showing the whole page.</extracomment>
            <translation>将扫描件、照片、PDF、Word（.docx）或 OFD 文件拖到此处</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="253" />
            <location filename="../../modules/documents/views/intake.py" line="272" />
            <source>Choose file…</source>
            <translation>选择文件…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="260" />
            <source>The file is read on this computer; nothing is registered until you check the fields and press Register.</source>
            <translation>文件在本机读取；核对各项并点击“登记”之前不会登记任何内容。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="268" />
            <source>Photograph the paper document or choose a file</source>
            <translation>拍摄纸质公文或选择文件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="271" />
            <source>Take photo or choose file…</source>
            <translation>拍照或选择文件…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="328" />
            <location filename="../../modules/documents/views/intake.py" line="347" />
            <location filename="../../modules/documents/views/page.py" line="274" />
            <source>Paper intake</source>
            <translation>收文录入</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="378" />
            <source>Register for</source>
            <translation>登记到</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="392" />
            <source>Read on the server (batch)</source>
            <translation>服务器批量读取</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="393" />
            <source>Queue files…</source>
            <translation>提交文件…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="396" />
            <source>Refresh</source>
            <translation>刷新</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="424" />
            <location filename="../../modules/documents/views/intake.py" line="626" />
            <source>Opening the file…</source>
            <translation>正在打开文件…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="451" />
            <source>Previous page</source>
            <translation>上一页</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="454" />
            <source>Next page</source>
            <translation>下一页</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="458" />
            <source>Zoom in</source>
            <translation>放大</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="460" />
            <source>Fit</source>
            <translation>适合窗口</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="492" />
            <source>Normal</source>
            <translation>平件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="517" />
            <source>e.g. 5 (optional)</source>
            <translation>如 5（可不填）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="518" />
            <source>Time limit (working days)</source>
            <translation>办理时限（工作日）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="523" />
            <location filename="../../modules/documents/views/intake.py" line="566" />
            <source>Choose another file</source>
            <translation>重新选择文件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="552" />
            <source>corrected</source>
            <translation>已更正</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="554" />
            <source>You changed what was read</source>
            <translation>您已修改识别结果</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="608" />
            <source>Choose the document to take in</source>
            <translation>选择要录入的公文</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="609" />
            <location filename="../../modules/documents/views/intake.py" line="616" />
            <source>Documents and images</source>
            <translation>公文和图片</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="615" />
            <source>Files to read on the server</source>
            <translation>交由服务器读取的文件</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="642" />
            <source>Reading page {page} of {total}…</source>
            <translation>正在读取第{page}页，共{total}页…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="643" />
            <source>Finding the fields…</source>
            <translation>正在识别登记项…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="649" />
            <source>Cancelling…</source>
            <translation>正在取消…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="681" />
            <location filename="../../modules/documents/views/intake.py" line="726" />
            <source>Loading…</source>
            <translation>正在加载…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="688" />
            <source>queued</source>
            <translation>排队中</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="688" />
            <source>reading</source>
            <translation>读取中</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="689" />
            <source>read</source>
            <translation>已读取</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="689" />
            <source>failed</source>
            <translation>失败</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="690" />
            <source>refused</source>
            <translation>已拒绝</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="698" />
            <source>registered</source>
            <translation>已登记</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="704" />
            <source>No files queued on the server.</source>
            <translation>服务器上没有待读取的文件。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="710" />
            <source>Uploading…</source>
            <translation>正在上传…</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="725" />
            <source>Server reading</source>
            <translation>服务器读取结果</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="734" />
            <source>This file has not been read yet.</source>
            <translation>该文件尚未读取。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="757" />
            <source>no marking</source>
            <translation>无密级标志</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="761" />
            <source>How sure the reading is</source>
            <translation>识别可信度</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="763" />
            <source>None (not classified)</source>
            <translation>无（非涉密）</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="769" />
            <source>Check each field against the page; click a field to see where it was read.</source>
            <translation>请对照原件逐项核对；点击某项可查看其在页面上的位置。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="771" />
            <source>Unsure: {fields}.</source>
            <translation>可信度低：{fields}。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="773" />
            <source>Not found: {fields}.</source>
            <translation>未识别：{fields}。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="815" />
            <source>Page {page} of {total}</source>
            <translation>第{page}页，共{total}页</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="857" />
            <source>The time limit is a number of working days from 1 to 365.</source>
            <translation>办理时限须为 1 至 365 个工作日。</translation>
        </message>
        <message>
            <location filename="../../modules/documents/views/intake.py" line="861" />
            <source>Enter the title before registering.</source>
            <translation>请填写标题后再登记。</translation>
        </message>
    </context>
    <context>
        <name>DropArea</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="695" />
            <source>Drop a PDF file here, or choose one with the button below</source>
            <translation>将 PDF 文件拖放到这里，或点击下方按钮选择文件</translation>
        </message>
    </context>
    <context>
        <name>EntriesModel</name>
        <message>
            <location filename="../../modules/audit/views.py" line="101" />
            <source>Time</source>
            <extracomment>Entries asked for per page. Phone width: shorter time (month-day hour:minute) and the name without the account.</extracomment>
            <translation>时间</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="101" />
            <source>Person</source>
            <translation>人员</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="101" />
            <source>Action</source>
            <translation>操作</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="102" />
            <source>Target</source>
            <translation>对象</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="102" />
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="103" />
            <source>Device / address</source>
            <translation>设备 / 地址</translation>
        </message>
    </context>
    <context>
        <name>EntryDetail</name>
        <message>
            <location filename="../../modules/audit/views.py" line="152" />
            <location filename="../../modules/audit/views.py" line="206" />
            <source>Choose an entry to see it in full.</source>
            <translation>选择一条记录查看详情。</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="163" />
            <source>No.</source>
            <translation>序号</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="163" />
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="163" />
            <source>Person</source>
            <translation>人员</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="164" />
            <source>Person ID</source>
            <translation>人员编号</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="164" />
            <source>Action code</source>
            <translation>操作代码</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="165" />
            <source>Target</source>
            <translation>对象</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="165" />
            <source>Body</source>
            <translation>所属单位</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="165" />
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="166" />
            <source>Device</source>
            <translation>设备</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="166" />
            <source>Address</source>
            <translation>地址</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="167" />
            <source>Request ID</source>
            <translation>请求编号</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="167" />
            <source>Detail</source>
            <translation>详情</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="168" />
            <source>Hash</source>
            <translation>哈希</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="168" />
            <source>Previous hash</source>
            <translation>前一条哈希</translation>
        </message>
        <message>
            <location filename="../../modules/audit/views.py" line="185" />
            <source>Each entry's hash covers its contents and the previous entry's hash, so a changed, removed or inserted entry breaks the chain; `main.py audit verify` checks it on the server.</source>
            <translation>每条记录的哈希覆盖其内容和前一条记录的哈希，修改、删除或插入记录都会使哈希链断开；可在服务器上用 `main.py audit verify` 校验。</translation>
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
        <name>InstructionDialog</name>
        <message>
            <location filename="../../modules/supervision/from_document.py" line="63" />
            <source>To supervision</source>
            <translation>转督办</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/from_document.py" line="68" />
            <source>Instruction by %1: %2</source>
            <translation>%1批示：%2</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/from_document.py" line="74" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/from_document.py" line="77" />
            <source>What is asked</source>
            <translation>工作要求</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/from_document.py" line="81" />
            <source>Lead unit</source>
            <translation>牵头单位</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/from_document.py" line="90" />
            <source>Co-units</source>
            <translation>协办单位</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/from_document.py" line="92" />
            <source>Normal</source>
            <translation>一般</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/from_document.py" line="92" />
            <source>Important</source>
            <translation>重要</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/from_document.py" line="93" />
            <source>Urgent</source>
            <translation>特急</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/from_document.py" line="95" />
            <source>Grade</source>
            <translation>等级</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/from_document.py" line="96" />
            <source>Working days</source>
            <translation>工作日</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/from_document.py" line="97" />
            <source>By date</source>
            <translation>按日期</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/from_document.py" line="114" />
            <source>Deadline</source>
            <translation>办理期限</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/from_document.py" line="146" />
            <source>Choose the lead unit.</source>
            <translation>请选择牵头单位。</translation>
        </message>
    </context>
    <context>
        <name>ItemEditor</name>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="208" />
            <source>Edit agenda item</source>
            <translation>修改议题</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="208" />
            <source>New agenda item</source>
            <translation>新增议题</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="217" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="219" />
            <source>(none)</source>
            <translation>（无）</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="223" />
            <source>Presenter</source>
            <translation>汇报人</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="224" />
            <source>Time slot</source>
            <translation>时间段</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="234" />
            <source>When</source>
            <translation>时间</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="244" />
            <source>Attending this item</source>
            <translation>本议题列席人员</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="248" />
            <source>Attach file…</source>
            <translation>添加附件…</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="249" />
            <source>Remove file</source>
            <translation>删除附件</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="255" />
            <source>Materials</source>
            <translation>会议材料</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="274" />
            <source>Attach file</source>
            <translation>添加附件</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="316" />
            <source>Give the item a title.</source>
            <translation>请填写议题名称。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="328" />
            <source>Saving the item: it shows when the server confirms it.</source>
            <translation>正在保存议题：服务器确认后显示。</translation>
        </message>
    </context>
    <context>
        <name>LoginView</name>
        <message>
            <location filename="../../office_app/login.py" line="163" />
            <source>Office collaboration — sign in</source>
            <translation>协同办公 — 登录</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="184" />
            <source>Office collaboration</source>
            <translation>协同办公</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="187" />
            <source>Documents, meetings, supervision and seals — also offline.</source>
            <translation>公文、会议、督办、印章，离线也能办公。</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="195" />
            <location filename="../../office_app/login.py" line="206" />
            <source>Server address</source>
            <translation>服务器地址</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="198" />
            <location filename="../../office_app/login.py" line="199" />
            <location filename="../../office_app/login.py" line="207" />
            <source>Account</source>
            <translation>账号</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="202" />
            <location filename="../../office_app/login.py" line="203" />
            <location filename="../../office_app/login.py" line="208" />
            <source>Password</source>
            <translation>密码</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="212" />
            <source>This computer has no usable system keyring: the key that encrypts your local data will be derived from your password, so opening offline will need it too.</source>
            <translation>本机没有可用的系统钥匙串：加密本地数据的密钥将由您的密码派生，离线打开时也需要输入密码。</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="216" />
            <source>Local data encryption</source>
            <translation>本地数据加密</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="222" />
            <source>Sign-in problem</source>
            <translation>登录提示</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="225" />
            <location filename="../../office_app/login.py" line="380" />
            <source>Sign in</source>
            <translation>登录</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="228" />
            <source>Enter offline with the saved session</source>
            <translation>使用本机保存的会话离线进入</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="237" />
            <location filename="../../office_app/login.py" line="283" />
            <source>Demo server — choose an account to try:</source>
            <translation>演示服务器 — 选择一个账号体验：</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="244" />
            <source>Demo accounts</source>
            <translation>演示账号</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="282" />
            <source>Demo server — choose an account to try (password %1):</source>
            <translation>演示服务器 — 选择一个账号体验（密码 %1）：</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="308" />
            <source>Enter the server address, starting with http:// or https://.</source>
            <translation>请输入服务器地址，以 http:// 或 https:// 开头。</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="312" />
            <source>Enter your account.</source>
            <translation>请输入账号。</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="325" />
            <source>Enter your password.</source>
            <translation>请输入密码。</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="327" />
            <source>Signing in…</source>
            <translation>正在登录…</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="341" />
            <source>Opening…</source>
            <translation>正在打开…</translation>
        </message>
        <message>
            <location filename="../../office_app/login.py" line="361" />
            <source>If you have signed in on this device before, you can enter offline.</source>
            <translation>如果曾在本机登录过，可以离线进入。</translation>
        </message>
        <message>
            <location filename="../../office_app/run.py" line="252" />
            <location filename="../../office_app/run.py" line="292" />
            <source>Signing out…</source>
            <extracomment>(server URL, account) of a wipe after a revocation; queued to the GUI thread. (server URL, account) whose sign-in the server ended; queued to the GUI thread. Called once: after the sign-in view shows, or after a resumed start painted.</extracomment>
            <translation>正在退出登录…</translation>
        </message>
        <message>
            <location filename="../../office_app/run.py" line="276" />
            <source>This device was removed from your account (by you or by the security administrator); its local data has been wiped. Sign in again to continue.</source>
            <translation>此设备已被移除（由您本人或安全保密管理员操作），本机数据已清除。请重新登录。</translation>
        </message>
        <message>
            <location filename="../../office_app/run.py" line="289" />
            <source>Your sign-in on this device has ended (it expired, or you signed out on another device). Sign in again to continue; your local data is kept.</source>
            <translation>您在本机的登录已失效（已过期，或您已在其他设备上退出登录）。请重新登录继续使用；本机数据已保留。</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../office_app/main_window.py" line="111" />
            <location filename="../../office_app/main_window.py" line="160" />
            <source>Office collaboration</source>
            <translation>协同办公</translation>
        </message>
        <message>
            <location filename="../../office_app/main_window.py" line="209" />
            <source>Back</source>
            <translation>返回</translation>
        </message>
    </context>
    <context>
        <name>MeetingForm</name>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="257" />
            <source>Change meeting</source>
            <translation>修改会议</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="257" />
            <source>New meeting</source>
            <translation>新建会议</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="284" />
            <source>e.g. Annual work meeting</source>
            <extracomment>Recurring series (例会): the repeat section of a new meeting, the scope question of an occurrence (modules.meetings.views.recurrence). The booking dialog opened by "book a room now" (tests drive it).</extracomment>
            <translation>如：年度工作会议</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="292" />
            <source>Chair: search by name or pinyin</source>
            <translation>主持人：按姓名或拼音查找</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="304" />
            <source>Book a room now</source>
            <translation>现在预订会议室</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="316" />
            <source>Outside place, if not in a room</source>
            <translation>不在会议室时的会议地点</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="319" />
            <source>Add attendees: search by name or pinyin</source>
            <translation>添加参会人员：按姓名或拼音查找</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="321" />
            <source>Add units: search by name</source>
            <translation>添加参会单位：按名称查找</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="323" />
            <source>Add observers: search by name or pinyin</source>
            <translation>添加列席人员：按姓名或拼音查找</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="325" />
            <source>Add staff: search by name or pinyin</source>
            <translation>添加工作人员：按姓名或拼音查找</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="327" />
            <source>Replies due by</source>
            <translation>回执截止时间</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="337" />
            <source>Contact: search by name or pinyin</source>
            <translation>联系人：按姓名或拼音查找</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="344" />
            <source>Materials to bring, dress, parking…</source>
            <translation>需携带材料、着装、停车等</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="348" />
            <source>What changes, in words for everyone</source>
            <translation>变更内容（将通知所有参会人员）</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="350" />
            <source>Subject</source>
            <translation>会议名称</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="351" />
            <source>Type</source>
            <translation>会议类型</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="352" />
            <source>Host unit</source>
            <translation>主办单位</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="353" />
            <source>Chair</source>
            <translation>主持人</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="354" />
            <source>Starts</source>
            <translation>开始时间</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="355" />
            <source>Ends</source>
            <translation>结束时间</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="356" />
            <source>Room</source>
            <translation>会议室</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="358" />
            <source>Place</source>
            <translation>地点</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="359" />
            <source>Video link</source>
            <translation>视频会议链接</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="360" />
            <source>Attendees</source>
            <translation>参会人员</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="361" />
            <source>Invited units</source>
            <translation>参会单位</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="362" />
            <source>Observers</source>
            <translation>列席人员</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="363" />
            <source>Staff</source>
            <translation>工作人员</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="364" />
            <source>Reply</source>
            <translation>回执截止</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="365" />
            <source>Contact</source>
            <translation>联系人</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="366" />
            <source>Phone</source>
            <translation>联系电话</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="367" />
            <source>Notes</source>
            <translation>其他事项</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="370" />
            <source>Change note</source>
            <translation>变更说明</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="375" />
            <source>Saved as a draft; publish it to send the notice. It takes effect when the server confirms it.</source>
            <translation>已存为草稿，发布后才会发出会议通知。服务器确认后生效。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="378" />
            <source>Everyone invited is told of the change once the server confirms it.</source>
            <translation>服务器确认后，将向所有参会人员发送变更通知。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="439" />
            <source>No room (outside place or video link)</source>
            <translation>不使用会议室（外部地点或视频会议）</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="452" />
            <source>None of your bookings covers this time: book a room now, or give a place.</source>
            <translation>您的预订都不覆盖该时段：请现在预订会议室，或填写会议地点。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="465" />
            <source>Meeting</source>
            <translation>会议</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="489" />
            <source>Please give the meeting a subject.</source>
            <translation>请填写会议名称。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="491" />
            <source>Choose the host unit.</source>
            <translation>请选择主办单位。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="589" />
            <source>Sent: %1. It takes effect when the server confirms it.</source>
            <translation>已提交：%1。服务器确认后生效。</translation>
        </message>
    </context>
    <context>
        <name>Meetings</name>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="102" />
            <source>video</source>
            <extracomment>Ids of the meetings the user organises (drafts listed too), and (id, name) of the bodies they may organise for (the "New meeting" button). Meetings the user is invited to (and so may reply to).</extracomment>
            <translation>视频会议</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/models.py" line="54" />
            <source> seats</source>
            <translation>座</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/models.py" line="57" />
            <source>(lacks %1)</source>
            <translation>（缺少%1）</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/grid.py" line="172" />
            <source>%1 seats</source>
            <translation>%1座</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/grid.py" line="174" />
            <source>approval</source>
            <translation>需审批</translation>
        </message>
    </context>
    <context>
        <name>MeetingsCalendar</name>
        <message>
            <location filename="../../modules/meetings/views/calendar_view.py" line="127" />
            <source>Holiday</source>
            <translation>节假日</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar_view.py" line="129" />
            <location filename="../../modules/meetings/views/calendar_view.py" line="414" />
            <source>Make-up working day</source>
            <translation>调休上班</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar_view.py" line="153" />
            <source>video</source>
            <translation>视频</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar_view.py" line="280" />
            <source>cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar_view.py" line="541" />
            <source>+%1 more</source>
            <translation>另有%1项</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar_view.py" line="582" />
            <source>Previous</source>
            <translation>上一个</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar_view.py" line="583" />
            <source>Next</source>
            <translation>下一个</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar_view.py" line="584" />
            <source>Today</source>
            <translation>今天</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar_view.py" line="593" />
            <source>Day</source>
            <translation>日</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar_view.py" line="593" />
            <source>Week</source>
            <translation>周</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar_view.py" line="593" />
            <source>Month</source>
            <translation>月</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar_view.py" line="626" />
            <source>Red: public holiday · Orange: make-up working day · Click a meeting to open it</source>
            <translation>红色：法定节假日 · 橙色：调休上班 · 点击会议可打开</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar_view.py" line="683" />
            <source>No meetings in these days.</source>
            <translation>这几天没有会议。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="138" />
            <source>Export to calendar</source>
            <translation>导出到日历</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="139" />
            <location filename="../../modules/meetings/views/calendar.py" line="162" />
            <source>Calendar files (*.ics)</source>
            <translation>日历文件 (*.ics)</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="147" />
            <source>Calendar file saved to %1.</source>
            <translation>日历文件已保存到%1。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="161" />
            <source>Import calendar reply</source>
            <translation>导入日历回复</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/calendar.py" line="169" />
            <source>Calendar reply sent; the tally changes when the server records it.</source>
            <translation>日历回复已提交，服务器记录后回执统计随之更新。</translation>
        </message>
    </context>
    <context>
        <name>MeetingsPage</name>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="110" />
            <source>Meetings</source>
            <extracomment>(body id, name) of the bodies whose rooms the user manages. The day whose bookings ``bookings`` holds.</extracomment>
            <translation>会议</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="115" />
            <source>Previous day</source>
            <translation>前一天</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="116" />
            <source>Next day</source>
            <translation>后一天</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="118" />
            <source>Today</source>
            <translation>今天</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="119" />
            <location filename="../../modules/meetings/views/page.py" line="120" />
            <source>Book a room</source>
            <translation>预订会议室</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="137" />
            <source>My meetings</source>
            <translation>我的会议</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="140" />
            <source>Calendar</source>
            <translation>日历</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="153" />
            <source>Your unit has no meeting rooms yet.</source>
            <translation>本单位尚未登记会议室。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="159" />
            <source>Add a room</source>
            <translation>添加会议室</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="162" />
            <source>Blue: booked · Orange: awaiting approval · Dashed: waiting for the server · Click a free time to book, a room's name to edit it</source>
            <translation>蓝色：已预订 · 橙色：待审批 · 虚线：等待服务器确认 · 点击空闲时段预订，点击会议室名称修改</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="168" />
            <source>Rooms</source>
            <translation>会议室</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="175" />
            <location filename="../../modules/meetings/views/page.py" line="424" />
            <source>Cancel booking</source>
            <translation>取消预订</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="179" />
            <source>My bookings</source>
            <translation>我的预订</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="186" />
            <source>Approve</source>
            <translation>批准</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="187" />
            <source>Reject</source>
            <translation>不批准</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="196" />
            <location filename="../../modules/meetings/views/page.py" line="311" />
            <source>To approve</source>
            <translation>待审批</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="372" />
            <source>Booked: %1. It shows as waiting until the server confirms it.</source>
            <translation>已预订：%1。服务器确认前显示为待确认。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="387" />
            <source>Saved: %1. It appears once the server has it.</source>
            <translation>已保存：%1。服务器确认后显示。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="422" />
            <location filename="../../modules/meetings/views/page.py" line="435" />
            <source>Choose a booking first.</source>
            <translation>请先选择一个预订。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/page.py" line="425" />
            <source>Cancel the booking %1? The room becomes free for others.</source>
            <translation>取消预订%1？该时段将释放给他人。</translation>
        </message>
    </context>
    <context>
        <name>MinutesDialog</name>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="257" />
            <source>Minutes and decisions</source>
            <translation>会议纪要与议定事项</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="266" />
            <source>Start the minutes</source>
            <translation>起草会议纪要</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="270" />
            <source>Decisions</source>
            <translation>议定事项</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="275" />
            <source>No decisions recorded yet.</source>
            <translation>暂无议定事项。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="279" />
            <source>Add</source>
            <translation>添加</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="280" />
            <source>Edit</source>
            <translation>修改</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="281" />
            <source>Remove</source>
            <translation>删除</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="282" />
            <source>Send to supervision</source>
            <translation>转督办</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="322" />
            <source>The minutes have not been started.</source>
            <translation>尚未起草会议纪要。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="324" />
            <source>Minutes started; the document is on its way.</source>
            <translation>已开始起草纪要，公文正在生成。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="327" />
            <source>Minutes: %1 — %2 (in Documents)</source>
            <translation>纪要：%1 — %2（在公文中）</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="358" />
            <source>The minutes must be issued first.</source>
            <translation>会议纪要须先印发。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="367" />
            <source>Starting the minutes: the draft appears in Documents.</source>
            <translation>正在起草纪要：草稿将出现在公文中。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="376" />
            <source>Saving the decision: it shows when the server confirms it.</source>
            <translation>正在保存议定事项：服务器确认后显示。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="386" />
            <source>Removing the decision: it goes when the server confirms it.</source>
            <translation>正在删除议定事项：服务器确认后生效。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/minutes.py" line="393" />
            <source>Sending to supervision: its number shows when confirmed.</source>
            <translation>正在转督办：确认后显示督办编号。</translation>
        </message>
    </context>
    <context>
        <name>MyMeetings</name>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="122" />
            <source>New meeting</source>
            <translation>新建会议</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="131" />
            <source>No meetings for you yet.</source>
            <translation>暂无您的会议。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="143" />
            <source>Chase replies</source>
            <translation>催办回执</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="145" />
            <source>Remind everyone who has not replied (once per person every two hours)</source>
            <translation>提醒所有尚未回执的人员（每人每两小时最多一次）</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="149" />
            <source>Attend</source>
            <translation>参加</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="150" />
            <location filename="../../modules/meetings/views/mine.py" line="218" />
            <location filename="../../modules/meetings/views/mine.py" line="370" />
            <source>Excuse myself</source>
            <translation>请假</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="151" />
            <location filename="../../modules/meetings/views/mine.py" line="219" />
            <location filename="../../modules/meetings/views/mine.py" line="380" />
            <source>Send a substitute</source>
            <translation>委托他人代会</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="155" />
            <source>Check-in</source>
            <translation>签到</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="159" />
            <source>Agenda</source>
            <translation>议程</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="162" />
            <source>Notice PDF</source>
            <translation>通知 PDF</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="167" />
            <source>Add to calendar</source>
            <translation>加入日历</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="170" />
            <location filename="../../modules/meetings/views/mine.py" line="215" />
            <source>Import calendar reply…</source>
            <translation>导入日历回复…</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="196" />
            <source>Calendar subscription</source>
            <translation>日历订阅</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="214" />
            <source>Import reply…</source>
            <translation>导入回复…</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="218" />
            <source>Excuse</source>
            <translation>请假</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="219" />
            <source>Substitute</source>
            <translation>代会</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="289" />
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="289" />
            <source>Place</source>
            <translation>地点</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="289" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="290" />
            <source>Host</source>
            <translation>主办单位</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="290" />
            <source>Chair</source>
            <translation>主持人</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="290" />
            <source>Reply by</source>
            <translation>回执截止</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="291" />
            <source>Contact</source>
            <translation>联系人</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="291" />
            <source>Notes</source>
            <translation>其他事项</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="292" />
            <source>Cancelled</source>
            <translation>已取消</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="322" />
            <source>Your reply: %1</source>
            <translation>您的回执：%1</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="324" />
            <source>You have not replied yet.</source>
            <translation>您尚未回执。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="342" />
            <source>bodies yet to nominate</source>
            <translation>单位待报名</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="354" />
            <source>Chasing: those who have not replied are reminded when the server confirms it.</source>
            <translation>正在催办：服务器确认后将提醒尚未回执的人员。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="363" />
            <source>Reply sent.</source>
            <translation>回执已提交。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="370" />
            <source>Reason</source>
            <translation>理由</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="377" />
            <source>No colleague to send in your place.</source>
            <translation>没有可代会的同事。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/mine.py" line="381" />
            <source>Who goes in your place</source>
            <translation>由谁代会</translation>
        </message>
    </context>
    <context>
        <name>Navigation</name>
        <message>
            <location filename="../../office_app/navigation.py" line="55" />
            <source>Workbench</source>
            <extracomment>Whether a page is offered to the signed-in person (e.g. by role); the server decides what they may do there anyway. Bottom tab bar at phone width (at most five): the rest sit under 更多 (more). Source texts marked for lupdate (QT_TRANSLATE_NOOP is typed as returning ``object``).</extracomment>
            <translation>工作台</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="56" />
            <source>Documents</source>
            <translation>公文</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="57" />
            <source>Meetings</source>
            <translation>会议</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="58" />
            <source>Supervision</source>
            <translation>督办</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="59" />
            <source>Seals</source>
            <translation>印章</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="60" />
            <source>Directory</source>
            <translation>通讯录</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="61" />
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="62" />
            <source>More</source>
            <translation>更多</translation>
        </message>
        <message>
            <location filename="../../office_app/navigation.py" line="63" />
            <source>Security audit</source>
            <translation>安全审计</translation>
        </message>
    </context>
    <context>
        <name>OrganiserActions</name>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="623" />
            <source>Edit</source>
            <translation>修改</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="624" />
            <source>Publish</source>
            <translation>发布</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="625" />
            <location filename="../../modules/meetings/views/form.py" line="711" />
            <source>Cancel meeting</source>
            <translation>取消会议</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="626" />
            <location filename="../../modules/meetings/views/form.py" line="726" />
            <source>Close</source>
            <translation>结束会议</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="627" />
            <source>Seat plan</source>
            <translation>座次</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="631" />
            <source>Minutes</source>
            <translation>会议纪要</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="696" />
            <source>Publishing: the notices go out when the server confirms it.</source>
            <translation>正在发布：服务器确认后发出会议通知。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="700" />
            <source>Publishing: the notice goes out when the server confirms it.</source>
            <translation>正在发布：服务器确认后发出会议通知。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="712" />
            <source>Reason (everyone invited is told)</source>
            <translation>理由（将通知所有参会人员）</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="708" />
            <location filename="../../modules/meetings/views/form.py" line="721" />
            <source>Cancelling: it takes effect when the server confirms it.</source>
            <translation>正在取消：服务器确认后生效。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="727" />
            <source>Close %1? Replies stop.</source>
            <translation>结束会议%1？回执将停止。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/form.py" line="730" />
            <source>Closing: it takes effect when the server confirms it.</source>
            <translation>正在结束：服务器确认后生效。</translation>
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
            <location filename="../../modules/directory/views.py" line="344" />
            <source>Choose a person to see the details.</source>
            <translation>选择一位人员查看详细信息。</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="375" />
            <source>Posts</source>
            <translation>职务</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="385" />
            <source>Phone</source>
            <translation>电话</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="386" />
            <source>Email</source>
            <translation>邮箱</translation>
        </message>
        <message>
            <location filename="../../modules/directory/views.py" line="433" />
            <source>Copied: %1</source>
            <translation>已复制：%1</translation>
        </message>
    </context>
    <context>
        <name>PlaceholderPage</name>
        <message>
            <location filename="../../office_app/widgets.py" line="152" />
            <source>This module could not be loaded.</source>
            <extracomment>Minimum height of anything tappable at phone width (Apple HIG / Material: 44–48 px). Window width at which the layout switches from phone to wide.</extracomment>
            <translation>该模块加载失败</translation>
        </message>
        <message>
            <location filename="../../office_app/widgets.py" line="153" />
            <source>The error has been logged; please contact the administrator.</source>
            <translation>错误已记录，请联系管理员。</translation>
        </message>
        <message>
            <location filename="../../office_app/widgets.py" line="155" />
            <source>This module is under construction.</source>
            <translation>该模块正在建设中</translation>
        </message>
        <message>
            <location filename="../../office_app/widgets.py" line="156" />
            <source>It will appear here once it is installed.</source>
            <translation>模块上线后将在此处显示。</translation>
        </message>
    </context>
    <context>
        <name>ProposeDialog</name>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="338" />
            <source>Propose a topic</source>
            <translation>申报议题</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="345" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="348" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="351" />
            <source> min</source>
            <translation> 分钟</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="352" />
            <source>Time asked for</source>
            <translation>申请时长</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="355" />
            <source>Note</source>
            <translation>说明</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="359" />
            <source>Attach file…</source>
            <translation>添加附件…</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="364" />
            <source>Materials</source>
            <translation>会议材料</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="376" />
            <source>Attach file</source>
            <translation>添加附件</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="390" />
            <source>Give the topic a title.</source>
            <translation>请填写议题名称。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/agenda.py" line="398" />
            <source>Topic proposed.</source>
            <translation>议题已申报。</translation>
        </message>
    </context>
    <context>
        <name>RegisterPanel</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="588" />
            <location filename="../../modules/seals/views/page.py" line="644" />
            <source>All seals</source>
            <translation>全部印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="597" />
            <source>Search title, reason, requester</source>
            <translation>搜索标题、事由、申请人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="599" />
            <source>Export CSV…</source>
            <translation>导出 CSV…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="653" />
            <source>{n} register entries</source>
            <translation>共 {n} 条用印记录</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="657" />
            <source>Export the seal register</source>
            <translation>导出用印登记簿</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="658" />
            <source>seal-register-{day}.csv</source>
            <translation>用印登记-{day}.csv</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="659" />
            <source>CSV files (*.csv)</source>
            <translation>CSV 文件 (*.csv)</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="665" />
            <source>Exported to {name}</source>
            <translation>已导出到 {name}</translation>
        </message>
    </context>
    <context>
        <name>RepeatSection</name>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="150" />
            <source>Does not repeat</source>
            <translation>不重复</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="150" />
            <source>Weekly</source>
            <translation>每周</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="151" />
            <source>Monthly</source>
            <translation>每月</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="166" />
            <source>Every</source>
            <translation>每</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="172" />
            <source>Mon</source>
            <translation>一</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="172" />
            <source>Tue</source>
            <translation>二</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="172" />
            <source>Wed</source>
            <translation>三</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="172" />
            <source>Thu</source>
            <translation>四</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="172" />
            <source>Fri</source>
            <translation>五</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="173" />
            <source>Sat</source>
            <translation>六</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="173" />
            <source>Sun</source>
            <translation>日</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="180" />
            <source>On</source>
            <translation>于</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="186" />
            <source>On day</source>
            <translation>在每月第</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="187" />
            <source>On the</source>
            <translation>在每月</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="192" />
            <source>1st</source>
            <translation>第一个</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="192" />
            <source>2nd</source>
            <translation>第二个</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="192" />
            <source>3rd</source>
            <translation>第三个</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="192" />
            <source>4th</source>
            <translation>第四个</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="192" />
            <source>last</source>
            <translation>最后一个</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="197" />
            <source>Monday</source>
            <translation>星期一</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="197" />
            <source>Tuesday</source>
            <translation>星期二</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="197" />
            <source>Wednesday</source>
            <translation>星期三</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="198" />
            <source>Thursday</source>
            <translation>星期四</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="198" />
            <source>Friday</source>
            <translation>星期五</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="198" />
            <source>Saturday</source>
            <translation>星期六</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="199" />
            <source>Sunday</source>
            <translation>星期日</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="204" />
            <source>Day</source>
            <translation>日</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="207" />
            <source>Until</source>
            <translation>截至</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="208" />
            <source>Number of times</source>
            <translation>次数</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="221" />
            <source>Ends</source>
            <translation>结束</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="225" />
            <source>Skip official holidays and weekends</source>
            <translation>跳过法定节假日和周末</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="226" />
            <source>Move to the next working day</source>
            <translation>顺延至下一个工作日</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="227" />
            <source>Holidays</source>
            <translation>节假日</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="231" />
            <source>No room (outside place or video link)</source>
            <translation>不用会议室（外部地点或视频会议）</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="232" />
            <source>Room</source>
            <translation>会议室</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="233" />
            <source>Create it without the dates whose room is taken</source>
            <translation>跳过会议室已被占用的日期，其余照常创建</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="235" />
            <source>Publish every meeting at once (the notices go out)</source>
            <translation>立即发布全部会议（发出会议通知）</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="313" />
            <source>week(s)</source>
            <extracomment>Until the organiser picks days, the rule follows the first meeting's date.</extracomment>
            <translation>周</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="313" />
            <source>month(s)</source>
            <translation>个月</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="360" />
            <source>Working out the dates…</source>
            <translation>正在计算日期…</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="370" />
            <source>%1 meetings</source>
            <translation>%1个会议</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="373" />
            <source>, %1 dates left out for holidays</source>
            <translation>，%1个日期因节假日略过</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="375" />
            <source>, %1 with the room taken</source>
            <translation>，%1次会议室已被占用</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="377" />
            <source> — holidays of %1 not entered yet: those dates are provisional</source>
            <translation> — %1年节假日安排尚未录入：这些日期为暂定</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="456" />
            <source>Repeat</source>
            <translation>重复</translation>
        </message>
    </context>
    <context>
        <name>RequestDialog</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="119" />
            <source>Request to use a seal — {name}</source>
            <translation>申请用印 — {name}</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="123" />
            <source>Choose a PDF file…</source>
            <translation>选择 PDF 文件…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="126" />
            <source>Document title</source>
            <translation>文件标题</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="128" />
            <source>Reason for the seal, e.g. a request sent to a higher body</source>
            <translation>用印事由，例如：对外报送请示</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="132" />
            <source>File</source>
            <translation>文件</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="133" />
            <source>Title</source>
            <translation>标题</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="134" />
            <source>Reason</source>
            <translation>用印事由</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="135" />
            <source>Copies</source>
            <translation>份数</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="138" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="140" />
            <source>Submit request</source>
            <translation>提交申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="147" />
            <source>Choose the file to seal</source>
            <translation>选择待用印文件</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="148" />
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
    </context>
    <context>
        <name>RequestsPanel</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="237" />
            <source>No use requests</source>
            <translation>暂无用印申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="243" />
            <location filename="../../modules/seals/views/page.py" line="300" />
            <source>Choose a request to see it</source>
            <translation>选择一个用印申请查看详情</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="247" />
            <source>Signed by hand (with a personal certificate)</source>
            <translation>手写签批（以个人签名证书签名）</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="255" />
            <source>Approve…</source>
            <translation>批准…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="256" />
            <source>Refuse…</source>
            <translation>拒绝…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="257" />
            <source>Withdraw</source>
            <translation>撤销申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="258" />
            <source>Stamp…</source>
            <translation>用印…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="259" />
            <source>View file</source>
            <translation>查看文件</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="309" />
            <source>Seal</source>
            <translation>印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="309" />
            <source>Reason</source>
            <translation>用印事由</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="310" />
            <source>Copies</source>
            <translation>份数</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="310" />
            <source>{copies} ({used} used)</source>
            <translation>{copies} 份（已用 {used} 份）</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="312" />
            <source>Requester</source>
            <translation>申请人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="313" />
            <source>Requested</source>
            <translation>申请时间</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="314" />
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="317" />
            <source>Decided by</source>
            <translation>审批人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="320" />
            <source>Opinion</source>
            <translation>审批意见</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="321" />
            <source>File digest</source>
            <translation>文件摘要</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="345" />
            <source>Approved</source>
            <translation>已批准</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="351" />
            <source>Refuse the request</source>
            <translation>拒绝用印申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="352" />
            <source>Reason for refusing:</source>
            <translation>拒绝理由：</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="355" />
            <source>Refused</source>
            <translation>已拒绝</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="361" />
            <source>Withdrawn</source>
            <translation>已撤销</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="377" />
            <source>File</source>
            <translation>文件</translation>
        </message>
    </context>
    <context>
        <name>RoomDialog</name>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="142" />
            <source>Edit room</source>
            <translation>修改会议室</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="142" />
            <source>Add a room</source>
            <translation>添加会议室</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="166" />
            <source>Bookings need approval</source>
            <translation>预订需审批</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="173" />
            <source>Leave empty while the room is in use</source>
            <translation>正常使用时留空</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="174" />
            <source>Unit</source>
            <translation>所属单位</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="175" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="176" />
            <source>Building</source>
            <translation>楼宇</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="177" />
            <source>Floor</source>
            <translation>楼层</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="178" />
            <source>Seats</source>
            <translation>座位数</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="179" />
            <source>Equipment</source>
            <translation>设备</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="181" />
            <source>Open from</source>
            <translation>开放时间自</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="182" />
            <source>Open until</source>
            <translation>开放时间至</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="183" />
            <source>Closed because</source>
            <translation>暂停使用原因</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/dialogs.py" line="219" />
            <source>Please give the room a name.</source>
            <translation>请填写会议室名称。</translation>
        </message>
    </context>
    <context>
        <name>ScopeDialog</name>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="420" />
            <source>This meeting only</source>
            <translation>仅本次</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="421" />
            <source>This and the following meetings</source>
            <translation>本次及以后各次</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="422" />
            <source>All meetings of the series not yet held</source>
            <translation>该系列中尚未召开的全部会议</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="428" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
    </context>
    <context>
        <name>SealForm</name>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="123" />
            <source>New seal</source>
            <extracomment>the user chose a PNG file to upload (its path); the panel reads it in the background</extracomment>
            <translation>新建印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="125" />
            <source>e.g. Office of the City Government seal</source>
            <translation>例如：某某市人民政府办公室公章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="127" />
            <source>Official seal</source>
            <translation>单位公章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="127" />
            <source>Department seal</source>
            <translation>部门章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="128" />
            <source>Contract seal</source>
            <translation>合同章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="128" />
            <source>Personal seal</source>
            <translation>个人名章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="142" />
            <source>Optional, e.g. 合同专用章</source>
            <translation>可选，例如：合同专用章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="145" />
            <source>%1 mm</source>
            <translation>%1 毫米</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="146" />
            <source>Draw the picture</source>
            <translation>自动生成印模</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="147" />
            <source>Upload a picture (PNG)</source>
            <translation>上传印模（PNG）</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="149" />
            <source>Choose PNG…</source>
            <translation>选择 PNG…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="162" />
            <source>Create seal</source>
            <translation>新建</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="163" />
            <source>Cancel</source>
            <translation>取消</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="169" />
            <location filename="../../modules/seals/views/admin.py" line="278" />
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="170" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="171" />
            <location filename="../../modules/seals/views/admin.py" line="280" />
            <source>Owning body</source>
            <translation>所属单位</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="172" />
            <source>Custodians</source>
            <translation>保管人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="173" />
            <source>Approvers</source>
            <translation>审批领导</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="174" />
            <source>Allowed requesters</source>
            <translation>可申请人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="175" />
            <source>Valid from</source>
            <translation>启用日期</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="176" />
            <source>Valid until</source>
            <translation>截止日期</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="177" />
            <source>Text under the star</source>
            <translation>星下文字</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="178" />
            <source>Diameter</source>
            <translation>直径</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="188" />
            <source>Width</source>
            <translation>宽</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="190" />
            <source>Height</source>
            <translation>高</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="194" />
            <source>Picture</source>
            <translation>印模</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="249" />
            <source>Choose the seal picture</source>
            <translation>选择印模图片</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/admin.py" line="250" />
            <source>PNG pictures (*.png)</source>
            <translation>PNG 图片 (*.png)</translation>
        </message>
    </context>
    <context>
        <name>SealLabels</name>
        <message>
            <location filename="../../modules/seals/views/models.py" line="26" />
            <source>Active</source>
            <translation>启用</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="26" />
            <source>Suspended</source>
            <translation>暂停使用</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="26" />
            <source>Revoked</source>
            <translation>已注销</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="32" />
            <source>Pending</source>
            <translation>待审批</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="32" />
            <source>Approved</source>
            <translation>已批准</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="32" />
            <location filename="../../modules/seals/views/models.py" line="50" />
            <source>Refused</source>
            <translation>已拒绝</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="33" />
            <source>Used up</source>
            <translation>已用完</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="33" />
            <source>Withdrawn</source>
            <translation>已撤销</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="39" />
            <source>Official seal</source>
            <translation>单位公章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="39" />
            <source>Department seal</source>
            <translation>部门章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="40" />
            <source>Contract seal</source>
            <translation>合同章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="40" />
            <source>Personal seal</source>
            <translation>个人名章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="50" />
            <source>Refused: {reason}</source>
            <translation>已拒绝：{reason}</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="51" />
            <source>Stamped</source>
            <translation>已用印</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="91" />
            <source>I keep it</source>
            <translation>我保管</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="93" />
            <source>I approve</source>
            <translation>我审批</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="95" />
            <source>I may request</source>
            <translation>可申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="118" />
            <source>{used}/{copies} copies</source>
            <translation>{used}/{copies} 份</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="145" />
            <source>Stamped at</source>
            <extracomment>language of the refusal reasons (the server's message catalog)</extracomment>
            <translation>用印时间</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="145" />
            <source>Seal</source>
            <translation>印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="146" />
            <source>Document title</source>
            <translation>文件标题</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="146" />
            <source>Reason</source>
            <translation>用印事由</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="147" />
            <source>Requester</source>
            <translation>申请人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="147" />
            <source>Approver</source>
            <translation>审批人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="148" />
            <source>Stamped by</source>
            <translation>盖章人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="148" />
            <source>Copy</source>
            <translation>份次</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="149" />
            <source>Result</source>
            <translation>结果</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="149" />
            <source>Digest after stamping</source>
            <translation>用印后文件摘要</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="173" />
            <source>Verdict</source>
            <translation>结论</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="173" />
            <source>Signer</source>
            <translation>签章人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="173" />
            <source>Organisation</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="174" />
            <source>Signed at</source>
            <translation>签章时间</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="174" />
            <source>Covers</source>
            <translation>覆盖范围</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="174" />
            <source>Notes</source>
            <translation>说明</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="180" />
            <source>; </source>
            <translation>；</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="181" />
            <source>Signature valid; the file was not changed</source>
            <translation>签名有效，文件未被改动</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="189" />
            <source>Valid</source>
            <translation>有效</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="189" />
            <source>Invalid</source>
            <translation>无效</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="195" />
            <source>Entire file</source>
            <translation>整个文件</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="196" />
            <source>The version signed</source>
            <translation>签章时的版本</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/models.py" line="197" />
            <source>Part</source>
            <translation>部分</translation>
        </message>
    </context>
    <context>
        <name>SealsPage</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="81" />
            <source>To decide</source>
            <extracomment>The parts of the screen the page loads, and the cache entities each one reads: a change loads only the parts that read what it changed. ``requests`` reads the seals too (who may decide or stamp), ``seals`` feeds the seals tab, the register's seal filter and the administration tab (with the directory), ``key`` the personal certificate, ``trust`` installs the trust roots for ``main.py verify``.</extracomment>
            <translation>待我审批</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="82" />
            <source>To stamp</source>
            <translation>待用印</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="83" />
            <source>My requests</source>
            <translation>我的申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="84" />
            <source>All</source>
            <translation>全部</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="819" />
            <location filename="../../modules/seals/views/page.py" line="841" />
            <source>Seals</source>
            <extracomment>the parts the load in flight reads (read again with the next one if it is superseded before it lands)</extracomment>
            <translation>印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="840" />
            <source>Use requests</source>
            <translation>用印申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="842" />
            <source>Register</source>
            <translation>用印登记</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="843" />
            <source>Verify</source>
            <translation>验证</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="979" />
            <source>Administration</source>
            <translation>印章管理</translation>
        </message>
    </context>
    <context>
        <name>SealsPanel</name>
        <message>
            <location filename="../../modules/seals/views/page.py" line="431" />
            <source>You have no seals to see</source>
            <translation>您没有可查看的印章</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="436" />
            <location filename="../../modules/seals/views/page.py" line="492" />
            <source>Enrol a personal signing certificate</source>
            <translation>登记个人签名证书</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="450" />
            <source>Choose a seal to see it</source>
            <translation>选择一枚印章查看详情</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="456" />
            <source>Request use…</source>
            <translation>申请用印…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="458" />
            <source>Suspend</source>
            <translation>暂停使用</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="459" />
            <source>Suspended</source>
            <translation>已暂停</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="460" />
            <source>Reactivate</source>
            <translation>恢复启用</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="462" />
            <source>Reactivated</source>
            <translation>已恢复</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="480" />
            <source>Personal signing certificate enrolled (serial {serial}); you can sign approvals by hand.</source>
            <translation>个人签名证书已登记（序列号 {serial}），审批时可手写签批。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="482" />
            <location filename="../../modules/seals/views/page.py" line="487" />
            <source>Enrol again</source>
            <translation>重新登记</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="485" />
            <source>Personal signing key made; waiting for the server to issue the certificate (usable after the next sync).</source>
            <translation>已生成个人签名密钥，等待服务器签发证书（联网同步后可用）。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="490" />
            <source>No personal signing certificate yet. Once enrolled you can sign approvals by hand, offline too.</source>
            <translation>尚未登记个人签名证书。登记后，审批用印时可手写签批，离线也能签名。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="502" />
            <source>, </source>
            <translation>、</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="506" />
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="507" />
            <source>Owning body</source>
            <translation>所属单位</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="508" />
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="509" />
            <source>Custodians</source>
            <translation>保管人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="510" />
            <source>Approvers</source>
            <translation>审批领导</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="511" />
            <source>Allowed requesters</source>
            <translation>可申请人</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="512" />
            <source>Valid</source>
            <translation>有效期</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="512" />
            <source>{start} to {end}</source>
            <translation>{start} 至 {end}</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="515" />
            <source>Certificate serial</source>
            <translation>证书序列号</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="561" />
            <source>Request submitted</source>
            <translation>已提交用印申请</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="570" />
            <source>Personal signing key made; the certificate is issued on the next sync</source>
            <translation>已生成个人签名密钥，证书将在同步后签发</translation>
        </message>
    </context>
    <context>
        <name>SeatPlanDialog</name>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="237" />
            <source>Seat plan: %1</source>
            <extracomment>the smallest zoom (phone width: names stay readable, the view scrolls)</extracomment>
            <translation>座次：%1</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="254" />
            <source>Rostrum and hall</source>
            <translation>主席台和会场</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="255" />
            <source>Facing table</source>
            <translation>会谈式</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="256" />
            <source>U shape</source>
            <translation>回字形</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="258" />
            <source>Rostrum rows, e.g. 7,9</source>
            <translation>主席台各排座位数，如 7,9</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="260" />
            <source>Hall rows, e.g. 12,12,12</source>
            <translation>会场各排座位数，如 12,12,12</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="263" />
            <source>Per side: </source>
            <translation>每侧：</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="266" />
            <source>Head: </source>
            <translation>主桌：</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="269" />
            <source>Each arm: </source>
            <translation>每侧：</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="271" />
            <source>No. 2 on No. 1's left</source>
            <translation>二号位在一号位左侧</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="272" />
            <source>No. 2 on No. 1's right</source>
            <translation>二号位在一号位右侧</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="273" />
            <source>Sides as seen by the people in the chair's row, facing the room</source>
            <translation>左右以主席台就座者面向会场的方向为准</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="275" />
            <location filename="../../modules/meetings/views/seating.py" line="351" />
            <source>Rostrum rows</source>
            <translation>主席台排数</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="276" />
            <location filename="../../modules/meetings/views/seating.py" line="352" />
            <source>Hall rows</source>
            <translation>会场排数</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="277" />
            <source>Seats per row of the rostrum, front row first</source>
            <translation>主席台每排座位数，从前排起</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="278" />
            <source>Seats per row of the hall, front row first</source>
            <translation>会场每排座位数，从前排起</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="299" />
            <source>Not seated</source>
            <translation>未安排座位</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="303" />
            <source>Take off the seat</source>
            <translation>移出座位</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="309" />
            <source>Keep my order</source>
            <translation>保留我的顺序</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="310" />
            <source>Fill by rank puts the order saved last first</source>
            <translation>按职级排座时优先采用上次保存的顺序</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="314" />
            <source>Fill by rank</source>
            <translation>按职级排座</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="316" />
            <location filename="../../modules/meetings/views/seating.py" line="358" />
            <source>Table cards (PDF)</source>
            <translation>桌签（PDF）</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="318" />
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="320" />
            <source>Close</source>
            <translation>关闭</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="351" />
            <source>Rostrum</source>
            <translation>主席台</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="352" />
            <source>Hall</source>
            <translation>会场</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="358" />
            <source>Cards</source>
            <translation>桌签</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="377" />
            <source>This meeting is not on this device.</source>
            <translation>本机上没有这个会议。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="394" />
            <source>%1 people to seat; drag a name onto another seat to swap.</source>
            <translation>共%1人待排座；把姓名拖到另一个座位可互换。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="544" />
            <source>Saving: the seat plan is kept when the server confirms it.</source>
            <translation>正在保存：服务器确认后座次生效。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="557" />
            <source>Save table cards</source>
            <translation>保存桌签</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="558" />
            <source>Table cards-%1.pdf</source>
            <translation>桌签-%1.pdf</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="559" />
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="569" />
            <source>Nobody is seated yet.</source>
            <translation>尚未安排任何座位。</translation>
        </message>
        <message>
            <location filename="../../modules/meetings/views/seating.py" line="577" />
            <source>%1 table cards saved: %2</source>
            <translation>已保存%1张桌签：%2</translation>
        </message>
    </context>
    <context>
        <name>SettingsPage</name>
        <message>
            <location filename="../../office_app/settings_page.py" line="54" />
            <source>Settings</source>
            <translation>设置</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="58" />
            <location filename="../../office_app/settings_page.py" line="66" />
            <source>Account</source>
            <translation>账号</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="61" />
            <source>Name</source>
            <translation>姓名</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="63" />
            <source>Post</source>
            <translation>职务</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="68" />
            <source>Server</source>
            <translation>服务器</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="70" />
            <source>This is a shared computer</source>
            <translation>这是一台公用电脑</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="75" />
            <source>On a shared computer, signing out forgets this device's data unless you untick it.</source>
            <translation>在公用电脑上，退出登录时默认清除本机数据（可取消勾选）。</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="77" />
            <source>Sign out</source>
            <translation>退出登录</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="87" />
            <source>Display</source>
            <translation>显示</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="93" />
            <location filename="../../office_app/settings_page.py" line="95" />
            <source>Language</source>
            <translation>界面语言</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="97" />
            <source>Follow the system</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="98" />
            <source>Light</source>
            <translation>浅色</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="98" />
            <source>Dark</source>
            <translation>深色</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="102" />
            <source>Theme</source>
            <translation>主题</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="105" />
            <source>Sync</source>
            <translation>同步</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="117" />
            <source>Sync every</source>
            <translation>同步间隔</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="118" />
            <source>Changes from others also arrive at once while online.</source>
            <translation>在线时，他人的更新会即时送达。</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="121" />
            <source>Sync now</source>
            <translation>立即同步</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="132" />
            <source>About</source>
            <translation>关于</translation>
        </message>
        <message>
            <location filename="../../office_app/settings_page.py" line="135" />
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
        <name>SplitDialog</name>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="85" />
            <source>Split off a sub-task</source>
            <translation>分解子任务</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="91" />
            <source>Sub-task</source>
            <translation>子任务</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="95" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="103" />
            <source>Deadline</source>
            <translation>办理期限</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="106" />
            <source>What is asked</source>
            <translation>工作要求</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="118" />
            <source>Give the sub-task a title and a unit.</source>
            <translation>请填写子任务名称并选择承办单位。</translation>
        </message>
    </context>
    <context>
        <name>StampDialog</name>
        <message>
            <location filename="../../modules/seals/views/stamp.py" line="328" />
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
    </context>
    <context>
        <name>StatusPopup</name>
        <message>
            <location filename="../../office_app/status.py" line="235" />
            <source>Sync status</source>
            <translation>同步状态</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="248" />
            <source>Not accepted by the server</source>
            <translation>服务器未接受的操作</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="263" />
            <source>Sync now</source>
            <translation>立即同步</translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="275" />
            <source>%n change(s) saved on this device, waiting to upload. They upload automatically when the connection is back.</source>
            <translation>
                <numerusform>%n 项操作已保存在本机，等待上传；恢复连接后会自动上传。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="278" />
            <source>Everything is uploaded.</source>
            <translation>所有操作均已上传。</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="281" />
            <source>Last problem: %1</source>
            <translation>最近的问题：%1</translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="313" />
            <source>… and %n more</source>
            <translation>
                <numerusform>…… 还有 %n 项</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="329" />
            <source>Conflict</source>
            <translation>冲突</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="329" />
            <source>Rejected</source>
            <translation>被拒绝</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="340" />
            <location filename="../../office_app/status.py" line="343" />
            <source>Dismiss</source>
            <translation>知道了</translation>
        </message>
    </context>
    <context>
        <name>StepDialog</name>
        <message>
            <location filename="../../modules/supervision/views.py" line="159" />
            <source>Progress</source>
            <extracomment>the calendar and the day of the load: each unit's 签收 and the sub-tasks are worked out from them when the details show the row (pure; only for the row shown)</extracomment>
            <translation>进度</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="164" />
            <source>New deadline</source>
            <translation>新的办结时限</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="176" />
            <source>Please write a few words.</source>
            <translation>请填写说明。</translation>
        </message>
    </context>
    <context>
        <name>SubtaskDialog</name>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="137" />
            <source>Withdraw a sub-task</source>
            <translation>撤回子任务</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="138" />
            <source>Report on a sub-task</source>
            <translation>子任务反馈</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="145" />
            <source>Sub-task</source>
            <translation>子任务</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="148" />
            <source>Reason</source>
            <translation>理由</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="148" />
            <source>Progress so far</source>
            <translation>目前进展</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="152" />
            <source>Finished</source>
            <translation>已完成</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="154" />
            <source>Progress</source>
            <translation>进展</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="167" />
            <source>Please write a few words.</source>
            <translation>请填写几句说明。</translation>
        </message>
    </context>
    <context>
        <name>Supervision</name>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="93" />
            <source>Unit</source>
            <translation>单位</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="118" />
            <source>Urge slip saved: {path}</source>
            <translation>催办单已保存：{path}</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="126" />
            <source>Downloading — it opens here once it has arrived.</source>
            <translation>正在下载，下载完成后即可在此打开。</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="144" />
            <location filename="../../modules/supervision/views_lifecycle.py" line="154" />
            <source>Sent.</source>
            <translation>已提交。</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="176" />
            <source>Save the urge slip</source>
            <translation>保存催办单</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="178" />
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="195" />
            <source>Attach files…</source>
            <translation>添加附件…</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="205" />
            <source>Attach files</source>
            <translation>添加附件</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="242" />
            <source>Attachments</source>
            <translation>附件</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="257" />
            <source>Open</source>
            <translation>打开</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="281" />
            <source>Draft a report</source>
            <translation>起草报告</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="286" />
            <source>Report (报告)</source>
            <translation>报告</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="287" />
            <source>Bulletin (情况通报)</source>
            <translation>情况通报</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="288" />
            <source>Kind</source>
            <translation>类型</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="291" />
            <source>Closing paragraph</source>
            <translation>结束语</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_lifecycle.py" line="295" />
            <source>A draft in Documents, prefilled with the item's history.</source>
            <translation>在公文中起草，已预填该事项的办理过程。</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="44" />
            <source>Acknowledged by each unit</source>
            <translation>各单位签收情况</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_units.py" line="48" />
            <source>Sub-tasks</source>
            <translation>分解任务</translation>
        </message>
    </context>
    <context>
        <name>SupervisionDashboard</name>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="367" />
            <source>This month</source>
            <extracomment>(id, name) of every lead unit of the period, for the unit filter (unit id, light colour) of the clicked segment a 通报 draft document was created (its id)</extracomment>
            <translation>本月</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="368" />
            <source>This quarter</source>
            <translation>本季度</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="369" />
            <source>This year</source>
            <translation>本年</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="372" />
            <source>All lead units</source>
            <translation>全部牵头单位</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="375" />
            <source>All sources</source>
            <translation>全部来源</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="378" />
            <source>Export CSV</source>
            <translation>导出 CSV</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="381" />
            <source>Export Excel</source>
            <translation>导出 Excel</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="384" />
            <source>Print PDF</source>
            <translation>打印 PDF</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="387" />
            <source>Bulletin draft</source>
            <translation>通报草稿</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="409" />
            <source>Items</source>
            <translation>事项</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="410" />
            <source>Red</source>
            <translation>红灯</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="411" />
            <source>Yellow</source>
            <translation>黄灯</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="412" />
            <source>Overdue</source>
            <translation>逾期</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="413" />
            <source>Due this week</source>
            <translation>本周到期</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="414" />
            <source>On-time rate</source>
            <translation>按时办结率</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="415" />
            <source>Acknowledged on time</source>
            <translation>按时签收</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="416" />
            <source>Feedback on time</source>
            <translation>按时反馈</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="417" />
            <source>Average delay (working days)</source>
            <translation>平均延误（工作日）</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="418" />
            <source>Extension requests</source>
            <translation>延期申请</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="432" />
            <source>No red or yellow items.</source>
            <translation>没有红灯或黄灯事项。</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="436" />
            <source>Red and yellow items</source>
            <translation>红灯和黄灯事项</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="442" />
            <source>Items by lead unit</source>
            <translation>各牵头单位事项</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="456" />
            <source>Monthly trend</source>
            <translation>月度趋势</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="461" />
            <source>Items by source</source>
            <translation>各来源事项</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="475" />
            <source>Hide</source>
            <translation>隐藏</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="486" />
            <source>No items.</source>
            <translation>没有事项。</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="491" />
            <source>By lead unit</source>
            <translation>按牵头单位</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="501" />
            <source>Ranking</source>
            <translation>排名</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="503" />
            <source>Score: on-time rate (60%), acknowledged on time (20%) and feedback on time (20%), over the rates a unit has; ties go to fewer overdue items.</source>
            <translation>得分：按时办结率（60%）、按时签收率（20%）和按时反馈率（20%），按单位已有的比率计算；得分相同时逾期事项少者在前。</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="583" />
            <source>%1 of %2 items due were done on time</source>
            <translation>到期%2项中按时办结%1项</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="587" />
            <source>%1 (%2 to %3) · as of %4 on this device</source>
            <translation>%1（%2至%3）· 本机数据截至%4</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="614" />
            <source>By source: %1</source>
            <translation>按来源：%1</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="615" />
            <source>By grade: %1</source>
            <translation>按等级：%1</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="616" />
            <source>By state: %1</source>
            <translation>按状态：%1</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="658" />
            <source>%1: %2 items</source>
            <translation>%1：%2项</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="678" />
            <location filename="../../modules/supervision/views_dashboard.py" line="686" />
            <source>Export the statistics</source>
            <translation>导出统计</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="678" />
            <source>CSV files (*.csv)</source>
            <translation>CSV 文件 (*.csv)</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="687" />
            <source>Excel workbooks (*.xlsx)</source>
            <translation>Excel 工作簿 (*.xlsx)</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="699" />
            <location filename="../../modules/supervision/views_dashboard.py" line="723" />
            <location filename="../../modules/supervision/views_dashboard.py" line="758" />
            <source>Saved to %1</source>
            <translation>已保存到%1</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="707" />
            <source>Print the dashboard</source>
            <translation>打印看数</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="707" />
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views_dashboard.py" line="740" />
            <source>A bulletin draft was started in Documents.</source>
            <translation>已在公文中起草通报。</translation>
        </message>
    </context>
    <context>
        <name>SupervisionPage</name>
        <message>
            <location filename="../../modules/supervision/views.py" line="199" />
            <source>Supervision</source>
            <translation>督办</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="202" />
            <source>Items that ask something of me</source>
            <translation>需要我办理的事项</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="203" />
            <source>All items I can see</source>
            <translation>我可查看的全部事项</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="210" />
            <source>Nothing to follow up.</source>
            <translation>暂无督办事项。</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="373" />
            <source>Source</source>
            <translation>来源</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="373" />
            <source>Supervising leader</source>
            <translation>督办领导</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="374" />
            <source>Lead unit</source>
            <translation>牵头单位</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="374" />
            <source>Co-units</source>
            <translation>协办单位</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="375" />
            <source>Deadline</source>
            <translation>办结时限</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="375" />
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="376" />
            <source>What is asked</source>
            <translation>督办内容</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="437" />
            <source>Source: %1</source>
            <translation>来源：%1</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="450" />
            <source>Acknowledge</source>
            <translation>签收</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="450" />
            <source>Report progress</source>
            <translation>反馈进展</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="451" />
            <source>Ask for more time</source>
            <translation>申请延期</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="452" />
            <source>Report it done</source>
            <translation>申请办结</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="453" />
            <source>Grant more time</source>
            <translation>批准延期</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="453" />
            <source>Refuse more time</source>
            <translation>不批准延期</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="454" />
            <source>Accept as done</source>
            <translation>审核办结</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="454" />
            <source>Return</source>
            <translation>退回</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="455" />
            <source>Urge</source>
            <translation>催办</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="455" />
            <source>Cancel item</source>
            <translation>撤销事项</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="456" />
            <source>Split off a sub-task</source>
            <translation>分解子任务</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="456" />
            <source>Report on a sub-task</source>
            <translation>子任务反馈</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="457" />
            <source>Withdraw a sub-task</source>
            <translation>撤回子任务</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="457" />
            <source>Notice PDF</source>
            <translation>通知 PDF</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="458" />
            <source>Urge slip PDF</source>
            <translation>催办单 PDF</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="458" />
            <source>Attachments</source>
            <translation>附件</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="459" />
            <source>Terminate</source>
            <translation>中止</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="459" />
            <source>Strike off</source>
            <translation>销号</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="460" />
            <source>Draft a report</source>
            <translation>起草报告</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="472" />
            <source>Progress so far</source>
            <translation>目前进展</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="473" />
            <source>Why more time is needed</source>
            <translation>延期理由</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="476" />
            <source>What was done</source>
            <translation>办理情况</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="477" />
            <source>What is still missing</source>
            <translation>尚需补充的内容</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="478" />
            <location filename="../../modules/supervision/views.py" line="480" />
            <location filename="../../modules/supervision/views.py" line="482" />
            <source>Note</source>
            <translation>备注</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="479" />
            <source>Reason</source>
            <translation>理由</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="481" />
            <source>Why it is stopped</source>
            <translation>中止原因</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="531" />
            <location filename="../../modules/supervision/views.py" line="569" />
            <location filename="../../modules/supervision/views.py" line="581" />
            <source>Sent.</source>
            <translation>已提交。</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="543" />
            <source>Save the supervision notice</source>
            <translation>保存督查通知单</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="545" />
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../modules/supervision/views.py" line="559" />
            <source>Notice saved: {path}</source>
            <translation>通知单已保存：{path}</translation>
        </message>
    </context>
    <context>
        <name>SyncStatus</name>
        <message>
            <location filename="../../office_app/status.py" line="43" />
            <source>Not synced yet</source>
            <translation>尚未同步</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="49" />
            <source>Synced just now</source>
            <translation>刚刚同步</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="57" />
            <source>Synced on %1</source>
            <translation>同步于 %1</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="79" />
            <source>Connecting…</source>
            <translation>正在连接…</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="81" />
            <location filename="../../office_app/status.py" line="103" />
            <source>Online</source>
            <translation>在线</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="82" />
            <location filename="../../office_app/status.py" line="99" />
            <source>Offline</source>
            <translation>离线</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="85" />
            <source>Syncing…</source>
            <translation>正在同步…</translation>
        </message>
        <message>
            <location filename="../../office_app/status.py" line="101" />
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
            <location filename="../../modules/seals/views/page.py" line="722" />
            <source>Choose a PDF file…</source>
            <translation>选择 PDF 文件…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="742" />
            <source>Choose the file to verify</source>
            <translation>选择要验证的文件</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="743" />
            <source>PDF files (*.pdf)</source>
            <translation>PDF 文件 (*.pdf)</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="749" />
            <source>Verifying {name}…</source>
            <translation>正在验证 {name}…</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="771" />
            <source>{name}: the file has no electronic seal.</source>
            <translation>{name}：文件中没有电子签章。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="773" />
            <source>{name}: all {n} seals are valid; the file was not changed after sealing.</source>
            <translation>{name}：{n} 个签章全部有效，签章后文件未被改动。</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="777" />
            <source>; </source>
            <translation>；</translation>
        </message>
        <message>
            <location filename="../../modules/seals/views/page.py" line="778" />
            <source>{name}: {bad} seal(s) invalid or the file changed after sealing. {extra}</source>
            <translation>{name}：{bad} 个签章无效或文件在签章后被改动。{extra}</translation>
        </message>
    </context>
    <context>
        <name>Workbench</name>
        <message>
            <location filename="../../office_app/workbench.py" line="61" />
            <source>To sign off</source>
            <extracomment>Cached meeting records the 会议 count reads. Source texts marked for lupdate (QT_TRANSLATE_NOOP is typed as returning ``object``).</extracomment>
            <translation>待签发</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="62" />
            <source>To instruct</source>
            <translation>待批办</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="63" />
            <source>To review</source>
            <translation>待核稿</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="64" />
            <source>To countersign</source>
            <translation>待会签</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="65" />
            <source>To handle</source>
            <translation>待办理</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="66" />
            <source>To read</source>
            <translation>待阅</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="67" />
            <source>Meeting</source>
            <translation>会议</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="68" />
            <source>Supervision</source>
            <translation>督办</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="69" />
            <source>Seal request</source>
            <translation>待用印</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="72" />
            <source>Extra urgent</source>
            <translation>特急</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="73" />
            <source>Urgent</source>
            <translation>加急</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="221" />
            <source>Overdue %1</source>
            <extracomment>Filters behind the four count cards.</extracomment>
            <translation>已超期 %1</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="222" />
            <source>Due %1</source>
            <translation>截止 %1</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="359" />
            <source>Good morning</source>
            <translation>上午好</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="361" />
            <source>Good afternoon</source>
            <translation>下午好</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="362" />
            <source>Good evening</source>
            <translation>晚上好</translation>
        </message>
    </context>
    <context>
        <name>WorkbenchPage</name>
        <message>
            <location filename="../../office_app/workbench.py" line="395" />
            <source>To do</source>
            <translation>待办</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="396" />
            <source>To read</source>
            <translation>待阅</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="397" />
            <source>Supervision</source>
            <translation>督办</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="398" />
            <source>Meetings</source>
            <translation>会议</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="408" />
            <source>My to-do list</source>
            <translation>我的待办</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="418" />
            <source>Nothing to do. Well done!</source>
            <translation>暂无待办事项。</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="424" />
            <source>Reminders</source>
            <translation>提醒</translation>
        </message>
        <message>
            <location filename="../../office_app/workbench.py" line="443" />
            <source>%1, %2</source>
            <translation>%2，%1</translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/workbench.py" line="508" />
            <source>%n item(s)</source>
            <translation>
                <numerusform>共 %n 项</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/workbench.py" line="510" />
            <source>%1 · %n item(s) · click again to show all</source>
            <translation>
                <numerusform>%1 · %n 项 · 再次点击显示全部</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>YearDialog</name>
        <message>
            <location filename="../../modules/calendar/views.py" line="356" />
            <source>Enter a year's holidays</source>
            <translation>录入年度节假日安排</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="364" />
            <location filename="../../modules/calendar/views.py" line="368" />
            <source>Year</source>
            <translation>年度</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="367" />
            <source>e.g. 国办发明电〔2026〕7号</source>
            <translation>如：国办发明电〔2026〕7号</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="369" />
            <source>Source</source>
            <translation>依据文件</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="386" />
            <source>Add a day</source>
            <translation>添加一天</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="387" />
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="388" />
            <source>Import a file…</source>
            <translation>从文件导入…</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="389" />
            <source>Paste lines…</source>
            <translation>粘贴文本…</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="405" />
            <source>Add these lines</source>
            <translation>添加这些行</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="415" />
            <source>Lines or CSV columns: date, kind (holiday / makeup_workday, or 放假 / 调休上班), name. The year takes effect for everyone when the server confirms it.</source>
            <translation>每行或每列依次为：日期、类型（holiday / makeup_workday，或 放假 / 调休上班）、名称。服务器确认后对所有人生效。</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="425" />
            <source>Submit</source>
            <translation>提交</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="474" />
            <source>Import holidays</source>
            <translation>导入节假日安排</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="475" />
            <source>Holiday tables (*.csv *.json *.txt);;All files (*)</source>
            <translation>节假日表 (*.csv *.json *.txt);;所有文件 (*)</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="527" />
            <source>Enter at least one day of the notice.</source>
            <translation>请至少录入通知中的一天。</translation>
        </message>
    </context>
    <context>
        <name>YearsModel</name>
        <message>
            <location filename="../../modules/calendar/views.py" line="183" />
            <source>Year</source>
            <translation>年度</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="184" />
            <source>Days</source>
            <translation>天数</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="185" />
            <source>Origin</source>
            <translation>来源</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="186" />
            <source>Source</source>
            <translation>依据</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="193" />
            <source>%1 off · %2 make-up</source>
            <translation>放假%1天 · 调休%2天</translation>
        </message>
        <message>
            <location filename="../../modules/calendar/views.py" line="198" />
            <source>Bundled</source>
            <translation>内置</translation>
        </message>
    </context>
    <context>
        <name>section</name>
        <message>
            <location filename="../../modules/meetings/views/recurrence.py" line="462" />
            <source>Repeat</source>
            <translation>重复</translation>
        </message>
    </context>
</TS>
