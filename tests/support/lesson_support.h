// What the lesson and Lab tests share: the built-in Labs, the shipped lessons, scene text.
#pragma once

#include "lessons/lab_registry.h"
#include "lessons/lesson_loader.h"

#include <memory>
#include <string>
#include <vector>

namespace aisys::test_support {

/// One registry of every built-in Lab for the whole test binary.
const lessons::LabRegistry& builtinLabs();

/// The lessons under assets/lessons, loaded once (without dry runs).
const lessons::LessonCatalog& shippedCatalog();

/// The shipped lesson `id`; throws std::runtime_error naming it when there is none.
const lessons::Lesson& shippedLesson(const std::string& id);

/// Runs Lab `labId` with its defaults changed by `set`.
std::unique_ptr<lessons::LabRun> runLab(const std::string& labId, const lessons::ParamSet& set);

/// The caption and every text primitive of a scene, one per line.
std::string textOf(const viz::Scene& s);

/// textOf(s) split into its lines.
std::vector<std::string> linesOf(const viz::Scene& s);

/// The value of fact `label` of the inspector object titled `object`, or "<no …>".
std::string fact(const viz::Scene& s, const std::string& object, const std::string& label);

/// KiB from a byte count as pictures print it ("92.1 KiB", "1.50 MiB", "512 B").
double kib(const std::string& v);

/// The graph optimizer's table row of pass `pass` (or "input graph"): the cells after the name —
/// max error, nodes, kernels, bytes between kernels, peak memory — of the first row of that name
/// that has numbers; empty when there is none.
std::vector<std::string> passRow(const viz::Scene& s, const std::string& pass);

/// The picture of the first frame of step `step` (0-based) of shipped lesson `id` in `lang`
/// (light theme), with the "what if" overrides `over` applied (a rejected override fails the
/// test).
viz::Scene stepScene(const std::string& id, int step, lessons::Lang lang,
                     const lessons::ParamSet& over = {});

/// Every frame of each lesson `ids` draws in both languages within the primitive budget (more
/// than 20, fewer than 30,000), with a caption in that language; one frame per step. Reports
/// failures through GoogleTest.
void expectEveryFrameDraws(const std::vector<std::string>& ids);

/// True when `s` holds a CJK character (UTF-8 lead bytes of U+4000–U+9FFF).
bool hasChinese(const std::string& s);

} // namespace aisys::test_support
