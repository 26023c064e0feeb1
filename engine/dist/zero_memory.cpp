// ZeRO memory per device and communication volume (see zero_memory.h).
#include "engine/dist/zero_memory.h"

#include <stdexcept>
#include <string>

namespace aisys::engine::dist {

ZeroMemory zeroMemory(double psi, int nd, ZeroStage stage, double k) {
    if (!(psi > 0))
        throw std::invalid_argument("parameters: expected a count > 0");
    if (nd < 1)
        throw std::invalid_argument("devices: expected at least 1, got " + std::to_string(nd));
    if (!(k >= 0))
        throw std::invalid_argument("optimizer bytes per parameter: expected ≥ 0");
    const int level = static_cast<int>(stage);
    ZeroMemory z;
    z.optimizerStates = level >= 1 ? k * psi / nd : k * psi;
    z.gradients = level >= 2 ? 2 * psi / nd : 2 * psi;
    z.parameters = level >= 3 ? 2 * psi / nd : 2 * psi;
    z.total = z.parameters + z.gradients + z.optimizerStates;
    z.communicationBytes = (level >= 3 ? 3.0 : 2.0) * 2 * psi;
    return z;
}

} // namespace aisys::engine::dist
