// ViewportOverlays: the ImGui overlay windows and foreground marks drawn over the picture.
#include "app/viewport_overlays.h"

#include "lessons/common/draw_helpers.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace aisys::app {

namespace {

ImVec4 imColor(const viz::Color& c) {
    return {c.r, c.g, c.b, c.a};
}

float luminance(const viz::Color& c) {
    return 0.2126f * c.r + 0.7152f * c.g + 0.0722f * c.b;
}

} // namespace

bool ViewportOverlays::Insets::differs(const Insets& o) const {
    return std::abs(captionH - o.captionH) > 1 || std::abs(legendH - o.legendH) > 1 ||
           std::abs(panel.x - o.panel.x) > 1 || std::abs(panel.y - o.panel.y) > 1;
}

void ViewportOverlays::setParams(std::vector<lessons::ParamSpec> specs, lessons::ParamSet values) {
    bool sameLab = specs.size() == m_specs.size();
    for (std::size_t i = 0; sameLab && i < specs.size(); ++i)
        sameLab = specs[i].name == m_specs[i].name;
    if (!sameLab)
        m_panelFold = PanelFold::Auto; // decided at the next frame, when the size is known
    m_specs = std::move(specs);
    m_values = std::move(values);
}

void ViewportOverlays::scaleChanged(float from, float to) {
    if (to > 1.01f && from <= 1.01f)
        m_panelFold = PanelFold::Collapse;
    else if (to <= 1.01f && from > 1.01f)
        m_panelFold = PanelFold::Expand;
}

std::vector<std::pair<std::string, lessons::ParamValue>> ViewportOverlays::takeEdits() {
    auto edits = std::move(m_pendingEdits);
    m_pendingEdits.clear();
    return edits;
}

bool ViewportOverlays::takeReset() {
    return std::exchange(m_pendingReset, false);
}

QRectF ViewportOverlays::paramRect(const std::string& name) const {
    auto it = m_paramRects.find(name);
    return it == m_paramRects.end() ? QRectF() : it->second;
}

void ViewportOverlays::drawValuePlots(const viz::ObjectInfo& info, bool dark, float s) {
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

std::optional<viz::Vec2> ViewportOverlays::takeOverviewJump() {
    auto r = m_pendingJump;
    m_pendingJump.reset();
    return r;
}

std::optional<ViewportOverlays::FindRequest> ViewportOverlays::takeFind() {
    auto r = std::move(m_pendingFind);
    m_pendingFind.reset();
    return r;
}

ViewportOverlays::Insets ViewportOverlays::draw(const Frame& fr) {
    using lessons::tr2;
    const float s = fr.scale;
    const bool presenting = s > 1.01f;
    const viz::Vec2 view = fr.view;
    const viz::Scene& scene = *fr.scene;
    const bool dark = luminance(scene.background) < 0.5f;
    constexpr ImGuiWindowFlags kPanel = ImGuiWindowFlags_AlwaysAutoResize |
                                        ImGuiWindowFlags_NoSavedSettings |
                                        ImGuiWindowFlags_NoFocusOnAppearing;
    m_paramRects.clear();

    // Presenting, the folded parameter button sits at the right end of the caption strip, out
    // of the picture: the caption is at least as tall as the button and wraps before it.
    const bool buttonInCaption = presenting && fr.visible && !m_specs.empty() && m_panelCollapsed;
    const float buttonW = buttonInCaption
                              ? ImGui::CalcTextSize(tr2(m_lang, "Parameters", "参数")).x +
                                    ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 4
                              : 0.0f;
    const float buttonH = buttonInCaption ? ImGui::GetFrameHeight() : 0.0f;
    // Caption: a full-width strip at the top that ignores the mouse.
    float captionH = 0;
    if (!scene.caption.empty()) {
        ImGui::SetNextWindowPos(ImVec2(0, 0), ImGuiCond_Always);
        ImGui::SetNextWindowSize(ImVec2(view.x, 0), ImGuiCond_Always);
        ImGui::SetNextWindowBgAlpha(0.9f);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding,
                            s > 1.01f ? ImVec2(8 * s, 3 * s) : ImVec2(12 * s, 7 * s));
        // As tall as its text: not ImGui's minimum window height, which scales with s.
        ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2(1, 1));
        ImGui::Begin("##caption", nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize |
                         ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoNav);
        if (s > 1.01f)
            ImGui::SetWindowFontScale(0.8f); // presenting: a compact caption line
        ImGui::PushTextWrapPos(view.x - 12 * s - (buttonInCaption ? buttonW + 12 * s : 0.0f));
        ImGui::TextUnformatted(scene.caption.c_str());
        ImGui::PopTextWrapPos();
        if (buttonInCaption && ImGui::GetCursorPosY() < buttonH + 2 * s)
            ImGui::Dummy(ImVec2(1, buttonH + 2 * s - ImGui::GetCursorPosY()));
        captionH = ImGui::GetWindowSize().y;
        ImGui::End();
        ImGui::PopStyleVar(3);
    }
    viz::Vec2 panel{0, 0};
    float legendH = 0;

    if (fr.visible && !m_specs.empty()) {
        if (buttonInCaption)
            ImGui::SetNextWindowPos(ImVec2(view.x - 6 * s, 2 * s), ImGuiCond_Always, ImVec2(1, 0));
        else
            ImGui::SetNextWindowPos(ImVec2(10 * s, captionH + 10 * s), ImGuiCond_Always);
        if (m_panelFold == PanelFold::Auto && s > 1.01f) // presenting: the picture comes first
            m_panelFold = PanelFold::Collapse;
        if (m_panelFold == PanelFold::Auto) // about 26 px per parameter row plus the title
            m_panelFold = (float(m_specs.size()) * 26.0f + 60.0f) * s > 0.45f * view.y
                              ? PanelFold::Collapse
                              : PanelFold::Expand;
        if (m_panelFold != PanelFold::None) {
            ImGui::SetNextWindowCollapsed(m_panelFold == PanelFold::Collapse, ImGuiCond_Always);
            m_panelFold = PanelFold::None;
        }
        const std::string title = std::string(tr2(m_lang, "Parameters", "参数")) + "###params";
        // Folded, the panel is only as wide as its title (an auto-sized window keeps the width
        // of its unfolded content).
        if (m_panelCollapsed)
            ImGui::SetNextWindowSize(
                ImVec2(ImGui::CalcTextSize(tr2(m_lang, "Parameters", "参数")).x +
                           ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 4,
                       0),
                ImGuiCond_Always);
        const bool open =
            ImGui::Begin(title.c_str(), nullptr,
                         m_panelCollapsed ? kPanel & ~ImGuiWindowFlags_AlwaysAutoResize : kPanel);
        m_panelCollapsed = ImGui::IsWindowCollapsed();
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
                    const std::string v = m_values.getString(spec.name);
                    if (!spec.path) {
                        // Editable text (e.g. "N=1, H=224"): applied when Enter is pressed.
                        auto& [source, buf] = m_textEdits[spec.name];
                        if (source != v || buf[0] == '\0') {
                            source = v;
                            buf.fill('\0');
                            v.copy(buf.data(), buf.size() - 1);
                        }
                        if (ImGui::InputText(label.c_str(), buf.data(), buf.size(),
                                             ImGuiInputTextFlags_EnterReturnsTrue)) {
                            value = std::string(buf.data());
                            changed = true;
                        }
                        break;
                    }
                    // Read-only (a model path): the file name, the full value on hover.
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
    if (fr.visible && !scene.legend.empty()) {
        ImGui::SetNextWindowPos(ImVec2(view.x / 2, view.y - 8 * s), ImGuiCond_Always,
                                ImVec2(0.5f, 1));
        ImGui::SetNextWindowBgAlpha(0.85f);
        ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(view.x - 20 * s, FLT_MAX));
        if (s > 1.01f) { // presenting: a thin key (no scaled minimum window height either)
            ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(6 * s, 3 * s));
            ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2(1, 1));
        }
        if (ImGui::Begin("##legend", nullptr, kPanel | ImGuiWindowFlags_NoTitleBar)) {
            // Presenting, the legend is a compact key: smaller than the picture's own labels
            // would make it dominate (it explains the picture, it is not the picture).
            if (s > 1.01f)
                ImGui::SetWindowFontScale(0.65f);
            const float sw = ImGui::GetTextLineHeight() * 0.8f;
            const float maxX = ImGui::GetWindowPos().x + view.x - 40 * s;
            for (std::size_t i = 0; i < scene.legend.size(); ++i) {
                const auto& e = scene.legend[i];
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
        if (s > 1.01f)
            ImGui::PopStyleVar(2);
    }
    // Inspector tooltip for the object under the cursor.
    if (fr.visible && fr.hovered != 0 && fr.inspect && !ImGui::GetIO().WantCaptureMouse) {
        auto it = scene.objects.find(fr.hovered);
        if (it != scene.objects.end()) {
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
            drawValuePlots(it->second, dark, s);
            ImGui::EndTooltip();
        }
    }

    // Find box (large pictures): a node by name or op type; Enter goes to the next match.
    // Presenting, it stays out of the picture until "/" asks for it (and while it holds a query).
    if (fr.focusFind)
        m_findOpenFrames = 0;
    if (fr.visible && scene.objects.size() >= kFindMinObjects &&
        (!presenting || m_findOpenFrames >= 0)) {
        ImGui::SetNextWindowPos(ImVec2(view.x - 10 * s, captionH + 10 * s), ImGuiCond_Always,
                                ImVec2(1, 0));
        if (ImGui::Begin("##find", nullptr, kPanel | ImGuiWindowFlags_NoTitleBar)) {
            if (fr.focusFind)
                ImGui::SetKeyboardFocusHere();
            ImGui::SetNextItemWidth(180 * s);
            const bool enter = ImGui::InputTextWithHint(
                "##findtext", tr2(m_lang, "find node or op  (/)", "查找节点或算子（/）"),
                m_findBuf.data(), m_findBuf.size(),
                ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CallbackEdit,
                [](ImGuiInputTextCallbackData* d) {
                    static_cast<ViewportOverlays*>(d->UserData)->m_pendingFind =
                        FindRequest{std::string(d->Buf, std::size_t(d->BufTextLen)), false};
                    return 0;
                },
                this);
            if (enter) {
                m_pendingFind = FindRequest{std::string(m_findBuf.data()), true};
                ImGui::SetKeyboardFocusHere(-1); // keep typing / pressing Enter
            }
            // Presenting, an empty box the keyboard has left folds away again (a few frames'
            // grace while "/" hands it the focus).
            if (presenting && m_findOpenFrames >= 0 && ++m_findOpenFrames > 3 &&
                !ImGui::IsItemActive() && m_findBuf[0] == '\0')
                m_findOpenFrames = -1;
            if (m_findBuf[0] != '\0' && !m_findStatus.empty()) {
                ImGui::SameLine();
                ImGui::TextDisabled("%s", m_findStatus.c_str());
            }
        }
        ImGui::End();
    }

    // Overview (a picture too large to read whole): every box in miniature, the part on
    // screen outlined; a click or drag there moves the view.
    if (fr.visible && !fr.overviewBounds.empty() && !presenting) {
        const viz::Rect& b = fr.overviewBounds;
        const float maxW = 150 * s, maxH = std::min(260 * s, view.y * 0.45f);
        const float k = std::min(maxW / std::max(b.w, 1.0f), maxH / std::max(b.h, 1.0f));
        const ImVec2 size(b.w * k, b.h * k);
        ImGui::SetNextWindowPos(ImVec2(view.x - 10 * s, view.y - legendH - 10 * s),
                                ImGuiCond_Always, ImVec2(1, 1));
        if (ImGui::Begin("##overview", nullptr, kPanel | ImGuiWindowFlags_NoTitleBar)) {
            const ImVec2 o = ImGui::GetCursorScreenPos();
            ImGui::InvisibleButton("##overviewarea", size);
            if (ImGui::IsItemActive()) {
                const ImVec2 m = ImGui::GetIO().MousePos;
                m_pendingJump = viz::Vec2{b.x + (m.x - o.x) / k, b.y + (m.y - o.y) / k};
            }
            ImDrawList* d = ImGui::GetWindowDrawList();
            const ImU32 boxCol = dark ? IM_COL32(200, 210, 230, 150) : IM_COL32(90, 100, 120, 150);
            for (const auto& p : scene.list.prims)
                if (p.kind == viz::PrimKind::Box && p.rect.w * k >= 0.5f)
                    d->AddRectFilled(ImVec2(o.x + (p.rect.x - b.x) * k, o.y + (p.rect.y - b.y) * k),
                                     ImVec2(o.x + (p.rect.x + p.rect.w - b.x) * k,
                                            o.y + (p.rect.y + p.rect.h - b.y) * k),
                                     boxCol);
            const viz::Rect& v = fr.overviewVisible;
            d->AddRect(ImVec2(o.x + (v.x - b.x) * k, o.y + (v.y - b.y) * k),
                       ImVec2(o.x + (v.x + v.w - b.x) * k, o.y + (v.y + v.h - b.y) * k),
                       IM_COL32(245, 158, 11, 255), 0, 0, 2 * s);
        }
        ImGui::End();
    }

    ImDrawList* fg = ImGui::GetForegroundDrawList();
    // The find box's match, outlined.
    if (!fr.found.isEmpty()) {
        const float pad = 6 * s;
        fg->AddRect(ImVec2(float(fr.found.left()) - pad, float(fr.found.top()) - pad),
                    ImVec2(float(fr.found.right()) + pad, float(fr.found.bottom()) + pad),
                    IM_COL32(245, 158, 11, 255), 6 * s, 0, 3 * s);
    }
    // Progress bar along the bottom edge.
    if (fr.progress >= 0) {
        const float h = 3 * s, y = view.y - h;
        fg->AddRectFilled(ImVec2(0, y), ImVec2(view.x, view.y),
                          dark ? IM_COL32(255, 255, 255, 40) : IM_COL32(0, 0, 0, 30));
        fg->AddRectFilled(ImVec2(0, y),
                          ImVec2(view.x * std::clamp(fr.progress, 0.0f, 1.0f), view.y),
                          IM_COL32(59, 130, 246, 230));
    }
    // Laser pointer: a red dot with a soft glow.
    if (fr.laser) {
        const ImVec2 c(float(fr.cursor.x()), float(fr.cursor.y()));
        for (int i = 4; i >= 1; --i)
            fg->AddCircleFilled(c, (4.0f + 4.0f * float(i)) * s,
                                IM_COL32(255, 30, 30, 18 * (5 - i)), 32);
        fg->AddCircleFilled(c, 4.5f * s, IM_COL32(255, 40, 40, 255), 24);
        fg->AddCircleFilled(c, 2.0f * s, IM_COL32(255, 200, 200, 255), 16);
    }
    return {captionH, legendH, panel};
}
} // namespace aisys::app
