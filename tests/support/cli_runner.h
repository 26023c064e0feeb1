// Runs the real `aisyslab` binary for the CLI tests: exit code, stdout and stderr.
#pragma once

#include <QString>
#include <QStringList>

namespace aisys::test_support {

/// What one run of the binary gave.
struct CliResult {
    int code = -1;
    QString out, err;
};

/// How to run it.
struct CliRun {
    QString dataHome;       ///< XDG_DATA_HOME for the run ("" = the caller's)
    int timeoutMs = 120000; ///< the test fails when the run takes longer
};

/// Runs AISYS_EXE with `args` on the offscreen platform, with the built-in assets (any
/// AISYSLAB_ASSETS of the caller removed). Fails the current test on a time-out.
CliResult runCli(const QStringList& args, const CliRun& how = {});

} // namespace aisys::test_support
