// The memory-format and memory-planning Labs: every lesson frame draws in both languages
// within the primitive budget, and the addresses and buffers drawn are the engine's.
#include "engine/compress/memory_format.h"
#include "lessons/common/draw_helpers.h"
#include "lessons/lab_registry.h"
#include "lessons/lesson_loader.h"
#include "lessons/lesson_player.h"
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

using namespace aisys::lessons;
using namespace aisys::test_support;

TEST(MemoryLabs, EveryLessonFrameDrawsInBothLanguagesWithinBudget) {
    expectEveryFrameDraws({"memory-format", "memory-planning"});
}

TEST(MemoryLabs, MemoryFormatAddressesAreTheEnginesAddresses) {
    using namespace aisys::engine::compress;
    ParamSet set;
    set.set("c", std::int64_t{6});
    auto run = runLab("memory-format", set);
    ASSERT_EQ(run->frameCount(), 6);
    const std::string cmp = textOf(run->scene(5, {}));
    for (MemoryFormat f : allFormats()) {
        const FormatLayout l = layoutOf(f, 1, 6, 3, 3, 16);
        EXPECT_NE(cmp.find("highlighted at " + std::to_string(l.offset(0, 5, 1, 2)) + ", padding " +
                           std::to_string(l.paddingSize())),
                  std::string::npos)
            << formatName(f);
    }
    // The highlight is clamped into a smaller tensor.
    set.set("c", std::int64_t{2});
    EXPECT_NE(textOf(runLab("memory-format", set)->scene(1, {})).find("(0, 1, 1, 2)"),
              std::string::npos);
}

TEST(MemoryLabs, MemoryPlanningWithoutReuseEqualsOneBufferPerValue) {
    ParamSet off;
    off.set("inplace", false);
    off.set("reuse", false);
    const std::string cap = runLab("memory-planning", off)->scene(2, {}).caption;
    const auto arrow = cap.find(" → ");
    ASSERT_NE(arrow, std::string::npos);
    EXPECT_EQ(cap.substr(cap.find(": ") + 2, arrow - cap.find(": ") - 2), cap.substr(arrow + 5));
    ParamSet on;
    const std::string planned = runLab("memory-planning", on)->scene(2, {}).caption;
    EXPECT_NE(planned, cap);
    ParamSet bad;
    bad.set("graph", std::string("transformer"));
    EXPECT_THROW(runLab("memory-planning", bad), std::invalid_argument);
}
