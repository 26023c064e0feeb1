// The Qt ↔ Dear ImGui bridge (Dear ImGui 1.86 API): input state, fonts on demand, GL3 backend.
#include "viz/imgui/imgui_bridge.h"

#include <QFile>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>

namespace aisys::viz {

namespace {

static_assert(sizeof(ImWchar) == sizeof(unsigned short), "16-bit ImWchar expected");

constexpr float kBaseFontPixels = 15.0f;
constexpr const char* kLatinFonts[] = {
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
};
constexpr const char* kFallbackFont = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
constexpr const char* kCjkFont = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
constexpr int kCjkScFace = 2; // Noto Sans CJK SC inside the collection

/// Always-present ranges: Latin-1 + Latin Extended-A/B, general punctuation, arrows, maths.
constexpr ImWchar kBaseRanges[] = {0x0020, 0x024F, 0x2010, 0x205E, 0x2190, 0x21FF,
                                   0x2200, 0x22FF, 0x25A0, 0x25FF, 0};

std::vector<char> readFile(const char* path) {
    QFile f(QString::fromUtf8(path));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QByteArray bytes = f.readAll();
    return std::vector<char>(bytes.begin(), bytes.end());
}

int mouseButtonIndex(Qt::MouseButton b) {
    switch (b) {
    case Qt::LeftButton:
        return 0;
    case Qt::RightButton:
        return 1;
    case Qt::MiddleButton:
        return 2;
    case Qt::BackButton:
        return 3;
    case Qt::ForwardButton:
        return 4;
    default:
        return -1;
    }
}

/// Qt key → our index in io.KeysDown (we use ImGuiKey_ values themselves), or -1.
int keyIndex(int qtKey) {
    switch (qtKey) {
    case Qt::Key_Tab:
    case Qt::Key_Backtab:
        return ImGuiKey_Tab;
    case Qt::Key_Left:
        return ImGuiKey_LeftArrow;
    case Qt::Key_Right:
        return ImGuiKey_RightArrow;
    case Qt::Key_Up:
        return ImGuiKey_UpArrow;
    case Qt::Key_Down:
        return ImGuiKey_DownArrow;
    case Qt::Key_PageUp:
        return ImGuiKey_PageUp;
    case Qt::Key_PageDown:
        return ImGuiKey_PageDown;
    case Qt::Key_Home:
        return ImGuiKey_Home;
    case Qt::Key_End:
        return ImGuiKey_End;
    case Qt::Key_Insert:
        return ImGuiKey_Insert;
    case Qt::Key_Delete:
        return ImGuiKey_Delete;
    case Qt::Key_Backspace:
        return ImGuiKey_Backspace;
    case Qt::Key_Space:
        return ImGuiKey_Space;
    case Qt::Key_Return:
        return ImGuiKey_Enter;
    case Qt::Key_Escape:
        return ImGuiKey_Escape;
    case Qt::Key_Enter:
        return ImGuiKey_KeyPadEnter;
    case Qt::Key_A:
        return ImGuiKey_A;
    case Qt::Key_C:
        return ImGuiKey_C;
    case Qt::Key_V:
        return ImGuiKey_V;
    case Qt::Key_X:
        return ImGuiKey_X;
    case Qt::Key_Y:
        return ImGuiKey_Y;
    case Qt::Key_Z:
        return ImGuiKey_Z;
    default:
        return -1;
    }
}

void setModifiers(ImGuiIO& io, Qt::KeyboardModifiers m) {
    io.KeyCtrl = m.testFlag(Qt::ControlModifier);
    io.KeyShift = m.testFlag(Qt::ShiftModifier);
    io.KeyAlt = m.testFlag(Qt::AltModifier);
    io.KeySuper = m.testFlag(Qt::MetaModifier);
}

/// Decodes UTF-8 into code points (invalid bytes are skipped).
template <class F> void forEachCodepoint(const std::string& s, F f) {
    for (std::size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        unsigned cp = 0;
        int len = 1;
        if (c < 0x80)
            cp = c;
        else if ((c >> 5) == 0x6)
            cp = c & 0x1F, len = 2;
        else if ((c >> 4) == 0xE)
            cp = c & 0x0F, len = 3;
        else if ((c >> 3) == 0x1E)
            cp = c & 0x07, len = 4;
        else {
            ++i;
            continue;
        }
        if (i + std::size_t(len) > s.size())
            break;
        for (int k = 1; k < len; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + std::size_t(k)]) & 0x3F);
        i += std::size_t(len);
        f(cp);
    }
}

bool inBaseRanges(unsigned cp) {
    for (const ImWchar* r = kBaseRanges; r[0]; r += 2)
        if (cp >= r[0] && cp <= r[1])
            return true;
    return false;
}

} // namespace

ImGuiBridge::ImGuiBridge() {
    ImGuiContext* previous = ImGui::GetCurrentContext();
    m_context = ImGui::CreateContext();
    ImGui::SetCurrentContext(m_context);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.ConfigWindowsMoveFromTitleBarOnly = true;
    for (int k = 0; k < ImGuiKey_COUNT; ++k)
        io.KeyMap[k] = k;
    io.BackendPlatformName = "aisys_qt";
    ImGui::SetCurrentContext(previous ? previous : m_context);
}

ImGuiBridge::~ImGuiBridge() {
    ImGui::SetCurrentContext(m_context);
    if (m_initialized)
        ImGui_ImplOpenGL3_Shutdown();
    ImGui::DestroyContext(m_context);
}

void ImGuiBridge::makeCurrent() {
    ImGui::SetCurrentContext(m_context);
}

bool ImGuiBridge::initialize() {
    makeCurrent();
    if (!m_initialized) {
        m_initialized = ImGui_ImplOpenGL3_Init("#version 330 core");
        // Create shaders (and a first font texture) now, so later font rebuilds can simply
        // destroy and re-create the texture without the backend creating a second one.
        if (m_initialized)
            ImGui_ImplOpenGL3_CreateDeviceObjects();
    }
    return m_initialized;
}

void ImGuiBridge::requireText(const std::string& utf8) {
    forEachCodepoint(utf8, [this](unsigned cp) {
        if (cp < 0x20 || cp > 0xFFFF || inBaseRanges(cp))
            return;
        if (m_codepoints.insert(cp).second)
            m_fontsDirty = true;
    });
}

void ImGuiBridge::setDarkTheme(bool dark) {
    if (dark != m_dark) {
        m_dark = dark;
        m_styleScale = 0; // re-apply
    }
}

void ImGuiBridge::buildFonts(float pixelScale) {
    // 1. Glyph ranges: the fixed Latin/punctuation ranges plus every required code point.
    m_ranges.assign(std::begin(kBaseRanges), std::end(kBaseRanges) - 1);
    for (unsigned cp : m_codepoints) {
        m_ranges.push_back(static_cast<ImWchar>(cp));
        m_ranges.push_back(static_cast<ImWchar>(cp));
    }
    m_ranges.push_back(0);
    // 2. Font files are read once and kept (the atlas does not own them).
    if (m_latinData.empty())
        for (const char* path : kLatinFonts)
            if (!(m_latinData = readFile(path)).empty())
                break;
    const bool needCjk = std::any_of(m_codepoints.begin(), m_codepoints.end(),
                                     [](unsigned cp) { return cp >= 0x2E80; });
    if (needCjk && m_cjkData.empty())
        m_cjkData = readFile(kCjkFont);
    // 3. One face for every glyph so mixed Chinese/Latin text looks even: Noto Sans CJK SC
    //    (the exporter's font too) once any CJK text is needed, else the Latin face.
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    const float px = std::round(kBaseFontPixels * pixelScale);
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    bool haveBase = false;
    if (!m_cjkData.empty()) {
        cfg.FontNo = kCjkScFace;
        haveBase = io.Fonts->AddFontFromMemoryTTF(m_cjkData.data(), int(m_cjkData.size()), px, &cfg,
                                                  m_ranges.data()) != nullptr;
    }
    if (!haveBase && !m_latinData.empty()) {
        cfg.FontNo = 0;
        haveBase = io.Fonts->AddFontFromMemoryTTF(m_latinData.data(), int(m_latinData.size()), px,
                                                  &cfg, m_ranges.data()) != nullptr;
    }
    if (haveBase) {
        // Glyphs the main face lacks (superscript ᵀ, ⊙ and other symbols in captions and
        // labels) come from DejaVu Sans, merged in: a glyph the main face has stays its own.
        if (m_fallbackData.empty())
            m_fallbackData = readFile(kFallbackFont);
        if (!m_fallbackData.empty()) {
            ImFontConfig merge = cfg;
            merge.FontNo = 0;
            merge.MergeMode = true;
            io.Fonts->AddFontFromMemoryTTF(m_fallbackData.data(), int(m_fallbackData.size()), px,
                                           &merge, m_ranges.data());
        }
    }
    if (!haveBase) {
        ImFontConfig def;
        def.SizePixels = px;
        io.Fonts->AddFontDefault(&def);
    }
    io.Fonts->Build();
    m_fontScale = pixelScale;
    m_fontsDirty = false;
}

void ImGuiBridge::applyStyle(float uiScale) {
    ImGuiStyle style;
    if (m_dark)
        ImGui::StyleColorsDark(&style);
    else
        ImGui::StyleColorsLight(&style);
    style.WindowRounding = 6;
    style.FrameRounding = 4;
    style.GrabRounding = 4;
    style.PopupRounding = 4;
    style.WindowBorderSize = 1;
    style.WindowPadding = ImVec2(10, 8);
    style.ItemSpacing = ImVec2(8, 6);
    style.Colors[ImGuiCol_WindowBg].w = 0.92f;
    style.Colors[ImGuiCol_PopupBg].w = 0.96f;
    style.ScaleAllSizes(uiScale);
    ImGui::GetStyle() = style;
    m_styleScale = uiScale;
}

void ImGuiBridge::newFrame(Vec2 logicalSize, float dpr, float uiScale, double dt) {
    makeCurrent();
    ImGuiIO& io = ImGui::GetIO();
    dpr = std::max(dpr, 0.25f);
    uiScale = std::max(uiScale, 0.25f);
    if (uiScale != m_styleScale)
        applyStyle(uiScale);
    const float pixelScale = dpr * uiScale;
    if (m_fontsDirty || pixelScale != m_fontScale) {
        if (m_initialized)
            ImGui_ImplOpenGL3_DestroyFontsTexture();
        buildFonts(pixelScale);
        if (m_initialized)
            ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    // Fonts are rasterised at dpr × uiScale pixels and drawn at uiScale logical pixels.
    io.FontGlobalScale = 1.0f / dpr;
    io.DisplaySize = ImVec2(std::max(logicalSize.x, 1.0f), std::max(logicalSize.y, 1.0f));
    io.DisplayFramebufferScale = ImVec2(dpr, dpr);
    io.DeltaTime = static_cast<float>(std::clamp(dt, 1e-4, 0.25));
    if (m_initialized)
        ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    // Releases that arrived in the same frame as their press take effect from the next frame.
    for (int b = 0; b < 5; ++b) {
        m_pressedThisFrame[b] = false;
        if (m_releasePending[b]) {
            io.MouseDown[b] = false;
            m_releasePending[b] = false;
        }
    }
    m_keysPressedThisFrame.clear();
    for (int k : m_keysReleasePending)
        io.KeysDown[k] = false;
    m_keysReleasePending.clear();
}

void ImGuiBridge::render() {
    makeCurrent();
    ImGui::Render();
    if (m_initialized)
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

void ImGuiBridge::mouseMoved(QPointF pos) {
    makeCurrent();
    ImGui::GetIO().MousePos = ImVec2(float(pos.x()), float(pos.y()));
}

void ImGuiBridge::mouseLeft() {
    makeCurrent();
    ImGuiIO& io = ImGui::GetIO();
    if (!std::any_of(std::begin(io.MouseDown), std::end(io.MouseDown), [](bool d) { return d; }))
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
}

bool ImGuiBridge::mouseEvent(QMouseEvent* e) {
    makeCurrent();
    ImGuiIO& io = ImGui::GetIO();
    const QPointF pos = e->position();
    const bool wanted = wantsMouse() || isOverWindow(pos);
    io.MousePos = ImVec2(float(pos.x()), float(pos.y()));
    setModifiers(io, e->modifiers());
    const int b = mouseButtonIndex(e->button());
    switch (e->type()) {
    case QEvent::MouseButtonPress:
    case QEvent::MouseButtonDblClick:
        if (b >= 0) {
            io.MouseDown[b] = true;
            m_pressedThisFrame[b] = true;
            m_releasePending[b] = false;
        }
        break;
    case QEvent::MouseButtonRelease:
        if (b >= 0) {
            if (m_pressedThisFrame[b])
                m_releasePending[b] = true;
            else
                io.MouseDown[b] = false;
        }
        break;
    default:
        break;
    }
    return wanted;
}

bool ImGuiBridge::wheelEvent(QWheelEvent* e) {
    makeCurrent();
    ImGuiIO& io = ImGui::GetIO();
    const QPointF pos = e->position();
    io.MousePos = ImVec2(float(pos.x()), float(pos.y()));
    setModifiers(io, e->modifiers());
    const bool wanted = wantsMouse() || isOverWindow(pos);
    if (wanted) {
        const QPoint a = e->angleDelta();
        io.MouseWheel += float(a.y()) / 120.0f;
        io.MouseWheelH += float(a.x()) / 120.0f;
    }
    return wanted;
}

bool ImGuiBridge::keyEvent(QKeyEvent* e) {
    makeCurrent();
    ImGuiIO& io = ImGui::GetIO();
    setModifiers(io, e->modifiers());
    const bool press = e->type() == QEvent::KeyPress;
    const int k = keyIndex(e->key());
    if (k >= 0) {
        if (press) {
            io.KeysDown[k] = true;
            m_keysPressedThisFrame.insert(k);
            m_keysReleasePending.erase(k);
        } else if (!e->isAutoRepeat()) {
            if (m_keysPressedThisFrame.count(k))
                m_keysReleasePending.insert(k);
            else
                io.KeysDown[k] = false;
        }
    }
    if (press && !e->text().isEmpty() && !e->modifiers().testFlag(Qt::ControlModifier)) {
        const QString text = e->text();
        if (text.at(0).isPrint())
            io.AddInputCharactersUTF8(text.toUtf8().constData());
    }
    return wantsKeyboard();
}

void ImGuiBridge::focusOut() {
    makeCurrent();
    ImGuiIO& io = ImGui::GetIO();
    std::fill(std::begin(io.KeysDown), std::end(io.KeysDown), false);
    io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
    m_keysPressedThisFrame.clear();
    m_keysReleasePending.clear();
    io.AddFocusEvent(false);
}

bool ImGuiBridge::wantsMouse() const {
    ImGui::SetCurrentContext(m_context);
    return ImGui::GetIO().WantCaptureMouse;
}

bool ImGuiBridge::wantsKeyboard() const {
    ImGui::SetCurrentContext(m_context);
    return ImGui::GetIO().WantCaptureKeyboard;
}

bool ImGuiBridge::isOverWindow(QPointF pos) const {
    ImGui::SetCurrentContext(m_context);
    const ImVec2 p(float(pos.x()), float(pos.y()));
    for (ImGuiWindow* w : m_context->Windows) {
        if (!w->Active || w->Hidden ||
            (w->Flags & (ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_NoMouseInputs)))
            continue;
        if (w->OuterRectClipped.Contains(p))
            return true;
    }
    return false;
}

} // namespace aisys::viz
