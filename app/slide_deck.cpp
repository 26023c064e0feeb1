// Slide decks and handouts: QPdfWriter pages with the step's figure (QPainter, real text) and the
// narrative typeset by QTextDocument (Markdown, real text).
#include "app/slide_deck.h"

#include "lessons/footnotes.h"
#include "lessons/markdown.h"
#include "viz/export/exporter.h"
#include "viz/export/painter_renderer.h"

#include <QAbstractTextDocumentLayout>
#include <QDir>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextLayout>
#include <algorithm>
#include <cmath>
#include <vector>

namespace aisys::app {

namespace {

QColor qcolor(const viz::Color& c) {
    return QColor::fromRgbF(c.r, c.g, c.b, c.a);
}

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

/// The deck's own text (header and narrative): a Latin face first and Noto Sans CJK for Han,
/// so that PDF text extraction gets every character (Qt's PDF engine loses the digits of the
/// CJK face's ToUnicode map).
QFont deckFont(double px, bool bold = false) {
    QFont f;
    f.setFamilies({QStringLiteral("DejaVu Sans"), QStringLiteral("Noto Sans CJK SC")});
    f.setPixelSize(std::max(1, int(std::lround(px))));
    f.setBold(bold);
    return f;
}

/// The narrative as a document of width `width` at text size `px` (pixels of the page).
void typeset(QTextDocument& doc, const std::string& markdown, double px, double width,
             const viz::Palette& pal) {
    doc.setDefaultFont(deckFont(px));
    doc.setDocumentMargin(0);
    doc.setDefaultStyleSheet(QString());
    doc.setMarkdown(qs(lessons::joinCjkSoftBreaks(markdown)));
    doc.setTextWidth(width);
    // Text colour and a reading line height on every block.
    QTextCursor all(&doc);
    all.select(QTextCursor::Document);
    QTextCharFormat ink;
    ink.setForeground(qcolor(pal.foreground));
    all.mergeCharFormat(ink);
    for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
        QTextCursor c(b);
        QTextBlockFormat f = b.blockFormat();
        f.setLineHeight(125, QTextBlockFormat::ProportionalHeight);
        c.setBlockFormat(f);
    }
}

/// Where the narrative's pages start, in document y: every line of every block is kept whole
/// on one page, and a page holds at most `height`.
std::vector<double> pageBreaks(QTextDocument& doc, double height) {
    QAbstractTextDocumentLayout* layout = doc.documentLayout();
    std::vector<double> starts{0};
    for (QTextBlock b = doc.begin(); b.isValid(); b = b.next()) {
        const QRectF br = layout->blockBoundingRect(b);
        const QTextLayout* tl = b.layout();
        for (int i = 0; tl && i < tl->lineCount(); ++i) {
            const QTextLine line = tl->lineAt(i);
            const double top = br.top() + line.y(), bottom = top + line.height();
            if (bottom - starts.back() > height && top > starts.back())
                starts.push_back(top);
        }
    }
    return starts;
}

/// Where things go on a page of w×h pixels.
struct PageLayout {
    QRectF header, picture, text;
    double titlePx = 0, textMaxPx = 0, textMinPx = 0, smallPx = 0;
};

PageLayout layoutFor(double w, double h, bool handout) {
    // Sizes follow the page: on a 1280×720 slide the title is 36 px, the narrative 26 px (down
    // to 18 px when it is long), the header's small print 16 px — readable from the back of a
    // lecture hall on a projected 720p image; a handout is read from A4 at arm's length.
    PageLayout l;
    const double m = std::round(0.035 * std::min(w, h));
    if (!handout) {
        l.titlePx = h * 0.05;
        l.textMaxPx = h * 0.036;
        l.textMinPx = h * 0.025;
        l.smallPx = h * 0.022;
        const double headerH = l.titlePx * 1.6;
        l.header = QRectF(m, m * 0.7, w - 2 * m, headerH);
        const double textH = (h - headerH - 2 * m) * 0.34;
        l.text = QRectF(m, h - m - textH, w - 2 * m, textH);
        l.picture =
            QRectF(m, l.header.bottom(), w - 2 * m, l.text.top() - l.header.bottom() - m * 0.5);
    } else {
        l.titlePx = w * 0.032;
        l.textMaxPx = w * 0.021;
        l.textMinPx = w * 0.016;
        l.smallPx = w * 0.015;
        const double headerH = l.titlePx * 1.8;
        l.header = QRectF(m, m, w - 2 * m, headerH);
        l.picture = QRectF(m, l.header.bottom(), w - 2 * m, (h - headerH - 2 * m) * 0.48);
        l.text = QRectF(m, l.picture.bottom() + m * 0.5, w - 2 * m,
                        h - m - l.picture.bottom() - m * 0.5);
    }
    return l;
}

/// Draws the step's figure fitted and centred in `area`; a frame with a focus shows that region
/// of the picture (clipped to the area).
void paintFigure(QPainter& p, const viz::Scene& scene, const QRectF& area) {
    if (!scene.focus.empty()) {
        const viz::Rect f = scene.focus.adjusted(16);
        const double k = std::min(area.width() / f.w, area.height() / f.h);
        p.save();
        p.setClipRect(area);
        p.translate(area.center().x() - k * (f.x + f.w / 2),
                    area.center().y() - k * (f.y + f.h / 2));
        p.scale(k, k);
        viz::paintDisplayList(p, scene.list);
        p.restore();
        return;
    }
    viz::ExportOptions eo;
    eo.margin = 8;
    viz::Rect page;
    const viz::DisplayList list = viz::composeFigure(scene, eo, page);
    if (page.w <= 0 || page.h <= 0)
        return;
    const double k = std::min(area.width() / page.w, area.height() / page.h);
    p.save();
    p.translate(area.center().x() - k * (page.x + page.w / 2),
                area.center().y() - k * (page.y + page.h / 2));
    p.scale(k, k);
    viz::paintDisplayList(p, list);
    p.restore();
}

} // namespace

int slideFrameOf(const lessons::LessonPlayer& player, int step) {
    const int steps = int(player.lesson().steps.size());
    if (step + 1 < steps)
        return std::max(player.firstFrameOf(step), player.firstFrameOf(step + 1) - 1);
    return player.frameCount() - 1;
}

SlideDeckResult writeSlideDeck(const lessons::LessonPlayer& player, const std::string& path,
                               const SlideOptions& opt) {
    SlideDeckResult res;
    const auto fail = [&](const std::string& why) {
        res.error = "cannot write the slides to " + path + ": " + why;
        return res;
    };
    if (!opt.handout && (opt.size.width() < 320 || opt.size.height() < 240 ||
                         opt.size.width() > 7680 || opt.size.height() > 4320))
        return fail("a slide size of " + std::to_string(opt.size.width()) + "×" +
                    std::to_string(opt.size.height()) +
                    " px is outside 320×240 … 7680×4320 (e.g. 1280x720 or 1024x768)");
    if (!QFileInfo(qs(path)).absoluteDir().exists())
        return fail("the folder does not exist");
    QSaveFile file(qs(path));
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString().toStdString());

    // Pages in pixels at 96 dpi; the PDF page in points (1 px = 0.75 pt).
    const QSizeF pagePx = opt.handout ? QSizeF(794, 1123) : QSizeF(opt.size);
    const lessons::Lesson& lesson = player.lesson();
    const viz::Palette pal = viz::Palette::forTheme(opt.theme);
    QPdfWriter pdf(&file);
    pdf.setTitle(qs(lesson.title.get(opt.lang)));
    pdf.setCreator(QStringLiteral("AISys Lab"));
    pdf.setResolution(96);
    pdf.setPageSize(
        opt.handout ? QPageSize(QPageSize::A4)
                    : QPageSize(pagePx * 0.75, QPageSize::Point, QString(), QPageSize::ExactMatch));
    pdf.setPageOrientation(QPageLayout::Portrait); // the sizes above are as the page stands
    pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter p;
    if (!p.begin(&pdf))
        return fail("the PDF writer could not start");
    // QPdfWriter's device pixels at 96 dpi may differ slightly from our nominal page.
    const double sx = double(pdf.width()) / pagePx.width();
    const double sy = double(pdf.height()) / pagePx.height();
    p.scale(sx, sy);
    const PageLayout L = layoutFor(pagePx.width(), pagePx.height(), opt.handout);

    const int steps = int(lesson.steps.size());
    const lessons::DrawOptions draw{opt.lang, opt.theme};
    bool firstPage = true;
    for (int s = 0; s < steps; ++s) {
        const lessons::LessonStep& step = lesson.steps[std::size_t(s)];
        const viz::Scene scene = player.scene(slideFrameOf(player, s), draw);
        const std::string narrative =
            lessons::markdownWithFootnotes(step.text.get(opt.lang), lesson.sources, opt.lang);
        // 1. The narrative at the largest size that fits its share of the page; a long one may
        //    take up to twice that share from the picture, and only then continues on a page.
        QTextDocument doc;
        PageLayout Ls = L;
        const double bottom = L.text.bottom();
        double px = L.textMaxPx;
        bool fits = false;
        for (double share : {1.0, 1.7}) {
            Ls.text.setTop(bottom - L.text.height() * share);
            for (px = L.textMaxPx; px >= L.textMinPx; px -= 1) {
                typeset(doc, narrative, px, L.text.width(), pal);
                if (doc.documentLayout()->documentSize().height() <= Ls.text.height()) {
                    fits = true;
                    break;
                }
            }
            if (fits)
                break;
        }
        if (!fits) {
            px = L.textMinPx;
            typeset(doc, narrative, px, L.text.width(), pal);
        }
        // The picture gets everything above the text (a short narrative leaves it more room).
        const double needed = doc.documentLayout()->documentSize().height();
        if (needed < Ls.text.height())
            Ls.text.setTop(bottom - needed);
        Ls.picture.setBottom(Ls.text.top() - (L.text.top() - L.picture.bottom()));
        const std::vector<double> starts = pageBreaks(doc, Ls.text.height());
        const double docH = doc.documentLayout()->documentSize().height();
        for (std::size_t part = 0; part < starts.size(); ++part) {
            if (!firstPage && !pdf.newPage())
                return fail("a new page could not be started");
            firstPage = false;
            ++res.pages;
            p.fillRect(QRectF(QPointF(0, 0), pagePx), qcolor(scene.background));
            // 2. Header: the step title, the lesson and "n / N".
            std::string title = step.title.get(opt.lang);
            if (title.empty())
                title = lesson.title.get(opt.lang);
            if (part > 0)
                title += opt.lang == lessons::Lang::Zh ? "（续）" : " (continued)";
            p.setPen(qcolor(pal.foreground));
            const QFont titleFont = deckFont(Ls.titlePx, true);
            p.setFont(titleFont);
            const QString number = QStringLiteral("%1 / %2").arg(s + 1).arg(steps);
            const QFont smallFont = deckFont(Ls.smallPx);
            const double numberW = QFontMetricsF(smallFont).horizontalAdvance(number) + Ls.smallPx;
            const QRectF titleRect = Ls.header.adjusted(0, 0, -numberW, 0);
            p.drawText(
                titleRect, Qt::AlignLeft | Qt::AlignVCenter,
                QFontMetricsF(titleFont).elidedText(qs(title), Qt::ElideRight, titleRect.width()));
            p.setFont(smallFont);
            p.setPen(qcolor(pal.muted));
            p.drawText(Ls.header, Qt::AlignRight | Qt::AlignVCenter, number);
            // The lesson's title in the bottom margin.
            const QRectF footer(Ls.text.left(), Ls.text.bottom(), Ls.text.width(),
                                pagePx.height() - Ls.text.bottom());
            p.drawText(footer, Qt::AlignLeft | Qt::AlignVCenter, qs(lesson.title.get(opt.lang)));
            // 3. The figure, then the narrative's lines of this page.
            paintFigure(p, scene, Ls.picture);
            const double top = starts[part];
            const double bottom = part + 1 < starts.size() ? starts[part + 1] : docH;
            p.save();
            p.translate(Ls.text.topLeft() - QPointF(0, top));
            QAbstractTextDocumentLayout::PaintContext ctx;
            ctx.clip = QRectF(0, top, Ls.text.width(), bottom - top);
            ctx.palette.setColor(QPalette::Text, qcolor(pal.foreground));
            p.setClipRect(ctx.clip);
            doc.documentLayout()->draw(&p, ctx);
            p.restore();
        }
    }
    res.steps = steps;
    p.end();
    if (!file.commit())
        return fail(file.errorString().toStdString());
    return res;
}

} // namespace aisys::app
