// The main window's actions (menu entries and window-level keys) and its menu bar.
#pragma once

#include <QCoreApplication>

class QAction;
class QActionGroup;
class QDockWidget;
class QMainWindow;
class QMenu;

namespace aisys::app {

/// Creates the window's actions with their shortcuts (parented to the window, which owns them)
/// and its File, View, Language and Help menus. The window connects the actions to what they
/// do; keys that must work with every bar hidden are added to the window itself.
class WindowActions {
    Q_DECLARE_TR_FUNCTIONS(WindowActions)

public:
    /// The View menu also lists the two docks' toggle actions.
    WindowActions(QMainWindow* window, QDockWidget* narrativeDock, QDockWidget* navigatorDock);

    /// Names every action, menu and dock in the current language.
    void retranslate();

    // File menu.
    QAction* openFile = nullptr;
    QAction* openModel = nullptr;
    QAction* openTrace = nullptr;
    QAction* optimizeModel = nullptr;
    QAction* reload = nullptr;
    QAction* exportView = nullptr;
    QAction* exportAll = nullptr;
    QAction* exportSlides = nullptr;
    QAction* quit = nullptr;
    // View menu.
    QAction* present = nullptr;
    QActionGroup* scales = nullptr; ///< one checkable action per presentation scale (data())
    QAction* light = nullptr;
    QAction* dark = nullptr;
    QAction* fit = nullptr;
    QAction* animations = nullptr;
    QAction* clearDrawings = nullptr;
    // Language menu.
    QAction* english = nullptr;
    QAction* chinese = nullptr;
    // Help menu.
    QAction* shortcuts = nullptr;
    QAction* about = nullptr;
    // Window-level keys (work with menus and tool bars hidden, so slide clickers work).
    QAction* next = nullptr;
    QAction* prev = nullptr;
    QAction* first = nullptr;
    QAction* last = nullptr;
    QAction* space = nullptr;
    QAction* filter = nullptr;

private:
    void createMenus(QMainWindow* window);

    QDockWidget* m_narrativeDock = nullptr;
    QDockWidget* m_navigatorDock = nullptr;
    QMenu* m_fileMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_themeMenu = nullptr;
    QMenu* m_scaleMenu = nullptr;
    QMenu* m_languageMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
};

} // namespace aisys::app
