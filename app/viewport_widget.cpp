// The live viewport: GL scene + ImGui overlays, camera interaction, picking, presentation tools.
#include "app/viewport_widget.h"

#include "viz/animation.h"
#include "viz/export/painter_renderer.h"
#include "viz/gl/gl_renderer.h"
#include "viz/imgui/imgui_bridge.h"
#include "viz/picking.h"

#include <QGuiApplication>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QNativeGestureEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QWheelEvent>
#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace aisys::app {

namespace {

constexpr int kAnimationMs = 300;
constexpr int kCameraEaseMs = 450; ///< presenting: the camera easing to a step's focus
/// Below this zoom the whole picture's 11–14 px labels would be under 5 px: such a picture
/// opens at its focus instead.
constexpr float kReadableZoom = 0.4f;
constexpr int kTickMs = 16;
constexpr int kZoomSettleMs = 150; ///< wheel still this long: draw the zoomed picture sharp
constexpr float kFitMargin = 40.0f;
constexpr float kPresentMargin = 12.0f; ///< presenting: the picture near the free area's edges
constexpr float kPickTolerancePx = 4.0f;

float luminance(const viz::Color& c) {
    return 0.2126f * c.r + 0.7152f * c.g + 0.0722f * c.b;
}

} // namespace

ViewportWidget::ViewportWidget(QWidget* parent) : QOpenGLWidget(parent) {
    setFormat(viz::GlRenderer::surfaceFormat());
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setAttribute(Qt::WA_AcceptTouchEvents, false);
    setMinimumSize(160, 120);
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, qOverload<>(&QWidget::update));
    // A zoom gesture shows the retained picture scaled; once the wheel has been still for
    // kZoomSettleMs the picture is drawn sharp at the new zoom.
    m_zoomSettle.setSingleShot(true);
    m_zoomSettle.setInterval(kZoomSettleMs);
    connect(&m_zoomSettle, &QTimer::timeout, this, [this] {
        if (m_renderer)
            m_renderer->setPreviewAllowed(false);
        update();
    });
    // Headless runs (tests, CLI) show the final picture at once.
    if (QGuiApplication::platformName() == QLatin1String("offscreen"))
        m_animationEnabled = false;
    m_imgui = std::make_unique<viz::ImGuiBridge>();
    m_frameClock.start();
}

ViewportWidget::~ViewportWidget() {
    if (m_glReady && context()) {
        makeCurrent();
        m_renderer.reset();
        m_strokeRenderer.reset();
        m_imgui.reset();
        doneCurrent();
    }
}

void ViewportWidget::initializeGL() {
    m_renderer = std::make_unique<viz::GlRenderer>();
    m_strokeRenderer = std::make_unique<viz::GlRenderer>();
    m_glReady = m_renderer->initialize() && m_strokeRenderer->initialize();
    if (!m_glReady)
        qWarning("AISys Lab viewport: %s", m_renderer->error().c_str());
    if (m_glReady && !m_imgui->initialize())
        qWarning("AISys Lab viewport: the ImGui OpenGL3 backend did not initialise");
    // The context goes away when the widget moves to another window: free GL objects first.
    connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, [this] {
        makeCurrent();
        m_renderer.reset();
        m_strokeRenderer.reset();
        m_imgui = std::make_unique<viz::ImGuiBridge>(); // a fresh one, re-initialised later
        m_glReady = false;
        m_shownDirty = m_strokesDirty = true;
        doneCurrent();
    });
    m_shownDirty = m_strokesDirty = true;
    sceneChanged();
}

void ViewportWidget::resizeGL(int, int) {
    if (m_autoFit && !m_target.list.empty())
        m_fitPending = true;
}

viz::Vec2 ViewportWidget::viewSize() const {
    return {float(width()), float(height())};
}

void ViewportWidget::setScene(viz::Scene scene, bool animate) {
    const bool canAnimate =
        animate && m_animationEnabled && !m_target.list.empty() && isVisible() && !m_fitPending;
    if (canAnimate) {
        // Start from what is on screen (possibly mid-animation).
        m_from.list = m_renderer ? m_renderer->displayList() : m_target.list;
        m_animating = true;
        m_animClock.start();
        m_tick.start();
    } else {
        m_animating = false;
        m_tick.stop();
    }
    const viz::Rect oldFocus = m_target.focus;
    m_target = std::move(scene);
    m_shownDirty = true;
    sceneChanged();
    // Presenting, a step about another region eases the camera there (or back to the whole).
    const viz::Rect& f = m_target.focus;
    const bool focusMoved =
        !(f.x == oldFocus.x && f.y == oldFocus.y && f.w == oldFocus.w && f.h == oldFocus.h);
    if (focusMoved)
        m_wholeRequested = false; // a new region of interest: F asks for the whole again
    if (m_uiScale > 1.01f && focusMoved && !m_fitPending && width() > 0) {
        const viz::Rect r = fitRect();
        if (r.w > 0 || r.h > 0)
            easeCameraTo(fitCamera(r));
        m_autoFit = true;
    } else if (m_uiScale > 1.01f && m_autoFit && !m_fitPending && width() > 0) {
        // Presenting, the same region in a frame whose picture or text size changed: follow
        // the fit (and the text floor) when it moved by more than a few per cent.
        const viz::Rect r = fitRect();
        if (r.w > 0 || r.h > 0) {
            const viz::Camera c = fitCamera(r);
            if (std::abs(c.zoom / m_camera.zoom - 1.0f) > 0.02f)
                easeCameraTo(c);
        }
    }
    update();
}

void ViewportWidget::sceneChanged() {
    // Collect every string ImGui may show so its font atlas has the glyphs (CJK on demand).
    m_imgui->requireText(m_target.caption);
    for (const auto& e : m_target.legend)
        m_imgui->requireText(e.label);
    for (const auto& [id, info] : m_target.objects) {
        m_imgui->requireText(info.title);
        for (const auto& f : info.facts) {
            m_imgui->requireText(f.label);
            m_imgui->requireText(f.value);
        }
    }
    for (const auto& s : m_overlays.specs()) {
        m_imgui->requireText(s.label.en);
        m_imgui->requireText(s.label.zh);
        for (const auto& c : s.choices)
            m_imgui->requireText(c);
    }
    m_imgui->requireText("参数重置图例");
    m_imgui->requireText("查找节点或算子（/）"); // the find box's hint
    m_imgui->requireText(tr("no match").toStdString());
    m_imgui->setDarkTheme(luminance(m_target.background) < 0.5f);
}

void ViewportWidget::setParamPanel(std::vector<lessons::ParamSpec> specs,
                                   lessons::ParamSet values) {
    m_overlays.setParams(std::move(specs), std::move(values));
    sceneChanged();
    update();
}

void ViewportWidget::setLanguage(lessons::Lang lang) {
    m_overlays.setLanguage(lang);
    update();
}

void ViewportWidget::setUiScale(float scale) {
    scale = std::clamp(scale, 0.5f, 4.0f);
    // Presenting (a large scale): the parameter panel starts folded so the picture gets the
    // screen; back at normal scale it unfolds again.
    m_overlays.scaleChanged(m_uiScale, scale);
    m_uiScale = scale;
    update();
}

void ViewportWidget::setOverlaysVisible(bool on) {
    m_overlaysVisible = on;
    update();
}

viz::Rect ViewportWidget::fitRect() const {
    // Presenting, a frame with a focus shows that region (unless the whole was asked for).
    if (m_uiScale > 1.01f && !m_wholeRequested && !m_target.focus.empty())
        return m_target.focus;
    viz::Rect r = viz::measuredBounds(m_target.list);
    if (r.empty() && !m_target.list.empty())
        r = m_target.list.bounds();
    // A picture too large to read whole (a real model's graph) opens at its focus — its
    // inputs and first layers — unless the whole was asked for (F).
    if (!m_wholeRequested && !m_target.focus.empty() && !r.empty() &&
        fitCamera(r).zoom < kReadableZoom)
        return m_target.focus;
    return r;
}

viz::Camera ViewportWidget::fitCamera(const viz::Rect& r) const {
    // Fit into the area the overlays leave free: below the caption strip, above the legend
    // row, and either beside or below the parameter panel — whichever shows the picture
    // larger for its aspect ratio.
    const viz::Vec2 view = viewSize();
    const float top = std::min(m_insets.captionH, view.y * 0.3f);
    const float bottom = std::min(m_insets.legendH, view.y * 0.2f);
    // Presenting, the folded panel floats over the picture: the fit ignores it (and centres),
    // and the picture goes close to the edges of the free area.
    const bool presenting = m_uiScale > 1.01f;
    const float margin = presenting ? kPresentMargin : kFitMargin;
    auto zoomFor = [&](float w, float h) {
        return std::min((w - 2 * margin) / std::max(r.w, 1e-3f),
                        (h - 2 * margin) / std::max(r.h, 1e-3f));
    };
    float left = 0, top2 = top;
    if (m_insets.panel.x > 0 && !presenting) {
        const float beside = std::min(m_insets.panel.x, view.x * 0.45f);
        const float below = std::min(m_insets.panel.y, view.y * 0.4f);
        if (zoomFor(view.x - beside, view.y - top - bottom) >=
            zoomFor(view.x, view.y - top - below - bottom))
            left = beside;
        else
            top2 = top + below;
    }
    viz::Camera c = m_camera;
    const viz::Vec2 area{view.x - left, view.y - top2 - bottom};
    c.fit(r, area, margin);
    if (presenting && !m_wholeRequested) {
        // The text floor: zoom so the region's body text is readable, centred on the region (a
        // Lab names the part a frame is about as its focus, so that is what stays in view).
        const float body = bodyTextSize(m_target.list, r);
        // Per 720 px of the screen (the window, full-screen), not of the viewport's share.
        const float screenH = float(window() ? window()->height() : height());
        const float floorZoom =
            body > 0 ? float(kPictureTextPxPer720 * screenH / 720.0) / body * 1.001f : 0.0f;
        if (c.zoom < floorZoom) {
            c.zoom = std::min(floorZoom, viz::Camera::kMaxZoom); // centred on the region
        }
    }
    c.center.x -= left / 2 / c.zoom;
    c.center.y -= (top2 - bottom) / 2 / c.zoom;
    return c;
}

float ViewportWidget::bodyTextSize(const viz::DisplayList& list, const viz::Rect& r) {
    std::vector<float> sizes;
    for (const viz::Prim& p : list.prims)
        if (p.kind == viz::PrimKind::Text && !p.text.empty() && !p.pts.empty() &&
            p.pts[0].x >= r.x - 1 && p.pts[0].x <= r.x + r.w + 1 && p.pts[0].y >= r.y - 1 &&
            p.pts[0].y <= r.y + r.h + 1)
            sizes.push_back(p.fontSize);
    if (sizes.empty())
        return 0;
    const auto k = sizes.begin() + std::ptrdiff_t(sizes.size() / 2);
    std::nth_element(sizes.begin(), k, sizes.end());
    return *k;
}

void ViewportWidget::fitToView() {
    if (width() <= 0 || height() <= 0)
        return;
    const viz::Rect r = fitRect();
    if (r.w <= 0 && r.h <= 0)
        return;
    m_camera = fitCamera(r);
    m_camEasing = false;
    m_autoFit = true;
    m_fitPending = false;
    update();
}

void ViewportWidget::easeCameraTo(const viz::Camera& to) {
    if (!m_animationEnabled || !isVisible()) {
        m_camera = to;
        update();
        return;
    }
    m_camFrom = m_camera;
    m_camTo = to;
    m_camEasing = true;
    m_camClock.start();
    m_tick.start();
}

void ViewportWidget::showWhole() {
    m_wholeRequested = true;
    const viz::Rect r = fitRect();
    if (r.w > 0 || r.h > 0)
        easeCameraTo(fitCamera(r));
    m_autoFit = true;
}

void ViewportWidget::setBlanked(bool on) {
    m_blanked = on;
    update();
}

void ViewportWidget::setLaser(bool on) {
    m_laser = on;
    setCursor(on ? Qt::BlankCursor : (m_penMode ? Qt::CrossCursor : Qt::ArrowCursor));
    update();
}

void ViewportWidget::setPenMode(bool on) {
    m_penMode = on;
    m_drawing = false;
    if (!m_laser)
        setCursor(on ? Qt::CrossCursor : Qt::ArrowCursor);
    update();
}

void ViewportWidget::setStrokes(std::vector<viz::Stroke> strokes) {
    m_strokes = std::move(strokes);
    m_drawing = false;
    strokesDirty();
    update();
}

void ViewportWidget::clearStrokes() {
    if (m_strokes.empty())
        return;
    m_strokes.clear();
    m_drawing = false;
    strokesDirty();
    emit strokesChanged();
    update();
}

void ViewportWidget::setProgress(float fraction) {
    m_progress = fraction;
    update();
}

bool ViewportWidget::imguiWantsMouse() const {
    return m_imgui && m_imgui->wantsMouse();
}
bool ViewportWidget::imguiWantsKeyboard() const {
    return m_imgui && m_imgui->wantsKeyboard();
}

QRectF ViewportWidget::paramWidgetRect(const std::string& name) const {
    return m_overlays.paramRect(name);
}

bool ViewportWidget::overImGui(QPointF pos) const {
    return m_glReady && m_imgui && (m_imgui->wantsMouse() || m_imgui->isOverWindow(pos));
}

void ViewportWidget::updateShownList() {
    // 0. A camera move in progress (focus changes while presenting), eased.
    if (m_camEasing) {
        const float t = float(m_camClock.elapsed()) / float(kCameraEaseMs);
        if (t >= 1.0f) {
            m_camera = m_camTo;
            m_camEasing = false;
            if (!m_animating)
                m_tick.stop();
        } else {
            const float e = viz::easeInOut(t);
            m_camera.center = m_camFrom.center + (m_camTo.center - m_camFrom.center) * e;
            m_camera.zoom = m_camFrom.zoom * std::pow(m_camTo.zoom / m_camFrom.zoom, e);
        }
    }
    // 1. Advance the animation (eased), or show the target.
    if (m_animating) {
        const float t = float(m_animClock.elapsed()) / float(kAnimationMs);
        if (t >= 1.0f) {
            m_animating = false;
            if (!m_camEasing)
                m_tick.stop();
            m_shownDirty = true;
        } else {
            m_renderer->setDisplayList(
                viz::interpolate(m_from.list, m_target.list, viz::easeInOut(t)));
            m_shownDirty = false;
        }
    }
    if (m_shownDirty) {
        m_renderer->setDisplayList(m_target.list);
        m_shownDirty = false;
    }
    // 2. Pen strokes live in their own small list above the scene.
    if (m_strokesDirty) {
        viz::DisplayList strokes;
        viz::appendStrokes(strokes, m_strokes);
        m_strokeRenderer->setDisplayList(std::move(strokes));
        m_strokesDirty = false;
    }
}

void ViewportWidget::paintGL() {
    const float dpr = float(devicePixelRatioF());
    const viz::Vec2 view = viewSize();
    QOpenGLFunctions* f = context()->functions();
    if (!m_glReady) {
        f->glClearColor(0.5f, 0.5f, 0.5f, 1);
        f->glClear(GL_COLOR_BUFFER_BIT);
        ++m_framesPainted;
        emit framePainted();
        return;
    }
    if (m_blanked) {
        f->glClearColor(0, 0, 0, 1);
        f->glClear(GL_COLOR_BUFFER_BIT);
        ++m_framesPainted;
        emit framePainted();
        return;
    }
    if (m_fitPending && !m_target.list.empty())
        fitToView();
    updateShownList();
    m_renderer->render(m_camera, view, dpr, m_target.background);
    m_strokeRenderer->draw(m_camera, view, dpr);

    const double dt = double(m_frameClock.restart()) / 1000.0;
    m_imgui->newFrame(view, dpr, m_uiScale, dt);
    ViewportOverlays::Frame frame;
    frame.view = view;
    frame.scale = m_uiScale;
    frame.scene = &m_target;
    frame.visible = m_overlaysVisible;
    frame.hovered = m_hovered;
    frame.inspect = !m_panning && !m_drawing;
    frame.progress = m_progress;
    frame.laser = m_laser && rect().contains(m_cursor.toPoint());
    frame.cursor = m_cursor;
    frame.focusFind = m_focusFind;
    m_focusFind = false;
    {
        // The overview, when the whole picture would be unreadably small in this view.
        viz::Rect whole = viz::measuredBounds(m_target.list);
        if (whole.empty() && !m_target.list.empty())
            whole = m_target.list.bounds();
        if (!whole.empty() && fitCamera(whole).zoom < kReadableZoom) {
            frame.overviewBounds = whole;
            const viz::Vec2 a = m_camera.toScene({0, 0}, view);
            const viz::Vec2 c = m_camera.toScene(view, view);
            frame.overviewVisible = {a.x, a.y, c.x - a.x, c.y - a.y};
        }
    }
    if (m_found != 0) {
        // The match's box on screen (scene → view pixels).
        viz::Rect b;
        for (const auto& p : m_target.list.prims)
            if (p.id == m_found && p.kind == viz::PrimKind::Box)
                b = b.empty() ? p.rect : b.united(p.rect);
        if (!b.empty()) {
            const viz::Vec2 a = m_camera.toView({b.x, b.y}, view);
            const viz::Vec2 c = m_camera.toView({b.x + b.w, b.y + b.h}, view);
            frame.found = QRectF(QPointF(a.x, a.y), QPointF(c.x, c.y));
        }
    }
    const ViewportOverlays::Insets insets = m_overlays.draw(frame);
    m_imgui->render();
    // Re-fit while the camera is automatic and the free area changed (first frames, panel
    // collapsed or expanded, language switched).
    if (insets.differs(m_insets)) {
        m_insets = insets;
        if (m_autoFit) {
            m_fitPending = true;
            update();
        }
    }

    ++m_framesPainted;
    emit framePainted();
    // Signals last: listeners may call setScene() etc. from their slots.
    if (auto q = m_overlays.takeFind())
        find(q->query, q->next);
    if (auto at = m_overlays.takeOverviewJump()) {
        m_camera.center = *at; // a click or drag in the overview
        m_camEasing = false;
        m_autoFit = false;
        update();
    }
    for (const auto& [name, value] : m_overlays.takeEdits())
        emit paramEdited(name, value);
    if (m_overlays.takeReset())
        emit paramsReset();
}

void ViewportWidget::find(const std::string& query, bool next) {
    // 1. Matches: objects whose title contains the query, case-insensitively, in id order.
    // 2. The first (or next) one: centred at a readable zoom (at least 1), outlined.
    auto lower = [](std::string s) {
        for (auto& ch : s)
            ch = char(std::tolower(static_cast<unsigned char>(ch)));
        return s;
    };
    const std::string q = lower(query);
    std::vector<quint32> matches;
    if (!q.empty())
        for (const auto& [id, info] : m_target.objects)
            if (lower(info.title).find(q) != std::string::npos)
                matches.push_back(id);
    if (matches.empty()) {
        m_found = 0;
        m_foundIndex = -1;
        m_overlays.setFindStatus(q.empty() ? "" : tr("no match").toStdString());
        update();
        return;
    }
    m_foundIndex = next && m_foundIndex >= 0 ? (m_foundIndex + 1) % int(matches.size()) : 0;
    m_found = matches[std::size_t(m_foundIndex)];
    m_overlays.setFindStatus(std::to_string(m_foundIndex + 1) + " / " +
                             std::to_string(matches.size()));
    viz::Rect b;
    for (const auto& p : m_target.list.prims)
        if (p.id == m_found && (p.kind == viz::PrimKind::Box || p.kind == viz::PrimKind::Text)) {
            const viz::Rect r =
                p.kind == viz::PrimKind::Box ? p.rect : viz::Rect{p.pts[0].x, p.pts[0].y, 1, 1};
            b = b.empty() ? r : b.united(r);
        }
    if (!b.empty()) {
        viz::Camera to = m_camera;
        to.center = {b.x + b.w / 2, b.y + b.h / 2};
        to.zoom = std::max(m_camera.zoom, 1.0f);
        m_autoFit = false;
        easeCameraTo(to);
    }
    update();
}

quint32 ViewportWidget::pick(QPointF viewPos) const {
    const viz::Vec2 p = m_camera.toScene({float(viewPos.x()), float(viewPos.y())}, viewSize());
    return viz::pickAt(m_target.list, p, kPickTolerancePx / m_camera.zoom);
}

bool ViewportWidget::event(QEvent* e) {
    switch (e->type()) {
    case QEvent::ShortcutOverride:
        // While an ImGui widget has the keyboard, window shortcuts must not steal its keys.
        if (m_glReady && m_imgui->wantsKeyboard()) {
            e->accept();
            return true;
        }
        break;
    case QEvent::FocusOut:
        m_imgui->focusOut();
        update();
        break;
    case QEvent::NativeGesture: {
        auto* g = static_cast<QNativeGestureEvent*>(e);
        if (g->gestureType() == Qt::ZoomNativeGesture) {
            const QPointF pos = g->position();
            m_camera.zoomAt({float(pos.x()), float(pos.y())}, viewSize(), 1.0f + float(g->value()));
            m_autoFit = false;
            zoomGesture();
            return true;
        }
        if (g->gestureType() == Qt::SmartZoomNativeGesture) {
            fitToView();
            return true;
        }
        break;
    }
    default:
        break;
    }
    return QOpenGLWidget::event(e);
}

void ViewportWidget::mousePressEvent(QMouseEvent* e) {
    const QPointF pos = e->position();
    m_lastMouse = m_cursor = pos;
    const bool imguiTakes = overImGui(pos);
    m_imgui->mouseEvent(e);
    if (!imguiTakes) {
        if (e->button() == Qt::LeftButton && m_penMode) {
            m_drawing = true;
            viz::Stroke stroke;
            stroke.width = 3.0f / m_camera.zoom;
            stroke.pts.push_back(m_camera.toScene({float(pos.x()), float(pos.y())}, viewSize()));
            m_strokes.push_back(std::move(stroke));
            strokesDirty();
        } else if (e->button() == Qt::LeftButton || e->button() == Qt::MiddleButton) {
            m_panning = true;
            setCursor(Qt::ClosedHandCursor);
        }
    }
    update();
}

void ViewportWidget::mouseMoveEvent(QMouseEvent* e) {
    const QPointF pos = e->position();
    const QPointF delta = pos - m_lastMouse;
    m_lastMouse = m_cursor = pos;
    m_imgui->mouseEvent(e);
    if (m_panning) {
        m_camera.panBy({float(delta.x()), float(delta.y())});
        m_autoFit = false;
    } else if (m_drawing && !m_strokes.empty()) {
        const viz::Vec2 p = m_camera.toScene({float(pos.x()), float(pos.y())}, viewSize());
        const viz::Vec2 last = m_strokes.back().pts.back();
        const viz::Vec2 d = p - last;
        if (std::sqrt(d.x * d.x + d.y * d.y) * m_camera.zoom >= 1.5f) {
            m_strokes.back().pts.push_back(p);
            strokesDirty();
        }
    } else if (e->buttons() == Qt::NoButton) {
        const quint32 id = overImGui(pos) ? 0 : pick(pos);
        if (id != m_hovered) {
            m_hovered = id;
            emit hoveredChanged(id);
        }
    }
    update();
}

void ViewportWidget::mouseReleaseEvent(QMouseEvent* e) {
    m_imgui->mouseEvent(e);
    if (m_panning && (e->button() == Qt::LeftButton || e->button() == Qt::MiddleButton)) {
        m_panning = false;
        setCursor(m_laser ? Qt::BlankCursor : (m_penMode ? Qt::CrossCursor : Qt::ArrowCursor));
    }
    if (m_drawing && e->button() == Qt::LeftButton) {
        m_drawing = false;
        emit strokesChanged();
    }
    update();
}

void ViewportWidget::mouseDoubleClickEvent(QMouseEvent* e) {
    const bool imguiTakes = overImGui(e->position());
    m_imgui->mouseEvent(e);
    if (!imguiTakes && !m_penMode && e->button() == Qt::LeftButton) {
        m_panning = false;
        fitToView();
    }
    update();
}

void ViewportWidget::wheelEvent(QWheelEvent* e) {
    if (m_imgui->wheelEvent(e)) {
        update();
        return;
    }
    const QPointF pos = e->position();
    const QPoint pixels = e->pixelDelta();
    const float steps = pixels.isNull() ? float(e->angleDelta().y()) : float(pixels.y()) * 4.0f;
    m_camera.zoomAt({float(pos.x()), float(pos.y())}, viewSize(), std::pow(1.0015f, steps));
    m_autoFit = false;
    zoomGesture();
}

void ViewportWidget::zoomGesture() {
    if (m_renderer)
        m_renderer->setPreviewAllowed(true);
    m_zoomSettle.start();
    update();
}

void ViewportWidget::keyPressEvent(QKeyEvent* e) {
    if (m_glReady && m_imgui->keyEvent(e)) {
        update();
        return;
    }
    if (e->key() == Qt::Key_Slash && m_target.objects.size() >= ViewportOverlays::kFindMinObjects) {
        m_focusFind = true; // "/" — find a node, as in a browser or vi
        update();
        return;
    }
    if (e->key() == Qt::Key_F || e->key() == Qt::Key_0) {
        // The whole picture (presenting, → goes on to the next step's focus; a large graph
        // opened at its inputs shows all of it).
        showWhole();
        return;
    }
    update();
    QOpenGLWidget::keyPressEvent(e);
}

void ViewportWidget::keyReleaseEvent(QKeyEvent* e) {
    if (m_glReady && m_imgui->keyEvent(e)) {
        update();
        return;
    }
    QOpenGLWidget::keyReleaseEvent(e);
}

void ViewportWidget::leaveEvent(QEvent* e) {
    m_imgui->mouseLeft();
    m_cursor = QPointF(-1e6, -1e6);
    if (m_hovered != 0) {
        m_hovered = 0;
        emit hoveredChanged(0);
    }
    update();
    QOpenGLWidget::leaveEvent(e);
}

} // namespace aisys::app
