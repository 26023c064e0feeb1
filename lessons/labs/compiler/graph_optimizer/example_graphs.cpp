// The graph-optimizer Lab's example names mapped to the model zoo's compiler examples.
#include "lessons/labs/compiler/graph_optimizer/example_graphs.h"

#include <stdexcept>

namespace aisys::lessons {

namespace {

using Builder = engine::Graph (*)(const engine::models::ExampleSize&);

const std::vector<std::pair<std::string, Builder>>& examples() {
    static const std::vector<std::pair<std::string, Builder>> list = {
        {"conv-bn-relu", engine::models::convBnRelu},
        {"transformer", engine::models::transformerMlp},
        {"redundancies", engine::models::redundancies},
        {"branches", engine::models::branches},
        {"mobile-block", engine::models::mobileBlock}};
    return list;
}

} // namespace

std::vector<std::string> exampleGraphNames() {
    std::vector<std::string> names;
    for (const auto& [name, build] : examples())
        names.push_back(name);
    return names;
}

engine::Graph buildExampleGraph(const std::string& name, const engine::models::ExampleSize& size) {
    if (size.channels < 1 || size.channels > 256 || size.size < 1 || size.size > 256)
        throw std::invalid_argument("example graph sizes must lie in [1, 256]: channels " +
                                    std::to_string(size.channels) + ", size " +
                                    std::to_string(size.size));
    std::string all;
    for (const auto& [known, build] : examples()) {
        if (known == name)
            return build(size);
        all += (all.empty() ? "" : ", ") + known;
    }
    throw std::invalid_argument("unknown example graph '" + name + "': expected one of " + all);
}

} // namespace aisys::lessons
