// The Qt ↔ Dear ImGui bridge: Qt events into ImGuiIO, CJK-capable fonts, OpenGL3 backend frames.
#pragma once

#include "viz/display_list.h"

#include <QPointF>
#include <set>
#include <string>
#include <vector>

class QMouseEvent;
class QWheelEvent;
class QKeyEvent;
struct ImGuiContext;

namespace aisys::viz {

/// Owns one ImGuiContext and its OpenGL3 backend. Every method makes its context current.
/// initialize(), newFrame(), render() and the destructor need the GL context current.
class ImGuiBridge {
public:
    ImGuiBridge();
    ~ImGuiBridge();
    ImGuiBridge(const ImGuiBridge&) = delete;
    ImGuiBridge& operator=(const ImGuiBridge&) = delete;

    /// Sets up the OpenGL3 backend ("#version 330 core"); false when it could not.
    bool initialize();
    bool isInitialized() const { return m_initialized; }

    /// Starts a frame: rebuilds the font atlas if needed, then ImGui::NewFrame().
    void newFrame(Vec2 logicalSize, float devicePixelRatio, float uiScale, double dtSeconds);
    /// Ends the frame and draws it into the current framebuffer.
    void render();
    /// Makes this bridge's ImGui context the current one (for ImGui:: calls between frames).
    void makeCurrent();

    /// Qt events in; the return value says whether ImGui wants that event (do not act on it).
    bool mouseEvent(QMouseEvent* e);
    bool wheelEvent(QWheelEvent* e);
    bool keyEvent(QKeyEvent* e);
    /// Moves the pointer without a button change (also used for hover and leave).
    void mouseMoved(QPointF logicalPos);
    void mouseLeft();
    void focusOut();

    /// io.WantCaptureMouse / WantCaptureKeyboard of the last frame.
    bool wantsMouse() const;
    bool wantsKeyboard() const;
    /// Whether `logicalPos` lies over an ImGui window drawn in the last frame.
    bool isOverWindow(QPointF logicalPos) const;

    /// Makes sure the glyphs of `utf8` are in the font atlas (rebuilt at the next newFrame).
    void requireText(const std::string& utf8);
    /// Dark or light widget colours (follow the scene background).
    void setDarkTheme(bool dark);

private:
    void buildFonts(float pixelScale);
    void applyStyle(float uiScale);

    ImGuiContext* m_context = nullptr;
    bool m_initialized = false;
    std::set<unsigned> m_codepoints; ///< beyond the always-present ranges
    bool m_fontsDirty = true;
    float m_fontScale = 0; ///< dpr × uiScale the fonts were built for
    float m_styleScale = 0;
    std::vector<unsigned short> m_ranges; ///< glyph ranges kept alive for the atlas
    std::vector<char> m_latinData, m_cjkData;
    std::vector<char> m_fallbackData; ///< DejaVu Sans: glyphs the main face lacks (ᵀ, ⊙, …)
    bool m_dark = false;
    // ImGui 1.86 samples input state once per frame: a press and release arriving before the
    // same frame would be lost, so such releases are held back one frame.
    bool m_pressedThisFrame[5] = {};
    bool m_releasePending[5] = {};
    std::set<int> m_keysPressedThisFrame, m_keysReleasePending;
};

} // namespace aisys::viz
