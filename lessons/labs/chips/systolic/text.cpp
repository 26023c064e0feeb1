// Text pieces shared by the systolic Lab's pictures.
#include "lessons/labs/chips/systolic/text.h"

#include "lessons/common/draw_helpers.h"

namespace aisys::lessons::systolic {

namespace sys = engine::systolic;

std::string n2s(std::int64_t v) {
    return std::to_string(v);
}

std::string pct(double v) {
    return fmtNum(v, 1) + " %";
}

std::string gemmText(const sys::GemmShape& g) {
    return n2s(g.M) + "×" + n2s(g.K) + "×" + n2s(g.N);
}

/// What stays in the array and what streams, per dataflow.
std::string mappingText(const SystolicCase& c, Lang L) {
    const auto st = c.array.spatioTemporal();
    switch (c.array.dataflow()) {
    case sys::Dataflow::WS:
        return std::string(tr2(L, "stays: B (K×N) → rows K = ", "驻留：B（K×N）→ 行 K = ")) +
               n2s(st.Sr) + tr2(L, ", cols N = ", "，列 N = ") + n2s(st.Sc) +
               tr2(L, ";  streams: M = ", "；流过：M = ") + n2s(st.T);
    case sys::Dataflow::OS:
        return std::string(tr2(L, "stays: C (M×N) → rows M = ", "驻留：C（M×N）→ 行 M = ")) +
               n2s(st.Sr) + tr2(L, ", cols N = ", "，列 N = ") + n2s(st.Sc) +
               tr2(L, ";  streams: K = ", "；流过：K = ") + n2s(st.T);
    case sys::Dataflow::IS:
        return std::string(tr2(L, "stays: Aᵀ (K×M) → rows K = ", "驻留：Aᵀ（K×M）→ 行 K = ")) +
               n2s(st.Sr) + tr2(L, ", cols M = ", "，列 M = ") + n2s(st.Sc) +
               tr2(L, ";  streams: N = ", "；流过：N = ") + n2s(st.T);
    }
    return {};
}

std::string perFoldFormula(const SystolicCase& c) {
    const auto& a = c.array.array();
    const auto T = c.array.spatioTemporal().T;
    if (c.array.dataflow() == sys::Dataflow::OS)
        return "R + C + T − 2 = " + n2s(a.rows) + " + " + n2s(a.cols) + " + " + n2s(T) +
               " − 2 = " + n2s(c.array.cyclesPerFold());
    return "2R + C + T − 2 = " + n2s(2 * a.rows) + " + " + n2s(a.cols) + " + " + n2s(T) +
           " − 2 = " + n2s(c.array.cyclesPerFold());
}

} // namespace aisys::lessons::systolic
