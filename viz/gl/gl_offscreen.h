// A standalone OpenGL context with a framebuffer (benchmarks, tests, snapshots) and rendering
// a display list into an image with it.
#pragma once

#include "viz/camera.h"
#include "viz/display_list.h"

#include <QImage>
#include <QSize>
#include <memory>
#include <string>

class QOpenGLContext;
class QOffscreenSurface;
class QOpenGLFramebufferObject;

namespace aisys::viz {

/// A standalone GL context with a framebuffer (benchmarks, tests, snapshots).
class GlOffscreen {
public:
    GlOffscreen();
    ~GlOffscreen();
    /// Creates the context and a `pixelSize` framebuffer with `samples` MSAA samples (0, like
    /// the live viewport, unless a benchmark asks for more).
    bool create(QSize pixelSize, int samples = 0);
    /// Makes the context current and binds the framebuffer.
    bool makeCurrent();
    void doneCurrent();
    /// Resolves and reads the framebuffer (context must be current).
    QImage grab();
    QOpenGLContext* context() const { return m_context.get(); }
    const std::string& error() const { return m_error; }

private:
    std::unique_ptr<QOpenGLContext> m_context;
    std::unique_ptr<QOffscreenSurface> m_surface;
    std::unique_ptr<QOpenGLFramebufferObject> m_fbo;
    std::string m_error;
};

/// Renders `list` offscreen into an image of `pixelSize` device pixels with a GlRenderer
/// (creates its own context; needs a QGuiApplication). Returns a null image when GL is
/// unavailable.
QImage renderOffscreen(const DisplayList& list, const Camera& camera, QSize pixelSize,
                       float devicePixelRatio, Color background);

} // namespace aisys::viz
