// runCli: QProcess around the built binary (AISYS_EXE, defined by tests/CMakeLists.txt).
#include "tests/support/cli_runner.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <gtest/gtest.h>

namespace aisys::test_support {

CliResult runCli(const QStringList& args, const CliRun& how) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QT_QPA_PLATFORM", "offscreen");
    if (!how.dataHome.isEmpty())
        env.insert("XDG_DATA_HOME", how.dataHome);
    env.remove("AISYSLAB_ASSETS");
    p.setProcessEnvironment(env);
    p.start(AISYS_EXE, args);
    EXPECT_TRUE(p.waitForFinished(how.timeoutMs)) << args.join(' ').toStdString();
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace aisys::test_support
