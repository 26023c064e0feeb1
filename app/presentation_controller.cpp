// Presentation mode: the window full screen with only the picture, the talk keys and a laser.
#include "app/presentation_controller.h"

#include "app/app_context.h"
#include "app/presentation_strip.h"
#include "app/viewport_widget.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QKeyEvent>
#include <QMainWindow>
#include <QMenuBar>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>

#include <cmath>
#include <utility>

namespace aisys::app {

float nearestPresentationScale(float scale) {
    float best = kPresentationScales[0];
    for (float s : kPresentationScales)
        if (std::abs(s - scale) < std::abs(best - scale))
            best = s;
    return best;
}

PresentationController::PresentationController(const PresentationParts& parts,
                                               std::function<bool()> hasLesson)
    : m_parts(parts), m_hasLesson(std::move(hasLesson)) {
    QMainWindow* window = m_parts.window;
    ViewportWidget* viewport = m_parts.viewport;
    auto make = [this, window](QKeySequence key, auto slot) {
        auto* a = new QAction(window);
        if (!key.isEmpty())
            a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        window->addAction(a);
        return a;
    };
    // "." is what many clickers send for "blank screen".
    m_leaveAct = make(QKeySequence(Qt::Key_Escape), [this] { emit leaveRequested(); });
    m_blankAct = make({}, [this, viewport] { viewport->setBlanked(m_blankAct->isChecked()); });
    m_blankAct->setCheckable(true);
    m_blankAct->setShortcuts({QKeySequence(Qt::Key_B), QKeySequence(Qt::Key_Period)});
    m_penAct = make(QKeySequence(Qt::Key_P),
                    [this, viewport] { viewport->setPenMode(m_penAct->isChecked()); });
    m_penAct->setCheckable(true);
    m_clearAct = make(QKeySequence(Qt::Key_C), [viewport] { viewport->clearStrokes(); });
    m_stripAct = make(QKeySequence(Qt::Key_N), [this] {
        m_stripWanted = !m_stripWanted;
        m_parts.strip->setVisible(m_active && m_stripWanted && m_hasLesson());
        appSettings().setValue(QStringLiteral("presentation/strip"), m_stripWanted);
    });
    m_overlaysAct = make(QKeySequence(Qt::Key_O), [this, viewport] {
        m_overlaysShown = !m_overlaysShown;
        viewport->setOverlaysVisible(m_overlaysShown);
    });
    setToolsEnabled(false);
}

PresentationController::~PresentationController() {
    if (m_active)
        qApp->removeEventFilter(this);
}

void PresentationController::setToolsEnabled(bool on) {
    for (QAction* a : {m_leaveAct, m_blankAct, m_penAct, m_clearAct, m_stripAct, m_overlaysAct})
        a->setEnabled(on);
}

void PresentationController::enter(float scale) {
    if (m_active)
        return;
    QMainWindow* window = m_parts.window;
    // 1. Remember the window as it is, then hide everything but the picture.
    m_saved.geometry = window->saveGeometry();
    m_saved.state = window->saveState();
    m_saved.windowState = window->windowState();
    m_saved.navigatorVisible = !m_parts.navigatorDock->isHidden();
    m_saved.narrativeVisible = !m_parts.narrativeDock->isHidden();
    m_active = true;
    window->menuBar()->hide();
    window->statusBar()->hide();
    m_parts.stepBar->hide();
    m_parts.navigatorDock->hide();
    m_parts.narrativeDock->hide();
    // 2. Big type and overlays, the presentation keys, holding L = laser.
    m_parts.viewport->setUiScale(scale);
    m_parts.strip->setScale(scale);
    m_parts.strip->setVisible(m_stripWanted && m_hasLesson());
    setToolsEnabled(true);
    qApp->installEventFilter(this);
    window->showFullScreen();
    // Without a window manager (a bare X server, a kiosk) full screen is only a state: give the
    // window the screen's geometry as well.
    if (const QScreen* scr = window->screen())
        window->setGeometry(scr->geometry());
    m_parts.viewport->setFocus(Qt::OtherFocusReason);
}

void PresentationController::leave() {
    if (!m_active)
        return;
    QMainWindow* window = m_parts.window;
    ViewportWidget* viewport = m_parts.viewport;
    // 1. Tools off.
    m_active = false;
    qApp->removeEventFilter(this);
    for (QAction* a : {m_blankAct, m_penAct})
        a->setChecked(false);
    setToolsEnabled(false);
    viewport->setBlanked(false);
    viewport->setLaser(false);
    viewport->setPenMode(false);
    viewport->setProgress(-1);
    viewport->setUiScale(1.0f);
    m_overlaysShown = true;
    viewport->setOverlaysVisible(true);
    m_parts.strip->hide();
    // 2. The window exactly as it was.
    window->menuBar()->show();
    window->statusBar()->show();
    window->setWindowState(m_saved.windowState & ~Qt::WindowFullScreen);
    window->restoreGeometry(m_saved.geometry);
    if (!window->restoreState(m_saved.state)) {
        m_parts.stepBar->show();
        m_parts.navigatorDock->setVisible(m_saved.navigatorVisible);
        m_parts.narrativeDock->setVisible(m_saved.narrativeVisible);
    }
    window->show();
}

void PresentationController::retranslate() {
    m_leaveAct->setText(tr("Leave Presentation"));
    m_blankAct->setText(tr("Blank Screen"));
    m_penAct->setText(tr("Pen"));
    m_clearAct->setText(tr("Clear Drawings"));
    m_stripAct->setText(tr("Narrative Strip"));
    m_overlaysAct->setText(tr("Overlays"));
}

bool PresentationController::eventFilter(QObject* watched, QEvent* event) {
    // While presenting, L held down shows the laser pointer (auto-repeat ignored).
    if (m_active && (event->type() == QEvent::KeyPress || event->type() == QEvent::KeyRelease)) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_L &&
            !(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))) {
            if (!key->isAutoRepeat())
                m_parts.viewport->setLaser(event->type() == QEvent::KeyPress);
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

} // namespace aisys::app
