// Lab "onnx-model": import (engine/onnx) and draw the graph without running it; run it on
// seeded inputs when a frame of the run is asked for, and draw the graph per executed node.
#include "lessons/labs/framework/onnx_model/onnx_model_lab.h"

#include "engine/graph/interpreter.h"
#include "engine/models/random.h"
#include "engine/onnx/onnx_import.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/common/graph_drawing.h"

#include <filesystem>
#include <mutex>
#include <optional>

namespace aisys::lessons {

namespace {

class OnnxModelRun : public LabRun {
public:
    OnnxModelRun(engine::Graph drawn, std::map<int, std::string> problems, std::string file,
                 std::map<std::string, std::int64_t> dims, std::uint64_t seed)
        : m_file(std::move(file)), m_drawn(std::move(drawn)), m_problems(std::move(problems)),
          m_dims(std::move(dims)), m_seed(seed) {}

    std::vector<Phase> phases() const override {
        return {{"graph", 1}, {"execute", static_cast<int>(m_drawn.nodes.size())}};
    }

    viz::Scene scene(int frame, const DrawOptions& opt) const override {
        const Lang L = opt.lang;
        const std::string name = std::filesystem::path(m_file).filename().string();
        GraphPictureInput in;
        in.lang = opt.lang;
        in.theme = opt.theme;
        in.showValues = false;
        in.plotCache = &m_plots;
        in.problems = &m_problems;
        if (frame > 0)
            ensureRun();
        if (frame == 0 || !m_interp) {
            // 1. The graph as imported: not run, symbolic dims by name, unsupported ops marked.
            in.graph = &m_drawn;
            viz::Scene s = drawGraph(in);
            std::int64_t params = 0;
            for (const auto& [id, t] : m_drawn.initializers)
                params += t.numel();
            s.caption = name + tr2(L, ": ", "：") + std::to_string(m_drawn.nodes.size()) +
                        tr2(L, " nodes, ", " 个节点，") + std::to_string(params) +
                        tr2(L, " parameters", " 个参数");
            if (!m_problems.empty())
                s.caption += tr2(L, " · ", " · ") + std::to_string(m_problems.size()) +
                             tr2(L, " cannot run (dashed)", " 个无法运行（虚线）");
            if (frame > 0)
                s.caption += tr2(L, " · cannot run: ", " · 无法运行：") + m_runError;
            return s;
        }
        // 2. The run, node by node, with the dims it was bound to.
        in.interp = &*m_interp;
        in.executed = frame;
        viz::Scene s = drawGraph(in);
        const int n = static_cast<int>(m_interp->order().size());
        const auto& node = m_interp->graph().nodes[m_interp->order()[frame - 1]];
        s.caption = name + " · " + tr2(L, "node ", "节点 ") + std::to_string(frame) + "/" +
                    std::to_string(n) + " · " + node.op + " " + node.name;
        if (!m_dims.empty()) {
            std::string bound;
            for (const auto& [d, v] : m_dims)
                bound += (bound.empty() ? "" : ", ") + d + "=" + std::to_string(v);
            s.caption += tr2(L, " · with ", " · 取 ") + bound;
        }
        return s;
    }

    /// The dims a run binds (the `dims` parameter, else a default per name).
    const std::map<std::string, std::int64_t>& dims() const { return m_dims; }

private:
    /// Runs the model once, the first time a frame of the run is drawn: re-import with the
    /// dims bound, feed seeded inputs, run with every value kept. A failure (an unsupported
    /// op, the memory budget, a kernel error) is kept as the message frames show.
    void ensureRun() const {
        std::call_once(m_once, [this] {
            try {
                if (!m_problems.empty()) {
                    const auto& [node, message] = *m_problems.begin();
                    (void)node;
                    throw std::invalid_argument(message);
                }
                engine::OnnxImportOptions io;
                io.dims = m_dims;
                m_interp.emplace(engine::importOnnxFile(m_file, io));
                for (auto& [input, t] : engine::models::seededInputs(m_interp->graph(), m_seed))
                    m_interp->setInput(input, std::move(t));
                m_interp->run(); // every value kept: any frame draws without re-running
            } catch (const std::exception& e) {
                m_interp.reset();
                m_runError = e.what();
            }
        });
    }

    std::string m_file;
    engine::Graph m_drawn;
    std::map<int, std::string> m_problems;
    std::map<std::string, std::int64_t> m_dims;
    std::uint64_t m_seed;
    mutable std::once_flag m_once;
    mutable std::optional<engine::Interpreter> m_interp;
    mutable std::string m_runError;
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
        {"dims",
         ParamType::Text,
         {"symbolic dims for the run (N=1, H=224)", "运行时的符号维度（N=1, H=224）"},
         0,
         0,
         {},
         std::string()},
        {"dim",
         ParamType::Int,
         {"other symbolic dims (batch …)", "其余符号维度（批大小等）"},
         1,
         64,
         {},
         std::int64_t{1}},
        {"seed", ParamType::Int, {"input seed", "输入随机种子"}, 0, 999, {}, std::int64_t{0}},
    };
}

std::unique_ptr<LabRun> OnnxModelLab::run(const ParamSet& p) const {
    // 1. Import the file for drawing: unsupported ops kept, symbolic dims named through the
    //    graph, the nodes inference could not handle listed. Nothing runs here.
    // 2. The dims a run will bind: `dims` ("N=1, H=224"), else defaultDimSize per name.
    const std::string file = p.getString("model");
    if (file.empty())
        throw std::invalid_argument("no model file: set the 'model' parameter to an .onnx file");
    std::vector<engine::InferenceProblem> problems;
    engine::OnnxImportOptions io;
    io.keepUnsupported = true;
    io.problems = &problems;
    engine::Graph g = engine::importOnnxFile(file, io);
    std::map<int, std::string> byNode;
    for (const auto& pr : problems)
        byNode.emplace(pr.node, pr.message);
    std::map<std::string, std::int64_t> given;
    const std::string text = p.getString("dims");
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t end = text.find_first_of(",;", at);
        if (end == std::string::npos)
            end = text.size();
        std::string item = text.substr(at, end - at);
        while (!item.empty() && item.front() == ' ')
            item.erase(item.begin());
        while (!item.empty() && item.back() == ' ')
            item.pop_back();
        if (!item.empty()) {
            try {
                engine::parseDimBinding(item, given);
            } catch (const std::exception& e) {
                throw std::invalid_argument("parameter 'dims': " + std::string(e.what()) +
                                            " (expected NAME=V, separated by commas)");
            }
        }
        at = end + 1;
    }
    std::map<std::string, std::int64_t> dims;
    for (int in : g.inputs)
        for (const std::string& d : g.values[in].dimParams)
            if (!d.empty())
                dims[d] = given.count(d) ? given[d] : engine::defaultDimSize(d, p.getInt("dim", 1));
    for (const auto& [d, v] : given)
        if (!dims.count(d))
            throw std::invalid_argument("parameter 'dims': the model has no symbolic dimension '" +
                                        d + "'");
    return std::make_unique<OnnxModelRun>(std::move(g), std::move(byNode), file, std::move(dims),
                                          static_cast<std::uint64_t>(p.getInt("seed", 0)));
}

} // namespace aisys::lessons
