// The presentation narrative strip: the current step's title and text in large type, with progress.
#pragma once

#include <QFrame>

class QLabel;

namespace aisys::app {

/// A band under the viewport in presentation mode: step title, step text (Markdown) and
/// "3 / 12". Text size follows the presentation scale.
class PresentationStrip : public QFrame {
    Q_OBJECT
public:
    explicit PresentationStrip(QWidget* parent = nullptr);

    /// Shows a step: `title` (plain) and `markdown` (may be empty).
    void setStep(const QString& title, const QString& markdown);
    /// Shows "frame+1 / count".
    void setProgress(int frame, int count);
    /// Text size factor (the presentation scale: 1.5, 2, 2.5, 3).
    void setScale(float scale);
    float scale() const { return m_scale; }
    /// The progress text shown ("3 / 12").
    QString progressText() const;

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyFonts();

    QLabel* m_title = nullptr;
    QLabel* m_text = nullptr;
    QLabel* m_progress = nullptr;
    float m_scale = 2.0f;
    QFont m_baseFont;
    bool m_applying = false;
};

} // namespace aisys::app
