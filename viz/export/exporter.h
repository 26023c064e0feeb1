// Exports a Scene through QPainter to SVG (QSvgGenerator), PDF (QPdfWriter) or PNG (QImage).
#pragma once

#include "viz/scene.h"

#include <string>

namespace aisys::viz {

/// The file formats a picture exports to.
enum class ExportFormat { Svg, Pdf, Png };

/// "svg" / "pdf" / "png" (case-insensitive) → format; false when unknown.
bool parseExportFormat(const std::string& s, ExportFormat& out);
const char* extensionOf(ExportFormat f);

/// How a picture is exported.
struct ExportOptions {
    ExportFormat format = ExportFormat::Svg;
    float scale = 1.0f;   ///< PNG pixel scale (1, 2, 4, ...); vector formats ignore it
    float margin = 24.0f; ///< scene units around the content
    bool caption = true;  ///< draw the scene caption above the picture
    bool legend = true;   ///< draw the legend below the picture
    std::string title;    ///< document title (SVG <title>, PDF metadata)
};

/// The figure an export draws: the scene's picture with its caption above and its legend
/// below (as options ask); `page` receives its rectangle, margin included, in scene units.
DisplayList composeFigure(const Scene& scene, const ExportOptions& opt, Rect& page);

/// Writes `scene` to `path`. Returns "" on success, else a message naming the path and
/// the failure. Works without a display (QT_QPA_PLATFORM=offscreen) once a QGuiApplication exists.
std::string exportScene(const Scene& scene, const std::string& path, const ExportOptions& opt);

} // namespace aisys::viz
