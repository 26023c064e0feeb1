// The live GL renderer: indexed batches per layer, heat grids as textures, atlas text, and a
// retained copy of the last frame for repaints where nothing changed.
#pragma once

#include "viz/camera.h"
#include "viz/damage.h"
#include "viz/display_list.h"
#include "viz/tessellator.h"

#include <QImage>
#include <QSize>
#include <QSurfaceFormat>
#include <array>
#include <memory>

namespace aisys::viz {

class TextAtlas;

/// Draws a DisplayList with OpenGL 3.3 core. All methods except the constructor and
/// setDisplayList need the GL context current; destroy it with the context current too.
class GlRenderer {
public:
    GlRenderer();
    ~GlRenderer();
    GlRenderer(const GlRenderer&) = delete;
    GlRenderer& operator=(const GlRenderer&) = delete;

    /// The surface format the renderer needs: OpenGL 3.3 core profile, no multisampling (every
    /// primitive is anti-aliased in its shader).
    static QSurfaceFormat surfaceFormat();

    /// Compiles shaders, creates buffers. Returns false (see error()) when GL is unusable.
    bool initialize();
    bool isInitialized() const { return m_initialized; }
    const std::string& error() const { return m_error; }

    /// Replaces the picture; re-tessellates only when the list differs from the current one.
    void setDisplayList(const DisplayList& list);
    void setDisplayList(DisplayList&& list);
    const DisplayList& displayList() const { return m_list; }

    /// Clears the colour to `background` and draws the list (viewport = view size × device
    /// ratio). Depth and stencil are left as they are: nothing drawn here or after uses them.
    /// Every frame is retained: when list, camera, view size, ratio and background equal the
    /// previous call's, the frame is a copy of that image (see cacheHit()); when only the
    /// camera centre moved by whole device pixels (a drag), the image is copied shifted and
    /// only the uncovered strips are drawn (see panned()).
    void render(const Camera& camera, Vec2 viewSizeLogical, float devicePixelRatio,
                Color background);
    /// Draws the list over whatever is in the framebuffer (no clear).
    void draw(const Camera& camera, Vec2 viewSizeLogical, float devicePixelRatio);

    /// Frees GL objects (call with the context current; the destructor does it if needed).
    void releaseGl();

    /// Statistics of the last draw: shape vertices, text quads, draw calls, heat grids.
    std::size_t shapeVertices() const { return m_shapeVertexCount; }
    std::size_t textQuads() const { return m_textQuadCount; }
    int drawCalls() const { return m_drawCalls; }
    std::size_t heatGrids() const { return m_tess.grids.size(); }
    /// Whether the last render() copied the retained image instead of drawing.
    bool cacheHit() const { return m_cacheHit; }
    /// Whether the last render() shifted the retained image and drew only the exposed strips.
    bool panned() const { return m_panned; }
    /// While on (a zoom gesture in progress), a frame that differs from the retained one only
    /// by the camera is the retained image scaled (see previewed()) — one nearest-neighbour
    /// blit (~3 / 6 ms at 720p / 1080p under llvmpipe; linear filtering cost 4 / 9.5 ms) instead
    /// of a full draw; turn it off when the gesture settles and render again for the sharp
    /// picture.
    void setPreviewAllowed(bool on) { m_previewAllowed = on; }
    /// Whether the last render() was such a scaled preview.
    bool previewed() const { return m_previewed; }
    /// Whether the last render() redrew only the regions of the primitives that changed since
    /// the retained frame (same number of primitives, at most half the view) over it.
    bool repaired() const { return m_repaired; }
    /// Turns the retained image on or off (on by default).
    void setCacheEnabled(bool on) { m_cacheEnabled = on; }

private:
    struct Gl;
    /// What a rendered frame depends on; equal keys give equal pictures.
    struct FrameKey {
        Camera camera;
        Vec2 view;
        float dpr = 0;
        Color background;
        std::uint64_t version = 0;
        bool operator==(const FrameKey& o) const;
    };
    void uploadShapes();
    void buildTexts(const Camera& camera, Vec2 viewSizeLogical, float devicePixelRatio);
    bool copyCache(bool toCache, int width, int height, int dx = 0, int dy = 0);
    /// The framebuffer shift (dx, dy) that turns the picture of `kept` into that of `now`,
    /// when only the camera centre moved by whole device pixels (less than half the view).
    bool panShift(const FrameKey& now, const FrameKey& kept, int width, int height, int& dx,
                  int& dy) const;
    static bool sameButCamera(const FrameKey& a, const FrameKey& b);
    /// The framebuffer rectangles {x, y, w, h} to redraw over the retained frame for `now`,
    /// when only some primitives changed since it.
    bool damageRects(const FrameKey& now, int width, int height,
                     std::vector<std::array<int, 4>>& rects) const;
    /// Clears to the background and blits the retained image scaled to the camera of `now`.
    bool previewZoom(const FrameKey& now, int width, int height);
    /// draw(); `scissor` (framebuffer {x, y, w, h}, y up) is a rectangle the caller has
    /// scissored to: only the primitives and labels that reach it are submitted.
    void drawScene(const Camera& camera, Vec2 viewSizeLogical, float devicePixelRatio,
                   const std::array<int, 4>* scissor = nullptr);

    std::unique_ptr<Gl> m_gl;
    std::unique_ptr<TextAtlas> m_atlas;
    DisplayList m_list;
    Tessellation m_tess;
    std::vector<std::size_t> m_textFirst, m_textCount; ///< text vertex ranges per layer
    std::vector<Rect> m_textRects; ///< scene quad of every laid-out label (6 vertices each)
    std::vector<float> m_textVerts;
    bool m_shapesDirty = true, m_textsDirty = true;
    Camera m_textCamera;
    Vec2 m_textView;
    float m_textDpr = 0;
    std::uint64_t m_textGeneration = 0;
    bool m_initialized = false;
    std::string m_error;
    std::size_t m_shapeVertexCount = 0, m_textQuadCount = 0;
    int m_drawCalls = 0;
    std::uint64_t m_version = 1; ///< bumped whenever the list or the text raster changes
    FrameKey m_cacheKey;
    bool m_cacheValid = false, m_cacheHit = false, m_panned = false, m_cacheEnabled = true,
         m_cacheBroken = false, m_previewAllowed = false, m_previewed = false, m_repaired = false;
    DamageTracker m_damage; ///< what changed since the retained frame
};

} // namespace aisys::viz
