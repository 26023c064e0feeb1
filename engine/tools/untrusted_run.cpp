// Runs an untrusted model under a memory budget and a FLOP ceiling (see untrusted_run.h).
#include "engine/tools/untrusted_run.h"

#include "engine/graph/interpreter.h"
#include "engine/models/random.h"
#include "engine/tools/model_info.h"

#include <map>
#include <stdexcept>

namespace aisys::engine {

UntrustedRunResult runUntrusted(Graph g, std::size_t budget, double maxFlops) {
    // 1. Bind every symbolic input dim to 1 (the smallest real run).
    // 2. Estimate FLOPs from the inferred shapes; refuse beyond the ceiling (a fuzzer would
    //    otherwise spend its time in one huge MatMul).
    // 3. Seeded inputs, the interpreter with the budget, run; a clean refusal is a result.
    UntrustedRunResult r;
    try {
        std::map<std::string, std::int64_t> dims;
        for (int in : g.inputs)
            for (const std::string& d : g.values[in].dimParams)
                if (!d.empty())
                    dims[d] = 1;
        if (!dims.empty())
            g.bindDims(dims);
        const ModelInfo info = summarizeModel(g);
        if (info.totalFlops > maxFlops) {
            r.refused = "estimated " + std::to_string(info.totalFlops) + " FLOPs, beyond the " +
                        std::to_string(maxFlops) + " allowed";
            return r;
        }
        Interpreter ip(std::move(g));
        ip.setMemoryBudget(budget);
        ip.setFreeDeadValues(true);
        for (int in : ip.graph().inputs)
            if (!shapeKnown(ip.graph().values[in].shape))
                throw std::invalid_argument("input '" + ip.graph().values[in].name +
                                            "' has an unknown dimension");
        for (auto& [name, t] : models::seededInputs(ip.graph(), 0))
            ip.setInput(name, std::move(t));
        ip.run();
        r.ran = true;
    } catch (const std::invalid_argument& e) {
        r.refused = e.what();
    }
    return r;
}

} // namespace aisys::engine
