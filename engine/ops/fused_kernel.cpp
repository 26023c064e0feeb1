// aisys:Fused: shape inference through the body, and the three kernels (see fused_kernel.h).
//
// The element-wise kernel:
// 1. Give every external operand (a body input, or the anchor's result) a stride per output
//    dimension, 0 where it is broadcast, exactly like numpy broadcasting to the output shape.
// 2. Compile the members, in the body's order, to instructions over registers: one register
//    per external operand, one per member output; an instruction is the member op's
//    element-wise formula (OpDef::elementwise) with the member's parameters.
// 3. Walk the output once, row-major, in blocks of up to 512 consecutive elements of a row: load
//    the operands' elements of the block into register arrays, run each instruction over the
//    block, store the output registers. A member whose output is smaller than the final output
//    (it broadcasts later) is evaluated at the broadcast index, which gives the same value.
#include "engine/ops/fused_kernel.h"
#include "engine/ops/op_library.h"

#include "engine/graph/interpreter.h"
#include "engine/ops/op_kit.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <type_traits>
#include <utility>

namespace aisys::engine::ops {

namespace {

/// One instruction: dst = f(a, b, c) with the member's parameters (b, c: -1 when absent).
struct Instr {
    ElementwiseFormula formula;
    ScalarParams params;
    int dst = 0, a = 0, b = -1, c = -1;
};

/// The compiled chain: registers [0, externals) are operands, then one per member output.
struct Chain {
    std::vector<int> externals; ///< body value id of each operand register
    std::vector<Instr> code;
    int registers = 0;
    std::vector<int> results; ///< one register per body output (all of one shape)
};

/// The op's formula, or nullptr when the fused element-wise kernel cannot evaluate node `n`.
const ElementwiseFormula* formulaOf(const Node& n) {
    const OpDef* def = OpRegistry::builtin().find(n.op);
    if (!def || !def->elementwise || n.outputs.size() != 1)
        return nullptr;
    return &def->elementwise;
}

/// Compiles the body's nodes (skipping node `skip`, the anchor) into a chain.
Chain compile(const Graph& body, int skip, const std::vector<int>& externals) {
    Chain ch;
    std::map<int, int> reg;
    for (int v : externals) {
        reg[v] = ch.registers++;
        ch.externals.push_back(v);
    }
    auto regOf = [&](int v, const Node& n) {
        auto it = reg.find(v);
        if (it == reg.end())
            fail("fused element-wise body: node '" + n.name + "' reads a value it cannot see");
        return it->second;
    };
    for (int ni : body.topoOrder()) {
        if (ni == skip)
            continue;
        const Node& n = body.nodes[ni];
        const ElementwiseFormula* f = formulaOf(n);
        if (!f)
            fail("fused element-wise body: op " + n.op + " of node '" + n.name +
                 "' is not element-wise evaluable");
        Instr in{*f, f->paramsOf(n)};
        auto operand = [&](std::size_t k) {
            return k < n.inputs.size() && static_cast<int>(k) < f->operands && n.inputs[k] >= 0
                       ? regOf(n.inputs[k], n)
                       : -1;
        };
        in.a = regOf(n.inputs.at(0), n);
        in.b = operand(1);
        in.c = operand(2);
        in.dst = ch.registers++;
        reg[n.outputs[0]] = in.dst;
        ch.code.push_back(in);
    }
    if (body.outputs.empty())
        fail("fused element-wise body has no output");
    for (int o : body.outputs)
        ch.results.push_back(regOf(o, body.nodes.at(0)));
    return ch;
}

/// The formula's block function for element type T.
template <class T> BlockFn<T> blockFn(const ElementwiseFormula& f) {
    if constexpr (std::is_same_v<T, float>)
        return f.f32;
    else
        return f.f64;
}

/// Step 3: one pass over the output. Elements are taken in blocks of up to kBlock consecutive
/// elements of one row (last dimension); each instruction runs over the block in register
/// arrays that stay in L1 (numexpr's scheme), so no intermediate tensor is ever allocated or
/// written; every element gets exactly the per-element chain. A horizontally fused body has
/// several outputs of one shape, all written in the same pass.
template <class T>
void runChain(const Chain& ch, const std::vector<const Tensor*>& ops, std::vector<Tensor>& outs) {
    constexpr std::int64_t kBlock = 512;
    Tensor& out = outs.at(0);
    const Shape& os = out.shape();
    for (const Tensor& t : outs)
        if (t.shape() != os)
            fail("fused element-wise outputs must share one shape, got " +
                 shapeToString(t.shape()) + " and " + shapeToString(os));
    // Step 1: broadcast strides per operand and output dimension.
    const std::size_t r = os.size(), e = ops.size();
    std::vector<std::vector<std::int64_t>> strides(e, std::vector<std::int64_t>(r, 0));
    std::vector<const T*> src(e);
    for (std::size_t k = 0; k < e; ++k) {
        const Shape& s = ops[k]->shape();
        if (s.size() > r)
            fail("fused operand of rank " + std::to_string(s.size()) + " exceeds output rank");
        std::int64_t stride = 1;
        for (std::size_t i = 0; i < s.size(); ++i) {
            const std::size_t d = s.size() - 1 - i;
            if (s[d] != 1 && s[d] != os[r - 1 - i])
                fail("fused operand " + shapeToString(s) + " does not broadcast to " +
                     shapeToString(os));
            strides[k][r - 1 - i] = s[d] == 1 ? 0 : stride;
            stride *= s[d];
        }
        src[k] = ops[k]->data<T>();
    }
    std::vector<T*> dst;
    for (Tensor& t : outs)
        dst.push_back(t.data<T>());
    const std::int64_t n = out.numel();
    // Merge the innermost dims while every operand walks them as one (contiguous, or broadcast
    // over both): a [1, 32, 160, 160] output with a per-channel operand is walked as rows of
    // 25,600, so blocks are full (kBlock) instead of one 160-element row each.
    Shape ms = os;
    std::size_t mr = r;
    while (mr >= 2) {
        bool mergeable = true;
        for (std::size_t k = 0; k < e && mergeable; ++k)
            mergeable = strides[k][mr - 2] == strides[k][mr - 1] * ms[mr - 1];
        if (!mergeable)
            break;
        ms[mr - 2] *= ms[mr - 1];
        for (std::size_t k = 0; k < e; ++k)
            strides[k].erase(strides[k].begin() + static_cast<std::ptrdiff_t>(mr - 2));
        ms.erase(ms.begin() + static_cast<std::ptrdiff_t>(mr - 1));
        --mr;
    }
    const std::int64_t inner = mr ? ms[mr - 1] : 1;
    if (n == 0 || inner == 0)
        return;
    const std::int64_t rows = n / inner;
    std::vector<T> regs(static_cast<std::size_t>(ch.registers * kBlock));
    auto reg = [&](int i) { return regs.data() + static_cast<std::size_t>(i) * kBlock; };
    std::vector<std::int64_t> idx(mr, 0), base(e, 0);
    for (std::int64_t row = 0; row < rows; ++row) {
        for (std::int64_t j0 = 0; j0 < inner; j0 += kBlock) {
            const std::int64_t len = std::min(kBlock, inner - j0);
            for (std::size_t k = 0; k < e; ++k) { // load the operands of this block
                const std::int64_t st = mr ? strides[k][mr - 1] : 0;
                const T* p = src[k] + base[k] + j0 * st;
                T* d = reg(static_cast<int>(k));
                if (st == 1)
                    std::copy(p, p + len, d);
                else if (st == 0)
                    std::fill(d, d + len, *p);
                else
                    for (std::int64_t i = 0; i < len; ++i)
                        d[i] = p[i * st];
            }
            for (const Instr& in : ch.code)
                blockFn<T>(in.formula)(in.params, reg(in.dst), reg(in.a),
                                       in.b >= 0 ? reg(in.b) : nullptr,
                                       in.c >= 0 ? reg(in.c) : nullptr, len);
            for (std::size_t j = 0; j < dst.size(); ++j)
                std::copy(reg(ch.results[j]), reg(ch.results[j]) + len, dst[j] + row * inner + j0);
        }
        for (int d = static_cast<int>(mr) - 2; d >= 0; --d) { // next row: odometer, outer dims
            for (std::size_t k = 0; k < e; ++k)
                base[k] += strides[k][d];
            if (++idx[d] < ms[d])
                break;
            for (std::size_t k = 0; k < e; ++k)
                base[k] -= strides[k][d] * ms[d];
            idx[d] = 0;
        }
    }
}

const Subgraph& body(const Node& n) {
    auto it = n.attrs.find("body");
    if (it == n.attrs.end() || !std::holds_alternative<Subgraph>(it->second))
        fail("aisys:Fused needs a graph attribute 'body'");
    return std::get<Subgraph>(it->second);
}

/// A copy of the body with its inputs typed as the call's and shapes inferred. Small integer
/// inputs whose values are known (shape tensors folded outside) become initializers of the copy,
/// so that Reshape, Expand, ... inside see them; `inputs` keeps the body's input ids in order.
struct TypedBody {
    Graph g;
    std::vector<int> inputs;
};

TypedBody typedBody(const OpCall& c) {
    TypedBody b{body(c.node).graph(), {}};
    Graph& g = b.g;
    b.inputs = g.inputs;
    if (g.inputs.size() != c.inputCount())
        fail("body has " + std::to_string(g.inputs.size()) + " inputs, node has " +
             std::to_string(c.inputCount()));
    std::vector<int> remaining;
    for (std::size_t i = 0; i < b.inputs.size(); ++i) {
        if (!c.has(i))
            fail("aisys:Fused input " + std::to_string(i) + " is omitted");
        Value& v = g.values[b.inputs[i]];
        v.dtype = c.in[i].dtype;
        v.shape = c.in[i].shape;
        const Tensor* k = c.constant(i);
        if (k && (k->dtype() == DType::I64 || k->dtype() == DType::I32) && k->numel() <= 4096) {
            v.initializer = true;
            g.initializers[b.inputs[i]] = *k;
        } else {
            remaining.push_back(b.inputs[i]);
        }
    }
    g.inputs = remaining;
    inferShapes(g);
    return b;
}

/// What a Fused node prepares for one set of input types (and folded small integer inputs):
/// the typed body, and — built on the first run — its nested interpreter ("subgraph") or its
/// compiled chain with the anchor ("elementwise", "epilogue"). Kept in the body's runCache(),
/// so a node runs without copying, re-inferring or recompiling its body on every call.
struct Prepared {
    std::vector<TensorType> types;             ///< per input
    std::vector<std::vector<std::uint8_t>> ks; ///< per input: its bytes when folded, else empty
    std::vector<char> folded;                  ///< per input: folded into the body
    TypedBody tb;
    std::vector<TensorType> outTypes;
    bool built = false;
    std::unique_ptr<Interpreter> interp; ///< kernel "subgraph"
    Chain chain;                         ///< "elementwise", "epilogue"
    int anchor = -1;                     ///< "epilogue": the anchor node of tb.g
    const OpDef* anchorDef = nullptr;
    TensorType anchorType;
    std::vector<int> anchorIn;  ///< per anchor input: index into the call's inputs
    std::vector<int> operandIn; ///< per chain operand: call input, -1 the anchor
};

struct FusedCache {
    std::mutex mutex;
    std::shared_ptr<Prepared> p;
};

/// Whether input i is folded into the typed body (typedBody's rule).
const Tensor* foldedInput(const OpCall& c, std::size_t i) {
    const Tensor* k = c.constant(i);
    return k && (k->dtype() == DType::I64 || k->dtype() == DType::I32) && k->numel() <= 4096
               ? k
               : nullptr;
}

bool matches(const Prepared& p, const OpCall& c) {
    if (p.types.size() != c.inputCount())
        return false;
    for (std::size_t i = 0; i < p.types.size(); ++i) {
        if (!c.has(i) || c.in[i].dtype != p.types[i].dtype || c.in[i].shape != p.types[i].shape)
            return false;
        const Tensor* k = foldedInput(c, i);
        if ((k != nullptr) != (p.folded[i] != 0))
            return false;
        if (k && (k->bytes() != p.ks[i].size() ||
                  !std::equal(p.ks[i].begin(), p.ks[i].end(),
                              static_cast<const std::uint8_t*>(k->rawData()))))
            return false;
    }
    return true;
}

std::shared_ptr<Prepared> prepareTypes(const OpCall& c) {
    auto p = std::make_shared<Prepared>();
    p->tb = typedBody(c);
    for (std::size_t i = 0; i < c.inputCount(); ++i) {
        p->types.push_back(c.in[i]);
        const Tensor* k = foldedInput(c, i);
        p->folded.push_back(k != nullptr);
        const auto* bytes = k ? static_cast<const std::uint8_t*>(k->rawData()) : nullptr;
        p->ks.emplace_back(bytes, bytes ? bytes + k->bytes() : bytes);
    }
    for (int o : p->tb.g.outputs)
        p->outTypes.push_back({p->tb.g.values[o].dtype, p->tb.g.values[o].shape});
    return p;
}

/// The node's prepared state for this call: the cached one when it matches, else a new one
/// (cached when the cache is free; another thread in it gets its own).
std::shared_ptr<Prepared> prepared(const OpCall& c) {
    std::shared_ptr<void>& slot = body(c.node).runCache();
    if (!slot)
        slot = std::make_shared<FusedCache>();
    auto cache = std::static_pointer_cast<FusedCache>(slot);
    std::unique_lock<std::mutex> lock(cache->mutex, std::try_to_lock);
    if (lock.owns_lock() && cache->p && matches(*cache->p, c))
        return cache->p;
    auto p = prepareTypes(c);
    if (lock.owns_lock())
        cache->p = p;
    return p;
}

/// Builds the kernel of a prepared state (once per state).
void build(Prepared& p, const std::string& kernel, const OpCall& c) {
    const Graph& g = p.tb.g;
    if (kernel == "subgraph") {
        p.interp = std::make_unique<Interpreter>(g);
        p.built = true;
        return;
    }
    std::vector<int> externals = p.tb.inputs;
    std::vector<int> operandIn;
    for (std::size_t i = 0; i < externals.size(); ++i)
        operandIn.push_back(static_cast<int>(i));
    if (kernel == "epilogue") {
        // The anchor is the first node; its kernel writes its result, the tail reads it once.
        p.anchor = g.topoOrder().at(0);
        const Node& a = g.nodes[p.anchor];
        p.anchorDef = OpRegistry::builtin().find(a.op);
        if (!p.anchorDef || a.outputs.size() != 1)
            fail("epilogue anchor '" + a.name + "' must be a single-output registered op");
        for (int v : a.inputs) {
            const auto it = std::find(p.tb.inputs.begin(), p.tb.inputs.end(), v);
            if (v >= 0 && it == p.tb.inputs.end())
                fail("epilogue anchor '" + a.name + "' reads a value that is not a body input");
            p.anchorIn.push_back(v < 0 ? -1 : static_cast<int>(it - p.tb.inputs.begin()));
        }
        p.anchorType = {g.values[a.outputs[0]].dtype, g.values[a.outputs[0]].shape};
        externals.push_back(a.outputs[0]);
        operandIn.push_back(-1);
    } else if (kernel != "elementwise") {
        fail("attribute 'kernel': expected elementwise, epilogue or subgraph, got \"" + kernel +
             "\"");
    }
    // Only the operands the element-wise nodes read (an anchor's weights are not theirs).
    std::set<int> read;
    for (const Node& n : g.nodes)
        if (&n != (p.anchor >= 0 ? &g.nodes[p.anchor] : nullptr))
            read.insert(n.inputs.begin(), n.inputs.end());
    std::vector<int> usedExt;
    for (std::size_t i = 0; i < externals.size(); ++i)
        if (read.count(externals[i])) {
            usedExt.push_back(externals[i]);
            p.operandIn.push_back(operandIn[i]);
        }
    p.chain = compile(g, p.anchor, usedExt);
    p.built = true;
    (void)c;
}

void forwardFused(const OpCall& c, const std::vector<const Tensor*>& in, std::vector<Tensor>& out) {
    const std::string kernel = attrString(c.node, "kernel", "subgraph");
    const std::shared_ptr<Prepared> hold = prepared(c);
    Prepared& p = *hold;
    if (!p.built)
        build(p, kernel, c);
    const Graph& g = p.tb.g;
    if (kernel == "subgraph") {
        Interpreter& it = *p.interp;
        it.reset();
        for (std::size_t i = 0; i < p.tb.inputs.size(); ++i)
            if (!g.values[p.tb.inputs[i]].initializer)
                it.setInputView(g.values[p.tb.inputs[i]].name, *in[i]);
        it.run();
        for (std::size_t i = 0; i < out.size(); ++i) {
            const bool again = std::find(g.outputs.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                         g.outputs.end(), g.outputs[i]) != g.outputs.end();
            out[i] = again ? *it.value(g.outputs[i]) : it.takeValue(g.outputs[i]);
        }
        return;
    }
    Tensor anchorOut;
    if (p.anchor >= 0) {
        const Node& a = g.nodes[p.anchor];
        std::vector<const Tensor*> ain;
        for (int i : p.anchorIn)
            ain.push_back(i < 0 ? nullptr : in[static_cast<std::size_t>(i)]);
        const OpCall ac = opCall(a, ain, c.opset);
        std::vector<Tensor> res = outputBuffers(*p.anchorDef, {p.anchorType});
        p.anchorDef->forward(ac, ain, res);
        anchorOut = std::move(res[0]);
    }
    std::vector<const Tensor*> operands;
    for (int i : p.operandIn)
        operands.push_back(i < 0 ? &anchorOut : in[static_cast<std::size_t>(i)]);
    for (const Tensor& t : out)
        if (t.dtype() != out[0].dtype())
            fail("fused element-wise outputs must share one type");
    for (const Tensor* t : operands)
        if (t->dtype() != out[0].dtype())
            fail(std::string("fused element-wise operands must share the output type ") +
                 dtypeName(out[0].dtype()));
    visitFloat(out[0].dtype(), [&](auto tag) {
        using T = decltype(tag);
        runChain<T>(p.chain, operands, out);
    });
}

} // namespace

bool scalarEvaluable(const Node& n) {
    return formulaOf(n) != nullptr;
}

bool validFusedKernel(const std::string& kernel) {
    return kernel == "elementwise" || kernel == "epilogue" || kernel == "subgraph";
}

OpDef fusedSubgraphOp() {
    OpDef d;
    d.type = "aisys:Fused";
    d.category = FusionCategory::Opaque;
    d.attrs = {{"body", ""},
               {"kernel", "subgraph"},
               {"members", ""},
               {"pattern", ""},
               {"bytes_saved", "0"}};
    d.infer = [](const OpCall& c) { return prepared(c)->outTypes; };
    d.flops = [](const OpCall& c, const std::vector<TensorType>&) {
        // The members' FLOPs: fusion removes memory traffic, not arithmetic.
        const std::shared_ptr<Prepared> p = prepared(c);
        const Graph& g = p->tb.g;
        double f = 0;
        for (const Node& n : g.nodes) {
            const OpDef* def = OpRegistry::builtin().find(n.op);
            OpCall nc = opCall(g, n);
            nc.opset = c.opset;
            std::vector<TensorType> o;
            for (int v : n.outputs)
                o.push_back({g.values[v].dtype, g.values[v].shape});
            if (def && def->flops)
                f += def->flops(nc, o);
        }
        return f;
    };
    d.forward = forwardFused;
    return d;
}

} // namespace aisys::engine::ops
