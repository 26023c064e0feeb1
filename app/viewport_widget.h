// The live viewport: a QOpenGLWidget drawing a Scene via the GL renderer, with ImGui overlays
// (inspector, legend, parameter panel) and the presentation tools (blank, laser, pen).
#pragma once

#include "app/viewport_overlays.h"
#include "lessons/params.h"
#include "lessons/text.h"
#include "viz/annotation.h"
#include "viz/camera.h"
#include "viz/scene.h"

#include <QElapsedTimer>
#include <QOpenGLWidget>
#include <QRectF>
#include <QTimer>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace aisys::viz {
class GlRenderer;
class ImGuiBridge;
} // namespace aisys::viz

namespace aisys::app {

/// Hosts the GL renderer and the ImGui bridge; everything drawn comes from setScene().
class ViewportWidget : public QOpenGLWidget {
    Q_OBJECT
public:
    explicit ViewportWidget(QWidget* parent = nullptr);
    ~ViewportWidget() override;

    /// Shows a new picture. With `animate` (and animation enabled) primitives that share
    /// (id, kind, ordinal) with the previous scene interpolate over ~300 ms; new ones fade in.
    void setScene(viz::Scene scene, bool animate);
    const viz::Scene& scene() const { return m_target; }

    /// The Lab's parameters for the ImGui panel; `values` are the ones in force.
    void setParamPanel(std::vector<lessons::ParamSpec> specs, lessons::ParamSet values);
    void setLanguage(lessons::Lang lang);
    void setAnimationEnabled(bool on) { m_animationEnabled = on; }
    /// Overlay/UI scale (1 normally; 1.5–3 in presentation mode); multiplies the device ratio.
    void setUiScale(float scale);
    float uiScale() const { return m_uiScale; }
    /// Shows or hides the ImGui overlays (parameter panel, legend, inspector).
    void setOverlaysVisible(bool on);

    /// Presenting, the picture's text is shown at least this large (logical pixels per 720 px of
    /// screen height: 14 px at 720p, 15 at 768, 21 at 1080) — readable from the back of a hall.
    /// Where fitting the frame's region of interest would draw its text smaller, the camera
    /// zooms to this size instead, centred on the region (the rest can be panned to); F still
    /// shows the whole.
    static constexpr double kPictureTextPxPer720 = 14.0;
    /// The text size a picture is judged by: the median size of the text in `r` (its labels;
    /// smaller sub-labels under them do not set the zoom), scene units; 0 when `r` holds no text.
    static float bodyTextSize(const viz::DisplayList& list, const viz::Rect& r);

    /// Fits the picture into the free area (presenting: the frame's focus, when it has one).
    void fitToView();
    /// Presenting: eases back to the whole picture until the next step's focus.
    void showWhole();
    const viz::Camera& camera() const { return m_camera; }
    /// The find box's search: the objects whose inspector title contains `query` (any case),
    /// by id; the first (or, with `next`, the following) one is brought into view, outlined.
    void find(const std::string& query, bool next);
    /// The find box's current match (0: none).
    quint32 foundObject() const { return m_found; }

    // Presentation tools.
    void setBlanked(bool on);
    bool blanked() const { return m_blanked; }
    void setLaser(bool on);
    void setPenMode(bool on);
    bool penMode() const { return m_penMode; }
    void setStrokes(std::vector<viz::Stroke> strokes);
    const std::vector<viz::Stroke>& strokes() const { return m_strokes; }
    void clearStrokes();
    /// Progress indicator drawn at the bottom edge (0..1; negative hides it).
    void setProgress(float fraction);

    /// Number of frames painted so far (tests wait on it).
    int framesPainted() const { return m_framesPainted; }
    /// Whether ImGui wanted the mouse / keyboard during the last frame.
    bool imguiWantsMouse() const;
    bool imguiWantsKeyboard() const;
    /// Where the panel drew the control of parameter `name` in the last frame (logical pixels,
    /// the slider/checkbox/combo frame without its label); empty when not drawn. For tests.
    QRectF paramWidgetRect(const std::string& name) const;

signals:
    /// The user moved a slider/combo in the parameter panel.
    void paramEdited(const std::string& name, const lessons::ParamValue& value);
    /// "Reset" in the parameter panel.
    void paramsReset();
    /// Pen strokes changed (added or cleared).
    void strokesChanged();
    /// Emitted after every painted frame.
    void framePainted();
    /// The object under the cursor changed (0 = none).
    void hoveredChanged(quint32 id);

protected:
    void initializeGL() override;
    void resizeGL(int w, int h) override;
    void paintGL() override;
    bool event(QEvent* e) override;
    void mousePressEvent(QMouseEvent* e) override;
    void mouseMoveEvent(QMouseEvent* e) override;
    void mouseReleaseEvent(QMouseEvent* e) override;
    void mouseDoubleClickEvent(QMouseEvent* e) override;
    void wheelEvent(QWheelEvent* e) override;
    void keyPressEvent(QKeyEvent* e) override;
    void keyReleaseEvent(QKeyEvent* e) override;
    void leaveEvent(QEvent* e) override;

private:
    viz::Vec2 viewSize() const;
    /// What a fit shows: the focus (presenting) or the whole picture.
    viz::Rect fitRect() const;
    /// The camera that shows `r` in the area the overlays leave free.
    viz::Camera fitCamera(const viz::Rect& r) const;
    void easeCameraTo(const viz::Camera& to);
    quint32 pick(QPointF viewPos) const;

    std::unique_ptr<viz::GlRenderer> m_renderer;
    std::unique_ptr<viz::ImGuiBridge> m_imgui;
    viz::Scene m_from, m_target; ///< animation endpoints
    viz::DisplayList m_shown;    ///< what is drawn this frame
    QElapsedTimer m_animClock;
    bool m_animating = false;
    bool m_animationEnabled = true;
    QTimer m_tick;
    QTimer m_zoomSettle; ///< ends a zoom gesture's scaled previews (see zoomGesture)
    viz::Camera m_camera;
    bool m_fitPending = true;
    float m_uiScale = 1.0f;
    ViewportOverlays m_overlays;
    bool m_overlaysVisible = true;
    bool m_blanked = false, m_laser = false, m_penMode = false;
    std::vector<viz::Stroke> m_strokes;
    float m_progress = -1;
    QPointF m_lastMouse, m_cursor;
    bool m_panning = false, m_drawing = false;
    quint32 m_hovered = 0;
    quint32 m_found = 0;      ///< the find box's current match (0: none)
    int m_foundIndex = -1;    ///< its index among the matches
    bool m_focusFind = false; ///< "/" pressed: the find box takes the keyboard
    int m_framesPainted = 0;
    // Helper state of the implementation (not part of the interface above).
    void updateShownList();
    /// A wheel or pinch zoom: previews allowed until the gesture settles, then a sharp frame.
    void zoomGesture();
    void sceneChanged();
    void strokesDirty() { m_strokesDirty = true; }
    bool overImGui(QPointF pos) const;
    std::unique_ptr<viz::GlRenderer> m_strokeRenderer; ///< pen strokes above the scene
    bool m_shownDirty = true, m_strokesDirty = true;
    bool m_autoFit = true;             ///< re-fit on resize until the user moves the camera
    ViewportOverlays::Insets m_insets; ///< overlay strips the fit keeps free
    viz::Camera m_camFrom, m_camTo;    ///< a camera ease in progress
    QElapsedTimer m_camClock;
    bool m_camEasing = false;
    bool m_wholeRequested = false; ///< presenting: F asked for the whole picture
    bool m_glReady = false;
    QElapsedTimer m_frameClock;
};

} // namespace aisys::app
