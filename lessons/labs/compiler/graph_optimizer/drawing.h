// Drawing of the graph-optimizer Lab's frames: the graph with the pass's changes, the numbers
// panel, and the optional panels (IR text, post-dominator tree, Conv-BN folding numbers).
#pragma once

#include "engine/compiler/passes/fusion.h"
#include "lessons/lab.h"
#include "lessons/labs/compiler/graph_optimizer/graph_optimizer_lab.h"

#include <string>

namespace aisys::lessons {

/// Scene ids: a node, its ghost once removed, and a fused node's hull → OptimizerRun::objectId
/// (kPicNodeId + the index of its name among all frames' node names; fused hulls after them); stats
/// row r → kStatsRowId + r; node i of the post-dominator tree → kPostDomId + i.
constexpr std::uint32_t kPicNodeId = 1000;
constexpr std::uint32_t kPostDomId = 800000;
constexpr std::uint32_t kStatsRowId = 900000;

/// The whole picture of frame `frame` of `run`, with its caption, legend and inspector facts.
viz::Scene drawOptimizerFrame(const OptimizerRun& run, int frame, const DrawOptions& opt);

/// The printer's text of a graph: a header with inputs and outputs, the initializers, then one
/// line per node "outs = Op(ins) {attrs}  # name". At most `maxLines` lines (then "… n more").
std::vector<std::string> graphIrText(const engine::Graph& g, int maxLines = 40);

/// `s` cut to at most `maxBytes` bytes at a UTF-8 character boundary, with "…" when cut.
std::string clipUtf8(const std::string& s, std::size_t maxBytes);
/// `s` broken into lines no wider than `width` at font `size` (at spaces when there are some,
/// else between characters, as Chinese text needs).
std::vector<std::string> wrapText(const std::string& s, float width, float size);

/// A pass's one-line description in the language (the registry's English one, or ours in zh).
std::string passDescription(const std::string& pass, Lang lang);

/// Optional panels, drawn top-left at `origin`; each returns the rectangle it used.
viz::Rect drawIrPanel(viz::DisplayList& list, viz::Vec2 origin, const engine::Graph& g,
                      const viz::Palette& pal, Lang lang);
/// The post-dominator tree, its boxes coloured by the fusion groups `rule` makes.
viz::Rect drawPostDomPanel(viz::Scene& scene, viz::Vec2 origin, const engine::Graph& g,
                           const viz::Palette& pal, Lang lang,
                           engine::compiler::FusionRule rule = engine::compiler::FusionRule::Lab);
/// W' = W·γ/σ and b' = (b−μ)·γ/σ + β per channel, from the graphs before and after the
/// conv-bn-folding pass (nothing when the frame's pass folded no BatchNormalization).
viz::Rect drawFoldingPanel(viz::DisplayList& list, viz::Vec2 origin, const OptimizerFrame& before,
                           const OptimizerFrame& after, const viz::Palette& pal, Lang lang);

} // namespace aisys::lessons
