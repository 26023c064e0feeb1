// A lesson as a slide deck or a handout: one PDF page per step with the picture, the step's
// title, its whole narrative (real text) and the step number.
#pragma once

#include "lessons/lesson_player.h"
#include "lessons/text.h"
#include "viz/scene.h"

#include <QSize>
#include <string>

namespace aisys::app {

/// How the deck is laid out.
struct SlideOptions {
    /// Slides: landscape pages of this size in pixels at 96 dpi (1280×720 is 13.33×7.5 in).
    QSize size{1280, 720};
    /// Handout: portrait A4 pages, the picture above the narrative, for printing.
    bool handout = false;
    lessons::Lang lang = lessons::Lang::En;
    viz::Theme theme = viz::Theme::Light;
};

/// What writeSlideDeck produced.
struct SlideDeckResult {
    std::string error; ///< "" on success, else what failed and where
    int pages = 0;     ///< pages written (a narrative too long for one page continues on the next)
    int steps = 0;
};

/// The frame a step's page shows: the last frame of lesson step `step` (the state the step
/// ends in, as the presentation shows it before →).
int slideFrameOf(const lessons::LessonPlayer& player, int step);

/// Writes one page per step of `player`'s lesson to the PDF `path`. 1. Compose the step's
/// figure (caption, picture, legend) and fit it into the picture area, centred. 2. Typeset the
/// narrative (Markdown, CJK soft breaks joined) at the largest size from the slide size down to
/// the minimum that fits the text area; a text that does not fit at the minimum continues on
/// the next page ("continued"), never cut. 3. Title, lesson name and "n / N" in the header.
SlideDeckResult writeSlideDeck(const lessons::LessonPlayer& player, const std::string& path,
                               const SlideOptions& opt);

} // namespace aisys::app
