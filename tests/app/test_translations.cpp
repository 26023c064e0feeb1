// The Chinese UI translation: every message in the .ts is translated, and the .qm embedded
// in the application loads and answers in Chinese.
#include "app/app_context.h"

#include <QCoreApplication>
#include <QFile>
#include <QTranslator>
#include <QXmlStreamReader>
#include <gtest/gtest.h>

namespace {

struct Message {
    QString context, source, translation;
    bool unfinished = false;
};

std::vector<Message> readTs() {
    QFile f(QStringLiteral(AISYS_SOURCE_DIR "/assets/i18n/aisyslab_zh_CN.ts"));
    EXPECT_TRUE(f.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&f);
    std::vector<Message> out;
    QString context;
    Message m;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        if (xml.name() == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (xml.name() == QLatin1String("message")) {
            m = Message{context, {}, {}, false};
        } else if (xml.name() == QLatin1String("source")) {
            m.source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            m.unfinished = xml.attributes().value("type") == QLatin1String("unfinished") ||
                           xml.attributes().value("type") == QLatin1String("vanished") ||
                           xml.attributes().value("type") == QLatin1String("obsolete");
            m.translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            out.push_back(m);
        }
    }
    EXPECT_FALSE(xml.hasError()) << xml.errorString().toStdString();
    return out;
}

} // namespace

TEST(Translations, EveryUiStringHasChinese) {
    auto messages = readTs();
    ASSERT_GT(messages.size(), 50u);
    for (const auto& m : messages) {
        EXPECT_FALSE(m.unfinished) << m.context.toStdString() << ": " << m.source.toStdString();
        EXPECT_FALSE(m.translation.trimmed().isEmpty())
            << m.context.toStdString() << ": " << m.source.toStdString();
    }
}

TEST(Translations, EmbeddedQmAnswersInChinese) {
    QTranslator t;
    ASSERT_TRUE(t.load(QStringLiteral(":/i18n/aisyslab_zh_CN.qm")));
    int checked = 0;
    for (const auto& m : readTs()) {
        if (m.source.contains("%n"))
            continue; // plural forms are looked up with a count
        QString zh = t.translate(m.context.toUtf8().constData(), m.source.toUtf8().constData());
        EXPECT_EQ(zh, m.translation) << m.source.toStdString();
        ++checked;
    }
    EXPECT_GT(checked, 50);
}

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
