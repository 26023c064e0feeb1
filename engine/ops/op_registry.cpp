// The one list of built-in ops: one line per op; the factories live in the files of engine/ops/.
#include "engine/graph/ops.h"

#include "engine/ops/control_flow.h"
#include "engine/ops/fake_quant.h"
#include "engine/ops/fused_kernel.h"
#include "engine/ops/fused_ops.h"
#include "engine/ops/grad_ops.h"
#include "engine/ops/layout_ops.h"
#include "engine/ops/op_library.h"
#include "engine/ops/variadic.h"

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
        r.add(ops::floatUnaryOp("Sqrt"));
        r.add(ops::floatUnaryOp("Exp"));
        r.add(ops::floatUnaryOp("Log"));
        r.add(ops::floatUnaryOp("Reciprocal"));
        r.add(ops::floatUnaryOp("Sigmoid"));
        r.add(ops::floatUnaryOp("HardSigmoid"));
        r.add(ops::floatUnaryOp("HardSwish"));
        r.add(ops::floatUnaryOp("Tanh"));
        r.add(ops::floatUnaryOp("Erf"));
        r.add(ops::floatUnaryOp("Gelu"));
        r.add(ops::floatUnaryOp("LeakyRelu"));
        r.add(ops::floatUnaryOp("Elu"));
        r.add(ops::floatUnaryOp("Selu"));
        r.add(ops::floatUnaryOp("Softplus"));
        r.add(ops::floatUnaryOp("Softsign"));
        r.add(ops::floatUnaryOp("Sin"));
        r.add(ops::floatUnaryOp("Cos"));
        r.add(ops::floatUnaryOp("Floor"));
        r.add(ops::floatUnaryOp("Ceil"));
        r.add(ops::floatUnaryOp("Round"));
        r.add(ops::numericUnaryOp("Neg"));
        r.add(ops::numericUnaryOp("Abs"));
        r.add(ops::numericUnaryOp("Relu"));
        r.add(ops::numericUnaryOp("Sign"));
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
        r.add(ops::activationGradOp("Relu"));
        r.add(ops::activationGradOp("LeakyRelu"));
        r.add(ops::activationGradOp("HardSigmoid"));
        r.add(ops::activationGradOp("HardSwish"));
        r.add(ops::activationGradOp("Erf"));
        r.add(ops::activationGradOp("Gelu"));
        r.add(ops::activationGradOp("Elu"));
        r.add(ops::activationGradOp("Selu"));
        r.add(ops::activationGradOp("Softplus"));
        r.add(ops::activationGradOp("Softsign"));
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
        return r;
    }();
    return registry;
}

} // namespace aisys::engine
