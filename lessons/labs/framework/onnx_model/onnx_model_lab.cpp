// Lab "onnx-model": import (engine/onnx), run on seeded inputs, draw the graph per executed node.
#include "lessons/labs/framework/onnx_model/onnx_model_lab.h"

#include "engine/graph/interpreter.h"
#include "engine/models/random.h"
#include "engine/onnx/onnx_import.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/common/graph_drawing.h"

#include <filesystem>

namespace aisys::lessons {

namespace {

class OnnxModelRun : public LabRun {
public:
    OnnxModelRun(engine::Graph g, std::string file, std::uint64_t seed)
        : m_file(std::move(file)), m_interp(std::move(g)) {
        // The engine's seeded inputs, as `aisyslab infer` draws them.
        for (auto& [name, t] : engine::models::seededInputs(m_interp.graph(), seed))
            m_interp.setInput(name, std::move(t));
        m_interp.run(); // every value kept: any frame draws without re-running
    }

    std::vector<Phase> phases() const override {
        return {{"graph", 1}, {"execute", static_cast<int>(m_interp.order().size())}};
    }

    viz::Scene scene(int frame, const DrawOptions& opt) const override {
        GraphPictureInput in;
        in.interp = &m_interp;
        in.executed = frame;
        in.lang = opt.lang;
        in.theme = opt.theme;
        in.showValues = false;
        in.plotCache = &m_plots;
        viz::Scene s = drawGraph(in);
        const Lang L = opt.lang;
        const std::string name = std::filesystem::path(m_file).filename().string();
        const int n = static_cast<int>(m_interp.order().size());
        if (frame == 0) {
            std::int64_t params = 0;
            for (const auto& [id, t] : m_interp.graph().initializers)
                params += t.numel();
            s.caption = name + tr2(L, ": ", "：") + std::to_string(n) +
                        tr2(L, " nodes, ", " 个节点，") + std::to_string(params) +
                        tr2(L, " parameters", " 个参数");
        } else {
            const auto& node = m_interp.graph().nodes[m_interp.order()[frame - 1]];
            s.caption = name + " · " + tr2(L, "node ", "节点 ") + std::to_string(frame) + "/" +
                        std::to_string(n) + " · " + node.op + " " + node.name;
        }
        return s;
    }

private:
    std::string m_file;
    engine::Interpreter m_interp;
    mutable std::map<int, viz::ObjectInfo> m_plots;
};

} // namespace

LocalText OnnxModelLab::title() const {
    return {"ONNX model", "ONNX 模型"};
}

std::vector<ParamSpec> OnnxModelLab::params() const {
    ParamSpec model{"model", ParamType::Text, {"model", "模型"}, 0, 0, {}, std::string()};
    model.path = true;
    return {
        model,
        {"dim",
         ParamType::Int,
         {"symbolic dims (batch …)", "符号维度（批大小等）"},
         1,
         64,
         {},
         std::int64_t{1}},
        {"seed", ParamType::Int, {"input seed", "输入随机种子"}, 0, 999, {}, std::int64_t{0}},
    };
}

std::unique_ptr<LabRun> OnnxModelLab::run(const ParamSet& p) const {
    // 1. Import the file with every symbolic dimension bound to `dim`.
    // 2. Run it once on seeded inputs; frames then show the execution node by node.
    const std::string file = p.getString("model");
    if (file.empty())
        throw std::invalid_argument("no model file: set the 'model' parameter to an .onnx file");
    engine::OnnxImportOptions io;
    io.inferShapes = false;
    engine::Graph probe = engine::importOnnxFile(file, io);
    io.inferShapes = true;
    for (const auto& v : probe.values)
        for (const auto& d : v.dimParams)
            if (!d.empty())
                io.dims[d] = p.getInt("dim", 1);
    engine::Graph g = engine::importOnnxFile(file, io);
    return std::make_unique<OnnxModelRun>(std::move(g), file,
                                          static_cast<std::uint64_t>(p.getInt("seed", 0)));
}

} // namespace aisys::lessons
