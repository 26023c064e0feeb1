// The benchmark display list: 20,000 primitives of every kind (boxes, lines, text, cells...).
#pragma once

#include "viz/scene.h"

namespace aisys::bench {

/// A deterministic scene with `count` primitives, about 10% of them text labels.
viz::Scene makeBenchScene(int count = 20000);

} // namespace aisys::bench
