// The four pictures of the "systolic" Lab: mapping, a cycle, a fold's activity, the report.
#pragma once

#include "lessons/lab.h"
#include "lessons/labs/chips/systolic/setup.h"

namespace aisys::lessons {

viz::Scene systolicSetupScene(const SystolicSetup& s, const DrawOptions& opt);
/// The picture at global cycle g (0-based; past the end = finished).
viz::Scene systolicCycleScene(const SystolicSetup& s, std::int64_t g, const DrawOptions& opt);
viz::Scene systolicActivityScene(const SystolicSetup& s, std::int64_t fold, const DrawOptions& opt);
viz::Scene systolicDoneScene(const SystolicSetup& s, const DrawOptions& opt);

/// "Weight stationary (WS)" etc.
std::string dataflowTitle(engine::systolic::Dataflow df, Lang L);

} // namespace aisys::lessons
