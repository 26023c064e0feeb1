// GlOffscreen (context + framebuffer without a window) and renderOffscreen.
#include "viz/gl/gl_offscreen.h"

#include "viz/gl/gl_renderer.h"

#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>

namespace aisys::viz {

QImage renderOffscreen(const DisplayList& list, const Camera& camera, QSize pixelSize, float dpr,
                       Color background) {
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
