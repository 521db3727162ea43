"""设置: centre, categories and weights, policy, staff (administrators), backups, language."""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from timebank_desktop.domain.categories import WEIGHT_ONE, CategoryInfo
from timebank_desktop.domain.errors import TimebankError
from timebank_desktop.domain.policy import Policy
from timebank_desktop.domain.roles import Permission
from timebank_desktop.i18n import LANGUAGES, _, current_language
from timebank_desktop.services.centre import CentreInfo
from timebank_desktop.ui.itemmodels.base import ROW_ROLE
from timebank_desktop.ui.itemmodels.small import CategoryModel
from timebank_desktop.ui.pages.base import Page, PageDeps
from timebank_desktop.ui.pages.records import configure_table
from timebank_desktop.ui.pages.settings_backup import BackupTab
from timebank_desktop.ui.pages.settings_goods import GoodsTab
from timebank_desktop.ui.pages.settings_policy import PolicyForm
from timebank_desktop.ui.pages.settings_staff import StaffTab
from timebank_desktop.ui.table_export import install_table_export
from timebank_desktop.ui.widgets import accessible, fit_columns, named

log = logging.getLogger(__name__)


class SettingsPage(Page):
    """Emits ``language_chosen(code)`` when staff pick another language."""

    key = "settings"
    language_chosen = Signal(str)

    def __init__(self, deps: PageDeps, parent: QWidget | None = None) -> None:
        super().__init__(deps, parent)
        self.may_settings = self.backend.may(Permission.SETTINGS)
        self.tabs = named(QTabWidget(), "settings_tabs")
        self.centre_tab = self._centre_tab()
        self.category_tab = self._category_tab()
        self.policy_form = named(PolicyForm(self.may_settings), "settings_policy")
        self.policy_form.save_requested.connect(self.save_policy)
        self.staff_tab = StaffTab(self.backend, self.runner)
        install_table_export(self.staff_tab.table, self, lambda: self._tab_title(self.staff_tab))
        self.backup_tab = BackupTab(deps)
        self.goods_tab = GoodsTab(self.backend, self.runner)
        install_table_export(self.goods_tab.table, self, lambda: self._tab_title(self.goods_tab))
        self.tabs.addTab(self.centre_tab, "")
        self.tabs.addTab(self.category_tab, "")
        self.tabs.addTab(self.policy_form, "")
        self.tabs.addTab(self.backup_tab, "")
        self.tabs.addTab(self.goods_tab, "")
        if self.backend.may(Permission.MANAGE_STAFF):
            self.tabs.addTab(self.staff_tab, "")
        else:
            self.staff_tab.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.retranslate()

    # ------------------------------------------------------------ building
    def _centre_tab(self) -> QWidget:
        tab = QWidget()
        self.centre_code = named(QLabel(), "settings_centre_code")
        self.centre_name = named(QLineEdit(), "settings_centre_name")
        self.district_code = named(QLineEdit(), "settings_district_code")
        self.centre_save = named(QPushButton(), "settings_centre_save")
        self.centre_error = named(QLabel(), "settings_centre_error")
        self.centre_error.setStyleSheet("color: #b00020;")
        for widget in (self.centre_name, self.district_code, self.centre_save):
            widget.setEnabled(self.may_settings)
        self.centre_save.clicked.connect(self.save_centre)
        self.language = named(QComboBox(), "settings_language")
        for code, label in LANGUAGES.items():
            self.language.addItem(label, code)
        self.language.activated.connect(
            lambda _i: self.language_chosen.emit(self.language.currentData())
        )
        self.centre_labels = [QLabel() for _ in range(4)]
        inner = QWidget()
        inner.setMaximumWidth(640)  # a short form reads better than one across the screen
        form = QFormLayout(inner)
        rows: tuple[QWidget, ...] = (
            self.centre_code,
            self.centre_name,
            self.district_code,
            self.language,
        )
        for caption, field in zip(self.centre_labels, rows, strict=True):
            form.addRow(caption, field)
        save_row = QHBoxLayout()
        save_row.addWidget(self.centre_save)
        save_row.addStretch(1)
        form.addRow("", save_row)
        form.addRow("", self.centre_error)
        outer = QVBoxLayout(tab)
        outer.addWidget(inner)
        outer.addStretch(1)
        return tab

    def _category_tab(self) -> QWidget:
        tab = QWidget()
        self.categories = CategoryModel(self)
        self.category_table = named(QTableView(), "settings_categories")
        self.category_table.setModel(self.categories)
        install_table_export(self.category_table, self, lambda: self._tab_title(self.category_tab))
        configure_table(self.category_table)
        self.category_table.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self._category_chosen(current.row())
        )
        self.category_zh = named(QLineEdit(), "category_name_zh")
        self.category_en = named(QLineEdit(), "category_name_en")
        self.category_weight = named(QDoubleSpinBox(), "category_weight")
        self.category_weight.setRange(0.1, 5.0)
        self.category_weight.setSingleStep(0.1)
        self.category_active = named(QCheckBox(), "category_active")
        self.category_save = named(QPushButton(), "category_save")
        self.category_save.clicked.connect(self.save_category)
        editors: tuple[QWidget, ...] = (
            self.category_zh,
            self.category_en,
            self.category_weight,
            self.category_active,
            self.category_save,
        )
        for widget in editors:
            widget.setVisible(self.may_settings)
        self.category_labels = [QLabel() for _ in range(3)]
        form = QFormLayout()
        for label, editor in zip(self.category_labels, editors[:3], strict=True):
            label.setVisible(self.may_settings)
            form.addRow(label, editor)
        form.addRow("", self.category_active)
        form.addRow("", self.category_save)
        editor = QWidget()
        editor.setMaximumWidth(640)
        editor.setLayout(form)
        layout = QVBoxLayout(tab)
        layout.addWidget(self.category_table, 1)
        layout.addWidget(editor)
        return tab

    # ------------------------------------------------------------ texts
    def title(self) -> str:
        return _("Settings")

    def help_text(self) -> str:
        return _(
            "The centre's name and district, the service categories and their weights, the "
            "policy (withdrawal age, caps, rounding, signed slips, transfers), backups and the "
            "language. Only administrators change settings and manage staff users; a policy "
            "change applies from its date on and never rewrites earlier records."
        )

    def _tab_title(self, tab: QWidget) -> str:
        """A tab's title without its mnemonic (names an exported list)."""
        return self.tabs.tabText(self.tabs.indexOf(tab)).replace("&", "")

    def retranslate(self) -> None:
        for i, text in enumerate(
            (_("Centre"), _("Categories"), _("Policy"), _("Backups"), _("Goods"), _("Staff"))
        ):
            if i < self.tabs.count():
                self.tabs.setTabText(i, text)
        for label, text in zip(
            self.centre_labels,
            (_("Centre code:"), _("Centre name:"), _("District code:"), _("Language:")),
            strict=True,
        ):
            label.setText(text)
        accessible(self.centre_name, _("Centre name"))
        accessible(self.district_code, _("District code"))
        accessible(self.language, _("Language"))
        self.language.setCurrentIndex(max(self.language.findData(current_language()), 0))
        self.centre_save.setText(_("Save the centre"))
        for label, text in zip(
            self.category_labels,
            (_("Chinese name:"), _("English name:"), _("Weight:")),
            strict=True,
        ):
            label.setText(text)
        accessible(self.category_zh, _("Chinese name"))
        accessible(self.category_en, _("English name"))
        accessible(self.category_weight, _("Weight"))
        accessible(self.category_table, _("Service categories"))
        self.category_active.setText(_("In use"))
        self.category_save.setText(_("Save the category"))
        for widget in (
            self.centre_save,
            self.category_save,
            self.category_active,
        ):
            accessible(widget, widget.text())
        self.categories.retranslate()
        fit_columns(self.category_table, (100, 200, 80, 70, 70))
        self.policy_form.retranslate()
        self.staff_tab.retranslate()
        self.backup_tab.retranslate()
        self.goods_tab.retranslate()

    def activated(self) -> None:
        self.runner.run(self.backend.centre.get, self._centre_loaded, self.report_error)
        self.runner.run(self.backend.categories.list, self.categories.set_rows, self.report_error)
        self.runner.run(self.backend.policy.current, self._policy_loaded, self.report_error)
        self.goods_tab.load()
        if self.backend.may(Permission.MANAGE_STAFF):
            self.staff_tab.load()

    # ------------------------------------------------------------ centre, categories, policy
    def _centre_loaded(self, info: CentreInfo) -> None:
        self.centre_code.setText(info.code)
        self.centre_name.setText(info.name)
        self.district_code.setText(info.district_code)

    def save_centre(self) -> None:
        centre, name = self.backend.centre, self.centre_name.text()
        district = self.district_code.text()
        self.runner.run(
            lambda: centre.rename(name, district),
            self._centre_saved,
            self._centre_refused,
        )

    def _centre_saved(self, info: CentreInfo) -> None:
        self._centre_loaded(info)
        self.centre_error.clear()

    def _centre_refused(self, exc: BaseException) -> None:
        if not isinstance(exc, TimebankError):
            raise exc
        self.centre_error.setText(exc.message)

    def _category_chosen(self, row: int) -> None:
        cat: CategoryInfo | None = self.categories.row_at(row)
        if cat is None:
            return
        self.category_zh.setText(cat.name_zh)
        self.category_en.setText(cat.name_en)
        self.category_weight.setValue(cat.weight_permille / WEIGHT_ONE)
        self.category_active.setChecked(cat.active)

    def save_category(self) -> None:
        index = self.category_table.currentIndex()
        cat = self.categories.data(index, ROW_ROLE) if index.isValid() else None
        if cat is None:
            return
        categories = self.backend.categories
        zh, en = self.category_zh.text(), self.category_en.text()
        weight = round(self.category_weight.value() * WEIGHT_ONE)
        active = self.category_active.isChecked()
        self.runner.run(
            lambda: categories.update(
                cat.code, name_zh=zh, name_en=en, weight_permille=weight, active=active
            ),
            lambda _r: self.activated(),
            self.report_error,
        )

    def _policy_loaded(self, policy: Policy) -> None:
        self.policy_form.show_policy(policy, self.backend.ctx.today())

    def save_policy(self, policy: Policy) -> None:
        service = self.backend.policy

        def done(_result: object) -> None:
            self.policy_form.clear_errors()
            self.prompts.info(self, _("Policy"), _("The policy is saved."))

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, TimebankError):
                raise exc
            self.policy_form.show_refusal(exc)

        self.runner.run(lambda: service.set(policy), done, failed)

    # ------------------------------------------------------------ backups (the Backups tab)
    @property
    def auto_backup(self) -> QCheckBox:
        return self.backup_tab.auto_backup

    def backup_now(self) -> None:
        self.backup_tab.backup_now()

    def restore(self) -> None:
        self.backup_tab.restore()

    def backup_on_exit(self) -> None:
        self.backup_tab.backup_on_exit()
