// QPainter renderer: draws a display list onto any QPainter device (SVG, PDF, image, widget).
#pragma once

#include "viz/display_list.h"

#include <QFont>
#include <QRectF>

class QPainter;

namespace aisys::viz {

/// The font used for a text primitive (same family list everywhere, CJK included).
QFont fontFor(const Prim& text);
/// Exact box of a text primitive as QPainter draws it (anchor + alignment, line height).
QRectF measuredTextRect(const Prim& text);
/// Exact bounds of the whole list (text measured with the real font).
Rect measuredBounds(const DisplayList& list);

/// Draws every primitive in layer order (stable within a layer), in scene coordinates:
/// the caller sets the painter's transform.
void paintDisplayList(QPainter& painter, const DisplayList& list);

} // namespace aisys::viz
