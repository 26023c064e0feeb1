// The main window's actions (menu entries and window-level keys) and its menu bar.
#include "app/window_actions.h"

#include "app/presentation_controller.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <QLocale>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>

#include <initializer_list>

namespace aisys::app {

WindowActions::WindowActions(QMainWindow* window, QDockWidget* narrativeDock,
                             QDockWidget* navigatorDock)
    : m_narrativeDock(narrativeDock), m_navigatorDock(navigatorDock) {
    auto make = [window](QKeySequence key = {}) {
        auto* a = new QAction(window);
        if (!key.isEmpty())
            a->setShortcut(key);
        return a;
    };
    auto checkable = [](QActionGroup* group, std::initializer_list<QAction*> actions) {
        for (QAction* a : actions) {
            a->setCheckable(true);
            group->addAction(a);
        }
    };
    openFile = make(QKeySequence(Qt::CTRL | Qt::Key_O));
    openModel = make(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    optimizeModel = make(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    openTrace = make();
    reload = make(QKeySequence(Qt::CTRL | Qt::Key_R));
    exportView = make(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportAll = make(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    exportSlides = make();
    quit = make(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);

    present = make(QKeySequence(Qt::Key_F5));
    present->setCheckable(true);
    light = make();
    dark = make();
    checkable(new QActionGroup(window), {light, dark});
    fit = make(QKeySequence(Qt::CTRL | Qt::Key_0));
    animations = make();
    animations->setCheckable(true);
    clearDrawings = make();
    scales = new QActionGroup(window);
    for (float s : kPresentationScales) {
        QAction* a = make();
        a->setData(s);
        checkable(scales, {a});
    }

    english = make();
    chinese = make();
    checkable(new QActionGroup(window), {english, chinese});
    about = make();
    about->setMenuRole(QAction::AboutRole);
    shortcuts = make(QKeySequence::HelpContents);

    next = make();
    next->setShortcuts({QKeySequence(Qt::Key_Right), QKeySequence(Qt::Key_PageDown)});
    prev = make();
    prev->setShortcuts({QKeySequence(Qt::Key_Left), QKeySequence(Qt::Key_PageUp)});
    first = make(QKeySequence(Qt::Key_Home));
    last = make(QKeySequence(Qt::Key_End));
    space = make(QKeySequence(Qt::Key_Space));
    filter = make(QKeySequence(Qt::CTRL | Qt::Key_F));
    // Added to the window itself so they work with every bar hidden.
    for (QAction* a : {next, prev, first, last, space, filter, present, exportView, openFile,
                       openModel, optimizeModel, openTrace, quit})
        window->addAction(a);

    createMenus(window);
}

void WindowActions::createMenus(QMainWindow* window) {
    QMenuBar* bar = window->menuBar();
    m_fileMenu = bar->addMenu(QString());
    m_fileMenu->addAction(openFile);
    m_fileMenu->addAction(openModel);
    m_fileMenu->addAction(optimizeModel);
    m_fileMenu->addAction(openTrace);
    m_fileMenu->addAction(reload);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(exportView);
    m_fileMenu->addAction(exportAll);
    m_fileMenu->addAction(exportSlides);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(quit);

    m_viewMenu = bar->addMenu(QString());
    m_viewMenu->addAction(present);
    m_scaleMenu = m_viewMenu->addMenu(QString());
    m_scaleMenu->addActions(scales->actions());
    m_viewMenu->addSeparator();
    m_themeMenu = m_viewMenu->addMenu(QString());
    m_themeMenu->addAction(light);
    m_themeMenu->addAction(dark);
    m_viewMenu->addAction(fit);
    m_viewMenu->addAction(animations);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_narrativeDock->toggleViewAction());
    m_viewMenu->addAction(m_navigatorDock->toggleViewAction());
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(clearDrawings);

    m_languageMenu = bar->addMenu(QString());
    m_languageMenu->addAction(english);
    m_languageMenu->addAction(chinese);

    m_helpMenu = bar->addMenu(QString());
    m_helpMenu->addAction(shortcuts);
    m_helpMenu->addSeparator();
    m_helpMenu->addAction(about);
}

void WindowActions::retranslate() {
    m_fileMenu->setTitle(tr("&File"));
    openFile->setText(tr("&Open Lesson File…"));
    openModel->setText(tr("Open &Model…"));
    optimizeModel->setText(tr("O&ptimize Model…"));
    openTrace->setText(tr("Open &Trace…"));
    reload->setText(tr("&Reload Lessons"));
    exportView->setText(tr("&Export Current View…"));
    exportAll->setText(tr("Export &All Steps…"));
    exportSlides->setText(tr("Export Lesson as &Slides…"));
    quit->setText(tr("&Quit"));

    m_viewMenu->setTitle(tr("&View"));
    present->setText(tr("&Presentation Mode"));
    m_scaleMenu->setTitle(tr("Presentation &Scale"));
    for (QAction* a : scales->actions())
        a->setText(tr("%1×").arg(QLocale().toString(a->data().toFloat())));
    m_themeMenu->setTitle(tr("&Theme"));
    light->setText(tr("&Light"));
    dark->setText(tr("&Dark"));
    fit->setText(tr("&Fit View"));
    animations->setText(tr("&Animations"));
    // A dock's toggle action takes the dock's title, so set the titles first.
    m_narrativeDock->setWindowTitle(tr("Narrative"));
    m_navigatorDock->setWindowTitle(tr("Lessons"));
    m_narrativeDock->toggleViewAction()->setText(tr("Show &Narrative"));
    m_navigatorDock->toggleViewAction()->setText(tr("Show Na&vigator"));
    clearDrawings->setText(tr("&Clear Drawings on This Step"));

    m_languageMenu->setTitle(tr("&Language"));
    // Each language is named in itself, so it can be found whatever the current language is.
    english->setText(QStringLiteral("English"));
    chinese->setText(QStringLiteral("中文"));

    m_helpMenu->setTitle(tr("&Help"));
    shortcuts->setText(tr("&Keyboard Shortcuts"));
    about->setText(tr("&About AISys Lab"));

    next->setText(tr("Next Step"));
    prev->setText(tr("Previous Step"));
    first->setText(tr("First Step"));
    last->setText(tr("Last Step"));
    space->setText(tr("Play or Pause"));
    filter->setText(tr("Filter Lessons"));
}

} // namespace aisys::app
