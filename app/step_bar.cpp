// The step bar: buttons, scrubber, step label and the play timer that walks through frames.
#include "app/step_bar.h"

#include <QAction>
#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QSlider>

#include <algorithm>

namespace aisys::app {

namespace {

constexpr int kBaseIntervalMs = 1200;
constexpr double kSpeeds[] = {0.5, 1.0, 2.0, 4.0};

/// "Right, Page Down" in the platform's words (Qt translates key names itself).
QString keys(std::initializer_list<QKeySequence> seqs) {
    QStringList parts;
    for (const QKeySequence& s : seqs)
        parts << s.toString(QKeySequence::NativeText);
    return parts.join(QStringLiteral(", "));
}

enum class Glyph { First, Back, Play, Pause, Next, Last };

/// A media icon drawn in `color` on a 16-unit grid at several pixel sizes (crisp at any DPI).
/// Drawn rather than taken from the style so it stays visible on the dark theme.
QIcon glyphIcon(Glyph g, const QColor& color) {
    const auto tri = [](QPainterPath& path, QPointF a, QPointF b, QPointF c) {
        path.moveTo(a);
        path.lineTo(b);
        path.lineTo(c);
        path.closeSubpath();
    };
    QPainterPath path;
    switch (g) {
    case Glyph::First:
        path.addRect(3, 3, 2, 10);
        tri(path, {13, 3}, {13, 13}, {6, 8});
        break;
    case Glyph::Back:
        tri(path, {8.5, 3}, {8.5, 13}, {2, 8});
        tri(path, {15, 3}, {15, 13}, {8.5, 8});
        break;
    case Glyph::Play:
        tri(path, {4, 2.5}, {4, 13.5}, {13.5, 8});
        break;
    case Glyph::Pause:
        path.addRect(4, 3, 3, 10);
        path.addRect(9, 3, 3, 10);
        break;
    case Glyph::Next:
        tri(path, {1, 3}, {1, 13}, {7.5, 8});
        tri(path, {7.5, 3}, {7.5, 13}, {14, 8});
        break;
    case Glyph::Last:
        tri(path, {3, 3}, {3, 13}, {10, 8});
        path.addRect(11, 3, 2, 10);
        break;
    }
    path.setFillRule(Qt::WindingFill);
    QIcon icon;
    for (int px : {16, 20, 24, 32, 40, 48, 64}) {
        QPixmap pm(px, px);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(px / 16.0, px / 16.0);
        p.fillPath(path, color);
        p.end();
        icon.addPixmap(pm);
    }
    return icon;
}

} // namespace

StepBar::StepBar(QWidget* parent) : QToolBar(parent) {
    setObjectName(QStringLiteral("stepBar"));
    setMovable(false);
    setFloatable(false);
    setToolButtonStyle(Qt::ToolButtonIconOnly);

    m_first = addAction(QString());
    m_back = addAction(QString());
    m_play = addAction(QString());
    m_next = addAction(QString());
    m_last = addAction(QString());
    connect(m_first, &QAction::triggered, this, [this] { request(0); });
    connect(m_back, &QAction::triggered, this, [this] { request(m_frame - 1); });
    connect(m_play, &QAction::triggered, this, &StepBar::togglePlay);
    connect(m_next, &QAction::triggered, this, [this] { request(m_frame + 1); });
    connect(m_last, &QAction::triggered, this, [this] { request(m_count - 1); });

    // The scrubber and the labels sit in one stretching widget so the slider takes the room.
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    const int gap = fontMetrics().averageCharWidth() * 2;
    row->setContentsMargins(gap / 2, 0, gap / 2, 0);
    row->setSpacing(gap);
    m_slider = new QSlider(Qt::Horizontal, box);
    m_slider->setRange(0, 0);
    m_slider->setPageStep(1);
    m_slider->setFocusPolicy(Qt::NoFocus); // arrows belong to the window's step keys
    m_slider->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_label = new QLabel(box);
    m_label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_speedLabel = new QLabel(box);
    m_speed = new QComboBox(box);
    m_speed->setFocusPolicy(Qt::NoFocus);
    for (double s : kSpeeds)
        m_speed->addItem(QString(), s);
    m_speed->setCurrentIndex(1);
    row->addWidget(m_slider, 1);
    row->addWidget(m_label);
    row->addWidget(m_speedLabel);
    row->addWidget(m_speed);
    box->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    addWidget(box);

    connect(m_slider, &QSlider::valueChanged, this, [this](int v) {
        if (v != m_frame)
            emit frameRequested(v);
    });
    connect(m_speed, &QComboBox::currentIndexChanged, this,
            [this] { m_timer.setInterval(playInterval()); });
    m_timer.setInterval(playInterval());
    connect(&m_timer, &QTimer::timeout, this, &StepBar::advance);

    retranslateUi();
    updateControls();
}

double StepBar::speed() const {
    return m_speed->currentData().toDouble();
}

void StepBar::setSpeed(double factor) {
    const int i = m_speed->findData(factor);
    if (i >= 0)
        m_speed->setCurrentIndex(i);
}

int StepBar::playInterval() const {
    const double s = speed() > 0 ? speed() : 1.0;
    return static_cast<int>(kBaseIntervalMs / s);
}

void StepBar::setFrameCount(int count) {
    m_count = std::max(1, count);
    m_frame = std::clamp(m_frame, 0, m_count - 1);
    updateControls();
}

void StepBar::setFrame(int frame) {
    m_frame = std::clamp(frame, 0, m_count - 1);
    updateControls();
    if (isPlaying() && m_frame >= m_count - 1)
        setPlaying(false); // reached the end: stop, the last picture stays
}

void StepBar::togglePlay() {
    setPlaying(!isPlaying());
}

void StepBar::setPlaying(bool on) {
    if (on == isPlaying())
        return;
    if (on) {
        if (m_count <= 1)
            return;
        if (m_frame >= m_count - 1)
            request(0); // play from the start again
        m_timer.start(playInterval());
    } else {
        m_timer.stop();
    }
    updateControls();
    emit playingChanged(on);
}

void StepBar::advance() {
    if (m_frame >= m_count - 1) {
        setPlaying(false);
        return;
    }
    request(m_frame + 1);
}

void StepBar::request(int frame) {
    frame = std::clamp(frame, 0, m_count - 1);
    if (frame != m_frame)
        emit frameRequested(frame);
}

void StepBar::updateControls() {
    {
        const QSignalBlocker block(m_slider);
        m_slider->setRange(0, m_count - 1);
        m_slider->setValue(m_frame);
    }
    m_slider->setEnabled(m_count > 1);
    m_first->setEnabled(m_frame > 0);
    m_back->setEnabled(m_frame > 0);
    m_next->setEnabled(m_frame < m_count - 1);
    m_last->setEnabled(m_frame < m_count - 1);
    m_play->setEnabled(m_count > 1);
    m_label->setText(tr("Step %1 of %2").arg(m_frame + 1).arg(m_count));
    const bool playing = isPlaying();
    const QColor ink = palette().color(QPalette::ButtonText);
    m_first->setIcon(glyphIcon(Glyph::First, ink));
    m_back->setIcon(glyphIcon(Glyph::Back, ink));
    m_play->setIcon(glyphIcon(playing ? Glyph::Pause : Glyph::Play, ink));
    m_next->setIcon(glyphIcon(Glyph::Next, ink));
    m_last->setIcon(glyphIcon(Glyph::Last, ink));
    m_play->setToolTip(playing ? tr("Pause (%1)").arg(keys({Qt::Key_Space}))
                               : tr("Play (%1)").arg(keys({Qt::Key_Space})));
    m_play->setText(playing ? tr("Pause") : tr("Play"));
}

void StepBar::retranslateUi() {
    setWindowTitle(tr("Step Bar"));
    m_first->setText(tr("First Step"));
    m_first->setToolTip(tr("First step (%1)").arg(keys({Qt::Key_Home})));
    m_back->setText(tr("Previous Step"));
    m_back->setToolTip(tr("Previous step (%1)").arg(keys({Qt::Key_Left, Qt::Key_PageUp})));
    m_next->setText(tr("Next Step"));
    m_next->setToolTip(tr("Next step (%1)").arg(keys({Qt::Key_Right, Qt::Key_PageDown})));
    m_last->setText(tr("Last Step"));
    m_last->setToolTip(tr("Last step (%1)").arg(keys({Qt::Key_End})));
    m_slider->setToolTip(tr("Drag to move through the steps"));
    m_speedLabel->setText(tr("Speed"));
    m_speed->setToolTip(tr("Playback speed"));
    const QLocale loc;
    for (int i = 0; i < m_speed->count(); ++i)
        m_speed->setItemText(i, tr("%1×").arg(loc.toString(m_speed->itemData(i).toDouble())));
    // Room for "Step 888 of 888" so the slider does not jump while playing.
    m_label->setMinimumWidth(
        m_label->fontMetrics().horizontalAdvance(tr("Step %1 of %2").arg(888).arg(888)));
    updateControls();
}

void StepBar::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    else if (event->type() == QEvent::StyleChange || event->type() == QEvent::PaletteChange)
        updateControls();
    QToolBar::changeEvent(event);
}

} // namespace aisys::app
