// The main window: the lab's shell, keeping viewport, narrative, step bar and status on one frame.
#pragma once

#include "app/annotation_store.h"
#include "app/app_context.h"
#include "app/lesson_library.h"
#include "lessons/lesson_player.h"
#include "lessons/text.h"
#include "viz/scene.h"

#include <QMainWindow>

#include <atomic>
#include <memory>

class QBoxLayout;
class QDockWidget;
class QThread;

namespace aisys::app {

class Navigator;
class NarrativePane;
class PresentationController;
class PresentationStrip;
class StatusLine;
class StepBar;
class ViewportWidget;
class WindowActions;

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
    /// Opens an ONNX model as a two-step lesson (graph, then its run); false with a status
    /// message when the engine cannot take it.
    bool openModel(const QString& path);
    /// Opens the model at `path` in the graph optimizer (O3, pass by pass); false if refused.
    bool optimizeModel(const QString& path);
    /// Opens the lesson mpi-replay on the trace at `path` (aisyslab-mpi --trace): the real run
    /// beside its simulation; false with a status message when the trace is refused.
    bool openTrace(const QString& path);
    /// Dry-runs every loaded lesson's Lab with its steps' parameters on a worker thread (the
    /// catalog was loaded without it for a fast start); a lesson the Lab refuses is then shown
    /// greyed out with its file:line message, like any broken lesson file.
    void validateLessonsInBackground();
    /// Waits for that validation (tests).
    void waitForLessonValidation();
    /// Shows frame `frame` (clamped to the lesson's frames).
    void goToFrame(int frame);
    /// The frame shown (0 when no lesson is open).
    int frame() const { return m_frame; }
    /// Frames of the open lesson (0 when none).
    int frameCount() const;
    /// Id of the open lesson ("" when none).
    QString lessonId() const;
    /// The open lesson's player (nullptr when none).
    const lessons::LessonPlayer* player() const { return m_player.get(); }
    /// The picture (scene, overlays, drawings).
    ViewportWidget* viewport() const { return m_viewport; }

    /// Switches the interface, the lesson texts and the picture to `lang`.
    void setLanguage(lessons::Lang lang);
    /// The language of the interface and the lesson texts.
    lessons::Lang language() const { return m_lang; }
    /// Light or dark interface; the picture follows (exports always use the light theme).
    void setTheme(viz::Theme theme);
    /// The interface theme.
    viz::Theme theme() const { return m_theme; }

    /// Re-opens the last lesson and frame from the settings, else the first lesson in course order.
    void restoreSession();

    /// Full-screen presentation: only the picture (and optionally the narrative strip).
    void setPresentation(bool on);
    /// Presenting: the narrative strip under the picture or beside it, whichever shows the
    /// frame's region of interest larger (called for every frame shown).
    void placeStrip();
    /// Whether the window is presenting.
    bool presentation() const;

    /// Presentation overlay scale (1.5, 2, 2.5 or 3).
    void setPresentationScale(float scale);
    /// The presentation overlay scale in force.
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

private:
    // Building.
    void createWidgets();
    void connectActions();
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
    void openModelFile();
    void optimizeModelFile();
    void openTraceFile();
    void reloadLessons();
    void exportCurrentView();
    void exportAllSteps();
    void exportSlides();

    AppContext& m_ctx;
    std::unique_ptr<lessons::LessonPlayer> m_player;
    AnnotationStore m_annotations;
    QThread* m_validation = nullptr; ///< background dry runs (validateLessonsInBackground)
    std::shared_ptr<std::atomic<bool>> m_validationCancel;
    LessonLibrary m_library;
    int m_frame = 0;
    lessons::Lang m_lang = lessons::Lang::En;
    viz::Theme m_theme = viz::Theme::Light;
    bool m_animations = true;
    float m_presentationScale = 2.0f;
    bool m_applyingStrokes = false;

    // Widgets.
    ViewportWidget* m_viewport = nullptr;
    PresentationStrip* m_strip = nullptr;
    QBoxLayout* m_centre = nullptr; ///< the viewport and the strip: under it or beside it
    Navigator* m_navigator = nullptr;
    NarrativePane* m_narrative = nullptr;
    StepBar* m_stepBar = nullptr;
    QDockWidget* m_navigatorDock = nullptr;
    QDockWidget* m_narrativeDock = nullptr;
    std::unique_ptr<StatusLine> m_status;

    // Menus, keys and presentation mode.
    std::unique_ptr<WindowActions> m_actions;
    std::unique_ptr<PresentationController> m_presentation;
};

} // namespace aisys::app
