// Reference memory model for tests: SCALE-Sim v2's double-buffered scratchpads driven one
// demand line and one word at a time, exactly as SCALE-Sim walks its matrices (the engine's
// simulateLayer before it was made fast). Slow; used only to check simulateLayer field by field.
#pragma once

#include "engine/hw/systolic/analysis.h"

namespace aisys::test::systolic_reference {

/// The same report as aisys::engine::systolic::simulateLayer, computed the slow, literal way:
/// every prefetch matrix materialised, every demand word looked up in the active window.
engine::systolic::LayerReport simulateLayerReference(const engine::systolic::Layer& layer,
                                                     const engine::systolic::ArrayConfig& array,
                                                     engine::systolic::Dataflow df,
                                                     const engine::systolic::MemoryConfig& mem);

} // namespace aisys::test::systolic_reference
