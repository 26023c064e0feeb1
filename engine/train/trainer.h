// Training loop pieces: a Trainer that runs forward + backward graphs and an optimizer step per
// batch, and the two built-in examples (spirals, digits) with per-epoch loss and accuracy.
#pragma once

#include "engine/autodiff/reverse.h"
#include "engine/graph/interpreter.h"
#include "engine/models/zoo.h"
#include "engine/train/optimizers.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace aisys::engine::train {

/// Trains a models::Model: its parameters become graph inputs of a backward graph run by one
/// Interpreter; each step feeds a batch, reads loss, logits and gradients, and lets the
/// optimizer update the parameters.
class Trainer {
public:
    Trainer(const models::Model& model, Optimizer& optimizer);

    /// Loss and logits of one step (before the update).
    struct StepResult {
        double loss = 0;
        Tensor logits;
    };
    /// One forward + backward pass on a batch (x, one-hot labels) and one optimizer step.
    StepResult step(const Tensor& x, const Tensor& onehot);
    /// Loss and logits of a batch with the current parameters, no update (held-out data).
    StepResult evaluate(const Tensor& x, const Tensor& onehot);
    /// The current parameters.
    const Params& params() const { return m_params; }
    /// The forward + backward graph the steps run (the lesson draws it).
    const BackwardGraph& backward() const { return m_backward; }
    /// Copies the parameters into the initializers of `g` (the model graph).
    void writeBack(Graph& g) const;

private:
    Params m_params;
    BackwardGraph m_backward;
    std::unique_ptr<Interpreter> m_run;
    Optimizer& m_optimizer;
};

/// What one epoch achieved.
struct EpochStats {
    int epoch = 0;
    double loss = 0;     ///< mean training loss over the epoch's batches
    double accuracy = 0; ///< training accuracy over the epoch (predictions before each update)
    /// Accuracy after the epoch on held-out samples the training never sees (the same
    /// generator, another seed, as many samples as the training set).
    double heldOutAccuracy = 0;
};

using EpochCallback = std::function<void(const EpochStats&)>;

/// Trains the example `name` ("spirals": MLP with full-batch Adam on 200 spiral points, one
/// step per epoch; "digits": CNN with Adam on 200 seven-segment digits, batches of 20) for
/// `epochs`, deterministic for a seed, and measures each epoch on 200 held-out samples (seed
/// + 7919); calls `callback` after each epoch. Throws
/// std::invalid_argument for an unknown name.
std::vector<EpochStats> trainExample(const std::string& name, int epochs, std::uint32_t seed,
                                     const EpochCallback& callback = {});

} // namespace aisys::engine::train
