// SVG / PDF / PNG export time of the 20,000-primitive display list (goal: SVG ≤ 200 ms).
#include "bench/bench_scene.h"
#include "viz/export/exporter.h"

#include <QDir>
#include <QGuiApplication>
#include <benchmark/benchmark.h>

using namespace aisys;

namespace {

void exportOnce(benchmark::State& state, viz::ExportFormat format, float scale) {
    const viz::Scene scene = bench::makeBenchScene(20000);
    viz::ExportOptions opt;
    opt.format = format;
    opt.scale = scale;
    const std::string path =
        QDir::temp().filePath(QString("aisys-bench.") + viz::extensionOf(format)).toStdString();
    for (auto _ : state) {
        std::string err = viz::exportScene(scene, path, opt);
        if (!err.empty())
            state.SkipWithError(err.c_str());
    }
    state.counters["primitives"] = double(scene.list.size());
}

void BM_ExportSvg(benchmark::State& s) {
    exportOnce(s, viz::ExportFormat::Svg, 1);
}
void BM_ExportPdf(benchmark::State& s) {
    exportOnce(s, viz::ExportFormat::Pdf, 1);
}
void BM_ExportPng1x(benchmark::State& s) {
    exportOnce(s, viz::ExportFormat::Png, 1);
}

BENCHMARK(BM_ExportSvg)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_ExportPdf)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_ExportPng1x)->Unit(benchmark::kMillisecond)->MinTime(2.0);

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
