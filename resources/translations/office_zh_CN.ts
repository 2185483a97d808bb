<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AdminPanel</name>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="331"/>
        <source>New seal…</source>
        <translation>新建印章…</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="334"/>
        <source>No seals to manage</source>
        <translation>没有您可管理的印章</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="339"/>
        <source>Seals you manage</source>
        <translation>我管理的印章</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="349"/>
        <source>Choose a seal</source>
        <translation>选择一枚印章</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="351"/>
        <source>Suspend</source>
        <translation>暂停使用</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="352"/>
        <source>Reactivate</source>
        <translation>恢复启用</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="353"/>
        <source>Revoke…</source>
        <translation>注销…</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="416"/>
        <source>%1 · %2 · valid %3 to %4</source>
        <translation>%1 · %2 · 有效期 %3 至 %4</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="448"/>
        <source>Choose the owning body to see the picture.</source>
        <translation>选择所属单位后显示印模。</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="460"/>
        <source>Drawn from the body&apos;s name; the server draws the same picture.</source>
        <translation>按单位名称生成；服务器生成的印模与此相同。</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="480"/>
        <source>Seal created</source>
        <translation>已新建印章</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="486"/>
        <source>Seal suspended</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="486"/>
        <source>Seal reactivated</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="487"/>
        <source>Seal revoked</source>
        <translation>已注销</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="494"/>
        <source>Revoke the seal</source>
        <translation>注销印章</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="495"/>
        <source>Revoking is final: %1 can never be used again. Revoke it?</source>
        <translation>注销后不可恢复：%1 将永久停用。确定注销吗？</translation>
    </message>
</context>
<context>
    <name>ContactRow</name>
    <message>
        <location filename="../../modules/directory/views.py" line="440"/>
        <source>Copy %1</source>
        <translation>复制%1</translation>
    </message>
</context>
<context>
    <name>DirectoryPage</name>
    <message>
        <location filename="../../modules/directory/views.py" line="583"/>
        <source>Directory</source>
        <translation>通讯录</translation>
    </message>
    <message>
        <location filename="../../modules/directory/views.py" line="587"/>
        <source>Search name, pinyin or initials</source>
        <translation>搜索姓名、拼音或首字母</translation>
    </message>
    <message>
        <location filename="../../modules/directory/views.py" line="591"/>
        <source>Search the directory</source>
        <translation>搜索通讯录</translation>
    </message>
    <message>
        <location filename="../../modules/directory/views.py" line="614"/>
        <source>Nobody matches.</source>
        <translation>没有找到匹配的人员。</translation>
    </message>
    <message>
        <location filename="../../modules/directory/views.py" line="636"/>
        <source>No one in this unit.</source>
        <translation>该单位暂无人员。</translation>
    </message>
</context>
<context>
    <name>LoginView</name>
    <message>
        <location filename="../../office_app/login.py" line="185"/>
        <source>Office collaboration — sign in</source>
        <translation>协同办公 — 登录</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="212"/>
        <source>Office collaboration</source>
        <translation>协同办公</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="215"/>
        <source>Documents, meetings, supervision and seals — also offline.</source>
        <translation>公文、会议、督办、印章，离线也能办公。</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="223"/>
        <location filename="../../office_app/login.py" line="234"/>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="226"/>
        <location filename="../../office_app/login.py" line="227"/>
        <location filename="../../office_app/login.py" line="235"/>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="230"/>
        <location filename="../../office_app/login.py" line="231"/>
        <location filename="../../office_app/login.py" line="236"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="241"/>
        <source>Sign-in problem</source>
        <translation>登录提示</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="244"/>
        <location filename="../../office_app/login.py" line="392"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="247"/>
        <source>Enter offline with the saved session</source>
        <translation>使用本机保存的会话离线进入</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="256"/>
        <source>Demo server — choose an account to try:</source>
        <translation>演示服务器 — 选择一个账号体验：</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="270"/>
        <source>Demo accounts</source>
        <translation>演示账号</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="320"/>
        <source>Enter the server address, starting with http:// or https://.</source>
        <translation>请输入服务器地址，以 http:// 或 https:// 开头。</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="324"/>
        <source>Enter your account.</source>
        <translation>请输入账号。</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="337"/>
        <source>Enter your password.</source>
        <translation>请输入密码。</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="339"/>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="353"/>
        <source>Opening…</source>
        <translation>正在打开…</translation>
    </message>
    <message>
        <location filename="../../office_app/login.py" line="373"/>
        <source>If you have signed in on this device before, you can enter offline.</source>
        <translation>如果曾在本机登录过，可以离线进入。</translation>
    </message>
    <message>
        <location filename="../../office_app/run.py" line="82"/>
        <source>Signing out…</source>
        <translation>正在退出登录…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../office_app/main_window.py" line="104"/>
        <location filename="../../office_app/main_window.py" line="152"/>
        <source>Office collaboration</source>
        <translation>协同办公</translation>
    </message>
    <message>
        <location filename="../../office_app/main_window.py" line="201"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../office_app/navigation.py" line="50"/>
        <source>Workbench</source>
        <extracomment>Bottom tab bar at phone width (at most five): the rest sit under 更多 (more).</extracomment>
        <translation>工作台</translation>
    </message>
    <message>
        <location filename="../../office_app/navigation.py" line="51"/>
        <source>Documents</source>
        <translation>公文</translation>
    </message>
    <message>
        <location filename="../../office_app/navigation.py" line="52"/>
        <source>Meetings</source>
        <translation>会议</translation>
    </message>
    <message>
        <location filename="../../office_app/navigation.py" line="53"/>
        <source>Supervision</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../office_app/navigation.py" line="54"/>
        <source>Seals</source>
        <translation>印章</translation>
    </message>
    <message>
        <location filename="../../office_app/navigation.py" line="55"/>
        <source>Directory</source>
        <translation>通讯录</translation>
    </message>
    <message>
        <location filename="../../office_app/navigation.py" line="56"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../office_app/navigation.py" line="57"/>
        <source>More</source>
        <translation>更多</translation>
    </message>
</context>
<context>
    <name>PeoplePicker</name>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="65"/>
        <source>Filter by name</source>
        <translation>按姓名筛选</translation>
    </message>
</context>
<context>
    <name>PersonDetail</name>
    <message>
        <location filename="../../modules/directory/views.py" line="470"/>
        <source>Choose a person to see the details.</source>
        <translation>选择一位人员查看详细信息。</translation>
    </message>
    <message>
        <location filename="../../modules/directory/views.py" line="501"/>
        <source>Posts</source>
        <translation>职务</translation>
    </message>
    <message>
        <location filename="../../modules/directory/views.py" line="511"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../modules/directory/views.py" line="512"/>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <location filename="../../modules/directory/views.py" line="550"/>
        <source>Copied: %1</source>
        <translation>已复制：%1</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <location filename="../../office_app/widgets.py" line="140"/>
        <source>This module could not be loaded.</source>
        <extracomment>Minimum height of anything tappable at phone width (Apple HIG / Material: 44–48 px). Window width at which the layout switches from phone to wide.</extracomment>
        <translation>该模块加载失败</translation>
    </message>
    <message>
        <location filename="../../office_app/widgets.py" line="141"/>
        <source>The error has been logged; please contact the administrator.</source>
        <translation>错误已记录，请联系管理员。</translation>
    </message>
    <message>
        <location filename="../../office_app/widgets.py" line="143"/>
        <source>This module is under construction.</source>
        <translation>该模块正在建设中</translation>
    </message>
    <message>
        <location filename="../../office_app/widgets.py" line="144"/>
        <source>It will appear here once it is installed.</source>
        <translation>模块上线后将在此处显示。</translation>
    </message>
</context>
<context>
    <name>SealForm</name>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="115"/>
        <source>New seal</source>
        <translation>新建印章</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="117"/>
        <source>e.g. Office of the City Government seal</source>
        <translation>例如：某某市人民政府办公室公章</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="119"/>
        <source>Official seal</source>
        <translation>单位公章</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="119"/>
        <source>Department seal</source>
        <translation>部门章</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="120"/>
        <source>Contract seal</source>
        <translation>合同章</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="120"/>
        <source>Personal seal</source>
        <translation>个人名章</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="134"/>
        <source>Optional, e.g. 合同专用章</source>
        <translation>可选，例如：合同专用章</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="137"/>
        <source>%1 mm</source>
        <translation>%1 毫米</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="138"/>
        <source>Draw the picture</source>
        <translation>自动生成印模</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="139"/>
        <source>Upload a picture (PNG)</source>
        <translation>上传印模（PNG）</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="141"/>
        <source>Choose PNG…</source>
        <translation>选择 PNG…</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="154"/>
        <source>Create seal</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="155"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="161"/>
        <location filename="../../modules/seals/views_admin.py" line="270"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="162"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="163"/>
        <location filename="../../modules/seals/views_admin.py" line="272"/>
        <source>Owning body</source>
        <translation>所属单位</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="164"/>
        <source>Custodians</source>
        <translation>保管人</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="165"/>
        <source>Approvers</source>
        <translation>审批领导</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="166"/>
        <source>Allowed requesters</source>
        <translation>可申请人</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="167"/>
        <source>Valid from</source>
        <translation>启用日期</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="168"/>
        <source>Valid until</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="169"/>
        <source>Text under the star</source>
        <translation>星下文字</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="170"/>
        <source>Diameter</source>
        <translation>直径</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="180"/>
        <source>Width</source>
        <translation>宽</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="182"/>
        <source>Height</source>
        <translation>高</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="186"/>
        <source>Picture</source>
        <translation>印模</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="241"/>
        <source>Choose the seal picture</source>
        <translation>选择印模图片</translation>
    </message>
    <message>
        <location filename="../../modules/seals/views_admin.py" line="242"/>
        <source>PNG pictures (*.png)</source>
        <translation>PNG 图片 (*.png)</translation>
    </message>
</context>
<context>
    <name>SealsPage</name>
    <message>
        <location filename="../../modules/seals/views.py" line="964"/>
        <source>Administration</source>
        <translation>印章管理</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../office_app/settings_page.py" line="57"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="61"/>
        <location filename="../../office_app/settings_page.py" line="69"/>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="64"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="66"/>
        <source>Post</source>
        <translation>职务</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="71"/>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="73"/>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="81"/>
        <source>Display</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="87"/>
        <location filename="../../office_app/settings_page.py" line="89"/>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="91"/>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="92"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="92"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="96"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="99"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="111"/>
        <source>Sync every</source>
        <translation>同步间隔</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="112"/>
        <source>Changes from others also arrive at once while online.</source>
        <translation>在线时，他人的更新会即时送达。</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="116"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="124"/>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="127"/>
        <source>Office collaboration 0.1 — documents, meetings, supervision and e-seals. Works offline; changes upload when the connection is back. For non-classified documents only.</source>
        <translation>协同办公 0.1 — 公文流转、会议、督办与电子印章。支持离线办公，恢复连接后自动上传。仅用于非涉密公文。</translation>
    </message>
    <message>
        <location filename="../../office_app/settings_page.py" line="169"/>
        <source>%n second(s)</source>
        <extracomment>Choices offered for the periodic sync, in seconds.</extracomment>
        <translation type="unfinished">%n 秒</translation>
    </message>
</context>
<context>
    <name>StatusPopup</name>
    <message>
        <location filename="../../office_app/status.py" line="227"/>
        <source>Sync status</source>
        <translation>同步状态</translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="240"/>
        <source>Not accepted by the server</source>
        <translation>服务器未接受的操作</translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="255"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message numerus="yes">
        <location filename="../../office_app/status.py" line="267"/>
        <source>%n change(s) saved on this device, waiting to upload. They upload automatically when the connection is back.</source>
        <translation>
            <numerusform>%n 项操作已保存在本机，等待上传；恢复连接后会自动上传。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="270"/>
        <source>Everything is uploaded.</source>
        <translation>所有操作均已上传。</translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="273"/>
        <source>Last problem: %1</source>
        <translation>最近的问题：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../office_app/status.py" line="305"/>
        <source>… and %n more</source>
        <translation>
            <numerusform>…… 还有 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="316"/>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="317"/>
        <source>Rejected</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="327"/>
        <location filename="../../office_app/status.py" line="330"/>
        <source>Dismiss</source>
        <translation>知道了</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../office_app/status.py" line="37"/>
        <source>Not synced yet</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="43"/>
        <source>Synced just now</source>
        <translation>刚刚同步</translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="51"/>
        <source>Synced on %1</source>
        <translation>同步于 %1</translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="73"/>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="75"/>
        <location filename="../../office_app/status.py" line="97"/>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="76"/>
        <location filename="../../office_app/status.py" line="93"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="79"/>
        <source>Syncing…</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="95"/>
        <source>Syncing</source>
        <translation>同步中</translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="102"/>
        <source>%n to upload</source>
        <translation type="unfinished">%n 项待上传</translation>
    </message>
    <message>
        <location filename="../../office_app/status.py" line="104"/>
        <source>%n refused</source>
        <translation type="unfinished">%n 项未接受</translation>
    </message>
</context>
<context>
    <name>Workbench</name>
    <message>
        <location filename="../../office_app/workbench.py" line="54"/>
        <source>To sign off</source>
        <translation>待签发</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="55"/>
        <source>To instruct</source>
        <translation>待批办</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="56"/>
        <source>To review</source>
        <translation>待核稿</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="57"/>
        <source>To countersign</source>
        <translation>待会签</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="58"/>
        <source>To handle</source>
        <translation>待办理</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="59"/>
        <source>To read</source>
        <translation>待阅</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="60"/>
        <source>Meeting</source>
        <translation>会议</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="61"/>
        <source>Supervision</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="62"/>
        <source>Seal request</source>
        <translation>待用印</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="65"/>
        <source>Extra urgent</source>
        <translation>特急</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="66"/>
        <source>Urgent</source>
        <translation>加急</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="218"/>
        <source>Overdue %1</source>
        <extracomment>Filters behind the four count cards.</extracomment>
        <translation>已超期 %1</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="219"/>
        <source>Due %1</source>
        <translation>截止 %1</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="354"/>
        <source>Good morning</source>
        <translation>上午好</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="356"/>
        <source>Good afternoon</source>
        <translation>下午好</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="357"/>
        <source>Good evening</source>
        <translation>晚上好</translation>
    </message>
</context>
<context>
    <name>WorkbenchPage</name>
    <message>
        <location filename="../../office_app/workbench.py" line="390"/>
        <source>To do</source>
        <translation>待办</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="391"/>
        <source>To read</source>
        <translation>待阅</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="392"/>
        <source>Supervision</source>
        <translation>督办</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="393"/>
        <source>Meetings</source>
        <translation>会议</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="403"/>
        <source>My to-do list</source>
        <translation>我的待办</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="421"/>
        <source>Nothing to do. Well done!</source>
        <translation>暂无待办事项。</translation>
    </message>
    <message>
        <location filename="../../office_app/workbench.py" line="434"/>
        <source>%1, %2</source>
        <translation>%2，%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../office_app/workbench.py" line="500"/>
        <source>%n item(s)</source>
        <translation>
            <numerusform>共 %n 项</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../office_app/workbench.py" line="502"/>
        <source>%1 · %n item(s) · click again to show all</source>
        <translation>
            <numerusform>%1 · %n 项 · 再次点击显示全部</numerusform>
        </translation>
    </message>
</context>
</TS>
