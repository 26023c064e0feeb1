// The live GL renderer: shaders, VBO upload per layer, text quads from the atlas, offscreen helper.
#include "viz/gl_renderer.h"

#include "viz/text_atlas.h"

#include <QOffscreenSurface>
#include <QOpenGLBuffer>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QOpenGLFunctions>
#include <QOpenGLShaderProgram>
#include <QOpenGLVertexArrayObject>
#include <algorithm>
#include <cmath>

namespace aisys::viz {

namespace {

// view = (scene - center) * zoom + view/2, then to normalised device coordinates (y up).
constexpr const char* kTransform = R"(
uniform vec2 u_center;
uniform float u_zoom;
uniform vec2 u_view;
vec4 toClip(vec2 p) {
    vec2 v = (p - u_center) * u_zoom + 0.5 * u_view;
    return vec4(v.x / u_view.x * 2.0 - 1.0, 1.0 - v.y / u_view.y * 2.0, 0.0, 1.0);
}
)";

constexpr const char* kShapeVs = R"(
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec4 a_fill;
layout(location = 2) in vec4 a_stroke;
layout(location = 3) in vec2 a_local;
layout(location = 4) in vec2 a_half;
layout(location = 5) in vec2 a_shape;
out vec4 v_fill;
out vec4 v_stroke;
out vec2 v_local;
flat out vec2 v_half;
flat out vec2 v_shape;
void main() {
    v_fill = a_fill;
    v_stroke = a_stroke;
    v_local = a_local;
    v_half = a_half;
    v_shape = a_shape;
    gl_Position = toClip(a_pos);
}
)";

// Output is premultiplied. SDF shapes: rounded-box distance d (circle = box with radius = half
// size), fill where d < 0, stroke where |d| < half width, both anti-aliased over one pixel.
constexpr const char* kShapeFs = R"(
in vec4 v_fill;
in vec4 v_stroke;
in vec2 v_local;
flat in vec2 v_half;
flat in vec2 v_shape;
out vec4 o_color;
void main() {
    if (v_half.x < 0.0) {
        o_color = vec4(v_fill.rgb * v_fill.a, v_fill.a);
        return;
    }
    float radius = v_shape.x, sh = v_shape.y;
    vec2 q = abs(v_local) - v_half + vec2(radius);
    float d = length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - radius;
    float aa = max(fwidth(d), 1e-5);
    float fillCov = clamp(0.5 - d / aa, 0.0, 1.0);
    float ringCov = clamp(0.5 - (d - sh) / aa, 0.0, 1.0) - clamp(0.5 - (d + sh) / aa, 0.0, 1.0);
    if (sh <= 0.0)
        ringCov = 0.0;
    float fa = v_fill.a * fillCov, sa = v_stroke.a * ringCov;
    o_color = vec4(v_stroke.rgb * sa, sa) + vec4(v_fill.rgb * fa, fa) * (1.0 - sa);
}
)";

constexpr const char* kTextVs = R"(
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_color;
out vec2 v_uv;
out vec4 v_color;
void main() {
    v_uv = a_uv;
    v_color = a_color;
    gl_Position = toClip(a_pos);
}
)";

constexpr const char* kTextFs = R"(
uniform sampler2D u_atlas;
in vec2 v_uv;
in vec4 v_color;
out vec4 o_color;
void main() {
    float a = v_color.a * texture(u_atlas, v_uv).r;
    o_color = vec4(v_color.rgb * a, a);
}
)";

constexpr int kTextFloats = 8; // x y u v r g b a

bool samePrim(const Prim& a, const Prim& b) {
    return a.kind == b.kind && a.id == b.id && a.layer == b.layer && a.closed == b.closed &&
           a.doubleHead == b.doubleHead && a.bold == b.bold && a.dashed == b.dashed &&
           a.halign == b.halign && a.valign == b.valign && a.rect.x == b.rect.x &&
           a.rect.y == b.rect.y && a.rect.w == b.rect.w && a.rect.h == b.rect.h &&
           a.radius == b.radius && a.strokeWidth == b.strokeWidth && a.fontSize == b.fontSize &&
           a.fill == b.fill && a.stroke == b.stroke && a.pts == b.pts && a.text == b.text;
}

bool sameList(const DisplayList& a, const DisplayList& b) {
    if (a.prims.size() != b.prims.size())
        return false;
    for (std::size_t i = 0; i < a.prims.size(); ++i)
        if (!samePrim(a.prims[i], b.prims[i]))
            return false;
    return true;
}

bool sameCamera(const Camera& a, const Camera& b) {
    return a.center == b.center && a.zoom == b.zoom;
}

} // namespace

struct GlRenderer::Gl {
    QOpenGLFunctions f;
    QOpenGLShaderProgram shapeProgram, textProgram;
    QOpenGLVertexArrayObject shapeVao, textVao;
    QOpenGLBuffer shapeVbo{QOpenGLBuffer::VertexBuffer}, textVbo{QOpenGLBuffer::VertexBuffer};
    QOpenGLContext* context = nullptr;
};

GlRenderer::GlRenderer() : m_atlas(std::make_unique<TextAtlas>()) {}

GlRenderer::~GlRenderer() {
    releaseGl();
}

QSurfaceFormat GlRenderer::surfaceFormat() {
    QSurfaceFormat f;
    f.setRenderableType(QSurfaceFormat::OpenGL);
    f.setVersion(3, 3);
    f.setProfile(QSurfaceFormat::CoreProfile);
    f.setSamples(4);
    f.setDepthBufferSize(24);
    f.setStencilBufferSize(8);
    f.setAlphaBufferSize(8);
    return f;
}

bool GlRenderer::initialize() {
    if (m_initialized)
        return true;
    auto gl = std::make_unique<Gl>();
    gl->context = QOpenGLContext::currentContext();
    if (!gl->context) {
        m_error = "GlRenderer::initialize: no current OpenGL context";
        return false;
    }
    gl->f.initializeOpenGLFunctions();
    const QByteArray header = "#version 330 core\n";
    auto build = [&](QOpenGLShaderProgram& prog, const char* vs, const char* fs) {
        const QByteArray v = header + kTransform + vs, f = header + fs;
        if (!prog.addShaderFromSourceCode(QOpenGLShader::Vertex, v) ||
            !prog.addShaderFromSourceCode(QOpenGLShader::Fragment, f) || !prog.link()) {
            m_error = "GlRenderer: shader build failed: " + prog.log().toStdString();
            return false;
        }
        return true;
    };
    if (!build(gl->shapeProgram, kShapeVs, kShapeFs) || !build(gl->textProgram, kTextVs, kTextFs))
        return false;

    gl->shapeVao.create();
    gl->shapeVao.bind();
    gl->shapeVbo.create();
    gl->shapeVbo.setUsagePattern(QOpenGLBuffer::DynamicDraw);
    gl->shapeVbo.bind();
    struct Attr {
        int size, offset;
    };
    constexpr Attr kShapeAttrs[] = {{2, 0}, {4, 2}, {4, 6}, {2, 10}, {2, 12}, {2, 14}};
    for (GLuint i = 0; i < 6; ++i) {
        gl->f.glEnableVertexAttribArray(i);
        gl->f.glVertexAttribPointer(
            i, kShapeAttrs[i].size, GL_FLOAT, GL_FALSE, sizeof(ShapeVertex),
            reinterpret_cast<void*>(std::size_t(kShapeAttrs[i].offset) * sizeof(float)));
    }
    gl->shapeVao.release();

    gl->textVao.create();
    gl->textVao.bind();
    gl->textVbo.create();
    gl->textVbo.setUsagePattern(QOpenGLBuffer::DynamicDraw);
    gl->textVbo.bind();
    const int stride = kTextFloats * sizeof(float);
    for (int i = 0; i < 3; ++i)
        gl->f.glEnableVertexAttribArray(GLuint(i));
    gl->f.glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, nullptr);
    gl->f.glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride,
                                reinterpret_cast<void*>(2 * sizeof(float)));
    gl->f.glVertexAttribPointer(2, 4, GL_FLOAT, GL_FALSE, stride,
                                reinterpret_cast<void*>(4 * sizeof(float)));
    gl->textVao.release();

    m_gl = std::move(gl);
    m_initialized = true;
    m_shapesDirty = m_textsDirty = true;
    return true;
}

void GlRenderer::releaseGl() {
    if (!m_gl)
        return;
    if (QOpenGLContext::currentContext() == m_gl->context) {
        m_atlas->releaseGl(m_gl->f);
        m_gl->shapeVbo.destroy();
        m_gl->textVbo.destroy();
        m_gl->shapeVao.destroy();
        m_gl->textVao.destroy();
    }
    m_gl.reset();
    m_initialized = false;
}

void GlRenderer::setDisplayList(const DisplayList& list) {
    if (sameList(list, m_list) && !m_list.empty())
        return;
    m_list = list;
    m_tess = tessellate(m_list);
    m_shapesDirty = m_textsDirty = true;
}

void GlRenderer::setDisplayList(DisplayList&& list) {
    if (sameList(list, m_list) && !m_list.empty())
        return;
    m_list = std::move(list);
    m_tess = tessellate(m_list);
    m_shapesDirty = m_textsDirty = true;
}

void GlRenderer::uploadShapes() {
    // All layers go into one buffer back to back; each layer remembers its range.
    const std::size_t total = m_tess.vertexCount();
    m_layerFirst.assign(m_tess.layers.size(), 0);
    m_layerCount.assign(m_tess.layers.size(), 0);
    m_gl->shapeVbo.bind();
    m_gl->shapeVbo.allocate(int(std::max<std::size_t>(total, 1) * sizeof(ShapeVertex)));
    std::size_t at = 0;
    for (std::size_t i = 0; i < m_tess.layers.size(); ++i) {
        const auto& v = m_tess.layers[i].vertices;
        m_layerFirst[i] = at;
        m_layerCount[i] = v.size();
        if (!v.empty())
            m_gl->shapeVbo.write(int(at * sizeof(ShapeVertex)), v.data(),
                                 int(v.size() * sizeof(ShapeVertex)));
        at += v.size();
    }
    m_shapeVertexCount = total;
    m_shapesDirty = false;
}

void GlRenderer::buildTexts(const Camera& camera, Vec2 view, float dpr) {
    // 1. Visible scene rectangle (labels outside it are neither rasterised nor drawn).
    const Vec2 tl = camera.toScene({0, 0}, view), br = camera.toScene(view, view);
    const Rect visible{tl.x, tl.y, br.x - tl.x, br.y - tl.y};
    const float ppu = camera.zoom * dpr;
    // 2. Lay out every visible label; if the atlas had to start over, lay out once more.
    for (int attempt = 0; attempt < 2; ++attempt) {
        const std::uint64_t gen = m_atlas->generation();
        m_textVerts.clear();
        m_textFirst.assign(m_tess.layers.size(), 0);
        m_textCount.assign(m_tess.layers.size(), 0);
        std::size_t current = std::size_t(-1);
        for (const TextRef& ref : m_tess.texts) {
            if (ref.layerIndex != current) {
                current = ref.layerIndex;
                m_textFirst[current] = m_textVerts.size() / kTextFloats;
            }
            const Prim& p = m_list.prims[ref.primIndex];
            const Rect approx = textRect(p).adjusted(p.fontSize);
            if (approx.x > visible.x + visible.w || approx.y > visible.y + visible.h ||
                approx.x + approx.w < visible.x || approx.y + approx.h < visible.y)
                continue;
            TextQuad q;
            if (!m_atlas->layout(p, ppu, q))
                continue;
            const float x0 = q.rect.x, y0 = q.rect.y, x1 = x0 + q.rect.w, y1 = y0 + q.rect.h;
            const float u0 = float(q.uv.left()), v0 = float(q.uv.top()), u1 = float(q.uv.right()),
                        v1 = float(q.uv.bottom());
            const Color& c = p.stroke;
            const float quad[6][4] = {{x0, y0, u0, v0}, {x1, y0, u1, v0}, {x1, y1, u1, v1},
                                      {x0, y0, u0, v0}, {x1, y1, u1, v1}, {x0, y1, u0, v1}};
            for (const auto& v : quad)
                m_textVerts.insert(m_textVerts.end(), {v[0], v[1], v[2], v[3], c.r, c.g, c.b, c.a});
            m_textCount[current] += 6;
        }
        if (m_atlas->generation() == gen)
            break;
    }
    m_atlas->upload(m_gl->f);
    m_gl->textVbo.bind();
    m_gl->textVbo.allocate(m_textVerts.empty() ? nullptr : m_textVerts.data(),
                           int(std::max<std::size_t>(m_textVerts.size(), 1) * sizeof(float)));
    m_textQuadCount = m_textVerts.size() / kTextFloats / 6;
    m_textCamera = camera;
    m_textView = view;
    m_textDpr = dpr;
    m_textGeneration = m_atlas->generation();
    m_textsDirty = false;
}

void GlRenderer::render(const Camera& camera, Vec2 view, float dpr, Color bg) {
    if (!m_gl)
        return;
    m_gl->f.glViewport(0, 0, int(std::lround(view.x * dpr)), int(std::lround(view.y * dpr)));
    m_gl->f.glClearColor(bg.r, bg.g, bg.b, bg.a);
    m_gl->f.glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT | GL_STENCIL_BUFFER_BIT);
    draw(camera, view, dpr);
}

void GlRenderer::draw(const Camera& camera, Vec2 view, float dpr) {
    m_drawCalls = 0;
    if (!m_gl || view.x <= 0 || view.y <= 0)
        return;
    QOpenGLFunctions& f = m_gl->f;
    if (m_shapesDirty)
        uploadShapes();
    if (m_textsDirty || !sameCamera(camera, m_textCamera) || !(view == m_textView) ||
        dpr != m_textDpr || m_atlas->generation() != m_textGeneration)
        buildTexts(camera, view, dpr);

    f.glViewport(0, 0, int(std::lround(view.x * dpr)), int(std::lround(view.y * dpr)));
    f.glDisable(GL_DEPTH_TEST);
    f.glDisable(GL_CULL_FACE);
    f.glDisable(GL_SCISSOR_TEST);
    f.glEnable(GL_BLEND);
    f.glBlendEquation(GL_FUNC_ADD);
    f.glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA); // shaders output premultiplied colour

    auto setCamera = [&](QOpenGLShaderProgram& prog) {
        prog.bind();
        prog.setUniformValue("u_center", camera.center.x, camera.center.y);
        prog.setUniformValue("u_zoom", camera.zoom);
        prog.setUniformValue("u_view", view.x, view.y);
    };
    setCamera(m_gl->textProgram);
    m_gl->textProgram.setUniformValue("u_atlas", 0);
    setCamera(m_gl->shapeProgram);
    f.glActiveTexture(GL_TEXTURE0);
    f.glBindTexture(GL_TEXTURE_2D, m_atlas->texture());

    // One draw for the shapes of a layer, then one for its labels, layer by layer.
    QOpenGLShaderProgram* bound = &m_gl->shapeProgram;
    for (std::size_t i = 0; i < m_tess.layers.size(); ++i) {
        if (m_layerCount[i] > 0) {
            if (bound != &m_gl->shapeProgram) {
                m_gl->shapeProgram.bind();
                bound = &m_gl->shapeProgram;
            }
            m_gl->shapeVao.bind();
            f.glDrawArrays(GL_TRIANGLES, GLint(m_layerFirst[i]), GLsizei(m_layerCount[i]));
            ++m_drawCalls;
        }
        if (i < m_textCount.size() && m_textCount[i] > 0) {
            if (bound != &m_gl->textProgram) {
                m_gl->textProgram.bind();
                bound = &m_gl->textProgram;
            }
            m_gl->textVao.bind();
            f.glDrawArrays(GL_TRIANGLES, GLint(m_textFirst[i]), GLsizei(m_textCount[i]));
            ++m_drawCalls;
        }
    }
    m_gl->shapeVao.release();
    bound->release();
}

QImage GlRenderer::renderOffscreen(const DisplayList& list, const Camera& camera, QSize pixelSize,
                                   float dpr, Color background) {
    GlOffscreen target;
    if (!target.create(pixelSize))
        return {};
    QImage image;
    {
        GlRenderer renderer;
        if (!renderer.initialize())
            return {};
        renderer.setDisplayList(list);
        const Vec2 view{float(pixelSize.width()) / dpr, float(pixelSize.height()) / dpr};
        renderer.render(camera, view, dpr, background);
        image = target.grab();
        renderer.releaseGl();
    }
    target.doneCurrent();
    image.setDevicePixelRatio(dpr);
    return image;
}

GlOffscreen::GlOffscreen() = default;

GlOffscreen::~GlOffscreen() {
    if (m_context && m_fbo) {
        m_context->makeCurrent(m_surface.get());
        m_fbo.reset();
        m_context->doneCurrent();
    }
}

bool GlOffscreen::create(QSize pixelSize, int samples) {
    const QSurfaceFormat format = GlRenderer::surfaceFormat();
    m_surface = std::make_unique<QOffscreenSurface>();
    m_surface->setFormat(format);
    m_surface->create();
    m_context = std::make_unique<QOpenGLContext>();
    m_context->setFormat(format);
    if (!m_context->create()) {
        m_error = "cannot create an OpenGL 3.3 core context";
        return false;
    }
    if (!m_context->makeCurrent(m_surface.get())) {
        m_error = "cannot make the offscreen OpenGL context current";
        return false;
    }
    QOpenGLFramebufferObjectFormat fboFormat;
    fboFormat.setAttachment(QOpenGLFramebufferObject::CombinedDepthStencil);
    fboFormat.setSamples(samples);
    m_fbo = std::make_unique<QOpenGLFramebufferObject>(pixelSize, fboFormat);
    if (!m_fbo->isValid()) {
        m_error = "cannot create the offscreen framebuffer";
        return false;
    }
    m_fbo->bind();
    return true;
}

bool GlOffscreen::makeCurrent() {
    if (!m_context || !m_context->makeCurrent(m_surface.get()))
        return false;
    return m_fbo && m_fbo->bind();
}

void GlOffscreen::doneCurrent() {
    if (m_context)
        m_context->doneCurrent();
}

QImage GlOffscreen::grab() {
    return m_fbo ? m_fbo->toImage() : QImage();
}

} // namespace aisys::viz
