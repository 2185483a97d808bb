<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>StatusPopup</name>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="275" />
            <source>%n change(s) saved on this device, waiting to upload. They upload automatically when the connection is back.</source>
            <translation>
                <numerusform>%n change saved on this device, waiting to upload. It uploads automatically when the connection is back.</numerusform>
                <numerusform>%n changes saved on this device, waiting to upload. They upload automatically when the connection is back.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="313" />
            <source>… and %n more</source>
            <translation>
                <numerusform>… and %n more</numerusform>
                <numerusform>… and %n more</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>WorkbenchPage</name>
        <message numerus="yes">
            <location filename="../../office_app/workbench.py" line="508" />
            <source>%n item(s)</source>
            <translation>
                <numerusform>%n item</numerusform>
                <numerusform>%n items</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/workbench.py" line="510" />
            <source>%1 · %n item(s) · click again to show all</source>
            <translation>
                <numerusform>%1 · %n item · click again to show all</numerusform>
                <numerusform>%1 · %n items · click again to show all</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SettingsPage</name>
        <message numerus="yes">
            <location filename="../../office_app/settings_page.py" line="169" />
            <source>%n second(s)</source>
            <extracomment>Choices offered for the periodic sync, in seconds.</extracomment>
            <translation>
                <numerusform>%n second</numerusform>
                <numerusform>%n seconds</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/settings_page.py" line="171" />
            <source>%n minute(s)</source>
            <translation>
                <numerusform>%n minute</numerusform>
                <numerusform>%n minutes</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/settings_page.py" line="172" />
            <source>%n hour(s)</source>
            <translation>
                <numerusform>%n hour</numerusform>
                <numerusform>%n hours</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SyncStatus</name>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="45" />
            <source>Synced %n min ago</source>
            <translation>
                <numerusform>Synced %n min ago</numerusform>
                <numerusform>Synced %n min ago</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="48" />
            <source>Synced %n h ago</source>
            <translation>
                <numerusform>Synced %n h ago</numerusform>
                <numerusform>Synced %n h ago</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="81" />
            <source>%n waiting to upload</source>
            <translation>
                <numerusform>%n waiting to upload</numerusform>
                <numerusform>%n waiting to upload</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="84" />
            <source>%n not accepted</source>
            <translation>
                <numerusform>%n not accepted</numerusform>
                <numerusform>%n not accepted</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="102" />
            <source>%n to upload</source>
            <translation>
                <numerusform>%n to upload</numerusform>
                <numerusform>%n to upload</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../office_app/status.py" line="104" />
            <source>%n refused</source>
            <translation>
                <numerusform>%n refused</numerusform>
                <numerusform>%n refused</numerusform>
            </translation>
        </message>
    </context>
</TS>
