// Presentation mode: the window full screen with only the picture, the talk keys and a laser.
#pragma once

#include <QByteArray>
#include <QObject>
#include <functional>

class QAction;
class QDockWidget;
class QMainWindow;
class QWidget;

namespace aisys::app {

class PresentationStrip;
class ViewportWidget;

/// Overlay scales offered for presentations (View ▸ Presentation Scale).
inline constexpr float kPresentationScales[] = {1.5f, 2.0f, 2.5f, 3.0f};
/// The offered scale nearest to `scale`.
float nearestPresentationScale(float scale);

/// The parts of the main window that presentation mode hides, enlarges or restores.
struct PresentationParts {
    QMainWindow* window = nullptr;
    ViewportWidget* viewport = nullptr;
    PresentationStrip* strip = nullptr;
    QWidget* stepBar = nullptr;
    QDockWidget* navigatorDock = nullptr;
    QDockWidget* narrativeDock = nullptr;
};

/// Runs presentation mode for a main window: remembers the window's layout, hides everything
/// but the picture (and the narrative strip if wanted), goes full screen with big overlays and
/// enables the presentation keys (Esc, B/., P, C, N, O) and the held-L laser; leave() puts the
/// window back exactly as it was.
class PresentationController : public QObject {
    Q_OBJECT

public:
    /// The window as it was when the presentation started.
    struct SavedLayout {
        QByteArray geometry;
        QByteArray state;
        Qt::WindowStates windowState;
        bool navigatorVisible = true;
        bool narrativeVisible = true;
    };

    /// Adds the presentation keys (disabled until enter()) to `parts.window`; `hasLesson` says
    /// whether a lesson is open (the strip shows only then).
    PresentationController(const PresentationParts& parts, std::function<bool()> hasLesson);
    ~PresentationController() override;

    /// Whether the window is presenting.
    bool isActive() const { return m_active; }
    /// Starts presenting with overlays at `scale` (does nothing when already presenting).
    void enter(float scale);
    /// Stops presenting: tools off, then the window as it was (does nothing when not presenting).
    void leave();
    /// The layout saved by enter(), which the settings keep while presenting.
    const SavedLayout& savedLayout() const { return m_saved; }

    /// Whether the narrative strip shows while presenting (N toggles it and saves the choice).
    bool stripWanted() const { return m_stripWanted; }
    void setStripWanted(bool on) { m_stripWanted = on; }

    /// Names the presentation keys in the current language.
    void retranslate();

signals:
    /// Esc was pressed while presenting.
    void leaveRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void setToolsEnabled(bool on);

    PresentationParts m_parts;
    std::function<bool()> m_hasLesson;
    bool m_active = false;
    bool m_stripWanted = true;
    bool m_overlaysShown = true;
    SavedLayout m_saved;

    QAction* m_leaveAct = nullptr;
    QAction* m_blankAct = nullptr;
    QAction* m_penAct = nullptr;
    QAction* m_clearAct = nullptr;
    QAction* m_stripAct = nullptr;
    QAction* m_overlaysAct = nullptr;
};

} // namespace aisys::app
