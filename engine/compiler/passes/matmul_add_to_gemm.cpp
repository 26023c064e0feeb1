// matmul-add-to-gemm: MatMul(A, B) + C → Gemm(A, B, C).
//
// 1. Find an Add whose one operand is the output of a MatMul read by nobody else.
// 2. Gemm is 2-D only: A and B must be rank 2 with static shapes [M, K], [K, N], float.
// 3. C (the Add's other operand) must broadcast to [M, N] without enlarging it (Gemm's
//    unidirectional broadcast: [N], [1, N], [M, 1], [M, N] or a scalar) and have A's type.
// 4. Replace both by Gemm(A, B, C) (alpha = beta = 1, no transposes); the Add's readers read
//    the Gemm.
// 5. compact().
#include "engine/compiler/passes/pass_util.h"
#include "engine/compiler/passes/passes.h"

namespace aisys::engine::compiler::passes {

namespace {

PassResult run(Graph& g) {
    PassResult r;
    GraphEditor e(g);
    for (int n : g.topoOrder()) {
        if (e.removed(n) || g.nodes[n].op != "Add" || g.nodes[n].inputs.size() != 2)
            continue;
        const Node add = g.nodes[n];
        for (int side = 0; side < 2; ++side) {
            const int mmOut = add.inputs[static_cast<std::size_t>(side)];
            const int c = add.inputs[static_cast<std::size_t>(1 - side)];
            const int mm = producerOf(e, mmOut);
            if (mm < 0 || g.nodes[mm].op != "MatMul" || soleConsumer(e, mmOut) != n)
                continue;
            const int a = g.nodes[mm].inputs[0], b = g.nodes[mm].inputs[1];
            const auto sa = staticShape(g, a), sb = staticShape(g, b), sc = staticShape(g, c);
            const auto so = staticShape(g, mmOut);
            if (!sa || !sb || !sc || !so || sa->size() != 2 || sb->size() != 2 || sc->size() > 2 ||
                !isFloat(g.values[a].dtype) || g.values[c].dtype != g.values[a].dtype ||
                broadcastShapes(*so, *sc) != *so || !e.replaceable(add.outputs[0]))
                continue;
            const std::string mmName = g.nodes[mm].name;
            const int gemm = e.addNode("Gemm", mmName + "_gemm", {a, b, c},
                                       {g.values[add.outputs[0]].name + "_g"});
            if (!bypass(e, n, add.outputs[0], e.output(gemm))) {
                e.removeNode(gemm);
                continue;
            }
            e.removeNode(mm);
            r.log.push_back(merged("MatMul+Add -> Gemm", {mmName, add.name}, {g.nodes[gemm].name}));
            break;
        }
    }
    r.changed = !r.log.empty();
    if (r.changed)
        e.compact();
    return r;
}

} // namespace

std::unique_ptr<Pass> makeMatMulAddToGemm() {
    return std::make_unique<FunctionPass>(
        "matmul-add-to-gemm",
        "Replaces MatMul(A, B) + C by Gemm(A, B, C) when A and B are 2-D and C broadcasts to "
        "the product.",
        run);
}

} // namespace aisys::engine::compiler::passes
