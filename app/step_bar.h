// The step bar: first/back/play/next/last buttons, a scrubber, "Step k of n" and play speed.
#pragma once

#include <QTimer>
#include <QToolBar>

class QAction;
class QComboBox;
class QLabel;
class QSlider;

namespace aisys::app {

/// A bottom tool bar that moves through the frames of a lesson. It never changes the frame
/// itself: it asks with frameRequested() and the owner answers with setFrame().
class StepBar : public QToolBar {
    Q_OBJECT
public:
    explicit StepBar(QWidget* parent = nullptr);

    /// Number of frames (at least 1); stops playing when the current frame falls off the end.
    void setFrameCount(int count);
    int frameCount() const { return m_count; }
    /// Shows `frame` (clamped) without emitting frameRequested().
    void setFrame(int frame);
    int frame() const { return m_frame; }

    /// Whether the play timer is running.
    bool isPlaying() const { return m_timer.isActive(); }
    /// Play speed factor (0.5, 1, 2 or 4); one frame every 1200 ms / speed.
    double speed() const;
    void setSpeed(double factor);
    /// Milliseconds between frames while playing.
    int playInterval() const;

public slots:
    /// Starts or stops playing (starting at the last frame rewinds to the first).
    void togglePlay();
    void setPlaying(bool on);

signals:
    /// The user (or the play timer) asks for `frame`.
    void frameRequested(int frame);
    /// Playing started or stopped.
    void playingChanged(bool playing);

protected:
    void changeEvent(QEvent* event) override;

private:
    void retranslateUi();
    void updateControls();
    void request(int frame);
    void advance();

    QAction* m_first = nullptr;
    QAction* m_back = nullptr;
    QAction* m_play = nullptr;
    QAction* m_next = nullptr;
    QAction* m_last = nullptr;
    QSlider* m_slider = nullptr;
    QLabel* m_label = nullptr;
    QLabel* m_speedLabel = nullptr;
    QComboBox* m_speed = nullptr;
    QTimer m_timer;
    int m_count = 1;
    int m_frame = 0;
};

} // namespace aisys::app
