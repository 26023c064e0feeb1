// Text for GL: rasterises labels with QPainter (white on transparent) and shelf-packs them.
#include "viz/gl/text_atlas.h"

#include "viz/export/painter_renderer.h"

#include <QFont>
#include <QFontMetricsF>
#include <QOpenGLFunctions>
#include <QPainter>
#include <QStringList>
#include <algorithm>
#include <cmath>

namespace aisys::viz {

namespace {

constexpr int kInitialSize = 1024;
constexpr int kPad = 2;            // transparent border so linear filtering never bleeds
constexpr float kMinPixels = 1.5f; // labels smaller than this on screen are not drawn

/// The exporter's font (same families, so GL and QPainter agree) at an integer pixel size.
QFont fontAt(bool bold, float pixelSize) {
    Prim p;
    p.kind = PrimKind::Text;
    p.bold = bold;
    p.fontSize = pixelSize;
    return fontFor(p);
}

/// Box of the lines at the font's exact metrics (single line: height = QFontMetricsF::height).
TextBox measureLines(const QStringList& lines, const QFontMetricsF& fm) {
    TextBox b;
    for (const QString& l : lines)
        b.width = std::max(b.width, static_cast<float>(fm.horizontalAdvance(l)));
    b.height = static_cast<float>(fm.height() + (lines.size() - 1) * fm.lineSpacing());
    return b;
}

} // namespace

TextAtlas::TextAtlas() {
    reset(kInitialSize);
}
TextAtlas::~TextAtlas() = default;

int TextAtlas::bucket(float pixelSize) {
    // 1.25^k rounded up: 6 8 10 12 15 19 24 30 37 46 58 72 90 113 141 160(cap).
    float step = 6.0f;
    while (step < pixelSize && step < 160.0f)
        step = std::ceil(step * 1.25f);
    return static_cast<int>(std::min(step, 160.0f));
}

TextBox TextAtlas::measure(const std::string& utf8, bool bold, float fontSize) {
    // Measure at a comfortable integer size, then scale (QFont pixel sizes are integers).
    const int px = std::max(1, static_cast<int>(std::lround(fontSize)));
    const QFontMetricsF fm(fontAt(bold, static_cast<float>(px)));
    TextBox b =
        measureLines(QString::fromUtf8(utf8.data(), qsizetype(utf8.size())).split('\n'), fm);
    const float s = fontSize / static_cast<float>(px);
    return {b.width * s, b.height * s};
}

void TextAtlas::reset(int size) {
    m_image = QImage(size, size, QImage::Format_Alpha8);
    m_image.fill(0);
    m_entries.clear();
    m_shelfX = m_shelfY = m_shelfH = 0;
    m_dirtyY0 = 0;
    m_dirtyY1 = size;
    m_resized = true;
    ++m_generation;
}

bool TextAtlas::allocate(int w, int h, int& x, int& y) {
    // Shelf packing: fill the current row left to right, open a new row below when full.
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (m_shelfX + w > m_image.width()) {
            m_shelfY += m_shelfH;
            m_shelfX = 0;
            m_shelfH = 0;
        }
        if (w <= m_image.width() && m_shelfY + h <= m_image.height()) {
            x = m_shelfX;
            y = m_shelfY;
            m_shelfX += w;
            m_shelfH = std::max(m_shelfH, h);
            return true;
        }
        // Full: grow (copying the packed part) while allowed, otherwise start over.
        if (m_image.width() < kMaxSize) {
            const int n = m_image.width() * 2;
            QImage bigger(n, n, QImage::Format_Alpha8);
            bigger.fill(0);
            for (int row = 0; row < m_image.height(); ++row)
                std::copy_n(m_image.constScanLine(row), m_image.width(), bigger.scanLine(row));
            const float sx = float(m_image.width()) / float(n);
            for (auto& [key, e] : m_entries)
                e.uv = QRectF(e.uv.x() * sx, e.uv.y() * sx, e.uv.width() * sx, e.uv.height() * sx);
            // Keep the shelves: the old area stays where it is; new rows start below it.
            m_shelfY = m_image.height();
            m_shelfX = 0;
            m_shelfH = 0;
            m_image = std::move(bigger);
            m_dirtyY0 = 0;
            m_dirtyY1 = n;
            m_resized = true;
            attempt = -1; // try again in the bigger image
            continue;
        }
        reset(m_image.width());
    }
    return false;
}

const AtlasEntry* TextAtlas::entry(const std::string& utf8, bool bold, int pixelSize,
                                   HAlign align) {
    const bool multiLine = utf8.find('\n') != std::string::npos;
    if (!multiLine)
        align = HAlign::Left; // alignment only matters between lines
    std::string key;
    key.reserve(utf8.size() + 8);
    key.append(utf8);
    key.push_back('\x1f');
    key.push_back(bold ? 'b' : 'r');
    key.push_back(static_cast<char>('0' + static_cast<int>(align)));
    key.append(std::to_string(pixelSize));
    if (auto it = m_entries.find(key); it != m_entries.end())
        return &it->second;

    // 1. Measure the text at the bucket size.
    const QFont font = fontAt(bold, float(pixelSize));
    const QFontMetricsF fm(font);
    const QStringList lines = QString::fromUtf8(utf8.data(), qsizetype(utf8.size())).split('\n');
    const TextBox box = measureLines(lines, fm);
    const int w = static_cast<int>(std::ceil(box.width)) + 2 * kPad;
    const int h = static_cast<int>(std::ceil(box.height)) + 2 * kPad;
    if (w > kMaxSize || h > kMaxSize)
        return nullptr;
    // 2. Find room in the atlas.
    int x = 0, y = 0;
    if (!allocate(w, h, x, y))
        return nullptr;
    // 3. Rasterise white glyphs on transparent.
    QImage tile(w, h, QImage::Format_ARGB32_Premultiplied);
    tile.fill(Qt::transparent);
    {
        QPainter p(&tile);
        p.setRenderHint(QPainter::TextAntialiasing);
        p.setFont(font);
        p.setPen(Qt::white);
        for (qsizetype i = 0; i < lines.size(); ++i) {
            // Lines are aligned within the text box like QPainter::drawText(rect, flags).
            const float baseline = kPad + float(fm.ascent() + double(i) * fm.lineSpacing());
            const float slack = box.width - float(fm.horizontalAdvance(lines[i]));
            const float dx = align == HAlign::Center  ? slack / 2
                             : align == HAlign::Right ? slack
                                                      : 0.0f;
            p.drawText(QPointF(kPad + dx, baseline), lines[i]);
        }
    }
    // 4. Copy the coverage into the atlas and find its ink rectangle (non-zero texels, grown by
    //    the one texel a bilinear sample can reach from outside it, clamped to the raster).
    int inkX0 = w, inkY0 = h, inkX1 = -1, inkY1 = -1;
    for (int row = 0; row < h; ++row) {
        const QRgb* src = reinterpret_cast<const QRgb*>(tile.constScanLine(row));
        uchar* dst = m_image.scanLine(y + row) + x;
        for (int col = 0; col < w; ++col) {
            dst[col] = static_cast<uchar>(qAlpha(src[col]));
            if (dst[col] != 0) {
                inkX0 = std::min(inkX0, col);
                inkX1 = std::max(inkX1, col);
                inkY0 = std::min(inkY0, row);
                inkY1 = std::max(inkY1, row);
            }
        }
    }
    m_dirtyY0 = std::min(m_dirtyY0, y);
    m_dirtyY1 = std::max(m_dirtyY1, y + h);

    const float n = float(m_image.width());
    AtlasEntry e;
    e.uv = QRectF(x / n, y / n, w / n, h / n);
    e.pixelSize = float(pixelSize);
    e.imageW = float(w);
    e.imageH = float(h);
    e.pad = float(kPad);
    e.box = box;
    if (inkX1 >= 0) {
        e.inkX = std::max(0, inkX0 - 1);
        e.inkY = std::max(0, inkY0 - 1);
        e.inkW = std::min(w, inkX1 + 2) - e.inkX;
        e.inkH = std::min(h, inkY1 + 2) - e.inkY;
    }
    return &m_entries.emplace(std::move(key), e).first->second;
}

bool TextAtlas::layout(const Prim& t, float pixelsPerUnit, TextQuad& out) {
    if (t.pts.empty() || t.text.empty())
        return false;
    const float onScreen = t.fontSize * pixelsPerUnit;
    if (!(onScreen >= kMinPixels))
        return false;
    const AtlasEntry* e = entry(t.text, t.bold, bucket(onScreen), t.halign);
    if (!e)
        return false;
    // Scene units per raster pixel, then the text box placed by the anchor and alignment.
    const float s = t.fontSize / e->pixelSize;
    const float bw = e->box.width * s, bh = e->box.height * s;
    const Vec2 a = t.pts[0];
    float x = a.x, y = a.y;
    if (t.halign == HAlign::Center)
        x -= bw / 2;
    else if (t.halign == HAlign::Right)
        x -= bw;
    if (t.valign == VAlign::Middle)
        y -= bh / 2;
    else if (t.valign == VAlign::Bottom)
        y -= bh;
    // Only the ink rectangle is drawn: the rest of the raster is transparent.
    if (e->inkW <= 0 || e->inkH <= 0)
        return false;
    out.rect = {x + (float(e->inkX) - e->pad) * s, y + (float(e->inkY) - e->pad) * s,
                float(e->inkW) * s, float(e->inkH) * s};
    const double du = e->uv.width() / double(e->imageW), dv = e->uv.height() / double(e->imageH);
    out.uv = QRectF(e->uv.x() + e->inkX * du, e->uv.y() + e->inkY * dv, e->inkW * du, e->inkH * dv);
    return true;
}

void TextAtlas::upload(QOpenGLFunctions& gl) {
    const int n = m_image.width();
    if (m_texture == 0) {
        gl.glGenTextures(1, &m_texture);
        m_resized = true;
    }
    gl.glBindTexture(GL_TEXTURE_2D, m_texture);
    gl.glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (m_resized || m_textureSize != n) {
        gl.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        gl.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        gl.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        gl.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        gl.glTexImage2D(GL_TEXTURE_2D, 0, 0x8229 /* GL_R8 */, n, n, 0, 0x1903 /* GL_RED */,
                        GL_UNSIGNED_BYTE, m_image.constBits());
        m_textureSize = n;
        m_resized = false;
    } else if (m_dirtyY1 > m_dirtyY0) {
        gl.glTexSubImage2D(GL_TEXTURE_2D, 0, 0, m_dirtyY0, n, m_dirtyY1 - m_dirtyY0,
                           0x1903 /* GL_RED */, GL_UNSIGNED_BYTE, m_image.constScanLine(m_dirtyY0));
    }
    m_dirtyY0 = n;
    m_dirtyY1 = 0;
}

void TextAtlas::releaseGl(QOpenGLFunctions& gl) {
    if (m_texture)
        gl.glDeleteTextures(1, &m_texture);
    m_texture = 0;
    m_textureSize = 0;
    m_resized = true;
}

} // namespace aisys::viz
