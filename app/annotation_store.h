// Pen drawings per (lesson, frame), kept as JSON in the user's data folder and saved atomically.
#pragma once

#include "viz/annotation.h"

#include <QCoreApplication>
#include <QString>
#include <map>
#include <vector>

namespace aisys::app {

/// Persists presentation pen strokes in `<dataDir>/annotations/<lesson-id>.json`, one lesson at
/// a time. Every change is written at once through QSaveFile; a corrupt file is copied aside
/// (`.corrupt-<timestamp>`) before anything is written over it.
class AnnotationStore {
    Q_DECLARE_TR_FUNCTIONS(AnnotationStore)

public:
    /// `dataDir` is AppPaths::dataDir; nothing is read or written until load().
    explicit AnnotationStore(QString dataDir = {});

    /// Switches to `lessonId` and reads its file (a missing file means no drawings).
    /// Returns "" or a message for the user: an unreadable file (then nothing is written over
    /// it this session) or a corrupt one (copied aside first; the store starts empty).
    QString load(const QString& lessonId);
    /// The lesson load() switched to ("" before the first load).
    const QString& lessonId() const { return m_lessonId; }
    /// The JSON file of the current lesson.
    QString filePath() const;

    /// Strokes drawn on `frame` (empty when none).
    std::vector<viz::Stroke> strokes(int frame) const;
    /// Replaces the strokes of `frame` and writes the file. Returns "" or why the file could not
    /// be written; the strokes are kept in memory either way, so nothing is lost this session.
    QString setStrokes(int frame, std::vector<viz::Stroke> strokes);
    /// Frames that have drawings, ascending.
    std::vector<int> frames() const;

private:
    QString save() const;

    QString m_dataDir;
    QString m_lessonId;
    std::map<int, std::vector<viz::Stroke>> m_strokes;
    /// Set when the file on disk could not be read or backed up: it is never overwritten.
    QString m_blockedReason;
};

} // namespace aisys::app
