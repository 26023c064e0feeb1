// The gpu-execution, tensor-core and interconnect Labs: every frame of their lessons draws in
// both languages, the frame counts follow the parameters, and bad parameters give readable
// errors.
#include "tests/support/lesson_support.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace aisys::lessons;
using namespace aisys::test_support;

namespace {

ParamSet base(const char* lab) {
    ParamSet p = defaults(builtinLabs().find(lab)->params());
    p.set("devices", std::string(AISYS_SOURCE_DIR) + "/assets/devices");
    p.set("topologies", std::string(AISYS_SOURCE_DIR) + "/assets/topologies");
    return p;
}

std::string errorOf(const char* lab, const ParamSet& p) {
    try {
        runLab(lab, p);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "<no error>";
}

} // namespace

TEST(GpuLabs, EveryFrameDraws) {
    // One frame per step: the whole check; lessons with multi-frame phases: every step's first
    // frame in both languages, and every frame of their Labs' runs.
    expectEveryFrameDraws({"gpu-occupancy", "nvlink-nvswitch"});
    for (const char* id : {"gpu-latency-hiding", "gpu-simt", "tensor-cores"}) {
        const Lesson& l = shippedLesson(id);
        for (int st = 0; st < static_cast<int>(l.steps.size()); ++st)
            for (Lang lang : {Lang::En, Lang::Zh}) {
                const auto s = stepScene(id, st, lang);
                EXPECT_GT(s.list.size(), 20u) << id << " step " << st;
                EXPECT_EQ(hasChinese(s.caption), lang == Lang::Zh) << id << " step " << st;
            }
        ParamSet p = l.params;
        for (const auto& st : l.steps)
            p.merge(st.set);
        const auto run = runLab(l.labId, p);
        for (int f = 0; f < run->frameCount(); ++f)
            EXPECT_GT(run->scene(f, {Lang::Zh, aisys::viz::Theme::Dark}).list.size(), 20u)
                << id << " frame " << f;
    }
}

TEST(GpuLabs, FramesFollowTheParameters) {
    ParamSet p = base("gpu-execution");
    p.set("latency", std::int64_t{7});
    auto run = runLab("gpu-execution", p);
    EXPECT_EQ(run->phaseFrames("warps"), 24); // 3 × (7 + 1)
    EXPECT_EQ(run->phaseFrames("simt"), 7);   // ifelse: 7 statements reached
    p.set("kernel", std::string("uniform"));
    EXPECT_EQ(runLab("gpu-execution", p)->phaseFrames("simt"), 5); // no else side
    ParamSet t = base("tensor-core");
    EXPECT_EQ(runLab("tensor-core", t)->phaseFrames("fragment"), 4); // Volta: K slices of 4
    t.set("gen", std::string("hopper"));
    EXPECT_EQ(runLab("tensor-core", t)->phaseFrames("fragment"), 1);
}

TEST(GpuLabs, BadParametersAreRefused) {
    ParamSet p = base("gpu-execution");
    p.set("kernel", std::string("if lane < 4; x += 1"));
    EXPECT_NE(errorOf("gpu-execution", p).find("not closed by 'end'"), std::string::npos);
    p = base("gpu-execution");
    p.set("device", std::string("Z80"));
    EXPECT_NE(errorOf("gpu-execution", p).find("unknown device 'Z80'"), std::string::npos);
    p = base("gpu-execution");
    p.set("regs", std::int64_t{255});
    p.set("threads", std::int64_t{1024});
    EXPECT_NE(errorOf("gpu-execution", p).find("exceed the 65536"), std::string::npos);
    ParamSet t = base("tensor-core");
    t.set("warpM", std::int64_t{48});
    EXPECT_NE(errorOf("tensor-core", t).find("must divide"), std::string::npos);
    ParamSet i = base("interconnect");
    i.set("topology", std::string("dgx-a100"));
    i.set("to", std::int64_t{12});
    EXPECT_NE(errorOf("interconnect", i).find("GPU 12 is not in dgx-a100: expected 0..7"),
              std::string::npos);
    i.set("to", std::int64_t{1});
    i.set("bytes", std::string("lots"));
    EXPECT_NE(errorOf("interconnect", i).find("bytes:"), std::string::npos);
}
