// Text for GL: labels rasterised with QPainter, cached and shelf-packed into one alpha texture.
#pragma once

#include "viz/display_list.h"

#include <QImage>
#include <QRectF>
#include <cstdint>
#include <string>
#include <unordered_map>

class QOpenGLFunctions;

namespace aisys::viz {

/// Measured size of a label at a font size, in the same units as the size (the text box).
struct TextBox {
    float width = 0;  ///< widest line's advance
    float height = 0; ///< line height (QFontMetricsF::height) + lineSpacing per extra line
};

/// One cached raster: where it sits in the atlas and how it maps back to the text box.
struct AtlasEntry {
    QRectF uv;           ///< normalised texture rectangle of the whole raster (with padding)
    float pixelSize = 0; ///< the font pixel size it was rasterised at
    float imageW = 0, imageH = 0; ///< raster size in pixels, padding included
    float pad = 0;                ///< transparent border around the text box, in pixels
    TextBox box;                  ///< text box in pixels at pixelSize
    /// The part of the raster that is drawn: its non-zero texels grown by one texel (what linear
    /// filtering can reach), in pixels from the raster's top-left; empty for blank text.
    int inkX = 0, inkY = 0, inkW = 0, inkH = 0;
};

/// A label placed in the scene: quad in scene units and its texture rectangle (the raster's
/// ink rectangle, not its whole box: fewer pixels to shade, the same picture).
struct TextQuad {
    Rect rect;
    QRectF uv;
};

/// Caches every distinct (string, bold, pixel-size bucket) in a single-channel atlas image.
/// Rasterisation needs a QGuiApplication; uploading needs a current GL context.
class TextAtlas {
public:
    TextAtlas();
    ~TextAtlas();
    TextAtlas(const TextAtlas&) = delete;
    TextAtlas& operator=(const TextAtlas&) = delete;

    /// Rounds a wanted pixel size up to the next step of the 1.25× ladder (6 … 160 px).
    static int bucket(float pixelSize);

    /// Text box of `utf8` at `fontSize` pixels (the exporter's fontFor), as QPainter lays it out.
    static TextBox measure(const std::string& utf8, bool bold, float fontSize);

    /// The cached raster for a label, rasterising it when new; nullptr when it cannot fit.
    /// May reset the atlas when full: compare generation() before and after a batch.
    /// `align` positions the lines of multi-line text within their box.
    const AtlasEntry* entry(const std::string& utf8, bool bold, int pixelSize,
                            HAlign align = HAlign::Left);

    /// Places a text primitive drawn at `pixelsPerUnit` device pixels per scene unit.
    /// Returns false (and nothing to draw) when the label is too small to read, blank or cannot
    /// fit.
    bool layout(const Prim& text, float pixelsPerUnit, TextQuad& out);

    /// Creates / grows the GL texture and uploads the rows changed since the last call.
    void upload(QOpenGLFunctions& gl);
    /// Frees the GL texture (call with the context current).
    void releaseGl(QOpenGLFunctions& gl);
    unsigned texture() const { return m_texture; }
    /// Incremented whenever cached entries were thrown away (atlas reset).
    std::uint64_t generation() const { return m_generation; }
    std::size_t entryCount() const { return m_entries.size(); }
    QSize size() const { return m_image.size(); }
    /// The CPU copy of the atlas (tests and debugging).
    const QImage& image() const { return m_image; }

    static constexpr int kMaxSize = 4096;

private:
    bool allocate(int w, int h, int& x, int& y);
    void reset(int size);

    QImage m_image; ///< Format_Alpha8
    std::unordered_map<std::string, AtlasEntry> m_entries;
    int m_shelfX = 0, m_shelfY = 0, m_shelfH = 0;
    int m_dirtyY0 = 0, m_dirtyY1 = 0;
    bool m_resized = true;
    unsigned m_texture = 0;
    int m_textureSize = 0;
    std::uint64_t m_generation = 0;
};

} // namespace aisys::viz
