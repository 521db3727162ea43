"""Qt's own texts (standard buttons such as Save and Cancel, file dialogs, context menus) in
the language chosen: Qt's shipped ``qtbase`` catalog, swapped on every language switch."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

_installed: list[QTranslator] = []


def use_qt_language(code: str) -> bool:
    """Install Qt's catalog for ``code`` (none for English); True when one was loaded."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    while _installed:
        app.removeTranslator(_installed.pop())
    if code == "en":
        return False
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(f"qtbase_{code}", folder):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    return True
