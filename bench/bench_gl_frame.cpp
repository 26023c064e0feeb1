// Benchmark of the live GL path: 20,000 primitives at 1920×1080 and 1280×720: static (retained
// and redrawn), panning and animated frames; and a real model's graph (a 12-layer transformer,
// ~400 nodes, as the onnx-model Lab draws it) redrawn and panned.
#include "engine/models/zoo.h"
#include "engine/onnx/onnx_import.h"
#include "lessons/lab_registry.h"
#include "viz/animation.h"
#include "viz/camera.h"
#include "viz/gl/gl_offscreen.h"
#include "viz/gl/gl_renderer.h"
#include "viz/tessellator.h"

#include <QDir>
#include <QGuiApplication>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QTemporaryDir>
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
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

/// One GL target per resolution (created on first use, destroyed before the application), with
/// the MSAA sample count the app's surface format asks for (AISYS_BENCH_SAMPLES overrides).
struct GlFixture {
    GlOffscreen target;
    std::unique_ptr<GlRenderer> renderer;
    Camera camera;
    int width = 0, height = 0, samples = 0;
    bool ok = false;
    GlFixture(int w, int h) : width(w), height(h) {
        samples = qEnvironmentVariableIsSet("AISYS_BENCH_SAMPLES")
                      ? qEnvironmentVariableIntValue("AISYS_BENCH_SAMPLES")
                      : GlRenderer::surfaceFormat().samples();
        if (!target.create(QSize(w, h), samples))
            return;
        target.makeCurrent();
        renderer = std::make_unique<GlRenderer>();
        ok = renderer->initialize();
        reset();
    }
    ~GlFixture() {
        target.makeCurrent();
        renderer.reset();
    }
    /// The whole 1920 × 1080 scene in view at every resolution.
    void reset() {
        camera.center = {960, 540};
        camera.zoom = float(width) / float(kWidth);
    }
    void frame() {
        renderer->render(camera, {float(width), float(height)}, 1.0f, Color{1, 1, 1, 1});
        QOpenGLContext::currentContext()->functions()->glFinish();
    }
};

std::map<int, std::unique_ptr<GlFixture>>& fixtures() {
    static std::map<int, std::unique_ptr<GlFixture>> f;
    return f;
}

/// The GL target for a height of 1080 or 720 (16:9), made current.
GlFixture* fixture(int height) {
    auto& slot = fixtures()[height];
    if (!slot)
        slot = std::make_unique<GlFixture>(height * 16 / 9, height);
    if (slot->ok)
        slot->target.makeCurrent();
    slot->reset();
    return slot.get();
}

bool ready(benchmark::State& state, GlFixture* f) {
    if (f->ok)
        return true;
    state.SkipWithError("no OpenGL 3.3 core context (run under xvfb-run or a desktop)");
    return false;
}

void counters(benchmark::State& state, GlFixture* f) {
    state.counters["prims"] = 20000;
    state.counters["drawCalls"] = f->renderer->drawCalls();
    state.counters["textQuads"] = double(f->renderer->textQuads());
    state.counters["shapeVerts"] = double(f->renderer->shapeVertices());
    state.counters["cacheHit"] = f->renderer->cacheHit() ? 1 : 0;
    state.counters["panned"] = f->renderer->panned() ? 1 : 0;
}

void BM_Tessellate20k(benchmark::State& state) {
    const DisplayList l = makeList(0);
    std::size_t verts = 0, tris = 0;
    for (auto _ : state) {
        Tessellation t = tessellate(l);
        verts = t.vertexCount();
        tris = t.triangleCount();
        benchmark::DoNotOptimize(t);
    }
    state.counters["vertices"] = double(verts);
    state.counters["triangles"] = double(tris);
}
BENCHMARK(BM_Tessellate20k)->Unit(benchmark::kMillisecond);

/// Nothing changes between frames: after two identical frames the renderer serves the
/// retained image (cacheHit = 1), which is what repaints for hover / ImGui / tooltips cost.
void BM_StaticFrame(benchmark::State& state) {
    GlFixture* f = fixture(int(state.range(0)));
    if (!ready(state, f))
        return;
    f->renderer->setCacheEnabled(true);
    f->renderer->setDisplayList(makeList(0));
    f->frame(); // warm up: upload, rasterise labels
    f->frame(); // second identical frame: kept
    for (auto _ : state)
        f->frame();
    counters(state, f);
}
BENCHMARK(BM_StaticFrame)->Arg(1080)->Arg(720)->Unit(benchmark::kMillisecond);

/// The same frame drawn in full every time (retained image off): the cost of a real redraw.
void BM_StaticFrameUncached(benchmark::State& state) {
    GlFixture* f = fixture(int(state.range(0)));
    if (!ready(state, f))
        return;
    f->renderer->setCacheEnabled(false);
    f->renderer->setDisplayList(makeList(0));
    f->frame();
    for (auto _ : state)
        f->frame();
    counters(state, f);
    f->renderer->setCacheEnabled(true);
}
BENCHMARK(BM_StaticFrameUncached)->Arg(1080)->Arg(720)->Unit(benchmark::kMillisecond);

/// The full redraw of one kind of primitive of makeList() alone (0 heat cells, 1 boxes, 2 lines,
/// 3 arrows, 4 circles, 5 texts; 6 none: clearing and finishing the frame): where the time of
/// BM_StaticFrameUncached goes.
void BM_FrameOfKind(benchmark::State& state) {
    GlFixture* f = fixture(1080);
    if (!ready(state, f))
        return;
    static const char* const kNames[] = {"heat cells", "boxes", "lines",  "arrows",
                                         "circles",    "texts", "nothing"};
    static const std::size_t kEnds[] = {8000, 11000, 13500, 15500, 18000, 20000, 20000};
    const auto kind = std::size_t(state.range(0));
    const DisplayList all = makeList(0);
    DisplayList l;
    l.prims.assign(all.prims.begin() + std::ptrdiff_t(kind == 0 ? 0 : kEnds[kind - 1]),
                   all.prims.begin() + std::ptrdiff_t(kEnds[kind]));
    f->renderer->setCacheEnabled(false);
    f->renderer->setDisplayList(l);
    f->frame();
    for (auto _ : state)
        f->frame();
    state.SetLabel(kNames[kind]);
    state.counters["prims"] = double(l.prims.size());
    f->renderer->setCacheEnabled(true);
}
BENCHMARK(BM_FrameOfKind)->DenseRange(0, 6)->Unit(benchmark::kMillisecond);

/// A drag: the camera moves by whole pixels every frame, labels re-laid out; `retained` says
/// whether the renderer may reuse the last frame.
void panFrames(benchmark::State& state, bool retained) {
    GlFixture* f = fixture(int(state.range(0)));
    if (!ready(state, f))
        return;
    f->renderer->setCacheEnabled(retained);
    f->renderer->setDisplayList(makeList(0));
    f->frame();
    int i = 0;
    for (auto _ : state) {
        f->camera.center.x = 960 + float(i++ % 40 - 20) * 3.0f;
        f->frame();
    }
    counters(state, f);
    f->renderer->setCacheEnabled(true);
}

/// Panning with the retained frame: shifted, only the uncovered strips drawn (panned = 1).
void BM_PanFrame(benchmark::State& state) {
    panFrames(state, true);
}
BENCHMARK(BM_PanFrame)->Arg(1080)->Arg(720)->Unit(benchmark::kMillisecond);

/// The same pan with the retained image off: every frame drawn in full.
void BM_PanFrameUncached(benchmark::State& state) {
    panFrames(state, false);
}
BENCHMARK(BM_PanFrameUncached)->Arg(1080)->Arg(720)->Unit(benchmark::kMillisecond);

/// A zoom gesture (wheel): previews of the retained image scaled (previewed = 1); the sharp
/// frame once the gesture settles costs a full redraw (BM_StaticFrameUncached).
void BM_ZoomGestureFrame(benchmark::State& state) {
    GlFixture* f = fixture(int(state.range(0)));
    if (!ready(state, f))
        return;
    f->renderer->setCacheEnabled(true);
    f->renderer->setDisplayList(makeList(0));
    f->frame();
    f->renderer->setPreviewAllowed(true);
    int i = 0;
    for (auto _ : state) {
        f->camera.zoom = float(f->width) / float(kWidth) * (1.0f + 0.02f * float(i++ % 20));
        f->frame();
    }
    state.counters["previewed"] = f->renderer->previewed() ? 1 : 0;
    f->renderer->setPreviewAllowed(false);
    counters(state, f);
}
BENCHMARK(BM_ZoomGestureFrame)->Arg(1080)->Arg(720)->Unit(benchmark::kMillisecond);

/// A lesson step that changes a few primitives (one box recoloured, one label rewritten):
/// the retained frame with that region redrawn (repaired = 1); the list is re-tessellated.
void BM_StepChangeFrame(benchmark::State& state) {
    GlFixture* f = fixture(int(state.range(0)));
    if (!ready(state, f))
        return;
    f->renderer->setCacheEnabled(true);
    DisplayList l = makeList(0);
    f->renderer->setDisplayList(l);
    f->frame();
    int i = 0;
    for (auto _ : state) {
        Prim& box = l.prims[8000 + std::size_t(i % 3000)];
        box.fill = Color{float(i % 2), 0.5f, 0.2f, 1};
        l.prims[20000 - 1 - std::size_t(i % 2000)].text = "step " + std::to_string(i);
        ++i;
        f->renderer->setDisplayList(l);
        f->frame();
    }
    state.counters["repaired"] = f->renderer->repaired() ? 1 : 0;
    counters(state, f);
}
BENCHMARK(BM_StepChangeFrame)->Arg(1080)->Arg(720)->Unit(benchmark::kMillisecond);

/// Step animation: interpolate two lists, re-tessellate, upload and draw every frame.
void BM_AnimatedFrame(benchmark::State& state) {
    GlFixture* f = fixture(int(state.range(0)));
    if (!ready(state, f))
        return;
    const DisplayList a = makeList(0), b = makeList(12);
    f->renderer->setDisplayList(a);
    f->frame();
    int i = 0;
    for (auto _ : state) {
        const float t = easeInOut(float(i++ % 18) / 18.0f);
        f->renderer->setDisplayList(interpolate(a, b, t));
        f->frame();
    }
    counters(state, f);
}
BENCHMARK(BM_AnimatedFrame)->Arg(1080)->Arg(720)->Unit(benchmark::kMillisecond);

/// The onnx-model Lab's first frame (the graph) for a 12-layer transformer written to a
/// temporary .onnx file: what File → Open model… shows for a model with hundreds of nodes.
const aisys::viz::Scene& modelScene() {
    static const aisys::viz::Scene scene = [] {
        QTemporaryDir dir;
        const std::string path = QDir(dir.path()).filePath("transformer_12l.onnx").toStdString();
        aisys::engine::exportOnnxFile(aisys::engine::models::smallTransformer(32, 64, 4, 12), path);
        const auto labs = aisys::lessons::LabRegistry::builtin();
        const aisys::lessons::Lab* lab = labs.find("onnx-model");
        aisys::lessons::ParamSet p = aisys::lessons::defaults(lab->params());
        p.set("model", path);
        return lab->run(p)->scene(0, {});
    }();
    return scene;
}

/// A model graph with hundreds of nodes, fitted to the view, drawn in full every frame (cache
/// off) and panned: "models with hundreds of nodes stay fluid".
void BM_ModelGraphFrame(benchmark::State& state) {
    GlFixture* f = fixture(int(state.range(0)));
    if (!ready(state, f))
        return;
    const aisys::viz::Scene& s = modelScene();
    const Rect b = s.list.bounds();
    f->renderer->setCacheEnabled(false);
    f->renderer->setDisplayList(s.list);
    f->camera.center = {b.x + b.w / 2, b.y + b.h / 2};
    f->camera.zoom = std::min(float(f->width) / b.w, float(f->height) / b.h) * 0.95f;
    f->frame();
    int i = 0;
    for (auto _ : state) {
        f->camera.center.x = b.x + b.w / 2 + float(i++ % 40 - 20) * 3.0f;
        f->frame();
    }
    state.counters["prims"] = double(s.list.prims.size());
    state.counters["drawCalls"] = f->renderer->drawCalls();
    f->renderer->setCacheEnabled(true);
}
BENCHMARK(BM_ModelGraphFrame)->Arg(1080)->Arg(720)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    GlFixture* f = fixture(1080);
    if (QOpenGLContext* c = (f->ok ? QOpenGLContext::currentContext() : nullptr))
        std::printf("GL: %s | %s | %d× MSAA\n",
                    reinterpret_cast<const char*>(c->functions()->glGetString(GL_RENDERER)),
                    reinterpret_cast<const char*>(c->functions()->glGetString(GL_VERSION)),
                    f->samples);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    fixtures().clear();
    return 0;
}
