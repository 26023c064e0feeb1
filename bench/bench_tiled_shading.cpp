// Would tile-binned shading beat one quad per shape under software GL? The 5,500 boxes and
// circles of a 20k-primitive list drawn (a) by the live renderer, one SDF quad per shape, and
// (b) as one quad per screen tile whose fragment shader loops over the shapes binned to that
// tile (texture buffers, composited in list order). Run under xvfb-run; figures only.
#include "viz/camera.h"
#include "viz/gl/gl_offscreen.h"
#include "viz/gl/gl_renderer.h"

#include <QGuiApplication>
#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QOpenGLShaderProgram>
#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

using namespace aisys::viz;

namespace {

constexpr int kWidth = 1920, kHeight = 1080;

/// One rounded box or circle (circle = box with radius = half size).
struct Shape {
    float cx, cy, hx, hy, radius, strokeHalf;
    Color fill, stroke;
};

/// 3,000 boxes on a lattice and 2,500 random circles, as in bench_gl_frame's list.
std::vector<Shape> makeShapes() {
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> u(0, 1);
    auto colour = [&](float a) { return Color{u(rng), u(rng), u(rng), a}; };
    std::vector<Shape> s;
    for (int i = 0; i < 3000; ++i) {
        const float x = 920 + float(i % 60) * 16, y = float(i / 60) * 10;
        s.push_back({x + 7, y + 4, 7, 4, i % 3 == 0 ? 2.0f : 0.0f, 0.5f, colour(0.9f), colour(1)});
    }
    for (int i = 0; i < 2500; ++i) {
        const float cx = u(rng) * 1900, cy = 500 + u(rng) * 560, r = 3 + u(rng) * 6;
        s.push_back({cx, cy, r, r, r, 0.5f, colour(0.8f), colour(1)});
    }
    return s;
}

DisplayList asList(const std::vector<Shape>& shapes) {
    DisplayList l;
    for (const Shape& s : shapes) {
        if (s.radius == s.hx && s.hx == s.hy)
            l.circle({s.cx, s.cy}, s.radius, s.fill, s.stroke, 2 * s.strokeHalf);
        else
            l.box({s.cx - s.hx, s.cy - s.hy, 2 * s.hx, 2 * s.hy}, s.fill, s.stroke, s.radius,
                  2 * s.strokeHalf);
    }
    return l;
}

const char* kTiledVs = R"(#version 330 core
layout(location = 0) in vec4 a_posList; // pixel position, first list entry, entry count
flat out ivec2 v_list;
noperspective out vec2 v_pixel;
uniform vec2 u_view;
void main() {
    v_list = ivec2(a_posList.zw);
    v_pixel = a_posList.xy;
    gl_Position = vec4(a_posList.x / u_view.x * 2.0 - 1.0, 1.0 - a_posList.y / u_view.y * 2.0,
                       0.0, 1.0);
}
)";

/// Per shape three texels: centre + half size, radius + half stroke, fill, stroke (RGBA each).
const char* kTiledFs = R"(#version 330 core
uniform samplerBuffer u_shapes;
uniform isamplerBuffer u_list;
flat in ivec2 v_list;
noperspective in vec2 v_pixel;
out vec4 o_color;
void main() {
    vec4 acc = vec4(0.0);
    for (int k = 0; k < v_list.y; ++k) {
        int t = texelFetch(u_list, v_list.x + k).r * 4;
        vec4 geo = texelFetch(u_shapes, t), shape = texelFetch(u_shapes, t + 1);
        vec4 fill = texelFetch(u_shapes, t + 2), stroke = texelFetch(u_shapes, t + 3);
        vec2 q = abs(v_pixel - geo.xy) - geo.zw + vec2(shape.x);
        float d = length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - shape.x;
        float fa = fill.a * clamp(0.5 - d, 0.0, 1.0);
        float sa = stroke.a * (clamp(0.5 - (d - shape.y), 0.0, 1.0) -
                               clamp(0.5 - (d + shape.y), 0.0, 1.0));
        vec4 src = vec4(stroke.rgb * sa, sa) + vec4(fill.rgb * fa, fa) * (1.0 - sa);
        acc = src + acc * (1.0 - src.a);
    }
    o_color = acc;
}
)";

/// The tile-binned renderer of the prototype: shapes uploaded once, bins and tile quads built
/// every frame (the camera could have moved), one draw call.
struct Tiled {
    QOpenGLExtraFunctions* f = nullptr;
    QOpenGLShaderProgram program;
    GLuint vao = 0, quadBuffer = 0, shapeBuffer = 0, listBuffer = 0, shapeTex = 0, listTex = 0;
    std::vector<Shape> shapes;
    int tile = 16;
    std::vector<std::vector<int>> bins;
    std::vector<int> list;
    std::vector<float> quads;

    bool init(const std::vector<Shape>& s) {
        shapes = s;
        f = QOpenGLContext::currentContext()->extraFunctions();
        if (!program.addShaderFromSourceCode(QOpenGLShader::Vertex, kTiledVs) ||
            !program.addShaderFromSourceCode(QOpenGLShader::Fragment, kTiledFs) || !program.link())
            return false;
        std::vector<float> texels;
        for (const Shape& x : shapes)
            texels.insert(texels.end(),
                          {x.cx, x.cy, x.hx, x.hy, x.radius, x.strokeHalf, 0, 0, x.fill.r, x.fill.g,
                           x.fill.b, x.fill.a, x.stroke.r, x.stroke.g, x.stroke.b, x.stroke.a});
        f->glGenVertexArrays(1, &vao);
        f->glBindVertexArray(vao);
        f->glGenBuffers(1, &quadBuffer);
        f->glBindBuffer(GL_ARRAY_BUFFER, quadBuffer);
        f->glEnableVertexAttribArray(0);
        f->glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 16, nullptr);
        f->glGenBuffers(1, &shapeBuffer);
        f->glBindBuffer(GL_TEXTURE_BUFFER, shapeBuffer);
        f->glBufferData(GL_TEXTURE_BUFFER, GLsizeiptr(texels.size() * sizeof(float)), texels.data(),
                        GL_STATIC_DRAW);
        f->glGenTextures(1, &shapeTex);
        f->glBindTexture(GL_TEXTURE_BUFFER, shapeTex);
        f->glTexBuffer(GL_TEXTURE_BUFFER, GL_RGBA32F, shapeBuffer);
        f->glGenBuffers(1, &listBuffer);
        f->glGenTextures(1, &listTex);
        return true;
    }
    /// 1. Bin every shape's bounds (with stroke and one pixel of anti-aliasing) into the tiles
    ///    it touches, in list order. 2. One quad per non-empty tile carrying its list range.
    void bin() {
        const int tx = (kWidth + tile - 1) / tile, ty = (kHeight + tile - 1) / tile;
        bins.assign(std::size_t(tx * ty), {});
        for (std::size_t i = 0; i < shapes.size(); ++i) {
            const Shape& s = shapes[i];
            const float e = s.strokeHalf + 1;
            const int x0 = std::max(0, int((s.cx - s.hx - e) / float(tile)));
            const int x1 = std::min(tx - 1, int((s.cx + s.hx + e) / float(tile)));
            const int y0 = std::max(0, int((s.cy - s.hy - e) / float(tile)));
            const int y1 = std::min(ty - 1, int((s.cy + s.hy + e) / float(tile)));
            for (int y = y0; y <= y1; ++y)
                for (int x = x0; x <= x1; ++x)
                    bins[std::size_t(y * tx + x)].push_back(int(i));
        }
        list.clear();
        quads.clear();
        for (int t = 0; t < tx * ty; ++t) {
            const auto& b = bins[std::size_t(t)];
            if (b.empty())
                continue;
            const float first = float(list.size()), count = float(b.size());
            list.insert(list.end(), b.begin(), b.end());
            const float x0 = float(t % tx * tile), y0 = float(t / tx * tile);
            const float x1 = x0 + float(tile), y1 = y0 + float(tile);
            const float corners[6][2] = {{x0, y0}, {x1, y0}, {x1, y1},
                                         {x0, y0}, {x1, y1}, {x0, y1}};
            for (const auto& c : corners)
                quads.insert(quads.end(), {c[0], c[1], first, count});
        }
    }
    void draw() {
        bin();
        f->glBindVertexArray(vao);
        f->glBindBuffer(GL_ARRAY_BUFFER, quadBuffer);
        f->glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(quads.size() * sizeof(float)), quads.data(),
                        GL_STREAM_DRAW);
        f->glBindBuffer(GL_TEXTURE_BUFFER, listBuffer);
        f->glBufferData(GL_TEXTURE_BUFFER, GLsizeiptr(list.size() * sizeof(int)), list.data(),
                        GL_STREAM_DRAW);
        f->glActiveTexture(GL_TEXTURE1);
        f->glBindTexture(GL_TEXTURE_BUFFER, listTex);
        f->glTexBuffer(GL_TEXTURE_BUFFER, GL_R32I, listBuffer);
        f->glActiveTexture(GL_TEXTURE0);
        f->glBindTexture(GL_TEXTURE_BUFFER, shapeTex);
        f->glViewport(0, 0, kWidth, kHeight);
        f->glClearColor(1, 1, 1, 1);
        f->glClear(GL_COLOR_BUFFER_BIT);
        f->glEnable(GL_BLEND);
        f->glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
        program.bind();
        program.setUniformValue("u_shapes", 0);
        program.setUniformValue("u_list", 1);
        program.setUniformValue("u_view", float(kWidth), float(kHeight));
        f->glDrawArrays(GL_TRIANGLES, 0, GLsizei(quads.size() / 4));
        f->glFinish();
    }
    void release() {
        f->glDeleteTextures(1, &shapeTex);
        f->glDeleteTextures(1, &listTex);
        for (GLuint* b : {&quadBuffer, &shapeBuffer, &listBuffer})
            f->glDeleteBuffers(1, b);
        f->glDeleteVertexArrays(1, &vao);
    }
};

std::unique_ptr<GlOffscreen>& target() {
    static std::unique_ptr<GlOffscreen> t;
    return t;
}

bool ready(benchmark::State& state) {
    if (!target()) {
        target() = std::make_unique<GlOffscreen>();
        target()->create(QSize(kWidth, kHeight));
    }
    if (target()->makeCurrent())
        return true;
    state.SkipWithError("no OpenGL 3.3 core context (run under xvfb-run or a desktop)");
    return false;
}

/// The live renderer: one SDF quad (two triangles) per shape, drawn in full every frame.
void BM_ShapesAsQuads(benchmark::State& state) {
    if (!ready(state))
        return;
    GlRenderer r;
    if (!r.initialize()) {
        state.SkipWithError(r.error().c_str());
        return;
    }
    r.setCacheEnabled(false);
    r.setDisplayList(asList(makeShapes()));
    Camera cam;
    cam.center = {kWidth / 2.0f, kHeight / 2.0f};
    cam.zoom = 1;
    auto frame = [&] {
        r.render(cam, {float(kWidth), float(kHeight)}, 1, Color{1, 1, 1, 1});
        QOpenGLContext::currentContext()->functions()->glFinish();
    };
    frame();
    for (auto _ : state)
        frame();
    state.counters["shapes"] = 5500;
    r.releaseGl();
}
BENCHMARK(BM_ShapesAsQuads)->Unit(benchmark::kMillisecond);

/// Tile-binned: one quad per non-empty TILE×TILE pixel tile, shapes looped in its shader.
void BM_ShapesTileBinned(benchmark::State& state) {
    if (!ready(state))
        return;
    Tiled t;
    t.tile = int(state.range(0));
    if (!t.init(makeShapes())) {
        state.SkipWithError("tiled shader did not build");
        return;
    }
    t.draw();
    for (auto _ : state)
        t.draw();
    state.counters["tileQuads"] = double(t.quads.size() / 24);
    state.counters["listEntries"] = double(t.list.size());
    t.release();
}
BENCHMARK(BM_ShapesTileBinned)->Arg(8)->Arg(16)->Arg(32)->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    target().reset();
    return 0;
}
