// If and Loop with ONNX semantics: subgraph attributes inferred and run by nested Interpreters.
#include "engine/ops/control_flow.h"
#include "engine/ops/op_library.h"

#include "engine/graph/interpreter.h"
#include "engine/ops/op_kit.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace aisys::engine::ops {

namespace {

/// Known values up to this many elements become initializers of an inferred subgraph copy.
constexpr std::int64_t kFoldLimit = 1 << 16;

/// Number of ONNX (explicit) inputs of a node: its implicit outer-scope inputs excluded.
std::size_t explicitInputs(const OpCall& c) {
    return c.node.inputs.size() - static_cast<std::size_t>(c.node.implicitInputs);
}

/// One type covering both: equal dims stay, differing dims become -1 (a rank mismatch keeps
/// `a`'s rank with every dim unknown). Throws when the dtypes differ.
TensorType mergeTypes(const TensorType& a, const TensorType& b, const std::string& what) {
    if (a.dtype != b.dtype)
        fail(what + ": " + dtypeName(a.dtype) + " vs " + dtypeName(b.dtype));
    TensorType m = a;
    for (std::size_t i = 0; i < m.shape.size(); ++i)
        if (a.shape.size() != b.shape.size() || a.shape[i] != b.shape[i])
            m.shape[i] = -1;
    return m;
}

/// The single element of a condition tensor as a bool.
bool scalarTrue(const Tensor* t, const char* what) {
    if (!t || t->numel() != 1)
        fail(std::string(what) + " must hold exactly one element");
    return t->at(0) != 0;
}

/// Declared output types of a subgraph (used when inference of its copy fails statically).
std::vector<TensorType> declaredOutputs(const Graph& g) {
    std::vector<TensorType> out;
    for (int o : g.outputs) {
        TensorType t{g.values[o].dtype, g.values[o].shape};
        std::fill(t.shape.begin(), t.shape.end(), -1);
        out.push_back(t);
    }
    return out;
}

/// Stacks per-iteration scan values along a new axis 0.
Tensor stack(const std::vector<Tensor>& items, const TensorType& empty, std::size_t index) {
    if (items.empty()) {
        Shape s{0};
        for (auto d : empty.shape)
            s.push_back(std::max<std::int64_t>(d, 0));
        return Tensor(empty.dtype, s);
    }
    Shape s{static_cast<std::int64_t>(items.size())};
    s.insert(s.end(), items[0].shape().begin(), items[0].shape().end());
    Tensor out(items[0].dtype(), s);
    auto* dst = static_cast<char*>(out.rawData());
    for (const Tensor& t : items) {
        if (t.dtype() != items[0].dtype() || t.shape() != items[0].shape())
            fail("scan output " + std::to_string(index) + " changes type across iterations (" +
                 dtypeName(t.dtype()) + " " + shapeToString(t.shape()) + " vs " +
                 dtypeName(items[0].dtype()) + " " + shapeToString(items[0].shape()) + ")");
        if (t.bytes() > 0) {
            std::memcpy(dst, t.rawData(), t.bytes());
            dst += t.bytes();
        }
    }
    return out;
}

} // namespace

const Subgraph& subgraphAttr(const Node& n, const char* name) {
    auto it = n.attrs.find(name);
    if (it == n.attrs.end())
        fail(std::string("missing graph attribute '") + name + "'");
    const auto* s = std::get_if<Subgraph>(&it->second);
    if (!s)
        fail(std::string("attribute '") + name + "': expected a graph");
    return *s;
}

Graph standaloneSubgraph(const Subgraph& sub, const OpCall& c,
                         const std::vector<TensorType>& formal, bool foldKnown) {
    // 1. Copy the graph; type its formal inputs as given (counts must agree).
    // 2. Each outer reference reads node input bindings()[j]: it becomes an input of that type,
    //    or (foldKnown, value known and small) an initializer holding the value.
    // 3. The copy uses the caller's opset.
    Graph g = sub.graph();
    if (formal.size() != g.inputs.size())
        fail("subgraph '" + g.name + "' has " + std::to_string(g.inputs.size()) +
             " inputs, expected " + std::to_string(formal.size()));
    for (std::size_t i = 0; i < formal.size(); ++i) {
        Value& v = g.values[g.inputs[i]];
        v.dtype = formal[i].dtype;
        v.shape = formal[i].shape;
        v.dimParams.clear();
        v.typeKnown = true;
    }
    if (sub.bindings().size() != g.outerRefs.size())
        fail("subgraph '" + g.name + "' has unbound outer references");
    for (std::size_t j = 0; j < g.outerRefs.size(); ++j) {
        const int id = g.outerRefs[j];
        const auto b = static_cast<std::size_t>(sub.bindings()[j]);
        if (b >= c.in.size())
            fail("subgraph '" + g.name + "': outer reference out of range");
        Value& v = g.values[id];
        v.dtype = c.in[b].dtype;
        v.shape = c.in[b].shape;
        v.dimParams.clear();
        const Tensor* known = foldKnown ? c.constant(b) : nullptr;
        if (known && known->numel() <= kFoldLimit) {
            v.initializer = true;
            g.initializers[id] = *known;
        } else {
            g.inputs.push_back(id);
        }
    }
    g.outerRefs.clear();
    g.opsetImports = {{"", c.opset}};
    return g;
}

std::vector<TensorType> inferSubgraph(const Subgraph& sub, const OpCall& c,
                                      const std::vector<TensorType>& formal) {
    Graph g = standaloneSubgraph(sub, c, formal, true);
    try {
        inferShapes(g);
    } catch (const std::invalid_argument&) {
        // A subgraph that needs run-time values: fall back to its declared outputs.
        return declaredOutputs(sub.graph());
    }
    std::vector<TensorType> out;
    for (int o : g.outputs)
        out.push_back({g.values[o].dtype, g.values[o].shape});
    return out;
}

struct SubgraphRunner::State {
    std::vector<TensorType> formal, outer;
    std::unique_ptr<Interpreter> interpreter;
    std::mutex mutex; ///< held by the runner using a cached state
};

SubgraphRunner::SubgraphRunner(const Subgraph& sub, const OpCall& c,
                               const std::vector<const Tensor*>& nodeIn, bool cached)
    : m_sub(sub), m_call(c), m_nodeIn(nodeIn) {
    if (cached) {
        std::shared_ptr<void>& slot = sub.runCache();
        if (!slot)
            slot = std::make_shared<State>();
        auto state = std::static_pointer_cast<State>(slot);
        std::unique_lock<std::mutex> lock(state->mutex, std::try_to_lock);
        if (lock.owns_lock()) {
            m_state = std::move(state);
            m_lock = std::move(lock);
            return;
        }
    }
    m_state = std::make_shared<State>();
}

SubgraphRunner::~SubgraphRunner() = default;

std::vector<Tensor> SubgraphRunner::run(const std::vector<const Tensor*>& formal) {
    // 1. (Re)build the nested interpreter when the formal inputs' types changed; outer
    //    references are fed once per build from the node's inputs.
    // 2. Feed the formal inputs, run, and copy the outputs out.
    std::vector<TensorType> types, outer;
    for (const Tensor* t : formal)
        types.push_back({t->dtype(), t->shape()});
    for (int b : m_sub.bindings())
        outer.push_back(m_call.in.at(static_cast<std::size_t>(b)));
    const auto sameTypes = [](const std::vector<TensorType>& x, const std::vector<TensorType>& y) {
        return x.size() == y.size() && std::equal(x.begin(), x.end(), y.begin(),
                                                  [](const TensorType& a, const TensorType& b) {
                                                      return a.dtype == b.dtype &&
                                                             a.shape == b.shape;
                                                  });
    };
    const bool same = m_state->interpreter && sameTypes(types, m_state->formal) &&
                      sameTypes(outer, m_state->outer);
    const Graph& sg = m_sub.graph();
    if (!same) {
        Graph g = standaloneSubgraph(m_sub, m_call, types, false);
        m_state->interpreter = std::make_unique<Interpreter>(std::move(g));
        m_state->formal = types;
        m_state->outer = outer;
    } else {
        m_state->interpreter->reset();
    }
    // Outer references and formal inputs are read in place (views, fed again after every
    // reset): a Silero VAD branch used to copy its 700 KB of weights on every call.
    for (std::size_t j = 0; j < sg.outerRefs.size(); ++j) {
        const Tensor* v = m_nodeIn[static_cast<std::size_t>(m_sub.bindings()[j])];
        if (!v)
            fail("outer value '" + sg.values[sg.outerRefs[j]].name + "' has no value");
        m_state->interpreter->setInputView(sg.values[sg.outerRefs[j]].name, *v);
    }
    Interpreter& ip = *m_state->interpreter;
    for (std::size_t i = 0; i < formal.size(); ++i)
        ip.setInputView(sg.values[sg.inputs[i]].name, *formal[i]);
    ip.run();
    // Computed outputs are moved out; one listed twice, an input or a weight is copied.
    std::vector<Tensor> out;
    const auto& outs = ip.graph().outputs;
    for (std::size_t i = 0; i < outs.size(); ++i) {
        const Tensor* t = ip.value(outs[i]);
        if (!t)
            fail("subgraph output '" + ip.graph().values[outs[i]].name + "' was not computed");
        const bool again = std::find(outs.begin() + static_cast<std::ptrdiff_t>(i) + 1, outs.end(),
                                     outs[i]) != outs.end();
        out.push_back(again ? *t : ip.takeValue(outs[i]));
    }
    return out;
}

OpDef ifOp() {
    OpDef d;
    d.type = "If";
    d.category = FusionCategory::Opaque;
    d.sizesOwnOutputs = true;
    d.attrs = {{"then_branch", ""}, {"else_branch", ""}};
    d.infer = [](const OpCall& c) {
        // 1. The condition is one bool. 2. A known condition infers the branch it takes;
        // otherwise both, merged (dims that differ become -1).
        if (explicitInputs(c) != 1)
            fail("expects 1 input (the condition), got " + std::to_string(explicitInputs(c)));
        if (c.in[0].dtype != DType::Bool)
            fail(std::string("condition must be bool, got ") + dtypeName(c.in[0].dtype));
        const Subgraph& thenG = subgraphAttr(c.node, "then_branch");
        const Subgraph& elseG = subgraphAttr(c.node, "else_branch");
        if (thenG.graph().outputs.size() != elseG.graph().outputs.size())
            fail("then_branch has " + std::to_string(thenG.graph().outputs.size()) +
                 " outputs, else_branch " + std::to_string(elseG.graph().outputs.size()));
        if (const Tensor* cond = c.constant(0))
            return inferSubgraph(scalarTrue(cond, "the condition") ? thenG : elseG, c, {});
        auto a = inferSubgraph(thenG, c, {});
        auto b = inferSubgraph(elseG, c, {});
        for (std::size_t i = 0; i < a.size(); ++i)
            a[i] = mergeTypes(a[i], b[i], "branches give output " + std::to_string(i) + " as");
        return a;
    };
    d.flops = noFlops;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        const bool cond = scalarTrue(in[0], "the condition");
        SubgraphRunner runner(subgraphAttr(c.node, cond ? "then_branch" : "else_branch"), c, in,
                              true);
        auto results = runner.run({});
        for (std::size_t i = 0; i < out.size() && i < results.size(); ++i)
            out[i] = std::move(results[i]);
    };
    return d;
}

OpDef loopOp() {
    OpDef d;
    d.type = "Loop";
    d.category = FusionCategory::Opaque;
    d.sizesOwnOutputs = true;
    d.attrs = {{"body", ""}};
    d.infer = [](const OpCall& c) {
        // 1. Inputs M (i64, optional), cond (bool, optional), N loop-carried values; the body
        //    takes (iteration, cond, N values) and gives (cond, N values, K scan values).
        // 2. Infer the body with the carried types, widening dims that change between
        //    iterations until the types settle (at most a few rounds).
        // 3. Outputs: N final values, K scans stacked on a new axis 0 (length M when the loop
        //    has no condition input and M is known, else -1).
        const std::size_t nIn = explicitInputs(c);
        if (nIn < 2)
            fail("expects at least 2 inputs (M, cond), got " + std::to_string(nIn));
        const std::size_t n = nIn - 2;
        const Subgraph& body = subgraphAttr(c.node, "body");
        const Graph& bg = body.graph();
        if (bg.inputs.size() != n + 2 || bg.outputs.size() < n + 1)
            fail("body has " + std::to_string(bg.inputs.size()) + " inputs and " +
                 std::to_string(bg.outputs.size()) + " outputs, expected " + std::to_string(n + 2) +
                 " inputs and at least " + std::to_string(n + 1) + " outputs for " +
                 std::to_string(n) + " loop-carried values");
        if (c.has(0) && c.in[0].dtype != DType::I64)
            fail(std::string("trip count M must be i64, got ") + dtypeName(c.in[0].dtype));
        if (c.has(1) && c.in[1].dtype != DType::Bool)
            fail(std::string("cond must be bool, got ") + dtypeName(c.in[1].dtype));
        std::vector<TensorType> formal{{DType::I64, {}}, {DType::Bool, {}}};
        for (std::size_t k = 0; k < n; ++k) {
            if (!c.has(2 + k))
                fail("loop-carried input " + std::to_string(k) + " is missing");
            formal.push_back(c.in[2 + k]);
        }
        std::vector<TensorType> out;
        for (int round = 0; round < 3; ++round) {
            out = inferSubgraph(body, c, formal);
            bool settled = true;
            for (std::size_t k = 0; k < n; ++k) {
                TensorType m = mergeTypes(formal[2 + k], out[1 + k],
                                          "loop-carried value " + std::to_string(k) + " is");
                settled = settled && m.shape == formal[2 + k].shape;
                formal[2 + k] = m;
            }
            if (settled)
                break;
        }
        std::int64_t trips = -1;
        if (c.has(0) && !c.has(1))
            if (const Tensor* m = c.constant(0); m && m->numel() == 1)
                trips = std::max<std::int64_t>(m->atInt(0), 0);
        std::vector<TensorType> result(formal.begin() + 2, formal.end());
        for (std::size_t j = n + 1; j < out.size(); ++j) {
            TensorType s{out[j].dtype, {trips}};
            s.shape.insert(s.shape.end(), out[j].shape.begin(), out[j].shape.end());
            result.push_back(s);
        }
        return result;
    };
    d.flops = noFlops;
    d.forward = [](const OpCall& c, const std::vector<const Tensor*>& in,
                   std::vector<Tensor>& out) {
        // 1. for (i = 0; i < M && cond; ++i): run the body on (i, cond, carried...).
        // 2. The body's cond feeds the next test only when the loop has a cond input (ONNX
        //    ignores it otherwise); its carried outputs feed the next iteration.
        // 3. Scan outputs are collected per iteration and stacked.
        const std::size_t n = explicitInputs(c) - 2;
        if (!c.has(0) && !c.has(1))
            fail("has neither a trip count nor a condition, so it would never end");
        const std::int64_t trips =
            c.has(0) ? in[0]->atInt(0) : std::numeric_limits<std::int64_t>::max();
        bool cond = c.has(1) ? scalarTrue(in[1], "cond") : true;
        const Subgraph& body = subgraphAttr(c.node, "body");
        const std::size_t k = body.graph().outputs.size() - 1 - n;
        std::vector<Tensor> carried;
        for (std::size_t i = 0; i < n; ++i)
            carried.push_back(*in[2 + i]);
        std::vector<std::vector<Tensor>> scans(k);
        SubgraphRunner runner(body, c, in);
        for (std::int64_t i = 0; i < trips && cond; ++i) {
            Tensor iter = Tensor::i64({}, {i});
            Tensor condIn = Tensor::of<bool>({}, {cond});
            std::vector<const Tensor*> formal{&iter, &condIn};
            for (const Tensor& t : carried)
                formal.push_back(&t);
            auto results = runner.run(formal);
            if (c.has(1))
                cond = scalarTrue(&results[0], "the body's cond output");
            for (std::size_t j = 0; j < n; ++j)
                carried[j] = std::move(results[1 + j]);
            for (std::size_t j = 0; j < k; ++j)
                scans[j].push_back(std::move(results[1 + n + j]));
        }
        for (std::size_t j = 0; j < n && j < out.size(); ++j)
            out[j] = std::move(carried[j]);
        std::vector<TensorType> bodyTypes;
        if (k > 0 && scans[0].empty()) { // no iteration ran: scans take the inferred types
            std::vector<TensorType> formal{{DType::I64, {}}, {DType::Bool, {}}};
            for (std::size_t i = 0; i < n; ++i)
                formal.push_back(c.in[2 + i]);
            bodyTypes = inferSubgraph(body, c, formal);
        }
        for (std::size_t j = 0; j < k && n + j < out.size(); ++j)
            out[n + j] =
                stack(scans[j], bodyTypes.empty() ? TensorType{} : bodyTypes[1 + n + j], j);
    };
    return d;
}

} // namespace aisys::engine::ops
