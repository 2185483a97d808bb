"""我的会议: the user's meetings (today, upcoming, past), one meeting's details, the
user's reply (参加 / 请假 / 代会) and, for organisers, the live 回执 tally.

GUI thread; the lists come from :class:`modules.meetings.service.MeetingsOfMine` in the
page's background work, replies go through ``context.submit`` (offline too).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from modules.meetings import intents as I
from modules.meetings import meeting as M
from modules.meetings import rules as R
from modules.meetings.service import MeetingsOfMine
from modules.meetings.views.agenda import AgendaDialog, save_notice_pdf
from modules.meetings.views.calendar import (
    CalendarSubscription,
    import_calendar_reply,
    save_meeting_ics,
)
from modules.meetings.views.checkin import CheckInDialog
from modules.meetings.views.form import OrganiserActions, organisable_hosts
from office_app import i18n
from office_app.kit import PageWork, RowListModel, list_view
from office_app.widgets import EmptyState, FlowLayout, card, primary_button, set_touch, text_label

if TYPE_CHECKING:
    from office_app.context import AppContext

BUCKET_WORDS = {"today": ("今天", "Today"), "upcoming": ("即将召开", "Upcoming"),
                "past": ("已结束", "Past")}


def _words(pair: tuple[str, str]) -> str:
    from office_app import i18n

    return pair[1] if i18n.current_lang() == "en" else pair[0]


@dataclass
class MineLoaded:
    """One background read: the meetings by bucket, my reply per meeting, tallies of the
    meetings I organise, and people of my organ (for 代会)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    replies: dict[str, dict[str, Any]] = field(default_factory=dict)
    tallies: dict[str, M.Tally] = field(default_factory=dict)
    colleagues: list[tuple[str, str]] = field(default_factory=list)
    #: Ids of the meetings the user organises (drafts listed too), and (id, name) of
    #: the bodies they may organise for (the "New meeting" button).
    organised: set[str] = field(default_factory=set)
    hosts: list[tuple[str, str]] = field(default_factory=list)
    #: Meetings the user is invited to (and so may reply to).
    invited: set[str] = field(default_factory=set)


def load_mine(context: AppContext) -> MineLoaded:
    """Blocking (background only)."""
    if context.cache is None:
        return MineLoaded()
    mine = MeetingsOfMine(context.cache, context.engine, context.principal)  # type: ignore[arg-type]
    lists = mine.lists()
    rows = [{**m, "_bucket": b} for b in ("today", "upcoming", "past") for m in lists[b]]
    organised = {m["id"] for m in lists["organised"]}
    listed = {m["id"] for m in rows}
    now = dt.datetime.now(dt.UTC)
    rows += [{**m, "_bucket": M.bucket(m, now)} for m in lists["organised"] if m["id"] not in listed]
    replies = {m["id"]: r for m in rows if (r := mine.my_reply(m["id"])) is not None}
    tallies = {m["id"]: t for m in rows if m["id"] in organised
               and (t := mine.tally(m["id"])) is not None}
    organs = {p.organ_id for p in mine.facts().posts}
    bodies = {str(b["id"]): b for b in context.cache.list("directory.body")}

    def organ_of(body_id: str) -> str:
        seen: set[str] = set()
        while body_id in bodies and body_id not in seen and bodies[body_id].get("kind") == "department":
            seen.add(body_id)
            body_id = str(bodies[body_id].get("parent_id") or "")
        return body_id

    colleagues = sorted(
        ((str(p["id"]), str(p.get("name") or "")) for p in context.cache.list("directory.person")
         if p.get("id") != mine.me
         and any(organ_of(str(q.get("body_id") or "")) in organs for q in p.get("posts") or ())),
        key=lambda x: x[1])
    hosts = organisable_hosts(mine.facts(), bodies.values())
    invited = {m["id"] for m in rows if mine.me in mine.invited(m)}
    return MineLoaded(rows, replies, tallies, colleagues, organised, hosts, invited)


class MeetingListModel(RowListModel[dict[str, Any]]):
    def value(self, row: dict[str, Any], role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            start = R.parse_time(row["start"])
            place = row.get("room_name") or row.get("place") or (
                QCoreApplication.translate("Meetings", "video") if row.get("video_url") else "")
            state = "" if row.get("state") == M.PUBLISHED else _words(
                M.STATE_WORDS.get(str(row.get("state")), ("", "")))
            head = f"{_words(BUCKET_WORDS[row['_bucket']])} · {R.words(start)}"
            return "\n".join(x for x in (f"{row.get('subject', '')}", f"{head} · {place}", state) if x)
        return super().value(row, role)


class MyMeetings(QWidget):
    """The 我的会议 tab. ``loaded`` fires after a background load was applied."""

    loaded = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.data = MineLoaded()
        self._current = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        self.new_meeting = primary_button(self.tr("New meeting"))
        self.new_meeting.setObjectName("NewMeeting")
        self.new_meeting.hide()
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.new_meeting)
        layout.addLayout(top)
        self.model = MeetingListModel(self)
        self.list = list_view(self.model, name="MyMeetings", on_pick=self._picked)
        self.empty = EmptyState("meetings", self.tr("No meetings for you yet."))
        layout.addWidget(self.list, 2)
        layout.addWidget(self.empty, 2)
        self.detail = card()
        detail_layout = QVBoxLayout(self.detail)
        self.title = text_label("", "heading", wrap=True)
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reply_state = text_label("", "muted", wrap=True)
        self.tally = text_label("", "notice", wrap=True)
        self.chase = QPushButton(self.tr("Chase replies"))
        self.chase.setObjectName("ChaseButton")
        self.chase.setToolTip(self.tr("Remind everyone who has not replied (once per person "
                                      "every two hours)"))
        self.chase.clicked.connect(self.chase_replies)
        buttons = QHBoxLayout()
        self.attend = primary_button(self.tr("Attend"))
        self.decline = QPushButton(self.tr("Excuse myself"))
        self.substitute = QPushButton(self.tr("Send a substitute"))
        self.attend.clicked.connect(lambda: self.reply(M.ATTEND))
        self.decline.clicked.connect(self._decline)
        self.substitute.clicked.connect(self._substitute)
        self.checkin = QPushButton(self.tr("Check-in"))
        self.checkin.setObjectName("CheckInButton")
        self.checkin.clicked.connect(self.open_checkin)
        # 议题 and 会议通知 (modules.meetings.views.agenda): a row of their own (phone width)
        self.agenda = QPushButton(self.tr("Agenda"))
        self.agenda.setObjectName("AgendaButton")
        self.agenda.clicked.connect(self.open_agenda)
        self.notice_pdf = QPushButton(self.tr("Notice PDF"))
        self.notice_pdf.setObjectName("NoticePdfButton")
        self.notice_pdf.clicked.connect(self.save_notice)
        # iCalendar (modules.meetings.views.calendar): the file for one's calendar app, and
        # the organiser's import of an attendee's calendar REPLY
        self.export_ics = QPushButton(self.tr("Add to calendar"))
        self.export_ics.setObjectName("ExportIcsButton")
        self.export_ics.clicked.connect(self.save_ics)
        self.import_reply = QPushButton(self.tr("Import calendar reply…"))
        self.import_reply.setObjectName("ImportReplyButton")
        self.import_reply.clicked.connect(self.import_calendar_reply)
        # one row of tools for the meeting, wrapping at phone width: 签到, 议程, the
        # calendar file; for organisers also the 会议通知 PDF and a calendar REPLY import
        tools = QWidget()
        tools_flow = FlowLayout(tools)
        for b in (self.checkin, self.agenda, self.export_ics, self.notice_pdf, self.import_reply):
            tools_flow.addWidget(b)
        buttons.addStretch(1)
        for b in (self.substitute, self.decline, self.attend):
            buttons.addWidget(b)
        for w in (self.title, self.info, self.reply_state):
            detail_layout.addWidget(w)
        tally_row = QHBoxLayout()
        tally_row.addWidget(self.tally, 1)
        tally_row.addWidget(self.chase, 0, Qt.AlignmentFlag.AlignTop)
        detail_layout.addLayout(tally_row)
        detail_layout.addLayout(buttons)
        detail_layout.addWidget(tools)
        layout.addWidget(self.detail, 1)
        self.status = text_label("", "muted", wrap=True)
        layout.addWidget(self.status)
        # the personal calendar feed is not about one meeting: shown on demand
        self.subscription = CalendarSubscription(context, self)
        self.subscription.hide()
        self.subscription_toggle = QPushButton(self.tr("Calendar subscription"))
        self.subscription_toggle.setObjectName("SubscriptionToggle")
        self.subscription_toggle.setCheckable(True)
        self.subscription_toggle.toggled.connect(self.subscription.setVisible)
        top.insertWidget(0, self.subscription_toggle)
        layout.addWidget(self.subscription)
        self.work = PageWork(self, self.status.setText)
        self.organiser = OrganiserActions(context, self.work, self.status.setText)
        detail_layout.addWidget(self.organiser)
        self.new_meeting.clicked.connect(lambda: self.organiser.open_form())
        self._show(None)

    def set_compact(self, compact: bool) -> None:
        set_touch(compact, self.attend, self.decline, self.substitute, self.new_meeting,
                  self.checkin, self.agenda, self.notice_pdf, self.export_ics, self.import_reply,
                  self.subscription_toggle)
        self._compact = compact
        self.subscription.set_compact(compact)
        self.import_reply.setText(self.tr("Import reply…") if compact
                                  else self.tr("Import calendar reply…"))
        self.organiser.set_compact(compact)
        # phone width: three short words fit one row
        self.decline.setText(self.tr("Excuse") if compact else self.tr("Excuse myself"))
        self.substitute.setText(self.tr("Substitute") if compact else self.tr("Send a substitute"))

    def reload(self) -> None:
        context = self.context
        self.work.run(lambda: load_mine(context), self._apply, latest="mine")
        self.subscription.reload()

    def open_agenda(self) -> AgendaDialog | None:
        """The 议题 of the current meeting (organisers edit it and decide proposals)."""
        meeting = self.current()
        if meeting is None:
            return None
        dialog = AgendaDialog(self.context, str(meeting["id"]), self,
                              compact=getattr(self, "_compact", False))
        dialog.open()
        return dialog

    def save_ics(self) -> None:
        """The meeting as an .ics (fetched, asked where, written: in the background)."""
        meeting = self.current()
        if meeting is not None:
            save_meeting_ics(self, self.context, self.work, meeting, self.status.setText)

    def import_calendar_reply(self) -> None:
        """An attendee's calendar REPLY (.ics) recorded as their 回执 (organisers)."""
        import_calendar_reply(self, self.context, self.work, self.status.setText)

    def save_notice(self) -> None:
        """会议通知 PDF with its 回执表, rendered and saved in the background."""
        if self._current:
            save_notice_pdf(self, self.context, self.work, self._current, self.status.setText)

    def open_checkin(self) -> CheckInDialog | None:
        """The 签到 screen of the current meeting (the QR to show, or one's own code)."""
        meeting = self.current()
        if meeting is None:
            return None
        dialog = CheckInDialog(self.context, meeting, self)
        dialog.open()
        return dialog

    def _apply(self, data: MineLoaded) -> None:
        self.data = data
        self.model.set_rows(data.rows)
        self.new_meeting.setVisible(bool(data.hosts))
        self.list.setVisible(bool(data.rows))
        self.empty.setVisible(not data.rows)
        row = self.model.row_of(self._current)
        if row < 0 and data.rows:
            row = 0
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row, 0))
        self._show(self.model.row_at(row) if row >= 0 else None)
        self.loaded.emit()

    def _picked(self, index: Any) -> None:
        self._show(self.model.row_at(index.row()))

    def current(self) -> dict[str, Any] | None:
        return self.model.row_at(self.model.row_of(self._current)) if self._current else None

    def _show(self, meeting: dict[str, Any] | None) -> None:
        self.detail.setVisible(meeting is not None)
        if meeting is None:
            self._current = ""
            return
        self._current = str(meeting["id"])
        self.organiser.show_for(meeting, self._current in self.data.organised)
        start, end = R.parse_time(meeting["start"]), R.parse_time(meeting["end"])
        place = meeting.get("room_name") or meeting.get("place") or meeting.get("video_url") or ""
        label = {"time": self.tr("Time"), "place": self.tr("Place"), "type": self.tr("Type"),
                 "host": self.tr("Host"), "chair": self.tr("Chair"), "reply_by": self.tr("Reply by"),
                 "contact": self.tr("Contact"), "notes": self.tr("Notes"),
                 "cancelled": self.tr("Cancelled")}
        colon = ": " if i18n.current_lang() == "en" else "："
        label = {k: v + colon for k, v in label.items()}
        lines = [
            f"{label['time']}{R.words(start)}–{R.words(end, with_date=False)}",
            f"{label['place']}{place}",
            f"{label['type']}{meeting.get('kind', '')} · {label['host']}"
            f"{meeting.get('host_body_name', '')}",
        ]
        if meeting.get("chair_name"):
            lines.append(f"{label['chair']}{meeting['chair_name']}")
        if meeting.get("series_id"):  # an occurrence of a 例会
            from modules.meetings.views.recurrence import series_note

            lines.append(series_note(meeting))
        if meeting.get("reply_by"):
            lines.append(f"{label['reply_by']}{R.words(R.parse_time(meeting['reply_by']))}")
        if meeting.get("contact_name") or meeting.get("contact_phone"):
            lines.append(f"{label['contact']}{meeting.get('contact_name', '')} "
                         f"{meeting.get('contact_phone', '')}".rstrip())
        if meeting.get("notes"):
            lines.append(f"{label['notes']}{meeting['notes']}")
        if meeting.get("state") == M.CANCELLED:
            lines.append(f"{label['cancelled']}{meeting.get('cancel_reason', '')}")
        self.title.setText(str(meeting.get("subject") or ""))
        self.info.setText("\n".join(lines))
        reply = self.data.replies.get(self._current)
        if reply:
            answer = _words(M.ANSWER_WORDS.get(str(reply.get("answer")), ("", "")))
            extra = reply.get("substitute_name") or reply.get("reason") or ""
            self.reply_state.setText(self.tr("Your reply: %1").replace("%1", f"{answer} {extra}".strip()))
        else:
            self.reply_state.setText(self.tr("You have not replied yet."))
        open_ = meeting.get("state") == M.PUBLISHED and end > dt.datetime.now(dt.UTC)
        self.checkin.setVisible(meeting.get("state") in (M.PUBLISHED, M.HELD))
        self.notice_pdf.setVisible(self._current in self.data.organised
                                   and meeting.get("state") != M.CANCELLED)
        self.export_ics.setVisible(meeting.get("state") != M.DRAFT)
        self.import_reply.setVisible(self._current in self.data.organised
                                     and meeting.get("state") == M.PUBLISHED)
        invited = self._current in self.data.invited
        self.reply_state.setVisible(invited)
        for b in (self.attend, self.decline, self.substitute):
            b.setEnabled(open_)
            b.setVisible(invited)
        t = self.data.tallies.get(self._current)
        self.tally.setVisible(t is not None)
        self.chase.setVisible(t is not None and open_ and bool(t.not_answered or t.bodies_pending))
        if t is not None:
            words = {a: _words(M.ANSWER_WORDS[a]) for a in (M.ATTEND, M.DECLINE, M.SUBSTITUTE, M.PENDING)}
            pending = self.tr("bodies yet to nominate")
            self.tally.setText(" · ".join(f"{words[a]} {t.counts.get(a, 0)}" for a in words)
                               + (f" · {pending} {len(t.bodies_pending)}" if t.bodies_pending else ""))

    # -- replies --------------------------------------------------------------------
    def chase_replies(self) -> None:
        """催办回执 (online: the server reminds each person at most once per interval)."""
        meeting_id = self._current
        if not meeting_id:
            return
        self.context.submit(I.CHASE_REPLIES.name, {"meeting_id": meeting_id},
                            lambda _m: self.status.setText(self.tr(
                                "Chasing: those who have not replied are reminded when the "
                                "server confirms it.")), self.work.fail)

    def reply(self, answer: str, *, reason: str = "", substitute_id: str = "") -> None:
        meeting_id = self._current
        if not meeting_id:
            return

        def done(_mutation_id: str) -> None:
            self.status.setText(self.tr("Reply sent."))

        self.context.submit(I.REPLY_MEETING.name, {
            "meeting_id": meeting_id, "answer": answer, "reason": reason,
            "substitute_id": substitute_id}, done, self.work.fail)

    def _decline(self) -> None:
        reason, ok = QInputDialog.getText(self, self.tr("Excuse myself"), self.tr("Reason"))
        if ok:
            self.reply(M.DECLINE, reason=reason.strip())

    def _substitute(self) -> None:
        people = self.data.colleagues
        if not people:
            self.status.setText(self.tr("No colleague to send in your place."))
            return
        names = [f"{name}（{pid}）" for pid, name in people]
        chosen, ok = QInputDialog.getItem(self, self.tr("Send a substitute"),
                                          self.tr("Who goes in your place"), names, 0, False)
        if ok and chosen in names:
            self.reply(M.SUBSTITUTE, substitute_id=people[names.index(chosen)][0])
