// The live GL renderer: programs, batch upload and draw, text quads and the retained frame.
#include "viz/gl/gl_renderer.h"

#include "viz/gl/gl_shaders.h"
#include "viz/gl/text_atlas.h"

#include <QOpenGLBuffer>
#include <QOpenGLContext>
#include <QOpenGLExtraFunctions>
#include <QOpenGLShaderProgram>
#include <QOpenGLVertexArrayObject>
#include <algorithm>
#include <cmath>
#include <cstddef>

namespace aisys::viz {

namespace {

constexpr int kTextFloats = 8; // x y u v r g b a

bool sameCamera(const Camera& a, const Camera& b) {
    return a.center == b.center && a.zoom == b.zoom;
}

} // namespace

struct GlRenderer::Gl {
    QOpenGLExtraFunctions f;
    QOpenGLShaderProgram plainProgram, sdfProgram, gridProgram, textProgram;
    QOpenGLVertexArrayObject plainVao, sdfVao, gridVao, textVao;
    QOpenGLBuffer plainVbo{QOpenGLBuffer::VertexBuffer}, plainIbo{QOpenGLBuffer::IndexBuffer};
    QOpenGLBuffer sdfVbo{QOpenGLBuffer::VertexBuffer}, sdfIbo{QOpenGLBuffer::IndexBuffer};
    QOpenGLBuffer textVbo{QOpenGLBuffer::VertexBuffer};
    std::vector<GLuint> gridTextures;  ///< one per Tessellation::grids entry
    GLuint cacheFbo = 0, cacheRbo = 0; ///< the retained frame
    int cacheW = 0, cacheH = 0, cacheSamples = -1;
    QOpenGLContext* context = nullptr;
};

GlRenderer::GlRenderer() : m_atlas(std::make_unique<TextAtlas>()) {}

GlRenderer::~GlRenderer() {
    releaseGl();
}

bool GlRenderer::FrameKey::operator==(const FrameKey& o) const {
    return sameCamera(camera, o.camera) && view == o.view && dpr == o.dpr &&
           background == o.background && version == o.version;
}

QSurfaceFormat GlRenderer::surfaceFormat() {
    QSurfaceFormat f;
    f.setRenderableType(QSurfaceFormat::OpenGL);
    f.setVersion(3, 3);
    f.setProfile(QSurfaceFormat::CoreProfile);
    // No multisampling: every primitive is anti-aliased in its shader (SDF shapes, heat grids,
    // text, and plain triangles by their edge distances), and under software GL (llvmpipe)
    // 4× MSAA alone costs ~20 ms per 1080p frame.
    f.setSamples(0);
    f.setDepthBufferSize(24);
    f.setStencilBufferSize(8);
    f.setAlphaBufferSize(8);
    return f;
}

namespace {

/// Points attribute `index` at `size` components of `type` at `offset` in a `stride` record.
void attrib(QOpenGLExtraFunctions& f, GLuint index, int size, GLenum type, int stride,
            std::size_t offset) {
    f.glEnableVertexAttribArray(index);
    f.glVertexAttribPointer(index, size, type, type == GL_UNSIGNED_BYTE ? GL_TRUE : GL_FALSE,
                            stride, reinterpret_cast<void*>(offset));
}

} // namespace

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
        const QByteArray v = header + shaders::kTransform + vs, f = header + fs;
        if (!prog.addShaderFromSourceCode(QOpenGLShader::Vertex, v) ||
            !prog.addShaderFromSourceCode(QOpenGLShader::Fragment, f) || !prog.link()) {
            m_error = "GlRenderer: shader build failed: " + prog.log().toStdString();
            return false;
        }
        return true;
    };
    if (!build(gl->plainProgram, shaders::kPlainVs, shaders::kPlainFs) ||
        !build(gl->sdfProgram, shaders::kSdfVs, shaders::kSdfFs) ||
        !build(gl->gridProgram, shaders::kGridVs, shaders::kGridFs) ||
        !build(gl->textProgram, shaders::kTextVs, shaders::kTextFs))
        return false;
    QOpenGLExtraFunctions& f = gl->f;

    // Plain: position + RGBA8 colour + three edge distances (24 bytes a vertex), indexed.
    gl->plainVao.create();
    gl->plainVao.bind();
    for (QOpenGLBuffer* b : {&gl->plainVbo, &gl->plainIbo}) {
        b->create();
        b->setUsagePattern(QOpenGLBuffer::DynamicDraw);
        b->bind();
    }
    constexpr int kPlain = sizeof(PlainVertex);
    attrib(f, 0, 2, GL_FLOAT, kPlain, offsetof(PlainVertex, x));
    attrib(f, 1, 4, GL_UNSIGNED_BYTE, kPlain, offsetof(PlainVertex, rgba));
    attrib(f, 2, 3, GL_FLOAT, kPlain, offsetof(PlainVertex, edge));
    gl->plainVao.release();

    // SDF: position, local, half size, radius/stroke + two RGBA8 colours (40 bytes), indexed.
    gl->sdfVao.create();
    gl->sdfVao.bind();
    for (QOpenGLBuffer* b : {&gl->sdfVbo, &gl->sdfIbo}) {
        b->create();
        b->setUsagePattern(QOpenGLBuffer::DynamicDraw);
        b->bind();
    }
    constexpr int kSdf = sizeof(SdfVertex);
    attrib(f, 0, 2, GL_FLOAT, kSdf, offsetof(SdfVertex, x));
    attrib(f, 1, 2, GL_FLOAT, kSdf, offsetof(SdfVertex, lx));
    attrib(f, 2, 2, GL_FLOAT, kSdf, offsetof(SdfVertex, hx));
    attrib(f, 3, 2, GL_FLOAT, kSdf, offsetof(SdfVertex, radius));
    attrib(f, 4, 4, GL_UNSIGNED_BYTE, kSdf, offsetof(SdfVertex, fill));
    attrib(f, 5, 4, GL_UNSIGNED_BYTE, kSdf, offsetof(SdfVertex, stroke));
    gl->sdfVao.release();

    // Grid quads take their corners from gl_VertexID; core profile still needs a VAO.
    gl->gridVao.create();

    gl->textVao.create();
    gl->textVao.bind();
    gl->textVbo.create();
    gl->textVbo.setUsagePattern(QOpenGLBuffer::DynamicDraw);
    gl->textVbo.bind();
    const int stride = kTextFloats * sizeof(float);
    attrib(f, 0, 2, GL_FLOAT, stride, 0);
    attrib(f, 1, 2, GL_FLOAT, stride, 2 * sizeof(float));
    attrib(f, 2, 4, GL_FLOAT, stride, 4 * sizeof(float));
    gl->textVao.release();

    m_gl = std::move(gl);
    m_initialized = true;
    m_shapesDirty = m_textsDirty = true;
    m_cacheValid = false;
    return true;
}

void GlRenderer::releaseGl() {
    if (!m_gl)
        return;
    if (QOpenGLContext::currentContext() == m_gl->context) {
        QOpenGLExtraFunctions& f = m_gl->f;
        m_atlas->releaseGl(f);
        for (QOpenGLBuffer* b :
             {&m_gl->plainVbo, &m_gl->plainIbo, &m_gl->sdfVbo, &m_gl->sdfIbo, &m_gl->textVbo})
            b->destroy();
        for (QOpenGLVertexArrayObject* v :
             {&m_gl->plainVao, &m_gl->sdfVao, &m_gl->gridVao, &m_gl->textVao})
            v->destroy();
        if (!m_gl->gridTextures.empty())
            f.glDeleteTextures(GLsizei(m_gl->gridTextures.size()), m_gl->gridTextures.data());
        if (m_gl->cacheFbo)
            f.glDeleteFramebuffers(1, &m_gl->cacheFbo);
        if (m_gl->cacheRbo)
            f.glDeleteRenderbuffers(1, &m_gl->cacheRbo);
    }
    m_gl.reset();
    m_initialized = false;
    m_cacheValid = false;
}

/// Whether two tessellations draw the same heat grids (lattices; texels may differ): a changed
/// cell can turn a whole run into loose cells, which changes pixels outside the cell.
bool sameGrids(const Tessellation& a, const Tessellation& b) {
    if (a.grids.size() != b.grids.size())
        return false;
    for (std::size_t i = 0; i < a.grids.size(); ++i) {
        const HeatGrid &p = a.grids[i], &q = b.grids[i];
        if (!(p.x0 == q.x0 && p.y0 == q.y0 && p.pitchX == q.pitchX && p.pitchY == q.pitchY &&
              p.cellW == q.cellW && p.cellH == q.cellH && p.cols == q.cols && p.rows == q.rows))
            return false;
    }
    return true;
}

void GlRenderer::setDisplayList(const DisplayList& list) {
    if (!m_damage.note(m_list, list))
        return;
    m_list = list;
    Tessellation next = tessellate(m_list);
    if (!sameGrids(next, m_tess))
        m_damage.markAll();
    m_tess = std::move(next);
    m_shapesDirty = m_textsDirty = true;
    ++m_version;
}

void GlRenderer::setDisplayList(DisplayList&& list) {
    if (!m_damage.note(m_list, list))
        return;
    m_list = std::move(list);
    Tessellation next = tessellate(m_list);
    if (!sameGrids(next, m_tess))
        m_damage.markAll();
    m_tess = std::move(next);
    m_shapesDirty = m_textsDirty = true;
    ++m_version;
}

void GlRenderer::uploadShapes() {
    // 1. Vertices and indices go up whole; batches address them by index range.
    auto upload = [](QOpenGLBuffer& b, const void* data, std::size_t bytes) {
        b.bind();
        b.allocate(data, int(std::max<std::size_t>(bytes, 4)));
    };
    m_gl->plainVao.bind(); // binding the index buffers records them in their VAOs
    upload(m_gl->plainVbo, m_tess.plain.data(), m_tess.plain.size() * sizeof(PlainVertex));
    upload(m_gl->plainIbo, m_tess.plainIndices.data(), m_tess.plainIndices.size() * 4);
    m_gl->sdfVao.bind();
    upload(m_gl->sdfVbo, m_tess.sdf.data(), m_tess.sdf.size() * sizeof(SdfVertex));
    upload(m_gl->sdfIbo, m_tess.sdfIndices.data(), m_tess.sdfIndices.size() * 4);
    m_gl->sdfVao.release();
    // 2. One RGBA8 texture per heat grid, sampled texel by texel (texelFetch).
    QOpenGLExtraFunctions& f = m_gl->f;
    auto& tex = m_gl->gridTextures;
    if (tex.size() != m_tess.grids.size()) {
        if (!tex.empty())
            f.glDeleteTextures(GLsizei(tex.size()), tex.data());
        tex.assign(m_tess.grids.size(), 0);
        if (!tex.empty())
            f.glGenTextures(GLsizei(tex.size()), tex.data());
    }
    f.glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    for (std::size_t i = 0; i < tex.size(); ++i) {
        const HeatGrid& g = m_tess.grids[i];
        f.glBindTexture(GL_TEXTURE_2D, tex[i]);
        f.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        f.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        f.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
        f.glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, g.cols, g.rows, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                       g.texels.data());
    }
    m_shapeVertexCount = m_tess.vertexCount();
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
        m_textRects.clear();
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
            m_textRects.push_back(q.rect);
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

bool GlRenderer::copyCache(bool toCache, int w, int h, int dx, int dy) {
    // Copies the whole viewport between the current draw framebuffer and the retained image,
    // a renderbuffer with the target's sample count and colour format, so that the copy is a
    // plain sample-for-sample copy (llvmpipe: a memcpy, no shading). From the cache, the image
    // can land shifted by (dx, dy) framebuffer pixels (the part that stays in the viewport).
    // Any GL error turns the cache off for good.
    QOpenGLExtraFunctions& f = m_gl->f;
    while (f.glGetError() != GL_NO_ERROR) {
    }
    f.glDisable(GL_SCISSOR_TEST); // blits are scissored too
    GLint drawFbo = 0, readFbo = 0, samples = 0;
    f.glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &drawFbo);
    f.glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &readFbo);
    f.glGetIntegerv(GL_SAMPLES, &samples);
    if (toCache && (m_gl->cacheW != w || m_gl->cacheH != h || m_gl->cacheSamples != samples ||
                    !m_gl->cacheFbo)) {
        if (!m_gl->cacheFbo)
            f.glGenFramebuffers(1, &m_gl->cacheFbo);
        if (!m_gl->cacheRbo)
            f.glGenRenderbuffers(1, &m_gl->cacheRbo);
        f.glBindRenderbuffer(GL_RENDERBUFFER, m_gl->cacheRbo);
        f.glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_RGBA8, w, h);
        f.glBindFramebuffer(GL_DRAW_FRAMEBUFFER, m_gl->cacheFbo);
        f.glFramebufferRenderbuffer(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                                    m_gl->cacheRbo);
        const bool complete =
            f.glCheckFramebufferStatus(GL_DRAW_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE;
        f.glBindFramebuffer(GL_DRAW_FRAMEBUFFER, GLuint(drawFbo));
        m_gl->cacheW = w;
        m_gl->cacheH = h;
        m_gl->cacheSamples = samples;
        if (!complete) {
            m_cacheBroken = true;
            return false;
        }
    }
    if (!toCache && m_gl->cacheSamples != samples)
        return false; // the target changed its sample count: draw instead
    if (toCache) {
        f.glBindFramebuffer(GL_READ_FRAMEBUFFER, GLuint(drawFbo));
        f.glBindFramebuffer(GL_DRAW_FRAMEBUFFER, m_gl->cacheFbo);
    } else {
        f.glBindFramebuffer(GL_READ_FRAMEBUFFER, m_gl->cacheFbo);
    }
    const int sx0 = std::max(0, -dx), sy0 = std::max(0, -dy);
    const int sx1 = w - std::max(0, dx), sy1 = h - std::max(0, dy);
    f.glBlitFramebuffer(sx0, sy0, sx1, sy1, sx0 + dx, sy0 + dy, sx1 + dx, sy1 + dy,
                        GL_COLOR_BUFFER_BIT, GL_NEAREST);
    f.glBindFramebuffer(GL_READ_FRAMEBUFFER, GLuint(readFbo));
    f.glBindFramebuffer(GL_DRAW_FRAMEBUFFER, GLuint(drawFbo));
    if (f.glGetError() != GL_NO_ERROR) {
        m_cacheBroken = true;
        return false;
    }
    return true;
}

void GlRenderer::render(const Camera& camera, Vec2 view, float dpr, Color bg) {
    m_cacheHit = m_panned = m_previewed = m_repaired = false;
    if (!m_gl)
        return;
    QOpenGLExtraFunctions& f = m_gl->f;
    const int w = int(std::lround(view.x * dpr)), h = int(std::lround(view.y * dpr));
    f.glViewport(0, 0, w, h);
    const FrameKey key{camera, view, dpr, bg, m_version};
    const bool useCache = m_cacheEnabled && !m_cacheBroken && w > 0 && h > 0;
    const bool cacheFits = useCache && m_cacheValid && m_gl->cacheW == w && m_gl->cacheH == h;
    // 1. Nothing changed since the retained frame: copy it over the whole viewport.
    if (cacheFits && key == m_cacheKey && copyCache(false, w, h)) {
        m_cacheHit = true;
        return;
    }
    // 2. Only the camera centre moved, by whole device pixels (a drag): the retained frame is
    //    copied shifted and only the strips it leaves uncovered are drawn (scissored). A
    //    multisampled target cannot blit shifted, so it always draws.
    int dx = 0, dy = 0;
    if (cacheFits && m_gl->cacheSamples == 0 && panShift(key, m_cacheKey, w, h, dx, dy) &&
        copyCache(false, w, h, dx, dy)) {
        f.glEnable(GL_SCISSOR_TEST);
        f.glClearColor(bg.r, bg.g, bg.b, bg.a);
        const int strips[2][4] = {{dx > 0 ? 0 : w + dx, 0, std::abs(dx), h},
                                  {0, dy > 0 ? 0 : h + dy, w, std::abs(dy)}};
        for (const auto& r : strips) {
            if (r[2] == 0 || r[3] == 0)
                continue;
            f.glScissor(r[0], r[1], r[2], r[3]);
            f.glClear(GL_COLOR_BUFFER_BIT);
            const std::array<int, 4> strip{r[0], r[1], r[2], r[3]};
            drawScene(camera, view, dpr, &strip);
        }
        f.glDisable(GL_SCISSOR_TEST);
        m_panned = true;
    } else if (std::vector<std::array<int, 4>> rects; cacheFits && m_gl->cacheSamples == 0 &&
                                                      damageRects(key, w, h, rects) &&
                                                      copyCache(false, w, h)) {
        // 3. Only some primitives changed (a step that recolours a node, a value that
        //    appears): the retained image, and the changed regions drawn again (scissored).
        f.glEnable(GL_SCISSOR_TEST);
        f.glClearColor(bg.r, bg.g, bg.b, bg.a);
        for (const auto& r : rects) {
            f.glScissor(r[0], r[1], r[2], r[3]);
            f.glClear(GL_COLOR_BUFFER_BIT);
            drawScene(camera, view, dpr, &r);
        }
        f.glDisable(GL_SCISSOR_TEST);
        m_repaired = true;
    } else if (cacheFits && m_previewAllowed && m_gl->cacheSamples == 0 &&
               sameButCamera(key, m_cacheKey) && previewZoom(key, w, h)) {
        // 4. A zoom gesture in progress: the retained image scaled (GL_NEAREST: the preview
        //    lasts until the wheel rests 150 ms, and linear filtering costs half as much again);
        //    it stays the retained image, and the caller draws in full once the gesture settles.
        m_previewed = true;
        return;
    } else {
        // 5. Draw everything.
        f.glClearColor(bg.r, bg.g, bg.b, bg.a);
        f.glClear(GL_COLOR_BUFFER_BIT); // depth and stencil are unused: clearing costs as much
        draw(camera, view, dpr);
    }
    // Keep the frame for the next one (without MSAA the copy is a memcpy: ~0.25 ms at 1080p).
    FrameKey drawn = key;
    drawn.version = m_version; // a text re-raster inside draw() bumps the version
    m_cacheValid = useCache && copyCache(true, w, h);
    m_cacheKey = drawn;
    m_damage.clear();
}

bool GlRenderer::damageRects(const FrameKey& now, int w, int h,
                             std::vector<std::array<int, 4>>& rects) const {
    // The list changed since the retained frame (and nothing else did) and what changed is
    // known; the tracker gives its rectangles unless they cover half the view.
    if (now.version == m_cacheKey.version || !sameCamera(now.camera, m_cacheKey.camera) ||
        !(now.view == m_cacheKey.view && now.dpr == m_cacheKey.dpr &&
          now.background == m_cacheKey.background))
        return false;
    return m_damage.deviceRects(now.camera, now.view, now.dpr, w, h, rects);
}

bool GlRenderer::sameButCamera(const FrameKey& a, const FrameKey& b) {
    return a.view == b.view && a.dpr == b.dpr && a.background == b.background &&
           a.version == b.version;
}

bool GlRenderer::previewZoom(const FrameKey& now, int w, int h) {
    // Device-pixel view coordinates map as X' = (X − w/2)·r + t + w/2 with r = zoom'/zoom and
    // t = (centre − centre')·zoom'·dpr; framebuffer y points up, so its shift is −t.y.
    const Camera& was = m_cacheKey.camera;
    const Camera& is = now.camera;
    const float r = is.zoom / was.zoom, ppu = is.zoom * now.dpr;
    const float tx = (was.center.x - is.center.x) * ppu, ty = (was.center.y - is.center.y) * ppu;
    const float x0 = -0.5f * float(w) * r + tx + 0.5f * float(w);
    const float x1 = 0.5f * float(w) * r + tx + 0.5f * float(w);
    const float y0 = -0.5f * float(h) * r + 0.5f * float(h) - ty;
    const float y1 = 0.5f * float(h) * r + 0.5f * float(h) - ty;
    QOpenGLExtraFunctions& f = m_gl->f;
    while (f.glGetError() != GL_NO_ERROR) {
    }
    f.glDisable(GL_SCISSOR_TEST);
    f.glClearColor(now.background.r, now.background.g, now.background.b, now.background.a);
    f.glClear(GL_COLOR_BUFFER_BIT);
    GLint readFbo = 0;
    f.glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &readFbo);
    f.glBindFramebuffer(GL_READ_FRAMEBUFFER, m_gl->cacheFbo);
    f.glBlitFramebuffer(0, 0, w, h, int(std::lround(x0)), int(std::lround(y0)),
                        int(std::lround(x1)), int(std::lround(y1)), GL_COLOR_BUFFER_BIT,
                        GL_NEAREST);
    f.glBindFramebuffer(GL_READ_FRAMEBUFFER, GLuint(readFbo));
    return f.glGetError() == GL_NO_ERROR;
}

bool GlRenderer::panShift(const FrameKey& now, const FrameKey& kept, int w, int h, int& dx,
                          int& dy) const {
    // Same zoom, view, ratio, background and picture; the centre moved by (sx, sy) device
    // pixels in view space (y down), whole to within 1/100 pixel and less than half the view
    // (beyond that a full draw costs about as much). In framebuffer space y points up.
    if (!(now.camera.zoom == kept.camera.zoom && sameButCamera(now, kept)))
        return false;
    const float ppu = now.camera.zoom * now.dpr;
    const float sx = (kept.camera.center.x - now.camera.center.x) * ppu;
    const float sy = (kept.camera.center.y - now.camera.center.y) * ppu;
    const float rx = std::round(sx), ry = std::round(sy);
    if (std::abs(sx - rx) > 0.01f || std::abs(sy - ry) > 0.01f)
        return false;
    dx = int(rx);
    dy = -int(ry);
    return (dx != 0 || dy != 0) && std::abs(dx) < w / 2 && std::abs(dy) < h / 2;
}

void GlRenderer::draw(const Camera& camera, Vec2 view, float dpr) {
    drawScene(camera, view, dpr);
}

namespace {

/// The scene rectangle of framebuffer rectangle {x, y, w, h} (y up), one device pixel wider on
/// every side.
Rect sceneRect(const Camera& camera, Vec2 view, float dpr, const std::array<int, 4>& r) {
    const float fbHeight = std::round(view.y * dpr);
    const Vec2 a =
        camera.toScene({float(r[0] - 1) / dpr, (fbHeight - float(r[1] + r[3] + 1)) / dpr}, view);
    const Vec2 b =
        camera.toScene({float(r[0] + r[2] + 1) / dpr, (fbHeight - float(r[1] - 1)) / dpr}, view);
    return {std::min(a.x, b.x), std::min(a.y, b.y), std::abs(b.x - a.x), std::abs(b.y - a.y)};
}

/// Calls draw(k0, k1) for each run of consecutive items k0 ≤ k < k1 within [i0, i1) whose
/// rectangle touches `region`; returns the number of calls.
template <class RectOf, class Draw>
int drawTouching(std::size_t i0, std::size_t i1, const Rect& region, RectOf rectOf, Draw draw) {
    int calls = 0;
    std::size_t run0 = 0, runEnd = 0;
    bool open = false;
    for (std::size_t i = i0; i < i1; ++i) {
        if (!rectOf(i).touches(region))
            continue;
        if (open && i == runEnd) {
            runEnd = i + 1;
            continue;
        }
        if (open) {
            draw(run0, runEnd);
            ++calls;
        }
        run0 = i;
        runEnd = i + 1;
        open = true;
    }
    if (open) {
        draw(run0, runEnd);
        ++calls;
    }
    return calls;
}

} // namespace

void GlRenderer::drawScene(const Camera& camera, Vec2 view, float dpr,
                           const std::array<int, 4>* scissor) {
    const bool scissored = scissor != nullptr;
    m_drawCalls = 0;
    if (!m_gl || view.x <= 0 || view.y <= 0)
        return;
    QOpenGLExtraFunctions& f = m_gl->f;
    if (m_shapesDirty)
        uploadShapes();
    if (m_textsDirty || !sameCamera(camera, m_textCamera) || !(view == m_textView) ||
        dpr != m_textDpr || m_atlas->generation() != m_textGeneration) {
        const std::uint64_t gen = m_atlas->generation();
        buildTexts(camera, view, dpr);
        if (m_atlas->generation() != gen)
            ++m_version;
    }

    f.glViewport(0, 0, int(std::lround(view.x * dpr)), int(std::lround(view.y * dpr)));
    f.glDisable(GL_DEPTH_TEST);
    f.glDisable(GL_CULL_FACE);
    if (!scissored)
        f.glDisable(GL_SCISSOR_TEST);
    f.glEnable(GL_BLEND);
    f.glBlendEquation(GL_FUNC_ADD);
    f.glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA); // shaders output premultiplied colour

    const float unitsPerPixel = 1.0f / (camera.zoom * dpr);
    auto setCamera = [&](QOpenGLShaderProgram& prog) {
        prog.bind();
        prog.setUniformValue("u_center", camera.center.x, camera.center.y);
        prog.setUniformValue("u_zoom", camera.zoom);
        prog.setUniformValue("u_view", view.x, view.y);
    };
    setCamera(m_gl->textProgram);
    m_gl->textProgram.setUniformValue("u_atlas", 0);
    setCamera(m_gl->gridProgram);
    m_gl->gridProgram.setUniformValue("u_grid", 0);
    m_gl->gridProgram.setUniformValue("u_unitsPerPixel", unitsPerPixel);
    setCamera(m_gl->sdfProgram);
    m_gl->sdfProgram.setUniformValue("u_unitsPerPixel", unitsPerPixel);
    setCamera(m_gl->plainProgram);
    m_gl->plainProgram.setUniformValue("u_unitsPerPixel", unitsPerPixel);
    f.glActiveTexture(GL_TEXTURE0);

    // Layer by layer: its batches in order, then its labels (when scissored, only those that
    // reach the scissor rectangle).
    const Rect region = scissored ? sceneRect(camera, view, dpr, *scissor) : Rect{};
    QOpenGLShaderProgram* bound = &m_gl->plainProgram;
    QOpenGLVertexArrayObject* vao = nullptr;
    auto use = [&](QOpenGLShaderProgram& prog, QOpenGLVertexArrayObject& v) {
        if (bound != &prog) {
            prog.bind();
            bound = &prog;
        }
        if (vao != &v) {
            v.bind();
            vao = &v;
        }
    };
    for (std::size_t i = 0; i < m_tess.layers.size(); ++i) {
        for (const Batch& b : m_tess.layers[i].batches) {
            if (b.kind == BatchKind::Grid) {
                const HeatGrid& g = m_tess.grids[b.first];
                const Rect r = g.bounds();
                use(m_gl->gridProgram, m_gl->gridVao);
                QOpenGLShaderProgram& p = m_gl->gridProgram;
                p.setUniformValue("u_rect", r.x, r.y, r.w, r.h);
                p.setUniformValue("u_origin", g.x0, g.y0);
                p.setUniformValue("u_pitch", g.pitchX, g.pitchY);
                p.setUniformValue("u_invPitch", 1.0f / g.pitchX, 1.0f / g.pitchY);
                p.setUniformValue("u_cell", g.cellW, g.cellH);
                f.glUniform2i(p.uniformLocation("u_size"), g.cols, g.rows);
                f.glBindTexture(GL_TEXTURE_2D, m_gl->gridTextures[b.first]);
                f.glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
                ++m_drawCalls;
            } else {
                const bool sdf = b.kind == BatchKind::Sdf;
                use(sdf ? m_gl->sdfProgram : m_gl->plainProgram,
                    sdf ? m_gl->sdfVao : m_gl->plainVao);
                auto drawIndices = [&](std::size_t first, std::size_t count) {
                    f.glDrawElements(GL_TRIANGLES, GLsizei(count), GL_UNSIGNED_INT,
                                     reinterpret_cast<void*>(first * sizeof(std::uint32_t)));
                };
                if (!scissored) {
                    drawIndices(b.first, b.count);
                    ++m_drawCalls;
                    continue;
                }
                // Only the primitives that reach the scissor: llvmpipe would otherwise shade
                // nothing for the rest but still transform, set up and bin all of them.
                const std::vector<PrimSpan>& spans = m_tess.spans;
                m_drawCalls += drawTouching(
                    b.firstSpan, b.firstSpan + b.spanCount, region,
                    [&](std::size_t k) { return spans[k].bounds; },
                    [&](std::size_t k0, std::size_t k1) {
                        drawIndices(spans[k0].first,
                                    spans[k1 - 1].first + spans[k1 - 1].count - spans[k0].first);
                    });
            }
        }
        if (i < m_textCount.size() && m_textCount[i] > 0) {
            use(m_gl->textProgram, m_gl->textVao);
            f.glBindTexture(GL_TEXTURE_2D, m_atlas->texture());
            const std::size_t label0 = m_textFirst[i] / 6, labels = m_textCount[i] / 6;
            auto drawLabels = [&](std::size_t l0, std::size_t l1) {
                f.glDrawArrays(GL_TRIANGLES, GLint(l0 * 6), GLsizei((l1 - l0) * 6));
            };
            if (!scissored) {
                drawLabels(label0, label0 + labels);
                ++m_drawCalls;
            } else {
                m_drawCalls += drawTouching(
                    label0, label0 + labels, region, [&](std::size_t k) { return m_textRects[k]; },
                    drawLabels);
            }
        }
    }
    if (vao)
        vao->release();
    bound->release();
}

} // namespace aisys::viz
