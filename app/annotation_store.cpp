// Pen drawings per (lesson, frame): JSON reading with corrupt-file backups, atomic writing.
#include "app/annotation_store.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <cmath>
#include <optional>

namespace aisys::app {

namespace {

constexpr int kFormatVersion = 1;

/// A lesson id made safe for a file name (ids are kebab-case, but user files may say anything).
QString fileNameFor(const QString& lessonId) {
    QString safe;
    for (QChar ch : lessonId)
        safe += (ch.isLetterOrNumber() || ch == u'-' || ch == u'_' || ch == u'.') ? ch : u'_';
    if (safe.isEmpty() || safe.startsWith(u'.'))
        safe.prepend(u'_');
    return safe + QStringLiteral(".json");
}

QJsonObject strokeToJson(const viz::Stroke& s) {
    QJsonArray pts;
    for (const viz::Vec2& p : s.pts) {
        pts.append(p.x);
        pts.append(p.y);
    }
    return QJsonObject{
        {QStringLiteral("color"), QJsonArray{s.color.r, s.color.g, s.color.b, s.color.a}},
        {QStringLiteral("width"), s.width},
        {QStringLiteral("points"), pts},
    };
}

bool finite(const QJsonValue& v) {
    return v.isDouble() && std::isfinite(v.toDouble());
}

/// A stroke from JSON, or nothing when the object is not one we wrote.
std::optional<viz::Stroke> strokeFromJson(const QJsonValue& value) {
    if (!value.isObject())
        return std::nullopt;
    const QJsonObject o = value.toObject();
    const QJsonArray color = o.value(QStringLiteral("color")).toArray();
    const QJsonArray pts = o.value(QStringLiteral("points")).toArray();
    const QJsonValue width = o.value(QStringLiteral("width"));
    if (color.size() != 4 || pts.size() % 2 != 0 || !finite(width))
        return std::nullopt;
    viz::Stroke s;
    float* channels[] = {&s.color.r, &s.color.g, &s.color.b, &s.color.a};
    for (int i = 0; i < 4; ++i) {
        if (!finite(color[i]))
            return std::nullopt;
        *channels[i] = static_cast<float>(color[i].toDouble());
    }
    s.width = static_cast<float>(width.toDouble());
    for (qsizetype i = 0; i + 1 < pts.size(); i += 2) {
        if (!finite(pts[i]) || !finite(pts[i + 1]))
            return std::nullopt;
        s.pts.push_back(
            {static_cast<float>(pts[i].toDouble()), static_cast<float>(pts[i + 1].toDouble())});
    }
    return s;
}

/// Parses the whole file; false (with `why`) when it is not what save() writes.
bool parseFile(const QByteArray& bytes, std::map<int, std::vector<viz::Stroke>>& out,
               QString& why) {
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &err);
    if (err.error != QJsonParseError::NoError) {
        why = QCoreApplication::translate("AnnotationStore", "%1 at byte %2")
                  .arg(err.errorString())
                  .arg(err.offset);
        return false;
    }
    const QJsonValue frames = doc.object().value(QStringLiteral("frames"));
    if (!doc.isObject() || !frames.isObject()) {
        why = QCoreApplication::translate("AnnotationStore",
                                          "expected an object with a \"frames\" object");
        return false;
    }
    const QJsonObject byFrame = frames.toObject();
    for (auto it = byFrame.begin(); it != byFrame.end(); ++it) {
        bool ok = false;
        const int frame = it.key().toInt(&ok);
        if (!ok || frame < 0 || !it.value().isArray()) {
            why = QCoreApplication::translate(
                      "AnnotationStore", "\"%1\": expected a frame number with a list of strokes")
                      .arg(it.key());
            return false;
        }
        std::vector<viz::Stroke> strokes;
        for (const QJsonValue& v : it.value().toArray()) {
            std::optional<viz::Stroke> s = strokeFromJson(v);
            if (!s) {
                why = QCoreApplication::translate(
                          "AnnotationStore",
                          "frame %1: expected strokes with color (4 numbers), width and points")
                          .arg(frame);
                return false;
            }
            strokes.push_back(std::move(*s));
        }
        if (!strokes.empty())
            out[frame] = std::move(strokes);
    }
    return true;
}

} // namespace

AnnotationStore::AnnotationStore(QString dataDir) : m_dataDir(std::move(dataDir)) {}

QString AnnotationStore::filePath() const {
    return QDir(m_dataDir).filePath(QStringLiteral("annotations/") + fileNameFor(m_lessonId));
}

QString AnnotationStore::load(const QString& lessonId) {
    // 1. Forget the previous lesson; a missing file simply means no drawings yet.
    m_lessonId = lessonId;
    m_strokes.clear();
    m_blockedReason.clear();
    const QString path = filePath();
    if (!QFileInfo::exists(path))
        return {};

    // 2. Read it; an unreadable file must not be replaced by an empty one later.
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_blockedReason = file.errorString();
        return tr("Could not read the drawings in %1: %2. New drawings are kept until you quit "
                  "but not saved.")
            .arg(QDir::toNativeSeparators(path), file.errorString());
    }
    const QByteArray bytes = file.readAll();
    file.close();

    // 3. Parse; on any surprise keep a copy of the file before starting empty.
    QString why;
    std::map<int, std::vector<viz::Stroke>> parsed;
    if (parseFile(bytes, parsed, why)) {
        m_strokes = std::move(parsed);
        return {};
    }
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString backup = path + QStringLiteral(".corrupt-") + stamp;
    for (int n = 2; QFileInfo::exists(backup); ++n)
        backup = path + QStringLiteral(".corrupt-%1-%2").arg(stamp).arg(n);
    if (!QFile::copy(path, backup)) {
        m_blockedReason = why;
        return tr("The drawings file %1 is damaged (%2) and could not be backed up, so it is left "
                  "untouched. New drawings are kept until you quit but not saved.")
            .arg(QDir::toNativeSeparators(path), why);
    }
    return tr("The drawings file %1 is damaged (%2). A copy was kept as %3; starting with no "
              "drawings.")
        .arg(QDir::toNativeSeparators(path), why, QDir::toNativeSeparators(backup));
}

std::vector<viz::Stroke> AnnotationStore::strokes(int frame) const {
    auto it = m_strokes.find(frame);
    return it == m_strokes.end() ? std::vector<viz::Stroke>{} : it->second;
}

std::vector<int> AnnotationStore::frames() const {
    std::vector<int> out;
    for (const auto& [frame, strokes] : m_strokes)
        out.push_back(frame);
    return out;
}

QString AnnotationStore::setStrokes(int frame, std::vector<viz::Stroke> strokes) {
    if (m_lessonId.isEmpty())
        return {};
    auto it = m_strokes.find(frame);
    const bool had = it != m_strokes.end();
    if (strokes.empty() && !had)
        return {};
    if (strokes.empty())
        m_strokes.erase(it);
    else
        m_strokes[frame] = std::move(strokes);
    return save();
}

QString AnnotationStore::save() const {
    const QString path = filePath();
    if (!m_blockedReason.isEmpty())
        return tr("Drawings are not saved: %1 could not be read earlier (%2).")
            .arg(QDir::toNativeSeparators(path), m_blockedReason);
    if (m_dataDir.isEmpty())
        return tr("Drawings are not saved: there is no data folder.");
    const QString dir = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(dir))
        return tr("Could not save the drawings: the folder %1 cannot be created.")
            .arg(QDir::toNativeSeparators(dir));

    QJsonObject frames;
    for (const auto& [frame, strokes] : m_strokes) {
        QJsonArray list;
        for (const viz::Stroke& s : strokes)
            list.append(strokeToJson(s));
        frames.insert(QString::number(frame), list);
    }
    const QJsonObject root{{QStringLiteral("version"), kFormatVersion},
                           {QStringLiteral("lesson"), m_lessonId},
                           {QStringLiteral("frames"), frames}};

    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) ||
        out.write(QJsonDocument(root).toJson(QJsonDocument::Compact)) < 0 || !out.commit())
        return tr("Could not save the drawings to %1: %2")
            .arg(QDir::toNativeSeparators(path), out.errorString());
    return {};
}

} // namespace aisys::app
