// The main window: viewport, navigator, narrative, step bar, menus, exports and presentation mode.
#pragma once

#include "app/annotation_store.h"
#include "app/app_context.h"
#include "lessons/lesson_player.h"
#include "lessons/text.h"
#include "viz/scene.h"

#include <QByteArray>
#include <QMainWindow>
#include <QStringList>
#include <memory>

class QAction;
class QActionGroup;
class QDockWidget;
class QLabel;
class QMenu;

namespace aisys::app {

class Navigator;
class NarrativePane;
class PresentationStrip;
class StepBar;
class ViewportWidget;

/// The lab's window. Plays one lesson at a time through a LessonPlayer and keeps every view
/// (viewport, narrative, step bar, navigator, status bar) on the same frame.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    /// Builds the window and applies the saved theme, language, geometry and options.
    explicit MainWindow(AppContext& ctx, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Opens lesson `id` at its first frame; false (with a status-bar message) when the id is
    /// unknown, the lesson file is broken or its Lab fails to run.
    bool openLesson(const QString& id);
    /// Shows frame `frame` (clamped to the lesson's frames).
    void goToFrame(int frame);
    /// The frame shown (0 when no lesson is open).
    int frame() const { return m_frame; }
    /// Frames of the open lesson (0 when none).
    int frameCount() const;
    /// Id of the open lesson ("" when none).
    QString lessonId() const;
    ViewportWidget* viewport() const { return m_viewport; }

    /// Switches the interface, the lesson texts and the picture to `lang`.
    void setLanguage(lessons::Lang lang);
    lessons::Lang language() const { return m_lang; }
    /// Light or dark interface; the picture follows (exports always use the light theme).
    void setTheme(viz::Theme theme);
    viz::Theme theme() const { return m_theme; }

    /// Re-opens the last lesson and frame from the settings, else the first lesson in course order.
    void restoreSession();

    /// Full-screen presentation: only the picture (and optionally the narrative strip).
    void setPresentation(bool on);
    bool presentation() const { return m_presenting; }

    /// Presentation overlay scale (1.5, 2, 2.5 or 3).
    void setPresentationScale(float scale);
    float presentationScale() const { return m_presentationScale; }
    /// Whether step changes animate.
    void setAnimationsEnabled(bool on);
    /// Writes the current frame to `path` (format from the extension); "" or an error message.
    QString exportCurrentFrame(const QString& path, float pngScale = 1.0f);

signals:
    /// A frame's scene was handed to the viewport.
    void frameShown(int frame);

protected:
    void changeEvent(QEvent* event) override;
    void closeEvent(QCloseEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    // Building (main_window.cpp).
    void createWidgets();
    void createActions();
    void createMenus();
    void retranslateUi();
    void loadSettings();
    void saveSettings() const;

    // Showing a frame.
    void showFrame(bool animate);
    void updateStatus();
    void updateWindowTitle();
    void showMessage(const QString& text, int ms = 6000);
    void onParamEdited(const std::string& name, const lessons::ParamValue& value);
    void onParamsReset();
    void applyOverrides(const lessons::ParamSet& overrides);
    void onStrokesChanged();
    void onHoveredChanged(quint32 id);
    void step(int delta);
    void onSpaceKey();

    // File menu.
    void openLessonFile();
    void reloadLessons();
    void exportCurrentView();
    void exportAllSteps();
    void addLessonLoad(const lessons::LessonLoad& load);

    // Help menu.
    void showAbout();
    void showShortcuts();

    AppContext& m_ctx;
    std::unique_ptr<lessons::LessonPlayer> m_player;
    AnnotationStore m_annotations;
    int m_frame = 0;
    lessons::Lang m_lang = lessons::Lang::En;
    viz::Theme m_theme = viz::Theme::Light;
    bool m_animations = true;
    float m_presentationScale = 2.0f;
    QStringList m_extraFiles; ///< lesson files opened with File ▸ Open, kept across reloads

    // Presentation state.
    bool m_presenting = false;
    bool m_stripWanted = true;
    bool m_applyingStrokes = false;
    bool m_overlaysShown = true;
    bool m_savedNavigatorVisible = true, m_savedNarrativeVisible = true;
    QByteArray m_savedGeometry, m_savedState;
    Qt::WindowStates m_savedWindowState;

    // Widgets.
    ViewportWidget* m_viewport = nullptr;
    PresentationStrip* m_strip = nullptr;
    Navigator* m_navigator = nullptr;
    NarrativePane* m_narrative = nullptr;
    StepBar* m_stepBar = nullptr;
    QDockWidget* m_navigatorDock = nullptr;
    QDockWidget* m_narrativeDock = nullptr;
    QLabel* m_lessonLabel = nullptr;
    QLabel* m_stepLabel = nullptr;
    QLabel* m_hoverLabel = nullptr;

    // Menus and actions.
    QMenu* m_fileMenu = nullptr;
    QMenu* m_viewMenu = nullptr;
    QMenu* m_themeMenu = nullptr;
    QMenu* m_scaleMenu = nullptr;
    QMenu* m_languageMenu = nullptr;
    QMenu* m_helpMenu = nullptr;
    QAction* m_openFileAct = nullptr;
    QAction* m_reloadAct = nullptr;
    QAction* m_exportAct = nullptr;
    QAction* m_exportAllAct = nullptr;
    QAction* m_quitAct = nullptr;
    QAction* m_presentAct = nullptr;
    QAction* m_lightAct = nullptr;
    QAction* m_darkAct = nullptr;
    QAction* m_fitAct = nullptr;
    QAction* m_animationsAct = nullptr;
    QAction* m_clearDrawingsAct = nullptr;
    QActionGroup* m_scaleGroup = nullptr;
    QAction* m_englishAct = nullptr;
    QAction* m_chineseAct = nullptr;
    QAction* m_aboutAct = nullptr;
    QAction* m_shortcutsAct = nullptr;
    // Window-level keys (work with menus and tool bars hidden, so slide clickers work).
    QAction* m_nextAct = nullptr;
    QAction* m_prevAct = nullptr;
    QAction* m_firstAct = nullptr;
    QAction* m_lastAct = nullptr;
    QAction* m_spaceAct = nullptr;
    QAction* m_leaveAct = nullptr;
    QAction* m_filterAct = nullptr;
    QAction* m_blankAct = nullptr;
    QAction* m_penAct = nullptr;
    QAction* m_clearKeyAct = nullptr;
    QAction* m_overlaysAct = nullptr;
    QAction* m_stripAct = nullptr;
};

} // namespace aisys::app
