// The presentation narrative strip: the current step's title and text in large type, with progress.
#pragma once

#include <QFrame>
#include <QStringList>

class QLabel;

namespace aisys::app {

/// A band under the viewport in presentation mode: step title, step text (Markdown) and
/// "3 / 12". It sizes itself to its text within a bounded share of the window: the text is set
/// at the presentation size, shrunk down to a minimum readable size when long, and a text that
/// still does not fit is shown in parts (pages) that → steps through before the next step —
/// never cut.
class PresentationStrip : public QFrame {
    Q_OBJECT
public:
    explicit PresentationStrip(QWidget* parent = nullptr);

    /// Shows a step: `title` (plain) and `markdown` (may be empty), from its first part.
    void setStep(const QString& title, const QString& markdown);
    /// Shows "frame+1 / count".
    void setProgress(int frame, int count);
    /// Text size factor (the presentation scale: 1.5, 2, 2.5, 3).
    void setScale(float scale);
    float scale() const { return m_scale; }
    /// The progress text shown ("3 / 12").
    QString progressText() const;

    /// The window height the strip may take a share of (at most kMaxShare of it); the strip's
    /// window's height when it has one.
    void setWindowHeight(int height);
    /// The most of the window's height the strip takes (under the picture).
    static constexpr double kMaxShare = 0.42;
    /// Beside the picture (a tall picture on a wide screen): the column's share of the window's
    /// width; the text may then use the window's whole height.
    static constexpr double kSideShare = 0.34;
    /// Under the picture (false, the default) or in a column beside it (true).
    void setBeside(bool beside);
    bool beside() const { return m_beside; }
    /// The smallest narrative text, in pixels per 720 pixels of window height (20 px on a 720p
    /// projector, 30 px at 1080p): large enough to read from the back of a lecture hall.
    static constexpr double kMinTextPxPer720 = 20.0;

    /// Parts of the current step's text (1 when it fits at once) and the one shown.
    int pageCount() const { return static_cast<int>(m_pages.size()); }
    int page() const { return m_page; }
    /// Shows the next / previous part; false when there is none (then → goes to the next step).
    bool nextPage();
    bool previousPage();
    /// The text size in pixels chosen for the current step.
    double textPixelSize() const { return m_textPx; }

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void applyFonts();
    /// Chooses the text size and splits the text into pages for the current width and height.
    void relayout();
    void showPage();
    /// Height of the title at the current width (0 when there is none).
    int titleHeight() const;
    /// Height of the text label for `markdown` at `px` and the current width.
    int textHeight(const QString& markdown, double px) const;

    QLabel* m_title = nullptr;
    QLabel* m_text = nullptr;
    QLabel* m_progress = nullptr;
    float m_scale = 2.0f;
    QFont m_baseFont;
    bool m_applying = false;
    QString m_markdown;
    QStringList m_pages;
    int m_page = 0;
    int m_windowHeight = 720;
    double m_textPx = 0;
    double m_maxTextPx = 20; ///< the presentation size of the text
    int m_laidOutWidth = -1;
    bool m_beside = false;
};

} // namespace aisys::app
