// QPainter renderer: one drawing routine per primitive kind; real text (selectable in SVG/PDF).
#include "viz/export/painter_renderer.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <cmath>
#include <numeric>

namespace aisys::viz {

namespace {

QColor qcolor(const Color& c) {
    return QColor::fromRgbF(std::clamp(c.r, 0.0f, 1.0f), std::clamp(c.g, 0.0f, 1.0f),
                            std::clamp(c.b, 0.0f, 1.0f), std::clamp(c.a, 0.0f, 1.0f));
}

QPointF qpt(Vec2 v) {
    return {v.x, v.y};
}

QPen penFor(const Prim& p) {
    if (!p.stroke.visible() || p.strokeWidth <= 0)
        return Qt::NoPen;
    QPen pen(qcolor(p.stroke), p.strokeWidth);
    pen.setJoinStyle(Qt::RoundJoin);
    pen.setCapStyle(Qt::RoundCap);
    if (p.dashed)
        pen.setStyle(Qt::DashLine);
    return pen;
}

QBrush brushFor(const Prim& p) {
    return p.fill.visible() ? QBrush(qcolor(p.fill)) : QBrush(Qt::NoBrush);
}

QPolygonF polygonOf(const std::vector<Vec2>& pts) {
    QPolygonF poly;
    for (auto v : pts)
        poly << qpt(v);
    return poly;
}

void drawArrowHead(QPainter& painter, Vec2 tip, Vec2 from, const Prim& p) {
    Vec2 d = tip - from;
    float len = std::sqrt(d.x * d.x + d.y * d.y);
    if (len <= 0)
        return;
    d = d * (1.0f / len);
    float size = p.strokeWidth * 4 + 4;
    Vec2 n{-d.y, d.x};
    Vec2 base = tip - d * size;
    QPolygonF head;
    head << qpt(tip) << qpt(base + n * (size * 0.45f)) << qpt(base - n * (size * 0.45f));
    painter.setPen(Qt::NoPen);
    painter.setBrush(qcolor(p.stroke));
    painter.drawPolygon(head);
}

void drawPrim(QPainter& painter, const Prim& p) {
    switch (p.kind) {
    case PrimKind::Box: {
        painter.setPen(penFor(p));
        painter.setBrush(brushFor(p));
        QRectF r(p.rect.x, p.rect.y, p.rect.w, p.rect.h);
        if (p.radius > 0)
            painter.drawRoundedRect(r, p.radius, p.radius);
        else
            painter.drawRect(r);
        break;
    }
    case PrimKind::HeatCell:
        painter.fillRect(QRectF(p.rect.x, p.rect.y, p.rect.w, p.rect.h), qcolor(p.fill));
        break;
    case PrimKind::Line:
        if (p.pts.size() >= 2) {
            painter.setPen(penFor(p));
            painter.drawLine(qpt(p.pts[0]), qpt(p.pts[1]));
        }
        break;
    case PrimKind::Polyline:
        painter.setPen(penFor(p));
        if (p.closed) {
            painter.setBrush(brushFor(p));
            painter.drawPolygon(polygonOf(p.pts));
        } else {
            painter.setBrush(Qt::NoBrush);
            painter.drawPolyline(polygonOf(p.pts));
        }
        break;
    case PrimKind::Arrow: {
        if (p.pts.size() < 2)
            break;
        // Shorten the shaft so its round cap does not poke through the head.
        std::vector<Vec2> shaft = p.pts;
        float size = p.strokeWidth * 4 + 4;
        auto pull = [&](Vec2& end, Vec2 toward) {
            Vec2 d = toward - end;
            float len = std::sqrt(d.x * d.x + d.y * d.y);
            if (len > size)
                end = end + d * (size * 0.8f / len);
        };
        pull(shaft.back(), shaft[shaft.size() - 2]);
        if (p.doubleHead)
            pull(shaft.front(), shaft[1]);
        painter.setPen(penFor(p));
        painter.setBrush(Qt::NoBrush);
        painter.drawPolyline(polygonOf(shaft));
        drawArrowHead(painter, p.pts.back(), p.pts[p.pts.size() - 2], p);
        if (p.doubleHead)
            drawArrowHead(painter, p.pts.front(), p.pts[1], p);
        break;
    }
    case PrimKind::Circle:
        if (!p.pts.empty()) {
            painter.setPen(penFor(p));
            painter.setBrush(brushFor(p));
            painter.drawEllipse(qpt(p.pts[0]), p.radius, p.radius);
        }
        break;
    case PrimKind::Text: {
        if (p.pts.empty() || p.text.empty())
            break;
        QFont f = fontFor(p);
        painter.setFont(f);
        painter.setPen(qcolor(p.stroke));
        QRectF r = measuredTextRect(p);
        QFontMetricsF fm(f);
        painter.drawText(QPointF(r.x(), r.y() + fm.ascent()), QString::fromStdString(p.text));
        break;
    }
    case PrimKind::Hull: {
        painter.setPen(penFor(p));
        painter.setBrush(brushFor(p));
        painter.drawPolygon(polygonOf(paddedHullOutline(p.pts, p.radius)));
        break;
    }
    }
}

} // namespace

QFont fontFor(const Prim& text) {
    QFont f;
    f.setFamilies({QStringLiteral("Noto Sans CJK SC"), QStringLiteral("Noto Sans"),
                   QStringLiteral("DejaVu Sans")});
    f.setPixelSize(std::max(1, static_cast<int>(std::lround(text.fontSize))));
    f.setBold(text.bold);
    return f;
}

QRectF measuredTextRect(const Prim& p) {
    QFontMetricsF fm(fontFor(p));
    qreal w = fm.horizontalAdvance(QString::fromStdString(p.text));
    qreal h = fm.height();
    Vec2 a = p.pts.empty() ? Vec2{} : p.pts[0];
    qreal x = p.halign == HAlign::Left ? a.x : p.halign == HAlign::Center ? a.x - w / 2 : a.x - w;
    qreal y = p.valign == VAlign::Top ? a.y : p.valign == VAlign::Middle ? a.y - h / 2 : a.y - h;
    return {x, y, w, h};
}

Rect measuredBounds(const DisplayList& list) {
    DisplayList noText;
    Rect r;
    for (const auto& p : list.prims) {
        if (p.kind == PrimKind::Text) {
            QRectF t = measuredTextRect(p);
            r = r.united(Rect{float(t.x()), float(t.y()), float(t.width()), float(t.height())});
        } else {
            noText.prims.push_back(p);
        }
    }
    return r.united(noText.bounds());
}

void paintDisplayList(QPainter& painter, const DisplayList& list) {
    std::vector<std::size_t> order(list.prims.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return list.prims[a].layer < list.prims[b].layer;
    });
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing, true);
    painter.setRenderHint(QPainter::TextAntialiasing, true);
    for (std::size_t i : order)
        drawPrim(painter, list.prims[i]);
    painter.restore();
}

} // namespace aisys::viz
