<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>StatusPopup</name>
    <message numerus="yes">
        <location filename="../../office_app/status.py" line="267"/>
        <source>%n change(s) saved on this device, waiting to upload. They upload automatically when the connection is back.</source>
        <translation>
            <numerusform>%n change saved on this device, waiting to upload. It uploads automatically when the connection is back.</numerusform>
            <numerusform>%n changes saved on this device, waiting to upload. They upload automatically when the connection is back.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../office_app/status.py" line="305"/>
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
        <location filename="../../office_app/workbench.py" line="500"/>
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n item</numerusform>
            <numerusform>%n items</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../office_app/workbench.py" line="502"/>
        <source>%1 · %n item(s) · click again to show all</source>
        <translation>
            <numerusform>%1 · %n item · click again to show all</numerusform>
            <numerusform>%1 · %n items · click again to show all</numerusform>
        </translation>
    </message>
</context>
</TS>
