// Benchmark of the live GL path: 20,000 primitives at 1920×1080, static and animated frames.
#include "viz/animation.h"
#include "viz/camera.h"
#include "viz/gl_renderer.h"
#include "viz/tessellator.h"

#include <QGuiApplication>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <random>

using namespace aisys::viz;

namespace {

constexpr int kWidth = 1920, kHeight = 1080;

/// 20,000 primitives: 8,000 heat cells, 3,000 boxes, 2,500 lines, 2,000 arrows,
/// 2,500 circles, 2,000 texts, laid out on a grid that fills the view.
DisplayList makeList(float shift) {
    DisplayList l;
    l.prims.reserve(20000);
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> u(0, 1);
    auto colour = [&](float a = 1) { return Color{u(rng), u(rng), u(rng), a}; };
    std::uint32_t id = 1;
    for (int i = 0; i < 8000; ++i) // 100 × 80 heat map
        l.heatCell({float(i % 100) * 9 + shift, float(i / 100) * 6, 8.5f, 5.5f}, colour(), id++);
    for (int i = 0; i < 3000; ++i) {
        const float x = 920 + float(i % 60) * 16 + shift, y = float(i / 60) * 10;
        l.box({x, y, 14, 8}, colour(0.9f), colour(), i % 3 == 0 ? 2.0f : 0.0f, 1, id++);
    }
    for (int i = 0; i < 2500; ++i) {
        const float x = u(rng) * 1800, y = 500 + u(rng) * 300;
        l.line({x, y}, {x + 20 + shift, y + u(rng) * 30}, colour(), 1.5f, id++).dashed = i % 5 == 0;
    }
    for (int i = 0; i < 2000; ++i) {
        const float x = u(rng) * 1800, y = 820 + u(rng) * 200;
        l.arrow({{x, y}, {x + 30, y + shift}, {x + 60, y + 10}}, colour(), 1.5f, id++);
    }
    for (int i = 0; i < 2500; ++i)
        l.circle({u(rng) * 1900, 500 + u(rng) * 560}, 3 + u(rng) * 6, colour(0.8f), colour(), 1,
                 id++);
    for (int i = 0; i < 2000; ++i) {
        Prim& t = l.text({float(i % 40) * 48 + shift, 510 + float(i / 40) * 11},
                         (i % 7 == 0 ? "张量" : "op") + std::to_string(i % 300), Color{0, 0, 0, 1},
                         9, HAlign::Left, VAlign::Top, id++);
        t.layer = 1;
    }
    return l;
}

struct GlFixture {
    GlOffscreen target;
    std::unique_ptr<GlRenderer> renderer;
    Camera camera;
    bool ok = false;
    GlFixture() {
        if (!target.create(QSize(kWidth, kHeight),
                           qEnvironmentVariableIntValue("AISYS_BENCH_SAMPLES") > 0
                               ? qEnvironmentVariableIntValue("AISYS_BENCH_SAMPLES")
                               : 4))
            return;
        renderer = std::make_unique<GlRenderer>();
        ok = renderer->initialize();
        camera.center = {960, 540};
        camera.zoom = 1;
    }
    ~GlFixture() {
        target.makeCurrent();
        renderer.reset();
    }
    void frame() {
        renderer->render(camera, {float(kWidth), float(kHeight)}, 1.0f, Color{1, 1, 1, 1});
        QOpenGLContext::currentContext()->functions()->glFinish();
    }
};

std::unique_ptr<GlFixture>& fixtureSlot() {
    static std::unique_ptr<GlFixture> f;
    return f;
}

/// The shared GL target, created on first use and destroyed before the application.
GlFixture* fixture() {
    if (!fixtureSlot())
        fixtureSlot() = std::make_unique<GlFixture>();
    return fixtureSlot().get();
}

void BM_Tessellate20k(benchmark::State& state) {
    const DisplayList l = makeList(0);
    std::size_t verts = 0;
    for (auto _ : state) {
        Tessellation t = tessellate(l);
        verts = t.vertexCount();
        benchmark::DoNotOptimize(t);
    }
    state.counters["vertices"] = double(verts);
}
BENCHMARK(BM_Tessellate20k)->Unit(benchmark::kMillisecond);

void BM_StaticFrame(benchmark::State& state) {
    GlFixture* f = fixture();
    if (!f->ok) {
        state.SkipWithError("no OpenGL 3.3 core context (run under xvfb-run or a desktop)");
        return;
    }
    f->renderer->setDisplayList(makeList(0));
    f->frame(); // warm up: upload, rasterise labels
    for (auto _ : state)
        f->frame();
    state.counters["prims"] = 20000;
    state.counters["drawCalls"] = f->renderer->drawCalls();
    state.counters["textQuads"] = double(f->renderer->textQuads());
}
BENCHMARK(BM_StaticFrame)->Unit(benchmark::kMillisecond);

void BM_AnimatedFrame(benchmark::State& state) {
    GlFixture* f = fixture();
    if (!f->ok) {
        state.SkipWithError("no OpenGL 3.3 core context (run under xvfb-run or a desktop)");
        return;
    }
    const DisplayList a = makeList(0), b = makeList(12);
    f->renderer->setDisplayList(a);
    f->frame();
    int i = 0;
    for (auto _ : state) {
        const float t = easeInOut(float(i++ % 18) / 18.0f);
        f->renderer->setDisplayList(interpolate(a, b, t));
        f->frame();
    }
    state.counters["prims"] = 20000;
}
BENCHMARK(BM_AnimatedFrame)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    if (QOpenGLContext* c = (fixture()->ok ? QOpenGLContext::currentContext() : nullptr))
        std::printf("GL: %s | %s\n",
                    reinterpret_cast<const char*>(c->functions()->glGetString(GL_RENDERER)),
                    reinterpret_cast<const char*>(c->functions()->glGetString(GL_VERSION)));
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    fixtureSlot().reset();
    return 0;
}
