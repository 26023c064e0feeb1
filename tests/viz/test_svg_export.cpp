// Golden SVG test: a display list with every primitive kind exports to SVG whose elements
// and text we parse and check; PDF and PNG exports are valid files of the right size.
#include "viz/export/exporter.h"

#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QTemporaryDir>
#include <QXmlStreamReader>
#include <gtest/gtest.h>

using namespace aisys::viz;

namespace {

Scene sampleScene() {
    Scene s;
    DisplayList& dl = s.list;
    dl.box({0, 0, 120, 40}, Color::rgb(0xdbeafe), Color::rgb(0x2563eb), 8, 2, 1);
    dl.text({60, 20}, "MatMul", Color::rgb(0x111111), 14, HAlign::Center, VAlign::Middle, 1);
    dl.text({60, 70}, "计算图 compute graph", Color::rgb(0x111111), 12, HAlign::Center,
            VAlign::Middle);
    dl.line({0, 100}, {200, 100}, Color::rgb(0x888888), 1);
    dl.polyline({{0, 120}, {50, 140}, {100, 120}}, Color::rgb(0x444444), 2);
    dl.arrow({{120, 20}, {220, 20}}, Color::rgb(0x000000), 1.5f, 2);
    dl.circle({260, 20}, 16, Color::rgb(0xfde68a), Color::rgb(0xd97706), 2, 3);
    for (int i = 0; i < 4; ++i)
        dl.heatCell({float(300 + 10 * i), 0, 10, 10}, Color::rgb(0xef4444, 0.25f * (i + 1)));
    dl.hull({{0, 0}, {120, 0}, {120, 40}, {0, 40}}, 10, Color::rgb(0x22c55e, 0.15f),
            Color::rgb(0x22c55e), 1.5f, 4);
    s.caption = "Golden caption 标题";
    s.legend = {{Color::rgb(0x2563eb), "op node"}, {Color::rgb(0xef4444), "正值"}};
    return s;
}

struct SvgFacts {
    int paths = 0, texts = 0, rects = 0, polylines = 0, ellipses = 0, images = 0;
    QString allText;
    QString viewBox;
    QString title;
};

SvgFacts parseSvg(const QString& path) {
    QFile f(path);
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f);
    SvgFacts facts;
    QString current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            current = xml.name().toString();
            if (current == "svg")
                facts.viewBox = xml.attributes().value("viewBox").toString();
            else if (current == "path")
                ++facts.paths;
            else if (current == "text")
                ++facts.texts;
            else if (current == "rect")
                ++facts.rects;
            else if (current == "polyline" || current == "polygon")
                ++facts.polylines;
            else if (current == "ellipse" || current == "circle")
                ++facts.ellipses;
            else if (current == "image")
                ++facts.images;
        } else if (xml.isCharacters() && !xml.isWhitespace()) {
            if (current == "text")
                facts.allText += xml.text().toString();
            else if (current == "title")
                facts.title += xml.text().toString();
        }
    }
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    return facts;
}

} // namespace

TEST(SvgExport, ElementsAndRealText) {
    QTemporaryDir dir;
    const QString path = dir.filePath("golden.svg");
    ExportOptions opt;
    opt.format = ExportFormat::Svg;
    opt.title = "Golden";
    ASSERT_EQ(exportScene(sampleScene(), path.toStdString(), opt), "");
    SvgFacts f = parseSvg(path);
    // Real text, not outlines or a bitmap: every label appears as characters of a <text>.
    EXPECT_TRUE(f.allText.contains("MatMul")) << f.allText.toStdString();
    EXPECT_TRUE(f.allText.contains("计算图 compute graph")) << f.allText.toStdString();
    EXPECT_TRUE(f.allText.contains("Golden caption 标题"));
    EXPECT_TRUE(f.allText.contains("op node"));
    EXPECT_TRUE(f.allText.contains("正值"));
    // 2 labels + caption + 2 legend labels; QSvgGenerator splits mixed CJK/Latin strings
    // into one <text> per script run, still real text.
    EXPECT_GE(f.texts, 5);
    EXPECT_LE(f.texts, 8);
    EXPECT_EQ(f.images, 0);
    EXPECT_EQ(f.title, "Golden");
    // Shapes: rounded box, line, polyline, arrow shaft + head, circle, 4 cells, hull,
    // legend swatches — QSvgGenerator writes them as path/rect/polyline/polygon/ellipse.
    EXPECT_GE(f.paths + f.rects + f.polylines + f.ellipses, 12);
    EXPECT_FALSE(f.viewBox.isEmpty());
}

TEST(SvgExport, PdfAndPngAreValid) {
    QTemporaryDir dir;
    ExportOptions opt;
    opt.format = ExportFormat::Pdf;
    const QString pdf = dir.filePath("a.pdf");
    ASSERT_EQ(exportScene(sampleScene(), pdf.toStdString(), opt), "");
    QFile f(pdf);
    ASSERT_TRUE(f.open(QIODevice::ReadOnly));
    QByteArray bytes = f.readAll();
    EXPECT_TRUE(bytes.startsWith("%PDF-"));
    EXPECT_GT(bytes.size(), 1000);

    opt.format = ExportFormat::Png;
    const QString png1 = dir.filePath("a1.png"), png2 = dir.filePath("a2.png");
    opt.scale = 1;
    ASSERT_EQ(exportScene(sampleScene(), png1.toStdString(), opt), "");
    opt.scale = 2;
    ASSERT_EQ(exportScene(sampleScene(), png2.toStdString(), opt), "");
    QImage i1(png1), i2(png2);
    ASSERT_FALSE(i1.isNull());
    ASSERT_FALSE(i2.isNull());
    EXPECT_NEAR(i2.width(), 2 * i1.width(), 2);
    EXPECT_NEAR(i2.height(), 2 * i1.height(), 2);
    // Not blank: the box's blue outline is there.
    int coloured = 0;
    for (int y = 0; y < i1.height(); ++y)
        for (int x = 0; x < i1.width(); ++x)
            coloured += qBlue(i1.pixel(x, y)) > 180 && qRed(i1.pixel(x, y)) < 80;
    EXPECT_GT(coloured, 50);
}

TEST(SvgExport, BadPathAndScaleAreClearErrors) {
    ExportOptions opt;
    std::string err = exportScene(sampleScene(), "/nonexistent-folder/x.svg", opt);
    EXPECT_NE(err.find("/nonexistent-folder"), std::string::npos) << err;
    opt.scale = 0;
    opt.format = ExportFormat::Png;
    err = exportScene(sampleScene(), "/tmp/x.png", opt);
    EXPECT_NE(err.find("scale"), std::string::npos) << err;
    ExportFormat f;
    EXPECT_FALSE(parseExportFormat("bmp", f));
    EXPECT_TRUE(parseExportFormat("SVG", f));
    EXPECT_EQ(f, ExportFormat::Svg);
}

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
