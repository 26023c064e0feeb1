// The one list of built-in ops: one line per op; the factories live in the files of engine/ops/.
#include "engine/graph/ops.h"

#include "engine/ops/op_library.h"

namespace aisys::engine {

const OpRegistry& OpRegistry::builtin() {
    // The one list of built-in ops: one line per op (factories live in engine/ops/).
    static const OpRegistry registry = [] {
        OpRegistry r;
        r.add(ops::arithmeticOp("Add"));
        r.add(ops::arithmeticOp("Sub"));
        r.add(ops::arithmeticOp("Mul"));
        r.add(ops::arithmeticOp("Div"));
        r.add(ops::arithmeticOp("Pow"));
        r.add(ops::arithmeticOp("PRelu"));
        r.add(ops::sqrtOp());
        r.add(ops::expOp());
        r.add(ops::logOp());
        r.add(ops::reciprocalOp());
        r.add(ops::sigmoidOp());
        r.add(ops::hardSigmoidOp());
        r.add(ops::hardSwishOp());
        r.add(ops::tanhOp());
        r.add(ops::erfOp());
        r.add(ops::geluOp());
        r.add(ops::leakyReluOp());
        r.add(ops::eluOp());
        r.add(ops::seluOp());
        r.add(ops::softplusOp());
        r.add(ops::softsignOp());
        r.add(ops::sinOp());
        r.add(ops::cosOp());
        r.add(ops::floorOp());
        r.add(ops::ceilOp());
        r.add(ops::roundOp());
        // The unary ops with a file of their own: one line each in unary/ops.def.
#define AISYS_UNARY_FILE(factory, file) r.add(ops::factory());
#include "engine/ops/unary/ops.def"
#undef AISYS_UNARY_FILE
        r.add(ops::negOp());
        r.add(ops::absOp());
        r.add(ops::reluOp());
        r.add(ops::signOp());
        r.add(ops::identityOp("Identity"));
        r.add(ops::identityOp("Dropout"));
        r.add(ops::clipOp());
        r.add(ops::notOp());
        r.add(ops::castOp());
        r.add(ops::compareOp("Equal"));
        r.add(ops::compareOp("Greater"));
        r.add(ops::compareOp("Less"));
        r.add(ops::compareOp("GreaterOrEqual"));
        r.add(ops::compareOp("LessOrEqual"));
        r.add(ops::logicalOp("And"));
        r.add(ops::logicalOp("Or"));
        r.add(ops::logicalOp("Xor"));
        r.add(ops::modOp());
        r.add(ops::isNanInfOp("IsNaN"));
        r.add(ops::isNanInfOp("IsInf"));
        r.add(ops::whereOp());
        r.add(ops::matMulOp());
        r.add(ops::gemmOp());
        r.add(ops::convOp());
        r.add(ops::convTransposeOp());
        r.add(ops::poolOp("MaxPool"));
        r.add(ops::poolOp("AveragePool"));
        r.add(ops::globalPoolOp("GlobalAveragePool"));
        r.add(ops::globalPoolOp("GlobalMaxPool"));
        r.add(ops::batchNormOp());
        r.add(ops::instanceNormOp());
        r.add(ops::layerNormOp());
        r.add(ops::softmaxOp("Softmax"));
        r.add(ops::softmaxOp("LogSoftmax"));
        r.add(ops::reduceOp("ReduceMean"));
        r.add(ops::reduceOp("ReduceSum"));
        r.add(ops::reduceOp("ReduceMax"));
        r.add(ops::reduceOp("ReduceMin"));
        r.add(ops::reduceOp("ReduceProd"));
        r.add(ops::reduceOp("ReduceSumSquare"));
        r.add(ops::reduceOp("ReduceL1"));
        r.add(ops::reduceOp("ReduceL2"));
        r.add(ops::reduceOp("ReduceLogSumExp"));
        r.add(ops::argOp("ArgMax"));
        r.add(ops::argOp("ArgMin"));
        r.add(ops::topKOp());
        r.add(ops::reshapeLikeOp("Reshape"));
        r.add(ops::reshapeLikeOp("Flatten"));
        r.add(ops::reshapeLikeOp("Squeeze"));
        r.add(ops::reshapeLikeOp("Unsqueeze"));
        r.add(ops::transposeOp());
        r.add(ops::shapeOp("Shape"));
        r.add(ops::shapeOp("Size"));
        r.add(ops::constantOfShapeOp());
        r.add(ops::constantOp());
        r.add(ops::expandOp());
        r.add(ops::concatOp());
        r.add(ops::splitOp());
        r.add(ops::sliceOp());
        r.add(ops::gatherOp());
        r.add(ops::tileOp());
        r.add(ops::padOp());
        r.add(ops::resizeOp());
        r.add(ops::rangeOp());
        r.add(ops::triluOp());
        r.add(ops::cumSumOp());
        r.add(ops::lstmOp());
        r.add(ops::quantizeLinearOp());
        r.add(ops::dequantizeLinearOp());
        r.add(ops::variadicOp("Max"));
        r.add(ops::variadicOp("Min"));
        r.add(ops::variadicOp("Sum"));
        r.add(ops::variadicOp("Mean"));
        r.add(ops::ifOp());
        r.add(ops::loopOp());
        r.add(ops::fusedSubgraphOp());
        r.add(ops::layoutCastOp());
        r.add(ops::layoutConvOp());
        // Internal backward ops that gradient rules emit (engine/autodiff/).
        r.add(ops::clipGradOp());
        r.add(ops::convWeightGradOp());
        r.add(ops::poolGradOp("MaxPool"));
        r.add(ops::poolGradOp("AveragePool"));
        r.add(ops::gatherElementsGradOp());
        r.add(ops::sliceGradOp());
        r.add(ops::gatherGradOp());
        r.add(ops::padGradOp());
        r.add(ops::fakeQuantOp()); // quantization-aware training (engine/compress/)
        // Fused ops the graph compiler produces (engine/compiler/).
        r.add(ops::fusedOp("Conv"));
        r.add(ops::fusedOp("Gemm"));
        r.add(ops::fusedOp("MatMul"));
        // The backward kernel aisys:<Op>Grad of every op whose gradient is dY·f'(X).
        const std::vector<OpDef> forward = r.m_ops;
        for (const OpDef& d : forward)
            if (d.derivativeKernel)
                r.add(ops::derivativeGradOp(d));
        return r;
    }();
    return registry;
}

} // namespace aisys::engine
