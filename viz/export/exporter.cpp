// Export: lays out caption + picture + legend into a page and paints it to SVG, PDF or PNG.
#include "viz/export/exporter.h"

#include "viz/export/painter_renderer.h"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <algorithm>
#include <cctype>
#include <cmath>

namespace aisys::viz {

bool parseExportFormat(const std::string& s, ExportFormat& out) {
    std::string l;
    for (char c : s)
        l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (l == "svg")
        out = ExportFormat::Svg;
    else if (l == "pdf")
        out = ExportFormat::Pdf;
    else if (l == "png")
        out = ExportFormat::Png;
    else
        return false;
    return true;
}

const char* extensionOf(ExportFormat f) {
    switch (f) {
    case ExportFormat::Svg:
        return "svg";
    case ExportFormat::Pdf:
        return "pdf";
    case ExportFormat::Png:
        return "png";
    }
    return "";
}

DisplayList composeFigure(const Scene& scene, const ExportOptions& opt, Rect& page) {
    // 1. Measure the picture. 2. Put the caption above it and the legend below it.
    // 3. Return the page list and its rectangle (margin included).
    DisplayList out;
    Rect pic = measuredBounds(scene.list);
    if (pic.empty())
        pic = {0, 0, 200, 100};
    // Foreground colour readable on the scene background.
    const Color& bg = scene.background;
    float lum = 0.299f * bg.r + 0.587f * bg.g + 0.114f * bg.b;
    Color fg = lum > 0.5f ? Color::rgb(0x1f2933) : Color::rgb(0xe6e9ee);
    Rect content = pic;
    if (opt.caption && !scene.caption.empty()) {
        Prim& t =
            out.text({pic.x, pic.y - 12}, scene.caption, fg, 16, HAlign::Left, VAlign::Bottom);
        t.bold = true;
        QRectF r = measuredTextRect(t);
        content =
            content.united(Rect{float(r.x()), float(r.y()), float(r.width()), float(r.height())});
    }
    out.append(scene.list);
    if (opt.legend && !scene.legend.empty()) {
        float x = pic.x, y = pic.y + pic.h + 16;
        const float sw = 12, gap = 18;
        for (const auto& e : scene.legend) {
            out.box({x, y + 2, sw, sw}, e.color, fg.withAlpha(0.4f), 2, 0.75f);
            Prim& t = out.text({x + sw + 6, y + 2 + sw / 2}, e.label, fg, 12, HAlign::Left,
                               VAlign::Middle);
            QRectF r = measuredTextRect(t);
            content = content.united(Rect{x, y, float(r.right()) - x, sw + 4});
            x = float(r.right()) + gap;
        }
    }
    page = content.adjusted(opt.margin);
    return out;
}

namespace {

std::string fail(const std::string& path, const std::string& why) {
    return "cannot export to " + path + ": " + why;
}

} // namespace

std::string exportScene(const Scene& scene, const std::string& path, const ExportOptions& opt) {
    if (!(opt.scale > 0 && opt.scale <= 16))
        return fail(path, "scale " + std::to_string(opt.scale) + " is outside 0 < scale ≤ 16");
    Rect page;
    DisplayList list = composeFigure(scene, opt, page);
    const QString qpath = QString::fromStdString(path);
    QFileInfo info(qpath);
    if (!info.absoluteDir().exists())
        return fail(path, "the folder " + info.absolutePath().toStdString() + " does not exist");
    const QRectF pageRect(page.x, page.y, page.w, page.h);
    const QColor bg = QColor::fromRgbF(scene.background.r, scene.background.g, scene.background.b,
                                       scene.background.a);
    const QString title = QString::fromStdString(opt.title.empty() ? scene.caption : opt.title);

    // Paint into a temporary file and rename, so a failed export never leaves half a file.
    QSaveFile file(qpath);
    if (!file.open(QIODevice::WriteOnly))
        return fail(path, file.errorString().toStdString());

    switch (opt.format) {
    case ExportFormat::Svg: {
        QSvgGenerator gen;
        gen.setOutputDevice(&file);
        gen.setSize(QSize(int(std::ceil(page.w)), int(std::ceil(page.h))));
        gen.setViewBox(QRectF(0, 0, page.w, page.h));
        gen.setTitle(title);
        gen.setDescription(QStringLiteral("AISys Lab"));
        QPainter p;
        if (!p.begin(&gen))
            return fail(path, "the SVG generator could not start");
        p.fillRect(QRectF(0, 0, page.w, page.h), bg);
        p.translate(-pageRect.topLeft());
        paintDisplayList(p, list);
        p.end();
        break;
    }
    case ExportFormat::Pdf: {
        QPdfWriter pdf(&file);
        pdf.setTitle(title);
        pdf.setCreator(QStringLiteral("AISys Lab"));
        pdf.setResolution(72); // one scene unit = one point
        pdf.setPageSize(QPageSize(QSizeF(page.w, page.h), QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        QPainter p;
        if (!p.begin(&pdf))
            return fail(path, "the PDF writer could not start");
        p.fillRect(QRectF(0, 0, page.w, page.h), bg);
        p.translate(-pageRect.topLeft());
        paintDisplayList(p, list);
        p.end();
        break;
    }
    case ExportFormat::Png: {
        const int w = int(std::ceil(page.w * opt.scale));
        const int h = int(std::ceil(page.h * opt.scale));
        if (qint64(w) * h > 400'000'000)
            return fail(path, "a " + std::to_string(w) + "×" + std::to_string(h) +
                                  " image is too large; use a smaller --scale");
        QImage img(w, h, QImage::Format_ARGB32_Premultiplied);
        img.fill(bg);
        img.setDotsPerMeterX(int(3780 * opt.scale));
        img.setDotsPerMeterY(int(3780 * opt.scale));
        QPainter p(&img);
        p.scale(opt.scale, opt.scale);
        p.translate(-pageRect.topLeft());
        paintDisplayList(p, list);
        p.end();
        if (!img.save(&file, "PNG"))
            return fail(path, "PNG encoding failed");
        break;
    }
    }
    if (!file.commit())
        return fail(path, file.errorString().toStdString());
    return {};
}

} // namespace aisys::viz
