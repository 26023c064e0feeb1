// The live viewport: GL scene + ImGui overlays, camera interaction, picking, presentation tools.
#include "app/viewport_widget.h"

#include "lessons/common/draw_helpers.h"

#include "viz/animation.h"
#include "viz/gl_renderer.h"
#include "viz/imgui_bridge.h"
#include "viz/painter_renderer.h"

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
constexpr int kTickMs = 16;
constexpr int kZoomSettleMs = 150; ///< wheel still this long: draw the zoomed picture sharp
constexpr float kFitMargin = 40.0f;
constexpr float kPickTolerancePx = 4.0f;

ImVec4 imColor(const viz::Color& c) {
    return {c.r, c.g, c.b, c.a};
}

float luminance(const viz::Color& c) {
    return 0.2126f * c.r + 0.7152f * c.g + 0.0722f * c.b;
}

float distanceToSegment(viz::Vec2 p, viz::Vec2 a, viz::Vec2 b) {
    const viz::Vec2 ab = b - a, ap = p - a;
    const float len2 = ab.x * ab.x + ab.y * ab.y;
    const float t = len2 > 0 ? std::clamp((ap.x * ab.x + ap.y * ab.y) / len2, 0.0f, 1.0f) : 0.0f;
    const viz::Vec2 d = p - (a + ab * t);
    return std::sqrt(d.x * d.x + d.y * d.y);
}

float distanceToPolyline(viz::Vec2 p, const std::vector<viz::Vec2>& pts, bool closed) {
    float best = std::numeric_limits<float>::max();
    for (std::size_t i = 0; i + 1 < pts.size(); ++i)
        best = std::min(best, distanceToSegment(p, pts[i], pts[i + 1]));
    if (closed && pts.size() > 2)
        best = std::min(best, distanceToSegment(p, pts.back(), pts.front()));
    return best;
}

bool insidePolygon(viz::Vec2 p, const std::vector<viz::Vec2>& poly) {
    bool inside = false;
    for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
        const viz::Vec2 a = poly[i], b = poly[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
            inside = !inside;
    }
    return inside;
}

/// Whether scene point `p` hits primitive `q` (tolerance `tol` in scene units for strokes).
bool hits(const viz::Prim& q, viz::Vec2 p, float tol) {
    using viz::PrimKind;
    switch (q.kind) {
    case PrimKind::Box:
    case PrimKind::HeatCell:
        return q.rect.adjusted(q.strokeWidth / 2).contains(p);
    case PrimKind::Text:
        return viz::textRect(q).contains(p);
    case PrimKind::Line:
    case PrimKind::Polyline:
    case PrimKind::Arrow:
        if (q.closed && q.fill.visible() && q.pts.size() > 2 && insidePolygon(p, q.pts))
            return true;
        return distanceToPolyline(p, q.pts, q.closed) <= q.strokeWidth / 2 + tol;
    case PrimKind::Circle: {
        if (q.pts.empty())
            return false;
        const viz::Vec2 d = p - q.pts[0];
        return std::sqrt(d.x * d.x + d.y * d.y) <= q.radius + q.strokeWidth / 2 + tol;
    }
    case PrimKind::Hull:
        return q.pts.size() > 0 && insidePolygon(p, viz::paddedHullOutline(q.pts, q.radius));
    }
    return false;
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
    m_target = std::move(scene);
    m_shownDirty = true;
    sceneChanged();
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
    for (const auto& s : m_specs) {
        m_imgui->requireText(s.label.en);
        m_imgui->requireText(s.label.zh);
        for (const auto& c : s.choices)
            m_imgui->requireText(c);
    }
    m_imgui->requireText("参数重置图例");
    m_imgui->setDarkTheme(luminance(m_target.background) < 0.5f);
}

void ViewportWidget::setParamPanel(std::vector<lessons::ParamSpec> specs,
                                   lessons::ParamSet values) {
    // A new Lab whose panel would cover much of the picture starts folded (click its title to
    // unfold it); the same Lab keeps whatever the user chose.
    bool sameLab = specs.size() == m_specs.size();
    for (std::size_t i = 0; sameLab && i < specs.size(); ++i)
        sameLab = specs[i].name == m_specs[i].name;
    if (!sameLab)
        m_panelFold = PanelFold::Auto; // decided at the next frame, when the size is known
    m_specs = std::move(specs);
    m_values = std::move(values);
    sceneChanged();
    update();
}

void ViewportWidget::setLanguage(lessons::Lang lang) {
    m_lang = lang;
    update();
}

void ViewportWidget::setUiScale(float scale) {
    scale = std::clamp(scale, 0.5f, 4.0f);
    // Presenting (a large scale): start with the parameter panel folded so the picture gets
    // the screen; back at normal scale, unfold it again.
    if (scale > 1.01f && m_uiScale <= 1.01f)
        m_panelFold = PanelFold::Collapse;
    else if (scale <= 1.01f && m_uiScale > 1.01f)
        m_panelFold = PanelFold::Expand;
    m_uiScale = scale;
    update();
}

void ViewportWidget::setOverlaysVisible(bool on) {
    m_overlays = on;
    update();
}

void ViewportWidget::fitToView() {
    if (width() <= 0 || height() <= 0)
        return;
    viz::Rect r = viz::measuredBounds(m_target.list);
    if (r.empty() && !m_target.list.empty())
        r = m_target.list.bounds();
    if (r.w <= 0 && r.h <= 0)
        return;
    // Fit into the area the overlays leave free: below the caption strip, above the legend
    // row, and either beside or below the parameter panel — whichever shows the picture
    // larger for its aspect ratio.
    const viz::Vec2 view = viewSize();
    const float top = std::min(m_captionH, view.y * 0.3f);
    const float bottom = std::min(m_legendH, view.y * 0.2f);
    auto zoomFor = [&](float w, float h) {
        return std::min((w - 2 * kFitMargin) / std::max(r.w, 1e-3f),
                        (h - 2 * kFitMargin) / std::max(r.h, 1e-3f));
    };
    float left = 0, top2 = top;
    if (m_panel.x > 0) {
        const float beside = std::min(m_panel.x, view.x * 0.45f);
        const float below = std::min(m_panel.y, view.y * 0.4f);
        if (zoomFor(view.x - beside, view.y - top - bottom) >=
            zoomFor(view.x, view.y - top - below - bottom))
            left = beside;
        else
            top2 = top + below;
    }
    m_camera.fit(r, {view.x - left, view.y - top2 - bottom}, kFitMargin);
    m_camera.center.x -= left / 2 / m_camera.zoom;
    m_camera.center.y -= (top2 - bottom) / 2 / m_camera.zoom;
    m_autoFit = true;
    m_fitPending = false;
    update();
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
    auto it = m_paramRects.find(name);
    return it == m_paramRects.end() ? QRectF() : it->second;
}

bool ViewportWidget::overImGui(QPointF pos) const {
    return m_glReady && m_imgui && (m_imgui->wantsMouse() || m_imgui->isOverWindow(pos));
}

void ViewportWidget::updateShownList() {
    // 1. Advance the animation (eased), or show the target.
    if (m_animating) {
        const float t = float(m_animClock.elapsed()) / float(kAnimationMs);
        if (t >= 1.0f) {
            m_animating = false;
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
    drawOverlays();
    m_imgui->render();

    ++m_framesPainted;
    emit framePainted();
    // Signals last: listeners may call setScene() etc. from their slots.
    auto edits = std::move(m_pendingEdits);
    m_pendingEdits.clear();
    for (const auto& [name, value] : edits)
        emit paramEdited(name, value);
    if (m_pendingReset) {
        m_pendingReset = false;
        emit paramsReset();
    }
}

void ViewportWidget::drawValuePlots(const viz::ObjectInfo& info, bool dark) {
    const float s = m_uiScale;
    // 1. Histogram of the tensor's values.
    if (!info.histogram.empty()) {
        ImGui::Separator();
        float top = *std::max_element(info.histogram.begin(), info.histogram.end());
        const std::string range =
            lessons::fmtNum(info.histMin, 3) + " … " + lessons::fmtNum(info.histMax, 3);
        ImGui::PlotHistogram("##hist", info.histogram.data(), int(info.histogram.size()), 0,
                             range.c_str(), 0.0f, top * 1.05f, ImVec2(240 * s, 60 * s));
    }
    // 2. A 2-D slice as a heat map (blue negative, red positive), cells at most 12 px.
    if (!info.heat.empty() && info.heatRows > 0 && info.heatCols > 0) {
        ImGui::Separator();
        if (!info.heatLabel.empty())
            ImGui::TextDisabled("%s", info.heatLabel.c_str());
        float maxAbs = 0;
        for (float v : info.heat)
            maxAbs = std::max(maxAbs, std::abs(v));
        const float cell =
            std::clamp(240 * s / float(std::max(info.heatRows, info.heatCols)), 1.0f, 12 * s);
        const ImVec2 p0 = ImGui::GetCursorScreenPos();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const auto theme = dark ? viz::Theme::Dark : viz::Theme::Light;
        for (int r = 0; r < info.heatRows; ++r)
            for (int c = 0; c < info.heatCols; ++c) {
                const viz::Color col = lessons::divergingColor(
                    info.heat[std::size_t(r) * info.heatCols + c], maxAbs, theme);
                const ImVec2 a(p0.x + c * cell, p0.y + r * cell);
                dl->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell),
                                  ImGui::ColorConvertFloat4ToU32(imColor(col)));
            }
        ImGui::Dummy(ImVec2(cell * info.heatCols, cell * info.heatRows));
    }
}

void ViewportWidget::drawOverlays() {
    using lessons::tr2;
    const float s = m_uiScale;
    const viz::Vec2 view = viewSize();
    const bool dark = luminance(m_target.background) < 0.5f;
    constexpr ImGuiWindowFlags kPanel = ImGuiWindowFlags_AlwaysAutoResize |
                                        ImGuiWindowFlags_NoSavedSettings |
                                        ImGuiWindowFlags_NoFocusOnAppearing;
    m_paramRects.clear();

    // Caption: a full-width strip at the top that ignores the mouse.
    float captionH = 0;
    if (!m_target.caption.empty()) {
        ImGui::SetNextWindowPos(ImVec2(0, 0), ImGuiCond_Always);
        ImGui::SetNextWindowSize(ImVec2(view.x, 0), ImGuiCond_Always);
        ImGui::SetNextWindowBgAlpha(0.9f);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12 * s, 7 * s));
        ImGui::Begin("##caption", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                         ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
        ImGui::PushTextWrapPos(view.x - 12 * s);
        ImGui::TextUnformatted(m_target.caption.c_str());
        ImGui::PopTextWrapPos();
        captionH = ImGui::GetWindowSize().y;
        ImGui::End();
        ImGui::PopStyleVar(2);
    }
    viz::Vec2 panel{0, 0};
    float legendH = 0;

    if (m_overlays && !m_specs.empty()) {
        ImGui::SetNextWindowPos(ImVec2(10 * s, captionH + 10 * s), ImGuiCond_Always);
        if (m_panelFold == PanelFold::Auto) // about 26 px per parameter row plus the title
            m_panelFold = (float(m_specs.size()) * 26.0f + 60.0f) * s > 0.45f * view.y
                              ? PanelFold::Collapse
                              : PanelFold::Expand;
        if (m_panelFold != PanelFold::None) {
            ImGui::SetNextWindowCollapsed(m_panelFold == PanelFold::Collapse, ImGuiCond_Always);
            m_panelFold = PanelFold::None;
        }
        const std::string title = std::string(tr2(m_lang, "Parameters", "参数")) + "###params";
        const bool open = ImGui::Begin(title.c_str(), nullptr, kPanel);
        // Space the picture keeps free for the panel (see fitToView).
        const ImVec2 panelSize = ImGui::GetWindowSize();
        panel = {panelSize.x + 20 * s, panelSize.y + 10 * s};
        if (open) {
            const float width = 180 * s;
            for (const auto& spec : m_specs) {
                const std::string& label0 = spec.label.get(m_lang);
                const std::string label = (label0.empty() ? spec.name : label0) + "##" + spec.name;
                ImGui::SetNextItemWidth(width);
                bool changed = false;
                lessons::ParamValue value;
                switch (spec.type) {
                case lessons::ParamType::Int: {
                    const auto def = std::holds_alternative<std::int64_t>(spec.def)
                                         ? std::get<std::int64_t>(spec.def)
                                         : std::int64_t(spec.min);
                    int v = int(m_values.getInt(spec.name, def));
                    changed = ImGui::SliderInt(label.c_str(), &v, int(spec.min), int(spec.max),
                                               "%d", ImGuiSliderFlags_AlwaysClamp);
                    value = std::int64_t(v);
                    break;
                }
                case lessons::ParamType::Float: {
                    const double def = std::holds_alternative<double>(spec.def)
                                           ? std::get<double>(spec.def)
                                           : spec.min;
                    float v = float(m_values.getFloat(spec.name, def));
                    changed =
                        ImGui::SliderFloat(label.c_str(), &v, float(spec.min), float(spec.max),
                                           "%.3g", ImGuiSliderFlags_AlwaysClamp);
                    value = double(v);
                    break;
                }
                case lessons::ParamType::Bool: {
                    const bool def =
                        std::holds_alternative<bool>(spec.def) && std::get<bool>(spec.def);
                    bool v = m_values.getBool(spec.name, def);
                    changed = ImGui::Checkbox(label.c_str(), &v);
                    value = v;
                    break;
                }
                case lessons::ParamType::Text: {
                    // Read-only (a model path): the file name, the full value on hover.
                    const std::string v = m_values.getString(spec.name);
                    const auto slash = v.find_last_of('/');
                    ImGui::TextUnformatted(
                        (label0 + ": " + (slash == std::string::npos ? v : v.substr(slash + 1)))
                            .c_str());
                    if (ImGui::IsItemHovered())
                        ImGui::SetTooltip("%s", v.c_str());
                    continue;
                }
                case lessons::ParamType::Choice: {
                    const std::string def = std::holds_alternative<std::string>(spec.def)
                                                ? std::get<std::string>(spec.def)
                                                : std::string();
                    std::string v = m_values.getString(spec.name, def);
                    if (ImGui::BeginCombo(label.c_str(), v.c_str())) {
                        for (const auto& c : spec.choices) {
                            const bool selected = c == v;
                            if (ImGui::Selectable(c.c_str(), selected) && !selected) {
                                v = c;
                                changed = true;
                            }
                            if (selected)
                                ImGui::SetItemDefaultFocus();
                        }
                        ImGui::EndCombo();
                    }
                    value = v;
                    break;
                }
                }
                const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
                const float w = spec.type == lessons::ParamType::Bool ? b.y - a.y : width;
                m_paramRects[spec.name] = QRectF(a.x, a.y, w, b.y - a.y);
                if (changed) {
                    m_values.set(spec.name, value);
                    m_pendingEdits.emplace_back(spec.name, value);
                }
            }
            ImGui::Spacing();
            if (ImGui::Button(tr2(m_lang, "Reset", "重置")))
                m_pendingReset = true;
        }
        ImGui::End();
    }

    // Legend: one centred row (wrapping when narrow) along the bottom edge.
    if (m_overlays && !m_target.legend.empty()) {
        ImGui::SetNextWindowPos(ImVec2(view.x / 2, view.y - 8 * s), ImGuiCond_Always,
                                ImVec2(0.5f, 1));
        ImGui::SetNextWindowBgAlpha(0.85f);
        ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(view.x - 20 * s, FLT_MAX));
        if (ImGui::Begin("##legend", nullptr, kPanel | ImGuiWindowFlags_NoTitleBar)) {
            const float sw = ImGui::GetTextLineHeight() * 0.8f;
            const float maxX = ImGui::GetWindowPos().x + view.x - 40 * s;
            for (std::size_t i = 0; i < m_target.legend.size(); ++i) {
                const auto& e = m_target.legend[i];
                const float w =
                    sw + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(e.label.c_str()).x;
                if (i > 0) {
                    ImGui::SameLine(0, 18 * s);
                    if (ImGui::GetCursorScreenPos().x + w > maxX)
                        ImGui::NewLine();
                }
                const ImVec2 p = ImGui::GetCursorScreenPos();
                const float pad = (ImGui::GetTextLineHeight() - sw) / 2;
                ImGui::GetWindowDrawList()->AddRectFilled(
                    ImVec2(p.x, p.y + pad), ImVec2(p.x + sw, p.y + pad + sw),
                    ImGui::ColorConvertFloat4ToU32(imColor(e.color)), 2 * s);
                ImGui::GetWindowDrawList()->AddRect(ImVec2(p.x, p.y + pad),
                                                    ImVec2(p.x + sw, p.y + pad + sw),
                                                    ImGui::GetColorU32(ImGuiCol_Border), 2 * s);
                ImGui::Dummy(ImVec2(sw, ImGui::GetTextLineHeight()));
                ImGui::SameLine();
                ImGui::TextUnformatted(e.label.c_str());
            }
            legendH = ImGui::GetWindowSize().y + 8 * s;
        }
        ImGui::End();
    }
    // Re-fit while the camera is automatic and the free area changed (first frames, panel
    // collapsed or expanded, language switched).
    if (std::abs(captionH - m_captionH) > 1 || std::abs(legendH - m_legendH) > 1 ||
        std::abs(panel.x - m_panel.x) > 1 || std::abs(panel.y - m_panel.y) > 1) {
        m_captionH = captionH;
        m_legendH = legendH;
        m_panel = panel;
        if (m_autoFit) {
            m_fitPending = true;
            update();
        }
    }

    // Inspector tooltip for the object under the cursor.
    if (m_overlays && m_hovered != 0 && !ImGui::GetIO().WantCaptureMouse && !m_panning &&
        !m_drawing) {
        auto it = m_target.objects.find(m_hovered);
        if (it != m_target.objects.end()) {
            ImGui::BeginTooltip();
            const ImVec4 accent =
                dark ? ImVec4(0.55f, 0.75f, 1.0f, 1) : ImVec4(0.1f, 0.35f, 0.75f, 1);
            ImGui::TextColored(accent, "%s", it->second.title.c_str());
            if (!it->second.facts.empty()) {
                ImGui::Separator();
                if (ImGui::BeginTable("facts", 2, ImGuiTableFlags_SizingFixedFit)) {
                    for (const auto& fact : it->second.facts) {
                        ImGui::TableNextRow();
                        ImGui::TableNextColumn();
                        ImGui::TextDisabled("%s", fact.label.c_str());
                        ImGui::TableNextColumn();
                        ImGui::TextUnformatted(fact.value.c_str());
                    }
                    ImGui::EndTable();
                }
            }
            drawValuePlots(it->second, dark);
            ImGui::EndTooltip();
        }
    }

    ImDrawList* fg = ImGui::GetForegroundDrawList();
    // Progress bar along the bottom edge.
    if (m_progress >= 0) {
        const float h = 3 * s, y = view.y - h;
        fg->AddRectFilled(ImVec2(0, y), ImVec2(view.x, view.y),
                          dark ? IM_COL32(255, 255, 255, 40) : IM_COL32(0, 0, 0, 30));
        fg->AddRectFilled(ImVec2(0, y), ImVec2(view.x * std::clamp(m_progress, 0.0f, 1.0f), view.y),
                          IM_COL32(59, 130, 246, 230));
    }
    // Laser pointer: a red dot with a soft glow.
    if (m_laser && rect().contains(m_cursor.toPoint())) {
        const ImVec2 c(float(m_cursor.x()), float(m_cursor.y()));
        for (int i = 4; i >= 1; --i)
            fg->AddCircleFilled(c, (4.0f + 4.0f * float(i)) * s,
                                IM_COL32(255, 30, 30, 18 * (5 - i)), 32);
        fg->AddCircleFilled(c, 4.5f * s, IM_COL32(255, 40, 40, 255), 24);
        fg->AddCircleFilled(c, 2.0f * s, IM_COL32(255, 200, 200, 255), 16);
    }
}

quint32 ViewportWidget::pick(QPointF viewPos) const {
    // The topmost hit wins: highest layer, then latest in the list.
    const viz::Vec2 p = m_camera.toScene({float(viewPos.x()), float(viewPos.y())}, viewSize());
    const float tol = kPickTolerancePx / m_camera.zoom;
    quint32 best = 0;
    int bestLayer = std::numeric_limits<int>::min();
    const auto& prims = m_target.list.prims;
    for (std::size_t i = 0; i < prims.size(); ++i) {
        const viz::Prim& q = prims[i];
        if (q.id == 0 || q.layer < bestLayer)
            continue;
        if (hits(q, p, tol)) {
            best = q.id;
            bestLayer = q.layer;
        }
    }
    return best;
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
    if (e->key() == Qt::Key_F || e->key() == Qt::Key_0) {
        fitToView();
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
