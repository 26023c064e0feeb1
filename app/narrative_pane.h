// The narrative pane: the lesson's title, summary and every step's text, the current step
// highlighted.
#pragma once

#include "lessons/lesson.h"
#include "lessons/text.h"

#include <QTextBrowser>
#include <optional>
#include <vector>

class QTextTable;

namespace aisys::app {

/// Shows a lesson as one readable page: title, summary, then a card per step (Markdown).
/// The current step's card is tinted with a bar on its left and scrolled into view; clicking
/// a card emits stepActivated().
class NarrativePane : public QTextBrowser {
    Q_OBJECT
public:
    explicit NarrativePane(QWidget* parent = nullptr);

    /// Shows `lesson` (copied; nullptr shows a hint) in `lang`.
    void setLesson(const lessons::Lesson* lesson, lessons::Lang lang);
    /// Highlights lesson step `step` and scrolls it into view.
    void setCurrentStep(int step);
    int currentStep() const { return m_current; }
    /// Text size relative to the widget font (1 = as the rest of the UI).
    void setFontScale(float scale);
    float fontScale() const { return m_fontScale; }
    /// Number of step cards shown.
    int stepCount() const { return static_cast<int>(m_cards.size()); }

signals:
    /// The user clicked the card of lesson step `step`.
    void stepActivated(int step);

protected:
    void changeEvent(QEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void rebuild();
    void styleCard(int step, bool current);
    void scrollToCurrent();
    int cardAt(const QPoint& viewportPos) const;

    std::optional<lessons::Lesson> m_lesson;
    lessons::Lang m_lang = lessons::Lang::En;
    int m_current = -1;
    float m_fontScale = 1.15f;
    std::vector<QTextTable*> m_cards; ///< one two-column table (bar, text) per step
    bool m_rebuilding = false;
};

} // namespace aisys::app
