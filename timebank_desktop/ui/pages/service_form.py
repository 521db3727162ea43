"""服务登记: the service record form, laid out like the paper card and driven by keys.

Tab order (and Enter): volunteer → recipient → category → date → start → end → payer →
content → satisfaction → signed. Ctrl+S saves and leaves an empty form with the focus in the
volunteer field; Ctrl+P saves and asks for the slip to be printed. A refusal puts the reason
beside each field at fault and the focus in the first of them; nothing is saved.
"""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.categories import CategoryInfo, match_category
from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.domain.minutes import format_hours
from timebank_desktop.domain.policy import Policy
from timebank_desktop.domain.roles import Permission
from timebank_desktop.domain.servicetime import (
    PAYER_KEYS,
    PAYER_LABELS,
    RATING_KEYS,
    RATING_LABELS,
    parse_date,
    parse_time,
)
from timebank_desktop.i18n import _, current_language
from timebank_desktop.services.records import RecordView, preview_credit
from timebank_desktop.services.service_form import FORM_FIELDS, ServiceForm
from timebank_desktop.ui.form_errors import clear_problems, show_refusal
from timebank_desktop.ui.member_picker import MemberPicker
from timebank_desktop.ui.pages.base import Page, PageDeps
from timebank_desktop.ui.widgets import ErrorLabel, accessible, named

TEXT_FIELDS = FORM_FIELDS[:-1]  # every field but "signed" is a single-line edit


class ServiceFormPage(Page):
    """Emits ``record_saved(view)`` after each save and ``print_requested(view)`` on Ctrl+P."""

    key = "service"
    record_saved = Signal(object)
    print_requested = Signal(object)

    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(deps, parent)
        self.catalogue: tuple[CategoryInfo, ...] = ()
        self._last_view: RecordView | None = None
        self.policy: Policy | None = None
        self.edits: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        self.hints: dict[str, QLabel] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.signed = named(QCheckBox(), "service_signed")
        self._build()
        self.pickers = {
            "volunteer": MemberPicker(
                self.edits["volunteer"],
                self.hints["volunteer"],
                self.backend,
                self.runner,
                "volunteer",
                "volunteer",
            ),
            "recipient": MemberPicker(
                self.edits["recipient"],
                self.hints["recipient"],
                self.backend,
                self.runner,
                None,
                "recipient",
            ),
        }
        for name, picker in self.pickers.items():
            picker.picked.connect(lambda _no, n=name: self._focus_after(n))
        self._wire()
        self.may_record = self.backend.may(Permission.RECORD_SERVICES)
        if not self.may_record:  # a viewer sees the card but cannot fill or save it
            self.card.setEnabled(False)
            for button in (self.save_button, self.print_button):
                button.hide()
            self.save_shortcut.setEnabled(False)
            self.print_shortcut.setEnabled(False)
        self.retranslate()
        self._load_rules()

    # ------------------------------------------------------------ layout
    def _build(self) -> None:
        self.card = named(QFrame(), "service_card")
        self.card.setFrameShape(QFrame.Shape.Box)
        self.card.setStyleSheet(
            "#service_card { background: #fffdf5; border: 1px solid #a08c5b; }"
        )
        self.heading = named(QLabel(), "service_heading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading.setStyleSheet("font-size: 18pt; font-weight: bold;")
        grid = QGridLayout()
        for row, name in enumerate(TEXT_FIELDS):
            edit = named(QLineEdit(), f"service_{name}")
            label, hint = QLabel(), named(QLabel(), f"service_{name}_hint")
            label.setBuddy(edit)
            hint.setStyleSheet("color: #555;")
            error = ErrorLabel(f"service_{name}_error")
            grid.addWidget(label, row, 0)
            grid.addWidget(edit, row, 1)
            grid.addWidget(hint, row, 2)
            grid.addWidget(error, row, 3)
            self.edits[name], self.labels[name], self.hints[name] = edit, label, hint
            self.errors[name] = error
        self.errors["signed"] = ErrorLabel("service_signed_error")
        row = len(TEXT_FIELDS)
        grid.addWidget(self.signed, row, 1)
        grid.addWidget(self.errors["signed"], row, 3)
        self.preview = named(QLabel(), "service_preview")
        self.preview.setStyleSheet("font-weight: bold;")
        grid.addWidget(self.preview, row + 1, 1, 1, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)
        grid.setColumnStretch(3, 3)  # reasons are longer than hints
        for name, width in (("payer", 3), ("satisfaction", 3)):
            self.edits[name].setMaxLength(1)
            self.edits[name].setMaximumWidth(width * 20)
        self.edits["payer"].setValidator(
            QRegularExpressionValidator(QRegularExpression("[rpRP]?"), self)
        )
        self.edits["satisfaction"].setValidator(
            QRegularExpressionValidator(QRegularExpression("[123]?"), self)
        )
        card = QVBoxLayout(self.card)
        card.addWidget(self.heading)
        card.addLayout(grid)
        self.general_error = ErrorLabel("service_error")
        self.last_saved = named(QLabel(), "service_last_saved")
        self.save_button = named(QPushButton(), "service_save")
        self.print_button = named(QPushButton(), "service_save_print")
        for button in (self.save_button, self.print_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the card's tab order pure
        buttons = QHBoxLayout()
        buttons.addWidget(self.last_saved, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.print_button)
        self.card.setMaximumWidth(900)  # a card, not a spreadsheet: it stays readable wide
        self.card.setStyleSheet(
            self.card.styleSheet() + " #service_card QLineEdit { font-size: 12pt; padding: 2px; }"
            " #service_card QLabel, #service_card QCheckBox { font-size: 11pt; }"
        )
        column = QVBoxLayout()
        column.addWidget(self.card)
        column.addWidget(self.general_error)
        column.addLayout(buttons)
        column.addStretch(1)
        holder = QWidget()
        holder.setMaximumWidth(900)
        holder.setLayout(column)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(holder, 4)
        layout.addStretch(1)
        order: list[QWidget] = [self.edits[n] for n in TEXT_FIELDS] + [self.signed]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

    def _wire(self) -> None:
        for name, edit in self.edits.items():
            edit.returnPressed.connect(lambda n=name: self._focus_after(n))
        for name in ("category", "date", "start", "end", "payer", "satisfaction"):
            self.edits[name].textChanged.connect(self._update_hints)
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(self.save_and_print)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        self.save_shortcut = QShortcut(QKeySequence("Ctrl+S"), self, self.save, context=context)
        self.print_shortcut = QShortcut(
            QKeySequence("Ctrl+P"), self, self.save_and_print, context=context
        )

    def retranslate(self) -> None:
        self.heading.setText(_("Service record"))
        texts = {
            "volunteer": _("Volunteer:"),
            "recipient": _("Recipient:"),
            "category": _("Category:"),
            "date": _("Date:"),
            "start": _("Start:"),
            "end": _("End:"),
            "payer": _("Paid by (r/p):"),
            "content": _("Service content:"),
            "satisfaction": _("Satisfaction (1/2/3):"),
        }
        for name, text in texts.items():
            self.labels[name].setText(text)
            accessible(self.edits[name], text)
        placeholders = {
            "volunteer": _("number, ID tail, name or initials"),
            "recipient": _("number, ID tail, name or initials"),
            "category": _("code or pinyin initials, e.g. meals / zc"),
            "date": _("YYYY-MM-DD or MM-DD"),
            "start": _("HHMM or HH:MM"),
            "end": _("HHMM or HH:MM"),
        }
        for name, text in placeholders.items():
            self.edits[name].setPlaceholderText(text)
        self.signed.setText(_("Signed by the recipient (Space)"))
        accessible(self.signed, _("Signed by the recipient"))
        self.save_button.setText(_("Save (Ctrl+S)"))
        self.print_button.setText(_("Save and print (Ctrl+P)"))
        accessible(self.save_button, _("Save"))
        accessible(self.print_button, _("Save and print"))
        self._update_hints()
        if self._last_view is not None:
            self._show_last_saved(self._last_view)
        elif not self.may_record:
            self.last_saved.setText(_("Your role may look at service records but not add them."))

    def title(self) -> str:
        return _("Service form")

    def help_text(self) -> str:
        return _(
            "Type a paper card with the keyboard. Tab or Enter moves to the next field: "
            "volunteer, recipient, category, date, start, end, payer, content, satisfaction, "
            "signed. Volunteer and recipient take a member number, an ID tail, a name or "
            "pinyin initials (Down and Enter pick from the list). Category takes its code or "
            "pinyin initials. Date: YYYY-MM-DD or MM-DD; times: HHMM or HH:MM. Payer: r the "
            "recipient's account, p the community pool. Satisfaction: 1 satisfied, 2 neutral, "
            "3 dissatisfied. Space ticks signed. Ctrl+S saves, Ctrl+P saves and prints the slip."
        )

    def search_field(self) -> QLineEdit:
        return self.edits["volunteer"]

    def activated(self) -> None:
        self._load_rules()

    # ------------------------------------------------------------ rules for the preview
    def _load_rules(self) -> None:
        backend = self.backend
        form = backend.service_form

        def work() -> tuple[tuple[CategoryInfo, ...], Policy]:
            catalogue = form.catalogue()
            for category in catalogue:
                category.initials  # noqa: B018 - pinyin loads here, on the worker (cached)
            return catalogue, backend.policy.current()

        def done(result: tuple[tuple[CategoryInfo, ...], Policy]) -> None:
            self.catalogue, self.policy = result
            self._update_hints()

        self.runner.run(work, done, self.report_error)

    def _update_hints(self) -> None:
        e = self.edits
        category = match_category(e["category"].text(), self.catalogue) if self.catalogue else None
        self.hints["category"].setText(
            category.name(current_language()) if category is not None else ""
        )
        self.hints["date"].setText(self._date_hint())
        payer = PAYER_KEYS.get(e["payer"].text().strip().lower() or "p")
        self.hints["payer"].setText(_(PAYER_LABELS[payer]) if payer else "")
        rating = RATING_KEYS.get(e["satisfaction"].text().strip())
        self.hints["satisfaction"].setText(
            _(RATING_LABELS[rating]) if rating else _("1 satisfied, 2 neutral, 3 dissatisfied")
        )
        text = self._preview_text(category)
        self.preview.setText(text)
        wrong = text == _("The end time must be after the start time")
        self.preview.setStyleSheet("font-weight: bold;" + (" color: #b00020;" if wrong else ""))

    def _date_hint(self) -> str:
        text = self.edits["date"].text()
        if not text.strip():
            return ""
        try:
            return parse_date(text, self.backend.ctx.today()).isoformat()
        except TimebankError:
            return ""

    def _preview_text(self, category: CategoryInfo | None) -> str:
        try:
            start = parse_time(self.edits["start"].text(), "start")
            end = parse_time(self.edits["end"].text(), "end")
        except TimebankError:
            return ""
        if self.policy is None:
            return ""
        weight = category.weight_permille if category is not None else 1000
        found = preview_credit(self.policy, weight, start, end)
        if found.duration_minutes <= 0:
            return _("The end time must be after the start time")
        return _("Duration {duration} h × weight {weight} = credited {credited} h").format(
            duration=format_hours(found.duration_minutes),
            weight=f"{found.weight_permille / 1000:g}",
            credited=format_hours(found.credited_minutes),
        )

    # ------------------------------------------------------------ keys
    def _focus_after(self, name: str) -> None:
        order = [*TEXT_FIELDS, "signed"]
        following = order[order.index(name) + 1]
        widget = self.signed if following == "signed" else self.edits[following]
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    def new_record(self) -> None:
        """An empty form with the focus in the volunteer field (Ctrl+N, after a save)."""
        for edit in self.edits.values():
            edit.clear()
        for hint in self.hints.values():
            hint.clear()
        self.signed.setChecked(False)
        clear_problems(self.errors, self.general_error)
        self._update_hints()
        self.edits["volunteer"].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def prefill(self, volunteer: str, recipient: str, category: str) -> None:
        """A new form with volunteer, recipient and category filled in (a matched service
        request); the focus goes to the date."""
        self.new_record()
        for name, text in (("volunteer", volunteer), ("recipient", recipient)):
            self.edits[name].setText(text)
            self.pickers[name].resolve_hint()
        self.edits["category"].setText(category)
        self._focus_after("category")

    def value(self) -> ServiceForm:
        e = self.edits
        texts = {name: e[name].text() for name in TEXT_FIELDS}
        return ServiceForm(**texts, signed=self.signed.isChecked())

    def save(self, print_slip: bool = False) -> None:
        """Save the card (Ctrl+S); with ``print_slip`` then ask for its slip (Ctrl+P)."""
        form, service = self.value(), self.backend.service_form
        self.save_button.setEnabled(False)
        self.runner.run(
            lambda: service.save(form),
            lambda view: self._saved(view, print_slip),
            self._refused,
        )

    def save_and_print(self) -> None:
        self.save(print_slip=True)

    def _saved(self, view: RecordView, print_slip: bool) -> None:
        self.save_button.setEnabled(True)
        self.new_record()
        self._last_view = view
        self._show_last_saved(view)
        self.record_saved.emit(view)
        if print_slip:
            self.print_requested.emit(view)

    def _show_last_saved(self, view: RecordView) -> None:
        state = _("posted") if view.status == "posted" else _("waiting for the signed slip")
        self.last_saved.setText(
            _("Last saved slip {slip}: {volunteer} → {recipient}, {hours} h, {state}").format(
                slip=view.slip_no,
                volunteer=view.volunteer_name,
                recipient=view.recipient_name,
                hours=format_hours(view.credited_minutes),
                state=state,
            )
        )

    def _refused(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        show_refusal(exc, self.errors, self.general_error, {**self.edits, "signed": self.signed})
