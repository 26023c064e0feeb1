// The viewport's ImGui overlays: caption strip, parameter panel, legend row, inspector tooltip,
// progress bar and laser dot. Holds the panel's state; the widget reads back edits and insets.
#pragma once

#include "lessons/params.h"
#include "lessons/text.h"
#include "viz/scene.h"

#include <QPointF>
#include <QRectF>
#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aisys::app {

/// Draws the overlays of one frame inside an ImGui frame (ImGuiBridge::newFrame … render).
class ViewportOverlays {
public:
    /// What a frame's overlays show.
    struct Frame {
        viz::Vec2 view;  ///< logical size of the viewport
        float scale = 1; ///< UI scale (presentation mode enlarges)
        const viz::Scene* scene = nullptr;
        bool visible = true;       ///< panel, legend and inspector shown
        std::uint32_t hovered = 0; ///< object under the cursor
        bool inspect = true;       ///< its tooltip may show (not while panning or drawing)
        float progress = -1;       ///< bottom progress bar (negative: none)
        bool laser = false;        ///< the laser dot at `cursor`
        QPointF cursor;
        /// The find box's current match, outlined (view pixels; empty: none).
        QRectF found;
        bool focusFind = false; ///< put the keyboard into the find box this frame
        /// A picture too large to read whole: the overview shows all of it (`bounds`, scene
        /// units) with the part on screen (`visible`); empty bounds: no overview.
        viz::Rect overviewBounds, overviewVisible;
    };
    /// A search typed into the find box (large pictures: a model's graph).
    struct FindRequest {
        std::string query;
        bool next = false; ///< Enter: the next match; otherwise the first one
    };
    /// The space the strips took this frame (the fit keeps it free).
    struct Insets {
        float captionH = 0, legendH = 0;
        viz::Vec2 panel{0, 0}; ///< parameter panel size (0 when hidden)
        /// Whether any extent differs by more than a pixel.
        bool differs(const Insets& o) const;
    };

    /// The Lab's parameters for the panel; `values` are the ones in force. A new Lab's panel
    /// that would cover much of the picture starts folded; the same Lab keeps the user's choice.
    void setParams(std::vector<lessons::ParamSpec> specs, lessons::ParamSet values);
    const std::vector<lessons::ParamSpec>& specs() const { return m_specs; }
    void setLanguage(lessons::Lang lang) { m_lang = lang; }
    /// Folds the panel when presenting starts (scale rises above 1), unfolds it when it ends.
    void scaleChanged(float from, float to);
    /// Draws everything for `frame`; returns the insets it took.
    Insets draw(const Frame& frame);
    /// Parameter edits since the last call (name, value), in order.
    std::vector<std::pair<std::string, lessons::ParamValue>> takeEdits();
    /// Whether "Reset" was pressed since the last call.
    bool takeReset();
    /// The search typed since the last call, if any.
    std::optional<FindRequest> takeFind();
    /// Where a click or drag in the overview asked the view to centre (scene units), if any.
    std::optional<viz::Vec2> takeOverviewJump();
    /// What the find box shows beside the query ("3 / 12", "no match").
    void setFindStatus(std::string status) { m_findStatus = std::move(status); }
    /// The find box appears for pictures with at least this many named objects.
    static constexpr std::size_t kFindMinObjects = 40;
    /// Where the panel drew the control of parameter `name` (logical pixels, without its
    /// label) in the last frame; empty when not drawn.
    QRectF paramRect(const std::string& name) const;

private:
    void drawValuePlots(const viz::ObjectInfo& info, bool dark, float s);

    lessons::Lang m_lang = lessons::Lang::En;
    std::vector<lessons::ParamSpec> m_specs;
    lessons::ParamSet m_values;
    /// Auto: a new Lab's panel, folded on the next frame if it would cover much of the picture.
    enum class PanelFold { None, Collapse, Expand, Auto };
    PanelFold m_panelFold = PanelFold::None; ///< fold/unfold the panel on the next frame
    bool m_panelCollapsed = false;           ///< the panel was folded in the last frame
    std::map<std::string, QRectF> m_paramRects;
    /// Per editable text parameter: the value the edit buffer was filled from, and the buffer.
    std::map<std::string, std::pair<std::string, std::array<char, 256>>> m_textEdits;
    std::vector<std::pair<std::string, lessons::ParamValue>> m_pendingEdits;
    bool m_pendingReset = false;
    std::array<char, 128> m_findBuf{};
    /// Presenting: frames since "/" opened the find box; -1 while it is folded away.
    int m_findOpenFrames = -1;
    std::optional<FindRequest> m_pendingFind;
    std::optional<viz::Vec2> m_pendingJump;
    std::string m_findStatus;
};

} // namespace aisys::app
