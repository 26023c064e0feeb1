// A Scene: one picture a Lab builds for one step — display list, legend, inspector facts, caption.
#pragma once

#include "viz/display_list.h"

#include <map>
#include <string>
#include <vector>

namespace aisys::viz {

/// One row of the hover inspector: a label and its value (already localised).
struct Fact {
    std::string label;
    std::string value;
};

/// What the inspector shows for one pickable object.
struct ObjectInfo {
    std::string title;
    std::vector<Fact> facts;
    /// Optional value histogram (bin counts over [histMin, histMax]).
    std::vector<float> histogram;
    float histMin = 0, histMax = 0;
    /// Optional 2-D slice shown as a heat map (row-major heatRows × heatCols values).
    std::vector<float> heat;
    int heatRows = 0, heatCols = 0;
    std::string heatLabel; ///< which slice, e.g. "[0, 0, :, :]"
};

/// One legend row: a colour swatch and its meaning.
struct LegendEntry {
    Color color;
    std::string label;
};

/// Light or dark palette; exports default to Light (print-friendly).
enum class Theme { Light, Dark };

/// The colours a Lab uses, so the same Lab draws well on both themes.
struct Palette {
    Color background, foreground, muted, grid, panel, panelBorder, accent, accent2, good, bad, warn,
        highlight;
    /// Categorical colours (ranks, chunks, devices), readable on the background.
    std::vector<Color> categorical;
    static Palette forTheme(Theme t);
    Color category(std::size_t i) const { return categorical[i % categorical.size()]; }
};

/// A complete picture for one step.
struct Scene {
    DisplayList list;
    std::string caption;                         ///< one line shown above the picture (localised)
    std::vector<LegendEntry> legend;             ///< shown by the legend overlay and in exports
    std::map<std::uint32_t, ObjectInfo> objects; ///< inspector facts per pickable id
    Color background{1, 1, 1, 1};
    /// The region the frame is about, in scene units (empty: the whole picture). Presenting,
    /// the camera eases there; slide decks show it.
    Rect focus;
};

} // namespace aisys::viz
