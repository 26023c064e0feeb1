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

/// Every frame of each lesson `ids` draws in both languages within the primitive budget (more
/// than 20, fewer than 30,000), with a caption in that language; one frame per step. Reports
/// failures through GoogleTest.
void expectEveryFrameDraws(const std::vector<std::string>& ids);

/// True when `s` holds a CJK character (UTF-8 lead bytes of U+4000–U+9FFF).
bool hasChinese(const std::string& s);

} // namespace aisys::test_support
