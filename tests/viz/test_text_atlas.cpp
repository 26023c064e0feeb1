// The GL text atlas: a label's quad covers only its ink (non-zero coverage grown by the texel a
// bilinear sample reaches), and that quad maps onto the same place as the whole raster would.
#include "viz/gl/text_atlas.h"

#include <QGuiApplication>
#include <gtest/gtest.h>

using namespace aisys::viz;

namespace {

/// Every non-zero texel of `e`'s raster lies at least one texel inside its ink rectangle (so a
/// pixel whose quad was cut away would only have sampled zeros), and the ink lies in the raster.
void expectInkCoversCoverage(const TextAtlas& atlas, const AtlasEntry& e, const std::string& what) {
    const QImage& img = atlas.image();
    const int x0 = int(std::lround(e.uv.x() * img.width()));
    const int y0 = int(std::lround(e.uv.y() * img.height()));
    ASSERT_GT(e.inkW, 0) << what;
    ASSERT_GT(e.inkH, 0) << what;
    EXPECT_GE(e.inkX, 0) << what;
    EXPECT_GE(e.inkY, 0) << what;
    EXPECT_LE(e.inkX + e.inkW, int(e.imageW)) << what;
    EXPECT_LE(e.inkY + e.inkH, int(e.imageH)) << what;
    int inked = 0;
    for (int y = 0; y < int(e.imageH); ++y)
        for (int x = 0; x < int(e.imageW); ++x) {
            if (img.constScanLine(y0 + y)[x0 + x] == 0)
                continue;
            ++inked;
            const bool inside = x >= e.inkX + 1 && x < e.inkX + e.inkW - 1 && y >= e.inkY + 1 &&
                                y < e.inkY + e.inkH - 1;
            const bool atRasterEdge =
                x == 0 || y == 0 || x == int(e.imageW) - 1 || y == int(e.imageH) - 1;
            EXPECT_TRUE(inside || atRasterEdge) << what << ": texel " << x << "," << y;
        }
    EXPECT_GT(inked, 0) << what;
    // Trimmed: the ink rectangle of real text is smaller than the padded raster.
    EXPECT_LT(e.inkW * e.inkH, int(e.imageW * e.imageH)) << what;
}

} // namespace

TEST(TextAtlas, InkRectangleHoldsEveryCoveredTexel) {
    TextAtlas atlas;
    for (const char* text : {"op12", "张量", "Conv\nReLU", "y = W·x + b", ".", "_", "Ag|"})
        for (int px : {6, 10, 15, 37}) {
            const AtlasEntry* e = atlas.entry(text, px % 2 == 1, px);
            ASSERT_NE(e, nullptr) << text;
            expectInkCoversCoverage(atlas, *e, std::string(text) + " @" + std::to_string(px));
        }
}

TEST(TextAtlas, QuadIsTheInkPartOfTheWholeRaster) {
    TextAtlas atlas;
    for (float zoom : {0.8f, 1.0f, 2.5f}) {
        Prim t;
        t.kind = PrimKind::Text;
        t.pts = {{100, 50}};
        t.text = "graph-forward";
        t.fontSize = 11;
        t.halign = HAlign::Center;
        t.valign = VAlign::Middle;
        TextQuad q;
        ASSERT_TRUE(atlas.layout(t, zoom, q));
        const AtlasEntry* e = atlas.entry(t.text, false, TextAtlas::bucket(t.fontSize * zoom));
        ASSERT_NE(e, nullptr);
        // The whole raster's quad, centred on the anchor, and the ink's place inside it.
        const float s = t.fontSize / e->pixelSize;
        const float wx = 100 - e->box.width * s / 2 - e->pad * s;
        const float wy = 50 - e->box.height * s / 2 - e->pad * s;
        EXPECT_NEAR(q.rect.x, wx + float(e->inkX) * s, 1e-3f);
        EXPECT_NEAR(q.rect.y, wy + float(e->inkY) * s, 1e-3f);
        EXPECT_NEAR(q.rect.w, float(e->inkW) * s, 1e-3f);
        EXPECT_NEAR(q.rect.h, float(e->inkH) * s, 1e-3f);
        // Texture rectangle: the same sub-rectangle of the raster's uv.
        EXPECT_NEAR(q.uv.x(), e->uv.x() + e->uv.width() * e->inkX / e->imageW, 1e-9);
        EXPECT_NEAR(q.uv.width(), e->uv.width() * e->inkW / e->imageW, 1e-9);
        EXPECT_NEAR(q.uv.height(), e->uv.height() * e->inkH / e->imageH, 1e-9);
    }
}

TEST(TextAtlas, BlankLabelDrawsNothing) {
    TextAtlas atlas;
    Prim t;
    t.kind = PrimKind::Text;
    t.pts = {{0, 0}};
    t.text = "   ";
    t.fontSize = 12;
    TextQuad q;
    EXPECT_FALSE(atlas.layout(t, 1.0f, q));
}

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
