// Lab "systolic": parameters, the frame plan (setup, sampled cycles, fold activity, report).
#include "lessons/labs/chips/systolic/systolic_lab.h"

#include "lessons/labs/chips/systolic/scenes.h"
#include "lessons/labs/chips/systolic/setup.h"

namespace aisys::lessons {

namespace {

class SystolicRun : public LabRun {
public:
    explicit SystolicRun(SystolicSetup s) : m_s(std::move(s)) {}
    std::vector<Phase> phases() const override {
        return {{"setup", 1},
                {"run", static_cast<int>(m_s.runFrames.size())},
                {"activity", static_cast<int>(m_s.foldFrames.size())},
                {"done", 1}};
    }
    viz::Scene scene(int frame, const DrawOptions& opt) const override {
        const int runs = static_cast<int>(m_s.runFrames.size());
        const int folds = static_cast<int>(m_s.foldFrames.size());
        if (frame <= 0)
            return systolicSetupScene(m_s, opt);
        if (frame <= runs)
            return systolicCycleScene(m_s, m_s.runFrames[std::size_t(frame - 1)], opt);
        if (frame <= runs + folds)
            return systolicActivityScene(m_s, m_s.foldFrames[std::size_t(frame - 1 - runs)], opt);
        return systolicDoneScene(m_s, opt);
    }

private:
    SystolicSetup m_s;
};

ParamSpec intParam(const char* name, LocalText label, double lo, double hi, std::int64_t def) {
    return ParamSpec{name, ParamType::Int, std::move(label), lo, hi, {}, def};
}

ParamSpec choiceParam(const char* name, LocalText label, std::vector<std::string> choices,
                      std::string def) {
    return ParamSpec{name, ParamType::Choice,  std::move(label), 0,
                     0,    std::move(choices), std::move(def)};
}

} // namespace

LocalText SystolicLab::title() const {
    return {"Systolic array", "脉动阵列"};
}

std::vector<ParamSpec> SystolicLab::params() const {
    return {
        intParam("rows", {"array rows R", "阵列行数 R"}, 1, 256, 4),
        intParam("cols", {"array columns C", "阵列列数 C"}, 1, 256, 4),
        choiceParam("dataflow", {"dataflow", "数据流"}, {"ws", "os", "is", "all"}, "os"),
        choiceParam("layer", {"layer", "层类型"}, {"gemm", "conv"}, "gemm"),
        intParam("M", {"GEMM M (rows of A)", "GEMM M（A 的行数）"}, 1, 4096, 4),
        intParam("K", {"GEMM K (reduction)", "GEMM K（归约维）"}, 1, 4096, 4),
        intParam("N", {"GEMM N (columns of B)", "GEMM N（B 的列数）"}, 1, 4096, 4),
        intParam("H", {"conv input height H", "卷积输入高 H"}, 1, 512, 5),
        intParam("W", {"conv input width W", "卷积输入宽 W"}, 1, 512, 5),
        intParam("R", {"filter height R", "卷积核高 R"}, 1, 15, 3),
        intParam("S", {"filter width S", "卷积核宽 S"}, 1, 15, 3),
        intParam("C", {"input channels C", "输入通道 C"}, 1, 2048, 1),
        intParam("F", {"filters (output channels) F", "卷积核个数（输出通道）F"}, 1, 2048, 2),
        intParam("stride", {"stride", "步长"}, 1, 8, 1),
        choiceParam("values", {"values", "数值"}, {"integers", "random"}, "integers"),
        choiceParam("show", {"PE display", "PE 显示"}, {"values", "kindex"}, "values"),
        intParam("seed", {"random seed", "随机种子"}, 0, 999, 1),
        intParam("cycle", {"show only cycle (0 = play)", "只看第几周期（0 = 播放）"}, 0, 1000000,
                 0),
        intParam("bw", {"DRAM words/cycle (0 = ideal)", "DRAM 每周期字数（0 = 理想）"}, 0, 1024, 0),
        intParam("sram", {"SRAM per buffer (KiB)", "每个 SRAM 缓冲（KiB）"}, 1, 65536, 64),
    };
}

std::unique_ptr<LabRun> SystolicLab::run(const ParamSet& p) const {
    return std::make_unique<SystolicRun>(buildSystolicSetup(p));
}

} // namespace aisys::lessons
